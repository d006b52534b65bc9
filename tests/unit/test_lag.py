"""Consumer-lag measurement: the pure lag arithmetic and the collector on a fake offset source."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import pytest
from prometheus_client import CollectorRegistry

from stancewire.metrics import Metrics
from stancewire.stream.assignment import PartitionAssignment
from stancewire.stream.lag import (
    ConsumerLagCollector,
    TopicPartition,
    measure_partition,
)

TOPIC = "news.articles"
P0 = TopicPartition(TOPIC, 0)
P1 = TopicPartition(TOPIC, 1)
NOW = 1_800_000_000.0


class FakeOffsets:
    """An in-memory Kafka: per-partition log start/end, committed offsets and record timestamps."""

    def __init__(self) -> None:
        self.topics: dict[str, list[int]] = {TOPIC: [0, 1]}
        self.start: dict[TopicPartition, int] = {P0: 0, P1: 0}
        self.end: dict[TopicPartition, int] = {P0: 10, P1: 4}
        self.commits: dict[TopicPartition, int | None] = {P0: 7, P1: 4}
        # timestamp (ms) of the record at each offset
        self.timestamps: dict[tuple[TopicPartition, int], int] = {}
        self.timestamp_requests: list[tuple[TopicPartition, int]] = []
        self.closed = False

    def partitions(self, topic: str) -> list[int]:
        return self.topics.get(topic, [])

    def committed(self, partitions: Sequence[TopicPartition]) -> dict[TopicPartition, int | None]:
        return {p: self.commits.get(p) for p in partitions}

    def log_start(self, partitions: Sequence[TopicPartition]) -> dict[TopicPartition, int]:
        return {p: self.start[p] for p in partitions}

    def log_end(self, partitions: Sequence[TopicPartition]) -> dict[TopicPartition, int]:
        return {p: self.end[p] for p in partitions}

    def timestamp_ms(self, partition: TopicPartition, offset: int) -> int | None:
        self.timestamp_requests.append((partition, offset))
        return self.timestamps.get((partition, offset))

    def close(self) -> None:
        self.closed = True


def _metrics() -> Metrics:
    return Metrics(CollectorRegistry(), process_collectors=False)


def _gauge(metrics: Metrics, name: str, partition: int) -> float | None:
    value = metrics.registry.get_sample_value(
        f"stancewire_consumer_{name}", {"topic": TOPIC, "partition": str(partition)}
    )
    return None if value is None else float(value)


# ------------------------------------------------------------------------- pure arithmetic
def test_lag_is_log_end_minus_committed_and_age_of_the_head_record() -> None:
    lag = measure_partition(
        P0, committed=7, log_start=0, log_end=10, head_timestamp_ms=int((NOW - 42) * 1000), now=NOW
    )
    assert lag.lag_messages == 3
    assert lag.lag_seconds == pytest.approx(42.0)


def test_caught_up_partition_has_zero_lag_in_messages_and_seconds() -> None:
    lag = measure_partition(
        P0, committed=10, log_start=0, log_end=10, head_timestamp_ms=None, now=NOW
    )
    assert (lag.lag_messages, lag.lag_seconds) == (0, 0.0)


def test_never_committed_partition_counts_every_retained_record() -> None:
    lag = measure_partition(
        P0, committed=None, log_start=3, log_end=10, head_timestamp_ms=None, now=NOW
    )
    assert lag.lag_messages == 7
    assert lag.committed is None
    assert lag.lag_seconds is None  # head record unknown: no guess


def test_records_deleted_by_retention_are_not_counted_as_lag() -> None:
    lag = measure_partition(
        P0, committed=2, log_start=5, log_end=10, head_timestamp_ms=None, now=NOW
    )
    assert lag.lag_messages == 5


def test_head_record_from_the_future_gives_zero_seconds_not_negative() -> None:
    lag = measure_partition(
        P0, committed=0, log_start=0, log_end=1, head_timestamp_ms=int((NOW + 5) * 1000), now=NOW
    )
    assert lag.lag_seconds == 0.0


# ------------------------------------------------------------------------- collector
def test_collect_once_sets_the_gauges_per_partition() -> None:
    offsets = FakeOffsets()
    offsets.timestamps[(P0, 7)] = int((NOW - 30) * 1000)
    metrics = _metrics()
    collector = ConsumerLagCollector(lambda: offsets, metrics, [TOPIC], clock=lambda: NOW)

    collector.collect_once()

    assert _gauge(metrics, "committed_offset", 0) == 7
    assert _gauge(metrics, "log_end_offset", 0) == 10
    assert _gauge(metrics, "lag_messages", 0) == 3
    assert _gauge(metrics, "lag_seconds", 0) == pytest.approx(30.0)
    assert _gauge(metrics, "lag_messages", 1) == 0
    assert _gauge(metrics, "lag_seconds", 1) == 0
    # Only the lagging partition's head record is read, at the committed offset.
    assert offsets.timestamp_requests == [(P0, 7)]


def test_never_committed_partition_has_lag_but_no_committed_offset_series() -> None:
    offsets = FakeOffsets()
    offsets.commits[P1] = None
    offsets.timestamps[(P1, 0)] = int((NOW - 5) * 1000)
    metrics = _metrics()
    ConsumerLagCollector(lambda: offsets, metrics, [TOPIC], clock=lambda: NOW).collect_once()

    assert _gauge(metrics, "committed_offset", 1) is None
    assert _gauge(metrics, "lag_messages", 1) == 4
    assert _gauge(metrics, "lag_seconds", 1) == pytest.approx(5.0)


def test_unknown_head_timestamp_removes_the_seconds_series_instead_of_guessing() -> None:
    offsets = FakeOffsets()
    offsets.timestamps[(P0, 7)] = int((NOW - 30) * 1000)
    metrics = _metrics()
    collector = ConsumerLagCollector(lambda: offsets, metrics, [TOPIC], clock=lambda: NOW)
    collector.collect_once()
    assert _gauge(metrics, "lag_seconds", 0) is not None

    offsets.timestamps.clear()  # e.g. retention deleted the record meanwhile
    collector.collect_once()
    assert _gauge(metrics, "lag_seconds", 0) is None
    assert _gauge(metrics, "lag_messages", 0) == 3


def test_series_of_vanished_partitions_are_dropped() -> None:
    offsets = FakeOffsets()
    metrics = _metrics()
    collector = ConsumerLagCollector(lambda: offsets, metrics, [TOPIC], clock=lambda: NOW)
    collector.collect_once()
    assert _gauge(metrics, "log_end_offset", 1) == 4

    offsets.topics[TOPIC] = [0]
    collector.collect_once()
    assert _gauge(metrics, "log_end_offset", 1) is None
    assert _gauge(metrics, "lag_messages", 1) is None
    assert _gauge(metrics, "log_end_offset", 0) == 10

    offsets.topics.clear()  # topic deleted
    collector.collect_once()
    assert _gauge(metrics, "log_end_offset", 0) is None


def test_background_thread_measures_recovers_from_failures_and_closes_on_stop() -> None:
    offsets = FakeOffsets()
    metrics = _metrics()
    created: list[FakeOffsets] = []
    measured = threading.Event()

    class Flaky(FakeOffsets):
        def partitions(self, topic: str) -> list[int]:
            if len(created) == 1:
                raise ConnectionError("broker unavailable")
            measured.set()
            return super().partitions(topic)

    def factory() -> FakeOffsets:
        source = Flaky()
        source.commits = offsets.commits
        created.append(source)
        return source

    collector = ConsumerLagCollector(factory, metrics, [TOPIC], interval_seconds=0.01)
    collector.start()
    try:
        assert measured.wait(5), "the collector never measured after the first failure"
        deadline = time.monotonic() + 5
        while _gauge(metrics, "lag_messages", 0) is None and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        collector.stop()

    assert _gauge(metrics, "lag_messages", 0) == 3
    assert len(created) >= 2  # the failed source was replaced
    assert all(source.closed for source in created)
    with pytest.raises(RuntimeError):
        collector.start().start()
    collector.stop()


# ------------------------------------------------------------------------- assignment
def _collector(
    offsets: FakeOffsets, metrics: Metrics, assignment: PartitionAssignment
) -> ConsumerLagCollector:
    return ConsumerLagCollector(
        lambda: offsets, metrics, [TOPIC], clock=lambda: NOW, assignment=assignment
    )


def _exported_partitions(metrics: Metrics) -> dict[str, set[int]]:
    """Partition numbers that have a series, per gauge."""
    found: dict[str, set[int]] = {}
    for family in metrics.registry.collect():
        if family.name.startswith("stancewire_consumer_") and family.type == "gauge":
            found[family.name] = {int(s.labels["partition"]) for s in family.samples}
    return found


def test_only_assigned_partitions_are_measured_and_exported() -> None:
    offsets = FakeOffsets()
    offsets.timestamps[(P0, 7)] = int((NOW - 30) * 1000)
    metrics = _metrics()
    assignment = PartitionAssignment()
    assignment.assign([(TOPIC, 0), ("some.other.topic", 1)])

    measured = _collector(offsets, metrics, assignment).collect_once()

    assert [(m.topic, m.partition) for m in measured] == [(TOPIC, 0)]
    assert _exported_partitions(metrics) == {
        "stancewire_consumer_committed_offset": {0},
        "stancewire_consumer_log_end_offset": {0},
        "stancewire_consumer_lag_messages": {0},
        "stancewire_consumer_lag_seconds": {0},
    }


def test_worker_without_assignment_exports_no_lag() -> None:
    offsets = FakeOffsets()
    metrics = _metrics()
    collector = _collector(offsets, metrics, PartitionAssignment())

    assert collector.collect_once() == []
    assert _gauge(metrics, "lag_messages", 0) is None
    assert _gauge(metrics, "lag_messages", 1) is None


def test_revoke_drops_every_series_of_the_lost_partition_at_once() -> None:
    offsets = FakeOffsets()
    offsets.timestamps[(P0, 7)] = int((NOW - 30) * 1000)
    metrics = _metrics()
    assignment = PartitionAssignment()
    assignment.assign([P0, P1])
    collector = _collector(offsets, metrics, assignment)
    collector.collect_once()
    assert _gauge(metrics, "lag_seconds", 0) == pytest.approx(30.0)

    assignment.revoke([P0])  # no collection round in between

    for name in ("committed_offset", "log_end_offset", "lag_messages", "lag_seconds"):
        assert _gauge(metrics, name, 0) is None, name
    assert _gauge(metrics, "lag_messages", 1) == 0
    collector.collect_once()
    assert _gauge(metrics, "lag_messages", 0) is None


def test_a_new_assignment_replaces_the_old_one() -> None:
    offsets = FakeOffsets()
    metrics = _metrics()
    assignment = PartitionAssignment()
    assignment.assign([P0])
    collector = _collector(offsets, metrics, assignment)
    collector.collect_once()
    assert _gauge(metrics, "lag_messages", 0) == 3

    assignment.assign([P1])  # P0 moved to another replica without a revoke signal
    assert _gauge(metrics, "lag_messages", 0) is None
    collector.collect_once()
    assert _gauge(metrics, "lag_messages", 0) is None
    assert _gauge(metrics, "lag_messages", 1) == 0


def test_partition_revoked_while_being_measured_is_not_exported() -> None:
    metrics = _metrics()
    assignment = PartitionAssignment()
    assignment.assign([P0, P1])

    class RevokedMidRound(FakeOffsets):
        def log_end(self, partitions: Sequence[TopicPartition]) -> dict[TopicPartition, int]:
            assignment.revoke([P1])  # the rebalance lands while Kafka is being asked
            return super().log_end(partitions)

    measured = _collector(RevokedMidRound(), metrics, assignment).collect_once()

    assert [m.partition for m in measured] == [0]
    assert _gauge(metrics, "lag_messages", 0) == 3
    assert _gauge(metrics, "log_end_offset", 1) is None


def test_two_replicas_sum_to_the_group_lag_across_a_rebalance() -> None:
    """Two collectors on the same group, one per replica: the sum is the group's lag whichever
    replica holds which partition, and nothing is counted twice after a partition moves."""
    offsets = FakeOffsets()  # group lag: 3 on P0, 0 on P1
    offsets.end[P1] = 9  # now 5 on P1
    replicas = [(_metrics(), PartitionAssignment()) for _ in range(2)]
    collectors = [_collector(offsets, m, a) for m, a in replicas]

    def summed() -> float:
        return sum(
            _gauge(metrics, "lag_messages", p) or 0.0 for metrics, _ in replicas for p in (0, 1)
        )

    replicas[0][1].assign([P0, P1])  # one replica alone
    for collector in collectors:
        collector.collect_once()
    assert summed() == 8

    replicas[0][1].revoke([P0, P1])  # the second replica joins: eager rebalance
    replicas[0][1].assign([P0])
    replicas[1][1].assign([P1])
    for collector in collectors:
        collector.collect_once()
    assert summed() == 8
    assert _gauge(replicas[0][0], "lag_messages", 1) is None
    assert _gauge(replicas[1][0], "lag_messages", 1) == 5


def test_assignment_ignores_revoking_partitions_it_does_not_hold() -> None:
    assignment = PartitionAssignment()
    lost: list[frozenset[TopicPartition]] = []
    assignment.on_revoke(lost.append)
    assignment.assign([P0])
    assignment.revoke([P1])
    assert lost == []
    assert assignment.current() == {P0}
    assignment.revoke([P0, P1])
    assert lost == [frozenset({P0})]
    assert assignment.current() == frozenset()
