"""Every practice in England on the path users wait for (issue 13), measured in one run.

    python benchmarks/path.py [--rounds 3] [--variants] [--skip-cli]

Scenario: wfkit/scenarios/default.yaml with ``level: practice``, ``areas: all``,
``draws: 0`` (no variants unless ``--variants``).  Each round, interleaved:

- engine only: ``run_model`` on the built inputs of every variant;
- the repeat call: ``run_scenario`` again in this process;
- the first call in a fresh process with a warm cache (a subprocess);
- ``wfkit run`` end to end (a subprocess), CSV and Parquet;
- the first call again with one BLAS thread (OPENBLAS_NUM_THREADS=1, OMP_NUM_THREADS=1).

Prints medians over rounds and the ratio path / engine.  Targets (2 cores): repeat < 1 s,
first call < 3 s, path <= 10x engine, ``wfkit run`` < 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
FIRST = """
import time, json, sys, yaml
t0 = time.perf_counter()
import wfkit
cfg = json.loads(sys.argv[1])
t1 = time.perf_counter()
wfkit.run_scenario(cfg)
print(json.dumps({"import": t1 - t0, "first": time.perf_counter() - t1}))
"""


def scenario(variants: bool) -> dict:
    cfg = yaml.safe_load((ROOT / "wfkit" / "scenarios" / "default.yaml").read_text())
    cfg.update(level="practice", areas="all", draws=0)
    if not variants:
        cfg.pop("variants", None)
    return cfg


def first_call(cfg: dict, env: dict | None = None) -> float:
    out = subprocess.run(
        [sys.executable, "-c", FIRST, json.dumps(cfg)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])["first"]


def cli(cfg_path: Path, fmt: str) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        subprocess.run(
            [
                str(Path(sys.executable).parent / "wfkit"),
                "run",
                str(cfg_path),
                "--out",
                f"{tmp}/out",
                "--format",
                fmt,
            ],
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--variants", action="store_true", help="keep the default's two variants")
    ap.add_argument("--skip-cli", action="store_true")
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "path.json")
    args = ap.parse_args(argv)

    import wfkit
    from wfkit.model.engine import run_model
    from wfkit.scenario import load_scenario, prepare_inputs

    cfg = scenario(args.variants)
    wfkit.run_scenario(cfg)  # warm the cache and this process
    sc = load_scenario(cfg)
    inputs = [inp for inp, _ in prepare_inputs(sc, 0).values()]
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        yaml.safe_dump(cfg, f)
        cfg_path = Path(f.name)
    rows: dict[str, list[float]] = {
        k: [] for k in ("engine", "repeat", "first", "first_1blas", "cli_csv", "cli_parquet")
    }
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        for inp in inputs:
            run_model(inp)
        rows["engine"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        wfkit.run_scenario(cfg)
        rows["repeat"].append(time.perf_counter() - t0)
        rows["first"].append(first_call(cfg))
        rows["first_1blas"].append(
            first_call(cfg, {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"})
        )
        if not args.skip_cli:
            rows["cli_csv"].append(cli(cfg_path, "csv"))
            rows["cli_parquet"].append(cli(cfg_path, "parquet"))
    med = {k: round(statistics.median(v), 3) for k, v in rows.items() if v}
    med["repeat_over_engine"] = round(med["repeat"] / med["engine"], 1)
    med["first_over_engine"] = round(med["first"] / med["engine"], 1)
    med["variants"] = args.variants
    med["rounds"] = args.rounds
    for k, v in med.items():
        print(f"{k:22s} {v}")
    print("targets: repeat < 1 s, first < 3 s, repeat/engine <= 10, cli < 10 s")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(med, indent=2) + "\n")
    return med


if __name__ == "__main__":
    main()
