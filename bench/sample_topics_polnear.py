"""Draw a fresh blind sample of PolNeAR articles for topic labels (``bench/eval_topics.py``).

Seeded; from the train and dev splits together, leaving out every article that an existing
label file in ``bench/data/`` (``topics_*``, ``stance_polnear_*``) already uses. Prints a
references-only skeleton line per article (``required``/``optional`` empty, to be filled in
from the article text before any output is seen); needs no enricher, so no output is seen.

    .venv/bin/python bench/sample_topics_polnear.py --articles 10 --seed 20261202
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from polnear import DEFAULT_SHARED

DATA = Path(__file__).parent / "data"


def used_articles() -> set[str]:
    """Articles named by any topic or PolNeAR stance label file."""
    used: set[str] = set()
    for pattern in ("topics_*.jsonl", "stance_polnear_*.jsonl"):
        for path in DATA.glob(pattern):
            for line in path.read_text("utf-8").splitlines():
                if line.strip():
                    used.add(json.loads(line)["article"])
    return used


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--articles", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument(
        "--exclude", type=Path, action="append", default=[], help="a further file to leave out"
    )
    args = parser.parse_args(argv)
    used = used_articles()
    for path in args.exclude:
        used |= {json.loads(line)["article"] for line in path.read_text("utf-8").splitlines()}
    pool = sorted(
        (split, p.name)
        for split in ("train", "dev")
        for p in (args.shared / "polnear" / split / "text").iterdir()
        if p.name not in used
    )
    for split, name in random.Random(args.seed).sample(pool, args.articles):
        print(json.dumps({"article": name, "split": split, "required": [], "optional": []}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
