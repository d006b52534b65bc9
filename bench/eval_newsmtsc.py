"""NewsMTSC dev scores of the stance model, through the code path of ``stancewire stance``.

Each dev sentence becomes one ``stancewire stance`` input line (``{"id", "text", "targets"}``
with the labelled mention's offsets) and is answered by :mod:`stancewire.stance_lines`, the
module the command runs; the predicted labels are scored against NewsMTSC's (Hamborg and Donnay,
EACL 2021; ``../shared/newsmtsc``): macro-F1 over the three labels, accuracy and the confusion
matrix, for ``dev_rw.jsonl`` (real-world) and ``dev_mt.jsonl`` (multi-target). The test splits
are not in this repository and are not read here.

Usage: ``python bench/eval_newsmtsc.py [--data DIR] [--rules]`` (``--rules``: the stance
lexicon's own verdict instead of the model's, for comparison).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "newsmtsc"
if not DEFAULT_DATA.exists():
    DEFAULT_DATA = Path("/work/shared/newsmtsc")
LABELS = ("negative", "neutral", "positive")
POLARITY = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}


def report(name: str, gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Print macro-F1, accuracy and the confusion matrix; return macro-F1."""
    pairs = list(zip(gold, predicted, strict=True))
    f1s = []
    for label in LABELS:
        tp = sum(g == label and p == label for g, p in pairs)
        fp = sum(g != label and p == label for g, p in pairs)
        fn = sum(g == label and p != label for g, p in pairs)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    macro = sum(f1s) / len(f1s)
    accuracy = sum(g == p for g, p in pairs) / max(1, len(pairs))
    print(f"{name}: {len(pairs)} targets, macro-F1 {macro:.3f}, accuracy {accuracy:.3f}")
    print("  gold \\ predicted  " + "  ".join(f"{label[:3]:>5}" for label in LABELS))
    for label in LABELS:
        row = [sum(g == label and p == q for g, p in pairs) for q in LABELS]
        print(f"  {label:<17} " + "  ".join(f"{n:>5}" for n in row))
    return macro


def as_lines(rows: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """``stancewire stance`` input lines of a split, and the gold label of each target."""
    lines: list[str] = []
    gold: list[str] = []
    for row in rows:
        targets = [{"start": t["from"], "end": t["to"]} for t in row["targets"]]
        request = {"id": row["primary_gid"], "text": row["sentence_normalized"], "targets": targets}
        lines.append(json.dumps(request))
        gold.extend(POLARITY[float(t["polarity"])] for t in row["targets"])
    return lines, gold


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rules", action="store_true", help="the lexicon's verdict instead")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"NewsMTSC not found at {args.data}: skipped", file=sys.stderr)
        return 0
    from stancewire.nlp.model import load_model
    from stancewire.stance_lines import answer_lines

    if args.rules:
        _use_lexicon_verdict()
    nlp = load_model()
    print("NewsMTSC dev (stancewire stance" + (", lexicon verdict only)" if args.rules else ")"))
    for name in ("dev_rw", "dev_mt"):
        path = args.data / f"{name}.jsonl"
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
        lines, gold = as_lines(rows)
        started = time.process_time()
        predicted: list[str] = []
        for answer in answer_lines(nlp, lines):
            if answer.output is None:
                raise SystemExit(f"{name} line {answer.line_number}: {answer.error}")
            predicted.extend(t["stance"]["label"] for t in json.loads(answer.output)["targets"])
        report(name, gold, predicted)
        print(f"  CPU seconds (parse + stance): {time.process_time() - started:.1f}")
    return 0


def _use_lexicon_verdict() -> None:
    """Make ``stance_toward`` return the stance lexicon's own verdict (the old scorer)."""
    import stancewire.stance_lines as lines
    from stancewire.events import Stance
    from stancewire.nlp.docindex import char_span
    from stancewire.nlp.stance_rules import contributions, read_context, rule_stance

    def verdict(
        doc: Any, target: Sequence[tuple[int, int]], context: tuple[int, int], **_: Any
    ) -> Stance:
        reading = read_context(doc, context, None)
        mentions = [m for m in (char_span(doc, a, b) for a, b in target) if m is not None]
        if reading is None or not mentions:
            return Stance(label="neutral", score=0.0, evidence=[])
        return rule_stance(contributions(reading, mentions))

    lines.stance_toward = verdict  # type: ignore[assignment]


if __name__ == "__main__":
    sys.exit(main())
