"""Audit the topic terms for stem collisions: the word forms each single-word term matches.

Topic terms are matched after Snowball stemming, so "import" also matches "important" and
"senate" matches "senator". For every single-word term of ``nlp/data/topics.yaml`` this lists the
word forms of the PolNeAR train and dev texts that share its stem (most frequent first), leaving
out the forms already in ``false_forms``, so a form of another word can be added there. Prints
only terms that match more than one form.

With ``--singles N``: enriches PolNeAR dev and the first N train articles and lists, most
frequent first, the (topic, evidence) pairs of topics that rest on one piece of evidence, with
example contents: the terms whose other senses cost most precision, to read and count.

    .venv/bin/python bench/audit_topic_terms.py [--shared ../shared] [--top 12]
    .venv/bin/python bench/audit_topic_terms.py --singles 200 [--top 40] [--examples 3]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

from polnear import DEFAULT_SHARED
from stancewire.nlp import topic_words, topics


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--top", type=int, default=12, help="forms (or pairs) shown")
    parser.add_argument("--singles", type=int, help="list single-evidence topics instead")
    parser.add_argument("--examples", type=int, default=3, help="contents shown per pair")
    args = parser.parse_args(argv)
    if args.singles is not None:
        return print_singles(args.shared, args.singles, args.top, args.examples)
    forms: Counter[str] = Counter()
    for split in ("train", "dev"):
        for path in sorted((args.shared / "polnear" / split / "text").iterdir()):
            forms.update(topic_words.tokens(path.read_text("utf-8")))
    false_forms = topic_words.false_forms()
    by_stem: defaultdict[str, list[tuple[int, str]]] = defaultdict(list)
    for form, count in forms.items():
        if form not in false_forms:
            by_stem[topic_words.stem(form)].append((count, form))
    print(f"{len(forms)} word forms in PolNeAR train and dev")
    for definition in topics.taxonomy():
        kinds = (("strong", definition.terms), ("context", definition.context))
        for kind, terms in (*kinds, ("weak", definition.weak)):
            for term in terms:
                matched = sorted(by_stem.get(term[0], []), reverse=True) if len(term) == 1 else []
                if len(matched) > 1:
                    shown = " ".join(f"{form}:{count}" for count, form in matched[: args.top])
                    print(f"{definition.id:13} {kind:7} {term[0]:14} {shown}")
    return 0


def print_singles(shared: Path, train_articles: int, top: int, examples: int) -> int:
    """The topics of PolNeAR dev and the first train articles that rest on one evidence term."""
    from stancewire.nlp import Enricher  # only here: the form audit needs no model

    enricher = Enricher()
    paths = sorted((shared / "polnear" / "dev" / "text").iterdir())
    paths += sorted((shared / "polnear" / "train" / "text").iterdir())[:train_articles]
    pairs: Counter[tuple[str, str]] = Counter()
    contents: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    statements = 0
    for path in paths:
        for statement in enricher.enrich(path.read_text("utf-8")):
            statements += 1
            for topic in statement.topics:
                if len(topic.evidence) == 1:
                    pair = (topic.id, topic.evidence[0])
                    pairs[pair] += 1
                    contents[pair].append(statement.content.text[:120])
    print(f"{statements} statements of {len(paths)} articles; topics on one evidence term:")
    for (topic_id, word), count in pairs.most_common(top):
        print(f"{count:5} {topic_id:13} {word}")
        for content in contents[(topic_id, word)][:examples]:
            print(f"          {content!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
