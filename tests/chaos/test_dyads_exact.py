"""The dyad index is exact under failure: SIGKILL the worker mid-stream, restart it, and the
final windows on the dyad topic (latest value per key, as compaction keeps it) equal what
``stancewire dyads`` computes offline for the same articles, with no extra window.

Statements are redelivered after the crash (at-least-once) and the table is recovered from
its changelog; a statement counted twice, a lost table update or a lost DyadEvent would each
show as a window that differs from the offline one. The worker runs with the default settings
(the dyad index on, as its child process, which the SIGKILL of the worker alone must take down
with it), in both processing guarantees: beside an exactly-once worker the index reads the
statements read_committed. Also prints the table's recovery time.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import time
from datetime import datetime
from pathlib import Path

import pytest
from chaos_harness import STANCEWIRE, WorkerProcess, retrying, wait_for
from kafka import KafkaConsumer, TopicPartition
from test_no_article_lost import STAGE_TIMEOUT, Scenario

from stancewire_dev import PROJECT_ROOT
from stancewire_dev.broker import LocalBroker
from stancewire_dev.procfs import alive, children


class DyadScenario(Scenario):
    """A Scenario whose workers take free metrics ports: the fixed ones of the other scenarios
    collide when another checkout runs the chaos suite at the same time."""

    def worker(self, name: str) -> WorkerProcess:
        process = super().worker(name)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            process.env["STANCEWIRE_METRICS_PORT"] = str(sock.getsockname()[1])
        assert "STANCEWIRE_DYAD_INDEX" not in process.env  # the default: on
        return process


def sigkill_worker_alone(worker: WorkerProcess) -> list[int]:
    """SIGKILL the worker process only (not its process group, as the harness's kill() does):
    its children, the dyad index process among them, must exit by themselves."""
    assert worker.process is not None
    pids = children(worker.process.pid)
    worker.killed = True
    os.kill(worker.process.pid, signal.SIGKILL)
    worker.process.wait(timeout=30)
    wait_for(lambda: not any(alive(pid) for pid in pids), 15, "the worker's children to exit")
    return pids


# A window as compared: statements, stance counts and event counts.
Window = tuple[int, int, int, int, tuple[tuple[str, int], ...]]


def window_of(value: dict[str, object]) -> Window:
    stance = value["stance"]
    events = value["events"]
    assert isinstance(stance, dict) and isinstance(events, dict)
    return (
        int(str(value["statements"])),
        stance["positive"],
        stance["negative"],
        stance["neutral"],
        tuple(sorted(events.items())),
    )


def key_of(value: dict[str, object]) -> str:
    source, target, window = value["source"], value["target"], value["window"]
    assert isinstance(source, dict) and isinstance(target, dict) and isinstance(window, dict)
    return f"{source['country']}>{target['country']}@{window['start']}"


def offline_dyads(articles: Path, work_dir: Path) -> dict[str, Window]:
    """``stancewire dyads`` over the valid articles (no Kafka)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STANCEWIRE_")}
    done = subprocess.run(
        [str(STANCEWIRE), "dyads", str(articles)],
        capture_output=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=STAGE_TIMEOUT * 2,
        check=True,
    )
    (work_dir / "expected-dyads.jsonl").write_bytes(done.stdout)
    values = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return {key_of(value): window_of(value) for value in values}


def topic_latest(bootstrap: str, topic: str, isolation: str) -> dict[str, Window]:
    """The latest value per key of ``topic``, read from the beginning to its end."""

    def read() -> dict[str, Window]:
        consumer = KafkaConsumer(
            bootstrap_servers=bootstrap, enable_auto_commit=False, isolation_level=isolation
        )
        try:
            numbers: set[int] = set()
            deadline = time.monotonic() + 30
            while not numbers and time.monotonic() < deadline:
                numbers = consumer.partitions_for_topic(topic) or set()
                if not numbers:
                    time.sleep(0.5)
            partitions = [TopicPartition(topic, p) for p in sorted(numbers)]
            consumer.assign(partitions)
            consumer.seek_to_beginning(*partitions)
            ends = consumer.end_offsets(partitions)
            latest: dict[str, Window] = {}
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and any(
                consumer.position(tp) < ends[tp] for tp in partitions
            ):
                for records in consumer.poll(timeout_ms=500).values():
                    for record in records:
                        value = json.loads(record.value)
                        assert record.key.decode() == key_of(value)
                        latest[record.key.decode()] = window_of(value)
            return latest
        finally:
            consumer.close()

    return retrying(read)


def recovery_seconds(log: str) -> float | None:
    """Seconds from Faust's "Restoring state" to "Restore complete" in the last start."""
    stamp = r"\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3})\]"
    starts = re.findall(stamp + r".*Restoring state from changelog topics", log)
    ends = re.findall(stamp + r".*Restore complete", log)
    if not starts or not ends:
        return None
    parse = lambda text: datetime.strptime(text, "%Y-%m-%d %H:%M:%S,%f")  # noqa: E731
    return (parse(ends[-1]) - parse(starts[-1])).total_seconds()


@pytest.mark.parametrize("guarantee", ["at_least_once", "exactly_once"])
def test_dyad_windows_after_a_worker_sigkill_equal_the_offline_computation(
    chaos_broker: LocalBroker, chaos_dir: Path, chaos_articles: int, guarantee: str
) -> None:
    name = "dyads-eos" if guarantee == "exactly_once" else "dyads"
    scenario = DyadScenario(name, chaos_broker, chaos_dir, chaos_articles, guarantee=guarantee)
    first = scenario.worker("worker-d")
    scenario.start(first)
    isolation = "read_committed" if guarantee == "exactly_once" else "read_uncommitted"
    try:
        scenario.wait(scenario.progress_at_least(0.25), "a quarter processed")
        # Kill mid-stream of the dyad index itself: once it has published some windows.
        scenario.wait(
            lambda: len(topic_latest(scenario.bootstrap, scenario.topics.dyads, isolation)) >= 10,
            "the first dyad windows",
        )
        held_before = topic_latest(scenario.bootstrap, scenario.topics.dyads, isolation)
        killed_children = len(sigkill_worker_alone(first))
        restarted = scenario.worker("worker-d-restarted").start()
        report = scenario.finish()
        assert report.lost == 0, report.summary() + "\n" + scenario.logs()
        if guarantee == "exactly_once":  # the index beside it costs the statements nothing
            assert report.duplicate_statements == 0, report.summary()
        expected = offline_dyads(scenario.expectation.input_path, scenario.work_dir)
        found: dict[str, Window] = {}

        def converged() -> bool:
            found.clear()
            found.update(topic_latest(scenario.bootstrap, scenario.topics.dyads, isolation))
            return found == expected

        # On a timeout the assertions below say which windows differ.
        with contextlib.suppress(TimeoutError):
            wait_for(converged, 60, "the dyad topic to equal the offline dyads")
        metrics = restarted.metrics_text()
        recovery = recovery_seconds(restarted.log_path.read_text(errors="replace"))
    finally:
        exit_codes = scenario.stop_workers()
    print(
        f"\n{name}: {len(expected)} windows offline, {len(found)} on {scenario.topics.dyads}; "
        f"{sum(w[0] for w in expected.values())} statements offline, "
        f"{sum(w[0] for w in found.values())} on the topic; "
        f"{len(held_before)} windows on the topic before the SIGKILL "
        f"(the worker's {killed_children} children exited with it); "
        f"table recovery after the restart {recovery} s; "
        f"dyad updates published by the restarted worker: "
        f"{_metric(metrics, 'stancewire_dyad_updates_published_total'):.0f}; "
        f"records its streams skipped, read back: "
        f"{_metric(metrics, 'stancewire_dyad_records_read_back_total'):.0f}"
    )
    assert len(expected) > 20, "the workload should give many windows"
    assert held_before, "the SIGKILL should fall after the first dyad windows"
    extra = sorted(set(found) - set(expected))
    missing = sorted(set(expected) - set(found))
    wrong = sorted(k for k in set(found) & set(expected) if found[k] != expected[k])
    assert not extra and not missing and not wrong, (
        f"extra {extra[:5]}, missing {missing[:5]}, "
        f"differing {[(k, found[k], expected[k]) for k in wrong[:5]]}"
    )
    assert exit_codes == {"worker-d-restarted": 0}, scenario.logs()


def _metric(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return 0.0
