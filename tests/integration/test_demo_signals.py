"""``make run`` behaves like a foreground program: a stop signal leaves nothing running.

The demo runs as a real subprocess with its own topics, metrics port and data directory, and is
stopped once it printed statements: SIGTERM (twice, as ``timeout`` and ``make`` both send one)
when it started its own broker on a free port, which must then be gone with the worker and the
ports free; SIGHUP, and Ctrl-C typed into a terminal running ``make run``, when the broker was
already there (the suite's own), which must be left running. Every stop exits with 0.
"""

from __future__ import annotations

import os
import pty
import random
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from worker_harness import TopicSet, free_port, wait_for

from stancewire.settings import Settings
from stancewire_dev import PROJECT_ROOT
from stancewire_dev.broker import broker_answers, port_is_open
from stancewire_dev.procfs import alive, children

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

STATEMENT_LINE = re.compile(r"^#\d+ \[", re.MULTILINE)
WORKER_PID = re.compile(r"Worker started \(pid (\d+)")
STOP_TIMEOUT_SECONDS = 90.0


def free_port_pair() -> int:
    """A free port whose successor is free too (the broker's controller listens there), below
    the ephemeral range, so that ports the system hands out meanwhile cannot take it."""
    while True:
        port = random.randrange(20_000, 32_000)
        if not port_is_open("127.0.0.1", port) and not port_is_open("127.0.0.1", port + 1):
            return port


def demo_env(topics: TopicSet, data_dir: Path, kafka_bootstrap: str | None) -> dict[str, str]:
    """A shell's environment plus unique topics, metrics port and data directory.

    ``kafka_bootstrap`` None: no cluster is named, so the demo uses the local broker.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STANCEWIRE_", "MAKE"))}
    env.pop("MFLAGS", None)
    env.update(
        STANCEWIRE_INPUT_TOPIC=topics.input,
        STANCEWIRE_OUTPUT_TOPIC=topics.output,
        STANCEWIRE_DEAD_LETTER_TOPIC=topics.dead_letter,
        STANCEWIRE_DYAD_TOPIC=f"{topics.output}.dyads",  # the dyad index runs by default
        STANCEWIRE_CONSUMER_GROUP=topics.group,
        STANCEWIRE_TOPIC_PARTITIONS="1",
        STANCEWIRE_METRICS_PORT=str(free_port()),
        STANCEWIRE_DATA_DIR=str(data_dir),
    )
    if kafka_bootstrap is not None:
        env["STANCEWIRE_KAFKA_BOOTSTRAP"] = kafka_bootstrap
    return env


def suite_cluster(kafka_bootstrap: str) -> str | None:
    """How the demo should reach the suite's broker: by name when the suite uses a configured
    cluster, by the default local port (a broker it did not start) when the suite's broker is
    the local one."""
    return None if Settings().uses_local_broker else kafka_bootstrap


def start_demo(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "stancewire_dev.demo", *args],
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def wait_for_statements(demo: subprocess.Popen[bytes], log: Path) -> int:
    """The worker's pid, once the demo printed a statement."""

    def printed() -> bool:
        if demo.poll() is not None:
            raise AssertionError(f"demo exited with {demo.returncode}:\n{log.read_text()}")
        return bool(STATEMENT_LINE.search(log.read_text(errors="replace")))

    wait_for(printed, 180, "the demo's first statement")
    found = WORKER_PID.search(log.read_text())
    assert found is not None
    return int(found.group(1))


def test_sigterm_stops_the_worker_and_the_broker_the_demo_started(
    topic_set: TopicSet, tmp_path: Path
) -> None:
    port = free_port_pair()
    log = tmp_path / "demo.log"
    demo = start_demo(demo_env(topic_set, tmp_path, None), log, "--broker-port", str(port))
    try:
        worker_pid = wait_for_statements(demo, log)
        broker_pid = int((tmp_path / f"kafka-{port}" / "broker.pid").read_text())
        assert alive(broker_pid) and alive(worker_pid)
        worker_children = wait_for(lambda: children(worker_pid), 30, "the worker's children")
        demo.send_signal(signal.SIGTERM)
        time.sleep(0.2)
        demo.send_signal(signal.SIGTERM)  # a second one must not cut the clean-up short
        assert demo.wait(STOP_TIMEOUT_SECONDS) == 0, log.read_text()
    finally:
        if demo.poll() is None:
            demo.kill()
    assert not alive(worker_pid)
    assert not any(alive(pid) for pid in worker_children), worker_children
    assert not alive(broker_pid)
    assert not port_is_open("127.0.0.1", port)
    assert not port_is_open("127.0.0.1", port + 1)
    assert "Starting the local Kafka broker" in log.read_text()


def test_sighup_stops_the_worker_and_keeps_a_broker_the_demo_did_not_start(
    kafka_bootstrap: str, topic_set: TopicSet, tmp_path: Path
) -> None:
    log = tmp_path / "demo.log"
    demo = start_demo(demo_env(topic_set, tmp_path, suite_cluster(kafka_bootstrap)), log)
    try:
        worker_pid = wait_for_statements(demo, log)
        demo.send_signal(signal.SIGHUP)
        assert demo.wait(STOP_TIMEOUT_SECONDS) == 0, log.read_text()
    finally:
        if demo.poll() is None:
            demo.kill()
    assert not alive(worker_pid)
    assert "Starting the local Kafka broker" not in log.read_text()
    assert broker_answers(kafka_bootstrap)


def test_ctrl_c_in_a_terminal_stops_make_run_with_status_0(
    kafka_bootstrap: str, topic_set: TopicSet, tmp_path: Path
) -> None:
    env = demo_env(topic_set, tmp_path, suite_cluster(kafka_bootstrap))
    pid, terminal = pty.fork()
    if pid == 0:  # the child: `make run` in a new session whose terminal is the pty
        try:
            os.chdir(PROJECT_ROOT)
            os.execvpe("make", ["make", "--no-print-directory", "run"], env)
        finally:
            os._exit(127)
    output = b""
    interrupted = False
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline:
            if select.select([terminal], [], [], 0.5)[0]:
                try:
                    chunk = os.read(terminal, 65536)
                except OSError:  # EIO: every process of the terminal has closed it
                    break
                if not chunk:
                    break
                output += chunk
            if not interrupted and STATEMENT_LINE.search(output.decode(errors="replace")):
                os.write(terminal, b"\x03")  # Ctrl-C, as typed
                interrupted = True
    finally:
        if not interrupted:  # no statement in time: stop it all the other way
            os.kill(pid, signal.SIGTERM)
        _, status = os.waitpid(pid, 0)
        os.close(terminal)
    text = output.decode(errors="replace")
    assert interrupted, text
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert "make: ***" not in text
    assert "SIGINT received" in text
    found = WORKER_PID.search(text)
    assert found is not None
    assert not alive(int(found.group(1)))
    assert broker_answers(kafka_bootstrap)
