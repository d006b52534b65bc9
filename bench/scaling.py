"""How the CPU cost of ``enrich`` grows with article length (``make scaling``).

Builds articles of 10k, 50k, 100k, 200k, 400k characters and 1 MiB from the bundled
``samples/*.json`` bodies: their paragraphs, shuffled differently for every copy (seeded, so runs
are comparable) and joined with blank lines, the last paragraph cut to the exact size. For each
size it prints the CPU seconds (``time.process_time``) of one ``enrich`` call, the statements
found and the CPU seconds per 100k characters: a roughly constant column is what "roughly
linear" means. The stance and topics columns are the CPU seconds spent inside ``find_targets`` and
``assign_topics`` (timed by wrapping the two functions the enricher calls). The largest figure is
compared with ``STANCEWIRE_ENRICH_TIMEOUT_SECONDS``. Peak RSS is the process's high-water mark
so far, so a size's figure is meaningful only when it exceeds the smaller sizes' figures.

    .venv/bin/python bench/scaling.py [--sizes 10000,50000] [--repeat 1] [--profile SIZE]

``--profile SIZE`` also runs cProfile on the article of that size and prints the functions with
the most cumulative time, to find where a superlinear cost sits.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import logging
import pstats
import random
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec, TypeVar

import stancewire.nlp.enricher
from stancewire.nlp import Enricher
from stancewire.settings import get_settings

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SIZES = (10_000, 50_000, 100_000, 200_000, 400_000, 1_048_576)

P = ParamSpec("P")
R = TypeVar("R")


class StepTimer:
    """CPU seconds spent in wrapped functions, by name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, name: str, function: Callable[P, R]) -> Callable[P, R]:
        def timed(*args: P.args, **kwargs: P.kwargs) -> R:
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.process_time() - start
                self.seconds[name] = self.seconds.get(name, 0.0) + elapsed

        return timed


@contextmanager
def timed_steps() -> Iterator[StepTimer]:
    """Time ``find_targets`` and ``assign_topics`` as the enricher calls them."""
    timer = StepTimer()
    # the names the enricher looks up in its own module, not re-exported by it
    steps = {"stance": "find_targets", "topics": "assign_topics"}
    saved = {name: getattr(stancewire.nlp.enricher, name) for name in steps.values()}
    for step, name in steps.items():
        setattr(stancewire.nlp.enricher, name, timer.wrap(step, saved[name]))
    try:
        yield timer
    finally:
        for name, function in saved.items():
            setattr(stancewire.nlp.enricher, name, function)


def sample_paragraphs(folder: Path = SAMPLES) -> list[list[str]]:
    """The non-empty paragraphs of each bundled sample body, one list per article."""
    articles: list[list[str]] = []
    for path in sorted(folder.glob("*.json")):
        body = json.loads(path.read_text("utf-8")).get("body") or ""
        paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
        if paragraphs:
            articles.append(paragraphs)
    if not articles:
        raise SystemExit(f"no sample bodies in {folder}")
    return articles


def build_article(articles: list[list[str]], size: int, seed: int = 0) -> str:
    """An article of exactly ``size`` characters: copies of the samples' paragraphs, each copy
    in its own shuffled order (articles shuffled, paragraphs kept within their article, so a
    pronoun still follows the name it refers to)."""
    rng = random.Random(seed)
    parts: list[str] = []
    length = 0
    while length < size:
        order = articles[:]
        rng.shuffle(order)
        for paragraphs in order:
            for paragraph in paragraphs:
                parts.append(paragraph)
                length += len(paragraph) + 2
                if length >= size:
                    break
            if length >= size:
                break
    return "\n\n".join(parts)[:size]


def measure(enricher: Enricher, body: str, repeat: int) -> tuple[float, int, dict[str, float]]:
    """CPU seconds of the fastest of ``repeat`` runs of ``enrich`` on ``body``, the statements
    found and that run's seconds in stance and topics."""
    best: tuple[float, int, dict[str, float]] = (float("inf"), 0, {})
    for _ in range(repeat):
        with timed_steps() as timer:
            start = time.process_time()
            statements = len(enricher.enrich(body))
            seconds = time.process_time() - start
        if seconds < best[0]:
            best = (seconds, statements, dict(timer.seconds))
    return best


def peak_rss_mib() -> float:
    """The most resident memory this process has used so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def profile(enricher: Enricher, body: str, top: int = 25) -> None:
    """Print the functions with the most cumulative time while enriching ``body``."""
    profiler = cProfile.Profile()
    profiler.enable()
    enricher.enrich(body)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; the least counts")
    parser.add_argument("--profile", type=int, default=None, metavar="SIZE")
    args = parser.parse_args()
    logging.getLogger("stancewire.nlp").setLevel(logging.CRITICAL)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    articles = sample_paragraphs()

    enricher = Enricher()
    enricher.enrich(build_article(articles, 5_000))  # load the model and warm the caches
    timeout = get_settings().enrich_timeout_seconds
    print(
        f"{'chars':>9}  {'statements':>10}  {'CPU-s':>7}  {'CPU-s/100k chars':>16}"
        f"  {'stance CPU-s':>12}  {'topics CPU-s':>12}  {'peak RSS MiB':>12}"
    )
    worst = 0.0
    for size in sizes:
        seconds, statements, steps = measure(enricher, build_article(articles, size), args.repeat)
        worst = max(worst, seconds)
        print(
            f"{size:>9}  {statements:>10}  {seconds:7.2f}  {seconds / size * 100_000:16.2f}"
            f"  {steps.get('stance', 0.0):12.2f}  {steps.get('topics', 0.0):12.2f}"
            f"  {peak_rss_mib():12.0f}"
        )
    print(f"slowest: {worst:.2f} CPU-s; enrich timeout {timeout:.0f} s")
    if args.profile is not None:
        profile(enricher, build_article(articles, args.profile))


if __name__ == "__main__":
    main()
