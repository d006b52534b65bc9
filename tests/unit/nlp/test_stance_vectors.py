"""Word-vector features of a target (:mod:`stancewire.nlp.stance_vectors`), on sentences written
for these tests."""

from __future__ import annotations

import math

import pytest
from spacy.language import Language

from stancewire.nlp.stance import features_toward, stance_toward
from stancewire.nlp.stance_features import Feature
from stancewire.nlp.stance_model import load_stance_model
from stancewire.nlp.stance_vectors import WIDTH, target_vector, vector_features, vector_logits


def _groups(nlp: Language, text: str, target: str) -> dict[str, list[float]]:
    doc = nlp(text)
    start = text.index(target)
    span = doc.char_span(start, start + len(target))
    assert span is not None
    features = vector_features(target_vector(doc[:], [span]))
    groups = {group: [0.0] * WIDTH for group in ("vw", "vh", "vc", "vt")}
    for feature in features:
        groups[feature.name[:2]][int(feature.name[2:])] = feature.value
    return groups


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))


def test_each_average_has_unit_length(nlp: Language) -> None:
    groups = _groups(nlp, "The minister praised the new hospital in Leeds.", "hospital")
    for values in groups.values():
        assert abs(math.sqrt(sum(v * v for v in values)) - 1.0) < 1e-5


def test_the_target_words_themselves_are_left_out(nlp: Language) -> None:
    # the same context around two different targets: the window average is the same
    first = _groups(nlp, "Critics attacked police harshly.", "police")
    second = _groups(nlp, "Critics attacked hospitals harshly.", "hospitals")
    assert _cosine(first["vw"], second["vw"]) > 0.999
    assert _cosine(first["vt"], second["vt"]) < 0.999  # only the target's own average differs


def test_similar_words_give_similar_windows(nlp: Language) -> None:
    praise = _groups(nlp, "Voters praised and applauded the mayor yesterday.", "mayor")
    laud = _groups(nlp, "Voters lauded and commended the mayor yesterday.", "mayor")
    table = _groups(nlp, "Voters painted and varnished the mayor yesterday.", "mayor")
    assert _cosine(praise["vw"], laud["vw"]) > _cosine(praise["vw"], table["vw"])


def test_no_mention_and_no_content_words_give_no_features(nlp: Language) -> None:
    doc = nlp("It is.")
    assert vector_features(target_vector(doc[:], [])) == []
    only_stop = vector_features(target_vector(doc[:], [doc[0:1]]))
    assert all(isinstance(f, Feature) for f in only_stop)
    assert not any(f.name.startswith(("vw", "vc")) for f in only_stop)


def test_the_matrix_product_equals_the_feature_by_feature_sum(nlp: Language) -> None:
    text = "The council sharply criticised the new stadium plan on Monday."
    doc = nlp(text)
    start = text.index("stadium plan")
    span = doc.char_span(start, start + len("stadium plan"))
    assert span is not None
    model = load_stance_model()
    vector = target_vector(doc[:], [span])
    by_name = [0.0, 0.0, 0.0]
    for feature in vector_features(vector):
        for k in range(3):
            by_name[k] += model.weights[feature.name][k] * feature.value
    assert list(vector_logits(model, vector)) == pytest.approx(by_name, abs=1e-4)
    # so the enricher's path and the training path give the same probabilities
    features = features_toward(doc, [(start, start + len("stadium plan"))], (0, len(text)))
    assert features is not None
    probs = model.probabilities(features)
    stance = stance_toward(doc, [(start, start + len("stadium plan"))], (0, len(text)))
    assert stance.score == pytest.approx(probs[2] - probs[0], abs=2e-3)
