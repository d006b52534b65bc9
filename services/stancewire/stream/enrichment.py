"""Runs the CPU-bound NLP core off the event loop, in one child process with a timeout.

The worker's event loop must keep heartbeating to Kafka and answering ``/metrics`` while an
article is parsed, so enrichment happens in a single-process ``ProcessPoolExecutor`` whose
initializer loads the language model once. The child is started with ``spawn`` (forking a
process that runs an event loop and threads is unsafe). When one article takes longer than the
timeout, the child is killed and a fresh one started: a runaway article costs one dead letter,
not the worker.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from stancewire.events import Statement

log = logging.getLogger(__name__)

# Model load plus first call in a fresh child (spaCy start-up) may take a while on a busy box.
WARM_UP_TIMEOUT_SECONDS = 300.0
# A reported statement with entities: the first real parse initialises every component lazily
# (an empty body would skip them and leave that cost to the first article's timeout).
WARM_UP_TEXT = (
    "The Canadian foreign minister said on Monday that talks with Germany on trade would resume."
)


class EnrichmentTimeout(Exception):
    """Enriching one article took longer than the configured bound."""


def _load_model() -> None:
    """Child initializer: load the model once per child process."""
    from stancewire.nlp import default_enricher

    default_enricher()


def _enrich_in_child(body: str) -> tuple[str, list[Statement]]:
    from stancewire.nlp import default_enricher

    enricher = default_enricher()
    return enricher.version, enricher.enrich(body)


class EnrichmentPool:
    """One child process holding the model; :meth:`enrich` awaits it with a timeout."""

    def __init__(self, timeout_seconds: float) -> None:
        self.timeout_seconds = timeout_seconds
        self._executor: ProcessPoolExecutor | None = None
        self.enricher_version = "unknown"

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_load_model,
        )

    async def start(self) -> None:
        """Start the child and load the model; the timeout per article excludes this."""
        if self._executor is not None:
            return
        executor = self._new_executor()
        loop = asyncio.get_running_loop()
        try:
            version, _ = await asyncio.wait_for(
                loop.run_in_executor(executor, _enrich_in_child, WARM_UP_TEXT),
                WARM_UP_TIMEOUT_SECONDS,
            )
        except BaseException:
            _kill(executor)
            raise
        self._executor = executor
        self.enricher_version = version

    async def enrich(self, body: str) -> tuple[str, list[Statement]]:
        """``(enricher version, statements)`` of ``body``; raises :class:`EnrichmentTimeout`."""
        # After a timeout or a crash, a fresh child loads the model before the clock starts.
        await self.start()
        assert self._executor is not None
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, _enrich_in_child, body)
        try:
            version, statements = await asyncio.wait_for(future, self.timeout_seconds)
        except TimeoutError:
            log.warning("enrichment exceeded %.1fs: restarting the child", self.timeout_seconds)
            self._kill_executor()
            raise EnrichmentTimeout(
                f"enrichment took longer than {self.timeout_seconds:g}s"
            ) from None
        except BrokenProcessPool:
            # The child died (killed, out of memory): start a fresh one for the next article.
            self._kill_executor()
            raise
        self.enricher_version = version
        return version, statements

    def _kill_executor(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            _kill(executor)

    def close(self) -> None:
        """Stop the child (waiting for a call in progress would block shutdown: kill it)."""
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


def _kill(executor: ProcessPoolExecutor) -> None:
    """ProcessPoolExecutor cannot cancel a running call: kill its (single) child process."""
    for process in _child_processes(executor):
        if process.is_alive():
            process.kill()
    executor.shutdown(wait=False, cancel_futures=True)


def _child_processes(executor: ProcessPoolExecutor) -> list[multiprocessing.process.BaseProcess]:
    """The executor's child processes (private attribute; None once it is shut down)."""
    processes = getattr(executor, "_processes", None) or {}
    return list(processes.values())


__all__ = ["EnrichmentPool", "EnrichmentTimeout"]
