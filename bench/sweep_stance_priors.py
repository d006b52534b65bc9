"""Cross-validate the stance model's fixed lexicon priors without refitting per setting.

The priors of ``bench/train_stance.py`` (on the lexicon's verdict "rule+"/"rule-" and on its
statement copy) are added to the fitted weights after the fit, so one fit per fold serves
every setting: this script fits the five folds over PolNeAR articles and the final model once,
then scores each setting on the cross-validated PolNeAR gold pairs (all of them and those not
in passing) and on NewsMTSC dev (real-world and multi-target), and writes each setting's model
(``--out DIR/N/``) so the seed
gold and the unit tests can be run against it. The eval and blind sets are never read.

    .venv/bin/python bench/sweep_stance_priors.py --out /tmp/sweep \\
        --settings 4.25/3.5,4.25/2

A setting is ``rule/statement[/offset[/positive/composed]]`` (``--rule-prior``,
``--statement-prior``, ``--positive-offset``, ``--statement-positive-prior``,
``--composed-prior``; the last two default to the shipped ones). The pairs are those
``make train-stance`` trains on (all three training files; ``--old-pairs``: the first two).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from eval_newsmtsc import report
from polnear import DEFAULT_SHARED
from stance_gold import FOLDS, fold_of
from stance_vector_table import load_vectors, save_table
from stancewire.nlp.stance_model import StanceModel, save_model
from train_stance import (
    ADAPT,
    ADAPT_SCALE,
    COMPOSED_PRIOR,
    DEFAULT_DATA,
    POLNEAR_WEIGHT,
    STATEMENT_POSITIVE_PRIOR,
    C,
    Example,
    Fitted,
    Trainer,
    newsmtsc_examples,
    parse_texts,
    polnear_examples,
    read_split,
)

Setting = tuple[float, float, float, float, float]


def fit_plain(trainer: Trainer, examples: list[Example], weights: list[float]) -> Fitted:
    """A fit with every prior 0 (:func:`with_priors` adds a setting's afterwards)."""
    trainer.prior = trainer.statement_prior = trainer.positive_offset = 0.0
    trainer.statement_positive_prior = trainer.composed_prior = 0.0
    return trainer.fit(examples, weights)


def with_priors(trainer: Trainer, fitted: Fitted, setting: Setting) -> Fitted:
    """The fitted model (fitted with every prior 0) with the setting's priors added."""
    trainer.prior, trainer.statement_prior, trainer.positive_offset = setting[:3]
    trainer.statement_positive_prior, trainer.composed_prior = setting[3:]
    weights = dict(fitted.model.weights)
    trainer.add_priors(weights)
    model = StanceModel(
        weights=weights,
        bias=fitted.model.bias,
        domain_scale=fitted.model.domain_scale,
        domain_bias=fitted.model.domain_bias,
    )
    return Fitted(model, fitted.vector_weights)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--settings", required=True, help="rule/statement[/offset],...")
    parser.add_argument("--old-pairs", action="store_true", help="the first two files' pairs")
    parser.add_argument("--polnear-weight", type=float, default=POLNEAR_WEIGHT)
    parser.add_argument("--out", type=Path, required=True, help="a folder outside the repo")
    args = parser.parse_args(argv)
    settings: list[Setting] = []
    for raw in args.settings.split(","):
        values = [float(x) for x in raw.split("/")]
        defaults = [0.0, STATEMENT_POSITIVE_PRIOR, COMPOSED_PRIOR]
        values += defaults[len(values) - 2 :]
        settings.append((values[0], values[1], values[2], values[3], values[4]))
    started = time.process_time()
    splits: dict[str, list[Example]] = {}
    for name in ("train", "dev_rw", "dev_mt"):
        rows = read_split(args.data / f"{name}.jsonl")
        splits[name] = newsmtsc_examples(
            rows, parse_texts(name, [r["sentence_normalized"] for r in rows])
        )
    shared = args.shared if (args.shared / "polnear").exists() else Path("/work/shared")
    polnear = [e for e in polnear_examples(shared) if not (args.old_pairs and e.new)]
    vectors = load_vectors()
    trainer = Trainer(vectors, C, 0.0, ADAPT, ADAPT_SCALE)
    train, weight = splits["train"], args.polnear_weight
    predicted: list[dict[int, str]] = [{} for _ in settings]
    for fold in range(FOLDS):
        inner = [e for e in polnear if fold_of(e.unit) != fold]
        outer = [k for k, e in enumerate(polnear) if fold_of(e.unit) == fold]
        fitted = fit_plain(trainer, train + inner, [1.0] * len(train) + [weight] * len(inner))
        for n, setting in enumerate(settings):
            labels = trainer.predict(
                with_priors(trainer, fitted, setting), [polnear[k] for k in outer]
            )
            predicted[n].update(zip(outer, labels, strict=True))
        print(f"fold {fold} done, {time.process_time() - started:.0f} CPU-s", flush=True)
    final = fit_plain(trainer, train + polnear, [1.0] * len(train) + [weight] * len(polnear))
    gold = [e.label for e in polnear]
    kept = [k for k, e in enumerate(polnear) if not e.passing]
    for n, setting in enumerate(settings):
        print(f"setting {n}: rule/statement priors, positive offset, positive/composed {setting}")
        report("  PolNeAR CV all pairs", gold, [predicted[n][k] for k in range(len(polnear))])
        report(
            "  PolNeAR CV not in passing", [gold[k] for k in kept], [predicted[n][k] for k in kept]
        )
        model = with_priors(trainer, final, setting)
        for name in ("dev_rw", "dev_mt"):
            dev = splits[name]
            report(f"  {name}", [e.label for e in dev], trainer.predict(model, dev))
        folder = args.out / str(n)
        folder.mkdir(parents=True, exist_ok=True)
        save_model(
            folder / "stance_model.json",
            dict(model.model.weights),
            model.model.bias,
            {"sweep": list(setting)},
            {"scale": ADAPT_SCALE, "bias": True},
        )
        if n == 0:
            save_table(folder, vectors, trainer.table(vectors, final.vector_weights))
        else:
            for table in (args.out / "0").glob("stance_vector*"):
                shutil.copy(table, folder / table.name)
    print(f"total {time.process_time() - started:.0f} CPU-s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
