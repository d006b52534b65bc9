"""aiokafka's logged retry attempts become stancewire_kafka_retries_total counts."""

from __future__ import annotations

import logging

from prometheus_client import CollectorRegistry

from stancewire.metrics import Metrics
from stancewire.stream.kafka_retries import count_client_retries


def test_logged_client_retries_are_counted_by_operation() -> None:
    metrics = Metrics(CollectorRegistry(), process_collectors=False)
    handler = count_client_retries(metrics.record_kafka_retry)
    try:
        # The records aiokafka writes while the broker restarts (same loggers and formats).
        logging.getLogger("aiokafka.client").error(
            "Unable connect to node with id %s: %s", 1, "Connect call failed"
        )
        logging.getLogger("aiokafka.consumer.fetcher").error(
            "Failed fetch messages from %s: %s", 1, "NodeNotReadyError"
        )
        logging.getLogger("aiokafka.producer.sender").warning(
            "Got error produce response: %s", "KafkaConnectionError"
        )
        logging.getLogger("aiokafka.consumer.group_coordinator").info("Joined group %s", "g")
        logging.getLogger("other").error("Unable connect to node with id %s", 1)
    finally:
        logging.getLogger("aiokafka").removeHandler(handler)

    def retries(operation: str) -> float | None:
        return metrics.registry.get_sample_value(
            "stancewire_kafka_retries_total", {"operation": operation}
        )

    assert retries("connect") == 2
    assert retries("produce") == 1
