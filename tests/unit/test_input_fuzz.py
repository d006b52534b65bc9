"""The input path, fuzzed: every record is either enriched or dead-lettered, never a crash.

Hypothesis feeds the worker's own code (``decode_article``, ``dead_letter`` and the
``ArticleProcessor`` agent body, with in-memory topics instead of Kafka) arbitrary bytes,
arbitrary JSON, article-shaped documents with wrong types, oversize and non-UTF-8 values,
tombstones, lone surrogates and non-English text. For each record exactly one thing must
happen: its statements are published (the article counted as enriched), or exactly one dead
letter that keeps the original bytes is published.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any, get_args

import pytest
from faust.exceptions import ProducerSendError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry

from stancewire.events import (
    ArticleEvent,
    Content,
    Cue,
    DeadLetterEvent,
    ErrorType,
    Span,
    Speaker,
    Statement,
    StatementEvent,
)
from stancewire.metrics import Metrics
from stancewire.settings import Settings
from stancewire.stream.agents import ArticleProcessor
from stancewire.stream.enrichment import Enrichment, EnrichmentTimeout
from stancewire.stream.records import (
    InputRejected,
    RecordOrigin,
    dead_letter,
    dead_letter_value,
    decode_article,
)

MAX_BODY_BYTES = 256  # small, so that hypothesis reaches the size limit often
ERROR_TYPES = set(get_args(ErrorType))
ORIGIN = RecordOrigin(topic="news.articles", partition=3, offset=42, key=b"k")

# --- strategies ----------------------------------------------------------------------------
json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
# Bodies: any text (lone surrogates included), English reported speech, non-English text.
bodies = (
    st.text(max_size=400)
    | st.just("The minister said that “talks with Canada would resume” on Monday.")
    | st.just("Министр заявил, что переговоры продолжатся.   \u00a0<p>HTML</p>")
    | st.builds(lambda n: "x" * n, st.integers(MAX_BODY_BYTES - 2, MAX_BODY_BYTES + 2))
)
article_documents = st.fixed_dictionaries(
    {},
    optional={
        "article_id": st.text(max_size=20) | json_values,
        "body": bodies | json_values,
        "title": st.none() | st.text(max_size=20) | json_values,
        "published_at": st.none() | st.just("2026-11-27T09:00:00Z") | st.text(max_size=12),
        "schema_version": st.integers() | json_values,
        "unknown_field": json_values,
    },
)


@st.composite
def raw_records(draw: st.DrawFn) -> bytes | None:
    """A record value as it could arrive on news.articles."""
    kind = draw(st.sampled_from(["article", "json", "bytes", "none", "encoded"]))
    if kind == "none":
        return None
    if kind == "bytes":
        return draw(st.binary(max_size=600))
    if kind == "json":
        return json.dumps(draw(json_values)).encode()
    document = draw(article_documents)
    text = json.dumps(document, ensure_ascii=draw(st.booleans()))
    if kind == "encoded":
        return text.encode(draw(st.sampled_from(["utf-16", "latin-1", "cp1252"])), "replace")
    # Non-ASCII text with lone surrogates cannot be UTF-8 encoded: escape those.
    return text.encode("utf-8", "backslashreplace")


# --- pure decoding -------------------------------------------------------------------------
@settings(max_examples=400, deadline=None)
@given(raw_records())
def test_every_record_decodes_or_is_rejected_with_a_contract_error_type(raw: bytes | None) -> None:
    try:
        article = decode_article(raw, max_body_bytes=MAX_BODY_BYTES)
    except InputRejected as rejected:
        assert rejected.error_type in ERROR_TYPES
        letter = dead_letter(raw, ORIGIN, rejected.error_type, rejected.message)
        # The dead letter is valid wire JSON and keeps the original bytes exactly.
        again = DeadLetterEvent.model_validate_json(letter.model_dump_json())
        assert again.original_bytes() == raw
        assert (again.source_partition, again.source_offset) == (3, 42)
    else:
        assert isinstance(article, ArticleEvent)
        assert len(article.body.encode("utf-8", "surrogatepass")) <= MAX_BODY_BYTES


# --- the agent body, in memory ---------------------------------------------------------------
@dataclass
class MemoryTopic:
    """Stands in for a Faust topic: records what was sent."""

    records: list[tuple[bytes | None, bytes]] = field(default_factory=list)
    max_value_bytes: int | None = None  # like the producer's max_request_size

    async def send(self, *, key: bytes | None, value: bytes, **_: Any) -> asyncio.Future[None]:
        if self.max_value_bytes is not None and len(value) > self.max_value_bytes:
            # What Faust raises when aiokafka refuses a record as too large.
            raise ProducerSendError(
                f"Error while sending: MessageSizeTooLargeError('The message is {len(value)} "
                "bytes when serialized which is larger than the maximum request size')"
            )
        self.records.append((key, value))
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


class StubPool:
    """Stands in for the enrichment process: one statement per body that contains "said",
    a timeout for bodies containing "slow", an NLP crash for bodies containing "boom"."""

    async def enrich(self, body: str) -> Enrichment:
        if "boom" in body:
            raise RuntimeError("NLP failure")
        if "slow" in body:
            raise EnrichmentTimeout("took too long")
        if "said" not in body:
            return Enrichment("stub/1", [], 0.0)
        end = len(body)
        statement = Statement(
            span=Span(start=0, end=end),
            text=body,
            kind="indirect",
            cue=Cue(text=body[:1], lemma="say", start=0, end=min(1, end)),
            content=Content(text=body, start=0, end=end),
            speaker=Speaker(name="?", mention=None, kind="unknown", resolution="none"),
        )
        return Enrichment("stub/1", [statement], 0.0)


@dataclass
class FakeMessage:
    topic: str = ORIGIN.topic
    partition: int = ORIGIN.partition
    offset: int = ORIGIN.offset
    key: bytes | None = ORIGIN.key
    headers: list[tuple[str, bytes]] = field(default_factory=list)
    timestamp: float | None = None


@dataclass
class FakeEvent:
    value: bytes | None
    message: FakeMessage = field(default_factory=FakeMessage)
    acked: bool = False

    def ack(self) -> bool:
        first, self.acked = not self.acked, True
        return first


def new_processor() -> tuple[ArticleProcessor, MemoryTopic, MemoryTopic, Metrics]:
    metrics = Metrics(CollectorRegistry(), process_collectors=False)
    output, dead_letters = MemoryTopic(), MemoryTopic()
    processor = ArticleProcessor(
        Settings(max_body_bytes=MAX_BODY_BYTES),
        metrics,
        StubPool(),  # type: ignore[arg-type]
        output,
        dead_letters,
    )
    return processor, output, dead_letters, metrics


simple_articles = bodies.map(lambda body: json.dumps({"article_id": "a", "body": body}).encode())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw_records() | simple_articles)
def test_every_record_is_either_enriched_or_dead_lettered_never_both(raw: bytes | None) -> None:
    processor, output, dead_letters, metrics = new_processor()
    asyncio.run(processor.process(FakeEvent(raw)))  # must not raise

    enriched = metrics.registry.get_sample_value("stancewire_articles_enriched_total")
    assert (enriched, len(dead_letters.records)) in {(1, 0), (0, 1)}
    if dead_letters.records:
        assert output.records == []
        letter = DeadLetterEvent.model_validate_json(dead_letters.records[0][1])
        assert letter.original_bytes() == raw
        assert letter.error_type in ERROR_TYPES
    else:
        for key, value in output.records:
            event = StatementEvent.model_validate_json(value)
            assert key == event.article_id.encode()
    assert metrics.registry.get_sample_value("stancewire_articles_in_flight") == 0


def test_enrichment_failures_and_timeouts_are_dead_lettered_with_their_reason() -> None:
    for body, reason in (("boom", "enrichment_failed"), ("slow", "enrichment_timeout")):
        processor, output, dead_letters, _ = new_processor()
        raw = json.dumps({"article_id": "a1", "body": body}).encode()
        asyncio.run(processor.process(FakeEvent(raw)))
        assert output.records == []
        (record,) = dead_letters.records
        letter = DeadLetterEvent.model_validate_json(record[1])
        assert (letter.error_type, letter.article_id) == (reason, "a1")


def test_a_record_over_the_size_limit_is_dead_lettered_not_decoded() -> None:
    processor, output, dead_letters, _ = new_processor()
    raw = json.dumps({"article_id": "big", "body": "said " * MAX_BODY_BYTES}).encode()
    asyncio.run(processor.process(FakeEvent(raw)))
    assert output.records == []
    letter = DeadLetterEvent.model_validate_json(dead_letters.records[0][1])
    assert letter.error_type in {"body_too_large", "message_too_large"}
    assert letter.original_bytes() == raw


def test_lone_surrogates_are_rejected_at_decoding() -> None:
    # Valid JSON (an escaped lone surrogate) that no UTF-8 output record could carry.
    raw = b'{"article_id": "s1", "body": "\\ud800 the minister said"}'
    try:
        decode_article(raw, max_body_bytes=MAX_BODY_BYTES)
    except InputRejected as rejected:
        assert (rejected.error_type, rejected.article_id) == ("invalid_event", "s1")
    else:
        raise AssertionError("an article with a lone surrogate was accepted")


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=0, max_size=5000), st.integers(min_value=600, max_value=3000))
def test_dead_letters_always_fit_the_record_limit(raw: bytes, max_bytes: int) -> None:
    value = dead_letter_value(raw, ORIGIN, "message_too_large", "too big", None, max_bytes)
    assert len(value) <= max_bytes
    letter = DeadLetterEvent.model_validate_json(value)
    kept = letter.original_bytes()
    assert kept is not None and raw.startswith(kept)  # the head of the original, never altered
    if kept != raw:
        assert f"original value of {len(raw)} bytes" in letter.error_message


@pytest.mark.timeout(30)  # a retry loop on a permanent error would hang here
def test_a_statement_too_large_to_publish_dead_letters_the_article() -> None:
    processor, output, dead_letters, metrics = new_processor()
    output.max_value_bytes = 600
    body = "The minister said " + "x" * 200  # the stub's statement repeats the body: > 600 B
    raw = json.dumps({"article_id": "big-statement", "body": body}).encode()
    asyncio.run(processor.process(FakeEvent(raw)))
    assert output.records == []
    (record,) = dead_letters.records
    letter = DeadLetterEvent.model_validate_json(record[1])
    assert (letter.error_type, letter.article_id) == ("message_too_large", "big-statement")
    assert letter.original_bytes() == raw
    assert metrics.registry.get_sample_value("stancewire_articles_enriched_total") == 0
