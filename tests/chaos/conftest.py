"""Fixtures of the chaos suite: its own Kafka broker on 19092/19093 with its own data directory.

The shared development broker on 9092 is never touched. The broker's directory
(``var/chaos-<time>-<pid>/``) holds the broker log and each worker's log; it is removed when
every chaos test passed and kept, with its path printed, when one failed.

``CHAOS_ARTICLES`` (environment, test-only) sets the articles per scenario: ``make chaos``
runs the full 2,000, ``make test`` a short run.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from chaos_harness import CHAOS_BROKER_PORT, CHAOS_CONTROLLER_PORT

from stancewire_dev import PROJECT_ROOT
from stancewire_dev.broker import BrokerError, LocalBroker

DEFAULT_ARTICLES = 200


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.chaos)


@pytest.fixture(scope="session")
def chaos_articles() -> int:
    """Articles published per scenario."""
    return int(os.environ.get("CHAOS_ARTICLES", DEFAULT_ARTICLES))


@pytest.fixture(scope="session")
def chaos_dir(request: pytest.FixtureRequest) -> Iterator[Path]:
    """Brokers' and workers' files; removed when every test passed, else kept for the logs."""
    path = PROJECT_ROOT / "var" / f"chaos-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    path.mkdir(parents=True)
    failed_before = request.session.testsfailed
    yield path
    if request.session.testsfailed == failed_before:
        shutil.rmtree(path, ignore_errors=True)
    else:
        print(f"\nchaos: logs kept in {path}")


@pytest.fixture(scope="module")
def chaos_broker(chaos_dir: Path) -> Iterator[LocalBroker]:
    """A private single-node KRaft broker on 127.0.0.1:19092, stopped after its test module
    (so it does not idle through the rest of a `make test` session)."""
    broker = LocalBroker(
        port=CHAOS_BROKER_PORT, controller_port=CHAOS_CONTROLLER_PORT, data_dir=chaos_dir
    )
    try:
        broker.start(timeout=120)
    except BrokerError as error:
        # Under CI a missing broker is a failure, never a skip.
        if os.environ.get("CI") == "true":
            pytest.fail(f"chaos broker could not start: {error}")
        pytest.skip(f"chaos broker could not start: {error}")
    yield broker
    broker.stop()
