"""The output lock works with fcntl, without it (Windows), and with neither fcntl nor msvcrt.

``wfkit.locking`` picks ``fcntl.flock`` where it exists, ``msvcrt.locking`` on Windows and a
lock file created exclusively anywhere else.  The exclusive fallback is tested here directly
(mutual exclusion, bounded wait, stale locks, a user's file), and the whole example run is
tested in a Python where ``import fcntl`` fails, as on Windows.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from wfkit import locking, outputs
from wfkit.errors import InputError
from wfkit.locking import ForeignLockFile, LockTimeout, file_lock
from wfkit.outputs import MANIFEST, output_folder

ROOT = Path(__file__).resolve().parents[2]
HERE = [m for m in ("flock", "exclusive") if m != "flock" or locking.fcntl is not None]


def dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


@pytest.mark.parametrize("method", HERE)
def test_one_holder_at_a_time(tmp_path, method):
    """Threads add to a counter by read, pause, write: without mutual exclusion they lose
    increments (a lock that does nothing fails this)."""
    counter = tmp_path / "n"
    counter.write_text("0")
    lock = tmp_path / ".out.lock"
    errors = []

    def work():
        try:
            for _ in range(15):
                with file_lock(lock, timeout=30, method=method):
                    n = int(counter.read_text())
                    time.sleep(0.001)
                    counter.write_text(str(n + 1))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert counter.read_text() == "60"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n"]  # the lock file went


@pytest.mark.parametrize("method", HERE)
def test_a_held_lock_is_waited_for_then_refused(tmp_path, method):
    lock = tmp_path / ".out.lock"
    with file_lock(lock, timeout=1, method=method):
        assert lock.read_text().startswith(f"wfkit lock, pid {os.getpid()}, host ")
        t0 = time.monotonic()
        with pytest.raises(LockTimeout):
            with file_lock(lock, timeout=0.3, method=method):
                pass
        assert time.monotonic() - t0 >= 0.3
    assert not lock.exists()


@pytest.mark.parametrize("method", HERE)
def test_a_users_file_named_like_the_lock_is_refused_and_kept(tmp_path, method):
    lock = tmp_path / ".out.lock"
    lock.write_text("my notes")
    with pytest.raises(ForeignLockFile):
        with file_lock(lock, timeout=1, method=method):
            pass
    assert lock.read_text() == "my notes"


def test_exclusive_lock_held_by_another_process_then_its_death_frees_it(tmp_path):
    lock = tmp_path / ".out.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import importlib.util, sys, time
                spec = importlib.util.spec_from_file_location("lk", {str(ROOT / "wfkit" / "locking.py")!r})
                lk = importlib.util.module_from_spec(spec); spec.loader.exec_module(lk)
                with lk.file_lock({str(lock)!r}, timeout=5, method="exclusive"):
                    print("held", flush=True)
                    time.sleep(60)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(LockTimeout):
            with file_lock(lock, timeout=0.2, method="exclusive"):
                pass
        holder.kill()  # killed: its lock file stays behind, naming a process that is gone
        holder.wait()
        assert lock.exists()
        with file_lock(lock, timeout=2, method="exclusive"):
            assert f"pid {os.getpid()}," in lock.read_text()
        assert not lock.exists()
    finally:
        holder.kill()
        holder.wait()


def test_exclusive_stale_and_live_lock_files(tmp_path):
    lock = tmp_path / ".out.lock"
    host = socket.gethostname()
    # a holder on another host, or alive here, is waited for
    for text in (f"pid {dead_pid()}, host not-{host}", f"pid 1, host {host}"):
        lock.write_text(f"wfkit lock, {text}\n")
        with pytest.raises(LockTimeout):
            with file_lock(lock, timeout=0.2, method="exclusive"):
                pass
        assert lock.read_text().startswith("wfkit lock, pid ")
    # a holder that is gone, and an empty file left long ago, are taken over
    lock.write_text(f"wfkit lock, pid {dead_pid()}, host {host}\n")
    with file_lock(lock, timeout=1, method="exclusive"):
        assert f"pid {os.getpid()}," in lock.read_text()
    lock.write_text("")
    with pytest.raises(LockTimeout):  # just created: its holder is still writing its name
        with file_lock(lock, timeout=0.2, method="exclusive"):
            pass
    old = time.time() - locking.STALE_EMPTY_S - 5
    os.utime(lock, (old, old))
    with file_lock(lock, timeout=1, method="exclusive"):
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_exclusive_release_leaves_a_lock_that_is_not_its_own(tmp_path):
    lock = tmp_path / ".out.lock"
    with file_lock(lock, timeout=1, method="exclusive"):
        lock.unlink()
        lock.write_text("wfkit lock, pid 1, host elsewhere\n")
    assert lock.read_text() == "wfkit lock, pid 1, host elsewhere\n"


class FakeMsvcrt:
    """Windows' ``msvcrt.locking`` on the first byte, played by ``fcntl.flock`` (one holder
    per open file), to run the Windows branch here: it must lock at offset 0, one byte, and
    a refused non-blocking lock raises EACCES as Windows does."""

    LK_UNLCK, LK_NBLCK = 0, 2
    calls: list[int] = []

    @classmethod
    def locking(cls, fd: int, mode: int, nbytes: int) -> None:
        import errno
        import fcntl

        assert nbytes == 1 and os.lseek(fd, 0, os.SEEK_CUR) == 0
        cls.calls.append(mode)
        if mode == cls.LK_UNLCK:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OSError(errno.EACCES, "Permission denied") from None


@pytest.mark.skipif(locking.fcntl is None, reason="the stand-in for msvcrt uses fcntl")
def test_the_windows_branch_waits_refuses_and_cleans_up(tmp_path, monkeypatch):
    monkeypatch.setattr(locking, "msvcrt", FakeMsvcrt)
    FakeMsvcrt.calls.clear()
    lock = tmp_path / ".out.lock"
    with file_lock(lock, timeout=1, method="msvcrt"):
        assert lock.read_text().startswith(f"wfkit lock, pid {os.getpid()}, host ")
        with pytest.raises(LockTimeout):
            with file_lock(lock, timeout=0.2, method="msvcrt"):
                pass
    assert not lock.exists()
    assert FakeMsvcrt.calls[0] == FakeMsvcrt.LK_NBLCK and FakeMsvcrt.LK_UNLCK in FakeMsvcrt.calls
    with file_lock(lock, timeout=1, method="msvcrt"):  # free again
        pass
    lock.write_text("my notes")
    with pytest.raises(ForeignLockFile):
        with file_lock(lock, timeout=1, method="msvcrt"):
            pass
    assert lock.read_text() == "my notes"


def test_a_method_this_platform_lacks_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(locking, "msvcrt", None)
    with pytest.raises(ValueError, match="not available on this platform"):
        with file_lock(tmp_path / "x", timeout=1, method="msvcrt"):
            pass


def test_unknown_method_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown lock method"):
        with file_lock(tmp_path / "x", timeout=1, method="nfs"):
            pass


def test_the_writer_refuses_clearly_on_the_exclusive_lock(tmp_path, monkeypatch):
    monkeypatch.setattr(locking, "METHOD", "exclusive")
    out = tmp_path / "out"
    with outputs._locked(out, timeout=1):
        with pytest.raises(InputError, match=r"being written by another wfkit run.*waited 0.2 s"):
            with output_folder(out, lock_timeout=0.2):
                pass
    (tmp_path / ".out.lock").write_text("mine")
    with pytest.raises(InputError, match=r"\.out\.lock that wfkit did not write; remove it"):
        with output_folder(out, lock_timeout=0.2):
            pass
    assert (tmp_path / ".out.lock").read_text() == "mine"


NO_FCNTL = textwrap.dedent(
    """
    import sys
    sys.modules["fcntl"] = None  # as on Windows: import fcntl raises ImportError
    try:
        import fcntl
    except ImportError:
        pass
    else:
        raise SystemExit("fcntl still importable")
    import wfkit
    from wfkit import locking
    from wfkit.cli import main
    print("method", locking.METHOD)
    print("validate", main(["validate", "example"]))
    print("run", main(["run", "example", "--out", sys.argv[1]]))
    """
)


def test_example_runs_and_writes_whole_outputs_without_fcntl(tmp_path):
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-c", NO_FCNTL, str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "method exclusive" in lines and "validate 0" in lines and "run 0" in lines, lines
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["complete"] is True
    files = sorted(p.name for p in out.iterdir() if p.name != MANIFEST)
    assert files == sorted(manifest["files"]) and "results.csv" in files
    for name, digest in manifest["files"].items():
        assert outputs._sha256(out / name) == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no lock, no leftovers
