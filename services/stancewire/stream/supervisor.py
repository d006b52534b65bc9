"""Keeps one child process running: restarts it with backoff when it exits unexpectedly.

The worker runs its dyad index as a child process (:mod:`stancewire.stream.dyad_child`) and
supervises it with :class:`Supervisor`, which knows nothing of what the child does: it is given
a ``spawn`` function and a clock, so the tests drive it with fakes and a hand-moved clock.

- :meth:`Supervisor.start` spawns the child; :meth:`Supervisor.tick` (called every second or
  so from the thread that spawned it) notices an exit, logs why (exit code or signal) and
  spawns a new child once the backoff delay has passed: 1 s after the first exit, doubled at
  each further exit up to a minute, back to 1 s once a child has run for a minute.
- :meth:`Supervisor.begin_stop` asks the child to stop (SIGTERM) and no child is started any
  more; :meth:`Supervisor.stop` waits for it, and kills it when it outlives the timeout.

A spawn that fails (an ``OSError``) counts as an exit: it is retried with the same backoff.
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)


class Child(Protocol):
    """What the supervisor needs of a child process (``subprocess.Popen`` has all of it)."""

    @property
    def pid(self) -> int: ...

    def poll(self) -> int | None:
        """The exit code once exited (negative: killed by that signal), else None."""

    def terminate(self) -> None:
        """Ask the child to stop (SIGTERM)."""

    def kill(self) -> None:
        """Stop the child now (SIGKILL)."""

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the exit; raises ``subprocess.TimeoutExpired`` after ``timeout``."""


@dataclass(frozen=True)
class Backoff:
    """Delays between a child's exit and its restart."""

    initial_seconds: float = 1.0
    max_seconds: float = 60.0
    # A child that ran this long was healthy: the next restart waits the initial delay again.
    stable_seconds: float = 60.0


def describe_exit(code: int) -> str:
    """``exited with code 1`` or ``killed by SIGKILL`` (subprocess's negative codes)."""
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with code {code}"


class Supervisor:
    """Runs the child ``spawn()`` returns, restarting it when it exits (see the module doc)."""

    def __init__(
        self,
        name: str,
        spawn: Callable[[], Child],
        *,
        clock: Callable[[], float] = time.monotonic,
        backoff: Backoff = Backoff(),
        on_restart: Callable[[str], None] = lambda _why: None,
    ) -> None:
        self.name = name
        self._spawn = spawn
        self._clock = clock
        self._backoff = backoff
        self._on_restart = on_restart
        self.child: Child | None = None
        self.restarts = 0
        self.stopping = False
        self._started_at = 0.0
        self._delay = backoff.initial_seconds
        self._restart_at: float | None = None
        self._why = ""

    def start(self) -> None:
        """Spawn the first child (a failure is retried by :meth:`tick`)."""
        self._try_spawn()

    def tick(self) -> None:
        """Notice an exit and schedule a restart; restart once the delay has passed."""
        if self.stopping:
            return
        now = self._clock()
        if self.child is not None:
            code = self.child.poll()
            if code is None:
                return
            self._exited(f"{self.name} (pid {self.child.pid}) {describe_exit(code)}")
            return
        if self._restart_at is not None and now >= self._restart_at:
            self.restarts += 1
            self._on_restart(self._why)
            log.info("restarting %s (restart %d)", self.name, self.restarts)
            self._try_spawn()

    def _try_spawn(self) -> None:
        self._restart_at = None
        try:
            self.child = self._spawn()
        except OSError as exc:
            self.child = None
            self._started_at = self._clock()
            self._exited(f"{self.name} could not be started: {exc!r}")
            return
        self._started_at = self._clock()
        log.info("%s started (pid %d)", self.name, self.child.pid)

    def _exited(self, why: str) -> None:
        self.child = None
        now = self._clock()
        if now - self._started_at >= self._backoff.stable_seconds:
            self._delay = self._backoff.initial_seconds
        self._restart_at = now + self._delay
        self._why = why
        log.error("%s; restarting it in %.0f s", why, self._delay)
        self._delay = min(self._delay * 2, self._backoff.max_seconds)

    def begin_stop(self) -> None:
        """No more restarts; SIGTERM to the child (idempotent)."""
        self.stopping = True
        child = self.child
        if child is not None and child.poll() is None:
            child.terminate()

    def stop(self, timeout: float) -> int | None:
        """Stop the child: SIGTERM, then SIGKILL after ``timeout``; its exit code (None when
        there was no child)."""
        self.begin_stop()
        child, self.child = self.child, None
        if child is None:
            return None
        try:
            return child.wait(timeout)
        except Exception:  # subprocess.TimeoutExpired, or an unexpected error of the wait
            log.warning("%s (pid %d) did not stop in %.0f s: killed", self.name, child.pid, timeout)
            child.kill()
            return child.wait(timeout)


__all__ = ["Backoff", "Child", "Supervisor", "describe_exit"]
