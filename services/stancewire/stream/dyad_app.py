"""The dyad index as a Faust app of its own: ``stancewire dyad-index``.

The index (agents and table in :mod:`stancewire.stream.dyads`) does not share a Faust app with
the enrichment agent: with both in one app, a worker restarted after a SIGKILL stalled in 3 of
6 runs of the chaos dyad scenario (the table's recovery pauses and rewinds every stream of the
app, the ordered enrichment window's among them), and faust-streaming 0.15.3's exactly-once
mode lost and duplicated statements with a table in the app. So the index is its own app:

- app id and consumer group ``<consumer group>-dyads`` (:func:`stancewire.stream.dyads.app_id`),
  so its repartition topic and changelog have names of their own;
- always ``at_least_once``, whatever ``STANCEWIRE_PROCESSING_GUARANTEE`` says: exactness comes
  from the statement ids held in each window value, not from transactions;
- its consumer reads with ``isolation_level=read_committed``, so beside exactly-once workers it
  sees only committed statements (and beside at-least-once workers it makes no difference).

``stancewire worker`` runs it as a supervised child process (:mod:`stancewire.stream.dyad_child`)
when ``STANCEWIRE_DYAD_INDEX`` is true (the default); ``stancewire dyad-index`` runs it alone,
serving ``/metrics`` and ``/dyads`` on ``STANCEWIRE_METRICS_HOST:PORT``.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from prometheus_client import CollectorRegistry

from stancewire import __version__
from stancewire.dyads import DyadSnapshot
from stancewire.metrics import DyadMetrics, serve_metrics
from stancewire.settings import Settings
from stancewire.stream import dyads
from stancewire.stream.faust_app import (
    EXIT_CONFIG_ERROR,
    EXIT_KAFKA_UNAVAILABLE,
    check_start_up,
    ensure_topics,
    new_app,
)
from stancewire.stream.kafka_retries import count_client_retries

log = logging.getLogger(__name__)

READ_COMMITTED = "read_committed"


def _read_committed_consumer_class() -> Any:
    """Faust's aiokafka consumer, reading with ``read_committed``.

    faust-streaming 0.15.3 reads committed records only in exactly-once apps (the isolation
    level is a local variable of ``AIOKafkaConsumerThread._create_worker_consumer``); this
    subclass sets it on the aiokafka consumer that method creates, before it is started (the
    fetcher is built from it in ``start()``).
    """
    from faust.transport.drivers import aiokafka as driver

    class ReadCommittedConsumerThread(driver.AIOKafkaConsumerThread):
        def _create_worker_consumer(self, transport: Any) -> Any:
            consumer = super()._create_worker_consumer(transport)
            consumer._isolation_level = READ_COMMITTED
            return consumer

    class ReadCommittedConsumer(driver.Consumer):
        def _new_consumer_thread(self) -> Any:
            return ReadCommittedConsumerThread(self, loop=self.loop, beacon=self.beacon)

    return ReadCommittedConsumer


def create_dyad_app(settings: Settings) -> Any:
    """The dyad index's Faust app (agents not registered yet)."""
    app = new_app(
        dyads.app_id(settings),
        settings,
        client_id=f"stancewire-dyads-{__version__}",
        datadir_name="faust-dyads",
        processing_guarantee="at_least_once",  # exact by statement id, see above
    )
    transport: Any = app.transport  # the instance's Consumer class, not every transport's
    transport.Consumer = _read_committed_consumer_class()
    return app


def isolation_level(app: Any) -> str | None:
    """The isolation level of the app's running aiokafka consumer (None before it runs)."""
    thread = getattr(app.consumer, "_thread", None)
    consumer = getattr(thread, "_consumer", None)
    level = getattr(consumer, "_isolation_level", None)
    return str(level) if level is not None else None


def run_dyad_index(
    settings: Settings, *, parent_pid: int | None = None, report_fd: int | None = None
) -> int:
    """Run the dyad index until SIGTERM/SIGINT; returns the process exit code.

    Alone (``parent_pid`` None) it serves ``/metrics`` and ``/dyads`` on the metrics host and
    port of ``settings``. As the worker's child it dies with the worker
    (:func:`stancewire.stream.dyad_child.exit_with_parent`), serves on an ephemeral loopback
    port and writes that port to the file descriptor ``report_fd`` for the worker to proxy to.
    """
    from stancewire.stream.dyad_child import exit_with_parent

    if parent_pid is not None:
        exit_with_parent(parent_pid)
    if (code := check_start_up(settings)) is not None:
        return code

    registry = CollectorRegistry()
    metrics = DyadMetrics(registry)
    snapshot = DyadSnapshot()
    supervised = parent_pid is not None
    host = "127.0.0.1" if supervised else settings.metrics_host
    port = 0 if supervised else settings.metrics_port
    server, _ = serve_metrics(registry, host, port, {"/dyads": snapshot.http_query})
    bound = int(server.server_port)
    log.info("dyad index: metrics and /dyads on http://%s:%d", host, bound)
    if report_fd is not None:
        with os.fdopen(report_fd, "w") as report:
            report.write(f"{bound}\n")
    try:
        code = ensure_topics(settings, metrics.record_kafka_retry, worker=False)
        if code is not None:
            return code
        return _run_faust(settings, metrics, snapshot)
    finally:
        server.shutdown()


def _dyad_worker_class() -> Any:
    import faust

    class DyadIndexWorker(faust.Worker):
        """Faust's worker; its own name in the log ("[^DyadIndexWorker]: Ready"), so that
        the worker's "[^Worker]: Ready" is not mistaken for the index's, or the reverse."""

    return DyadIndexWorker


def _run_faust(settings: Settings, metrics: DyadMetrics, snapshot: DyadSnapshot) -> int:
    app = create_dyad_app(settings)
    dyads.register_dyad_agents(app, settings, metrics, snapshot)
    count_client_retries(metrics.record_kafka_retry)

    @app.on_partitions_assigned.connect  # type: ignore[untyped-decorator]
    async def _log_isolation(sender: Any, assigned: Any, **_: Any) -> None:
        log.info(
            "dyad index: %d partitions assigned, reading %s with isolation_level=%s",
            len(assigned),
            settings.output_topic,
            isolation_level(app),
        )

    worker = _dyad_worker_class()(app, loglevel=settings.log_level, quiet=True)
    try:
        worker.execute_from_commandline()
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1
    return 0


__all__ = [
    "EXIT_CONFIG_ERROR",
    "EXIT_KAFKA_UNAVAILABLE",
    "create_dyad_app",
    "isolation_level",
    "run_dyad_index",
]
