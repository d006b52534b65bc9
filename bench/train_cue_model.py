"""Train the cue classifier (``services/stancewire/nlp/data/cue_model.json``) on PolNeAR train.

Every candidate cue verb with a source that the extractor proposes in the train texts (one
annotator file per article; a candidate without a source never becomes a statement) is
described by :func:`stancewire.nlp.attribution.cue_features` and labelled 1 when it would be a
right attribution: its cue overlaps an annotated Cue span, its content (run on over the
quotations after it, as the enricher's statement would be) has token F1 >= 0.5 with
that attribution's Content and its source overlaps the gold Source (or the gold has none), the
rule ``bench/eval.py`` scores by. A candidate whose cue is right but whose content or source is
wrong counts against full attribution precision as much as a spurious one, so it is labelled 0
(``--label cue`` labels by the cue alone, as the first model was).

A binary-feature logistic regression (scikit-learn, a development dependency; inference is a
dot product in :mod:`stancewire.nlp.cue_model`) is fitted with its inverse regularisation C and
the probability cut chosen by 5-fold cross-validation over articles: the pair that maximises
``2 * right / (kept + gold)`` on the out-of-fold probabilities, the full attribution F1 of the
verb cues. The bias is then shifted so that the chosen cut is probability 0.5, the extractor's
threshold (``DEFAULT_THRESHOLD``), against which the priors of the wire-service verbs, the poll
and record verbs and the "as" asides are floors. ``--exclude FILE`` (repeatable) leaves out the
train articles a file names, one a line (label sets being drawn from train). Dev figures:
``bench/eval.py``.

    .venv/bin/python bench/train_cue_model.py [--shared ../shared] [--exclude FILE ...]
"""

from __future__ import annotations

import argparse
import json
import logging
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from eval import _overlaps, _tokens, token_f1
from polnear import DEFAULT_SHARED, REPO_ROOT, Article, load_split
from stancewire.nlp import Enricher
from stancewire.nlp.quotations import continue_quotations
from stancewire.nlp.raw_attribution import RawAttribution

OUT = REPO_ROOT / "services" / "stancewire" / "nlp" / "data" / "cue_model.json"
C_GRID = (0.03, 0.1, 0.3, 1.0)
CUT_GRID = tuple(round(0.2 + 0.025 * i, 3) for i in range(21))
FOLDS = 5
MIN_COUNT = 3


@dataclass(frozen=True)
class Sample:
    features: tuple[str, ...]
    article: int
    cue: bool  # overlaps a gold cue
    full: bool  # cue, content and source right
    sourced: bool = False  # cue and source right


def _label(article: Article, candidate: RawAttribution) -> tuple[bool, bool, bool]:
    """Whether the candidate's cue is right; cue, content and source; cue and source."""
    content = _tokens(article.text, ((candidate.content_start, candidate.content_end),))
    source = candidate.source
    cue = full = sourced = False
    for gold in article.attributions:
        if not _overlaps(gold.cue, candidate.cue_start, candidate.cue_end):
            continue
        cue = True
        source_ok = gold.source is None or (
            source is not None and _overlaps(gold.source, source.start_char, source.end_char)
        )
        sourced = sourced or source_ok
        if source_ok and token_f1(content, _tokens(article.text, gold.content)) >= 0.5:
            full = True
    return cue, full, sourced


def collect(articles: list[Article]) -> tuple[list[Sample], int]:
    """The candidates of ``articles`` and the number of gold attributions in them."""
    enricher = Enricher()
    samples: list[Sample] = []
    gold = 0
    for index, article in enumerate(articles):
        gold += len(article.attributions)
        analysis = enricher.analyse(article.text, threshold=None)
        if analysis is None:
            continue
        layout = analysis[3]
        # "according to", noun cues and signed quotations are not scored by the model
        sourced = [c for c in analysis[1] if c.features and c.source is not None]
        # What a kept candidate's statement says: its quotation runs on over the quotations
        # after it ('"...," he said. "..."') as in Enricher.enrich, claimed by the candidates
        # outside quotations (a cue inside one is seldom kept).
        claimants = [c for c in sourced if "quoted=False" in c.features]
        widened = continue_quotations(claimants, layout.quotes, layout.paragraphs, layout.text)
        final = {id(c): w for c, w in zip(claimants, widened, strict=True)}
        for candidate in sourced:
            cue, full, sourced = _label(article, final.get(id(candidate), candidate))
            samples.append(Sample(candidate.features, index, cue, full, sourced))
    return samples, gold


def best_cut(probabilities: numpy.ndarray, labels: numpy.ndarray, gold: int) -> tuple[float, float]:
    """The cut maximising the verb cues' full attribution F1, and that F1."""
    best = (0.5, -1.0)
    for cut in CUT_GRID:
        kept = probabilities >= cut
        f1 = 2 * float(labels[kept].sum()) / (int(kept.sum()) + gold)
        if f1 > best[1]:
            best = (cut, f1)
    return best


def fit(matrix: object, labels: numpy.ndarray, c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=5000).fit(matrix, labels)


def train(
    samples: list[Sample], gold: int, label: str, note: str
) -> tuple[float, float, dict[str, object]]:
    """Choose C and the cut by cross-validation, fit on every sample; the chosen C, the cut
    and the JSON payload of the model (``note`` says what was trained on)."""
    labels = numpy.array([getattr(s, label) for s in samples])
    right = numpy.array([s.full for s in samples])
    groups = numpy.array([s.article for s in samples])
    counts = Counter(f for s in samples for f in s.features)
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(
        [{f: 1 for f in s.features if counts[f] >= MIN_COUNT} for s in samples]
    )
    folds = list(GroupKFold(n_splits=FOLDS).split(matrix, labels, groups))
    best: tuple[float, float, float] = (1.0, 0.5, -1.0)
    for c in C_GRID:
        out_of_fold = numpy.zeros(len(samples))
        for train_rows, test_rows in folds:
            model = fit(matrix[train_rows], labels[train_rows], c)
            out_of_fold[test_rows] = model.predict_proba(matrix[test_rows])[:, 1]
        cut, f1 = best_cut(out_of_fold, right, gold)
        kept = out_of_fold >= cut
        print(
            f"  C {c:<5} cross-validated: best cut {cut:.3f}: {int(kept.sum())} kept, "
            f"{int(right[kept].sum())} right, verb-cue full F1 {f1:.4f}"
        )
        if f1 > best[2]:
            best = (c, cut, f1)
    c, cut, _ = best
    model = fit(matrix, labels, c)
    # shift the bias so that the chosen cut is probability 0.5 (the extractor's threshold)
    bias = float(model.intercept_[0]) - math.log(cut / (1 - cut))
    names = vectorizer.get_feature_names_out()
    weights = {
        str(name): round(float(w), 4)
        for name, w in sorted(zip(names, model.coef_[0], strict=True))
        if abs(w) >= 1e-3
    }
    payload: dict[str, object] = {
        "source": (
            "Logistic regression over cue_features() of the candidate verbs with a source in "
            f"PolNeAR v1.0.0 train ({note}; {len(samples)} candidates, {int(labels.sum())} "
            f"labelled 1, label {label}; one annotator per article). C {c} and the cut {cut} "
            f"(the bias shifted so that it is probability 0.5) chosen by {FOLDS}-fold "
            "cross-validation over articles. Regenerate with bench/train_cue_model.py."
        ),
        "bias": round(bias, 4),
        "weights": weights,
    }
    return c, cut, payload


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--exclude", type=Path, action="append", default=[])
    parser.add_argument("--label", choices=("full", "sourced", "cue"), default="full")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    logging.getLogger("stancewire.nlp").setLevel(logging.CRITICAL)
    excluded = {
        line.strip()
        for path in args.exclude
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    }
    articles = [a for a in load_split(args.shared, "train") if a.name not in excluded]
    samples, gold = collect(articles)
    print(
        f"{len(articles)} articles ({len(excluded)} excluded), {gold} gold attributions; "
        f"{len(samples)} candidate verbs with a source"
    )
    note = f"{len(articles)} articles, {len(excluded)} reserved for label sets left out"
    c, cut, payload = train(samples, gold, args.label, note)
    args.out.write_text(json.dumps(payload, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    weights = payload["weights"]
    assert isinstance(weights, dict)
    print(f"C {c}, cut {cut}: {len(weights)} weights -> {args.out}")


if __name__ == "__main__":
    main()
