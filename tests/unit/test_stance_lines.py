"""The ``stancewire stance`` line contract: parsing, answering, and the command itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from spacy.language import Language

from stancewire.cli import main
from stancewire.nlp.model import load_model
from stancewire.stance_lines import LineError, answer_lines, parse_line

TEXT = "The mayor said Portugal was not hostile toward Spain."
SPAIN = TEXT.index("Spain")
PORTUGAL = TEXT.index("Portugal")


def _line(**fields: object) -> str:
    request: dict[str, object] = {
        "id": "a1",
        "text": TEXT,
        "targets": [{"start": SPAIN, "end": SPAIN + 5}],
    }
    request.update(fields)
    return json.dumps(request)


@pytest.fixture(scope="module")
def model() -> Language:
    return load_model()


def test_a_good_line_parses_to_its_object() -> None:
    assert parse_line(_line())["targets"] == [{"start": SPAIN, "end": SPAIN + 5}]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "expected a JSON object"),
        (json.dumps({"id": 1, "targets": []}), 'missing field "text"'),
        (json.dumps({"text": "x", "targets": []}), 'missing field "id"'),
        (json.dumps({"id": 1, "text": "x"}), 'missing field "targets"'),
        (json.dumps({"id": 1, "text": 5, "targets": []}), '"text" must be a string'),
        (json.dumps({"id": 1, "text": "x", "targets": {}}), '"targets" must be a list'),
        (json.dumps({"id": 1, "text": "x", "targets": [3]}), "targets[0] must be an object"),
        (_line(targets=[{"start": 0}]), '"end" must be an integer'),
        (_line(targets=[{"start": "0", "end": 3}]), '"start" must be an integer'),
        (_line(targets=[{"start": True, "end": 3}]), '"start" must be an integer'),
        (_line(targets=[{"start": 0, "end": len(TEXT) + 1}]), "not a non-empty span"),
        (_line(targets=[{"start": 4, "end": 4}]), "not a non-empty span"),
        (_line(targets=[{"start": -1, "end": 3}]), "not a non-empty span"),
    ],
)
def test_bad_lines_are_refused_with_the_reason(raw: str, message: str) -> None:
    with pytest.raises(LineError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_line(raw)


def test_answers_keep_input_order_fields_and_skip_bad_lines(model: Language) -> None:
    lines = [
        _line(id="first", source="wire"),
        "oops",
        "",
        _line(
            id="second",
            targets=[
                {"start": PORTUGAL, "end": PORTUGAL + 8, "name": "PT"},
                {"start": SPAIN, "end": SPAIN + 5},
            ],
        ),
    ]
    answers = list(answer_lines(model, lines))
    assert [(a.line_number, a.error is None) for a in answers] == [(1, True), (2, False), (4, True)]
    assert answers[1].error is not None and "invalid JSON" in answers[1].error
    first = json.loads(answers[0].output or "")
    assert first["id"] == "first" and first["source"] == "wire" and first["text"] == TEXT
    second = json.loads(answers[2].output or "")
    assert [t.get("name") for t in second["targets"]] == ["PT", None]
    for target in first["targets"] + second["targets"]:
        stance = target["stance"]
        assert set(stance) == {"label", "score", "evidence"}
        assert stance["label"] in ("positive", "negative", "neutral")
        assert -1.0 <= stance["score"] <= 1.0
    assert first["targets"][0]["stance"]["label"] == "positive"  # not hostile toward Spain


def test_a_line_without_targets_is_answered_as_it_came(model: Language) -> None:
    (answer,) = answer_lines(model, [_line(targets=[])])
    assert json.loads(answer.output or "")["targets"] == []


def test_command_answers_files_and_stdin_and_fails_on_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(_line(id="f1") + "\n" + '{"id": 2}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["stance", str(path), "-"], input=_line(id="s1") + "\n")
    assert result.exit_code == 1
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert ids == ["f1", "s1"]
    assert f"{path}: line 2: missing field" in result.stderr


def test_command_exits_zero_when_every_line_is_good() -> None:
    result = CliRunner().invoke(main, ["stance", "-"], input=_line() + "\n")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["targets"][0]["stance"]["label"] == "positive"
