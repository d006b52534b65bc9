"""Why the targets of PolNeAR gold stance pairs are missed, and how many targets a statement gets.

``bench/eval_stance_gold.py`` scores the enricher against gold (attribution, target) pairs; this
breaks its misses down on the TRAIN set (``stance_gold_train.jsonl``; the eval set is held out
and never read here). For each pair not in passing, the first cause that applies:

- ``statement missed``: no predicted statement's cue overlaps the gold cue (split by whether a
  predicted statement's content holds the target under another cue);
- ``outside content``: the statement is found, the target lies outside its predicted content;
- ``no entity``: inside the content, no mention of any kind covers the target (the recogniser
  found nothing there, split by the recogniser's label on the target's tokens if any);
- ``wrong kind``: a mention covers it but normalises to another kind (organisation, group,
  place), with the spaCy label and the normalised kind;
- ``passing`` / ``implausible``: dropped as a country in passing or an implausible name;
- ``speaker``: dropped as the statement's own speaker;
- ``merged``: found, but joined to another entity's target (a wrong fullest name).

``--stats SPLIT`` prints targets per statement (persons, countries, organisations) over a PolNeAR
split instead, for the precision side of a change.

    .venv/bin/python bench/target_errors.py [--shared ../shared] [--examples FILE]
    .venv/bin/python bench/target_errors.py --stats dev [--shared ../shared]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

import stancewire.nlp.enricher as enricher_module
from eval_stance_gold import DATA, GoldPair, load_pairs, match_target
from polnear import DEFAULT_SHARED, load_split
from stancewire.events import Speaker, Statement
from stancewire.nlp import Enricher
from stancewire.nlp.docindex import char_span
from stancewire.nlp.mentions import find_mentions
from stancewire.nlp.targets import _as_target, _is_speaker


@dataclass
class _Call:
    doc: Doc
    start: int
    end: int
    speaker: Speaker


_calls: list[_Call] = []


def _recording(real: Callable[..., Any]) -> Callable[..., Any]:
    def find_targets(doc: Doc, start: int, end: int, speaker: Speaker, **kw: Any) -> Any:
        _calls.append(_Call(doc, start, end, speaker))
        return real(doc, start, end, speaker, **kw)

    return find_targets


def _overlaps(spans: tuple[tuple[int, int], ...], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in spans)


def _cause(pair: GoldPair, found: list[Statement], calls: list[_Call]) -> str:
    inside = [c for c in calls if c.start <= pair.start and pair.end <= c.end]
    if not found:
        return "statement missed: target in another statement" if inside else "statement missed"
    mine = [c for c in inside if any(s.content.start == c.start for s in found)]
    if not mine:
        return "outside content"
    call = mine[0]
    doc = call.doc
    content = char_span(doc, call.start, call.end)
    if content is None:
        return "outside content"
    covering = [
        m
        for m in find_mentions(doc, content)
        if m.span.start_char < pair.end and pair.start < m.span.end_char
    ]
    if not covering:
        span = char_span(doc, pair.start, pair.end)
        labels = sorted({t.ent_type_ for t in span or () if t.ent_type_})
        return f"no entity ({'/'.join(labels) or 'none'})"
    right = [m for m in covering if m.entity.kind == pair.kind]
    if not right:
        m = covering[0]
        label = m.span.root.ent_type_ or "-"
        return f"wrong kind ({label} -> {m.entity.kind})"
    mention = right[0]
    kept = _as_target(mention)
    if kept is None:
        return "passing" if pair.kind == "country" else "implausible"
    if _is_speaker(kept, call.speaker):
        return "speaker"
    return "merged"


def diagnose(shared: Path, examples: Path | None) -> None:
    pairs = [p for p in load_pairs(DATA / "stance_gold_train.jsonl") if not p.passing]
    text_dir = shared / "polnear" / "train" / "text"
    enricher_module.find_targets = _recording(enricher_module.find_targets)  # type: ignore[attr-defined]
    enricher = Enricher()
    causes: Counter[str] = Counter()
    by_kind: Counter[tuple[str, str]] = Counter()
    lines: list[str] = []
    for name in sorted({p.article for p in pairs}):
        text = (text_dir / name).read_text("utf-8")
        _calls.clear()
        statements = enricher.enrich(text)
        calls = list(_calls)
        for pair in (p for p in pairs if p.article == name):
            found = [s for s in statements if _overlaps(pair.cue, s.cue.start, s.cue.end)]
            matched = match_target(pair, found) is not None
            cause = "found" if matched else _cause(pair, found, calls)
            causes[cause] += 1
            by_kind[(pair.kind, cause.split(" (")[0])] += 1
            if cause != "found":
                cue = " ".join(text[a:b] for a, b in pair.cue)
                content = " ... ".join(text[a:b] for a, b in pair.content)
                got = "; ".join(
                    f"[{s.speaker.name}] {s.content.text[:80]!r} -> "
                    + ", ".join(t.name for t in s.targets)
                    for s in found
                )
                lines.append(
                    f"{cause}\t{name}\t{pair.text!r} ({pair.kind})\tcue {cue!r}\t"
                    f"content {content[:300]!r}\tpredicted {got}"
                )
    total = sum(causes.values())
    print(f"gold train pairs not in passing: {total}")
    for cause, count in causes.most_common():
        print(f"  {cause:55} {count:4}  {count / total:.3f}")
    print("  by kind (cause without its detail):")
    for (kind, cause), count in sorted(by_kind.items()):
        print(f"    {kind:8} {cause:45} {count:4}")
    if examples is not None:
        examples.write_text("\n".join(sorted(lines)) + "\n", "utf-8")
        print(f"  {len(lines)} misses written to {examples}")


def stats(shared: Path, split: str) -> None:
    enricher = Enricher()
    statements = 0
    kinds: Counter[str] = Counter()
    for article in load_split(shared, split):
        for statement in enricher.enrich(article.text):
            statements += 1
            kinds.update(t.kind for t in statement.targets)
    total = sum(kinds.values())
    print(f"PolNeAR {split}: {statements} statements, {total} targets, per statement")
    print(f"  all {total / statements:.3f}")
    for kind, count in sorted(kinds.items()):
        print(f"  {kind:13} {count:5}  {count / statements:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--examples", type=Path, default=None, help="write each miss here")
    parser.add_argument("--stats", metavar="SPLIT", help="targets per statement on a split")
    args = parser.parse_args(argv)
    if args.stats:
        stats(args.shared, args.stats)
    else:
        diagnose(args.shared, args.examples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
