"""Retries of Kafka operations: ours (one backoff policy, tenacity) and the client's (counted).

Our own retries, :func:`retry_startup` (topic creation at start-up: a bounded number of
attempts, then the worker exits 3) and :func:`retry_forever` (publishing: never give up on a
record), share one exponential backoff and report every retry as
``stancewire_kafka_retries_total{operation}``.

Faust's Kafka client (aiokafka) rides out a broker that is briefly unavailable by itself: it
reconnects with backoff, refreshes metadata and re-sends, and the worker's sends simply wait.
None of that reaches the worker's code, so ``stancewire_kafka_retries_total`` would stay at
zero through a broker restart. aiokafka does log each failed attempt; this handler turns those
records into counts, by operation (``connect`` or ``produce``; bounded labels).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import tenacity

log = logging.getLogger(__name__)

T = TypeVar("T")

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


# --------------------------------------------------------------------- our own retries
# Backoff between our attempts: 0.5 s, doubling, at most 10 s (read at each call, so tests can
# shorten it).
BACKOFF_FIRST_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 10.0

Operation = str | Callable[[], str]


def backoff() -> tenacity.wait.wait_base:
    """The wait before each retry: 0.5 s, 1 s, 2 s, ... at most 10 s."""
    return tenacity.wait_exponential(
        multiplier=BACKOFF_FIRST_SECONDS, min=BACKOFF_FIRST_SECONDS, max=BACKOFF_MAX_SECONDS
    )


def _retry_policy(
    operation: Operation,
    on_retry: Callable[[str], None] | None,
    retry_if: Callable[[BaseException], bool],
) -> dict[str, Any]:
    """tenacity options shared by every retry of a Kafka operation."""

    def announce(state: tenacity.RetryCallState) -> None:
        name = operation if isinstance(operation, str) else operation()
        error = state.outcome.exception() if state.outcome is not None else None
        pause = state.next_action.sleep if state.next_action is not None else 0.0
        log.warning(
            "Kafka %s failed (%r); retry %d in %.1fs", name, error, state.attempt_number, pause
        )
        if on_retry is not None:
            on_retry(name)

    return {
        "wait": backoff(),
        # Only errors (Exception) are retried: never cancellation or exit.
        "retry": tenacity.retry_if_exception(
            lambda error: isinstance(error, Exception) and retry_if(error)
        ),
        "before_sleep": announce,
        "reraise": True,  # the last error itself, not tenacity's RetryError
    }


def retry_startup(
    attempt: Callable[[], T],
    *,
    operation: Operation,
    attempts: int,
    on_retry: Callable[[str], None] | None = None,
) -> T:
    """Call ``attempt`` until it succeeds, at most ``attempts`` times with backoff; each retry
    is reported as ``on_retry(operation)`` (``operation`` may be a function naming the step
    that failed); after the last attempt its error is raised (the worker then exits 3)."""
    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(attempts),
        **_retry_policy(operation, on_retry, lambda _: True),
    )
    return retrying(attempt)


async def retry_forever(
    attempt: Callable[[], Awaitable[T]],
    *,
    operation: str,
    on_retry: Callable[[str], None],
    retry_if: Callable[[BaseException], bool] = lambda _: True,
) -> T:
    """Await ``attempt()`` until it succeeds, with backoff; each retry reported as
    ``on_retry(operation)``. An error for which ``retry_if`` is false is raised at once."""
    retrying = tenacity.AsyncRetrying(**_retry_policy(operation, on_retry, retry_if))
    return await retrying(attempt)


__all__ = [
    "RETRY_MESSAGES",
    "RetryCounter",
    "backoff",
    "count_client_retries",
    "retry_forever",
    "retry_startup",
]
