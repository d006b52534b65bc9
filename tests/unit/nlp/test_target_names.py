"""People the entity recogniser misses or mislabels in a content are still its targets when
the article names them as persons elsewhere; a bare given name joins its full name."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from stancewire.events import Resolution, Speaker
from stancewire.nlp.targets import find_targets

_SPEAKER = Speaker(
    name="Jane Doe", mention=None, kind="person", role=None, country=None, resolution="explicit"
)


def _doc(nlp: Language, text: str, ents: list[tuple[str, str]]) -> Doc:
    """``text`` parsed, with only the given entities (text, label): the recogniser's misses."""
    doc = nlp(text)
    spans, cursor = [], 0
    for words, label in ents:  # in text order
        start = text.index(words, cursor)
        cursor = start + len(words)
        span = doc.char_span(start, cursor, label=label)
        assert span is not None
        spans.append(span)
    doc.set_ents(spans, default="outside")
    return doc


def _names(doc: Doc, content: str) -> list[str]:
    start = doc.text.index(content)
    targets = find_targets(doc, start, start + len(content), _SPEAKER, cue_lemma="say")
    return [t.name for t in targets if t.kind == "person"]


def test_untagged_surnames_of_named_people_are_targets(nlp: Language) -> None:
    text = "Ted Cruz met Ben Carson. Jane Doe said Carson is losing support while Cruz gains."
    doc = _doc(nlp, text, [("Ted Cruz", "PERSON"), ("Ben Carson", "PERSON")])
    assert _names(doc, "Carson is losing support while Cruz gains") == ["Ben Carson", "Ted Cruz"]


def test_untagged_surname_of_nobody_named_is_no_target(nlp: Language) -> None:
    text = "Ted Cruz spoke. Jane Doe said Carson is losing support."
    doc = _doc(nlp, text, [("Ted Cruz", "PERSON")])
    assert _names(doc, "Carson is losing support") == []


def test_surname_tagged_as_a_place_is_the_person(nlp: Language) -> None:
    text = "John Kasich spoke. Jane Doe said Kasich can still win Ohio."
    doc = _doc(nlp, text, [("John Kasich", "PERSON"), ("Kasich", "GPE"), ("Ohio", "GPE")])
    assert _names(doc, "Kasich can still win Ohio") == ["John Kasich"]


def test_bare_given_name_joins_the_full_name(nlp: Language) -> None:
    text = "Hillary Clinton spoke. Jane Doe said Hillary was wrong and Clinton knew it."
    doc = _doc(nlp, text, [("Hillary Clinton", "PERSON"), ("Clinton", "PERSON")])
    assert _names(doc, "Hillary was wrong and Clinton knew it") == ["Hillary Clinton"]


def test_a_presidents_administration_is_the_president(nlp: Language) -> None:
    text = "Jane Doe said the Obama administration should set up a monitoring system."
    doc = _doc(nlp, text, [("Obama", "PERSON")])
    content = "the Obama administration should set up a monitoring system"
    start = text.index(content)
    targets = find_targets(doc, start, start + len(content), _SPEAKER, cue_lemma="say")
    assert [(t.kind, t.name) for t in targets] == [("person", "Obama")]


def test_a_countrys_government_stays_the_country(nlp: Language) -> None:
    text = "Jane Doe said the Canadian government should act."
    doc = _doc(nlp, text, [("Canadian", "NORP")])
    start = text.index("the Canadian government should act")
    targets = find_targets(doc, start, start + 34, _SPEAKER, cue_lemma="say")
    assert [(t.kind, t.country) for t in targets] == [("country", "CA")]


def test_person_a_pronoun_speaker_names_in_the_content_stays_a_target(nlp: Language) -> None:
    text = "Donald Trump will be defeated, he said."
    doc = _doc(nlp, text, [("Donald Trump", "PERSON")])
    content = "Donald Trump will be defeated"
    start = doc.text.index(content)

    def persons(resolution: Resolution) -> list[str]:
        speaker = Speaker(name="Donald Trump", mention=None, kind="person", resolution=resolution)
        targets = find_targets(doc, start, start + len(content), speaker, cue_lemma="say")
        return [t.name for t in targets if t.kind == "person"]

    # named by a pronoun, the speaker is more often someone else; named outright, never
    assert persons("pronoun") == ["Donald Trump"]
    assert persons("explicit") == []
