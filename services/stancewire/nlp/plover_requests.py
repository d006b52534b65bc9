"""Requests in a statement's content (PLOVER REQUEST: "requests, appeals and demands that the
recipient act"), read from the parse (plover.py calls them for content verbs whose subject is
not the speaker):

* :func:`demand_event`: an obligation laid on another actor by a modal or an obligation verb
  ("the Democrats must consider ...", "Clinton needs to apologize", "the party has to change";
  not "may have to", "should have");
* :func:`time_to_event`: an exhortation ("Now is the time for all good political leaders to
  come to the aid of their party", "It's time for Congress to stop ..."; 24 "it's / now is the
  time (for X) to VERB" in PolNeAR train's articles, all but a few appeals to act);
* :func:`got_to_event`: the same with "have got to", the spoken "have to" ("If he wants to hold
  that stature, he's got to do it", "they've got to stop"; "'s got to" / "'ve got to" occur
  59 times in PolNeAR train's articles, "have to" is the listed obligation verb).
"""

from __future__ import annotations

from spacy.tokens import Token

from stancewire.events import EventType
from stancewire.nlp.plover_mapping import Mapping

__all__ = ["demand_event", "got_to_event", "time_to_event"]

_SUBJECTS = ("nsubj", "csubj", "expl")
# Subjects that can be asked to act: named actors and person pronouns.
_ACTOR_ENTITIES = ("PERSON", "ORG", "NORP", "GPE")
_ACTOR_PRONOUNS = ("you", "he", "she", "they", "we")
_HAVE = frozenset(("'s", "'ve", "has", "have"))  # "he's got to", "they have got to"


def demand_event(table: Mapping, verb: Token) -> tuple[EventType, Token] | None:
    """'the Democrats must consider ...', 'Clinton needs to apologize': an obligation laid on
    another actor (a named one or a person pronoun; not 'these numbers should put to rest',
    not 'should have')."""
    obliged = verb.dep_ == "xcomp" and verb.head.lemma_.lower() in table.obligation_verbs
    holder = verb.head if obliged else verb  # "Clinton needs to apologize", "has to change"
    if not any(_is_actor(c) for c in holder.children if c.dep_ in _SUBJECTS):
        return None
    modals = {c.lemma_.lower() for c in holder.children if c.dep_ == "aux"}
    if any(c.dep_ == "advmod" and c.lower_ == "yet" for c in holder.children):
        return None  # "Ryan has yet to endorse Trump": not done, no obligation
    if obliged and not modals:  # not "may have to", "will need to"
        return "REQUEST", verb
    if "have" in modals:
        return None
    for definition in table.types.values():
        if definition.modals & modals:
            return definition.type, verb
    return None


def time_to_event(verb: Token) -> tuple[EventType, Token] | None:
    """'It's time (for X) to VERB', 'now is the time to VERB': the act the copula's "time"
    (its attribute or subject) is for, coded on that act."""
    if verb.lemma_.lower() != "be" or any(c.dep_ in ("neg", "aux") for c in verb.children):
        return None  # not "it is not time to ...", "could be a good time to borrow"
    for time in verb.children:
        if time.lower_ != "time" or time.dep_ not in ("attr", "nsubj"):
            continue
        for act in time.children:
            if act.dep_ in ("relcl", "acl") and any(c.lower_ == "to" for c in act.children):
                return "REQUEST", act
    return None


def got_to_event(verb: Token, speaker_words: set[str]) -> tuple[EventType, Token] | None:
    """'He's got to do it', 'they have got to stop': "have got to", "have to" in speech, laid
    on an actor other than the speaker (the parse makes "he's got" a passive whose subject,
    an nsubjpass, the speaker-subject check does not see)."""
    if verb.lemma_.lower() != "get" or verb.tag_ != "VBN":
        return None
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if len(auxiliaries) != 1 or auxiliaries[0].lower_.replace("\u2019", "'") not in _HAVE:
        return None
    subjects = [c for c in verb.children if c.dep_ in (*_SUBJECTS, "nsubjpass")]
    if not any(_is_actor(c) and c.lower_ not in speaker_words for c in subjects):
        return None
    act = next((c for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
    if act is None or not any(c.lower_ == "to" for c in act.children):
        return None
    return "REQUEST", act


def _is_actor(token: Token) -> bool:
    return token.ent_type_ in _ACTOR_ENTITIES or token.lower_ in _ACTOR_PRONOUNS
