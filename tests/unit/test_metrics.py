"""Every metric exists from a fresh registry, with Prometheus names and bounded labels."""

from __future__ import annotations

import socket
import urllib.request

from prometheus_client import CollectorRegistry, generate_latest

from stancewire.events import (
    ArticleEvent,
    Content,
    Cue,
    Span,
    Speaker,
    Stance,
    Statement,
    Target,
    Topic,
)
from stancewire.metrics import ERROR_TYPES, Metrics, serve_metrics
from stancewire.pipeline import to_statement_events


def value(registry: CollectorRegistry, name: str, **labels: str) -> float | None:
    return registry.get_sample_value(name, labels)


def test_every_service_metric_is_exposed_before_any_event() -> None:
    registry = CollectorRegistry()
    Metrics(registry, enricher_version="nlp/1")
    exposed = generate_latest(registry).decode()
    for name in [
        "stancewire_articles_consumed_total",
        "stancewire_articles_enriched_total",
        "stancewire_articles_failed_total",
        "stancewire_statements_published_total",
        "stancewire_dead_letters_total",
        "stancewire_statement_stances_total",
        "stancewire_statement_topics_total",
        "stancewire_enrichment_duration_seconds_bucket",
        "stancewire_end_to_end_lag_seconds_bucket",
        "stancewire_articles_in_flight",
        "stancewire_build_info",
        "stancewire_kafka_retries_total",
        "stancewire_consumer_rebalances_total",
        "process_cpu_seconds_total",
    ]:
        assert f"\n{name}" in exposed, name
    for reason in ERROR_TYPES:
        assert value(registry, "stancewire_dead_letters_total", reason=reason) == 0
    assert (
        value(
            registry,
            "stancewire_build_info",
            version=_version(registry),
            enricher_version="nlp/1",
            processing_guarantee="at_least_once",
        )
        == 1
    )


def _version(registry: CollectorRegistry) -> str:
    for family in registry.collect():
        if family.name == "stancewire_build_info":
            return str(family.samples[0].labels["version"])
    raise AssertionError("no build info")


def test_two_containers_on_fresh_registries_do_not_collide() -> None:
    first, second = CollectorRegistry(), CollectorRegistry()
    Metrics(first).articles_consumed.inc()
    Metrics(second)
    assert value(first, "stancewire_articles_consumed_total") == 1
    assert value(second, "stancewire_articles_consumed_total") == 0


def test_unknown_reasons_are_folded_into_other() -> None:
    registry = CollectorRegistry()
    metrics = Metrics(registry)
    metrics.record_failure("invalid_json")
    metrics.record_failure("some article id 12345")
    metrics.record_dead_letter("not_utf8")
    assert value(registry, "stancewire_articles_failed_total", reason="invalid_json") == 1
    assert value(registry, "stancewire_articles_failed_total", reason="other") == 1
    assert value(registry, "stancewire_dead_letters_total", reason="not_utf8") == 1


def test_statements_are_counted_with_their_stances_and_topics() -> None:
    registry = CollectorRegistry()
    metrics = Metrics(registry)
    negative = Stance(label="negative", score=-0.5)
    statement = Statement(
        span=Span(start=0, end=5),
        text="x",
        kind="direct",
        cue=Cue(text="said", lemma="say", start=0, end=4),
        content=Content(text="y", start=4, end=5),
        speaker=Speaker(name="A", mention=None, kind="person", resolution="explicit"),
        targets=[
            Target(name="Russia", kind="country", country="RU", stance=negative),
            Target(name="Chile", kind="country", country="CL", stance=negative),
        ],
        topics=[Topic(id="trade", score=0.8)],
    )
    events = to_statement_events(ArticleEvent(article_id="a", body="b"), [statement] * 2, "v")
    metrics.record_statements(events)
    assert value(registry, "stancewire_statements_published_total") == 2
    assert value(registry, "stancewire_statement_stances_total", stance="negative") == 4
    assert value(registry, "stancewire_statement_stances_total", stance="positive") == 0
    assert value(registry, "stancewire_statement_topics_total", topic="trade") == 2


def test_histograms_are_in_seconds() -> None:
    registry = CollectorRegistry()
    metrics = Metrics(registry)
    metrics.enrichment_duration.observe(0.2)
    assert value(registry, "stancewire_enrichment_duration_seconds_bucket", le="0.25") == 1
    assert value(registry, "stancewire_enrichment_duration_seconds_bucket", le="0.1") == 0


def test_metrics_are_served_over_http() -> None:
    registry = CollectorRegistry()
    Metrics(registry).articles_consumed.inc(3)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server, thread = serve_metrics(registry, "127.0.0.1", port)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            text = response.read().decode()
    finally:
        server.shutdown()
        thread.join(timeout=5)
    assert "stancewire_articles_consumed_total 3.0" in text
