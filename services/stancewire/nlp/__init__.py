"""The NLP core: article text in, attributed statements out.

Pure: imports nothing from Kafka, Faust or metrics, so it can be tested and benchmarked alone.
The pipeline is :mod:`.enricher`; the stance seam is :func:`stancewire.nlp.stance.stance_toward`.
"""

from stancewire.nlp.enricher import (
    DEFAULT_THRESHOLD,
    ENRICHER_VERSION,
    Enricher,
    default_enricher,
    enrich,
)

__all__ = ["DEFAULT_THRESHOLD", "ENRICHER_VERSION", "Enricher", "default_enricher", "enrich"]
