"""Engine speed at England scale, as ratios measured in one process.

    python benchmarks/run.py [--repeat 5]

Builds synthetic inputs of 6,500 areas x 11 years x 19 age bands x 40 activities x 15 roles
and times, in this one process:

(a) the deterministic engine run for every area (``wfkit.run_model``);
(b) 1,000 Monte Carlo draws for one 50,000-patient area;
(c) a tight hand-written floor for (a) (``benchmarks/floor.py``): prevalence, contacts,
    shares, minutes and growth folded into one (G, T*R) matrix, so workload is one matrix
    product ``population (A, G) @ matrix`` (and demand another); it returns every array the
    engine returns, and the benchmark checks each equals the engine's;
(d) turning (a) into the tidy long DataFrame (reported, not part of the target).

(a) and (c) run on the same BLAS threads: two here (the engine's own default of one BLAS
thread, ``WFKIT_BLAS_THREADS``, is lifted for this comparison, or the engine on one thread
would be held against a floor on two), then one, in a child process
(``OPENBLAS_NUM_THREADS=1``, the engine at its default): two BLAS threads on two busy cores
can thrash.

Prints medians, the ratio (a)/(c) for both thread settings, and the peak resident memory.
Targets on a 2-core machine: (a) < 1 s, (b) < 1 s, (a)/(c) <= 2.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

# floor.py from this folder; the tests' synthetic inputs from the checkout
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))

from floor import assert_same, floor_model

import wfkit
from tests.synthetic import synthetic_inputs
from wfkit.model.engine import run_model

SHAPE = {"n_areas": 6500, "n_years": 11, "n_activities": 40, "n_roles": 15}
ONE_THREAD = {k: "1" for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}


def timed(fn, repeat: int) -> tuple[float, object]:
    """Median wall time of ``repeat`` calls (after one warm-up) and the last result."""
    out = fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def engine_and_floor(national, repeat: int) -> tuple[float, float, object]:
    """(a) and (c), interleaved round by round so a busy spell slows both alike; checks
    that every array of the floor equals the engine's."""
    res, floor = run_model(national), floor_model(national)
    assert_same(floor, res)
    ta, tc = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = run_model(national)
        ta.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        floor_model(national)
        tc.append(time.perf_counter() - t0)
    return statistics.median(ta), statistics.median(tc), res


def one_thread(repeat: int) -> dict:
    """(a) and (c) in a child process with one BLAS thread."""
    env = {**os.environ, **ONE_THREAD}
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--repeat", str(repeat)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--repeat", type=int, default=5, help="timed repeats per case (median reported)"
    )
    ap.add_argument("--json", type=Path, default=Path(__file__).parent / "results" / "engine.json")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    national = synthetic_inputs(**SHAPE, seed=1)
    if args.child:  # (a) and (c) only, as JSON on stdout
        t_a, t_c, _ = engine_and_floor(national, args.repeat)
        print(json.dumps({"a": t_a, "c": t_c}))
        return {}
    one_area = synthetic_inputs(1, 11, 40, 15, list_size=50_000, uncertain=True, seed=2)
    default = os.environ.get("WFKIT_BLAS_THREADS")
    os.environ["WFKIT_BLAS_THREADS"] = "0"  # the engine on BLAS's own threads, as the floor
    try:
        t_a, t_c, res = engine_and_floor(national, args.repeat)
    finally:  # (b) and the child at wfkit's default
        if default is None:
            del os.environ["WFKIT_BLAS_THREADS"]
        else:
            os.environ["WFKIT_BLAS_THREADS"] = default
    t_b, _ = timed(lambda: run_model(one_area, draws=1000, seed=3), args.repeat)
    t_d, frame = timed(lambda: res.to_frame(), max(1, args.repeat // 2))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    single = one_thread(args.repeat)
    out = {
        "wfkit": wfkit.__version__,
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        "shape": SHAPE | {"n_bands": 19},
        "a_deterministic_s": round(t_a, 4),
        "b_1000_draws_one_area_s": round(t_b, 4),
        "c_floor_s": round(t_c, 4),
        "a_over_c": round(t_a / t_c, 2),
        "a_one_blas_thread_s": round(single["a"], 4),
        "c_one_blas_thread_s": round(single["c"], 4),
        "a_over_c_one_blas_thread": round(single["a"] / single["c"], 2),
        "d_tidy_frame_s": round(t_d, 3),
        "tidy_rows": len(frame),
        "peak_rss_mb": round(peak_mb),
    }
    print(f"shape: {out['shape']}")
    print(f"(a) deterministic run, all areas   {t_a:8.3f} s   target < 1 s")
    print(f"(b) 1,000 draws, one 50k area       {t_b:8.3f} s   target < 1 s")
    print(f"(c) hand-written floor (folded)     {t_c:8.3f} s   (every array equal to (a)'s)")
    print(f"    ratio (a)/(c)                   {t_a / t_c:8.2f}     target <= 2")
    print("one BLAS thread (child process):")
    print(f"(a) deterministic run, all areas   {single['a']:8.3f} s")
    print(f"(c) hand-written floor (folded)     {single['c']:8.3f} s")
    print(f"    ratio (a)/(c)                   {single['a'] / single['c']:8.2f}     target <= 2")
    print(
        f"(d) tidy DataFrame of (a)           {t_d:8.3f} s   ({len(frame):,} rows; reported only)"
    )
    print(f"peak resident memory                {peak_mb:8.0f} MB")
    print(f"machine: {out['machine']}; python {out['python']}, numpy {out['numpy']}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=2) + "\n")
    return out


if __name__ == "__main__":
    main()
