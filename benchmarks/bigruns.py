"""Runs of any size through plain ``wfkit run`` (issue 20): time and peak memory.

Each case writes a scenario file (the default scenario on the bundled data, its three
variants, 2025-2035) and runs ``wfkit run FILE --out DIR`` with no other flag (unless
``--workers`` is given) in a fresh process, as a user would.  The peak memory is the
largest sum of the resident memory of the ``wfkit`` process and its worker processes,
sampled every 0.1 s (``psutil``; ``resource.getrusage`` would give only the largest single
process), so it is what the machine has to hold at once.  ``cpu_s`` is the processor time of
the process and its workers (``getrusage``), which a shared machine's load changes far less
than the wall time.

    .venv/bin/python -m benchmarks.bigruns networks --areas 200 --draws 1000
    .venv/bin/python -m benchmarks.bigruns networks --areas 200 --draws 1000 --workers 1
    .venv/bin/python -m benchmarks.bigruns networks --draws 1000            # all 1,340
    .venv/bin/python -m benchmarks.bigruns practices --format parquet      # every practice

``--areas N`` takes the first N networks or practices by code (default all).  One JSON line
per case on stdout; benchmarks/README.md records them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml


def _scenario(level: str, areas: int | None, draws: int) -> dict[str, Any]:
    from wfkit import data
    from wfkit.scenario import load_scenario

    cfg = load_scenario("default").to_mapping()
    cfg["level"] = level
    if areas:
        codes = sorted(data.select_areas(level=level)["area"])[:areas]
        cfg["areas"] = {"codes": codes}
    else:
        cfg["areas"] = "all"
    cfg["draws"] = draws
    return cfg


def _tree_rss(proc: Any, children: bool = True) -> int:
    """Resident bytes of ``proc`` and every process below it (only ``proc``'s without children)."""
    import psutil

    total = 0
    try:
        for p in [proc, *(proc.children(recursive=True) if children else [])]:
            try:
                total += p.memory_info().rss
            except psutil.NoSuchProcess:
                continue
    except psutil.NoSuchProcess:
        pass
    return total


def run_case(
    level: str,
    areas: int | None,
    draws: int,
    fmt: str,
    workers: int | None,
    timeline: Path | None = None,
) -> dict[str, Any]:
    """Run ``wfkit run`` on the case's scenario; return its wall time, peak memory and outputs."""
    import psutil

    tmp = Path(tempfile.mkdtemp(prefix="wfkit-bigruns-"))
    try:
        path = tmp / "scenario.yaml"
        path.write_text(yaml.safe_dump(_scenario(level, areas, draws)), encoding="utf-8")
        out = tmp / "out"
        wfkit = Path(sys.executable).with_name("wfkit")
        cmd = [str(wfkit), "run", str(path), "--out", str(out)]
        if fmt != "csv":
            cmd += ["--format", fmt]
        if workers is not None:
            cmd += ["--workers", str(workers)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ)
        )
        ps = psutil.Process(proc.pid)
        peak = 0
        samples: list[tuple[float, int, int]] = []
        while proc.poll() is None:
            rss = _tree_rss(ps)
            peak = max(peak, rss)
            if timeline is not None:
                samples.append((time.perf_counter() - t0, rss, _tree_rss(ps, children=False)))
            time.sleep(0.1)
        wall = time.perf_counter() - t0
        stdout, stderr = proc.communicate()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the process and its workers
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        if proc.returncode:
            raise SystemExit(f"wfkit run failed ({proc.returncode}): {stderr.strip()[-2000:]}")
        log = (out / "run.log").read_text(encoding="utf-8")
        ext = "parquet" if fmt == "parquet" else "csv"
        res = {
            "case": f"{level}_{fmt}",
            "areas": areas or "all",
            "draws": draws,
            "workers": workers or "default",
            "wall_s": round(wall, 1),
            "cpu_s": round(cpu, 1),
            "load_1min_at_end": round(os.getloadavg()[0], 1),
            "peak_tree_rss_gib": round(peak / 2**30, 2),
            "results_mb": round((out / f"results.{ext}").stat().st_size / 1e6, 1),
            "chunks": [ln for ln in log.splitlines() if "chunk" in ln][:2],
            "model_time": [ln for ln in log.splitlines() if ln.startswith("model time")],
            "printed_lines": len(stdout.splitlines()),
            "longest_line": max((len(x) for x in stdout.splitlines()), default=0),
        }
        if timeline is not None:  # when the peak comes: seconds, whole tree and main process
            timeline.write_text(
                "seconds,tree_gib,main_gib\n"
                + "".join(f"{t:.1f},{a / 2**30:.3f},{b / 2**30:.3f}\n" for t, a, b in samples),
                encoding="utf-8",
            )
        print(json.dumps(res), flush=True)
        return res
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Run one case (see the module docstring)."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("what", choices=["networks", "practices"])
    ap.add_argument("--areas", type=int, default=None, help="first N areas (default all)")
    ap.add_argument("--draws", type=int, default=None, help="default 1000 networks, 200 practices")
    ap.add_argument("--format", choices=["csv", "parquet"], default="csv")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--timeline", type=Path, default=None, help="CSV of memory every 0.1 s")
    a = ap.parse_args(argv)
    level = "pcn" if a.what == "networks" else "practice"
    draws = a.draws if a.draws is not None else (1000 if a.what == "networks" else 200)
    run_case(level, a.areas, draws, a.format, a.workers, a.timeline)
    return 0


if __name__ == "__main__":
    sys.exit(main())
