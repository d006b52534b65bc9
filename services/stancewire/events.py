"""Wire contract: the pydantic models of every event stancewire reads or writes.

These names are a contract with downstream consumers. The JSON Schema files in ``schemas/`` are
generated from these models (``stancewire schemas export``) and a test fails when they drift.
Offsets are Python string indices into the article ``body``.
"""

from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

# Namespace for deterministic statement ids (uuid5); never change it, ids would change.
STATEMENT_ID_NAMESPACE = uuid.UUID("6f0e2b1c-5a8d-4c47-9d7e-3b2a1f0c9e51")

StatementKind = Literal["direct", "indirect", "mixed"]
EntityKind = Literal["person", "organization", "country", "group", "unknown"]
Resolution = Literal["explicit", "pronoun", "title", "inferred", "none"]
StanceLabel = Literal["positive", "negative", "neutral"]
TopicId = Literal[
    "diplomacy",
    "trade",
    "sanctions",
    "economy",
    "energy",
    "security",
    "borders",
    "media",
    "humanitarian",
    "migration",
    "cyber",
    "terrorism",
    "elections",
    "governance",
    "law",
    "rights",
    "health",
    "environment",
    "technology",
]
# PLOVER's 16 event types and its four quad classes (openeventdata/PLOVER codebook).
EventType = Literal[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
]
Quad = Literal["verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"]
Offset = Annotated[int, Field(ge=0)]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ArticleEvent(BaseModel):
    """A raw news article, topic ``news.articles``. Unknown fields are ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore", title="ArticleEvent")

    schema_version: int = SCHEMA_VERSION
    article_id: str = Field(min_length=1, max_length=512)
    body: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    language: str | None = None
    published_at: datetime | None = None


class Span(_Model):
    start: Offset
    end: Offset


class Mention(_Model):
    text: str
    start: Offset
    end: Offset


class Cue(_Model):
    """The reporting expression ("emphasized", "according to", "called attention to")."""

    text: str
    lemma: str
    start: Offset
    end: Offset


class Content(_Model):
    """What was said."""

    text: str
    start: Offset
    end: Offset


class Speaker(_Model):
    name: str = Field(description="Fullest name the article gives for the speaker.")
    mention: Mention | None = Field(description="Words naming the speaker at the statement.")
    kind: EntityKind
    role: str | None = None
    country: CountryCode | None = None
    resolution: Resolution


class Stance(_Model):
    label: StanceLabel
    score: float = Field(ge=-1.0, le=1.0)
    evidence: list[str] = Field(default_factory=list)


class Target(_Model):
    name: str
    kind: EntityKind
    country: CountryCode | None = None
    mentions: list[Mention] = Field(default_factory=list)
    stance: Stance


class Topic(_Model):
    id: TopicId
    score: float = Field(ge=0.0, le=1.0)
    evidence: list[str] = Field(default_factory=list)


class Event(_Model):
    """The statement coded as a PLOVER event; ``type`` is None for a plain statement that is
    no event (most "said", "noted", "added")."""

    type: EventType | None = None
    quad: Quad | None = Field(default=None, description="None exactly when type is None.")
    negated: bool = Field(default=False, description='"did not accuse", "refused to endorse"')
    intensity: float | None = Field(
        default=None,
        ge=-10.0,
        le=10.0,
        description="Cooperation-conflict score of the type (-10..+10), None with no type.",
    )


class Statement(_Model):
    """One attributed statement as found by the NLP core (no envelope fields)."""

    span: Span = Field(description="The sentence or sentences holding the statement.")
    text: str = Field(description="body[span.start:span.end]")
    kind: StatementKind
    cue: Cue
    content: Content
    speaker: Speaker
    targets: list[Target] = Field(default_factory=list)
    topics: list[Topic] = Field(default_factory=list)
    event: Event = Field(default_factory=Event, description="PLOVER event coding.")


class Enricher(_Model):
    version: str


class StatementEvent(Statement):
    """One statement, topic ``news.statements``, record key = ``article_id``."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="StatementEvent")

    schema_version: int = SCHEMA_VERSION
    statement_id: str = Field(description="Deterministic: uuid5(article, span, cue, enricher).")
    article_id: str
    source: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    enricher: Enricher
    enriched_at: datetime


ErrorType = Literal[
    "not_utf8",
    "invalid_json",
    "invalid_event",
    "body_too_large",
    "message_too_large",
    "enrichment_failed",
    "enrichment_timeout",
]


class DeadLetterEvent(_Model):
    """An input that could not be enriched, topic ``news.articles.dlq``. Nothing is lost:
    the original bytes are kept (as text, or base64 when they are not UTF-8)."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="DeadLetterEvent")

    schema_version: int = SCHEMA_VERSION
    original_value: str | None = Field(description="The original record value.")
    original_encoding: Literal["utf-8", "base64"]
    original_key: str | None = Field(default=None, description="Record key (utf-8 or base64).")
    source_topic: str
    source_partition: int
    source_offset: int
    article_id: str | None = Field(default=None, description="When it could be read.")
    error_type: ErrorType
    error_message: str
    failed_at: datetime

    @staticmethod
    def encode_original(raw: bytes | None) -> tuple[str | None, Literal["utf-8", "base64"]]:
        """Keep bytes as text when they are UTF-8, else base64."""
        if raw is None:
            return None, "utf-8"
        try:
            return raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            return base64.b64encode(raw).decode("ascii"), "base64"

    def original_bytes(self) -> bytes | None:
        if self.original_value is None:
            return None
        if self.original_encoding == "base64":
            return base64.b64decode(self.original_value)
        return self.original_value.encode("utf-8")


class DyadWindow(_Model):
    start: datetime = Field(description="Window start (inclusive), ISO 8601 UTC.")
    end: datetime = Field(description="Window end (exclusive), ISO 8601 UTC.")


class DyadSide(_Model):
    country: CountryCode


class DyadStance(_Model):
    """Statements of the window by their stance toward the target country."""

    positive: int = Field(ge=0)
    negative: int = Field(ge=0)
    neutral: int = Field(ge=0)
    mean_score: float = Field(ge=-1.0, le=1.0, description="Mean stance score, 0 when empty.")


class DyadEvent(_Model):
    """How one country's speakers spoke of another in one time window, topic ``news.dyads``,
    record key ``SRC>TGT@<window start>`` (compacted: the latest value per window)."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="DyadEvent")

    schema_version: int = SCHEMA_VERSION
    window: DyadWindow
    source: DyadSide = Field(description="The speakers' country.")
    target: DyadSide = Field(description="The country spoken of.")
    statements: int = Field(ge=0, description="Distinct statements (by statement_id).")
    stance: DyadStance
    events: dict[EventType, int] = Field(
        default_factory=dict, description="Statements per PLOVER event type (not negated)."
    )
    statement_ids: list[str] = Field(
        max_length=10, description="The latest ten statements, newest first (drill-down)."
    )
    updated_at: datetime


def statement_id(article_id: str, statement: Statement, enricher_version: str) -> str:
    """Deterministic id: same article, span (and cue within it) and enricher version."""
    key = (
        f"{article_id}|{statement.span.start}:{statement.span.end}"
        f"|{statement.cue.start}:{statement.cue.end}|{enricher_version}"
    )
    return str(uuid.uuid5(STATEMENT_ID_NAMESPACE, key))


# Record headers: every record carries its schema name and version.
HEADER_SCHEMA = "stancewire-schema"
HEADER_SCHEMA_VERSION = "stancewire-schema-version"
HEADER_TRACEPARENT = "traceparent"

SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "ArticleEvent": ArticleEvent,
    "StatementEvent": StatementEvent,
    "DeadLetterEvent": DeadLetterEvent,
    "DyadEvent": DyadEvent,
}

__all__ = [
    "HEADER_SCHEMA",
    "HEADER_SCHEMA_VERSION",
    "HEADER_TRACEPARENT",
    "SCHEMA_MODELS",
    "SCHEMA_VERSION",
    "ArticleEvent",
    "Content",
    "Cue",
    "DeadLetterEvent",
    "DyadEvent",
    "DyadSide",
    "DyadStance",
    "DyadWindow",
    "Enricher",
    "Event",
    "EventType",
    "Mention",
    "Quad",
    "Span",
    "Speaker",
    "Stance",
    "Statement",
    "StatementEvent",
    "Target",
    "Topic",
    "statement_id",
]
