"""Mentions of countries, organisations and people in a stretch of a parsed doc.

spaCy's named entities plus the country aliases spaCy misses ("the Kremlin"), normalised by
:mod:`stancewire.nlp.entities` so that "Moscow", "Russian" and "Russia" share one key.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from spacy.tokens import Doc, Span, Token

from stancewire.nlp.docindex import TARGET_LABELS, doc_index, ents_within
from stancewire.nlp.entities import (
    MAX_ALIAS_WORDS,
    NormalizedEntity,
    fold,
    is_title,
    lookup_alias,
    normalize_entity,
)
from stancewire.nlp.passing import is_media


@dataclass(slots=True)
class EntityMention:
    """A mention span, the entity it names and that entity's key (kind, code or folded name)."""

    span: Span
    entity: NormalizedEntity
    key: tuple[str, str]


def find_mentions(doc: Doc, content: Span) -> list[EntityMention]:
    """Entities in ``content``, plus country aliases the NER missed ("the Kremlin")."""
    covered: set[int] = set()
    ents = [e for e in ents_within(doc, content.start, content.end) if e.label_ in TARGET_LABELS]
    mentions = _institutions(doc, ents, covered)
    mentions += _entity_mentions(doc, content, ents, covered)
    mentions.extend(_alias_mentions(doc, content.start, content.end, covered))
    mentions.extend(_named_person_mentions(doc, content.start, content.end, covered))
    return mentions


def _institutions(doc: Doc, ents: list[Span], covered: set[int]) -> list[EntityMention]:
    """ "[Britain]'s [Treasury]": the institution of a country is that country."""
    mentions: list[EntityMention] = []
    for owner, ent in pairwise(ents):
        if not (owner.label_ in ("GPE", "NORP") and ent.label_ in ("ORG", "FAC")):
            continue
        if ent.start - owner.end > 1 or (ent.start > owner.end and doc[owner.end].tag_ != "POS"):
            continue
        entity = normalize_entity(doc[owner.start : ent.end].text, "ORG")
        if entity is not None and entity.kind == "country":
            span = _trim(doc[owner.start : ent.end])
            mentions.append(EntityMention(span, entity, ("country", str(entity.country))))
            covered.update(range(owner.start, ent.end))
    return mentions


def _entity_mentions(
    doc: Doc, content: Span, ents: list[Span], covered: set[int]
) -> list[EntityMention]:
    person_surnames = doc_index(doc).person_surnames
    mentions: list[EntityMention] = []
    for ent in ents:
        if ent.start in covered:
            continue
        if (
            ent.end < content.end
            and doc[ent.end].lower_ in ("administration", "government")
            and not (doc[ent.end].lower_ == "administration" and _names_person(ent))
        ):
            # "the [U.S.] government": the country. "The [Obama] administration" is the
            # person's: PolNeAR's gold stance pairs take its president as the target (6 of 6
            # "NAME administration" targets in stance_gold_train*.jsonl are the person).
            entity = normalize_entity(doc[ent.start : ent.end + 1].text)
            if entity is not None and entity.kind == "country":
                span = doc[ent.start : ent.end + 1]
                mentions.append(EntityMention(span, entity, ("country", str(entity.country))))
                covered.update(range(span.start, span.end))
                continue
        label = ent.label_
        if (
            label != "PERSON"
            and fold(ent[-1].text) in person_surnames
            and (label == "ORG" or lookup_alias(ent.text) is None)
        ):
            # "Kassym-Jomart Tokayev" tagged ORG, "Kasich" GPE, "Le Pen" FAC while the same
            # surname is a PERSON elsewhere in the article
            label = "PERSON"
        mention = _mention(ent, label)
        covered.update(range(ent.start, ent.end))  # also when it is no target (a sea, a party)
        if mention is not None:
            mentions.append(mention)
    return mentions


def _names_person(ent: Span) -> bool:
    """Whether ``ent`` is a person's name: tagged PERSON, or a person's surname elsewhere."""
    if ent.label_ == "PERSON":
        return True
    surnames = doc_index(ent.doc).person_surnames
    return fold(ent[-1].text) in surnames and lookup_alias(ent.text) is None


def _alias_mentions(doc: Doc, start: int, end: int, covered: set[int]) -> list[EntityMention]:
    """Capitalised word sequences that are country or organisation aliases."""
    found: list[EntityMention] = []
    i = start
    while i < end:
        if i in covered or not doc[i].text[:1].isupper():
            i += 1
            continue
        match: EntityMention | None = None
        for size in range(min(MAX_ALIAS_WORDS, end - i), 0, -1):
            if any(j in covered for j in range(i, i + size)):
                continue
            span = doc[i : i + size]
            if not span[-1].text[:1].isalnum():
                continue
            entity = lookup_alias(span.text)
            if entity is not None and entity.kind in ("country", "organization"):
                match = _mention(span, None, entity)
                break
        if match is not None:
            found.append(match)
            covered.update(range(match.span.start, match.span.end))
            i = match.span.end
        else:
            i += 1
    return found


def _named_person_mentions(
    doc: Doc, start: int, end: int, covered: set[int]
) -> list[EntityMention]:
    """Names of the article's people that the recogniser missed here: a capitalised word that
    is a PERSON entity's surname elsewhere in the doc ("Carson is losing", "Cruz's victory",
    "Donald Trump's candidacy") or a given name only one of them has ("Hillary and Obama"),
    with that person's given name before a surname. A word inside a longer capitalised run
    ("Girl Scout Leaders", "Kim Jong-un") or a hyphenated code ("G-III") is left alone."""
    index = doc_index(doc)
    surnames, given = index.person_surnames, index.given_names
    found: list[EntityMention] = []
    for i in range(start, end):
        token = doc[i]
        if i in covered or not _is_name_word(token):
            continue
        key = fold(token.text)
        if key not in surnames and key not in given:
            continue
        if i + 1 < len(doc) and (_is_name_word(doc[i + 1]) or _joined(doc, i, i + 1)):
            continue  # the name goes on ("Donald [Trump]" is taken at its surname)
        if i > 0 and _joined(doc, i - 1, i):
            continue
        first = i
        if i > start and i - 1 not in covered and given.get(fold(doc[i - 1].text)) == key:
            first = i - 1  # "Donald Trump"
        elif i > start and _is_name_word(doc[i - 1]) and not is_title(doc[i - 1].text):
            continue  # "Ivanka Trump", "Crooked Hillary": another name or a headline's word
        span = doc[first : i + 1]
        if lookup_alias(span.text) is not None or is_media(span.text):
            continue  # "Jordan", "Washington", "Twitter": the country or outlet reading wins
        mention = _mention(span, "PERSON")
        if mention is not None:
            found.append(mention)
            covered.update(range(first, i + 1))
    return found


def _joined(doc: Doc, left: int, right: int) -> bool:
    """Whether tokens ``left`` and ``right`` are written as one word joined by a hyphen."""
    a, b = doc[left], doc[right]
    return not a.whitespace_ and ("-" in (a.text, b.text))


def _is_name_word(token: Token) -> bool:
    """A capitalised word of two letters or more that is no stop word and, opening a
    sentence, a proper noun."""
    text = token.text
    if not text[:1].isupper() or token.is_stop or sum(c.isalpha() for c in text) < 2:
        return False
    return token.pos_ == "PROPN" or not token.is_sent_start


def _mention(
    span: Span, label: str | None, entity: NormalizedEntity | None = None
) -> EntityMention | None:
    trimmed = _trim(span)
    entity = entity or normalize_entity(trimmed.text, label)
    if entity is None:
        return None
    if entity.kind == "country":
        key = ("country", entity.country or fold(entity.name))  # Kosovo has no ISO code
    elif entity.kind == "person":
        key = (
            "person",
            fold(entity.name.split()[-1]) if entity.name.split() else fold(entity.name),
        )
    elif entity.kind == "organization":
        key = ("organization", fold(entity.name))
    else:
        return None  # groups ("Republicans") and unresolved places are not targets
    return EntityMention(trimmed, entity, key)


def _trim(span: Span) -> Span:
    """Drop a leading article and trailing possessive or punctuation from a mention span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end - 1 and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end - 1 > start and (
        doc[end - 1].tag_ == "POS"
        or doc[end - 1].is_punct
        or (doc[end - 1].is_stop and doc[end - 1].is_lower)  # "Minnesota Vikings - while"
    ):
        end -= 1
    return doc[start:end]


__all__ = ["EntityMention", "find_mentions"]
