"""An exclusive lock held through a file, on Linux, macOS and Windows.

Writers of one output folder take a lock on a file beside it (``wfkit.outputs``).  The lock
uses what the platform has, in this order:

``flock``
    ``fcntl.flock`` (Linux, macOS): the kernel drops it when its holder dies.
``msvcrt``
    ``msvcrt.locking`` on the file's first byte (Windows): also dropped by the kernel.
``exclusive``
    Anywhere else (and in tests): the lock file itself is the lock, created exclusively
    (``O_CREAT | O_EXCL``).  It names its holder (``wfkit lock, pid N, host H``); a lock
    whose holder is gone (same host, no such process) or an empty one left for longer than
    :data:`STALE_EMPTY_S` is taken over, one waiter at a time.

In every method a lock file is written only by wfkit and starts with ``wfkit``: a file of
that name holding anything else is not wfkit's, is never removed or overwritten, and the
lock is refused (:class:`ForeignLockFile`).  Waiting is bounded: past the timeout
:class:`LockTimeout` is raised.  The lock file is removed when the lock is released.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
try:
    import msvcrt
except ImportError:  # everything but Windows
    msvcrt = None  # type: ignore[assignment]

__all__ = ["METHOD", "METHODS", "ForeignLockFile", "LockTimeout", "file_lock"]

#: the ways of locking, best first
METHODS = ("flock", "msvcrt", "exclusive")
#: the method this platform uses
METHOD = "flock" if fcntl is not None else "msvcrt" if msvcrt is not None else "exclusive"
#: an empty lock file (its creator died before writing its name) older than this is stale
STALE_EMPTY_S = 10.0
_POLL_S = 0.05
_BUSY = {errno.EAGAIN, errno.EACCES, getattr(errno, "EDEADLOCK", errno.EDEADLK), errno.EDEADLK}
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
_HEAD = b"wfkit"


class LockTimeout(TimeoutError):
    """Another holder kept the lock for longer than the caller would wait."""


class ForeignLockFile(FileExistsError):
    """A file where the lock file goes that wfkit did not write."""


def _stamp() -> bytes:
    return f"wfkit lock, pid {os.getpid()}, host {socket.gethostname()}\n".encode()


def _read_head(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 256)


def _write_stamp(fd: int) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    os.write(fd, _stamp())


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path, follow_symlinks=False))
    except FileNotFoundError:
        return False


@contextmanager
def file_lock(
    path: str | os.PathLike[str], timeout: float, method: str | None = None
) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (a lock file, created if missing, removed after).

    Parameters
    ----------
    path
        The lock file.  A file there that wfkit did not write is left alone.
    timeout
        Seconds to wait for another holder before giving up.
    method
        ``"flock"``, ``"msvcrt"`` or ``"exclusive"``; default :data:`METHOD`, the best this
        platform has.

    Raises
    ------
    LockTimeout
        Another holder kept the lock for ``timeout`` seconds.
    ForeignLockFile
        ``path`` holds a file wfkit did not write.
    """
    method = method or METHOD
    if method not in METHODS:
        raise ValueError(f"unknown lock method {method!r}; expected one of {', '.join(METHODS)}")
    lock = Path(path)
    deadline = time.monotonic() + timeout
    held = _exclusive(lock, deadline) if method == "exclusive" else _kernel(lock, deadline, method)
    with held:
        yield


def _wait(lock: Path, deadline: float) -> None:
    if time.monotonic() >= deadline:
        raise LockTimeout(f"{lock} is held by another process")
    time.sleep(_POLL_S)


# ----------------------------------------------------------------------------------------
# flock and msvcrt: the kernel holds the lock, the file only carries it
# ----------------------------------------------------------------------------------------
def _try_kernel_lock(fd: int, method: str) -> bool:
    try:
        if method == "flock":
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError as exc:
        if exc.errno not in _BUSY:
            raise
        return False
    return True


@contextmanager
def _kernel(lock: Path, deadline: float, method: str) -> Iterator[None]:
    if (fcntl if method == "flock" else msvcrt) is None:
        raise ValueError(f"lock method {method!r} is not available on this platform")
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o644)
        try:
            while not _try_kernel_lock(fd, method):
                _wait(lock, deadline)
            if not _same_file(fd, lock):  # the holder removed it as we waited: lock the new one
                os.close(fd)
                continue
            head = _read_head(fd)
            if head and not head.startswith(_HEAD):
                raise ForeignLockFile(f"{lock} was not written by wfkit")
            _write_stamp(fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.close(fd)
            raise
        break
    try:
        yield
    finally:
        if method == "flock":
            # removed while still locked, so a waiter that opened it sees it is gone
            with contextlib.suppress(OSError):
                os.unlink(lock)
            os.close(fd)
        else:
            # Windows cannot remove an open file; once closed, a file another waiter has
            # opened cannot be removed either, so nobody locks a file that is gone
            with contextlib.suppress(OSError):
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(lock)


# ----------------------------------------------------------------------------------------
# exclusive: the lock file is the lock
# ----------------------------------------------------------------------------------------
def _holder_gone(head: bytes, age: float) -> bool:
    """Whether a lock file's holder is gone.

    Gone: an empty file left too long, or a pid on this host that no longer runs.  A
    holder on another host, or where processes cannot be checked, is taken to be alive.
    """
    if not head:
        return age > STALE_EMPTY_S
    try:
        words = head.decode("ascii").strip().split(", ")
        fields = dict(w.split(" ", 1) for w in words[1:])
        pid, host = int(fields["pid"]), fields["host"]
    except (UnicodeDecodeError, ValueError, KeyError):
        return False
    if host != socket.gethostname() or os.name != "posix":
        return False  # os.kill(pid, 0) would end the process on Windows
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, owned by another user
        return False
    return False


def _look(lock: Path) -> tuple[bytes, float] | None:
    """Return the lock file's first bytes and its age in seconds, or None if it is gone."""
    try:
        fd = os.open(lock, os.O_RDONLY | _NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ForeignLockFile(f"{lock} is a link wfkit did not make") from None
        raise
    try:
        return _read_head(fd), time.time() - os.fstat(fd).st_mtime
    finally:
        os.close(fd)


def _break_stale(lock: Path, head: bytes) -> bool:
    """Remove a stale lock file if it still holds ``head``.

    Returns whether this waiter had the turn to look.  Waiters take turns through a second
    lock file (``NAME.break``), so none removes a lock another has just taken.
    """
    breaker = lock.with_name(lock.name + ".break")
    try:
        fd = os.open(breaker, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644)
    except FileExistsError:
        # another waiter is breaking it; a breaker left by a dead waiter goes after a while
        seen = _look(breaker)
        if seen is not None and seen[1] > STALE_EMPTY_S and seen[0][:5] in (b"", _HEAD):
            with contextlib.suppress(OSError):
                os.unlink(breaker)
        return False
    try:
        os.write(fd, _stamp())
        now = _look(lock)
        if now is not None and now[0] == head:
            os.unlink(lock)
        return True
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(breaker)


@contextmanager
def _exclusive(lock: Path, deadline: float) -> Iterator[None]:
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644)
        except FileExistsError:
            seen = _look(lock)
            if seen is None:
                continue  # released as we looked
            head, age = seen
            if head and not head.startswith(_HEAD):
                raise ForeignLockFile(f"{lock} was not written by wfkit") from None
            if not (_holder_gone(head, age) and _break_stale(lock, head)):
                _wait(lock, deadline)
            continue
        try:
            _write_stamp(fd)
        except BaseException:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(lock)
            raise
        break
    try:
        yield
    finally:
        mine = _same_file(fd, lock)
        os.close(fd)
        if mine:
            with contextlib.suppress(OSError):
                os.unlink(lock)
