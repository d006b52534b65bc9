"""The entity recogniser runs around capitalised words only and still finds the names there."""

from __future__ import annotations

from stancewire.nlp.model import (
    NER_CONTEXT_TOKENS,
    load_model,
    parse_sentences,
    recognise_entities,
)
from stancewire.nlp.model import _entity_windows as entity_windows

TEXT = (
    "But the talks went on for a long time and nobody in the room wanted to be the first to leave "
    "until Angela Merkel said that Germany would stay."
)


def test_windows_surround_capitalised_words_and_skip_lower_case_runs() -> None:
    nlp = load_model()
    doc = parse_sentences(nlp, TEXT, [(0, len(TEXT))])
    sentence = next(s for s in doc.sents if not s.text.isspace())
    windows = entity_windows(doc, [sentence])
    covered = {i for start, end in windows for i in range(start, end)}
    capitalised = [t.i for t in sentence if t.text[:1].isupper() and t.i > sentence.start]
    assert [doc[i].text for i in capitalised] == ["Angela", "Merkel", "Germany"]
    for i in capitalised:
        around = range(max(sentence.start, i - NER_CONTEXT_TOKENS), i + NER_CONTEXT_TOKENS + 1)
        assert set(around) & set(range(sentence.start, sentence.end)) <= covered
    # neither the capitalised stop word opening the sentence nor the lower-case run after it
    # is read
    assert doc[sentence.start].text == "But"
    assert not covered & set(range(sentence.start, sentence.start + 12))
    assert all(sentence.start <= start < end <= sentence.end for start, end in windows)


def test_entities_found_inside_the_windows() -> None:
    nlp = load_model()
    doc = parse_sentences(nlp, TEXT, [(0, len(TEXT))])
    sentences = [s for s in doc.sents if not s.text.isspace()]
    recognise_entities(nlp, doc, sentences)
    found = {(e.text, e.label_) for e in doc.ents}
    assert ("Angela Merkel", "PERSON") in found
    assert ("Germany", "GPE") in found
