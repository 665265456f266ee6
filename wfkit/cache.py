"""A small on-disk cache shared by kernels on one machine.

Every new kernel would otherwise re-read and re-validate the bundled tables (about 0.5 s)
and rebuild altair's offline Vega bundle (about 2 s).  Both are pure functions of files and
package versions, so their results are kept under :func:`cache_dir`, keyed by a fingerprint
of everything they depend on: change a data file, a schema or a package and the old entry is
simply never read again.

``WFKIT_CACHE=0`` turns the cache off; ``WFKIT_CACHE_DIR`` moves it (default: the user's
cache folder, for example ``~/.cache/wfkit``).  Deleting the folder is always safe.  Tables
are kept as pickles, which run code when loaded, so an entry is only loaded if this user owns
it and nobody else can write to it; even so, point ``WFKIT_CACHE_DIR`` only at a folder that
you alone can write to, never a shared one such as ``/tmp``.
"""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path
from typing import Any

__all__ = ["cache_dir", "enabled", "trusted", "read_pickle", "write_pickle", "write_text", "prune"]

_OFF = {"0", "false", "no", "off"}


def enabled() -> bool:
    """Whether the on-disk cache is used (``WFKIT_CACHE`` is not ``0``/``false``/``off``)."""
    return os.environ.get("WFKIT_CACHE", "1").strip().lower() not in _OFF


def cache_dir() -> Path:
    """The cache folder: ``WFKIT_CACHE_DIR`` if set, else the user's cache folder for wfkit."""
    env = os.environ.get("WFKIT_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs  # noqa: PLC0415

    return Path(platformdirs.user_cache_dir("wfkit"))


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        # readable and writable by the user alone, whatever the umask (see trusted)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def trusted(path: Path) -> bool:
    """Whether ``path`` is a file this user owns and nobody else can write: only such
    entries are unpickled (unpickling runs code)."""
    try:
        st = path.stat()
    except OSError:
        return False
    if not hasattr(os, "getuid"):  # pragma: no cover - Windows: no POSIX owner and modes
        return True
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def read_pickle(path: Path) -> Any | None:
    """The object pickled at ``path`` by :func:`write_pickle`, or ``None`` if it is absent,
    unreadable, or not a file that this user alone can write (a cache miss, never an error)."""
    if not trusted(path):
        return None
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except Exception:  # noqa: BLE001 - a damaged entry is a miss; it is rewritten
        return None


def write_pickle(path: Path, obj: Any) -> None:
    """Pickle ``obj`` to ``path`` atomically; a failure to write (read-only home, full disk)
    is ignored, since the cache only saves time."""
    try:
        _atomic_write(path, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass


def write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically, ignoring failures like :func:`write_pickle`."""
    try:
        _atomic_write(path, text.encode("utf-8"))
    except OSError:
        pass


def prune(folder: Path, keep: int = 4) -> None:
    """Keep only the ``keep`` most recently used entries (files or folders) in ``folder``."""
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for p in entries[keep:]:
        if p.name.startswith("."):
            continue
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
