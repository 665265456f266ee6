"""wfkit: plan the NHS primary-care workforce."""

from importlib.metadata import PackageNotFoundError, version

from .errors import InputError, WfkitError

try:
    __version__ = version("wfkit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = ["InputError", "WfkitError", "__version__"]
