"""Where the bundled data and the raw sources live."""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["data_dir", "sources_dir", "REPO_ROOT", "INSTALLED_DATA"]

#: the folder that holds ``wfkit/`` and ``data/``
REPO_ROOT = Path(__file__).resolve().parents[2]


#: where a wheel (``pip install .``) puts the bundled data: ``[tool.setuptools.data-files]``
INSTALLED_DATA = Path(sys.prefix) / "share" / "wfkit" / "data"


def data_dir() -> Path:
    """The bundled ``data/`` folder: ``WFKIT_DATA_DIR`` if set, else ``data/`` beside the
    package (a clone or an editable install), else the copy a wheel installs under
    ``<prefix>/share/wfkit/data``."""
    env = os.environ.get("WFKIT_DATA_DIR")
    if env:
        return Path(env)
    beside = REPO_ROOT / "data"
    return beside if beside.is_dir() or not INSTALLED_DATA.is_dir() else INSTALLED_DATA


#: where the raw files are looked for when ``WFKIT_DATA_SOURCES`` is not set, in order
SOURCE_CANDIDATES = (
    REPO_ROOT.parent / "shared" / "data-sources",
    Path("/work/shared/data-sources"),
)


def sources_dir() -> Path:
    """The raw published files: ``WFKIT_DATA_SOURCES`` if set, else the first of
    ``../shared/data-sources`` (beside the checkout) and ``/work/shared/data-sources`` that exists."""
    env = os.environ.get("WFKIT_DATA_SOURCES")
    if env:
        return Path(env)
    return next((p for p in SOURCE_CANDIDATES if p.is_dir()), SOURCE_CANDIDATES[0])
