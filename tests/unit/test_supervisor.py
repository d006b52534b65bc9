"""The child supervisor: restart with backoff after an unexpected exit, none while stopping."""

from __future__ import annotations

import logging
import subprocess
from dataclasses import dataclass, field

import pytest

from stancewire.stream.supervisor import Backoff, Supervisor, describe_exit


@dataclass
class FakeChild:
    pid: int
    code: int | None = None
    signals: list[str] = field(default_factory=list)
    exits_on_terminate: bool = True

    def poll(self) -> int | None:
        return self.code

    def terminate(self) -> None:
        self.signals.append("TERM")
        if self.exits_on_terminate:
            self.code = 0

    def kill(self) -> None:
        self.signals.append("KILL")
        self.code = -9

    def wait(self, timeout: float | None = None) -> int:
        if self.code is None:
            raise subprocess.TimeoutExpired("child", timeout or 0)
        return self.code


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Spawner:
    children: list[FakeChild] = field(default_factory=list)
    failures: int = 0  # the next spawns that raise OSError

    def __call__(self) -> FakeChild:
        if self.failures:
            self.failures -= 1
            raise OSError("no such file")
        child = FakeChild(pid=100 + len(self.children))
        self.children.append(child)
        return child


def supervisor() -> tuple[Supervisor, Spawner, Clock, list[str]]:
    spawner, clock, reasons = Spawner(), Clock(), []
    sup = Supervisor(
        "dyad index process",
        spawner,
        clock=clock,
        backoff=Backoff(initial_seconds=1, max_seconds=8, stable_seconds=60),
        on_restart=reasons.append,
    )
    return sup, spawner, clock, reasons


def test_an_exited_child_is_restarted_after_a_delay_that_doubles_up_to_the_maximum() -> None:
    sup, spawner, clock, reasons = supervisor()
    sup.start()
    delays = []
    for _ in range(6):
        spawner.children[-1].code = 1
        sup.tick()  # notices the exit
        exited_at, before = clock.now, len(spawner.children)
        while len(spawner.children) == before:
            clock.now += 0.25
            sup.tick()
        delays.append(clock.now - exited_at)
    assert delays == [1, 2, 4, 8, 8, 8]
    assert sup.restarts == 6 == len(reasons)
    assert reasons[0] == "dyad index process (pid 100) exited with code 1"


def test_a_child_that_ran_for_the_stable_time_is_restarted_after_the_initial_delay() -> None:
    sup, spawner, clock, _ = supervisor()
    sup.start()
    for _ in range(3):  # delays 1, 2, 4 used: the next would be 8
        spawner.children[-1].code = 1
        sup.tick()
        clock.now += 10
        sup.tick()
    clock.now += 60  # the fourth child ran a minute
    spawner.children[-1].code = -9
    sup.tick()
    clock.now += 1
    sup.tick()
    assert len(spawner.children) == 5


def test_the_reason_of_the_exit_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    sup, spawner, clock, reasons = supervisor()
    sup.start()
    spawner.children[0].code = -9
    with caplog.at_level(logging.ERROR):
        sup.tick()
    assert "dyad index process (pid 100) killed by SIGKILL; restarting it in 1 s" in caplog.text
    assert sup.child is None
    clock.now += 1
    sup.tick()
    assert reasons == ["dyad index process (pid 100) killed by SIGKILL"]
    assert sup.child is spawner.children[1]


def test_a_failed_spawn_is_retried_with_backoff() -> None:
    sup, spawner, clock, _ = supervisor()
    spawner.failures = 2
    sup.start()
    assert sup.child is None and not spawner.children
    clock.now += 1
    sup.tick()  # second failure: next try after 2 s
    clock.now += 1.5
    sup.tick()
    assert not spawner.children
    clock.now += 0.5
    sup.tick()
    assert sup.child is spawner.children[0]
    assert sup.restarts == 2


def test_no_restart_once_stopping_and_stop_terminates_then_kills() -> None:
    sup, spawner, clock, _ = supervisor()
    sup.start()
    sup.begin_stop()
    assert spawner.children[0].signals == ["TERM"]
    clock.now += 100
    sup.tick()
    assert len(spawner.children) == 1
    assert sup.stop(timeout=1) == 0

    stubborn, spawner2, _, _ = supervisor()
    stubborn.start()
    spawner2.children[0].exits_on_terminate = False
    assert stubborn.stop(timeout=1) == -9
    assert spawner2.children[0].signals == ["TERM", "KILL"]
    assert stubborn.child is None
    assert stubborn.stop(timeout=1) is None  # nothing left to stop


def test_exit_descriptions() -> None:
    assert describe_exit(3) == "exited with code 3"
    assert describe_exit(-15) == "killed by SIGTERM"
    assert describe_exit(-200) == "killed by signal 200"
