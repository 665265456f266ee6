"""papermill runs of every notebook with the parameter sets in notebooks/params/."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import papermill as pm
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
PARAMS = ROOT / "notebooks" / "params"
SETS = ["pcn-30k", "icb-ncl", "alternative"]
# Every cell finishes in seconds, even for a whole ICB. A tight bound also turns any lost
# kernel reply into a minute's wait rather than a hang: papermill waits this long for each
# reply (cf. nteract/papermill#711), and the sliders' cell used to lose one now and then
# (see benchmarks/README.md, "A stall under papermill").
TIMEOUT = 60


def _run(nb: Path, tmp: Path, params: dict) -> Path:
    os.environ["WFKIT_OUTPUT_ROOT"] = str(tmp / "root")
    out = tmp / "out.ipynb"
    pm.execute_notebook(
        str(nb),
        str(out),
        parameters=params,
        kernel_name="python3",
        cwd=str(tmp),
        progress_bar=False,
        execution_timeout=TIMEOUT,
        log_output=False,
    )
    return out


def _declared(nb: Path) -> dict[str, str]:
    """Parameter names and their comments from the cell tagged 'parameters'."""
    cell = next(c for c in nbformat.read(nb, 4).cells if "parameters" in c.metadata.get("tags", []))
    names = {}
    for line in cell.source.splitlines():
        node = ast.parse(line.split("#")[0]).body[0] if line.strip() else None
        if isinstance(node, ast.AnnAssign):
            names[node.target.id] = line.split("#", 1)[1].strip()
    return names


# every notebook with a network and a whole ICB; the alternative scenario on two of them
CASES = [(nb, s) for nb in NOTEBOOKS for s in SETS[:2]] + [
    (nb, SETS[2]) for nb in NOTEBOOKS if nb.stem[:2] in ("00", "02")
]


@pytest.mark.parametrize(("nb", "pset"), CASES, ids=lambda x: getattr(x, "stem", x))
def test_notebook_runs_with_parameter_set(nb: Path, pset: str, tmp_path: Path):
    params = yaml.safe_load((PARAMS / f"{pset}.yaml").read_text())
    params["output_dir"] = "results"
    _run(nb, tmp_path, params)
    out = tmp_path / "root" / "results"
    files = {p.name for p in out.iterdir()}
    assert {"results.csv", "demand.csv", "summary.json", "run.log", "parameters.json"} <= files
    assert "headline.csv" in files and "fte_by_role.csv" in files
    written = json.loads((out / "parameters.json").read_text())
    for k, v in params.items():
        assert written[k] == v, k
    res = pd.read_csv(out / "results.csv")
    assert {"area", "year", "role", "scenario", "measure", "value", "p10", "p90"} <= set(res)
    if "area" in params:
        assert set(res["area"]) == {params["area"]}
    years = sorted(res["year"].unique())
    assert years[-1] - years[0] == params.get("horizon", 10)
    head = pd.read_csv(out / "headline.csv")
    assert len(head) == 2 and head["scenario"].iloc[0] == "baseline"
    assert (head["required_fte"] > 0).all()
    assert (head["required_p10"] <= head["required_p90"]).all()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["draws"] == params["draws"] and summary["seed"] == params["seed"]


def test_what_moves_the_answer_for_one_role(tmp_path: Path):
    """Notebook 05 with its own parameter set: one role, a small Sobol sample."""
    nb = ROOT / "notebooks" / "05-what-moves-the-answer.ipynb"
    params = yaml.safe_load((PARAMS / "what-moves-gp.yaml").read_text())
    params["output_dir"] = "results"
    _run(nb, tmp_path, params)
    out = tmp_path / "root" / "results"
    why = pd.read_csv(out / "explain.csv")
    assert set(why["role"]) == {"gp"} and set(why["area"]) == {params["area"]}
    for _, g in why.groupby("measure"):  # the parts add up to the change
        ends = g.set_index("kind")["value"]
        assert g.loc[g["kind"] == "change", "value"].sum() == pytest.approx(
            ends["end"] - ends["start"]
        )
    tornado = pd.read_csv(out / "tornado.csv")
    assert {"joiner_rate", "leaver_rate", "minutes"} <= set(tornado["input"])
    sobol = pd.read_csv(out / "sobol.csv")
    assert set(sobol["n"]) == {2 * params["sobol_samples"]}
    conv = pd.read_csv(out / "sobol_convergence.csv")
    assert set(conv["n"]) == {params["sobol_samples"]}


def test_bad_sobol_samples_fail_with_a_clear_message(tmp_path: Path):
    nb = ROOT / "notebooks" / "05-what-moves-the-answer.ipynb"
    with pytest.raises(pm.PapermillExecutionError) as err:
        _run(nb, tmp_path, {"sobol_samples": 100, "draws": 0})
    assert "sobol_samples = 100" in err.value.evalue and "power of 2" in err.value.evalue


def test_unknown_parameter_fails_with_a_clear_message(tmp_path: Path):
    with pytest.raises(pm.PapermillExecutionError) as err:
        _run(NOTEBOOKS[0], tmp_path, {"areaa": "U78517", "draws": 0})
    assert err.value.ename == "InputError"
    assert "unknown parameter(s) ['areaa']" in err.value.evalue
    assert "'area'" in err.value.evalue  # the allowed names are listed


def test_bad_parameter_value_fails_with_a_clear_message(tmp_path: Path):
    with pytest.raises(pm.PapermillExecutionError) as err:
        _run(NOTEBOOKS[-1], tmp_path, {"level": "ward"})
    assert "level = 'ward'" in err.value.evalue and "pcn" in err.value.evalue


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_help_notebook_lists_and_explains_every_parameter(nb: Path):
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("papermill")), "--help-notebook", str(nb)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    declared = _declared(nb)
    assert {"area", "level", "base_year", "horizon", "draws", "seed", "output_dir"} <= set(declared)
    for name, comment in declared.items():
        assert name in proc.stdout
        assert comment[:30] in proc.stdout.replace("\n", " "), name


def test_care_closer_to_home_writes_its_business_case(tmp_path: Path):
    """Notebook 06 with its own parameter set: the business case and the cohorts are written,
    and they follow the parameters (start year, ramp-up, commitment, share replaced)."""
    nb = ROOT / "notebooks" / "06-care-closer-to-home.ipynb"
    params = yaml.safe_load((PARAMS / "closer-to-home.yaml").read_text())
    params["output_dir"] = "results"
    _run(nb, tmp_path, params)
    out = tmp_path / "root" / "results"
    assert {"business_case.csv", "moved_in.csv", "moved_in_staff.csv", "training.csv"} <= {
        p.name for p in out.iterdir()
    }
    case = pd.read_csv(out / "business_case.csv").set_index("item")
    net = case.loc["net cost of the move, 2025-2035"]
    assert net["p10"] < net["value"] < net["p90"]
    moved = pd.read_csv(out / "moved_in.csv")
    contacts = moved.loc[moved["measure"] == "contacts"].set_index("year")["value"]
    start, ramp = params["service_start"], params["ramp_up_years"]
    assert contacts.loc[: start - 1].eq(0).all() and contacts.loc[start] > 0
    # half of full volume in the first of two ramp-up years (the population barely moves)
    assert contacts.loc[start] == pytest.approx(contacts.loc[start + ramp - 1] / ramp, rel=0.02)
    att = moved.loc[moved["measure"] == "attendances_avoided"].set_index("year")["value"]
    assert att.loc[start] == pytest.approx(contacts.loc[start] * params["replaces"])
    training = pd.read_csv(out / "training.csv")
    assert training["course_start_year"].min() == start - 1  # a one-year course
    assert not training["too_late"].any()


def test_care_closer_to_home_names_a_bad_start_year(tmp_path: Path):
    nb = ROOT / "notebooks" / "06-care-closer-to-home.ipynb"
    with pytest.raises(pm.PapermillExecutionError) as err:
        _run(nb, tmp_path, {"service_start": 2034, "ramp_up_years": 3, "draws": 0})
    assert err.value.ename == "InputError"
    assert (
        "moved_in[0].ramp_up_years" in err.value.evalue and "past the horizon" in err.value.evalue
    )
