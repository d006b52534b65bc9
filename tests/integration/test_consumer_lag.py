"""The consumer-lag collector's Kafka side, against the real broker.

Publishes records to a fresh two-partition topic, commits an offset for a fresh group on one
partition only, and checks what :class:`~stancewire.stream.lag.KafkaOffsetSource` and the
collector measure: committed and log-end offsets, lag in messages, and lag in seconds from the
head record's real Kafka timestamp.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
from prometheus_client import CollectorRegistry

from stancewire.metrics import Metrics
from stancewire.settings import Settings
from stancewire.stream.lag import ConsumerLagCollector, KafkaOffsetSource, TopicPartition

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]


@pytest.fixture()
def topic(kafka_bootstrap: str) -> Iterator[str]:
    from kafka.admin import KafkaAdminClient, NewTopic

    name = f"it-lag-{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=kafka_bootstrap.split(","))
    try:
        admin.create_topics([NewTopic(name, 2, 1)])
        yield name
        admin.delete_topics([name])
    finally:
        admin.close()


def _publish(kafka_bootstrap: str, topic: str, counts: dict[int, int]) -> float:
    """Send ``counts[p]`` records to partition ``p``; returns the time before the first send."""
    from kafka import KafkaProducer

    producer = KafkaProducer(bootstrap_servers=kafka_bootstrap.split(","))
    sent_at = time.time()
    try:
        for partition, count in counts.items():
            for index in range(count):
                producer.send(topic, value=f"record {index}".encode(), partition=partition)
        producer.flush(30)
    finally:
        producer.close()
    return sent_at


def _commit(kafka_bootstrap: str, group: str, topic: str, partition: int, offset: int) -> None:
    from kafka import KafkaConsumer
    from kafka import TopicPartition as KafkaTopicPartition
    from kafka.structs import OffsetAndMetadata

    consumer = KafkaConsumer(
        bootstrap_servers=kafka_bootstrap.split(","), group_id=group, enable_auto_commit=False
    )
    try:
        committed = OffsetAndMetadata(offset, "", -1)  # offset, metadata, leader epoch
        consumer.commit({KafkaTopicPartition(topic, partition): committed})
    finally:
        consumer.close()


def test_kafka_offsets_give_committed_log_end_and_lag(kafka_bootstrap: str, topic: str) -> None:
    group = f"it-lag-group-{uuid.uuid4().hex[:8]}"
    sent_at = _publish(kafka_bootstrap, topic, {0: 5, 1: 3})
    _commit(kafka_bootstrap, group, topic, partition=0, offset=2)
    settings = Settings(kafka_bootstrap=kafka_bootstrap, consumer_group=group, input_topic=topic)
    metrics = Metrics(CollectorRegistry(), process_collectors=False)
    collector = ConsumerLagCollector(lambda: KafkaOffsetSource(settings), metrics, [topic])
    try:
        measured = {lag.partition: lag for lag in collector.collect_once()}
    finally:
        collector.stop()

    assert sorted(measured) == [0, 1]
    assert (measured[0].committed, measured[0].log_end, measured[0].lag_messages) == (2, 5, 3)
    # Partition 1 was never committed: its whole log is lag.
    assert (measured[1].committed, measured[1].log_end, measured[1].lag_messages) == (None, 3, 3)
    elapsed = time.time() - sent_at
    for lag in measured.values():
        assert lag.lag_seconds is not None
        assert 0.0 <= lag.lag_seconds <= elapsed + 1.0
    exported = metrics.registry.get_sample_value(
        "stancewire_consumer_lag_messages", {"topic": topic, "partition": "0"}
    )
    assert exported == 3


def test_head_record_timestamp_is_read_at_the_requested_offset(
    kafka_bootstrap: str, topic: str
) -> None:
    _publish(kafka_bootstrap, topic, {0: 1})
    time.sleep(1.1)
    second_sent = _publish(kafka_bootstrap, topic, {0: 1})
    source = KafkaOffsetSource(Settings(kafka_bootstrap=kafka_bootstrap, input_topic=topic))
    try:
        first = source.timestamp_ms(TopicPartition(topic, 0), 0)
        second = source.timestamp_ms(TopicPartition(topic, 0), 1)
        beyond = source.timestamp_ms(TopicPartition(topic, 0), 2)
    finally:
        source.close()
    assert first is not None and second is not None
    assert second - first >= 1000
    assert second >= int(second_sent * 1000) - 1000
    assert beyond is None  # nothing there yet: no timestamp, no guess
