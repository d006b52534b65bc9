"""Unrecoverable errors make the worker exit non-zero (so a supervisor restarts it), never hang.

These run real ``stancewire worker`` processes; they need no broker (the point is that there
is none, or that it cannot be used).
"""

from __future__ import annotations

import os
import socket
import subprocess

from chaos_harness import STANCEWIRE

from stancewire_dev import PROJECT_ROOT


def run_worker(env_overrides: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STANCEWIRE_")}
    env.update(env_overrides)
    return subprocess.run(
        [str(STANCEWIRE), "worker"],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,  # a hang fails the test with TimeoutExpired
        check=False,
    )


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_inconsistent_security_settings_exit_2_at_once() -> None:
    completed = run_worker(
        {
            "STANCEWIRE_KAFKA_BOOTSTRAP": f"127.0.0.1:{free_port()}",
            "STANCEWIRE_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "STANCEWIRE_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
            "STANCEWIRE_KAFKA_SASL_USERNAME": "stancewire",
            # no password
            "STANCEWIRE_METRICS_PORT": str(free_port()),
        },
        timeout=60,
    )
    assert completed.returncode == 2, completed.stderr[-2000:]
    assert "STANCEWIRE_KAFKA_SASL_PASSWORD" in completed.stdout + completed.stderr


def test_unreachable_kafka_exits_non_zero_after_retries(tmp_path: os.PathLike[str]) -> None:
    completed = run_worker(
        {
            "STANCEWIRE_KAFKA_BOOTSTRAP": f"127.0.0.1:{free_port()}",
            "STANCEWIRE_METRICS_PORT": str(free_port()),
            "STANCEWIRE_DATA_DIR": str(tmp_path),
            "STANCEWIRE_STARTUP_ATTEMPTS": "2",  # the default 8 takes two minutes
        },
        timeout=240,
    )
    assert completed.returncode == 3, completed.stderr[-2000:]
    output = completed.stdout + completed.stderr
    assert "retry" in output  # it retried with backoff before giving up
