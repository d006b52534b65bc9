"""Doc-wide tables built once per parsed doc, shared by target finding and stance scoring.

spaCy rebuilds ``doc.ents``, ``doc.text`` and ``token.sent`` from every token on each access,
and ``doc.has_annotation`` scans them; scoring one statement must cost time in proportion to
the statement, not to the article, so these are computed once per doc and looked up by
bisection.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from stancewire.nlp.entities import fold

# Entity labels that can name a target (after normalisation).
TARGET_LABELS = frozenset({"GPE", "NORP", "ORG", "PERSON", "LOC", "FAC"})


@dataclass(frozen=True, slots=True)
class DocIndex:
    """The doc-wide tables of one doc."""

    doc: Doc
    length: int  # len(doc.text)
    ents: tuple[Span, ...]  # sorted by start and disjoint, as spaCy keeps them
    ent_starts: list[int]  # token start of each entity, for bisection
    sentence_starts: list[int]
    person_surnames: frozenset[str]  # folded last word of every PERSON entity
    # folded last word -> distinct PERSON/ORG texts ending in it, most often written first
    # (in order of first mention among equals)
    full_names: dict[str, tuple[str, ...]]
    # folded given name -> folded surname, for given names only one PERSON entity surname
    # follows in the doc ("hillary" -> "clinton"; "bill" of Bill and Hillary Clinton too)
    given_names: dict[str, str]


_last_index: DocIndex | None = None


def doc_index(doc: Doc) -> DocIndex:
    """The index of ``doc``. The statements of an article are scored one after the other on
    the same doc, so remembering the last doc is enough; the slot is replaced in one
    assignment, so a concurrent caller sees an old or a new index, never a mix."""
    global _last_index
    index = _last_index
    if index is None or index.doc is not doc:
        index = build_index(doc)
        _last_index = index
    return index


def build_index(doc: Doc) -> DocIndex:
    ents = tuple(doc.ents) if doc.has_annotation("ENT_IOB") else ()
    sentence_starts = [s.start for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
    full_names: dict[str, dict[str, int]] = {}  # texts and how often each is written
    for ent in ents:
        if ent.label_ in ("PERSON", "ORG") and len(ent) > 0:
            texts = full_names.setdefault(fold(ent[-1].text), {})
            texts[ent.text] = texts.get(ent.text, 0) + 1
    return DocIndex(
        doc=doc,
        given_names=_given_names(ents),
        length=doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0,
        ents=ents,
        ent_starts=[e.start for e in ents],
        sentence_starts=sentence_starts,
        person_surnames=frozenset(
            fold(e[-1].text) for e in ents if e.label_ == "PERSON" and len(e) > 0
        ),
        full_names={
            surname: tuple(sorted(texts, key=lambda t: -texts[t]))  # stable: first mention
            for surname, texts in full_names.items()
        },
    )


def _given_names(ents: tuple[Span, ...]) -> dict[str, str]:
    """Folded first word -> folded surname of the multi-word PERSON entities whose first word
    only one surname follows ("Hillary" in "Hillary Clinton"); titles ("Mr.") are skipped."""
    surnames: dict[str, set[str]] = {}
    for ent in ents:
        if ent.label_ != "PERSON" or len(ent) < 2:
            continue
        first = ent[0].text
        if not (first[:1].isupper() and first.isalpha() and ent[-1].text[:1].isupper()):
            continue
        surnames.setdefault(fold(first), set()).add(fold(ent[-1].text))
    return {given: next(iter(s)) for given, s in surnames.items() if len(s) == 1}


def ents_within(doc: Doc, start: int, end: int) -> list[Span]:
    """Entities wholly inside tokens ``start:end``, found by bisection."""
    index = doc_index(doc)
    found: list[Span] = []
    for k in range(bisect_left(index.ent_starts, start), len(index.ents)):
        ent = index.ents[k]
        if ent.start >= end:
            break
        if ent.end <= end:
            found.append(ent)
    return found


def sentence_bounds(token: Token) -> tuple[int, int]:
    """Token range of the sentence holding ``token``."""
    starts = doc_index(token.doc).sentence_starts
    k = bisect_right(starts, token.i) - 1
    start = starts[k] if k >= 0 else 0
    end = starts[k + 1] if k + 1 < len(starts) else len(token.doc)
    return start, end


def char_span(doc: Doc, start: int, end: int) -> Span | None:
    """The tokens covering characters ``[start, end)`` of ``doc`` (clamped to the text), or
    None when that is no token at all."""
    length = doc_index(doc).length  # not len(doc.text): spaCy rebuilds the text on each access
    start = max(0, min(start, length))
    end = max(start, min(end, length))
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span


__all__ = [
    "TARGET_LABELS",
    "DocIndex",
    "build_index",
    "char_span",
    "doc_index",
    "ents_within",
    "sentence_bounds",
]
