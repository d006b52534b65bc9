"""Speaker resolution: from the words naming a source to the fullest name the article gives.

A cheap register of the people an article names is built from the whole body (entity spans in
the parsed sentences, capitalised name sequences elsewhere) with the role and country its
appositives or titles give (``the President of Kazakhstan, Kassym-Jomart Tokayev``;
``Russian President Vladimir Putin``). A source mention is then resolved:

* a person's name: to the fullest registered name sharing its surname (``explicit`` when it is
  already that name, ``inferred`` when it was a surname);
* a pronoun (he, she, they): to the most recent speaker or person that fits (``pronoun``);
* a role noun (the president, the Kazakh leader, the spokeswoman): to the most recent person
  whose role or country fits (``title``);
* a place or institution (Astana, the Kremlin, the Obama administration): to its country
  (``inferred``), via :func:`stancewire.nlp.entities.resolve_country` where available;
* an unnamed group (some observers, critics, officials): kept as a group (``explicit``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span, Token

from stancewire.events import EntityKind, Mention, Resolution, Speaker
from stancewire.nlp import entities

__all__ = ["Person", "PersonRegister", "SpeakerResolver", "build_register"]


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
        return self.name.split()[-1].lower()


def _data_lines(name: str) -> list[list[str]]:
    raw = resources.files("stancewire.nlp").joinpath(f"data/{name}").read_text("utf-8")
    return [
        line.split("\t") for line in raw.splitlines() if line.strip() and not line.startswith("#")
    ]


@lru_cache(maxsize=1)
def role_nouns() -> dict[str, str]:
    """Role noun (and title abbreviation) -> role noun."""
    roles: dict[str, str] = {}
    for columns in _data_lines("roles.txt"):
        role = columns[0].strip().lower()
        roles[role] = role
        for abbreviation in columns[1:]:
            roles[abbreviation.strip().lower()] = role
    return roles


@lru_cache(maxsize=1)
def pronouns() -> dict[str, tuple[str, str]]:
    return {c[0]: (c[1], c[2]) for c in _data_lines("pronouns.txt")}


def resolve_country(text: str) -> str | None:
    """ISO alpha-2 code a place, demonym or institution stands for (entities module)."""
    try:
        code = entities.resolve_country(text)
    except Exception:  # a normaliser bug must not sink the statement
        return None
    return code if isinstance(code, str) and re.fullmatch(r"[A-Z]{2}", code) else None


def country_name(code: str) -> str:
    return entities.country_name(code) or code


# Capitalised name sequences: "Kassym-Jomart Tokayev", "Hillary Rodham Clinton", "Xi Jinping".
_NAME = re.compile(
    r"\b([A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?(?:\s+[A-Z]\.)?(?:\s+(?:de|van|von|bin|al-)?\s?"
    r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?){1,5})\b"
)
# Words that open a capitalised run without being part of a name ("Did Trump", "On Monday").
_NOT_NAMES = frozenset(
    w.capitalize() for w in STOP_WORDS | {c[0] for c in _data_lines("not_names.txt")}
)
# Longest run of capitalised words taken as a name without the recogniser's word for it.
MAX_NAME_WORDS = 4


@dataclass
class PersonRegister:
    """The people an article names, in order of first mention."""

    people: list[Person] = field(default_factory=list)
    # Every mention of a person (full name or surname), as (offset, person), in text order.
    mentions: list[tuple[int, Person]] = field(default_factory=list)

    def add(
        self,
        name: str,
        start: int,
        role: str | None = None,
        country: str | None = None,
        confirmed: bool = False,
    ) -> None:
        name = _clean_name(name)
        if not name or not name[:1].isupper():
            return
        words = set(name.lower().split())
        for person in self.people:
            known = set(person.name.lower().split())
            if person.surname == name.split()[-1].lower() and (words <= known or known <= words):
                person.name = _preferred(person.name, name)
                person.role = person.role or role
                person.country = person.country or country
                person.start = min(person.start, start)
                person.confirmed = person.confirmed or confirmed
                return
        self.people.append(Person(name, start, role, country, confirmed))

    def by_surname(
        self,
        surname: str,
        confirmed: bool = False,
        before: int | None = None,
        given: frozenset[str] = frozenset(),
    ) -> Person | None:
        """The person with this surname: the one mentioned last before ``before`` when
        several share it (Bill and Hillary Clinton), else the one with the fullest name."""
        surname = surname.lower()
        matches = [
            p for p in self.people if p.surname == surname and (p.confirmed or not confirmed)
        ]
        if given:
            matches = [p for p in matches if given <= set(p.name.lower().split())]
        if any(p.confirmed for p in matches):
            matches = [p for p in matches if p.confirmed]
        if len(matches) > 1 and before is not None:
            earlier = [p for at, p in self.mentions if at < before and p in matches]
            if earlier:
                return earlier[-1]
        return max(matches, key=lambda p: len(p.name)) if matches else None

    def fullest(
        self, name: str, confirmed: bool = False, before: int | None = None
    ) -> Person | None:
        words = _clean_name(name).split()
        if not words:
            return None
        # "Donald Trump" only fits names holding "Donald" too.
        given = frozenset(w.lower() for w in words[:-1] if not w.endswith("."))
        return self.by_surname(words[-1], confirmed, before, given)

    def index_mentions(self, text: str) -> None:
        """Find every full-name and surname mention of the registered people in ``text``."""
        if not self.people:
            return
        words = sorted({w for p in self.people for w in (p.name, p.name.split()[-1])}, key=len)
        pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in reversed(words)) + r")\b")
        self.mentions = []
        for match in pattern.finditer(text):
            person = self.fullest(match.group(1), before=match.start())
            if person is not None:
                self.mentions.append((match.start(), person))
                if person.gender is None:
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


def _clean_name(name: str) -> str:
    name = re.sub(r"(?:'s|'|’s|’)$", "", name.strip(" \t\n-–—,;:"))
    name = _HONORIFIC.sub("", name)
    return " ".join(name.split())


def build_register(doc: Doc, text: str, parsed: list[Span]) -> PersonRegister:
    """People named anywhere in ``text``: entities where parsed, name patterns elsewhere."""
    register = PersonRegister()
    parsed_chars = sorted((s.start_char, s.end_char) for s in parsed)
    roles = role_nouns()
    for ent in doc.ents:
        root = ent.root
        # The recogniser sometimes calls an unfamiliar name an ORG; a role in apposition
        # ("the President of Kazakhstan, Kassym-Jomart Tokayev") says it is a person.
        in_apposition = (root.dep_ == "appos" and root.head.lemma_.lower() in roles) or any(
            c.dep_ == "appos" and c.lemma_.lower() in roles for c in root.children
        )
        if ent.label_ == "PERSON" or (ent.label_ in ("ORG", "NORP", "GPE") and in_apposition):
            role, country = _role_of(ent)
            if role is None:
                role = _preceding_role(text, ent.start_char)
                country = _country_of_phrase(role)
            register.add(ent.text, ent.start_char, role, country, confirmed=True)
    parsed_starts = [a for a, _ in parsed_chars]
    for match in _NAME.finditer(text):
        at = bisect.bisect_right(parsed_starts, match.start()) - 1
        if at >= 0 and match.start() < parsed_chars[at][1]:
            continue  # the recogniser has read this sentence
        words = match.group(1).split()
        while words and words[0] in _NOT_NAMES:
            words = words[1:]
        # "Turkish President Recep Tayyip Erdogan": the title is the role, not the name.
        last_role = max((i for i, w in enumerate(words) if w.lower() in roles), default=-1)
        title, name = words[: last_role + 1], _clean_name(" ".join(words[last_role + 1 :])).split()
        if not 2 <= len(name) <= MAX_NAME_WORDS:
            continue
        title_role = " ".join(title) or None
        title_country = next((c for c in map(resolve_country, title) if c), None)
        if title_role is None:
            title_role = _preceding_role(text, match.start()) or _title_abbreviation(
                text, match.start()
            )
            title_country = _country_of_phrase(title_role)
        if title_role is None:
            title_role, title_country = _appositive_role(text, match.start(), match.end())
        register.add(" ".join(name), match.start(), title_role, title_country)
    register.people.sort(key=lambda p: p.start)
    register.index_mentions(text)
    return register


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
    return re.compile(r"((?:[A-Za-z][\w'.-]*\s+){0,3}?(?i:" + alternation + r"))\s+$")


def _preceding_role(text: str, start: int) -> str | None:
    """A role phrase right before a name: "Republican presidential nominee Donald Trump",
    "House Speaker Paul Ryan" (lower- or upper-case, up to four words)."""
    match = _preceding_role_pattern().search(text, max(0, start - 60), start)
    if match is None:
        return None
    words = match.group(1).split()
    while words and words[0].lower() in ("the", "a", "an", "and", "by", "said", "says", "of"):
        words = words[1:]
    return " ".join(words) or None


def _country_of_phrase(phrase: str | None) -> str | None:
    if not phrase:
        return None
    return next((c for c in map(resolve_country, re.findall(r"[A-Z][\w'-]+", phrase)) if c), None)


_ABBREVIATED_TITLE = re.compile(r"\b([A-Z][a-z]{1,4}\.(?: [A-Z][a-z]{1,4}\.)?)\s+$")


def _title_abbreviation(text: str, start: int) -> str | None:
    """The role an abbreviated title before a name stands for ("Sen. Ted Cruz": senator)."""
    match = _ABBREVIATED_TITLE.search(text, max(0, start - 12), start)
    if match is None:
        return None
    return role_nouns().get(match.group(1).lower().split()[-1])


def _appositive_role(text: str, start: int, end: int) -> tuple[str | None, str | None]:
    """Role and country from an appositive next to the name at ``text[start:end]``."""
    before, after = _role_patterns()
    match = before.search(text, max(0, start - 100), start) or after.search(text[end : end + 100])
    if match is None:
        return None, None
    role = match.group(1)
    country = next((c for c in map(resolve_country, re.findall(r"[A-Z][\w'-]+", role)) if c), None)
    return role, country


def _role_of(ent: Span) -> tuple[str | None, str | None]:
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
        # "Russian President Vladimir Putin", "Sen. Ted Cruz"
        start = ent.start
        while (
            start > 0
            and doc[start - 1].dep_ in ("compound", "amod", "nmod")
            and (doc[start - 1].head.i >= ent.start)
        ):
            start -= 1
        if start < ent.start:
            phrase = doc[start : ent.start]
    if phrase is None:
        return None, None
    words = [t for t in phrase if t.dep_ != "det" and not t.is_punct]
    if not any(t.lemma_.lower() in roles or t.lower_ in roles for t in words):
        return None, None
    role = " ".join(t.text for t in words) or None
    country = None
    for token in phrase:
        if token.ent_type_ in ("GPE", "NORP") or token.pos_ == "PROPN":
            country = resolve_country(token.text)
            if country:
                break
    return role, country


@dataclass
class SpeakerResolver:
    """Resolves source mentions in article order, remembering who spoke last."""

    register: PersonRegister
    # The original body: mention texts are cut from it, not from the normalised text.
    body: str
    # Sentence spans of the body, sorted: a pronoun looks back sentence by sentence.
    sentences: list[tuple[int, int]] = field(default_factory=list)
    recent_people: list[tuple[int, Person]] = field(default_factory=list)
    recent_groups: list[tuple[int, Speaker]] = field(default_factory=list)

    def resolve(self, mention: Span | None, referent: Span | None = None) -> Speaker:
        """The speaker named by ``mention``; ``referent`` is what a relative pronoun
        mention ("who") stands for."""
        if mention is None:
            return Speaker(name="unknown", mention=None, kind="unknown", resolution="none")
        if referent is None:
            return self._resolve(mention)
        speaker = self._resolve(referent)
        return speaker.model_copy(update={"mention": self._mention(mention)})

    def _mention(self, mention: Span) -> Mention:
        start, end = mention.start_char, mention.end_char
        return Mention(text=self.body[start:end], start=start, end=end)

    def _remember(self, person: Person, at: int) -> None:
        self.recent_people.append((at, person))

    def _last_person(self, before: int, gender: str = "any") -> Person | None:
        """Who a he/she at ``before`` most likely stands for.

        The speaker of the previous statement when it is close (a quotation continued with
        "he added"); else the first person named in the nearest earlier sentence that names
        anyone (usually its subject); else the last person named at all. A known gender
        that contradicts the pronoun rules a person out.
        """

        def fits(person: Person) -> bool:
            return gender == "any" or person.gender in (None, gender)

        spoke = [(at, p) for at, p in self.recent_people if at < before and fits(p)]
        if spoke and spoke[-1][0] >= self._sentence_start(before, back=1):
            return spoke[-1][1]
        named = [(at, p) for at, p in self.register.mentions if at < before and fits(p)]
        if named:
            last_at = named[-1][0]
            start = self._sentence_start(last_at)
            in_sentence = [p for at, p in named if at >= start]
            if spoke and spoke[-1][0] >= start:
                return spoke[-1][1]
            return in_sentence[0]
        if spoke:
            return spoke[-1][1]
        people = [p for p in self.register.people if p.start < before and fits(p)]
        return people[-1] if people else None

    def _sentence_start(self, at: int, back: int = 0) -> int:
        """Start of the sentence holding offset ``at`` (or the last one before it), or of
        the sentence ``back`` sentences earlier."""
        index = bisect.bisect_right(self.sentences, (at, len(self.body) + 1)) - 1 - back
        return self.sentences[index][0] if index >= 0 else 0

    def _resolve(self, mention: Span) -> Speaker:
        text = mention.text
        ref = self._mention(mention)
        root = mention.root
        lower = root.lower_
        if len(mention) == 1 and lower in pronouns():
            return self._pronoun(mention, ref, lower)
        label = mention.label_ if mention.label_ else root.ent_type_
        named = [c for c in root.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
        if named and root.pos_ == "NOUN":
            # "the President of Kazakhstan, Kassym-Jomart Tokayev": the name in apposition.
            speaker = self._person(_name_span(named[0]), ref)
            if speaker.role is None:
                speaker = speaker.model_copy(update={"role": _strip_det(text.split(",")[0])})
            return speaker
        if (
            root.pos_ == "PROPN"
            and len(mention) <= 4
            and self.register.fullest(text, confirmed=True) is not None
        ):
            return self._person(mention, ref)
        if label == "PERSON" or (
            # A surname the recogniser missed or called an ORG ("Varga warned ...").
            root.pos_ == "PROPN"
            and label in ("", "ORG", "NORP")
            and root.tag_ == "NNP"
            and self.register.fullest(_name_span(root).text) is not None
        ):
            return self._person(mention, ref)
        if label in ("GPE", "NORP", "LOC"):
            code = resolve_country(_strip_det(text))
            if code:
                return Speaker(
                    name=country_name(code),
                    mention=ref,
                    kind="country",
                    country=code,
                    resolution="explicit"
                    if country_name(code).lower() == text.lower()
                    else "inferred",
                )
        if label in ("ORG", "FAC", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW"):
            code = resolve_country(_strip_det(text))
            speaker = Speaker(
                name=_strip_det(text),
                mention=ref,
                kind="organization",
                country=code,
                resolution="explicit",
            )
            self.recent_groups.append((mention.start_char, speaker))
            return speaker
        head = root.lemma_.lower()
        if head in role_nouns() and root.tag_ in ("NN", "NNP") and not _has_name(mention):
            return self._role(mention, ref, head)
        if root.tag_ in ("NNS", "NNPS") or head in ("group", "people"):
            code = _country_in(mention)
            speaker = Speaker(
                name=text, mention=ref, kind="group", country=code, resolution="explicit"
            )
            self.recent_groups.append((mention.start_char, speaker))
            return speaker
        code = resolve_country(_strip_det(text))
        if code:
            kind: EntityKind = "organization" if root.pos_ != "PROPN" else "country"
            return Speaker(
                name=_strip_det(text), mention=ref, kind=kind, country=code, resolution="inferred"
            )
        if root.pos_ == "PROPN":
            return self._person(mention, ref)
        return Speaker(name=text, mention=ref, kind="unknown", resolution="explicit")

    def _person(self, mention: Span, ref: Mention) -> Speaker:
        # The name itself, without what follows it ("Dan McLaughlin at the National Review").
        name = _name_span(mention.root) if mention.root.pos_ == "PROPN" else mention
        person = self.register.fullest(name.text, before=name.start_char)
        if person is None:
            self.register.add(name.text, name.start_char)
            person = self.register.fullest(name.text, before=name.start_char)
        if person is None:
            return Speaker(name=name.text, mention=ref, kind="person", resolution="explicit")
        self._remember(person, mention.start_char)
        resolution: Resolution = (
            "explicit" if _clean_name(name.text).lower() == person.name.lower() else "inferred"
        )
        return Speaker(
            name=person.name,
            mention=ref,
            kind="person",
            role=person.role,
            country=person.country,
            resolution=resolution,
        )

    def _pronoun(self, mention: Span, ref: Mention, pronoun: str) -> Speaker:
        refers_to, gender = pronouns()[pronoun]
        at = mention.start_char
        if refers_to == "person" and pronoun != "i":
            person = self._last_person(at, gender)
            if person is not None:
                self._remember(person, at)
                # Once "she" has stood for someone, "he" will not (and the reverse).
                if person.gender is None and gender != "any":
                    person.gender = gender
                return Speaker(
                    name=person.name,
                    mention=ref,
                    kind="person",
                    role=person.role,
                    country=person.country,
                    resolution="pronoun",
                )
        if refers_to in ("group", "organization"):
            earlier = [s for a, s in self.recent_groups if a < at]
            if earlier and (pronoun != "it" or earlier[-1].kind != "group"):
                last = earlier[-1]
                return last.model_copy(update={"mention": ref, "resolution": "pronoun"})
        kind: EntityKind = "person" if refers_to == "person" else "group"
        return Speaker(name=mention.text, mention=ref, kind=kind, resolution="none")

    def _role(self, mention: Span, ref: Mention, head: str) -> Speaker:
        at = mention.start_char
        country = _country_in(mention)
        determiners = {c.lower_ for c in mention.root.children if c.dep_ in ("det", "poss")}
        if not determiners & {"the", "this", "that", "its", "their"}:
            # "a Homeland Security Department official": someone not named before.
            return Speaker(
                name=_strip_det(mention.text),
                mention=ref,
                kind="person",
                role=head,
                country=country,
                resolution="none",
            )
        candidates = [p for p in self.register.people if p.start < at]
        fits = [p for p in candidates if p.role and head in _role_words(p.role)]
        modifiers = {
            t.lower_
            for t in mention
            if t.i != mention.root.i and t.dep_ in ("amod", "compound", "nmod") and t.is_alpha
        } - {"former", "current", "then", "new"}
        fits = [p for p in fits if not _other_party(modifiers, _role_words(p.role or ""))]
        if modifiers and len(fits) > 1:
            # "the Republican nominee" among two nominees: the one whose role says Republican.
            best = max(len(modifiers & _role_words(p.role or "")) for p in fits)
            fits = [p for p in fits if len(modifiers & _role_words(p.role or "")) == best]
        if country:
            fits = [p for p in fits if p.country in (None, country)] or [
                p for p in candidates if p.country == country
            ]
        person: Person | None = None
        if fits:
            spoke = [p for _, p in self.recent_people if p in fits]
            person = spoke[-1] if spoke else fits[-1]
        elif head in ("leader", "president", "official", "chief", "head") or country:
            person = self._last_person(at)
            if person is not None and country and person.country not in (None, country):
                person = None
        if person is None:
            return Speaker(
                name=_strip_det(mention.text),
                mention=ref,
                kind="person",
                role=head,
                country=country,
                resolution="none",
            )
        self._remember(person, at)
        return Speaker(
            name=person.name,
            mention=ref,
            kind="person",
            role=person.role or head,
            country=person.country or country,
            resolution="title",
        )


def _name_span(token: Token) -> Span:
    """The entity around ``token``, else the token with its compounds."""
    doc = token.doc
    for ent in doc.ents:
        if ent.start <= token.i < ent.end:
            return ent
    start = min([token.i] + [c.i for c in token.children if c.dep_ == "compound"])
    return doc[start : token.i + 1]


# Party words: "the Democratic nominee" is not the person whose role says Republican.
_PARTIES = frozenset({"democratic", "democrat", "republican", "gop", "labour", "conservative"})


def _other_party(modifiers: set[str], role_words: set[str]) -> bool:
    mine, theirs = modifiers & _PARTIES, role_words & _PARTIES
    if "gop" in mine:
        mine |= {"republican"}
    if "gop" in theirs:
        theirs |= {"republican"}
    return bool(mine and theirs and not mine & theirs)


def _role_words(role: str) -> set[str]:
    """Lower-case words of a role, abbreviations spelled out ("Sen." -> "senator")."""
    roles = role_nouns()
    words = set()
    for word in role.lower().split():
        words.add(word)
        words.add(roles.get(word, word))
    return words


def _strip_det(text: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.I)


def _has_name(mention: Span) -> bool:
    return any(t.ent_type_ == "PERSON" for t in mention)


def _country_in(mention: Span) -> str | None:
    for token in mention:
        if token.ent_type_ in ("GPE", "NORP") or token.pos_ in ("PROPN", "ADJ"):
            if token.is_lower and token.ent_type_ == "":
                continue
            code = resolve_country(token.text)
            if code:
                return code
    return None
