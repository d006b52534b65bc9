"""The ``stancewire`` command line: offline enrich inputs and outputs, schema export."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import stancewire.nlp
from stancewire.cli import main
from stancewire.events import Content, Cue, Span, Speaker, Statement, StatementEvent

CUE = re.compile(r"\bsaid\b")


class FakeEnricher:
    """One statement per "said", spanning its sentence; counts how often it is created."""

    version = "fake/1"
    created = 0

    def __init__(self) -> None:
        FakeEnricher.created += 1

    def enrich(self, body: str) -> list[Statement]:
        statements = []
        for match in CUE.finditer(body):
            start = body.rfind(".", 0, match.start()) + 1
            end = body.find(".", match.end())
            end = len(body) if end < 0 else end + 1
            statements.append(
                Statement(
                    span=Span(start=start, end=end),
                    text=body[start:end],
                    kind="indirect",
                    cue=Cue(text="said", lemma="say", start=match.start(), end=match.end()),
                    content=Content(text=body[match.end() : end], start=match.end(), end=end),
                    speaker=Speaker(name="X", mention=None, kind="unknown", resolution="none"),
                )
            )
        return statements


@pytest.fixture(autouse=True)
def fake_enricher(monkeypatch: pytest.MonkeyPatch) -> None:
    FakeEnricher.created = 0
    enricher = None

    def default_enricher() -> FakeEnricher:
        nonlocal enricher
        if enricher is None:
            enricher = FakeEnricher()
        return enricher

    monkeypatch.setattr(stancewire.nlp, "default_enricher", default_enricher)


def run(*args: str, stdin: str | None = None) -> tuple[int, list[StatementEvent], str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    events = [StatementEvent.model_validate_json(line) for line in result.stdout.splitlines()]
    return result.exit_code, events, result.stderr


def test_txt_file_is_one_body_with_the_stem_as_article_id(tmp_path: Path) -> None:
    path = tmp_path / "story-7.txt"
    path.write_text("Ann said yes. Bob said no.", encoding="utf-8")
    code, events, _ = run("enrich", str(path))
    assert code == 0
    assert [e.article_id for e in events] == ["story-7", "story-7"]
    assert [e.text for e in events] == ["Ann said yes.", " Bob said no."]


def test_outputs_in_article_then_span_order_with_one_model_load(tmp_path: Path) -> None:
    jsonl = tmp_path / "batch.jsonl"
    jsonl.write_text(
        json.dumps({"article_id": "b", "body": "B said 1. B said 2."})
        + "\n\n"
        + json.dumps({"article_id": "c", "body": "C said 3."})
        + "\n",
        encoding="utf-8",
    )
    single = tmp_path / "a.json"
    single.write_text(json.dumps({"article_id": "a", "body": "A said 0.", "x": 1}))
    code, events, _ = run("enrich", str(single), str(jsonl))
    assert code == 0
    assert [(e.article_id, e.span.start) for e in events] == [
        ("a", 0),
        ("b", 0),
        ("b", 9),
        ("c", 0),
    ]
    assert FakeEnricher.created == 1


def test_stdin_accepts_a_plain_body_or_json_lines() -> None:
    code, events, _ = run("enrich", "-", stdin="Zed said so.")
    assert code == 0
    assert [e.article_id for e in events] == ["stdin"]
    code, events, _ = run("enrich", "-", stdin=json.dumps({"article_id": "j", "body": "J said."}))
    assert code == 0
    assert [e.article_id for e in events] == ["j"]


def test_same_input_gives_the_same_statement_ids(tmp_path: Path) -> None:
    path = tmp_path / "same.txt"
    path.write_text("Ann said yes.", encoding="utf-8")
    first = run("enrich", str(path))[1]
    second = run("enrich", str(path))[1]
    assert [e.statement_id for e in first] == [e.statement_id for e in second]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.json", b'{"article_id": "x"', "not a valid ArticleEvent"),
        ("nobody.json", b'{"article_id": "x"}', "body"),
        ("latin1.txt", b"caf\xe9", "not UTF-8"),
        ("notes.md", b"Ann said yes.", "unsupported file type"),
        ("lines.jsonl", b'{"article_id": "ok", "body": "."}\n{oops}\n', "lines.jsonl:2"),
    ],
)
def test_bad_input_fails_with_a_clear_message_and_no_output(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, events, stderr = run("enrich", str(path))
    assert code != 0
    assert events == []
    assert message in stderr
    assert FakeEnricher.created == 0  # inputs are checked before the model is loaded


def test_missing_file_is_reported() -> None:
    code, _, stderr = run("enrich", "/nonexistent/article.txt")
    assert code != 0
    assert "no such file" in stderr


def test_oversize_body_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANCEWIRE_MAX_BODY_BYTES", "10")
    from stancewire.settings import get_settings

    get_settings.cache_clear()
    try:
        path = tmp_path / "long.txt"
        path.write_text("Ann said many things.", encoding="utf-8")
        code, _, stderr = run("enrich", str(path))
    finally:
        get_settings.cache_clear()
    assert code != 0
    assert "exceeds" in stderr


def test_schemas_export_writes_one_file_per_model(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["schemas", "export", str(tmp_path / "out")])
    assert result.exit_code == 0
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == [
        "ArticleEvent.json",
        "DeadLetterEvent.json",
        "DyadEvent.json",
        "StatementEvent.json",
    ]
    schema = json.loads((tmp_path / "out" / "ArticleEvent.json").read_text())
    assert set(schema["required"]) == {"article_id", "body"}
