"""The README documents every setting and every metric the code defines."""

from __future__ import annotations

from pathlib import Path

from prometheus_client import CollectorRegistry

from stancewire.metrics import Metrics
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
    names = set()
    for family in registry.collect():
        if not family.name.startswith("stancewire_"):
            continue
        name = family.name + ("_total" if family.type == "counter" else "")
        names.add(name)
    assert names, "no stancewire metric was created"
    missing = sorted(n for n in names if f"`{n}" not in README)
    assert not missing, f"metrics missing from README: {missing}"
