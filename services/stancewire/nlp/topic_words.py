"""Words of a text as the topic matcher reads them (:mod:`.topics`).

Lower-case tokens and their Snowball English stems; the word forms and fixed phrases of
``data/topics.yaml`` that are never evidence (``false_forms``, ``not_evidence``); and whether a
text is foreign affairs, the context in which "allies", "talks" or "sanctions" are strong.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import snowballstemmer

from stancewire.nlp.datafiles import data_yaml
from stancewire.nlp.entities import MAX_ALIAS_WORDS, lookup_alias

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+[^\W\d_]+", re.UNICODE)
_APOSTROPHE_END = re.compile(r"'s?$")


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    """Snowball's English stemmer: PyStemmer's C build when installed (a dependency; the same
    stems as the pure-Python one on all 27,439 PolNeAR train and dev word forms, a
    seventeenth of the CPU), else snowballstemmer's pure-Python one."""
    return snowballstemmer.stemmer("english")


def _normalised(text: str) -> str:
    """Hyphens as spaces, curly apostrophes straight: the same length, so the offsets of a
    match in it are offsets into ``text``."""
    return text.replace("-", " ").replace("’", "'")


def _word_matches(text: str) -> list[re.Match[str]]:
    """The words of :func:`tokens`, as matches (their offsets are ``text``'s)."""
    return list(_WORD.finditer(_normalised(text)))


def tokens(text: str) -> list[str]:
    """Lower-case words; hyphenated words split ("cross-border" -> cross, border)."""
    words = _WORD.findall(_normalised(text))
    return [_APOSTROPHE_END.sub("", w.lower()) if "'" in w else w.lower() for w in words]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_stemmer().stemWord(word))


def stems(text: str) -> list[str]:
    return [stem(w) for w in tokens(text)]


_CAPITALISED = re.compile(r"(?:[A-Z][\w.'’-]*)(?:\s+(?:of\s+)?[A-Z][\w.'’-]*)*")


@lru_cache(maxsize=1)
def false_forms() -> frozenset[str]:
    """Word forms that share a term's stem but not its sense ("according", "senator")."""
    return frozenset(str(w).lower() for w in data_yaml("topics.yaml")["false_forms"])


@lru_cache(maxsize=1)
def _not_evidence() -> dict[str, list[tuple[str, ...]]]:
    """First stem -> the stemmed fixed phrases starting with it in which no term is evidence
    ("social security", "press conference", "trade off")."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in data_yaml("topics.yaml")["not_evidence"]:
        phrase_stems = tuple(stems(str(phrase)))
        if phrase_stems:
            index.setdefault(phrase_stems[0], []).append(phrase_stems)
    return index


def blocked(stems: list[str]) -> frozenset[int]:
    """Word positions inside a phrase that is not evidence."""
    index = _not_evidence()
    blocked: set[int] = set()
    for i, stem in enumerate(stems):
        for phrase in index.get(stem, ()):
            if tuple(stems[i : i + len(phrase)]) == phrase:
                blocked.update(range(i, i + len(phrase)))
    return frozenset(blocked)


@lru_cache(maxsize=1)
def _foreign_words() -> frozenset[str]:
    return frozenset(str(w).lower() for w in data_yaml("topics.yaml")["foreign_context"])


@lru_cache(maxsize=4096)
def is_international(text: str) -> bool:
    """Whether the text names a country, a capital or metonym standing for one, or an
    international organisation, or speaks of states ("the two capitals", "foreign"): the
    foreign-affairs context in which "allies", "talks" or "attack" are diplomacy and security
    rather than domestic politics."""
    if not _foreign_words().isdisjoint(tokens(text)):  # exact words: "nations", not "nation"
        return True
    for run in _CAPITALISED.findall(text):
        words = run.split()
        for size in range(min(MAX_ALIAS_WORDS, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                if _names_a_state(" ".join(words[start : start + size])):
                    return True
    return False


def _names_a_state(phrase: str) -> bool:
    """Whether a capitalised phrase is a country, capital, metonym or international body; a
    sentence's full stop is not part of the name ("in northern Syria." is Syria), an
    abbreviation's is ("the U.S."); a hyphenated word names one when a part does
    ("Moscow-backed", "U.S.-Mexico")."""
    candidates = [phrase]
    if phrase.endswith("."):
        candidates.append(phrase[:-1])
    if " " not in phrase and "-" in phrase:
        candidates += [part for part in phrase.rstrip(".").split("-") if part[:1].isupper()]
    for candidate in candidates:
        entity = lookup_alias(candidate)
        if entity is not None and entity.kind in ("country", "organization"):
            return True
    return False


@lru_cache(maxsize=1)
def _organisation_heads() -> frozenset[str]:
    """Nouns that end or open an organisation's name ("Center for Security Policy", "Muslim
    Brotherhood"): topics.yaml ``organisation_heads``."""
    return frozenset(str(w).lower() for w in data_yaml("topics.yaml")["organisation_heads"])


_NAME_LINKS = frozenset({"for", "of", "on", "and", "the"})
HEADLINE_SHARE = 0.6  # of a text's words capitalised: a title-case headline, not names


def _is_headline(matches: list[re.Match[str]], min_words: int = 5) -> bool:
    """Whether a text of ``min_words`` or more words is in title case ("Wealthy Voters Abandon
    Republican Party for Hillary Clinton"), where a capitalised run is no name."""
    words = [m.group() for m in matches if m.group() not in _NAME_LINKS]
    capitals = sum(1 for w in words if _NAME.match(w))
    return len(words) >= min_words and capitals >= HEADLINE_SHARE * len(words)


def _spaced(text: str, left: re.Match[str], right: re.Match[str]) -> bool:
    """Whether only spaces stand between two words of ``text`` (a name's words are joined so)."""
    return not text[left.end() : right.start()].strip(" ")


MAX_NAME_WORDS = 6  # capitalised words of a name on either side of its head


def organisation_names(text: str, words: list[str] | None = None) -> frozenset[int]:
    """Positions (in :func:`tokens`) of the words of an organisation's name: a capitalised
    run of at least two words, with only spaces between them (and "for", "of", "on", "and",
    "the" inside), that holds a head noun of ``organisation_heads`` ("the Center for Security
    Policy", "the Muslim Brotherhood", "Club for Growth"), unless the entity lexicon knows it
    for an international body ("World Trade Organization"). A name is no evidence of what its
    words mean: the think tank's poll is not about security policy."""
    heads = _organisation_heads()
    if heads.isdisjoint(tokens(text) if words is None else words):  # ``words``: its tokens
        return frozenset()
    matches = _word_matches(text)
    if _is_headline(matches):
        return frozenset()
    found: set[int] = set()
    run: list[int] = []  # positions of the current run, links included

    def close() -> None:
        while run and not _NAME.match(matches[run[-1]].group()):
            run.pop()  # a run ends with a capitalised word ("Club for Growth and" -> ...Growth)
        capitalised = [i for i in run if _NAME.match(matches[i].group())]
        if len(capitalised) >= 2 and any(matches[i].group().lower() in heads for i in run):
            name = text[matches[run[0]].start() : matches[run[-1]].end()].removeprefix("The ")
            if not _names_a_state(name):  # an international body's name is foreign context
                found.update(run)
        run.clear()

    for i, match in enumerate(matches):
        word = match.group()
        joined = bool(run) and _spaced(text, matches[i - 1], match)
        capital = bool(_NAME.match(word))
        extends = capital and (joined or not run) and len(run) < 2 * MAX_NAME_WORDS
        if extends or (joined and word in _NAME_LINKS):
            run.append(i)
        else:
            close()
            if _NAME.match(word):
                run.append(i)
    close()
    return frozenset(found)


def named_statutes(text: str, words: list[str]) -> frozenset[int]:
    """Positions (in :func:`tokens`, ``words`` being the text's) of the word "Act" closing a
    capitalised name ("the Foreign Agents Registration Act", "the Protecting Freedom of
    Conscience from Government Discrimination Act"): a statute, law's evidence, whatever its
    own words are about. Not in a title-case headline ("Accused Of Shocking Act")."""
    if "act" not in words:
        return frozenset()
    matches = _word_matches(text)
    found: set[int] = set()
    for i, match in enumerate(matches):
        if match.group() != "Act":
            continue
        start = i  # the name's first word: capitalised words (and links) joined by spaces
        while start > 0 and _spaced(text, matches[start - 1], matches[start]):
            word = matches[start - 1].group()
            if not (_NAME.match(word) or word in _NAME_LINKS):
                break
            start -= 1
        name = [m.group() for m in matches[start:i]]
        rest = matches[:start] + matches[i + 1 :]  # a title-case headline outside the name
        if any(w not in _NOT_NAMES and w not in _NAME_LINKS for w in name) and not (
            _is_headline(rest, min_words=3)
        ):
            found.add(i)
    return frozenset(found)


_ARGUMENT_LINKS = frozenset({"on", "against", "by", "from"})
_ARTICLES = frozenset({"a", "an", "the"})
_PERSONAL_PRONOUNS = frozenset({"him", "her"})  # lower case: a capital "Her" opens a phrase
_NAME = re.compile(r"[A-Z][a-z]")
# capitalised words after "attack" that name no person: dates and the attackers' creed
_NOT_NAMES = frozenset(
    {
        "Islamic",
        "Jan",
        "Feb",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "It",
        "This",
        "That",
        "The",
        "In",
        "On",
        "A",
        "An",
    }
)


def _group_follows(words: list[str], j: int) -> bool:
    """Whether ``words[j]`` is a group of people, or an article and at most one more word
    before one ("a federal judge")."""
    groups = _groups()
    if words[j].lower() in groups:
        return True
    if words[j].lower() not in _ARTICLES:
        return False
    return any(w.lower() in groups for w in words[j + 1 : j + 3])


@lru_cache(maxsize=1)
def _groups() -> frozenset[str]:
    """Groups of people that a word of attack aims at in its campaign sense (topics.yaml)."""
    return frozenset(str(w).lower() for w in data_yaml("topics.yaml")["attacked_groups"])


def named_arguments(text: str, heads: frozenset[str]) -> frozenset[int]:
    """Positions (in :func:`tokens`) of the words with a stem in ``heads`` whose argument is a
    name that is no country, capital, metonym or international organisation: "attacked Cruz",
    "attacks on Clinton", "attacked by Trump" (a person: the campaign sense), not "attacks on
    Paris" or "attacked by Russia"; or a group of people in the same sense ("attacking
    immigrants", ``attacked_groups`` in topics.yaml). The argument is the next word, or the one
    after "on", "against", "by" or "from", with only spaces between; a capitalised word the
    entity lexicon does not know is taken for a person's name."""
    matches = _word_matches(text)
    original = [m.group() for m in matches]
    found: set[int] = set()
    for i, word in enumerate(original):
        if stem(word.lower()) not in heads:
            continue
        j = i + 1
        if j < len(original) and original[j].lower() in _ARGUMENT_LINKS:
            j += 1
        # the argument follows in the same clause: only spaces between ("attacks," Carson said)
        if j >= len(original):
            continue
        gap = text[matches[i].end() : matches[j].start()].strip(" ").lower()
        if gap and gap not in _ARGUMENT_LINKS:
            continue
        if original[j] in _PERSONAL_PRONOUNS or _group_follows(original, j):
            found.add(i)  # "attacking immigrants", "attacked a federal judge", "attacked her"
            continue
        if not _NAME.match(original[j]) or original[j] in _NOT_NAMES:
            continue
        name = original[j].removesuffix("'s")
        pair = " ".join(original[j : j + 2])
        known = lookup_alias(pair) or lookup_alias(name)
        if known is None or known.kind not in ("country", "organization"):
            found.add(i)
    return frozenset(found)


_POSSESSIVE_PRONOUNS = frozenset({"his", "her", "their"})


def possessed(text: str) -> frozenset[int]:
    """Positions (in :func:`tokens`) of the words that follow a person's possessive: "his",
    "her", "their", or a capitalised word with 's that names no country, capital, metonym or
    international organisation ("Trump's campaign", "her campaign"; not "Russia's campaign",
    nor "its campaign")."""
    matches = _word_matches(text)
    found: set[int] = set()
    for i, match in enumerate(matches[:-1]):
        word = match.group()
        named = word.endswith("'s") and _NAME.match(word) and not _names_a_state(word[:-2])
        if word.lower() in _POSSESSIVE_PRONOUNS or named:
            found.add(i + 1)
    return frozenset(found)


__all__ = [
    "blocked",
    "false_forms",
    "is_international",
    "named_arguments",
    "named_statutes",
    "organisation_names",
    "possessed",
    "stem",
    "stems",
    "tokens",
]
