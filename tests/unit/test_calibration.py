"""Base-year calibration and reconciliation (wfkit.scenario.calibration).

Independent checks: England's requirement against the staff in post it was calibrated to,
run through the ordinary regional path; an area's appointments against the published
November figure and its seasonal factor.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import yaml

import wfkit.data as wd
from wfkit.errors import InputError
from wfkit.scenario import run_scenario, scenario_path, write_outputs
from wfkit.scenario.calibration import national_factors


def _default(**over):
    cfg = yaml.safe_load(scenario_path("default").read_text(encoding="utf-8"))
    cfg.update({"draws": 0, "variants": []})
    cfg.update(over)
    return cfg


@pytest.fixture(scope="module")
def regions_national():
    cfg = _default(level="region", areas="all", calibration="national")
    return run_scenario(cfg)


def test_national_calibration_meets_englands_staff_in_post_per_role(regions_national):
    # every region run through the ordinary path (local age bands and recorded prevalence),
    # against England's staff in post counted by the supply definition
    res = regions_national.results["baseline"]
    req = res.required_fte[0, :, 0, :].sum(axis=0)
    regions = list(wd.select_areas(level="region").area)
    sup = wd.supply(regions, "region").groupby("role").fte.sum().reindex(res.roles).to_numpy()
    np.testing.assert_allclose(req, sup, rtol=0.005)


def test_unmet_demand_raises_englands_requirement_by_the_stated_share():
    f0, eng0 = national_factors("national")
    f1, eng1 = national_factors("national", {"gp": 0.05})
    assert f1["gp"] == pytest.approx(1.05 * f0["gp"], rel=1e-9)
    assert f1["practice_nurse"] == pytest.approx(f0["practice_nurse"], rel=1e-12)


def test_no_calibration_keeps_the_bundled_minutes():
    run = run_scenario(_default(calibration="none"))
    cal = run.calibration()
    assert cal.method == "none" and set(cal.minutes_factor.values()) == {1.0}
    raw = wd.load("minutes")
    row = raw[(raw.activity == "routine_consultation") & (raw.role == "gp")].iloc[0]
    inp = run.inputs["baseline"]
    k, r = inp.activities.index("routine_consultation"), inp.roles.index("gp")
    assert inp.minutes.value[k, r] == pytest.approx(row.value)


def test_national_calibration_scales_each_roles_minutes_by_its_factor():
    run = run_scenario(_default(calibration="national"))
    f, _ = national_factors("national")
    raw = wd.load("minutes")
    row = raw[(raw.activity == "routine_consultation") & (raw.role == "gp")].iloc[0]
    inp = run.inputs["baseline"]
    k, r = inp.activities.index("routine_consultation"), inp.roles.index("gp")
    assert inp.minutes.value[k, r] == pytest.approx(row.value * f["gp"], rel=1e-12)


def test_local_calibration_reproduces_the_areas_november_appointments():
    code = "U06180"
    run = run_scenario(_default(calibration="local"))
    cal = run.calibration()
    t = cal.local.set_index("area").loc[code]
    # the published November 2025 figures, unknown staff shared pro rata
    ap = wd.appointments([code], "pcn").set_index("area").loc[code]
    share = ap.gp / (ap.gp + ap.other_staff)
    assert t.november_gp == pytest.approx(ap.gp + ap.unknown_staff * share, rel=1e-9)
    # modelled base-year appointments after calibration x seasonal factor / 12 = November
    inp = run.inputs["baseline"]
    res = run.results["baseline"]
    amap = wd.load("appointment_map").set_index("activity").reindex(inp.activities)
    w = np.where(amap.driver.eq("clinical"), amap.appointment_weight.fillna(0), 0.0)
    s_gp = inp.shares_current[:, inp.roles.index("gp")]
    dem = res.demand[0, 0, 0, :]
    cover = ap.patients / ap.list_size if "patients" in ap.index else 1.0
    # the area's own split between GPs and other staff leans each clinical activity's shares
    f_gp, f_other = inp.staff_factor[0]
    gp_nov = (dem * w * s_gp).sum() * f_gp * t.seasonal_gp / 12 / cover
    oth_nov = (dem * w * (1 - s_gp)).sum() * f_other * t.seasonal_other / 12 / cover
    assert gp_nov == pytest.approx(t.november_gp, rel=1e-9)
    assert oth_nov == pytest.approx(t.november_other, rel=1e-9)


def test_seasonal_factor_is_novembers_share_of_its_year():
    code = "U06180"
    seas = wd.seasonal_factors([code], "pcn")
    f = seas.set_index("staff_type").factor
    assert 0.7 < f["gp"] < 1.3 and 0.7 < f["other"] < 1.3


def test_reconciliation_rows_add_up_and_land_in_the_summary(tmp_path):
    run = run_scenario(_default())
    rec = run.reconciliation()
    roles = rec[rec.role.isin(run.results["baseline"].roles)]
    total = rec[rec.role == "all"].iloc[0]
    assert roles.required_fte.sum() == pytest.approx(total.required_fte)
    assert roles.supply_fte.sum() == pytest.approx(total.supply_fte)
    assert rec.reason.str.len().gt(0).all()
    assert rec.role.str.startswith("not modelled:").any()
    out = write_outputs(run, tmp_path / "out")
    summary = json.loads((out / "summary.json").read_text())
    assert summary["base_year"]["calibration"] == "national"
    gp = next(r for r in summary["base_year"]["roles"] if r["role"] == "gp")
    assert gp["required_fte"] == pytest.approx(rec.set_index("role").required_fte["gp"], rel=1e-6)
    assert "base year: gp: required" in (out / "run.log").read_text()


@pytest.mark.parametrize(
    ("over", "match"),
    [
        ({"calibration": "regional"}, "calibration"),
        ({"calibration": "none", "unmet_demand": {"gp": 0.05}}, "unmet_demand"),
        ({"unmet_demand": {"surgeon": 0.05}}, "surgeon"),
        ({"unmet_demand": {"gp": 5}}, "unmet_demand"),
    ],
)
def test_bad_calibration_settings_are_refused_by_name(over, match):
    with pytest.raises(InputError, match=match):
        run_scenario(_default(**over))


def test_a_scenario_with_its_own_tables_defaults_to_no_calibration():
    from wfkit.scenario import example_scenario_path

    run = run_scenario(example_scenario_path(), draws=0)
    assert run.calibration().method == "none"


def test_every_bundled_activity_says_how_it_shows_in_appointments():
    acts = set(wd.load("activities").activity)
    amap = wd.load("appointment_map")
    assert set(amap.activity) == acts
    cats = set(wd.load("appointment_categories").category)
    named = set(amap.national_category.dropna())
    assert named <= cats, named - cats
    # booking work follows the appointments; no other admin work is an appointment
    assert set(amap[amap.driver == "appointments"].activity) == {"appointment_admin"}


def test_local_calibration_scales_booking_work_with_all_appointments():
    run = run_scenario(_default(calibration="local"))
    t = run.calibration().local.iloc[0]
    inp = run.inputs["baseline"]
    k = inp.activities.index("appointment_admin")
    ratio = (t.actual_gp + t.actual_other) / (t.modelled_gp + t.modelled_other)
    assert inp.demand_factor[0, k] == pytest.approx(ratio, rel=1e-12)


def test_calibration_factors_from_the_disk_cache_equal_a_fresh_computation():
    from wfkit.data.paths import data_dir
    from wfkit.scenario import calibration as cal

    folder = str(data_dir())
    fresh = cal._compute_national(folder, "national", ())
    cal._national.cache_clear()
    cal._national(folder, "national", ())  # computed, or read from disk
    cal._national.cache_clear()
    again = cal._national(folder, "national", ())  # read from disk now
    assert again[0] == fresh[0] and again[2] == fresh[2]
    import pandas as pd

    pd.testing.assert_frame_equal(again[1], fresh[1])
