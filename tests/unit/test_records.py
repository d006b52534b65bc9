"""The worker's pure decoding path: every bad input maps to its dead-letter error type."""

from __future__ import annotations

import json

import pytest

from stancewire.events import HEADER_SCHEMA, HEADER_SCHEMA_VERSION, HEADER_TRACEPARENT
from stancewire.stream.records import (
    MAX_ERROR_MESSAGE_CHARS,
    InputRejected,
    RecordOrigin,
    dead_letter,
    decode_article,
    output_headers,
)

LIMIT = 100


def rejection(raw: bytes | None, **kwargs: int) -> InputRejected:
    with pytest.raises(InputRejected) as caught:
        decode_article(raw, max_body_bytes=LIMIT, **kwargs)
    return caught.value


def test_valid_article_decodes() -> None:
    article = decode_article(b'{"article_id": "a", "body": "text", "x": 1}', max_body_bytes=LIMIT)
    assert (article.article_id, article.body) == ("a", "text")


@pytest.mark.parametrize(
    ("raw", "error_type"),
    [
        (None, "invalid_event"),
        (b"", "invalid_event"),
        (b"\xff\xfe{}", "not_utf8"),
        (b'{"article_id": "a", "body": ', "invalid_json"),
        (b"[1, 2]", "invalid_event"),
        (b'{"article_id": "a"}', "invalid_event"),
        (b'{"article_id": "", "body": "x"}', "invalid_event"),
        (b'{"article_id": "a", "body": 7}', "invalid_event"),
    ],
)
def test_bad_inputs_get_their_error_type(raw: bytes | None, error_type: str) -> None:
    assert rejection(raw).error_type == error_type


def test_body_limit_counts_utf8_bytes_not_characters() -> None:
    fits = json.dumps({"article_id": "a", "body": "é" * (LIMIT // 2)}).encode()
    assert decode_article(fits, max_body_bytes=LIMIT).body == "é" * (LIMIT // 2)
    too_big = json.dumps({"article_id": "big", "body": "é" * (LIMIT // 2 + 1)}).encode()
    rejected = rejection(too_big)
    assert rejected.error_type == "body_too_large"
    assert rejected.article_id == "big"


def test_record_size_is_checked_before_parsing() -> None:
    raw = b"{" + b" " * 500  # not even JSON: the size check comes first
    assert rejection(raw, max_record_bytes=200).error_type == "message_too_large"


def test_missing_body_rejection_names_the_field_and_keeps_the_id() -> None:
    rejected = rejection(b'{"article_id": "a1"}')
    assert "body" in rejected.message
    assert rejected.article_id == "a1"


def test_dead_letter_keeps_origin_key_and_bounded_message() -> None:
    origin = RecordOrigin(topic="in", partition=2, offset=9, key=b"\xff")
    letter = dead_letter(b"raw", origin, "invalid_json", "m" * 5000, "a")
    assert (letter.source_topic, letter.source_partition, letter.source_offset) == ("in", 2, 9)
    assert letter.original_value == "raw"
    assert letter.original_key == "/w=="  # base64 of the non-UTF-8 key
    assert len(letter.error_message) == MAX_ERROR_MESSAGE_CHARS


def test_output_headers_carry_schema_and_pass_on_traceparent_only() -> None:
    trace = b"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    headers = dict(output_headers("StatementEvent", [("TraceParent", trace), ("other", b"x")]))
    assert headers == {
        HEADER_SCHEMA: b"StatementEvent",
        HEADER_SCHEMA_VERSION: b"1",
        HEADER_TRACEPARENT: trace,
    }
    assert HEADER_TRACEPARENT not in dict(output_headers("DeadLetterEvent", None))
