"""The dyad index's read-back on the real broker: where a group's partitions start, and the
records of a range, committed ones only, across transaction markers and an aborted write."""

from __future__ import annotations

import uuid

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.structs import OffsetAndMetadata

from stancewire.stream.skips import KafkaRangeReader, KafkaStartOffsets


def _topic(bootstrap: str, partitions: int = 2) -> str:
    name = f"test.skips.{uuid.uuid4().hex[:10]}"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        admin.create_topics([NewTopic(name, partitions, 1)])
    finally:
        admin.close()
    return name


def test_starts_are_the_committed_offsets_else_the_log_start(kafka_bootstrap: str) -> None:
    topic, group = _topic(kafka_bootstrap), f"test-skips-{uuid.uuid4().hex[:8]}"
    producer = KafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    for i in range(6):
        producer.send(topic, value=b"x%d" % i, partition=i % 2)
    producer.flush()
    producer.close()
    committer = KafkaConsumer(
        bootstrap_servers=kafka_bootstrap, group_id=group, enable_auto_commit=False
    )
    committer.commit({TopicPartition(topic, 0): OffsetAndMetadata(2, "", -1)})
    committer.close(autocommit=False)
    starts = KafkaStartOffsets({"bootstrap_servers": kafka_bootstrap}).starts(
        group, [(topic, 0), (topic, 1)]
    )
    assert starts == {(topic, 0): 2, (topic, 1): 0}


def test_a_range_reads_its_committed_records_only(kafka_bootstrap: str) -> None:
    topic = _topic(kafka_bootstrap, partitions=1)
    producer = KafkaProducer(
        bootstrap_servers=kafka_bootstrap, transactional_id=f"tx-{uuid.uuid4().hex[:8]}"
    )
    producer.init_transactions()
    for batch, commit in ((b"a", True), (b"b", False), (b"c", True)):
        producer.begin_transaction()
        producer.send(topic, value=batch + b"1")
        producer.send(topic, value=batch + b"2")
        producer.flush()
        if commit:
            producer.commit_transaction()
        else:
            producer.abort_transaction()
    producer.close()
    # offsets: a1 a2 marker | b1 b2 abort-marker | c1 c2 marker -> 0..8
    reader = KafkaRangeReader({"bootstrap_servers": kafka_bootstrap})
    try:
        everything = reader.read(topic, 0, 0, 9)
        assert [(r.offset, r.value) for r in everything] == [
            (0, b"a1"),
            (1, b"a2"),
            (6, b"c1"),
            (7, b"c2"),
        ]
        assert [r.value for r in reader.read(topic, 0, 1, 7)] == [b"a2", b"c1"]
        assert reader.read(topic, 0, 2, 6) == []  # markers and an aborted write: nothing
        assert all(r.timestamp > 1e9 for r in everything)  # seconds, not milliseconds
    finally:
        reader.close()
