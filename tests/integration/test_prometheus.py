"""Every dashboard query and every alert expression, proven against a real Prometheus.

On the broker of the ``kafka_bootstrap`` fixture (conftest.py) it starts a real ``stancewire
worker`` on unique topics and Debian's ``prometheus`` with the project's
``deploy/prometheus/prometheus.yml`` (its rules included), pointed at the worker on localhost with
a 1 s scrape interval. It publishes the bundled sample articles plus one malformed record, waits
until the worker has processed them, then runs

- every panel query of the committed Grafana dashboard through ``/api/v1/query``: each must
  parse and return data;
- every alert expression of ``deploy/prometheus/rules``: each must parse and evaluate, and every
  rule group must be loaded and healthy;
- ``promtool check metrics`` on a scrape of the worker's ``/metrics``: no finding.

Under ``CI=true`` a missing broker or Prometheus fails the test instead of skipping it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from worker_harness import free_port

from stancewire_dev import PROJECT_ROOT
from stancewire_dev.dashboard import DASHBOARD_PATH, iter_panel_queries

pytestmark = [pytest.mark.integration, pytest.mark.timeout(420)]

PROMETHEUS_CONFIG = PROJECT_ROOT / "deploy" / "prometheus" / "prometheus.yml"
SAMPLES = sorted((PROJECT_ROOT / "samples").glob("*.json"))
# Grafana fills $__rate_interval from the scrape interval; with 1 s scrapes and a short test,
# a window that spans the whole run makes every rate see the published articles.
RATE_WINDOW = "5m"
WORKER_START_TIMEOUT = 180.0
PROCESSING_TIMEOUT = 120.0


def _unavailable(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _wait_for(
    condition: Callable[[], bool], timeout: float, what: str, diagnose: Callable[[], str]
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}\n{diagnose()}")


def _http_get(url: str, timeout: float = 5.0) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        body: bytes = response.read()
        return body


def _answers(url: str) -> bool:
    try:
        _http_get(url, timeout=2.0)
    except OSError:
        return False
    return True


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"(no {path})"


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# ------------------------------------------------------------------------- fixtures
@dataclass(frozen=True)
class Worker:
    metrics_url: str
    input_topic: str
    partitions: int
    log: Path


@pytest.fixture(scope="module")
def worker(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worker]:
    """A real ``stancewire worker`` on unique topics and group, lag measured every second."""
    executable = Path(sys.executable).with_name("stancewire")
    if not executable.exists():
        _unavailable(f"{executable} not installed: run `make install`")
    home = tmp_path_factory.mktemp("worker")
    name = f"it-prom-{uuid.uuid4().hex[:8]}"
    port = free_port()
    partitions = 2
    # Only the settings given here: none leak in from the developer's environment.
    env = {key: value for key, value in os.environ.items() if not key.startswith("STANCEWIRE_")}
    env |= {
        "STANCEWIRE_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "STANCEWIRE_INPUT_TOPIC": f"{name}.articles",
        "STANCEWIRE_OUTPUT_TOPIC": f"{name}.statements",
        "STANCEWIRE_DEAD_LETTER_TOPIC": f"{name}.articles.dlq",
        "STANCEWIRE_DYAD_TOPIC": f"{name}.dyads",
        "STANCEWIRE_CONSUMER_GROUP": name,
        "STANCEWIRE_TOPIC_PARTITIONS": str(partitions),
        "STANCEWIRE_METRICS_HOST": "127.0.0.1",
        "STANCEWIRE_METRICS_PORT": str(port),
        "STANCEWIRE_LAG_INTERVAL_SECONDS": "1",
        "STANCEWIRE_DATA_DIR": str(home),
    }
    log = home / "worker.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(executable), "worker"], env=env, stdout=output, stderr=subprocess.STDOUT
        )
    metrics_url = f"http://127.0.0.1:{port}/metrics"
    try:
        _wait_for(
            lambda: process.poll() is None and _answers(metrics_url),
            WORKER_START_TIMEOUT,
            "the worker's /metrics",
            lambda: f"exit code {process.poll()}\n{_tail(log)}",
        )
        yield Worker(metrics_url, f"{name}.articles", partitions, log)
    finally:
        _stop(process)


@dataclass(frozen=True)
class Prometheus:
    url: str
    log: Path

    def query(self, expr: str, at: float | None = None) -> dict[str, Any]:
        params = {"query": expr}
        if at is not None:
            params["time"] = f"{at:.3f}"
        request = f"{self.url}/api/v1/query?{urllib.parse.urlencode(params)}"
        try:
            body = _http_get(request)
        except urllib.error.HTTPError as exc:  # 400: the expression does not parse
            body = exc.read()
        answer: dict[str, Any] = json.loads(body)
        return answer

    def api(self, path: str) -> dict[str, Any]:
        answer: dict[str, Any] = json.loads(_http_get(f"{self.url}{path}"))
        return answer


@pytest.fixture(scope="module")
def prometheus(worker: Worker, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prometheus]:
    """Debian's Prometheus with the project's config and rules, scraping the worker every 1 s."""
    binary = shutil.which("prometheus")
    if binary is None:
        _unavailable("prometheus not installed: run `make prometheus`")
        raise AssertionError  # unreachable: _unavailable raises
    home = tmp_path_factory.mktemp("prometheus")
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text(encoding="utf-8"))
    config["global"]["scrape_interval"] = "1s"
    config["global"]["evaluation_interval"] = "1s"
    config["rule_files"] = [
        str(PROMETHEUS_CONFIG.parent / pattern) for pattern in config["rule_files"]
    ]
    (job,) = config["scrape_configs"]
    job["static_configs"] = [{"targets": [urllib.parse.urlsplit(worker.metrics_url).netloc]}]
    config_file = home / "prometheus.yml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    port = free_port()
    log = home / "prometheus.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                binary,
                f"--config.file={config_file}",
                f"--storage.tsdb.path={home / 'data'}",
                f"--web.listen-address=127.0.0.1:{port}",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Prometheus(f"http://127.0.0.1:{port}", log)
    try:
        _wait_for(
            lambda: process.poll() is None and _answers(f"{server.url}/-/ready"),
            60,
            "Prometheus to be ready",
            lambda: _tail(log),
        )
        yield server
    finally:
        _stop(process)


@pytest.fixture(scope="module")
def processed_at(worker: Worker, prometheus: Prometheus, kafka_bootstrap: str) -> float:
    """Publish the samples and one malformed record; return a time after all were processed."""
    from kafka import KafkaProducer

    producer = KafkaProducer(bootstrap_servers=kafka_bootstrap.split(","))
    try:
        for sample in SAMPLES:
            article = json.loads(sample.read_text(encoding="utf-8"))
            producer.send(
                worker.input_topic,
                key=str(article["article_id"]).encode(),
                value=json.dumps(article).encode(),
            )
        producer.send(worker.input_topic, key=b"broken", value=b"{not json")
        producer.flush(30)
    finally:
        producer.close()
    published = len(SAMPLES) + 1

    def all_processed() -> bool:
        answer = prometheus.query(
            f'sum(stancewire_consumer_committed_offset{{topic="{worker.input_topic}"}})'
        )
        result = answer.get("data", {}).get("result", [])
        if not result or float(result[0]["value"][1]) < published:
            return False
        # The dyad index too (the seed article gives a KZ -> RU window), so its panels show it.
        dyads = prometheus.query("sum(stancewire_dyad_table_keys)")
        held = dyads.get("data", {}).get("result", [])
        return bool(held) and float(held[0]["value"][1]) > 0

    _wait_for(
        all_processed,
        PROCESSING_TIMEOUT,
        f"the worker to commit {published} records",
        lambda: _tail(worker.log),
    )
    time.sleep(3)  # a few more scrapes, so every rate() window holds the final values
    return time.time()


# ------------------------------------------------------------------------- tests
def _panel_queries() -> list[tuple[str, str]]:
    model = json.loads(DASHBOARD_PATH.read_text(encoding="utf-8"))
    return [
        (f"{query.panel} [{query.legend}]", query.expr.replace("$__rate_interval", RATE_WINDOW))
        for query in iter_panel_queries(model)
    ]


def _alert_expressions() -> list[tuple[str, str]]:
    expressions = []
    for path in sorted((PROMETHEUS_CONFIG.parent / "rules").glob("*.yml")):
        for group in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]:
            for rule in group["rules"]:
                expressions.append((rule.get("alert") or rule["record"], rule["expr"]))
    return expressions


def test_every_dashboard_panel_query_returns_data(
    prometheus: Prometheus, processed_at: float
) -> None:
    queries = _panel_queries()
    assert queries
    failures = []
    for panel, expr in queries:
        answer = prometheus.query(expr, at=processed_at)
        if answer.get("status") != "success":
            failures.append(f"{panel}: {expr}\n  error: {answer.get('error')}")
        elif not answer["data"]["result"]:
            failures.append(f"{panel}: {expr}\n  no data")
    assert failures == [], "\n".join(failures)


def test_every_alert_expression_parses_and_evaluates(
    prometheus: Prometheus, processed_at: float
) -> None:
    failures = []
    for alert, expr in _alert_expressions():
        answer = prometheus.query(expr, at=processed_at)
        if answer.get("status") != "success":
            failures.append(f"{alert}: {answer.get('error')}")
    assert failures == [], "\n".join(failures)


def test_rules_are_loaded_and_healthy_and_no_alert_fires_on_a_healthy_worker(
    prometheus: Prometheus, processed_at: float
) -> None:
    groups = prometheus.api("/api/v1/rules")["data"]["groups"]
    rules = [rule for group in groups for rule in group["rules"]]
    assert {rule["name"] for rule in rules} == {name for name, _ in _alert_expressions()}
    assert all(rule["health"] == "ok" for rule in rules), [
        (rule["name"], rule.get("lastError")) for rule in rules if rule["health"] != "ok"
    ]
    alerts = prometheus.api("/api/v1/alerts")["data"]["alerts"]
    firing = [alert["labels"]["alertname"] for alert in alerts if alert["state"] == "firing"]
    assert firing == []


def test_worker_exports_its_consumer_lag_per_partition(
    prometheus: Prometheus, worker: Worker, processed_at: float
) -> None:
    selector = f'{{topic="{worker.input_topic}"}}'
    for metric in (
        "stancewire_consumer_log_end_offset",
        "stancewire_consumer_lag_messages",
        "stancewire_consumer_lag_seconds",
    ):
        result = prometheus.query(f"{metric}{selector}", at=processed_at)["data"]["result"]
        assert sorted(int(series["metric"]["partition"]) for series in result) == list(
            range(worker.partitions)
        ), metric
    lag = prometheus.query(f"sum(stancewire_consumer_lag_messages{selector})", at=processed_at)
    assert float(lag["data"]["result"][0]["value"][1]) == 0.0
    dead = prometheus.query(
        'sum(stancewire_dead_letters_total{reason="invalid_json"})', at=processed_at
    )
    assert float(dead["data"]["result"][0]["value"][1]) >= 1.0


def test_promtool_check_metrics_finds_no_problem(worker: Worker, processed_at: float) -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        _unavailable("promtool not installed: run `make prometheus`")
        return
    exposition = _http_get(worker.metrics_url)
    result = subprocess.run(
        [promtool, "check", "metrics"], input=exposition, capture_output=True, timeout=60
    )
    findings = (result.stdout + result.stderr).decode(errors="replace")
    assert result.returncode == 0 and findings.strip() == "", findings
