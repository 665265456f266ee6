"""Report speed (issue 20): one report beside a bare papermill run, and a batch on 1 and 2
workers: ``python benchmarks/reports.py [rounds] [areas]``.

Targets: one report at most 2x a bare papermill run of a pandas + altair notebook; a batch
of 50 network reports on 2 workers at least 1.6x faster than on 1.

Reported: the bare notebook's best time; the getting-started notebook alone under
papermill (what a report's kernel runs, charts drawn as SVG); one whole report (``wfkit
report all``: notebook, the seeded run beside it, report.html, report.pdf, results.xlsx,
CSVs) with and without the PDF; and a batch of ``areas`` networks (North Central London's,
then the rest of London's) with no PDF on 1 and 2 local workers.

The same comparison is also made as a user makes it, in new processes: ``papermill
bare.ipynb out.ipynb`` against ``wfkit report all ...`` (imports and the kernel's start
included), in the same rounds; its ratios are to the bare ``papermill`` process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill as pm

from wfkit.report import batch, make, notebook_run

AREA = "U06180"


def _bare(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import altair as alt\nimport pandas as pd")]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)


def _timed(fn, *args, **kwargs) -> float:
    t0 = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - t0


def _papermill(nb: Path, out: Path, **params) -> None:
    pm.execute_notebook(
        str(nb),
        str(out),
        kernel_name="python3",
        cwd=str(out.parent),
        progress_bar=False,
        execution_timeout=300,
        parameters=params,
    )


def _process(*args: str) -> None:
    """Run ``python args...`` as a new process (the user's command line)."""
    subprocess.run([sys.executable, *args], check=True, capture_output=True)


REPORT = "import sys; from wfkit.cli import main; sys.exit(main(sys.argv[1:]))"


def main(rounds: int = 3, areas: int = 6) -> None:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        os.environ["WFKIT_OUTPUT_ROOT"] = str(tmp / "outputs")
        _bare(tmp / "bare.ipynb")
        nb = notebook_run.notebook_path("all")
        times: dict[str, list[float]] = {}

        def add(name: str, seconds: float) -> None:
            times.setdefault(name, []).append(seconds)

        for r in range(rounds):
            run = tmp / f"r{r}"
            run.mkdir()
            add(
                "bare papermill (pandas + altair)",
                _timed(_papermill, tmp / "bare.ipynb", run / "b.ipynb"),
            )
            add(
                "00-getting-started under papermill",
                _timed(_papermill, nb, run / "nb.ipynb", area=AREA, output_dir=str(run / "nb-out")),
            )
            add("wfkit report all (with PDF)", _timed(make.make_report, "all", AREA, run / "rep"))
            add(
                "wfkit report all (no PDF)",
                _timed(make.make_report, "all", AREA, run / "rep2", pdf=False),
            )
            bare_nb, out = str(tmp / "bare.ipynb"), str(run / "p.ipynb")
            add("process: papermill bare.ipynb", _timed(_process, "-m", "papermill", bare_nb, out))
            cmd = ("-c", REPORT, "report", "all", "--area", AREA, "--out")
            add(
                "process: wfkit report (no PDF)",
                _timed(_process, *cmd, str(run / "c1"), "--no-pdf"),
            )
            add("process: wfkit report (with PDF)", _timed(_process, *cmd, str(run / "c2")))
        bare = min(times["bare papermill (pandas + altair)"])
        bare_process = min(times["process: papermill bare.ipynb"])
        for name, ts in times.items():
            of = bare_process if name.startswith("process:") else bare
            print(f"{name:<40} best {min(ts):6.2f} s  ({min(ts) / of:4.1f}x bare)", flush=True)
        # North Central London's networks first, then the rest of London's: a batch of 50
        # needs more networks than one ICB has (North Central London has 38)
        ncl = batch.select("icb:QMJ", "pcn")["area"]
        london = batch.select("region:Y56", "pcn")["area"]
        chosen = [*ncl, *(c for c in london if c not in set(ncl))][:areas]
        codes = ",".join(chosen)
        t1 = _timed(batch.run_batch, "all", codes, tmp / "b1", workers=1, pdf=False)
        t2 = _timed(batch.run_batch, "all", codes, tmp / "b2", workers=2, pdf=False)
        n = len(chosen)  # what ran, not what was asked
        print(f"batch of {n} networks, 1 worker  {t1:7.1f} s")
        print(f"batch of {n} networks, 2 workers {t2:7.1f} s  ({t1 / t2:.2f}x faster)")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(*args)
