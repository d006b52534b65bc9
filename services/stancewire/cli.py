"""The ``stancewire`` command: worker | dyad-index | enrich | dyads | stance | produce | tail |
broker | schemas.

``enrich`` works offline (no Kafka): it reads articles from files or standard input and writes
StatementEvent JSON lines to standard output, in article then span order. ``produce`` and
``tail`` talk to Kafka with kafka-python; ``broker`` manages the local development broker.
"""

from __future__ import annotations

import base64
import json
import logging
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from stancewire.events import SCHEMA_MODELS, StatementEvent
from stancewire.inputs import InputError, read_articles
from stancewire.settings import Settings, get_settings

log = logging.getLogger("stancewire")


def _configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # kafka-python logs every connection at INFO.
    logging.getLogger("kafka").setLevel(
        max(logging.WARNING, logging.getLevelName(settings.log_level))
    )


@click.group()
@click.version_option(package_name="stancewire")
def main() -> None:
    """stancewire: news articles in, attributed stance- and topic-tagged statements out."""


# ------------------------------------------------------------------------------ worker
@main.command()
def worker() -> None:
    """Run the Faust worker: news.articles -> news.statements (+ dead letters).

    With STANCEWIRE_DYAD_INDEX (the default) it also runs the dyad index (`dyad-index`) as a
    child process it supervises: restarted when it exits, stopped and killed with the worker.
    """
    settings = get_settings()
    _configure_logging(settings)
    # Faust's datadir lives below it; a fresh data dir (one per worker in tests) must exist.
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    from stancewire.stream.app import run_worker

    sys.exit(run_worker(settings))


@main.command("dyad-index")
@click.option("--parent-pid", type=int, default=None, hidden=True)
@click.option("--report-fd", type=int, default=None, hidden=True)
def dyad_index(parent_pid: int | None, report_fd: int | None) -> None:
    """Run the live dyad index alone: news.statements -> news.dyads (+ /metrics, /dyads).

    Its own Faust app and consumer group (<consumer group>-dyads), at-least-once, reading the
    statements topic read_committed. `stancewire worker` runs it as a child process unless
    STANCEWIRE_DYAD_INDEX=false; run it alone to scale it apart from the workers. (The hidden
    options are the worker's: its pid, to die with it, and a pipe for the child's port.)
    """
    settings = get_settings()
    _configure_logging(settings)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    from stancewire.stream.dyad_app import run_dyad_index

    sys.exit(run_dyad_index(settings, parent_pid=parent_pid, report_fd=report_fd))


# ------------------------------------------------------------------------------ enrich
@main.command()
@click.argument("paths", nargs=-1, required=True)
def enrich(paths: tuple[str, ...]) -> None:
    """Enrich articles offline (no Kafka) and print StatementEvent JSON lines.

    PATHS: .txt (one body; article_id = file stem), .json (one ArticleEvent), .jsonl (one per
    line), or - for standard input.
    """
    out = sys.stdout
    for event in _statement_events(paths, get_settings()):
        out.write(event.model_dump_json() + "\n")
    out.flush()


def _statement_events(paths: tuple[str, ...], settings: Settings) -> Iterator[StatementEvent]:
    """The StatementEvents of every article in ``paths``, in article then span order."""
    # Read and validate every input first: a bad file fails before any model is loaded.
    articles = [article for path in paths for article in read_articles(path)]
    for article in articles:
        size = len(article.body.encode("utf-8", errors="surrogatepass"))
        if size > settings.max_body_bytes:
            raise InputError(
                f"article {article.article_id!r}: body of {size} bytes exceeds "
                f"STANCEWIRE_MAX_BODY_BYTES={settings.max_body_bytes}"
            )
    from stancewire.nlp import default_enricher
    from stancewire.pipeline import to_statement_events

    enricher = default_enricher()  # loads the model once for all articles
    for article in articles:
        yield from to_statement_events(article, enricher.enrich(article.body), enricher.version)


# ------------------------------------------------------------------------------ dyads
@main.command()
@click.argument("paths", nargs=-1, required=True)
def dyads(paths: tuple[str, ...]) -> None:
    """Build the dyad index offline (no Kafka) and print DyadEvent JSON lines.

    The same inputs as ``enrich``; the same aggregation as the worker's live index (windows of
    STANCEWIRE_DYAD_WINDOW_SECONDS, kept STANCEWIRE_DYAD_RETENTION_DAYS), sorted by window
    start, source, target. A statement without published_at falls in the window of its
    enriched_at (the live index: its record timestamp).
    """
    from stancewire.dyads import aggregate

    settings = get_settings()
    statements = [
        (event, event.enriched_at.timestamp()) for event in _statement_events(paths, settings)
    ]
    out = sys.stdout
    for dyad in aggregate(
        statements,
        window_seconds=settings.dyad_window_seconds,
        retention_days=settings.dyad_retention_days,
        now=datetime.now(UTC),
    ):
        out.write(dyad.model_dump_json() + "\n")
    out.flush()


@main.command()
@click.argument("paths", nargs=-1, required=True)
def stance(paths: tuple[str, ...]) -> None:
    """Stance toward given targets: JSON lines in, the same lines with stances out.

    Each line of PATHS (- for standard input): {"id": ..., "text": ..., "targets": [{"start":
    int, "end": int}, ...]}, Python string offsets into text. Each output line is that object,
    in input order, with every target given "stance": {"label", "score", "evidence"}. A bad
    line is reported on standard error with its number and skipped; the exit status is 1 if
    any line was bad.
    """
    from stancewire.nlp.model import load_model
    from stancewire.stance_lines import answer_lines

    nlp = load_model()  # loaded once for every line
    out = sys.stdout
    bad = 0
    for path in paths:
        name = "<stdin>" if path == "-" else path
        if path == "-":
            handle = sys.stdin
        else:
            try:
                handle = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
            except OSError as exc:
                raise InputError(f"{path}: {exc.strerror}") from None
        try:
            for answer in answer_lines(nlp, handle):
                if answer.error is not None:
                    bad += 1
                    click.echo(f"{name}: line {answer.line_number}: {answer.error}", err=True)
                else:
                    out.write(f"{answer.output}\n")
        finally:
            if handle is not sys.stdin:
                handle.close()
    out.flush()
    if bad:
        click.echo(f"{bad} bad line(s), not answered", err=True)
        sys.exit(1)


# ------------------------------------------------------------------------------ produce / tail
@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--topic", default=None, help="Target topic (default: the input topic).")
def produce(paths: tuple[str, ...], topic: str | None) -> None:
    """Publish ArticleEvents (same inputs as `enrich`) to Kafka, keyed by article_id."""
    settings = get_settings()
    _configure_logging(settings)
    articles = [article for path in paths for article in read_articles(path)]
    from kafka import KafkaProducer

    from stancewire import kafka_config
    from stancewire.events import HEADER_SCHEMA, HEADER_SCHEMA_VERSION, SCHEMA_VERSION

    producer = KafkaProducer(
        **kafka_config.kafka_python_kwargs(settings),
        acks="all",
        max_request_size=kafka_config.max_record_bytes(settings),
    )
    headers = [
        (HEADER_SCHEMA, b"ArticleEvent"),
        (HEADER_SCHEMA_VERSION, str(SCHEMA_VERSION).encode()),
    ]
    target = topic or settings.input_topic
    if topic is None:
        # Brokers without topic auto-creation (ours): make sure the worker's topics exist.
        from stancewire.stream.topics import create_topics

        create_topics(settings)
    try:
        for article in articles:
            producer.send(
                target,
                key=article.article_id.encode("utf-8"),
                value=article.model_dump_json(exclude_none=True).encode("utf-8"),
                headers=headers,
            )
        producer.flush(timeout=60)
    finally:
        producer.close(timeout=10)
    click.echo(f"published {len(articles)} article(s) to {target}", err=True)


@main.command()
@click.option("--topic", default=None, help="Topic to read (default: the output topic).")
@click.option("--count", type=int, default=None, help="Stop after this many records.")
@click.option(
    "--timeout",
    type=float,
    default=None,
    help="Stop after this many idle seconds (default: never).",
)
def tail(topic: str | None, count: int | None, timeout: float | None) -> None:
    """Print a topic's records from the beginning as JSON lines (value; key and headers too)."""
    settings = get_settings()
    _configure_logging(settings)
    from kafka import KafkaConsumer

    from stancewire import kafka_config

    consumer = KafkaConsumer(
        topic or settings.output_topic,
        **kafka_config.kafka_python_kwargs(settings),
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=int(timeout * 1000) if timeout is not None else float("inf"),
        isolation_level="read_committed",
    )
    seen = 0
    try:
        for record in consumer:
            click.echo(json.dumps(_record_as_json(record), ensure_ascii=False))
            seen += 1
            if count is not None and seen >= count:
                break
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()


def _record_as_json(record: Any) -> dict[str, Any]:
    def text(raw: bytes | None) -> Any:
        if raw is None:
            return None
        try:
            decoded = raw.decode("utf-8")
        except UnicodeDecodeError:
            return {"base64": base64.b64encode(raw).decode("ascii")}
        try:
            return json.loads(decoded)
        except json.JSONDecodeError:
            return decoded

    return {
        "partition": record.partition,
        "offset": record.offset,
        "key": text(record.key),
        "headers": {name: text(value) for name, value in record.headers or []},
        "value": text(record.value),
    }


# ------------------------------------------------------------------------------ broker
@main.group()
def broker() -> None:
    """Manage the local single-node Kafka broker (not used with STANCEWIRE_KAFKA_BOOTSTRAP)."""


def _local_broker_or_exit() -> Any:
    settings = get_settings()
    _configure_logging(settings)
    if not settings.uses_local_broker:
        click.echo(
            f"STANCEWIRE_KAFKA_BOOTSTRAP={settings.kafka_bootstrap} is set: "
            "that cluster is used, no local broker is managed.",
            err=True,
        )
        sys.exit(0)
    try:
        # A developer tool of the checkout (services/stancewire_dev), not of the package.
        from stancewire_dev.broker import local_broker
    except ImportError:
        raise click.ClickException(
            "the local development broker comes with a stancewire checkout (make broker-up), "
            "not with the installed package: set STANCEWIRE_KAFKA_BOOTSTRAP to a Kafka cluster"
        ) from None
    return local_broker(settings)


@broker.command("start")
def broker_start() -> None:
    """Start the broker (format storage on first use) and wait until it answers."""
    local = _local_broker_or_exit()
    from stancewire_dev.broker import BrokerError

    try:
        local.start()
    except BrokerError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(local.status().describe())


@broker.command("stop")
def broker_stop() -> None:
    """Stop the broker (graceful; killed after 30 s)."""
    local = _local_broker_or_exit()
    local.stop()
    click.echo(local.status().describe())


@broker.command("status")
def broker_status() -> None:
    """Say whether the broker runs and answers; exit 1 when it does not answer."""
    local = _local_broker_or_exit()
    status = local.status()
    click.echo(status.describe())
    sys.exit(0 if status.answering else 1)


# ------------------------------------------------------------------------------ schemas
@main.group()
def schemas() -> None:
    """JSON Schema files of the event contract."""


def schema_documents() -> dict[str, str]:
    """File name -> JSON Schema text, for every model in events.SCHEMA_MODELS."""
    return {
        f"{name}.json": json.dumps(model.model_json_schema(), indent=2, sort_keys=True) + "\n"
        for name, model in SCHEMA_MODELS.items()
    }


@schemas.command("export")
@click.argument("directory", default="schemas", type=click.Path(file_okay=False, path_type=Path))
def schemas_export(directory: Path) -> None:
    """Write DIRECTORY/<Model>.json for every event model (default: schemas/)."""
    directory.mkdir(parents=True, exist_ok=True)
    for file_name, text in schema_documents().items():
        (directory / file_name).write_text(text, encoding="utf-8")
        click.echo(str(directory / file_name))


if __name__ == "__main__":  # pragma: no cover
    main()
