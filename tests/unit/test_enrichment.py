"""EnrichmentPool with real child processes, the NLP core replaced by a light stand-in."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stancewire.events import Statement
from stancewire.stream.enrichment import Enrichment, EnrichmentPool, EnrichmentTimeout


def load_nothing() -> None:
    """Stands in for loading the model."""


def enrich_by_instruction(body: str) -> tuple[str, list[Statement]]:
    """The version names the child process; a body ``sleep N`` takes N seconds."""
    if body.startswith("sleep "):
        time.sleep(float(body.split()[1]))
    return f"pid/{os.getpid()}", []


def pool(processes: int, timeout_seconds: float) -> EnrichmentPool:
    return EnrichmentPool(
        timeout_seconds, processes, load=load_nothing, enrich_body=enrich_by_instruction
    )


def pid_of(enrichment: Enrichment | BaseException) -> int:
    assert isinstance(enrichment, Enrichment), enrichment
    return int(enrichment.enricher_version.split("/")[1])


def test_articles_are_enriched_in_different_children_at_once() -> None:
    enrichment = pool(processes=2, timeout_seconds=30)

    async def scenario() -> None:
        await enrichment.start()
        assert len(enrichment.child_pids) == 2
        results = await asyncio.gather(enrichment.enrich("sleep 1"), enrichment.enrich("sleep 1"))
        assert {pid_of(r) for r in results} == set(enrichment.child_pids)

    try:
        asyncio.run(scenario())
    finally:
        enrichment.close()


def test_a_timeout_kills_only_its_child_and_the_next_articles_continue() -> None:
    enrichment = pool(processes=2, timeout_seconds=1.5)

    async def scenario() -> None:
        await enrichment.start()
        runaway, other = enrichment.child_pids
        slow, fast = await asyncio.gather(
            enrichment.enrich("sleep 60"), enrichment.enrich("fast"), return_exceptions=True
        )
        assert isinstance(slow, EnrichmentTimeout)
        assert pid_of(fast) == other
        assert enrichment.child_pids == [other]  # the runaway is gone, the other untouched
        after = await asyncio.gather(*(enrichment.enrich("fast") for _ in range(4)))
        pids = {pid_of(r) for r in after}
        assert other in pids and runaway not in pids
        assert len(pids) == 2  # a fresh child took the runaway's place
        assert set(enrichment.child_pids) == pids

    try:
        asyncio.run(scenario())
    finally:
        enrichment.close()


def test_the_timeout_does_not_count_the_wait_for_an_idle_child() -> None:
    enrichment = pool(processes=1, timeout_seconds=2.0)

    async def scenario() -> None:
        await enrichment.start()
        # One after the other in the one child: 2.4 s in all, each well under its 2 s bound.
        results = await asyncio.gather(
            enrichment.enrich("sleep 1.2"), enrichment.enrich("sleep 1.2"), return_exceptions=True
        )
        assert all(isinstance(r, Enrichment) for r in results), results

    try:
        asyncio.run(scenario())
    finally:
        enrichment.close()


def test_a_pool_needs_a_process() -> None:
    with pytest.raises(ValueError):
        EnrichmentPool(1.0, 0)


def test_children_exit_when_their_worker_is_killed(tmp_path: Path) -> None:
    """A worker SIGKILLed (or OOM-killed) must not leave its children idling forever."""
    script = (
        "import asyncio, sys, time\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from test_enrichment import pool\n"
        "enrichment = pool(processes=2, timeout_seconds=30)\n"
        "asyncio.run(enrichment.start())\n"
        "print(*enrichment.child_pids, flush=True)\n"
        "time.sleep(60)\n"
    )
    worker = subprocess.Popen(
        [sys.executable, "-c", script, str(Path(__file__).parent)], stdout=subprocess.PIPE
    )
    assert worker.stdout is not None
    children = [int(pid) for pid in worker.stdout.readline().split()]
    assert len(children) == 2
    worker.kill()
    worker.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(alive(pid) for pid in children):
        time.sleep(0.2)
    assert not any(alive(pid) for pid in children)


def alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")
