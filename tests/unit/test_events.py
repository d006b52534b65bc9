"""The wire contract: what the event models accept, reject and derive."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from stancewire.events import (
    ArticleEvent,
    Content,
    Cue,
    DeadLetterEvent,
    Span,
    Speaker,
    Statement,
    StatementEvent,
    statement_id,
)
from stancewire.pipeline import to_statement_events


def make_statement(start: int, cue_start: int) -> Statement:
    return Statement(
        span=Span(start=start, end=start + 20),
        text="x" * 20,
        kind="indirect",
        cue=Cue(text="said", lemma="say", start=cue_start, end=cue_start + 4),
        content=Content(text="y", start=cue_start + 5, end=cue_start + 6),
        speaker=Speaker(name="Someone", mention=None, kind="unknown", resolution="none"),
    )


def test_article_event_ignores_unknown_fields() -> None:
    article = ArticleEvent.model_validate({"article_id": "a", "body": "b", "extra": 1})
    assert article.article_id == "a"
    assert not hasattr(article, "extra")


@pytest.mark.parametrize("missing", ["article_id", "body"])
def test_article_event_requires_id_and_body(missing: str) -> None:
    document = {"article_id": "a", "body": "b"}
    del document[missing]
    with pytest.raises(ValidationError):
        ArticleEvent.model_validate(document)


def test_statement_event_rejects_unknown_fields() -> None:
    event = to_statement_events(
        ArticleEvent(article_id="a", body="b"), [make_statement(0, 2)], "v"
    )[0]
    document = event.model_dump()
    document["surprise"] = True
    with pytest.raises(ValidationError):
        StatementEvent.model_validate(document)


def test_statement_id_depends_on_article_span_cue_and_enricher_version() -> None:
    base = statement_id("a", make_statement(0, 2), "v1")
    assert base == statement_id("a", make_statement(0, 2), "v1")
    assert base != statement_id("b", make_statement(0, 2), "v1")
    assert base != statement_id("a", make_statement(1, 2), "v1")
    assert base != statement_id("a", make_statement(0, 3), "v1")
    assert base != statement_id("a", make_statement(0, 2), "v2")


def test_statement_events_are_in_span_order_and_copy_the_article_envelope() -> None:
    article = ArticleEvent(article_id="a", body="b", source="wire", url="https://x.example/1")
    events = to_statement_events(article, [make_statement(50, 55), make_statement(0, 5)], "v")
    assert [event.span.start for event in events] == [0, 50]
    assert {(event.article_id, event.source, event.url) for event in events} == {
        ("a", "wire", "https://x.example/1")
    }


def test_dead_letter_keeps_non_utf8_bytes_as_base64() -> None:
    raw = b"caf\xe9 \x00\xff"
    value, encoding = DeadLetterEvent.encode_original(raw)
    assert encoding == "base64"
    letter = DeadLetterEvent(
        original_value=value,
        original_encoding=encoding,
        source_topic="t",
        source_partition=0,
        source_offset=1,
        error_type="not_utf8",
        error_message="m",
        failed_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    assert letter.original_bytes() == raw
    assert DeadLetterEvent.model_validate_json(letter.model_dump_json()).original_bytes() == raw


def test_dead_letter_keeps_utf8_text_as_text() -> None:
    assert DeadLetterEvent.encode_original("é".encode()) == ("é", "utf-8")
