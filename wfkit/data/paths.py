"""Where the bundled data and the raw sources live."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..errors import InputError

__all__ = [
    "data_dir",
    "sources_dir",
    "source_candidates",
    "check_build_complete",
    "REPO_ROOT",
    "INSTALLED_DATA",
    "BUILD_TMP_PREFIX",
    "BUILD_TMP_MARK",
    "BUILD_SWAPPING",
]

#: the hidden folder an in-place ``wfkit data build`` writes into first (inside ``data/``)
BUILD_TMP_PREFIX = ".build-tmp-"
#: the marker file of such a folder (only folders carrying it are ever removed)
BUILD_TMP_MARK = ".wfkit-data-build"
#: written into the folder once every file is whole, before the first is moved into place:
#: a folder that still holds it and a table was stopped part-way through the swap
BUILD_SWAPPING = ".wfkit-swapping"

#: the folder that holds ``wfkit/`` and ``data/``
REPO_ROOT = Path(__file__).resolve().parents[2]


#: where a wheel (``pip install .``) puts the bundled data: ``[tool.setuptools.data-files]``
INSTALLED_DATA = Path(sys.prefix) / "share" / "wfkit" / "data"


def check_build_complete(folder: Path) -> None:
    """Refuse bundled tables that an interrupted ``wfkit data build`` left part old, part new.

    An in-place build moves its files into ``data/`` one by one once all are whole; a kill
    during those moves leaves each table whole but some from the new build and some from
    the old one, and the rest of the new files in the build's hidden folder.

    Raises
    ------
    InputError
        Naming the folder and what to do (run the build again).
    """
    for tmp in folder.glob(BUILD_TMP_PREFIX + "*"):
        if not (tmp / BUILD_SWAPPING).is_file():
            continue  # stopped before any table moved: data/ is the old build, whole
        if any(p.is_file() and not p.name.startswith(".") for p in tmp.rglob("*")):
            raise InputError(
                "a 'wfkit data build' was stopped while it replaced the bundled tables, so "
                "some are from the new build and some from the old one; run 'wfkit data "
                "build' again to finish it",
                source=str(tmp),
            )


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
