"""The local broker's set-up logic, without starting a JVM."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from stancewire.settings import Settings
from stancewire_dev import PROJECT_ROOT
from stancewire_dev.broker import (
    SERVER_PROPERTIES_TEMPLATE,
    LocalBroker,
    local_broker,
    new_cluster_id,
    read_properties,
)


def test_cluster_id_is_a_base64url_uuid_without_padding() -> None:
    ids = {new_cluster_id() for _ in range(50)}
    assert len(ids) == 50
    for cluster_id in ids:
        assert len(cluster_id) == 22
        assert not cluster_id.startswith("-")
        assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16


def test_template_configures_a_single_node_kraft_broker_for_transactions() -> None:
    properties = read_properties(SERVER_PROPERTIES_TEMPLATE)
    assert properties["process.roles"] == "broker,controller"
    assert properties["offsets.topic.replication.factor"] == "1"
    assert properties["transaction.state.log.replication.factor"] == "1"
    assert properties["transaction.state.log.min.isr"] == "1"
    assert properties["group.initial.rebalance.delay.ms"] == "0"
    assert "127.0.0.1" in properties["listeners"]


def test_each_broker_gets_its_own_ports_and_directory(tmp_path: Path) -> None:
    second = LocalBroker(port=19092, controller_port=19093, data_dir=tmp_path, libs_dir=tmp_path)
    second.home.mkdir(parents=True)
    second._write_properties()
    properties = read_properties(second.properties_file)
    assert properties["listeners"] == ("PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093")
    assert properties["advertised.listeners"] == "PLAINTEXT://127.0.0.1:19092"
    assert properties["controller.quorum.bootstrap.servers"] == "127.0.0.1:19093"
    assert Path(properties["log.dirs"]) == tmp_path.resolve() / "kafka-19092" / "data"
    assert second.bootstrap == "127.0.0.1:19092"


def test_stale_or_foreign_pid_file_means_not_running(tmp_path: Path) -> None:
    broker = LocalBroker(port=19192, data_dir=tmp_path)
    assert not broker.is_running()
    broker.home.mkdir(parents=True)
    broker.pid_file.write_text(f"{os.getpid()}\n")  # alive, but not a Kafka broker
    assert broker.pid() is None
    broker.stop()  # idempotent on a stopped broker
    assert not broker.pid_file.exists()


def test_the_checkout_keeps_broker_state_in_var_unless_a_data_dir_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STANCEWIRE_DATA_DIR", raising=False)
    assert local_broker(Settings()).home == (PROJECT_ROOT / "var" / "kafka-9092").resolve()
    monkeypatch.setenv("STANCEWIRE_DATA_DIR", str(tmp_path))
    assert local_broker(Settings()).home == tmp_path.resolve() / "kafka-9092"
