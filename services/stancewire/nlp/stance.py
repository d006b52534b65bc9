"""Targets of a reported statement and the speaker's stance toward each of them.

A statement's targets are the countries, organisations and people its content is about: spaCy's
named entities plus the country aliases spaCy misses ("the Kremlin"), normalised by
:mod:`stancewire.nlp.entities` so that "Moscow", "Russian" and "Russia" are one target.

Stance is scored from a lexicon (``data/stance_lexicon.yaml``, scores after PLOVER's
cooperation-conflict scale, with VADER's general sentiment lexicon as a half-weight fallback for
words it lacks) over the content's dependency parse:

* each polar word counts toward each target with a weight that falls with the length of the
  dependency path between them, so "cooperation with Russia" bears on Russia more than a word in
  another clause;
* negation ("not hostile"), lexical negation ("the absence of disputes") and action shifters
  ("lift sanctions") invert what they govern; a call to stop violence does not, nor does a
  demand ("should stop smearing China");
* the alternative a contrast rejects ("cooperation rather than confrontation") counts inverted,
  and what precedes a clause-joining "but" counts half;
* violence is negative toward its agent but not toward its victim ("the invasion of Ukraine");
  a coercive measure toward its target but not its author ("the EU imposed sanctions on
  Iran"); an attitude toward its object but not its holder ("the US condemns China's ...");
  backing something bad is bad for the backer ("rewarded terrorism");
* a word said of one target ("[China's] aggressive behaviour") counts less for the others;
* the reporting verb carries the speaker's own stance toward whom it addresses ("praised",
  "accused", "warned Manila"); a verb of denial ("denied that ...") inverts the content and a
  negated cue ("did not say") leaves it without stance.

Only the content and the cue are read, never the article's framing around them: the stance is
the speaker's, not the author's.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import pairwise

import yaml
from spacy.tokens import Doc, Span, Token

from stancewire.events import Mention, Speaker, Stance, Target
from stancewire.nlp.entities import (
    MAX_ALIAS_WORDS,
    NormalizedEntity,
    fold,
    lookup_alias,
    normalize_entity,
)

# Entity labels that can name a target (after normalisation).
TARGET_LABELS = frozenset({"GPE", "NORP", "ORG", "PERSON", "LOC", "FAC"})
LABEL_THRESHOLD = 0.15  # |score| below this is neutral
HEDGE_FACTOR = 0.6  # "might", "could": a hedged word counts less
CROSS_SENTENCE_WEIGHT = 0.3  # a polar word in another sentence of a multi-sentence content
MIN_WEIGHT = 0.25
CUE_OBJECT_WEIGHT = 1.0  # "praised Russia": the cue's object gets the cue's full stance
CUE_CONTENT_WEIGHT = 0.6  # "warned that Russia ...": content targets get part of it
MAX_EVIDENCE = 5
GENERAL_FACTOR = 0.5  # a word known only to the general sentiment lexicon counts half
GENERAL_MIN_VALENCE = 1.0  # on VADER's -4..4 scale; weaker words are noise
OTHER_OWNER_FACTOR = 0.3  # a word in a phrase another target owns counts less
CONCESSION_FACTOR = 0.5  # words before a clause-joining "but" count half
BYSTANDER_FACTOR = 0.3  # violence near a mention that neither does nor suffers it

_VICTIM_PREPOSITIONS = frozenset(
    {"against", "on", "into", "of", "toward", "towards", "at", "upon", "in"}
)
# Climbing out of these clauses, the negation of the clause above no longer applies
# ("does not supply X, [while maintaining engagement]"). A ccomp stays in scope: "did not
# consider [Russia a threat]", "does not believe [that ...]".
_CLAUSE_DEPS = frozenset({"advcl", "relcl", "parataxis", "csubj"})
# A subject is not in the scope of its verb's negation: in "[the ties] did not come at the
# expense of ...", the ties are not denied.
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
_BENEFICIARY_PREPOSITIONS = frozenset({"to", "for"})
_PHRASE_DEPS = frozenset(
    {"amod", "compound", "poss", "conj", "appos", "nmod", "case", "det", "npadvmod"}
)


@dataclass(frozen=True, slots=True)
class _Lexicon:
    terms: dict[tuple[str, ...], float]
    violence: frozenset[tuple[str, ...]]
    absence: frozenset[str]
    shifters: frozenset[str]
    negators: frozenset[str]
    contrast_markers: tuple[tuple[str, ...], ...]
    cue_flips: frozenset[str]
    object_only_cues: frozenset[str]
    hedges: frozenset[str]
    negation_barriers: frozenset[str]
    general_stoplist: frozenset[str]
    deontic_modals: frozenset[str]
    permission_verbs: frozenset[str]
    label_nouns: frozenset[str]
    harm: frozenset[str]
    attitude: frozenset[str]
    measures: frozenset[str]
    not_terms: frozenset[str]
    max_words: int


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(text.lower().split())


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    """The stance lexicon from ``data/stance_lexicon.yaml``, loaded once."""
    raw = resources.files("stancewire.nlp").joinpath("data/stance_lexicon.yaml").read_text("utf-8")
    data = yaml.safe_load(raw)
    terms: dict[tuple[str, ...], float] = {}
    for section in ("terms", "violence"):
        for key in data.get(section) or {}:
            if not isinstance(key, str):  # YAML reads a bare no/false as a boolean
                raise ValueError(f"stance lexicon {section}: {key!r} is not a word; quote it")
    for key, score in (data.get("terms") or {}).items():
        terms[_phrase(str(key))] = float(score)
    violence: set[tuple[str, ...]] = set()
    for key, score in (data.get("violence") or {}).items():
        terms[_phrase(str(key))] = float(score)
        violence.add(_phrase(str(key)))
    for key, score in terms.items():
        if not -1.0 <= score <= 1.0:
            raise ValueError(f"stance lexicon: {' '.join(key)!r} score {score} not in -1..1")

    def words(name: str) -> frozenset[str]:
        values = data.get(name) or []
        if not all(isinstance(w, str) for w in values):
            raise ValueError(f"stance lexicon {name}: every entry must be a word; quote it")
        return frozenset(w.lower() for w in values)

    return _Lexicon(
        terms=terms,
        violence=frozenset(violence),
        absence=words("absence"),
        shifters=words("shifters"),
        negators=words("negators"),
        contrast_markers=tuple(_phrase(str(m)) for m in data.get("contrast_markers") or []),
        cue_flips=words("cue_flips"),
        object_only_cues=words("object_only_cues"),
        hedges=words("hedges"),
        negation_barriers=words("negation_barriers"),
        general_stoplist=words("general_stoplist"),
        deontic_modals=words("deontic_modals"),
        permission_verbs=words("permission_verbs"),
        label_nouns=words("label_nouns"),
        harm=words("harm"),
        attitude=words("attitude"),
        measures=words("measures"),
        not_terms=words("not_terms"),
        max_words=max((len(k) for k in terms), default=1),
    )


@dataclass(slots=True)
class _Mention:
    span: Span
    entity: NormalizedEntity
    key: tuple[str, str]
    from_cue_object: bool = False


@dataclass(slots=True)
class _PolarTerm:
    head: Token
    tokens: range  # token indices of the term (phrases span several)
    base: float
    violence: bool
    general: bool = False  # from the general sentiment lexicon, not the stance lexicon
    backed_bad: frozenset[int] = frozenset()  # "supporting [terrorists]": the bad object
    opposed: bool = False  # violence that a verb above stands against ("deter provocations")
    label_polarity: float = 0.0  # as a label of what it names ("its Russian [friends]")
    polarity: float = 0.0
    evidence: str = ""


@dataclass(slots=True)
class _Contribution:
    score: float
    evidence: str


@dataclass(slots=True)
class _TargetDraft:
    key: tuple[str, str]
    entity: NormalizedEntity
    mentions: list[_Mention] = field(default_factory=list)
    contributions: list[_Contribution] = field(default_factory=list)


def find_targets(
    doc: Doc,
    content_start: int,
    content_end: int,
    speaker: Speaker,
    *,
    cue_lemma: str | None = None,
) -> list[Target]:
    """Targets of the content ``doc.text[content_start:content_end]`` with the speaker's stance.

    ``doc`` must be parsed (dependencies, lemmas, entities) at least over the sentences holding
    the content; offsets are character offsets into ``doc.text``. ``cue_lemma`` is the reporting
    verb's lemma ("praise", "accuse", "deny"): it carries stance too. Targets come in order of
    first mention; the speaker is never its own target.
    """
    length = _cached(doc).length  # not len(doc.text): spaCy rebuilds the text on each access
    content_start = max(0, min(content_start, length))
    content_end = max(content_start, min(content_end, length))
    content = doc.char_span(content_start, content_end, alignment_mode="expand")
    if content is None or len(content) == 0:
        return []
    lex = lexicon()
    cue = _find_cue(doc, content, cue_lemma)
    cue_key = (cue.lemma_.lower() if cue is not None else (cue_lemma or "").lower()).strip()

    mentions = _content_mentions(doc, content)
    if cue is not None:
        _mark_cue_objects(mentions, cue)
        mentions.extend(_cue_object_mentions(doc, content, cue))
    mentions = [m for m in mentions if not _is_speaker(m, speaker)]
    if not mentions:
        return []

    cue_negated = cue is not None and _is_negated(cue, lex)
    # "did not say that ...": what follows is not the speaker's, so it carries no stance
    terms = [] if cue_negated else _polar_terms(content, lex)
    if cue_key in lex.cue_flips:
        for term in terms:
            term.polarity = -term.polarity
            term.evidence = f"{cue.text if cue is not None else cue_key}: {term.evidence}"

    drafts: dict[tuple[str, str], _TargetDraft] = {}
    for mention in mentions:
        draft = drafts.setdefault(mention.key, _TargetDraft(mention.key, mention.entity))
        draft.mentions.append(mention)
        if _richer(mention.entity, draft.entity):
            draft.entity = mention.entity

    # a denial carries no stance of its own, nor does a negated cue ("did not criticize")
    flat = cue_key in lex.cue_flips or cue_negated
    cue_score = 0.0 if flat else lex.terms.get((cue_key,), 0.0)
    has_cue_object = any(m.from_cue_object for m in mentions)
    owners = {id(term): _owner_tokens(term) for term in terms}
    mention_tokens = {
        draft.key: {i for m in draft.mentions for i in range(m.span.start, m.span.end)}
        for draft in drafts.values()
    }
    for draft in drafts.values():
        for term in terms:
            if term.backed_bad & mention_tokens[draft.key]:
                continue  # "not accept [Tehran's] interference": the backing is not about Tehran
            if any(_labels(term, m) for m in draft.mentions):
                # "sanctions against its Russian [friends]": a noun naming the target keeps
                # its own sense whatever the clause above does
                draft.contributions.append(_Contribution(term.label_polarity, term.evidence))
                continue
            weight = max(_term_weight(term, m) for m in draft.mentions)
            owner = owners[id(term)]
            other_owner = any(owner & tokens for tokens in mention_tokens.values())
            if weight > 0 and owner & mention_tokens[draft.key]:
                weight = max(weight, 1.0)  # said of it: "[China's] aggressive behaviour"
            elif owner and other_owner:
                weight *= OTHER_OWNER_FACTOR  # ... and so not of the others
            if weight > 0:
                draft.contributions.append(_Contribution(term.polarity * weight, term.evidence))
        if cue_score and cue is not None:
            is_object = any(m.from_cue_object for m in draft.mentions)
            content_too = not has_cue_object and cue_key not in lex.object_only_cues
            if is_object or content_too:
                weight = CUE_OBJECT_WEIGHT if is_object else CUE_CONTENT_WEIGHT
                draft.contributions.append(_Contribution(cue_score * weight, cue.text))

    ordered = sorted(drafts.values(), key=lambda d: min(m.span.start_char for m in d.mentions))
    return [_to_target(draft, doc) for draft in ordered]


# ----------------------------------------------------------------------------- mentions


@dataclass(frozen=True, slots=True)
class _DocIndex:
    """Doc-wide tables built once per doc, so that scoring a statement costs time in proportion
    to the statement, not to the article: spaCy rebuilds ``doc.ents``, ``doc.text`` and
    ``token.sent`` from every token on each access, and ``doc.has_annotation`` scans them."""

    doc: Doc
    length: int  # len(doc.text)
    ents: tuple[Span, ...]  # sorted by start and disjoint, as spaCy keeps them
    ent_starts: list[int]  # token start of each entity, for bisection
    sentence_starts: list[int]
    person_surnames: frozenset[str]  # folded last word of every PERSON entity
    # folded last word -> distinct PERSON/ORG texts ending in it, in order of first mention
    full_names: dict[str, tuple[str, ...]]


_last_index: _DocIndex | None = None


def _cached(doc: Doc) -> _DocIndex:
    """The index of ``doc``. The statements of an article are scored one after the other on
    the same doc, so remembering the last doc is enough; the slot is replaced in one
    assignment, so a concurrent caller sees an old or a new index, never a mix."""
    global _last_index
    index = _last_index
    if index is None or index.doc is not doc:
        index = _build_index(doc)
        _last_index = index
    return index


def _build_index(doc: Doc) -> _DocIndex:
    ents = tuple(doc.ents) if doc.has_annotation("ENT_IOB") else ()
    sentence_starts = [s.start for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
    full_names: dict[str, dict[str, None]] = {}  # an ordered set: a name recurs many times
    for ent in ents:
        if ent.label_ in ("PERSON", "ORG") and len(ent) > 0:
            full_names.setdefault(fold(ent[-1].text), {})[ent.text] = None
    return _DocIndex(
        doc=doc,
        length=doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0,
        ents=ents,
        ent_starts=[e.start for e in ents],
        sentence_starts=sentence_starts,
        person_surnames=frozenset(
            fold(e[-1].text) for e in ents if e.label_ == "PERSON" and len(e) > 0
        ),
        full_names={surname: tuple(texts) for surname, texts in full_names.items()},
    )


def _ents_within(doc: Doc, start: int, end: int) -> list[Span]:
    """Entities wholly inside tokens ``start:end``, found by bisection."""
    index = _cached(doc)
    found: list[Span] = []
    for k in range(bisect_left(index.ent_starts, start), len(index.ents)):
        ent = index.ents[k]
        if ent.start >= end:
            break
        if ent.end <= end:
            found.append(ent)
    return found


def _sentence_bounds(token: Token) -> tuple[int, int]:
    """Token range of the sentence holding ``token``."""
    starts = _cached(token.doc).sentence_starts
    k = bisect_right(starts, token.i) - 1
    start = starts[k] if k >= 0 else 0
    end = starts[k + 1] if k + 1 < len(starts) else len(token.doc)
    return start, end


def _content_mentions(doc: Doc, content: Span) -> list[_Mention]:
    """Entities in the content, plus country aliases the NER missed ("the Kremlin")."""
    person_surnames = _cached(doc).person_surnames
    mentions: list[_Mention] = []
    covered: set[int] = set()
    ents = [e for e in _ents_within(doc, content.start, content.end) if e.label_ in TARGET_LABELS]
    for owner, ent in pairwise(ents):
        # "[Britain]'s [Treasury]": the institution of a country is that country
        if not (owner.label_ in ("GPE", "NORP") and ent.label_ in ("ORG", "FAC")):
            continue
        if ent.start - owner.end > 1 or (ent.start > owner.end and doc[owner.end].tag_ != "POS"):
            continue
        entity = normalize_entity(doc[owner.start : ent.end].text, "ORG")
        if entity is not None and entity.kind == "country":
            mentions.append(
                _Mention(
                    _trim(doc[owner.start : ent.end]), entity, ("country", str(entity.country))
                )
            )
            covered.update(range(owner.start, ent.end))
    for ent in ents:
        if ent.start in covered:
            continue
        if ent.end < content.end and doc[ent.end].lower_ in ("administration", "government"):
            # "the [Obama] administration": the government, not the person
            entity = normalize_entity(doc[ent.start : ent.end + 1].text)
            if entity is not None and entity.kind == "country":
                span = doc[ent.start : ent.end + 1]
                mentions.append(_Mention(span, entity, ("country", str(entity.country))))
                covered.update(range(span.start, span.end))
                continue
        label = ent.label_
        if label == "ORG" and fold(ent[-1].text) in person_surnames:
            label = "PERSON"  # "Kassym-Jomart Tokayev" tagged ORG while "Tokayev" is a PERSON
        mention = _mention(ent, label)
        covered.update(range(ent.start, ent.end))  # also when it is no target (a sea, a party)
        if mention is not None:
            mentions.append(mention)
    mentions.extend(_alias_mentions(doc, content.start, content.end, covered))
    return mentions


def _alias_mentions(doc: Doc, start: int, end: int, covered: set[int]) -> list[_Mention]:
    """Capitalised word sequences that are country or organisation aliases."""
    found: list[_Mention] = []
    i = start
    while i < end:
        if i in covered or not doc[i].text[:1].isupper():
            i += 1
            continue
        match: _Mention | None = None
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


def _mention(
    span: Span, label: str | None, entity: NormalizedEntity | None = None
) -> _Mention | None:
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
    return _Mention(trimmed, entity, key)


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


def _richer(new: NormalizedEntity, old: NormalizedEntity) -> bool:
    return new.kind == "person" and len(new.name) > len(old.name)


def _is_speaker(mention: _Mention, speaker: Speaker) -> bool:
    """The speaker is never its own target: the same person, or the country that speaks
    through a metonym ("the Kremlin said Russia ...")."""
    span = mention.span
    if speaker.mention is not None and (
        span.start_char < speaker.mention.end and speaker.mention.start < span.end_char
    ):
        return True
    kind, key = mention.key
    if kind == "person":
        names = {fold(w) for w in speaker.name.split()}
        given = [fold(w) for w in mention.entity.name.split()[:-1]]
        # "Clinton" is Hillary Clinton speaking of herself; "Bill Clinton" is someone else
        same_given = not given or any(w in names for w in given)
        return speaker.kind in ("person", "unknown") and key in names and same_given
    if kind == "country":
        return speaker.kind in ("country", "organization") and speaker.country == key
    if kind == "organization":
        return fold(speaker.name) == key
    return False


# ----------------------------------------------------------------------------- the cue


def _find_cue(doc: Doc, content: Span, cue_lemma: str | None) -> Token | None:
    """The reporting verb next to the content: by lemma when given, else the content's head."""
    sentence_start, _ = _sentence_bounds(content[0])
    sentence_end = _sentence_bounds(content[-1])[1]
    if cue_lemma:
        first = cue_lemma.lower().split()[0] if cue_lemma.split() else ""
        candidates = [
            t
            for t in doc[sentence_start:sentence_end]
            if (t.i < content.start or t.i >= content.end) and t.lemma_.lower() == first
        ]
        if candidates:
            return min(
                candidates, key=lambda t: min(abs(t.i - content.start), abs(t.i - content.end))
            )
        return None
    head = content.root.head
    if (
        head.i != content.root.i
        and not (content.start <= head.i < content.end)
        and head.pos_ == "VERB"
    ):
        return head
    return None


def _cue_objects(cue: Token) -> list[Token]:
    """Heads of what the cue is aimed at: "praised [Poland]", "accused [Washington] of"."""
    objects: list[Token] = []
    for child in cue.children:
        if child.dep_ in ("dobj", "dative", "iobj", "obj"):
            objects.append(child)
        elif child.dep_ == "prep" and child.lower_ in ("at", "against", "on", "toward", "towards"):
            objects.extend(c for c in child.children if c.dep_ == "pobj")
    return objects


def _cue_object_mentions(doc: Doc, content: Span, cue: Token) -> list[_Mention]:
    """Entities the cue is aimed at outside the content: "praised [Kazakhstan] for ..."."""
    found: list[_Mention] = []
    for obj in _cue_objects(cue):
        start, end = obj.left_edge.i, obj.right_edge.i + 1
        if start < content.end and content.start < end:
            continue  # the object is (in) the content: marked by _mark_cue_objects
        mentions = _content_mentions(doc, doc[start:end])
        for mention in mentions:
            mention.from_cue_object = True
        found.extend(mentions)
    return found


def _mark_cue_objects(mentions: list[_Mention], cue: Token) -> None:
    """Mentions in the content that are the cue's object: "criticized [officer Shelby] for
    killing Crutcher" is aimed at Shelby, not at Crutcher."""
    objects = {t.i for t in _cue_objects(cue)}
    for mention in mentions:
        node = mention.span.root
        while node.i not in objects and node.dep_ in _PHRASE_DEPS and node.head.i != node.i:
            node = node.head
        if node.i in objects:
            mention.from_cue_object = True


# ----------------------------------------------------------------------------- polar terms


def _polar_terms(content: Span, lex: _Lexicon) -> list[_PolarTerm]:
    doc = content.doc
    lemmas = [t.lemma_.lower() for t in doc[content.start : content.end]]
    terms: list[_PolarTerm] = []
    used: set[int] = set()
    i = 0
    while i < len(lemmas):
        matched = False
        for size in range(min(lex.max_words, len(lemmas) - i), 0, -1):
            key = tuple(lemmas[i : i + size])
            score = lex.terms.get(key)
            if size == 1 and doc[content.start + i].lower_ in lex.not_terms:
                break
            if score is None and size == 1:
                score = lex.terms.get((doc[content.start + i].lower_,))
                key = (doc[content.start + i].lower_,) if score is not None else key
            general = False
            if score is None and size == 1:
                score = _general_valence(doc[content.start + i])
                general = score is not None
            if score is None:
                continue
            tokens = range(content.start + i, content.start + i + size)
            span = doc[tokens.start : tokens.stop]
            head = span.root
            if size == 1 and score < 0 and _is_attributive_participle(head):
                break  # "sanctioned goods", "disputed islands": a description, not a stance
            if head.ent_type_ and head.ent_type_ in TARGET_LABELS and head.text[:1].isupper():
                break  # part of a name ("Peace Corps", "Friends of Syria")
            if score != 0.0:  # a set phrase ("a great many") only hides its words
                terms.append(_PolarTerm(head, tokens, score, key in lex.violence, general))
            used.update(tokens)
            i += size
            matched = True
            break
        if not matched:
            i += 1
    rejected = _rejected_tokens(content, lex)
    # what a shifter acts on: a word of the stance lexicon, not a general-sentiment word
    term_tokens = {i for term in terms if not term.general for i in term.tokens}
    # backing something bad is bad: "supporting terrorists", "rewarded terrorism"
    # ... and so is helping someone do something bad: "helping Russia [evade] controls"
    bad_nouns = {t.head.i for t in terms if t.base < 0 and t.head.pos_ in ("NOUN", "PROPN")}
    bad_acts = {t.head.i for t in terms if t.base < 0 and t.head.pos_ == "VERB"}
    backs_bad = {
        t.head.i
        for t in terms
        if t.base > 0
        and any(
            (c.dep_ in ("dobj", "obj") and c.i in bad_nouns)
            or (c.dep_ in ("xcomp", "ccomp") and c.i in bad_acts)
            for c in t.head.children
        )
    }
    # "had stolen the region [with the help] of ExxonMobil": help given to a bad act
    backs_bad |= {
        t.head.i
        for t in terms
        if t.base > 0
        and t.head.dep_ == "pobj"
        and t.head.head.lower_ == "with"
        and t.head.head.head.i in bad_acts
    }
    kept: list[_PolarTerm] = []
    signs: dict[int, tuple[float, str]] = {}  # head token -> sign and prefix of its term
    # nouns before the adjectives that describe them: "constructive [dialogue]"
    for term in sorted(terms, key=lambda t: _is_descriptor(t.head)):
        head = term.head
        if _is_shifter(head, lex) and _governs_polar(head, term, term_tokens, content):
            continue  # "lift sanctions": the shifter acts on "sanctions", not on its own
        sign, hedge, prefix = _scope(term, content, lex)
        if _is_descriptor(head):
            if head.head.i in signs:
                # an adjective shares the fate of the polar noun it describes: "no
                # alternative to constructive dialogue" is positive twice
                sign, prefix = signs[head.head.i]
            else:
                # a plain description is not undone by acting on what it describes:
                # "stop illegal crossings" does not make them legal
                sign, hedge, prefix = _scope(term, content, lex, action_shifters=False)
        if term.head.i in rejected:
            sign = -sign
            prefix = prefix or "rather than "
        signs[head.i] = (sign, prefix)
        term.label_polarity = term.base * hedge * (-1.0 if _is_negated(head, lex) else 1.0)
        if head.i in backs_bad:
            sign = -sign
            term.backed_bad = frozenset(
                t.i
                for c in head.children
                if (c.dep_ in ("dobj", "obj") and c.i in bad_nouns)
                or (c.dep_ in ("xcomp", "ccomp") and c.i in bad_acts)
                for t in c.subtree
            )
        term.polarity = term.base * sign * hedge
        words = " ".join(doc[i].text for i in term.tokens)
        term.evidence = f"{prefix}{words}".strip()
        kept.append(term)
    for term in kept:
        if term.violence:
            term.opposed = _is_opposed(term.head, lex)
    kept.sort(key=lambda t: t.tokens.start)
    # "no problem with Iran's people, but could not accept Tehran's interference": what
    # comes before a clause-joining "but" is conceded, what follows is the point
    buts = [
        t.i
        for t in doc[content.start : content.end]
        if t.lower_ in ("but", "yet") and t.dep_ == "cc" and t.head.pos_ in ("VERB", "AUX")
    ]
    if buts:
        for term in kept:
            if term.tokens.start < buts[-1]:
                term.polarity *= CONCESSION_FACTOR
    return kept


def _is_opposed(token: Token, lex: _Lexicon) -> bool:
    """Whether an act is the object of a verb that stands against it: "deter [provocations]",
    "condemned the [invasion]", "to counter Russian [aggression]"."""
    node = token.head if token.dep_ == "amod" else token
    while node.dep_ in ("pobj", "prep") and node.head.i != node.i:
        node = node.head
    if node.dep_ not in ("dobj", "obj", "pobj") or node.head.i == node.i:
        return False
    verb = node.head if node.dep_ != "pobj" else node.head.head
    lemma = verb.lemma_.lower()
    return lemma in lex.shifters or lemma in lex.attitude or lemma in lex.measures


def _is_descriptor(token: Token) -> bool:
    """An adjective modifying a noun ("illegal crossings", "constructive dialogue")."""
    return token.dep_ == "amod" and token.pos_ == "ADJ"


@lru_cache(maxsize=1)
def _general_lexicon() -> dict[str, float]:
    """VADER's general sentiment lexicon (Hutto & Gilbert 2014, MIT; ~7,500 words rated
    -4..4), read from the installed ``vaderSentiment`` package: the fallback for words the
    stance lexicon does not know ("cheated", "admired", "condolences")."""
    try:
        raw = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return {}
    table: dict[str, float] = {}
    for line in raw.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isalpha():
            table[parts[0].lower()] = float(parts[1])
    return table


def _general_valence(token: Token) -> float | None:
    """A content word's general sentiment, scaled down: it says how the speaker feels, less
    surely whom about than the stance lexicon does."""
    if token.pos_ not in ("ADJ", "NOUN", "VERB", "ADV"):
        return None
    lex = lexicon()
    word, lemma = token.lower_, token.lemma_.lower()
    if word in lex.negators or lemma in lex.absence:
        return None  # "no longer": negation is handled as scope, not as sentiment
    if word in lex.general_stoplist or lemma in lex.general_stoplist:
        return None
    table = _general_lexicon()
    if token.pos_ == "ADV":
        # only manner adverbs of evaluative adjectives ("unfairly"), not "pretty", "really"
        valence = table.get(word[:-2]) if word.endswith("ly") else None
    else:
        valence = table.get(word)
        if valence is None:
            valence = table.get(lemma)
    if valence is None or abs(valence) < GENERAL_MIN_VALENCE:
        return None
    return max(-1.0, min(1.0, valence / 4.0)) * GENERAL_FACTOR


def _is_attributive_participle(token: Token) -> bool:
    return token.dep_ == "amod" and token.tag_ in ("VBN", "VBG")


def _is_shifter(token: Token, lex: _Lexicon) -> bool:
    lemma = token.lemma_.lower()
    return lemma in lex.shifters or lemma in lex.absence


_GOVERNED_DEPS = frozenset(
    {"dobj", "obj", "xcomp", "prep", "pobj", "pcomp", "acomp", "attr", "amod", "compound", "nmod"}
)


def _governs_polar(head: Token, term: _PolarTerm, term_tokens: set[int], content: Span) -> bool:
    """Whether a shifter has a polar word among its complements ("lift [sanctions]"), not
    merely somewhere below it ("failed the country and should [resign]")."""
    stack = [c for c in head.children if c.dep_ in _GOVERNED_DEPS]
    while stack:
        token = stack.pop()
        polar = token.i in term_tokens and token.i not in term.tokens
        if polar and content.start <= token.i < content.end:
            return True
        stack.extend(c for c in token.children if c.dep_ in _GOVERNED_DEPS)
    return False


def _is_negated(token: Token, lex: _Lexicon) -> bool:
    for child in token.children:
        if child.dep_ == "neg":
            return True
        if child.dep_ in ("det", "advmod", "preconj") and child.lower_ in lex.negators:
            nxt = child.nbor(1) if child.i + 1 < len(child.doc) else None
            if nxt is not None and nxt.lower_ in ("only", "just"):
                continue  # "not only ... but also"
            return True
    return False


def _scope(
    term: _PolarTerm, content: Span, lex: _Lexicon, *, action_shifters: bool = True
) -> tuple[float, float, str]:
    """Sign (negations and shifters above the term), hedge factor and an evidence prefix."""
    sign = 1.0
    hedge = 1.0
    prefix: list[str] = []
    chain: list[Token] = [term.head]
    node = term.head
    while node.head.i != node.i and content.start <= node.head.i < content.end:
        chain.append(node.head)
        node = node.head
    crossed_clause = False
    for position, token in enumerate(chain):
        below = chain[position - 1] if position > 0 else None
        if below is not None and (
            below.dep_ in _CLAUSE_DEPS or (below.dep_ == "conj" and below.pos_ in ("VERB", "AUX"))
        ):
            crossed_clause = True
        if crossed_clause and position > 0:
            break  # negation and shifters do not reach into another clause
        if position > 0 and below is not None and below.lemma_.lower() in lex.negation_barriers:
            break  # "not deliver missiles for [fear] of escalation"
        from_subject = below is not None and below.dep_ in _SUBJECT_DEPS
        # Violence is denied only where it is named ("did not attack", "no invasion"); a verb
        # above it takes an attitude to it ("could not accept Tehran's interference").
        local = position == 0 or not term.violence
        # "would not allow any threat": refusing to permit opposes, it does not deny
        permission = position > 0 and token.lemma_.lower() in lex.permission_verbs
        if _is_negated(token, lex) and not from_subject and local and not permission:
            sign = -sign
            prefix.append("not")
        if position > 0:
            lemma = token.lemma_.lower()
            shifts = lemma in lex.absence or (
                lemma in lex.shifters and action_shifters and not term.violence
            )
            # only what the shifter itself governs: "lift [sanctions]", "absence of
            # [disputes]", "refused to [condemn]"; not "stop supporting [terrorists]"
            direct = all(_transparent(chain, k) for k in range(1, position))
            demanded = lemma in lex.shifters and any(
                c.dep_ in ("aux", "auxpass") and c.lemma_.lower() in lex.deontic_modals
                for c in token.children
            )
            if shifts and direct and not demanded and token.i not in term.tokens:
                sign = -sign
                prefix.append(token.text.lower())
        if any(
            c.dep_ in ("aux", "advmod") and c.lemma_.lower() in lex.hedges for c in token.children
        ):
            hedge = HEDGE_FACTOR
    evidence = " ".join(reversed(prefix))
    return sign, hedge, (evidence + " ") if evidence else ""


def _transparent(chain: list[Token], k: int) -> bool:
    """Whether ``chain[k]``, between a term and a shifter above it, lets the shifter through:
    a preposition ("absence [of] disputes"), the noun the term modifies ("no alternative to
    constructive [dialogue]") or a measure noun ("ending [decades] of disputes"); not a verb
    with the term as its own argument ("stop [supporting] terrorists")."""
    token, below = chain[k], chain[k - 1]
    if token.dep_ in ("prep", "agent", "aux"):
        # not "condemned the strike [as] a violation": that is what it is called
        return token.lower_ != "as"
    if token.pos_ not in ("NOUN", "PROPN"):
        return False
    return below.dep_ in ("amod", "compound", "nmod") or (
        below.dep_ == "prep" and below.lower_ == "of"
    )


def _rejected_tokens(content: Span, lex: _Lexicon) -> set[int]:
    """Tokens of the alternative a contrast rejects: "rather than [confrontation]"."""
    doc = content.doc
    lowers = [t.lower_ for t in doc[content.start : content.end]]
    rejected: set[int] = set()
    for marker in lex.contrast_markers:
        size = len(marker)
        for i in range(len(lowers) - size + 1):
            if tuple(lowers[i : i + size]) != marker:
                continue
            last = doc[content.start + i + size - 1]
            after = last.i + 1
            if after >= content.end:
                continue
            subtree_end = last.right_edge.i + 1 if last.right_edge.i >= after else after
            nxt = doc[after]
            end = max(subtree_end, nxt.right_edge.i + 1)
            for j in range(after, min(end, content.end)):
                if doc[j].is_punct and doc[j].text in ",;:":
                    break
                rejected.add(j)
    return rejected


# ----------------------------------------------------------------------------- weighting


def _path_length(a: Token, b: Token) -> int | None:
    """Edges between two tokens in the dependency tree (None: different sentences)."""
    if _sentence_bounds(a)[0] != _sentence_bounds(b)[0]:
        return None
    depth = {a.i: 0}
    for k, token in enumerate(a.ancestors, start=1):
        depth[token.i] = k
    if b.i in depth:
        return depth[b.i]
    for k, token in enumerate(b.ancestors, start=1):
        if token.i in depth:
            return depth[token.i] + k
    return None


def _phrase_head(token: Token) -> Token:
    """Climb from a modifier to the head of its noun phrase ("Russian" -> "aggression")."""
    node = token
    while node.dep_ in _PHRASE_DEPS and node.head.i != node.i:
        node = node.head
    return node


def _is_victim(mention: Token, term: _PolarTerm, lex: _Lexicon) -> bool:
    """The term is not about the mention: it undergoes the act ("the invasion of [Ukraine]",
    "attacks on [Ukraine]", "a threat to [Russia]") or holds the attitude ("[the US] condemns")."""
    head = term.head
    if head.dep_ == "amod" and term.violence:
        head = head.head  # "coercive [actions] against Taiwan": the act is the noun
    node = mention
    while node.dep_ in _PHRASE_DEPS and node.head.i != node.i and node.head.i != head.i:
        node = node.head
    lemma = term.head.lemma_.lower()
    if node.head.i == head.i and node.dep_ in ("nsubj", "csubj"):
        # the attitude's holder or the measure's author, not its target
        return lemma in lex.attitude or lemma in lex.measures
    if (
        lemma in lex.measures
        and node.dep_ == "nsubj"
        and head.dep_ in ("dobj", "obj")
        and node.head.i == head.head.i
    ):
        return True  # "[the EU] imposed sanctions": the author of the measure
    if (
        node.head.i == head.i
        and lemma in lex.measures
        and node.dep_ in ("poss", "amod", "compound")
    ):
        # "[the EU's] sanctions", "[American] tariffs": the author of the measure; a bare
        # compound is the author only when the measure names its aim ("[US] sanctions on Iran")
        return node.dep_ != "compound" or any(
            c.dep_ == "prep" and c.lower_ in ("on", "against") for c in head.children
        )
    # a negative word known only to the general lexicon ("shooting", "dumping") is, like
    # violence, not held against whom it befalls
    done_to = term.violence or (term.general and term.base < 0)
    if node.head.i == head.i and node.dep_ in ("dobj", "nsubjpass", "obj"):
        return done_to
    if node.head.i == head.i and node.dep_ == "poss" and term.general and term.base < 0:
        return True  # "[Crutcher's] death", "[Ukraine's] losses": what befell them
    if node.dep_ == "pobj" and node.head.head.i == head.i:
        preposition = node.head.lower_
        if preposition in _BENEFICIARY_PREPOSITIONS:
            return done_to or head.lemma_.lower() in lex.harm
        if preposition in _VICTIM_PREPOSITIONS:
            return done_to
    return False


def _owner_tokens(term: _PolarTerm) -> set[int]:
    """Tokens of the possessor of the noun phrase a term describes ("[China's] aggressive
    behaviour", "[Russia's] invasion")."""
    head = term.head
    subject = _evaluated_subject(head)
    if subject is not None:
        # "[Beijing's behaviour] was awful": a predicate adjective judges its subject
        return {t.i for t in subject.subtree}
    noun = head if head.pos_ in ("NOUN", "PROPN") else None
    if noun is None and head.dep_ == "amod":
        noun = head.head
    if noun is None and head.pos_ == "VERB":
        # "opposes [China's] coercive actions": the verb is aimed at what its object owns;
        # "[Germany's] deliveries ... crossed a red line": or at what its subject owns
        # (not for violence: what an attack is aimed at is its victim, not its target)
        objects = [c for c in head.children if c.dep_ in ("dobj", "obj")]
        noun = None if term.violence else next(iter(objects), None)
        subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
        subject_owned = subject is not None and any(c.dep_ == "poss" for c in subject.children)
        if subject_owned and (noun is None or not any(c.dep_ == "poss" for c in noun.children)):
            noun = subject
    if noun is None:
        return set()
    owned: set[int] = set()
    for child in noun.children:
        named = child.dep_ in ("amod", "compound") and child.ent_type_ in TARGET_LABELS
        if child.dep_ == "poss" or named:  # "[Russia's] invasion", "the [Israeli] strike"
            owned.update(t.i for t in child.subtree)
    return owned


def _evaluated_subject(adjective: Token) -> Token | None:
    """The subject a predicate adjective is said of, unless the adjective relates it to
    something else ("hostile [toward Russia]" is about both sides)."""
    if adjective.pos_ not in ("ADJ", "VERB") or adjective.dep_ == "amod":
        return None
    # relational: "hostile [toward Russia]", "supports [Pakistan]" are about both sides (an
    # adjective the parser took for a verb, "response [was] splendid", has no object)
    relational = ("prep", "dobj", "obj", "dative", "xcomp", "ccomp", "attr", "acomp")
    if any(c.dep_ in relational for c in adjective.children):
        return None
    subjects = [c for c in adjective.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects and adjective.dep_ == "acomp":
        subjects = [c for c in adjective.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    return subjects[0] if subjects else None


def _is_agent(mention: Token, term: _PolarTerm) -> bool:
    """The mention does the act: "[Russia's] invasion", "[Russian] forces attacked",
    "[Moscow] is waging a war", "attacks by [Russia]"."""
    head = term.head
    if head.dep_ == "amod":
        head = head.head  # "[China's] coercive actions": the actor owns the act
    node = mention
    while node.dep_ in _PHRASE_DEPS and node.head.i != node.i and node.head.i != head.i:
        node = node.head
    if node.head.i == head.i and node.dep_ in ("nsubj", "poss", "amod", "compound", "nmod"):
        return True
    if node.dep_ == "pobj" and node.head.lower_ == "by" and node.head.head.i == head.i:
        return True
    if node.dep_ != "nsubj":
        return False
    if (
        head.dep_ == "pobj"
        and head.head.lower_ in ("behind", "in", "through", "by", "via")
        and head.head.head.i == node.head.i
    ):
        return True  # "[Iran] was behind the attacks", "[Pyongyang] blew up roads in a
        # provocative act": the subject does the act its own verb's adjunct names
    # "[Moscow] is waging a war", "[Beijing] tried to interfere"; not "[Seoul] deters
    # provocations", whose verb stands against the act
    if term.opposed:
        return False
    return head.dep_ in ("dobj", "obj", "xcomp") and node.head.i == head.head.i


def _labels(term: _PolarTerm, mention: _Mention) -> bool:
    """Whether a polar noun names the mention itself: "Russian [friends]", "American
    [partners]", "the [enemies] of Iran" (not "Russia's [invasion]", an act)."""
    head = term.head
    if head.lemma_.lower() not in lexicon().label_nouns or len(term.tokens) > 1:
        return False
    root = mention.span.root
    if root.head.i == head.i and root.dep_ in ("amod", "compound", "nmod"):
        return True
    return root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.i == head.i


def _term_weight(term: _PolarTerm, mention: _Mention) -> float:
    root = mention.span.root
    if root.i in term.tokens or term.head.i in range(mention.span.start, mention.span.end):
        return 0.0
    if _is_victim(root, term, lexicon()):
        return 0.0
    distance = _path_length(root, term.head)
    weight = (
        CROSS_SENTENCE_WEIGHT
        if distance is None
        else max(MIN_WEIGHT, 1.0 / (1.0 + 0.35 * (max(distance, 1) - 1)))
    )
    if term.violence and not _is_agent(root, term):
        if term.opposed:
            return 0.0  # "work with Seoul to deter provocations": Seoul stands against them
        weight *= BYSTANDER_FACTOR  # "respond to any aggression": not the aggressor
    return weight


# ----------------------------------------------------------------------------- output


def _to_target(draft: _TargetDraft, doc: Doc) -> Target:
    total = sum(c.score for c in draft.contributions)
    score = round(math.tanh(total), 3)
    if score >= LABEL_THRESHOLD:
        label = "positive"
    elif score <= -LABEL_THRESHOLD:
        label = "negative"
    else:
        label = "neutral"
    evidence = _evidence(draft.contributions, label)
    entity = draft.entity
    name = _fullest_person_name(doc, entity.name) if entity.kind == "person" else entity.name
    mentions = sorted(
        {(m.span.start_char, m.span.end_char): m.span for m in draft.mentions}.values(),
        key=lambda s: s.start_char,
    )
    return Target(
        name=name,
        kind=entity.kind,
        country=entity.country,
        mentions=[Mention(text=s.text, start=s.start_char, end=s.end_char) for s in mentions],
        stance=Stance(label=label, score=max(-1.0, min(1.0, score)), evidence=evidence),
    )


def _evidence(contributions: Sequence[_Contribution], label: str) -> list[str]:
    if label == "neutral":
        chosen: Iterable[_Contribution] = sorted(contributions, key=lambda c: -abs(c.score))
    else:
        sign = 1 if label == "positive" else -1
        chosen = sorted(
            (c for c in contributions if c.score * sign > 0), key=lambda c: -abs(c.score)
        )
    seen: list[str] = []
    for contribution in chosen:
        if contribution.evidence and contribution.evidence not in seen:
            seen.append(contribution.evidence)
        if len(seen) == MAX_EVIDENCE:
            break
    return seen


def _fullest_person_name(doc: Doc, name: str) -> str:
    """ "Putin" -> "Vladimir Putin" when the article names him in full somewhere."""
    words = name.split()
    if not words:
        return name
    surname = fold(words[-1])
    given = [fold(w) for w in words[:-1]]
    best = name
    for text in _cached(doc).full_names.get(surname, ()):
        candidate = _person_name(text)
        if candidate is None or len(candidate[0]) <= len(best):
            continue
        # "Bill Clinton" does not become "Hillary Clinton"
        if all(w in candidate[1] for w in given):
            best = candidate[0]
    return best


@lru_cache(maxsize=4096)
def _person_name(text: str) -> tuple[str, frozenset[str]] | None:
    """The normalised person name of an entity text and its folded words."""
    entity = normalize_entity(text, "PERSON")
    if entity is None:
        return None
    return entity.name, frozenset(fold(w) for w in entity.name.split())


__all__ = ["find_targets", "lexicon"]
