"""Two worker replicas in one consumer group: their lag metrics add up to the group's real lag.

Starts one worker, then a second in the same group (a rebalance: the first must drop the
partitions it loses), waits until the two report disjoint partitions covering the whole input
topic, publishes a backlog the two cannot finish in the time of the comparison, and compares
the sum of both workers' ``stancewire_consumer_lag_messages`` with the group's real lag read
independently with kafka-python (log-end minus committed offsets).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from worker_harness import KafkaIO, TopicSet, WorkerFactory, WorkerProcess, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.timeout(360)]

SEED_ARTICLE = Path(__file__).resolve().parents[2] / "samples" / "seed_article.json"
PARTITIONS = 4
# Enough work that two workers on a busy 2-core machine are still far from done when compared
# (the seed article costs a few tenths of a CPU-second).
BACKLOG_ARTICLES = 400
LAG_METRIC = "stancewire_consumer_lag_messages"


def _lag_series(worker: WorkerProcess, topic: str) -> dict[int, float]:
    """The worker's lag gauge per partition of ``topic`` (only the partitions it reports)."""
    found: dict[int, float] = {}
    for (name, labels), value in worker.samples().items():
        label_map = dict(labels)
        if name == LAG_METRIC and label_map.get("topic") == topic:
            found[int(label_map["partition"])] = value
    return found


def _group_lag(kafka_bootstrap: str, topics: TopicSet) -> dict[int, int]:
    """The group's real lag per partition: log-end minus committed offset (log start when the
    group never committed there), read with kafka-python outside the group."""
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(
        bootstrap_servers=kafka_bootstrap.split(","),
        group_id=topics.group,
        enable_auto_commit=False,
    )
    try:
        partitions = [TopicPartition(topics.input, p) for p in range(PARTITIONS)]
        log_end = consumer.end_offsets(partitions)
        log_start = consumer.beginning_offsets(partitions)
        lag = {}
        for tp in partitions:
            committed = consumer.committed(tp)
            position = log_start[tp] if committed is None else max(committed, log_start[tp])
            lag[tp.partition] = log_end[tp] - position
        return lag
    finally:
        consumer.close(autocommit=False)


def _stable_split(workers: list[WorkerProcess], topic: str, hold_seconds: float) -> bool:
    """Both workers report lag for disjoint, non-empty sets of partitions covering the topic,
    unchanged for ``hold_seconds``."""
    first = [set(_lag_series(w, topic)) for w in workers]
    if not _is_split(first):
        return False
    time.sleep(hold_seconds)
    return [set(_lag_series(w, topic)) for w in workers] == first


def _is_split(owned: list[set[int]]) -> bool:
    union: set[int] = set().union(*owned)
    return (
        all(owned)
        and sum(len(partitions) for partitions in owned) == len(union)
        and union == set(range(PARTITIONS))
    )


def test_summed_lag_of_two_replicas_is_the_groups_real_lag(
    kafka_bootstrap: str,
    topic_set: TopicSet,
    start_worker: WorkerFactory,
    kafka_io: KafkaIO,
) -> None:
    settings = {"topic_partitions": str(PARTITIONS), "lag_interval_seconds": "0.5"}
    first = start_worker(topic_set, **settings)
    # Alone in the group, the first worker reports every partition.
    wait_for(
        lambda: set(_lag_series(first, topic_set.input)) == set(range(PARTITIONS)),
        60,
        "the first worker to report all partitions",
    )
    second = start_worker(topic_set, **settings)
    workers = [first, second]
    wait_for(
        lambda: _stable_split(workers, topic_set.input, hold_seconds=3.0),
        120,
        "a stable split of the partitions between the two workers",
    )

    article = json.loads(SEED_ARTICLE.read_text(encoding="utf-8"))
    records = []
    for index in range(BACKLOG_ARTICLES):
        article["article_id"] = f"lag-replicas-{index}"
        records.append((article["article_id"].encode(), json.dumps(article).encode()))
    kafka_io.publish(topic_set.input, records)
    # Let both collectors measure the backlog and the workers start on it.
    wait_for(
        lambda: all(sum(_lag_series(w, topic_set.input).values()) > 0 for w in workers),
        30,
        "both workers to report lag",
    )
    time.sleep(2.0)

    real_before = sum(_group_lag(kafka_bootstrap, topic_set).values())
    reported = [_lag_series(w, topic_set.input) for w in workers]
    real_after = sum(_group_lag(kafka_bootstrap, topic_set).values())

    assert _is_split([set(r) for r in reported]), f"partitions overlap or missing: {reported}"
    summed = sum(value for series in reported for value in series.values())
    real = (real_before + real_after) / 2
    assert real_after > BACKLOG_ARTICLES / 4, "backlog already drained: comparison meaningless"
    assert abs(summed - real) <= 0.4 * real, (
        f"summed metric {summed} vs group lag {real_before}..{real_after} ({reported})"
    )
