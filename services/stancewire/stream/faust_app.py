"""The Faust settings the worker's app and the dyad index's app share.

Every Faust setting is passed explicitly (Faust's own environment variables are not honoured):
Kafka connection, security and delivery guarantee come from :mod:`stancewire.kafka_config`, the
rest is set here. Faust's web server is disabled (``/metrics`` and ``/dyads`` are served by
prometheus_client's server from a thread), and Faust declares no topic: they are created by
:mod:`stancewire.stream.topics` with our partitions and size limits, changelogs included; no
leader topic.
"""

from __future__ import annotations

from typing import Any

from stancewire import kafka_config
from stancewire.settings import Settings


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


__all__ = ["new_app"]
