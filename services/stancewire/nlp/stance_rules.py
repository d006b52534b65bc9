"""The stance lexicon's signals toward one target: what each polar word, and the reporting
verb, contributes, read over a context's dependency parse.

The lexicon (``data/stance_lexicon.yaml``, scores after PLOVER's cooperation-conflict scale;
VADER's general sentiment lexicon at half weight for words it lacks) gives the polar words:

* polar words and the sign negation, shifters, contrast and backing give them
  (:mod:`.polarity`);
* how much each bears on the target: dependency distance, agent and victim, owner
  (:mod:`.roles`); a word said of another named entity counts less for this one;
* the reporting verb carries the speaker's own stance toward whom it addresses ("praised",
  "accused", "warned Manila"); a verb of denial ("denied that ...") inverts the context and a
  negated cue ("did not say") leaves it without stance.

These contributions were the whole stance scorer once (:func:`rule_stance`, their sum through
tanh, kept as the lexicon baseline of ``bench/eval_newsmtsc.py --rules``); they are now
features of the learned model (:mod:`.stance_features`), which weighs them against the rest.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from stancewire.events import Stance, StanceLabel
from stancewire.nlp.docindex import char_span
from stancewire.nlp.mentions import find_mentions
from stancewire.nlp.polar_lexicon import lexicon
from stancewire.nlp.polarity import Context, PolarTerm, is_negated, polar_terms
from stancewire.nlp.roles import (
    cue_objects,
    find_cue,
    is_cue_object,
    labels,
    owner_tokens,
    term_weight,
)

LABEL_THRESHOLD = 0.15  # |score| below this is neutral
CUE_OBJECT_WEIGHT = 1.0  # "praised Russia": the cue's object gets the cue's full stance
CUE_CONTENT_WEIGHT = 0.6  # "warned that Russia ...": content targets get part of it
OTHER_OWNER_FACTOR = 0.0  # a word in a phrase another entity owns is not about this one
MAX_EVIDENCE = 5


# ----------------------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class Reading:
    """What the scorer reads from a context once, whatever the target."""

    doc: Doc
    context: tuple[int, int]
    cue_lemma: str | None
    cue: Token | None
    cue_score: float  # the cue's own stance (0 for a denial or a negated cue)
    objects: frozenset[int]  # heads of what the cue is aimed at
    object_named: bool  # the cue is aimed at a named entity ("praised [Poland]")
    object_only: bool  # the cue's stance reaches its object only ("warned [Manila] that")
    terms: tuple[PolarTerm, ...]
    owners: tuple[frozenset[int], ...]  # per term: tokens of whom it is said of
    entity_tokens: frozenset[int]  # tokens of every entity named in the context


_last_reading: Reading | None = None


def read_context(doc: Doc, context: tuple[int, int], cue_lemma: str | None) -> Reading | None:
    """The reading of a context, remembered for the next call: the targets of one statement
    are scored one after the other over the same context."""
    global _last_reading
    last = _last_reading
    if (
        last is not None
        and last.doc is doc
        and last.context == context
        and last.cue_lemma == cue_lemma
    ):
        return last
    span = char_span(doc, *context)
    if span is None:
        return None
    reading = _new_reading(doc, span, context, cue_lemma)
    _last_reading = reading
    return reading


def _new_reading(doc: Doc, span: Span, context: tuple[int, int], cue_lemma: str | None) -> Reading:
    lex = lexicon()
    cue = find_cue(doc, span, cue_lemma)
    cue_key = (cue.lemma_.lower() if cue is not None else (cue_lemma or "").lower()).strip()
    cue_negated = cue is not None and is_negated(cue, lex)
    # "did not say that ...": what follows is not the speaker's, so it carries no stance
    skip = frozenset({cue.i}) if cue is not None else frozenset()
    terms = [] if cue_negated else polar_terms(Context(span, lex, skip))
    flips = cue_key in lex.cue_flips
    if flips:  # "denied that ...": the content is rejected
        for term in terms:
            term.polarity = -term.polarity
            term.evidence = f"{cue.text if cue is not None else cue_key}: {term.evidence}"
    # a denial carries no stance of its own, nor does a negated cue ("did not criticize")
    plain = cue is not None and cue.lower_ in lex.not_terms  # "according to"
    cue_score = 0.0 if flips or cue_negated or plain else lex.terms.get((cue_key,), 0.0)
    objects = frozenset(t.i for t in cue_objects(cue)) if cue is not None else frozenset()
    return Reading(
        doc=doc,
        context=context,
        cue_lemma=cue_lemma,
        cue=cue,
        cue_score=cue_score,
        objects=objects,
        object_named=_names_an_entity(doc, objects),
        object_only=cue_key in lex.object_only_cues,
        terms=tuple(terms),
        owners=tuple(frozenset(owner_tokens(term)) for term in terms),
        entity_tokens=frozenset(
            i for m in find_mentions(doc, span) for i in range(m.span.start, m.span.end)
        ),
    )


def _names_an_entity(doc: Doc, objects: frozenset[int]) -> bool:
    """Whether one of the cue's objects is, or is in the phrase of, a named entity."""
    for i in objects:
        phrase = doc[doc[i].left_edge.i : doc[i].right_edge.i + 1]
        if any(is_cue_object(m.span, objects) for m in find_mentions(doc, phrase)):
            return True
    return False


# ----------------------------------------------------------------------------- scoring


@dataclass(frozen=True, slots=True)
class Contribution:
    """What one polar word (or the cue) adds toward a target: a signed score, the words to
    show as evidence, the lemma it comes from and its source ("lex": the stance lexicon,
    "gen": the general sentiment lexicon, "cue": the reporting verb)."""

    score: float
    evidence: str
    lemma: str = ""
    source: str = "lex"
    composed: bool = False  # its sign is the word's own turned ("not hostile", "lift sanctions")
    head: int = -1  # the polar word's head token (-1 for the cue)


def contributions(reading: Reading, mentions: list[Span]) -> list[Contribution]:
    """What each polar word, and the cue, contributes toward the target."""
    own = {i for m in mentions for i in range(m.start, m.end)}
    others = reading.entity_tokens - own
    found: list[Contribution] = []
    for term, owner in zip(reading.terms, reading.owners, strict=True):
        if term.backed_bad & own:
            continue  # "not accept [Tehran's] interference": the backing is not about Tehran
        if any(labels(term, m) for m in mentions):
            # "sanctions against its Russian [friends]": a noun naming the target keeps its own
            # sense whatever the clause above does
            found.append(_of(term, term.label_polarity))
            continue
        weight = max(term_weight(term, m) for m in mentions)
        if weight > 0 and owner & own:
            weight = max(weight, 1.0)  # said of it: "[China's] aggressive behaviour"
        elif owner & others:
            weight *= OTHER_OWNER_FACTOR  # ... and so not of the others
        if weight > 0:
            found.append(_of(term, term.polarity * weight))
    cue = _cue_contribution(reading, mentions)
    if cue is not None:
        found.append(cue)
    return found


def _cue_contribution(reading: Reading, mentions: list[Span]) -> Contribution | None:
    """The reporting verb's own stance: in full toward its object ("praised [Poland]"), in
    part toward the content's targets when it is aimed at no one named."""
    if not reading.cue_score or reading.cue is None:
        return None
    if any(is_cue_object(m, reading.objects) for m in mentions):
        return _cue(reading.cue, reading.cue_score * CUE_OBJECT_WEIGHT)
    if not reading.object_named and not reading.object_only:
        return _cue(reading.cue, reading.cue_score * CUE_CONTENT_WEIGHT)
    return None


def _of(term: PolarTerm, score: float) -> Contribution:
    source = "gen" if term.general else "lex"
    composed = score * term.base < 0  # negation, a shifter or a denial turned the word's sign
    return Contribution(
        score, term.evidence, term.head.lemma_.lower(), source, composed, term.head.i
    )


def _cue(cue: Token, score: float) -> Contribution:
    return Contribution(score, cue.text, cue.lemma_.lower(), "cue")


def rule_stance(contributions: Sequence[Contribution]) -> Stance:
    """The lexicon scorer's own verdict: the contributions' sum through tanh."""
    score = round(math.tanh(sum(c.score for c in contributions)), 3)
    label: StanceLabel
    if score >= LABEL_THRESHOLD:
        label = "positive"
    elif score <= -LABEL_THRESHOLD:
        label = "negative"
    else:
        label = "neutral"
    return Stance(
        label=label, score=max(-1.0, min(1.0, score)), evidence=_evidence(contributions, label)
    )


def _evidence(contributions: Sequence[Contribution], label: str) -> list[str]:
    if label == "neutral":
        chosen: Iterable[Contribution] = sorted(contributions, key=lambda c: -abs(c.score))
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


__all__ = [
    "LABEL_THRESHOLD",
    "Contribution",
    "Reading",
    "contributions",
    "read_context",
    "rule_stance",
]
