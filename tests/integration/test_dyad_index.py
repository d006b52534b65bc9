"""The live dyad index on a real broker: statements in, DyadEvents out, redeliveries not counted
twice, the table recovered from its changelog after a SIGKILL, /dyads answering; the index's
process (a child of the worker, on by default) dies with a SIGKILLed worker, is restarted when
it dies alone, and stops with the worker."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import dyad_topic
from worker_harness import (
    KafkaIO,
    Record,
    TopicSet,
    WorkerFactory,
    WorkerProcess,
    free_port,
    wait_for,
)

from stancewire.events import (
    Content,
    Cue,
    DyadEvent,
    Enricher,
    Span,
    Speaker,
    Stance,
    StatementEvent,
    Target,
)
from stancewire_dev.procfs import alive, children

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

# Event time today (windows of the last 30 days are kept), at a fixed hour of the window.
PUBLISHED = datetime.now(UTC).replace(hour=6, minute=0, second=0, microsecond=0)
WINDOW_KEY = f"KZ>RU@{PUBLISHED:%Y-%m-%d}T00:00:00Z"
YESTERDAY = PUBLISHED - timedelta(days=1)
YESTERDAY_KEY = f"KZ>RU@{YESTERDAY:%Y-%m-%d}T00:00:00Z"


def statement(
    sid: str, label: str = "positive", score: float = 0.5, published: datetime = PUBLISHED
) -> StatementEvent:
    return StatementEvent(
        span=Span(start=0, end=10),
        text="x" * 10,
        kind="indirect",
        cue=Cue(text="said", lemma="say", start=0, end=4),
        content=Content(text="y", start=5, end=6),
        speaker=Speaker(
            name="Kassym-Jomart Tokayev",
            mention=None,
            kind="person",
            country="KZ",
            resolution="explicit",
        ),
        targets=[
            Target(
                name="Russia",
                kind="country",
                country="RU",
                stance=Stance(label=label, score=score),  # type: ignore[arg-type]
            )
        ],
        statement_id=sid,
        article_id=f"article-{sid}",
        published_at=published,
        enricher=Enricher(version="test/1"),
        enriched_at=datetime.now(UTC),
    )


def publish(kafka_io: KafkaIO, topics: TopicSet, *statements: StatementEvent) -> None:
    kafka_io.publish(
        topics.output,
        [(s.article_id.encode(), s.model_dump_json().encode()) for s in statements],
    )


def latest(records: list[Record]) -> dict[str, DyadEvent]:
    """The latest value per key, as a compacted topic keeps it."""
    return {
        (r.key or b"").decode(): DyadEvent.model_validate_json(r.value or b"")
        for r in sorted(records, key=lambda r: (r.partition, r.offset))
    }


def wait_count(
    kafka_io: KafkaIO, topics: TopicSet, records_at_least: int, statements: int
) -> dict[str, DyadEvent]:
    """Read the dyad topic until ``records_at_least`` records and one with ``statements``;
    no record may ever count more (a redelivery counted twice would)."""

    def done(records: list[Record]) -> bool:
        counts = [DyadEvent.model_validate_json(r.value or b"").statements for r in records]
        return len(records) >= records_at_least and statements in counts

    records = kafka_io.read(dyad_topic(topics), until=done)
    counts = [DyadEvent.model_validate_json(r.value or b"").statements for r in records]
    assert done(records), f"dyad events so far: {counts}"
    assert max(counts) == statements
    return latest(records)


def dyads_query(worker: WorkerProcess, query: str) -> list[dict[str, object]]:
    url = f"http://127.0.0.1:{worker.metrics_port}/dyads?{query}"
    with urllib.request.urlopen(url, timeout=5) as response:
        windows: list[dict[str, object]] = json.loads(response.read())["windows"]
        return windows


def is_dyad_index(pid: int) -> bool:
    try:
        return b"dyad-index" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def dyad_index_pid(worker: WorkerProcess) -> int:
    pids = wait_for(
        lambda: [pid for pid in children(worker.process.pid) if is_dyad_index(pid)],
        30,
        "the worker's dyad index process",
    )
    assert len(pids) == 1, pids
    return int(pids[0])


def sigkill(worker: WorkerProcess) -> list[int]:
    """SIGKILL the worker alone; its children must go with it (none is killed here)."""
    pids = children(worker.process.pid)
    worker.process.kill()
    worker.process.wait()
    wait_for(lambda: not any(alive(pid) for pid in pids), 15, "the worker's children to exit")
    return pids


# The index is at-least-once in either mode: beside an exactly-once worker it reads the
# statements read_committed.
@pytest.mark.parametrize("guarantee", ["at_least_once", "exactly_once"])
def test_dyad_windows_count_each_statement_once_across_redelivery_and_sigkill(
    topic_set: TopicSet, start_worker: WorkerFactory, kafka_io: KafkaIO, guarantee: str
) -> None:
    worker = start_worker(topic_set, processing_guarantee=guarantee)
    s1, s2 = statement("s1", "positive", 0.6), statement("s2", "negative", -0.4)
    publish(kafka_io, topic_set, s1, s2)
    window = wait_count(kafka_io, topic_set, 2, 2)[WINDOW_KEY]
    assert window.statements == 2
    assert (window.stance.positive, window.stance.negative) == (1, 1)
    assert window.stance.mean_score == pytest.approx(0.1)
    assert window.window.end - window.window.start == timedelta(days=1)

    # A redelivered statement: republished unchanged, not counted again; yesterday's statement
    # in a window of its own.
    publish(kafka_io, topic_set, s1, statement("s3"), statement("y1", published=YESTERDAY))
    windows = wait_count(kafka_io, topic_set, 5, 3)
    assert windows[YESTERDAY_KEY].statements == 1
    window = windows[WINDOW_KEY]
    assert window.statements == 3
    assert window.statement_ids[0] in {"s1", "s2", "s3"}
    assert [w["statements"] for w in dyads_query(worker, "source=KZ&target=RU")] == [1, 3]
    assert dyads_query(worker, "target=CN") == []
    assert worker.value("stancewire_dyad_updates_published_total") == 5
    assert worker.value("stancewire_dyad_table_keys") == 2

    assert "isolation_level=read_committed" in worker.log_text()

    # SIGKILL of the worker alone: its dyad index process dies with it (parent-death signal);
    # the restarted worker's index recovers the table (and its ids) from the changelog.
    index_pid = dyad_index_pid(worker)
    assert index_pid in sigkill(worker)
    restarted = start_worker(topic_set, processing_guarantee=guarantee)
    wait_for(
        lambda: len(dyads_query(restarted, "source=KZ")) == 2,
        30,
        "the recovered window on /dyads",
    )
    recovered = dyads_query(restarted, "source=KZ")
    assert [w["statements"] for w in recovered] == [1, 3]  # sorted by window
    publish(kafka_io, topic_set, s2, s1, statement("s4"))
    final = wait_count(kafka_io, topic_set, 8, 4)
    assert sorted(final) == sorted([WINDOW_KEY, YESTERDAY_KEY])
    assert final[YESTERDAY_KEY].statements == 1
    assert final[WINDOW_KEY].statements == 4
    assert (final[WINDOW_KEY].stance.positive, final[WINDOW_KEY].stance.negative) == (3, 1)

    # The index process dies alone: the worker restarts it, counts it, and /dyads comes back.
    index_pid = dyad_index_pid(restarted)
    os.kill(index_pid, signal.SIGKILL)
    wait_for(
        lambda: restarted.value("stancewire_dyad_index_restarts_total") == 1,
        30,
        "the dyad index restart in the worker's metrics",
    )
    wait_for(
        lambda: (
            restarted.value("stancewire_dyad_index_up") == 1
            and [w["statements"] for w in dyads_query(restarted, "source=KZ")] == [1, 4]
        ),
        60,
        "the restarted dyad index on /dyads",
    )
    assert "killed by SIGKILL; restarting it in" in restarted.log_text()
    new_index_pid = dyad_index_pid(restarted)
    assert new_index_pid != index_pid
    assert restarted.stop() == 0  # SIGTERM: a clean exit, its child processes with it
    assert not alive(new_index_pid)


def test_dyad_index_runs_alone_beside_a_worker_without_one(
    topic_set: TopicSet,
    start_worker: WorkerFactory,
    kafka_io: KafkaIO,
    kafka_bootstrap: str,
    tmp_path: Path,
) -> None:
    """``stancewire dyad-index`` on its own (scaled apart from the workers): it serves /metrics
    and /dyads on STANCEWIRE_METRICS_PORT; the worker, with STANCEWIRE_DYAD_INDEX=false, starts
    no index process and answers /dyads with 404."""
    worker = start_worker(topic_set, dyad_index="false")
    assert not [pid for pid in children(worker.process.pid) if is_dyad_index(pid)]
    with pytest.raises(urllib.error.HTTPError) as off:
        dyads_query(worker, "source=KZ")
    assert off.value.code == 404
    assert worker.value("stancewire_dyad_index_up") == 0  # no such series

    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("STANCEWIRE_")}
    env.update(
        {
            "STANCEWIRE_KAFKA_BOOTSTRAP": kafka_bootstrap,
            "STANCEWIRE_OUTPUT_TOPIC": topic_set.output,
            "STANCEWIRE_CONSUMER_GROUP": topic_set.group,
            "STANCEWIRE_DYAD_TOPIC": dyad_topic(topic_set),
            "STANCEWIRE_TOPIC_PARTITIONS": "2",
            "STANCEWIRE_METRICS_PORT": str(port),
            "STANCEWIRE_DATA_DIR": str(tmp_path / "dyad-index"),
        }
    )
    log_file = tmp_path / "dyad-index.log"
    with log_file.open("wb") as output:
        index = subprocess.Popen(
            [sys.executable, "-m", "stancewire.cli", "dyad-index"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    alone = WorkerProcess(index, port, log_file, topic_set)
    try:
        publish(kafka_io, topic_set, statement("a1"), statement("a2", "negative", -0.5))
        window = wait_count(kafka_io, topic_set, 2, 2)[WINDOW_KEY]
        assert (window.stance.positive, window.stance.negative) == (1, 1)
        assert [w["statements"] for w in dyads_query(alone, "source=KZ&target=RU")] == [2]
        assert alone.value("stancewire_dyad_updates_published_total") == 2
        assert alone.value("stancewire_dyad_table_keys") == 1
        assert alone.value("process_resident_memory_bytes") > 0  # its own process metrics
        assert "[^DyadIndexWorker]: Ready" in alone.log_text()
        assert "[^Worker]: Ready" not in alone.log_text()
        assert "isolation_level=read_committed" in alone.log_text()
        assert alone.stop() == 0
    finally:
        if index.poll() is None:
            index.kill()
            index.wait()
    assert worker.stop() == 0
