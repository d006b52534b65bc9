"""The only place stancewire reads its environment.

Every setting is an environment variable with the ``STANCEWIRE_`` prefix (for example
``STANCEWIRE_KAFKA_BOOTSTRAP``). Secrets are :class:`pydantic.SecretStr`, so they are masked
whenever the settings object is printed or logged. Faust's own environment variables
(``BROKER_URL`` and friends) are deliberately not honoured: the stream layer passes every Faust
setting explicitly from here.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

SecurityProtocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
SaslMechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]
ProcessingGuarantee = Literal["at_least_once", "exactly_once"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]


def default_data_dir() -> Path:
    """The per-user state directory: ``~/.local/state/stancewire`` on Linux.

    ``$XDG_STATE_HOME/stancewire`` when that variable is set (platformdirs follows the XDG base
    directory specification). Never a path inside the installed package or a checkout, so an
    installed worker runs from any directory; ``make`` sets ``STANCEWIRE_DATA_DIR`` to the
    checkout's ``var/``.
    """
    return platformdirs.user_state_path("stancewire", appauthor=False)


class Settings(BaseSettings):
    """Runtime configuration. Field docs double as the README's settings table."""

    model_config = SettingsConfigDict(env_prefix="STANCEWIRE_", extra="ignore", frozen=True)

    # --- Kafka connection -------------------------------------------------------------
    kafka_bootstrap: str | None = Field(
        default=None,
        description="Kafka bootstrap servers (host:port,...). When set, that cluster is used "
        "and no local broker is started; when unset, the local broker on localhost:9092.",
    )
    kafka_security_protocol: SecurityProtocol = Field(
        default="PLAINTEXT", description="Kafka security protocol."
    )
    kafka_sasl_mechanism: SaslMechanism | None = Field(
        default=None, description="SASL mechanism (with SASL_PLAINTEXT or SASL_SSL)."
    )
    kafka_sasl_username: str | None = Field(default=None, description="SASL user name.")
    kafka_sasl_password: SecretStr | None = Field(
        default=None, description="SASL password (secret: masked in logs and repr)."
    )
    kafka_ssl_cafile: Path | None = Field(
        default=None, description="CA bundle (PEM) used to verify the brokers' certificates."
    )

    # --- Topics ---------------------------------------------------------------------------
    input_topic: str = Field(default="news.articles", description="Topic of raw ArticleEvents.")
    output_topic: str = Field(
        default="news.statements", description="Topic of StatementEvents (key = article_id)."
    )
    dead_letter_topic: str = Field(
        default="news.articles.dlq", description="Topic of DeadLetterEvents."
    )
    topic_partitions: int = Field(
        default=4, ge=1, description="Partitions for topics created at start-up."
    )
    topic_replication_factor: int = Field(
        default=1, ge=1, description="Replication factor for topics created at start-up."
    )

    # --- Worker ---------------------------------------------------------------------------
    consumer_group: str = Field(
        default="stancewire", description="Consumer group id (also the Faust app id)."
    )
    processing_guarantee: ProcessingGuarantee = Field(
        default="at_least_once",
        description="at_least_once, or exactly_once (Kafka transactions, read_committed).",
    )
    max_body_bytes: int = Field(
        default=1_048_576, ge=1, description="Largest accepted article body, in UTF-8 bytes."
    )
    enrich_timeout_seconds: float = Field(
        default=120.0,
        gt=0,
        description="Upper bound on enriching one article, in seconds (a 1 MiB article dense "
        "with speech takes about 40 CPU-seconds: make scaling).",
    )
    enrich_processes: int = Field(
        default_factory=lambda: len(os.sched_getaffinity(0)),
        ge=1,
        description="Enrichment child processes per worker, each holding the model (default: "
        "the CPUs available to the worker); that many articles are enriched at once.",
    )
    stream_buffer_maxsize: int = Field(
        default=64, ge=1, description="Faust per-partition buffer (back-pressure bound)."
    )
    commit_interval_seconds: float = Field(
        default=1.0, gt=0, description="How often processed offsets are committed."
    )
    session_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        le=90,
        description="Consumer group session timeout: how soon a crashed worker's partitions "
        "go to the others (heartbeats every tenth of it).",
    )
    startup_attempts: int = Field(
        default=8,
        ge=1,
        description="Attempts to reach Kafka at start-up (with backoff, 10 s each at most) "
        "before the worker exits with code 3.",
    )
    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Local state: worker tables, worker and local broker logs and data.",
    )

    # --- Dyad index -------------------------------------------------------------------------
    dyad_topic: str = Field(
        default="news.dyads",
        description="Compacted topic of DyadEvents (key = SRC>TGT@window start).",
    )
    dyad_index: bool = Field(
        default=True,
        description="Run the live dyad index beside this worker, as a child process the "
        "worker supervises (its own Faust app and consumer group <consumer group>-dyads, "
        "at-least-once, read_committed; in either processing guarantee). false: no index, or "
        "run `stancewire dyad-index` on its own.",
    )
    dyad_window_seconds: int = Field(
        default=86_400,
        ge=60,
        description="Size of the dyad index's tumbling windows (event time), in seconds.",
    )
    dyad_retention_days: int = Field(
        default=30,
        ge=1,
        description="Days a dyad window is kept (and still updated) after it ends.",
    )

    # --- Observability --------------------------------------------------------------------
    metrics_host: str = Field(default="127.0.0.1", description="Bind address of /metrics.")
    metrics_port: int = Field(default=6066, ge=0, le=65535, description="Port of /metrics.")
    log_level: LogLevel = Field(default="INFO", description="Log level.")
    lag_interval_seconds: float = Field(
        default=5.0,
        gt=0,
        description="How often the worker measures its consumer lag (committed offsets against "
        "log-end offsets) for the lag metrics.",
    )

    @property
    def bootstrap_servers(self) -> str:
        """The Kafka cluster in use: the configured one, else the local broker."""
        return self.kafka_bootstrap or "localhost:9092"

    @property
    def uses_local_broker(self) -> bool:
        return self.kafka_bootstrap is None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
