"""The worker's side of its dyad index process: the reported port, /metrics forwarded with names
and labels unchanged, /dyads proxied; and the child's death with its parent (real processes)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families
from test_dyads import aggregate, snapshot_of, statement, target

from stancewire.metrics import DyadMetrics, Metrics, serve_metrics
from stancewire.stream.dyad_child import (
    ChildMetricsCollector,
    DyadIndexProcess,
    DyadsProxy,
    dyads_off,
)
from stancewire_dev.procfs import alive


@pytest.fixture
def child_port() -> Iterator[int]:
    """A stand-in for the dyad index process's HTTP server: its metrics (process metrics and
    Kafka retries included) and /dyads, on an ephemeral port."""
    registry = CollectorRegistry()
    metrics = DyadMetrics(registry, process_collectors=True)
    metrics.dyad_updates_published.inc(3)
    metrics.dyad_table_keys.set(1)
    metrics.record_kafka_retry("produce")
    snapshot = snapshot_of(*aggregate(statement("s1", [target("RU")])))
    server, thread = serve_metrics(registry, "127.0.0.1", 0, {"/dyads": snapshot.http_query})
    yield int(server.server_port)
    server.shutdown()
    thread.join(timeout=5)


def worker_exposition(port: int | None) -> str:
    registry = CollectorRegistry()
    Metrics(registry, process_collectors=True).record_kafka_retry("connect")
    registry.register(ChildMetricsCollector(lambda: port))
    return generate_latest(registry).decode()


def samples(text: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
            found[f"{sample.name}{{{labels}}}"] = sample.value
    return found


def test_the_childs_dyad_families_join_the_workers_metrics_unchanged(child_port: int) -> None:
    text = worker_exposition(child_port)
    found = samples(text)
    assert found["stancewire_dyad_updates_published_total{}"] == 3
    assert found["stancewire_dyad_table_keys{}"] == 1
    assert found["stancewire_dyad_index_up{}"] == 1
    # Only the dyad families: the worker's own Kafka retries and process metrics, not the child's.
    assert found["stancewire_kafka_retries_total{operation=produce}"] == 0
    assert found["stancewire_kafka_retries_total{operation=connect}"] == 1
    names = [line.split()[2] for line in text.splitlines() if line.startswith("# TYPE")]
    assert len(names) == len(set(names)), "a metric family appears twice"
    assert "# TYPE stancewire_dyad_updates_published_total counter" in text


def test_a_child_that_does_not_answer_shows_as_down() -> None:
    found = samples(worker_exposition(None))
    assert found["stancewire_dyad_index_up{}"] == 0
    assert not any(name.startswith("stancewire_dyad_table_keys") for name in found)
    with_closed_port = samples(worker_exposition(1))  # nothing listens on port 1
    assert with_closed_port["stancewire_dyad_index_up{}"] == 0


def test_dyads_are_proxied_with_the_query_and_the_childs_status(child_port: int) -> None:
    proxy = DyadsProxy(lambda: child_port)
    status, body = proxy({"source": ["KZ"], "target": ["RU"]})
    assert status == 200
    assert [w["statements"] for w in json.loads(body)["windows"]] == [1]
    status, body = proxy({"target": ["CN"]})
    assert (status, json.loads(body)) == (200, {"windows": []})
    status, body = proxy({"since": ["not-a-date"]})
    assert status == 400 and "error" in json.loads(body)
    assert DyadsProxy(lambda: None)({})[0] == 503
    assert DyadsProxy(lambda: 1)({})[0] == 503
    assert dyads_off({})[0] == 404


def test_the_port_is_read_from_the_pipe_without_blocking() -> None:
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    read_end, write_end = os.pipe()
    child = DyadIndexProcess(process, read_end)
    try:
        assert child.port() is None  # nothing written yet: no wait
        os.write(write_end, b"61")
        assert child.port() is None  # half a line
        os.write(write_end, b"23\n")
        assert child.port() == 6123
        os.close(write_end)
        assert child.port() == 6123
    finally:
        child.kill()
        assert child.wait(10) == -signal.SIGKILL


# A middle process (the "worker") starts a grandchild (the "index") that ties itself to it.
MIDDLE = textwrap.dedent(
    """
    import os, subprocess, sys, time
    code = (
        "import os, sys, time\\n"
        "from stancewire.stream.dyad_child import exit_with_parent\\n"
        "exit_with_parent(int(sys.argv[1]))\\n"
        "print(os.getpid(), flush=True)\\n"
        "time.sleep(60)\\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code, str(os.getpid())])
    time.sleep(60)
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_the_child_dies_when_its_parent_is_sigkilled() -> None:
    middle = subprocess.Popen([sys.executable, "-c", MIDDLE], stdout=subprocess.PIPE)
    try:
        assert middle.stdout is not None
        grandchild = int(middle.stdout.readline())
        assert alive(grandchild)
        middle.kill()
        middle.wait(10)
        deadline = time.monotonic() + 10
        while alive(grandchild) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(grandchild)
    finally:
        middle.kill()
        middle.wait(10)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_the_parent_death_signal_is_sigkill() -> None:
    code = (
        "import ctypes, signal\n"
        "from stancewire.stream.dyad_child import set_parent_death_signal\n"
        "assert set_parent_death_signal()\n"
        "value = ctypes.c_int()\n"
        "ctypes.CDLL(None).prctl(2, ctypes.byref(value), 0, 0, 0)\n"  # PR_GET_PDEATHSIG
        "print(value.value)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    assert int(done.stdout) == signal.SIGKILL
