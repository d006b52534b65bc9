"""The enrichment agent: one input record in, StatementEvents or one DeadLetterEvent out.

Faust acks (and so loses) an event whose agent raises, so :class:`ArticleProcessor` never lets
an exception escape: every input is either enriched and its statements published, or published
to the dead-letter topic with its reason. Several articles are enriched at once (one per
enrichment process); an :class:`~stancewire.stream.ordering.OrderedWindow` publishes them in
input order per partition. Publishing is awaited until the broker has acknowledged it, and
retried with backoff while the broker is unavailable, before the event is acked; Faust commits
an offset only once it and every earlier one of its partition are acked (at-least-once).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from stancewire import kafka_config
from stancewire.events import (
    ArticleEvent,
    ErrorType,
    StatementEvent,
)
from stancewire.metrics import Metrics
from stancewire.pipeline import to_statement_events
from stancewire.settings import Settings
from stancewire.stream import transactions
from stancewire.stream.enrichment import EnrichmentPool, EnrichmentTimeout
from stancewire.stream.kafka_retries import retry_forever
from stancewire.stream.ordering import OrderedWindow
from stancewire.stream.records import (
    Headers,
    InputRejected,
    RecordOrigin,
    dead_letter_value,
    decode_article,
    output_headers,
)

log = logging.getLogger(__name__)

# JSON envelope around a body at the size limit; a record beyond body limit + this is rejected
# as message_too_large before it is even decoded.
ENVELOPE_BYTES = 64 * 1024
# Records in flight per enrichment process: one being enriched, one finished and waiting for an
# earlier record of its partition (or being published), so that no process idles meanwhile.
WINDOW_PER_PROCESS = 2


@dataclass(frozen=True)
class Enriched:
    """An article's statements, ready to publish."""

    article: ArticleEvent
    events: list[StatementEvent]


@dataclass(frozen=True)
class Rejected:
    """An input that goes to the dead-letter topic."""

    error_type: ErrorType
    message: str
    article_id: str | None


Outcome = Enriched | Rejected


@dataclass(frozen=True)
class InputRecord:
    """What the processor needs of one Faust event."""

    raw: bytes | None
    origin: RecordOrigin
    headers: Headers
    timestamp: float | None

    @classmethod
    def of(cls, event: Any) -> InputRecord:
        message = event.message
        origin = RecordOrigin(
            topic=message.topic,
            partition=message.partition,
            offset=message.offset,
            key=message.key if isinstance(message.key, bytes) else None,
        )
        raw = event.value if isinstance(event.value, bytes) or event.value is None else None
        return cls(raw, origin, _headers_of(message.headers), message.timestamp)


class ArticleProcessor:
    """Processes input events in two steps: :meth:`enrich` (concurrent, in the enrichment
    pool) and :meth:`publish` (in input order per partition, then the ack). Holds the topics,
    metrics and enrichment pool it needs."""

    def __init__(
        self,
        settings: Settings,
        metrics: Metrics,
        pool: EnrichmentPool,
        output_topic: Any,
        dead_letter_topic: Any,
    ) -> None:
        self.settings = settings
        self.metrics = metrics
        self.pool = pool
        self.output_topic = output_topic
        self.dead_letter_topic = dead_letter_topic
        # In exactly-once mode a record must go to its input partition's transaction.
        self.exactly_once = settings.processing_guarantee == "exactly_once"
        self.commit_gate = transactions.CommitGate()

    async def process(self, event: Any) -> None:
        """Both steps for one Faust event. Never raises (except cancellation at shutdown)."""
        await self.publish(event, await self.enrich(event))

    async def enrich(self, event: Any) -> Outcome:
        """Decode, validate and enrich one event. Never raises (except cancellation)."""
        record = InputRecord.of(event)
        self.metrics.articles_consumed.inc()
        self.metrics.articles_in_flight.inc()
        try:
            return await self._enrich(record)
        except asyncio.CancelledError:
            self.metrics.articles_in_flight.dec()
            raise
        except Exception as exc:  # last resort: a bug must not lose the record
            log.exception("unexpected failure on %s[%d]@%d", *_where(record.origin))
            return Rejected("enrichment_failed", repr(exc), None)

    async def _enrich(self, record: InputRecord) -> Outcome:
        limit = self.settings.max_body_bytes
        try:
            article = decode_article(
                record.raw, max_body_bytes=limit, max_record_bytes=limit + ENVELOPE_BYTES
            )
        except InputRejected as rejected:
            return Rejected(rejected.error_type, rejected.message, rejected.article_id)
        try:
            enrichment = await self.pool.enrich(article.body)
        except EnrichmentTimeout as exc:
            return Rejected("enrichment_timeout", str(exc), article.article_id)
        except Exception as exc:
            log.warning("enrichment of %r failed: %r", article.article_id, exc)
            return Rejected("enrichment_failed", repr(exc), article.article_id)
        self.metrics.enrichment_duration.observe(enrichment.seconds)
        events = to_statement_events(article, enrichment.statements, enrichment.enricher_version)
        return Enriched(article, events)

    async def publish(self, event: Any, outcome: Outcome) -> None:
        """Publish an event's statements or dead letter, then ack it (Faust commits acked
        offsets only). Never raises (except cancellation: the event then stays unacked)."""
        record = InputRecord.of(event)
        try:
            if self.exactly_once:
                await self._publish_in_transaction(event, record, outcome)
            else:
                await self._publish(record, outcome)
        except (asyncio.CancelledError, transactions.TransactionFailed):
            raise
        except Exception as exc:  # last resort: a bug must not lose the record
            log.exception("unexpected failure on %s[%d]@%d", *_where(record.origin))
            await self._dead_letter(record, Rejected("enrichment_failed", repr(exc), None))
        finally:
            self.metrics.articles_in_flight.dec()
        event.ack()  # idempotent: in exactly-once mode it was acked inside its transaction

    async def _publish_in_transaction(
        self, event: Any, record: InputRecord, outcome: Outcome
    ) -> None:
        """Exactly-once: the event's records and its ack with no commit in between."""
        app = self.output_topic.app
        origin = record.origin
        try:
            async with self.commit_gate:
                await self._publish(record, outcome)
                if not event.ack():
                    log.warning("%s[%d]@%d not acked by the agent", *_where(origin))
        except transactions.TransactionFailed as failed:
            if transactions.is_revoked(failed.__cause__ or failed):
                # Its new owner processes the record again from the committed offset.
                log.info("%s[%d]@%d revoked: left to its new owner", *_where(origin))
                return
            # The transaction cannot be committed any more: exit non-zero; after the restart
            # the transaction is aborted and everything since the committed offsets redone.
            log.error("transaction of %s[%d]@%d failed: %r", *_where(origin), failed)
            await app.crash(failed)

    async def _publish(self, record: InputRecord, outcome: Outcome) -> None:
        if isinstance(outcome, Rejected):
            await self._dead_letter(record, outcome)
            return
        article, events = outcome.article, outcome.events
        try:
            await self._publish_statements(article, events, record.origin, record.headers)
        except RecordTooLarge as exc:
            message = f"a statement is too large to publish: {exc}"
            await self._dead_letter(
                record, Rejected("message_too_large", message, article.article_id)
            )
            return
        self.metrics.articles_enriched.inc()
        self.metrics.record_statements(events)
        if record.timestamp is not None:
            self.metrics.end_to_end_lag.observe(max(0.0, time.time() - record.timestamp))

    async def _publish_statements(
        self,
        article: ArticleEvent,
        events: Sequence[StatementEvent],
        origin: RecordOrigin,
        input_headers: Headers,
    ) -> None:
        if not events:
            return
        headers = output_headers("StatementEvent", input_headers)
        key = article.article_id.encode("utf-8")
        records = [event.model_dump_json().encode("utf-8") for event in events]
        await self._send_all(self.output_topic, key, records, headers, origin)

    async def _dead_letter(self, record: InputRecord, rejected: Rejected) -> None:
        error_type, origin = rejected.error_type, record.origin
        self.metrics.record_failure(error_type)
        # Room for the key, headers and record framing under the producer's request limit.
        max_bytes = kafka_config.max_record_bytes(self.settings) - 16 * 1024
        value = dead_letter_value(
            record.raw, origin, error_type, rejected.message, rejected.article_id, max_bytes
        )
        log.info(
            "dead letter %s for %s[%d]@%d: %s", error_type, *_where(origin), rejected.message[:200]
        )
        headers = output_headers("DeadLetterEvent", record.headers)
        await self._send_all(self.dead_letter_topic, origin.key, [value], headers, origin)
        self.metrics.record_dead_letter(error_type)

    async def _send_all(
        self,
        topic: Any,
        key: bytes | None,
        values: Sequence[bytes],
        headers: Headers,
        origin: RecordOrigin,
    ) -> None:
        """Send every value and wait for the broker's acknowledgements; retry while it fails."""

        async def attempt() -> None:
            try:
                pending = [await self._send(topic, key, value, headers, origin) for value in values]
                await asyncio.gather(*pending)
            except Exception as exc:
                if _too_large(exc):
                    # Refused before it was sent: retrying cannot help, and would block the
                    # partition forever (the transaction, if any, is unharmed).
                    raise RecordTooLarge(repr(exc)) from exc
                if self.exactly_once:
                    # A failed send leaves the transaction unable to commit: no retry in it.
                    raise transactions.TransactionFailed(repr(exc)) from exc
                raise

        # Re-sending may duplicate records: harmless, statement ids are deterministic.
        await retry_forever(
            attempt,
            operation="produce",
            on_retry=self.metrics.record_kafka_retry,
            retry_if=lambda exc: (
                not isinstance(exc, RecordTooLarge | transactions.TransactionFailed)
            ),
        )

    async def _send(
        self, topic: Any, key: bytes | None, value: bytes, headers: Headers, origin: RecordOrigin
    ) -> Any:
        """Schedule one record; returns the future of its acknowledgement. In exactly-once
        mode the record joins the transaction of the input partition it came from."""
        if self.exactly_once:
            return await transactions.send_in_transaction(
                topic.app, topic, key, value, headers, origin.topic, origin.partition
            )
        return await topic.send(key=key, value=value, headers=headers)


class RecordTooLarge(Exception):
    """The producer refused a record as larger than its request size limit."""


def _too_large(exc: BaseException) -> bool:
    # Faust wraps aiokafka's MessageSizeTooLargeError in a ProducerSendError message.
    return "MessageSizeTooLarge" in f"{type(exc).__name__} {exc}"


def _retryable(exc: BaseException) -> bool:
    return not isinstance(exc, RecordTooLarge | transactions.TransactionFailed)


def _where(origin: RecordOrigin) -> tuple[str, int, int]:
    return origin.topic, origin.partition, origin.offset


def _headers_of(raw_headers: Any) -> Headers:
    """Faust gives headers as a list of pairs or a mapping, depending on the driver."""
    if not raw_headers:
        return []
    items = raw_headers.items() if hasattr(raw_headers, "items") else raw_headers
    return [(str(name), bytes(value or b"")) for name, value in items]


def register_agents(app: Any, settings: Settings, metrics: Metrics, pool: EnrichmentPool) -> Any:
    """Declare the topics on ``app`` and register the enrichment agent; returns the agent."""
    raw = {"key_serializer": "raw", "value_serializer": "raw"}
    source = app.topic(settings.input_topic, allow_empty=True, **raw)
    output = app.topic(settings.output_topic, **raw)
    dead_letters = app.topic(settings.dead_letter_topic, **raw)
    processor = ArticleProcessor(settings, metrics, pool, output, dead_letters)
    if processor.exactly_once:
        processor.commit_gate.install(app)

    async def enrich_articles(stream: Any) -> None:
        window: OrderedWindow[Outcome] = OrderedWindow(
            WINDOW_PER_PROCESS * pool.processes, on_failure=app.crash
        )
        try:
            # events(), not values(): the record's partition, offset, headers and timestamp
            # matter. noack(): the processor acks an event once it and every earlier event of
            # its partition are published (Faust would ack it when the loop moves on).
            async for event in stream.noack().events():
                await window.submit(
                    event.message.tp, processor.enrich(event), partial(processor.publish, event)
                )
        finally:
            await window.close()

    return app.agent(source, name="stancewire.enrich_articles")(enrich_articles)


__all__ = ["ArticleProcessor", "Enriched", "Outcome", "Rejected", "register_agents"]
