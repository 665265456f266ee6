"""How long a new Python process takes to import wfkit, beside importing pandas alone.

    python benchmarks/importtime.py [--rounds 21]

Each case is a whole process (``python -c ...``, interpreter start included), timed from the
parent; the cases run in turn within each round (interleaved), so a busy spell slows all of
them alike, and the figures are medians over the rounds, with each case's median over the
median of ``import pandas`` in the same round as the ratio held against the target.

Cases:

``python``                  ``python -c pass``: the interpreter alone
``import pandas``           the floor any pandas-based toolkit pays
``import wfkit``            what a notebook's first line pays (target: at most 1.15x pandas)
``from wfkit import run_scenario``  the model's front door, pandas included
``wfkit --version``         the command line's start (the console script)

The first round is a warm-up (discarded).  wfkit's source is byte-compiled first (as
``make bytecode`` does), so no case pays for compiling.  Which modules each case loads is
in ``python -X importtime -c 'import wfkit'``; ``tests/unit/test_import_light.py`` checks
that ``import wfkit`` loads no charts, widgets, Jupyter, papermill or Dask.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.15
PY = sys.executable
WFKIT = shutil.which("wfkit", path=str(Path(PY).parent)) or "wfkit"
CASES: dict[str, list[str]] = {
    "python": [PY, "-c", "pass"],
    "import pandas": [PY, "-c", "import pandas"],
    "import wfkit": [PY, "-c", "import wfkit"],
    "from wfkit import run_scenario": [PY, "-c", "from wfkit import run_scenario"],
    "wfkit --version": [WFKIT, "--version"],
}


def lap(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--rounds", type=int, default=21, help="timed rounds after a warm-up")
    ap.add_argument(
        "--json", type=Path, default=Path(__file__).parent / "results" / "importtime.json"
    )
    args = ap.parse_args(argv)
    compileall.compile_dir(ROOT / "wfkit", quiet=1)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    times: dict[str, list[float]] = {c: [] for c in CASES}
    for r in range(args.rounds + 1):
        for case, cmd in CASES.items():
            t = lap(cmd)
            if r:
                times[case].append(t)
    pandas = times["import pandas"]
    med = {c: statistics.median(t) for c, t in times.items()}
    ratio = {
        c: statistics.median(x / p for x, p in zip(t, pandas, strict=True))
        for c, t in times.items()
    }
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    out = {
        "python": sys.version.split()[0],
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        "load_average_1min_at_end": load,
        "rounds": args.rounds,
        "median_s": {c: round(t, 4) for c, t in med.items()},
        "median_x_pandas_in_round": {c: round(x, 3) for c, x in ratio.items()},
        "target_import_wfkit_x_pandas": TARGET,
    }
    print(f"whole processes, median of {args.rounds} interleaved rounds (load {load})")
    for c in CASES:
        print(f"  {c:32s} {med[c]:6.3f} s   {ratio[c]:5.2f}x import pandas")
    met = ratio["import wfkit"] <= TARGET
    print(f"import wfkit at most {TARGET}x import pandas: {'met' if met else 'MISSED'}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=2) + "\n")
    return out


if __name__ == "__main__":
    main()
