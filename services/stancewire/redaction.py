"""Keeps secrets out of log output.

The settings object already masks its :class:`~pydantic.SecretStr` fields when printed, but
client libraries log their own configuration in clear: kafka-python's admin client logs every
keyword argument, the SASL password included, at DEBUG level. :func:`install_log_redaction`
wraps the log-record factory, so every record from any logger, whatever handler later formats
it, has each secret value replaced by ``**********`` before anyone sees it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Any

from stancewire.settings import Settings

MASK = "**********"

_lock = threading.Lock()
_secrets: set[str] = set()
_installed = False


def secret_values(settings: Settings) -> list[str]:
    """The clear-text secrets among the settings (empty ones are not secrets worth masking)."""
    values: list[str] = []
    if settings.kafka_sasl_password is not None:
        value = settings.kafka_sasl_password.get_secret_value()
        if value:
            values.append(value)
    return values


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of each secret replaced by :data:`MASK`."""
    # Longest first, so a secret that contains another is masked whole.
    for secret in sorted(set(secrets), key=len, reverse=True):
        if secret:
            text = text.replace(secret, MASK)
    return text


def install_log_redaction(secrets: Iterable[str]) -> None:
    """Mask ``secrets`` in every log record created from now on (idempotent, cumulative)."""
    global _installed
    with _lock:
        _secrets.update(s for s in secrets if s)
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            if _secrets:
                _redact_record(record)
            return record

        logging.setLogRecordFactory(factory)
        _installed = True


def _redact_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a malformed log call: leave it to logging's own error report
        return
    redacted = redact(message, _secrets)
    if redacted != message:
        record.msg = redacted
        record.args = None


__all__ = ["MASK", "install_log_redaction", "redact", "secret_values"]
