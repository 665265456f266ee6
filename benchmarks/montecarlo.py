"""Monte Carlo at national scale (issue 13): chunked runs and Dask.

Measures, on the bundled data (``level: pcn``, the default scenario's variants):

1. ``national``: 1,000 draws for every network in England in chunks, in a fresh
   subprocess: wall time (run and tidy frame) and peak RSS (``resource.getrusage``).
2. ``dask``: the same kind of run as tasks on a ``LocalCluster`` of 1 and of 2 worker
   processes (one thread and one BLAS thread each), medians of ``--rounds`` rounds, the
   ratio, and a check that both give the local run's tidy frame.

    .venv/bin/python -m benchmarks.montecarlo                 # both
    .venv/bin/python -m benchmarks.montecarlo national --draws 1000
    .venv/bin/python -m benchmarks.montecarlo dask --areas 200 --draws 1000 --rounds 2

``--areas N`` takes the first N networks (by code; default all).  Figures go to stdout as
JSON lines; benchmarks/README.md records them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from typing import Any


def _config(areas: int | None, draws: int) -> dict[str, Any]:
    from wfkit import data
    from wfkit.scenario import load_scenario

    cfg = load_scenario("default").to_mapping()
    cfg["level"] = "pcn"
    if areas:
        codes = sorted(data.select_areas(level="pcn")["area"])[:areas]
        cfg["areas"] = {"codes": codes}
    else:
        cfg["areas"] = "all"
    cfg["draws"] = draws
    return cfg


def _child(areas: int | None, draws: int, chunk: int | None) -> None:
    """Runs in the subprocess: one chunked run, its frame and summary; prints JSON."""
    import resource

    import wfkit

    cfg = _config(areas, draws)
    t0 = time.perf_counter()
    run = wfkit.run_scenario(cfg, chunk_areas=chunk or 0)
    t_run = time.perf_counter() - t0
    df = run.to_frame()
    run.summary()
    t_all = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(
        json.dumps(
            {
                "case": "national_chunked",
                "areas": len(run.results["baseline"].areas),
                "draws": draws,
                "chunk_areas": run.chunk_areas,
                "chunks": run.n_chunks,
                "run_s": round(t_run, 2),
                "run_frame_summary_s": round(t_all, 2),
                "rows": len(df),
                "peak_rss_gib": round(rss / 2**30, 3),
            }
        )
    )


def national(areas: int | None, draws: int, chunk: int | None) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.montecarlo", "_child", "--draws", str(draws)]
    if areas:
        cmd += ["--areas", str(areas)]
    if chunk:
        cmd += ["--chunk-areas", str(chunk)]
    t0 = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    res = json.loads(out.strip().splitlines()[-1])
    res["process_s"] = round(time.perf_counter() - t0, 2)
    print(json.dumps(res), flush=True)
    return res


def dask(areas: int | None, draws: int, chunk: int | None, rounds: int) -> dict[str, Any]:
    import pandas as pd
    from distributed import Client

    import wfkit
    from wfkit.scenario.chunked import local_cluster

    cfg = _config(areas, draws)
    ref = wfkit.run_scenario(cfg, chunk_areas=chunk).to_frame()
    times: dict[int, list[float]] = {}
    for workers in (1, 2):
        with local_cluster(n_workers=workers) as cluster, Client(cluster) as client:
            client.run(lambda: None)  # workers up before timing
            times[workers] = []
            for _ in range(rounds):
                t0 = time.perf_counter()
                run = wfkit.run_scenario(cfg, chunk_areas=chunk, scheduler=client)
                times[workers].append(time.perf_counter() - t0)
                pd.testing.assert_frame_equal(run.to_frame(), ref, check_exact=True)
    med = {w: statistics.median(t) for w, t in times.items()}
    res = {
        "case": "dask_local_cluster",
        "areas": len(ref["area"].cat.categories),
        "draws": draws,
        "chunk_areas": chunk,
        "rounds": rounds,
        "workers_1_s": round(med[1], 2),
        "workers_2_s": round(med[2], 2),
        "speedup": round(med[1] / med[2], 2),
        "frames_equal_local": True,
        "all_s": {str(w): [round(x, 2) for x in t] for w, t in times.items()},
    }
    print(json.dumps(res), flush=True)
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", nargs="?", default="all", choices=["all", "national", "dask", "_child"])
    ap.add_argument("--areas", type=int, default=None, help="first N networks (default all)")
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--chunk-areas", type=int, default=None)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument(
        "--dask-areas", type=int, default=200, help="networks for the Dask comparison (0 = all)"
    )
    a = ap.parse_args(argv)
    if a.what == "_child":
        _child(a.areas, a.draws, a.chunk_areas)
        return 0
    if a.what in ("all", "national"):
        national(a.areas, a.draws, a.chunk_areas)
    if a.what in ("all", "dask"):
        areas = a.areas if a.what == "dask" else (a.dask_areas or None)
        dask(areas, a.draws, a.chunk_areas or 20, a.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
