"""The PolNeAR dev stance and topic labels (bench/data) hold references only, with valid values.

PolNeAR's licence forbids copying article text into the project: a label line may name the
article file, offsets and a target, nothing longer. Labels must be values the contract knows.
"""

from __future__ import annotations

import importlib
import json
import typing
from pathlib import Path
from typing import Any

import pytest

from stancewire.events import EventType, StanceLabel, TopicId

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"
STANCE_KEYS = {"article", "cue_start", "cue_end", "target", "kind", "gold", "target_ok"}


def _rows(name: str) -> list[dict[str, Any]]:
    text = (DATA / name).read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_stance_labels_are_references_with_known_labels() -> None:
    rows = _rows("stance_polnear_dev.jsonl")
    labels = set(typing.get_args(StanceLabel))
    assert len(rows) == 100
    for row in rows:
        assert set(row) == STANCE_KEYS
        assert row["gold"] in labels
        assert row["kind"] in ("person", "country")
        assert isinstance(row["target_ok"], bool)
        start, end = row["cue_start"], row["cue_end"]
        assert isinstance(start, int) and isinstance(end, int) and 0 <= start < end
        assert str(row["article"]).endswith(".txt")
        assert len(str(row["target"])) <= 40  # a name, not a passage


def test_topic_labels_use_the_taxonomy_and_do_not_overlap() -> None:
    rows = _rows("topics_polnear_dev.jsonl")
    assert len(rows) == 5
    for row in rows:
        assert set(row) == {"article", "required", "optional"}
        assert row["required"]


@pytest.mark.parametrize("path", sorted(DATA.glob("topics_*.jsonl")), ids=lambda p: p.name)
def test_every_topic_label_file_is_references_with_known_topics(path: Path) -> None:
    topics = set(typing.get_args(TopicId))
    statement_keys = {"article", "split", "cue_start", "cue_end", "required", "optional"}
    rows = _rows(path.name)
    assert rows
    for row in rows:
        assert {"article", "required", "optional"} <= set(row) <= statement_keys
        assert ("cue_start" in row) == ("cue_end" in row)
        assert row.get("split", "dev") in ("dev", "train")
        required, optional = set(row["required"]), set(row["optional"])
        assert required <= topics and optional <= topics
        assert not required & optional
        assert str(row["article"]).endswith(".txt")
    articles = [(row["article"], row.get("cue_start")) for row in rows]
    assert len(articles) == len(set(articles))  # one line per article (or statement)


def test_an_article_set_is_right_with_every_required_topic_and_nothing_unlisted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.syspath_prepend(str(DATA.parent))
    eval_topics = importlib.import_module("eval_topics")
    label = eval_topics.TopicLabel("a.txt", "dev", frozenset({"elections"}), frozenset({"law"}))
    tally = eval_topics.Tally()
    assert tally.add({"elections"}, label)
    assert tally.add({"elections", "law"}, label)  # an acceptable extra is no error
    assert not tally.add({"law"}, label)  # a required topic missing
    assert not tally.add({"elections", "security"}, label)  # a topic outside the label
    assert (tally.right, tally.exact, tally.tp, tally.fp, tally.fn) == (2, 1, 3, 1, 1)


def test_no_two_topic_label_files_share_an_article() -> None:
    # each blind set (fresh, ..., fresh7) is drawn from articles no earlier topic file names,
    # so a later set measures rules never tuned on its articles
    seen: dict[str, str] = {}
    for path in sorted(DATA.glob("topics_*.jsonl")):
        for article in {row["article"] for row in _rows(path.name)}:
            assert article not in seen, f"{article} in {seen.get(article)} and {path.name}"
            seen[article] = path.name
    assert len({name for name in seen.values() if name.startswith("topics_polnear_fresh")}) >= 7


@pytest.mark.parametrize("path", sorted(DATA.glob("plover_polnear*.jsonl")), ids=lambda p: p.name)
def test_every_plover_label_file_is_references_with_known_event_types(path: Path) -> None:
    types = set(typing.get_args(EventType))
    rows = _rows(path.name)
    assert rows
    for row in rows:
        assert set(row) == {"file", "cue_start", "cue_end", "gold", "negated"}
        assert str(row["file"]).split("/")[0] in ("dev", "train")
        assert not str(row["file"]).endswith(".txt")  # <split>/<name>, as eval_plover reads it
        assert 0 <= row["cue_start"] < row["cue_end"]
        assert row["gold"] is None or row["gold"] in types
        assert isinstance(row["negated"], bool)
        assert not (row["negated"] and row["gold"] is None)  # only an event can be negated
    statements = [(row["file"], row["cue_start"]) for row in rows]
    assert len(statements) == len(set(statements))
