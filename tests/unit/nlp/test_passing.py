"""Entities named in passing are no targets; countries that act, and people, still are."""

from __future__ import annotations

import pytest
from spacy.language import Language

from stancewire.events import Mention, Speaker, Target
from stancewire.nlp.passing import implausible_person, is_media
from stancewire.nlp.targets import find_targets


def _targets(nlp: Language, text: str, content: str) -> list[Target]:
    start = text.index(content)
    speaker = Speaker(
        name="Jane Doe",
        mention=Mention(text="Jane Doe", start=0, end=8) if text.startswith("Jane") else None,
        kind="person",
        role=None,
        country=None,
        resolution="explicit",
    )
    return find_targets(nlp(text), start, start + len(content), speaker, cue_lemma="say")


def _countries(nlp: Language, text: str, content: str) -> set[str]:
    return {t.country or t.name for t in _targets(nlp, text, content) if t.kind == "country"}


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "Jane Doe said the senator was born in Canada and moved later.",
            "the senator was born in Canada and moved later",
        ),
        ("Jane Doe said her cousins live in Germany now.", "her cousins live in Germany now"),
        (
            "Jane Doe said the rule would hurt American businesses.",
            "the rule would hurt American businesses",
        ),
        (
            "Jane Doe said he applied for French citizenship last year.",
            "he applied for French citizenship last year",
        ),
        (
            "Jane Doe said she had opposed the Iraq War from the start.",
            "she had opposed the Iraq War from the start",
        ),
        (
            "Jane Doe said 8 million Canadians would lose coverage.",
            "8 million Canadians would lose coverage",
        ),
    ],
)
def test_country_named_in_passing_is_no_target(nlp: Language, text: str, content: str) -> None:
    assert _countries(nlp, text, content) == set()


@pytest.mark.parametrize(
    ("text", "content", "code"),
    [
        ("Jane Doe said Russia had violated the treaty.", "Russia had violated the treaty", "RU"),
        (
            "Jane Doe said the Chinese government was to blame.",
            "the Chinese government was to blame",
            "CN",
        ),
        ("Jane Doe said the Iran deal was a disaster.", "the Iran deal was a disaster", "IR"),
        ("Jane Doe said Germany's policy had failed.", "Germany's policy had failed", "DE"),
        ("Jane Doe said the French were furious.", "the French were furious", "FR"),
        ("Jane Doe said Russia, China and Iran agreed.", "Russia, China and Iran agreed", "RU"),
        (
            "Jane Doe said Moscow, Beijing and Tehran agreed.",
            "Moscow, Beijing and Tehran agreed",
            "RU",
        ),
    ],
)
def test_country_that_acts_stays_a_target(
    nlp: Language, text: str, content: str, code: str
) -> None:
    assert code in _countries(nlp, text, content)


def test_capital_written_with_its_district_is_the_city(nlp: Language) -> None:
    text = "Jane Doe said the shop is a Washington, D.C., landmark."
    assert "US" not in _countries(nlp, text, "the shop is a Washington, D.C., landmark")


def test_person_names_need_to_be_plausible() -> None:
    assert implausible_person("W]e")
    assert implausible_person("pro-Clinton")
    assert implausible_person("Will Be")
    assert not implausible_person("Hillary Clinton")
    assert not implausible_person("Beto O'Rourke")
    assert is_media("the Washington Post") and is_media("Twitter")
    assert not is_media("Jim Acosta")


def test_given_names_keep_two_people_of_one_surname_apart(nlp: Language) -> None:
    text = (
        "Hillary Clinton spoke first. Jane Doe said Chelsea Clinton and Hillary Clinton "
        "both campaigned in Ohio, and that Clinton was tired."
    )
    content = (
        "Chelsea Clinton and Hillary Clinton both campaigned in Ohio, and that Clinton was tired"
    )
    people = {t.name: len(t.mentions) for t in _targets(nlp, text, content) if t.kind == "person"}
    assert people == {"Chelsea Clinton": 1, "Hillary Clinton": 2}
