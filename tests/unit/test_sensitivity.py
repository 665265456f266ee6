"""What moves the answer (wfkit.sensitivity): tornado swings, Sobol indices."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import wfkit
from wfkit import usecases
from wfkit.errors import InputError
from wfkit.model.engine import run_model
from wfkit.model.uncertainty import Param
from wfkit.scenario.calibration import england_calibrated
from wfkit.sensitivity import factors_to_target, sobol_indices, uncertain_inputs, with_input

AREA = "U78517"  # a 30,000-patient network


@pytest.fixture(scope="module")
def run_none():
    return usecases.build("all", {"area": AREA, "draws": 0, "calibration": "none"}).run()


@pytest.fixture(scope="module")
def run_national():
    return usecases.build("all", {"area": AREA, "draws": 0}).run()


def at(p: Param, end: str) -> Param:
    """Every element with an interval at its P10 (``lo``) or P90 (``hi``), as a point."""
    v = np.asarray(p.value, dtype=float)
    e = np.broadcast_to(np.asarray(p.lo if end == "lo" else p.hi, dtype=float), v.shape)
    return Param.point(np.where(np.isnan(e), v, e), p.lower, p.upper)


def single(inputs, year_index, measure):
    r = run_model(inputs)
    return r.measure(measure)[0, 0, year_index].sum()


def test_swings_equal_single_runs_at_p10_and_p90(run_none):
    tor = wfkit.tornado(run_none, area=AREA, year=2035)
    inp = run_none.inputs["baseline"]
    names = set(uncertain_inputs(inp))
    assert set(tor["input"]) == names and len(names) >= 5
    for _, row in tor.iterrows():
        p = uncertain_inputs(inp)[row["input"]]
        lo = single(with_input(inp, row["input"], at(p, "lo")), -1, row["measure"])
        hi = single(with_input(inp, row["input"], at(p, "hi")), -1, row["measure"])
        assert row["at_p10"] == pytest.approx(lo, rel=1e-9), row["input"]
        assert row["at_p90"] == pytest.approx(hi, rel=1e-9), row["input"]
        assert row["swing"] == pytest.approx(hi - lo, rel=1e-9, abs=1e-9)
    central = run_none.results["baseline"].measure("required_fte")[0, 0, -1].sum()
    req = tor[tor["measure"] == "required_fte"]
    assert req["central"].iloc[0] == pytest.approx(central)
    assert list(req["rank"]) == list(range(1, len(req) + 1))
    assert req["swing"].abs().is_monotonic_decreasing
    # supply rates never move the requirement
    assert (req.loc[req["input"].isin(["joiner_rate", "leaver_rate"]), "swing"] == 0).all()


def test_central_calibration_holds_on_england():
    eng, target = england_calibrated("national", {})
    f = factors_to_target(run_model(eng), target)[0]
    # the central factors calibrate England already: 1 wherever a role was calibrated
    core = np.abs(f - 1) < 1e-9
    assert core.sum() >= len(f) - 2


def test_national_tornado_resolves_calibration_as_the_draws_do(run_national):
    tor = wfkit.tornado(run_national, area=AREA, year=2035, role="gp")
    row = tor[(tor["measure"] == "required_fte") & (tor["input"] == "minutes")].iloc[0]
    inp = run_national.inputs["baseline"]
    # by hand: minutes at P10 in the area and in England; England's factor re-solved
    eng, target = england_calibrated("national", {})
    f = factors_to_target(run_model(with_input(eng, "minutes", at(eng.minutes, "lo"))), target)
    c = f[0, list(eng.roles).index("gp")]
    moved = with_input(inp, "minutes", at(inp.minutes, "lo"))
    gp = inp.roles.index("gp")
    expect = run_model(moved).required_fte[0, 0, -1, gp] * c
    assert row["at_p10"] == pytest.approx(expect, rel=1e-9)
    # calibration absorbs most of a change in minutes: far smaller than uncalibrated
    plain = single(moved, -1, "required_fte")
    assert abs(row["swing"]) < abs(plain - single(inp, -1, "required_fte"))


def test_ishigami_indices_are_the_known_ones():
    a, b = 7.0, 0.1

    def ishigami(x):
        return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])

    bounds = [(-np.pi, np.pi)] * 3
    got = sobol_indices(ishigami, ["x1", "x2", "x3"], bounds, 4096, seed=1)
    # analytical values (Ishigami and Homma 1990; Sobol' and Levitan 1999)
    v = a**2 / 8 + b * np.pi**4 / 5 + b**2 * np.pi**8 / 18 + 0.5
    v1 = 0.5 * (1 + b * np.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * np.pi**8 * (1 / 18 - 1 / 50)
    np.testing.assert_allclose(got["S1"], [v1 / v, v2 / v, 0.0], atol=0.03)
    np.testing.assert_allclose(got["ST"], [(v1 + v13) / v, v2 / v, v13 / v], atol=0.03)


def test_linear_model_indices_are_the_variance_shares():
    # y = 1 x1 + 2 x2 + 3 x3 on [0, 1]: S_i = c_i^2 / sum c^2, first order = total
    c = np.array([1.0, 2.0, 3.0])
    got = sobol_indices(lambda x: x @ c, ["a", "b", "c"], [(0.0, 1.0)] * 3, 2048, seed=2)
    share = c**2 / (c**2).sum()
    np.testing.assert_allclose(got["S1"], share, atol=0.02)
    np.testing.assert_allclose(got["ST"], share, atol=0.02)


def test_sobol_on_a_run_reports_convergence_and_time(run_national):
    res = wfkit.sobol(run_national, area=AREA, year=2030, n=16, seed=3)
    idx = res.indices
    p = idx["input"].nunique()
    assert res.runs == 3 * 16 * (p + 2) and res.seconds > 0
    assert set(res.convergence["measure"]) == {"required_fte", "gap_fte", "cost_gbp"}
    assert {"largest_change", "n", "n_doubled", "stable"} <= set(res.convergence)
    req = idx[idx["measure"] == "required_fte"].set_index("input")
    assert (req.loc[["joiner_rate", "leaver_rate", "salary"], ["S1", "ST"]] == 0).all().all()
    cost = idx[idx["measure"] == "cost_gbp"].set_index("input")
    assert cost.loc["salary", "ST"] > 0.1
    assert "model runs" in repr(res)


def test_bad_requests(run_none):
    with pytest.raises(InputError, match="expected a power of 2"):
        wfkit.sobol(run_none, area=AREA, n=100)
    with pytest.raises(InputError, match="year 2050 is not modelled"):
        wfkit.tornado(run_none, area=AREA, year=2050)
    with pytest.raises(InputError, match="role 'wizard'"):
        wfkit.tornado(run_none, role="wizard")
    flat = replace(run_none, inputs={"baseline": replace(run_none.inputs["baseline"])})
    for name in list(uncertain_inputs(flat.inputs["baseline"])):
        p = uncertain_inputs(flat.inputs["baseline"])[name]
        flat.inputs["baseline"] = with_input(flat.inputs["baseline"], name, Param.point(p.value))
    assert wfkit.tornado(flat, area=AREA).empty
    with pytest.raises(InputError, match="no input of the run has an interval"):
        wfkit.sobol(flat, area=AREA, n=16)


def test_sobol_indices_do_not_depend_on_the_block_size(run_national):
    one = wfkit.sobol(run_national, area=AREA, year=2030, n=16, seed=3, block=512).indices
    small = wfkit.sobol(run_national, area=AREA, year=2030, n=16, seed=3, block=7).indices
    np.testing.assert_allclose(small[["S1", "ST"]], one[["S1", "ST"]], rtol=1e-9, atol=1e-12)
