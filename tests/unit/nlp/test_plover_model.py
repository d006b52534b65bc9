"""The learned PLOVER layer: the shipped file, the override rule, the features it reads and
deterministic training (bench/train_plover.py) on a tiny hand-made set."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import get_args

import pytest
from spacy.language import Language
from test_plover_predicates import senator_disliked

import stancewire.nlp.plover as plover_module
from stancewire.events import EventType, Speaker, Stance, Target
from stancewire.nlp.plover_evaluation import Evaluation
from stancewire.nlp.plover_model import (
    NONE,
    EventModel,
    event_features,
    load_event_model,
    parse_model,
    save_model,
)

BENCH = Path(__file__).resolve().parents[3] / "bench"


def _model(event: float, none: float) -> EventModel:
    """Three classes; "blame" pushes toward ACCUSE, "plain" toward no event."""
    return EventModel(
        classes=(NONE, "ACCUSE", "SUPPORT"),
        weights={"blame": (0.0, 3.0, 0.0), "plain": (3.0, 0.0, 0.0)},
        bias=(0.0, 0.0, 0.0),
        event_threshold=event,
        none_threshold=none,
    )


def test_shipped_model_loads_with_event_types_as_classes_and_usable_thresholds() -> None:
    model = load_event_model()
    assert NONE in model.classes
    assert set(model.classes) - {NONE} <= set(get_args(EventType))
    assert model.weights, "the shipped model has learned weights"
    assert all(len(w) == len(model.classes) for w in model.weights.values())
    assert model.event_threshold > 0.0
    assert model.none_threshold > 0.0


def test_probabilities_are_a_softmax_of_bias_plus_the_weights_of_present_features() -> None:
    probs = _model(0.5, 0.9).probabilities(["blame", "unknown"])
    total = math.exp(0.0) + math.exp(3.0) + math.exp(0.0)
    assert probs == pytest.approx([1 / total, math.exp(3.0) / total, 1 / total])


def test_override_turns_no_event_into_the_likeliest_type_only_when_confident() -> None:
    model = _model(event=0.5, none=2.0)
    assert model.revise(["blame"], None) == "ACCUSE"  # P(event) = 0.95
    assert _model(event=0.7, none=2.0).revise([], None) is None  # 0.667 < 0.7
    assert _model(event=0.6, none=2.0).revise([], None) == "ACCUSE"  # tie broken by order


def test_override_drops_a_rule_event_only_when_the_model_is_sure_there_is_none() -> None:
    assert _model(event=2.0, none=0.9).revise(["plain"], "SUPPORT") is None  # P(none) = 0.91
    assert _model(event=2.0, none=0.95).revise(["plain"], "SUPPORT") == "SUPPORT"
    assert _model(event=2.0, none=0.9).revise(["blame"], "SUPPORT") == "SUPPORT"  # never retyped


def test_thresholds_above_one_leave_the_rules_unchanged() -> None:
    model = _model(event=2.0, none=2.0)
    assert model.revise(["blame"], None) is None
    assert model.revise(["plain"], "ACCUSE") == "ACCUSE"


def test_save_and_parse_round_trip_byte_for_byte(tmp_path: Path) -> None:
    model = _model(0.35, 0.8)
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for path in (first, second):
        save_model(path, model.classes, model.weights, model.bias, (0.35, 0.8), {"n": 1})
    assert first.read_bytes() == second.read_bytes()
    assert parse_model(first.read_text()) == model


def test_parse_rejects_weights_of_the_wrong_width() -> None:
    with pytest.raises(ValueError, match="one value per class"):
        parse_model(
            '{"classes": ["-", "ACCUSE"], "bias": [0, 0], "weights": {"a": [1]},'
            ' "event_threshold": 0.5, "none_threshold": 0.9}'
        )


def test_features_read_rule_cue_verbs_polarity_person_and_stance(nlp: Language) -> None:
    text = "Smith said we will never forgive the corrupt liars who ruined Acme."
    doc = nlp(text)
    cue = doc.char_span(text.index("said"), text.index("said") + 4)
    content = doc.char_span(text.index("we"), len(text) - 1)
    assert cue is not None and content is not None
    verbs = [t for t in content if t.dep_ == "ccomp" or t.lemma_ == "forgive"]
    target = Target(name="Acme", kind="organization", stance=Stance(label="negative", score=-0.6))
    speaker = Speaker(name="Smith", mention=None, kind="person", resolution="explicit")
    features = event_features(
        "say",
        cue,
        content,
        verbs,
        speaker,
        [target],
        (None, "rules", False),
        ({"corrupt": -2.2, "liars": -2.0}, lambda _text: -0.7),
    )
    assert {"rule:-", "cue:say", "verb:forgive", "aux:will", "kind:person"} <= set(features)
    assert {"polar:corrupt", "negative", "negation", "negated_polar"} <= set(features)
    assert {"first_person", "future", "first_person_future"} <= set(features)
    assert {"vader<=-0.5", "stance<=-0.5", "stance<=-0.2"} <= set(features)
    assert "stage:rules" not in features  # a stage only when the rules found an event
    assert "quoted" not in features and "question" not in features


def _features_of(nlp: Language, text: str, evaluated: list[Evaluation] | None = None) -> list[str]:
    """The features of "<speaker> said <content>." with the content's roots and clauses as
    its main verbs and a tiny lexicon ("destroy" is harm)."""
    doc = nlp(text)
    said = text.index(" said ") + 1
    cue = doc.char_span(said, said + 4)
    content = doc.char_span(said + 5, len(text) - 1)
    assert cue is not None and content is not None
    verbs = [
        t for t in content if t.dep_ in ("ccomp", "ROOT", "conj") and t.pos_ in ("VERB", "AUX")
    ]
    speaker = Speaker(name="Smith", mention=None, kind="person", resolution="explicit")
    rule = (None, "rules", False)
    return event_features(
        "say",
        cue,
        content,
        verbs,
        speaker,
        [],
        rule,
        ({"destroy": -2.5}, lambda _t: 0.0),
        evaluated or [],
    )


def test_features_read_obligations_imperatives_and_harm_to_come_with_the_subjects_person(
    nlp: Language,
) -> None:
    assert "obligation:second" in _features_of(nlp, "Smith said you should resign now.")
    assert "obligation:other" in _features_of(nlp, "Smith said the senator must resign now.")
    assert "future_harm:other" in _features_of(nlp, "Smith said they will destroy the town.")
    assert "future_harm:other" not in _features_of(nlp, "Smith said they will rebuild the town.")
    plain = _features_of(nlp, "Smith said the senator resigned.")
    assert not [f for f in plain if f.startswith(("obligation", "future", "imperative"))]


def test_features_read_the_strongest_evaluation_its_owner_polarity_and_stance(
    nlp: Language,
) -> None:
    doc = nlp("He is a liar and he is nice.")
    weak = Evaluation(doc[7], general=0.3, stance=None, own=False)
    strong = Evaluation(doc[1], general=-0.6, stance=-0.25, own=False)
    features = set(_features_of(nlp, "Smith said he lies.", [weak, strong]))
    assert {"evaluation:other", "eval_general<=-0.5", "eval_stance<=-0.2"} <= features
    assert "eval_agreed<=-0.1" in features and "eval_agreed<=-0.3" not in features
    assert "eval_stance:unknown" not in features and "eval_general>=0.2" not in features
    assert "evaluation:other" not in _features_of(nlp, "Smith said he lies.")


def test_training_is_deterministic_and_learns_a_separable_tiny_set() -> None:
    sys.path.insert(0, str(BENCH))
    try:
        from train_plover import Example, fit
    finally:
        sys.path.remove(str(BENCH))
    examples = [
        Example(f"a{i}", gold, NONE, [word, "rule:-", f"filler{i % 2}"])
        for i, (gold, word) in enumerate(
            [("ACCUSE", "blame"), (NONE, "plain"), ("SUPPORT", "praise")] * 4
        )
    ]
    first, second = fit(examples, 1.0), fit(examples, 1.0)
    assert first == second
    assert first.classes == (NONE, "ACCUSE", "SUPPORT")
    for word, expected in (("blame", "ACCUSE"), ("plain", NONE), ("praise", "SUPPORT")):
        probs = first.probabilities([word, "rule:-"])
        assert first.classes[max(range(3), key=lambda k: probs[k])] == expected


def test_the_learned_layer_drops_an_event_the_rules_make_when_it_is_sure_of_none(
    nlp: Language,
) -> None:
    survey = Speaker(name="The survey", mention=None, kind="organization", resolution="explicit")
    sentence = "The survey said the senator in deep trouble with his own voters."
    # A layer that reads the rules' last-resort stance accusation as no event: P(none) 0.88.
    sure = {"rule:ACCUSE|stage:stance": (2.0, 0.0)}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plover_module, "load_event_model", lambda: EventModel((NONE,), {}, (0.0,)))
        assert senator_disliked(nlp, sentence, "said", "say", survey).type == "ACCUSE"
        for threshold, expected in ((0.7, None), (0.9, "ACCUSE"), (2.0, "ACCUSE")):
            layer = EventModel((NONE, "ACCUSE"), sure, (0.0, 0.0), none_threshold=threshold)
            patch.setattr(plover_module, "load_event_model", lambda layer=layer: layer)
            assert senator_disliked(nlp, sentence, "said", "say", survey).type == expected


def test_training_keeps_the_rules_alone_when_no_override_beats_them() -> None:
    sys.path.insert(0, str(BENCH))
    try:
        from train_plover import OFF, Example, choose
    finally:
        sys.path.remove(str(BENCH))
    examples = [  # the rules are always right: no override can gain
        Example(f"a{i}", gold, gold, [f"rule:{gold}", f"word{i % 3}"])
        for i, gold in enumerate([NONE, "ACCUSE", NONE, "SUPPORT", NONE] * 2)
    ]
    (_c, event, none), table = choose(examples)
    assert (event, none) == (OFF, OFF)
    assert table[(_c, OFF, OFF)] == (1.0, 1.0, 1.0)


def test_training_reads_every_plover_label_file_but_the_blind_sets() -> None:
    sys.path.insert(0, str(BENCH))
    try:
        from train_plover import HELD_OUT, label_files
    finally:
        sys.path.remove(str(BENCH))
    names = {path.name for path in label_files()}
    every = {path.name for path in (BENCH / "data").glob("plover_polnear*.jsonl")}
    blind = {f"plover_polnear_test{n}.jsonl" for n in (10, 11, 12, 13)}
    assert blind <= every and blind <= set(HELD_OUT)
    assert names == every - set(HELD_OUT)
    assert "plover_polnear_test9.jsonl" in names  # an earlier blind set, tuned on since
