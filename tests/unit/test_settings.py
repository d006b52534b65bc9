"""Settings come from STANCEWIRE_* variables only, with safe defaults and masked secrets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from stancewire.settings import Settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("STANCEWIRE_"):
            monkeypatch.delenv(name)


def test_defaults_use_the_local_broker_and_the_contract_topics() -> None:
    settings = Settings()
    assert settings.uses_local_broker
    assert settings.bootstrap_servers == "localhost:9092"
    assert (settings.input_topic, settings.output_topic, settings.dead_letter_topic) == (
        "news.articles",
        "news.statements",
        "news.articles.dlq",
    )
    assert settings.max_body_bytes == 1024 * 1024
    assert settings.metrics_port == 6066


def test_data_dir_defaults_to_the_per_user_state_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    assert Settings().data_dir == tmp_path / "home" / ".local" / "state" / "stancewire"
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert Settings().data_dir == tmp_path / "state" / "stancewire"


def test_no_default_path_points_into_the_source_tree() -> None:
    source_tree = Path(__file__).resolve().parents[2]
    settings = Settings()
    for name, value in settings.model_dump().items():
        if isinstance(value, Path):
            assert not value.resolve().is_relative_to(source_tree), name


def test_bootstrap_variable_switches_off_the_local_broker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANCEWIRE_KAFKA_BOOTSTRAP", "kafka-1:9092,kafka-2:9092")
    settings = Settings()
    assert not settings.uses_local_broker
    assert settings.bootstrap_servers == "kafka-1:9092,kafka-2:9092"


def test_variables_are_typed_and_prefixed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANCEWIRE_TOPIC_PARTITIONS", "8")
    monkeypatch.setenv("STANCEWIRE_DATA_DIR", "/tmp/sw")
    monkeypatch.setenv("TOPIC_PARTITIONS", "99")  # unprefixed: ignored
    settings = Settings()
    assert settings.topic_partitions == 8
    assert settings.data_dir == Path("/tmp/sw")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("STANCEWIRE_PROCESSING_GUARANTEE", "at_most_once"),
        ("STANCEWIRE_TOPIC_PARTITIONS", "0"),
        ("STANCEWIRE_METRICS_PORT", "70000"),
        ("STANCEWIRE_KAFKA_SECURITY_PROTOCOL", "TLS"),
    ],
)
def test_invalid_values_are_rejected(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()


def test_password_is_masked_when_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANCEWIRE_KAFKA_SASL_PASSWORD", "hunter2-secret")
    settings = Settings()
    assert "hunter2-secret" not in repr(settings)
    assert "hunter2-secret" not in str(settings.model_dump())
    assert settings.kafka_sasl_password is not None
    assert settings.kafka_sasl_password.get_secret_value() == "hunter2-secret"
