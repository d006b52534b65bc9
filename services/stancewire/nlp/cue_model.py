"""A small logistic-regression cue classifier trained on PolNeAR train.

Whether a verb reports something depends on more than its lemma: ``think`` is a cue in
"Republicans think that ..." but rarely inside a quotation in the first person; ``call`` is one
in "called it a disgrace" but not in "called a meeting". :func:`cue_features` describes a
candidate verb by its lemma, its PolNeAR reliability, the shape of its complement, its
dependency, tense, source and quotation context; ``data/cue_model.json`` holds the weights that
``bench/train_cue_model.py`` learns from PolNeAR train. Inference is a dot product: no
dependency beyond the standard library.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["CueModel", "load_cue_model"]

MODEL_FILE = "cue_model.json"


@dataclass(frozen=True)
class CueModel:
    """Weights of a binary-feature logistic regression."""

    bias: float
    weights: dict[str, float]

    def probability(self, features: Iterable[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=1)
def load_cue_model() -> CueModel | None:
    """The shipped model, or None when it has not been trained (rules are used instead)."""
    path = resources.files("stancewire.nlp").joinpath(f"data/{MODEL_FILE}")
    if not path.is_file():
        return None
    data = json.loads(path.read_text("utf-8"))
    return CueModel(float(data["bias"]), {k: float(v) for k, v in data["weights"].items()})
