"""The skip guard: which offsets a stream jumped over, and the dyad agents reading them back."""

from __future__ import annotations

import asyncio

import pytest
from test_dyad_agents import Event, Message, harness
from test_dyads import statement, target

from stancewire.stream.skips import SkipGuard, SkippedRecord, read_skipped


def test_a_jump_past_the_expected_offset_is_the_skipped_range() -> None:
    guard = SkipGuard()
    guard.assign({("t", 0): 54, ("t", 1): 0})
    assert guard.skipped("t", 0, 68) == (54, 68)
    assert guard.skipped("t", 0, 69) is None  # contiguous from there
    assert guard.skipped("t", 1, 0) is None
    assert guard.skipped("t", 1, 3) == (1, 3)


def test_a_seek_back_or_redelivery_is_no_gap_and_restarts_the_count() -> None:
    guard = SkipGuard()
    guard.assign({("t", 0): 10})
    assert guard.skipped("t", 0, 10) is None
    assert guard.skipped("t", 0, 4) is None  # Faust seeked back: no gap
    assert guard.skipped("t", 0, 6) == (5, 6)


def test_an_unassigned_partition_is_taken_as_it_comes_and_a_rebalance_forgets() -> None:
    guard = SkipGuard()
    guard.assign({})
    assert guard.skipped("t", 2, 40) is None
    assert guard.skipped("t", 2, 42) == (41, 42)
    guard.begin_assignment()
    guard.assign({("t", 2): 100})
    assert guard.skipped("t", 2, 100) is None


def test_the_agents_wait_for_the_assignment_before_they_check() -> None:
    async def scenario() -> list[str]:
        guard, seen = SkipGuard(), []

        async def agent() -> None:
            await guard.wait_assigned()
            seen.append(f"gap {guard.skipped('t', 0, 9)}")

        task = asyncio.create_task(agent())
        await asyncio.sleep(0.01)
        seen.append("assigned")
        guard.assign({("t", 0): 7})
        await task
        return seen

    assert asyncio.run(scenario()) == ["assigned", "gap (7, 9)"]


class ListReader:
    """The records of a partition, as a RangeReader over a list; fails ``fail`` times first."""

    def __init__(self, records: list[SkippedRecord], fail: int = 0) -> None:
        self.records, self.fail, self.calls = records, fail, []

    def read(self, topic: str, partition: int, start: int, end: int) -> list[SkippedRecord]:
        self.calls.append((topic, partition, start, end))
        if self.fail:
            self.fail -= 1
            raise ConnectionError("broker down")
        return [
            r
            for r in self.records
            if (r.topic, r.partition) == (topic, partition) and start <= r.offset < end
        ]


def test_read_skipped_retries_while_the_broker_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    record = SkippedRecord("t", 0, 5, 0.0, b"x")
    reader = ListReader([record], fail=2)
    retries: list[str] = []
    monkeypatch.setattr("stancewire.stream.kafka_retries.BACKOFF_FIRST_SECONDS", 0.0)
    monkeypatch.setattr("stancewire.stream.kafka_retries.BACKOFF_MAX_SECONDS", 0.0)
    found = asyncio.run(read_skipped(reader, "t", 0, (3, 7), retries.append))
    assert found == [record] and len(retries) == 2 and len(reader.calls) == 3
    assert retries == ["consume", "consume"]


def test_statements_the_stream_skipped_are_read_back_and_indexed_before_the_next() -> None:
    index, by_dyad, published, _, registry = harness()
    statements = [
        statement(f"s{i}", [target("RU")], start=20 * i).model_dump_json().encode()
        for i in range(4)
    ]
    topic = "news.statements"
    # On the topic: offsets 10..13; the stream delivers 10, then jumps to 13.
    index.reader = ListReader(
        [SkippedRecord(topic, 0, 10 + i, 1e9, raw) for i, raw in enumerate(statements)]
    )
    index.guard.assign({(topic, 0): 10, ("by-dyad", 0): 0})

    async def deliver(offset: int) -> None:
        before = len(by_dyad.sent)
        await index.route(Event(statements[offset - 10], Message(topic, 0, offset)))
        for n, record in enumerate(by_dyad.sent[before:]):
            await index.index(Event(record["value"], Message("by-dyad", 0, before + n)))

    asyncio.run(deliver(10))
    asyncio.run(deliver(13))
    [window] = index.snapshot.query("KZ", "RU")
    assert window.statements == 4  # s1 and s2 were read back
    assert registry.get_sample_value("stancewire_dyad_records_read_back_total") == 2
    assert index.reader.calls == [(topic, 0, 11, 13)]
    assert len(published.sent) == 4


def test_a_gap_with_no_record_in_it_reads_nothing_back() -> None:
    index, by_dyad, _, _, registry = harness()
    raw = statement("s1", [target("RU")]).model_dump_json().encode()
    index.reader = ListReader([])  # a transaction marker at offset 0
    index.guard.assign({("news.statements", 0): 0})
    asyncio.run(index.route(Event(raw, Message("news.statements", 0, 1))))
    assert len(by_dyad.sent) == 1
    assert registry.get_sample_value("stancewire_dyad_records_read_back_total") == 0
