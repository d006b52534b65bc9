"""Stance of the current enricher on real news: hand labels on PolNeAR articles.

``bench/data/stance_polnear_dev.jsonl``: 100 (statement, target) pairs from 70 PolNeAR dev
articles (2016 US political news), each target a named person (55) or country (45) that the
enricher gave the statement. A line holds references only, no article text (PolNeAR's licence):
the article's file name, the statement's cue ``cue_start``/``cue_end`` (offsets into the
article), the target's ``name`` and ``kind`` as the enricher gave them, the ``gold`` stance of
the speaker toward that target in what they said (neutral when the content expresses no
evaluation of the target) and ``target_ok``: whether the target is a real target of the content
(false for a wrong entity, "Twitter" as a person, "W]e", Washington D.C.'s bar board as the
United States, or a country only mentioned in passing: "U.S. citizenship", "born in Canada").
The pairs were sampled (seeded, spread over articles) from the enricher's output at commit
3e459c4 and labelled by reading the statement alone, with the predicted stance hidden.

The topic sets of the same samples are scored by ``bench/eval_topics.py``.

``--split train`` scores ``bench/data/stance_polnear_train.jsonl``: a fresh sample of
61 pairs (42 right targets) from 31 PolNeAR train articles,
drawn by ``bench/sample_stance_polnear.py`` (seed 20261201) from the output at commit 776c7d0,
labelled blind the same way and committed before any rule it measures was changed.

Prints how many sampled wrong targets are no longer produced and right ones still are, then
stance label accuracy four ways (the "aimed at" measure counting a pair with a wrong target, or
no longer produced, as wrong; the same over the pairs still produced, the issue's measure of
what the enricher claims; over right targets only; labels only), split by country and person
targets and the confusion matrix. ``--verbose`` lists every error.

    .venv/bin/python bench/eval_stance_polnear.py [--shared ../shared] [--split train] [-v]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from polnear import DEFAULT_SHARED
from stancewire.events import Statement, Target
from stancewire.nlp import Enricher
from stancewire.nlp.entities import fold

DATA = Path(__file__).parent / "data"
LABELS = ("positive", "neutral", "negative")


@dataclass(frozen=True)
class Pair:
    article: str
    cue_start: int
    cue_end: int
    target: str
    kind: str
    gold: str
    target_ok: bool


@dataclass
class Scored:
    pair: Pair
    predicted: str | None  # None: the statement or the target is no longer produced
    evidence: list[str] = field(default_factory=list)

    @property
    def label_right(self) -> bool:
        return self.predicted == self.pair.gold

    @property
    def aimed_right(self) -> bool:
        return self.pair.target_ok and self.label_right


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def load_pairs(path: Path) -> list[Pair]:
    return [Pair(**row) for row in _rows(path)]


def find_statement(statements: list[Statement], start: int, end: int) -> Statement | None:
    """The statement whose cue is exactly the labelled one, else the first that overlaps it."""
    exact = [s for s in statements if (s.cue.start, s.cue.end) == (start, end)]
    if exact:
        return exact[0]
    return next((s for s in statements if s.cue.start < end and start < s.cue.end), None)


def find_target(statement: Statement, name: str, kind: str) -> Target | None:
    """The target of that kind named ``name``; failing that, one sharing its last word
    ("Clinton"). "Twitter" given as an organisation is no longer the labelled person."""
    wanted = fold(name)
    targets = [t for t in statement.targets if t.kind == kind]
    for target in targets:
        if fold(target.name) == wanted:
            return target
    last = wanted.split()[-1] if wanted else ""
    return next((t for t in targets if last in fold(t.name).split()), None)


def score_pairs(pairs: list[Pair], enriched: dict[str, list[Statement]]) -> list[Scored]:
    scored: list[Scored] = []
    for pair in pairs:
        statement = find_statement(enriched[pair.article], pair.cue_start, pair.cue_end)
        target = find_target(statement, pair.target, pair.kind) if statement else None
        if target is None:
            scored.append(Scored(pair, None))
        else:
            scored.append(Scored(pair, target.stance.label, list(target.stance.evidence)))
    return scored


def _ratio(right: int, total: int) -> str:
    return f"{right / total:.3f} ({right}/{total})" if total else "n/a (0/0)"


def print_stance(scored: list[Scored], verbose: bool) -> None:
    ok = [s for s in scored if s.pair.target_ok]
    missing = sum(s.predicted is None for s in scored)
    print(f"stance, {len(scored)} hand-labelled (statement, target) pairs")
    print(
        f"  targets right (target_ok): {len(ok)}/{len(scored)}; pairs no longer produced: {missing}"
    )
    produced = [s for s in scored if s.predicted is not None]
    wrong = [s for s in scored if not s.pair.target_ok]
    print(
        f"  wrong targets no longer produced: {sum(s.predicted is None for s in wrong)}/"
        f"{len(wrong)}; right targets still produced: "
        f"{sum(s.predicted is not None for s in ok)}/{len(ok)}"
    )
    print(f"  {'':38} {'all':>16} {'country':>16} {'person':>16}")
    ways = (
        ("aimed at (wrong target = wrong)", scored, lambda s: s.aimed_right),
        ("aimed at, pairs still produced", produced, lambda s: s.aimed_right),
        ("label, right targets only", ok, lambda s: s.label_right),
        ("label, every pair", scored, lambda s: s.label_right),
    )
    for title, group, right in ways:
        cells = [
            _ratio(sum(right(s) for s in sub), len(sub))
            for sub in (
                group,
                [s for s in group if s.pair.kind == "country"],
                [s for s in group if s.pair.kind == "person"],
            )
        ]
        print(f"  {title:38} " + " ".join(f"{c:>16}" for c in cells))
    for title, group in (("every pair", scored), ("right targets only", ok)):
        confusion = Counter((s.pair.gold, s.predicted or "missing") for s in group)
        columns = [*LABELS, "missing"] if missing else list(LABELS)
        print(f"  confusion, {title} (rows gold, columns predicted):")
        print("    " + f"{'':10}" + "".join(f"{c:>10}" for c in columns))
        for gold in LABELS:
            row = "".join(f"{confusion[(gold, c)]:>10}" for c in columns)
            print(f"    {gold:10}{row}")
    if verbose:
        print("  errors:")
        for s in scored:
            if not s.aimed_right:
                p = s.pair
                why = "" if p.target_ok else " [wrong target]"
                print(
                    f"    {p.article} cue {p.cue_start}-{p.cue_end} {p.target} ({p.kind}): "
                    f"gold {p.gold}, got {s.predicted}{why} {s.evidence}"
                )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--verbose", "-v", action="store_true", help="list every stance error")
    parser.add_argument(
        "--split",
        default="dev",
        help="which labels: bench/data/stance_polnear_<split>.jsonl on that split",
    )
    args = parser.parse_args(argv)
    pairs = load_pairs(DATA / f"stance_polnear_{args.split}.jsonl")
    names = sorted({p.article for p in pairs})
    text_dir = args.shared / "polnear" / args.split / "text"
    enricher = Enricher()
    enriched = {name: enricher.enrich((text_dir / name).read_text("utf-8")) for name in names}
    print_stance(score_pairs(pairs, enriched), args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
