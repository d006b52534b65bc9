"""Named entities in a statement's content that are no target of it.

A country is a target when the statement is about it: when it acts or stands for its state.
It is not when named only in passing: as a place ("born in Canada", "lives in the United
States"), as its population ("8 million Americans"), as the modifier of its people's or
property's noun ("U.S. citizenship", "American businesses", "the Iraq War") or as an office
("seeking the White House"). A person needs a plausible name: not a media outlet tagged PERSON
("Twitter"), not a fragment ("W]e", "pro-Clinton"), not a run of capitalised function words
("Will Be"). The word lists are in ``data/passing.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Span, Token

from stancewire.nlp.datafiles import data_yaml
from stancewire.nlp.entities import fold, is_capital, lookup_alias

_NAME_CHARS = re.compile(r"^[^\W\d_][\w.'’\- ]*$", re.UNICODE)
_STANCE_PREFIX = re.compile(r"^(?:pro|anti|non|ex|neo|post|pre)[-‐–]", re.IGNORECASE)
_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "npadvmod"})


@dataclass(frozen=True, slots=True)
class _Rules:
    location_preps: frozenset[str]
    location_verbs: frozenset[str]
    modifier_heads: frozenset[str]
    office_metonyms: frozenset[str]
    quantity_nouns: frozenset[str]
    recipient_preps: frozenset[str]
    office_verbs: frozenset[str]
    media: frozenset[str]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = data_yaml("passing.yaml")

    def words(key: str) -> frozenset[str]:
        return frozenset(fold(str(w)) for w in data[key])

    return _Rules(
        location_preps=words("location_preps"),
        location_verbs=words("location_verbs"),
        modifier_heads=words("modifier_heads"),
        office_metonyms=words("office_metonyms"),
        quantity_nouns=words("quantity_nouns"),
        recipient_preps=words("recipient_preps"),
        office_verbs=words("office_verbs"),
        media=words("media"),
    )


def country_in_passing(span: Span) -> bool:
    """Whether a country mention is a place, a modifier of a non-state noun or an office."""
    rules = _rules()
    if _city_of(span):
        return True
    root = span.root
    head = root.head
    outside = head.i != root.i and not span.start <= head.i < span.end
    heads = rules.modifier_heads
    if (
        outside
        and root.dep_ in _MODIFIER_DEPS
        and (head.lemma_.lower() in heads or head.lower_ in heads)
    ):
        return True
    if root.ent_type_ == "NORP" and root.tag_ in ("NNS", "NNPS"):
        return _population(root, rules)
    if root.dep_ == "pobj" and head.lower_ in rules.location_preps:
        return _location_head(head, rules)
    if fold(span.text) in rules.office_metonyms and root.dep_ in ("dobj", "pobj"):
        verb = head.head if root.dep_ == "pobj" else head
        return verb.lemma_.lower() in rules.office_verbs
    return False


def _city_of(span: Span) -> bool:
    """ "Washington, D.C.", "Moscow, Idaho": a capital's name followed by a state (a place
    that is no country) is the city written as a place."""
    doc = span.doc
    after = span.end
    if not (is_capital(span.text) and after + 1 < len(doc) and doc[after].text == ","):
        return False
    state = doc[after + 1]
    if state.ent_type_ != "GPE" or state.ent_iob_ != "B":
        return False
    end = after + 2
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return lookup_alias(doc[after + 1 : end].text) is None  # "Moscow, Beijing": two capitals


def _population(root: Token, rules: _Rules) -> bool:
    """A demonym plural counted or on the receiving end is the population, not the state:
    "8 million Americans", "a majority of Syrians", "taxes on Americans", "appeal to
    Mexicans". As an actor ("the Russians shelled") or the object of an act ("the
    displacement of Palestinians") it stands for its country."""
    if any(child.dep_ == "nummod" for child in root.children):
        return True
    if root.dep_ != "pobj":
        return False
    prep = root.head
    if prep.lower_ == "of":
        whole = prep.head
        return whole.like_num or whole.lemma_.lower() in rules.quantity_nouns
    return prep.lower_ in rules.recipient_preps


def _location_head(prep: Token, rules: _Rules) -> bool:
    """ "born [in] Canada", "went [to] Syria": the preposition hangs on a verb of being,
    living, birth or travel, or on a noun of the people or property modifier rule ("the war
    [in] Iraq", "family [in] the United States")."""
    head = prep.head
    lemma = head.lemma_.lower()
    if head.pos_ in ("VERB", "AUX"):
        return lemma in rules.location_verbs
    return head.pos_ == "NOUN" and (
        lemma in rules.modifier_heads or head.lower_ in rules.modifier_heads
    )


def implausible_person(name: str) -> bool:
    """Whether a PERSON entity's text cannot be a person's name."""
    cleaned = name.strip()
    if not _NAME_CHARS.match(cleaned) or _STANCE_PREFIX.match(cleaned):
        return True  # "W]e", "pro-Clinton"
    words = cleaned.split()
    return all(w.lower() in STOP_WORDS for w in words)  # "Will Be"


def is_media(name: str) -> bool:
    """Whether a name is a media outlet or platform ("Twitter", "the Washington Post")."""
    return fold(name) in _rules().media


__all__ = ["country_in_passing", "implausible_person", "is_media"]
