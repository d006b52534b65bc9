"""Where PolNeAR attribution recall and precision are lost, by kind (tune on train only).

For every gold attribution of a split: matched in full, missed cue (no predicted cue overlaps),
wrong content or wrong source; the most frequent missed cue words and spurious predicted cues;
and, with ``--examples FILE``, one line per error for reading.

    .venv/bin/python bench/attrib_errors.py [--shared ../shared] [--split train]
        [--skip N] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import logging
from collections import Counter
from pathlib import Path

from eval import _overlaps, _tokens, token_f1
from polnear import DEFAULT_SHARED, Article, GoldAttribution, load_split
from stancewire.events import Statement
from stancewire.nlp import Enricher


def _text(article: Article, fragments: tuple[tuple[int, int], ...]) -> str:
    return " ... ".join(article.text[s:e] for s, e in fragments)


def _classify(
    article: Article, gold: list[GoldAttribution], predicted: list[Statement]
) -> tuple[list[tuple[str, GoldAttribution, Statement | None]], list[Statement]]:
    """Each gold with its outcome (mirrors eval.score_article), and unmatched predictions."""
    used: set[int] = set()
    out: list[tuple[str, GoldAttribution, Statement | None]] = []
    for attribution in sorted(gold, key=lambda g: g.cue[0][0]):
        outcome: tuple[str, GoldAttribution, Statement | None] = ("cue", attribution, None)
        for index, statement in enumerate(predicted):
            if index in used or not _overlaps(
                attribution.cue, statement.cue.start, statement.cue.end
            ):
                continue
            used.add(index)
            content_ok = (
                token_f1(
                    _tokens(article.text, ((statement.content.start, statement.content.end),)),
                    _tokens(article.text, attribution.content),
                )
                >= 0.5
            )
            mention = statement.speaker.mention
            source_ok = attribution.source is None or (
                mention is not None and _overlaps(attribution.source, mention.start, mention.end)
            )
            kind = "full" if content_ok and source_ok else ("content" if not content_ok else "")
            kind = kind or "source"
            if not content_ok and not source_ok:
                kind = "content+source"
            outcome = (kind, attribution, statement)
            break
        out.append(outcome)
    spurious = [s for i, s in enumerate(predicted) if i not in used]
    return out, spurious


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--split", default="train")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--skip", type=int, default=0, help="leave out the first N articles")
    parser.add_argument("--examples", type=Path, default=None, help="write errors as JSON lines")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    logging.getLogger("stancewire.nlp").setLevel(logging.CRITICAL)
    enricher = Enricher()
    kinds: Counter[str] = Counter()
    missed_cues: Counter[str] = Counter()
    spurious_cues: Counter[str] = Counter()
    rows: list[dict[str, object]] = []
    articles = load_split(args.shared, args.split)[args.skip :]
    for article in articles[: args.limit] if args.limit is not None else articles:
        statements = enricher.enrich(article.text)
        outcomes, spurious = _classify(article, article.attributions, statements)
        for kind, gold, statement in outcomes:
            kinds[kind] += 1
            if kind == "cue":
                missed_cues[_text(article, gold.cue).lower()] += 1
            if kind != "full":
                rows.append(
                    {
                        "article": article.name,
                        "kind": kind,
                        "cue": _text(article, gold.cue),
                        "source": _text(article, gold.source) if gold.source else None,
                        "content": _text(article, gold.content),
                        "pred_cue": statement.cue.text if statement else None,
                        "pred_source": (
                            statement.speaker.mention.text
                            if statement and statement.speaker.mention
                            else None
                        ),
                        "pred_content": statement.content.text if statement else None,
                    }
                )
        for statement in spurious:
            spurious_cues[statement.cue.text.lower()] += 1
            rows.append(
                {
                    "article": article.name,
                    "kind": "spurious",
                    "pred_cue": statement.cue.text,
                    "pred_content": statement.content.text,
                    "sentence": statement.text,
                }
            )
    total = sum(kinds.values())
    predicted = sum(kinds.values()) - kinds["cue"] + sum(spurious_cues.values())
    print(f"== {args.split}: {total} gold, {predicted} predicted")
    p = kinds["full"] / predicted if predicted else 0.0
    r = kinds["full"] / total if total else 0.0
    print(f"  full attribution P {p:.3f}  R {r:.3f}  F1 {2 * p * r / (p + r) if p + r else 0:.3f}")
    for kind, n in kinds.most_common():
        print(f"  {kind:<15} {n:5d}  {n / total:.3f}")
    print("  missed cues: " + ", ".join(f"{c!r} {n}" for c, n in missed_cues.most_common(args.top)))
    print(
        "  spurious cues: "
        + ", ".join(f"{c!r} {n}" for c, n in spurious_cues.most_common(args.top))
    )
    if args.examples is not None:
        with args.examples.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
