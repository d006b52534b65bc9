"""The worker's side of its dyad index process, and the child's tie to the worker.

``stancewire worker`` starts ``stancewire dyad-index`` (:mod:`stancewire.stream.dyad_app`) as a
child process (:func:`spawn_dyad_index`), supervised by :class:`~stancewire.stream.supervisor.
Supervisor`, and keeps answering for it on its own HTTP server:

- the child serves ``/metrics`` and ``/dyads`` on an ephemeral loopback port, which it writes
  to a pipe the worker reads (:meth:`DyadIndexProcess.port`);
- ``GET /dyads`` on the worker is proxied to the child (:class:`DyadsProxy`);
- the worker's ``/metrics`` includes the child's ``stancewire_dyad_*`` families, names and labels
  unchanged (:class:`ChildMetricsCollector`), plus ``stancewire_dyad_index_up``.

The child dies with the worker, SIGKILL included (:func:`exit_with_parent`): Linux's parent-death
signal (``prctl(PR_SET_PDEATHSIG, SIGKILL)``; the worker spawns from its main thread, since the
signal follows the thread that forked), and a thread that watches ``getppid()`` as a fallback.
The child runs in a session of its own, so a Ctrl-C in the worker's terminal reaches the worker
only, which stops the child in turn.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.parser import text_string_to_metric_families

from stancewire.metrics import DYAD_FAMILY_PREFIX, NAMESPACE

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
PARENT_CHECK_SECONDS = 1.0
FETCH_TIMEOUT_SECONDS = 2.0
# The worker's own dyad families (restarts, up): never taken from the child.
WORKER_FAMILY_PREFIX = f"{NAMESPACE}_dyad_index_"


# ----------------------------------------------------------------------------- in the child
def set_parent_death_signal(sig: int = signal.SIGKILL) -> bool:
    """Ask Linux to send ``sig`` to this process when its parent (thread) dies; False when
    the platform has no ``prctl`` (the watchdog thread still covers it)."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) != 0:
        log.warning("prctl(PR_SET_PDEATHSIG) failed: errno %d", ctypes.get_errno())
        return False
    return True


def exit_with_parent(parent_pid: int) -> None:
    """Die with the worker ``parent_pid``: the parent-death signal, then a check that the
    parent did not die before it was set, then a watchdog thread on ``getppid()``."""
    set_parent_death_signal()
    if os.getppid() != parent_pid:
        os._exit(1)  # orphaned already, before the signal was armed

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-worker", daemon=True).start()


# ----------------------------------------------------------------------------- in the worker
class DyadIndexProcess:
    """One ``stancewire dyad-index`` child process and the port it reported."""

    def __init__(self, process: subprocess.Popen[bytes], port_pipe: int) -> None:
        self.process = process
        self._pipe: int | None = port_pipe
        self._buffer = b""
        self._port: int | None = None
        self._lock = threading.Lock()
        os.set_blocking(port_pipe, False)

    @property
    def pid(self) -> int:
        return self.process.pid

    def poll(self) -> int | None:
        code = self.process.poll()
        if code is not None:
            self._close_pipe()
        return code

    def terminate(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.terminate()

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()

    def wait(self, timeout: float | None = None) -> int:
        code = self.process.wait(timeout)
        self._close_pipe()
        return code

    def port(self) -> int | None:
        """The child's HTTP port, once it reported it (read without blocking)."""
        with self._lock:
            if self._port is None and self._pipe is not None:
                try:
                    chunk = os.read(self._pipe, 64)
                except BlockingIOError:
                    chunk = None
                if chunk is not None:
                    self._buffer += chunk
                    if b"\n" in self._buffer:
                        self._port = int(self._buffer.split(b"\n", 1)[0])
                    if not chunk or self._port is not None:
                        self._close_pipe_locked()
            return self._port

    def _close_pipe(self) -> None:
        with self._lock:
            self._close_pipe_locked()

    def _close_pipe_locked(self) -> None:
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None


def dyad_index_command(parent_pid: int, report_fd: int) -> list[str]:
    """The child's command line (the same interpreter and package as the worker)."""
    return [
        sys.executable,
        "-m",
        "stancewire.cli",
        "dyad-index",
        "--parent-pid",
        str(parent_pid),
        "--report-fd",
        str(report_fd),
    ]


def spawn_dyad_index() -> DyadIndexProcess:
    """Start ``stancewire dyad-index`` as a child of this process (call from the main thread:
    the child's parent-death signal follows the thread that spawned it). Its output goes to
    the worker's; it reads the same settings from the same environment."""
    read_end, write_end = os.pipe()
    try:
        process = subprocess.Popen(
            dyad_index_command(os.getpid(), write_end),
            stdin=subprocess.DEVNULL,
            pass_fds=(write_end,),
            start_new_session=True,
        )
    except BaseException:
        os.close(read_end)
        raise
    finally:
        os.close(write_end)
    return DyadIndexProcess(process, read_end)


PortSource = Callable[[], int | None]


def _fetch(port: int, path: str, timeout: float) -> tuple[int, bytes]:
    url = f"http://127.0.0.1:{port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as exc:
        return int(exc.code), bytes(exc.read())


class ChildMetricsCollector:
    """A prometheus_client collector: the child's ``stancewire_dyad_*`` families, fetched at
    each scrape and yielded unchanged, and ``stancewire_dyad_index_up`` (1 when it answered).
    A child that does not answer (starting, restarting) contributes its ``up`` of 0 only."""

    def __init__(self, port: PortSource, timeout: float = FETCH_TIMEOUT_SECONDS) -> None:
        self._port = port
        self._timeout = timeout

    def describe(self) -> Iterable[Metric]:
        return []  # names vary with the child: no collision check at registration

    def collect(self) -> Iterable[Metric]:
        families = self._child_families()
        up = GaugeMetricFamily(
            f"{NAMESPACE}_dyad_index_up",
            "1 when the worker's dyad index process answers, else 0 (starting or restarting).",
            value=0 if families is None else 1,
        )
        return [up, *(families or [])]

    def _child_families(self) -> list[Metric] | None:
        port = self._port()
        if port is None:
            return None
        try:
            status, body = _fetch(port, "/metrics", self._timeout)
        except OSError:
            return None
        if status != 200:
            return None
        return [
            family
            for family in text_string_to_metric_families(body.decode("utf-8"))
            if family.name.startswith(DYAD_FAMILY_PREFIX)
            and not family.name.startswith(WORKER_FAMILY_PREFIX)
        ]


class DyadsProxy:
    """``GET /dyads`` of the worker, answered by its dyad index process."""

    def __init__(self, port: PortSource, timeout: float = 5.0) -> None:
        self._port = port
        self._timeout = timeout

    def __call__(self, params: Mapping[str, list[str]]) -> tuple[int, bytes]:
        port = self._port()
        unavailable = (
            503,
            b'{"error": "the dyad index is not answering yet (starting or restarting)"}',
        )
        if port is None:
            return unavailable
        query = urlencode({name: values for name, values in params.items()}, doseq=True)
        try:
            return _fetch(port, f"/dyads?{query}" if query else "/dyads", self._timeout)
        except OSError:
            return unavailable


def dyads_off(_params: Mapping[str, list[str]]) -> tuple[int, bytes]:
    """``GET /dyads`` of a worker run with ``STANCEWIRE_DYAD_INDEX=false``."""
    return 404, b'{"error": "the dyad index is off (STANCEWIRE_DYAD_INDEX=false)"}'


def port_of(get_child: Callable[[], Any]) -> PortSource:
    """The port of whatever child ``get_child()`` returns now (None between children)."""

    def port() -> int | None:
        child = get_child()
        return child.port() if isinstance(child, DyadIndexProcess) else None

    return port


__all__ = [
    "ChildMetricsCollector",
    "DyadIndexProcess",
    "DyadsProxy",
    "dyad_index_command",
    "dyads_off",
    "exit_with_parent",
    "port_of",
    "set_parent_death_signal",
    "spawn_dyad_index",
]
