"""PLOVER event-type figures on hand-labelled PolNeAR statements (``make eval``).

The label files ``bench/data/plover_*.jsonl`` hold references, not text (PolNeAR's articles
stay in the shared folder): one line per statement the enricher finds, with the article
``file`` (``<split>/<name>``), the statement's ``cue_start`` / ``cue_end`` (body offsets), the
``gold`` PLOVER type (null for a plain statement that is no event) and ``negated``.

How the labels were made: ``sample`` prints statements of randomly chosen articles, half of
them drawn from statements with a conflict or cooperation word anywhere in cue or content
(``EVENTISH`` below, a sampling stratifier only, so clear events are not too rare), half from
the rest, showing cue and content only (never the coder's output); each was labelled by
reading it against the PLOVER codebook's definitions before the coder was run on it.
``plover_polnear.jsonl`` (PolNeAR train) was labelled before the coder existed and used while
tuning it; ``plover_polnear_test.jsonl`` (PolNeAR dev) and ``plover_polnear_test2.jsonl``
(PolNeAR train, fresh articles) were labelled after a round of tuning each and scored once
untouched, then used for the next round; ``plover_polnear_test3.jsonl`` (PolNeAR dev, fresh
articles) was labelled after the third round and scored once.
``plover_polnear_test4.jsonl`` (PolNeAR train, 31 fresh articles, ``sample --seed 2026
--articles 40 --n 100``; 87 statements kept, 31 with a clear event, 13 unclear left out) was
labelled before the fourth round changed any code and scored twice only, before and after it
(its errors were read only after the second score); ``plover_polnear_tune5.jsonl`` (PolNeAR
train, 19 fresh articles, ``--seed 7 --articles 25 --n 70``; 51 kept, 21 with an event) was
labelled mid-round, scored once, then tuned on; ``plover_polnear_test6.jsonl`` (PolNeAR
train, 20 fresh articles, ``--seed 11 --articles 25 --n 70``; 59 kept, 25 with an event) was
labelled after round 4 ended and scored once with its code (and once with the code before
round 4, for comparison); ``plover_polnear_test7.jsonl`` (PolNeAR train, 24 fresh articles
that no label file here uses, for any task: ``sample`` now skips every article named in
``bench/data``; ``--seed 43 --articles 25 --n 80``; 68 kept, 24 with an event, 12 unclear
left out) was labelled before round 5 changed any code, scored once then and once at its
end; ``plover_polnear_test8.jsonl`` (PolNeAR train, 26 fresh articles: ``--seed 88 --articles
25 --n 80`` and ``--seed 89 --articles 10 --n 30``; 81 kept, 28 with an event, 29 unclear left
out) was labelled before round 6 changed any code, scored once then and once at its end;
``plover_polnear_tune9.jsonl`` (PolNeAR train, 16 fresh articles, ``--seed 123 --articles 16
--n 50``; 36 kept, 12 with an event) was labelled mid-round 6, scored once, then tuned on;
``plover_polnear_test9.jsonl`` (PolNeAR train, 24 fresh articles: ``--seed 2029 --articles 20
--n 70`` and ``--seed 2030 --articles 10 --n 40``; 78 kept, 32 with an event, 32 unclear left
out) was labelled before round 7 changed any code, scored once then and once at its end;
``plover_polnear_test10.jsonl`` (PolNeAR train, 29 articles: ``--seed 3001 --articles 25 --n
80`` and ``--seed 3002 --articles 10 --n 30`` found only the 17 articles no label file named,
15 of which gave statements, so a third draw made the same way with ``random.Random(3003)``,
16 articles, 60 statements, took them from the 2 such articles left and the 16 that only topic
label files name and the parallel round's ``test11`` does not use; in all 16 articles no
label file named and 13 only topic ones; 116 kept, 32 with a clear event, 36 unclear left out)
was labelled before round 8 changed any code, scored once then and once at its end;
``plover_polnear_test11.jsonl`` (PolNeAR train, 20 articles that only the topic label files
named, the fully fresh ones being left to ``test10``: ``sample`` run with only the PLOVER, stance
and speaker files and test10's candidate articles as exclusions, ``--seed 4001 --articles 25
--n 80`` and ``--seed 4002 --articles 10 --n 30``; 79 kept, 30 with an event, 28 unclear left
out; no article shared with ``test10``) was labelled before the learned layer
(``nlp/plover_model.py``) existed, scored once then and once at its end; it is never trained
on. ``plover_polnear_test12.jsonl`` (PolNeAR train, articles that no ``plover_polnear*`` file
names, though nearly all of them are in stance or topic label files: ``sample --exclude
'plover_polnear*.jsonl' --interleave --seed 5001 --articles 35 --n 110``, publishers in turn;
25 articles gave statements, 81 kept, 39 with a clear event, 29 unclear left out) was labelled
before round 9 changed any code, scored once then and once at its end; never trained on.
``plover_polnear_test13.jsonl`` (PolNeAR train, drawn the same way from the articles no
``plover_polnear*`` file named before it: ``sample --exclude 'plover_polnear*.jsonl'
--interleave --seed 6001 --articles 35 --n 110``, which repeats the draw only without this
file, as in commit 7d67404; 31 articles gave statements, 110 read with
the coder's output hidden, 16 unclear left out, 94 kept in 29 articles, 41 with an event, 37
of them of ``CLEAR_TYPES``) was labelled before the PLOVER round after round 9 changed any code;
never trained on (``bench/train_plover.py`` holds it out); first score (main 9d3d6ef) 0.585,
the issue's six types 0.649, precision 0.789. All first scores are in docs/event-coding.md.
``plover_polnear_tune10.jsonl`` (PolNeAR train, a training file of round 10: articles no
``plover_polnear*`` file names and not the round's reserved blind articles, ``sample --exclude
'plover_polnear*.jsonl' --skip <reserved lists> --interleave --seed 6001 --articles 70 --n
240``; 60 articles gave the 240 statements read, 183 kept, 83 with a clear event, 57 unclear
left out: two "she's wrong" rejections of an accusation were first labelled ``REJECT`` and
then left out as unclear, since the conventions call a person called wrong criticism) and
``plover_polnear_tune11.jsonl`` (the same way after it, ``--seed 6002 --articles 50 --n
160``; 37 articles, 121 kept, 68 with an event, 39 unclear left out) were labelled from cue
and sentence with the coder's output hidden, each scored once untouched, then trained on.
All first scores are in docs/event-coding.md.

Figures: accuracy on statements with a gold type (the right type, None counting as wrong), the
same on those whose gold type is one of issue 10's clear kinds (``CLEAR_TYPES``),
precision and recall of "event vs none", negation agreement on gold events, and a confusion
table (rows gold, columns predicted).

    .venv/bin/python bench/eval_plover.py [--shared ../shared] [--verbose] [PATH ...]
    .venv/bin/python bench/eval_plover.py sample --split train --seed 1 --articles 60 --n 150
    .venv/bin/python bench/eval_plover.py cost [--split dev]   # code_event's CPU per statement
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import stancewire.nlp.enricher as enricher_module
from polnear import DEFAULT_SHARED
from stancewire.events import Event, Statement
from stancewire.nlp import Enricher

DATA = Path(__file__).parent / "data"
DEFAULT_SETS = [
    DATA / f"plover_polnear{suffix}.jsonl"
    for suffix in (
        "",
        "_test",
        "_test2",
        "_test3",
        "_test4",
        "_tune5",
        "_test6",
        "_test7",
        "_test8",
        "_test9",
        "_test10",
        "_test11",
        "_test12",
        "_test13",
        "_tune10",
        "_tune11",
    )
]
NONE = "-"
# The event types of issue 10's check ("the right PLOVER event type for at least 75% of those
# with a clear one: accusations, praise and endorsement, requests, rejections, threats, pledges").
CLEAR_TYPES = ("ACCUSE", "SUPPORT", "REQUEST", "REJECT", "THREATEN", "AGREE")
# Reporting cues that carry no event themselves (the event, if any, is in the content).
PLAIN_CUES = {"say", "tell", "add", "write", "according to", ":", "tweet", "state", "note"}
# Sampling stratifier only (not the coder's lexicon): words that often carry an event.
EVENTISH = re.compile(
    r"\b(accus|blam|critici|condemn|attack|slam|blast|prais|endors|support|back|congratul|"
    r"thank|welcom|urg|call(ed|s|ing)? (on|for)|ask|demand|request|reject|den(y|ied|ies)|"
    r"refus|dismiss|warn|threat|vow|pledg|promis|agree|commit|sanction|protest|meet|talk|"
    r"apolog|conced|admit|resign|withdr|aid|help|fund|arrest|su(e|ed|ing)\b|fir(e|ed)\b|ban)",
    re.IGNORECASE,
)


def _statements(enricher: Enricher, shared: Path, file: str) -> list[Statement]:
    body = (shared / "polnear" / file.replace("/", "/text/", 1)).with_suffix(".txt")
    return enricher.enrich(body.read_text(encoding="utf-8"))


def sample(args: argparse.Namespace) -> None:
    """Print statements to label (cue and content only), stratified as described above."""
    rng = random.Random(args.seed)
    labelled = {  # articles of the label files ``--exclude`` matches (default: all of them)
        name.removesuffix(".txt")
        for path in DATA.glob(args.exclude)
        for name in re.findall(r'"(?:file|article)": "([^"]+)"', path.read_text())
    }
    for listing in args.skip:  # article names, one a line (sets labelled elsewhere)
        labelled |= {line.strip() for line in listing.read_text().splitlines() if line.strip()}
    texts = [
        path
        for path in sorted((args.shared / "polnear" / args.split / "text").glob("*.txt"))
        if not {f"{args.split}/{path.stem}", path.stem} & labelled  # fresh articles only
    ]
    if args.interleave:  # shuffled within each publisher, then taken publisher by publisher
        by_publisher: dict[str, list[Path]] = {}
        for path in texts:
            by_publisher.setdefault(path.stem.split("_", 1)[0], []).append(path)
        for paths in by_publisher.values():
            rng.shuffle(paths)
        rounds = max(len(paths) for paths in by_publisher.values())
        order = [
            ps[i] for i in range(rounds) for _, ps in sorted(by_publisher.items()) if i < len(ps)
        ]
        chosen = order[: args.articles]
    else:
        chosen = rng.sample(texts, min(args.articles, len(texts)))
    enricher = Enricher()
    eventish: list[tuple[str, Statement]] = []
    plain: list[tuple[str, Statement]] = []
    for path in chosen:
        file = f"{args.split}/{path.stem}"
        for statement in _statements(enricher, args.shared, file):
            words = f"{statement.cue.text} {statement.content.text}"
            (eventish if EVENTISH.search(words) else plain).append((file, statement))
    half = args.n // 2
    picked = rng.sample(eventish, min(half, len(eventish)))
    picked += rng.sample(plain, min(args.n - len(picked), len(plain)))
    picked.sort(key=lambda p: (p[0], p[1].cue.start))
    for file, s in picked:
        sentence = " ".join(s.text.split())[:400]
        print(
            json.dumps(
                {"file": file, "cue_start": s.cue.start, "cue_end": s.cue.end, "cue": s.cue.text}
            )
        )
        print(f"    {s.speaker.name} | {sentence}")


def cost(args: argparse.Namespace) -> None:
    """CPU time (``time.process_time``) of ``code_event`` alone per statement, and its share of
    the whole enrichment, over every article of a PolNeAR split (the parse is done before
    ``code_event`` is called, so it is not counted)."""
    names = vars(enricher_module)  # the enricher's own reference to code_event, swapped below
    coder = names["code_event"]
    spent = [0.0, 0]

    def timed(*args: Any, **kwargs: Any) -> Event:
        start = time.process_time()
        event: Event = coder(*args, **kwargs)
        spent[0] += time.process_time() - start
        spent[1] += 1
        return event

    enricher = Enricher()
    texts = sorted((args.shared / "polnear" / args.split / "text").glob("*.txt"))
    enricher.enrich(texts[0].read_text(encoding="utf-8"))  # load the model and word lists
    names["code_event"] = timed
    spent[:] = [0.0, 0]
    start = time.process_time()
    for path in texts:
        enricher.enrich(path.read_text(encoding="utf-8"))
    total = time.process_time() - start
    names["code_event"] = coder
    print(
        f"{args.split}: {len(texts)} articles, {spent[1]} statements; code_event"
        f" {1000 * spent[0] / max(1, spent[1]):.3f} ms CPU per statement,"
        f" {100 * spent[0] / total:.1f}% of enrichment CPU ({total:.1f} s)"
    )


def load_labels(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def score(path: Path, shared: Path, enricher: Enricher, verbose: bool) -> None:
    labels = load_labels(path)
    by_file: dict[str, list[Statement]] = {}
    pairs: list[tuple[str, str, bool, bool, dict[str, Any], Statement | None]] = []
    for label in labels:
        if label["file"] not in by_file:
            by_file[label["file"]] = _statements(enricher, shared, label["file"])
        found = next((s for s in by_file[label["file"]] if s.cue.start == label["cue_start"]), None)
        predicted = found.event.type if found is not None and found.event.type else NONE
        negated = found.event.negated if found is not None else False
        gold = label["gold"] or NONE
        pairs.append((gold, predicted, bool(label["negated"]), negated, label, found))
    events = [p for p in pairs if p[0] != NONE]
    right = sum(1 for p in events if p[0] == p[1])
    said_event = [p for p in pairs if p[1] != NONE]
    event_precision = sum(1 for p in said_event if p[0] != NONE) / max(1, len(said_event))
    event_recall = sum(1 for p in events if p[1] != NONE) / max(1, len(events))
    type_precision = sum(1 for p in said_event if p[0] == p[1]) / max(1, len(said_event))
    negation = sum(1 for p in events if p[2] == p[3]) / max(1, len(events))
    in_cue = [p for p in events if p[5] is not None and p[5].cue.lemma not in PLAIN_CUES]
    in_cue_right = sum(1 for p in in_cue if p[0] == p[1])
    missing = sum(1 for p in pairs if p[5] is None)
    print(f"\n{path.name}: {len(pairs)} statements, {len(events)} with a clear event type")
    print(f"  event type accuracy on clear-event statements  {right / max(1, len(events)):.3f}")
    clear = [p for p in events if p[0] in CLEAR_TYPES]
    clear_right = sum(1 for p in clear if p[0] == p[1])
    print(
        f"  of which {len(clear)} of the issue's types ({', '.join(CLEAR_TYPES)}):"
        f" accuracy {clear_right / max(1, len(clear)):.3f}"
    )
    print(f"  event vs none: precision {event_precision:.3f}, recall {event_recall:.3f}")
    print(f"  type precision (predicted events of the right type) {type_precision:.3f}")
    print(f"  negation agreement on clear-event statements  {negation:.3f}")
    rest, rest_right = len(events) - len(in_cue), right - in_cue_right
    print(
        f"  of which {len(in_cue)} with an event-bearing cue (not {'/'.join(sorted(PLAIN_CUES))}):"
        f" accuracy {in_cue_right / max(1, len(in_cue)):.3f}; the other {rest}:"
        f" {rest_right / max(1, rest):.3f}"
    )
    if missing:
        print(f"  labelled statements no longer produced: {missing}")
    _confusion(pairs)
    if verbose:
        for gold, predicted, gold_neg, neg, _label, found in pairs:
            if gold != predicted or gold_neg != neg:
                text = " ".join(found.text.split())[:200] if found is not None else "(missing)"
                print(f"  gold {gold}{'~' * gold_neg} got {predicted}{'~' * neg}: {text}")


def _confusion(pairs: list[tuple[str, str, bool, bool, dict[str, Any], Statement | None]]) -> None:
    counts = Counter((p[0], p[1]) for p in pairs)
    names = sorted({p[0] for p in pairs} | {p[1] for p in pairs}, key=lambda n: (n == NONE, n))
    short = [n[:5] for n in names]
    print("  confusion (rows gold, columns predicted):")
    print("  " + " " * 10 + " ".join(f"{s:>5}" for s in short))
    for gold in names:
        row = " ".join(f"{counts[(gold, p)] or '.':>5}" for p in names)
        print(f"  {gold:<10}{row}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    if "sample" in argv:
        parser.add_argument("command")
        parser.add_argument("--split", default="train")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--articles", type=int, default=60)
        parser.add_argument("--n", type=int, default=150)
        parser.add_argument(
            "--exclude", default="*.jsonl", help="label files whose articles to skip"
        )
        parser.add_argument("--interleave", action="store_true", help="publishers in turn")
        parser.add_argument(
            "--skip",
            type=Path,
            action="append",
            default=[],
            help="a file of article names (one a line) to skip as well; repeatable",
        )
        sample(parser.parse_args(argv))
        return 0
    if "cost" in argv:
        parser.add_argument("command")
        parser.add_argument("--split", default="dev")
        cost(parser.parse_args(argv))
        return 0
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    if not (args.shared / "polnear").is_dir():
        print(f"no PolNeAR under {args.shared}: skipped")
        return 0
    enricher = Enricher()
    for path in args.paths or [p for p in DEFAULT_SETS if p.exists()]:
        score(path, args.shared, enricher, args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
