"""The enrichment agent: one input record in, StatementEvents or one DeadLetterEvent out.

Faust acks (and so loses) an event whose agent raises, so :class:`ArticleProcessor` never lets
an exception escape: every input is either enriched and its statements published, or published
to the dead-letter topic with its reason. Publishing is awaited until the broker has
acknowledged it, and retried with backoff while the broker is unavailable, before the loop moves
on; Faust commits an offset only once the loop has moved past it (at-least-once).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
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
PUBLISH_BACKOFF_MAX_SECONDS = 10.0


class ArticleProcessor:
    """Processes input events; holds the topics, metrics and enrichment pool it needs."""

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
        """Handle one Faust event. Never raises (except cancellation at shutdown)."""
        message = event.message
        origin = RecordOrigin(
            topic=message.topic,
            partition=message.partition,
            offset=message.offset,
            key=message.key if isinstance(message.key, bytes) else None,
        )
        raw = event.value if isinstance(event.value, bytes) or event.value is None else None
        headers = _headers_of(message.headers)
        self.metrics.articles_consumed.inc()
        self.metrics.articles_in_flight.inc()
        try:
            if self.exactly_once:
                await self._process_in_transaction(event, raw, origin, headers)
            else:
                await self._process(raw, origin, headers, message.timestamp)
        except (asyncio.CancelledError, transactions.TransactionFailed):
            raise
        except Exception as exc:  # last resort: a bug must not lose the record
            log.exception(
                "unexpected failure on %s[%d]@%d", origin.topic, origin.partition, origin.offset
            )
            await self._dead_letter(raw, origin, headers, "enrichment_failed", repr(exc), None)
        finally:
            self.metrics.articles_in_flight.dec()

    async def _process_in_transaction(
        self, event: Any, raw: bytes | None, origin: RecordOrigin, headers: Headers
    ) -> None:
        """Exactly-once: the event's records and its ack with no commit in between."""
        app = self.output_topic.app
        try:
            async with self.commit_gate:
                await self._process(raw, origin, headers, event.message.timestamp)
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

    async def _process(
        self,
        raw: bytes | None,
        origin: RecordOrigin,
        headers: Headers,
        timestamp: float | None,
    ) -> None:
        limit = self.settings.max_body_bytes
        try:
            article = decode_article(
                raw, max_body_bytes=limit, max_record_bytes=limit + ENVELOPE_BYTES
            )
        except InputRejected as rejected:
            await self._dead_letter(
                raw, origin, headers, rejected.error_type, rejected.message, rejected.article_id
            )
            return
        started = time.perf_counter()
        try:
            version, statements = await self.pool.enrich(article.body)
        except EnrichmentTimeout as exc:
            await self._dead_letter(
                raw, origin, headers, "enrichment_timeout", str(exc), article.article_id
            )
            return
        except Exception as exc:
            log.warning("enrichment of %r failed: %r", article.article_id, exc)
            await self._dead_letter(
                raw, origin, headers, "enrichment_failed", repr(exc), article.article_id
            )
            return
        self.metrics.enrichment_duration.observe(time.perf_counter() - started)
        events = to_statement_events(article, statements, version)
        try:
            await self._publish_statements(article, events, origin, headers)
        except RecordTooLarge as exc:
            message = f"a statement is too large to publish: {exc}"
            await self._dead_letter(
                raw, origin, headers, "message_too_large", message, article.article_id
            )
            return
        self.metrics.articles_enriched.inc()
        self.metrics.record_statements(events)
        if timestamp is not None:
            self.metrics.end_to_end_lag.observe(max(0.0, time.time() - timestamp))

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

    async def _dead_letter(
        self,
        raw: bytes | None,
        origin: RecordOrigin,
        input_headers: Headers,
        error_type: ErrorType,
        message: str,
        article_id: str | None,
    ) -> None:
        self.metrics.record_failure(error_type)
        # Room for the key, headers and record framing under the producer's request limit.
        max_bytes = kafka_config.max_record_bytes(self.settings) - 16 * 1024
        value = dead_letter_value(raw, origin, error_type, message, article_id, max_bytes)
        log.info(
            "dead letter %s for %s[%d]@%d: %s",
            error_type,
            origin.topic,
            origin.partition,
            origin.offset,
            message[:200],
        )
        headers = output_headers("DeadLetterEvent", input_headers)
        await self._send_all(
            self.dead_letter_topic,
            origin.key,
            [value],
            headers,
            origin,
        )
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
        delay = 0.5
        while True:
            try:
                pending = [await self._send(topic, key, value, headers, origin) for value in values]
                await asyncio.gather(*pending)
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if _too_large(exc):
                    # Refused before it was sent: retrying cannot help, and would block the
                    # partition forever (the transaction, if any, is unharmed).
                    raise RecordTooLarge(repr(exc)) from exc
                if self.exactly_once:
                    # A failed send leaves the transaction unable to commit: no retry in it.
                    raise transactions.TransactionFailed(repr(exc)) from exc
                # Re-sending may duplicate records: harmless, statement ids are deterministic.
                log.warning("publishing to %s failed (%r); retrying in %.1fs", topic, exc, delay)
                self.metrics.record_kafka_retry("produce")
                await asyncio.sleep(delay)
                delay = min(delay * 2, PUBLISH_BACKOFF_MAX_SECONDS)

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
        # events(), not values(): the record's partition, offset, headers and timestamp matter.
        async for event in stream.events():
            await processor.process(event)

    return app.agent(source, name="stancewire.enrich_articles")(enrich_articles)


__all__ = ["ArticleProcessor", "register_agents"]
