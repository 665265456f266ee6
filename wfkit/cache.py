"""A small on-disk cache shared by kernels on one machine.

Every new kernel would otherwise re-read and re-validate the bundled tables and rebuild
altair's offline Vega bundle (timings in benchmarks/README.md).  Both are pure functions of
files and package versions, so their results are kept under :func:`cache_dir`, keyed by a
fingerprint of everything they depend on: change a data file, a schema or a package and the
old entry is simply never read again.

``WFKIT_CACHE=0`` turns the cache off; ``WFKIT_CACHE_DIR`` moves it (default: the user's
cache folder, for example ``~/.cache/wfkit``).  Deleting the folder is always safe.

Nothing read from the cache can run code: tables are kept as Arrow IPC files (data only,
read with pyarrow) and the chart bundle as text.  Even so, a planted entry could feed wrong figures or
scripts to a browser, so:

- the cache folder and every folder under it must belong to this user and be writable by
  nobody else; otherwise the cache is not used (one warning, then wfkit reads the files);
- entries are written to a new file with a random name (``O_CREAT | O_EXCL``) in the target
  folder, readable by this user alone, then renamed over the entry (``os.replace``), so a
  symlink planted at either name is never written through;
- entries are opened with ``O_NOFOLLOW`` and the *opened* file is checked (``fstat``): a
  regular file owned by this user that nobody else can write, or it is a miss.  What is
  checked is what is read: there is no window between a check and an open.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import stat
import tempfile
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "CacheWarning",
    "cache_dir",
    "enabled",
    "usable",
    "trusted",
    "read_bytes",
    "write_bytes",
    "read_text",
    "write_text",
    "read_frame",
    "write_frame",
    "FRAME_SUFFIX",
    "prune",
    "KEEP",
    "key",
    "read_through",
]

_OFF = {"0", "false", "no", "off"}
_POSIX = hasattr(os, "getuid")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a planted FIFO must not hang the read
_BINARY = getattr(os, "O_BINARY", 0)
_warned: set[str] = set()


class CacheWarning(UserWarning):
    """The cache folder is not safe to use, so wfkit works without the cache."""


def enabled() -> bool:
    """Whether the on-disk cache is used (``WFKIT_CACHE`` is not ``0``/``false``/``off``)."""
    return os.environ.get("WFKIT_CACHE", "1").strip().lower() not in _OFF


def cache_dir() -> Path:
    """Return the cache folder: ``WFKIT_CACHE_DIR`` if set, else the user's one for wfkit."""
    env = os.environ.get("WFKIT_CACHE_DIR")
    if env:
        return Path(env)
    # lazy: platformdirs only when WFKIT_CACHE_DIR is unset and the cache is first used
    import platformdirs

    return Path(platformdirs.user_cache_dir("wfkit"))


def _safe_stat(st: os.stat_result) -> bool:
    """Owned by this user and not writable by group or others (always true on Windows)."""
    if not _POSIX:  # pragma: no cover - Windows: no POSIX owner and modes
        return True
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def _refuse(folder: Path, why: str) -> bool:
    key = str(folder)
    if key not in _warned:
        _warned.add(key)
        warnings.warn(
            f"wfkit cache folder {folder} {why}; working without the cache "
            "(set WFKIT_CACHE_DIR to a folder only you can write, or WFKIT_CACHE=0)",
            CacheWarning,
            stacklevel=3,
        )
    return False


def usable(folder: Path, create: bool = True) -> bool:
    """Check that ``folder`` is safe to cache in, creating missing folders if ``create``.

    Whether ``folder`` (under :func:`cache_dir`) and each folder from the cache folder
    down to it belong to this user and are writable by nobody else, creating missing ones
    (``0700``) if ``create``.  A folder that is not is refused with one :class:`CacheWarning`.
    """
    root = cache_dir()
    folder = Path(folder)
    try:
        rel = folder.relative_to(root)
    except ValueError:
        return _refuse(folder, "is outside the cache folder")
    chain = [root]
    for part in rel.parts:
        chain.append(chain[-1] / part)
    for i, d in enumerate(chain):
        try:
            # the root may be reached through a symlink (a moved home folder); below it,
            # only folders wfkit made
            st = os.stat(d) if i == 0 else os.lstat(d)
        except FileNotFoundError:
            if not create:
                return False
            try:
                if i == 0:
                    d.mkdir(mode=0o700, parents=True, exist_ok=True)
                else:
                    d.mkdir(mode=0o700, exist_ok=True)
                st = os.lstat(d) if i else os.stat(d)
            except OSError:
                return False  # read-only home, a file in the way: the cache only saves time
        except OSError:
            return False
        if not stat.S_ISDIR(st.st_mode):
            return False if i == 0 else _refuse(d, "is not a folder")
        if not _safe_stat(st):
            return _refuse(d, "belongs to another user or can be written by group or others")
    return True


def trusted(path: Path) -> bool:
    """Check that ``path`` is, right now, a cache file this user can trust.

    Whether ``path`` is, right now, a regular file (not a symlink) this user owns that
    nobody else can write, in a :func:`usable` folder.  Prefer :func:`read_bytes` and
    :func:`read_text`, which check the file they opened rather than a name.
    """
    path = Path(path)
    if not usable(path.parent, create=False):
        return False
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and _safe_stat(st)


def read_bytes(path: Path) -> bytes | None:
    """Return the bytes of the cache entry at ``path``, or ``None``.

    ``None`` is a miss, never an error: the entry is absent, a symlink, not a regular
    file, not this user's, or writable by others.
    """
    path = Path(path)
    if not enabled() or not usable(path.parent, create=False):
        return None
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not (stat.S_ISREG(st.st_mode) and _safe_stat(st)):
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically through a new private file with a random name.

    A failure (read-only home, full disk, an unsafe folder) is ignored, since the cache
    only saves time.
    """
    path = Path(path)
    if not enabled() or not usable(path.parent):
        return
    try:
        # mkstemp: O_CREAT | O_EXCL | O_NOFOLLOW, mode 0600, random name, in the target folder
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)  # renames over a planted symlink; never writes through it
    except OSError:
        pass
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def read_text(path: Path) -> str | None:
    """Return the UTF-8 text of a cache entry, with the checks of :func:`read_bytes`."""
    data = read_bytes(path)
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to a cache entry like :func:`write_bytes`."""
    write_bytes(path, text.encode("utf-8"))


#: the file suffix of a cached table: Arrow IPC (the Feather 2 file format), data only
FRAME_SUFFIX = ".arrow"


#: the schema metadata key listing the text columns :func:`write_frame` stored as dictionaries
_TEXT_AS_CODES = b"wfkit_text_as_codes"


def read_frame(path: Path):
    """Return the DataFrame stored at ``path`` by :func:`write_frame` (Arrow IPC), or ``None``.

    Text columns written with ``codes=True`` come back as ``object`` columns of Python
    strings (``None`` where missing).
    """
    data = read_bytes(path)
    if data is None:
        return None
    try:
        with pa.ipc.open_file(pa.BufferReader(data)) as reader:
            table = reader.read_all()
        df = table.to_pandas()
        meta = table.schema.metadata or {}
        for c in json.loads(meta.get(_TEXT_AS_CODES, b"[]")):
            cat = df[c].array  # a Categorical: each distinct text once, and codes
            words = np.append(np.asarray(cat.categories, dtype=object), None)
            # code -1 (missing) takes the None at the end; object kept (pandas would infer str)
            df[c] = pd.Series(words[cat.codes], index=df.index, dtype=object)
        return df
    except Exception:  # a damaged entry is a miss; it is rewritten
        return None


def write_frame(path: Path, df, codes: bool = False) -> None:
    """Store ``df`` at ``path`` as an Arrow IPC file, uncompressed.

    Dtypes and index are kept through pandas' metadata.  Arrow IPC rather than Parquet:
    the same data-only format family (pyarrow), but read with no decoding, so faster for
    these tables, which is what a new kernel pays for every table it loads.

    ``codes=True`` stores each ``object`` text column as its distinct texts and a code
    per row (an Arrow dictionary), read back as ``object`` strings without copying a
    string: the local prevalence of every practice repeats a few thousand notes over 1.7
    million rows (565 MB as plain text, 75 MB so).
    """
    try:
        table = pa.Table.from_pandas(df)
        text = []
        if codes:
            text = [c for c in df.columns if df[c].dtype == object and isinstance(c, str)]
            for c in text:
                i = table.schema.get_field_index(c)
                table = table.set_column(i, c, pc.dictionary_encode(table.column(i)))
            meta = dict(table.schema.metadata or {})
            meta[_TEXT_AS_CODES] = json.dumps(text).encode()
            table = table.replace_schema_metadata(meta)
        sink = pa.BufferOutputStream()
        with pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        data = sink.getvalue().to_pybytes()
    except Exception:  # a frame Arrow cannot hold is simply not cached
        return
    write_bytes(path, data)


#: the name of an entry wfkit writes: a 24-hex-digit key (a 12-byte blake2b digest)
_ENTRY = re.compile(r"[0-9a-f]{24}")


#: what wfkit writes inside an entry: tables (``.parquet`` from wfkit 0.3.0 and before), notes and,
#: while writing, its private files
_ENTRY_FILE = re.compile(r"[^/]+\.(arrow|parquet|json)|\.[^/]+\.tmp")


def _remove_entry(p: Path) -> None:
    """Delete a cache entry: a file, or a folder's own files wfkit writes there.

    A folder's own regular files of the kinds wfkit writes there are deleted, and then
    the folder if that left it empty (anything else stays).
    """
    if not stat.S_ISDIR(os.lstat(p).st_mode):
        p.unlink(missing_ok=True)
        return
    for child in p.iterdir():
        if _ENTRY_FILE.fullmatch(child.name) and stat.S_ISREG(os.lstat(child).st_mode):
            child.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        p.rmdir()


def prune(folder: Path, keep: int = 4) -> None:
    """Keep only the ``keep`` most recently used entries in ``folder``.

    Only entries named as wfkit names them (a key), and only the files wfkit writes in
    them, are ever removed: ``WFKIT_CACHE_DIR`` may point at a folder that holds other
    files.
    """
    if not usable(Path(folder), create=False):
        return
    try:
        entries = sorted(
            (p for p in Path(folder).iterdir() if _ENTRY.fullmatch(p.name)),
            key=lambda p: os.lstat(p).st_mtime,
            reverse=True,
        )
    except OSError:
        return
    for p in entries[keep:]:
        with contextlib.suppress(OSError):
            _remove_entry(p)


#: how many entries each kind of entry keeps (the most recently used; 4 for a kind not
#: listed): ``areas`` holds one entry per request (a set of areas and a table), so more
KEEP = {"areas": 64}


def files_digest(kind: str, head: bytes, files: Sequence[tuple[str, Path]]) -> str:
    """Return a digest (24 hex digits) of ``head`` and the bytes of each named file.

    Hashing every file's bytes in every process is slower than a stat of each, so with
    the cache on the digest is also kept under ``kind`` in the cache, keyed by each file's
    size, modification and change times (to the nanosecond), inode and device: any write
    to a file changes its change time, which no program can set back, so a changed file
    is always hashed again.  A missing file counts as ``<missing>``.
    """
    memo = None
    if enabled():
        k = hashlib.blake2b(head, digest_size=12)
        for name, p in files:
            try:
                st = p.stat()
                sig: object = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
            except OSError:
                sig = "<missing>"
            k.update(f"{name}\0{sig}\0".encode())
        memo = cache_dir() / kind / k.hexdigest()
        known = read_text(memo)
        if known is not None and _ENTRY.fullmatch(known):
            return known
    h = hashlib.blake2b(head, digest_size=12)
    for name, p in files:
        h.update(name.encode() + b"\0")
        h.update(p.read_bytes() if p.is_file() else b"<missing>")
    digest = h.hexdigest()
    if memo is not None:
        fresh = not memo.exists()
        write_text(memo, digest)
        if fresh:
            prune(memo.parent, keep=16)
    return digest


@functools.lru_cache(maxsize=1)
def _source_digest() -> bytes:
    """Return a digest of every source file of wfkit (computed once per process)."""
    pkg = Path(__file__).resolve().parent
    files = [(str(src.relative_to(pkg)), src) for src in sorted(pkg.rglob("*.py"))]
    return bytes.fromhex(files_digest("sources", b"", files))


def key(data: str, *parts: object) -> str:
    """Return the key of an entry computed from the bundled data.

    A digest of the data files' fingerprint ``data``
    (:func:`wfkit.data.loader.fingerprint`), wfkit's whole source and ``parts`` (so any
    change to the data, the code or the request is a new key).
    """
    h = hashlib.blake2b(digest_size=12)
    h.update(data.encode() + b"\0" + _source_digest())
    for part in parts:
        h.update(b"\0" + repr(part).encode())
    return h.hexdigest()


def _read_part(entry: Path, name: str) -> Any:
    """Read one part of an entry, or ``None`` for a miss.

    A name ending ``.json`` is JSON text, any other a frame (``name`` +
    :data:`FRAME_SUFFIX`).
    """
    if name.endswith(".json"):
        text = read_text(entry / name)
        if text is None:
            return None
        try:
            return json.loads(text)
        except ValueError:  # a damaged entry is a miss; it is rewritten
            return None
    return read_frame(entry / f"{name}{FRAME_SUFFIX}")


def read_through(
    kind: str,
    entry_key: Callable[[], str | None],
    names: Sequence[str],
    compute: Callable[[], Mapping[str, Any]],
    *,
    codes: bool = False,
    max_rows: int | None = None,
) -> dict[str, Any]:
    """Return the parts ``names`` of an entry, from the cache or computed.

    From the cache if every part is there, else computed (and then written, and the
    oldest entries of ``kind`` pruned).

    Parameters
    ----------
    kind
        The folder under :func:`cache_dir` the entry lives in (``"tables"``,
        ``"areas"``, ...); it keeps :data:`KEEP` entries.
    entry_key
        Called only with the cache on: the entry's key (for example from :func:`key`), or
        ``None`` to compute without the cache.
    names
        The parts of an entry: a name ending ``.json`` is stored as JSON text, any other
        is a DataFrame stored as Arrow IPC (:func:`write_frame`).
    compute
        Makes every part (a mapping with at least ``names``) on a miss.  Only what it
        returns without raising is ever written, so a check it makes guards the cache.
    codes
        Store text columns as codes (see :func:`write_frame`).
    max_rows
        Frames longer than this are not kept (the entry is then not written).

    Returns
    -------
    dict
        ``names`` -> part, as read from the cache or as ``compute`` returned it.
    """
    k = entry_key() if enabled() else None
    if k is None:
        return dict(compute())
    entry = cache_dir() / kind / k
    hit: dict[str, Any] = {}
    for name in names:
        hit[name] = _read_part(entry, name)
        if hit[name] is None:
            break
    else:
        return hit
    parts = dict(compute())
    frames = [parts[n] for n in names if not n.endswith(".json")]
    if max_rows is not None and any(len(df) > max_rows for df in frames):
        return parts
    fresh = not entry.is_dir()
    for name in names:
        if name.endswith(".json"):
            write_text(entry / name, json.dumps(parts[name]))
        else:
            write_frame(entry / f"{name}{FRAME_SUFFIX}", parts[name], codes=codes)
    if fresh:
        prune(entry.parent, keep=KEEP.get(kind, 4))
    return parts
