"""The learned layer over the rule-based PLOVER coder: a multinomial logistic regression that
may replace the rules' event type where it is confident.

Its weights are a JSON file (``data/plover_model.json``, written by ``bench/train_plover.py``:
``make train-plover``), applied here in plain Python (no scikit-learn at run time). The
features (:func:`event_features`) are cheap reads of what ``code_event`` already holds: the
rules' own answer (type, which stage gave it, negated), the cue lemma and its words, the
content's main verbs and their auxiliaries, VADER lexicon words of the content (the event
coder's instance, with its political supplement) and whether a negation governs the content,
the lowest and highest stance score toward the statement's targets, first person, future,
quotation and question marks, and the speaker's kind.

The override rule (:meth:`EventModel.revise`) has two halves: where the rules found no event,
the model's most probable event type when its probability of some event reaches the file's
``event_threshold``; where they found one, no event when its probability of none reaches
``none_threshold``. Both thresholds and the regularisation were chosen by cross-validation
grouped by article over the label files (see docs/event-coding.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import cast

from spacy.tokens import Span, Token

from stancewire.events import EventType, Speaker, Target
from stancewire.nlp.datafiles import read_data
from stancewire.nlp.plover_evaluation import Evaluation, agreed_polarity
from stancewire.nlp.plover_mapping import mapping
from stancewire.nlp.stance_model import softmax

MODEL_FILE = "plover_model.json"
NONE = "-"  # the class of a plain statement that is no event
_FIRST_PERSON = frozenset(("i", "we", "me", "us", "my", "our", "myself", "ourselves"))
_FUTURE = frozenset(("will", "would", "shall", "'ll", "going", "gon"))
_MODALS = frozenset(("will", "would", "shall", "should", "must", "may", "might", "could", "can"))
_QUOTES = frozenset(('"', "\u201c", "\u201d", "''", "``"))
_POLAR = 1.0  # a VADER lexicon value at least this far from 0 counts as a polar word
_OBLIGATION = frozenset(("should", "must", "ought"))


@dataclass(frozen=True, slots=True)
class EventModel:
    """Weights per feature (one per class, in ``classes`` order), biases and the two
    thresholds of the override rule (a threshold above 1 turns its half off)."""

    classes: tuple[str, ...]
    weights: dict[str, tuple[float, ...]]
    bias: tuple[float, ...]
    event_threshold: float = 2.0
    none_threshold: float = 2.0

    @property
    def active(self) -> bool:
        """Whether the override rule can change anything: the model knows "no event" and
        one of its two halves is on."""
        return NONE in self.classes and min(self.event_threshold, self.none_threshold) <= 1.0

    def probabilities(self, features: Iterable[str]) -> list[float]:
        """P(class) for each of :attr:`classes`, given binary features."""
        logits = list(self.bias)
        for name in features:
            w = self.weights.get(name)
            if w is not None:
                for k, value in enumerate(w):
                    logits[k] += value
        return softmax(logits)

    def revise(self, features: Iterable[str], rule_type: str | None) -> str | None:
        """The event type to keep (None: no event). Where the rules found no event, the
        model's most probable event type when its probability of some event is at least
        ``event_threshold``; where they found one, no event when the model's probability of
        none is at least ``none_threshold``; else the rules' type."""
        if not self.active:
            return rule_type
        return self.choice(self.probabilities(features), rule_type)

    def choice(self, probs: Sequence[float], rule_type: str | None) -> str | None:
        """:meth:`revise` given the model's probabilities (training reuses them across
        thresholds)."""
        if not self.active:
            return rule_type
        none = self.classes.index(NONE)
        if rule_type is None or rule_type == NONE:
            if 1.0 - probs[none] < self.event_threshold:
                return None
            best = max((k for k in range(len(probs)) if k != none), key=lambda k: probs[k])
            return self.classes[best]
        return None if probs[none] >= self.none_threshold else rule_type


def event_features(
    cue_lemma: str,
    cue: Span | None,
    content: Span | None,
    verbs: Sequence[Token],
    speaker: Speaker,
    targets: Sequence[Target],
    rule: tuple[str | None, str, bool],
    vader: tuple[dict[str, float], Callable[[str], float]],
    evaluated: Sequence[Evaluation] = (),
) -> list[str]:
    """Binary feature names of one statement; ``rule`` is the rules' (type, stage, negated),
    ``verbs`` the content's main verbs as the rules read them, ``vader`` VADER's word values
    and its compound score of a text, ``evaluated`` the content's predicates said of an actor
    (plover_evaluation.evaluations), however weak."""
    rule_type, stage, is_negated = rule
    ruled = rule_type or NONE
    lemma = cue_lemma.lower()
    out = [f"rule:{ruled}", f"cue:{lemma}", f"rule:{ruled}|cue:{lemma}", f"kind:{speaker.kind}"]
    if rule_type is not None:
        out += [f"stage:{stage}", f"rule:{ruled}|stage:{stage}"]
        if is_negated:
            out.append("negated")
    if cue is not None:
        out += [f"cueword:{t.lower_}" for t in cue if not t.is_punct]
    for verb in verbs:
        verb_lemma = verb.lemma_.lower()
        out += [f"verb:{verb_lemma}", f"rule:{ruled}|verb:{verb_lemma}"]
        out += [f"aux:{c.lower_}" for c in verb.children if c.lower_ in _MODALS]
    out += _shape_features(verbs, vader[0])
    out += _evaluation_features(evaluated)
    if content is not None:
        out += _content_features(content, vader[0])
        out += _bins("vader", vader[1](content.text), (-0.5, -0.2), (0.2, 0.5))
    out += _stance_features(targets, speaker)
    return out


def _content_features(content: Span, lexicon: dict[str, float]) -> list[str]:
    """Polar words (and a negation over them), first person, future, quotation, question."""
    out: list[str] = []
    positive = negative = 0
    negation = first = future = question = False
    for token in content:
        lower = token.lower_
        if token.is_alpha and not token.is_stop:
            out.append(f"word:{token.lemma_.lower()}")
        value = lexicon.get(lower)
        if value is not None and abs(value) >= _POLAR:
            out.append(f"polar:{lower}")
            positive += value > 0
            negative += value < 0
        negation = negation or token.dep_ == "neg"
        first = first or lower in _FIRST_PERSON
        future = future or lower in _FUTURE
        question = question or lower == "?"
    before = content.doc[max(0, content.start - 2) : content.start]
    quoted = any(t.text in _QUOTES or t.is_quote for t in (*before, *content))
    flags = {
        "positive": positive > negative,
        "negative": negative > positive,
        "negation": negation,
        "first_person": first,
        "future": future,
        "first_person_future": first and future,
        "question": question,
        "quoted": quoted,
    }
    out += [name for name, on in flags.items() if on]
    if negation and (positive or negative):
        out.append("negated_polar")
    return out


def _stance_features(targets: Sequence[Target], speaker: Speaker) -> list[str]:
    """The strongest negative and positive stance toward a target other than the speaker,
    and the kinds of those two targets (a person, a country, the speaker's own country)."""
    others = [t for t in targets if t.name != speaker.name]
    if not others:
        return ["no_target"]
    low = min(others, key=lambda t: t.stance.score)
    high = max(others, key=lambda t: t.stance.score)
    out = _bins("stance", low.stance.score, (-0.5, -0.2, -0.1), ()) + _bins(
        "stance", high.stance.score, (), (0.1, 0.2, 0.5)
    )
    for end, target in (("low", low), ("high", high)):
        own = speaker.country is not None and target.country == speaker.country
        out.append(f"{end}_target:{'own_country' if own else target.kind}")
    return out


def _shape_features(verbs: Sequence[Token], lexicon: dict[str, float]) -> list[str]:
    """The shape of each content main verb: an imperative ("Give us the tool"), an obligation
    ("you should", "they must", "needs to") or an act still to come, and whether that act
    harms (VADER's value of the verb or its object: "will pay a price", "would destroy"), each
    with the grammatical person of its subject."""
    out: list[str] = []
    for verb in verbs:
        subjects = [c.lower_ for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        person = _person(subjects[0]) if subjects else "none"
        auxiliaries = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
        if not subjects and not auxiliaries and verb.tag_ == "VB" and verb.dep_ != "xcomp":
            out.append("imperative")
        obliged = verb.dep_ == "xcomp" and verb.head.lemma_.lower() in mapping().obligation_verbs
        if auxiliaries & _OBLIGATION or obliged:
            out.append(f"obligation:{person}")
        if auxiliaries & _FUTURE:
            out.append(f"future:{person}")
            objects = [c for c in verb.children if c.dep_ in ("dobj", "attr", "acomp")]
            harm = min((lexicon.get(t.lower_, 0.0) for t in (verb, *objects)), default=0.0)
            if harm <= -_POLAR:
                out.append(f"future_harm:{person}")
    return out


def _person(subject: str) -> str:
    if subject in _FIRST_PERSON:
        return "first"
    return "second" if subject == "you" else "other"


def _evaluation_features(evaluated: Sequence[Evaluation]) -> list[str]:
    """The strongest predicate said of an actor: whose (the speaker's own, "I like X", or
    another's), its general polarity, the stance toward the actor, and the two agreed."""
    if not evaluated:
        return []
    strongest = max(evaluated, key=lambda e: abs(e.general))
    out = ["evaluation:own" if strongest.own else "evaluation:other"]
    out += _bins("eval_general", strongest.general, (-0.5, -0.2), (0.2, 0.5))
    if strongest.stance is None:
        out.append("eval_stance:unknown")
    else:
        out += _bins("eval_stance", strongest.stance, (-0.5, -0.2), (0.2, 0.5))
    agreed = agreed_polarity(strongest.general, strongest.stance)
    return out + _bins("eval_agreed", agreed, (-0.3, -0.1), (0.1, 0.3))


def _bins(name: str, value: float, lows: Sequence[float], highs: Sequence[float]) -> list[str]:
    """``name<=b`` for each bound ``b`` of ``lows`` the value reaches, ``name>=b`` of ``highs``."""
    return [f"{name}<={b}" for b in lows if value <= b] + [
        f"{name}>={b}" for b in highs if value >= b
    ]


def parse_model(raw: str) -> EventModel:
    """A model from its JSON text (see :func:`save_model`)."""
    data = json.loads(raw)
    classes = tuple(str(c) for c in data["classes"])
    weights = {str(name): tuple(float(x) for x in w) for name, w in data["weights"].items()}
    if any(len(w) != len(classes) for w in weights.values()) or len(data["bias"]) != len(classes):
        raise ValueError("PLOVER model: every weight vector needs one value per class")
    return EventModel(
        classes=classes,
        weights=weights,
        bias=tuple(float(b) for b in data["bias"]),
        event_threshold=float(data["event_threshold"]),
        none_threshold=float(data["none_threshold"]),
    )


@lru_cache(maxsize=1)
def load_event_model() -> EventModel:
    """The shipped model (``data/plover_model.json``), loaded once per process."""
    return parse_model(read_data(MODEL_FILE))


def save_model(
    path: Path,
    classes: Sequence[str],
    weights: dict[str, Sequence[float]],
    bias: Sequence[float],
    thresholds: tuple[float, float],
    meta: dict[str, object],
) -> None:
    """Write a model file (sorted keys, rounded weights: the same training, the same bytes);
    ``thresholds``: the override rule's (event threshold, none threshold)."""
    data = {
        "classes": list(classes),
        "meta": meta,
        "event_threshold": thresholds[0],
        "none_threshold": thresholds[1],
        "bias": [round(float(b), 5) for b in bias],
        "weights": {k: [round(float(x), 5) for x in weights[k]] for k in sorted(weights)},
    }
    path.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n", "utf-8")


def as_event_type(name: str | None) -> EventType | None:
    """A class name as the wire model's event type (None for no event)."""
    return None if name is None or name == NONE else cast(EventType, name)


__all__ = [
    "NONE",
    "EventModel",
    "as_event_type",
    "event_features",
    "load_event_model",
    "parse_model",
    "save_model",
]
