"""wfkit's version, from the installed package's metadata.

One place, so that a module stamping outputs with it need not import the whole package.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("wfkit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"
