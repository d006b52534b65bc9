"""Reading the YAML data files next to the NLP code.

PyYAML's pure-Python safe loader costs about a third of a CPU second over the lexicons a worker
loads at start-up; its libyaml binding (``CSafeLoader``, built into the PyYAML wheels) gives the
same values for a fraction of that. The pure-Python loader is the fallback where PyYAML was
built without libyaml.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

__all__ = ["data_yaml", "load_yaml", "read_data"]


def load_yaml(raw: str) -> Any:
    """The data of one YAML document, loaded safely (plain data types only)."""
    return yaml.load(raw, Loader=_LOADER)


def read_data(name: str) -> str:
    """The text of ``nlp/data/<name>`` (a package data file, so it works from a wheel)."""
    return resources.files("stancewire.nlp").joinpath("data", name).read_text("utf-8")


@lru_cache(maxsize=16)
def data_yaml(name: str) -> Any:
    """``nlp/data/<name>`` loaded once per process; callers must not mutate the result."""
    return load_yaml(read_data(name))
