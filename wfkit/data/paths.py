"""Where the bundled data and the raw sources live."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["data_dir", "sources_dir", "REPO_ROOT"]

#: the folder that holds ``wfkit/`` and ``data/``
REPO_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """The bundled ``data/`` folder (``WFKIT_DATA_DIR`` overrides)."""
    env = os.environ.get("WFKIT_DATA_DIR")
    return Path(env) if env else REPO_ROOT / "data"


def sources_dir() -> Path:
    """The raw published files (``WFKIT_DATA_SOURCES`` overrides ``../shared/data-sources``)."""
    env = os.environ.get("WFKIT_DATA_SOURCES")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "data-sources"
