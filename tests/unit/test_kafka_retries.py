"""Kafka retries: aiokafka's logged attempts are counted; ours follow one backoff policy."""

from __future__ import annotations

import asyncio
import logging

import pytest
import tenacity
from prometheus_client import CollectorRegistry

from stancewire.metrics import Metrics
from stancewire.stream.kafka_retries import (
    backoff,
    count_client_retries,
    retry_forever,
    retry_startup,
)


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


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("stancewire.stream.kafka_retries.BACKOFF_FIRST_SECONDS", 0.0)
    monkeypatch.setattr("stancewire.stream.kafka_retries.BACKOFF_MAX_SECONDS", 0.0)


class Flaky:
    """Fails its first ``failures`` calls, naming the step that failed."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0
        self.step = "connect"

    def __call__(self) -> str:
        self.calls += 1
        self.step = "connect" if self.calls % 2 else "create_topics"
        if self.calls <= self.failures:
            raise ConnectionError(f"attempt {self.calls}")
        return "done"


@pytest.mark.usefixtures("no_backoff")
def test_startup_gives_up_after_its_attempts_with_the_last_error() -> None:
    retried: list[str] = []
    flaky = Flaky(failures=10)
    with pytest.raises(ConnectionError, match="attempt 3"):
        retry_startup(flaky, operation=lambda: flaky.step, attempts=3, on_retry=retried.append)
    assert flaky.calls == 3
    assert retried == ["connect", "create_topics"]  # the step that failed names each retry


@pytest.mark.usefixtures("no_backoff")
def test_startup_succeeds_once_kafka_answers() -> None:
    flaky, retried = Flaky(failures=2), []
    assert retry_startup(flaky, operation="connect", attempts=8, on_retry=retried.append) == "done"
    assert retried == ["connect", "connect"]


def test_backoff_doubles_from_half_a_second_up_to_ten() -> None:
    wait = backoff()
    state = tenacity.RetryCallState(tenacity.Retrying(), None, (), {})
    pauses = []
    for number in range(1, 8):
        state.attempt_number = number
        pauses.append(wait(state))
    assert pauses == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]


@pytest.mark.usefixtures("no_backoff")
def test_produce_is_retried_until_it_succeeds_but_not_past_a_final_error() -> None:
    retried: list[str] = []
    calls: list[int] = []

    async def send() -> str:
        calls.append(1)
        if len(calls) < 4:
            raise ConnectionError("broker unavailable")
        return "acknowledged"

    async def too_large() -> str:
        raise ValueError("record too large")

    result = asyncio.run(retry_forever(send, operation="produce", on_retry=retried.append))
    assert (result, retried) == ("acknowledged", ["produce"] * 3)
    with pytest.raises(ValueError):
        asyncio.run(
            retry_forever(
                too_large,
                operation="produce",
                on_retry=retried.append,
                retry_if=lambda exc: not isinstance(exc, ValueError),
            )
        )
    assert len(retried) == 3


def test_cancellation_is_never_retried() -> None:
    async def cancelled() -> str:
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        asyncio.run(retry_forever(cancelled, operation="produce", on_retry=lambda _: None))
