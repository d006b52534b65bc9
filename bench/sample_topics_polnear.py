"""Draw a fresh blind sample of PolNeAR articles or statements for topic labels.

Seeded; from the train and dev splits together, leaving out every article that an existing
label file in ``bench/data/`` (``topics_*``, ``stance_polnear_*``) already uses. Prints a
references-only skeleton line per article (``required``/``optional`` empty, to be filled in
from the article text before any output is seen); needs no enricher, so no output is seen.

With ``--statements N --out DIR``: N statements instead (at most two per article, from the
enricher's output), written as a skeleton ``topics_statements.jsonl`` (cue offsets, labels
empty) and a labelling sheet ``sheet.txt`` (sentence and content, the predicted topics hidden;
it holds article text and must stay out of the repository). Scored by ``bench/eval_topics.py``.

A new draw leaves out every existing label file. To repeat an earlier draw, ``--as-of NAME``
leaves out only the files that existed when NAME was drawn (the order is ``DRAWN_IN_ORDER``):

    .venv/bin/python bench/sample_topics_polnear.py --articles 10 --seed 20261202 \
        --as-of topics_polnear_fresh
    .venv/bin/python bench/sample_topics_polnear.py --statements 120 --seed 20261203 \
        --as-of topics_statements_tune --out /tmp/s
    .venv/bin/python bench/sample_topics_polnear.py --articles 10 --seed 20261204 \
        --as-of topics_polnear_fresh2
    .venv/bin/python bench/sample_topics_polnear.py --articles 15 --seed 20261205 \
        --as-of topics_polnear_fresh3
    .venv/bin/python bench/sample_topics_polnear.py --articles 10 --seed 20261206 \
        --as-of topics_polnear_fresh4
    .venv/bin/python bench/sample_topics_polnear.py --articles 15 --seed 20261207 \
        --as-of topics_polnear_fresh5 --split train --topics-only --interleave
    .venv/bin/python bench/sample_topics_polnear.py --articles 10 --seed 20261231 \
        --as-of topics_polnear_fresh6 --split train --topics-only --interleave
    .venv/bin/python bench/sample_topics_polnear.py --articles 15 --seed 20270101 \
        --as-of topics_polnear_fresh7 --split train --topics-only --interleave
    .venv/bin/python bench/sample_topics_polnear.py --articles 8 --seed 20261272 \
        --as-of topics_polnear_check7 --split train --topics-only --interleave \
        --exclude RESERVED.jsonl   # the articles reserved for fresh7 and PLOVER's test13
    .venv/bin/python bench/sample_topics_polnear.py --articles 7 --seed 20261273 \
        --as-of topics_polnear_check7b --split train --topics-only --interleave \
        --exclude RESERVED.jsonl

``--topics-only`` leaves out only the articles a ``topics_*`` file names (the stance and PLOVER
label files have used almost every PolNeAR train article, and a topic set does not need articles
unseen by them: their labels say nothing about topics); ``--interleave`` takes the publishers in
turn (their order and each one's articles shuffled by the seed), so a small sample spreads over
all seven instead of clustering by chance.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from polnear import DEFAULT_SHARED

DATA = Path(__file__).parent / "data"


# Label files drawn by this script, oldest first (the older topic and stance sets came before).
DRAWN_IN_ORDER = (
    "topics_polnear_fresh",
    "topics_statements_tune",
    "topics_polnear_fresh2",
    "topics_polnear_fresh3",
    "topics_polnear_fresh4",
    "topics_polnear_fresh5",
    "topics_polnear_fresh6",
    "topics_polnear_fresh7",
    "topics_polnear_check7",
    "topics_polnear_check7b",
)


def used_articles(as_of: str | None = None, topics_only: bool = False) -> set[str]:
    """Articles named by any topic or PolNeAR stance label file (``topics_only``: by any topic
    label file); with ``as_of``, only by the files that existed before that one was drawn."""
    later = set(DRAWN_IN_ORDER[DRAWN_IN_ORDER.index(as_of) :]) if as_of else set()
    used: set[str] = set()
    patterns = ("topics_*.jsonl",) if topics_only else ("topics_*.jsonl", "stance_polnear_*.jsonl")
    for pattern in patterns:
        for path in DATA.glob(pattern):
            if path.stem in later:
                continue
            for line in path.read_text("utf-8").splitlines():
                if line.strip():
                    used.add(json.loads(line)["article"])
    return used


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--articles", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--statements", type=int, default=0, help="sample statements instead")
    parser.add_argument("--out", type=Path, help="where --statements writes sheet and skeleton")
    parser.add_argument(
        "--exclude", type=Path, action="append", default=[], help="a further file to leave out"
    )
    parser.add_argument(
        "--as-of", choices=DRAWN_IN_ORDER, help="repeat this earlier draw (see the docstring)"
    )
    parser.add_argument(
        "--split", choices=("train", "dev"), action="append", help="draw only from this split"
    )
    parser.add_argument(
        "--topics-only", action="store_true", help="leave out only topics_* files' articles"
    )
    parser.add_argument("--interleave", action="store_true", help="take publishers in turn")
    args = parser.parse_args(argv)
    used = used_articles(args.as_of, args.topics_only)
    for path in args.exclude:
        used |= {json.loads(line)["article"] for line in path.read_text("utf-8").splitlines()}
    pool = sorted(
        (split, p.name)
        for split in args.split or ("train", "dev")
        for p in (args.shared / "polnear" / split / "text").iterdir()
        if p.name not in used
    )
    rng = random.Random(args.seed)
    if args.statements:
        if args.out is None:
            parser.error("--statements needs --out")
        rng.shuffle(pool)
        sample_statements(args.shared, pool, args.statements, rng, args.out)
        return 0
    if args.interleave:
        drawn = interleaved(pool, args.articles, rng)
    else:
        drawn = rng.sample(pool, args.articles)
    for split, name in drawn:
        print(json.dumps({"article": name, "split": split, "required": [], "optional": []}))
    return 0


def interleaved(
    pool: list[tuple[str, str]], count: int, rng: random.Random
) -> list[tuple[str, str]]:
    """``count`` articles taking the publishers (the file name's prefix) in turn; the order of
    the publishers and of each one's articles shuffled by ``rng``."""
    by_publisher: dict[str, list[tuple[str, str]]] = {}
    for split, name in pool:
        by_publisher.setdefault(name.split("_", 1)[0], []).append((split, name))
    publishers = sorted(by_publisher)
    rng.shuffle(publishers)
    for publisher in publishers:
        rng.shuffle(by_publisher[publisher])
    drawn: list[tuple[str, str]] = []
    while len(drawn) < count and any(by_publisher.values()):
        for publisher in publishers:
            if by_publisher[publisher] and len(drawn) < count:
                drawn.append(by_publisher[publisher].pop())
    return drawn


def sample_statements(
    shared: Path, pool: list[tuple[str, str]], count: int, rng: random.Random, out: Path
) -> None:
    """At most two statements per article, in pool order, until ``count``."""
    from stancewire.nlp import Enricher  # only here: the article sample needs no model

    enricher = Enricher()
    rows: list[dict[str, object]] = []
    sheet: list[str] = []
    for split, name in pool:
        if len(rows) >= count:
            break
        statements = enricher.enrich((shared / "polnear" / split / "text" / name).read_text())
        for statement in rng.sample(statements, min(2, len(statements))):
            sheet.append(
                f"#{len(rows)} {name}\n  SENTENCE {statement.text}\n"
                f"  CONTENT {statement.content.text}\n"
            )
            rows.append(
                {
                    "article": name,
                    "split": split,
                    "cue_start": statement.cue.start,
                    "cue_end": statement.cue.end,
                    "required": [],
                    "optional": [],
                }
            )
    out.mkdir(parents=True, exist_ok=True)
    (out / "sheet.txt").write_text("\n".join(sheet), "utf-8")
    with (out / "topics_statements.jsonl").open("w", encoding="utf-8") as f:
        f.writelines(json.dumps(row) + "\n" for row in rows)


if __name__ == "__main__":
    sys.exit(main())
