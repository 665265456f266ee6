"""PACE-HRH's demo-sized work through wfkit, side by side with PACE-HRH: like against like.

    python benchmarks/pace.py [--rounds 7] [--profile]

PACE-HRH (the Population-Aware Capacity Estimator for Human Resources for Health, R) ships a
demo of one area of 5,000 people, 4 scenarios with 14, 22, 14 and 14 tasks, 3 roles, 21 years
and 100 trials.  PACE-HRH cannot run here (its sources and its demo's input workbook are on
GitHub and its R packages on CRAN, neither reachable from this machine), so its side is the
figure reported in issue 18 (:data:`PACE_WHOLE_S`; how it was obtained:
``benchmarks/README.md``) and this script measures wfkit's side of the same-sized work:

whole process (held against PACE-HRH's whole-process time)
    ``wfkit run pace.yaml --out DIR`` in a new process, timed from this one: interpreter
    start, imports, the bundled tables (the on-disk cache as it is), every variant run,
    results written (results.csv, demand.csv, summary.json, run.log, the manifest).  The
    scenario: one real practice of 5,000 patients (P92020), a baseline and three variants
    choosing 14 / 22 / 14 / 14 bundled activities (``activities:``), base year 2025, horizon
    20 (21 years), 100 draws, national calibration (the default on bundled data).  The
    scenario format cannot restrict roles (they come from the capacity table), so wfkit
    models all 20 bundled roles, not 3: more work than PACE-HRH's demo, not less.
compute in a new process (held against PACE-HRH's compute inside its process, if given)
    a new Python process imports wfkit, then times ``run_scenario`` + ``write_outputs`` on
    the same file once: the first call, as PACE-HRH's demo runs once per process.  Imports
    are timed apart.
import pandas (the floor, reported to read the machine's load)
    ``python -c 'import pandas'`` in the same rounds: the whole process of ``wfkit run`` is
    also given as a multiple of it, which moves less with the load than seconds do.
warm repeat in this process (reported only: not like for like)
    the same call repeated inside one process after a first call (the figure this script
    reported before issue 18, set then against PACE-HRH's whole-process time).
synthetic
    ``tests.synthetic.synthetic_inputs`` of the same shape (1 area, 21 years, 14 / 22 / 14 /
    14 activities, 3 roles, 100 draws) through ``run_model``, four runs, without and with
    tidy frames.

Each round runs every case in turn, so a busy spell slows all of them; the first round (an
empty on-disk cache of the benchmark's own, ``WFKIT_CACHE_DIR`` in a temporary folder) is
reported apart and the medians are over the later rounds (the cache warm).
Target (issue 18): PACE-HRH's whole process over wfkit's whole process at least 30x.
``--profile`` also prints where one warm real-path run spends its time (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

# the tests' synthetic inputs from the checkout (python benchmarks/pace.py puts only this
# folder on sys.path)
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import wfkit
from tests.synthetic import synthetic_inputs
from wfkit import data as wd
from wfkit.model.engine import run_model
from wfkit.scenario import run_scenario, write_outputs
from wfkit.tables import INPUT_TABLES

#: PACE-HRH's whole demo run as a process (R start, package load, inputs read, 100 trials of
#: 4 scenarios, results), seconds: the range of medians reported in issue 18 (PACE-HRH built
#: from Debian's R on this machine, interleaved runs); not measured by this script
PACE_WHOLE_S = (15.9, 17.3)
TARGET_X = 30
PRACTICE = "P92020"  # 5,000 registered patients (December 2025)
COUNTS = (14, 22, 14, 14)  # activities in the baseline and the three variants
DRAWS, HORIZON, BASE_YEAR = 100, 20, 2025
WFKIT = shutil.which("wfkit", path=str(Path(sys.executable).parent)) or "wfkit"
# a new process: imports, then the real path once (as PACE-HRH's demo runs once a process)
CHILD = """
import json, sys, time
t0 = time.perf_counter()
from wfkit.scenario import run_scenario, write_outputs
t1 = time.perf_counter()
run = run_scenario(sys.argv[1])
t2 = time.perf_counter()
write_outputs(run, sys.argv[2])
t3 = time.perf_counter()
print(json.dumps({"imports_s": t1 - t0, "run_s": t2 - t1, "write_s": t3 - t2}))
"""


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


def whole_cli(path: Path, out: Path) -> float:
    """``wfkit run`` as a new process, timed from this one."""
    t0 = time.perf_counter()
    subprocess.run(
        [WFKIT, "run", str(path), "--out", str(out)], check=True, stdout=subprocess.DEVNULL
    )
    return time.perf_counter() - t0


def bare_pandas() -> float:
    """``python -c 'import pandas'``: the floor of any pandas tool's whole process, timed in
    the same rounds so the load on the machine can be read off."""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import pandas"], check=True)
    return time.perf_counter() - t0


def child(path: Path, out: Path) -> dict[str, float]:
    """A new process: its imports and its one real-path call timed inside it, and the whole
    process from this one."""
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    t = json.loads(done.stdout.splitlines()[-1])
    t["whole_s"] = time.perf_counter() - t0
    t["compute_s"] = t["run_s"] + t["write_s"]
    return t


SPLIT: list[tuple[float, float]] = []  # (run_scenario, write_outputs) seconds, each warm run


def real_path(sc: dict | Path, out_root: Path, i: int):
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


def profile(sc: dict | Path, out_root: Path, top: int) -> str:
    pr = cProfile.Profile()
    pr.enable()
    real_path(sc, out_root, 999)
    pr.disable()
    buf = io.StringIO()
    pstats.Stats(pr, stream=buf).sort_stats("cumulative").print_stats(top)
    return buf.getvalue()


def _pair(text: str) -> tuple[float, float]:
    lo, _, hi = text.partition(",")
    return float(lo), float(hi or lo)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--rounds", type=int, default=7, help="timed rounds after the first")
    ap.add_argument(
        "--pace-whole",
        type=_pair,
        default=PACE_WHOLE_S,
        metavar="LO,HI",
        help="PACE-HRH's whole demo process, seconds (default: issue 18's %(default)s)",
    )
    ap.add_argument(
        "--pace-compute",
        type=_pair,
        default=None,
        metavar="LO,HI",
        help="PACE-HRH's demo compute inside its process, seconds, if measured (no default)",
    )
    ap.add_argument("--profile", action="store_true", help="print a cProfile of one real run")
    ap.add_argument("--top", type=int, default=45, help="profile lines to print")
    ap.add_argument("--json", type=Path, default=Path(__file__).parent / "results" / "pace.json")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wfkit-pace-") as tmp:
        root = Path(tmp)
        # a cache of its own (the first round fills it): a shared one is pruned by other
        # checkouts' runs, which turns later rounds into misses at random
        os.environ["WFKIT_CACHE_DIR"] = str(root / "cache")
        sc = scenario()
        path = root / "pace.yaml"
        path.write_text(yaml.safe_dump(sc, sort_keys=False), encoding="utf-8")
        first = {
            "whole_cli_s": whole_cli(path, root / "cli0"),
            "child": child(path, root / "child0"),
        }
        t0 = time.perf_counter()
        run = real_path(path, root, 0)  # this process's first call: reported apart
        first["in_process_first_s"] = time.perf_counter() - t0
        first["synthetic_s"] = lap(synthetic)
        shape = {
            name: {
                "areas": len(inp.areas),
                "years": len(inp.years),
                "activities": len(inp.activities),
                "roles": len(inp.roles),
            }
            for name, inp in run.inputs.items()
        }
        written = sorted(p.name for p in (root / "cli0").iterdir())
        cli, kids, warm, synth, synth_frames, bare = [], [], [], [], [], []
        SPLIT.clear()
        for i in range(1, args.rounds + 1):
            bare.append(bare_pandas())
            cli.append(whole_cli(path, root / f"cli{i}"))
            kids.append(child(path, root / f"child{i}"))
            warm.append(lap(lambda i=i: real_path(path, root, i)))
            synth.append(lap(synthetic))
            synth_frames.append(lap(lambda: synthetic(frames=True)))
        split = [statistics.median(x) for x in zip(*SPLIT, strict=True)]
        prof = profile(path, root, args.top) if args.profile else ""

    def med(key: str) -> float:
        return statistics.median(k[key] for k in kids)

    t_cli, t_syn, t_synf, t_warm = (statistics.median(x) for x in (cli, synth, synth_frames, warm))
    t_child, t_imports, t_compute = med("whole_s"), med("imports_s"), med("compute_s")
    t_bare = statistics.median(bare)
    cli_x_bare = statistics.median(c / b for c, b in zip(cli, bare, strict=True))
    pw = args.pace_whole
    pc = args.pace_compute

    def xs(pace: tuple[float, float], t: float) -> list[float]:
        return [round(pace[0] / t, 1), round(pace[1] / t, 1)]

    out = {
        "wfkit": wfkit.__version__,
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        "load_average_1min_at_end": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "rounds": args.rounds,
        "practice": PRACTICE,
        "shape": shape,
        "files_written": written,
        "pace_hrh_whole_process_s": list(pw),
        "pace_hrh_compute_s": list(pc) if pc else None,
        "whole_process_wfkit_run_s": round(t_cli, 4),
        "whole_process_wfkit_run_rounds_s": [round(x, 4) for x in cli],
        "whole_process_python_child_s": round(t_child, 4),
        "import_pandas_process_s": round(t_bare, 4),
        "wfkit_run_x_import_pandas_in_round": round(cli_x_bare, 3),
        "child_imports_s": round(t_imports, 4),
        "child_compute_s": round(t_compute, 4),
        "child_run_scenario_s": round(med("run_s"), 4),
        "child_write_outputs_s": round(med("write_s"), 4),
        "warm_repeat_in_process_s": round(t_warm, 4),
        "warm_run_scenario_s": round(split[0], 4),
        "warm_write_outputs_s": round(split[1], 4),
        "synthetic_run_model_s": round(t_syn, 4),
        "synthetic_with_frames_s": round(t_synf, 4),
        "first_round": first,
        "x_whole_process": xs(pw, t_cli),
        "x_compute": xs(pc, t_compute) if pc else None,
        "target_x_whole_process": TARGET_X,
    }

    def x(pace: tuple[float, float], t: float) -> str:
        return f"{pace[0] / t:5.1f}-{pace[1] / t:.1f}x"

    print(f"PACE-HRH demo size: {shape}")
    print(f"files written: {written}")
    print(
        f"medians of {args.rounds} interleaved rounds (load at end {out['load_average_1min_at_end']})"
    )
    print(f"PACE-HRH whole process {pw[0]:g}-{pw[1]:g} s (issue 18; not measured here)")
    print(
        f"whole process, wfkit run           {t_cli:7.3f} s   {x(pw, t_cli)}   target >= {TARGET_X}x"
    )
    print(
        f"  {cli_x_bare:.2f}x the process 'python -c \"import pandas\"' ({t_bare:.3f} s) in the same rounds"
    )
    print(f"whole process, python -c child     {t_child:7.3f} s   {x(pw, t_child)}")
    print(
        f"  of which imports {t_imports:.3f} s, compute {t_compute:.3f} s (run_scenario "
        f"{med('run_s'):.3f} s, write_outputs {med('write_s'):.3f} s), inside the child"
    )
    if pc:
        print(
            f"compute in a new process           {t_compute:7.3f} s   {x(pc, t_compute)} "
            f"against PACE-HRH's compute {pc[0]:g}-{pc[1]:g} s"
        )
    else:
        print(
            f"compute in a new process           {t_compute:7.3f} s   (PACE-HRH's compute "
            "in its process not given: --pace-compute)"
        )
    print(
        f"warm repeat in this process        {t_warm:7.3f} s   (not like for like; "
        f"run_scenario {split[0]:.3f} s, write_outputs {split[1]:.3f} s)"
    )
    print(f"synthetic, run_model               {t_syn:7.3f} s")
    print(f"synthetic, run_model + to_frame    {t_synf:7.3f} s")
    print(f"wfkit run rounds: {', '.join(f'{t:.3f}' for t in cli)}")
    print(
        f"first round: wfkit run {first['whole_cli_s']:.3f} s, child compute "
        f"{first['child']['compute_s']:.3f} s, in this process {first['in_process_first_s']:.3f} s"
    )
    print(f"machine: {out['machine']}; python {out['python']}, numpy {out['numpy']}")
    if prof:
        print(prof)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=2) + "\n")
    return out


if __name__ == "__main__":
    main()
