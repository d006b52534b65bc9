"""Topics of a statement from stancewire's closed taxonomy (``data/topics.yaml``).

Each topic has evidence terms, strong, weak (ambiguous: they only add weight) or strong only in
foreign affairs. A statement gets a topic only when a strong term occurs in what was said: its
content, or a sentence that names the subject ("In discussing regional security, ..."), or the
sentence when the content is a fragment. The rest of the sentence and the paragraph add weight
but never make a topic, so a paragraph about ties with Moscow strengthens "diplomacy" for a
statement that touches on it, and a statement carries at most ``MAX_TOPICS`` topics, strongest
first. Words are compared after Snowball English stemming (:mod:`.topic_words`), so
"sanctions", "sanctioned" and "sanctioning" are all evidence for ``sanctions`` and "territorial"
and "territory" both for ``borders``; word forms and phrases in another sense ("according",
"Social Security") are never evidence. No parse is needed: this is cheap per statement.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

from stancewire.events import Topic
from stancewire.nlp.topic_taxonomy import Term, TopicDefinition, taxonomy, term_index
from stancewire.nlp.topic_words import blocked as blocked_positions
from stancewire.nlp.topic_words import false_forms as false_word_forms
from stancewire.nlp.topic_words import (
    is_international,
    named_arguments,
    named_statutes,
    organisation_names,
    possessed,
    tokens,
)
from stancewire.nlp.topic_words import stem as stem_word

# Where a term was found, and how much one distinct term there counts.
WEIGHT_CONTENT = 1.0
WEIGHT_SENTENCE = 0.5  # the rest of the sentence: mostly who said it and how
WEIGHT_PARAGRAPH = 0.2  # three distinct terms in the paragraph alone pass
WEAK_FACTOR = 0.5  # ambiguous terms ("aid", "nuclear") count half
PHRASE_FACTOR = 1.5  # multi-word terms ("regional security") are less ambiguous
THRESHOLD = 0.45  # score = 1 - exp(-sum of weights): one strong term in the content passes,
# one in the rest of the sentence does not (unless it is a phrase)
MAX_EVIDENCE = 6
MIN_CONTENT_WORDS = 3  # a content shorter than this is a fragment ("to Sanders", "the pick")
MAX_TOPICS = 3  # a statement is about a few things; more is the paragraph talking


# Words that open a passing reference to another time or thing: a term right after them
# ("since the Sept. 11 terrorist attacks", "like the Iraq war") is an aside, not what the
# statement is about, and weighs ASIDE_FACTOR of its place.
_ASIDE_OPENERS = frozenset(
    {"since", "after", "before", "following", "until", "during", "like", "unlike", "than"}
)
ASIDE_WINDOW = 4  # words after the opener that belong to the aside
ASIDE_FACTOR = 0.3

# Words with which a sentence names what a statement is about outside its content ("In
# discussing regional security, the leader referenced ...", "asked about trade, she said"): a
# strong term right after them in the sentence makes a topic as if it were in the content.
_FRAME_OPENERS = frozenset(
    {
        "discussing",
        "discussed",
        "discuss",
        "discusses",
        "regarding",
        "concerning",
        "about",
        "addressing",
        "addressed",
    }
)
FRAME_WINDOW = 4


@dataclass(frozen=True, slots=True)
class _Text:
    words: list[str]
    stems: frozenset[str]
    asides: frozenset[int]  # word positions inside a passing reference ("since the ... war")
    frames: frozenset[int]  # word positions right after "discussing", "about" ...
    # word position -> the topics with a multi-word term over it: "policy" in "foreign policy"
    # is diplomacy's evidence, not also governance's
    phrase_topics: dict[int, frozenset[int]]
    # topic position -> the taxonomy terms that occur in the text, longest first
    candidates: dict[int, list[Term]]
    occurrences: dict[tuple[str, ...], list[range]]  # term -> where it occurs, in order
    named: frozenset[int]  # word positions of a term aimed at a person ("attacked Cruz")
    owned: frozenset[int]  # word positions right after a person's possessive ("his campaign")


# the stem a named Act's "Act" reads as: a statute is law's evidence (topics.yaml)
_STATUTE = stem_word("statute")


@lru_cache(maxsize=256)
def _prepare(text: str) -> _Text:
    """Stems of a text and where each taxonomy term occurs in it; cached because a paragraph
    is shared by its statements, so each statement then costs time in proportion to the terms
    found, not to the length of its paragraph."""
    words = tokens(text)
    false_forms = false_word_forms()
    # a false form gets a stem no term has, so it matches nothing but keeps phrases apart
    stems = [stem_word(w) if w not in false_forms else f"={w}" for w in words]
    for i in named_statutes(text, words):  # "the Foreign Agents Registration Act"
        stems[i] = _STATUTE
    blocked = blocked_positions(stems) | organisation_names(text, words)
    positions: dict[str, list[int]] = {}
    for i, word_stem in enumerate(stems):
        if i not in blocked:
            positions.setdefault(word_stem, []).append(i)
    index = term_index()
    candidates: dict[int, list[Term]] = {}
    occurrences: dict[tuple[str, ...], list[range]] = {}
    for stem, starts in positions.items():
        for position, term in index.get(stem, ()):
            words_stemmed = term[0]
            size = len(words_stemmed)
            spans = [
                range(i, i + size)
                for i in starts
                if size == 1
                or (
                    tuple(stems[i : i + size]) == words_stemmed
                    and blocked.isdisjoint(range(i, i + size))
                )
            ]
            if spans:
                occurrences[words_stemmed] = spans
                candidates.setdefault(position, []).append(term)
    for terms in candidates.values():
        terms.sort(key=lambda t: -len(t[0]))  # stable: file order among equal lengths
    owners: dict[int, set[int]] = {}
    for position, terms in candidates.items():
        for words_stemmed, _ in terms:
            if len(words_stemmed) > 1:
                for span in occurrences[words_stemmed]:
                    for i in span:
                        owners.setdefault(i, set()).add(position)
    asides = frozenset(
        j
        for i, word in enumerate(words)
        if word in _ASIDE_OPENERS
        for j in range(i + 1, min(len(words), i + 1 + ASIDE_WINDOW))
    )
    frames = frozenset(
        j
        for i, word in enumerate(words)
        if word in _FRAME_OPENERS
        for j in range(i + 1, min(len(words), i + 1 + FRAME_WINDOW))
    )
    phrase_topics = {i: frozenset(topics) for i, topics in owners.items()}
    heads = _named_argument_heads()
    named = named_arguments(text, heads) if heads.intersection(stems) else frozenset()
    owned = possessed(text) if _possessed_heads().intersection(stems) else frozenset()
    return _Text(
        words,
        frozenset(stems),
        asides,
        frames,
        phrase_topics,
        candidates,
        occurrences,
        named,
        owned,
    )


@lru_cache(maxsize=1)
def _named_argument_heads() -> frozenset[str]:
    """Stems of the single-word terms that are read in their other sense when aimed at a
    person's name."""
    return frozenset(
        stems[0]
        for definition in taxonomy()
        if definition.named_argument
        for stems in definition.other_sense
        if len(stems) == 1
    )


@lru_cache(maxsize=1)
def _possessed_heads() -> frozenset[str]:
    """Stems of the single-word terms that are strong after a person's possessive."""
    return frozenset(
        stems[0] for definition in taxonomy() for stems in definition.possessed if len(stems) == 1
    )


def _find(term: tuple[str, ...], text: _Text, used: set[int]) -> range | None:
    """Where a (stemmed) term occurs in a text outside ``used`` positions, or None."""
    for span in text.occurrences.get(term, ()):
        if not used.intersection(span):
            return span
    return None


@dataclass(slots=True)
class _Evidence:
    total: float = 0.0
    found: list[tuple[float, str]] = field(default_factory=list)
    counted: set[tuple[str, ...]] = field(default_factory=set)  # a term counts once, where
    seen_words: set[str] = field(default_factory=set)  # it weighs most; words count once
    # some strong evidence lies in the content, not in a passing aside: what was said is about
    # the topic, not only the words around it (who said it, where, the paragraph)
    strong_in_content: bool = False
    # such evidence, but only from a term that needs company ("investigation")
    strong_needing_company: bool = False
    in_statement: set[tuple[str, ...]] = field(default_factory=set)  # terms in content, sentence

    def qualifies(self) -> bool:
        return self.strong_in_content or (
            self.strong_needing_company and len(self.in_statement) >= 2
        )


@dataclass(frozen=True, slots=True)
class _Reading:
    """What is known about the statement as a whole while its evidence is weighed."""

    international: bool  # the content is foreign affairs: context terms are strong
    stems: frozenset[str]  # of the content and the sentence: senses are read from them
    paragraph_stems: frozenset[str]  # of the paragraph: a few senses are read from it


def _is_strong(definition: TopicDefinition, term: Term, reading: _Reading) -> bool:
    words_stemmed, kind = term
    if kind == "strong" and words_stemmed in definition.only_beside:  # "nominee" by a court
        return not definition.only_beside[words_stemmed].isdisjoint(reading.paragraph_stems)
    strong = kind == "strong" or (kind == "context" and reading.international)
    if strong and words_stemmed in definition.other_sense:  # "vote" beside "bill"
        wide = words_stemmed in definition.other_sense_in_paragraph
        stems = reading.paragraph_stems if wide else reading.stems
        return definition.other_sense_words[words_stemmed].isdisjoint(stems)
    return strong


def _weigh_place(
    topic: _Evidence,
    position: int,
    text: _Text,
    weight: float,
    reading: _Reading,
) -> None:
    """Add one place's evidence for one topic: each term once, longest first, so
    "cross-border" is one piece of evidence, not three."""
    definition = taxonomy()[position]
    used: set[int] = set()
    for term in text.candidates[position]:
        words_stemmed = term[0]
        if words_stemmed in topic.counted:
            continue
        span = _find(words_stemmed, text, used)
        if span is None:
            continue
        owners = text.phrase_topics.get(span[0]) if len(span) == 1 else None
        if owners and position not in owners:
            continue  # a word of another topic's phrase
        used.update(span)
        words = [text.words[i] for i in span]
        if weight < WEIGHT_CONTENT and topic.seen_words.issuperset(words):
            continue  # the content's words again, as part of the sentence
        topic.counted.add(words_stemmed)
        topic.seen_words.update(words)
        strong = (
            _is_strong(definition, term, reading)
            and not (words_stemmed in definition.other_sense and span[0] in text.named)
        ) or (words_stemmed in definition.possessed and span[0] in text.owned)
        aside = all(i in text.asides for i in span)
        gain = weight * (1.0 if strong else WEAK_FACTOR)
        gain *= (PHRASE_FACTOR if len(words_stemmed) > 1 else 1.0) * (
            ASIDE_FACTOR if aside else 1.0
        )
        topic.total += gain
        topic.found.append((gain, " ".join(words)))
        framed = weight == WEIGHT_SENTENCE and all(i in text.frames for i in span)
        if weight >= WEIGHT_SENTENCE:
            topic.in_statement.add(words_stemmed)
        if strong and not aside and (weight >= WEIGHT_CONTENT or framed):
            if words_stemmed in definition.needs_company:
                topic.strong_needing_company = True
            else:
                topic.strong_in_content = True


# A cue is a verb of speech: "she talks about ..." is not diplomacy's noun "talks" (the one
# cue of the 17,804 PolNeAR train and dev statements that made a topic as another word)
_SPEECH_FORMS = frozenset({"talks"})


def assign_topics(sentence: str, paragraph: str, content: str, cue: str = "") -> list[Topic]:
    """Topics of a statement with score (0..1) and the words that are their evidence.

    ``sentence`` is the text of the sentence(s) holding the statement, ``paragraph`` the
    paragraph around it, ``content`` what was said, ``cue`` the words that report it. At most
    ``MAX_TOPICS``, each with strong evidence in the content or the cue (or a sentence naming
    the subject), sorted by score, highest first. The cue is part of what the speaker did
    ("endorsed [Hillary Clinton for president]", "reluctantly voting for"), so its words count
    as the content's; a reporting verb ("said", "told") is evidence of nothing.
    """
    cue = " ".join(w for w in cue.split() if w.lower() not in _SPEECH_FORMS)
    said = _prepare(f"{cue} {content}" if cue else content)
    content_words = len(said.words) - (len(tokens(cue)) if cue else 0)
    if content_words < MIN_CONTENT_WORDS:  # a fragment ("to Sanders"): the sentence is the
        said, content = _prepare(sentence), sentence  # best account of what was said
    around = _prepare(sentence)
    whole = _prepare(paragraph)
    places = ((said, WEIGHT_CONTENT), (around, WEIGHT_SENTENCE), (whole, WEIGHT_PARAGRAPH))
    statement_stems = said.stems | around.stems
    reading = _Reading(is_international(content), statement_stems, statement_stems | whole.stems)
    evidence: dict[int, _Evidence] = {}
    for text, weight in places:
        for position in text.candidates:
            _weigh_place(
                evidence.setdefault(position, _Evidence()), position, text, weight, reading
            )
    topics: list[Topic] = []
    for position, topic in sorted(evidence.items()):
        score = 1.0 - math.exp(-topic.total)
        if score >= THRESHOLD and topic.qualifies():
            ranked = sorted(topic.found, key=lambda e: -e[0])
            words = list(dict.fromkeys(w for _, w in ranked))
            topics.append(
                Topic(
                    id=taxonomy()[position].id,
                    score=round(score, 3),
                    evidence=words[:MAX_EVIDENCE],
                )
            )
    topics.sort(key=lambda t: -t.score)  # stable: taxonomy order among equal scores
    return topics[:MAX_TOPICS]


__all__ = ["TopicDefinition", "assign_topics", "taxonomy"]
