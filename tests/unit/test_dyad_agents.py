"""The dyad agents' bodies in memory: topics and the windowed table replaced by plain fakes."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import CollectorRegistry
from test_dyads import statement, target

from stancewire import dyads
from stancewire.events import DyadEvent
from stancewire.metrics import DyadMetrics
from stancewire.settings import Settings
from stancewire.stream.dyads import DyadIndex

DAY = 86_400


@dataclass
class Log:
    """What happened, in order: changelog writes acknowledged, records sent."""

    steps: list[str] = field(default_factory=list)


@dataclass
class FakeTopic:
    name: str
    log: Log
    sent: list[dict[str, Any]] = field(default_factory=list)

    async def send(self, **record: Any) -> asyncio.Future[None]:
        self.sent.append(record)
        self.log.steps.append(f"send {self.name}")
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


class FakeWindowed:
    """``table[key].value()`` and ``table[key] = value`` in the window of the index's clock."""

    def __init__(self, index: DyadIndex, changelog: FakeChangelog) -> None:
        self.index, self.changelog = index, changelog

    def _window(self) -> float:
        return dyads.window_start(self.index.event_time(), DAY)

    def __getitem__(self, key: str) -> Any:
        outer = self

        class WindowSet:
            def value(self) -> Any:
                return outer.changelog.data.get((key, outer._window()), {})

        return WindowSet()

    def __setitem__(self, key: str, value: Any) -> None:
        self.changelog.data[(key, self._window())] = value
        self.changelog.pending += 1


class FakeChangelog:
    def __init__(self, log: Log) -> None:
        self.log = log
        self.data: dict[tuple[str, float], Any] = {}
        self.pending = 0

    def take_pending(self) -> list[asyncio.Future[None]]:
        futures = []
        for _ in range(self.pending):
            self.log.steps.append("changelog acked")
            done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            done.set_result(None)
            futures.append(done)
        self.pending = 0
        return futures


@dataclass
class Message:
    topic: str = "news.statements"
    partition: int = 0
    offset: int = 0
    timestamp: float = field(default_factory=time.time)


@dataclass
class Event:
    value: bytes
    message: Message = field(default_factory=Message)


def harness() -> tuple[DyadIndex, FakeTopic, FakeTopic, Log, CollectorRegistry]:
    log = Log()
    registry = CollectorRegistry()
    by_dyad, published = FakeTopic("by-dyad", log), FakeTopic("dyads", log)
    index = DyadIndex(
        Settings(),
        DyadMetrics(registry, process_collectors=False),
        dyads.DyadSnapshot(),
        by_dyad,
        published,
    )
    changelog = FakeChangelog(log)
    index.attach_table(FakeWindowed(index, changelog), changelog)
    return index, by_dyad, published, log, registry


async def route_and_index(index: DyadIndex, by_dyad: FakeTopic, *events: bytes) -> None:
    for value in events:
        before = len(by_dyad.sent)
        await index.route(Event(value))
        for record in by_dyad.sent[before:]:
            await index.index(Event(record["value"], Message(topic="by-dyad")))


def test_route_rekeys_each_dyad_and_index_publishes_after_the_changelog_is_acked() -> None:
    index, by_dyad, published, log, registry = harness()
    s1 = statement("s1", [target("RU"), target("CN", "negative", -0.5)])
    asyncio.run(route_and_index(index, by_dyad, s1.model_dump_json().encode()))
    assert sorted(r["key"] for r in by_dyad.sent) == [b"KZ>CN", b"KZ>RU"]
    assert log.steps[-2:] == ["changelog acked", "send dyads"]
    keys = [r["key"].decode() for r in published.sent]
    assert keys == ["KZ>CN@2026-11-30T00:00:00Z", "KZ>RU@2026-11-30T00:00:00Z"]
    assert dict(published.sent[0]["headers"])["stancewire-schema"] == b"DyadEvent"
    assert registry.get_sample_value("stancewire_dyad_updates_published_total") == 2
    assert registry.get_sample_value("stancewire_dyad_table_keys") == 2


def test_a_redelivered_statement_republishes_the_unchanged_window_without_a_changelog_write() -> (
    None
):
    index, by_dyad, published, log, _ = harness()
    s1, s2 = statement("s1", [target("RU")]), statement("s2", [target("RU")], start=20)
    raw1, raw2 = s1.model_dump_json().encode(), s2.model_dump_json().encode()
    asyncio.run(route_and_index(index, by_dyad, raw1, raw2))
    writes = log.steps.count("changelog acked")
    asyncio.run(route_and_index(index, by_dyad, raw1))
    assert log.steps.count("changelog acked") == writes  # nothing changed, nothing written
    counts = [DyadEvent.model_validate_json(r["value"]).statements for r in published.sent]
    assert counts == [1, 2, 2]
    assert [w.statements for w in index.snapshot.query("KZ", "RU")] == [2]


def test_windows_of_one_dyad_stay_apart_and_undecodable_statements_are_skipped() -> None:
    index, by_dyad, published, _, _ = harness()
    day1 = statement("s1", [target("RU")])
    day2 = statement("s2", [target("RU")], published_at=day1.published_at.replace(day=28))  # type: ignore[union-attr]
    asyncio.run(
        route_and_index(
            index,
            by_dyad,
            day1.model_dump_json().encode(),
            b"{not json",
            day2.model_dump_json().encode(),
        )
    )
    windows = index.snapshot.query("KZ", "RU")
    assert [(w.window.start.day, w.statements) for w in windows] == [(28, 1), (30, 1)]
    assert len(published.sent) == 2


def test_a_statement_for_an_expired_window_is_not_counted() -> None:
    index, _, published, _, _ = harness()
    old = statement("s1", [target("RU")], published_at=None)
    record = json.loads(
        json.dumps(dyads.contributions(old, time.time() - 40 * DAY, DAY)[0].to_json())
    )
    asyncio.run(index.index(Event(json.dumps(record).encode())))
    assert published.sent == [] and len(index.snapshot) == 0
