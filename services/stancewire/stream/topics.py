"""The worker's three topics and the dyad index's, created at start-up with kafka-python's admin
client.

Topics are created here rather than by Faust so that partitions, replication and the record
size limit come from our settings, and so that every client (worker, CLI, tests) agrees on them.
All three get the same partition count: in exactly-once mode each output record is sent to its
input record's partition, so that it belongs to that partition's transaction.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable

from stancewire import kafka_config
from stancewire.settings import Settings
from stancewire.stream import dyads
from stancewire.stream.kafka_retries import retry_startup

log = logging.getLogger(__name__)


def topic_names(settings: Settings) -> tuple[str, str, str]:
    """(input, output, dead-letter) topic names."""
    return settings.input_topic, settings.output_topic, settings.dead_letter_topic


def create_topics(
    settings: Settings,
    *,
    attempts: int = 8,
    on_retry: Callable[[str], None] | None = None,
    worker: bool = True,
    dyad_index: bool = True,
) -> list[str]:
    """Create the input, output and dead-letter topics (``worker``), and the dyad index's (the
    statements topic it reads, the dyad topic, its repartition topic and its table's
    changelog: ``dyad_index``), when missing; returns those created.

    Transient failures (broker not reachable yet) are retried with exponential backoff, each
    retry reported through ``on_retry(step)`` (``"connect"`` or ``"create_topics"``); after
    ``attempts`` the last error is raised, so the worker exits non-zero instead of hanging.
    """
    from kafka.admin import KafkaAdminClient, NewTopic
    from kafka.errors import TopicAlreadyExistsError

    record_bytes = str(kafka_config.max_record_bytes(settings))
    configs: dict[str, dict[str, str]] = {}
    if worker:
        configs.update({name: {} for name in topic_names(settings)})
    if dyad_index:
        configs[settings.output_topic] = {}
        configs.update(dyads.topic_configs(settings))
    wanted = [
        NewTopic(
            name=name,
            num_partitions=settings.topic_partitions,
            replication_factor=settings.topic_replication_factor,
            topic_configs={"max.message.bytes": record_bytes, **extra},
        )
        for name, extra in configs.items()
    ]
    step = ["connect"]  # the step that failed names the retry in the metrics

    def attempt() -> list[str]:
        step[0] = "connect"
        admin = KafkaAdminClient(
            **kafka_config.kafka_python_kwargs(settings),
            client_id="stancewire-admin",
            # kafka-python waits 30 s per attempt by default: 8 attempts took 4.6 minutes to
            # give up on an unreachable cluster (measured by tests/chaos).
            bootstrap_timeout_ms=10_000,
        )
        try:
            step[0] = "create_topics"
            existing = set(admin.list_topics())
            missing = [topic for topic in wanted if topic.name not in existing]
            if missing:
                # Another worker may have created them meanwhile.
                with contextlib.suppress(TopicAlreadyExistsError):
                    admin.create_topics(missing, timeout_ms=30_000)
            return [topic.name for topic in missing]
        finally:
            admin.close()

    return retry_startup(attempt, operation=lambda: step[0], attempts=attempts, on_retry=on_retry)


__all__ = ["create_topics", "topic_names"]
