"""Linguistic rules of PLOVER event coding over a statement's parse (plover.py calls them).

Each reads the spaCy tokens the enricher already parsed and the word lists of ``data/plover.yaml``
(``opinion_verbs``, ``falsity_words``, ``truth_words``, ``threat_nouns``, per-type
``predicates``):

* :func:`opinion_clauses`: "I think he's a terrific guy": a first-person opinion verb's clause
  is the speaker's own claim, so it is read as a main clause of the content;
* :func:`copular_event`: "we remain committed to welcoming refugees" (AGREE), "we are opposed
  to the deal" (REJECT): a predicate adjective after a copula that names the event;
* :func:`falsity_event`: "That is a false equivalency!", "the tweets are lies", "it is not
  true": calling a claim or report (not a person) false rejects it (PLOVER REJECT: deny or
  reject a claim or accusation);
* :func:`threat_noun_event`: "there will be consequences", "there are consequences to its
  unlawful actions", "Iran would suffer consequences" threaten (not "the consequences of
  climate change", "workers fear retaliation");
* :func:`reproach_event`: "So why didn't Donald Trump pay his?", "why won't he release his
  returns?": a negated why-question about someone else's act reproaches them (ACCUSE);
* :func:`nominal_cue_event`: "sounded a call for X to accept refugees", "voiced support for",
  "issued a threat", "in a rebuke of": a cue verb whose object, or the object of its "in",
  is a nominal cue of an event type.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from stancewire.events import EventType
from stancewire.nlp.plover_cues import cue_event
from stancewire.nlp.plover_mapping import Mapping

__all__ = [
    "copular_event",
    "denial_event",
    "falsity_event",
    "governing_cue_event",
    "nominal_cue_event",
    "opinion_clauses",
    "reproach_event",
    "threat_noun_event",
]

_SUBJECTS = ("nsubj", "nsubjpass")
_FIRST_PERSON = ("i", "we")
# Subjects that are people: calling them wrong is criticism (ACCUSE), not a rejected claim.
_PERSON_PRONOUNS = ("i", "we", "you", "he", "she", "they", "who")
_PERSON_ENTITIES = ("PERSON", "NORP", "ORG", "GPE")
_ATTRIBUTES = ("acomp", "attr")
_FUTURE = frozenset(("will", "would", "shall", "'ll"))
_PAST_DO = frozenset(("did", "didn't"))


def opinion_clauses(table: Mapping, verb: Token) -> list[Token]:
    """The clauses of a first-person opinion verb ("I think ...", "we believe ..."), else []."""
    if verb.lemma_.lower() not in table.opinion_verbs:
        return []
    if not any(c.dep_ == "nsubj" and c.lower_ in _FIRST_PERSON for c in verb.children):
        return []
    return [c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")]


def copular_event(table: Mapping, verb: Token) -> tuple[EventType, Token] | None:
    """A copula's predicate adjective that is a type's ``predicates`` ("remain committed to")."""
    if verb.lemma_.lower() not in table.copulas:
        return None
    for child in verb.children:
        if child.dep_ != "acomp":
            continue
        words = {child.lemma_.lower(), child.lower_}
        for definition in table.types.values():
            if definition.predicates & words:
                return definition.type, verb
    return None


def falsity_event(table: Mapping, verb: Token) -> tuple[EventType, Token] | None:
    """REJECT for a copular predicate calling a non-person subject false ("That is a false
    equivalency!") or negating its truth ("it's not true"); coded on the subject, so that
    "not true" is the rejection, not a negated one."""
    if verb.lemma_.lower() not in table.copulas:
        return None
    subjects = [c for c in verb.children if c.dep_ in _SUBJECTS]
    if len(subjects) != 1 or _is_person(subjects[0]):
        return None
    attributes = [c for c in verb.children if c.dep_ in _ATTRIBUTES]
    negated = any(c.dep_ == "neg" for c in verb.children)
    for attribute in attributes:
        negated = negated or any(c.dep_ == "neg" for c in attribute.children)  # "just not true"
        words = {w for t in attribute.subtree for w in (t.lemma_.lower(), t.lower_)}
        if not negated and table.falsity_words & words:
            return "REJECT", subjects[0]
        if negated and attribute.lemma_.lower() in table.truth_words:
            return "REJECT", subjects[0]
        claimed = subjects[0].lemma_.lower() in table.claim_nouns
        if claimed and not negated and attribute.lemma_.lower() in table.claim_falsity_words:
            return "REJECT", subjects[0]  # "your facts are wrong"
    return None


def denial_event(table: Mapping, verb: Token) -> tuple[EventType, Token] | None:
    """REJECT for the speaker's own past act negated ("he never pledged to kill ...", "I did
    not take the money", "had never touched her"; not "did not recall", a state:
    ``denial_exclusions``), coded on the subject: the denial is the event, not a negated one.
    Called for content verbs whose subject is the speaker."""
    if verb.lemma_.lower() in table.denial_exclusions:
        return None
    never = any(c.lower_ == "never" for c in verb.children if c.dep_ in ("neg", "advmod"))
    auxiliaries = {c.lower_ for c in verb.children if c.dep_ == "aux"}
    did_not = bool(auxiliaries & _PAST_DO) and any(c.dep_ == "neg" for c in verb.children)
    past = verb.tag_ in ("VBD", "VBN") or bool(auxiliaries & _PAST_DO)
    if not past or not (never or did_not) or auxiliaries & _FUTURE:
        return None
    subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
    return ("REJECT", subject) if subject is not None else None


def _is_person(token: Token) -> bool:
    return token.lower_ in _PERSON_PRONOUNS or token.ent_type_ in _PERSON_ENTITIES


def threat_noun_event(table: Mapping, content: Span) -> tuple[EventType, Token] | None:
    """THREATEN for a threat noun in the content that is announced ("there will be
    consequences") or laid on someone still to come ("Iran would suffer consequences"); not
    a consequence "of" something, not one feared ("workers fear retaliation") or described
    ("the consequences for the economy will be severe")."""
    for token in content:
        if token.pos_ != "NOUN" or token.lemma_.lower() not in table.threat_nouns:
            continue
        if any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children):
            continue
        verb = token.head
        existential = token.dep_ == "attr" and any(c.dep_ == "expl" for c in verb.children)
        modals = {c.lower_ for c in verb.children if c.dep_ == "aux"}
        if existential or (token.dep_ == "dobj" and modals & _FUTURE):
            return table.intention_conflict, token
    return None


def nominal_cue_event(table: Mapping, cue: Token) -> tuple[EventType, Token] | None:
    """The event of a cue verb's object that is a nominal cue ("sounded a call for", "voiced
    support"), with that cue's needed dependents as its children or the next word; coded on
    the noun, whose negation is its verb's ("did not voice support")."""
    nouns = [c for c in cue.children if c.dep_ == "dobj"]
    # "In a rebuke of the White House, the senator said ...", "said in a swipe at Trump"
    nouns += [c for p in cue.children if p.dep_ == "prep" and p.lower_ == "in" for c in p.children]
    for noun in nouns:
        if noun.pos_ != "NOUN" or noun.dep_ not in ("dobj", "pobj"):
            continue
        lemma = noun.lemma_.lower()
        for definition in table.types.values():
            if lemma not in definition.cues:
                continue
            needs = definition.cue_needs.get(lemma)
            if needs is None or _has_need(noun, needs):
                return definition.type, noun
    return None


# Events a participle cue's governing verb can be: judgements its words express.
_GOVERNING_TYPES = ("ACCUSE", "SUPPORT", "REJECT", "CONCEDE")


def governing_cue_event(
    table: Mapping, cue: Token, lemmas: set[str]
) -> tuple[EventType, Token | None] | None:
    """A participle cue's governing verb as the event ('had mocked the complaint, saying
    ...', 'expressed admiration for X, telling CNBC'): the verb's own cue or nominal cue, if
    it is a judgement the words spell out (_GOVERNING_TYPES)."""
    if cue.tag_ != "VBG" or cue.dep_ != "advcl" or cue.head.pos_ != "VERB":
        return None
    verb = cue.head
    found = cue_event(table, verb.lemma_, verb, lemmas) or nominal_cue_event(table, verb)
    if found is None or found[0] not in _GOVERNING_TYPES:
        return None  # not 'to appeal to voters, saying', 'offered himself as ..., saying'
    return found


def _has_need(noun: Token, needs: frozenset[str]) -> bool:
    following = noun.nbor(1).lower_ if noun.i + 1 < len(noun.doc) else ""
    return following in needs or any(c.lower_ in needs or c.dep_ in needs for c in noun.children)


def reproach_event(verb: Token) -> tuple[EventType, Token] | None:
    """ACCUSE for a direct negated why-question about another's act ("why didn't Trump pay
    his?");
    the caller checks the subject is not the speaker. Coded on "why", not the negated verb:
    the reproach itself is not negated."""
    why = next((c for c in verb.children if c.lower_ == "why"), None)
    if why is None or not any(c.dep_ == "neg" for c in verb.children):
        return None
    if not any(c.dep_ in _SUBJECTS for c in verb.children):
        return None
    if not any(t.text == "?" for t in verb.doc[verb.i : verb.sent.end]):
        return None  # an indirect question ("explaining why he won't appear") reproaches no one
    return "ACCUSE", why
