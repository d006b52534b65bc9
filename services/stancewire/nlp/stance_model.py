"""The learned stance model: a multinomial logistic regression over the features of
:mod:`stancewire.nlp.stance_features`, its weights a JSON file (``data/stance_model.json``,
written by ``bench/train_stance.py``: ``make train-stance``).

Inference is one dictionary lookup per feature and a softmax over three classes, in plain
Python: no scikit-learn at run time. The score is P(positive) - P(negative), in -1..1; the
label is the most probable class; the evidence is the words of the features that pushed the
decision furthest toward that label.

Domains ("frustratingly easy" domain adaptation, Daume III 2007): a target is read in the
``statement`` domain when a cue is given (the enricher's path, trained on the PolNeAR gold
pairs) and in the ``sentence`` domain when not (``stancewire stance``, trained on NewsMTSC).
A model trained with domains has, besides the shared weight of every feature, a weight for
the feature's copy in each domain (``statement|name``, ``sentence|name``) and a bias per
domain (``domain:statement``): :meth:`StanceModel.in_domain` adds those copies, so the
classifier is a shared model plus a correction per domain.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from stancewire.events import Stance, StanceLabel
from stancewire.nlp.stance_features import Feature

MODEL_FILE = "data/stance_model.json"
LABELS: tuple[StanceLabel, ...] = ("negative", "neutral", "positive")
MAX_EVIDENCE = 5
DOMAINS = ("sentence", "statement")


def domain_of(cue_lemma: str | None) -> int:
    """The domain's index in :data:`DOMAINS`: a statement when a cue is given."""
    return 0 if cue_lemma is None else 1


@dataclass(frozen=True, slots=True)
class StanceModel:
    """Weights per feature name (one per label, in :data:`LABELS` order) and the biases."""

    weights: dict[str, tuple[float, float, float]]
    bias: tuple[float, float, float]
    domain_scale: float = 0.0  # value of a feature's domain copy; 0: a model without them
    domain_bias: bool = False  # a bias feature per domain

    def in_domain(self, features: Sequence[Feature], domain: int) -> list[Feature]:
        """``features`` with their copies for ``domain`` (an index into :data:`DOMAINS`)."""
        out = list(features)
        name = DOMAINS[domain]
        if self.domain_bias:
            out.append(Feature(f"domain:{name}", 1.0))
        if self.domain_scale:
            scale = self.domain_scale
            out += [Feature(f"{name}|{f.name}", f.value * scale, f.word) for f in features]
        return out

    def probabilities(
        self, features: Sequence[Feature], extra: tuple[float, float, float] = (0.0, 0.0, 0.0)
    ) -> tuple[float, float, float]:
        """P(negative), P(neutral), P(positive) for a target with these features (``extra``:
        logits computed elsewhere, the word vectors' share)."""
        logits = [b + e for b, e in zip(self.bias, extra, strict=True)]
        for feature in features:
            w = self.weights.get(feature.name)
            if w is not None:
                logits[0] += w[0] * feature.value
                logits[1] += w[1] * feature.value
                logits[2] += w[2] * feature.value
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        total = sum(exps)
        return exps[0] / total, exps[1] / total, exps[2] / total

    def stance(
        self, features: Sequence[Feature], extra: tuple[float, float, float] = (0.0, 0.0, 0.0)
    ) -> Stance:
        """The stance of a target with these features, with the words that drove it."""
        probs = self.probabilities(features, extra)
        best = max(range(3), key=lambda k: probs[k])
        score = max(-1.0, min(1.0, round(probs[2] - probs[0], 3)))
        return Stance(label=LABELS[best], score=score, evidence=self._evidence(features, best))

    def _evidence(self, features: Sequence[Feature], label: int) -> list[str]:
        """Words of the features that favour ``label`` most over the other two labels."""
        pushes: list[tuple[float, str]] = []
        for feature in features:
            w = self.weights.get(feature.name)
            if w is None or not feature.word:
                continue
            others = (sum(w) - w[label]) / 2.0
            push = (w[label] - others) * feature.value
            if push > 0:
                pushes.append((push, feature.word))
        pushes.sort(key=lambda p: -p[0])
        words: list[str] = []
        for _, word in pushes:
            if word not in words:
                words.append(word)
            if len(words) == MAX_EVIDENCE:
                break
        return words


def parse_model(raw: str) -> StanceModel:
    """A model from its JSON text: ``{"labels": [...], "bias": [...], "weights": {...}}``."""
    data = json.loads(raw)
    if tuple(data["labels"]) != LABELS:
        raise ValueError(f"stance model labels {data['labels']!r}, expected {list(LABELS)!r}")
    bias = tuple(float(b) for b in data["bias"])
    weights = {
        str(name): (float(w[0]), float(w[1]), float(w[2])) for name, w in data["weights"].items()
    }
    adapt = data.get("domains", {})
    return StanceModel(
        weights=weights,
        bias=(bias[0], bias[1], bias[2]),
        domain_scale=float(adapt.get("scale", 0.0)),
        domain_bias=bool(adapt.get("bias", False)),
    )


@lru_cache(maxsize=1)
def load_stance_model() -> StanceModel:
    """The shipped model (``data/stance_model.json``), loaded once per process."""
    raw = resources.files("stancewire.nlp").joinpath(MODEL_FILE).read_text("utf-8")
    return parse_model(raw)


def save_model(
    path: Path,
    weights: dict[str, Sequence[float]],
    bias: Sequence[float],
    meta: dict[str, object],
    domains: dict[str, float | bool] | None = None,
) -> None:
    """Write a model file (sorted keys, rounded weights: the same training, the same bytes);
    ``domains``: ``{"scale": ..., "bias": ...}`` of a model trained with domain copies."""
    data: dict[str, object] = {
        "labels": list(LABELS),
        "meta": meta,
        "bias": [round(float(b), 5) for b in bias],
        "weights": {k: [round(float(x), 5) for x in weights[k]] for k in sorted(weights)},
    }
    if domains:
        data["domains"] = domains
    path.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n", "utf-8")


__all__ = [
    "DOMAINS",
    "LABELS",
    "StanceModel",
    "domain_of",
    "load_stance_model",
    "parse_model",
    "save_model",
]
