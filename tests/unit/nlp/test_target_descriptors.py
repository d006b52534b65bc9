"""Plural descriptors of countries ("the two nations", "both countries") in a content refer
back to the countries named before them in the sentence: those countries are its targets."""

from __future__ import annotations

from stancewire.nlp import default_enricher


def _targets(body: str, cue: str) -> list[str]:
    statements = [s for s in default_enricher().enrich(body) if s.cue.text.startswith(cue)]
    assert len(statements) == 1, [s.cue.text for s in statements]
    return [t.name for t in statements[0].targets]


def test_the_two_nations_are_the_countries_named_before_them() -> None:
    body = (
        "Chancellor Anna Weber praised the talks with Poland and Lithuania, adding that "
        "both countries had kept every promise."
    )
    assert _targets(body, "adding") == ["Poland", "Lithuania"]


def test_a_descriptor_counting_fewer_countries_than_named_names_none() -> None:
    body = (
        "Chancellor Anna Weber met envoys of Poland, Lithuania and Latvia, adding that the "
        "two nations had kept every promise."
    )
    assert _targets(body, "adding") == []


def test_a_bare_plural_without_a_number_is_no_descriptor() -> None:
    body = "After visiting Poland, Chancellor Anna Weber said that nations must keep promises."
    assert _targets(body, "said") == []
