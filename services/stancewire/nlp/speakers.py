"""Speaker resolution: from the words naming a source to the fullest name the article gives.

The people an article names are in a register (:mod:`.people`). A source mention is resolved:

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
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Span

from stancewire.events import EntityKind, Mention, Resolution, Speaker
from stancewire.nlp.entities import strip_article
from stancewire.nlp.name_spans import data_lines, role_nouns
from stancewire.nlp.people import (
    Person,
    PersonRegister,
    country_name,
    resolve_country,
    split_country,
)
from stancewire.nlp.speaker_mentions import (
    GOVERNMENTS,
    LEADER_TITLES,
    country_in,
    has_name,
    honorific_gender,
    metonym_country,
    name_span,
    other_party,
    role_words,
    without_dateline,
)

__all__ = ["SpeakerResolver"]


@lru_cache(maxsize=1)
def pronouns() -> dict[str, tuple[str, str]]:
    return {c[0]: (c[1], c[2]) for c in data_lines("pronouns.txt")}


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

        spoke = next(
            ((at, p) for at, p in reversed(self.recent_people) if at < before and fits(p)), None
        )
        if spoke and spoke[0] >= self._sentence_start(before, back=1):
            return spoke[1]
        mentions = self.register.mentions
        index = bisect.bisect_left(mentions, before, key=lambda m: m[0])
        last = next((i for i in range(index - 1, -1, -1) if fits(mentions[i][1])), None)
        if last is not None:
            start = self._sentence_start(mentions[last][0])
            if spoke and spoke[0] >= start:
                return spoke[1]
            first = bisect.bisect_left(mentions, start, key=lambda m: m[0])
            return next(p for _at, p in mentions[first : last + 1] if fits(p))
        if spoke:
            return spoke[1]
        people = [p for p in self.register.people if p.start < before and fits(p)]
        return people[-1] if people else None

    def _sentence_start(self, at: int, back: int = 0) -> int:
        """Start of the sentence holding offset ``at`` (or the last one before it), or of
        the sentence ``back`` sentences earlier."""
        index = bisect.bisect_right(self.sentences, (at, len(self.body) + 1)) - 1 - back
        return self.sentences[index][0] if index >= 0 else 0

    def _resolve(self, mention: Span) -> Speaker:
        mention = without_dateline(mention)
        ref = self._mention(mention)
        root = mention.root
        if len(mention) == 1 and root.lower_ in pronouns():
            return self._pronoun(mention, ref, root.lower_)
        label = mention.label_ if mention.label_ else root.ent_type_
        return (
            self._appositive_person(mention, ref)
            or self._named_person(mention, ref, label)
            or self._place_or_institution(mention, ref, label)
            or self._described(mention, ref)
        )

    def _appositive_person(self, mention: Span, ref: Mention) -> Speaker | None:
        """ "the President of Kazakhstan, Kassym-Jomart Tokayev", "Chile's President Gabriel
        Boric": the name in apposition, with the role and country before it."""
        root = mention.root
        named = [c for c in root.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
        if not named and root.pos_ == "NOUN":
            # "The head of the IAEA, Rafael Grossi": the name may hang lower in the phrase.
            named = [
                t
                for t in mention
                if t.ent_type_ == "PERSON" and t.i > root.i and mention.doc[t.i - 1].text == ","
            ]
        if not named or not (root.pos_ == "NOUN" or root.lower_ in role_nouns()):
            return None
        speaker = self._person(name_span(named[0]), ref)
        if speaker.role is None:
            role, code = split_country(strip_article(mention.text.split(",")[0]))
            speaker = speaker.model_copy(update={"role": role, "country": speaker.country or code})
        return speaker

    def _named_person(self, mention: Span, ref: Mention, label: str) -> Speaker | None:
        """A person the register knows, or the recogniser's PERSON."""
        root, text = mention.root, mention.text
        if (
            (root.pos_ == "PROPN" or (root.is_title and root.i > mention.sent.start))
            and len(mention) <= 4
            and self.register.fullest(text, confirmed=True) is not None
        ):
            return self._person(mention, ref)
        if label == "PERSON" or (
            # A surname the recogniser missed or called an ORG ("Varga warned ...").
            root.pos_ == "PROPN"
            and label in ("", "ORG", "NORP")
            and root.tag_ == "NNP"
            and self.register.fullest(name_span(root).text) is not None
        ):
            return self._person(mention, ref)
        return None

    def _place_or_institution(self, mention: Span, ref: Mention, label: str) -> Speaker | None:
        """A country ("Kazakhstan", "Russian officials" is not one), or an organisation, the
        metonyms of a government among them ("the Kremlin")."""
        text = mention.text
        if label in ("GPE", "NORP", "LOC"):
            code = resolve_country(strip_article(text))
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
            metonym = metonym_country(strip_article(text))
            if metonym is not None:
                # "the Kremlin said", "the White House said": the country's government.
                return metonym.model_copy(update={"mention": ref})
            code = resolve_country(strip_article(text))
            speaker = Speaker(
                name=strip_article(text),
                mention=ref,
                kind="organization",
                country=code,
                resolution="explicit",
            )
            self.recent_groups.append((mention.start_char, speaker))
            return speaker
        return None

    def _described(self, mention: Span, ref: Mention) -> Speaker:
        """A speaker described, not named: a role noun, a group, a country's government, an
        institution of a named person, else unknown."""
        root, text = mention.root, mention.text
        head = root.lemma_.lower()
        if head in role_nouns() and root.tag_ in ("NN", "NNP") and not has_name(mention):
            return self._role(mention, ref, head)
        if root.tag_ in ("NNS", "NNPS") or head in ("group", "people"):
            code = country_in(mention)
            speaker = Speaker(
                name=text, mention=ref, kind="group", country=code, resolution="explicit"
            )
            self.recent_groups.append((mention.start_char, speaker))
            return speaker
        code = resolve_country(strip_article(text))
        if code and head in GOVERNMENTS and mention.start < root.i:
            # "Israel's government", "the Turkish government": the country speaking.
            return Speaker(
                name=country_name(code),
                mention=ref,
                kind="country",
                country=code,
                resolution="inferred",
            )
        if code:
            kind: EntityKind = "organization" if root.pos_ != "PROPN" else "country"
            return Speaker(
                name=strip_article(text),
                mention=ref,
                kind=kind,
                country=code,
                resolution="inferred",
            )
        if root.pos_ == "PROPN":
            return self._person(mention, ref)
        owners = [c for c in root.children if c.dep_ == "poss" and c.pos_ == "PROPN"]
        if owners:
            # "Tokayev's administration", "Merkel's office": the person's institution.
            owner = self.register.fullest(name_span(owners[0]).text, before=mention.start_char)
            return Speaker(
                name=strip_article(text),
                mention=ref,
                kind="organization",
                country=owner.country if owner else resolve_country(owners[0].text),
                resolution="explicit",
            )
        return Speaker(name=text, mention=ref, kind="unknown", resolution="explicit")

    def _person(self, mention: Span, ref: Mention) -> Speaker:
        # The name itself, without what follows it ("Dan McLaughlin at the National Review").
        name = name_span(mention.root) if mention.root.pos_ == "PROPN" else mention
        person = self.register.fullest(name.text, before=name.start_char)
        if person is None:
            self.register.add(name.text, name.start_char)
            person = self.register.fullest(name.text, before=name.start_char)
        if person is None:
            return Speaker(name=name.text, mention=ref, kind="person", resolution="explicit")
        gender = honorific_gender(self.body, name.start_char) or honorific_gender(
            self.body[name.start_char : name.end_char].rsplit(" ", 1)[0] + " ", None
        )
        person = self._gender_compatible(person, gender)
        self._remember(person, mention.start_char)
        # The mention names the person (full name, surname, first name, Mr. + surname):
        # explicit, even when the name given is the fuller one introduced earlier.
        resolution: Resolution = "explicit"
        return Speaker(
            name=person.name,
            mention=ref,
            kind="person",
            role=person.role,
            country=person.country,
            resolution=resolution,
        )

    def _gender_compatible(self, person: Person, gender: str | None) -> Person:
        """``person``, or the namesake an honorific points to: "Mr. Clinton" is not the
        Clinton already called "Mrs."; the honorific then tells the person's gender."""
        if gender is None:
            return person
        if person.gender not in (None, gender):
            fitting = [p for p in self.register.namesakes(person) if p.gender in (None, gender)]
            if fitting:
                person = max(fitting, key=lambda p: p.start)
        if person.gender is None:
            person.gender = gender
        return person

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

    def _recent_titled_speaker(self, at: int) -> Person | None:
        since = self._sentence_start(at, back=2)
        for spoke_at, person in reversed(self.recent_people):
            if spoke_at < since:
                break
            if spoke_at < at and person.role:
                return person
        return None

    def _role(self, mention: Span, ref: Mention, head: str) -> Speaker:
        at = mention.start_char
        country = country_in(mention)
        determiners = {c.lower_ for c in mention.root.children if c.dep_ in ("det", "poss")}
        # The role noun as its own speaker, when it names no one the article introduced.
        unresolved = Speaker(
            name=strip_article(mention.text),
            mention=ref,
            kind="person",
            role=head,
            country=country,
            resolution="none",
        )
        if not determiners & {"the", "this", "that", "its", "their"}:
            # "a Homeland Security Department official": someone not named before.
            return unresolved
        fits = self._role_fits(mention, head, country, at)
        person: Person | None = None
        if fits:
            fitting = {id(p) for p in fits}
            spoke = (p for _, p in reversed(self.recent_people) if id(p) in fitting)
            person = next(spoke, fits[-1])
        elif head in ("leader", "president", "official", "chief", "head") or country:
            person = self._last_person(at)
            if person is not None and country and person.country not in (None, country):
                person = None
        else:
            # "the chancellor said" after a quotation of the Finance Minister: a titled
            # speaker of the last two sentences, when no one else holds that title.
            person = self._recent_titled_speaker(at)
        if person is None:
            return unresolved
        self._remember(person, at)
        if person.country is None and country:
            person.country = country  # "the Japanese leader" says who the person works for
        return Speaker(
            name=person.name,
            mention=ref,
            kind="person",
            role=person.role or head,
            country=person.country,
            resolution="title",
        )

    def _role_fits(self, mention: Span, head: str, country: str | None, at: int) -> list[Person]:
        """The people named before ``at`` whose role fits the role noun ``head`` and the
        mention's modifiers and country ("the Republican nominee", "the Russian leader")."""
        candidates = [p for p in self.register.people if p.start < at]
        fits = [p for p in candidates if p.role and head in role_words(p.role)]
        if head == "leader" and not fits:
            # "the Russian leader": a head of state or government, not a spokesman.
            fits = [p for p in candidates if p.role and role_words(p.role) & LEADER_TITLES]
        modifiers = {
            t.lower_
            for t in mention
            if t.i != mention.root.i and t.dep_ in ("amod", "compound", "nmod") and t.is_alpha
        } - {"former", "current", "then", "new"}
        fits = [p for p in fits if not other_party(modifiers, role_words(p.role or ""))]
        if modifiers and len(fits) > 1:
            # "the Republican nominee" among two nominees: the one whose role says Republican.
            best = max(len(modifiers & role_words(p.role or "")) for p in fits)
            fits = [p for p in fits if len(modifiers & role_words(p.role or "")) == best]
        if country:
            fits = [p for p in fits if p.country in (None, country)] or [
                p for p in candidates if p.country == country
            ]
        return fits
