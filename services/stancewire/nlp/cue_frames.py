"""Cues that are no reporting verb with its own clause: "according to", a sentence opening
with "In a CBS News poll," (``data/poll_frames.json``), a verb that is a cue only with a word it
governs ("made it clear that", ``data/phrase_cues.json``), and noun cues with a named source
("Trump's claim that ...", "a statement from the ministry on ...").

Split from :mod:`.attribution`, which finds the verb cues and calls these for every token.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from stancewire.nlp.cues import CueLexicon, load_phrase_cues, load_poll_frames
from stancewire.nlp.raw_attribution import RawAttribution, span_of
from stancewire.nlp.sources import mention_span, source_of_verb

__all__ = ["according_to", "in_poll", "noun_cue", "phrase_cue"]

# Prepositions that open what a noun cue says ("support for", "attacks on", "views about").
NOUN_CONTENT_PREPS = frozenset({"for", "of", "on", "about", "against", "over", "to"})


# How much a noun cue's complement adds to its PolNeAR reliability (a "that" clause says more).
NOUN_CLAUSE_BONUS = 0.35


NOUN_PHRASE_BONUS = 0.2


def according_to(token: Token) -> RawAttribution | None:
    if token.lower_ != "according" or token.i + 1 >= len(token.doc):
        return None
    to = token.doc[token.i + 1]
    if to.lower_ != "to":
        return None
    objects = [c for c in to.children if c.dep_ == "pobj"] or [
        t for t in to.subtree if t.i > to.i and t.pos_ in ("PROPN", "NOUN", "PRON")
    ][-1:]
    source = mention_span(objects[0]) if objects else None
    excluded = {t.i for t in token.subtree} | {t.i for t in to.subtree}
    sentence = token.sent
    clause = token.head if token.head.i != token.i else sentence.root
    if clause.i == token.i:
        # "That's according to fundraising reports": the parser made "according" the verb;
        # its subject is what the source says.
        words = [t for c in token.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree]
    elif clause.i in excluded:
        words = [t for t in sentence if t.i not in excluded]
    else:
        words = [t for t in clause.subtree if t.i not in excluded]
    content = span_of(words)
    if content is None:
        return None
    return RawAttribution(token.idx, to.idx + len(to), "according to", *content, source, 1.0, token)


def in_poll(token: Token) -> RawAttribution | None:
    """'In a CBS News poll last month, Mrs. Clinton had a six-point lead': a sentence opening
    with "in" and a poll, then a comma; the poll is the source, the clause what it found
    (``data/poll_frames.json``)."""
    frames = load_poll_frames()
    if token.lower_ not in frames.prepositions or token.dep_ != "prep":
        return None
    objects = [c for c in token.children if c.dep_ == "pobj" and c.lemma_.lower() in frames.nouns]
    if not objects:
        return None
    sentence = token.sent  # costs a scan of the doc: only for "in" with a poll
    if any(not (t.is_punct or t.dep_ == "cc") for t in sentence[: token.i - sentence.start]):
        return None
    after = token.right_edge.i + 1
    if after >= sentence.end or token.doc[after].text != ",":
        return None
    clause = token.head
    if clause.i == token.i or clause.pos_ not in ("VERB", "AUX"):
        return None
    excluded = {t.i for t in token.subtree}
    content = span_of([t for t in clause.subtree if t.i not in excluded])
    if content is None:
        return None
    return RawAttribution(
        token.idx,
        token.idx + len(token),
        token.lower_,
        *content,
        mention_span(objects[0]),
        frames.reliability,
        token,
    )


def phrase_cue(token: Token, quoted: bool) -> RawAttribution | None:
    """'Ms. Lopez made it clear that she has concerns', 'Mr. Obama made clear over the weekend
    that ...': a verb that is a cue with the word of ``data/phrase_cues.json`` it governs;
    what was said is the clause or object after that word. Not inside a quotation."""
    phrase = load_phrase_cues().get(token.lemma_.lower())
    if phrase is None or quoted or token.tag_ not in phrase.tags:
        return None
    word = next((c for c in token.children if c.lower_ == phrase.word and c.i > token.i), None)
    if word is None:
        return None
    heads = [
        c
        for c in (*token.children, *word.children)
        if c.i > word.i and c.dep_ in ("ccomp", "advcl", "dobj", "xcomp")
    ]
    source = source_of_verb(token)
    content = span_of([t for c in heads for t in c.subtree])
    if content is None or source is None:
        return None
    return RawAttribution(
        token.idx,
        word.idx + len(word),
        f"{token.lemma_.lower()} {phrase.word}",
        *content,
        source,
        phrase.reliability,
        token,
    )


def noun_cue(token: Token, lexicon: CueLexicon, threshold: float) -> RawAttribution | None:
    """Noun cues with a named source: "Trump's claim that ...", "a statement from the
    ministry on ...", "her support for the deal"."""
    if token.pos_ != "NOUN":
        return None
    reliability = lexicon.score(token.lemma_, "NOUN")
    if reliability <= 0.0:
        return None
    head = token.head
    # "... said in a statement": the verb cue already covers it.
    if head.dep_ == "prep" and head.head.pos_ == "VERB" and lexicon.score(head.head.lemma_, "VERB"):
        return None
    source: Span | None = None
    content_heads: list[Token] = []
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in ("from", "by"):
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                source = mention_span(objects[0])
        elif child.dep_ == "poss":
            source = mention_span(child)
        elif child.i > token.i and (
            child.dep_ in ("acl", "ccomp")
            or (child.dep_ == "prep" and child.lower_ in NOUN_CONTENT_PREPS)
        ):
            content_heads.append(child)
    if source is None or not content_heads:
        return None
    clause = any(c.dep_ in ("acl", "ccomp") for c in content_heads)
    score = reliability + (NOUN_CLAUSE_BONUS if clause else NOUN_PHRASE_BONUS)
    if score < threshold:
        return None
    content = span_of([t for c in content_heads for t in c.subtree])
    if content is None:
        return None
    return RawAttribution(
        token.idx,
        token.idx + len(token),
        token.lemma_.lower(),
        *content,
        source,
        score,
        token,
    )
