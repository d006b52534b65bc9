"""Draw a fresh blind labelling sample of (statement, target) pairs and topic articles.

Seeded, spread over articles (at most two pairs per article), from the current enricher's
person and country targets on a PolNeAR split. Writes two files to ``--out``: a labelling
sheet (statement text, cue, content, target name; the predicted stance and topics hidden) for
the labeller, which holds article text and must stay out of the repository, and the
references-only skeletons (``stance_polnear_<split>.jsonl``, ``topics_polnear_<split>.jsonl``)
whose ``gold``/``target_ok``/``required``/``optional`` the labeller fills in before the file is
copied to ``bench/data/`` and scored with ``eval_stance_polnear.py --split <split>`` (stance) and
``eval_topics.py --set <split>`` (topics).

    .venv/bin/python bench/sample_stance_polnear.py --split train --pairs 60 --out /tmp/sample
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from polnear import DEFAULT_SHARED
from stancewire.nlp import Enricher


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--split", default="train")
    parser.add_argument("--pairs", type=int, default=60)
    parser.add_argument("--articles", type=int, default=5, help="articles for topic labels")
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    text_dir = args.shared / "polnear" / args.split / "text"
    names = sorted(p.name for p in text_dir.iterdir())
    rng.shuffle(names)
    topic_articles, pool = names[: args.articles], names[args.articles :]
    enricher = Enricher()
    args.out.mkdir(parents=True, exist_ok=True)
    sheet: list[str] = []
    rows: list[dict[str, object]] = []
    for name in pool:
        if len(rows) >= args.pairs:
            break
        statements = enricher.enrich((text_dir / name).read_text("utf-8"))
        candidates = [
            (s, t) for s in statements for t in s.targets if t.kind in ("person", "country")
        ]
        for statement, target in rng.sample(candidates, min(2, len(candidates))):
            number = len(rows)
            rows.append(
                {
                    "article": name,
                    "cue_start": statement.cue.start,
                    "cue_end": statement.cue.end,
                    "target": target.name,
                    "kind": target.kind,
                    "gold": None,
                    "target_ok": None,
                }
            )
            sheet.append(
                f"#{number} {name} cue {statement.cue.text!r} speaker {statement.speaker.name!r}\n"
                f"  TARGET {target.name} ({target.kind}) mentions "
                f"{[m.text for m in target.mentions]}\n"
                f"  CONTENT {statement.content.text}\n  SENTENCE {statement.text}\n"
            )
    for name in topic_articles:
        sheet.append(f"## topic article {name}\n{(text_dir / name).read_text('utf-8')}\n")
    (args.out / "sheet.txt").write_text("\n".join(sheet), "utf-8")
    with (args.out / f"stance_polnear_{args.split}.jsonl").open("w", encoding="utf-8") as f:
        f.writelines(json.dumps(row) + "\n" for row in rows)
    with (args.out / f"topics_polnear_{args.split}.jsonl").open("w", encoding="utf-8") as f:
        for name in topic_articles:
            f.write(json.dumps({"article": name, "required": [], "optional": []}) + "\n")
    print(f"{len(rows)} pairs, {len(topic_articles)} topic articles -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
