"""PACE-HRH's demo-sized work, through wfkit, side by side with PACE-HRH's figure (issue 13).

    python benchmarks/pace.py [--rounds 7] [--profile]

PACE-HRH (the Population-Aware Capacity Estimator for Human Resources for Health) ships a
demo of one area of 5,000 people, 4 scenarios with 14, 22, 14 and 14 activities, 3 roles,
21 years and 100 draws; the issue quotes 18-21 s for it in PACE-HRH. PACE-HRH cannot run
here, so that range is the peer's figure and this script times the same-sized work in wfkit:

real path
    ``wfkit.run_scenario`` on a scenario mapping over the bundled data: one real practice of
    5,000 patients (P92020), a baseline and three variants choosing 14 / 22 / 14 / 14 bundled
    activities via ``activities:``, base year 2025 and horizon 20 (21 years), 100 draws,
    national calibration (the default on bundled data), then ``wfkit.scenario.write_outputs``
    into a new temporary folder (results.csv, demand.csv, summary.json, run.log). The
    scenario format cannot restrict roles (roles come from the capacity table), so the real
    path models all 20 bundled roles, not 3: more work than PACE-HRH's demo, not less.
synthetic
    ``tests.synthetic.synthetic_inputs`` of the same shape (1 area, 21 years, 14 / 22 / 14 /
    14 activities, 3 roles, 100 draws) through ``wfkit.run_model``, four runs; and, reported
    beside it, the same with each run's tidy frame (``ModelResult.to_frame``).

Each round runs the real path and then the synthetic one, so a busy spell slows both; the
first round (a new process: imports done, the on-disk cache as it is) is reported apart and
the medians are over the later rounds. Prints each median and PACE-HRH's time over it, at
the midpoint (19.5 s) and at both ends of the range. Target: at least 30x on the real path
(at most 19.5 / 30 = 0.65 s). ``--profile`` also prints where one real-path run spends its
time (cProfile, cumulative).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

# the tests' synthetic inputs from the checkout (python benchmarks/pace.py puts only this
# folder on sys.path)
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import wfkit
from tests.synthetic import synthetic_inputs
from wfkit import data as wd
from wfkit.model.engine import run_model
from wfkit.scenario import run_scenario, write_outputs
from wfkit.tables import INPUT_TABLES

PACE_S = (18.0, 21.0)  # PACE-HRH's demo, as quoted in issue 13
PACE_MID = sum(PACE_S) / 2
TARGET_X = 30
PRACTICE = "P92020"  # 5,000 registered patients (December 2025)
COUNTS = (14, 22, 14, 14)  # activities in the baseline and the three variants
DRAWS, HORIZON, BASE_YEAR = 100, 20, 2025


def scenario() -> dict:
    """The PACE-sized scenario on the bundled data: one practice, four activity sets."""
    acts = list(wd.load("activities")["activity"])
    sets = [acts[:14], acts[:22], acts[14:28], acts[24:38]]
    assert [len(s) for s in sets] == list(COUNTS)
    return {
        "name": "PACE-HRH demo size",
        "base_year": BASE_YEAR,
        "horizon": HORIZON,
        "draws": DRAWS,
        "seed": 13,
        "level": "practice",
        "areas": {"codes": [PRACTICE]},
        "activities": sets[0],
        "inputs": {t: "bundled" for t in INPUT_TABLES},
        "skill_mix": {"model": "current"},
        "variants": [
            {
                "name": f"set{i}",
                "activities": s,
                "skill_mix": {"model": "future", "transition_start": 2026, "transition_years": 5},
            }
            for i, s in enumerate(sets[1:], start=1)
        ],
    }


SPLIT: list[tuple[float, float]] = []  # (run_scenario, write_outputs) seconds, each real run


def real_path(sc: dict, out_root: Path, i: int):
    t0 = time.perf_counter()
    run = run_scenario(sc)
    t1 = time.perf_counter()
    write_outputs(run, out_root / f"out{i}")
    SPLIT.append((t1 - t0, time.perf_counter() - t1))
    return run


SYNTH = [synthetic_inputs(1, 21, k, 3, list_size=5000, uncertain=True, seed=k) for k in COUNTS]


def synthetic(frames: bool = False) -> None:
    for j, inp in enumerate(SYNTH):
        res = run_model(inp, draws=DRAWS, seed=j)
        if frames:
            res.to_frame()


def lap(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def profile(sc: dict, out_root: Path, top: int) -> str:
    pr = cProfile.Profile()
    pr.enable()
    real_path(sc, out_root, 999)
    pr.disable()
    buf = io.StringIO()
    pstats.Stats(pr, stream=buf).sort_stats("cumulative").print_stats(top)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--rounds", type=int, default=7, help="timed rounds after the first")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of one real run")
    ap.add_argument("--top", type=int, default=45, help="profile lines to print")
    ap.add_argument("--json", type=Path, default=Path(__file__).parent / "results" / "pace.json")
    args = ap.parse_args(argv)
    sc = scenario()
    with tempfile.TemporaryDirectory(prefix="wfkit-pace-") as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        run = real_path(sc, root, 0)  # first round, reported apart
        first_real = time.perf_counter() - t0
        shape = {
            name: {
                "areas": len(inp.areas),
                "years": len(inp.years),
                "activities": len(inp.activities),
                "roles": len(inp.roles),
            }
            for name, inp in run.inputs.items()
        }
        written = sorted(p.name for p in (root / "out0").iterdir())
        real, synth, synth_frames = [], [], []
        SPLIT.clear()
        first_synth = lap(synthetic)
        for i in range(1, args.rounds + 1):
            real.append(lap(lambda i=i: real_path(sc, root, i)))
            synth.append(lap(synthetic))
            synth_frames.append(lap(lambda: synthetic(frames=True)))
        split = [statistics.median(x) for x in zip(*SPLIT, strict=True)]
        prof = profile(sc, root, args.top) if args.profile else ""
    t_real, t_syn, t_synf = (statistics.median(x) for x in (real, synth, synth_frames))
    out = {
        "wfkit": wfkit.__version__,
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        "rounds": args.rounds,
        "practice": PRACTICE,
        "shape": shape,
        "files_written": written,
        "real_path_s": round(t_real, 4),
        "real_path_rounds_s": [round(x, 4) for x in real],
        "real_run_scenario_s": round(split[0], 4),
        "real_write_outputs_s": round(split[1], 4),
        "synthetic_run_model_s": round(t_syn, 4),
        "synthetic_with_frames_s": round(t_synf, 4),
        "real_path_first_s": round(first_real, 4),
        "synthetic_first_s": round(first_synth, 4),
        "pace_hrh_s": list(PACE_S),
        "x_real": [round(p / t_real, 1) for p in (PACE_MID, *PACE_S)],
        "x_synthetic": [round(p / t_syn, 1) for p in (PACE_MID, *PACE_S)],
        "x_synthetic_with_frames": [round(p / t_synf, 1) for p in (PACE_MID, *PACE_S)],
    }

    def x(t: float) -> str:
        return f"{PACE_MID / t:6.1f}x (range {PACE_S[0] / t:.1f}-{PACE_S[1] / t:.1f}x)"

    print(f"PACE-HRH demo size: {shape}")
    print(f"files written: {written}")
    print(f"medians of {args.rounds} interleaved rounds; PACE-HRH {PACE_S[0]:g}-{PACE_S[1]:g} s")
    print(f"real path (bundled data, files)   {t_real:7.3f} s   {x(t_real)}   target >= 30x")
    print(f"  of which run_scenario {split[0]:.3f} s, write_outputs {split[1]:.3f} s (medians)")
    print(f"synthetic, run_model              {t_syn:7.3f} s   {x(t_syn)}")
    print(f"synthetic, run_model + to_frame   {t_synf:7.3f} s   {x(t_synf)}")
    print(f"real path rounds: {', '.join(f'{t:.3f}' for t in real)}")
    print(f"first round (new process): real {first_real:.3f} s, synthetic {first_synth:.3f} s")
    print(f"machine: {out['machine']}; python {out['python']}, numpy {out['numpy']}")
    if prof:
        print(prof)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=2) + "\n")
    return out


if __name__ == "__main__":
    main()
