"""Local calibration is bounded and well posed (issue 21, item 2).

Independent checks: every network's and practice's own November 2025 appointments (the
published file, made annual) against the fitted model's, recomputed here from the run's
demand, who-does-what and staff factors; England summed over every network under
``local`` against its staff in post counted by the supply definition; a hand-worked area.
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml

import wfkit.data as wd
from wfkit.scenario import run_scenario, scenario_path
from wfkit.scenario.calibration import LOCAL_BOUNDS

pytestmark = pytest.mark.xdist_group(name="local_calibration")


def _local(level: str):
    cfg = yaml.safe_load(scenario_path("default").read_text(encoding="utf-8"))
    cfg.update(draws=0, variants=[], level=level, areas="all", calibration="local")
    return run_scenario(cfg)


@pytest.fixture(scope="module")
def networks():
    return _local("pcn")


def _fitted(run) -> tuple[np.ndarray, np.ndarray]:
    """Each area's fitted annual GP and other-staff appointments, from the run's arrays."""
    inp, res = run.inputs["baseline"], run.results["baseline"]
    amap = wd.load("appointment_map").set_index("activity").reindex(inp.activities)
    clinical = amap.driver.eq("clinical").to_numpy()
    w = np.where(clinical, amap.appointment_weight.fillna(0.0), 0.0)
    s_gp = inp.shares_current[:, inp.roles.index("gp")]
    dw = res.demand[0, :, 0, :] * w  # (A, K), contacts as calibrated
    gp = (dw * s_gp).sum(axis=1) * inp.staff_factor[:, 0]
    other = (dw * (1 - s_gp)).sum(axis=1) * inp.staff_factor[:, 1]
    return gp, other


@pytest.mark.parametrize("level", ["pcn", "practice"])
def test_local_fit_reproduces_appointments_within_1pc_in_99pc_of_areas(level, networks):
    run = networks if level == "pcn" else _local(level)
    t = run.calibration().local
    gp, other = _fitted(run)
    has = (t.actual_gp > 0).to_numpy() & (t.actual_other > 0).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):  # areas with no appointments
        ok = (np.abs(gp / t.actual_gp.to_numpy() - 1) < 0.01) & (
            np.abs(other / t.actual_other.to_numpy() - 1) < 0.01
        )
    assert (ok & has).sum() >= 0.99 * has.sum()
    lo, hi = LOCAL_BOUNDS
    for col in ("m_gp", "m_other"):
        assert t[col].between(lo - 1e-12, hi + 1e-12).all()
    # every area off its own figures says so: its residual and the bound it reached
    off = has & ~ok
    bound = (t.bound_gp != "") | (t.bound_other != "")
    assert bound.to_numpy()[off].all()
    np.testing.assert_allclose(
        t.residual_gp.to_numpy()[has], gp[has] / t.actual_gp.to_numpy()[has] - 1, atol=1e-9
    )


def test_england_summed_over_its_networks_reconciles_under_local(networks):
    res = networks.results["baseline"]
    req = res.required_fte[0, :, 0, :].sum(axis=0)
    regions = list(wd.select_areas(level="region").area)
    sup = wd.supply(regions, "region").groupby("role").fte.sum().reindex(res.roles).to_numpy()
    np.testing.assert_allclose(req, sup, rtol=1e-6)
    notes = " ".join(networks.calibration().notes)
    assert "minutes calibrated on every pcn of England" in notes


def test_a_hand_worked_area_takes_its_ratios_within_bounds():
    from wfkit.scenario import local_fit as lf

    mod = {"gp": np.array([100.0, 100.0, 100.0]), "other": np.array([50.0, 50.0, 0.0])}
    fit = lf.fit_local(mod, np.array([80.0, 900.0, 100.0]), np.array([150.0, 5.0, 20.0]))
    # area 0: 0.8 and 3 exactly; area 1: GP 9 -> 5 (upper), other 0.1 -> 0.2 (lower)
    np.testing.assert_allclose(fit.m_gp, [0.8, 5.0, 1.0])
    np.testing.assert_allclose(fit.m_other, [3.0, 0.2, 1.0])
    np.testing.assert_allclose(fit.residual_gp, [0.0, 500 / 900 - 1, 0.0], atol=1e-12)
    np.testing.assert_allclose(fit.residual_other, [0.0, 1.0, -1.0], atol=1e-12)
    assert list(fit.bound_gp) == ["", "upper", ""]
    assert list(fit.bound_other) == ["", "lower", ""]
    # contacts scale with all appointments fitted: (80 + 150) / 150
    assert fit.total[0] == pytest.approx(230 / 150)


def test_a_chunked_local_run_equals_the_whole_run():
    cfg = yaml.safe_load(scenario_path("default").read_text(encoding="utf-8"))
    cfg.update(draws=10, variants=[], level="sub_icb", areas="all", calibration="local")
    whole = run_scenario(cfg)
    chunked = run_scenario(cfg, chunk_areas=17)
    a = whole.to_frame().sort_values(["measure", "role", "area", "year"]).reset_index(drop=True)
    b = chunked.to_frame().sort_values(["measure", "role", "area", "year"]).reset_index(drop=True)
    np.testing.assert_array_equal(
        a[["value", "p10", "p50", "p90"]], b[["value", "p10", "p50", "p90"]]
    )
    w1 = whole.results["baseline"].workload_by_activity()
    w2 = chunked.results["baseline"].workload_by_activity()
    np.testing.assert_allclose(w1.hours.to_numpy(), w2.hours.to_numpy(), rtol=1e-12)
    # work by activity adds up to the workload, the area's own split included
    res = whole.results["baseline"]
    by_area = w1[w1.year == res.years[0]].groupby(["area", "role"]).hours.sum()
    total = res.workload_hours[0, :, 0, :]
    for (area, role), h in by_area.head(50).items():
        assert h == pytest.approx(total[res.areas.index(area), res.roles.index(role)], rel=1e-9)
