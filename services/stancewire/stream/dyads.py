"""The live dyad index: statements in, one DyadEvent per change of a window out.

Two thin agents around the pure aggregation in :mod:`stancewire.dyads`:

1. ``stancewire.route_dyads`` reads the statements topic (keyed by article) and re-keys every
   statement's dyad contributions by dyad (``SRC>TGT``) onto an internal topic,
   ``<consumer group>-dyads-repartition``, so that the partitions of the table line up with
   its stream: one dyad always lands on one partition, on one worker.
2. ``stancewire.index_dyads`` reads that topic into a windowed, changelog-backed Faust table
   (``dyad_windows``: tumbling windows on event time, expiring after the retention) and
   publishes the window's DyadEvent to the dyad topic (key ``SRC>TGT@<window start>``).

The agents run in a Faust app of their own (:mod:`stancewire.stream.dyad_app`, app id and
consumer group ``<consumer group>-dyads``), always at-least-once: exactness comes from the
statement ids each window holds, not from transactions.

Exact counts under failure: a window's table value holds its
statement ids (:func:`stancewire.dyads.add`), so a redelivered statement finds its id already
there and changes nothing; the id and the counts are one changelog record, with no gap between
a "seen" record and a "count" record. The agent waits for that changelog record's
acknowledgement before it publishes the DyadEvent and before the input's offset can be
committed, and it publishes the window's current value even when nothing changed: after a
crash, whatever was replayed republishes the value the table recovered, so the latest value per
key on the dyad topic always equals the table's.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from stancewire import dyads, kafka_config
from stancewire.events import StatementEvent
from stancewire.metrics import DyadMetrics
from stancewire.settings import Settings
from stancewire.stream.kafka_retries import retry_forever
from stancewire.stream.records import Headers, output_headers
from stancewire.stream.skips import (
    KafkaRangeReader,
    KafkaStartOffsets,
    RangeReader,
    SkipGuard,
    SkippedRecord,
    read_skipped,
)

log = logging.getLogger(__name__)

TABLE_NAME = "dyad_windows"
PRUNE_INTERVAL_SECONDS = 60.0
# The repartition topic only needs to hold what the index agent has not read yet.
REPARTITION_RETENTION_MS = 7 * 86_400 * 1000


def app_id(settings: Settings) -> str:
    """The dyad index's Faust app id and consumer group: ``<consumer group>-dyads``."""
    return f"{settings.consumer_group}-dyads"


def repartition_topic(settings: Settings) -> str:
    return f"{app_id(settings)}-repartition"


def changelog_topic(settings: Settings) -> str:
    """Faust's name for the table's changelog (``<app id>-<table>-changelog``)."""
    return f"{app_id(settings)}-{TABLE_NAME}-changelog"


def topic_configs(settings: Settings) -> dict[str, dict[str, str]]:
    """The dyad index's topics and their configs (created by ``stream.topics``, all with the
    partitions of the other topics: the repartition topic and the changelog must match)."""
    kept_ms = (settings.dyad_retention_days * 86_400 + settings.dyad_window_seconds) * 1000
    return {
        settings.dyad_topic: {"cleanup.policy": "compact"},
        repartition_topic(settings): {"retention.ms": str(REPARTITION_RETENTION_MS)},
        changelog_topic(settings): {
            "cleanup.policy": "compact,delete",
            "retention.ms": str(kept_ms),
        },
    }


class DyadIndex:
    """The two agents' bodies; holds the topics, the table and the /dyads snapshot."""

    def __init__(
        self,
        settings: Settings,
        metrics: DyadMetrics,
        snapshot: dyads.DyadSnapshot,
        by_dyad_topic: Any,
        dyad_topic: Any,
    ) -> None:
        self.settings = settings
        self.metrics = metrics
        self.snapshot = snapshot
        self.by_dyad_topic = by_dyad_topic
        self.dyad_topic = dyad_topic
        self.table: Any = None  # the windowed table (WindowWrapper), see attach_table
        self.changelog: Any = None  # the underlying table, see attach_table
        self._event_time = 0.0
        self._pruned_at = 0.0
        self.guard = SkipGuard()
        self.reader: RangeReader | None = None  # None: no read-back (unit tests of the bodies)

    def attach_table(self, table: Any, changelog: Any) -> None:
        self.table = table
        self.changelog = changelog

    def event_time(self, _event: Any = None) -> float:
        """The windowed table's clock: the event time of the contribution being indexed."""
        return self._event_time

    async def route(self, event: Any) -> None:
        """One statement record in; its dyad contributions out, keyed by dyad."""
        message = event.message
        for record in await self._skipped_before(message):
            await self._route_record(record.value, record.timestamp, _where(record))
        await self._route_record(event.value, float(message.timestamp), _where(message))

    async def _route_record(self, value: bytes | None, timestamp: float, where: str) -> None:
        try:
            statement = StatementEvent.model_validate_json(value or b"")
        except (ValidationError, ValueError, TypeError) as exc:
            log.warning("not a StatementEvent at %s, not indexed: %s", where, str(exc)[:200])
            return
        parts = dyads.contributions(statement, timestamp, self.settings.dyad_window_seconds)
        for part in parts:
            body = json.dumps(part.to_json()).encode("utf-8")
            await self._send(self.by_dyad_topic, part.dyad.encode("utf-8"), body, [])

    async def index(self, event: Any) -> None:
        """One contribution in; the table updated and the window's DyadEvent published."""
        for record in await self._skipped_before(event.message):
            if record.value is not None:
                await self._index_value(record.value)
        await self._index_value(event.value)

    async def _skipped_before(self, message: Any) -> list[SkippedRecord]:
        """The records of the message's partition the stream skipped before it, read back
        (:mod:`stancewire.stream.skips`); they are handled before the message, which is
        acknowledged only afterwards."""
        if self.reader is None:
            return []
        await self.guard.wait_assigned()
        gap = self.guard.skipped(message.topic, message.partition, message.offset)
        if gap is None:
            return []
        records = await read_skipped(
            self.reader, message.topic, message.partition, gap, self.metrics.record_kafka_retry
        )
        if records:
            log.warning(
                "%s[%d]: the stream skipped offsets %d..%d; %d records read back and indexed",
                message.topic,
                message.partition,
                gap[0],
                gap[1] - 1,
                len(records),
            )
            self.metrics.dyad_records_read_back.inc(len(records))
        return records

    async def _index_value(self, raw: bytes) -> None:
        part = dyads.Contribution.from_json(json.loads(raw))
        settings = self.settings
        now = time.time()
        window_seconds = settings.dyad_window_seconds
        if dyads.is_expired(part.window_start, window_seconds, settings.dyad_retention_days, now):
            log.info("statement %s too late for its expired window", part.statement_id)
            return
        self._event_time = part.event_time
        # value(): the window of the table's relative_to clock (current() is stream time).
        current = self.table[part.dyad].value() or None
        value, changed = dyads.add(current, part)
        if changed:
            self.table[part.dyad] = value
            await self._changelog_written()
        dyad = dyads.to_dyad_event(value, window_seconds, datetime.now(UTC))
        key = dyads.record_key(part.source, part.target, part.window_start).encode("utf-8")
        headers = output_headers("DyadEvent", None)
        await self._send(self.dyad_topic, key, dyad.model_dump_json().encode(), headers)
        self.metrics.dyad_updates_published.inc()
        self.snapshot.put(dyad)
        if now - self._pruned_at > PRUNE_INTERVAL_SECONDS:
            self._pruned_at = now
            self.snapshot.prune(window_seconds, settings.dyad_retention_days, now)
        self.metrics.dyad_table_keys.set(len(self.snapshot))

    def on_recovered(self) -> None:
        """Rebuild the /dyads snapshot from the table as recovered from its changelog."""
        now = datetime.now(UTC)
        settings = self.settings
        for (_, _window), value in list(self.changelog.data.items()):
            if value:
                self.snapshot.put(dyads.to_dyad_event(value, settings.dyad_window_seconds, now))
        held = self.snapshot.prune(
            settings.dyad_window_seconds, settings.dyad_retention_days, now.timestamp()
        )
        self.metrics.dyad_table_keys.set(held)
        log.info("dyad table recovered: %d windows", held)

    async def _changelog_written(self) -> None:
        """Wait until the broker has the changelog records of the table's last update."""
        pending = self.changelog.take_pending()
        try:
            await asyncio.gather(*pending)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # The table holds a value its changelog may not: only a restart (replaying from
            # the committed offsets onto the recovered table) makes them agree again.
            log.error("dyad changelog write failed: %r", exc)
            await self.dyad_topic.app.crash(exc)
            raise

    async def _send(self, topic: Any, key: bytes, value: bytes, headers: Headers) -> None:
        """Send one record and wait for its acknowledgement, retrying with backoff while the
        broker fails (a re-sent record is harmless: every update is idempotent)."""

        async def attempt() -> None:
            future = await topic.send(key=key, value=value, headers=headers)
            await future

        await retry_forever(attempt, operation="produce", on_retry=self.metrics.record_kafka_retry)


async def _start_offsets(
    starts: KafkaStartOffsets,
    group: str,
    partitions: list[tuple[str, int]],
    metrics: DyadMetrics,
) -> dict[tuple[str, int], int]:
    """Where the assigned stream partitions start (committed offset, else log start); retried
    while the broker fails: the agents wait for it (SkipGuard.wait_assigned)."""

    async def attempt() -> dict[tuple[str, int], int]:
        return await asyncio.to_thread(starts.starts, group, partitions)

    return await retry_forever(attempt, operation="consume", on_retry=metrics.record_kafka_retry)


def _where(record: Any) -> str:
    return f"{record.topic}[{record.partition}]@{record.offset}"


def _acked_table_class() -> Any:
    from faust.tables.table import Table

    class AckedTable(Table[Any, Any]):
        """A Faust table that keeps the futures of its changelog records, so that the agent
        can wait for them (Faust's own tables send them in the background)."""

        def send_changelog(self, *args: Any, **kwargs: Any) -> Any:
            future = super().send_changelog(*args, **kwargs)
            self.__dict__.setdefault("_stancewire_pending", []).append(future)
            return future

        def take_pending(self) -> Sequence[Any]:
            pending: list[Any] = self.__dict__.get("_stancewire_pending", [])
            self.__dict__["_stancewire_pending"] = []
            return pending

    return AckedTable


def register_dyad_agents(
    app: Any, settings: Settings, metrics: DyadMetrics, snapshot: dyads.DyadSnapshot
) -> DyadIndex:
    """Declare the dyad topics and table on ``app`` and register the two agents."""
    raw = {"key_serializer": "raw", "value_serializer": "raw"}
    statements = app.topic(settings.output_topic, allow_empty=True, **raw)
    by_dyad = app.topic(repartition_topic(settings), allow_empty=True, internal=True, **raw)
    published = app.topic(settings.dyad_topic, **raw)
    index = DyadIndex(settings, metrics, snapshot, by_dyad, published)

    changelog = app.tables.add(
        _acked_table_class()(
            app,
            name=TABLE_NAME,
            default=dict,
            beacon=app.tables.beacon,
            partitions=settings.topic_partitions,
            help="Dyad windows: (SRC>TGT, window) -> the window's statements by id.",
        )
    )
    table = changelog.tumbling(
        settings.dyad_window_seconds, expires=timedelta(days=settings.dyad_retention_days)
    ).relative_to(index.event_time)
    index.attach_table(table, changelog)

    @changelog.on_recover  # type: ignore[untyped-decorator]
    async def _recovered() -> None:
        index.on_recovered()

    client = kafka_config.kafka_python_kwargs(settings)
    index.reader = KafkaRangeReader(client)
    starts = KafkaStartOffsets(client)
    streams = {settings.output_topic, repartition_topic(settings)}

    @app.on_partitions_revoked.connect  # type: ignore[untyped-decorator]
    async def _revoked(sender: Any, revoked: Any, **_: Any) -> None:
        index.guard.begin_assignment()

    @app.on_partitions_assigned.connect  # type: ignore[untyped-decorator]
    async def _assigned(sender: Any, assigned: Any, **_: Any) -> None:
        index.guard.begin_assignment()
        mine = sorted((tp.topic, tp.partition) for tp in assigned if tp.topic in streams)
        index.guard.assign(await _start_offsets(starts, app_id(settings), mine, metrics))

    async def route_dyads(stream: Any) -> None:
        async for event in stream.events():
            await index.route(event)

    async def index_dyads(stream: Any) -> None:
        async for event in stream.events():
            await index.index(event)

    app.agent(statements, name="stancewire.route_dyads")(route_dyads)
    app.agent(by_dyad, name="stancewire.index_dyads")(index_dyads)
    return index


__all__ = [
    "TABLE_NAME",
    "DyadIndex",
    "app_id",
    "changelog_topic",
    "register_dyad_agents",
    "repartition_topic",
    "topic_configs",
]
