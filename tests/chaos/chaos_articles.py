"""Workload of the chaos tests: news-like articles with reported speech, some malformed.

Every article is generated from ``article_parts.json`` with a seeded random generator, so a
run is reproducible from its seed. About one record in ten is malformed, cycling through every
way an input can be bad (the ``MALFORMED_KINDS``); the rest are valid ``ArticleEvent`` JSON.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

PARTS_FILE = Path(__file__).with_name("article_parts.json")

VALID = "valid"
# Each kind is one way a record on news.articles can be unusable; all must be dead-lettered.
MALFORMED_KINDS: tuple[str, ...] = (
    "invalid_json",  # truncated JSON text
    "not_json_object",  # a JSON array
    "missing_body",
    "missing_article_id",
    "wrong_type_body",  # body is a number
    "wrong_type_article_id",  # article_id is a list
    "not_utf8",  # Latin-1 bytes with a byte that is never valid UTF-8
    "oversize_body",  # body over the worker's max_body_bytes
    "oversize_binary",  # a record far over the limit, not even text (its dead letter is base64)
    "empty_value",  # zero bytes
    "null_value",  # a tombstone (value None)
)


@dataclass(frozen=True)
class ChaosRecord:
    """One record to publish on the input topic, and what the test expects of it."""

    index: int
    kind: str
    article_id: str
    key: bytes
    value: bytes | None

    @property
    def is_valid(self) -> bool:
        return self.kind == VALID


@cache
def _parts() -> dict[str, Any]:
    parts: dict[str, Any] = json.loads(PARTS_FILE.read_text(encoding="utf-8"))
    return parts


def article_body(rng: random.Random) -> str:
    """A short article: an opener, then three to five attributed statements."""
    parts = _parts()
    speaker = rng.choice(parts["speakers"])
    partner = rng.choice(parts["partners"])
    fill = {"country": speaker["country"], "partner": partner, "day": rng.choice(parts["days"])}
    surname = speaker["name"].split()[-1]
    sentences = [rng.choice(parts["openers"]).format(**fill)]
    sentences.append(
        f"{speaker['name']}, the {speaker['role']} of {speaker['country']}, "
        f"{rng.choice(parts['cues'])} that {rng.choice(parts['claims']).format(**fill)}."
    )
    for _ in range(rng.randint(1, 3)):
        form = rng.randrange(3)
        claim = rng.choice(parts["claims"]).format(**fill)
        quote = rng.choice(parts["quotes"]).format(**fill)
        if form == 0:
            sentences.append(f"“{quote},” {surname} said.")
        elif form == 1:
            sentences.append(f"{speaker['pronoun']} {rng.choice(parts['cues'])} that {claim}.")
        else:
            sentences.append(f"According to {surname}, {claim}.")
    return " ".join(sentences)


def valid_article(index: int, rng: random.Random, run_id: str) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "article_id": f"chaos-{run_id}-{index:05d}",
        "title": f"Chaos article {index}",
        "source": "stancewire-chaos",
        "language": "en",
        # Spread over the last five days, so the dyad index has several windows per dyad
        # (and none expired: windows are kept 30 days).
        "published_at": f"{datetime.now(UTC).date() - timedelta(days=index % 5)}T09:00:00Z",
        "body": article_body(rng),
    }


def malformed_value(kind: str, article: dict[str, Any], max_body_bytes: int) -> bytes | None:
    """The bytes of a record that is bad in the way ``kind`` names."""
    text = json.dumps(article)
    if kind == "invalid_json":
        return text[: len(text) // 2].encode()
    if kind == "not_json_object":
        return json.dumps([article["article_id"], article["body"]]).encode()
    if kind == "missing_body":
        return json.dumps({k: v for k, v in article.items() if k != "body"}).encode()
    if kind == "missing_article_id":
        return json.dumps({k: v for k, v in article.items() if k != "article_id"}).encode()
    if kind == "wrong_type_body":
        return json.dumps({**article, "body": 12345}).encode()
    if kind == "wrong_type_article_id":
        return json.dumps({**article, "article_id": [article["article_id"]]}).encode()
    if kind == "not_utf8":
        # 0xFF never occurs in UTF-8; the rest is Latin-1 text with an accented letter.
        return b"\xff" + f'{{"article_id": "{article["article_id"]}", "body": "caf\xe9"}}'.encode(
            "latin-1"
        )
    if kind == "oversize_body":
        filler = "The minister said more. " * (max_body_bytes // 24 + 2)
        return json.dumps({**article, "body": filler}).encode()
    if kind == "oversize_binary":
        return b"\xff\xfe" * (3 * max_body_bytes // 2)
    if kind == "empty_value":
        return b""
    if kind == "null_value":
        return None
    raise ValueError(f"unknown malformed kind {kind!r}")


def workload(
    count: int, *, run_id: str, max_body_bytes: int, seed: int = 5, malformed_every: int = 10
) -> list[ChaosRecord]:
    """``count`` records; every ``malformed_every``-th is malformed, cycling through the kinds."""
    rng = random.Random(seed)
    records: list[ChaosRecord] = []
    for index in range(count):
        article = valid_article(index, rng, run_id)
        key = article["article_id"].encode()
        if index % malformed_every == malformed_every - 1:
            kind = MALFORMED_KINDS[(index // malformed_every) % len(MALFORMED_KINDS)]
            value = malformed_value(kind, article, max_body_bytes)
        else:
            kind = VALID
            value = json.dumps(article).encode()
        records.append(ChaosRecord(index, kind, article["article_id"], key, value))
    return records
