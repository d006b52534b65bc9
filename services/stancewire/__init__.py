"""stancewire: news articles in, attributed statements with stance and topics out."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("stancewire")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = ["__version__"]
