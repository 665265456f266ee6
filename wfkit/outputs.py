"""Write results safely: the one writer for the command line, notebooks and reports.

Rules (``docs/scenarios.md``, "Outputs of wfkit run"):

- wfkit writes only into a folder it creates, an empty folder, or one holding only its own
  earlier output, marked by a manifest (``.wfkit-manifest.json``: every file written with its
  SHA-256, the wfkit version and the time).  Any other non-empty folder is refused with one
  line naming it.  ``allow_existing=True`` (``--allow-existing``) writes beside other files:
  only the files in wfkit's manifest are replaced; nothing else is ever deleted.
- Refused outright: the filesystem root, the home folder (and any folder holding it), the
  scenario file's folder (and any folder holding it), the installed package or checkout (and
  any folder holding it) and any folder inside the package, the current folder when it holds
  other files, anything under ``/proc``, ``/sys`` or ``/dev``, a path below a file, and a
  folder whose parent cannot be written.
- A wfkit-owned folder is replaced whole or not at all: files go to a hidden ``.NAME.tmp-*``
  folder beside it, which then swaps with the old one (``.NAME.old-*``).  Each write first
  removes its target's leftover temporary folders (only those carrying wfkit's marker) and,
  when the target is missing but a ``.NAME.old-*`` with a complete manifest exists (a run
  killed between the two renames), restores it.
- Writers of one folder take a lock on ``.NAME.lock`` beside it (:mod:`wfkit.locking`:
  ``fcntl.flock``, ``msvcrt.locking`` on Windows, else the file created exclusively): a
  second run waits (bounded) and then refuses if the first wrote the folder meanwhile, so two
  runs never both report success with one set of results surviving.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ._version import __version__
from .errors import InputError
from .locking import ForeignLockFile, LockTimeout, file_lock

__all__ = [
    "MANIFEST",
    "OutputTarget",
    "check_output_dir",
    "output_folder",
    "output_path",
    "read_manifest",
    "write_csv",
]

#: the manifest wfkit writes into every output folder (it lists every other file)
MANIFEST = ".wfkit-manifest.json"
#: the marker file inside a temporary folder while wfkit writes it
TMP_MARKER = ".wfkit-writing"
_KIND = "wfkit output folder"
_SYSTEM = (Path("/proc"), Path("/sys"), Path("/dev"))
_HINT = (
    "choose a new or empty folder, or allow writing beside other files "
    "(--allow-existing, allow_existing=True)"
)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _entries(folder: Path) -> list[str]:
    """List every file, link and folder below ``folder``, not following links.

    As relative POSIX paths (folders end with ``/``).
    """
    out = []
    for root, dirs, files in os.walk(folder):
        rel = Path(root).relative_to(folder)
        for d in dirs:
            p = Path(root) / d
            out.append((rel / d).as_posix() + ("" if p.is_symlink() else "/"))
        out += [(rel / f).as_posix() for f in files]
    return sorted(out)


def read_manifest(folder: str | os.PathLike[str]) -> dict[str, Any] | None:
    """Return the manifest of a folder wfkit wrote, or ``None``.

    ``None`` when the manifest is missing, unreadable or not wfkit's.
    """
    p = Path(folder) / MANIFEST
    try:
        if p.is_symlink() or not p.is_file():
            return None
        m = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(m, dict) or m.get("kind") != _KIND or not isinstance(m.get("files"), dict):
        return None
    return m


def _owned(folder: Path, m: dict[str, Any] | None) -> tuple[set[str], list[str]]:
    """Split a folder's entries into wfkit's own and the others.

    wfkit's own are those listed in its manifest with a matching SHA-256, or a folder
    holding only such files.
    """
    entries = _entries(folder) if folder.is_dir() else []
    ok = {MANIFEST} if m is not None else set()
    if m is not None:
        prev = m.get("previous") or {}
        for rel in entries:
            if rel.endswith("/") or rel == MANIFEST:
                continue
            p = folder / rel
            if p.is_symlink() or not p.is_file():
                continue
            sums = {m["files"].get(rel), prev.get(rel)} - {None}
            if sums and _sha256(p) in sums:
                ok.add(rel)
    others = [e for e in entries if not e.endswith("/") and e not in ok]
    # a folder is foreign if it holds a foreign entry or nothing at all
    for d in (e for e in entries if e.endswith("/")):
        if not any(o.startswith(d) for o in ok):
            others.append(d)
    return ok, sorted(set(others))


def _complete(folder: Path) -> dict[str, Any] | None:
    """Return the manifest of a folder holding just what its complete manifest lists, else None."""
    m = read_manifest(folder)
    if m is None or not m.get("complete"):
        return None
    ok, others = _owned(folder, m)
    if others or not set(m["files"]) <= ok:
        return None
    return m


def _remove_owned(folder: Path) -> None:
    """Delete wfkit's own files from ``folder``, then the folders left empty.

    wfkit's own files are those listed in its manifest with matching sums, plus the
    manifest and the temporary marker; anything else stays.
    """
    m = read_manifest(folder)
    ok, _ = _owned(folder, m)
    for rel in sorted(ok - {MANIFEST}):
        (folder / rel).unlink(missing_ok=True)
    for name in (MANIFEST, TMP_MARKER):
        p = folder / name
        if name in ok or (name == TMP_MARKER and p.is_file() and not p.is_symlink()):
            p.unlink(missing_ok=True)
    for root, _dirs, _files in sorted(os.walk(folder), key=lambda t: -len(t[0])):
        with contextlib.suppress(OSError):
            os.rmdir(root)


# ----------------------------------------------------------------------------------------
# checks
# ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OutputTarget:
    """An output folder that passed :func:`check_output_dir` (usable as a path).

    ``seen`` is the run id of the folder's manifest at the check (``None``: missing or
    empty); the writer refuses if another run wrote the folder since.
    """

    path: Path
    allow_existing: bool = False
    protect: tuple[Path, ...] = ()
    seen: str | None = None

    def __fspath__(self) -> str:
        """Return the folder's path as a string, so the target works as a path."""
        return str(self.path)

    def __str__(self) -> str:
        """Return the folder's path as a string."""
        return str(self.path)


def _refuse(path: Path, why: str) -> InputError:
    return InputError(why, source=f"output folder {path}")


def _checkout_top() -> Path:
    """Return the installed package's folder, or the checkout holding it."""
    pkg = Path(__file__).resolve().parent
    top = pkg.parent
    return top if (top / "pyproject.toml").is_file() or (top / ".git").exists() else pkg


def _names(items: Iterable[str], shown: int = 4) -> str:
    items = list(items)
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(items[:shown]) + more


def check_output_dir(
    out_dir: str | os.PathLike[str],
    *,
    allow_existing: bool = False,
    protect: Iterable[str | os.PathLike[str] | None] = (),
) -> OutputTarget:
    """Check an output folder before anything is computed or written.

    Parameters
    ----------
    out_dir
        The folder (``~`` is expanded; relative paths are from the current folder).
    allow_existing
        Allow a folder holding files wfkit did not write: they are left as they are and
        only wfkit's own files (those in its manifest) are replaced.
    protect
        Files or folders that must never be replaced or written into, for example the
        scenario file: the folder holding one, and any folder above it, is refused.

    Raises
    ------
    InputError
        One line naming the folder and why it is refused.
    """
    if isinstance(out_dir, OutputTarget):
        allow_existing = allow_existing or out_dir.allow_existing
        protect = [*out_dir.protect, *protect]
        out_dir = out_dir.path
    if not str(out_dir).strip():
        raise InputError("output folder not given; expected a folder name")
    out = Path(out_dir).expanduser().resolve()
    prot = tuple(Path(p).expanduser().resolve() for p in protect if p is not None)
    _refuse_special(out, prot)
    _refuse_unwritable(out)
    return OutputTarget(out, allow_existing, prot, _seen_run(out, allow_existing))


def _refuse_special(out: Path, prot: tuple[Path, ...]) -> None:
    """Refuse a folder that must never hold results.

    That is a system folder, the root, the home folder (or one holding it), a folder
    holding a protected path, the checkout of wfkit or a folder inside its package.
    """
    for sysdir in _SYSTEM:
        if out.is_relative_to(sysdir):
            raise _refuse(out, f"is under {sysdir}, a system folder; choose a folder of yours")
    if out == Path(out.anchor):
        raise _refuse(out, "is the filesystem root; choose a folder of its own")
    home = Path.home().expanduser().resolve()
    if home.is_relative_to(out):
        what = "your home folder" if out == home else f"holds your home folder {home}"
        raise _refuse(out, f"is {what}; choose a folder of its own, for example {home}/results")
    for p in prot:
        if p.is_relative_to(out):
            what = "the folder of" if p.parent == out else "a folder holding"
            raise _refuse(out, f"is {what} {p}; choose a folder of its own for the results")
    top = _checkout_top()
    if top.is_relative_to(out):
        raise _refuse(out, f"holds wfkit itself ({top}); choose a folder of its own")
    pkg = Path(__file__).resolve().parent
    if out.is_relative_to(pkg):
        raise _refuse(out, f"is inside wfkit's own package ({pkg}); choose a folder of your own")


def _refuse_unwritable(out: Path) -> None:
    """Refuse a folder that cannot be written.

    That is a path below a file, a file, a folder whose nearest existing parent is
    read-only, or one with a lock beside it that is not wfkit's.
    """
    # a path component that is a file, and the nearest existing folder must be writable
    probe = out
    while not probe.exists() and not probe.is_symlink():
        probe = probe.parent
    if probe != out and not probe.is_dir():
        raise _refuse(out, f"is below {probe}, which is a file, not a folder")
    if probe == out and not out.is_dir():
        raise _refuse(out, "is a file, not a folder")
    base = probe if probe != out else out.parent
    if not os.access(base, os.W_OK | os.X_OK):
        raise _refuse(out, f"cannot be written: {base} is read-only for you")
    # the lock file beside the folder: wfkit's own (a regular file it wrote) or none
    lock = out.parent / f".{out.name}.lock"
    if lock.is_symlink() or (lock.exists() and not lock.is_file()):
        raise _refuse(out, f"has {lock} beside it, which is not wfkit's lock file; remove it")


def _seen_run(out: Path, allow_existing: bool) -> str | None:
    """Check an existing folder's contents; return the run id of its manifest.

    An existing folder (or a folder of wfkit's files in it) that cannot be written is
    refused, as is one holding files wfkit did not write (always when it is the current
    folder, else unless ``allow_existing``).  A missing folder's run id is that of the
    ``.NAME.old-*`` it would be restored from; ``None`` when there is none.
    """
    seen = None
    if out.is_dir():
        m = read_manifest(out)
        ok, others = _owned(out, m)
        # the folder itself, and each folder holding wfkit's files, is written into (or
        # swapped out and emptied): refused now, not after the model ran
        for d in sorted({out, *((out / rel).parent for rel in ok)}):
            if not os.access(d, os.W_OK | os.X_OK):
                raise _refuse(out, f"cannot be written: {d} is read-only for you")
        cwd = Path.cwd().resolve()
        if others and out == cwd:
            raise _refuse(
                out,
                f"is the current folder and holds files wfkit did not write "
                f"({_names(others)}); choose a folder of its own",
            )
        if others and not allow_existing:
            raise _refuse(out, f"holds files wfkit did not write ({_names(others)}); {_HINT}")
        seen = m.get("run_id") if m else None
    elif out.parent.is_dir():
        # a run killed between the two renames: the folder will come back from .NAME.old-*
        restorable = _restorable(out)
        seen = restorable[1].get("run_id") if restorable else None
    return seen


# ----------------------------------------------------------------------------------------
# lock, leftovers
# ----------------------------------------------------------------------------------------
def output_path(output_dir: str | os.PathLike[str], allow_existing: bool = False) -> Path:
    """Return where an output folder goes.

    A relative path is taken from ``$WFKIT_OUTPUT_ROOT`` when it is set (tests and batch
    runs), else from the current folder.

    The folder is checked as :func:`check_output_dir` does (refusing, with
    :class:`InputError`, a folder holding files wfkit did not write unless
    ``allow_existing``, the current folder when it holds other files, the home folder, the
    root, a path below a file or a read-only parent); nothing is written.
    """
    p = Path(output_dir).expanduser()
    root = os.environ.get("WFKIT_OUTPUT_ROOT")
    if not p.is_absolute() and root:
        p = Path(root).expanduser() / p
    return check_output_dir(p, allow_existing=allow_existing).path


@contextmanager
def _locked(out: Path, timeout: float) -> Iterator[None]:
    """Hold ``.NAME.lock`` beside ``out`` (:func:`wfkit.locking.file_lock`).

    The lock file is removed on release.
    """
    lock = out.parent / f".{out.name}.lock"
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(file_lock(lock, timeout))
        except LockTimeout:
            raise _refuse(
                out,
                f"is being written by another wfkit run (lock {lock.name}); "
                f"waited {timeout:g} s; try again when it has finished",
            ) from None
        except ForeignLockFile:
            raise _refuse(out, f"has a file {lock} that wfkit did not write; remove it") from None
        yield


def _siblings(out: Path, kind: str) -> list[Path]:
    """Return the real folders beside ``out`` named as wfkit names its temporary and old ones.

    Named exactly ``.NAME.tmp-`` or ``.NAME.old-`` and 12 hex digits of a run id.
    """
    named = re.compile(re.escape(f".{out.name}.{kind}-") + r"[0-9a-f]{12}")
    try:
        names = os.listdir(out.parent)
    except FileNotFoundError:
        return []
    return sorted(
        out.parent / n
        for n in names
        if named.fullmatch(n) and (out.parent / n).is_dir() and not (out.parent / n).is_symlink()
    )


def _marked_tmp(p: Path, out: Path) -> bool:
    marker = p / TMP_MARKER
    if not marker.is_file() or marker.is_symlink():
        return False
    try:
        return json.loads(marker.read_text("utf-8")).get("target") == str(out)
    except (OSError, ValueError, AttributeError):
        return False


def _restorable(out: Path) -> tuple[Path, dict[str, Any]] | None:
    """Return the newest ``.NAME.old-*`` with a complete manifest."""
    found = [(p, m) for p in _siblings(out, "old") if (m := _complete(p)) is not None]
    return max(found, key=lambda t: str(t[1].get("written", ""))) if found else None


def _recover(out: Path) -> list[str]:
    """Clean wfkit's leftovers for ``out`` (under its lock); return what was done."""
    done = []
    for p in _siblings(out, "tmp"):
        if _marked_tmp(p, out):
            shutil.rmtree(p, ignore_errors=True)
            done.append(f"removed leftover {p.name}")
        elif _complete(p) is not None:  # killed after removing the marker, before the swap
            _remove_owned(p)
            done.append(f"removed leftover {p.name}")
    if not out.exists() and not out.is_symlink():
        restorable = _restorable(out)
        if restorable is not None:
            restorable[0].rename(out)
            done.append(f"restored {out.name} from {restorable[0].name}")
    for p in _siblings(out, "old"):
        # only wfkit's own files go (an old folder's manifest may be half removed)
        if read_manifest(p) is not None or not any(p.iterdir()):
            with contextlib.suppress(OSError):  # undeletable: kept, tried again next time
                _remove_owned(p)
            if not p.exists():
                done.append(f"removed leftover {p.name}")
    return done


# ----------------------------------------------------------------------------------------
# the writer
# ----------------------------------------------------------------------------------------
def _hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file wfkit wrote into a temporary folder (not the marker)."""
    return {
        rel: _sha256(folder / rel)
        for rel in _entries(folder)
        if not rel.endswith("/") and rel not in (MANIFEST, TMP_MARKER)
    }


def _manifest(
    files: dict[str, str], run_id: str, previous: dict[str, str] | None
) -> dict[str, Any]:
    m: dict[str, Any] = {
        "kind": _KIND,
        "wfkit_version": __version__,
        "written": datetime.now(UTC).isoformat(timespec="microseconds"),
        "run_id": run_id,
        "complete": previous is None,
        "files": files,
    }
    if previous is not None:
        m["previous"] = previous
    return m


def _write_json(path: Path, obj: Any, via: Path) -> None:
    """Write JSON to ``path`` atomically through a file in the folder ``via``.

    ``via`` is wfkit's own temporary folder, so a kill leaves nothing in a user's folder.
    """
    tmp = via / f".json-{uuid.uuid4().hex[:8]}"
    tmp.write_text(json.dumps(obj, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


@contextmanager
def output_folder(
    out_dir: str | os.PathLike[str],
    *,
    allow_existing: bool = False,
    protect: Iterable[str | os.PathLike[str] | None] = (),
    lock_timeout: float = 60.0,
) -> Iterator[Path]:
    """Yield an empty temporary folder to write results into.

    On success the results become ``out_dir`` (whole, with a manifest); if the body
    raises, ``out_dir`` is left as it was.

    ``out_dir`` may be an :class:`OutputTarget` from :func:`check_output_dir` (checked
    before the model ran): the write is refused if another run wrote the folder since.
    See the module docstring for the rules.
    """
    target = check_output_dir(out_dir, allow_existing=allow_existing, protect=protect)
    seen = out_dir.seen if isinstance(out_dir, OutputTarget) else target.seen
    out = target.path
    out.parent.mkdir(parents=True, exist_ok=True)
    with _locked(out, lock_timeout):
        _recover(out)
        now = check_output_dir(target)  # again, under the lock
        if now.seen != seen:
            raise _refuse(
                out,
                "was written by another wfkit run while this one was working; "
                "these results were not written (run again to replace them)",
            )
        run_id = uuid.uuid4().hex
        tmp = out.parent / f".{out.name}.tmp-{run_id[:12]}"
        tmp.mkdir(mode=0o755)
        try:
            (tmp / TMP_MARKER).write_text(
                json.dumps({"target": str(out), "pid": os.getpid()}) + "\n", encoding="utf-8"
            )
            yield tmp
            _commit(tmp, out, run_id)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)


def _commit(tmp: Path, out: Path, run_id: str) -> None:
    old_m = read_manifest(out) if out.is_dir() else None
    ok, others = _owned(out, old_m) if out.is_dir() else (set(), [])
    in_place = bool(others) or (out.is_dir() and Path.cwd().resolve().is_relative_to(out))
    if not in_place:
        # replace whole: the new folder swaps with the old one
        _write_json(tmp / MANIFEST, _manifest(_hashes(tmp), run_id, None), tmp)
        (tmp / TMP_MARKER).unlink()
        if not out.exists():
            tmp.rename(out)
            return
        old = out.parent / f".{out.name}.old-{run_id[:12]}"
        out.rename(old)
        tmp.rename(out)
        try:
            _remove_owned(old)
        except OSError as exc:  # a file made undeletable (immutable, a read-only folder)
            raise _refuse(
                out,
                f"holds the new results, but the old ones could not all be removed "
                f"({exc.strerror}: {exc.filename}); they are in {old}: remove it when you can "
                "(the next run to this folder tries again)",
            ) from None
        return
    # beside other files (allow_existing, or the current folder): only wfkit's are replaced
    new = _hashes(tmp)
    clash = [
        rel
        for rel in new
        if (out / rel).exists() or (out / rel).is_symlink()
        if rel not in ok or (out / rel).is_dir()
    ]
    clash += [
        p.as_posix() for rel in new for p in Path(rel).parents if (out / p).is_file() and p.parts
    ]
    if clash:
        raise _refuse(
            out,
            f"holds {_names(sorted(set(clash)))} that wfkit did not write; "
            "nothing was replaced; move or rename them",
        )
    previous = {rel: _sha256(out / rel) for rel in ok - {MANIFEST}}
    _write_json(out / MANIFEST, _manifest(new, run_id, previous), tmp)
    for rel in new:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp / rel, out / rel)
    for rel in sorted(set(previous) - set(new)):
        if _sha256(out / rel) == previous[rel]:
            (out / rel).unlink()
    _write_json(out / MANIFEST, _manifest(new, run_id, None), tmp)


def write_csv(df, path: str | os.PathLike[str]) -> None:
    """Write ``df`` to ``path`` as CSV without its index, numbers to ten significant digits.

    The same bytes as ``df.to_csv(path, index=False, float_format="%.10g")``, in less
    time (each float column is formatted in one list comprehension rather than
    value by value through pandas' formatter).

    Parameters
    ----------
    df
        A :class:`pandas.DataFrame`.
    path
        The file to write.
    """
    # lazy: pandas only when a table is written; checking a folder needs none
    import numpy as np
    import pandas as pd

    cols = {}
    for c in df.columns:
        col = df[c]
        if col.dtype.kind == "f":
            v = col.to_numpy(dtype=float)
            text = np.array(["%.10g" % x for x in v.tolist()], dtype=object)  # noqa: UP031
            text[np.isnan(v)] = ""  # pandas' na_rep
            col = pd.Series(text, index=df.index, dtype=object)
        cols[c] = col
    pd.DataFrame(cols, index=df.index).to_csv(path, index=False)
