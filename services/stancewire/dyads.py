"""The dyad index: how the speakers of one country speak of another, window by window.

Pure aggregation (no Kafka, Faust or metrics import), shared by the Faust agents
(``stancewire.stream.dyads``) and the offline ``stancewire dyads`` command, so both compute the
same windows from the same statements.

- A **dyad** is (speaker country, target country). Only statements whose speaker and target
  both have a country count; a statement about targets in two countries counts once for each.
  A target of the speaker's own country (Astana speaking of Kazakhstan) is skipped: the index
  is about relations between countries. Several targets of one country (Russia, Moscow, Putin)
  count the statement once for that dyad, with the stance of the strongest of them (largest
  absolute score, the first on a tie).
- **Windows** are tumbling, on event time: the article's ``published_at``, else the statement
  record's timestamp (offline: its ``enriched_at``, the moment the record would be produced).
  A window starts at a multiple of its size since the Unix epoch (UTC midnight for one day).
- A window's value keeps one entry per ``statement_id``; every count is a count of distinct
  ids, so adding a statement twice (a redelivery) changes nothing: the update is idempotent.
"""

from __future__ import annotations

import json
import math
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from stancewire.events import DyadEvent, DyadSide, DyadStance, DyadWindow, StatementEvent

LATEST_IDS = 10
STANCE_DECIMALS = 4

# The JSON value of one window: the dyad, its start and {statement_id: entry}.
WindowValue = dict[str, Any]


@dataclass(frozen=True)
class Contribution:
    """One statement's part in one dyad window."""

    source: str
    target: str
    window_start: float
    event_time: float
    statement_id: str
    label: str
    score: float
    event_type: str | None
    order: str  # tie-breaker among statements of the same event time (article, offset)

    @property
    def dyad(self) -> str:
        """``SRC>TGT``: the key the live index partitions by."""
        return f"{self.source}>{self.target}"

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "window_start": self.window_start,
            "event_time": self.event_time,
            "statement_id": self.statement_id,
            "label": self.label,
            "score": self.score,
            "event_type": self.event_type,
            "order": self.order,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Contribution:
        return cls(
            source=str(data["source"]),
            target=str(data["target"]),
            window_start=float(data["window_start"]),
            event_time=float(data["event_time"]),
            statement_id=str(data["statement_id"]),
            label=str(data["label"]),
            score=float(data["score"]),
            event_type=None if data.get("event_type") is None else str(data["event_type"]),
            order=str(data["order"]),
        )


def event_time(statement: StatementEvent, record_timestamp: float) -> float:
    """Seconds since the epoch: the article's ``published_at``, else the record timestamp."""
    if statement.published_at is not None:
        published = statement.published_at
        if published.tzinfo is None:
            published = published.replace(tzinfo=UTC)
        return published.timestamp()
    return record_timestamp


def window_start(timestamp: float, window_seconds: int) -> float:
    """Start of the tumbling window holding ``timestamp``."""
    return float(math.floor(timestamp / window_seconds) * window_seconds)


def contributions(
    statement: StatementEvent, record_timestamp: float, window_seconds: int
) -> list[Contribution]:
    """The dyad windows one statement counts in (none without a speaker country)."""
    source = statement.speaker.country
    if source is None:
        return []
    strongest: dict[str, tuple[str, float]] = {}
    for target in statement.targets:
        country = target.country
        if country is None or country == source:
            continue
        held = strongest.get(country)
        if held is None or abs(target.stance.score) > abs(held[1]):
            strongest[country] = (target.stance.label, target.stance.score)
    if not strongest:
        return []
    when = event_time(statement, record_timestamp)
    start = window_start(when, window_seconds)
    event = statement.event
    event_type = event.type if event.type is not None and not event.negated else None
    order = f"{statement.article_id}:{statement.span.start:010d}:{statement.cue.start:010d}"
    return [
        Contribution(
            source=source,
            target=country,
            window_start=start,
            event_time=when,
            statement_id=statement.statement_id,
            label=label,
            score=score,
            event_type=event_type,
            order=order,
        )
        for country, (label, score) in sorted(strongest.items())
    ]


def add(value: WindowValue | None, contribution: Contribution) -> tuple[WindowValue, bool]:
    """The window value with ``contribution`` in it, and whether it changed.

    Pure and idempotent: the value given is not modified, and a statement already in the
    window (same ``statement_id``) leaves it unchanged.
    """
    if value is not None and contribution.statement_id in value["ids"]:
        return value, False
    ids = dict(value["ids"]) if value is not None else {}
    ids[contribution.statement_id] = [
        contribution.label,
        contribution.score,
        contribution.event_type,
        contribution.event_time,
        contribution.order,
    ]
    new_value: WindowValue = {
        "source": contribution.source,
        "target": contribution.target,
        "window_start": contribution.window_start,
        "ids": ids,
    }
    return new_value, True


def record_key(source: str, target: str, start: float) -> str:
    """The DyadEvent record key ``SRC>TGT@<window start ISO 8601>``."""
    return f"{source}>{target}@{_iso(start)}"


def to_dyad_event(value: WindowValue, window_seconds: int, updated_at: datetime) -> DyadEvent:
    """The DyadEvent of one window value."""
    entries: dict[str, list[Any]] = value["ids"]
    labels = Counter(str(entry[0]) for entry in entries.values())
    scores = [float(entry[1]) for entry in entries.values()]
    events = Counter(str(entry[2]) for entry in entries.values() if entry[2] is not None)
    newest = sorted(entries.items(), key=lambda item: (float(item[1][3]), str(item[1][4]), item[0]))
    start = float(value["window_start"])
    mean = round(sum(scores) / len(scores), STANCE_DECIMALS) if scores else 0.0
    return DyadEvent(
        window=DyadWindow(start=_datetime(start), end=_datetime(start + window_seconds)),
        source=DyadSide(country=value["source"]),
        target=DyadSide(country=value["target"]),
        statements=len(entries),
        stance=DyadStance(
            positive=labels["positive"],
            negative=labels["negative"],
            neutral=labels["neutral"],
            mean_score=max(-1.0, min(1.0, mean)),
        ),
        events=cast(Any, dict(sorted(events.items()))),
        statement_ids=[statement_id for statement_id, _ in reversed(newest[-LATEST_IDS:])],
        updated_at=updated_at,
    )


def is_expired(start: float, window_seconds: int, retention_days: int, now: float) -> bool:
    """A window that ended more than ``retention_days`` ago is no longer kept or updated."""
    return start + window_seconds < now - retention_days * 86_400


def aggregate(
    statements: Iterable[tuple[StatementEvent, float]],
    *,
    window_seconds: int,
    retention_days: int,
    now: datetime,
) -> list[DyadEvent]:
    """Every dyad window of ``(statement, record timestamp)`` pairs, sorted by window start,
    source, target: what the live index holds once it has seen the same statements."""
    windows: dict[tuple[float, str, str], WindowValue] = {}
    for statement, timestamp in statements:
        for contribution in contributions(statement, timestamp, window_seconds):
            if is_expired(
                contribution.window_start, window_seconds, retention_days, now.timestamp()
            ):
                continue
            key = (contribution.window_start, contribution.source, contribution.target)
            windows[key], _ = add(windows.get(key), contribution)
    return [to_dyad_event(windows[key], window_seconds, now) for key in sorted(windows)]


def sort_key(event: DyadEvent) -> tuple[datetime, str, str]:
    return event.window.start, event.source.country, event.target.country


class DyadSnapshot:
    """The latest DyadEvent of every window, readable from another thread (``GET /dyads``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._events: dict[str, DyadEvent] = {}

    def put(self, event: DyadEvent) -> None:
        key = record_key(event.source.country, event.target.country, event.window.start.timestamp())
        with self._lock:
            self._events[key] = event

    def prune(self, window_seconds: int, retention_days: int, now: float) -> int:
        """Drop expired windows; returns how many windows are left."""
        with self._lock:
            for key in [
                key
                for key, event in self._events.items()
                if is_expired(event.window.start.timestamp(), window_seconds, retention_days, now)
            ]:
                del self._events[key]
            return len(self._events)

    def __len__(self) -> int:
        with self._lock:
            return len(self._events)

    def query(
        self, source: str | None = None, target: str | None = None, since: datetime | None = None
    ) -> list[DyadEvent]:
        """Windows of the dyad (either side optional) ending after ``since``, sorted."""
        if since is not None and since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        since_ts = since.timestamp() if since is not None else None
        with self._lock:
            events = list(self._events.values())
        return sorted(
            (
                event
                for event in events
                if (source is None or event.source.country == source)
                and (target is None or event.target.country == target)
                and (since_ts is None or event.window.end.timestamp() > since_ts)
            ),
            key=sort_key,
        )

    def http_query(self, params: Mapping[str, list[str]]) -> tuple[int, bytes]:
        """``GET /dyads?source=KZ&target=RU&since=2026-11-01``: (status, JSON body)."""
        try:
            source = _country_param(params, "source")
            target = _country_param(params, "target")
            since_text = _single_param(params, "since")
            since = datetime.fromisoformat(since_text) if since_text is not None else None
        except ValueError as exc:
            return 400, json.dumps({"error": str(exc)}).encode("utf-8")
        windows = [event.model_dump(mode="json") for event in self.query(source, target, since)]
        return 200, json.dumps({"windows": windows}).encode("utf-8")


def _single_param(params: Mapping[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise ValueError(f"{name} given more than once")
    return values[0]


def _country_param(params: Mapping[str, list[str]], name: str) -> str | None:
    value = _single_param(params, name)
    if value is None:
        return None
    if len(value) != 2 or not value.isascii() or not value.isalpha():
        raise ValueError(f"{name} must be an ISO 3166-1 alpha-2 code, got {value!r}")
    return value.upper()


def _datetime(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)


def _iso(timestamp: float) -> str:
    return _datetime(timestamp).strftime("%Y-%m-%dT%H:%M:%SZ")


__all__ = [
    "LATEST_IDS",
    "Contribution",
    "DyadSnapshot",
    "WindowValue",
    "add",
    "aggregate",
    "contributions",
    "event_time",
    "is_expired",
    "record_key",
    "sort_key",
    "to_dyad_event",
    "window_start",
]
