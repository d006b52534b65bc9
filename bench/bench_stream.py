"""Stream benchmark: offline vs Kafka throughput and end-to-end latency (``make bench-stream``).

On the cluster ``STANCEWIRE_KAFKA_BOOTSTRAP`` names (else the local broker, started if it is
not running and stopped again afterwards), with PolNeAR texts published as ArticleEvents:

1. **offline**: :class:`stancewire.nlp.Enricher` over the articles in this process
   (articles/s wall-clock, and CPU-seconds), model loaded and warmed up first;
2. **Kafka, 1 and N enrichment processes**: one ``stancewire worker`` subprocess with
   ``STANCEWIRE_ENRICH_PROCESSES=1``, then one with ``=N`` (N: ``--processes``, default the
   CPUs available); each worker is started and has joined its group before the articles are
   published, and throughput is articles over the time from the first publication to the last
   article enriched (``stancewire_articles_enriched_total`` plus dead letters on /metrics);
   the worker's CPU-seconds (with its enrichment processes, start-up and model loading
   included) are printed too, being less disturbed than wall-clock by other load;
3. **latency**: a fresh N-process worker while articles arrive at a steady half of the N-process
   throughput for ``--latency-seconds``; per statement, the article's Kafka timestamp (set when
   it is published) to the statement record's Kafka timestamp (set by the worker's producer
   when it publishes the statement), p50/p95/p99.

Every run has its own topics and consumer group (deleted at the end); workers are stopped at
the end and every wait is bounded (``--timeout``). Articles: the PolNeAR dev texts (84), and
with ``--articles N`` beyond that the train texts, cycling when N exceeds both.

    .venv/bin/python bench/bench_stream.py [--articles 84] [--processes N] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import cycle, islice
from pathlib import Path
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from polnear import DEFAULT_SHARED
from stancewire import kafka_config
from stancewire.events import HEADER_SCHEMA, HEADER_SCHEMA_VERSION, SCHEMA_VERSION, ArticleEvent
from stancewire.settings import Settings

PARTITIONS = 4
POLL_SECONDS = 0.2


@dataclass(frozen=True)
class Run:
    """One run's unique topics and consumer group."""

    input: str
    output: str
    dead_letter: str
    group: str

    @classmethod
    def new(cls, name: str) -> Run:
        suffix = f"{name}.{uuid.uuid4().hex[:8]}"
        return cls(
            f"bench.{suffix}.articles",
            f"bench.{suffix}.statements",
            f"bench.{suffix}.articles.dlq",
            f"bench-{suffix}",
        )


# ------------------------------------------------------------------------------ articles
def polnear_texts(shared: Path, count: int) -> list[str]:
    """``count`` texts: PolNeAR dev first, then train, cycling when more are asked for."""
    paths = [
        path
        for split in ("dev", "train")
        for path in sorted((shared / "polnear" / split / "text").glob("*.txt"))
    ]
    if not paths:
        raise SystemExit(f"no PolNeAR texts under {shared / 'polnear'} (use --shared)")
    return [path.read_text(encoding="utf-8") for path in islice(cycle(paths), count)]


def article_records(texts: list[str], prefix: str) -> list[tuple[bytes, bytes]]:
    records = []
    for index, text in enumerate(texts):
        article = ArticleEvent(article_id=f"{prefix}-{index}", body=text, source="polnear")
        records.append((article.article_id.encode(), article.model_dump_json().encode()))
    return records


# ------------------------------------------------------------------------------ offline
def offline_throughput(texts: list[str]) -> tuple[float, float, float]:
    """(articles/s, wall seconds, CPU seconds) of the Enricher over ``texts``."""
    from stancewire.nlp import Enricher

    enricher = Enricher()
    enricher.enrich(texts[0])  # load and warm up
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        enricher.enrich(text)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return len(texts) / wall, wall, cpu


# ------------------------------------------------------------------------------ workers
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Worker:
    """A ``stancewire worker`` subprocess on one run's topics, with its own /metrics port."""

    def __init__(self, run: Run, bootstrap: str, processes: int, home: Path) -> None:
        self.port = free_port()
        self.log_file = home / f"{run.group}.log"
        env = {
            **os.environ,
            "STANCEWIRE_KAFKA_BOOTSTRAP": bootstrap,
            "STANCEWIRE_INPUT_TOPIC": run.input,
            "STANCEWIRE_OUTPUT_TOPIC": run.output,
            "STANCEWIRE_DEAD_LETTER_TOPIC": run.dead_letter,
            "STANCEWIRE_CONSUMER_GROUP": run.group,
            "STANCEWIRE_TOPIC_PARTITIONS": str(PARTITIONS),
            "STANCEWIRE_ENRICH_PROCESSES": str(processes),
            # The enrichment path alone: the dyad index child (its own app, on by default)
            # would add its CPU and write to the shared dyad topic.
            "STANCEWIRE_DYAD_INDEX": "false",
            "STANCEWIRE_METRICS_PORT": str(self.port),
            "STANCEWIRE_DATA_DIR": str(home / run.group),
        }
        command = [sys.executable, "-m", "stancewire.cli", "worker"]
        with self.log_file.open("wb") as log:
            self.process = subprocess.Popen(
                command, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )

    def metric(self, name: str) -> float:
        """Sum of every sample of ``name`` (0 while /metrics does not answer)."""
        try:
            url = f"http://127.0.0.1:{self.port}/metrics"
            with urllib.request.urlopen(url, timeout=5) as response:
                text = response.read().decode()
        except OSError:
            return 0.0
        return sum(
            sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
            if sample.name == name
        )

    def done(self) -> float:
        """Articles finished: enriched and published, or dead-lettered."""
        return self.metric("stancewire_articles_enriched_total") + self.metric(
            "stancewire_dead_letters_total"
        )

    def wait_joined(self, deadline: float) -> None:
        """Until the worker has its first partition assignment (model loaded, group joined)."""
        wait_until(lambda: self.metric("stancewire_consumer_rebalances_total") >= 1, deadline, self)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wait_until(condition: Any, deadline: float, worker: Worker) -> None:
    while not condition():
        if worker.process.poll() is not None:
            tail = worker.log_file.read_text(errors="replace")[-3000:]
            raise SystemExit(f"worker exited with {worker.process.returncode}:\n{tail}")
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out; worker log: {worker.log_file}")
        time.sleep(POLL_SECONDS)


@contextmanager
def worker_run(
    name: str, settings: Settings, processes: int, home: Path, timeout: float
) -> Iterator[tuple[Run, Worker]]:
    """A fresh run with one joined worker; the worker is stopped and the topics deleted after."""
    run = Run.new(name)
    worker = Worker(run, settings.bootstrap_servers, processes, home)
    try:
        worker.wait_joined(time.monotonic() + timeout)
        yield run, worker
    finally:
        worker.stop()
        delete_topics(settings, run)


# ------------------------------------------------------------------------------ Kafka I/O
def producer(settings: Settings) -> Any:
    from kafka import KafkaProducer

    return KafkaProducer(
        **kafka_config.kafka_python_kwargs(settings),
        acks="all",
        max_request_size=kafka_config.max_record_bytes(settings),
    )


HEADERS = [
    (HEADER_SCHEMA, b"ArticleEvent"),
    (HEADER_SCHEMA_VERSION, str(SCHEMA_VERSION).encode()),
]


def read_timestamps(settings: Settings, topic: str, expected: int) -> list[tuple[Any, int]]:
    """(key or value, Kafka timestamp in ms) of the records of ``topic``, read committed."""
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(
        **kafka_config.kafka_python_kwargs(settings),
        enable_auto_commit=False,
        isolation_level="read_committed",
        max_partition_fetch_bytes=kafka_config.max_record_bytes(settings),
    )
    try:
        numbers: set[int] = set()
        deadline = time.monotonic() + 30
        while not numbers and time.monotonic() < deadline:
            numbers = consumer.partitions_for_topic(topic) or set()
            time.sleep(0 if numbers else 0.5)
        partitions = [TopicPartition(topic, p) for p in sorted(numbers)]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        end = consumer.end_offsets(partitions)
        found: list[tuple[Any, int]] = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and (
            len(found) < expected or any(consumer.position(p) < end[p] for p in partitions)
        ):
            for batch in consumer.poll(timeout_ms=500).values():
                found.extend((record, int(record.timestamp)) for record in batch)
        return found
    finally:
        consumer.close()


def delete_topics(settings: Settings, run: Run) -> None:
    from kafka.admin import KafkaAdminClient

    try:
        admin = KafkaAdminClient(**kafka_config.kafka_python_kwargs(settings))
        try:
            admin.delete_topics([run.input, run.output, run.dead_letter])
        finally:
            admin.close()
    except Exception as exc:  # best effort: a leftover topic is not worth a failed benchmark
        logging.warning("could not delete the topics of %s: %r", run.group, exc)


# ------------------------------------------------------------------------------ phases
def children_cpu_seconds() -> float:
    """CPU time of the ended child processes waited for (a worker and its own children)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def kafka_throughput(
    settings: Settings, texts: list[str], processes: int, home: Path, timeout: float
) -> tuple[float, float]:
    """Articles/s of one worker with ``processes`` enrichment processes over a backlog, and the
    worker's CPU-seconds (its children's included, start-up and model loading too)."""
    cpu = children_cpu_seconds()
    rate = _backlog_rate(settings, texts, processes, home, timeout)
    return rate, children_cpu_seconds() - cpu


def _backlog_rate(
    settings: Settings, texts: list[str], processes: int, home: Path, timeout: float
) -> float:
    with worker_run(f"p{processes}", settings, processes, home, timeout) as (run, worker):
        records = article_records(texts, run.group)
        start = time.perf_counter()
        publisher = producer(settings)
        try:
            for key, value in records:
                publisher.send(run.input, key=key, value=value, headers=HEADERS)
            publisher.flush(60)
        finally:
            publisher.close(10)
        wait_until(lambda: worker.done() >= len(records), time.monotonic() + timeout, worker)
        return len(records) / (time.perf_counter() - start)


def steady_latency(
    settings: Settings,
    texts: list[str],
    processes: int,
    rate: float,
    seconds: float,
    home: Path,
    timeout: float,
) -> tuple[list[float], int]:
    """Latencies (s) of every statement, and articles sent, at ``rate`` articles/s."""
    count = max(1, round(rate * seconds))
    with worker_run("latency", settings, processes, home, timeout) as (run, worker):
        records = article_records(list(islice(cycle(texts), count)), run.group)
        publisher = producer(settings)
        try:
            start = time.perf_counter()
            for index, (key, value) in enumerate(records):
                time.sleep(max(0.0, start + index / rate - time.perf_counter()))
                publisher.send(run.input, key=key, value=value, headers=HEADERS)
            publisher.flush(60)
        finally:
            publisher.close(10)
        wait_until(lambda: worker.done() >= count, time.monotonic() + timeout, worker)
        statements = int(worker.metric("stancewire_statements_published_total"))
        sent = {
            record.key.decode(): stamp
            for record, stamp in read_timestamps(settings, run.input, count)
        }
        latencies = []
        for record, stamp in read_timestamps(settings, run.output, statements):
            article_id = json.loads(record.value)["article_id"]
            latencies.append((stamp - sent[article_id]) / 1000)
        return latencies, count


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


# ------------------------------------------------------------------------------ main
@contextmanager
def broker_for(settings: Settings) -> Iterator[None]:
    """The local broker when no cluster is configured (started here only if not running)."""
    if not settings.uses_local_broker:
        yield
        return
    from stancewire_dev.broker import local_broker

    broker = local_broker(settings)
    running = broker.is_running()
    broker.start()
    try:
        yield
    finally:
        if not running:
            broker.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--articles", type=int, default=84, help="PolNeAR texts (dev, then train)")
    parser.add_argument("--processes", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--latency-seconds", type=float, default=60.0)
    parser.add_argument("--timeout", type=float, default=900.0, help="bound on each wait (s)")
    args = parser.parse_args()
    logging.getLogger("stancewire.nlp").setLevel(logging.CRITICAL)
    logging.getLogger("kafka").setLevel(logging.ERROR)
    settings = Settings()
    texts = polnear_texts(args.shared, args.articles)
    print(
        f"stream benchmark: {len(texts)} PolNeAR articles (dev first, then train), "
        f"{PARTITIONS} partitions, broker {settings.bootstrap_servers}, "
        f"{len(os.sched_getaffinity(0))} CPUs"
    )
    rate, wall, cpu = offline_throughput(texts)
    print(f"  offline Enricher     {rate:6.2f} articles/s  ({wall:.1f} s wall, {cpu:.1f} CPU-s)")
    with broker_for(settings), tempfile.TemporaryDirectory(prefix="bench-stream-") as home:
        one, one_cpu = kafka_throughput(settings, texts, 1, Path(home), args.timeout)
        print(
            f"  Kafka, 1 process     {one:6.2f} articles/s  ({one / rate:.2f} of offline; "
            f"worker {one_cpu:.1f} CPU-s with start-up)"
        )
        many, many_cpu = kafka_throughput(settings, texts, args.processes, Path(home), args.timeout)
        print(
            f"  Kafka, {args.processes} processes   {many:6.2f} articles/s  "
            f"({many / one:.2f}x 1 process; worker {many_cpu:.1f} CPU-s with start-up)"
        )
        steady = many / 2
        latencies, sent = steady_latency(
            settings, texts, args.processes, steady, args.latency_seconds, Path(home), args.timeout
        )
    if not latencies:
        raise SystemExit("no statement published during the latency run")
    p50, p95, p99 = (percentile(latencies, q) for q in (50, 95, 99))
    print(
        f"  latency at {steady:.2f} articles/s (half of {many:.2f}) for {args.latency_seconds:.0f}"
        f" s, {args.processes} processes: {sent} articles, {len(latencies)} statements"
    )
    print(f"    p50 {p50:.2f} s   p95 {p95:.2f} s   p99 {p99:.2f} s")
    print(
        "    (article's Kafka timestamp at publication to the statement record's Kafka "
        "timestamp, set by the worker's producer when it sends the statement)"
    )


if __name__ == "__main__":
    main()
