"""Fixtures for tests against a real Kafka broker.

- ``kafka_bootstrap`` (session): the cluster named by ``STANCEWIRE_KAFKA_BOOTSTRAP``, else the
  local broker, started here when it is not running and stopped again afterwards. When it cannot
  be started the tests are skipped, except under ``CI=true`` where they fail.
- ``topic_set`` (per test): unique input/output/dead-letter topic names and consumer group.
- ``start_worker`` (per test): starts real ``stancewire worker`` subprocesses on a topic set,
  each with its own metrics port and data directory, and kills leftovers after the test.
- ``kafka_io``: kafka-python helpers to publish records and read topics back.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from worker_harness import KafkaIO, TopicSet, WorkerFactory, WorkerProcess, free_port

from stancewire.settings import Settings


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """Bootstrap servers of a running broker (see the module docstring)."""
    settings = Settings()
    if not settings.uses_local_broker:
        yield settings.bootstrap_servers
        return
    from stancewire_dev.broker import BrokerError, local_broker

    broker = local_broker(settings)
    already_running = broker.is_running()
    try:
        broker.start()
    except BrokerError as exc:
        message = f"the local Kafka broker could not be started: {exc}"
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    yield broker.bootstrap
    if not already_running:
        broker.stop()


@pytest.fixture
def topic_set() -> TopicSet:
    suffix = uuid.uuid4().hex[:10]
    return TopicSet(
        input=f"test.{suffix}.articles",
        output=f"test.{suffix}.statements",
        dead_letter=f"test.{suffix}.articles.dlq",
        group=f"test-{suffix}",
    )


def dyad_topic(topics: TopicSet) -> str:
    """The dyad topic of a topic set (unique like the others)."""
    return f"{topics.output}.dyads"


@pytest.fixture
def start_worker(kafka_bootstrap: str, tmp_path: Path) -> Iterator[WorkerFactory]:
    """Start workers: ``start_worker(topic_set, **settings_overrides)``; stopped after the test."""
    workers: list[WorkerProcess] = []

    def start(topics: TopicSet, wait: bool = True, **overrides: str) -> WorkerProcess:
        home = tmp_path / f"worker-{len(workers)}"
        home.mkdir()
        port = free_port()
        env = {key: value for key, value in os.environ.items() if not key.startswith("STANCEWIRE_")}
        env.update(
            {
                "STANCEWIRE_KAFKA_BOOTSTRAP": kafka_bootstrap,
                "STANCEWIRE_INPUT_TOPIC": topics.input,
                "STANCEWIRE_OUTPUT_TOPIC": topics.output,
                "STANCEWIRE_DEAD_LETTER_TOPIC": topics.dead_letter,
                "STANCEWIRE_CONSUMER_GROUP": topics.group,
                "STANCEWIRE_DYAD_TOPIC": dyad_topic(topics),
                "STANCEWIRE_TOPIC_PARTITIONS": "2",
                "STANCEWIRE_METRICS_PORT": str(port),
                "STANCEWIRE_DATA_DIR": str(home),
                "STANCEWIRE_COMMIT_INTERVAL_SECONDS": "0.5",
            }
        )
        env.update({f"STANCEWIRE_{key.upper()}": value for key, value in overrides.items()})
        log_file = home / "worker.log"
        with log_file.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "stancewire.cli", "worker"],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        worker = WorkerProcess(process, port, log_file, topics)
        workers.append(worker)
        if wait:
            worker.wait_ready()
        return worker

    yield start
    for worker in workers:
        if worker.process.poll() is None:
            worker.process.kill()
            worker.process.wait()


@pytest.fixture
def kafka_io(kafka_bootstrap: str) -> KafkaIO:
    return KafkaIO(kafka_bootstrap)
