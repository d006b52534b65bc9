"""Runs the CPU-bound NLP core off the event loop, in a pool of child processes with a timeout.

The worker's event loop must keep heartbeating to Kafka and answering ``/metrics`` while
articles are parsed, so enrichment happens in child processes, each of which loads the
language model once. Each child is a single-process ``ProcessPoolExecutor`` of its own: an
executor with several processes cannot stop one call (killing one of its processes breaks the
whole executor and every call in it), while one executor per child lets a runaway article cost
exactly its own child. Children are started with ``spawn`` (forking a process that runs an
event loop and threads is unsafe).

An article waits for an idle child, and its timeout starts only when a child takes it. When it
takes longer, that child is killed and the article's caller gets :class:`EnrichmentTimeout`
(a dead letter); the other children are untouched, and a fresh child loads the model before the
clock of the next article it takes starts.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from stancewire.events import Statement

log = logging.getLogger(__name__)

# Model load plus first call in a fresh child (spaCy start-up) may take a while on a busy box.
WARM_UP_TIMEOUT_SECONDS = 300.0
# A reported statement with entities: the first real parse initialises every component lazily
# (an empty body would skip them and leave that cost to the first article's timeout).
WARM_UP_TEXT = (
    "The Canadian foreign minister said on Monday that talks with Germany on trade would resume."
)


# How often a child checks that its worker is still alive.
PARENT_CHECK_SECONDS = 1.0


class EnrichmentTimeout(Exception):
    """Enriching one article took longer than the configured bound."""


@dataclass(frozen=True)
class Enrichment:
    """What a child made of one article body."""

    enricher_version: str
    statements: list[Statement]
    seconds: float  # from the moment a child took the article (waiting for one excluded)


def _start_child(load: Callable[[], None]) -> None:
    """Child initializer: exit with the worker, then load the model (once per child)."""
    _exit_with_parent()
    load()


def _exit_with_parent() -> None:
    """A child must not outlive its worker: after the worker is SIGKILLed (or OOM-killed) an
    executor's child would idle forever, holding the model's memory (it holds both ends of
    its own task queue, so it never sees end-of-file)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-worker", daemon=True).start()


def _load_model() -> None:
    """Load the model (in a child process)."""
    from stancewire.nlp import default_enricher

    default_enricher()


def _enrich_in_child(body: str) -> tuple[str, list[Statement]]:
    from stancewire.nlp import default_enricher

    enricher = default_enricher()
    return enricher.version, enricher.enrich(body)


ChildFunction = Callable[[str], tuple[str, list[Statement]]]


class _Child:
    """One child process holding the model (started on demand, replaced after a timeout)."""

    def __init__(self, load: Callable[[], None], enrich_body: ChildFunction) -> None:
        self._load = load
        self._enrich_body = enrich_body
        self._executor: ProcessPoolExecutor | None = None

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in _child_processes(self._executor) if p.pid is not None]

    async def start(self) -> str:
        """Start the process and load the model (no-op when running); the enricher version."""
        if self._executor is not None:
            return ""
        executor = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_child,
            initargs=(self._load,),
        )
        loop = asyncio.get_running_loop()
        try:
            version, _ = await asyncio.wait_for(
                loop.run_in_executor(executor, self._enrich_body, WARM_UP_TEXT),
                WARM_UP_TIMEOUT_SECONDS,
            )
        except BaseException:
            _kill(executor)
            raise
        self._executor = executor
        return version

    async def enrich(self, body: str, timeout_seconds: float) -> tuple[str, list[Statement]]:
        assert self._executor is not None, "start() first"
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, self._enrich_body, body)
        try:
            return await asyncio.wait_for(future, timeout_seconds)
        except TimeoutError:
            log.warning("enrichment exceeded %.1fs: replacing its child", timeout_seconds)
            self.kill()
            raise EnrichmentTimeout(f"enrichment took longer than {timeout_seconds:g}s") from None
        except BrokenProcessPool:
            # The child died (killed, out of memory): a fresh one for its next article.
            self.kill()
            raise
        except asyncio.CancelledError:
            # Shutdown or a revoked stream: the call cannot be cancelled in the child.
            self.kill()
            raise

    def kill(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            _kill(executor)

    def close(self) -> None:
        """Stop the process (waiting for a call in progress would block shutdown: kill it)."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        processes = _child_processes(executor)
        executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join(timeout=5)


class EnrichmentPool:
    """``processes`` children holding the model; :meth:`enrich` runs one article in an idle
    child with a timeout. As many articles as children are enriched at once.

    ``load`` (run once in each child) and ``enrich_body`` (body -> enricher version and
    statements, run in a child) are the NLP core's; tests hand in light stand-ins (both must
    be importable top-level functions: children are spawned).
    """

    def __init__(
        self,
        timeout_seconds: float,
        processes: int = 1,
        *,
        load: Callable[[], None] = _load_model,
        enrich_body: ChildFunction = _enrich_in_child,
    ) -> None:
        if processes < 1:
            raise ValueError("an enrichment pool needs at least one process")
        self.timeout_seconds = timeout_seconds
        self.processes = processes
        self.enricher_version = "unknown"
        self._children = [_Child(load, enrich_body) for _ in range(processes)]
        # Idle children, longest idle first, so a replaced child is taken last; the semaphore
        # counts them. It is created in the loop that enriches (``start`` runs in a loop of its
        # own, before Faust's), since an asyncio primitive binds to the first loop it waits in.
        self._idle: collections.deque[_Child] = collections.deque(self._children)
        self._idle_count: asyncio.Semaphore | None = None

    @property
    def child_pids(self) -> list[int]:
        """Process ids of the running children (for measuring their memory)."""
        return [pid for child in self._children for pid in child.pids]

    async def start(self) -> None:
        """Start every child and load the model (in parallel); the timeouts exclude this."""
        versions = await asyncio.gather(*(child.start() for child in self._children))
        self.enricher_version = next((v for v in versions if v), self.enricher_version)
        log.info("enrichment: %d processes ready (pids %s)", self.processes, self.child_pids)

    async def enrich(self, body: str) -> Enrichment:
        """Enrich ``body`` in the next idle child; raises :class:`EnrichmentTimeout`."""
        child = await self._take_idle()
        try:
            # After a timeout or a crash, a fresh child loads the model before the clock starts.
            await child.start()
            started = time.perf_counter()
            version, statements = await child.enrich(body, self.timeout_seconds)
        finally:
            self._put_idle(child)
        self.enricher_version = version
        return Enrichment(version, statements, time.perf_counter() - started)

    async def _take_idle(self) -> _Child:
        if self._idle_count is None:
            self._idle_count = asyncio.Semaphore(len(self._idle))
        await self._idle_count.acquire()
        return self._idle.popleft()

    def _put_idle(self, child: _Child) -> None:
        assert self._idle_count is not None
        self._idle.append(child)
        self._idle_count.release()

    def close(self) -> None:
        """Stop every child."""
        for child in self._children:
            child.close()


def _kill(executor: ProcessPoolExecutor) -> None:
    """ProcessPoolExecutor cannot cancel a running call: kill its (single) child process."""
    for process in _child_processes(executor):
        if process.is_alive():
            process.kill()
    executor.shutdown(wait=False, cancel_futures=True)


def _child_processes(
    executor: ProcessPoolExecutor | None,
) -> list[multiprocessing.process.BaseProcess]:
    """The executor's child processes (private attribute; None once it is shut down)."""
    processes = getattr(executor, "_processes", None) or {}
    return list(processes.values())


__all__ = ["Enrichment", "EnrichmentPool", "EnrichmentTimeout"]
