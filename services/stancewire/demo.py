"""``make run``: the whole service on this machine, end to end, until Ctrl-C.

Starts the local Kafka broker (unless ``STANCEWIRE_KAFKA_BOOTSTRAP`` names a cluster), creates
the topics, starts ``stancewire worker`` as a subprocess, publishes the bundled sample articles
(``samples/*.json``, the seed article among them), and prints every statement the worker
publishes on the statements topic in readable form, then the dyad windows it built from them
(one line each, from the dyad topic). Ctrl-C stops the worker cleanly (SIGTERM,
offsets committed), and the broker too when this command started it.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from stancewire import kafka_config
from stancewire.dyads import sort_key
from stancewire.events import (
    HEADER_SCHEMA,
    HEADER_SCHEMA_VERSION,
    SCHEMA_VERSION,
    ArticleEvent,
    DyadEvent,
    StatementEvent,
)
from stancewire.settings import PROJECT_ROOT, Settings, get_settings

log = logging.getLogger("stancewire.demo")

SAMPLES_DIR = PROJECT_ROOT / "samples"
WORKER_STOP_TIMEOUT_SECONDS = 30.0


def sample_articles(directory: Path = SAMPLES_DIR) -> list[ArticleEvent]:
    """The bundled sample articles, in file-name order."""
    return [
        ArticleEvent.model_validate_json(path.read_text(encoding="utf-8"))
        for path in sorted(directory.glob("*.json"))
    ]


def format_statement(statement: StatementEvent) -> str:
    """A statement as a few readable lines: speaker, cue, content, stances, topics."""
    speaker = statement.speaker
    details: list[str] = [speaker.kind]
    if speaker.role:
        details.append(speaker.role)
    if speaker.country:
        details.append(speaker.country)
    if speaker.mention is not None and speaker.mention.text != speaker.name:
        details.append(f"as {speaker.mention.text!r}")
    lines = [
        f"[{statement.article_id}] {speaker.name} ({', '.join(details)}) "
        f"{statement.cue.text!r} ({statement.kind})",
        f"    content: {statement.content.text}",
    ]
    for target in statement.targets:
        country = f" {target.country}" if target.country else ""
        evidence = f" because {', '.join(target.stance.evidence)}" if target.stance.evidence else ""
        lines.append(
            f"    stance toward {target.name} ({target.kind}{country}): "
            f"{target.stance.label} {target.stance.score:+.2f}{evidence}"
        )
    if statement.topics:
        topics = ", ".join(f"{topic.id} {topic.score:.2f}" for topic in statement.topics)
        lines.append(f"    topics: {topics}")
    else:
        lines.append("    topics: (none)")
    return "\n".join(lines)


def publish(settings: Settings, articles: Iterable[ArticleEvent]) -> int:
    """Publish ArticleEvents to the input topic (key = article_id); returns how many."""
    from kafka import KafkaProducer

    producer = KafkaProducer(**kafka_config.kafka_python_kwargs(settings), acks="all")
    headers = [
        (HEADER_SCHEMA, b"ArticleEvent"),
        (HEADER_SCHEMA_VERSION, str(SCHEMA_VERSION).encode()),
    ]
    count = 0
    try:
        for article in articles:
            producer.send(
                settings.input_topic,
                key=article.article_id.encode("utf-8"),
                value=article.model_dump_json(exclude_none=True).encode("utf-8"),
                headers=headers,
            )
            count += 1
        producer.flush(timeout=60)
    finally:
        producer.close(timeout=10)
    return count


def statements_consumer(settings: Settings, topic: str | None = None) -> Any:
    """A group-less consumer positioned at the end of every partition of ``topic`` (default:
    the statements topic)."""
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(
        **kafka_config.kafka_python_kwargs(settings),
        enable_auto_commit=False,
        isolation_level="read_committed",
    )
    topic = topic or settings.output_topic
    partitions = consumer.partitions_for_topic(topic) or set()
    assigned = [TopicPartition(topic, p) for p in sorted(partitions)]
    consumer.assign(assigned)
    consumer.seek_to_end(*assigned)
    for partition in assigned:  # resolve the positions now, before anything is published
        consumer.position(partition)
    return consumer


def format_dyad(dyad: DyadEvent) -> str:
    """One dyad window on one line: ``KZ -> RU  2026-11-02  9 statements  +7 / -0  mean +0.45``
    followed by its PLOVER event counts."""
    events = "".join(f"  {kind} {count}" for kind, count in dyad.events.items())
    return (
        f"{dyad.source.country} -> {dyad.target.country}  {dyad.window.start:%Y-%m-%d}  "
        f"{dyad.statements} statements  +{dyad.stance.positive} / -{dyad.stance.negative}  "
        f"mean {dyad.stance.mean_score:+.2f}{events}"
    )


class DyadPrinter:
    """Follows the dyad topic; once the stream has been quiet for a moment, prints every
    window it saw (latest value per key), sorted by window, source, target."""

    QUIET_SECONDS = 3.0

    def __init__(self, settings: Settings) -> None:
        self.topic = settings.dyad_topic
        self.consumer = statements_consumer(settings, self.topic)
        self.latest: dict[bytes, DyadEvent] = {}
        self.changed = False
        self.last_activity = time.monotonic()

    def poll(self, out: TextIO, activity: bool) -> None:
        """Take new DyadEvents; print them all when nothing arrived for QUIET_SECONDS."""
        for records in self.consumer.poll(timeout_ms=0).values():
            for record in records:
                self.latest[record.key] = DyadEvent.model_validate_json(record.value)
                self.changed = activity = True
        now = time.monotonic()
        if activity:
            self.last_activity = now
        elif self.changed and now - self.last_activity >= self.QUIET_SECONDS:
            self.changed = False
            print(f"Dyads on {self.topic} (source -> target, window):", file=out)
            for dyad in sorted(self.latest.values(), key=sort_key):
                print(f"  {format_dyad(dyad)}", file=out)
            print(file=out, flush=True)

    def close(self) -> None:
        self.consumer.close()


def start_worker(settings: Settings, log_file: Path) -> subprocess.Popen[bytes]:
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as stream:
        return subprocess.Popen(
            [sys.executable, "-m", "stancewire.cli", "worker"],
            stdin=subprocess.DEVNULL,
            stdout=stream,
            stderr=subprocess.STDOUT,
        )


def stop_worker(worker: subprocess.Popen[bytes]) -> int:
    """SIGTERM (Faust commits and leaves the group), SIGKILL if it hangs; the exit code."""
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(WORKER_STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    return worker.returncode


def run(settings: Settings, out: TextIO = sys.stdout) -> int:
    from stancewire.broker import local_broker
    from stancewire.stream.topics import create_topics

    started_broker = None
    if settings.uses_local_broker:
        broker = local_broker(settings)
        if broker.is_running():
            print(f"Local Kafka broker already running on {broker.bootstrap}", file=out)
        else:
            started_broker = broker
            print(f"Starting the local Kafka broker on {broker.bootstrap} ...", file=out)
        out.flush()
        broker.start()
    else:
        print(f"Using the Kafka cluster at {settings.bootstrap_servers}", file=out, flush=True)
    create_topics(settings)

    worker_log = settings.data_dir / "worker.log"
    worker = start_worker(settings, worker_log)
    print(
        f"Worker started (pid {worker.pid}, log {worker_log}); "
        f"metrics on http://{settings.metrics_host}:{settings.metrics_port}/metrics",
        file=out,
        flush=True,
    )
    consumer = statements_consumer(settings)
    dyads = DyadPrinter(settings)
    try:
        articles = sample_articles()
        published = publish(settings, articles)
        print(
            f"Published {published} sample articles to {settings.input_topic}; "
            f"statements from {settings.output_topic} follow (Ctrl-C to stop).\n",
            file=out,
            flush=True,
        )
        shown = 0
        while worker.poll() is None:
            batches = consumer.poll(timeout_ms=1000)
            for records in batches.values():
                for record in records:
                    statement = StatementEvent.model_validate_json(record.value)
                    shown += 1
                    print(f"#{shown} {format_statement(statement)}\n", file=out, flush=True)
            dyads.poll(out, activity=bool(batches))
        print(
            f"The worker exited with code {worker.returncode}; see {worker_log}",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("\nStopping the worker ...", file=out, flush=True)
        return 0
    finally:
        consumer.close()
        dyads.close()
        code = stop_worker(worker)
        log.info("worker exited with %s", code)
        if started_broker is not None:
            print("Stopping the local broker ...", file=out, flush=True)
            started_broker.stop()


def main() -> None:
    settings = get_settings()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    started = time.monotonic()
    try:
        code = run(settings)
    except KeyboardInterrupt:
        code = 130
    with contextlib.suppress(Exception):
        print(f"(ran for {time.monotonic() - started:.0f}s)", file=sys.stderr)
    sys.exit(code)


if __name__ == "__main__":
    main()
