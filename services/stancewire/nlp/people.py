"""The people an article names: a register built cheaply from the whole body.

Entity spans give names in the parsed sentences, capitalised name sequences elsewhere; each
person keeps the fullest form of their name, where they were first named, every later mention,
and the role and country that appositives or titles give ("the President of Kazakhstan,
Kassym-Jomart Tokayev", "Russian President Vladimir Putin", "Sen. Ted Cruz"). Speaker
resolution (:mod:`.speakers`) looks names, surnames, pronouns and role nouns up here.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from stancewire.nlp.name_spans import (
    NAME_PARTICLES,
    NOT_NAMES,
    data_lines,
    entity_around,
    extend_name,
    role_nouns,
)
from stancewire.nlp.person_roles import (
    OF_TITLE,
    ROLE_OBJECTS,
    appositive_role,
    country_name,
    country_of_phrase,
    preceding_role,
    resolve_country,
    role_of,
    spelled_out,
    split_country,
    title_abbreviation,
)

__all__ = [
    "Person",
    "PersonRegister",
    "build_register",
    "clean_name",
    "country_name",
    "data_lines",
    "entity_around",
    "resolve_country",
    "role_nouns",
    "split_country",
]


@dataclass
class Person:
    """A named person of the article: fullest name, where first named, role and country."""

    name: str
    start: int
    role: str | None = None
    country: str | None = None
    # Known to be a person (entity recogniser or a role in apposition), not only a name pattern.
    confirmed: bool = False
    # male | female when the text says so (Mr./Mrs./Ms., spokeswoman); None when unknown.
    gender: str | None = None

    @property
    def surname(self) -> str:
        return surname_key(self.name.split()[-1])


def surname_key(word: str) -> str:
    """A surname as looked up: lower case, without an Arabic article ("al-Sudani" is
    "Sudani" on second mention)."""
    return re.sub(r"^(?:al|el|ad|ash|as)-", "", word.lower())


# Capitalised name sequences: "Kassym-Jomart Tokayev", "Hillary Rodham Clinton", "Xi Jinping".
_NAME = re.compile(
    r"\b([A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?(?:\s+[A-Z]\.)?(?:\s+(?:(?:"
    + "|".join(sorted(NAME_PARTICLES, key=len, reverse=True))
    + r")\s+){0,2}(?:al-)?[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?){1,5})\b"
)
# Longest run of capitalised words taken as a name without the recogniser's word for it.
MAX_NAME_WORDS = 4


@dataclass
class PersonRegister:
    """The people an article names, in order of first mention."""

    people: list[Person] = field(default_factory=list)
    # Every mention of a person (full name or surname), as (offset, person), in text order.
    mentions: list[tuple[int, Person]] = field(default_factory=list)
    # The same, by lower-case surname: lookups stay cheap on long articles.
    _people_by_surname: dict[str, list[Person]] = field(default_factory=dict)
    _mentions_by_surname: dict[str, list[tuple[int, Person]]] = field(default_factory=dict)
    # By every lower-case word of the name: "Tedros", "Wang", "Kim" are not surnames.
    _people_by_word: dict[str, list[Person]] = field(default_factory=dict)

    def add(
        self,
        name: str,
        start: int,
        role: str | None = None,
        country: str | None = None,
        confirmed: bool = False,
    ) -> None:
        name = clean_name(name)
        if not name or not name[:1].isupper():
            return
        if role:
            role, role_country = split_country(spelled_out(role))
            country = country or role_country
        words = {surname_key(w) for w in name.split()}
        surname = surname_key(name.split()[-1])
        for person in self._people_by_surname.get(surname, []):
            known = {surname_key(w) for w in person.name.split()}
            if words <= known or known <= words:
                person.name = _preferred(person.name, name)
                for word in words - known:
                    self._people_by_word.setdefault(word, []).append(person)
                person.role = person.role or role
                person.country = person.country or country
                person.start = min(person.start, start)
                person.confirmed = person.confirmed or confirmed
                return
        if len(name.split()) <= 2:
            # "Kim said" after "Kim Yong-hyun", "Tedros said" after "Tedros Adhanom
            # Ghebreyesus", "Prince Faisal" after "Prince Faisal bin Farhan": the same
            # person, not a new one.
            known_person = self.by_words(name.split(), before=start + 1)
            if known_person is not None:
                known_person.confirmed = known_person.confirmed or confirmed
                return
        person = Person(name, start, role, country, confirmed)
        self.people.append(person)
        self._people_by_surname.setdefault(surname, []).append(person)
        for word in words:
            self._people_by_word.setdefault(word, []).append(person)

    def by_surname(
        self,
        surname: str,
        confirmed: bool = False,
        before: int | None = None,
        given: frozenset[str] = frozenset(),
    ) -> Person | None:
        """The person with this surname: the one mentioned last before ``before`` when
        several share it (Bill and Hillary Clinton), else the one with the fullest name."""
        surname = surname_key(surname)
        matches = [
            p for p in self._people_by_surname.get(surname, []) if p.confirmed or not confirmed
        ]
        if given:
            matches = [p for p in matches if given <= set(p.name.lower().split())]
        if any(p.confirmed for p in matches):
            matches = [p for p in matches if p.confirmed]
        if len(matches) > 1 and before is not None:
            mentioned = self._mentions_by_surname.get(surname, [])
            index = bisect.bisect_left(mentioned, before, key=lambda m: m[0])
            for _at, person in reversed(mentioned[max(0, index - 50) : index]):
                if person in matches:
                    return person
        return max(matches, key=lambda p: len(p.name)) if matches else None

    def merge_short_forms(self) -> None:
        """Fold a short form registered before its full name was seen ("Xi" from a parsed
        sentence, "Xi Jinping" from the name patterns) into the fuller person."""
        merged: set[int] = set()
        for short in [p for p in self.people if len(p.name.split()) <= 2]:
            full = self.by_words(short.name.split())
            if full is None or full is short or id(full) in merged:
                continue
            full.confirmed = full.confirmed or short.confirmed
            full.role = full.role or short.role
            full.country = full.country or short.country
            full.gender = full.gender or short.gender
            merged.add(id(short))
            keys = [(self._people_by_surname, short.surname)] + [
                (self._people_by_word, surname_key(w)) for w in short.name.split()
            ]
            for index, key in keys:
                if key in index:
                    index[key] = [p for p in index[key] if p is not short]
        if merged:
            self.people = [p for p in self.people if id(p) not in merged]

    def namesakes(self, person: Person) -> list[Person]:
        """Other people sharing ``person``'s surname (Bill and Hillary Clinton)."""
        return [p for p in self._people_by_surname.get(person.surname, []) if p is not person]

    def fullest(
        self, name: str, confirmed: bool = False, before: int | None = None
    ) -> Person | None:
        words = clean_name(name).split()
        if not words:
            return None
        # "Donald Trump" only fits names holding "Donald" too.
        given = frozenset(w.lower() for w in words[:-1] if not w.endswith("."))
        person = self.by_surname(words[-1], confirmed, before, given)
        if person is None and len(words) <= 2:
            person = self.by_words(words, confirmed, before)
        return person

    def by_words(
        self, words: list[str], confirmed: bool = False, before: int | None = None
    ) -> Person | None:
        """A person whose fuller name holds every word of a short mention ("Tedros" for
        Tedros Adhanom Ghebreyesus, "Wang" for Wang Wenbin): the one named last before
        ``before``."""
        lower = {surname_key(w) for w in words}
        first = next(iter(lower))
        matches = [
            p
            for p in self._people_by_word.get(first, [])
            if (p.confirmed or not confirmed)
            and len(p.name.split()) > len(words)
            and lower <= {surname_key(w) for w in p.name.split()}
        ]
        if before is not None:
            matches = [p for p in matches if p.start < before] or matches
        return max(matches, key=lambda p: p.start) if matches else None

    def index_mentions(self, text: str) -> None:
        """Find every full-name and surname mention of the registered people in ``text``."""
        if not self.people:
            return
        words = sorted({w for p in self.people for w in (p.name, p.name.split()[-1])}, key=len)
        pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in reversed(words)) + r")\b")
        self.mentions = []
        self._mentions_by_surname = {}
        for match in pattern.finditer(text):
            person = self.fullest(match.group(1), before=match.start())
            if person is not None:
                self.mentions.append((match.start(), person))
                by_surname = self._mentions_by_surname.setdefault(person.surname, [])
                by_surname.append((match.start(), person))
                shared = len(self._people_by_surname.get(person.surname, [])) > 1
                if person.gender is None and not (shared and " " not in match.group(1)):
                    # A bare surname two people share ("Mrs. Clinton") does not say which.
                    person.gender = _gender_near(text, match.start())


_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame)\.?\s+")


_MALE = re.compile(r"\b(?:Mr|Sir)\.?\s+$")
_FEMALE = re.compile(r"\b(?:Mrs|Ms|Miss|Dame)\.?\s+$")
_GENDERED_ROLE = re.compile(r"\b(?:spokes|congress|chair|business)(man|woman)\b", re.I)


def _gender_near(text: str, start: int) -> str | None:
    """Gender from an honorific right before a name, or a -man/-woman role just around it."""
    before = text[max(0, start - 6) : start]
    if _MALE.search(before):
        return "male"
    if _FEMALE.search(before):
        return "female"
    role = _GENDERED_ROLE.search(text, max(0, start - 40), start + 60)
    if role is not None:
        return "male" if role.group(1).lower() == "man" else "female"
    return None


def _preferred(one: str, other: str) -> str:
    """The fuller of two forms of one name: "Kassym-Jomart Tokayev" over "Tokayev",
    "Hillary Rodham Clinton" over "Hillary Clinton", but "Hillary Clinton" over "Crooked
    Hillary Clinton" (words put before a full name are epithets or titles, not the name)."""
    short, long = sorted((one, other), key=len)
    if len(short.split()) >= 2 and long.endswith(" " + short):
        return short
    return long


# A dateline the recogniser glued to a name: "DHAKA - ", "SAO PAULO (Reuters) - ".
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]*[A-Z](?:\s*\([^)]*\))?\s*[-–—]+\s*")


def clean_name(name: str) -> str:
    name = _DATELINE.sub("", name.strip())
    name = re.sub(r"(?:'s|'|’s|’)$", "", name.strip(" \t\n-–—,;:"))
    name = _HONORIFIC.sub("", name)
    return " ".join(name.split())


def build_register(doc: Doc, text: str, parsed: list[Span]) -> PersonRegister:
    """People named anywhere in ``text``: entities where parsed, name patterns elsewhere."""
    register = PersonRegister()
    roles = role_nouns()
    _add_recognised_people(register, doc, text, roles)
    _add_name_patterns(register, text, parsed, roles)
    register.merge_short_forms()
    register.people.sort(key=lambda p: p.start)
    register.index_mentions(text)
    return register


def _add_recognised_people(
    register: PersonRegister, doc: Doc, text: str, roles: dict[str, str]
) -> None:
    """The people the entity recogniser found, with a role and country where given."""
    for ent in doc.ents:
        root = ent.root
        # The recogniser sometimes calls an unfamiliar name an ORG; a role in apposition
        # ("the President of Kazakhstan, Kassym-Jomart Tokayev") says it is a person.
        in_apposition = (root.dep_ == "appos" and root.head.lemma_.lower() in roles) or any(
            c.dep_ == "appos" and c.lemma_.lower() in roles for c in root.children
        )
        # "President Helmi Toots" read as an ORG: a title right before a name says person.
        titled = (
            ent.start > 0
            and doc[ent.start - 1].lower_ in roles
            and ent.start <= doc[ent.start - 1].head.i < ent.end
            and 2 <= len(ent) <= MAX_NAME_WORDS
            and all(t.pos_ == "PROPN" and t.is_title for t in ent)
        )
        if ent.label_ == "PERSON" or (
            ent.label_ in ("ORG", "NORP", "GPE") and (in_apposition or titled)
        ):
            ent = extend_name(ent)
            role, country = role_of(ent)
            if role is None:
                role = preceding_role(text, ent.start_char)
                country = country_of_phrase(role)
            register.add(ent.text, ent.start_char, role, country, confirmed=True)


def _add_name_patterns(
    register: PersonRegister, text: str, parsed: list[Span], roles: dict[str, str]
) -> None:
    """Capitalised name sequences outside the sentences the recogniser read."""
    parsed_chars = sorted((s.start_char, s.end_char) for s in parsed)
    parsed_starts = [a for a, _ in parsed_chars]
    for match in _NAME.finditer(text):
        at = bisect.bisect_right(parsed_starts, match.start()) - 1
        if at >= 0 and match.start() < parsed_chars[at][1]:
            continue  # the recogniser has read this sentence
        words = match.group(1).split()
        while words and words[0] in NOT_NAMES:
            words = words[1:]
        of_title = OF_TITLE.search(text, max(0, match.start() - 40), match.start())
        portfolio: list[str] = []
        if of_title is not None:
            # "Secretary of State Daniel Okafor": "State" completes the title.
            while len(words) > 2 and words[0] in ROLE_OBJECTS:
                portfolio.append(words.pop(0))
        # "Turkish President Recep Tayyip Erdogan": the title is the role, not the name.
        last_role = max((i for i, w in enumerate(words) if w.lower() in roles), default=-1)
        title, name = words[: last_role + 1], clean_name(" ".join(words[last_role + 1 :])).split()
        if portfolio and of_title is not None and not title:
            title = [*of_title.group(1).split(), *portfolio]
        if not 2 <= len(name) <= MAX_NAME_WORDS:
            continue
        title_role = " ".join(title) or None
        title_country = next((c for c in map(resolve_country, title) if c), None)
        if title_role is None:
            title_role = preceding_role(text, match.start()) or title_abbreviation(
                text, match.start()
            )
            title_country = country_of_phrase(title_role)
        if title_role is None:
            title_role, title_country = appositive_role(text, match.start(), match.end())
        register.add(" ".join(name), match.start(), title_role, title_country)
