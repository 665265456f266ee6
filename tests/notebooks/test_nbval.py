"""nbval on the committed notebooks, in a subprocess so `make test` needs no extra flags."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_committed_notebooks_reproduce(tmp_path):
    env = {**os.environ, "WFKIT_OUTPUT_ROOT": str(tmp_path), "PYTHONWARNINGS": "ignore"}
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "--nbval",
        "--nbval-current-env",
        "-p",
        "tests.notebooks.nbval_plugin",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        "-o",
        "testpaths=",
        "-q",
        "-n",
        "0",
        "--rootdir",
        str(ROOT / "notebooks"),
        str(ROOT / "notebooks"),
    ]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
