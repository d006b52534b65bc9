"""Wraps the NLP core's statements in the versioned event envelope.

Shared by the Faust worker and the offline ``stancewire enrich`` command so that both produce
byte-for-byte the same events for the same article (apart from ``enriched_at``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from stancewire.events import (
    ArticleEvent,
    Enricher,
    Statement,
    StatementEvent,
    statement_id,
)


def to_statement_events(
    article: ArticleEvent,
    statements: Sequence[Statement],
    enricher_version: str,
    enriched_at: datetime | None = None,
) -> list[StatementEvent]:
    """One StatementEvent per statement, in span order, with deterministic ids."""
    now = enriched_at or datetime.now(UTC)
    ordered = sorted(statements, key=lambda s: (s.span.start, s.cue.start, s.span.end))
    return [
        StatementEvent(
            **statement.model_dump(),
            statement_id=statement_id(article.article_id, statement, enricher_version),
            article_id=article.article_id,
            source=article.source,
            url=article.url,
            published_at=article.published_at,
            enricher=Enricher(version=enricher_version),
            enriched_at=now,
        )
        for statement in ordered
    ]
