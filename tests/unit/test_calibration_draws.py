"""Calibration holds in every draw (issue 21, item 1).

Independent check: England's base-year requirement, summed over its seven regions run
through the ordinary path with draws, against the central run and against the staff in
post counted by the supply definition: the band of England's total is a few FTE wide, not
the +-10% the uncalibrated draws give.  Without the per-draw factors (the central factor
applied to every draw, the planted bug) England's P50 moves by several percent.
"""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import yaml

import wfkit.data as wd
from wfkit.cli import base_year_lines
from wfkit.errors import InputError
from wfkit.model import run_model
from wfkit.model.uncertainty import Param
from wfkit.scenario import run_scenario, scenario_path, write_outputs

DRAWS, SEED = 60, 7


def _cfg(**over):
    cfg = yaml.safe_load(scenario_path("default").read_text(encoding="utf-8"))
    cfg.update({"draws": DRAWS, "seed": SEED, "variants": []})
    cfg.update(over)
    return cfg


@pytest.fixture(scope="module")
def england():
    return run_scenario(_cfg(level="region", areas="all", calibration="national"))


def _base_total(res) -> tuple[float, np.ndarray]:
    tot = res.required_fte[:, :, 0, :].sum(axis=(1, 2))
    return float(tot[0]), np.percentile(tot[1:], [10, 50, 90])


def test_englands_base_year_band_is_centred_on_its_central_run(england):
    c, (p10, p50, p90) = _base_total(england.results["baseline"])
    assert abs(p50 / c - 1) < 0.005
    assert (p90 - p10) / c < 0.01
    regions = list(wd.select_areas(level="region").area)
    in_post = wd.supply(regions, "region").fte.sum()
    assert c == pytest.approx(in_post, rel=0.005)


def test_every_draw_meets_englands_staff_in_post_per_role(england):
    res = england.results["baseline"]
    req = res.required_fte[:, :, 0, :].sum(axis=1)  # (D, R)
    work = res.workload_hours[:, :, 0, :].sum(axis=1) > 0
    # a draw whose interval clips a role's only work to nothing cannot be scaled: said so
    lost = work[0][None, :] & ~work[1:]
    same = np.isclose(req[1:], req[0][None, :], rtol=1e-6)
    assert (same | lost).all()
    assert lost.sum() <= 0.01 * lost.size
    for r in np.nonzero(lost.any(axis=0))[0]:
        n = int(lost[:, r].sum())
        note = f"{n} of {DRAWS} draws give {res.roles[r]} no modelled work in England"
        assert any(note in x for x in england.calibration().notes)


def test_the_central_factor_in_every_draw_leaves_england_off_centre(england):
    # the planted bug: the central run's factor applied to all draws (no per-draw factor)
    inp = replace(england.inputs["baseline"], minutes_draw_factor=None, draw_seed=None)
    c, (p10, p50, p90) = _base_total(run_model(inp, draws=DRAWS, seed=SEED))
    assert abs(p50 / c - 1) > 0.005 or (p90 - p10) / c > 0.01


def test_the_central_run_does_not_move_with_draws(england):
    det = run_scenario(_cfg(level="region", areas="all", calibration="national", draws=0))
    np.testing.assert_array_equal(
        det.results["baseline"].required_fte[0], england.results["baseline"].required_fte[0]
    )


def test_a_use_case_of_some_activities_draws_the_catalogues_numbers():
    # the subset's draws are the whole catalogue's draws of the same activities
    full = Param(np.arange(1.0, 7.0).reshape(3, 2), np.zeros((3, 2)), np.full((3, 2), 9.0))
    cut = replace(
        Param(full.value[[0, 2]], full.lo[[0, 2]], full.hi[[0, 2]]), subset=(0, (0, 2), 3)
    )
    np.testing.assert_array_equal(
        cut.draws(5, 3, "contacts"), full.draws(5, 3, "contacts")[:, [0, 2]]
    )


def test_inputs_calibrated_for_other_draws_are_refused(england):
    inp = england.inputs["baseline"]
    with pytest.raises(InputError, match="calibrated draw by draw for 60 draws with seed 7"):
        run_model(inp, draws=DRAWS, seed=SEED + 1)
    with pytest.raises(InputError, match="calibrate again"):
        run_model(inp, draws=DRAWS - 1, seed=SEED)
    run_model(inp, draws=0)  # the central run needs no per-draw factor


def test_a_network_base_year_band_sits_on_its_central_run():
    run = run_scenario(_cfg())
    res = run.results["baseline"]
    c, (p10, p50, p90) = _base_total(res)
    # an area's band is how England's work splits among areas: it holds the central run
    assert p10 <= c <= p90
    assert abs(p50 / c - 1) < 0.03


def test_the_base_year_band_is_in_every_output(tmp_path, capsys):
    # independent of the band's code: percentiles of the per-draw totals computed here
    run = run_scenario(_cfg(draws=20))
    tot = run.results["baseline"].required_fte[:, :, 0, :].sum(axis=(1, 2))
    p10, p50, p90 = np.percentile(tot[1:], [10, 50, 90])
    out = write_outputs(run, tmp_path / "out")
    summary = json.loads((out / "summary.json").read_text())
    band = summary["base_year"]["required_fte"]
    # summary.json rounds to 6 decimals: equal to within half a millionth of an FTE
    assert band["value"] == pytest.approx(tot[0], rel=0, abs=5.01e-7)
    assert (band["p10"], band["p50"], band["p90"]) == pytest.approx(
        (p10, p50, p90), rel=0, abs=5.01e-7
    )
    gp = next(r for r in summary["base_year"]["roles"] if r["role"] == "gp")
    assert gp["required_p10"] <= gp["required_p50"] <= gp["required_p90"]
    assert f"P50 {p50:.1f}" in (out / "run.log").read_text()
    assert any(f"P50 {p50:.1f}" in line for line in base_year_lines(run))
    # a chunked run keeps the per-draw base-year totals too
    chunked = run_scenario(_cfg(draws=20, level="icb", areas="all"), chunk_areas=15)
    whole = run_scenario(_cfg(draws=20, level="icb", areas="all"))
    pd.testing.assert_frame_equal(chunked.base_year_band(), whole.base_year_band())
