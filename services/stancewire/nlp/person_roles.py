"""The roles and countries of the people an article names: from appositives ("the President
of Kazakhstan, Kassym-Jomart Tokayev"), titles before the name ("Russian President Vladimir
Putin", "Sen. Ted Cruz") and the role nouns of ``role_nouns.txt``.

Split from :mod:`.people`, whose register calls :func:`role_of` for each named person.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Span, Token

from stancewire.nlp import entities
from stancewire.nlp.name_spans import data_lines, entity_around, role_nouns

__all__ = [
    "OF_TITLE",
    "ROLE_OBJECTS",
    "appositive_role",
    "country_name",
    "country_of_phrase",
    "data_lines",
    "preceding_role",
    "resolve_country",
    "role_nouns",
    "role_of",
    "spelled_out",
    "split_country",
    "title_abbreviation",
]


def resolve_country(text: str) -> str | None:
    """ISO alpha-2 code a place, demonym or institution stands for (entities module)."""
    code = entities.resolve_country(text)
    return code if code is not None and re.fullmatch(r"[A-Z]{2}", code) else None


def country_name(code: str) -> str:
    return entities.country_name(code) or code


# Words completing a title after "of" right before a name (data/role_objects.txt).
ROLE_OBJECTS = frozenset(c[0] for c in data_lines("role_objects.txt"))


def _of_title_pattern() -> re.Pattern[str]:
    alternation = "|".join(
        sorted((re.escape(r) for r in role_nouns() if not r.endswith(".")), key=len, reverse=True)
    )
    return re.compile(r"\b((?i:" + alternation + r")\s+of(?:\s+the)?)\s+$")


OF_TITLE = _of_title_pattern()


@lru_cache(maxsize=1)
def _role_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Appositive role phrases before a name ("the President of France, ") and after it
    (", the French foreign minister")."""
    alternation = "|".join(
        sorted((re.escape(r) for r in role_nouns() if not r.endswith(".")), key=len, reverse=True)
    )
    of_place = r"(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)?"
    before = re.compile(r"((?:[A-Z][\w'-]*\s+)*(?i:" + alternation + r")" + of_place + r"),\s*$")
    after = re.compile(
        r"^,\s+(?:the|a|an)\s+((?:[\w'-]+\s+){0,3}?(?i:" + alternation + r")" + of_place + r")\b"
    )
    return before, after


@lru_cache(maxsize=1)
def _preceding_role_pattern() -> re.Pattern[str]:
    alternation = "|".join(
        sorted((re.escape(r) for r in role_nouns() if not r.endswith(".")), key=len, reverse=True)
    )
    # "Ambassador to the United Nations Linda Thomas-Greenfield": the title may end in a
    # capitalised "of/to/for" phrase right up to the name.
    portfolio = r"(?:\s+(?:of|to|for)(?:\s+the)?(?:\s+[A-Z][\w'.-]*){1,4})?"
    return re.compile(
        r"((?:[A-Za-z][\w'.-]*\s+){0,3}?(?i:" + alternation + r")" + portfolio + r")\s+$"
    )


def preceding_role(text: str, start: int) -> str | None:
    """A role phrase right before a name: "Republican presidential nominee Donald Trump",
    "House Speaker Paul Ryan" (lower- or upper-case, up to four words)."""
    match = _preceding_role_pattern().search(text, max(0, start - 60), start)
    if match is None:
        return None
    words = match.group(1).split()
    while words and words[0].lower() in ("the", "a", "an", "and", "by", "said", "says", "of"):
        words = words[1:]
    return " ".join(words) or None


def spelled_out(role: str) -> str:
    """A role with its title abbreviations written out: "Sen." -> "Senator"."""
    roles = role_nouns()
    return " ".join(
        roles[w.lower()].title() if w.endswith(".") and w.lower() in roles else w
        for w in role.split()
    )


def split_country(role: str) -> tuple[str, str | None]:
    """A role without the country words that open it, and that country: "Brazilian Health
    Minister" -> ("Health Minister", "BR"), "South Africa's foreign minister" -> ("foreign
    minister", "ZA"). A role that is only a country word stays as it is."""
    words = role.split()
    # Shortest first: the country lookup is forgiving ("German Foreign" would find DE).
    for size in (1, 2, 3):
        if len(words) > size and words[0][:1].isupper():
            code = resolve_country(" ".join(words[:size]))
            if code:
                return " ".join(words[size:]), code
    return role, None


def country_of_phrase(phrase: str | None) -> str | None:
    if not phrase:
        return None
    return next((c for c in map(resolve_country, re.findall(r"[A-Z][\w'-]+", phrase)) if c), None)


_ABBREVIATED_TITLE = re.compile(r"\b([A-Z][a-z]{1,4}\.(?: [A-Z][a-z]{1,4}\.)?)\s+$")


def title_abbreviation(text: str, start: int) -> str | None:
    """The role an abbreviated title before a name stands for ("Sen. Ted Cruz": senator)."""
    match = _ABBREVIATED_TITLE.search(text, max(0, start - 12), start)
    if match is None:
        return None
    return role_nouns().get(match.group(1).lower().split()[-1])


def appositive_role(text: str, start: int, end: int) -> tuple[str | None, str | None]:
    """Role and country from an appositive next to the name at ``text[start:end]``."""
    before, after = _role_patterns()
    match = before.search(text, max(0, start - 100), start) or after.search(text[end : end + 100])
    if match is None:
        return None, None
    role = match.group(1)
    country = next((c for c in map(resolve_country, re.findall(r"[A-Z][\w'-]+", role)) if c), None)
    return role, country


def role_of(ent: Span) -> tuple[str | None, str | None]:
    """Role and country from an appositive or a title before the name."""
    roles = role_nouns()
    root = ent.root
    doc = ent.doc
    phrase: Span | None = None
    # "the President of Kazakhstan, Kassym-Jomart Tokayev" / "Tokayev, the Kazakh president"
    if root.dep_ == "appos" and root.head.lemma_.lower() in roles:
        head = root.head
        ends = [t.i for t in head.subtree if t.i < ent.start]
        phrase = doc[head.left_edge.i : (max(ends) + 1 if ends else head.i + 1)]
    else:
        for child in root.children:
            if child.dep_ == "appos" and child.lemma_.lower() in roles:
                # "McConnell, now Senate majority leader, who ...": not the clause.
                end = child.right_edge.i + 1
                for t in child.subtree:
                    if t.dep_ in ("relcl", "acl", "advcl") and t.i > child.i:
                        end = min(end, t.left_edge.i)
                while end > child.i + 1 and doc[end - 1].is_punct:
                    end -= 1
                phrase = doc[child.left_edge.i : end]
                break
    if phrase is None:
        # "Russian President Vladimir Putin", "Brazilian Health Minister Alexandre Padilha",
        # "Kenya's President William Ruto": every premodifier hanging on the title or name.
        start = ent.start
        while start > 0 and _in_title(doc[start - 1], ent):
            start -= 1
        if start < ent.start:
            phrase = doc[start : ent.start]
    if phrase is None:
        return None, None
    words = [t for t in phrase if t.dep_ != "det" and not t.is_punct]
    if not any(t.lemma_.lower() in roles or t.lower_ in roles for t in words):
        return None, None
    country = _country_of_tokens(phrase)
    # A leading demonym or possessive country is the country, not part of the role:
    # "Brazilian Health Minister" is a Health Minister of BR.
    while len(words) > 1 and (
        words[0].dep_ == "case"
        or (
            words[0].dep_ in ("amod", "poss", "compound")
            and resolve_country(words[0].text)
            and words[0].ent_type_ in ("NORP", "GPE")
        )
    ):
        words = words[1:]
    while len(words) > 1 and words[0].tag_ in ("VBG", "VBN"):
        words = words[1:]  # "visiting U.S. Secretary of State": not part of the title
    # The span's own text: doc.text would join the whole document on every call.
    role = " ".join(doc[words[0].i : words[-1].i + 1].text.split()) or None
    return role, country


# Dependencies that keep a word inside a title before a name: "Prime Minister", "Secretary of
# State", "Kenya's President", "Director-General".
_TITLE_DEPS = frozenset({"compound", "amod", "nmod", "poss", "case", "prep", "pobj"})


def _in_title(token: Token, ent: Span) -> bool:
    """Whether ``token`` (before ``ent``) belongs to the title premodifying the name: its
    chain of heads reaches the name through title dependencies only."""
    node = token
    for _ in range(12):
        if node.is_punct and not (node.text == "-" and not node.whitespace_):
            return False
        if node.dep_ not in _TITLE_DEPS and not node.is_punct:
            return False
        head = node.head
        if ent.start <= head.i < ent.end:
            return True
        if node.dep_ == "case" and head.i == node.i - 1:
            node = head  # the possessive "'s" hangs on the country before it
            continue
        if head.i == node.i or head.i >= ent.start:
            return False
        node = head
    return False


def _country_of_tokens(phrase: Span) -> str | None:
    """The country a role phrase names: its place and demonym entities first ("South
    Africa's"), then single proper words."""
    doc = phrase.doc
    i = phrase.start
    while i < phrase.end:
        token = doc[i]
        if token.ent_type_ in ("GPE", "NORP"):
            entity = entity_around(token)
            if entity is not None:
                code = resolve_country(entity.text)
                if code:
                    return code
                i = max(i + 1, entity.end)
                continue
        if token.pos_ in ("PROPN", "ADJ") and not token.is_lower:
            code = resolve_country(token.text)
            if code:
                return code
        i += 1
    return None
