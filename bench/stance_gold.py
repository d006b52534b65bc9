"""PolNeAR gold stance pairs as training examples for the stance model.

``bench/data/stance_gold_train.jsonl``, ``stance_gold_train2.jsonl`` and
``stance_gold_train3.jsonl`` (drawn by ``bench/sample_stance_gold.py`` and labelled by reading
the attribution alone: see ``bench/eval_stance_gold.py``) hold references into PolNeAR train
texts: a gold attribution's cue and content fragments and one named person or country of its
content with the speaker's stance toward it. Each becomes one example the way the enricher
scores it: the sentences holding the cue and the content (the enricher's own normalisation and
sentence split) are parsed as one text, the context is the content (its first fragment's start to
its last one's end), the target the labelled mention, and the cue's lemma is passed on, so the
features are those ``stance_toward`` computes for a statement.

The eval and blind sets (``stance_gold_eval.jsonl``, ``stance_gold_blind.jsonl``) are never read
here.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from stancewire.nlp.docindex import char_span
from stancewire.nlp.text import normalise, split_sentences

DATA = Path(__file__).parent / "data"
TRAIN_FILES = (
    DATA / "stance_gold_train.jsonl",
    DATA / "stance_gold_train2.jsonl",
    DATA / "stance_gold_train3.jsonl",
)
# The pairs of the files before round 5's (``stance_gold_train3.jsonl``): the cross-validation
# also scores them alone, so a round's figures compare with the last on the same pairs and folds.
OLD_FILES = TRAIN_FILES[:2]
FOLDS = 5


@dataclass(frozen=True)
class GoldText:
    """One pair made ready to parse: the text, the context and target offsets into it."""

    article: str
    text: str
    context: tuple[int, int]
    target: tuple[int, int]
    cue: tuple[int, int]
    label: str
    passing: bool


def read_pairs(paths: tuple[Path, ...] = TRAIN_FILES) -> list[dict[str, Any]]:
    """The training pairs of every file of ``paths``, in order."""
    return [
        json.loads(line)
        for path in paths
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    ]


def gold_texts(pairs: list[dict[str, Any]], text_dir: Path) -> list[GoldText]:
    """Each pair's sentences (those holding its cue and content) with offsets into them."""
    bodies: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    out: list[GoldText] = []
    for pair in pairs:
        name = pair["article"]
        if name not in bodies:
            text = normalise((text_dir / name).read_text("utf-8"))
            bodies[name] = (text, split_sentences(text))
        text, sentences = bodies[name]
        content = [tuple(f) for f in pair["content"]]
        cue = [tuple(f) for f in pair["cue"]]
        low = min(f[0] for f in content + cue)
        high = max(f[1] for f in content + cue)
        covering = [s for s in sentences if s[0] < high and low < s[1]]
        start = min([low] + [s[0] for s in covering])
        end = max([high] + [s[1] for s in covering])
        target = pair["target"]
        out.append(
            GoldText(
                article=name,
                text=text[start:end],
                context=(
                    min(f[0] for f in content) - start,
                    max(f[1] for f in content) - start,
                ),
                target=(target["start"] - start, target["end"] - start),
                cue=(cue[0][0] - start, cue[0][1] - start),
                label=pair["gold"],
                passing=bool(pair["passing"]),
            )
        )
    return out


def cue_lemma(doc: Doc, cue: tuple[int, int]) -> str | None:
    """The lemma of the cue fragment's head word ("said" -> "say")."""
    span = char_span(doc, *cue)
    return span.root.lemma_.lower() if span is not None and len(span) else None


def fold_of(article: str) -> int:
    """The cross-validation fold of an article (a hash: every pair of it in one fold)."""
    return hashlib.sha256(article.encode("utf-8")).digest()[0] % FOLDS


__all__ = [
    "FOLDS",
    "OLD_FILES",
    "TRAIN_FILES",
    "GoldText",
    "cue_lemma",
    "fold_of",
    "gold_texts",
    "read_pairs",
]
