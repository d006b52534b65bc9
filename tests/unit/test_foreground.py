"""Stop signals of `make run`: the first one unwinds, later ones never cut the clean-up short."""

from __future__ import annotations

import os
import signal
import time

import pytest

from stancewire_dev.foreground import StopRequested, StopSignals


def test_the_first_stop_signal_raises_and_later_ones_are_ignored() -> None:
    with StopSignals() as stop:
        with pytest.raises(StopRequested) as raised:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # interrupted by the handler at once
        assert raised.value.signum == signal.SIGTERM
        os.kill(os.getpid(), signal.SIGINT)  # during the clean-up: nothing happens
        os.kill(os.getpid(), signal.SIGHUP)
    assert stop.received == signal.SIGTERM


def test_a_deferred_signal_is_raised_when_the_step_is_done() -> None:
    steps: list[str] = []
    with StopSignals() as stop, pytest.raises(StopRequested):
        with stop.deferred():
            os.kill(os.getpid(), signal.SIGHUP)
            steps.append("child started")  # not interrupted half-way
        steps.append("after")  # never reached
    assert steps == ["child started"]


def test_a_shielded_clean_up_is_not_interrupted() -> None:
    with StopSignals() as stop:
        stop.shield()
        os.kill(os.getpid(), signal.SIGINT)
    assert stop.received is None


def test_previous_handlers_come_back() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with StopSignals():
        assert signal.getsignal(signal.SIGTERM) != before
    assert signal.getsignal(signal.SIGTERM) == before
