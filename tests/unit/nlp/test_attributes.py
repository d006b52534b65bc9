"""The cached attribute ruler gives exactly what the model's own attribute ruler gives."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from stancewire.nlp.attributes import CachedAttributeRuler
from stancewire.nlp.model import load_model

TEXTS = [
    "There is no plan, she said, and there were never any talks.",
    "He's gonna say it ain't so, but let's see what they'll do.\n\nI don't think so.",
    "The minister, who has been in office since 2019, did not answer; it was late.",
    "“We won’t back down,” said Sen. Ada Moss (D-N.Y.) on Tuesday\u00a0night.",
]


@pytest.fixture(scope="module")
def model() -> Language:
    return load_model()


def _annotated(model: Language, text: str) -> Doc:
    doc = model.make_doc(text)
    for name in ("tok2vec", "tagger", "parser"):
        doc = model.get_pipe(name)(doc)
    return doc


@pytest.mark.parametrize("text", TEXTS)
def test_cached_ruler_matches_the_real_one(model: Language, text: str) -> None:
    real = model.get_pipe("attribute_ruler")(_annotated(model, text))
    cached = CachedAttributeRuler(model)(_annotated(model, text))
    for a, b in zip(real, cached, strict=True):
        assert (a.pos_, str(a.morph), a.lemma_, a.tag_, a.dep_) == (
            b.pos_,
            str(b.morph),
            b.lemma_,
            b.tag_,
            b.dep_,
        ), a.text


def test_cache_is_keyed_by_pattern_words_only(model: Language) -> None:
    ruler = CachedAttributeRuler(model)
    ruler(_annotated(model, "Zanzibar exporters shipped quinoa and saffron to Reykjavik."))
    forms = {model.vocab.strings[key[1]] if key[1] else "" for key in ruler.cache}
    assert forms <= ruler.words | {""}
    assert "quinoa" not in forms
