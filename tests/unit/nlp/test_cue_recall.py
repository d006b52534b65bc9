"""Recall round 4: the per-verb context features the cue model can be trained on
(``bench/train_cue_model.py``; the shipped weights do not use them, docs/quality.md)."""

from __future__ import annotations

import pytest

from stancewire.nlp import Enricher, default_enricher


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return default_enricher()


def candidate_features(enricher: Enricher, body: str, lemma: str) -> tuple[str, ...]:
    analysis = enricher.analyse(body, threshold=None)
    assert analysis is not None
    found = [a for a in analysis[1] if a.cue_lemma == lemma]
    assert len(found) == 1, [a.cue_lemma for a in analysis[1]]
    return found[0].features


def test_cue_features_cross_the_verb_with_its_quotation_and_clause(enricher: Enricher) -> None:
    quoted = candidate_features(enricher, '"I think we can win this state," Moss said.', "think")
    assert "lemma|quoted=think|True" in quoted
    assert "lemma|src=think|pron1" in quoted
    plain = candidate_features(
        enricher, "Many economists think that the recession is over.", "think"
    )
    assert "lemma|quoted=think|False" in plain
    assert "lemma|opener=think|that" in plain
    assert "quoted_content=False" in plain


def test_cue_features_see_a_content_that_opens_a_quotation(enricher: Enricher) -> None:
    features = candidate_features(
        enricher, 'The mayor said "the bridge will open in May" on Tuesday.', "say"
    )
    assert "quoted_content=True" in features
    assert "lemma|quoted_content=say|True" in features
