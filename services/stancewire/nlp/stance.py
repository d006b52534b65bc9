"""The speaker's stance toward one target: :func:`stance_toward`, the one stance seam.

The enricher (through :mod:`.targets`) calls :func:`stance_toward` for every target of every
statement, and ``stancewire stance`` (a text and a target's mention spans) goes through the
very same function, so what is measured is what is shipped.

The stance is the learned model's (:mod:`.stance_model`, a logistic regression trained on
NewsMTSC and the PolNeAR gold pairs by ``make train-stance``) over the target's features
(:mod:`.stance_features`): the words around the target and on short dependency paths from
it, its role toward the verb it is an argument of, VADER's sentence score, and the stance
lexicon's signals (:mod:`.stance_rules`: PLOVER-scaled polar words after negation scope,
shifters and contrast, weighted by distance and by agent and victim, and the reporting verb's
own stance), and the mean word vectors of
the target's window, its head, the context and the mention itself (:mod:`.stance_vectors`).

Only the context and the cue are read, never the article's framing around them: the stance
is the speaker's, not the author's.

A call with a cue is read in the model's ``statement`` domain, one without in its ``sentence``
domain (:func:`.stance_model.domain_of`): shared weights plus a correction per domain, folded into
one weight table per domain when the model loads.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from stancewire.events import Stance
from stancewire.nlp.docindex import char_span
from stancewire.nlp.stance_features import Feature, target_features
from stancewire.nlp.stance_model import domain_of, load_stance_model
from stancewire.nlp.stance_rules import read_context
from stancewire.nlp.stance_vectors import WordGroups, load_vector_table, vector_words


def stance_toward(
    doc: Doc,
    target: Sequence[tuple[int, int]],
    context: tuple[int, int],
    *,
    cue_lemma: str | None = None,
) -> Stance:
    """The stance over ``context`` toward the target named by the ``target`` mention spans.

    ``doc`` is parsed (dependencies, lemmas, entities) at least over the sentences holding
    ``context``; spans are character offsets into ``doc.text``. ``target`` holds at least one
    mention, each inside ``context``. ``cue_lemma`` is the reporting verb's lemma ("praise",
    "accuse", "deny"): it carries stance too. Raises ValueError when the spans break this.
    """
    read = read_target(doc, target, context, cue_lemma=cue_lemma)
    if read is None:
        return Stance(label="neutral", score=0.0, evidence=[])
    features, groups = read
    model, domain = load_stance_model(), domain_of(cue_lemma)
    logits = load_vector_table().logits_of(groups, domain)
    return model.stance_in(features, domain, logits)


def features_toward(
    doc: Doc,
    target: Sequence[tuple[int, int]],
    context: tuple[int, int],
    *,
    cue_lemma: str | None = None,
) -> list[Feature] | None:
    """The model's sparse features for :func:`stance_toward` (None: no token to read)."""
    read = read_target(doc, target, context, cue_lemma=cue_lemma)
    return None if read is None else read[0]


def read_target(
    doc: Doc,
    target: Sequence[tuple[int, int]],
    context: tuple[int, int],
    *,
    cue_lemma: str | None = None,
) -> tuple[list[Feature], WordGroups] | None:
    """What the model reads of the target (None: no token to read), also what
    ``bench/train_stance.py`` trains on: the sparse features and the word-vector groups."""
    if not target:
        raise ValueError("a target needs at least one mention span")
    for start, end in target:
        if not context[0] <= start < end <= context[1]:
            raise ValueError(f"mention {start}..{end} is not inside the context {context}")
    reading = read_context(doc, context, cue_lemma)
    span = char_span(doc, *context)
    mentions = [m for m in (char_span(doc, start, end) for start, end in target) if m is not None]
    if reading is None or span is None or not mentions:
        return None
    flipped = frozenset(
        i for term in reading.terms if term.polarity * term.base < 0 for i in term.tokens
    )
    groups = vector_words(span, mentions, flipped, reading.entity_tokens)
    return target_features(reading, span, mentions), groups


__all__ = ["features_toward", "read_target", "stance_toward"]
