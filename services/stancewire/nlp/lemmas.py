"""A cached stand-in for the model's rule lemmatizer: the same lemmas, a fraction of the cost.

spaCy's rule lemmatizer already remembers each (word, POS, morphology) it has seen, but it
still reads and writes every token through Python attribute access. Here the keys are read in
one array, known keys are looked up in a dict, only new ones go to the real lemmatizer (whose
word index becomes a set), and the lemmas are written back in one array. Tokens the attribute
ruler already gave a lemma keep it, as with the real component (``overwrite`` is off in
``en_core_web_sm``).
"""

from __future__ import annotations

from typing import cast

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc
from thinc.types import Ints2d

__all__ = ["CachedLemmatizer"]

# Distinct (word, POS, morphology) keys kept; beyond, the cache starts again (a long-running
# worker reading ever new words must not grow without bound).
MAX_ENTRIES = 500_000


class CachedLemmatizer:
    """Replays ``nlp``'s rule lemmatizer from a (ORTH, POS, MORPH) -> lemma cache."""

    def __init__(self, nlp: Language) -> None:
        lemmatizer = nlp.get_pipe("lemmatizer")
        assert isinstance(lemmatizer, Lemmatizer) and not lemmatizer.overwrite
        self._lemmatizer = lemmatizer
        self._strings = nlp.vocab.strings
        self.cache: dict[tuple[int, int, int], int] = {}
        lemmatizer(Doc(nlp.vocab, words=["warm"], pos=["VERB"]))  # validates its tables once
        # The rule lemmatizer asks "form in index" of each candidate form, and the model ships
        # each part of speech's index as a list (57,528 nouns): a set answers the same question
        # in constant time, so the lemmas are unchanged and a new word costs a tenth.
        index = lemmatizer.lookups.get_table("lemma_index", {})
        for key in list(index.keys()):
            if isinstance(index[key], list):
                index[key] = frozenset(index[key])

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        table = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = table[:, 3:4].copy()
        if len(self.cache) > MAX_ENTRIES:
            self.cache.clear()
        for i, (orth, pos, morph, lemma) in enumerate(table.tolist()):
            if lemma:
                continue
            key = (orth, pos, morph)
            value = self.cache.get(key)
            if value is None:
                value = self._strings.add(self._lemmatizer.lemmatize(doc[i])[0])
                self.cache[key] = value
            lemmas[i, 0] = value
        doc.from_array([LEMMA], cast(Ints2d, lemmas))
        return doc
