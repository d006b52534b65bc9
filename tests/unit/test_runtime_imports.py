"""No runtime module imports a development-only package.

Every module of ``stancewire`` is imported in a fresh interpreter of the development venv, where
the ``dev`` extra is installed, so an import of one of its packages would succeed here and fail
for a user: none of the distributions that only the ``dev`` extra brings in (test tools, linters,
the dashboard SDK, with their own dependencies), nor the checkout's ``stancewire_dev``, may end
up in ``sys.modules``. (tests/integration/test_installed_wheel.py imports the same modules from
the installed wheel, where those packages are absent.)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import metadata

from packaging.requirements import Requirement

IMPORT_EVERY_MODULE = (
    "import importlib, json, pkgutil, sys, stancewire\n"
    "for m in pkgutil.walk_packages(stancewire.__path__, 'stancewire.'):\n"
    "    importlib.import_module(m.name)\n"
    "print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))\n"
)


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _closure(requirements: list[Requirement]) -> set[str]:
    """Distributions needed by ``requirements`` (installed ones, transitively, no extras)."""
    found: set[str] = set()
    pending = list(requirements)
    while pending:
        requirement = pending.pop()
        name = _normalise(requirement.name)
        if name in found:
            continue
        found.add(name)
        try:
            requires = metadata.requires(requirement.name) or []
        except metadata.PackageNotFoundError:
            continue
        for line in requires:
            nested = Requirement(line)
            if nested.marker is None or nested.marker.evaluate({"extra": ""}):
                pending.append(nested)
    return found


def dev_only_modules() -> set[str]:
    """Top-level import names provided only by distributions of the ``dev`` extra."""
    declared = [Requirement(line) for line in metadata.requires("stancewire") or []]
    runtime = [r for r in declared if r.marker is None or r.marker.evaluate({"extra": ""})]
    dev = [r for r in declared if r not in runtime and r.marker.evaluate({"extra": "dev"})]
    dev_only = _closure(dev) - _closure(runtime)
    return {
        module
        for module, distributions in metadata.packages_distributions().items()
        if all(_normalise(d) in dev_only for d in distributions)
    }


def test_the_dev_extra_is_known_to_bring_test_tools_and_the_dashboard_sdk() -> None:
    forbidden = dev_only_modules()
    assert {"pytest", "hypothesis", "grafana_foundation_sdk", "mypy"} <= forbidden
    assert not forbidden & {"faust", "spacy", "pydantic", "click", "yaml", "kafka"}


def test_importing_every_runtime_module_imports_no_dev_only_package() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERY_MODULE],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    loaded = set(json.loads(completed.stdout))
    assert "stancewire" in loaded
    leaked = sorted(loaded & (dev_only_modules() | {"stancewire_dev"}))
    assert not leaked, f"runtime modules import development-only packages: {leaked}"
