"""Topic sets of the current enricher on real news: hand labels on PolNeAR articles.

Article sets (``bench/data/topics_polnear_<set>.jsonl``): one line per article, references only
(no article text: PolNeAR's licence): the article's file name, its PolNeAR ``split`` (when
absent, the set's name: ``dev`` or ``train``), the topics its statements must carry
(``required``) and those that are defensible too (``optional``), labelled from the article text
before any output was seen. The article-level set is the union of the topics of the article's
statements; it is right when it holds every required topic and nothing outside required +
optional. Micro precision counts a found topic right when it is required or optional (optional
ones are not counted in recall); recall is over required topics.

- ``dev``, ``train``: five articles each, drawn by ``bench/sample_stance_polnear.py`` (seed
  20261201); the dev rules were written from the dev set's errors, so its figures are optimistic.
- ``fresh``: ten articles drawn by ``bench/sample_topics_polnear.py`` (seed 20261202) from
  PolNeAR train and dev articles used by no other labelled set, labelled and committed before
  the topic rules it measures were changed: the held-out measure of one round of rules (scored
  first and last), a tuning set after it.
- ``fresh2``: ten more articles drawn the same way (seed 20261204), none used by any set before
  it, labelled and committed before the next round of rules: that round's held-out measure.
- ``fresh3``: fifteen more articles (seed 20261205), none used by any set before it, labelled
  and committed before the round of rules after fresh2's: that round's held-out measure.
- ``fresh4``: ten more (seed 20261206), none used by any set before it, labelled and committed
  after fresh3's last score, before any rule written from fresh3's errors: a second held-out
  measure of the rules fresh3 measured (its first score), then of the round after.
- ``fresh5``: fifteen PolNeAR train articles (seed 20261207) that no ``topics_*`` file names
  (``--topics-only``: the stance and PLOVER sets have used almost all of train, and their
  labels say nothing about topics), the seven publishers taken in turn (``--interleave``),
  labelled by the rule below and committed before the round of rules after fresh4: scored
  once before that round and once after it, its errors not read in between.
- ``fresh6``: ten more PolNeAR train articles drawn the same way (seed 20261231, ``--topics-only
  --interleave``), none named by a ``topics_*`` file before it, labelled and committed before
  the round of rules after fresh5 (organisation names, judicial nominees): first score 3/10
  right (micro P 0.571 R 0.750), the rules of commit f3c118c; after the round 3/10 (the same).
- ``fresh7``: fifteen more PolNeAR train articles drawn the same way (seed 20270101,
  ``--topics-only --interleave``), none named by a ``topics_*`` file before it, labelled by the
  rule below and committed before the round of rules after fresh6's changed any code: that
  round's held-out measure, its errors not read before the round ends. First score 4/15 right
  (2 exactly the required set; micro P 0.765 R 0.743), main's rules of commit 9d3d6ef (round
  4's).
- ``check7``: eight more PolNeAR train articles (seed 20261272, ``--topics-only --interleave``,
  the articles reserved for the labeller's fresh7 and PLOVER test13 sets left out), drawn and
  labelled by the same rule by the engineer of topic round 5 after that round's rules were
  written and committed, before any output on them was seen: scored once, that round's
  held-out check (a second annotator: the labeller labelled every set before it).
- ``check7b``: seven more drawn the same way (seed 20261273), labelled by the same engineer
  after the round's last rule, before any output on them was seen: scored once.

How fresh3 to fresh7 were labelled (from the article text, the enricher's output
hidden; the earlier sets by the same required + optional rule, not written down then): a topic is
``required`` when a reported statement of the article (a quotation, a paraphrase, a belief or
intention attributed to someone) is mainly about it; ``optional`` when a statement touches it,
or a reader could defend it for one; topics only in the narration are neither. A topic taken
in another sense ("administrative sanctions", "fiscal 2016") is not optional.

Statement sets (``bench/data/topics_statements_<set>.jsonl``): one line per statement, its
article, ``split``, cue offsets (``cue_start``/``cue_end``) and ``required``/``optional`` topics
(both may be empty), labelled from the statement's sentence and content with the predicted
topics hidden. Scored per statement: right (same rule as an article), micro P/R, and statements
with a wrong topic. ``tune``: 120 statements (at most two per article) from 60 PolNeAR train
articles used by no other set, drawn by ``bench/sample_topics_polnear.py --statements 120``
(seed 20261203) and labelled blind: the set the topic rules and threshold were tuned on.

    .venv/bin/python bench/eval_topics.py [--shared ../shared] [--set dev --set train] [-v]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from polnear import DEFAULT_SHARED
from stancewire.events import Statement
from stancewire.nlp import Enricher

DATA = Path(__file__).parent / "data"
DEFAULT_SETS = (
    "dev",
    "train",
    "tune",
    "fresh",
    "fresh2",
    "fresh3",
    "fresh4",
    "fresh5",
    "fresh6",
    "fresh7",
    "check7",
    "check7b",
)


@dataclass(frozen=True)
class TopicLabel:
    article: str
    split: str
    required: frozenset[str]
    optional: frozenset[str]
    cue: tuple[int, int] | None = None  # a statement label: the statement's cue offsets


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def load_labels(path: Path, default_split: str) -> list[TopicLabel]:
    return [
        TopicLabel(
            row["article"],
            row.get("split", default_split),
            frozenset(row["required"]),
            frozenset(row["optional"]),
            (row["cue_start"], row["cue_end"]) if "cue_start" in row else None,
        )
        for row in _rows(path)
    ]


def find_statement(statements: list[Statement], start: int, end: int) -> Statement | None:
    """The statement whose cue is exactly the labelled one, else the first that overlaps it."""
    exact = [s for s in statements if (s.cue.start, s.cue.end) == (start, end)]
    if exact:
        return exact[0]
    return next((s for s in statements if s.cue.start < end and start < s.cue.end), None)


@dataclass
class Tally:
    right: int = 0
    exact: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, found: set[str], label: TopicLabel) -> bool:
        allowed = label.required | label.optional
        ok = label.required <= found <= allowed
        self.right += ok
        self.exact += found == label.required
        self.tp += len(found & label.required)
        self.fp += len(found - allowed)
        self.fn += len(label.required - found)
        return ok

    def micro(self) -> str:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return f"micro P {precision:.3f} R {recall:.3f}"


def _topics(statement: Statement) -> list[str]:
    return [t.id for t in statement.topics]


def print_articles(
    name: str, labels: list[TopicLabel], enriched: dict[str, list[Statement]], verbose: bool
) -> None:
    print(f"topics, set {name}: {len(labels)} hand-labelled articles (union over statements)")
    tally = Tally()
    per_statement = []
    for label in labels:
        statements = enriched[label.article]
        found = {t for s in statements for t in _topics(s)}
        per_statement.extend(len(s.topics) for s in statements)
        ok = tally.add(found, label)
        allowed = label.required | label.optional
        print(
            f"  {'right' if ok else 'WRONG'} {label.article}: {len(statements)} statements, "
            f"topics {sorted(found)}; missing {sorted(label.required - found)}, "
            f"extra {sorted(found - allowed)}"
        )
        if verbose:
            for s in statements:
                if s.topics:
                    topics = ", ".join(f"{t.id} {t.score} {t.evidence}" for t in s.topics)
                    print(f"      {s.cue.start}: {s.content.text[:90]!r} -> {topics}")
    print(
        f"  article topic sets right: {tally.right}/{len(labels)} "
        f"(exactly the required set: {tally.exact})"
    )
    print(
        f"  {tally.micro()} (P: a found topic is required or optional; R: required topics "
        f"found); topics per statement {sum(per_statement) / max(1, len(per_statement)):.2f}"
    )


def print_statements(
    name: str, labels: list[TopicLabel], enriched: dict[str, list[Statement]], verbose: bool
) -> None:
    print(f"topics, statement set {name}: {len(labels)} hand-labelled statements")
    tally = Tally()
    missing = spoiled = 0
    for label in labels:
        assert label.cue is not None
        statement = find_statement(enriched[label.article], *label.cue)
        if statement is None:
            missing += 1
            continue
        found = set(_topics(statement))
        ok = tally.add(found, label)
        spoiled += bool(found - label.required - label.optional)
        if verbose and not ok:
            topics = ", ".join(f"{t.id} {t.score} {t.evidence}" for t in statement.topics)
            print(
                f"    {label.article} {label.cue[0]}: gold {sorted(label.required)} "
                f"(+{sorted(label.optional)}) got [{topics}] {statement.content.text[:80]!r}"
            )
    scored = len(labels) - missing
    print(
        f"  right {tally.right}/{scored} (exactly the required set: {tally.exact}); "
        f"with a wrong topic {spoiled}; statements no longer found {missing}; {tally.micro()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument(
        "--set",
        action="append",
        dest="sets",
        help=f"label set(s) bench/data/topics_*_<set>.jsonl (default: {', '.join(DEFAULT_SETS)})",
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="list statements and errors")
    args = parser.parse_args(argv)
    enricher = Enricher()
    enriched: dict[str, list[Statement]] = {}
    for name in args.sets or DEFAULT_SETS:
        article_path = DATA / f"topics_polnear_{name}.jsonl"
        statement_path = DATA / f"topics_statements_{name}.jsonl"
        printers = ((article_path, print_articles), (statement_path, print_statements))
        kinds = [(path, printer) for path, printer in printers if path.exists()]
        if not kinds:
            parser.error(f"no label file for set {name!r} in {DATA}")
        for path, printer in kinds:
            labels = load_labels(path, name)
            for label in labels:
                if label.article not in enriched:
                    text_path = args.shared / "polnear" / label.split / "text" / label.article
                    enriched[label.article] = enricher.enrich(text_path.read_text("utf-8"))
            printer(name, labels, enriched, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
