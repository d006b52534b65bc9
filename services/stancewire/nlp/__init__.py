"""The NLP core: article text in, attributed statements out.

Pure: imports nothing from Kafka, Faust or metrics, so it can be tested and benchmarked alone.
PLACEHOLDER: replaced by the real extractor (issue 3).
"""

from __future__ import annotations

from functools import lru_cache

from stancewire import __version__
from stancewire.events import Statement

ENRICHER_VERSION = f"stancewire-nlp/{__version__}"


class Enricher:
    """Holds the loaded language model; create once, call :meth:`enrich` per article."""

    version: str = ENRICHER_VERSION

    def enrich(self, body: str) -> list[Statement]:
        return []


@lru_cache(maxsize=1)
def default_enricher() -> Enricher:
    return Enricher()


def enrich(body: str) -> list[Statement]:
    """Statements in ``body`` using the process-wide default enricher."""
    return default_enricher().enrich(body)


__all__ = ["ENRICHER_VERSION", "Enricher", "default_enricher", "enrich"]
