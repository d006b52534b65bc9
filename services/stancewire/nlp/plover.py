"""PLOVER event coding of one statement: which of PLOVER's 16 event types the speaker's act is.

Pure: reads the parsed doc the enricher already holds and the mapping in ``data/plover.yaml``
(types, quads, intensities, cue lemmas, content verbs and phrases; source and licence noted
there). Two places carry an event:

1. the reporting cue itself ("accused", "praised", "urged", "rejected"): its lemma, with the
   dependents some cues need ("called for", not "called it a disaster") and, for a few, a word
   in the content ("warned of consequences") (``plover_cues.py``);
2. the content's main verb when the speaker, a pronoun or the speaker's country is its subject
   ("X said it agreed to ..."), following light verbs ("plans to meet"), predicate adjectives
   and first-person opinion clauses; a material conflict act still to come ("said it would
   impose sanctions") is a threat (rules over the parse in ``plover_predicates.py``).

Then the cue verb's own phrase ("imposed sanctions", "filed a lawsuit"), a naming cue by the
name's sentiment ("called it 'extremely careless'"), obligations laid on an actor ("the
Democrats must ..."), blameworthy acts of others ("says Clinton is lying") and, last, a
strongly negative stance toward a target (an accusation). A cue event wins over a content
event, except that an intention cue (AGREE's "vowed", "pledged") over a conflict act or a
threat mark ("vowed consequences") is a threat. An event is negated when its verb has a ``neg``
dependent or is governed by a negator ("refused to endorse", "did not accuse"); it keeps its
type and scores ``negated_intensity``. Last, a learned layer (``plover_model.py``) may add an
event where the rules found none, or drop one, where it is confident.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from stancewire.events import Content, Cue, Event, EventType, Speaker, Target
from stancewire.nlp.plover_cues import (
    cue_event,
    cue_phrase_event,
    has_needed,
    has_phrase,
    naming_event,
    sentiment,
)
from stancewire.nlp.plover_evaluation import (
    Evaluation,
    criticises,
    evaluation_type,
    evaluations,
)
from stancewire.nlp.plover_mapping import EventDefinition, Mapping, mapping
from stancewire.nlp.plover_model import as_event_type, event_features, load_event_model
from stancewire.nlp.plover_negation import negated, negated_acts
from stancewire.nlp.plover_predicates import (
    copular_event,
    denial_event,
    falsity_event,
    governing_cue_event,
    nominal_cue_event,
    opinion_clauses,
    reproach_event,
    threat_noun_event,
)
from stancewire.nlp.plover_requests import demand_event, got_to_event, time_to_event

__all__ = ["code_event", "mapping"]

CONFLICT_QUADS = ("verbal_conflict", "material_conflict")
_SUBJECTS = ("nsubj", "csubj", "expl")
_QUOTES = ('"', "\u201c", "\u201d", "''", "``")
# Auxiliaries of an act still to come ("would impose", "will be arrested") and of one done.
_FUTURE = frozenset(("will", "would", "shall", "may", "might", "could", "can", "'ll"))
_DONE = frozenset(("do", "have"))
# Parts of speech of a phrase's word that may stand far from its verb (see _phrase_event).
_PHRASE_DEPENDENTS = ("NOUN", "ADJ", "ADV")


def code_event(
    doc: Doc, cue: Cue, content: Content, speaker: Speaker, targets: Sequence[Target] = ()
) -> Event:
    """The PLOVER event of one statement (offsets are body offsets into ``doc``'s text);
    ``targets`` carry the speaker's stance toward each (nlp/stance.py)."""
    table = mapping()
    cue_span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    content_span = doc.char_span(content.start, content.end, alignment_mode="expand")
    reading = Reading(speaker, targets, [], quoted=False, direct=False)
    if content_span is not None:  # the content's main verbs, found once for both readers
        verbs = _main_verbs(table, content_span, cue_span)
        reading = Reading(
            speaker, targets, verbs, _quoted(content_span), _opens_quote(content_span)
        )
    found, stage = _statement_event(table, cue.lemma, cue_span, content_span, reading), "rules"
    evaluated = _evaluations(table, reading) if content_span is not None else []
    if found is None:
        found, stage = evaluation_type(table, evaluated), "evaluation"
    if found is None and criticises(doc, table, cue.lemma, speaker, targets):
        found, stage = ("ACCUSE", _head(cue_span)), "stance"
    chosen = _learned(table, (found, stage), cue.lemma, cue_span, content_span, reading, evaluated)
    if chosen is None:
        return Event()
    event_type, is_negated = chosen
    definition = table.types[event_type]
    intensity = table.negated_intensity if is_negated else definition.intensity
    return Event(type=event_type, quad=definition.quad, negated=is_negated, intensity=intensity)


def _learned(
    table: Mapping,
    ruled: tuple[tuple[EventType, Token | None] | None, str],
    cue_lemma: str,
    cue: Span | None,
    content: Span | None,
    reading: Reading,
    evaluated: Sequence[Evaluation],
) -> tuple[EventType, bool] | None:
    """The event type and whether it is negated: the rules' event (``ruled``: it and the
    stage that found it), or the learned model's type where it overrides them
    (``plover_model.py``); a type the model adds is not negated (the model reads the whole
    content, its negations among the features)."""
    found, stage = ruled
    rule_type = found[0] if found is not None else None
    is_negated = found is not None and found[1] is not None and negated(table, found[1])
    features = event_features(
        cue_lemma,
        cue,
        content,
        reading.verbs,
        reading.speaker,
        reading.targets,
        (rule_type, stage, is_negated),
        (sentiment().lexicon, _general_polarity),
        evaluated,
    )
    chosen = as_event_type(load_event_model().revise(features, rule_type))
    if chosen == rule_type and rule_type is not None:
        return rule_type, is_negated
    if chosen is None:
        return None
    return chosen, False


def _statement_event(
    table: Mapping,
    cue_lemma: str,
    cue: Span | None,
    content: Span | None,
    reading: Reading,
) -> tuple[EventType, Token | None] | None:
    """The cue's event, else the cue verb's own phrase ("imposed sweeping sanctions"), else
    the content's; an intention cue over a conflict act or a threat mark threatens."""
    lemmas = {t.lemma_.lower() for t in content} if content is not None else set()
    cue_head = _head(cue)
    found = cue_event(table, cue_lemma, cue_head, lemmas)
    from_content = None
    if content is not None and (found is None or found[0] == "AGREE"):  # else not needed
        from_content = _content_event(table, content, reading)
    if found is None and cue_head is not None and cue_head.pos_ == "VERB":
        found = (
            cue_phrase_event(table, cue_head)
            or nominal_cue_event(table, cue_head)
            or naming_event(table, cue_lemma, cue_head)
        )
    if found is None and cue_head is not None:
        found = governing_cue_event(table, cue_head, lemmas)
    if found is None:
        found = from_content
    if found is None or (found[0] == "REQUEST" and table.routine_requests & lemmas):
        return None  # "asked for anonymity", "requested comment"
    conflict = from_content is not None and table.types[from_content[0]].quad in CONFLICT_QUADS
    if found[0] == "AGREE" and (conflict or table.threat_marks & lemmas):
        return table.intention_conflict, found[1]  # "vowed to impose sanctions", "... consequences"
    return found


def _head(span: Span | None) -> Token | None:
    """The syntactic head of a span: its first token whose head lies outside it."""
    if span is None or len(span) == 0:
        return None
    for token in span:
        if token.head.i < span.start or token.head.i >= span.end or token.head.i == token.i:
            return token
    return span[0]


def _content_event(
    table: Mapping, content: Span, reading: Reading
) -> tuple[EventType, Token] | None:
    """The event of the content's main verbs whose subject is the speaker, a pronoun or the
    speaker's country, or of its head noun ("issued death threats", "a statement of
    support"); a threat whoever its subject ("those responsible will face justice"); a
    blameworthy act of someone else ("Clinton is lying", "the election was rigged"). A
    material conflict act still to come ("it would impose sanctions") is a threat of it."""
    for verb in reading.verbs:
        if verb.pos_ in ("NOUN", "PROPN"):
            found = _noun_event(table, verb)
        elif (
            found := falsity_event(table, verb)
            or _got_to(table, verb, reading)
            or time_to_event(verb)
        ) is not None:
            pass
        elif _speaker_is_subject(table, verb, reading):
            denial = None if reading.quoted else denial_event(table, verb)  # not "I never ..."
            found = denial or _verb_event(table, verb, content)
            if found is None and _is_passive(verb):
                found = _others_event(table, verb)  # "the election was rigged"
            found = _future_threat(table, found)
        else:
            found = (
                demand_event(table, verb)
                or reproach_event(verb)
                or _phrase_event([table.types[table.intention_conflict]], verb, content)
                or _others_event(table, verb)
            )
        if found is not None:
            return found
    return threat_noun_event(table, content)


def _got_to(table: Mapping, verb: Token, reading: Reading) -> tuple[EventType, Token] | None:
    if verb.lemma_.lower() != "get":  # cheap test first: the speaker's words are a set to build
        return None
    return got_to_event(verb, _speaker_words(table, reading))


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def _future_threat(
    table: Mapping, found: tuple[EventType, Token] | None
) -> tuple[EventType, Token] | None:
    """A material conflict act in the base form after a modal or "to" ("it would impose
    sanctions", "plans to deploy troops"; not "did not impose") is not done but threatened
    (PLOVER THREATEN: a threat of sanctions, force or coercion)."""
    if found is None or table.types[found[0]].quad != "material_conflict":
        return found
    verb = found[1]
    auxiliaries = {c.lemma_.lower() for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if auxiliaries & _DONE:
        return found
    if auxiliaries & _FUTURE or (verb.tag_ == "VB" and "to" in auxiliaries):
        return table.intention_conflict, verb
    return found


def _others_event(table: Mapping, verb: Token) -> tuple[EventType, Token] | None:
    """'Trump says Clinton is lying', 'She's covering it up': a blameworthy act of someone
    else, reported (a verb, or a verb with its particle)."""
    lemma = verb.lemma_.lower()
    phrasal = {f"{lemma} {c.lower_}" for c in verb.children if c.dep_ == "prt"}
    for definition in table.types.values():
        if lemma in definition.others_verbs or phrasal & definition.others_verbs:
            return definition.type, verb
    return None


def _quoted(content: Span) -> bool:
    """Whether the content is a quotation (a quotation mark right before it or inside)."""
    # Token-level: ``Doc.text`` is rebuilt from every token on each access.
    before = content.doc[max(0, content.start - 2) : content.start]
    return any(t.is_quote or t.text in _QUOTES for t in (*before, *content))


def _opens_quote(content: Span) -> bool:
    """Whether the content is a direct quotation: a quotation mark right before it."""
    before = content.doc[max(0, content.start - 2) : content.start]
    return any(t.is_quote or t.text in _QUOTES for t in before)


def _noun_event(table: Mapping, noun: Token) -> tuple[EventType, Token] | None:
    lemma = noun.lemma_.lower()
    for definition in table.types.values():
        if lemma in definition.cues and lemma not in definition.cue_needs:
            return definition.type, noun
    return None


def _main_verbs(table: Mapping, content: Span, cue: Span | None) -> list[Token]:
    """Roots of the content (a quotation running over its own cue is two: '"...," Trump
    said, "and I fully support ..."'), their conjuncts and noun roots' clauses ('a statement
    apologizing'), each followed through light verbs to the verb it governs."""
    cue_tokens = range(cue.start, cue.end) if cue is not None else range(0)
    roots = [
        t
        for t in content
        if t.i not in cue_tokens
        and (
            t.head.i == t.i or t.head.i in cue_tokens or not content.start <= t.head.i < content.end
        )
    ]
    verbs: list[Token] = []
    for root in roots:
        for token in [root, *root.conjuncts]:
            if token.pos_ in ("NOUN", "PROPN"):
                verbs.append(token)
                verbs.extend(c for c in token.children if c.dep_ in ("acl", "relcl"))
            elif token.pos_ in ("VERB", "AUX"):
                verbs.append(token)
                verbs.extend(opinion_clauses(table, token))  # "I think he's a terrific guy"
    return [_through_light_verbs(table, v) for v in verbs]


def _through_light_verbs(table: Mapping, verb: Token) -> Token:
    """The verb a light verb or a copula's predicate adjective governs ("plans to meet", "is
    ready to endorse", "was willing to negotiate"; not "was happy to see", an evaluation)."""
    seen = 0
    while verb.lemma_ in table.light_verbs and seen < 3:
        adjectives = [c for c in verb.children if c.dep_ == "acomp" and _is_predicate(table, c)]
        governed = [c for c in verb.children if c.dep_ in ("xcomp", "acomp") and c.pos_ == "VERB"]
        governed += [c for a in adjectives for c in a.children if c.dep_ == "xcomp"]
        if not governed:
            break
        verb, seen = governed[0], seen + 1
    return verb


class Reading(NamedTuple):
    """What the content readers share: the speaker, the statement's targets (for the
    speaker's own country and stance), the content's main verbs, whether it is quoted (a
    quotation mark before or inside it) and whether it is a direct quotation (opened by one)."""

    speaker: Speaker
    targets: Sequence[Target]
    verbs: list[Token]
    quoted: bool
    direct: bool


def _is_predicate(table: Mapping, adjective: Token) -> bool:
    """An adjective that is some type's predicate ("ready", "willing"; not "happy to see")."""
    return any(adjective.lemma_.lower() in d.predicates for d in table.types.values())


def _speaker_is_subject(table: Mapping, verb: Token, reading: Reading) -> bool:
    """No subject (passive, imperative, infinitive), a speaker pronoun, words of the speaker
    or the speaker's own country ("Merkel said Germany would send aid"); a conjunct without
    its own subject shares its first conjunct's, an infinitive its governing verb's ("Clinton
    needs to apologize" is not the speaker's apology)."""
    subjects = [c for c in verb.children if c.dep_ in _SUBJECTS]
    while not subjects and verb.dep_ in ("conj", "xcomp") and verb.head.i != verb.i:
        verb = verb.head
        subjects = [c for c in verb.children if c.dep_ in _SUBJECTS]
    if not subjects:
        return True
    words = _speaker_words(table, reading)
    return any(s.lower_ in words or _own_country(s, reading) for s in subjects)


def _own_country(subject: Token, reading: Reading) -> bool:
    """Whether the subject is a mention of a country target that is the speaker's country."""
    if reading.speaker.country is None:
        return False
    at = subject.idx
    return any(
        t.kind == "country"
        and t.country == reading.speaker.country
        and any(m.start <= at < m.end for m in t.mentions)
        for t in reading.targets
    )


def _speaker_words(table: Mapping, reading: Reading) -> set[str]:
    """Lower-case words that may stand for the speaker: name words and, by whether the
    content is a quotation, the pronouns that can refer to them."""
    speaker = reading.speaker
    names = {w.lower() for w in speaker.name.split()}
    if speaker.mention is not None:
        names |= {w.lower() for w in speaker.mention.text.split()}
    pronouns = table.quoted_speaker_pronouns if reading.quoted else table.speaker_pronouns
    if reading.direct:  # '"He was very articulate," he said': the cue's "he" is not the quote's
        names -= table.speaker_pronouns - table.quoted_speaker_pronouns
    return names | pronouns


def _evaluations(table: Mapping, reading: Reading) -> list[Evaluation]:
    """The content's predicates said of an actor (plover_evaluation.py): criticism or praise
    for the rules when strong enough, features for the learned layer in any case."""
    words = _speaker_words(table, reading) - {"it"}
    return evaluations(table, reading.verbs, words, reading.targets, _general_polarity)


def _general_polarity(text: str) -> float:
    return float(sentiment().polarity_scores(text)["compound"])


def _verb_event(table: Mapping, verb: Token, content: Span) -> tuple[EventType, Token] | None:
    lemma = verb.lemma_.lower()
    if lemma in table.negators:  # "he refused to endorse Trump": a negated endorsement
        for governed in negated_acts(verb):
            found = _verb_event(table, governed, content)
            if found is not None:
                return found
    for definition in table.types.values():
        if lemma in definition.verbs:
            return definition.type, verb
    for definition in table.types.values():  # "he said he questioned her judgment"
        needed = lemma in definition.cue_needs and lemma in definition.cues
        if needed and has_needed(definition, lemma, verb):
            return definition.type, verb
    copular = copular_event(table, verb)  # "we remain committed to ..."
    if copular is not None:
        return copular
    return _phrase_event(table.types.values(), verb, content)


def _phrase_event(
    definitions: Iterable[EventDefinition], verb: Token, content: Span
) -> tuple[EventType, Token] | None:
    """The first type whose phrase is in the verb's subtree within the content, its words
    close together or, for a verb and one word, that word a dependent of the verb however
    long the object between them ("will hold the slave drivers of our day accountable")."""
    window = [t.lemma_.lower() for t in verb.subtree if content.start <= t.i < content.end]
    present = set(window)
    lemma = verb.lemma_.lower()
    dependents = {  # content words only: not the "to" of "want to ask"
        c.lemma_.lower() for c in verb.children if c.pos_ in _PHRASE_DEPENDENTS
    }
    for definition in definitions:
        phrases = [p for p in definition.phrases if present.issuperset(p)]  # cheap filter first
        if any(
            has_phrase(window, phrase)
            or (len(phrase) == 2 and phrase[0] == lemma and phrase[1] in dependents)
            for phrase in phrases
        ):
            return definition.type, verb
    return None
