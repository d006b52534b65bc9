"""OrderedWindow: works run at once, finishes come out in submission order per lane."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from stancewire.stream.ordering import OrderedWindow


class Works:
    """Works that complete when the test releases them, in whatever order it chooses."""

    def __init__(self) -> None:
        self.release: dict[str, asyncio.Event] = {}
        self.started: list[str] = []
        self.finished: list[str] = []

    async def work(self, name: str) -> str:
        self.started.append(name)
        event = self.release.setdefault(name, asyncio.Event())
        await event.wait()
        return name

    def done(self, name: str) -> None:
        self.release.setdefault(name, asyncio.Event()).set()

    async def finish(self, result: str) -> None:
        self.finished.append(result)


async def no_failure(exc: BaseException) -> None:
    raise AssertionError(f"unexpected failure {exc!r}")


async def settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0)


def run(test: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(asyncio.wait_for(test(), 5))


def test_out_of_order_completion_is_finished_in_submission_order() -> None:
    async def scenario() -> None:
        works, window = Works(), OrderedWindow[str](8, no_failure)
        for name in ("a", "b", "c"):
            await window.submit("p0", works.work(name), works.finish)
        await settle()
        assert works.started == ["a", "b", "c"]  # all three at once
        works.done("c")
        works.done("b")
        await settle()
        assert works.finished == []  # "a" is not done: nothing may overtake it
        works.done("a")
        await window.join()
        assert works.finished == ["a", "b", "c"]

    run(scenario)


def test_lanes_do_not_wait_for_each_other() -> None:
    async def scenario() -> None:
        works, window = Works(), OrderedWindow[str](8, no_failure)
        await window.submit("p0", works.work("slow"), works.finish)
        await window.submit("p1", works.work("fast"), works.finish)
        works.done("fast")
        await settle()
        assert works.finished == ["fast"]
        works.done("slow")
        await window.join()
        assert works.finished == ["fast", "slow"]

    run(scenario)


def test_submit_waits_for_room_until_the_oldest_record_is_finished() -> None:
    async def scenario() -> None:
        works, window = Works(), OrderedWindow[str](2, no_failure)
        await window.submit("p0", works.work("a"), works.finish)
        await window.submit("p0", works.work("b"), works.finish)
        third = asyncio.create_task(window.submit("p0", works.work("c"), works.finish))
        works.done("b")
        await settle()
        assert not third.done()  # "b" is done but waits for "a": the window is still full
        assert window.in_flight == 2
        works.done("a")
        await third
        works.done("c")
        await window.join()
        assert works.finished == ["a", "b", "c"]

    run(scenario)


def test_a_failing_work_is_reported_and_nothing_after_it_in_its_lane_is_finished() -> None:
    async def scenario() -> None:
        works, failures = Works(), []

        async def record_failure(exc: BaseException) -> None:
            failures.append(exc)

        async def broken() -> str:
            raise RuntimeError("bug")

        window = OrderedWindow[str](8, record_failure)
        await window.submit("p0", works.work("a"), works.finish)
        await window.submit("p0", broken(), works.finish)
        await window.submit("p0", works.work("c"), works.finish)
        works.done("a")
        works.done("c")
        await window.join()
        assert works.finished == ["a"]
        assert [str(exc) for exc in failures] == ["bug"]

    run(scenario)


def test_close_cancels_records_in_flight_without_finishing_them() -> None:
    async def scenario() -> None:
        works, window = Works(), OrderedWindow[str](8, no_failure)
        await window.submit("p0", works.work("a"), works.finish)
        await window.submit("p0", works.work("b"), works.finish)
        works.done("b")
        await settle()
        await window.close()
        assert works.finished == []
        assert window.in_flight == 0

    run(scenario)


def test_a_window_needs_room() -> None:
    with pytest.raises(ValueError):
        OrderedWindow[str](0, no_failure)
