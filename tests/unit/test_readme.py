"""The README documents every setting and every metric the code defines."""

from __future__ import annotations

from pathlib import Path

from prometheus_client import CollectorRegistry

from stancewire.metrics import DyadMetrics, Metrics
from stancewire.settings import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_readme_documents_every_setting() -> None:
    missing = [
        f"STANCEWIRE_{name.upper()}"
        for name in Settings.model_fields
        if f"`STANCEWIRE_{name.upper()}`" not in README
    ]
    assert not missing, f"settings missing from README: {missing}"


def test_readme_documents_every_stancewire_metric() -> None:
    registry = CollectorRegistry()
    Metrics(registry, process_collectors=False)
    dyad_registry = CollectorRegistry()  # the dyad index process's (kafka_retries and
    DyadMetrics(dyad_registry, process_collectors=False)  # build_info again: a registry each)
    names = {"stancewire_dyad_index_up"}  # yielded by the worker's ChildMetricsCollector
    for family in dyad_registry.collect():
        if family.name.startswith("stancewire_"):
            names.add(family.name + ("_total" if family.type == "counter" else ""))
    for family in registry.collect():
        if not family.name.startswith("stancewire_"):
            continue
        name = family.name + ("_total" if family.type == "counter" else "")
        names.add(name)
    assert names, "no stancewire metric was created"
    missing = sorted(n for n in names if f"`{n}" not in README)
    assert not missing, f"metrics missing from README: {missing}"
