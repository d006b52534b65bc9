"""The source of a reporting verb: its subject, the agent of a passive, a relative pronoun's
antecedent, the subject it inherits from the verb it hangs off, or the neighbouring subject
of a dateline.

Split from :mod:`.attribution`, which finds the cues and their contents.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from stancewire.nlp.name_spans import entity_around

__all__ = ["RELATIVE_PRONOUNS", "mention_span", "source_kind", "source_of_verb"]

RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
# Relations through which a verb inherits the subject of the verb it hangs off.
INHERIT_DEPS = frozenset({"advcl", "xcomp", "conj", "ccomp", "pcomp", "prep"})


def source_kind(source: Span | None) -> str:
    if source is None:
        return "none"
    root = source.root
    lower = root.lower_
    if lower in ("i", "we", "me", "us"):
        return "pron1"
    if lower in ("he", "she", "they"):
        return "pron3"
    if lower in ("it", "this", "that"):
        return "it"
    if lower in RELATIVE_PRONOUNS:
        return "who"
    if root.ent_type_:
        return "ent_" + root.ent_type_
    return root.pos_.lower()


def source_of_verb(verb: Token) -> Span | None:
    current = verb
    for _ in range(4):
        children = list(current.children)
        agents = [c for c in children if c.dep_ == "agent"]
        passive = any(c.dep_ == "auxpass" for c in children)
        # "As reported by the Tribune, ...": a participle with an agent needs no auxiliary.
        if agents and (passive or current.tag_ == "VBN"):
            objects = [c for c in agents[0].children if c.dep_ == "pobj"]
            if objects:
                return mention_span(objects[0])
        if any(c.dep_ == "expl" for c in children):
            return None  # "it is expected that ...", "there are reports that ..."
        subjects = [c for c in children if c.dep_ in ("nsubj", "csubj")]
        # "OSLO - The fisheries ministry said": the dateline is not the subject.
        subjects = [c for c in subjects if not _is_dateline(c)] or subjects
        if not passive and subjects:
            subject = subjects[0]
            if subject.lower_ == "there":
                return None
            if _is_dateline(subject):
                # "SAO PAULO (Reuters) - Brazilian President Lula said": the parser hung the
                # real subject on the dateline as an apposition after the dash.
                named = [c for c in subject.children if c.dep_ == "appos"]
                if named and named[-1].left_edge.i > subject.i + 2:
                    return mention_span(named[-1])
            return mention_span(subject)
        if passive and current.i != verb.i:
            # "Mr. Trump was forced into damage control and said that ...": a verb that hangs
            # off a passive shares its passive subject.
            shared = [c for c in children if c.dep_ == "nsubjpass"]
            if shared and shared[0].pos_ in ("PROPN", "NOUN", "PRON"):
                return mention_span(shared[0])
        if current.dep_ in ("relcl", "acl") and current.head.pos_ in (
            "NOUN",
            "PROPN",
            "PRON",
            "NUM",
        ):
            return mention_span(current.head)
        if current.dep_ not in INHERIT_DEPS or current.head.i == current.i:
            break
        current = current.head
    return _inverted_subject(verb) or _neighbouring_subject(verb)


# What may stand between a quotation and an inverted cue ('...," added', '...?" asked').
_QUOTE_CLOSERS = frozenset({'"', "''", "\u201d", "'", "\u2019"})
# Relations the parser gives an inverted subject it does not recognise as one.
_INVERTED_SUBJECT_DEPS = frozenset({"dobj", "dative", "attr", "npadvmod"})


def _inverted_subject(verb: Token) -> Span | None:
    """'"It's Bernie's to lose," added another New Hampshire Democrat' / '"How big is that
    wall?" asked the boy': a finite cue right after a closing quotation mark, with the noun
    phrase after it as its only candidate, which the parser took for an object. In PolNeAR
    train a lexicon verb right after a closing quotation and before a determiner is a gold
    cue with its source after it 82 times of 133 (said 54 of 55; most of the others are
    "and", prepositions and participles, which are no finite cue)."""
    doc = verb.doc
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.i == 0 or verb.i + 1 >= len(doc):
        return None
    if doc[verb.i - 1].text not in _QUOTE_CLOSERS:
        return None
    for child in verb.children:
        if (
            child.dep_ in _INVERTED_SUBJECT_DEPS
            and child.i > verb.i
            and child.left_edge.i == verb.i + 1
            and child.pos_ in ("NOUN", "PROPN")
        ):
            return mention_span(child)
    return None


_DASHES = frozenset({"-", "--", "\u2013", "\u2014"})
# Relations from a word of a name to the name's head.
_NAME_DEPS = frozenset({"compound", "flat", "amod"})


def _is_dateline(token: Token) -> bool:
    """An upper-case place opening a paragraph, followed by a dash or an agency in
    parentheses ("OSLO -", "GENEVA (Reuters) -")."""
    doc = token.doc
    following = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return (
        token.is_upper
        and len(token) > 1
        and token.i < 4
        and following is not None
        and (following.text in _DASHES or following.text == "(")
    )


def _neighbouring_subject(verb: Token) -> Span | None:
    """'"...," Tulsa police Chief Chuck Jordan said Monday' parsed without a subject: the
    name right before the cue (or right after it: 'said Chuck Jordan'), when the content is
    elsewhere."""
    doc = verb.doc
    before = verb.i - 1
    while before >= 0 and doc[before].dep_ in ("aux", "advmod", "neg"):
        before -= 1
    climb = _NAME_DEPS
    if before > 0 and doc[before].text == "," and doc[before - 1].dep_ == "appos":
        # "Senator Harry Reid, the minority leader, said" with the name hung elsewhere
        # ("Alarmed by the unrest in Nevada, Senator Harry Reid" read as one conjunction):
        # the name the apposition after it belongs to.
        before -= 1
        climb = _NAME_DEPS | {"appos"}
    for index in (before, verb.i + 1):
        if not 0 <= index < len(doc):
            continue
        token = doc[index]
        if token.pos_ not in ("PROPN", "NOUN", "PRON") or token.dep_ in ("pobj", "poss"):
            continue
        head = token
        while head.head.i != head.i and head.dep_ in climb:
            head = head.head
        if head.i == verb.i and index == verb.i - 1 and token.dep_ == "compound":
            # '..., F.A.A. records show.': the parser made the subject a compound of the verb
            return mention_span(token)
        if head.i == verb.i or head.pos_ not in ("PROPN", "NOUN", "PRON"):
            continue
        return mention_span(head)
    return None


def mention_span(token: Token) -> Span:
    """The words naming the source: its entity, or its noun phrase up to the head."""
    doc = token.doc
    entity = entity_around(token)
    if entity is not None:
        return entity
    start = token.left_edge.i
    while start < token.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    # The whole noun phrase with its "of" phrases and appositives ("the President of
    # Kazakhstan, Kassym-Jomart Tokayev"), but not its clauses ("who said ...").
    end = token.right_edge.i + 1
    for child in token.children:
        if child.i > token.i and child.dep_ in ("relcl", "acl", "advcl", "ccomp", "cc", "conj"):
            end = min(end, child.left_edge.i)
    while end > token.i + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if end - start > 12:  # a runaway subtree: keep the head's own words
        end = token.i + 1
    return doc[start:end]
