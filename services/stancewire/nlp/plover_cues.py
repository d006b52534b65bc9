"""The reporting cue's own PLOVER event (plover.py's first reader): a cue lemma that is the
event ("accused", "urged"), one under a negator ("refused to endorse"), the cue verb's phrase
("imposed sweeping sanctions"), and naming or portraying cues read for the name's sentiment
("called X 'extremely careless'", "cast him as a false conservative"). Word lists are in
``data/plover.yaml``.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Token
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from stancewire.events import EventType
from stancewire.nlp.plover_mapping import EventDefinition, Mapping, mapping

__all__ = [
    "cue_event",
    "cue_phrase_event",
    "has_needed",
    "has_phrase",
    "naming_event",
    "sentiment",
]

# Dependents that hold a governed verb ("refused to endorse", "plans to meet", "refrained from
# endorsing") or a governed noun ("withheld support").
_COMPLEMENTS = ("xcomp", "ccomp", "dobj", "pcomp", "pobj", "prep", "acomp")
# Dependents of a cue verb that make a phrase with it ("imposed sanctions"), not its clauses.
_CUE_OBJECTS = ("dobj", "prt", "prep", "dative", "attr", "oprd", "advmod")  # "pushed back"
# Particles of phrasal verbs in the phrase lists ("call on", "step down", "rule out").
_PARTICLES = frozenset(("on", "for", "out", "up", "down", "back", "off", "with", "by"))


def cue_event(
    table: Mapping, lemma: str, token: Token | None, content_lemmas: set[str]
) -> tuple[EventType, Token | None] | None:
    """The event the cue itself is, if any (a negator cue: the event it governs)."""
    lemma = lemma.lower()
    if lemma in table.negators and token is not None:
        governed = _governed_cue_event(table, token, content_lemmas)
        if governed is not None:
            return governed
    for definition in table.types.values():
        if lemma in definition.cues and has_needed(definition, lemma, token):
            return definition.type, token
        if lemma in definition.cues_if and definition.marks & content_lemmas:
            return definition.type, token
    return None


def _governed_cue_event(
    table: Mapping, token: Token, content_lemmas: set[str]
) -> tuple[EventType, Token | None] | None:
    """'refused to endorse', 'withheld support': the event word under a negator cue, coded
    with the negator as its token so that the negation is seen."""
    for child in _complements(token):
        found = cue_event(table, child.lemma_, child, content_lemmas)
        if found is not None:
            return found[0], child
    return None


def cue_phrase_event(table: Mapping, cue: Token) -> tuple[EventType, Token] | None:
    """A phrase made by the cue verb and its objects ("imposed sweeping new sanctions")."""
    words = [t for c in cue.children if c.dep_ in _CUE_OBJECTS for t in c.subtree]
    lemmas = [t.lemma_.lower() for t in sorted([cue, *words], key=lambda t: t.i)]
    lemmas = lemmas[lemmas.index(cue.lemma_.lower()) :]
    for definition in table.types.values():
        phrases = [p for p in definition.phrases if p[0] == lemmas[0]]
        if any(has_phrase(lemmas, phrase) for phrase in phrases):
            return definition.type, cue
    return None


def naming_event(table: Mapping, lemma: str, cue: Token) -> tuple[EventType, Token] | None:
    """'called X "extremely careless"' accuses, 'called him a terrific guy' supports."""
    if lemma.lower() not in table.naming_cues:
        return None
    names = [c for c in cue.children if c.dep_ in ("oprd", "attr", "ccomp", "xcomp")]
    names += [c for c in cue.children if c.dep_ == "prep" and c.lower_ == "as"]  # "cast as"
    if not names:  # 'calls people "losers" and "sad"', "painted a dire portrait of ..."
        names = [c for c in cue.children if c.i > cue.i and c.dep_ in ("dobj", "conj")]
    text = " ".join(t.text for name in names for t in _name_words(name))
    score = float(sentiment().polarity_scores(text)["compound"])
    if score <= -table.naming_threshold:
        return "ACCUSE", cue
    if score >= table.naming_threshold:
        return "SUPPORT", cue
    return None


def _name_words(name: Token) -> list[Token]:
    """The words of a name without the reason after it ('called him "a genius" for his tax
    avoidance strategies' is read as "a genius"; not the "of" that is part of it: "a friend of
    terrorists"); the object of "cast as" is the name."""
    if name.dep_ == "prep":
        return [t for c in name.children for t in c.subtree]
    reasons = {
        t.i for c in name.children if c.dep_ == "prep" and c.lower_ != "of" for t in c.subtree
    }
    return [t for t in name.subtree if t.i not in reasons]


@lru_cache(maxsize=1)
def sentiment() -> SentimentIntensityAnalyzer:
    """VADER (Hutto and Gilbert 2014, MIT), installed with the package, with the political
    praise and blame words its lexicon lacks (plover.yaml ``evaluation_words``)."""
    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(mapping().evaluation_words)
    return analyzer


def _complements(token: Token) -> list[Token]:
    """Dependents holding a governed verb or noun, one preposition deep."""
    out: list[Token] = []
    for child in token.children:
        if child.dep_ in _COMPLEMENTS:
            out.append(child)
            out.extend(c for c in child.children if c.dep_ in ("pcomp", "pobj"))
    return out


def has_needed(definition: EventDefinition, lemma: str, token: Token | None) -> bool:
    """Whether ``token`` has the dependents ``definition``'s cue ``lemma`` needs (true for a
    cue that needs none)."""
    needs = definition.cue_needs.get(lemma)
    if needs is None:
        return True
    if token is None:
        return False
    if token.i + 1 < len(token.doc) and token.nbor(1).lower_ in needs:
        return True  # "asked for the files to be released": "for" parsed as the clause's mark
    return any(
        c.lower_ in needs or (c.dep_ in needs and (c.dep_ != "xcomp" or c.pos_ == "VERB"))
        for c in token.children
    )  # "called on X to resign" (a verb), not "call themselves conservative"


def has_phrase(lemmas: list[str], phrase: tuple[str, ...], max_gap: int = 3) -> bool:
    """Whether ``phrase`` occurs in ``lemmas`` in order, at most ``max_gap`` words apart; a
    particle at most one word from the word before it ("called on", "rule it out"; not
    "called a press conference on Monday")."""
    for start, lemma in enumerate(lemmas):
        if lemma != phrase[0]:
            continue
        at = start
        for word in phrase[1:]:
            gap = min(max_gap, 1) if word in _PARTICLES else max_gap
            window = lemmas[at + 1 : at + 2 + gap]
            if word not in window:
                break
            at = at + 1 + window.index(word)
        else:
            return True
    return False
