"""Roles beyond the practice (issue 25, part 2): community roles a scenario adds.

Checked by hand from the bundled rows (population by age band x cohort x contacts x share x
minutes, over the Agenda for Change working year), against PSSRU's published working hours
of an AfC nurse, and by what does not change: the default run, and every practice role when
community roles are added.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import wfkit.data as wd
from tests.default_scenario import default_scenario
from wfkit.errors import InputError
from wfkit.scenario import build_inputs, load_scenario, run_scenario
from wfkit.scenario.community import community_tables
from wfkit.settings import COMMUNITY_ROLES

NETWORK = "U06180"  # North Southwark PCN
OTHER = "U00254"  # Blackheath and Charlton PCN

TEAM = {"district_nurse": 12, "community_staff_nurse": 20, "community_matron": 3}


def _scenario(**changes) -> dict:
    return default_scenario(**{"draws": 0, "horizon": 2, "calibration": "none", **changes})


def test_the_default_run_has_no_community_role():
    inp, _ = build_inputs(load_scenario(_scenario()))
    assert not set(inp.roles) & set(COMMUNITY_ROLES)
    assert "wound_care_at_home" not in inp.activities


def test_adding_the_team_changes_no_practice_role():
    before = run_scenario(_scenario()).to_frame()
    after = run_scenario(_scenario(community_roles=TEAM)).to_frame()
    keep = before.role != "all"
    a = before[keep].set_index(["area", "year", "role", "measure"]).value
    b = after.set_index(["area", "year", "role", "measure"]).value.reindex(a.index)
    np.testing.assert_allclose(b.to_numpy(), a.to_numpy(), rtol=1e-12)
    assert set(COMMUNITY_ROLES) <= set(after.role)


def test_a_community_matron_figure_by_figure():
    t = community_tables()
    run = run_scenario(_scenario(community_roles=TEAM))
    f = run.to_frame()
    got = f[(f.year == 2025) & (f.role == "community_matron")].set_index("measure").value
    # by hand from the bundled rows: the network's registered list by age band
    pop = wd.population([NETWORK], "pcn").set_index("age_band").population
    prev = t["prevalence"].set_index(["activity", "age_band"]).value
    con = t["contacts"].set_index(["activity", "age_band"]).value
    share = t["skill_mix"].set_index(["activity", "role"]).current
    mins = t["minutes"].set_index(["activity", "role"]).value
    hours = 0.0
    for act in ("housebound_review", "frailty_case_management"):
        for band in prev[act].index:
            contacts = pop[band] * prev[act, band] * con[act, band]
            hours += contacts * share[act, "community_matron"] * mins[act, "community_matron"] / 60
    assert got["workload_hours"] == pytest.approx(hours, rel=1e-9)
    # Agenda for Change working year: 52.14 weeks x 37.5 h less 54 days x 7.5 h
    awt = 52.14 * 37.5 - (29 + 8 + 11 + 5 + 1) * 7.5
    assert awt == pytest.approx(1550.25)
    fte = hours / awt / (1 - 0.3)  # category allowance: travel and non-patient work 30%
    assert got["required_fte"] == pytest.approx(fte, rel=1e-9)
    assert got["supply_fte"] == 3.0
    assert got["gap_fte"] == pytest.approx(3.0 - fte, rel=1e-9)
    pay = (55_690 + 62_682) / 2  # Band 8a 2025/26 entry and top points (afc_pay.csv)
    oncost = 0.206 + 0.15 * (1 - 5_000 / pay)
    assert got["cost_gbp"] == pytest.approx(fte * pay * (1 + round(oncost, 4)), rel=1e-9)


def test_the_working_year_is_pssrus_for_an_afc_nurse():
    # PSSRU Unit Costs of Health and Social Care 2024, table 9.2.1: 1,545 working hours a year
    # (41.2 weeks of 37.5 hours) for nurses of every AfC band (a cited figure, not bundled)
    cap = community_tables()["capacity"]
    for role in COMMUNITY_ROLES:
        p = cap[cap.role == role].set_index("parameter").value
        days = p[["annual_leave_days", "bank_holiday_days", "sickness_days", "training_days"]]
        awt = p.weeks_per_year * p.hours_per_week - days.sum() * p.hours_per_week / 5
        assert awt == pytest.approx(1545, rel=0.01), role


def test_pay_is_the_agenda_for_change_band_cited():
    pay = wd.load("afc_pay").query("year == '2025/26'")
    costs = community_tables()["costs"].query("parameter == 'salary'").set_index("role")
    for role, row in costs.iterrows():
        band = row.notes.split(":")[0]
        points = pay[pay.band == band].annual_gbp
        assert (row.lo, row.hi) == (points.min(), points.max()), role
        assert row.value == pytest.approx((points.min() + points.max()) / 2, abs=0.5)


def test_every_number_has_a_source_and_judgement_is_said():
    for name, df in community_tables().items():
        if "source" in df.columns:
            assert df.source.str.strip().str.len().gt(5).all(), name
    assert community_tables()["minutes"].source.str.contains("judgement").all()


def test_the_words_and_colours_of_community_roles():
    from wfkit import charts

    labels = wd.role_labels()
    assert labels["district_nurse"] == "District nurse"
    assert labels["community_matron"] == "Community matron"
    assert set(COMMUNITY_ROLES) <= set(charts.ROLE_COLOURS)


def test_fte_by_area_for_several_areas():
    sc = _scenario(
        areas={"codes": [NETWORK, OTHER]},
        community_roles={"district_nurse": {NETWORK: 5, OTHER: 7}},
    )
    f = run_scenario(sc).to_frame()
    s = f[(f.year == 2025) & (f.role == "district_nurse") & (f.measure == "supply_fte")]
    assert s.set_index("area").value.to_dict() == {NETWORK: 5.0, OTHER: 7.0}
    # no FTE named for a role: none in post
    hca = f[(f.year == 2025) & (f.role == "community_hca") & (f.measure == "supply_fte")]
    assert hca.value.eq(0).all()


@pytest.mark.parametrize(
    "given, words, key",
    [
        ({"district_nurse": 5}, "one number for 2 areas", "community_roles.district_nurse"),
        ({"district_nurse": {NETWORK: 5}}, f"no FTE for area '{OTHER}'", "community_roles"),
        ({"district_nurse": {NETWORK: 5, OTHER: 1, "X1": 2}}, "'X1' is not modelled", "community"),
        ({"district_nurse": -1}, "expected FTE in", "community_roles.district_nurse"),
    ],
)
def test_bad_fte_in_post_is_one_clear_error(given, words, key):
    sc = _scenario(areas={"codes": [NETWORK, OTHER]}, community_roles=given)
    with pytest.raises(InputError, match=words) as e:
        run_scenario(sc)
    assert e.value.key.startswith(key)


def test_a_community_role_in_the_scenarios_own_table_is_refused(tmp_path):
    cap = pd.concat([wd.load("capacity"), community_tables()["capacity"]])
    path = tmp_path / "capacity.csv"
    cap.to_csv(path, index=False)
    sc = _scenario(community_roles=TEAM)
    sc["inputs"]["capacity"] = str(path)
    with pytest.raises(InputError, match="added by community_roles"):
        run_scenario(sc)


def test_a_variant_adds_the_team_and_the_baseline_has_its_work_with_none_in_post():
    sc = _scenario(variants=[{"name": "team", "community_roles": {"district_nurse": 10}}])
    f = run_scenario(sc).to_frame()
    y = f[(f.year == 2025) & (f.role == "district_nurse")]
    v = y.set_index(["scenario", "measure"]).value
    assert v["baseline", "supply_fte"] == 0 and v["team", "supply_fte"] == 10
    assert v["baseline", "required_fte"] == v["team", "required_fte"] > 0
    d = y[(y.scenario == "team") & (y.measure == "gap_fte")]["diff"].iloc[0]
    assert d == pytest.approx(10.0)
