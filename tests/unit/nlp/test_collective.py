""" "The two nations", "both countries": the pair named last before the phrase, as targets."""

from __future__ import annotations

from spacy.language import Language

from stancewire.events import Speaker
from stancewire.nlp.targets import find_targets


def _speaker(country: str | None) -> Speaker:
    return Speaker(
        name="Jane Doe",
        mention=None,
        kind="person",
        role=None,
        country=country,
        resolution="explicit",
    )


def _countries(nlp: Language, text: str, content: str, country: str | None) -> list[str]:
    doc = nlp(text)
    start = doc.text.index(content)
    targets = find_targets(doc, start, start + len(content), _speaker(country), cue_lemma="say")
    return sorted(str(t.country) for t in targets if t.kind == "country")


def test_the_two_nations_is_the_other_country_of_the_speakers_pair(nlp: Language) -> None:
    text = (
        "Kazakhstan is not hostile toward Russia, Jane Doe said. She praised the cooperation "
        "with Russia, noting that the two nations share the longest border."
    )
    assert _countries(nlp, text, "the two nations share the longest border", "KZ") == ["RU"]


def test_both_countries_of_a_third_speaker_are_both_targets(nlp: Language) -> None:
    text = (
        "Talks between India and Pakistan resumed on Monday. Jane Doe said both countries "
        "must show restraint."
    )
    assert _countries(nlp, text, "both countries must show restraint", None) == ["IN", "PK"]


def test_two_countries_without_the_is_no_pair_and_one_country_makes_none(nlp: Language) -> None:
    text = "France hosted the summit. Jane Doe said two countries had left and the two sides met."
    assert _countries(nlp, text, "two countries had left and the two sides met", None) == []
