"""Notebook wall times under papermill beside a bare notebook (imports pandas and altair
only), measured in the same run: ``python benchmarks/notebooks.py [repeats]``.

Target (issue 5): each notebook at most 1.5x the bare notebook.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill as pm

ROOT = Path(__file__).resolve().parents[1]


def _bare(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import altair as alt\nimport pandas as pd")]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)


def _time(nb: Path, tmp: Path) -> float:
    t0 = time.perf_counter()
    pm.execute_notebook(
        str(nb),
        str(tmp / "out.ipynb"),
        kernel_name="python3",
        cwd=str(tmp),
        progress_bar=False,
        execution_timeout=600,
    )
    return time.perf_counter() - t0


def main(repeats: int = 3) -> None:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        os.environ["WFKIT_OUTPUT_ROOT"] = str(tmp)
        bare = tmp / "bare.ipynb"
        _bare(bare)
        rows = [("bare (pandas + altair)", bare)]
        rows += [(p.stem, p) for p in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))]
        times = {name: min(_time(p, tmp) for _ in range(repeats)) for name, p in rows}
    base = times["bare (pandas + altair)"]
    print(f"{'notebook':28s} {'wall s':>8s} {'x bare':>7s}")
    for name, t in times.items():
        print(f"{name:28s} {t:8.2f} {t / base:7.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
