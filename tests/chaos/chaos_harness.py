"""Machinery of the chaos tests: worker subprocesses, a throttled publisher, a collector of
everything the workers wrote, the offline expectation, and the final accounting.

Everything talks to the chaos tests' own broker (``127.0.0.1:19092``, started by the fixtures in
``conftest.py``), never to the shared development broker on 9092, and uses topics and consumer
groups unique to one scenario.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from chaos_articles import ChaosRecord
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import KafkaError

from stancewire_dev import PROJECT_ROOT

# CHAOS_BROKER_PORT (test-only environment) moves the private broker, so that two checkouts
# can run the suite at once; the controller listens on the next port.
CHAOS_BROKER_PORT = int(os.environ.get("CHAOS_BROKER_PORT", "19092"))
CHAOS_CONTROLLER_PORT = CHAOS_BROKER_PORT + 1
# Every other port of the suite (workers' /metrics, the SASL_SSL broker) moves with it, so two
# suites at once do not take each other's ports.
PORT_OFFSET = CHAOS_BROKER_PORT - 19092
STANCEWIRE = Path(sys.executable).with_name("stancewire")


@dataclass(frozen=True)
class ChaosTopics:
    """Input, output, dead-letter and dyad topics of one scenario (unique names)."""

    input: str
    output: str
    dead_letter: str
    dyads: str

    @classmethod
    def unique(cls, scenario: str) -> ChaosTopics:
        tag = f"{scenario}-{uuid.uuid4().hex[:8]}"
        return cls(
            f"chaos.{tag}.articles",
            f"chaos.{tag}.statements",
            f"chaos.{tag}.dlq",
            f"chaos.{tag}.dyads",
        )


def create_topics(bootstrap: str, topics: ChaosTopics, partitions: int) -> None:
    """All three topics with the same partition count (the worker finds them existing)."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="chaos-admin")
    try:
        admin.create_topics(
            [
                NewTopic(name, num_partitions=partitions, replication_factor=1)
                for name in (topics.input, topics.output, topics.dead_letter)
            ]
        )
    finally:
        admin.close()


# ----------------------------------------------------------------------------- workers
@dataclass
class WorkerProcess:
    """One ``stancewire worker`` subprocess with its own log file."""

    name: str
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0
    killed: bool = False

    def start(self) -> WorkerProcess:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        Path(self.env["STANCEWIRE_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            log.write(f"\n===== chaos: start #{self.starts + 1} of {self.name} =====\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                [str(STANCEWIRE), "worker"],
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=PROJECT_ROOT,
                start_new_session=True,  # its own process group: kill() reaches its children
            )
        self.starts += 1
        return self

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def died(self) -> bool:
        """Exited on its own (not killed by the test)."""
        return self.exit_code is not None and not self.killed

    @property
    def exit_code(self) -> int | None:
        return self.process.poll() if self.process is not None else None

    def kill(self) -> None:
        """SIGKILL, as a crash or the OOM killer would: no shutdown code runs."""
        if self.process is None:
            return
        self.killed = True
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        # Children (e.g. an enrichment process pool) die with their parent's crash in
        # production when the supervisor stops the container; here, reap them explicitly.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def terminate(self, timeout: float = 60.0) -> int:
        """SIGTERM and wait for a clean exit; returns the exit code (SIGKILL after timeout)."""
        if self.process is None:
            raise RuntimeError(f"{self.name} was never started")
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                return -int(signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        return int(self.process.returncode)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no worker log)"

    def metrics_text(self) -> str:
        port = self.env["STANCEWIRE_METRICS_PORT"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            text: str = response.read().decode()
            return text


def worker_env(
    *,
    bootstrap: str,
    topics: ChaosTopics,
    group: str,
    metrics_port: int,
    data_dir: Path,
    guarantee: str,
    partitions: int,
    max_body_bytes: int,
    session_timeout_seconds: float,
    enrich_processes: int = 2,
) -> dict[str, str]:
    """The environment of one chaos worker: everything through STANCEWIRE_ settings. Two
    enrichment processes by default, so the kills hit a worker with several articles in
    flight, enriched out of order and published in order."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STANCEWIRE_")}
    env.update(
        {
            "STANCEWIRE_KAFKA_BOOTSTRAP": bootstrap,
            "STANCEWIRE_INPUT_TOPIC": topics.input,
            "STANCEWIRE_OUTPUT_TOPIC": topics.output,
            "STANCEWIRE_DEAD_LETTER_TOPIC": topics.dead_letter,
            "STANCEWIRE_DYAD_TOPIC": topics.dyads,
            "STANCEWIRE_CONSUMER_GROUP": group,
            "STANCEWIRE_METRICS_HOST": "127.0.0.1",
            "STANCEWIRE_METRICS_PORT": str(metrics_port),
            "STANCEWIRE_DATA_DIR": str(data_dir),
            "STANCEWIRE_PROCESSING_GUARANTEE": guarantee,
            "STANCEWIRE_TOPIC_PARTITIONS": str(partitions),
            "STANCEWIRE_MAX_BODY_BYTES": str(max_body_bytes),
            "STANCEWIRE_SESSION_TIMEOUT_SECONDS": str(session_timeout_seconds),
            "STANCEWIRE_LOG_LEVEL": "INFO",
            "STANCEWIRE_ENRICH_PROCESSES": str(enrich_processes),
        }
    )
    return env


def metric_total(metrics_text: str, name: str) -> float:
    """Sum of every sample of ``name`` (all label sets) in a Prometheus text exposition."""
    total = 0.0
    for line in metrics_text.splitlines():
        if line.startswith(name) and line[len(name) : len(name) + 1] in ("{", " "):
            total += float(line.rsplit(" ", 1)[1])
    return total


# ----------------------------------------------------------------------------- publishing
class Publisher(threading.Thread):
    """Publishes the workload, staying at most ``max_ahead`` records ahead of the workers.

    Throttling keeps publication going for the whole scenario, so the worker crash and the
    broker restart both happen mid-stream for the producer as well as for the worker.
    The idempotent producer retries through the broker restart without duplicating records.
    """

    def __init__(
        self,
        bootstrap: str,
        topic: str,
        records: list[ChaosRecord],
        progress: Callable[[], int],
        max_ahead: int,
    ) -> None:
        super().__init__(name="chaos-publisher", daemon=True)
        self.bootstrap = bootstrap
        self.topic = topic
        self.records = records
        self.progress = progress
        self.max_ahead = max_ahead
        # index of the record -> (partition, offset) the broker acknowledged
        self.positions: dict[int, tuple[int, int]] = {}
        self.errors: list[str] = []
        self.stop_requested = threading.Event()

    def run(self) -> None:
        producer = KafkaProducer(
            bootstrap_servers=self.bootstrap,
            client_id="chaos-publisher",
            acks="all",
            enable_idempotence=True,
            linger_ms=5,
            max_request_size=4 * 1024 * 1024,
            delivery_timeout_ms=180_000,
        )
        try:
            for start in range(0, len(self.records), 50):
                while len(self.positions) - self.progress() > self.max_ahead:
                    if self.stop_requested.wait(0.2):
                        return
                batch = self.records[start : start + 50]
                futures = [
                    (r.index, producer.send(self.topic, key=r.key, value=r.value)) for r in batch
                ]
                for index, future in futures:
                    try:
                        metadata = future.get(timeout=200)
                    except Exception as error:  # reported, and the test fails
                        self.errors.append(f"record {index}: {type(error).__name__}: {error}")
                    else:
                        self.positions[index] = (metadata.partition, metadata.offset)
        finally:
            producer.close(timeout=30)


# ----------------------------------------------------------------------------- collecting
@dataclass
class Collected:
    statement_ids: Counter[str] = field(default_factory=Counter)
    statements_by_article: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    dead_letters: Counter[tuple[int, int]] = field(default_factory=Counter)
    dead_letter_types: dict[tuple[int, int], str] = field(default_factory=dict)
    undecodable: int = 0


class Collector(threading.Thread):
    """Reads the output and dead-letter topics from the start, for the whole scenario.

    With ``isolation_level="read_committed"`` it sees only committed transactions: what a
    downstream consumer of the exactly-once mode sees.
    """

    def __init__(self, bootstrap: str, topics: ChaosTopics, isolation_level: str) -> None:
        super().__init__(name="chaos-collector", daemon=True)
        self.bootstrap = bootstrap
        self.topics = topics
        self.isolation_level = isolation_level
        self.collected = Collected()
        self.lock = threading.Lock()
        self.stop_requested = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self._consume()
        except BaseException as error:  # surfaced by the test through .error
            self.error = error

    def _consume(self) -> None:
        consumer = KafkaConsumer(
            bootstrap_servers=self.bootstrap,
            client_id="chaos-collector",
            group_id=None,
            enable_auto_commit=False,
            isolation_level=self.isolation_level,
            max_partition_fetch_bytes=4 * 1024 * 1024,
        )
        try:
            partitions = [
                TopicPartition(topic, p)
                for topic in (self.topics.output, self.topics.dead_letter)
                for p in _partitions(consumer, topic)
            ]
            consumer.assign(partitions)
            consumer.seek_to_beginning(*partitions)
            while not self.stop_requested.is_set():
                batches = consumer.poll(timeout_ms=500, max_records=1000)
                with self.lock:
                    for tp, messages in batches.items():
                        for message in messages:
                            self._take(tp.topic, message.value)
        finally:
            consumer.close()

    def _take(self, topic: str, value: bytes | None) -> None:
        try:
            event: dict[str, Any] = json.loads(value or b"")
        except ValueError:
            self.collected.undecodable += 1
            return
        if topic == self.topics.output:
            self.collected.statement_ids[event["statement_id"]] += 1
            self.collected.statements_by_article[event["article_id"]].add(event["statement_id"])
        else:
            position = (int(event["source_partition"]), int(event["source_offset"]))
            self.collected.dead_letters[position] += 1
            self.collected.dead_letter_types[position] = str(event["error_type"])

    def progress(self) -> int:
        """Articles seen so far: with at least one statement, or dead-lettered."""
        with self.lock:
            return len(self.collected.statements_by_article) + len(self.collected.dead_letters)

    def snapshot(self) -> Collected:
        with self.lock:
            return Collected(
                statement_ids=Counter(self.collected.statement_ids),
                statements_by_article={
                    k: set(v) for k, v in self.collected.statements_by_article.items()
                },
                dead_letters=Counter(self.collected.dead_letters),
                dead_letter_types=dict(self.collected.dead_letter_types),
                undecodable=self.collected.undecodable,
            )


# ----------------------------------------------------------------------------- expectation
class OfflineExpectation:
    """The statement ids each valid article must yield, from ``stancewire enrich`` (no Kafka).

    Statement ids are deterministic (article, span, cue, enricher version), so the worker must
    publish exactly these. Runs as a subprocess, in parallel with the scenario.
    """

    def __init__(self, records: Iterable[ChaosRecord], work_dir: Path) -> None:
        work_dir.mkdir(parents=True, exist_ok=True)
        self.input_path = work_dir / "valid-articles.jsonl"
        self.output_path = work_dir / "expected-statements.jsonl"
        with self.input_path.open("wb") as out:
            for record in records:
                if record.is_valid and record.value is not None:
                    out.write(record.value + b"\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith("STANCEWIRE_")}
        with self.output_path.open("wb") as out:
            self.process = subprocess.Popen(
                [str(STANCEWIRE), "enrich", str(self.input_path)],
                stdout=out,
                stderr=subprocess.PIPE,
                env=env,
                cwd=PROJECT_ROOT,
            )

    def result(self, timeout: float) -> dict[str, set[str]]:
        _, stderr = self.process.communicate(timeout=timeout)
        if self.process.returncode != 0:
            raise RuntimeError(f"stancewire enrich failed: {stderr.decode()[-2000:]}")
        expected: dict[str, set[str]] = defaultdict(set)
        for line in self.output_path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                event = json.loads(line)
                expected[event["article_id"]].add(event["statement_id"])
        return expected


# ----------------------------------------------------------------------------- accounting
@dataclass
class ChaosReport:
    """The counts a scenario prints, and what is missing."""

    scenario: str
    published: int
    valid: int
    malformed: int
    expected_statements: int
    valid_without_statements: int
    statements_on_topic: int
    unique_statements: int
    enriched_articles: int
    dead_letters_on_topic: int
    dead_letters_matched: int
    missing_articles: list[str]
    missing_dead_letters: list[str]
    valid_dead_lettered: list[str]
    unexpected_statements: int
    publish_errors: list[str]
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def duplicate_statements(self) -> int:
        return self.statements_on_topic - self.unique_statements

    @property
    def duplicate_dead_letters(self) -> int:
        return self.dead_letters_on_topic - self.dead_letters_matched

    @property
    def lost(self) -> int:
        missing = self.missing_articles + self.missing_dead_letters + self.valid_dead_lettered
        return len(missing) + len(self.publish_errors)

    def summary(self) -> str:
        lines = [
            f"chaos scenario {self.scenario} ({self.seconds:.0f} s)",
            f"  published            {self.published} ({self.valid} valid, "
            f"{self.malformed} malformed)",
            f"  enriched articles    {self.enriched_articles} of {self.valid} valid "
            f"({self.valid_without_statements} yield no statement offline)",
            f"  statements           {self.unique_statements} unique of "
            f"{self.expected_statements} expected; {self.statements_on_topic} records",
            f"  duplicates (before dedup) {self.duplicate_statements} statements, "
            f"{self.duplicate_dead_letters} dead letters",
            f"  dead letters         {self.dead_letters_matched} of {self.malformed} malformed "
            f"({self.dead_letters_on_topic} records)",
            f"  missing              {len(self.missing_articles)} articles, "
            f"{len(self.missing_dead_letters)} dead letters, "
            f"{len(self.valid_dead_lettered)} valid articles dead-lettered, "
            f"{len(self.publish_errors)} publish errors",
            f"  unexpected statements {self.unexpected_statements}",
        ]
        lines += [f"  note: {note}" for note in self.notes]
        if self.lost:
            examples = (
                self.missing_articles[:5]
                + self.missing_dead_letters[:5]
                + self.valid_dead_lettered[:5]
                + self.publish_errors[:3]
            )
            lines.append(f"  first missing: {examples}")
        return "\n".join(lines)


def account(
    scenario: str,
    records: list[ChaosRecord],
    positions: Mapping[int, tuple[int, int]],
    publish_errors: list[str],
    expected: Mapping[str, set[str]],
    collected: Collected,
) -> ChaosReport:
    """Compare what was published and expected with what the workers wrote."""
    valid = [r for r in records if r.is_valid]
    malformed = [r for r in records if not r.is_valid]
    expected_ids = set().union(*expected.values()) if expected else set()
    received = collected.statement_ids
    missing_articles = [
        r.article_id for r in valid if not expected.get(r.article_id, set()) <= received.keys()
    ]
    missing_dead_letters = [
        f"{r.kind}@{positions.get(r.index)}"
        for r in malformed
        if positions.get(r.index) not in collected.dead_letters
    ]
    valid_dead_lettered = [
        f"{r.article_id}:{collected.dead_letter_types[positions[r.index]]}"
        for r in valid
        if r.index in positions and positions[r.index] in collected.dead_letters
    ]
    malformed_positions = {positions[r.index] for r in malformed if r.index in positions}
    matched = collected.dead_letters.keys() & malformed_positions
    return ChaosReport(
        scenario=scenario,
        published=len(positions),
        valid=len(valid),
        malformed=len(malformed),
        expected_statements=len(expected_ids),
        valid_without_statements=sum(1 for r in valid if not expected.get(r.article_id)),
        statements_on_topic=sum(received.values()),
        unique_statements=len(received),
        enriched_articles=sum(
            1
            for r in valid
            if expected.get(r.article_id) and expected[r.article_id] <= received.keys()
        ),
        dead_letters_on_topic=sum(collected.dead_letters.values()),
        dead_letters_matched=len(matched),
        missing_articles=missing_articles,
        missing_dead_letters=missing_dead_letters,
        valid_dead_lettered=valid_dead_lettered,
        unexpected_statements=len(received.keys() - expected_ids),
        publish_errors=publish_errors,
    )


def _partitions(consumer: KafkaConsumer, topic: str, timeout: float = 30.0) -> list[int]:
    """The partitions of ``topic`` (waits until the client's metadata knows the topic)."""
    deadline = time.monotonic() + timeout
    while True:
        partitions = consumer.partitions_for_topic(topic)
        if partitions:
            return sorted(partitions)
        if time.monotonic() > deadline:
            raise TimeoutError(f"no metadata for topic {topic}")
        time.sleep(0.2)


T = TypeVar("T")


def retrying(call: Callable[[], T], timeout: float = 60.0) -> T:
    """``call()``, retried while the broker answers with a retriable error (e.g. just after
    a restart, while the group coordinator loads)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return call()
        except KafkaError as error:
            if not error.retriable or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def committed_lag(bootstrap: str, group: str, topic: str) -> dict[int, int]:
    """Per partition of ``topic``: end offset minus the group's committed offset."""
    return retrying(lambda: _committed_lag(bootstrap, group, topic))


def _committed_lag(bootstrap: str, group: str, topic: str) -> dict[int, int]:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="chaos-lag")
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, client_id="chaos-lag", group_id=None)
    try:
        committed = admin.list_group_offsets(group).get(group, {})
        partitions = [TopicPartition(topic, p) for p in _partitions(consumer, topic)]
        ends = consumer.end_offsets(partitions)
        return {
            tp.partition: ends[tp] - (committed[tp].offset if tp in committed else 0)
            for tp in partitions
        }
    finally:
        consumer.close()
        admin.close()


def group_members(bootstrap: str, group: str) -> int:
    """How many members the consumer group has now (0 when it does not exist)."""
    return retrying(lambda: _group_members(bootstrap, group))


def _group_members(bootstrap: str, group: str) -> int:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="chaos-group")
    try:
        description: dict[str, Any] = admin.describe_groups([group]).get(group, {})
        return len(description.get("members") or [])
    finally:
        admin.close()


def wait_for(condition: Callable[[], bool], timeout: float, what: str, poll: float = 0.5) -> float:
    """Poll ``condition`` until true; returns the seconds waited; raises on timeout."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(poll)
    return time.monotonic() - started
