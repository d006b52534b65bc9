"""The gold-side stance sets (bench/data/stance_gold_*.jsonl) are well formed.

They hold references into PolNeAR train articles (the third blind set also into dev articles),
never article text (PolNeAR's licence); the held-out sets (eval, blind, blind2, blind3) share no
article with the training sets, and the blind2 and blind3 sets none with any other stance file.
With the shared corpus present (``../shared``), every offset must point into the article and the
target's surface must be what the article holds there.
"""

from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import Any

import pytest

from stancewire.events import StanceLabel

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "bench" / "data"
SHARED = REPO.parent / "shared"
SETS = (
    "stance_gold_eval.jsonl",
    "stance_gold_train.jsonl",
    "stance_gold_blind2.jsonl",
    "stance_gold_train3.jsonl",
    "stance_gold_blind3.jsonl",
)
# Round 6's blind set: 98 pairs, the last ten of them from PolNeAR dev articles.
MIN_PAIRS = {"stance_gold_blind3.jsonl": 90}
DEV_SETS = {"stance_gold_blind3.jsonl"}
KEYS = {"article", "split", "cue", "content", "source", "target", "passing", "gold"}


def _rows(name: str) -> list[dict[str, Any]]:
    text = (DATA / name).read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _fragments(value: Any) -> list[tuple[int, int]]:
    assert isinstance(value, list) and value
    out = []
    for fragment in value:
        assert isinstance(fragment, list) and len(fragment) == 2
        start, end = fragment
        assert isinstance(start, int) and isinstance(end, int) and 0 <= start < end
        out.append((start, end))
    return out


@pytest.mark.parametrize("name", SETS)
def test_pairs_are_references_with_known_labels(name: str) -> None:
    rows = _rows(name)
    labels = set(typing.get_args(StanceLabel))
    assert len(rows) >= MIN_PAIRS.get(name, 100)
    splits = ("train", "dev") if name in DEV_SETS else ("train",)
    for row in rows:
        assert set(row) == KEYS
        assert row["split"] in splits and str(row["article"]).endswith(".txt")
        assert row["gold"] in labels
        assert isinstance(row["passing"], bool)
        assert not row["passing"] or row["gold"] == "neutral"
        _fragments(row["cue"])
        content = _fragments(row["content"])
        if row["source"] is not None:
            _fragments(row["source"])
        target = row["target"]
        assert set(target) == {"start", "end", "text", "kind"}
        assert target["kind"] in ("person", "country")
        assert any(a <= target["start"] < target["end"] <= b for a, b in content)
        assert len(target["text"]) == target["end"] - target["start"] <= 40  # a name


# PLOVER sets drawn after the gold sample (test12, test13, tune10 and tune11 from the articles
# no PLOVER file names, nearly all of them in stance or topic label files).
LATER_PLOVER_SETS = {
    "plover_polnear_test4",
    "plover_polnear_tune5",
    "plover_polnear_test6",
    "plover_polnear_test12",
    "plover_polnear_test13",
    "plover_polnear_tune10",
    "plover_polnear_tune11",
}


def test_eval_articles_are_held_out() -> None:
    eval_articles = {row["article"] for row in _rows(SETS[0])}
    train_articles = {row["article"] for row in _rows(SETS[1])}
    assert not eval_articles & train_articles
    others = {row["article"] for row in _rows("stance_polnear_train.jsonl")}
    others |= {row["article"] for row in _rows("topics_polnear_train.jsonl")}
    # The PLOVER sets drawn before the gold sample; test4, tune5 and test6 were drawn at the
    # same time for event types (a different task) and share some articles with it.
    for path in DATA.glob("plover_polnear*.jsonl"):
        if path.stem in LATER_PLOVER_SETS:
            continue
        others |= {
            row["file"].removeprefix("train/") + ".txt"
            for row in _rows(path.name)
            if row["file"].startswith("train/")
        }
    assert not (eval_articles | train_articles) & others


@pytest.mark.parametrize("blind", ["stance_gold_blind2.jsonl", "stance_gold_blind3.jsonl"])
def test_later_blind_set_shares_no_article_with_another_stance_set(blind: str) -> None:
    held_out = {row["article"] for row in _rows(blind)}
    for path in DATA.glob("stance_*.jsonl"):
        if path.name != blind:
            rows = _rows(path.name)
            names = {str(row.get("article", row.get("file", ""))) for row in rows}
            found = {n.rpartition("/")[2].removesuffix(".txt") + ".txt" for n in names}
            assert not held_out & found, path.name


def check_offsets(shared: Path, name: str) -> None:
    """Every span lies inside its article and the target text is the article's."""
    texts: dict[str, str] = {}
    for row in _rows(name):
        path = shared / "polnear" / row["split"] / "text" / row["article"]
        text = texts.setdefault(row["article"], path.read_text("utf-8"))
        spans = [*row["cue"], *row["content"], *(row["source"] or [])]
        assert all(end <= len(text) for _, end in spans), row["article"]
        target = row["target"]
        assert text[target["start"] : target["end"]] == target["text"], row["article"]


@pytest.mark.skipif(not (SHARED / "polnear" / "train").is_dir(), reason="no ../shared PolNeAR")
@pytest.mark.parametrize("name", SETS)
def test_offsets_point_into_the_shared_articles(name: str) -> None:
    check_offsets(SHARED, name)


HELD_OUT = (
    "stance_gold_eval.jsonl",
    "stance_gold_blind.jsonl",
    "stance_gold_blind2.jsonl",
    "stance_gold_blind3.jsonl",
)


@pytest.mark.parametrize(
    "train", ["stance_gold_train.jsonl", "stance_gold_train2.jsonl", "stance_gold_train3.jsonl"]
)
def test_training_sets_share_no_article_with_a_held_out_set(train: str) -> None:
    articles = {row["article"] for row in _rows(train)}
    for name in HELD_OUT:
        assert not articles & {row["article"] for row in _rows(name)}, name
