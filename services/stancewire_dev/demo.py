"""``make run``: the whole service on this machine, end to end, until Ctrl-C.

Starts the local Kafka broker (unless ``STANCEWIRE_KAFKA_BOOTSTRAP`` names a cluster), creates
the topics, starts ``stancewire worker`` as a subprocess, publishes the bundled sample articles
(``samples/*.json``, the seed article among them), and prints every statement the worker
publishes on the statements topic in readable form, then the dyad windows built from them (one
line each, from the dyad topic).

It behaves like a foreground program (:mod:`stancewire_dev.foreground`): Ctrl-C, SIGTERM and
SIGHUP stop the worker cleanly (SIGTERM, offsets committed) and the local broker when this
program started it (a broker that already ran is left running), then it exits with 0; under
``make run`` Ctrl-C reaches this program only, so ``make`` exits with 0 too. ``--broker-port``
runs the local broker on another port (the tests use it).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
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
from stancewire.settings import Settings, get_settings
from stancewire_dev import PROJECT_ROOT, state_dir
from stancewire_dev.broker import BrokerError, LocalBroker, broker_answers
from stancewire_dev.foreground import StopRequested, StopSignals, terminal_foreground

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


def start_worker(settings: Settings, log_file: Path) -> subprocess.Popen[bytes]:
    """``stancewire worker`` on these settings, in its own session: a signal meant for this
    program (Ctrl-C, ``timeout``) does not reach it, :func:`stop_worker` stops it in turn."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["STANCEWIRE_KAFKA_BOOTSTRAP"] = settings.bootstrap_servers
    env["STANCEWIRE_DATA_DIR"] = str(state_dir(settings))
    with log_file.open("ab") as stream:
        return subprocess.Popen(
            [sys.executable, "-m", "stancewire.cli", "worker"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=stream,
            stderr=subprocess.STDOUT,
            start_new_session=True,
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


def say(text: str, out: TextIO) -> None:
    """Print and flush; a terminal that went away (SIGHUP) does not stop the clean-up."""
    with contextlib.suppress(OSError, ValueError):
        print(text, file=out, flush=True)


def must_start(broker: LocalBroker, out: TextIO) -> bool:
    """Whether this program starts the local broker (and so stops it): not when one already
    runs there, this checkout's or any Kafka answering on its port (that one is left running)."""
    if broker.is_running():
        say(f"Local Kafka broker already running on {broker.bootstrap} (left running)", out)
        return False
    if broker_answers(broker.bootstrap):
        say(f"A Kafka broker already answers on {broker.bootstrap} (left running)", out)
        return False
    say(f"Starting the local Kafka broker on {broker.bootstrap} ...", out)
    return True


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
            say(f"Dyads on {self.topic} (source -> target, window):", out)
            for dyad in sorted(self.latest.values(), key=sort_key):
                say(f"  {format_dyad(dyad)}", out)
            say("", out)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.consumer.close()


def show_statements(
    worker: subprocess.Popen[bytes], consumer: Any, out: TextIO, settings: Settings
) -> None:
    """Print every statement the worker publishes, and the dyad windows built from them once
    the stream is quiet, until the worker exits."""
    shown = 0
    dyads = DyadPrinter(settings)
    try:
        while worker.poll() is None:
            batches = consumer.poll(timeout_ms=1000)
            for records in batches.values():
                for record in records:
                    statement = StatementEvent.model_validate_json(record.value)
                    shown += 1
                    say(f"#{shown} {format_statement(statement)}\n", out)
            dyads.poll(out, activity=bool(batches))
    finally:
        dyads.close()


def run(
    settings: Settings, stop: StopSignals, out: TextIO = sys.stdout, broker_port: int = 9092
) -> int:
    """Broker, topics, worker, samples, statements until a stop signal; then everything that
    was started here is stopped. 0 when stopped by a signal, 1 when something failed.

    With ``STANCEWIRE_KAFKA_BOOTSTRAP`` set, that cluster is used; else the local broker on
    ``broker_port`` (see :func:`must_start`).
    """
    from stancewire.stream.topics import create_topics

    owned_broker: LocalBroker | None = None
    worker: subprocess.Popen[bytes] | None = None
    consumer: Any = None
    worker_log = state_dir(settings) / "worker.log"
    try:
        if settings.uses_local_broker:
            broker = LocalBroker(port=broker_port, data_dir=state_dir(settings))
            if must_start(broker, out):
                owned_broker = broker  # before start(): a stop during start-up stops it too
            if owned_broker is not None or broker.is_running():
                broker.start()  # returns once it answers
            settings = settings.model_copy(update={"kafka_bootstrap": broker.bootstrap})
        else:
            say(f"Using the Kafka cluster at {settings.bootstrap_servers}", out)
        create_topics(settings)
        with stop.deferred():  # the handle is needed to stop it
            worker = start_worker(settings, worker_log)
        say(
            f"Worker started (pid {worker.pid}, log {worker_log}); "
            f"metrics on http://{settings.metrics_host}:{settings.metrics_port}/metrics",
            out,
        )
        consumer = statements_consumer(settings)
        published = publish(settings, sample_articles())
        say(
            f"Published {published} sample articles to {settings.input_topic}; "
            f"statements from {settings.output_topic} follow (Ctrl-C to stop).\n",
            out,
        )
        show_statements(worker, consumer, out, settings)
        say(f"The worker exited with code {worker.returncode}; see {worker_log}", sys.stderr)
        return 1
    except StopRequested as request:
        say(f"\n{request} received: stopping ...", out)
        return 0
    except BrokerError as exc:
        say(f"The local Kafka broker could not be started: {exc}", sys.stderr)
        return 1
    finally:
        stop.shield()
        shut_down(owned_broker, worker, consumer, out)


def shut_down(
    owned_broker: LocalBroker | None,
    worker: subprocess.Popen[bytes] | None,
    consumer: Any,
    out: TextIO,
) -> None:
    """Stop what was started, the worker first (it commits its offsets to the broker)."""
    if consumer is not None:
        with contextlib.suppress(Exception):
            consumer.close()
    if worker is not None:
        say("Stopping the worker ...", out)
        log.info("worker exited with %s", stop_worker(worker))
    if owned_broker is not None:
        say("Stopping the local Kafka broker ...", out)
        owned_broker.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m stancewire_dev.demo", description=__doc__)
    parser.add_argument(
        "--broker-port",
        type=int,
        default=9092,
        help="port of the local broker (controller on the next one); default 9092",
    )
    args = parser.parse_args(argv)
    settings = get_settings()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    started = time.monotonic()
    code = 0
    with terminal_foreground(), StopSignals() as stop:
        with contextlib.suppress(StopRequested):  # one that came before run() took over
            code = run(settings, stop, broker_port=args.broker_port)
        say(f"(ran for {time.monotonic() - started:.0f}s)", sys.stderr)
    sys.exit(code)


if __name__ == "__main__":
    main()
