"""Helpers for tests against a real Kafka broker: worker subprocesses, topic sets, Kafka I/O.

Used by the fixtures in ``conftest.py`` and by the tests themselves.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

WORKER_READY_TIMEOUT_SECONDS = 120.0
# Faust logs this once the worker has joined its group and seeked to the committed offsets.
WORKER_READY_LINE = "[^Worker]: Ready"


@dataclass(frozen=True)
class TopicSet:
    """Unique topics and consumer group for one test."""

    input: str
    output: str
    dead_letter: str
    group: str


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class WorkerProcess:
    """A running ``stancewire worker`` subprocess."""

    process: subprocess.Popen[bytes]
    metrics_port: int
    log_file: Path
    topics: TopicSet
    stopped: bool = field(default=False)

    @property
    def metrics_url(self) -> str:
        return f"http://127.0.0.1:{self.metrics_port}/metrics"

    def log_text(self) -> str:
        return self.log_file.read_text(errors="replace") if self.log_file.exists() else ""

    def scrape(self) -> str:
        with urllib.request.urlopen(self.metrics_url, timeout=5) as response:
            text: str = response.read().decode("utf-8")
            return text

    def samples(self) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        """Every sample of /metrics: (name, sorted labels) -> value."""
        found: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
        for family in text_string_to_metric_families(self.scrape()):
            for sample in family.samples:
                found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
        return found

    def value(self, name: str, **labels: str) -> float:
        return self.samples().get((name, tuple(sorted(labels.items()))), 0.0)

    def wait_ready(self, timeout: float = WORKER_READY_TIMEOUT_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"worker exited with {self.process.returncode}:\n{self.log_text()[-4000:]}"
                )
            if WORKER_READY_LINE in self.log_text():
                return
            time.sleep(0.25)
        raise AssertionError(f"worker not ready after {timeout}s:\n{self.log_text()[-4000:]}")

    def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM and wait: the worker commits what it processed and exits."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError(f"worker ignored SIGTERM for {timeout}s") from None
        self.stopped = True
        return self.process.returncode


WorkerFactory = Callable[..., WorkerProcess]


@dataclass(frozen=True)
class Record:
    key: bytes | None
    value: bytes | None
    headers: dict[str, bytes]
    partition: int
    offset: int


class KafkaIO:
    """Publish records and read topics back with kafka-python (no consumer group)."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap

    def publish(
        self,
        topic: str,
        records: Sequence[tuple[bytes | None, bytes | None]],
        headers: Sequence[tuple[str, bytes]] = (),
    ) -> None:
        from kafka import KafkaProducer

        producer = KafkaProducer(
            bootstrap_servers=self.bootstrap, acks="all", max_request_size=8 * 1024 * 1024
        )
        try:
            for key, value in records:
                producer.send(topic, key=key, value=value, headers=list(headers))
            producer.flush(timeout=30)
        finally:
            producer.close(timeout=10)

    def read(
        self,
        topic: str,
        until: Callable[[list[Record]], bool],
        timeout: float = 60.0,
    ) -> list[Record]:
        """Records of ``topic`` from the beginning, read until ``until(records)`` or timeout."""
        from kafka import KafkaConsumer, TopicPartition

        consumer = KafkaConsumer(
            bootstrap_servers=self.bootstrap,
            enable_auto_commit=False,
            isolation_level="read_committed",
            fetch_max_bytes=16 * 1024 * 1024,
            max_partition_fetch_bytes=8 * 1024 * 1024,
        )
        records: list[Record] = []
        deadline = time.monotonic() + timeout
        try:
            partitions: set[int] = set()
            while not partitions and time.monotonic() < deadline:
                partitions = consumer.partitions_for_topic(topic) or set()
                if not partitions:
                    time.sleep(0.5)
            assigned = [TopicPartition(topic, p) for p in sorted(partitions)]
            consumer.assign(assigned)
            consumer.seek_to_beginning(*assigned)
            while time.monotonic() < deadline and not until(records):
                for batch in consumer.poll(timeout_ms=500).values():
                    records.extend(
                        Record(
                            key=r.key,
                            value=r.value,
                            headers={name: value for name, value in r.headers or []},
                            partition=r.partition,
                            offset=r.offset,
                        )
                        for r in batch
                    )
        finally:
            consumer.close()
        return records


def wait_for(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    """Poll ``condition`` until it returns something truthy; fail with ``what`` on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
