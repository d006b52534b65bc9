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
domain (``domain:statement``), so the classifier is a shared model plus a correction per
domain. At load time the copies are folded into one table per domain (:class:`DomainTable`:
shared weight plus the domain copy's, and the domain's bias), so at run time a feature costs
one lookup (:meth:`StanceModel.stance_in`); :meth:`StanceModel.in_domain` spells the copies
out as features, as training sees them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from stancewire.events import Stance, StanceLabel
from stancewire.nlp.datafiles import read_data
from stancewire.nlp.stance_features import Feature

MODEL_FILE = "stance_model.json"
LABELS: tuple[StanceLabel, ...] = ("negative", "neutral", "positive")
MAX_EVIDENCE = 5
DOMAINS = ("sentence", "statement")


def domain_of(cue_lemma: str | None) -> int:
    """The domain's index in :data:`DOMAINS`: a statement when a cue is given."""
    return 0 if cue_lemma is None else 1


Logits = tuple[float, float, float]
NO_LOGITS: Logits = (0.0, 0.0, 0.0)


def _margins(w: Sequence[float], scale: float) -> tuple[float, float, float]:
    """How much a weight favours each label over the other two, per unit of feature value."""
    total = w[0] + w[1] + w[2]
    return (
        scale * (w[0] - (total - w[0]) / 2.0),
        scale * (w[1] - (total - w[1]) / 2.0),
        scale * (w[2] - (total - w[2]) / 2.0),
    )


@dataclass(frozen=True, slots=True)
class DomainTable:
    """One domain's weights folded: per feature name nine floats, the three logit weights
    (the shared weight plus the domain copy's, scaled) and, per label, the larger and the
    smaller of the two copies' evidence margins (:func:`_margins`; the evidence counts each
    copy on its own, so a word's push is the stronger copy's); and the domain's bias."""

    weights: dict[str, tuple[float, ...]]
    bias: Logits


def fold_domain(
    weights: dict[str, tuple[float, float, float]],
    bias: Logits,
    domain: int,
    scale: float,
    domain_bias: bool,
) -> DomainTable:
    """The table of ``domain`` (an index into :data:`DOMAINS`) for a model's weights."""
    prefix = f"{DOMAINS[domain]}|"
    copy_prefixes = tuple(f"{name}|" for name in DOMAINS)
    table: dict[str, tuple[float, ...]] = {}
    copies: list[tuple[str, tuple[float, float, float]]] = []
    for name, w in weights.items():
        if name.startswith(prefix):
            copies.append((name[len(prefix) :], w))
        elif not name.startswith(copy_prefixes) and not name.startswith("domain:"):
            m = _margins(w, 1.0)
            table[name] = (*w, *m, *m)
    for name, c in copies if scale else ():
        m = _margins(c, scale)
        own = table.get(name)
        if own is None:
            table[name] = (c[0] * scale, c[1] * scale, c[2] * scale, *m, *m)
        else:
            table[name] = (
                own[0] + c[0] * scale,
                own[1] + c[1] * scale,
                own[2] + c[2] * scale,
                max(own[3], m[0]),
                max(own[4], m[1]),
                max(own[5], m[2]),
                min(own[6], m[0]),
                min(own[7], m[1]),
                min(own[8], m[2]),
            )
    if domain_bias:
        extra = weights.get(f"domain:{DOMAINS[domain]}", NO_LOGITS)
        bias = (bias[0] + extra[0], bias[1] + extra[1], bias[2] + extra[2])
    return DomainTable(table, bias)


@dataclass(frozen=True, slots=True)
class StanceModel:
    """Weights per feature name (one per label, in :data:`LABELS` order) and the biases."""

    weights: dict[str, tuple[float, float, float]]
    bias: tuple[float, float, float]
    domain_scale: float = 0.0  # value of a feature's domain copy; 0: a model without them
    domain_bias: bool = False  # a bias feature per domain
    _tables: list[DomainTable | None] = field(
        default_factory=lambda: [None] * len(DOMAINS), init=False, repr=False, compare=False
    )

    def table(self, domain: int) -> DomainTable:
        """The folded table of ``domain``, built on first use (a process of the enricher
        reads statements only, one of ``stancewire stance`` sentences only)."""
        found = self._tables[domain]
        if found is None:
            found = fold_domain(
                self.weights, self.bias, domain, self.domain_scale, self.domain_bias
            )
            self._tables[domain] = found
        return found

    def probabilities_in(
        self, features: Sequence[Feature], domain: int, extra: Logits = NO_LOGITS
    ) -> tuple[float, float, float]:
        """:meth:`probabilities` of the features with their copies for ``domain``."""
        return _softmax(self._logits_in(features, domain, extra)[0])

    def stance_in(
        self, features: Sequence[Feature], domain: int, extra: Logits = NO_LOGITS
    ) -> Stance:
        """:meth:`stance` of the features with their copies for ``domain`` (the run-time
        path: one lookup per feature in the domain's folded table)."""
        logits, found = self._logits_in(features, domain, extra)
        probs = _softmax(logits)
        best = max(range(3), key=lambda k: probs[k])
        score = max(-1.0, min(1.0, round(probs[2] - probs[0], 3)))
        pushes: list[tuple[float, str]] = []
        for feature, w in found:
            if feature.word:
                value = feature.value
                push = (w[3 + best] if value > 0 else w[6 + best]) * value
                if push > 0:
                    pushes.append((push, feature.word))
        return Stance(label=LABELS[best], score=score, evidence=_top_words(pushes))

    def _logits_in(
        self, features: Sequence[Feature], domain: int, extra: Logits
    ) -> tuple[list[float], list[tuple[Feature, tuple[float, ...]]]]:
        table = self.table(domain)
        logits = [b + e for b, e in zip(table.bias, extra, strict=True)]
        found: list[tuple[Feature, tuple[float, ...]]] = []
        weights = table.weights
        for feature in features:
            w = weights.get(feature.name)
            if w is not None:
                value = feature.value
                logits[0] += w[0] * value
                logits[1] += w[1] * value
                logits[2] += w[2] * value
                found.append((feature, w))
        return logits, found

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
        return _softmax(logits)

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
        return _top_words(pushes)


def softmax(logits: Sequence[float]) -> list[float]:
    """Probabilities from logits (any number of classes), computed without overflow."""
    top = max(logits)
    exps = [math.exp(v - top) for v in logits]
    total = sum(exps)
    return [e / total for e in exps]


def _softmax(logits: Sequence[float]) -> tuple[float, float, float]:
    probs = softmax(logits)
    return probs[0], probs[1], probs[2]


def _top_words(pushes: list[tuple[float, str]]) -> list[str]:
    """The words of the strongest pushes, strongest first, each once, at most five."""
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
    return parse_model(read_data(MODEL_FILE))


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
    "DomainTable",
    "StanceModel",
    "domain_of",
    "fold_domain",
    "load_stance_model",
    "parse_model",
    "save_model",
]
