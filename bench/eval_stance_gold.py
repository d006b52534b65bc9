"""Stance toward named persons and countries in PolNeAR's GOLD attributions, two ways.

The earlier real-news stance sets (``eval_stance_polnear.py``) sample pairs from the enricher's
own output, so they cannot see the targets it misses. These sets start from the gold side:
PolNeAR's annotated attributions (Source, Cue and Content spans), with every named person or
country their content speaks of labelled with the speaker's stance toward it.

Sets (``bench/data/``; references only, no article text: PolNeAR's licence), drawn by
``bench/sample_stance_gold.py`` (seed 20261201, publishers interleaved) from PolNeAR TRAIN
articles that no other set uses (not those of ``stance_polnear_train``, ``topics_polnear_train``
or ``plover_polnear*``; the dev split is left alone for the other measures, but for the third
blind set's last ten articles):

- ``stance_gold_eval.jsonl`` (``--set eval``, the default): 102 pairs (84 persons, 18
  countries; 14 passing; gold 25 positive, 43 neutral, 34 negative) in 74 attributions of 39
  articles; held out: committed before it was first scored, never tuned on.
- ``stance_gold_train.jsonl`` (``--set train``): 910 pairs (674 persons, 236 countries; 168
  passing; gold 204 positive, 405 neutral, 301 negative) in 647 attributions of 347 other train
  articles (disjoint from the eval set's), labelled the same way, for training.
- ``stance_gold_blind.jsonl`` (``--set blind``): 113 pairs (99 persons, 14 countries; 16
  passing; gold 24 positive, 51 neutral, 38 negative) in 82 attributions of 43 train articles
  that no other label file names (``sample_stance_gold.py sheet --fresh``), labelled the same
  way, at round 2's start before any change; held out like the eval set.
- ``stance_gold_blind2.jsonl`` (``--set blind2``): 139 pairs (107 persons, 32 countries; 22
  passing; gold 36 positive, 54 neutral, 49 negative) in 97 attributions of 60 train articles
  that no stance label file names (the 17 no label file names, then those only PLOVER or topic
  files name; ``sample_stance_gold.py sheet --fresh --seed 20261211``), labelled the same way
  at round 4's start, before any round-4 change; held out: scored once with main's code, its
  errors not read.
- ``stance_gold_blind3.jsonl`` (``--set blind3``): 98 pairs (66 persons, 32 countries; 17
  passing; gold 18 positive, 38 neutral, 42 negative) in 75 attributions of 20 articles: 74
  pairs from 10 PolNeAR train articles and 24 from 10 DEV articles, the only articles no
  ``stance*`` file names (36 train, then 14 dev; of the 50, 20 have an attribution whose content
  holds a person or country that is a target by the guideline). Dev is scored for attribution F1,
  never for stance, so its articles are new to every stance measure; the test split is not used.
  Drawn by ``sample_stance_gold.py sheet --set blind3 --unstanced --seed 20261221`` (up to 6
  attributions per article: few articles are left), labelled the same way at round 6's start
  from the attribution text alone, without any model output; held out: scored once with main's
  code, its errors not read. Its pairs cluster in few articles (up to 14 from one), so its
  figures move in steps larger than one pair's share.
- ``stance_gold_train2.jsonl`` (``--set train2``): 490 more training pairs (370 persons, 120
  countries; 101 passing; gold 90 positive, 242 neutral, 158 negative) from the next 190 fresh
  articles.
- ``stance_gold_train3.jsonl`` (``--set train3``): 237 more training pairs (196 persons, 41
  countries; 35 passing; gold 45 positive, 101 neutral, 91 negative) from 94 train articles no
  stance set names (round 4's order after the second blind set's articles), labelled at round
  5's start.

One line per (attribution, target): ``article``, ``split``, the gold ``cue``, ``content`` and
``source`` fragments (``[[start, end], ...]``, offsets into the article; ``source`` null when
the attribution has none), ``target`` ``{start, end, text, kind}`` (one mention in the content,
``kind`` person or country), ``passing`` and ``gold``.

Labelling guideline. For a gold attribution, the targets are the named persons (a proper name:
"Hillary Clinton", "Clinton", "Mr. Trump", "Donald", "Bernie") and countries (the name, its
demonym used for its government or people, capital or government metonymy: "Moscow", "the
Kremlin", "Beijing", "the White House", "Number 10") mentioned in the Content span. One pair per
entity per attribution (its first mention), under one country however it is named. Excluded:
the speaker themself (and what speaks for them: "his office" of Mr. Ryan), pronouns and role
nouns without a name, organisations, parties and US states. A name used only as a modifier, a
place or an office, or in passing where nothing is said of it ("a U.S. citizen", "born in
Canada", "American elections", "the administrations of Bill Clinton and Obama", "the accord
adopted in Paris", "visit the White House") is still listed, with label neutral and ``passing:
true``; a name that is an argument of what is said but gets no evaluation ("discussions with
Reince") is neutral with ``passing: false``; a modifier used evaluatively ("Trump supports
Hillary-style healthcare" in an attack ad, "a Sanders-style progressive") is labelled like
any argument. The label is the SPEAKER's stance toward the target in what they said:
positive (praise, support, defence, agreement, endorsement, favourable claims: "Clinton's
support has steadily risen", "Sanders is the most trustworthy", "those voters backed Mr.
Sanders"), negative (criticism, accusation, blame, mockery, opposition, unfavourable claims:
"Clinton looks much weaker", "Donald can't win", "misgivings about Hillary Clinton"), neutral
(no evaluation of the target, a factual mention such as a plain poll figure, or genuinely
mixed). Labelled from the attribution text alone (content, cue and source, never the article
around it and never any model output). Sarcasm and reported negatives count as what the
speaker conveys ("Jeb wants to be a tough guy tonight" is negative toward Jeb).

Scored two ways:

(a) End to end: the enricher on the whole article. A gold pair's statement is found when a
predicted statement's cue overlaps the gold cue; its target is found when that statement (any
of them, if several overlap) has a person or country target with a mention overlapping the gold
target span, or failing that one whose name matches: persons by folded name words (honorifics
dropped), one name's words within the other's ("Clinton" and "Hillary Clinton", not "Bill
Clinton" and "Hillary Clinton"); countries by the enricher's own normalisation of the gold
surface ("American", "the White House" -> US). The pair is right when that target's label
equals gold. The headline is label accuracy over the non-passing pairs with a missed statement
or target counted wrong; passing pairs (where the enricher is meant to give no target) count as
"no target or neutral". Also printed: found-statement and found-target rates, accuracy over the
found targets, by person/country, passing/not and for the attributions with a gold Source (the
enricher gives no statement without a speaker, by design), and the confusion matrix.

(b) Model only: ``stancewire stance``'s path (:func:`stancewire.stance_lines.score_request`,
which calls :func:`stancewire.nlp.stance.stance_toward`) on the gold content as the text (its
fragments joined by a space) with the gold target span, no cue: label accuracy and macro-F1.

First score of the eval set, main's code at a311526 (run once, right after the set was
committed, before any error was looked at; the errors of the eval set have not been read)::

    (a) end to end, 88 non-passing pairs: statement found 0.739 (65/88), target found 0.636
        (56/88), label right 0.295 (26/88; person 0.282, 22/78; country 0.400, 4/10), label
        right over the found targets 0.464 (26/56); 14 passing pairs: no target or neutral
        0.786 (11/14)
    (b) model only, 102 pairs: accuracy 0.451 (46/102), macro-F1 0.441; 88 non-passing pairs:
        accuracy 0.409 (36/88), macro-F1 0.409

First score of the second blind set (``--set blind2``), main's code at cff82fa (run once,
right after the set was committed, before any round-4 change; its errors are not read)::

    (a) end to end, 117 non-passing pairs: statement found 0.735 (86/117), target found 0.650
        (76/117), label right 0.368 (43/117; person 0.388, 40/103; country 0.214, 3/14),
        label right over the found targets 0.566 (43/76); 22 passing pairs: no target or
        neutral 0.727 (16/22)
    (b) model only, 139 pairs: accuracy 0.540 (75/139), macro-F1 0.530; 117 non-passing
        pairs: accuracy 0.538 (63/117), macro-F1 0.514

The train set under the same code (scored after its labels were written, no label changed
since): end to end 0.288 of the 742 non-passing pairs (statement found 0.733, target found
0.581, label right on the found targets 0.497); passing pairs no target or neutral 0.732; model
only accuracy 0.485, macro-F1 0.475 (non-passing 0.470 / 0.466).

First score of the third blind set (``--set blind3``), main's code (branch label_blind3 at
796dce4, the product code unchanged from main's a736740; run once, right after the set was
committed, without ``-v``; its errors are not read)::

    (a) end to end, 81 non-passing pairs: statement found 0.704 (57/81), target found 0.630
        (51/81), label right 0.309 (25/81; person 0.323, 21/65; country 0.250, 4/16), label
        right over the found targets 0.490 (25/51); 17 passing pairs: no target or neutral
        0.765 (13/17)
    (b) model only, 98 pairs: accuracy 0.429 (42/98), macro-F1 0.417; 81 non-passing pairs:
        accuracy 0.420 (34/81), macro-F1 0.404

    .venv/bin/python bench/eval_stance_gold.py [--shared ../shared] [--set SET] [-v]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from polnear import DEFAULT_SHARED
from stancewire.events import Statement, Target
from stancewire.nlp import Enricher
from stancewire.nlp.entities import fold, normalize_entity
from stancewire.nlp.model import load_model
from stancewire.stance_lines import score_request

DATA = Path(__file__).parent / "data"
LABELS = ("positive", "neutral", "negative")
Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class GoldPair:
    article: str
    split: str
    cue: Spans
    content: Spans
    source: Spans | None
    start: int
    end: int
    text: str
    kind: str
    passing: bool
    gold: str


@dataclass(frozen=True)
class Outcome:
    """What the enricher made of one gold pair (``predicted`` None: target not found)."""

    pair: GoldPair
    statement_found: bool
    predicted: str | None
    model_only: str

    @property
    def right(self) -> bool:
        if self.pair.passing:
            return self.predicted in (None, "neutral")
        return self.predicted == self.pair.gold


def _spans(rows: Iterable[Iterable[int]]) -> Spans:
    return tuple((int(a), int(b)) for a, b in rows)


def load_pairs(path: Path) -> list[GoldPair]:
    pairs = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        row: dict[str, Any] = json.loads(line)
        target = row["target"]
        pairs.append(
            GoldPair(
                row["article"],
                row["split"],
                _spans(row["cue"]),
                _spans(row["content"]),
                _spans(row["source"]) if row["source"] is not None else None,
                target["start"],
                target["end"],
                target["text"],
                target["kind"],
                row["passing"],
                row["gold"],
            )
        )
    return pairs


def _overlaps(spans: Spans, start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in spans)


def _name_words(text: str) -> set[str]:
    entity = normalize_entity(text, "PERSON")
    return set(fold(entity.name if entity else text).split())


def _names_match(pair: GoldPair, target: Target) -> bool:
    if pair.kind == "country":
        entity = normalize_entity(pair.text)
        return (
            entity is not None and entity.country is not None and (target.country == entity.country)
        )
    gold, predicted = _name_words(pair.text), _name_words(target.name)
    return bool(gold and predicted) and (gold <= predicted or predicted <= gold)


def match_target(pair: GoldPair, statements: list[Statement]) -> Target | None:
    """The predicted target for the pair: a mention overlap first, then a name match."""
    targets = [t for s in statements for t in s.targets if t.kind == pair.kind]
    for target in targets:
        if any(m.start < pair.end and pair.start < m.end for m in target.mentions):
            return target
    return next((t for t in targets if _names_match(pair, t)), None)


def content_request(pair: GoldPair, text: str) -> dict[str, Any]:
    """The ``stancewire stance`` line for the pair: the gold content, the gold target span."""
    pieces, offset, start = [], 0, None
    for a, b in pair.content:
        if a <= pair.start and pair.end <= b:
            start = offset + pair.start - a
        pieces.append(text[a:b])
        offset += b - a + 1
    if start is None:
        raise ValueError(f"{pair.article}: target {pair.text!r} is not inside the content")
    return {
        "id": pair.article,
        "text": " ".join(pieces),
        "targets": [{"start": start, "end": start + pair.end - pair.start}],
    }


def score(pairs: list[GoldPair], shared: Path) -> list[Outcome]:
    texts = {
        name: (shared / "polnear" / split / "text" / name).read_text("utf-8")
        for split, name in {(p.split, p.article) for p in pairs}
    }
    enricher = Enricher()
    enriched = {name: enricher.enrich(text) for name, text in sorted(texts.items())}
    nlp = load_model()
    outcomes = []
    for pair in pairs:
        statements = [
            s for s in enriched[pair.article] if _overlaps(pair.cue, s.cue.start, s.cue.end)
        ]
        target = match_target(pair, statements)
        answer = score_request(nlp, content_request(pair, texts[pair.article]))
        outcomes.append(
            Outcome(
                pair,
                bool(statements),
                target.stance.label if target is not None else None,
                answer["targets"][0]["stance"]["label"],
            )
        )
    return outcomes


def _ratio(right: int, total: int) -> str:
    return f"{right / total:.3f} ({right}/{total})" if total else "n/a (0/0)"


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    scores = []
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, predicted, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def _confusion(title: str, rows: list[tuple[str, str]]) -> None:
    confusion = Counter(rows)
    columns = [*LABELS, "missing"] if any(p == "missing" for _, p in rows) else list(LABELS)
    print(f"  confusion, {title} (rows gold, columns predicted):")
    print("    " + f"{'':10}" + "".join(f"{c:>10}" for c in columns))
    for gold in LABELS:
        print(f"    {gold:10}" + "".join(f"{confusion[(gold, c)]:>10}" for c in columns))


def print_end_to_end(outcomes: list[Outcome]) -> None:
    groups: list[tuple[str, Callable[[Outcome], bool]]] = [
        ("all", lambda o: True),
        ("person", lambda o: o.pair.kind == "person"),
        ("country", lambda o: o.pair.kind == "country"),
        ("gold source", lambda o: o.pair.source is not None),
    ]
    print("  (a) end to end (the enricher on the whole article)")
    print(f"    {'':42}" + "".join(f"{name:>17}" for name, _ in groups))
    for passing in (False, True):
        subset = [o for o in outcomes if o.pair.passing is passing]
        label = "passing" if passing else "not passing"
        rows: list[tuple[str, Callable[[list[Outcome]], str]]] = [
            (
                f"{label}: statement found",
                lambda g: _ratio(sum(o.statement_found for o in g), len(g)),
            ),
            (
                f"{label}: target found",
                lambda g: _ratio(sum(o.predicted is not None for o in g), len(g)),
            ),
        ]
        if passing:
            rows.append(
                (
                    "passing: no target or neutral",
                    lambda g: _ratio(sum(o.right for o in g), len(g)),
                )
            )
        else:
            rows.append(
                (
                    "NOT PASSING: label right (missed = wrong)",
                    lambda g: _ratio(sum(o.right for o in g), len(g)),
                )
            )
            rows.append(
                (
                    "not passing: label right, found targets",
                    lambda g: _ratio(
                        sum(o.right for o in g if o.predicted), sum(bool(o.predicted) for o in g)
                    ),
                )
            )
        for title, cell in rows:
            cells = [cell([o for o in subset if keep(o)]) for _, keep in groups]
            print(f"    {title:42}" + "".join(f"{c:>17}" for c in cells))
    _confusion(
        "not passing",
        [(o.pair.gold, o.predicted or "missing") for o in outcomes if not o.pair.passing],
    )


def print_model_only(outcomes: list[Outcome]) -> None:
    print("  (b) model only (stancewire stance on the gold content with the gold target)")
    for title, subset in (
        ("every pair", outcomes),
        ("not passing", [o for o in outcomes if not o.pair.passing]),
        (
            "person, not passing",
            [o for o in outcomes if not o.pair.passing and o.pair.kind == "person"],
        ),
        (
            "country, not passing",
            [o for o in outcomes if not o.pair.passing and o.pair.kind == "country"],
        ),
    ):
        gold = [o.pair.gold for o in subset]
        predicted = [o.model_only for o in subset]
        right = sum(g == p for g, p in zip(gold, predicted, strict=True))
        f1 = f"{macro_f1(gold, predicted):.3f}" if subset else "n/a"
        print(f"    {title:22} accuracy {_ratio(right, len(subset)):>16}  macro-F1 {f1}")
    _confusion("every pair", [(o.pair.gold, o.model_only) for o in outcomes])


def print_errors(outcomes: list[Outcome]) -> None:
    print("  errors (end to end; model only):")
    for o in outcomes:
        if o.right and o.model_only == o.pair.gold:
            continue
        p = o.pair
        print(
            f"    {p.article} cue {p.cue[0][0]} {p.text!r} ({p.kind}"
            f"{', passing' if p.passing else ''}): gold {p.gold}, enricher "
            f"{o.predicted if o.statement_found else 'no statement'}, model {o.model_only}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument(
        "--set",
        choices=("eval", "train", "train2", "train3", "blind", "blind2", "blind3"),
        default="eval",
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="list every error")
    args = parser.parse_args(argv)
    pairs = load_pairs(DATA / f"stance_gold_{args.set}.jsonl")
    outcomes = score(pairs, args.shared)
    articles = len({p.article for p in pairs})
    labels = Counter(p.gold for p in pairs)
    print(
        f"stance toward named targets of PolNeAR gold attributions, {args.set} set: "
        f"{len(pairs)} pairs ({sum(p.passing for p in pairs)} passing) from {articles} articles; "
        f"gold {dict(sorted(labels.items()))}"
    )
    print_end_to_end(outcomes)
    print_model_only(outcomes)
    if args.verbose:
        print_errors(outcomes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
