"""The ``wfkit`` console script ends at once after its work (``wfkit.cli.entry``).

It skips the interpreter's teardown of the modules it loaded, so each test runs it in a
new process and checks what an exit must still do: every byte of output delivered, the
exit handlers run, the status kept, and other threads waited for.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _entry(body: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run ``wfkit.cli.entry`` in a new process with ``main`` replaced by ``body``'s."""
    code = f"import wfkit.cli as cli\n{body}\ncli.main = main\ncli.entry()\n"
    # buffered output, as a user's terminal or pipe has it by default
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )


def test_the_console_script_is_entry():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["wfkit"] == "wfkit.cli:entry"


def test_output_is_delivered_whole_and_the_status_kept(tmp_path):
    body = "def main():\n    print('x' * 200_000)\n    print('end', file=__import__('sys').stderr)\n    return 3"
    done = _entry(body, tmp_path)
    assert done.returncode == 3
    assert done.stdout == "x" * 200_000 + "\n"
    assert done.stderr == "end\n"


def test_exit_handlers_run(tmp_path):
    """Temporary folders, logging and the like are finished by atexit handlers."""
    body = (
        "import atexit, tempfile, pathlib\n"
        "def main():\n"
        "    atexit.register(lambda: pathlib.Path('handler-ran').write_text('yes'))\n"
        "    d = tempfile.TemporaryDirectory(dir='.')\n"
        "    globals()['kept'] = d\n"
        "    pathlib.Path('folder').write_text(d.name)\n"
        "    return 0"
    )
    done = _entry(body, tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "handler-ran").read_text() == "yes"
    assert not Path((tmp_path / "folder").read_text()).exists()  # cleaned up at exit


def test_another_thread_is_waited_for(tmp_path):
    body = (
        "import threading, time, pathlib\n"
        "def late():\n"
        "    time.sleep(0.5)\n"
        "    pathlib.Path('thread-done').write_text('yes')\n"
        "def main():\n"
        "    threading.Thread(target=late).start()\n"
        "    return 4"
    )
    done = _entry(body, tmp_path)
    assert done.returncode == 4
    assert (tmp_path / "thread-done").read_text() == "yes"


def test_a_real_run_through_the_module(tmp_path):
    """``python -m wfkit.cli run``: its files written, its summary printed, status 0 / 2."""
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "wfkit.cli", "run", "example", "--out", str(out)]
    done = subprocess.run(
        [*cmd, "--draws", "5"], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "results written to" in done.stdout
    assert done.stdout.rstrip().endswith("and run.log (how it ran)")
    assert {"results.csv", "summary.json", "run.log"} <= {p.name for p in out.iterdir()}
    bad = subprocess.run(
        [*cmd[:4], str(tmp_path / "nosuch.yaml"), "--out", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("wfkit: error:")


def test_the_start_is_frozen_and_collection_back_on_for_the_command(tmp_path):
    """The modules every command loads are frozen out of the cyclic collector, which is on
    again (as usual) when the command itself runs, and collects its cycles."""
    body = (
        "import gc, sys\n"
        "def main():\n"
        "    class Cycle:\n"
        "        pass\n"
        "    a = Cycle(); a.me = a; del a\n"
        "    print(gc.isenabled(), gc.get_freeze_count(), 'pandas' in sys.modules)\n"
        "    print(gc.collect() >= 1)\n"
        "    return 0"
    )
    done = _entry(body, tmp_path)
    assert done.returncode == 0, done.stderr
    enabled, frozen, pandas = done.stdout.split("\n")[0].split()
    assert enabled == "True" and pandas == "True"
    assert int(frozen) > 100_000  # pandas, numpy and pyarrow's objects
    assert done.stdout.split("\n")[1] == "True"
