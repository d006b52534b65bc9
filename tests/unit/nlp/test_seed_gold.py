"""Acceptance: the seed article's statements, judged by the matching rules of its gold file.

A gold statement is matched by a produced statement whose cue lies in the sentence containing
``sentence_contains`` and starts (case-insensitively, after leading auxiliaries) with one of
``cue_stems``; the speaker name must contain one of ``speaker_any``; the stance toward each
listed country must have the given label (``not_negative``: positive or neutral); every id in
``topics_all`` must be among the statement's topics (see the gold's ``about``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from stancewire.events import Statement
from stancewire.nlp import default_enricher

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
GOLD: dict[str, Any] = json.loads((FIXTURES / "seed_gold.json").read_text(encoding="utf-8"))
BODY: str = json.loads((FIXTURES / "seed_article.json").read_text(encoding="utf-8"))["body"]
AUXILIARIES = {"has", "have", "had", "was", "were", "is", "are", "also", "did", "does"}


@pytest.fixture(scope="module")
def statements() -> list[Statement]:
    return default_enricher().enrich(BODY)


def _sentence_bounds(needle: str) -> tuple[int, int]:
    at = BODY.index(needle)
    starts = [m.end() for m in re.finditer(r"[.!?]\s+|\n", BODY[:at])]
    start = starts[-1] if starts else 0
    end_match = re.compile(r"[.!?](?=\s|$)|\n").search(BODY, at)
    return start, end_match.end() if end_match else len(BODY)


def _cue_matches(cue: str, stems: list[str]) -> bool:
    words = cue.lower().split()
    while len(words) > 1 and words[0] in AUXILIARIES:
        words = words[1:]
    stripped = " ".join(words)
    return any(stripped.startswith(stem) or cue.lower().startswith(stem) for stem in stems)


def _match(gold: dict[str, Any], statements: list[Statement]) -> Statement | None:
    start, end = _sentence_bounds(gold["sentence_contains"])
    for statement in statements:
        inside = start <= statement.cue.start and statement.cue.end <= end
        if inside and _cue_matches(statement.cue.text, gold["cue_stems"]):
            return statement
    return None


def _stance_ok(statement: Statement, expected: dict[str, str]) -> bool:
    for country, label in expected.items():
        labels = {t.stance.label for t in statement.targets if t.country == country}
        if label == "not_negative":
            if "negative" in labels:
                return False
        elif label not in labels:
            return False
    return True


REQUIRED = [g for g in GOLD["statements"] if g["required"]]


@pytest.mark.parametrize("gold", REQUIRED, ids=[g["id"] for g in REQUIRED])
def test_required_gold_statement_is_found_with_cue_speaker_stance_and_topics(
    gold: dict[str, Any], statements: list[Statement]
) -> None:
    statement = _match(gold, statements)
    assert statement is not None, f"no statement for {gold['sentence_contains']!r}"
    assert any(s.lower() in statement.speaker.name.lower() for s in gold["speaker_any"]), (
        statement.speaker
    )
    assert gold["content_contains"] in statement.content.text
    assert _stance_ok(statement, gold["stance"]), statement.targets
    assert set(gold["topics_all"]) <= {t.id for t in statement.topics}, statement.topics


def test_seed_yields_no_more_statements_than_the_gold_allows(
    statements: list[Statement],
) -> None:
    assert 0 < len(statements) <= GOLD["max_statements"]


def test_main_speaker_profile_has_full_name_role_and_country(
    statements: list[Statement],
) -> None:
    profile = GOLD["speaker_profile"]
    speakers = [s.speaker for s in statements if profile["name_contains"] in s.speaker.name]
    assert speakers
    assert any(
        s.role is not None
        and profile["role_contains"] in s.role
        and s.country == profile["country"]
        for s in speakers
    ), speakers


def test_seed_must_not_rules_hold(statements: list[Statement]) -> None:
    for rule in GOLD["must_not"]:
        for statement in statements:
            if not any(s.lower() in statement.speaker.name.lower() for s in rule["speaker_any"]):
                continue
            for country, label in rule["stance_label_toward"].items():
                labels = {t.stance.label for t in statement.targets if t.country == country}
                assert label not in labels, (rule["why"], statement.text)


def test_pronoun_and_role_noun_speakers_resolve_to_the_full_name(
    statements: list[Statement],
) -> None:
    resolved = [s for s in statements if s.speaker.resolution in ("pronoun", "title")]
    assert resolved
    for statement in resolved:
        assert statement.speaker.name == "Kassym-Jomart Tokayev", statement.speaker


def test_statement_offsets_point_into_the_body(statements: list[Statement]) -> None:
    for s in statements:
        assert BODY[s.span.start : s.span.end] == s.text
        assert BODY[s.cue.start : s.cue.end] == s.cue.text
        assert BODY[s.content.start : s.content.end] == s.content.text
        if s.speaker.mention is not None:
            mention = s.speaker.mention
            assert BODY[mention.start : mention.end] == mention.text


def test_article_topics_cover_the_gold_and_avoid_the_excluded(
    statements: list[Statement],
) -> None:
    topics = {t.id for s in statements for t in s.topics}
    assert set(GOLD["article_topics_all"]) <= topics
    assert not topics & set(GOLD["article_topics_none"])
