"""Counts the Kafka client's own retries, so broker unavailability shows in the metrics.

Faust's Kafka client (aiokafka) rides out a broker that is briefly unavailable by itself: it
reconnects with backoff, refreshes metadata and re-sends, and the worker's sends simply wait.
None of that reaches the worker's code, so ``stancewire_kafka_retries_total`` would stay at
zero through a broker restart. aiokafka does log each failed attempt; this handler turns those
records into counts, by operation (``connect`` or ``produce``; bounded labels).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

# aiokafka 0.14 messages of one failed attempt that it retries after a backoff, by operation.
RETRY_MESSAGES: dict[str, str] = {
    "Unable connect to node": "connect",
    "Unable to request metadata": "connect",
    "Failed fetch messages": "connect",
    "Group Coordinator Request failed": "connect",
    "Got error produce response": "produce",
}


class RetryCounter(logging.Handler):
    """A logging handler that reports each retried Kafka operation to ``on_retry``."""

    def __init__(self, on_retry: Callable[[str], None]) -> None:
        super().__init__(level=logging.WARNING)
        self.on_retry = on_retry

    def emit(self, record: logging.LogRecord) -> None:
        message = record.msg if isinstance(record.msg, str) else ""
        for prefix, operation in RETRY_MESSAGES.items():
            if message.startswith(prefix):
                self.on_retry(operation)
                return


def count_client_retries(on_retry: Callable[[str], None]) -> RetryCounter:
    """Attach a :class:`RetryCounter` to aiokafka's loggers; returns it (to remove later)."""
    handler = RetryCounter(on_retry)
    logger = logging.getLogger("aiokafka")
    logger.addHandler(handler)
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)
    return handler


__all__ = ["RETRY_MESSAGES", "RetryCounter", "count_client_retries"]
