"""Builds the Faust app from :class:`~stancewire.settings.Settings` and runs the worker.

Every Faust setting is passed explicitly (Faust's own environment variables are not honoured):
Kafka connection, security and delivery guarantee come from :mod:`stancewire.kafka_config`, the
rest is set here. Faust's web server is disabled: ``/metrics`` (prometheus_client) and
``/dyads`` are served on ``settings.metrics_host:metrics_port`` from a thread, so they answer
while the loop is busy.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from prometheus_client import CollectorRegistry

from stancewire import __version__, kafka_config, redaction
from stancewire.dyads import DyadSnapshot
from stancewire.metrics import Metrics, serve_metrics
from stancewire.settings import Settings
from stancewire.stream import transactions
from stancewire.stream.agents import register_agents
from stancewire.stream.assignment import PartitionAssignment
from stancewire.stream.dyads import register_dyad_agents
from stancewire.stream.enrichment import EnrichmentPool
from stancewire.stream.kafka_retries import count_client_retries
from stancewire.stream.lag import start_lag_collector
from stancewire.stream.topics import create_topics

log = logging.getLogger(__name__)

EXIT_CONFIG_ERROR = 2
EXIT_KAFKA_UNAVAILABLE = 3


def create_app(settings: Settings) -> Any:
    """The Faust app of these settings (no agents registered yet)."""
    import faust

    return faust.App(
        settings.consumer_group,
        **kafka_config.faust_app_kwargs(settings),
        broker_client_id=f"stancewire-{__version__}",
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        autodiscover=False,
        datadir=str(settings.data_dir / "faust"),
        store="memory://",
        web_enabled=False,
        topic_partitions=settings.topic_partitions,
        topic_replication_factor=settings.topic_replication_factor,
        # Topics are created by stancewire.stream.topics with our partitions and size limit,
        # the dyad table's changelog too (stancewire.stream.dyads); no leader topic.
        topic_allow_declare=False,
        topic_disable_leader=True,
        worker_redirect_stdouts=False,
    )


def run_worker(settings: Settings) -> int:
    """Run the worker until SIGTERM/SIGINT; returns the process exit code."""
    redaction.install_log_redaction(redaction.secret_values(settings))
    try:
        kafka_config.validate(settings)
    except kafka_config.KafkaConfigError as exc:
        log.error("invalid Kafka settings: %s", exc)
        return EXIT_CONFIG_ERROR

    registry = CollectorRegistry()
    pool = EnrichmentPool(settings.enrich_timeout_seconds, settings.enrich_processes)
    # Load the model before joining the group, so the first rebalance is not held up by it.
    asyncio.run(pool.start())
    metrics = Metrics(
        registry,
        enricher_version=pool.enricher_version,
        processing_guarantee=settings.processing_guarantee,
    )
    snapshot = DyadSnapshot()  # the dyad index's windows, for GET /dyads
    server, _ = serve_metrics(
        registry, settings.metrics_host, settings.metrics_port, {"/dyads": snapshot.http_query}
    )
    log.info("metrics on http://%s:%d/metrics", settings.metrics_host, settings.metrics_port)
    try:
        try:
            created = create_topics(
                settings, attempts=settings.startup_attempts, on_retry=metrics.record_kafka_retry
            )
        except Exception as exc:
            log.error("Kafka unavailable, cannot create topics: %r", exc)
            return EXIT_KAFKA_UNAVAILABLE
        if created:
            log.info("created topics %s", ", ".join(created))
        # Consumer lag is measured from a thread with its own Kafka clients (off the loop),
        # for the partitions the rebalance hooks record as this worker's.
        assignment = PartitionAssignment()
        lag_collector = start_lag_collector(settings, metrics, assignment)
        try:
            return _run_faust(settings, metrics, pool, assignment, snapshot)
        finally:
            lag_collector.stop()
    finally:
        server.shutdown()
        pool.close()


def _run_faust(
    settings: Settings,
    metrics: Metrics,
    pool: EnrichmentPool,
    assignment: PartitionAssignment,
    snapshot: DyadSnapshot,
) -> int:
    import faust

    app = create_app(settings)
    register_agents(app, settings, metrics, pool)
    if settings.dyad_index and settings.processing_guarantee == "at_least_once":
        register_dyad_agents(app, settings, metrics, snapshot)
    elif settings.dyad_index:
        # With a table in the app, Faust 0.15.3 recovers it on every assignment and rewinds the
        # streams outside the transactions that stream/transactions.py manages: after a SIGKILL
        # at 2,000 articles a read_committed reader saw duplicate and missing statements. The
        # statements' guarantee comes first, so an exactly-once worker runs no dyad index
        # (docs/operations.md); its counts are exact under at-least-once, where updates are
        # idempotent by statement id.
        log.warning("exactly_once: the dyad index is not run by this worker")
    if settings.processing_guarantee == "exactly_once":
        transactions.abort_open_transactions_on_revoke(app)
    count_client_retries(metrics.record_kafka_retry)

    @app.on_partitions_assigned.connect  # type: ignore[untyped-decorator]
    async def _count_rebalance(sender: Any, assigned: Any, **_: Any) -> None:
        metrics.consumer_rebalances.inc()
        assignment.assign(assigned)  # Faust's TPs are (topic, partition); the whole new set

    @app.on_partitions_revoked.connect  # type: ignore[untyped-decorator]
    async def _drop_revoked(sender: Any, revoked: Any, **_: Any) -> None:
        assignment.revoke(revoked)

    worker = faust.Worker(app, loglevel=settings.log_level, quiet=True)
    try:
        worker.execute_from_commandline()
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1
    return 0


__all__ = ["EXIT_CONFIG_ERROR", "EXIT_KAFKA_UNAVAILABLE", "create_app", "run_worker"]
