"""Reading the YAML data files next to the NLP code.

PyYAML's pure-Python safe loader costs about a third of a CPU second over the lexicons a worker
loads at start-up; its libyaml binding (``CSafeLoader``, built into the PyYAML wheels) gives the
same values for a fraction of that. The pure-Python loader is the fallback where PyYAML was
built without libyaml.
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

__all__ = ["load_yaml"]


def load_yaml(raw: str) -> Any:
    """The data of one YAML document, loaded safely (plain data types only)."""
    return yaml.load(raw, Loader=_LOADER)
