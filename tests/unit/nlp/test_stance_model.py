"""The learned stance model: its inference arithmetic, its file, and its behaviour on
sentences written for these tests (none is taken from NewsMTSC or any article)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from spacy.language import Language

from stancewire.events import Stance
from stancewire.nlp.stance import features_toward, stance_toward
from stancewire.nlp.stance_features import Feature
from stancewire.nlp.stance_model import (
    StanceModel,
    domain_of,
    load_stance_model,
    parse_model,
    save_model,
)


def _stance_of(nlp: Language, text: str, target: str) -> Stance:
    start = text.index(target)
    return stance_toward(nlp(text), [(start, start + len(target))], (0, len(text)))


def test_probabilities_are_a_softmax_of_bias_plus_weighted_features() -> None:
    model = StanceModel(weights={"a": (1.0, 0.0, -1.0), "b": (0.0, 0.5, 0.0)}, bias=(0.0, 0.0, 0.0))
    probs = model.probabilities([Feature("a", 2.0), Feature("b", 1.0), Feature("unknown", 5.0)])
    logits = (2.0, 0.5, -2.0)
    total = sum(math.exp(v) for v in logits)
    assert probs == pytest.approx(tuple(math.exp(v) / total for v in logits))


def test_label_is_the_likeliest_class_and_score_is_positive_minus_negative() -> None:
    model = StanceModel(weights={"good": (-2.0, 0.0, 2.0)}, bias=(0.0, 0.5, 0.0))
    stance = model.stance([Feature("good", 1.0, "praised")])
    probs = model.probabilities([Feature("good", 1.0)])
    assert stance.label == "positive"
    assert stance.score == pytest.approx(probs[2] - probs[0], abs=1e-3)
    assert stance.evidence == ["praised"]
    assert model.stance([]).label == "neutral"  # the bias alone


def test_evidence_holds_only_words_that_favour_the_label() -> None:
    model = StanceModel(
        weights={"bad": (3.0, 0.0, -3.0), "nice": (-1.0, 0.0, 1.0)}, bias=(0.0, 0.0, 0.0)
    )
    stance = model.stance([Feature("bad", 1.0, "condemned"), Feature("nice", 1.0, "friendly")])
    assert stance.label == "negative"
    assert stance.evidence == ["condemned"]


def test_saved_model_reads_back_the_same(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    save_model(path, {"x": (0.123456, -1.0, 2.0)}, (0.1, 0.2, 0.3), {"note": "test"})
    model = parse_model(path.read_text("utf-8"))
    assert model.weights == {"x": (0.12346, -1.0, 2.0)}
    assert model.bias == (0.1, 0.2, 0.3)


def test_a_domain_model_adds_each_features_domain_copy_and_the_domain_bias(
    tmp_path: Path,
) -> None:
    weights = {
        "a": (1.0, 0.0, 0.0),
        "statement|a": (0.0, 0.0, 4.0),
        "sentence|a": (0.0, 3.0, 0.0),
        "domain:statement": (0.0, 0.0, 1.0),
    }
    path = tmp_path / "model.json"
    save_model(path, weights, (0.0, 0.0, 0.0), {}, {"scale": 0.5, "bias": True})
    model = parse_model(path.read_text("utf-8"))
    features = [Feature("a", 2.0, "word")]
    statement = model.in_domain(features, domain_of("say"))
    assert [(f.name, f.value) for f in statement] == [
        ("a", 2.0),
        ("domain:statement", 1.0),
        ("statement|a", 1.0),
    ]
    # statement: logits (2, 0, 4 + 1); sentence: (2, 3, 0)
    assert model.stance(statement).label == "positive"
    assert model.stance(model.in_domain(features, domain_of(None))).label == "neutral"
    plain = StanceModel(weights=weights, bias=(0.0, 0.0, 0.0))
    assert plain.in_domain(features, 1) == features  # a model trained without domains


def test_the_folded_domain_tables_give_what_the_spelled_out_copies_give(tmp_path: Path) -> None:
    weights = {
        "a": (1.0, 0.0, -1.0),
        "statement|a": (-0.5, 0.0, 2.5),
        "b": (0.0, 0.7, 0.0),
        "sentence|c": (0.0, 0.0, 1.5),
        "statement|d": (2.0, -1.0, 0.0),
        "domain:statement": (0.3, 0.0, -0.1),
        "domain:sentence": (0.0, 0.2, 0.0),
    }
    path = tmp_path / "model.json"
    save_model(path, weights, (0.1, -0.2, 0.05), {}, {"scale": 0.8, "bias": True})
    model = parse_model(path.read_text("utf-8"))
    features = [
        Feature("a", 1.5, "alpha"),
        Feature("b", -0.5, "beta"),
        Feature("c", 2.0, "gamma"),
        Feature("d", -1.0, "delta"),
        Feature("unknown", 3.0, "epsilon"),
    ]
    extra = (0.2, 0.0, -0.3)
    for domain in (0, 1):
        spelled = model.in_domain(features, domain)
        assert model.probabilities_in(features, domain, extra) == pytest.approx(
            model.probabilities(spelled, extra), abs=1e-12
        )
        assert model.stance_in(features, domain, extra) == model.stance(spelled, extra)
        # one entry per feature name the domain knows: the other domain's copies are not in it
        assert set(model.table(domain).weights) == {"a", "b", "c" if domain == 0 else "d"}


def test_a_model_with_other_labels_is_refused() -> None:
    raw = json.dumps({"labels": ["pos", "neg", "neu"], "bias": [0, 0, 0], "weights": {}})
    with pytest.raises(ValueError, match="labels"):
        parse_model(raw)


def test_the_shipped_model_loads_and_is_small() -> None:
    model = load_stance_model()
    assert len(model.weights) > 1000
    path = Path(__file__).resolve().parents[3] / "services/stancewire/nlp/data/stance_model.json"
    assert path.stat().st_size < 25_000_000


# ------------------------------------------------------------------ behaviour


def test_negated_hostility_is_positive_toward_its_object(nlp: Language) -> None:
    text = "The envoy insisted that Armenia was not hostile toward Russia."
    stance = _stance_of(nlp, text, "Russia")
    assert stance.label == "positive"
    assert stance.score > 0
    assert any("not" in word for word in stance.evidence)


def test_the_same_hostility_without_negation_is_negative(nlp: Language) -> None:
    text = "The envoy insisted that Armenia was hostile toward Russia."
    assert _stance_of(nlp, text, "Russia").label == "negative"


def test_a_clear_accusation_is_negative_toward_the_accused(nlp: Language) -> None:
    text = "The ministry accused Serbia of sabotaging the ceasefire and lying to mediators."
    stance = _stance_of(nlp, text, "Serbia")
    assert stance.label == "negative"
    assert stance.score < -0.3
    assert stance.evidence


def test_praise_is_positive_toward_who_is_praised(nlp: Language) -> None:
    text = "The senator praised Governor Alvarez for her generous and effective flood relief."
    assert _stance_of(nlp, text, "Alvarez").label == "positive"


def test_a_mention_with_no_evaluation_is_neutral(nlp: Language) -> None:
    text = "Chile's trade delegation will arrive in Lima on Tuesday for the annual meeting."
    stance = _stance_of(nlp, text, "Chile")
    assert stance.label == "neutral"
    assert abs(stance.score) < 0.5


def test_the_cue_phrase_up_to_the_content_is_read(nlp: Language) -> None:
    text = "The governor had harsh words for Senator Okafor."
    start = text.index("Senator")
    context = (start, len(text) - 1)
    found = features_toward(nlp(text), [context], context, cue_lemma="have")
    assert found is not None
    names = {f.name for f in found}
    assert {"cw:harsh", "cw:word", "cwv-", "target_alone"} <= names
    without = features_toward(nlp(text), [context], (0, len(text)))
    assert without is not None and not any(f.name.startswith("cw") for f in without)


def test_according_to_carries_no_stance_of_its_own(nlp: Language) -> None:
    text = "According to the ministry, Peru signed the agreement."
    start = text.index("Peru")
    found = features_toward(
        nlp(text), [(start, start + 4)], (start, len(text) - 1), cue_lemma="accord"
    )
    assert found is not None
    assert not any(f.name.startswith("cue") for f in found)


def test_features_are_deterministic_and_name_the_target_role(nlp: Language) -> None:
    text = "Officials said Norway criticised the plan."
    start = text.index("Norway")
    doc = nlp(text)
    first = features_toward(doc, [(start, start + 6)], (0, len(text)))
    second = features_toward(doc, [(start, start + 6)], (0, len(text)))
    assert first == second
    assert first is not None
    assert any(f.name.startswith("role:subj:") for f in first)
