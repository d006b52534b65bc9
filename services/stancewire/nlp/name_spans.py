"""Name spans shared by the people register and the role parser: the entity a token belongs
to, widened to the parts of a personal name the recogniser cut off ("Ursula von der" +
"Leyen"), and the data files both read (role nouns, name particles, words that are no name).

Split from :mod:`.people` so that :mod:`.person_roles` can use it without importing
:mod:`.people`, which imports :mod:`.person_roles`.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Span, Token

from stancewire.nlp.datafiles import read_data

__all__ = [
    "NAME_PARTICLES",
    "NOT_NAMES",
    "data_lines",
    "entity_around",
    "extend_name",
    "name_word",
    "role_nouns",
]


def data_lines(name: str) -> list[list[str]]:
    raw = read_data(name)
    return [
        line.split("\t") for line in raw.splitlines() if line.strip() and not line.startswith("#")
    ]


@lru_cache(maxsize=1)
def role_nouns() -> dict[str, str]:
    """Role noun (and title abbreviation) -> role noun."""
    roles: dict[str, str] = {}
    for columns in data_lines("roles.txt"):
        role = columns[0].strip().lower()
        roles[role] = role
        for abbreviation in columns[1:]:
            roles[abbreviation.strip().lower()] = role
    return roles


# Lower-case words inside names ("Ursula von der Leyen", "Luiz Inacio Lula da Silva");
# source: common European, Arabic and Portuguese/Spanish name particles.
NAME_PARTICLES = frozenset(c[0] for c in data_lines("name_particles.txt"))

# Words that open a capitalised run without being part of a name ("Did Trump", "On Monday").
NOT_NAMES = frozenset(
    w.capitalize() for w in STOP_WORDS | {c[0] for c in data_lines("not_names.txt")}
)


def entity_around(token: Token) -> Span | None:
    """The named entity ``token`` is part of, found from the token's own IOB tags (reading
    ``doc.ents`` costs the whole document every time)."""
    if not token.ent_type_:
        return None
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return extend_name(Span(doc, start, end, label=token.ent_type_))


def name_word(token: Token) -> bool:
    """A capitalised proper word that can be part of a personal name (not a title)."""
    return (
        token.pos_ == "PROPN"
        and token.is_title
        and token.lower_ not in role_nouns()
        and token.text not in NOT_NAMES
        and token.ent_type_ in ("", "PERSON")
    )


def extend_name(span: Span) -> Span:
    """A name span with the parts the recogniser cut off: particles and the words around
    them ("Ursula von der" + "Leyen"), a first name left outside ("Tedros" before "Adhanom
    Ghebreyesus")."""
    doc = span.doc
    start, end = span.start, span.end
    if span.label_ not in ("PERSON", "GPE", "ORG", "NORP", ""):
        return span
    while end < len(doc) and (
        doc[end - 1].lower_ in NAME_PARTICLES
        or (doc[end].lower_ in NAME_PARTICLES and end + 1 < len(doc) and doc[end + 1].is_title)
    ):
        end += 1
    while start > 0 and (
        (doc[start - 1].lower_ in NAME_PARTICLES and doc[start - 1].is_lower)
        or (
            span.label_ in ("PERSON", "")
            and name_word(doc[start - 1])
            and doc[start - 1].dep_ == "compound"
            and start <= doc[start - 1].head.i < end
        )
    ):
        start -= 1
    # A particle never starts a full name with a first name before it ("von der Leyen").
    if start > 0 and doc[start].lower_ in NAME_PARTICLES and name_word(doc[start - 1]):
        start -= 1
    if (start, end) == (span.start, span.end):
        return span
    return Span(doc, start, end, label=span.label_ or "PERSON")
