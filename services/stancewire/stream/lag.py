"""Consumer lag of the worker's partitions, measured by the worker itself (no separate exporter).

Each replica reports only the partitions of the input topic assigned to it (a
:class:`~stancewire.stream.assignment.PartitionAssignment` kept up to date by the Faust
consumer's rebalance hooks), and drops the series of a partition as soon as it is revoked, so
summing ``stancewire_consumer_lag_messages`` over the replicas gives the group's lag: no
partition is counted twice, none is missing once the group is stable. A worker that owns no
partition (more replicas than partitions, or between a revoke and the next assignment) exports
no lag series at all.

Every ``settings.lag_interval_seconds`` a daemon thread asks Kafka, with kafka-python, for

- the group's committed offset of each of those partitions (an offset fetch, which does
  not join the group or disturb its members),
- each partition's log-start and log-end offsets,
- for a partition with lag, the timestamp of the oldest unprocessed record (the one at the
  committed offset), read by a group-less consumer,

and sets the gauges ``stancewire_consumer_committed_offset``, ``_log_end_offset``,
``_lag_messages`` and ``_lag_seconds`` (labels ``topic``, ``partition``) of
:class:`stancewire.metrics.Metrics`. The thread keeps these blocking calls off Faust's event
loop; a broker outage is logged once and measured again on the next round.

A partition the group has never committed is measured from its log-start offset: the worker
starts there (``consumer_auto_offset_reset="earliest"``), so every retained record counts as
lag. Lag in seconds is 0 when the partition is caught up and absent when the head record
cannot be read (for example deleted by retention in the meantime).

The worker starts it with one call and stops it on shutdown::

    assignment = PartitionAssignment()   # updated by the rebalance hooks in stream/app.py
    collector = start_lag_collector(settings, metrics, assignment)
    ...
    collector.stop()
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from stancewire import kafka_config
from stancewire.metrics import Metrics
from stancewire.settings import Settings
from stancewire.stream.assignment import PartitionAssignment, TopicPartition

log = logging.getLogger(__name__)

# Upper bound on one Kafka request of a measuring round, so stop() is never held up for long.
REQUEST_TIMEOUT_MS = 5_000
# How long to wait for the head record of one lagging partition.
HEAD_RECORD_TIMEOUT_MS = 1_000


class OffsetSource(Protocol):
    """What the collector needs from Kafka; tests hand in a plain fake."""

    def partitions(self, topic: str) -> list[int]:
        """The partition numbers of ``topic`` (empty when the topic does not exist)."""

    def committed(self, partitions: Sequence[TopicPartition]) -> dict[TopicPartition, int | None]:
        """The group's committed offset per partition, ``None`` where it never committed."""

    def log_start(self, partitions: Sequence[TopicPartition]) -> dict[TopicPartition, int]:
        """The earliest offset still in each partition's log."""

    def log_end(self, partitions: Sequence[TopicPartition]) -> dict[TopicPartition, int]:
        """The offset the next record of each partition will get (the high watermark)."""

    def timestamp_ms(self, partition: TopicPartition, offset: int) -> int | None:
        """The timestamp of the first record at or after ``offset``, ``None`` if unreadable."""

    def close(self) -> None:
        """Release the connections."""


@dataclass(frozen=True)
class PartitionLag:
    """One measurement of one partition."""

    topic: str
    partition: int
    committed: int | None
    log_end: int
    lag_messages: int
    lag_seconds: float | None


def measure_partition(
    partition: TopicPartition,
    *,
    committed: int | None,
    log_start: int,
    log_end: int,
    head_timestamp_ms: int | None,
    now: float,
) -> PartitionLag:
    """Lag of one partition from its offsets (pure).

    The group resumes at ``committed``, or at ``log_start`` when it never committed or when
    retention deleted records it had not processed yet; lag counts the records from there to
    ``log_end``. Lag in seconds is the age of the record at that position, 0 when caught up.
    """
    position = _resume_position(committed, log_start)
    lag_messages = max(0, log_end - position)
    lag_seconds: float | None
    if lag_messages == 0:
        lag_seconds = 0.0
    elif head_timestamp_ms is None or head_timestamp_ms < 0:
        lag_seconds = None
    else:
        lag_seconds = max(0.0, now - head_timestamp_ms / 1000)
    return PartitionLag(
        topic=partition.topic,
        partition=partition.partition,
        committed=committed,
        log_end=log_end,
        lag_messages=lag_messages,
        lag_seconds=lag_seconds,
    )


class ConsumerLagCollector:
    """Measures the group's lag on ``topics`` and exports it through ``metrics``.

    With an ``assignment`` only its partitions of ``topics`` are measured and exported, and
    the series of a revoked partition are removed at once (from the thread that revokes it);
    without one, every partition of ``topics`` is (the whole group's view, for tools).

    :meth:`collect_once` does one round in the caller's thread (tests use it directly);
    :meth:`start` runs rounds every ``interval_seconds`` in a daemon thread until :meth:`stop`.
    The offset source is created by ``source_factory`` inside that thread, on first use, and
    created again after a failed round.
    """

    def __init__(
        self,
        source_factory: Callable[[], OffsetSource],
        metrics: Metrics,
        topics: Iterable[str],
        *,
        interval_seconds: float = 5.0,
        clock: Callable[[], float] = time.time,
        assignment: PartitionAssignment | None = None,
    ) -> None:
        self._source_factory = source_factory
        self._source: OffsetSource | None = None
        self._metrics = metrics
        self._topics = tuple(topics)
        self._interval = interval_seconds
        self._clock = clock
        self._exported: set[TopicPartition] = set()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._failing = False
        self._assignment = assignment
        if assignment is not None:
            assignment.on_revoke(self._forget)

    # ------------------------------------------------------------------------ one round
    def collect_once(self) -> list[PartitionLag]:
        """Measure the partitions to report now and update the gauges."""
        if self._source is None:
            self._source = self._source_factory()
        partitions = self._partitions_to_measure(self._source)
        measured = self._measure(self._source, partitions) if partitions else []
        return self._export(measured)

    def _partitions_to_measure(self, source: OffsetSource) -> list[TopicPartition]:
        if self._assignment is not None:
            topics = set(self._topics)
            return sorted(p for p in self._assignment.current() if p.topic in topics)
        return [
            TopicPartition(topic, number)
            for topic in self._topics
            for number in sorted(source.partitions(topic))
        ]

    def _measure(
        self, source: OffsetSource, partitions: Sequence[TopicPartition]
    ) -> list[PartitionLag]:
        committed = source.committed(partitions)
        log_start = source.log_start(partitions)
        log_end = source.log_end(partitions)
        now = self._clock()
        measured = []
        for partition in partitions:
            start, end = log_start[partition], log_end[partition]
            position = _resume_position(committed.get(partition), start)
            head_ms = source.timestamp_ms(partition, position) if position < end else None
            measured.append(
                measure_partition(
                    partition,
                    committed=committed.get(partition),
                    log_start=start,
                    log_end=end,
                    head_timestamp_ms=head_ms,
                    now=now,
                )
            )
        return measured

    def _export(self, measured: Sequence[PartitionLag]) -> list[PartitionLag]:
        """Set the gauges of ``measured`` and drop every other series; returns what was set.

        A partition revoked while it was being measured is not exported: the assignment stays
        locked from the check to the last gauge, and a revoke drops the series under that same
        lock (:meth:`_forget` is its listener), so the two never interleave.
        """
        with contextlib.ExitStack() as stack:
            if self._assignment is not None:
                owned = stack.enter_context(self._assignment.locked())
                measured = [m for m in measured if TopicPartition(m.topic, m.partition) in owned]
            self._set_gauges(measured)
        return list(measured)

    def _set_gauges(self, measured: Sequence[PartitionLag]) -> None:
        seen = set()
        for lag in measured:
            key = TopicPartition(lag.topic, lag.partition)
            seen.add(key)
            labels = {"topic": lag.topic, "partition": str(lag.partition)}
            if lag.committed is not None:
                self._metrics.consumer_committed_offset.labels(**labels).set(lag.committed)
            else:
                _remove(self._metrics.consumer_committed_offset, key)
            self._metrics.consumer_log_end_offset.labels(**labels).set(lag.log_end)
            self._metrics.consumer_lag_messages.labels(**labels).set(lag.lag_messages)
            if lag.lag_seconds is not None:
                self._metrics.consumer_lag_seconds.labels(**labels).set(lag.lag_seconds)
            else:
                _remove(self._metrics.consumer_lag_seconds, key)
        self._forget(self._exported - seen)
        self._exported = seen

    def _forget(self, partitions: Iterable[TopicPartition]) -> None:
        """Drop the series of partitions no longer reported (revoked from this worker, or gone
        with a deleted or recreated topic)."""
        for key in partitions:
            for gauge in (
                self._metrics.consumer_committed_offset,
                self._metrics.consumer_log_end_offset,
                self._metrics.consumer_lag_messages,
                self._metrics.consumer_lag_seconds,
            ):
                _remove(gauge, key)
            self._exported.discard(key)

    # ------------------------------------------------------------------------ background
    def start(self) -> ConsumerLagCollector:
        """Start measuring in a daemon thread; returns ``self``."""
        if self._thread is not None:
            raise RuntimeError("lag collector already started")
        self._thread = threading.Thread(
            target=self._run, name="stancewire-consumer-lag", daemon=True
        )
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread and close the Kafka clients."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._close_source()

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self.collect_once()
            except Exception as exc:  # a broker outage must not end the measuring
                self._close_source()
                if not self._failing:
                    log.warning("consumer lag not measured (will retry): %r", exc)
                self._failing = True
            else:
                if self._failing:
                    log.info("consumer lag measured again")
                self._failing = False
            self._stopping.wait(self._interval)
        self._close_source()

    def _close_source(self) -> None:
        source, self._source = self._source, None
        if source is not None:
            try:
                source.close()
            except Exception:  # closing is best effort
                log.debug("closing the lag offset source failed", exc_info=True)


def _resume_position(committed: int | None, log_start: int) -> int:
    return log_start if committed is None else max(committed, log_start)


def _remove(gauge: Any, partition: TopicPartition) -> None:
    # prometheus_client raises KeyError for a label set it does not hold.
    with contextlib.suppress(KeyError):
        gauge.remove(partition.topic, str(partition.partition))


class KafkaOffsetSource:
    """:class:`OffsetSource` on kafka-python: two consumers that never join the group.

    ``group_reader`` carries the group id only to fetch its committed offsets; ``log_reader``
    has no group and reads partition metadata, offsets and head records.
    """

    def __init__(self, settings: Settings) -> None:
        from kafka import KafkaConsumer

        common: dict[str, Any] = {
            **kafka_config.kafka_python_kwargs(settings),
            "client_id": "stancewire-lag",
            "enable_auto_commit": False,
            "request_timeout_ms": REQUEST_TIMEOUT_MS + 1_000,
        }
        self._group_reader = KafkaConsumer(group_id=settings.consumer_group, **common)
        self._log_reader = KafkaConsumer(
            group_id=None,
            max_partition_fetch_bytes=kafka_config.max_record_bytes(settings),
            **common,
        )

    @staticmethod
    def _kafka(partitions: Sequence[TopicPartition]) -> list[Any]:
        from kafka import TopicPartition as KafkaTopicPartition

        return [KafkaTopicPartition(p.topic, p.partition) for p in partitions]

    @staticmethod
    def _ours(offsets: Mapping[Any, int]) -> dict[TopicPartition, int]:
        return {TopicPartition(tp.topic, tp.partition): int(value) for tp, value in offsets.items()}

    def partitions(self, topic: str) -> list[int]:
        found = self._log_reader.partitions_for_topic(topic)
        return sorted(found) if found else []

    def committed(self, partitions: Sequence[TopicPartition]) -> dict[TopicPartition, int | None]:
        result: dict[TopicPartition, int | None] = {}
        for ours, theirs in zip(partitions, self._kafka(partitions), strict=True):
            offset = self._group_reader.committed(theirs, timeout_ms=REQUEST_TIMEOUT_MS)
            result[ours] = None if offset is None or offset < 0 else int(offset)
        return result

    def log_start(self, partitions: Sequence[TopicPartition]) -> dict[TopicPartition, int]:
        offsets = self._log_reader.beginning_offsets(
            self._kafka(partitions), timeout_ms=REQUEST_TIMEOUT_MS
        )
        return self._ours(offsets)

    def log_end(self, partitions: Sequence[TopicPartition]) -> dict[TopicPartition, int]:
        offsets = self._log_reader.end_offsets(
            self._kafka(partitions), timeout_ms=REQUEST_TIMEOUT_MS
        )
        return self._ours(offsets)

    def timestamp_ms(self, partition: TopicPartition, offset: int) -> int | None:
        (theirs,) = self._kafka([partition])
        self._log_reader.assign([theirs])
        self._log_reader.seek(theirs, offset)
        deadline = time.monotonic() + HEAD_RECORD_TIMEOUT_MS / 1000
        while time.monotonic() < deadline:
            batches = self._log_reader.poll(timeout_ms=200, max_records=1)
            for records in batches.values():
                for record in records:
                    return int(record.timestamp)
        return None

    def close(self) -> None:
        for consumer in (self._group_reader, self._log_reader):
            consumer.close(autocommit=False)


def start_lag_collector(
    settings: Settings, metrics: Metrics, assignment: PartitionAssignment
) -> ConsumerLagCollector:
    """Start measuring the lag of this worker's partitions of the input topic (those in
    ``assignment``); call ``stop()`` at shutdown."""
    collector = ConsumerLagCollector(
        lambda: KafkaOffsetSource(settings),
        metrics,
        [settings.input_topic],
        interval_seconds=settings.lag_interval_seconds,
        assignment=assignment,
    )
    return collector.start()


__all__ = [
    "ConsumerLagCollector",
    "KafkaOffsetSource",
    "OffsetSource",
    "PartitionAssignment",
    "PartitionLag",
    "TopicPartition",
    "measure_partition",
    "start_lag_collector",
]
