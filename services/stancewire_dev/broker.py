"""A local single-node Apache Kafka broker (KRaft) for development and tests, without Docker.

The broker jars come from Maven Central (``deploy/kafka/pom.xml``, resolved by ``make jars`` into
``.cache/kafka/libs``). Each :class:`LocalBroker` owns one directory,
``<data_dir>/kafka-<port>/``, holding its generated ``server.properties``, its KRaft log
directory, ``broker.log`` and ``broker.pid``; several brokers on different ports (the chaos tests
start a second one) therefore never share state.

Every operation is idempotent: :meth:`LocalBroker.start` on a running broker returns at once,
:meth:`LocalBroker.stop` on a stopped one does nothing. :meth:`LocalBroker.start` returns only
once the broker answers Kafka requests. When ``STANCEWIRE_KAFKA_BOOTSTRAP`` is set the project
uses that cluster and nothing here is called (see :func:`ensure_local_broker`).
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from stancewire.settings import Settings
from stancewire_dev import PROJECT_ROOT, state_dir
from stancewire_dev.procfs import alive

log = logging.getLogger(__name__)

KAFKA_DEPLOY_DIR = PROJECT_ROOT / "deploy" / "kafka"
SERVER_PROPERTIES_TEMPLATE = KAFKA_DEPLOY_DIR / "server.properties"
LOG4J2_CONFIG = KAFKA_DEPLOY_DIR / "log4j2.yaml"
POM = KAFKA_DEPLOY_DIR / "pom.xml"
DEFAULT_LIBS_DIR = PROJECT_ROOT / ".cache" / "kafka" / "libs"

BROKER_MAIN_CLASS = "kafka.Kafka"
STORAGE_TOOL_MAIN_CLASS = "kafka.tools.StorageTool"
DEFAULT_HEAP = "512m"


class BrokerError(RuntimeError):
    """The local broker could not be set up, started or reached."""


@dataclass(frozen=True)
class BrokerStatus:
    """What :meth:`LocalBroker.status` found."""

    bootstrap: str
    pid: int | None
    running: bool
    answering: bool
    log_file: Path

    def describe(self) -> str:
        if self.answering:
            return (
                f"running (pid {self.pid}) and answering on {self.bootstrap}; log {self.log_file}"
            )
        if self.running:
            return f"running (pid {self.pid}) but not answering on {self.bootstrap}"
        return f"stopped ({self.bootstrap}); log {self.log_file}"


def new_cluster_id() -> str:
    """A KRaft cluster id as Kafka's ``Uuid.randomUuid()`` writes it (base64url, no padding).

    Generated here rather than by ``StorageTool random-uuid`` to save one JVM start-up.
    Kafka never hands out ids starting with ``-`` (they read like command-line flags).
    """
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode("ascii")
        if not cluster_id.startswith("-"):
            return cluster_id


def read_properties(path: Path) -> dict[str, str]:
    """``key=value`` lines of a Java properties file (comments and blanks skipped)."""
    properties: dict[str, str] = {}
    for raw_line in path.read_text(encoding="utf-8").splitlines():
        line = raw_line.strip()
        if not line or line.startswith(("#", "!")):
            continue
        key, _, value = line.partition("=")
        properties[key.strip()] = value.strip()
    return properties


def resolve_jars(libs_dir: Path = DEFAULT_LIBS_DIR) -> list[Path]:
    """The broker classpath; runs Maven (``copy-dependencies``) when the jars are missing."""
    jars = sorted(libs_dir.glob("*.jar"))
    if any(jar.name.startswith("kafka_2.13-") for jar in jars):
        return jars
    mvn = shutil.which("mvn")
    if mvn is None:
        raise BrokerError(f"no Kafka jars in {libs_dir} and no `mvn` on PATH (run `make jars`)")
    log.info("resolving the Kafka broker jars into %s (Maven)", libs_dir)
    libs_dir.mkdir(parents=True, exist_ok=True)
    command = [
        mvn,
        "-q",
        "-B",
        "-f",
        str(POM),
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={libs_dir}",
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise BrokerError(f"mvn failed ({completed.returncode}): {completed.stdout[-2000:]}")
    (libs_dir / ".resolved").touch()
    jars = sorted(libs_dir.glob("*.jar"))
    if not jars:
        raise BrokerError(f"mvn ran but {libs_dir} holds no jars")
    return jars


def port_is_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """Does anything accept TCP connections on host:port?"""
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=timeout):
        return True
    return False


def broker_answers(bootstrap: str, timeout: float = 5.0) -> bool:
    """Does a Kafka broker at ``bootstrap`` answer a metadata request with itself in it?"""
    from kafka import KafkaAdminClient  # imported lazily: the CLI's `--help` stays fast

    host, _, port = bootstrap.rpartition(":")
    if not port_is_open(host or "127.0.0.1", int(port)):
        return False
    timeout_ms = int(timeout * 1000)
    try:
        admin = KafkaAdminClient(
            bootstrap_servers=bootstrap,
            client_id="stancewire-broker-probe",
            request_timeout_ms=timeout_ms,
        )
    except Exception:  # any failure to connect means "not answering yet"
        return False
    try:
        cluster = admin.describe_cluster()
        return bool(cluster.get("brokers"))
    except Exception:
        return False
    finally:
        admin.close()


class LocalBroker:
    """One local KRaft broker+controller on loopback, owning ``<data_dir>/kafka-<port>/``."""

    def __init__(
        self,
        port: int = 9092,
        controller_port: int | None = None,
        data_dir: Path | None = None,
        libs_dir: Path = DEFAULT_LIBS_DIR,
        heap: str = DEFAULT_HEAP,
        java: str | None = None,
    ) -> None:
        self.port = port
        self.controller_port = controller_port if controller_port is not None else port + 1
        self.host = "127.0.0.1"
        base = data_dir if data_dir is not None else state_dir(Settings())
        self.home = Path(base).resolve() / f"kafka-{port}"
        self.libs_dir = libs_dir
        self.heap = heap
        self.java = java or _java_executable()

    # --- paths ------------------------------------------------------------------------------
    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def log_dir(self) -> Path:
        return self.home / "data"

    @property
    def properties_file(self) -> Path:
        return self.home / "server.properties"

    @property
    def log_file(self) -> Path:
        return self.home / "broker.log"

    @property
    def pid_file(self) -> Path:
        return self.home / "broker.pid"

    # --- state ------------------------------------------------------------------------------
    def pid(self) -> int | None:
        """The pid of this broker's JVM when it is alive, else None (stale pid files ignored)."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            return None
        # Guard against pid reuse: it must be a Kafka broker started with our properties file.
        wanted = {BROKER_MAIN_CLASS.encode(), str(self.properties_file).encode()}
        if not wanted.issubset(set(cmdline)):
            return None
        return pid if alive(pid) else None

    def is_running(self) -> bool:
        return self.pid() is not None

    def is_answering(self, timeout: float = 5.0) -> bool:
        return broker_answers(self.bootstrap, timeout=timeout)

    def status(self) -> BrokerStatus:
        pid = self.pid()
        return BrokerStatus(
            bootstrap=self.bootstrap,
            pid=pid,
            running=pid is not None,
            answering=pid is not None and self.is_answering(timeout=3.0),
            log_file=self.log_file,
        )

    # --- lifecycle --------------------------------------------------------------------------
    def start(self, timeout: float = 90.0) -> LocalBroker:
        """Start the broker (formatting its storage on first use) and wait until it answers."""
        if self.is_running():
            self.wait_until_answering(timeout)
            return self
        if port_is_open(self.host, self.port) or port_is_open(self.host, self.controller_port):
            raise BrokerError(
                f"port {self.port} or {self.controller_port} is taken by another process; "
                "set STANCEWIRE_KAFKA_BOOTSTRAP to use a running cluster instead"
            )
        classpath = os.pathsep.join(str(jar) for jar in resolve_jars(self.libs_dir))
        self.home.mkdir(parents=True, exist_ok=True)
        self._write_properties()
        if not (self.log_dir / "meta.properties").exists():
            self._format_storage(classpath)
        with self.log_file.open("ab") as log_stream:
            process = subprocess.Popen(
                [*self._java_command(classpath), BROKER_MAIN_CLASS, str(self.properties_file)],
                stdin=subprocess.DEVNULL,
                stdout=log_stream,
                stderr=subprocess.STDOUT,
                cwd=self.home,
                # Own session: Ctrl-C in a terminal reaches the broker only through stop().
                start_new_session=True,
            )
        self.pid_file.write_text(f"{process.pid}\n")
        log.info(
            "started Kafka broker pid %d on %s (log %s)", process.pid, self.bootstrap, self.log_file
        )
        try:
            self.wait_until_answering(timeout, process)
        except BrokerError:
            self.kill()
            raise
        return self

    def wait_until_answering(
        self, timeout: float, process: subprocess.Popen[bytes] | None = None
    ) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process is not None and process.poll() is not None:
                raise BrokerError(
                    f"broker exited with {process.returncode} during start-up:\n{self.log_tail()}"
                )
            if self.is_answering(timeout=2.0):
                return
            time.sleep(0.5)
        raise BrokerError(f"broker not answering after {timeout:.0f}s:\n{self.log_tail()}")

    def stop(self, timeout: float = 30.0) -> None:
        """Graceful shutdown (SIGTERM: Kafka flushes and closes its logs); SIGKILL on timeout."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        if not _wait_gone(pid, timeout):
            log.warning("broker pid %d ignored SIGTERM for %.0fs: killing it", pid, timeout)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            _wait_gone(pid, 10.0)
        self.pid_file.unlink(missing_ok=True)

    def kill(self) -> None:
        """SIGKILL, as a crash would (used by the chaos tests)."""
        pid = self.pid()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            _wait_gone(pid, 10.0)
        self.pid_file.unlink(missing_ok=True)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no broker log)"

    # --- internals --------------------------------------------------------------------------
    def _java_command(self, classpath: str) -> list[str]:
        return [
            self.java,
            f"-Xmx{self.heap}",
            f"-Xms{self.heap}",
            "-XX:+UseG1GC",
            "-XX:+ExitOnOutOfMemoryError",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={LOG4J2_CONFIG}",
            "-cp",
            classpath,
        ]

    def _write_properties(self) -> None:
        properties = read_properties(SERVER_PROPERTIES_TEMPLATE)
        host, port, controller = self.host, self.port, self.controller_port
        properties.update(
            {
                "listeners": f"PLAINTEXT://{host}:{port},CONTROLLER://{host}:{controller}",
                "advertised.listeners": f"PLAINTEXT://{host}:{port}",
                "controller.quorum.bootstrap.servers": f"{host}:{controller}",
                "log.dirs": str(self.log_dir),
            }
        )
        header = f"# Generated by stancewire_dev.broker from {SERVER_PROPERTIES_TEMPLATE}\n"
        body = "".join(f"{key}={value}\n" for key, value in properties.items())
        self.properties_file.write_text(header + body, encoding="utf-8")

    def _format_options(self) -> list[str]:
        """Extra `StorageTool format` options (a subclass adds SCRAM users, for example)."""
        return []

    def _format_storage(self, classpath: str) -> None:
        command = [
            *self._java_command(classpath),
            STORAGE_TOOL_MAIN_CLASS,
            "format",
            "--standalone",
            "-t",
            new_cluster_id(),
            "-c",
            str(self.properties_file),
            *self._format_options(),
        ]
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
        if completed.returncode != 0:
            raise BrokerError(
                f"formatting {self.log_dir} failed ({completed.returncode}): "
                f"{completed.stdout[-2000:]}{completed.stderr[-2000:]}"
            )


def local_broker(settings: Settings) -> LocalBroker:
    """The default local broker of these settings (localhost:9092, state under
    :func:`stancewire_dev.state_dir`)."""
    return LocalBroker(data_dir=state_dir(settings))


def ensure_local_broker(settings: Settings, timeout: float = 90.0) -> LocalBroker | None:
    """Start the local broker unless ``STANCEWIRE_KAFKA_BOOTSTRAP`` names a cluster to use."""
    if not settings.uses_local_broker:
        return None
    return local_broker(settings).start(timeout=timeout)


def _java_executable() -> str:
    return shutil.which("java") or "java"


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            # Reap it when it is our child (tests start brokers in-process).
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(pid, os.WNOHANG)
            return True
        time.sleep(0.1)
    return not alive(pid)


__all__ = [
    "BrokerError",
    "BrokerStatus",
    "LocalBroker",
    "broker_answers",
    "ensure_local_broker",
    "local_broker",
    "resolve_jars",
]
