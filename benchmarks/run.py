"""Engine speed at England scale, as ratios measured in one process.

    python benchmarks/run.py [--repeat 5]

Builds synthetic inputs of 6,500 areas x 11 years x 19 age bands x 40 activities x 15 roles
and times, in this one process:

(a) the deterministic engine run for every area (``wfkit.run_model``);
(b) 1,000 Monte Carlo draws for one 50,000-patient area;
(c) a hand-written numpy ``einsum`` floor (``optimize=True``) for the arithmetic of (a), with no labels,
    checks or uncertainty machinery;
(d) turning (a) into the tidy long DataFrame (reported, not part of the target).

Prints medians, the ratio (a)/(c), and the peak resident memory. Targets on a 2-core
machine: (a) < 1 s, (b) < 1 s, (a)/(c) <= 3.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

import wfkit
from wfkit.model.engine import run_model
from wfkit.synthetic import synthetic_inputs

SHAPE = {"n_areas": 6500, "n_years": 11, "n_activities": 40, "n_roles": 15}


def timed(fn, repeat: int) -> tuple[float, object]:
    """Median wall time of ``repeat`` calls (after one warm-up) and the last result."""
    out = fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def einsum_floor(inp) -> np.ndarray:
    """The same arithmetic as the deterministic engine run, hand-written with einsum."""
    n = (inp.years - inp.years[0]).astype(float)
    rate = float(inp.growth_rate.value)
    pop = np.einsum("ag,t->atg", inp.population, (1 + rate) ** n, optimize=True)
    w = inp.prevalence.value[0] * inp.contacts.value  # (K, G)
    demand = np.einsum("atg,kg->atk", pop, w, optimize=True)
    m = inp.shares() * inp.minutes.value[None] / 60.0  # (T, K, R)
    hours = np.einsum("atk,tkr->atr", demand, m, optimize=True)
    c = {k: p.value for k, p in inp.capacity.items()}
    absence = (
        c["annual_leave_days"]
        + c["bank_holiday_days"]
        + c["sickness_days"]
        + c["training_days"]
        + c["other_days"]
    )
    awt = (
        c["weeks_per_year"] * c["hours_per_week"]
        - absence * c["hours_per_week"] / c["days_per_week"]
    )
    req = hours / awt * (1 / (1 - c["cas_fraction"])) + np.where(
        hours > 0, c["ias_hours"] / awt, 0.0
    )
    net = 1 + inp.joiner_rate.value - inp.leaver_rate.value
    supply = np.einsum("ar,tr->atr", inp.supply, net[None] ** n[:, None], optimize=True)
    cost = req * (inp.salary.value * (1 + inp.oncost_rate.value))
    return np.stack([req, supply, cost])


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--repeat", type=int, default=5, help="timed repeats per case (median reported)"
    )
    ap.add_argument("--json", type=Path, default=Path(__file__).parent / "results" / "engine.json")
    args = ap.parse_args(argv)

    national = synthetic_inputs(**SHAPE, seed=1)
    one_area = synthetic_inputs(1, 11, 40, 15, list_size=50_000, uncertain=True, seed=2)
    t_a, res = timed(lambda: run_model(national), args.repeat)
    t_b, _ = timed(lambda: run_model(one_area, draws=1000, seed=3), args.repeat)
    t_c, floor = timed(lambda: einsum_floor(national), args.repeat)
    t_d, frame = timed(lambda: res.to_frame(), max(1, args.repeat // 2))
    # the floor computes the same numbers
    np.testing.assert_allclose(floor[0], res.required_fte[0], rtol=1e-9)
    np.testing.assert_allclose(floor[1], res.supply_fte[0], rtol=1e-9)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {
        "wfkit": wfkit.__version__,
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        "shape": SHAPE | {"n_bands": 19},
        "a_deterministic_s": round(t_a, 4),
        "b_1000_draws_one_area_s": round(t_b, 4),
        "c_einsum_floor_s": round(t_c, 4),
        "a_over_c": round(t_a / t_c, 2),
        "d_tidy_frame_s": round(t_d, 3),
        "tidy_rows": len(frame),
        "peak_rss_mb": round(peak_mb),
    }
    print(f"shape: {out['shape']}")
    print(f"(a) deterministic run, all areas   {t_a:8.3f} s   target < 1 s")
    print(f"(b) 1,000 draws, one 50k area       {t_b:8.3f} s   target < 1 s")
    print(f"(c) hand-written einsum floor       {t_c:8.3f} s")
    print(f"    ratio (a)/(c)                   {t_a / t_c:8.2f}     target <= 3")
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
