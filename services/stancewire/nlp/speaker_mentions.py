"""Reading one speaker mention: the pieces :class:`.speakers.SpeakerResolver` looks at.

Pure functions of a spaCy span or a string: the name span around a token, the dateline glued
before a mention, an honorific's gender, a place or institution standing for its country, a
country named inside a role ("the Kazakh leader"), the words of a role and of a party.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from stancewire.events import Speaker
from stancewire.nlp import entities
from stancewire.nlp.name_spans import entity_around, role_nouns
from stancewire.nlp.people import resolve_country

__all__ = [
    "GOVERNMENTS",
    "LEADER_TITLES",
    "country_in",
    "has_name",
    "honorific_gender",
    "metonym_country",
    "name_span",
    "other_party",
    "role_words",
    "without_dateline",
]


# Titles of heads of state or government: who "the leader" can be.
LEADER_TITLES = frozenset(
    {"president", "prime", "premier", "chancellor", "king", "queen", "emir", "leader"}
)

# Head nouns that make "<country>'s X" the country itself (a metonym, as "Moscow" is).
GOVERNMENTS = frozenset({"government", "administration", "cabinet", "leadership"})


_HONORIFIC_GENDER = re.compile(r"\b(?:(Mr|Sir)|(Mrs|Ms|Miss|Dame))\.?\s+$")


def honorific_gender(body: str, name_start: int | None) -> str | None:
    """male or female from an honorific right before a name ("Mr. Clinton") at
    ``name_start`` (None: at the end of ``body``), else None."""
    end = len(body) if name_start is None else name_start
    match = _HONORIFIC_GENDER.search(body, max(0, end - 6), end)
    if match is None:
        return None
    return "male" if match.group(1) else "female"


def metonym_country(text: str) -> Speaker | None:
    """The country a whole mention stands for when it is one of its places or institutions
    (the entities module's exact aliases: "Kremlin", "White House", "Moscow")."""
    alias = entities.lookup_alias(text)
    if alias is None or alias.kind != "country" or not alias.country:
        return None
    return Speaker(
        name=alias.name, mention=None, kind="country", country=alias.country, resolution="inferred"
    )


_DASHES = frozenset({"-", "--", "\u2013", "\u2014"})


def without_dateline(mention: Span) -> Span:
    """A mention without the dateline glued before it by the parser ("SEOUL - South Korea's
    unification ministry", "GENEVA (Reuters) - ...")."""
    for token in mention:
        if token.text in _DASHES and token.i + 1 < mention.end:
            opening = mention.doc[mention.start : token.i]
            if any(t.is_upper and len(t) > 1 for t in opening):
                return mention.doc[token.i + 1 : mention.end]
    return mention


def name_span(token: Token) -> Span:
    """The entity around ``token``, else the token with its compounds."""
    entity = entity_around(token)
    if entity is not None:
        return entity
    start = min([token.i] + [c.i for c in token.children if c.dep_ == "compound"])
    return token.doc[start : token.i + 1]


# Party words: "the Democratic nominee" is not the person whose role says Republican.
_PARTIES = frozenset({"democratic", "democrat", "republican", "gop", "labour", "conservative"})


def other_party(modifiers: set[str], role_words: set[str]) -> bool:
    mine, theirs = modifiers & _PARTIES, role_words & _PARTIES
    if "gop" in mine:
        mine |= {"republican"}
    if "gop" in theirs:
        theirs |= {"republican"}
    return bool(mine and theirs and not mine & theirs)


def role_words(role: str) -> set[str]:
    """Lower-case words of a role, abbreviations spelled out ("Sen." -> "senator")."""
    roles = role_nouns()
    words = set()
    for word in role.lower().split():
        words.add(word)
        words.add(roles.get(word, word))
    return words


def has_name(mention: Span) -> bool:
    return any(t.ent_type_ == "PERSON" for t in mention)


def country_in(mention: Span) -> str | None:
    for token in mention:
        if token.ent_type_ in ("GPE", "NORP") or token.pos_ in ("PROPN", "ADJ"):
            if token.is_lower and token.ent_type_ == "":
                continue
            code = resolve_country(token.text)
            if code:
                return code
    return None
