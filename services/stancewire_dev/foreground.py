"""What ``make run`` needs to behave like a foreground program: stop signals and the terminal.

- :class:`StopSignals`: the first SIGINT, SIGTERM, SIGHUP or SIGQUIT raises
  :class:`StopRequested` in the main thread, wherever it is (starting the broker, polling
  Kafka), so the program unwinds into its clean-up; every later one is ignored, so the clean-up
  itself is never cut short (``timeout`` signals the whole process group and ``make`` passes
  SIGTERM on again: two arrive). :meth:`StopSignals.deferred` holds a signal back across a
  step that must not be interrupted half-way, such as starting a child process whose handle is
  needed to stop it.
- :func:`terminal_foreground`: while it runs, the program leads its own process group and owns
  the terminal's foreground, so Ctrl-C reaches it alone. Otherwise ``make`` receives the same
  SIGINT and, whatever its recipe then exits with, reports an interrupted target and dies of
  the signal itself.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from types import FrameType, TracebackType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


class StopRequested(BaseException):
    """A stop signal arrived. A BaseException, like KeyboardInterrupt, so that no library's
    ``except Exception`` swallows it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class StopSignals:
    """Turns the first stop signal into :class:`StopRequested`; see the module docstring."""

    def __init__(self) -> None:
        self.received: int | None = None
        self._shielded = False
        self._deferring = False
        self._previous: dict[int, object] = {}

    def __enter__(self) -> StopSignals:
        for signum in STOP_SIGNALS:
            self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.received is not None or self._shielded:
            return
        self.received = signum
        if not self._deferring:
            raise StopRequested(signum)

    def shield(self) -> None:
        """From now on no signal interrupts anything (the clean-up has begun)."""
        self._shielded = True

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        """Hold a stop signal back until the block is done, then raise it."""
        self._deferring = True
        try:
            yield
        finally:
            self._deferring = False
        if self.received is not None and not self._shielded:
            raise StopRequested(self.received)


@contextlib.contextmanager
def terminal_foreground() -> Iterator[None]:
    """Lead a new process group in the terminal's foreground while the block runs.

    Only when this process has a controlling terminal, is in its foreground and shares its
    process group with its parent (as a recipe of ``make`` does); otherwise (CI, a background
    job, already a group leader) it changes nothing. The foreground goes back to the original
    group at the end, so ``make`` finishes in the foreground. Ctrl-Z is ignored meanwhile: it
    would stop this group alone, and the shell, which waits for ``make``, would never notice.
    """
    try:
        tty = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        yield
        return
    try:
        original = os.getpgrp()
        if original == os.getpid() or os.tcgetpgrp(tty) != original:
            yield
            return
        suspend = signal.signal(signal.SIGTSTP, signal.SIG_IGN)
        os.setpgid(0, 0)
        _give_terminal(tty, os.getpgrp())
        try:
            yield
        finally:
            with contextlib.suppress(OSError):  # the original group may be gone
                _give_terminal(tty, original)
            signal.signal(signal.SIGTSTP, suspend)
    finally:
        os.close(tty)


def _give_terminal(tty: int, group: int) -> None:
    # A process outside the foreground group that changes it gets SIGTTOU (which would stop it).
    previous = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    try:
        os.tcsetpgrp(tty, group)
    finally:
        signal.signal(signal.SIGTTOU, previous)


__all__ = ["STOP_SIGNALS", "StopRequested", "StopSignals", "terminal_foreground"]
