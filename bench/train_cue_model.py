"""Train the cue classifier (``services/stancewire/nlp/data/cue_model.json``) on PolNeAR train.

Every candidate cue verb the extractor proposes in the train texts (one annotator file per
article) is labelled 1 when it overlaps an annotated Cue span, else 0, and described by
:func:`stancewire.nlp.attribution.cue_features`. A binary-feature logistic regression is fitted
by plain stochastic gradient descent with L2 regularisation (no dependency beyond Python), and
its weights are written as JSON. Dev figures: ``make eval``.

    .venv/bin/python bench/train_cue_model.py [--shared ../shared] [--epochs 12]
"""

from __future__ import annotations

import argparse
import json
import math
import random
from collections import Counter
from pathlib import Path

from polnear import DEFAULT_SHARED, REPO_ROOT, load_split
from stancewire.nlp import Enricher

OUT = REPO_ROOT / "services" / "stancewire" / "nlp" / "data" / "cue_model.json"


def collect(shared: Path, split: str) -> list[tuple[tuple[str, ...], int]]:
    enricher = Enricher()
    samples: list[tuple[tuple[str, ...], int]] = []
    for article in load_split(shared, split):
        analysis = enricher.analyse(article.text, threshold=None)
        if analysis is None:
            continue
        cues = [frag for g in article.attributions for frag in g.cue]
        for candidate in analysis[1]:
            if not candidate.features:
                continue  # "according to" and noun cues are not scored by the model
            label = any(s < candidate.cue_end and candidate.cue_start < e for s, e in cues)
            samples.append((candidate.features, int(label)))
    return samples


def train(
    samples: list[tuple[tuple[str, ...], int]], epochs: int, l2: float, min_count: int
) -> tuple[float, dict[str, float]]:
    counts = Counter(f for features, _ in samples for f in features)
    keep = {f for f, n in counts.items() if n >= min_count}
    weights: dict[str, float] = dict.fromkeys(keep, 0.0)
    bias = 0.0
    order = list(range(len(samples)))
    rng = random.Random(13)
    for epoch in range(epochs):
        rng.shuffle(order)
        rate = 0.2 / (1 + epoch)
        loss = 0.0
        for index in order:
            features, label = samples[index]
            active = [f for f in features if f in keep]
            z = bias + sum(weights[f] for f in active)
            p = 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))
            loss -= math.log(p if label else 1.0 - p + 1e-12) if p > 0 else 0.0
            gradient = p - label
            bias -= rate * gradient
            for f in active:
                weights[f] -= rate * (gradient + l2 * weights[f])
        print(f"epoch {epoch + 1}: log loss {loss / len(samples):.4f}")
    return bias, {f: round(w, 4) for f, w in sorted(weights.items()) if abs(w) >= 1e-3}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--l2", type=float, default=1e-3)
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    samples = collect(args.shared, "train")
    positives = sum(label for _, label in samples)
    print(f"{len(samples)} candidate verbs, {positives} of them cues")
    bias, weights = train(samples, args.epochs, args.l2, args.min_count)
    payload = {
        "source": (
            "Logistic regression over cue_features() of candidate verbs in PolNeAR v1.0.0 train "
            f"({len(samples)} candidates, {positives} annotated cues; one annotator per "
            "article). Regenerate with bench/train_cue_model.py."
        ),
        "bias": round(bias, 4),
        "weights": weights,
    }
    args.out.write_text(json.dumps(payload, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(weights)} weights -> {args.out}")


if __name__ == "__main__":
    main()
