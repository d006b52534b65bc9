"""Every Prometheus metric of the stancewire worker, created from one registry.

:class:`Metrics` is the single container: the worker builds it once on a registry and records
through it; tests build it on a fresh :class:`~prometheus_client.CollectorRegistry`. Naming
follows Prometheus conventions: one ``stancewire_`` prefix, base units (seconds), counters
ending in ``_total`` (prometheus_client appends it), a ``_build_info`` gauge. Label values are
bounded sets only (error types, stance labels, topic ids, topic-partitions): never an article
id, URL or speaker.

The consumer-lag gauges are set by ``stancewire.stream.lag``; the rest by the worker's agents.
:class:`DyadMetrics` are the dyad index's (a process of its own, see ``stream/dyad_app.py``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from typing import Any, cast, get_args
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIServer, make_server

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    make_wsgi_app,
)
from prometheus_client.exposition import ThreadingWSGIServer, _SilentHandler

from stancewire import __version__
from stancewire.events import ErrorType, StanceLabel, StatementEvent, TopicId

NAMESPACE = "stancewire"

ERROR_TYPES: tuple[str, ...] = get_args(ErrorType)
STANCE_LABELS: tuple[str, ...] = get_args(StanceLabel)
TOPIC_IDS: tuple[str, ...] = get_args(TopicId)
KAFKA_OPERATIONS: tuple[str, ...] = ("connect", "produce", "consume", "create_topics")

# Enrichment takes milliseconds for a short article and seconds for a long one.
ENRICHMENT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
# From the article's Kafka timestamp to publication: includes queueing behind a backlog.
END_TO_END_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0)


class Metrics:
    """Creates and holds every stancewire metric on ``registry``."""

    def __init__(
        self,
        registry: CollectorRegistry,
        *,
        enricher_version: str = "unknown",
        processing_guarantee: str = "at_least_once",
        process_collectors: bool = True,
    ) -> None:
        self.registry = registry
        if process_collectors:
            # process_cpu_seconds_total, process_resident_memory_bytes, python_info.
            ProcessCollector(registry=registry)
            PlatformCollector(registry=registry)

        self._declare_flow(registry)
        self._declare_latency(registry)
        self._declare_kafka(registry)
        self._declare_dyad_child(registry)
        self._declare_identity(registry, enricher_version, processing_guarantee)
        self._create_label_values()

    def _declare_flow(self, registry: CollectorRegistry) -> None:
        self.articles_consumed = Counter(
            "articles_consumed",
            "Input records read from the articles topic (valid or not).",
            namespace=NAMESPACE,
            registry=registry,
        )
        self.articles_enriched = Counter(
            "articles_enriched",
            "Articles enriched and whose statements were published.",
            namespace=NAMESPACE,
            registry=registry,
        )
        self.articles_failed = Counter(
            "articles_failed",
            "Input records that could not be enriched, by reason (the dead-letter error type).",
            ["reason"],
            namespace=NAMESPACE,
            registry=registry,
        )
        self.statements_published = Counter(
            "statements_published",
            "StatementEvents published to the statements topic.",
            namespace=NAMESPACE,
            registry=registry,
        )
        self.dead_letters = Counter(
            "dead_letters",
            "DeadLetterEvents published to the dead-letter topic, by reason.",
            ["reason"],
            namespace=NAMESPACE,
            registry=registry,
        )
        self.statement_stances = Counter(
            "statement_stances",
            "Stances toward targets in published statements, by stance label.",
            ["stance"],
            namespace=NAMESPACE,
            registry=registry,
        )
        self.statement_topics = Counter(
            "statement_topics",
            "Topics tagged on published statements, by topic id.",
            ["topic"],
            namespace=NAMESPACE,
            registry=registry,
        )

    def _declare_latency(self, registry: CollectorRegistry) -> None:
        self.enrichment_duration = Histogram(
            "enrichment_duration_seconds",
            "Wall-clock time to enrich one article (NLP only).",
            namespace=NAMESPACE,
            registry=registry,
            buckets=ENRICHMENT_BUCKETS,
        )
        self.end_to_end_lag = Histogram(
            "end_to_end_lag_seconds",
            "From the article record's Kafka timestamp to the publication of its statements.",
            namespace=NAMESPACE,
            registry=registry,
            buckets=END_TO_END_BUCKETS,
        )
        self.articles_in_flight = Gauge(
            "articles_in_flight",
            "Articles taken from the stream whose processing has not finished.",
            namespace=NAMESPACE,
            registry=registry,
        )

    def _declare_kafka(self, registry: CollectorRegistry) -> None:
        """Kafka client health: retries, rebalances, committed and log-end offsets, lag."""
        self.kafka_retries = _kafka_retries(registry)
        self.consumer_rebalances = Counter(
            "consumer_rebalances",
            "Consumer group rebalances this worker took part in.",
            namespace=NAMESPACE,
            registry=registry,
        )
        self.consumer_committed_offset = Gauge(
            "consumer_committed_offset",
            "Committed offset of the consumer group, per input topic-partition.",
            ["topic", "partition"],
            namespace=NAMESPACE,
            registry=registry,
        )
        self.consumer_log_end_offset = Gauge(
            "consumer_log_end_offset",
            "Log-end offset (high watermark), per input topic-partition.",
            ["topic", "partition"],
            namespace=NAMESPACE,
            registry=registry,
        )
        self.consumer_lag_messages = Gauge(
            "consumer_lag_messages",
            "Records not yet committed by the group, per input topic-partition.",
            ["topic", "partition"],
            namespace=NAMESPACE,
            registry=registry,
        )
        self.consumer_lag_seconds = Gauge(
            "consumer_lag_seconds",
            "Age of the oldest uncommitted record, per input topic-partition (when known).",
            ["topic", "partition"],
            namespace=NAMESPACE,
            registry=registry,
        )

    def _declare_dyad_child(self, registry: CollectorRegistry) -> None:
        """The dyad index's child process (stancewire.stream.supervisor)."""
        # The index's own metrics (DyadMetrics) are the child's, forwarded to this registry by
        # stancewire.stream.dyad_child.ChildMetricsCollector, with stancewire_dyad_index_up.
        self.dyad_index_restarts = Counter(
            "dyad_index_restarts",
            "Times the worker restarted its dyad index process after it exited unexpectedly.",
            namespace=NAMESPACE,
            registry=registry,
        )

    def _declare_identity(
        self, registry: CollectorRegistry, enricher_version: str, processing_guarantee: str
    ) -> None:
        self.build_info = Gauge(
            "build_info",
            "Always 1; the labels say which build is running.",
            ["version", "enricher_version", "processing_guarantee"],
            namespace=NAMESPACE,
            registry=registry,
        )
        self.build_info.labels(
            version=__version__,
            enricher_version=enricher_version,
            processing_guarantee=processing_guarantee,
        ).set(1)

    def _create_label_values(self) -> None:
        """Every bounded label value exists from the start, at 0, so rate() and dashboards see
        the series before the first event of that kind."""
        for reason in ERROR_TYPES:
            self.articles_failed.labels(reason=reason)
            self.dead_letters.labels(reason=reason)
        for stance in STANCE_LABELS:
            self.statement_stances.labels(stance=stance)
        for topic in TOPIC_IDS:
            self.statement_topics.labels(topic=topic)

    # --- recording helpers (keep label values bounded) ------------------------------------
    def record_failure(self, reason: str) -> None:
        """An input could not be enriched for ``reason`` (one of the dead-letter error types)."""
        self.articles_failed.labels(reason=_bounded(reason, ERROR_TYPES)).inc()

    def record_dead_letter(self, reason: str) -> None:
        self.dead_letters.labels(reason=_bounded(reason, ERROR_TYPES)).inc()

    def record_statements(self, statements: Iterable[StatementEvent]) -> None:
        """Count published statements, their target stances and their topics."""
        for statement in statements:
            self.statements_published.inc()
            for target in statement.targets:
                self.statement_stances.labels(stance=target.stance.label).inc()
            for topic in statement.topics:
                self.statement_topics.labels(topic=topic.id).inc()

    def record_kafka_retry(self, operation: str) -> None:
        self.kafka_retries.labels(operation=_bounded(operation, KAFKA_OPERATIONS)).inc()


class DyadMetrics:
    """The dyad index's metrics (``stancewire dyad-index``, a process of its own).

    Run by the worker, the index's ``stancewire_dyad_*`` families are forwarded to the worker's
    ``/metrics`` unchanged (:class:`stancewire.stream.dyad_child.ChildMetricsCollector`); run
    alone, it serves them itself, with its own Kafka retries, build and process metrics.
    """

    def __init__(self, registry: CollectorRegistry, *, process_collectors: bool = True) -> None:
        self.registry = registry
        if process_collectors:
            ProcessCollector(registry=registry)
            PlatformCollector(registry=registry)
        self.dyad_updates_published = Counter(
            "dyad_updates_published",
            "DyadEvents published to the dyad topic (one per change of a window).",
            namespace=NAMESPACE,
            registry=registry,
        )
        self.dyad_table_keys = Gauge(
            "dyad_table_keys",
            "Dyad windows held by this dyad index's windowed table (unexpired).",
            namespace=NAMESPACE,
            registry=registry,
        )
        self.dyad_records_read_back = Counter(
            "dyad_records_read_back",
            "Records a stream of the dyad index skipped and the index read back and handled "
            "itself (stancewire.stream.skips); nonzero means Faust dropped records there.",
            namespace=NAMESPACE,
            registry=registry,
        )
        self.kafka_retries = _kafka_retries(registry)
        build_info = Gauge(
            "build_info",
            "Always 1; the labels say which build is running.",
            ["version", "enricher_version", "processing_guarantee"],
            namespace=NAMESPACE,
            registry=registry,
        )
        build_info.labels(
            version=__version__, enricher_version="none", processing_guarantee="at_least_once"
        ).set(1)

    def record_kafka_retry(self, operation: str) -> None:
        self.kafka_retries.labels(operation=_bounded(operation, KAFKA_OPERATIONS)).inc()


# The families of DyadMetrics that the worker forwards from its dyad index process.
DYAD_FAMILY_PREFIX = f"{NAMESPACE}_dyad_"


def _kafka_retries(registry: CollectorRegistry) -> Counter:
    """Retries by operation, every operation's series present from the start (at 0)."""
    counter = Counter(
        "kafka_retries",
        "Retries of Kafka operations after transient failures, by operation.",
        ["operation"],
        namespace=NAMESPACE,
        registry=registry,
    )
    for operation in KAFKA_OPERATIONS:
        counter.labels(operation=operation)
    return counter


def _bounded(value: str, allowed: tuple[str, ...]) -> str:
    """``value`` when it is one of ``allowed``, else ``other``: labels never grow unbounded."""
    return value if value in allowed else "other"


# A route of the worker's HTTP server: the query string's parameters in, (status, JSON) out.
Route = Callable[[dict[str, list[str]]], tuple[int, bytes]]


def serve_metrics(
    registry: CollectorRegistry,
    host: str,
    port: int,
    routes: Mapping[str, Route] | None = None,
) -> tuple[WSGIServer, threading.Thread]:
    """Serve ``/metrics`` of ``registry`` (and any JSON ``routes``, e.g. ``/dyads``) on
    host:port in a daemon thread.

    Returns the server so the caller can ``shutdown()`` it; the thread answers requests even
    while the event loop is busy, so a route must only read thread-safe state.
    """
    metrics_app = make_wsgi_app(registry)
    extra = dict(routes or {})

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        route = extra.get(environ.get("PATH_INFO", ""))
        if route is None:
            return cast(Iterable[bytes], metrics_app(environ, start_response))
        status, body = route(parse_qs(environ.get("QUERY_STRING", "")))
        start_response(
            f"{status} {HTTPStatus(status).phrase}",
            [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
        )
        return [body]

    server = make_server(host, port, app, ThreadingWSGIServer, handler_class=_SilentHandler)
    thread = threading.Thread(target=server.serve_forever, name="stancewire-http", daemon=True)
    thread.start()
    return server, thread


__all__ = [
    "DYAD_FAMILY_PREFIX",
    "END_TO_END_BUCKETS",
    "ENRICHMENT_BUCKETS",
    "ERROR_TYPES",
    "KAFKA_OPERATIONS",
    "NAMESPACE",
    "STANCE_LABELS",
    "TOPIC_IDS",
    "DyadMetrics",
    "Metrics",
    "Route",
    "serve_metrics",
]
