"""Criticism and praise voiced in a statement's content (plover.py's last two checks).

:func:`evaluations`: the evaluative predicates about an actor; :func:`evaluation_type`: the
first strong enough, an accusation or support.

"Trump is a serial liar", "he is not fit to lead", "Mook asserted Trump tells so many lies" are
accusations whatever the cue; "he's a terrific guy", "Of the three, I like John Kasich the best"
are support. The check is structural, the polarity general:

* the predicate is a content main verb (see ``plover._main_verbs``) whose subject is an actor
  other than the speaker (a named person, organisation, group or country, or a third- or
  second-person pronoun), read as the verb with its complements, not its subject or its
  clauses ("Trump tells so many lies"; copulas: the attribute, "is a liar");
* or the speaker (first person) is the subject and an actor is in the object ("I like John
  Kasich", "I have great respect for Silicon Valley");
* not a contest's result ("Sanders won 54 percent", "would defeat Mr. Trump":
  ``contest_verbs``);
* the polarity is VADER's compound score of those words (Hutto and Gilbert 2014, MIT), which
  sees negation ("not fit"), held against the stance model's score toward the actor when the
  actor is a statement target (:func:`agreed_polarity`: both must agree, and the weaker
  counts; "Clinton is too concerned with self-interest"); at or beyond
  ``evaluation_threshold`` (plover.yaml) it is an accusation (negative) or support
  (positive).

:func:`criticises`: failing that, a strongly negative stance (the stance model's,
``stance_accuse``) toward a target other than the speaker or the speaker's own country, voiced
by a speaker the parse could name, under a cue that is no question and cites no evidence
("according to" included).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from stancewire.events import EventType, Speaker, Target
from stancewire.nlp.plover_mapping import Mapping

ACTOR_ENTITIES = ("PERSON", "ORG", "NORP", "GPE")
_OTHER_PRONOUNS = ("he", "she", "they", "you")
_FIRST_PERSON = ("i", "we")
_NOMINAL = ("NOUN", "PROPN", "ADJ")
_QUESTION_WORDS = ("whether", "if", "how", "why", "what", "who")
# Dependents that are not part of a predicate's evaluation: its subject, its clauses.
_NOT_PREDICATE = (
    "nsubj",
    "nsubjpass",
    "csubj",
    "ccomp",
    "advcl",
    "conj",
    "cc",
    "parataxis",
    "mark",
    "punct",
    "relcl",
)


@dataclass(frozen=True, slots=True)
class Evaluation:
    """One main verb's predicate said of an actor: its general polarity (VADER's compound of
    the predicate words), the stance model's score toward that actor when it is a statement
    target, and whether the speaker is the subject ("I like John Kasich")."""

    verb: Token
    general: float
    stance: float | None
    own: bool
    ranked: int = 0  # a ranking for an office: +1 "the best candidate", -1 "the worst"


def evaluations(
    table: Mapping,
    verbs: Iterable[Token],
    speaker_words: set[str],
    targets: Sequence[Target],
    general: Callable[[str], float],
) -> list[Evaluation]:
    """Every main verb that evaluates an actor, in order.

    ``speaker_words``: lower-case words that may stand for the speaker (name words, and the
    pronouns that can refer to them there); ``targets``: the statement's, with the speaker's
    stance toward each; ``general``: a text's general polarity, -1..1 (VADER's compound)."""
    out: list[Evaluation] = []
    for verb in verbs:
        if verb.lemma_.lower() in table.contest_verbs:
            continue  # "Sanders won 54 percent": a result reported (plover.yaml)
        actor, words = _evaluated_words(table, verb, speaker_words)
        if words:
            polarity = general(" ".join(t.text for t in words))
            own = not any(a.dep_ in ("nsubj", "nsubjpass") for a in actor)  # actor: objects
            ranking = None if own else _office_ranking(table, verb)
            ranked = 0 if ranking is None else -1 if general(ranking.text) < 0 else 1
            out.append(Evaluation(verb, polarity, _stance(targets, actor), own, ranked))
    return out


def _office_ranking(table: Mapping, verb: Token) -> Token | None:
    """The word that ranks a copula's attribute when that is an office noun: a superlative
    or a ranking word ("is the best candidate", "the right choice") or a wish ("the leader
    that we need"); else None."""
    verb = _copula_of(table, verb)
    if verb.lemma_.lower() not in table.copulas or any(c.dep_ == "neg" for c in verb.children):
        return None
    for attribute in (c for c in verb.children if c.dep_ == "attr"):
        if attribute.lemma_.lower() not in table.office_nouns:
            continue
        for child in attribute.children:
            ranking = child.tag_ == "JJS" or child.lemma_.lower() in table.ranking_words
            if child.dep_ == "amod" and ranking:
                return child
            if child.dep_ == "relcl" and child.lemma_.lower() == "need":
                return child
    return None


def evaluation_type(table: Mapping, found: Iterable[Evaluation]) -> tuple[EventType, Token] | None:
    """ACCUSE or SUPPORT for the first evaluation whose agreed polarity reaches
    ``evaluation_threshold`` (plover.yaml), else None."""
    for evaluation in found:
        score = agreed_polarity(evaluation.general, evaluation.stance)
        stance = evaluation.stance or 0.0
        if evaluation.ranked and stance * evaluation.ranked > -0.2:
            score = float(evaluation.ranked)  # a ranking: the stance need only not oppose it
        if score <= -table.evaluation_threshold:
            return "ACCUSE", evaluation.verb
        if score >= table.evaluation_threshold:
            return "SUPPORT", evaluation.verb
    return None


def _stance(targets: Sequence[Target], actor: list[Token]) -> float | None:
    """The stance score toward the target one of whose mentions holds an actor token."""
    for target in targets:
        if any(m.start <= a.idx < m.end for m in target.mentions for a in actor):
            return target.stance.score
    return None


def agreed_polarity(general: float, stance: float | None) -> float:
    """The general polarity where no stance is known, else the weaker of the two when they
    agree in sign, else 0."""
    if stance is None:
        return general
    if general * stance <= 0:
        return 0.0
    return min(general, stance, key=abs)


_NOTHING: tuple[list[Token], list[Token]] = ([], [])


def _evaluated_words(
    table: Mapping, verb: Token, speaker_words: set[str]
) -> tuple[list[Token], list[Token]]:
    """The evaluated actor's words and the predicate words of ``verb`` when it evaluates an
    actor, else two empty lists."""
    verb = _copula_of(table, verb)
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if len(subjects) != 1 or verb.pos_ not in ("VERB", "AUX"):
        return _NOTHING
    subject = subjects[0]
    if any(c.lower_ in _QUESTION_WORDS for c in verb.children):
        return _NOTHING  # "whether Clinton has the integrity", "how Clinton could inspire"
    if subject.lower_ in _FIRST_PERSON or subject.lower_ in speaker_words:
        actors = [t for t in _objects(verb) if t.ent_type_ in ACTOR_ENTITIES]
        return (actors, _predicate(verb)) if actors else _NOTHING
    if not _is_actor(subject, speaker_words):
        return _NOTHING
    return _actor_predicate(table, verb, subject)


def _actor_predicate(
    table: Mapping, verb: Token, subject: Token
) -> tuple[list[Token], list[Token]]:
    """The predicate words of ``verb`` said of ``subject`` (a copula: its attribute)."""
    if verb.lemma_.lower() in table.copulas:
        attributes = [c for c in verb.children if c.dep_ in ("acomp", "attr")]
        if not attributes:
            return _NOTHING
        negations = [c for c in verb.children if c.dep_ == "neg"]
        words = [*negations, *(t for a in attributes for t in a.subtree)]
        return [subject], sorted(words, key=_index)
    return [subject], _predicate(verb)


def _copula_of(table: Mapping, verb: Token) -> Token:
    """The copula whose predicate participle ``verb`` is ("He was very articulate, smart,
    well-spoken": the parse hangs the adjectives on "spoken", an ``acomp`` of "was"), else
    ``verb``: the light-verb step (plover._through_light_verbs) lands on the participle."""
    copular = verb.dep_ == "acomp" and verb.head.lemma_.lower() in table.copulas
    if copular and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return verb.head
    return verb


def _objects(verb: Token) -> list[Token]:
    """The verb's objects, and those of their prepositions ("I like John Kasich", "I have
    great respect for Silicon Valley")."""
    out: list[Token] = []
    for child in verb.children:
        if child.dep_ in ("dobj", "attr"):
            out.append(child)
            child = next((c for c in child.children if c.dep_ == "prep"), child)
        if child.dep_ == "prep":
            out.extend(c for c in child.children if c.dep_ == "pobj")
    return out


def _predicate(verb: Token) -> list[Token]:
    """The verb and its complements; a nominal conjunct hung on the verb is its object's
    ("he promotes ignorance and hate": the parse makes "hate" a conj of "promotes"), a verbal
    one another clause."""
    words = [verb]
    for child in verb.children:
        if child.dep_ not in _NOT_PREDICATE or (child.dep_ == "conj" and child.pos_ in _NOMINAL):
            words.extend(child.subtree)
    return sorted(words, key=_index)


def _index(token: Token) -> int:
    return token.i


def _is_actor(token: Token, speaker_words: set[str]) -> bool:
    """A named actor or an other-person pronoun that is not the speaker."""
    if token.lower_ in speaker_words:
        return False
    return token.ent_type_ in ACTOR_ENTITIES or token.lower_ in _OTHER_PRONOUNS


def criticises(
    doc: Doc, table: Mapping, cue_lemma: str, speaker: Speaker, targets: Sequence[Target]
) -> bool:
    """A strongly negative stance toward a target other than the ``speaker`` (or the speaker's
    own country), with a stating cue (not asking, and not one of evidence, forecast or
    memory: ``evidence_cues``) and a speaker the parse could name (not ``unknown``:
    "respondents said", "a source said", "the order said"; in the seen label sets this check
    under an unknown speaker made 16 false accusations and 2 right ones). Not limited to
    targets with an agent role: that raised event-vs-none precision (0.79 -> 0.79-0.87) but
    cost type accuracy on all four label sets (0.63 -> 0.52 on the fresh one)."""
    if cue_lemma.lower() in table.question_cues or cue_lemma.lower() in table.evidence_cues:
        return False  # a question, or evidence / a forecast / a memory reported
    if speaker.kind == "unknown":
        return False  # polls, respondents, unnamed sources and documents
    return any(
        t.stance.score <= table.stance_accuse
        and t.kind != "unknown"
        and not _is_speaker(t, speaker)
        for t in targets
    )


def _is_speaker(target: Target, speaker: Speaker) -> bool:
    """The speaker, or the speaker's own country, which the content readers also take for
    the speaker (plover._own_country): a Kazakh president who "stressed that Kazakhstan does
    not supply sanctioned goods" accuses no one. (PolNeAR gives no count: 32 of the seen
    sets' 893 statements have a speaker country, none a negative stance toward it; on the
    seed article this removes G7's accusation of Kazakhstan by its president; G8's of Russia,
    at -0.28, stays.)"""
    if target.name == speaker.name:
        return True
    return (
        target.kind == "country"
        and speaker.country is not None
        and target.country == speaker.country
    )
