"""Kafka client configuration derived from :class:`~stancewire.settings.Settings`, in one place.

Every Kafka client stancewire creates (the Faust app, kafka-python producers, consumers and the
admin client) takes its connection and security options from here, so that SASL_SSL with SCRAM
and a CA file configured once applies to all of them alike. Nothing here opens a connection.

Mapping of ``STANCEWIRE_KAFKA_SECURITY_PROTOCOL``:

==================  =====================================  ====================================
protocol            Faust ``broker_credentials``           kafka-python keyword arguments
==================  =====================================  ====================================
``PLAINTEXT``       ``None``                               ``security_protocol="PLAINTEXT"``
``SSL``             ``SSLCredentials(context)``            ``security_protocol``, ``ssl_context``
``SASL_PLAINTEXT``  ``SASLCredentials(user, pw, mech)``    ``security_protocol``, ``sasl_*``
``SASL_SSL``        ``SASLCredentials(..., ssl_context)``  all of the above
==================  =====================================  ====================================

The TLS context verifies the brokers' certificates and host names, against
``STANCEWIRE_KAFKA_SSL_CAFILE`` when it is set and the system's CA store otherwise.
"""

from __future__ import annotations

import ssl
from typing import Any

from stancewire.settings import Settings

_SSL_PROTOCOLS = frozenset({"SSL", "SASL_SSL"})
_SASL_PROTOCOLS = frozenset({"SASL_PLAINTEXT", "SASL_SSL"})


class KafkaConfigError(ValueError):
    """The security settings are incomplete or inconsistent (a start-up error, not transient)."""


def uses_ssl(settings: Settings) -> bool:
    return settings.kafka_security_protocol in _SSL_PROTOCOLS


def uses_sasl(settings: Settings) -> bool:
    return settings.kafka_security_protocol in _SASL_PROTOCOLS


def validate(settings: Settings) -> None:
    """Raise :class:`KafkaConfigError` when the security settings cannot work together."""
    protocol = settings.kafka_security_protocol
    if uses_sasl(settings):
        missing = [
            name
            for name, value in (
                ("STANCEWIRE_KAFKA_SASL_MECHANISM", settings.kafka_sasl_mechanism),
                ("STANCEWIRE_KAFKA_SASL_USERNAME", settings.kafka_sasl_username),
                ("STANCEWIRE_KAFKA_SASL_PASSWORD", settings.kafka_sasl_password),
            )
            if not value
        ]
        if missing:
            raise KafkaConfigError(f"security protocol {protocol} needs {', '.join(missing)}")
    elif settings.kafka_sasl_mechanism or settings.kafka_sasl_username:
        raise KafkaConfigError(
            f"SASL settings are given but the security protocol is {protocol}; "
            "use SASL_SSL (or SASL_PLAINTEXT)"
        )
    if settings.kafka_ssl_cafile is not None:
        if not uses_ssl(settings):
            raise KafkaConfigError(
                f"STANCEWIRE_KAFKA_SSL_CAFILE is set but the security protocol is {protocol}"
            )
        if not settings.kafka_ssl_cafile.is_file():
            raise KafkaConfigError(f"CA file not found: {settings.kafka_ssl_cafile}")


def bootstrap_list(settings: Settings) -> list[str]:
    """``host:port`` of each bootstrap server."""
    return [part.strip() for part in settings.bootstrap_servers.split(",") if part.strip()]


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """A verifying TLS client context for SSL protocols, else ``None``."""
    validate(settings)
    if not uses_ssl(settings):
        return None
    cafile = str(settings.kafka_ssl_cafile) if settings.kafka_ssl_cafile else None
    # create_default_context: CERT_REQUIRED and check_hostname, modern protocol floor.
    return ssl.create_default_context(purpose=ssl.Purpose.SERVER_AUTH, cafile=cafile)


def _password(settings: Settings) -> str | None:
    secret = settings.kafka_sasl_password
    return secret.get_secret_value() if secret is not None else None


def kafka_python_kwargs(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for kafka-python's KafkaProducer, KafkaConsumer and KafkaAdminClient.

    The password is in here in clear (the client needs it): never log this dict, log
    :func:`describe` instead.
    """
    validate(settings)
    kwargs: dict[str, Any] = {
        "bootstrap_servers": bootstrap_list(settings),
        "security_protocol": settings.kafka_security_protocol,
    }
    context = ssl_context(settings)
    if context is not None:
        kwargs["ssl_context"] = context
    if uses_sasl(settings):
        kwargs["sasl_mechanism"] = settings.kafka_sasl_mechanism
        kwargs["sasl_plain_username"] = settings.kafka_sasl_username
        kwargs["sasl_plain_password"] = _password(settings)
    return kwargs


def faust_broker_urls(settings: Settings) -> list[str]:
    """Faust's ``broker`` setting: one ``kafka://host:port`` URL per bootstrap server."""
    return [f"kafka://{server}" for server in bootstrap_list(settings)]


def faust_credentials(settings: Settings) -> Any:
    """Faust's ``broker_credentials`` (``None`` for PLAINTEXT).

    Faust turns these into the same aiokafka options kafka-python gets from
    :func:`kafka_python_kwargs` (``faust.transport.drivers.aiokafka.credentials_to_aiokafka_auth``).
    """
    validate(settings)
    # Imported here so that kafka-python-only callers (produce, tail, tests) need not load Faust.
    from faust.auth import SASLCredentials, SSLCredentials

    context = ssl_context(settings)
    if uses_sasl(settings):
        return SASLCredentials(
            username=settings.kafka_sasl_username,
            password=_password(settings),
            ssl_context=context,
            mechanism=settings.kafka_sasl_mechanism,
        )
    if context is not None:
        return SSLCredentials(context)
    return None


def faust_app_kwargs(settings: Settings) -> dict[str, Any]:
    """Every Kafka-related ``faust.App`` setting, taken explicitly from our settings.

    Includes the delivery guarantee and the memory bounds: at most ``stream_buffer_maxsize``
    events are buffered per partition, and one fetch returns at most a few records of the
    largest accepted size per partition.
    """
    return {
        "broker": faust_broker_urls(settings),
        "broker_credentials": faust_credentials(settings),
        "processing_guarantee": settings.processing_guarantee,
        "stream_buffer_maxsize": settings.stream_buffer_maxsize,
        "broker_commit_interval": settings.commit_interval_seconds,
        # A SIGKILLed worker is noticed after the session timeout (Faust's default is 60 s).
        "broker_session_timeout": settings.session_timeout_seconds,
        "broker_heartbeat_interval": settings.session_timeout_seconds / 10,
        "producer_max_request_size": max_record_bytes(settings),
        "consumer_max_fetch_size": max_record_bytes(settings),
    }


# Room for the JSON envelope and headers of an article whose body is at the size limit; a
# dead letter keeps the original record (base64 grows it by a third), hence the factor 2.
_ENVELOPE_BYTES = 64 * 1024


def max_record_bytes(settings: Settings) -> int:
    """Largest record the service produces or fetches: a dead letter of a too-large article."""
    return 2 * settings.max_body_bytes + _ENVELOPE_BYTES


def describe(settings: Settings) -> dict[str, Any]:
    """The Kafka connection settings, safe to log: the password appears only as ``**********``."""
    return {
        "bootstrap_servers": bootstrap_list(settings),
        "security_protocol": settings.kafka_security_protocol,
        "sasl_mechanism": settings.kafka_sasl_mechanism,
        "sasl_username": settings.kafka_sasl_username,
        "sasl_password": str(settings.kafka_sasl_password)
        if settings.kafka_sasl_password is not None
        else None,
        "ssl_cafile": str(settings.kafka_ssl_cafile) if settings.kafka_ssl_cafile else None,
        "processing_guarantee": settings.processing_guarantee,
    }


__all__ = [
    "KafkaConfigError",
    "bootstrap_list",
    "describe",
    "faust_app_kwargs",
    "faust_broker_urls",
    "faust_credentials",
    "kafka_python_kwargs",
    "max_record_bytes",
    "ssl_context",
    "uses_sasl",
    "uses_ssl",
    "validate",
]
