"""Records a Faust stream skipped, noticed and read back: the dyad index's guard against loss.

faust-streaming 0.15.3 can drop records of a partition at the start of an assignment in an app
with a table: a clean-clone CI run of the chaos dyad scenario showed the restarted index begin
two partitions of the statements topic 14 records past their committed offsets. The records
were on the topic and Faust acknowledged them, so the next commit moved past them, but no agent
saw them (Faust skips and acks a record delivered while its flow control is suspended or with
an older generation id, see ``faust.streams.Stream._py_aiter``; the family of faust-streaming
issues #216 and #221). Two of 130 windows went missing.

:class:`SkipGuard` makes that loss visible and repairs it, whatever its cause inside Faust:

- on every assignment it is given where each partition starts (the group's committed offset,
  else the log start, as ``auto_offset_reset=earliest`` does): :meth:`SkipGuard.assign`;
- each record an agent sees is checked against the offset the partition should be at:
  :meth:`SkipGuard.skipped` returns the range ``[start, end)`` the stream jumped over;
- the agent reads that range itself (:class:`RangeReader`, ``read_committed``) and handles
  those records before the one in hand, which Faust acknowledges only afterwards, so the
  commit cannot pass a skipped record before it was handled.

A gap that holds no record is normal on a transactional topic (each transaction's commit
marker takes an offset, an aborted record is invisible): the read returns nothing. Handling a
record twice costs nothing (every dyad update is idempotent by statement id), so the guard
errs towards reading back.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from stancewire.stream.kafka_retries import retry_forever

TopicPartitionKey = tuple[str, int]


@dataclass(frozen=True)
class SkippedRecord:
    """A record read back from a range the stream skipped."""

    topic: str
    partition: int
    offset: int
    timestamp: float  # seconds since the epoch (the record's timestamp)
    value: bytes | None


class RangeReader(Protocol):
    """Reads the records of one partition in ``[start, end)`` (committed records only)."""

    def read(self, topic: str, partition: int, start: int, end: int) -> list[SkippedRecord]: ...


class StartOffsets(Protocol):
    """Where each partition of a consumer group starts: its committed offset, else the log
    start."""

    def starts(
        self, group: str, partitions: Iterable[TopicPartitionKey]
    ) -> dict[TopicPartitionKey, int]: ...


class SkipGuard:
    """The offset each partition's stream should be at, and the ranges it jumped over.

    Pure bookkeeping: :meth:`assign` at each assignment (until then :meth:`wait_assigned`
    blocks, so that no record of a new assignment is checked against the old one), then
    :meth:`skipped` for every record in the order the agent gets them.
    """

    def __init__(self) -> None:
        self._next: dict[TopicPartitionKey, int] = {}
        self._assigned = asyncio.Event()

    def begin_assignment(self) -> None:
        """A rebalance started: forget the old positions until :meth:`assign`."""
        self._assigned.clear()
        self._next.clear()

    def assign(self, starts: Mapping[TopicPartitionKey, int]) -> None:
        self._next = dict(starts)
        self._assigned.set()

    async def wait_assigned(self) -> None:
        await self._assigned.wait()

    def skipped(self, topic: str, partition: int, offset: int) -> tuple[int, int] | None:
        """The range ``[start, offset)`` skipped before this record, if any; the partition's
        next offset becomes ``offset + 1``. A record before the expected offset (a seek back,
        a redelivery) is no gap."""
        key = (topic, partition)
        expected = self._next.get(key)
        self._next[key] = offset + 1
        if expected is None or offset <= expected:
            return None
        return (expected, offset)


class KafkaRangeReader:
    """:class:`RangeReader` over kafka-python: one consumer without a group, kept open,
    ``isolation_level=read_committed``; blocking, so call it from a thread."""

    def __init__(self, client_kwargs: Mapping[str, Any], *, timeout_seconds: float = 30.0) -> None:
        self._kwargs = dict(client_kwargs)
        self._timeout = timeout_seconds
        self._consumer: Any = None
        self._lock = threading.Lock()  # both agents read back, from threads of their own

    def _client(self) -> Any:
        if self._consumer is None:
            from kafka import KafkaConsumer

            self._consumer = KafkaConsumer(
                **self._kwargs,
                enable_auto_commit=False,
                isolation_level="read_committed",
            )
        return self._consumer

    def read(self, topic: str, partition: int, start: int, end: int) -> list[SkippedRecord]:
        with self._lock:
            return self._read(topic, partition, start, end)

    def _read(self, topic: str, partition: int, start: int, end: int) -> list[SkippedRecord]:
        import time

        from kafka import TopicPartition

        consumer = self._client()
        tp = TopicPartition(topic, partition)
        consumer.assign([tp])
        consumer.seek(tp, start)
        found: list[SkippedRecord] = []
        deadline = time.monotonic() + self._timeout
        # The position passes the end once every offset before it was read or is a marker.
        while consumer.position(tp) < end:
            if time.monotonic() > deadline:
                raise TimeoutError(f"reading {topic}[{partition}] {start}..{end} timed out")
            for records in consumer.poll(timeout_ms=500, max_records=500).values():
                found.extend(
                    SkippedRecord(topic, partition, r.offset, r.timestamp / 1000.0, r.value)
                    for r in records
                    if start <= r.offset < end
                )
        return found

    def close(self) -> None:
        if self._consumer is not None:
            self._consumer.close()
            self._consumer = None


class KafkaStartOffsets:
    """:class:`StartOffsets` over a kafka-python consumer (blocking)."""

    def __init__(self, client_kwargs: Mapping[str, Any]) -> None:
        self._kwargs = dict(client_kwargs)

    def starts(
        self, group: str, partitions: Iterable[TopicPartitionKey]
    ) -> dict[TopicPartitionKey, int]:
        from kafka import KafkaConsumer, TopicPartition

        tps = [TopicPartition(topic, partition) for topic, partition in partitions]
        # A consumer of the group that never subscribes: it asks the group's coordinator for
        # the committed offsets without joining the group.
        consumer = KafkaConsumer(**self._kwargs, group_id=group, enable_auto_commit=False)
        try:
            committed = {tp: consumer.committed(tp) for tp in tps}
            beginnings = consumer.beginning_offsets(tps) if tps else {}
        finally:
            consumer.close(autocommit=False)
        starts: dict[TopicPartitionKey, int] = {}
        for tp in tps:
            found = committed.get(tp)
            beginning = int(beginnings.get(tp, 0))
            offset = found if found is not None and found >= 0 else beginning
            # A committed offset the retention deleted: the consumer starts at the log start.
            starts[(tp.topic, tp.partition)] = max(offset, beginning)
        return starts


async def read_skipped(
    reader: RangeReader,
    topic: str,
    partition: int,
    gap: tuple[int, int],
    on_retry: Callable[[str], None],
) -> list[SkippedRecord]:
    """Read a skipped range in a thread, retrying while the broker fails (each retry reported
    as ``on_retry("consume")``)."""

    async def attempt() -> list[SkippedRecord]:
        return await asyncio.to_thread(reader.read, topic, partition, gap[0], gap[1])

    return await retry_forever(attempt, operation="consume", on_retry=on_retry)


__all__ = [
    "KafkaRangeReader",
    "KafkaStartOffsets",
    "RangeReader",
    "SkipGuard",
    "SkippedRecord",
    "StartOffsets",
    "read_skipped",
]
