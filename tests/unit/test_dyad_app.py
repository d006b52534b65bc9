"""The dyad index's Faust app: its own id and group, at-least-once whatever the worker's
guarantee, and a consumer that reads read_committed (nothing connects to Kafka here)."""

from __future__ import annotations

import asyncio

from stancewire.settings import Settings
from stancewire.stream import dyads
from stancewire.stream.dyad_app import create_dyad_app


def test_the_dyad_app_has_its_own_group_and_is_at_least_once_beside_exactly_once() -> None:
    settings = Settings(consumer_group="news-eu", processing_guarantee="exactly_once")
    app = create_dyad_app(settings)
    assert app.conf.id == "news-eu-dyads" == dyads.app_id(settings)
    assert app.conf.processing_guarantee.value == "at_least_once"
    assert dyads.changelog_topic(settings) == "news-eu-dyads-dyad_windows-changelog"
    assert dyads.repartition_topic(settings) == "news-eu-dyads-repartition"


def test_the_dyad_apps_kafka_consumer_reads_read_committed() -> None:
    app = create_dyad_app(Settings(consumer_group="g"))

    async def created_consumer() -> str:
        consumer = app.consumer  # Faust's consumer, its aiokafka client not started
        client = consumer._thread._create_worker_consumer(app.transport)
        return str(client._isolation_level)

    assert asyncio.run(created_consumer()) == "read_committed"
