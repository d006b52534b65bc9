"""No article lost: worker crash, broker restart, poison input and two workers, under load.

Each scenario publishes a workload (one record in ten malformed, in ten different ways) on
fresh topics of the chaos broker, injects its faults mid-stream, then checks that every valid
article's statements (as ``stancewire enrich`` computes them offline; ids are deterministic)
are on the output topic and every malformed record on the dead-letter topic, and prints the
counts.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from itertools import count
from pathlib import Path

import pytest
from chaos_articles import ChaosRecord, workload
from chaos_harness import (
    PORT_OFFSET,
    ChaosReport,
    ChaosTopics,
    Collector,
    OfflineExpectation,
    Publisher,
    WorkerProcess,
    account,
    committed_lag,
    create_topics,
    group_members,
    metric_total,
    wait_for,
    worker_env,
)

from stancewire_dev.broker import LocalBroker, port_is_open

MAX_BODY_BYTES = 64 * 1024  # small, so oversize articles stay cheap to publish
SESSION_TIMEOUT_SECONDS = 6.0  # a killed worker's partitions move after this
STAGE_TIMEOUT = 180.0  # longest wait for any one stage; bounds a scenario to minutes
_ports = count(19170 + PORT_OFFSET)

Fault = Callable[[], None]


class Scenario:
    """Topics, workload, workers, publisher and collector of one chaos run."""

    def __init__(
        self,
        name: str,
        broker: LocalBroker,
        work_dir: Path,
        articles: int,
        *,
        guarantee: str = "at_least_once",
        partitions: int = 4,
    ) -> None:
        self.name = name
        self.broker = broker
        self.bootstrap = broker.bootstrap
        self.work_dir = work_dir / name
        self.topics = ChaosTopics.unique(name)
        self.group = f"chaos-{self.topics.input.split('.')[1]}"
        self.guarantee = guarantee
        self.partitions = partitions
        self.records: list[ChaosRecord] = workload(
            articles, run_id=self.topics.input.split(".")[1], max_body_bytes=MAX_BODY_BYTES
        )
        create_topics(self.bootstrap, self.topics, partitions)
        isolation = "read_committed" if guarantee == "exactly_once" else "read_uncommitted"
        self.collector = Collector(self.bootstrap, self.topics, isolation)
        self.publisher = Publisher(
            self.bootstrap,
            self.topics.input,
            self.records,
            progress=self.collector.progress,
            max_ahead=max(100, articles // 5),
        )
        self.workers: list[WorkerProcess] = []
        self.started = time.monotonic()

    def worker(self, name: str) -> WorkerProcess:
        env = worker_env(
            bootstrap=self.bootstrap,
            topics=self.topics,
            group=self.group,
            metrics_port=next(_ports),
            data_dir=self.work_dir / name,
            guarantee=self.guarantee,
            partitions=self.partitions,
            max_body_bytes=MAX_BODY_BYTES,
            session_timeout_seconds=SESSION_TIMEOUT_SECONDS,
        )
        process = WorkerProcess(name, env, self.work_dir / f"{name}.log")
        self.workers.append(process)
        return process

    def progress_at_least(self, fraction: float) -> Callable[[], bool]:
        target = int(len(self.records) * fraction)
        return lambda: self.collector.progress() >= target

    def start(self, *workers: WorkerProcess) -> None:
        self.expectation = OfflineExpectation(self.records, self.work_dir)
        self.collector.start()
        for worker in workers:
            worker.start()
        self.publisher.start()

    def wait(self, condition: Callable[[], bool], what: str) -> None:
        """Wait for ``condition``; fail with the logs when a worker died or time ran out."""
        try:
            wait_for(
                lambda: condition() or self._check_health(), STAGE_TIMEOUT, f"{self.name}: {what}"
            )
        except TimeoutError as error:
            pytest.fail(f"{error}\n{self.logs()}")

    def _check_health(self) -> bool:
        if self.collector.error is not None:
            raise self.collector.error
        for worker in self.workers:
            if worker.died:
                pytest.fail(f"{worker.name} exited with {worker.exit_code}\n{self.logs()}")
        return False

    def finish(self) -> ChaosReport:
        """Wait until publication is done and everything arrived (or time ran out); account."""
        self.publisher.join(timeout=STAGE_TIMEOUT)
        expected = self.expectation.result(timeout=STAGE_TIMEOUT)

        def complete() -> bool:
            snapshot = self.collector.snapshot()
            report = account(
                self.name, self.records, self.publisher.positions, [], expected, snapshot
            )
            return report.lost == 0

        # On a timeout the report below says what is missing.
        with contextlib.suppress(TimeoutError):
            wait_for(complete, STAGE_TIMEOUT, "all statements and dead letters")
        time.sleep(2.0)  # let late duplicates arrive, so they are counted
        self.collector.stop_requested.set()
        self.collector.join(timeout=30)
        report = account(
            self.name,
            self.records,
            self.publisher.positions,
            self.publisher.errors,
            expected,
            self.collector.snapshot(),
        )
        report.seconds = time.monotonic() - self.started
        return report

    def logs(self) -> str:
        return "\n".join(f"--- {w.name} ({w.log_path}):\n{w.log_tail()}" for w in self.workers)

    def stop_workers(self) -> dict[str, int]:
        """SIGTERM every live worker; their exit codes (0 = clean shutdown). Also stops the
        publisher and the collector, should the scenario have ended early."""
        self.publisher.stop_requested.set()
        self.collector.stop_requested.set()
        return {w.name: w.terminate() for w in self.workers if w.alive}


def restart_broker(broker: LocalBroker) -> None:
    """Crash the broker (SIGKILL) and start it again on the same data."""
    broker.kill()
    # The JVM's sockets close a moment after its main thread is gone.
    wait_for(
        lambda: (
            not port_is_open(broker.host, broker.port)
            and not port_is_open(broker.host, broker.controller_port)
        ),
        30,
        "the killed broker's ports to close",
    )
    broker.start(timeout=120)


def test_worker_crash_and_broker_restart_lose_nothing(
    chaos_broker: LocalBroker, chaos_dir: Path, chaos_articles: int
) -> None:
    scenario = Scenario("at-least-once", chaos_broker, chaos_dir, chaos_articles)
    first = scenario.worker("worker-a")
    scenario.start(first)
    try:
        scenario.wait(scenario.progress_at_least(0.25), "a quarter processed")
        first.kill()
        replacement = scenario.worker("worker-a-restarted").start()
        scenario.wait(scenario.progress_at_least(0.5), "half processed after the worker crash")
        restart_broker(chaos_broker)
        scenario.wait(scenario.progress_at_least(0.6), "progress after the broker restart")
        report = scenario.finish()
        metrics = replacement.metrics_text()
        retries = metric_total(metrics, "stancewire_kafka_retries_total")
        report.notes.append(f"Kafka retries the worker reported during the restart: {retries:.0f}")
        memory = metric_total(metrics, "process_resident_memory_bytes")
        report.notes.append(f"worker main process resident memory: {memory / 2**20:.0f} MiB")
        lag = committed_lag(chaos_broker.bootstrap, scenario.group, scenario.topics.input)
    finally:
        exit_codes = scenario.stop_workers()
    print("\n" + report.summary())
    assert report.lost == 0, report.summary() + "\n" + scenario.logs()
    assert report.unexpected_statements == 0
    assert sum(lag.values()) == 0, f"input not fully committed: {lag}"
    assert retries > 0, "the broker restart did not show in stancewire_kafka_retries_total"
    # Bounded buffers (stream_buffer_maxsize, fetch size): the backlog does not pile up in memory.
    assert 0 < memory < 1024 * 2**20, f"worker resident memory {memory / 2**20:.0f} MiB"
    assert exit_codes == {"worker-a-restarted": 0}, scenario.logs()


def test_exactly_once_mode_shows_no_duplicates_to_read_committed_consumers(
    chaos_broker: LocalBroker, chaos_dir: Path, chaos_articles: int
) -> None:
    scenario = Scenario(
        "exactly-once", chaos_broker, chaos_dir, chaos_articles, guarantee="exactly_once"
    )
    first = scenario.worker("worker-eos")
    scenario.start(first)
    try:
        scenario.wait(scenario.progress_at_least(0.25), "a quarter processed")
        first.kill()
        scenario.worker("worker-eos-restarted").start()
        scenario.wait(scenario.progress_at_least(0.5), "half processed after the worker crash")
        restart_broker(chaos_broker)
        scenario.wait(scenario.progress_at_least(0.6), "progress after the broker restart")
        report = scenario.finish()
    finally:
        exit_codes = scenario.stop_workers()
    print("\n" + report.summary())
    assert report.lost == 0, report.summary() + "\n" + scenario.logs()
    assert report.duplicate_statements == 0, report.summary()
    assert report.duplicate_dead_letters == 0, report.summary()
    assert exit_codes == {"worker-eos-restarted": 0}, scenario.logs()


def test_surviving_worker_takes_over_a_killed_workers_partitions(
    chaos_broker: LocalBroker, chaos_dir: Path, chaos_articles: int
) -> None:
    scenario = Scenario("two-workers", chaos_broker, chaos_dir, chaos_articles, partitions=6)
    survivor, victim = scenario.worker("worker-1"), scenario.worker("worker-2")
    scenario.start(survivor, victim)
    try:
        scenario.wait(
            lambda: group_members(chaos_broker.bootstrap, scenario.group) == 2,
            "both workers in the group",
        )
        scenario.wait(scenario.progress_at_least(0.3), "30% processed by two workers")
        victim.kill()
        scenario.wait(
            lambda: group_members(chaos_broker.bootstrap, scenario.group) == 1,
            "the killed worker leaving the group",
        )
        report = scenario.finish()
        lag = committed_lag(chaos_broker.bootstrap, scenario.group, scenario.topics.input)
    finally:
        exit_codes = scenario.stop_workers()
    report.notes.append(f"committed lag per partition at the end: {lag}")
    print("\n" + report.summary())
    assert report.lost == 0, report.summary() + "\n" + scenario.logs()
    # Every partition, the killed worker's included, was consumed to its end by the survivor.
    assert len(lag) == 6
    assert sum(lag.values()) == 0, f"partitions not taken over: {lag}"
    assert exit_codes == {"worker-1": 0}, scenario.logs()
