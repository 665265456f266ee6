"""Notebook wall times under papermill beside a bare notebook (imports pandas and altair
only), measured in the same run: ``python benchmarks/notebooks.py [rounds]``.

Target (issue 5): each notebook at most 1.5x the bare notebook.

Each round runs the bare notebook and then every notebook, so a busy spell on the machine
slows both sides of a ratio alike.  Reported: each notebook's best time and its ratio to the
bare notebook's best, and the median over rounds of the ratio within a round (the steadier
figure on a shared machine, and the one held against the target).  The first round
starts from an empty wfkit cache (``WFKIT_CACHE_DIR`` in a temporary folder, see
:mod:`wfkit.cache`) and is reported on its own: it is what the first kernel on a new
machine pays.  Later rounds are what every later kernel pays.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill as pm

ROOT = Path(__file__).resolve().parents[1]
BARE = "bare (pandas + altair)"


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
        execution_timeout=120,
    )
    return time.perf_counter() - t0


def measure(rounds: int = 5) -> tuple[dict[str, float], dict[str, list[float]]]:
    """``(cold, warm)``: wall seconds by notebook in the first round (empty cache), and in
    each later round."""
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        os.environ["WFKIT_OUTPUT_ROOT"] = str(tmp / "outputs")
        os.environ["WFKIT_CACHE_DIR"] = str(tmp / "cache")
        bare = tmp / "bare.ipynb"
        _bare(bare)
        rows = [(BARE, bare)]
        rows += [(p.stem, p) for p in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))]
        cold: dict[str, float] = {}
        warm: dict[str, list[float]] = {name: [] for name, _ in rows}
        for r in range(rounds):
            for name, path in rows:
                t = _time(path, tmp)
                if r == 0:
                    cold[name] = t
                else:
                    warm[name].append(t)
            print(f"round {r + 1}/{rounds} done", file=sys.stderr, flush=True)
    return cold, warm


def main(rounds: int = 5) -> None:
    cold, warm = measure(max(rounds, 2))
    best = {name: min(ts) for name, ts in warm.items()}
    print(
        f"{'notebook':26s} {'cold s':>7s} {'x bare':>7s} {'best s':>7s} {'x bare':>7s}"
        f" {'median x bare':>14s}"
    )
    for name in cold:
        c, b = cold[name], best[name]
        paired = statistics.median(t / u for t, u in zip(warm[name], warm[BARE], strict=True))
        print(
            f"{name:26s} {c:7.2f} {c / cold[BARE]:7.2f} {b:7.2f} {b / best[BARE]:7.2f}"
            f" {paired:14.2f}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
