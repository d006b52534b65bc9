"""Robustness: enrich never raises on odd text (a bug does raise), and every offset it returns
points into the body."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stancewire.events import Statement
from stancewire.nlp import Enricher, default_enricher

FRAGMENTS = [
    "He said",
    "she told reporters",
    "that",
    "according to",
    "officials",
    "President Anna Kovac",
    "Kovac",
    "the president",
    "warned",
    "Moscow",
    "the Kremlin",
    '"',
    "“",
    "”",
    "‘",
    "’",
    "'",
    "\u00a0",
    "&nbsp;",
    "&amp;",
    "<p>",
    "</p>",
    "<br/>",
    "<a href='x'>",
    ".",
    ",",
    ":",
    "\n",
    "\n\n",
    " ",
    "the talks would fail",
    "ÄÖÜ ß",
    "日本語",
    "\t",
    "…",
    "—",
]

article_like = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(" ".join)


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return default_enricher()


def assert_offsets_valid(body: str, statements: list[Statement]) -> None:
    for s in statements:
        assert 0 <= s.span.start <= s.span.end <= len(body)
        assert body[s.span.start : s.span.end] == s.text
        assert body[s.cue.start : s.cue.end] == s.cue.text
        assert body[s.content.start : s.content.end] == s.content.text
        assert s.content.text.strip()
        if s.speaker.mention is not None:
            m = s.speaker.mention
            assert body[m.start : m.end] == m.text
        for target in s.targets:
            for mention in target.mentions:
                assert body[mention.start : mention.end] == mention.text


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=article_like)
def test_article_like_noise_never_raises_and_offsets_hold(enricher: Enricher, body: str) -> None:
    assert_offsets_valid(body, enricher.enrich(body))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.text(max_size=400))
def test_any_unicode_never_raises_and_offsets_hold(enricher: Enricher, body: str) -> None:
    assert_offsets_valid(body, enricher.enrich(body))


@pytest.mark.parametrize("body", ["", " ", "\n\n\t ", "\u00a0\u00a0", '"', "“”‘’", "<p></p>"])
def test_empty_and_blank_bodies_give_no_statements(enricher: Enricher, body: str) -> None:
    assert enricher.enrich(body) == []


def test_html_remnants_and_nbsp_keep_offsets(enricher: Enricher) -> None:
    body = (
        "<p>Finance&nbsp;Minister Maria\u00a0Lopez said that the budget would be "
        "balanced.</p>\n<p>“We are ready,” she told reporters.</p>"
    )
    statements = enricher.enrich(body)
    assert {s.cue.text for s in statements} >= {"said", "told"}
    assert_offsets_valid(body, statements)


def test_unbalanced_quotes_do_not_break_extraction(enricher: Enricher) -> None:
    body = '“We will win, said Senator Ada Moss. "Nothing changes," she added.\nAnd then ”.'
    statements = enricher.enrich(body)
    assert statements
    assert_offsets_valid(body, statements)


@pytest.mark.parametrize(
    "body",
    [
        "Der Minister sagte am Dienstag, dass die Verhandlungen gescheitert seien.",
        "El presidente dijo que el acuerdo comercial será firmado la próxima semana.",
        "Президент заявил, что переговоры продолжатся в следующем месяце.",
        "外务省报道官表示，双方将继续进行对话。",
        "Le ministre a déclaré que la réforme serait adoptée avant l'été.",
    ],
)
def test_non_english_text_gives_no_statements(enricher: Enricher, body: str) -> None:
    assert enricher.enrich(body) == []


def test_one_mebibyte_body_is_handled_in_bounded_time(enricher: Enricher) -> None:
    unit = "The river rose by two metres during the night and the roads were closed. "
    body = (unit * (1_048_576 // len(unit) + 1))[:1_048_576]
    start = time.process_time()
    assert enricher.enrich(body) == []
    assert time.process_time() - start < 30


def test_run_on_text_without_punctuation_is_parsed_in_chunks(enricher: Enricher) -> None:
    body = "officials said that " + "the talks went on and " * 3000 + "ended"
    statements = enricher.enrich(body)
    assert_offsets_valid(body, statements)


def test_time_grows_roughly_linearly_with_length(enricher: Enricher) -> None:
    paragraph = (
        "Senator Ada Moss said that the budget would pass. "
        '"We have the votes," she told reporters. '
        "The weather was fine and the streets were quiet.\n"
    )
    enricher.enrich(paragraph)  # warm up

    def cost(copies: int) -> float:
        start = time.process_time()
        enricher.enrich(paragraph * copies)
        return time.process_time() - start

    small, large = cost(40), cost(160)
    assert large < small * 4 * 2.5 + 0.5


@pytest.mark.parametrize("step", ["find_targets", "assign_topics"])
def test_a_bug_in_targets_or_topics_is_raised_not_hidden(
    step: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the worker dead-letters a raising article as enrichment_failed; swallowing the error
    # would publish its statements without targets or topics instead
    import stancewire.nlp.enricher

    def broken(*_args: object, **_kwargs: object) -> list[object]:
        raise RuntimeError("bug")

    monkeypatch.setattr(stancewire.nlp.enricher, step, broken)
    with pytest.raises(RuntimeError, match="bug"):
        default_enricher().enrich("Tokayev said Kazakhstan was not hostile toward Russia.")
