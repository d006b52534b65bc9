"""The worker end to end on a real Kafka broker: statements out, dead letters, restarts, metrics."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

import pytest
from worker_harness import KafkaIO, Record, TopicSet, WorkerFactory, wait_for

from stancewire.events import (
    HEADER_SCHEMA,
    HEADER_SCHEMA_VERSION,
    HEADER_TRACEPARENT,
    SCHEMA_VERSION,
    DeadLetterEvent,
    StatementEvent,
)
from stancewire_dev import PROJECT_ROOT

# Bounded: a stuck broker or worker fails the test instead of hanging the suite.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]

SEED_ARTICLE = PROJECT_ROOT / "samples" / "seed_article.json"
TRACEPARENT = b"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def seed_article(article_id: str | None = None) -> dict[str, Any]:
    article: dict[str, Any] = json.loads(Path(SEED_ARTICLE).read_text(encoding="utf-8"))
    if article_id is not None:
        article["article_id"] = article_id
    return article


def encode(document: dict[str, Any]) -> bytes:
    return json.dumps(document).encode("utf-8")


def statements_of(records: list[Record], article_id: str) -> list[StatementEvent]:
    events = [StatementEvent.model_validate_json(r.value or b"") for r in records]
    return [event for event in events if event.article_id == article_id]


def dead_letters(records: list[Record]) -> list[DeadLetterEvent]:
    return [DeadLetterEvent.model_validate_json(r.value or b"") for r in records]


def test_seed_article_gives_contract_statements_with_deterministic_ids(
    topic_set: TopicSet, start_worker: WorkerFactory, kafka_io: KafkaIO
) -> None:
    worker = start_worker(topic_set)
    article = seed_article()
    article["unknown_field"] = "ignored"  # unknown fields are ignored, not dead-lettered
    key = article["article_id"].encode()
    traceparent = [(HEADER_TRACEPARENT, TRACEPARENT)]
    kafka_io.publish(topic_set.input, [(key, encode(article))], headers=traceparent)

    # The enriched count rises only once every statement has been acknowledged by Kafka.
    wait_for(lambda: worker.value("stancewire_articles_enriched_total") == 1, 60, "enrichment")
    count = int(worker.value("stancewire_statements_published_total"))
    assert count > 0
    first = kafka_io.read(topic_set.output, lambda records: len(records) >= count)
    events = statements_of(first, article["article_id"])
    assert len(events) == len(first)

    body = article["body"]
    for record, event in zip(first, events, strict=True):
        assert record.key == key
        assert record.headers[HEADER_SCHEMA] == b"StatementEvent"
        assert record.headers[HEADER_SCHEMA_VERSION] == str(SCHEMA_VERSION).encode()
        assert record.headers[HEADER_TRACEPARENT] == TRACEPARENT
        assert event.schema_version == SCHEMA_VERSION
        assert body[event.span.start : event.span.end] == event.text
        assert body[event.cue.start : event.cue.end] == event.cue.text
        assert body[event.content.start : event.content.end] == event.content.text
        assert event.source == article.get("source")
        assert event.url == article.get("url")
        assert event.enricher.version
    assert len({event.statement_id for event in events}) == len(events)

    # The same article again gives the same statement ids.
    kafka_io.publish(topic_set.input, [(key, encode(article))])
    both = kafka_io.read(topic_set.output, lambda records: len(records) >= 2 * count)
    assert len(both) == 2 * count
    again = statements_of(both, article["article_id"])[count:]
    assert [e.statement_id for e in again] == [e.statement_id for e in events]


def test_bad_inputs_land_on_the_dead_letter_topic_and_the_next_article_is_processed(
    topic_set: TopicSet, start_worker: WorkerFactory, kafka_io: KafkaIO
) -> None:
    worker = start_worker(topic_set, max_body_bytes="4000")
    seed = seed_article("after-the-bad-ones")
    missing_body = {"article_id": "no-body", "title": "Where is the body?"}
    oversize = {"article_id": "too-big", "body": "Officials said it was fine. " * 400}
    not_utf8 = b'{"article_id": "latin1", "body": "caf\xe9"}'
    # One key, so one partition: the good article comes strictly after the bad ones.
    bad: list[tuple[bytes | None, bytes | None]] = [
        (b"k", b'{"article_id": "broken", "body": '),
        (b"k", encode(missing_body)),
        (b"k", encode(oversize)),
        (b"k", not_utf8),
    ]
    kafka_io.publish(topic_set.input, [*bad, (b"k", encode(seed))])

    letters = dead_letters(kafka_io.read(topic_set.dead_letter, lambda r: len(r) >= 4))
    by_type = {letter.error_type: letter for letter in letters}
    assert set(by_type) == {"invalid_json", "invalid_event", "body_too_large", "not_utf8"}
    assert by_type["invalid_event"].article_id == "no-body"
    assert "body" in by_type["invalid_event"].error_message
    assert by_type["body_too_large"].article_id == "too-big"
    assert by_type["not_utf8"].original_encoding == "base64"
    assert base64.b64decode(by_type["not_utf8"].original_value or "") == not_utf8
    assert by_type["invalid_json"].original_value == '{"article_id": "broken", "body": '
    for letter in letters:
        assert letter.source_topic == topic_set.input
        assert letter.source_offset >= 0

    statements = kafka_io.read(topic_set.output, lambda r: len(r) > 0)
    assert statements_of(statements, "after-the-bad-ones")

    # /metrics counts them by reason.
    wait_for(
        lambda: worker.value("stancewire_articles_enriched_total") == 1,
        30,
        "the enriched count on /metrics",
    )
    assert worker.value("stancewire_articles_consumed_total") == 5
    for reason in ("invalid_json", "invalid_event", "body_too_large", "not_utf8"):
        assert worker.value("stancewire_dead_letters_total", reason=reason) == 1
        assert worker.value("stancewire_articles_failed_total", reason=reason) == 1
    assert worker.value("stancewire_statements_published_total") >= 1
    assert worker.value("stancewire_enrichment_duration_seconds_count") == 1
    assert worker.value("stancewire_end_to_end_lag_seconds_count") == 1
    assert worker.value("stancewire_articles_in_flight") == 0
    assert worker.value("stancewire_consumer_rebalances_total") >= 1  # joining is a rebalance


def test_restarted_worker_does_not_reprocess_committed_offsets(
    topic_set: TopicSet, start_worker: WorkerFactory, kafka_io: KafkaIO
) -> None:
    first = start_worker(topic_set)
    kafka_io.publish(topic_set.input, [(b"a", encode(seed_article("first-run")))])
    wait_for(
        lambda: first.value("stancewire_articles_enriched_total") == 1, 60, "the first article"
    )
    assert first.stop() == 0, first.log_text()[-3000:]

    second = start_worker(topic_set)
    kafka_io.publish(topic_set.input, [(b"b", encode(seed_article("second-run")))])
    wait_for(
        lambda: second.value("stancewire_articles_enriched_total") == 1, 60, "the second article"
    )
    # The second worker read only the new record: the first one's offset was committed.
    assert second.value("stancewire_articles_consumed_total") == 1
    records = kafka_io.read(topic_set.output, lambda r: False, timeout=3)
    first_run = statements_of(records, "first-run")
    second_run = statements_of(records, "second-run")
    assert first_run and second_run
    assert len(first_run) == len(second_run)  # the first article was not published twice


def test_slow_enrichment_times_out_to_the_dead_letter_topic_while_metrics_keep_answering(
    topic_set: TopicSet, start_worker: WorkerFactory, kafka_io: KafkaIO
) -> None:
    worker = start_worker(topic_set, enrich_timeout_seconds="1.5")
    sentence = "The minister said that talks with Canada would resume on Monday. "
    slow = {"article_id": "slow", "body": sentence * 12_000}  # ~800 KB: seconds of parsing
    kafka_io.publish(topic_set.input, [(b"k", encode(slow)), (b"k", encode(seed_article("next")))])

    # While a child process parses, the event loop and the /metrics thread stay responsive
    # (with two processes the next article is enriched meanwhile and waits for its turn).
    wait_for(lambda: worker.value("stancewire_articles_in_flight") >= 1, 30, "slow article")
    started = time.monotonic()
    worker.scrape()
    assert time.monotonic() - started < 1.0

    letters = dead_letters(kafka_io.read(topic_set.dead_letter, lambda r: len(r) >= 1))
    assert [(letter.article_id, letter.error_type) for letter in letters] == [
        ("slow", "enrichment_timeout")
    ]
    # The next article is enriched (by the other child, or a fresh one with one process).
    statements = kafka_io.read(topic_set.output, lambda r: len(r) > 0)
    assert statements_of(statements, "next")
    assert worker.value("stancewire_dead_letters_total", reason="enrichment_timeout") == 1


def test_exactly_once_mode_publishes_statements_and_dead_letters_in_transactions(
    topic_set: TopicSet, start_worker: WorkerFactory, kafka_io: KafkaIO
) -> None:
    worker = start_worker(topic_set, processing_guarantee="exactly_once")
    kafka_io.publish(
        topic_set.input,
        [(b"x", b"not json"), (b"seed", encode(seed_article("eos")))],
    )
    wait_for(lambda: worker.value("stancewire_articles_enriched_total") == 1, 60, "enrichment")
    count = int(worker.value("stancewire_statements_published_total"))
    # kafka_io reads read_committed: only records of committed transactions are visible.
    statements = kafka_io.read(topic_set.output, lambda r: len(r) >= count, timeout=30)
    assert len(statements_of(statements, "eos")) == count
    letters = dead_letters(kafka_io.read(topic_set.dead_letter, lambda r: len(r) >= 1))
    assert [letter.error_type for letter in letters] == ["invalid_json"]
    assert worker.stop() == 0


@pytest.mark.parametrize("guarantee", ["at_least_once", "exactly_once"])
def test_two_enrichment_processes_publish_a_partition_in_input_order(
    topic_set: TopicSet, start_worker: WorkerFactory, kafka_io: KafkaIO, guarantee: str
) -> None:
    # One partition everywhere: the output topic's order is the order of publication.
    worker = start_worker(
        topic_set, enrich_processes="2", topic_partitions="1", processing_guarantee=guarantee
    )
    sentence = "The minister said that talks with Canada would resume on Monday. "
    long = {"article_id": "long", "body": sentence * 800}  # enriched while the short ones finish
    shorts = [seed_article(f"short-{n}") for n in range(4)]
    kafka_io.publish(topic_set.input, [(b"k", encode(d)) for d in [long, *shorts, long]])
    wait_for(lambda: worker.value("stancewire_articles_enriched_total") == 6, 120, "6 articles")
    count = int(worker.value("stancewire_statements_published_total"))
    records = kafka_io.read(topic_set.output, lambda r: len(r) >= count, timeout=60)
    order: list[str] = []
    for record in records:
        article_id = StatementEvent.model_validate_json(record.value or b"").article_id
        if not order or order[-1] != article_id:
            order.append(article_id)
    assert order == ["long", "short-0", "short-1", "short-2", "short-3", "long"]
    assert worker.stop() == 0
