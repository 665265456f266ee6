"""Where the bundled data and the raw sources live."""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["data_dir", "sources_dir", "source_candidates", "REPO_ROOT", "INSTALLED_DATA"]

#: the folder that holds ``wfkit/`` and ``data/``
REPO_ROOT = Path(__file__).resolve().parents[2]


#: where a wheel (``pip install .``) puts the bundled data: ``[tool.setuptools.data-files]``
INSTALLED_DATA = Path(sys.prefix) / "share" / "wfkit" / "data"


def data_dir() -> Path:
    """Return the bundled ``data/`` folder.

    ``WFKIT_DATA_DIR`` if set, else ``data/`` beside the package (a clone or an editable
    install), else the copy a wheel installs under ``<prefix>/share/wfkit/data``.
    """
    env = os.environ.get("WFKIT_DATA_DIR")
    if env:
        return Path(env)
    beside = REPO_ROOT / "data"
    return beside if beside.is_dir() or not INSTALLED_DATA.is_dir() else INSTALLED_DATA


def _beside(folder: Path) -> Path:
    return folder.parent / "shared" / "data-sources"


def source_candidates() -> tuple[Path, ...]:
    """Where the raw files are looked for when ``WFKIT_DATA_SOURCES`` is not set, in order.

    ``../shared/data-sources`` beside the checkout (``<checkout>/../shared/data-sources``),
    then beside the current directory and each of its parents.
    """
    cwd = Path.cwd().resolve()
    found = [_beside(REPO_ROOT)] + [_beside(d) for d in (cwd / "x", cwd, *cwd.parents)]
    return tuple(dict.fromkeys(found))


def sources_dir() -> Path:
    """Return the folder of the raw published files.

    ``WFKIT_DATA_SOURCES`` if set, else the first of :func:`source_candidates` that exists
    (else ``../shared/data-sources`` beside the checkout, which the build reports as
    missing).
    """
    env = os.environ.get("WFKIT_DATA_SOURCES")
    if env:
        return Path(env)
    cands = source_candidates()
    return next((p for p in cands if p.is_dir()), cands[0])
