"""Exactly-once mode: corrections to faust-streaming 0.15's use of Kafka transactions.

With ``processing_guarantee="exactly_once"`` Faust keeps one transactional producer per input
partition and commits that partition's consumed offsets in the same transaction as what was
produced while processing it. The chaos suite (``tests/chaos``, 200 articles, worker SIGKILL
and broker restart) still showed duplicate statements to a ``read_committed`` consumer, for
three reasons, each corrected here:

1. **Records sent outside any transaction** (faust-streaming #177). ``topic.send`` picks the
   transaction from the partition the record goes *to*, looked up in the consumer's metadata,
   which does not hold the output topics, so the record goes through the plain producer.
   Measured: every output batch ``isTransactional: false`` (``kafka.tools.DumpLogSegments``),
   54 duplicate statements. :func:`send_in_transaction` uses the *input* partition's one.
2. **A transaction kept open across a rebalance.** After the broker restart the group session
   expires; on the rebalance that follows Faust cannot commit (the partitions are no longer
   assigned), leaves the transactions open, seeks back to the committed offsets and processes
   those records again *into the same transaction*, which then commits both copies (log:
   ``begin_transaction ... IN_TRANSACTION -> IN_TRANSACTION``). Measured: 8 duplicates with
   (1) fixed. :func:`abort_open_transactions_on_revoke` aborts what Faust left open.
3. **A commit between an event's records and its ack.** Faust commits on a timer with the
   offsets acked so far; a commit that falls after an event's first record and before its ack
   commits the records without the offset, and after a crash the event is processed again
   (the offsets are taken before the transaction's lock). Measured: 4 to 23 duplicates with
   (1) and (2) fixed. :class:`CommitGate` holds commits back from an event's first record to
   its ack.

:func:`abort_open_transactions_on_revoke` reads one private attribute of Faust's aiokafka
producer (``_transaction_producers``, faust-streaming 0.15); the chaos test fails if it changes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

Headers = list[tuple[str, bytes]]

log = logging.getLogger(__name__)


def transactional_id(app: Any, topic: str, partition: int) -> str:
    """Faust's transactional id of an input partition (``faust.transport.consumer``)."""
    return f"{app.conf.id}-{app.assignor.group_for_topic(topic)}-{partition}"


class TransactionFailed(Exception):
    """A send inside a transaction failed: the transaction can only be aborted."""


class CommitGate:
    """Keeps Faust from committing between an event's first record and its ack.

    Faust commits on a timer: it takes the offsets acked so far, then commits each
    partition's transaction with them. Without the gate a commit that falls between an
    event's first record and its ack commits the records without the event's offset, and
    after a crash the event is processed again. The gate wraps the consumer's ``commit`` so
    that it waits while an event is being published and acked (``async with gate:``).
    """

    def __init__(self) -> None:
        self._lock = asyncio.Lock()

    async def __aenter__(self) -> None:
        await self._lock.acquire()

    async def __aexit__(self, *_: object) -> None:
        self._lock.release()

    def install(self, app: Any) -> None:
        """Gate the commits of ``app``'s consumer from its first assignment on (the consumer
        must be the one Faust creates when the worker starts, not one made earlier)."""

        @app.on_partitions_assigned.connect  # type: ignore[untyped-decorator]
        async def _gate_commits(sender: Any, assigned: Any, **_: Any) -> None:
            consumer = app.consumer
            if getattr(consumer, "_stancewire_commit_gate", None) is self:
                return
            commit = consumer.commit

            async def gated_commit(*args: Any, **kwargs: Any) -> Any:
                async with self._lock:
                    return await commit(*args, **kwargs)

            consumer.commit = gated_commit
            consumer._stancewire_commit_gate = self


async def send_in_transaction(
    app: Any,
    topic: Any,
    key: bytes | None,
    value: bytes,
    headers: Headers,
    source_topic: str,
    source_partition: int,
) -> Any:
    """Send one record in the transaction of the input partition it was produced from;
    returns the future of its acknowledgement.

    Faust's ``topic.send`` would pick the transaction from the partition the record goes
    *to*, looked up in the consumer's metadata, which does not hold the output topics, and
    so send it outside any transaction (faust-streaming #177).
    """
    return await app.producer.send(
        topic.get_topic_name(),
        key,
        value,
        None,  # partition: by key, like every other record
        None,  # timestamp: now
        headers,
        transactional_id=transactional_id(app, source_topic, source_partition),
    )


def is_revoked(exc: BaseException) -> bool:
    """Faust has no transactional producer for the input partition any more: it was revoked,
    its transaction aborted, and its new owner processes the record again."""
    from faust.exceptions import ProducerSendError

    return isinstance(exc, ProducerSendError) and "No transaction producer" in str(exc)


def abort_open_transactions_on_revoke(app: Any) -> None:
    """On every revocation, abort the transactions Faust left open (see the module doc).

    Faust sends ``on_partitions_revoked`` after it has waited for the agents to finish their
    current events, flushed the producer and committed what it could, so whatever is still
    open here belongs to records whose offsets were not committed.
    """

    @app.on_partitions_revoked.connect  # type: ignore[untyped-decorator]
    async def _abort(sender: Any, revoked: Iterable[Any], **_: Any) -> None:
        producer = app.producer
        open_ids = getattr(producer, "_transaction_producers", {})
        for tid in sorted({transactional_id(app, tp.topic, tp.partition) for tp in revoked}):
            transaction_producer = open_ids.get(tid)
            if transaction_producer is None or not _in_transaction(transaction_producer):
                continue
            log.info("aborting transaction %s left open by the rebalance", tid)
            await producer.abort_transaction(tid)


def _in_transaction(transaction_producer: Any) -> bool:
    manager = getattr(transaction_producer, "_txn_manager", None)
    return bool(manager is not None and manager.is_in_transaction())


__all__ = [
    "CommitGate",
    "TransactionFailed",
    "abort_open_transactions_on_revoke",
    "is_revoked",
    "send_in_transaction",
    "transactional_id",
]
