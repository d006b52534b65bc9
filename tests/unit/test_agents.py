"""The agent's body in memory: topics and the enrichment pool replaced by plain fakes."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from functools import partial
from typing import Any, cast

import pytest
from prometheus_client import CollectorRegistry

from stancewire.events import (
    Content,
    Cue,
    DeadLetterEvent,
    Span,
    Speaker,
    Statement,
    StatementEvent,
)
from stancewire.metrics import Metrics
from stancewire.settings import Settings
from stancewire.stream.agents import ArticleProcessor
from stancewire.stream.enrichment import Enrichment, EnrichmentPool, EnrichmentTimeout
from stancewire.stream.ordering import OrderedWindow

TRACEPARENT = b"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


@dataclass
class FakeTopic:
    """Records what was sent; fails the first ``failures`` sends."""

    failures: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)

    async def send(self, **record: Any) -> asyncio.Future[None]:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("broker unavailable")
        self.sent.append(record)
        acknowledged: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        acknowledged.set_result(None)
        return acknowledged


class FakePool:
    """Finds one statement per "said"; raises ``error`` instead when it is set."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error

    async def enrich(self, body: str) -> Enrichment:
        if self.error is not None:
            raise self.error
        return Enrichment("fake/1", statements_of(body), 0.01)


def statements_of(body: str) -> list[Statement]:
    """One statement per body with "said" in it."""
    statements: list[Statement] = []
    start = body.find("said")
    if start >= 0:
        statements.append(
            Statement(
                span=Span(start=0, end=len(body)),
                text=body,
                kind="indirect",
                cue=Cue(text="said", lemma="say", start=start, end=start + 4),
                content=Content(text=body[start + 5 :], start=start + 5, end=len(body)),
                speaker=Speaker(name="X", mention=None, kind="unknown", resolution="none"),
            )
        )
    return statements


@dataclass
class FakeMessage:
    topic: str = "news.articles"
    partition: int = 1
    offset: int = 7
    key: bytes | None = b"a1"
    headers: list[tuple[str, bytes]] = field(default_factory=list)
    timestamp: float = field(default_factory=time.time)


@dataclass
class FakeEvent:
    value: bytes | None
    message: FakeMessage = field(default_factory=FakeMessage)
    acks: list[int] = field(default_factory=list)  # offsets, in the order acked

    def ack(self) -> bool:
        if self.message.offset in self.acks:
            return False
        self.acks.append(self.message.offset)
        return True


@dataclass
class Harness:
    processor: ArticleProcessor
    output: FakeTopic
    dead_letters: FakeTopic
    registry: CollectorRegistry

    def count(self, name: str, **labels: str) -> float:
        return self.registry.get_sample_value(name, labels) or 0.0


def harness(pool: Any = None, output_failures: int = 0) -> Harness:
    registry = CollectorRegistry()
    metrics = Metrics(registry, process_collectors=False)
    output, dead_letters = FakeTopic(failures=output_failures), FakeTopic()
    settings = Settings(max_body_bytes=1000)
    enrichment = cast(EnrichmentPool, pool or FakePool())  # duck-typed: only enrich() is used
    processor = ArticleProcessor(settings, metrics, enrichment, output, dead_letters)
    return Harness(processor, output, dead_letters, registry)


def article(body: str = "The minister said talks would resume.", article_id: str = "a1") -> bytes:
    return json.dumps({"article_id": article_id, "body": body, "source": "wire"}).encode()


def test_statements_are_published_keyed_by_article_with_schema_headers() -> None:
    h = harness()
    message = FakeMessage(headers=[("traceparent", TRACEPARENT)])
    asyncio.run(h.processor.process(FakeEvent(article(), message)))
    assert len(h.output.sent) == 1
    record = h.output.sent[0]
    assert record["key"] == b"a1"
    assert dict(record["headers"]) == {
        "stancewire-schema": b"StatementEvent",
        "stancewire-schema-version": b"1",
        "traceparent": TRACEPARENT,
    }
    event = StatementEvent.model_validate_json(record["value"])
    assert (event.article_id, event.source, event.enricher.version) == ("a1", "wire", "fake/1")
    assert h.dead_letters.sent == []
    assert h.count("stancewire_articles_enriched_total") == 1
    assert h.count("stancewire_statements_published_total") == 1
    assert h.count("stancewire_end_to_end_lag_seconds_count") == 1
    assert h.count("stancewire_articles_in_flight") == 0


def test_an_event_is_acked_only_after_its_statements_are_published() -> None:
    h = harness()
    event = FakeEvent(article())
    asyncio.run(h.processor.process(event))
    assert len(h.output.sent) == 1 and event.acks == [7]
    h = harness(output_failures=10**9)  # the broker never acknowledges: no ack either

    async def publish_for_a_while() -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(h.processor.process(event := FakeEvent(article())), 1.0)
        assert event.acks == []

    asyncio.run(publish_for_a_while())


def test_article_without_statements_is_enriched_and_publishes_nothing() -> None:
    h = harness()
    asyncio.run(h.processor.process(FakeEvent(article("Nothing reported here."))))
    assert h.output.sent == [] and h.dead_letters.sent == []
    assert h.count("stancewire_articles_enriched_total") == 1


@pytest.mark.parametrize(
    ("error", "error_type"),
    [
        (EnrichmentTimeout("took too long"), "enrichment_timeout"),
        (RuntimeError("model exploded"), "enrichment_failed"),
    ],
)
def test_enrichment_failures_are_dead_lettered(error: Exception, error_type: str) -> None:
    h = harness(pool=FakePool(error))
    raw = article()
    asyncio.run(h.processor.process(FakeEvent(raw)))
    assert h.output.sent == []
    (record,) = h.dead_letters.sent
    letter = DeadLetterEvent.model_validate_json(record["value"])
    assert (letter.error_type, letter.article_id) == (error_type, "a1")
    assert letter.original_bytes() == raw
    assert (letter.source_topic, letter.source_partition, letter.source_offset) == (
        "news.articles",
        1,
        7,
    )
    assert record["key"] == b"a1"
    assert dict(record["headers"])["stancewire-schema"] == b"DeadLetterEvent"
    assert h.count("stancewire_dead_letters_total", reason=error_type) == 1
    assert h.count("stancewire_articles_failed_total", reason=error_type) == 1


def test_tombstone_is_dead_lettered_not_dropped() -> None:
    h = harness()
    asyncio.run(h.processor.process(FakeEvent(None)))
    (record,) = h.dead_letters.sent
    assert DeadLetterEvent.model_validate_json(record["value"]).error_type == "invalid_event"


def test_publishing_is_retried_until_the_broker_acknowledges(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("stancewire.stream.kafka_retries.BACKOFF_FIRST_SECONDS", 0.001)
    monkeypatch.setattr("stancewire.stream.kafka_retries.BACKOFF_MAX_SECONDS", 0.001)
    h = harness(output_failures=2)
    asyncio.run(h.processor.process(FakeEvent(article())))
    assert len(h.output.sent) == 1
    assert h.count("stancewire_kafka_retries_total", operation="produce") == 2
    assert h.count("stancewire_articles_enriched_total") == 1


class GatedPool:
    """Enriches a body when the test opens its gate, so completion order is the test's; a
    body with "slow" in it times out."""

    def __init__(self) -> None:
        self.gates: dict[str, asyncio.Event] = {}

    def open(self, body: str) -> None:
        self.gates.setdefault(body, asyncio.Event()).set()

    async def enrich(self, body: str) -> Enrichment:
        await self.gates.setdefault(body, asyncio.Event()).wait()
        if "slow" in body:
            raise EnrichmentTimeout("took too long")
        return Enrichment("fake/1", statements_of(body), 0.01)


def partition_events(bodies: list[str], acks: list[int]) -> list[FakeEvent]:
    """One event per body on partition 1, offsets 0, 1, ..., sharing one ack log."""
    return [
        FakeEvent(article(body, f"a{offset}"), FakeMessage(offset=offset, key=b"k"), acks)
        for offset, body in enumerate(bodies)
    ]


async def submit_all(window: OrderedWindow[Any], h: Harness, events: list[FakeEvent]) -> None:
    for event in events:
        await window.submit(
            event.message.partition, h.processor.enrich(event), partial(h.processor.publish, event)
        )


async def crash(exc: BaseException) -> None:
    raise AssertionError(f"window failed: {exc!r}")


def published_articles(topic: FakeTopic) -> list[str]:
    return [StatementEvent.model_validate_json(r["value"]).article_id for r in topic.sent]


def test_out_of_order_enrichment_is_published_and_acked_in_partition_order() -> None:
    async def scenario() -> None:
        pool, acks = GatedPool(), []
        h = harness(pool)
        bodies = [f"Minister {n} said talks would resume." for n in range(3)]
        window: OrderedWindow[Any] = OrderedWindow(8, crash)
        await submit_all(window, h, partition_events(bodies, acks))
        pool.open(bodies[2])
        pool.open(bodies[1])
        for _ in range(20):
            await asyncio.sleep(0)
        # The later articles are enriched, but the first is not: nothing published or acked.
        assert h.output.sent == [] and acks == []
        assert h.count("stancewire_articles_in_flight") == 3
        pool.open(bodies[0])
        await window.join()
        assert published_articles(h.output) == ["a0", "a1", "a2"]
        assert acks == [0, 1, 2]
        assert h.count("stancewire_articles_in_flight") == 0

    asyncio.run(asyncio.wait_for(scenario(), 5))


def test_a_timeout_dead_letters_only_its_article_and_the_next_ones_continue() -> None:
    async def scenario() -> None:
        pool, acks = GatedPool(), []
        h = harness(pool)
        bodies = ["First said yes.", "A slow one said it.", "Third said no.", "Fourth said so."]
        window: OrderedWindow[Any] = OrderedWindow(8, crash)
        await submit_all(window, h, partition_events(bodies, acks))
        for body in reversed(bodies):
            pool.open(body)
        await window.join()
        assert published_articles(h.output) == ["a0", "a2", "a3"]
        (letter,) = [DeadLetterEvent.model_validate_json(r["value"]) for r in h.dead_letters.sent]
        assert (letter.article_id, letter.error_type) == ("a1", "enrichment_timeout")
        assert acks == [0, 1, 2, 3]

    asyncio.run(asyncio.wait_for(scenario(), 5))
