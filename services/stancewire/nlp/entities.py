"""Entity normalisation: an entity mention's canonical name, kind and country.

Countries are named in news in many ways: by name ("Russia", "the Russian Federation"), short
form ("Britain", "the U.S."), capital ("Moscow", "Astana"), adjective ("Russian", "Kazakh"),
institution or building ("the Kremlin", "Downing Street", "Britain's Treasury") and
administration ("the Obama administration"). All of them normalise here to one ISO 3166-1
alpha-2 code and one canonical name, so that stance toward "Moscow" and toward "Russia" adds up
to stance toward one target.

The country table is derived from packages, not typed by hand: ISO codes and official names from
``pycountry``; common names, alternative spellings, capitals and demonyms from ``countryinfo``.
``data/entities.yaml`` adds the short forms, renamed capitals, adjectives, metonyms and
international organisations those packages lack (sources noted there).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import pycountry
from countryinfo import all_countries

from stancewire.events import EntityKind
from stancewire.nlp.datafiles import data_yaml

AliasSource = Literal["curated", "name", "capital", "adjective", "metonym", "organization"]

# Longest alias, in words ("United States of America", "Organization for Security and ...").
MAX_ALIAS_WORDS = 7

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "\u00a0": " "})
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"'s?$")
_EDGE_PUNCT = re.compile(r"^[^\w]+|[^\w.+]+$")
_TRAILING_CONJUNCTION = re.compile(r"\s+(?:and|or|&)$", re.IGNORECASE)
_WORD = re.compile(r"[\w][\w.'+\-]*")


@dataclass(frozen=True, slots=True)
class NormalizedEntity:
    """What a mention refers to: ``name`` is canonical ("Russia" for "the Kremlin")."""

    name: str
    kind: EntityKind
    country: str | None = None


@dataclass(frozen=True, slots=True)
class _Alias:
    entity: NormalizedEntity
    source: AliasSource


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    folded: Mapping[str, _Alias]  # accent- and case-folded alias -> entity
    acronyms: Mapping[str, _Alias]  # upper-case acronyms, dots removed ("US", "EU")
    country_names: Mapping[str, str]  # ISO alpha-2 -> canonical name
    us_presidents: frozenset[str]
    given_names: frozenset[str]
    institution_heads: frozenset[str]
    person_roles: frozenset[str]
    honorifics: tuple[str, ...]


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used as the lookup key (cached: the
    same names and words are folded again and again, some 41,000 times on PolNeAR dev)."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = " ".join(text.split())
    text = _LEADING_ARTICLE.sub("", text)
    text = _POSSESSIVE.sub("", text)
    text = _EDGE_PUNCT.sub("", text)
    return text.casefold()


def _acronym_key(text: str) -> str | None:
    """``"U.S."`` -> ``"US"``: all-capital short forms are matched case-sensitively only,
    so that the pronoun "us" never becomes the United States."""
    stripped = _EDGE_PUNCT.sub("", strip_article(text))
    bare = stripped.replace(".", "").replace("-", "")
    if 2 <= len(bare) <= 6 and bare.isupper() and bare.replace("+", "").isalnum():
        return bare
    return None


def _load_curated() -> dict[str, Any]:
    data = data_yaml("entities.yaml")
    if not isinstance(data, dict):
        raise ValueError("entities.yaml must be a mapping")
    return data


def _country_names() -> dict[str, str]:
    """Canonical English name per ISO code: pycountry's common name, else countryinfo's."""
    info_names: dict[str, str] = {}
    for country in all_countries():
        iso = country.iso()
        code = iso.get("alpha2") if isinstance(iso, dict) else None
        if isinstance(code, str):
            info_names.setdefault(code.upper(), country.name().strip())
    names: dict[str, str] = {}
    for record in pycountry.countries:
        code = record.alpha_2
        common = getattr(record, "common_name", None)
        names[code] = common or info_names.get(code) or record.name
    return names


def _is_code(code: object) -> bool:
    return isinstance(code, str) and pycountry.countries.get(alpha_2=code) is not None


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    curated = _load_curated()
    country_names = _country_names()
    ambiguous = {fold(name) for name in curated.get("ambiguous", [])}
    folded: dict[str, _Alias] = {}
    acronyms: dict[str, _Alias] = {}

    def add(alias: str, entity: NormalizedEntity, source: AliasSource, *, force: bool) -> None:
        acronym = _acronym_key(alias)
        key = fold(alias)
        if not key or (key in ambiguous and not force):
            return
        if acronym is not None and source in ("curated", "metonym", "organization"):
            table: dict[str, _Alias] = acronyms
            key = acronym
        elif acronym is not None and len(acronym) <= 3:
            return  # ISO codes in countryinfo's spellings ("IT", "IN"): too ambiguous
        else:
            table = folded
        if force or key not in table:
            table[key] = _Alias(entity, source)

    def country(code: str) -> NormalizedEntity:
        return NormalizedEntity(country_names[code], "country", code)

    # Curated entries first: they override what the packages say ("Astana", "Kazakh").
    sections: tuple[tuple[str, AliasSource], ...] = (
        ("names", "curated"),
        ("capitals", "capital"),
        ("adjectives", "adjective"),
        ("metonyms", "metonym"),
    )
    for section, source in sections:
        for alias, code in (curated.get(section) or {}).items():
            if not _is_code(code):
                raise ValueError(f"entities.yaml {section}.{alias}: {code!r} is no ISO code")
            add(str(alias), country(code), source, force=True)
    for canonical, aliases in (curated.get("organizations") or {}).items():
        entity = NormalizedEntity(str(canonical), "organization", None)
        for alias in [canonical, *aliases]:
            add(str(alias), entity, "organization", force=True)
    for canonical, aliases in (curated.get("states_without_iso_code") or {}).items():
        entity = NormalizedEntity(str(canonical), "country", None)
        for alias in [canonical, *(aliases or [])]:
            add(str(alias), entity, "curated", force=True)

    for alias, entity, source in _derived_aliases(country):
        add(alias, entity, source, force=False)

    def words(section: str) -> frozenset[str]:
        return frozenset(fold(str(w)) for w in curated.get(section) or [])

    honorifics = sorted((str(h) for h in curated.get("honorifics") or []), key=len, reverse=True)
    return _Gazetteer(
        folded=folded,
        acronyms=acronyms,
        country_names=country_names,
        us_presidents=words("us_presidents"),
        given_names=words("given_names"),
        institution_heads=words("institution_heads"),
        person_roles=words("person_roles"),
        honorifics=tuple(honorifics),
    )


def _derived_aliases(
    country: Callable[[str], NormalizedEntity],
) -> list[tuple[str, NormalizedEntity, AliasSource]]:
    """The packages' aliases, in the order they are added (the first of a key wins): pycountry's
    names, then countryinfo's names and spellings, then its capitals and demonyms. A demonym
    shared by several countries ("Chinese": CN, HK, MO) goes to the most populous one."""
    derived: list[tuple[str, NormalizedEntity, AliasSource]] = []
    for record in pycountry.countries:
        entity = country(record.alpha_2)
        for name in (record.name, getattr(record, "official_name", None)):
            if name and "," not in name:
                derived.append((name, entity, "name"))
        common = getattr(record, "common_name", None)
        if common:
            derived.append((common, entity, "name"))
    coded = []
    for info in sorted(all_countries(), key=lambda c: -(_population(c))):
        iso = info.iso()
        code = iso.get("alpha2") if isinstance(iso, dict) else None
        if _is_code(code):
            coded.append((info, country(str(code))))
    for info, entity in coded:
        derived.append((info.name(), entity, "name"))
        derived.extend((alt, entity, "name") for alt in _strings(info.alt_spellings()))
    for info, entity in coded:
        derived.extend((cap, entity, "capital") for cap in _strings([info.capital()]))
        for demonym in _strings([info.demonym()]):
            derived.append((demonym, entity, "adjective"))
            derived.append((_plural(demonym), entity, "adjective"))
    return derived


def _population(info: Any) -> int:
    value = info.population()
    return value if isinstance(value, int) else 0


def _strings(values: Iterable[object] | None) -> list[str]:
    return [v for v in values or [] if isinstance(v, str) and v.strip()]


def _plural(demonym: str) -> str:
    """ "Russian" -> "Russians"; "Chinese", "British", "Dutch" have no -s plural."""
    if demonym.endswith(("ese", "sh", "ch", "ss", "s")):
        return demonym
    return demonym + "s"


def lookup_alias(text: str) -> NormalizedEntity | None:
    """Exact lookup of a whole mention ("Moscow", "the Kremlin", "EU"), no composition."""
    alias = _lookup(text)
    return alias.entity if alias else None


def is_capital(text: str) -> bool:
    """Whether a mention is a capital's name ("Moscow", "Washington"), not the country's."""
    alias = _lookup(text)
    return alias is not None and alias.source == "capital"


def _lookup(text: str) -> _Alias | None:
    gazetteer = _gazetteer()
    acronym = _acronym_key(text)
    if acronym is not None and acronym in gazetteer.acronyms:
        return gazetteer.acronyms[acronym]
    key = fold(text)
    if acronym is not None and len(key) <= 3:
        return None
    return gazetteer.folded.get(key)


def country_name(code: str) -> str | None:
    """Canonical English name of an ISO 3166-1 alpha-2 code ("RU" -> "Russia")."""
    return _gazetteer().country_names.get(code.upper())


def _words(text: str) -> list[str]:
    return [_POSSESSIVE.sub("", w) for w in _WORD.findall(text.translate(_APOSTROPHES))]


def _embedded_country(words: list[str]) -> tuple[NormalizedEntity, int, int] | None:
    """Longest country alias inside a phrase ("Britain's Treasury" -> Britain at 0..1)."""
    for size in range(min(MAX_ALIAS_WORDS, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            alias = _lookup(" ".join(words[start : start + size]))
            if alias and alias.entity.country is not None:
                return alias.entity, start, start + size
    return None


def is_title(word: str) -> bool:
    """Whether a word is a one-word title written before a name ("Mr.", "Senator")."""
    return word in _gazetteer().honorifics


def _strip_honorifics(name: str) -> str:
    gazetteer = _gazetteer()
    changed = True
    while changed:
        changed = False
        for title in gazetteer.honorifics:
            if name.startswith(title + " ") and len(name) > len(title) + 1:
                name = name[len(title) + 1 :].lstrip()
                changed = True
    return name


def strip_article(text: str) -> str:
    """The text, trimmed, without a leading "the", "a" or "an"."""
    return _LEADING_ARTICLE.sub("", text.strip())


def clean_mention(text: str) -> str:
    """The mention without surrounding punctuation, leading article or possessive."""
    text = " ".join(text.translate(_APOSTROPHES).split())
    text = _LEADING_ARTICLE.sub("", text)
    text = _EDGE_PUNCT.sub("", _TRAILING_CONJUNCTION.sub("", text))
    return _EDGE_PUNCT.sub("", _POSSESSIVE.sub("", text))


def normalize_entity(text: str, label: str | None = None) -> NormalizedEntity | None:
    """Canonical name, kind and country of a mention; ``label`` is spaCy's entity label.

    Countries and what stands for them (capitals, adjectives, metonyms, government bodies such
    as "Britain's Treasury" or "the Obama administration") become kind ``country`` with the
    country's canonical name. Roles of a country ("the Kazakh leader") stay persons with that
    country. Returns None when nothing can be said about the text.
    """
    cleaned = clean_mention(text)
    if not cleaned or not any(ch.isalpha() for ch in cleaned):
        return None
    gazetteer = _gazetteer()
    alias = _lookup(cleaned)
    if alias is not None and not (
        label == "PERSON"
        and alias.source in ("name", "capital")
        and fold(cleaned) in gazetteer.given_names
    ):
        return alias.entity

    words = _words(cleaned)
    folded_words = [fold(w) for w in words]
    if (
        len(words) >= 2
        and folded_words[-1] == "administration"
        and folded_words[-2] in gazetteer.us_presidents
    ):
        return NormalizedEntity(gazetteer.country_names["US"], "country", "US")

    embedded = _embedded_country(words) if label != "PERSON" or len(words) > 1 else None
    if embedded is not None:
        country, start, end = embedded
        rest = folded_words[:start] + folded_words[end:]
        return _with_embedded_country(cleaned, label, country, rest)

    if label == "PERSON":
        return NormalizedEntity(_strip_honorifics(cleaned), "person", None)
    if label in ("ORG", "FAC"):
        return NormalizedEntity(cleaned, "organization", None)
    if label == "NORP":
        return NormalizedEntity(cleaned, "group", None)
    if label in ("GPE", "LOC"):
        return NormalizedEntity(cleaned, "unknown", None)
    return None


def _with_embedded_country(
    cleaned: str, label: str | None, country: NormalizedEntity, rest_folded: list[str]
) -> NormalizedEntity:
    """A mention holding a country's name, by the words around it (``rest_folded``): the
    country's institution ("Britain's Treasury") is the country, its role ("the Kazakh
    leader") a person of that country, anything else an organisation, group or place."""
    gazetteer = _gazetteer()
    rest = re.sub(r"^(?:of|'s)\s+|\s+(?:of|'s)$", "", " ".join(rest_folded)).strip()
    rest_words = [w for w in rest.split() if w not in ("of", "the", "'s", "and")]
    rest_key = " ".join(rest_words)
    if rest_key in gazetteer.institution_heads or (
        rest_words and rest_words[-1] in gazetteer.institution_heads and len(rest_words) <= 3
    ):
        return country
    if rest_key in gazetteer.person_roles or (
        rest_words and rest_words[-1] in gazetteer.person_roles and len(rest_words) <= 3
    ):
        return NormalizedEntity(cleaned, "person", country.country)
    if label in ("ORG", "FAC") or (label is None and rest_words):
        return NormalizedEntity(cleaned, "organization", country.country)
    if label == "PERSON":
        return NormalizedEntity(_strip_honorifics(cleaned), "person", None)
    if label == "NORP":
        return NormalizedEntity(cleaned, "group", country.country)
    if rest_words:  # "the South China Sea", "the Russian Far East": a place, not the state
        return NormalizedEntity(cleaned, "unknown", None)
    return country


def resolve_country(text: str) -> str | None:
    """ISO 3166-1 alpha-2 code a mention stands for or belongs to, if any.

    ``"Moscow"``, ``"the Kremlin"``, ``"Russian"`` -> ``"RU"``; ``"Britain's Treasury"`` ->
    ``"GB"``; ``"the President of Kazakhstan"`` -> ``"KZ"``; ``"Tokayev"`` -> None.
    """
    entity = normalize_entity(text)
    return entity.country if entity else None


__all__ = [
    "MAX_ALIAS_WORDS",
    "NormalizedEntity",
    "clean_mention",
    "country_name",
    "fold",
    "is_capital",
    "is_title",
    "lookup_alias",
    "normalize_entity",
    "resolve_country",
    "strip_article",
]
