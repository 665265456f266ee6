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
