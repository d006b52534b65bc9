"""Negation of a PLOVER event (plover.py): whether the event word is negated, and the acts a
negating verb governs.

PLOVER codes negation as a context whose events can be left out of event counts ("did not
accuse", "refused to endorse"); plover.py keeps the type, sets ``negated`` and scores the event
``negated_intensity`` (0). Negated here: a ``neg`` dependent ("did not accuse", "never
endorsed"), also on its adverb ("no longer supports"); a negator verb of ``plover.yaml``
governing the word ("refused to endorse", "refrained from endorsing"); a negated verb whose
complement or conjunct it is; an act not yet done ("has yet to endorse").
"""

from __future__ import annotations

from spacy.tokens import Token

from stancewire.nlp.plover_mapping import Mapping

__all__ = ["negated", "negated_acts"]

# Links through which a negator governs an event word (see negated).
_GOVERNED_BY = ("xcomp", "pcomp", "prep", "dobj", "pobj", "conj", "acomp")


def negated(table: Mapping, token: Token) -> bool:
    """A ``neg`` dependent ('did not accuse', 'never endorsed'), a negator governing the token
    within three steps ('refused to endorse', 'refrained from endorsing'), or a negated verb
    whose complement or conjunct it is ('was not going to act like a puppy and back Trump';
    not across "but": 'did not attend but praised')."""
    if _has_neg(token):
        return True
    node = token
    for _ in range(3):
        if node.dep_ not in _GOVERNED_BY or node.head.i == node.i:
            return False
        if node.dep_ == "conj" and any(c.lower_ == "but" for c in node.head.children):
            return False
        node = node.head
        if node.lemma_.lower() in table.negators:
            return True
        if node.dep_ != "prep" and _has_neg(node) and node.pos_ in ("VERB", "AUX"):
            return True
        if node.lemma_.lower() in ("have", "be") and _pending(node):
            return True  # "has yet to endorse", "is yet to apologize"
    return False


def _has_neg(token: Token) -> bool:
    """A ``neg`` dependent, or one of its adverb's ("no longer supports")."""
    return any(
        c.dep_ == "neg" or (c.dep_ == "advmod" and any(g.dep_ == "neg" for g in c.children))
        for c in token.children
    )


def _pending(verb: Token) -> bool:
    """'has yet to endorse': the act is not done (25 "yet to" in PolNeAR train's articles)."""
    return any(c.dep_ == "advmod" and c.lower_ == "yet" for c in verb.children)


def negated_acts(negator: Token) -> list[Token]:
    """The verbs a negator governs: "refused to endorse", "refrained from endorsing"."""
    acts = [c for c in negator.children if c.dep_ == "xcomp" and c.pos_ == "VERB"]
    preps = [c for c in negator.children if c.dep_ == "prep"]
    return acts + [c for p in preps for c in p.children if c.dep_ == "pcomp" and c.pos_ == "VERB"]
