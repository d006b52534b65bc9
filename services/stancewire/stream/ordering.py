"""Works on several input records at once and finishes them in input order, lane by lane.

A worker enriches as many articles at a time as it has enrichment processes, but what it
publishes for one input partition must come out in the partition's order, and an offset may
only be committed once the record and every earlier one of its partition are published. Faust's
``agent(concurrency=N)`` gives up that order, so the agent keeps a single ``async for`` and
hands each record to an :class:`OrderedWindow`: the record's *work* (enrichment) starts at once,
its *finish* (publish, then ack) runs only after the finish of every earlier record of the same
lane (the input partition). Faust commits only acked offsets, so the commit follows the finish.

The window holds at most ``capacity`` records between submission and finish; :meth:`submit`
waits for room, which is how back-pressure reaches Faust's stream buffer. Nothing here knows
about Kafka: the lane is any hashable, work and finish are plain coroutines (the unit tests
hand in fakes).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Hashable
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)

R = TypeVar("R")


class OrderedWindow(Generic[R]):
    """Runs works concurrently, finishes them in submission order per lane.

    ``work`` and ``finish`` are expected not to raise (the caller turns failures into
    results, e.g. dead letters). Should one raise anyway, the record cannot be finished: the
    window stops finishing anything, since a later record of the lane must not overtake it,
    and reports the error to ``on_failure`` (the worker crashes and restarts from the
    committed offsets).
    """

    def __init__(
        self,
        capacity: int,
        on_failure: Callable[[BaseException], Awaitable[None]],
    ) -> None:
        if capacity < 1:
            raise ValueError("an ordered window needs room for one record at least")
        self.capacity = capacity
        self.on_failure = on_failure
        self._room = asyncio.Semaphore(capacity)
        self._tails: dict[Hashable, asyncio.Task[None]] = {}
        self._finishing: set[asyncio.Task[None]] = set()
        self._working: set[asyncio.Future[Any]] = set()
        self.failure: BaseException | None = None

    @property
    def in_flight(self) -> int:
        """Records submitted and not finished yet."""
        return len(self._finishing)

    async def submit(
        self,
        lane: Hashable,
        work: Coroutine[Any, Any, R],
        finish: Callable[[R], Awaitable[None]],
    ) -> None:
        """Start ``work`` now (after waiting for room) and ``finish(result)`` once every
        record submitted earlier on ``lane`` is finished."""
        try:
            await self._room.acquire()
        except asyncio.CancelledError:
            work.close()  # never started: no "never awaited" warning at shutdown
            raise
        working = asyncio.ensure_future(work)
        self._working.add(working)
        working.add_done_callback(self._working.discard)
        previous = self._tails.get(lane)
        task = asyncio.create_task(self._finish_in_order(previous, working, finish))
        self._tails[lane] = task
        self._finishing.add(task)
        task.add_done_callback(lambda done: self._forget(lane, done))

    async def _finish_in_order(
        self,
        previous: asyncio.Task[None] | None,
        working: asyncio.Future[R],
        finish: Callable[[R], Awaitable[None]],
    ) -> None:
        try:
            result = await working
            if previous is not None:
                # Only its being over matters here; its own failure is reported by itself.
                await asyncio.wait([previous])
            if self.failure is None:
                await finish(result)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            await self._fail(exc)
        finally:
            self._room.release()

    async def _fail(self, exc: BaseException) -> None:
        if self.failure is not None:
            return
        self.failure = exc
        log.error("a record could not be finished; nothing after it is: %r", exc)
        await self.on_failure(exc)

    def _forget(self, lane: Hashable, task: asyncio.Task[None]) -> None:
        self._finishing.discard(task)
        if self._tails.get(lane) is task:
            del self._tails[lane]

    async def join(self) -> None:
        """Wait until every submitted record is finished."""
        while self._finishing:
            await asyncio.wait(list(self._finishing))

    async def close(self) -> None:
        """Cancel what is in flight (unfinished records stay unacked: redelivered later)."""
        pending = [*self._working, *self._finishing]
        for future in pending:
            future.cancel()
        await asyncio.gather(*pending, return_exceptions=True)


__all__ = ["OrderedWindow"]
