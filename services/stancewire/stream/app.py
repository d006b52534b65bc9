"""Builds the Faust app from :class:`~stancewire.settings.Settings` and runs the worker.

The Faust settings are the ones every stancewire app shares
(:mod:`stancewire.stream.faust_app`). Faust's web server is disabled: ``/metrics``
(prometheus_client) and ``/dyads`` are served on ``settings.metrics_host:metrics_port`` from a
thread, so they answer while the loop is busy.

With ``STANCEWIRE_DYAD_INDEX`` (the default) the worker also runs the dyad index, a Faust app
of its own (:mod:`stancewire.stream.dyad_app`), as a supervised child process
(:mod:`stancewire.stream.dyad_child`, :mod:`stancewire.stream.supervisor`): started before
Faust, restarted with backoff when it exits, stopped when the worker stops, killed with it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from prometheus_client import CollectorRegistry

from stancewire import __version__
from stancewire.metrics import Metrics, Route, serve_metrics
from stancewire.settings import Settings
from stancewire.stream import transactions
from stancewire.stream.agents import register_agents
from stancewire.stream.assignment import PartitionAssignment
from stancewire.stream.dyad_child import (
    ChildMetricsCollector,
    DyadsProxy,
    dyads_off,
    port_of,
    spawn_dyad_index,
)
from stancewire.stream.enrichment import EnrichmentPool
from stancewire.stream.faust_app import (
    EXIT_CONFIG_ERROR,
    EXIT_KAFKA_UNAVAILABLE,
    check_start_up,
    ensure_topics,
    new_app,
)
from stancewire.stream.kafka_retries import count_client_retries
from stancewire.stream.lag import start_lag_collector
from stancewire.stream.supervisor import Supervisor

log = logging.getLogger(__name__)

# How often the worker checks its dyad index process, and how long it waits for it to stop.
SUPERVISE_INTERVAL_SECONDS = 1.0
DYAD_INDEX_STOP_TIMEOUT_SECONDS = 20.0


def create_app(settings: Settings) -> Any:
    """The Faust app of these settings (no agents registered yet). No table in this app: the
    dyad index is an app of its own (:mod:`stancewire.stream.dyad_app`)."""
    return new_app(
        settings.consumer_group,
        settings,
        client_id=f"stancewire-{__version__}",
        datadir_name="faust",
    )


def run_worker(settings: Settings) -> int:
    """Run the worker until SIGTERM/SIGINT; returns the process exit code."""
    if (code := check_start_up(settings)) is not None:
        return code

    registry = CollectorRegistry()
    pool = EnrichmentPool(settings.enrich_timeout_seconds, settings.enrich_processes)
    # Load the model before joining the group, so the first rebalance is not held up by it.
    asyncio.run(pool.start())
    metrics = Metrics(
        registry,
        enricher_version=pool.enricher_version,
        processing_guarantee=settings.processing_guarantee,
    )
    supervisor: Supervisor | None = None
    dyads_route: Route = dyads_off
    if settings.dyad_index:
        supervisor = Supervisor(
            "dyad index process",
            spawn_dyad_index,
            on_restart=lambda _why: metrics.dyad_index_restarts.inc(),
        )
        child_port = port_of(lambda: supervisor.child if supervisor is not None else None)
        registry.register(ChildMetricsCollector(child_port))
        dyads_route = DyadsProxy(child_port)
    server, _ = serve_metrics(
        registry, settings.metrics_host, settings.metrics_port, {"/dyads": dyads_route}
    )
    log.info("metrics on http://%s:%d/metrics", settings.metrics_host, settings.metrics_port)
    try:
        code = ensure_topics(settings, metrics.record_kafka_retry, dyad_index=settings.dyad_index)
        if code is not None:
            return code
        if supervisor is not None:
            supervisor.start()  # from the main thread: see dyad_child.spawn_dyad_index
        # Consumer lag is measured from a thread with its own Kafka clients (off the loop),
        # for the partitions the rebalance hooks record as this worker's.
        assignment = PartitionAssignment()
        lag_collector = start_lag_collector(settings, metrics, assignment)
        try:
            return _run_faust(settings, metrics, pool, assignment, supervisor)
        finally:
            lag_collector.stop()
    finally:
        if supervisor is not None:
            supervisor.stop(DYAD_INDEX_STOP_TIMEOUT_SECONDS)
        server.shutdown()
        pool.close()


def _run_faust(
    settings: Settings,
    metrics: Metrics,
    pool: EnrichmentPool,
    assignment: PartitionAssignment,
    supervisor: Supervisor | None,
) -> int:
    import faust

    app = create_app(settings)
    register_agents(app, settings, metrics, pool)
    if supervisor is not None:
        _supervise(app, supervisor)
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


def _supervise(app: Any, supervisor: Supervisor) -> None:
    """Check the dyad index process from the app's loop, which runs in the main thread (a
    restart is spawned from there, see dyad_child.spawn_dyad_index); stop it together with
    the app."""

    @app.timer(SUPERVISE_INTERVAL_SECONDS, name="stancewire.supervise_dyad_index")  # type: ignore[untyped-decorator]
    async def _supervise_dyad_index() -> None:
        supervisor.tick()

    @app.on_before_shutdown.connect  # type: ignore[untyped-decorator]
    async def _stop_dyad_index(sender: Any, **_: Any) -> None:
        supervisor.begin_stop()  # SIGTERM now; run_worker waits for it after Faust stopped


__all__ = ["EXIT_CONFIG_ERROR", "EXIT_KAFKA_UNAVAILABLE", "create_app", "run_worker"]
