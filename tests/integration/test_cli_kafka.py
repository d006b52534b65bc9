"""``stancewire produce`` and ``stancewire tail`` against the real broker."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from worker_harness import TopicSet

from stancewire_dev import PROJECT_ROOT

# Bounded: a stuck broker or worker fails the test instead of hanging the suite.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]


def stancewire(
    kafka_bootstrap: str, topics: TopicSet, *args: str
) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("STANCEWIRE_")}
    env.update(
        {
            "STANCEWIRE_KAFKA_BOOTSTRAP": kafka_bootstrap,
            "STANCEWIRE_INPUT_TOPIC": topics.input,
            "STANCEWIRE_OUTPUT_TOPIC": topics.output,
            "STANCEWIRE_DEAD_LETTER_TOPIC": topics.dead_letter,
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "stancewire.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_produce_creates_the_topics_and_tail_reads_the_articles_back(
    kafka_bootstrap: str, topic_set: TopicSet
) -> None:
    samples = sorted(str(path) for path in (PROJECT_ROOT / "samples").glob("*.json"))
    produced = stancewire(kafka_bootstrap, topic_set, "produce", *samples)
    assert produced.returncode == 0, produced.stderr
    assert f"published {len(samples)} article(s)" in produced.stderr

    tailed = stancewire(
        kafka_bootstrap,
        topic_set,
        "tail",
        "--topic",
        topic_set.input,
        "--count",
        str(len(samples)),
        "--timeout",
        "30",
    )
    assert tailed.returncode == 0, tailed.stderr
    records = [json.loads(line) for line in tailed.stdout.splitlines()]
    expected_ids = {json.loads(Path(path).read_text())["article_id"] for path in samples}
    assert {record["value"]["article_id"] for record in records} == expected_ids
    assert all(record["key"] == record["value"]["article_id"] for record in records)
    assert all(record["headers"]["stancewire-schema"] == "ArticleEvent" for record in records)
