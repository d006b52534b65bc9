"""Pure record handling of the worker: raw Kafka bytes in, an ArticleEvent or a dead letter out.

No Kafka, Faust or metrics here, so the decoding path can be unit- and fuzz-tested alone. Every
input either decodes to an :class:`~stancewire.events.ArticleEvent` or raises
:class:`InputRejected` carrying one of the contract's :data:`~stancewire.events.ErrorType` values.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import ValidationError

from stancewire.events import (
    HEADER_SCHEMA,
    HEADER_SCHEMA_VERSION,
    HEADER_TRACEPARENT,
    SCHEMA_VERSION,
    ArticleEvent,
    DeadLetterEvent,
    ErrorType,
)

# Error messages end up in dead letters; keep them readable but bounded.
MAX_ERROR_MESSAGE_CHARS = 1000


class InputRejected(Exception):
    """An input record that cannot be enriched; ``error_type`` says why."""

    def __init__(self, error_type: ErrorType, message: str, article_id: str | None = None):
        super().__init__(message)
        self.error_type: ErrorType = error_type
        self.message = message[:MAX_ERROR_MESSAGE_CHARS]
        self.article_id = article_id


def decode_article(
    raw: bytes | None, *, max_body_bytes: int, max_record_bytes: int | None = None
) -> ArticleEvent:
    """Check size, then UTF-8, then JSON, then the ArticleEvent contract, then the body limit."""
    if raw is None or not raw:
        raise InputRejected("invalid_event", "empty record value (no article)")
    if max_record_bytes is not None and len(raw) > max_record_bytes:
        raise InputRejected(
            "message_too_large", f"record of {len(raw)} bytes exceeds {max_record_bytes} bytes"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputRejected("not_utf8", f"value is not UTF-8: {exc}") from None
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputRejected("invalid_json", f"value is not JSON: {exc}") from None
    article_id = _article_id_of(document)
    try:
        article = ArticleEvent.model_validate(document)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or '(root)'}: {error['msg']}"
            for error in exc.errors()
        )
        raise InputRejected(
            "invalid_event", f"not an ArticleEvent: {problems}", article_id
        ) from None
    for name in ("article_id", "body", "title", "url", "source", "language"):
        value = getattr(article, name)
        if isinstance(value, str) and not _encodable(value):
            raise InputRejected(
                "invalid_event",
                f"{name} holds a lone surrogate (\\ud800-\\udfff): not representable in UTF-8",
                article_id if name != "article_id" else None,
            )
    body_bytes = len(article.body.encode("utf-8"))
    if body_bytes > max_body_bytes:
        raise InputRejected(
            "body_too_large",
            f"body of {body_bytes} bytes exceeds the limit of {max_body_bytes} bytes",
            article.article_id,
        )
    return article


def _encodable(text: str) -> bool:
    """JSON escapes can smuggle lone surrogates into a str; no UTF-8 output could carry them."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _article_id_of(document: object) -> str | None:
    """The article id when the document has a usable one (for the dead letter)."""
    if isinstance(document, dict):
        article_id = document.get("article_id")
        if isinstance(article_id, str) and 0 < len(article_id) <= 512:
            return article_id
    return None


@dataclass(frozen=True)
class RecordOrigin:
    """Where an input record came from."""

    topic: str
    partition: int
    offset: int
    key: bytes | None = None


def dead_letter(
    raw: bytes | None,
    origin: RecordOrigin,
    error_type: ErrorType,
    message: str,
    article_id: str | None = None,
    failed_at: datetime | None = None,
) -> DeadLetterEvent:
    """The DeadLetterEvent keeping ``raw`` (text, or base64 when it is not UTF-8)."""
    original_value, encoding = DeadLetterEvent.encode_original(raw)
    original_key, _ = DeadLetterEvent.encode_original(origin.key)
    return DeadLetterEvent(
        original_value=original_value,
        original_encoding=encoding,
        original_key=original_key,
        source_topic=origin.topic,
        source_partition=origin.partition,
        source_offset=origin.offset,
        article_id=article_id,
        error_type=error_type,
        error_message=message[:MAX_ERROR_MESSAGE_CHARS],
        failed_at=failed_at or datetime.now(UTC),
    )


def dead_letter_value(
    raw: bytes | None,
    origin: RecordOrigin,
    error_type: ErrorType,
    message: str,
    article_id: str | None,
    max_bytes: int,
) -> bytes:
    """The dead letter's record value, at most ``max_bytes`` long.

    A record can be far larger than any dead letter the producer may send (the broker accepts
    records up to its own limit; base64 and JSON escaping grow them further). Such a dead
    letter keeps the head of the original value and says so in its message: a dead letter too
    large to publish would be retried forever and block its partition (found by the chaos
    suite: a 192 KiB binary record gave a 262,698-byte dead letter over a 196,608-byte limit).
    """
    value = dead_letter(raw, origin, error_type, message, article_id).model_dump_json()
    encoded = value.encode("utf-8")
    if len(encoded) <= max_bytes or raw is None:
        return encoded
    keep = min(len(raw), max_bytes // 2)
    while True:
        note = (
            f"{message} [original value of {len(raw)} bytes too large for a dead letter; "
            f"its first {keep} bytes are kept]"
        )
        letter = dead_letter(raw[:keep], origin, error_type, note, article_id)
        encoded = letter.model_dump_json().encode("utf-8")
        if len(encoded) <= max_bytes or keep == 0:
            return encoded
        keep //= 2


Headers = list[tuple[str, bytes]]


def output_headers(schema: str, input_headers: Sequence[tuple[str, bytes]] | None) -> Headers:
    """Schema name and version, plus the input's W3C ``traceparent`` when it had one."""
    headers: Headers = [
        (HEADER_SCHEMA, schema.encode("ascii")),
        (HEADER_SCHEMA_VERSION, str(SCHEMA_VERSION).encode("ascii")),
    ]
    for name, value in input_headers or ():
        if name.lower() == HEADER_TRACEPARENT and value:
            headers.append((HEADER_TRACEPARENT, bytes(value)))
            break
    return headers


__all__ = [
    "Headers",
    "InputRejected",
    "RecordOrigin",
    "dead_letter",
    "dead_letter_value",
    "decode_article",
    "output_headers",
]
