"""Developer tools of a stancewire checkout; never part of the installed package.

- :mod:`stancewire_dev.broker`: a local single-node Kafka broker (jars from Maven Central) for
  ``make run``, ``make broker-up`` and the test suites;
- :mod:`stancewire_dev.demo`: ``make run``, the whole service end to end on this machine;
- :mod:`stancewire_dev.dashboard`: the Grafana dashboard generator (``make dashboard``; needs
  the ``dev`` extra for ``grafana-foundation-sdk``).

They read and write the repository's own files (``deploy/``, ``samples/``, ``.cache/``, ``var/``),
found relative to this package, which exists only in a checkout: the wheel ships the runtime
package ``stancewire`` alone, and no runtime module imports this one (``stancewire broker ...``
imports it when run, and says so when it is missing).
"""

from __future__ import annotations

from pathlib import Path

from stancewire.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
"""The root of the stancewire checkout this package lives in."""


def state_dir(settings: Settings) -> Path:
    """Where the developer tools keep local state: ``STANCEWIRE_DATA_DIR`` when it is set, else
    the checkout's ``var/`` (not the installed worker's per-user default), so a broker started by
    ``make broker-up`` is the one ``stancewire broker stop`` finds."""
    if "data_dir" in settings.model_fields_set:
        return settings.data_dir
    return PROJECT_ROOT / "var"


__all__ = ["PROJECT_ROOT", "state_dir"]
