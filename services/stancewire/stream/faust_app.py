"""What the worker's Faust app and the dyad index's app share: their start-up check, the
creation of their topics and their Faust settings.

Every Faust setting is passed explicitly (Faust's own environment variables are not honoured):
Kafka connection, security and delivery guarantee come from :mod:`stancewire.kafka_config`, the
rest is set here. Faust's web server is disabled (``/metrics`` and ``/dyads`` are served by
prometheus_client's server from a thread), and Faust declares no topic: they are created by
:mod:`stancewire.stream.topics` with our partitions and size limits, changelogs included; no
leader topic.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from stancewire import kafka_config, redaction
from stancewire.settings import Settings
from stancewire.stream.topics import create_topics

log = logging.getLogger(__name__)

EXIT_CONFIG_ERROR = 2
EXIT_KAFKA_UNAVAILABLE = 3


def check_start_up(settings: Settings) -> int | None:
    """Keep the settings' secrets out of every log line, then validate the Kafka settings:
    the exit code when they are invalid, else None."""
    redaction.install_log_redaction(redaction.secret_values(settings))
    try:
        kafka_config.validate(settings)
    except kafka_config.KafkaConfigError as exc:
        log.error("invalid Kafka settings: %s", exc)
        return EXIT_CONFIG_ERROR
    return None


def ensure_topics(
    settings: Settings,
    on_retry: Callable[[str], None],
    *,
    worker: bool = True,
    dyad_index: bool = True,
) -> int | None:
    """Create the app's missing topics (:func:`stancewire.stream.topics.create_topics`, with
    retries): :data:`EXIT_KAFKA_UNAVAILABLE` when Kafka cannot be reached, else None."""
    try:
        created = create_topics(
            settings,
            attempts=settings.startup_attempts,
            on_retry=on_retry,
            worker=worker,
            dyad_index=dyad_index,
        )
    except Exception as exc:
        log.error("Kafka unavailable, cannot create topics: %r", exc)
        return EXIT_KAFKA_UNAVAILABLE
    if created:
        log.info("created topics %s", ", ".join(created))
    return None


def new_app(
    app_id: str,
    settings: Settings,
    *,
    client_id: str,
    datadir_name: str,
    processing_guarantee: str | None = None,
) -> Any:
    """A Faust app (no agents yet) with stancewire's settings; ``processing_guarantee``
    overrides the one of ``settings``."""
    import faust

    kwargs = kafka_config.faust_app_kwargs(settings)
    if processing_guarantee is not None:
        kwargs["processing_guarantee"] = processing_guarantee
    return faust.App(
        app_id,
        **kwargs,
        broker_client_id=client_id,
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        autodiscover=False,
        datadir=str(settings.data_dir / datadir_name),
        store="memory://",
        web_enabled=False,
        topic_partitions=settings.topic_partitions,
        topic_replication_factor=settings.topic_replication_factor,
        topic_allow_declare=False,
        topic_disable_leader=True,
        worker_redirect_stdouts=False,
    )


__all__ = [
    "EXIT_CONFIG_ERROR",
    "EXIT_KAFKA_UNAVAILABLE",
    "check_start_up",
    "ensure_topics",
    "new_app",
]
