"""Exactly-once corrections (stream/transactions.py), checked against a stand-in Faust app.

The end-to-end proof is the chaos suite's exactly-once scenario; these tests pin each
mechanism: the transaction a record is sent in, commits held back while an event is being
published, and open transactions aborted on revocation.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from faust.exceptions import ProducerSendError
from faust.types import TP
from mode.signals import Signal

from stancewire.stream import transactions


@dataclass
class FakeTransactionProducer:
    in_transaction: bool

    @property
    def _txn_manager(self) -> Any:
        return SimpleNamespace(is_in_transaction=lambda: self.in_transaction)


@dataclass
class FakeProducer:
    _transaction_producers: dict[str, FakeTransactionProducer] = field(default_factory=dict)
    aborted: list[str] = field(default_factory=list)
    sent: list[tuple[Any, ...]] = field(default_factory=list)

    async def abort_transaction(self, tid: str) -> None:
        self.aborted.append(tid)

    async def send(self, *args: Any, transactional_id: str | None = None) -> str:
        self.sent.append((*args, transactional_id))
        return "future"


@dataclass
class FakeConsumer:
    log: list[str]
    calls: int = 0

    async def commit(self, *_: Any, **__: Any) -> bool:
        self.calls += 1
        self.log.append("commit")
        return True


class FakeApp:
    """The parts of a Faust app that stream/transactions.py touches (hashable, as a sender)."""

    def __init__(self, log: list[str]) -> None:
        self.conf = SimpleNamespace(id="stancewire")
        self.assignor = SimpleNamespace(group_for_topic=lambda topic: 0)
        self.producer = FakeProducer()
        self.consumer = FakeConsumer(log)
        self.on_partitions_assigned = Signal().with_default_sender(self)
        self.on_partitions_revoked = Signal().with_default_sender(self)


def fake_app(log: list[str]) -> FakeApp:
    return FakeApp(log)


def test_transactional_id_is_fausts_id_of_the_input_partition() -> None:
    # Faust's TransactionManager names them f"{app.conf.id}-{topic group}-{partition}".
    assert transactions.transactional_id(fake_app([]), "news.articles", 3) == "stancewire-0-3"


def test_records_are_sent_in_the_transaction_of_their_input_partition() -> None:
    app = fake_app([])
    topic = SimpleNamespace(get_topic_name=lambda: "news.statements")
    future = asyncio.run(
        transactions.send_in_transaction(
            app, topic, b"key", b"value", [("h", b"1")], "news.articles", 2
        )
    )
    assert future == "future"
    assert app.producer.sent == [
        ("news.statements", b"key", b"value", None, None, [("h", b"1")], "stancewire-0-2")
    ]


def test_commits_wait_while_an_event_is_published_and_acked() -> None:
    log: list[str] = []
    app = fake_app(log)
    gate = transactions.CommitGate()
    gate.install(app)

    async def scenario() -> None:
        await app.on_partitions_assigned.send({TP("news.articles", 0)})
        await app.on_partitions_assigned.send({TP("news.articles", 0)})  # installs once

        async def publish_event() -> None:
            async with gate:
                log.append("first record")
                await asyncio.sleep(0.05)  # the timer's commit falls here
                log.append("ack")

        publishing = asyncio.create_task(publish_event())
        await asyncio.sleep(0.01)
        await app.consumer.commit()
        await publishing

    asyncio.run(scenario())
    assert log == ["first record", "ack", "commit"]


def test_gate_is_installed_once_across_rebalances() -> None:
    log: list[str] = []
    app = fake_app(log)
    transactions.CommitGate().install(app)

    async def scenario() -> None:
        for _ in range(3):
            await app.on_partitions_assigned.send({TP("news.articles", 1)})
        await app.consumer.commit()

    asyncio.run(scenario())
    assert log == ["commit"]


def test_open_transactions_of_revoked_partitions_are_aborted() -> None:
    app = fake_app([])
    app.producer._transaction_producers = {
        "stancewire-0-0": FakeTransactionProducer(in_transaction=True),
        "stancewire-0-1": FakeTransactionProducer(in_transaction=False),
        "stancewire-0-2": FakeTransactionProducer(in_transaction=True),  # not revoked
    }
    transactions.abort_open_transactions_on_revoke(app)
    revoked = {TP("news.articles", 0), TP("news.articles", 1), TP("news.articles", 3)}
    asyncio.run(app.on_partitions_revoked.send(revoked))
    assert app.producer.aborted == ["stancewire-0-0"]


def test_a_send_without_transaction_producer_means_the_partition_was_revoked() -> None:
    assert transactions.is_revoked(ProducerSendError("No transaction producer found for : x"))
    assert not transactions.is_revoked(ProducerSendError("message too large"))
    assert not transactions.is_revoked(RuntimeError("No transaction producer found"))
