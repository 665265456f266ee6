"""Execute the committed notebooks in place, from a clean kernel, with their default
parameters: ``python -m tests.notebooks.execute [notebooks/NN-name.ipynb ...]``.

Run it on purpose when a notebook or the model changes, then review the diff of the
outputs before committing (nbval compares them in ``make test``).  The kernel starts in
``notebooks/`` (as nbval's does); results go to a temporary folder (``WFKIT_OUTPUT_ROOT``),
not into the tree.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
TIMEOUT = 600


def execute(path: Path, output_root: str) -> float:
    """Execute one notebook in place; return the wall time in seconds."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
    os.environ["WFKIT_OUTPUT_ROOT"] = output_root
    t0 = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    # widget state would embed the Vega scripts of every offline chart (megabytes);
    # chart and widget views are not compared by nbval, so they are not kept
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    return time.perf_counter() - t0


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))
    with tempfile.TemporaryDirectory(prefix="wfkit-nb-") as out:
        for p in paths:
            print(f"{p.relative_to(ROOT)}: {execute(p, out):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
