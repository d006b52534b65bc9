"""Security settings map to the same options for Faust and kafka-python; secrets never leak."""

from __future__ import annotations

import logging
import ssl
import subprocess
from pathlib import Path
from typing import Any

import pytest
from faust.auth import SASLCredentials, SSLCredentials
from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth
from pydantic import SecretStr

from stancewire import kafka_config
from stancewire.kafka_config import KafkaConfigError
from stancewire.redaction import MASK, install_log_redaction, redact, secret_values
from stancewire.settings import Settings

PASSWORD = "s3cr3t-Pa55word-xyz"


@pytest.fixture(scope="module")
def ca_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throw-away self-signed CA certificate (PEM), made with the openssl command."""
    folder = tmp_path_factory.mktemp("ca")
    cert = folder / "ca.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    command += ["-subj", "/CN=stancewire-test-ca", "-keyout", str(folder / "ca.key")]
    subprocess.run(
        [*command, "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert


def make_settings(**fields: Any) -> Settings:
    # Built from keyword arguments, so the test does not depend on the environment's values.
    base: dict[str, Any] = {"kafka_bootstrap": "k1:9093, k2:9093"}
    base.update(fields)
    return Settings(**base)


def scram_ssl(ca_file: Path) -> Settings:
    return make_settings(
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_mechanism="SCRAM-SHA-512",
        kafka_sasl_username="stancewire",
        kafka_sasl_password=SecretStr(PASSWORD),
        kafka_ssl_cafile=ca_file,
    )


def test_plaintext_maps_to_no_credentials() -> None:
    settings = make_settings()
    assert kafka_config.kafka_python_kwargs(settings) == {
        "bootstrap_servers": ["k1:9093", "k2:9093"],
        "security_protocol": "PLAINTEXT",
    }
    assert kafka_config.faust_credentials(settings) is None
    assert kafka_config.faust_broker_urls(settings) == ["kafka://k1:9093", "kafka://k2:9093"]


def test_sasl_ssl_scram_maps_identically_for_faust_and_kafka_python(ca_file: Path) -> None:
    settings = scram_ssl(ca_file)
    client = kafka_config.kafka_python_kwargs(settings)
    assert client["security_protocol"] == "SASL_SSL"
    assert client["sasl_mechanism"] == "SCRAM-SHA-512"
    assert client["sasl_plain_username"] == "stancewire"
    assert client["sasl_plain_password"] == PASSWORD

    credentials = kafka_config.faust_credentials(settings)
    assert isinstance(credentials, SASLCredentials)
    # What Faust hands to aiokafka is exactly what kafka-python gets.
    aiokafka_auth = credentials_to_aiokafka_auth(credentials)
    for key in ("security_protocol", "sasl_mechanism", "sasl_plain_username"):
        assert aiokafka_auth[key] == client[key]
    assert aiokafka_auth["sasl_plain_password"] == PASSWORD


def test_ssl_context_verifies_against_the_configured_ca(ca_file: Path) -> None:
    context = kafka_config.ssl_context(scram_ssl(ca_file))
    assert context is not None
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    subjects = [str(ca["subject"]) for ca in context.get_ca_certs()]
    assert any("stancewire-test-ca" in subject for subject in subjects)


def test_ssl_without_sasl_gives_ssl_credentials(ca_file: Path) -> None:
    settings = make_settings(kafka_security_protocol="SSL", kafka_ssl_cafile=ca_file)
    credentials = kafka_config.faust_credentials(settings)
    assert isinstance(credentials, SSLCredentials)
    assert credentials_to_aiokafka_auth(credentials)["security_protocol"] == "SSL"
    client = kafka_config.kafka_python_kwargs(settings)
    assert client["security_protocol"] == "SSL"
    assert isinstance(client["ssl_context"], ssl.SSLContext)
    assert "sasl_plain_password" not in client


def test_sasl_plaintext_has_no_tls() -> None:
    settings = make_settings(
        kafka_security_protocol="SASL_PLAINTEXT",
        kafka_sasl_mechanism="SCRAM-SHA-256",
        kafka_sasl_username="u",
        kafka_sasl_password=SecretStr(PASSWORD),
    )
    assert "ssl_context" not in kafka_config.kafka_python_kwargs(settings)
    auth = credentials_to_aiokafka_auth(kafka_config.faust_credentials(settings))
    assert auth["security_protocol"] == "SASL_PLAINTEXT"
    assert auth["sasl_mechanism"] == "SCRAM-SHA-256"


@pytest.mark.parametrize(
    ("fields", "complaint"),
    [
        ({"kafka_security_protocol": "SASL_SSL"}, "STANCEWIRE_KAFKA_SASL_MECHANISM"),
        (
            {
                "kafka_security_protocol": "SASL_SSL",
                "kafka_sasl_mechanism": "SCRAM-SHA-256",
                "kafka_sasl_username": "u",
            },
            "STANCEWIRE_KAFKA_SASL_PASSWORD",
        ),
        ({"kafka_sasl_username": "u"}, "security protocol is PLAINTEXT"),
        ({"kafka_ssl_cafile": Path("/etc/hostname")}, "STANCEWIRE_KAFKA_SSL_CAFILE"),
        (
            {"kafka_security_protocol": "SSL", "kafka_ssl_cafile": Path("/nonexistent/ca.pem")},
            "CA file not found",
        ),
    ],
)
def test_inconsistent_security_settings_are_refused(fields: dict[str, Any], complaint: str) -> None:
    settings = make_settings(**fields)
    with pytest.raises(KafkaConfigError, match=complaint):
        kafka_config.kafka_python_kwargs(settings)
    with pytest.raises(KafkaConfigError, match=complaint):
        kafka_config.faust_app_kwargs(settings)


def test_faust_app_kwargs_carry_guarantee_and_memory_bounds() -> None:
    settings = make_settings(
        processing_guarantee="exactly_once",
        stream_buffer_maxsize=7,
        max_body_bytes=1000,
        session_timeout_seconds=10,
    )
    app_kwargs = kafka_config.faust_app_kwargs(settings)
    assert app_kwargs["processing_guarantee"] == "exactly_once"
    assert app_kwargs["stream_buffer_maxsize"] == 7
    assert app_kwargs["broker_session_timeout"] == 10
    assert app_kwargs["broker_heartbeat_interval"] < app_kwargs["broker_session_timeout"]
    # A dead letter of a too-large (even base64-encoded) article must still fit in a record.
    assert app_kwargs["producer_max_request_size"] >= 2 * 1000
    assert app_kwargs["consumer_max_fetch_size"] == app_kwargs["producer_max_request_size"]


def test_password_is_masked_in_settings_repr_str_and_json(
    ca_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STANCEWIRE_KAFKA_SASL_PASSWORD", PASSWORD)
    settings = Settings()
    assert settings.kafka_sasl_password is not None
    assert settings.kafka_sasl_password.get_secret_value() == PASSWORD
    for shown in (repr(settings), str(settings), settings.model_dump_json(), f"{settings}"):
        assert PASSWORD not in shown
    described = kafka_config.describe(scram_ssl(ca_file))
    assert PASSWORD not in repr(described)
    assert described["sasl_password"] == MASK
    assert PASSWORD not in repr(kafka_config.faust_credentials(scram_ssl(ca_file)))


def test_log_redaction_masks_secrets_from_any_logger(
    ca_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = scram_ssl(ca_file)
    assert secret_values(settings) == [PASSWORD]
    install_log_redaction(secret_values(settings))
    with caplog.at_level(logging.DEBUG):
        # The way kafka-python's admin client logs its configuration, password included.
        logging.getLogger("kafka.admin.client").debug(
            "Starting KafkaAdminClient with configuration: %s",
            kafka_config.kafka_python_kwargs(settings),
        )
        logging.getLogger("stancewire.test").warning("connect failed for %s", PASSWORD)
    assert len(caplog.records) == 2
    assert PASSWORD not in caplog.text
    assert caplog.text.count(MASK) == 2


def test_redact_masks_overlapping_secrets_whole() -> None:
    assert redact("a=abc123 b=abc", ["abc", "abc123"]) == f"a={MASK} b={MASK}"
    assert redact("nothing here", ["abc"]) == "nothing here"
