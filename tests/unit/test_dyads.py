"""The pure dyad aggregation, the /dyads snapshot and its HTTP route."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import jsonschema  # type: ignore[import-untyped]
import pytest
from prometheus_client import CollectorRegistry

from stancewire import dyads
from stancewire.events import (
    Content,
    Cue,
    DyadEvent,
    Enricher,
    Event,
    Span,
    Speaker,
    Stance,
    StatementEvent,
    Target,
)
from stancewire.metrics import DyadMetrics, serve_metrics
from stancewire_dev import PROJECT_ROOT

DAY = 86_400
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
PUBLISHED = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)


def target(country: str | None, label: str = "positive", score: float = 0.5) -> Target:
    return Target(
        name=country or "someone",
        kind="country" if country else "person",
        country=country,
        stance=Stance(label=label, score=score),  # type: ignore[arg-type]
    )


def statement(
    sid: str,
    targets: list[Target],
    *,
    speaker_country: str | None = "KZ",
    published_at: datetime | None = PUBLISHED,
    start: int = 0,
    event: Event | None = None,
) -> StatementEvent:
    return StatementEvent(
        span=Span(start=start, end=start + 10),
        text="x" * 10,
        kind="indirect",
        cue=Cue(text="said", lemma="say", start=start, end=start + 4),
        content=Content(text="y", start=start + 5, end=start + 6),
        speaker=Speaker(
            name="A", mention=None, kind="person", country=speaker_country, resolution="explicit"
        ),
        targets=targets,
        event=event or Event(),
        statement_id=sid,
        article_id="art-1",
        published_at=published_at,
        enricher=Enricher(version="test/1"),
        enriched_at=NOW,
    )


def aggregate(*statements: StatementEvent, timestamp: float = NOW.timestamp()) -> list[DyadEvent]:
    return dyads.aggregate(
        [(s, timestamp) for s in statements], window_seconds=DAY, retention_days=30, now=NOW
    )


def test_only_statements_with_both_countries_count_once_per_target_country() -> None:
    result = aggregate(
        statement("s1", [target("RU"), target("CN", "negative", -0.6)]),
        statement("s2", [target(None)]),
        statement("s3", [target("RU")], speaker_country=None),
        statement("s4", [target("KZ")]),  # the speaker's own country: skipped
    )
    assert [(e.source.country, e.target.country, e.statements) for e in result] == [
        ("KZ", "CN", 1),
        ("KZ", "RU", 1),
    ]
    assert result[0].stance.negative == 1 and result[0].stance.mean_score == -0.6


def test_a_statement_counts_once_per_dyad_with_its_strongest_target() -> None:
    (event,) = aggregate(
        statement("s1", [target("RU", "neutral", 0.0), target("RU", "negative", -0.8)])
    )
    assert event.statements == 1
    assert (event.stance.positive, event.stance.negative, event.stance.neutral) == (0, 1, 0)
    assert event.stance.mean_score == -0.8


def test_redelivered_statement_is_not_counted_twice() -> None:
    s1 = statement("s1", [target("RU", "positive", 0.4)])
    s2 = statement("s2", [target("RU", "negative", -0.2)], start=20)
    (event,) = aggregate(s1, s2, s1, s2, s1)
    assert event.statements == 2
    assert (event.stance.positive, event.stance.negative) == (1, 1)
    assert event.stance.mean_score == pytest.approx(0.1)
    part = dyads.contributions(s1, 0.0, DAY)[0]
    value, changed = dyads.add(None, part)
    assert changed
    again, changed_again = dyads.add(value, part)
    assert again is value and not changed_again


def test_tumbling_windows_on_event_time_else_record_timestamp() -> None:
    late = statement("s2", [target("RU")], published_at=PUBLISHED + timedelta(days=1))
    untimed = statement("s3", [target("RU")], published_at=None)
    result = aggregate(statement("s1", [target("RU")]), late, untimed)
    assert [(e.window.start, e.window.end - e.window.start) for e in result] == [
        (datetime(2026, 11, 30, tzinfo=UTC), timedelta(days=1)),
        # s2 (published Dec 1) and s3 (no published_at, record timestamp NOW, Dec 1)
        (datetime(2026, 12, 1, tzinfo=UTC), timedelta(days=1)),
    ]
    assert result[1].statements == 2


def test_expired_windows_are_not_counted() -> None:
    old = statement("s1", [target("RU")], published_at=NOW - timedelta(days=40))
    assert aggregate(old) == []
    assert dyads.is_expired(0.0, DAY, 30, 31 * DAY + 1)
    assert not dyads.is_expired(0.0, DAY, 30, 31 * DAY - 1)


def test_events_count_types_not_negated_and_latest_ten_ids_newest_first() -> None:
    support = Event(type="SUPPORT", quad="verbal_cooperation", intensity=3.5)
    refused = Event(type="SUPPORT", quad="verbal_cooperation", negated=True, intensity=3.5)
    items = [
        statement(
            f"s{i:02d}",
            [target("RU")],
            published_at=PUBLISHED + timedelta(minutes=i),
            event=support if i % 2 else refused,
        )
        for i in range(12)
    ]
    (event,) = aggregate(*reversed(items))
    assert event.statements == 12
    assert event.events == {"SUPPORT": 6}
    assert event.statement_ids == [f"s{i:02d}" for i in range(11, 1, -1)]


def test_dyad_event_validates_against_its_committed_schema() -> None:
    (event,) = aggregate(statement("s1", [target("RU")]))
    schema = json.loads((PROJECT_ROOT / "schemas" / "DyadEvent.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(json.loads(event.model_dump_json()))
    data = json.loads(event.model_dump_json())
    assert data["window"] == {"start": "2026-11-30T00:00:00Z", "end": "2026-12-01T00:00:00Z"}
    assert dyads.record_key("KZ", "RU", PUBLISHED.timestamp() // DAY * DAY) == (
        "KZ>RU@2026-11-30T00:00:00Z"
    )


def test_contribution_json_round_trip() -> None:
    (part,) = dyads.contributions(statement("s1", [target("RU")]), 0.0, DAY)
    assert dyads.Contribution.from_json(json.loads(json.dumps(part.to_json()))) == part
    assert part.dyad == "KZ>RU"


def snapshot_of(*events: DyadEvent) -> dyads.DyadSnapshot:
    snapshot = dyads.DyadSnapshot()
    for event in events:
        snapshot.put(event)
    return snapshot


def test_snapshot_query_filters_by_side_and_since() -> None:
    kz_ru, kz_cn = aggregate(
        statement("s1", [target("RU")], published_at=PUBLISHED),
        statement("s2", [target("CN")], published_at=PUBLISHED - timedelta(days=3)),
    )[::-1]
    snapshot = snapshot_of(kz_ru, kz_cn, kz_ru)  # a newer value of a window replaces it
    assert len(snapshot) == 2
    assert snapshot.query(source="KZ") == [kz_cn, kz_ru]
    assert snapshot.query(target="RU") == [kz_ru]
    assert snapshot.query(since=datetime(2026, 11, 29)) == [kz_ru]
    status, body = snapshot.http_query({"source": ["kz"], "target": ["CN"]})
    assert status == 200
    assert [w["target"]["country"] for w in json.loads(body)["windows"]] == ["CN"]
    assert snapshot.http_query({"since": ["yesterday"]})[0] == 400
    assert snapshot.http_query({"source": ["Kazakhstan"]})[0] == 400
    assert snapshot.prune(DAY, 1, NOW.timestamp()) == 1  # the CN window ended 3 days ago


def test_dyads_route_is_served_next_to_metrics() -> None:
    registry = CollectorRegistry()
    DyadMetrics(registry, process_collectors=False).dyad_updates_published.inc(2)
    snapshot = snapshot_of(*aggregate(statement("s1", [target("RU")])))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server, thread = serve_metrics(registry, "127.0.0.1", port, {"/dyads": snapshot.http_query})
    base = f"http://127.0.0.1:{port}"
    try:
        with urllib.request.urlopen(f"{base}/dyads?source=KZ&target=RU", timeout=5) as response:
            assert response.headers["Content-Type"] == "application/json"
            windows = json.loads(response.read())["windows"]
        with urllib.request.urlopen(f"{base}/metrics", timeout=5) as response:
            text = response.read().decode()
        with pytest.raises(urllib.error.HTTPError) as bad:
            urllib.request.urlopen(f"{base}/dyads?since=not-a-date", timeout=5)
    finally:
        server.shutdown()
        thread.join(timeout=5)
    assert [(w["source"]["country"], w["statements"]) for w in windows] == [("KZ", 1)]
    assert "stancewire_dyad_updates_published_total 2.0" in text
    assert bad.value.code == 400
