"""wfkit.usecases: scenario mappings from parameters, and the frames built from a run."""

from __future__ import annotations

import pandas as pd
import pytest

from wfkit import usecases as u
from wfkit.errors import InputError
from wfkit.scenario import ScenarioRun, validate_scenario

AREA = {"area": "U78517", "level": "pcn", "draws": 10, "seed": 1}


@pytest.fixture(scope="module")
def same_day():
    uc = u.build("same_day", {**AREA, "shift_fraction": 0.3})
    return uc, uc.run()


@pytest.mark.parametrize("name", list(u.USE_CASES))
def test_every_use_case_builds_a_valid_scenario(name):
    uc = u.build(name, AREA)
    validate_scenario(uc.mapping)
    assert uc.mapping["areas"] == ["U78517"] and set(uc.activities) <= set(u.activities_for("all"))


def test_unknown_parameter_is_named():
    with pytest.raises(InputError, match="unknown parameter"):
        u.build("same_day", {"shift_fractoin": 0.1})


def test_shift_moves_gp_work_to_new_roles(same_day):
    uc, run = same_day
    by_role = u.fte_by_role(run).set_index("role")
    assert by_role.loc["gp", "future_model"] < by_role.loc["gp", "baseline"]
    assert by_role.loc["pharmacist", "future_model"] > by_role.loc["pharmacist", "baseline"]
    shares = u.who_does_what(run)
    assert shares.groupby("model")["share"].sum().round(9).eq(1).all()


def test_queueing_needs_at_least_the_average(same_day):
    _, run = same_day
    summary, sessions = u.same_day_queueing(run)
    assert (summary["uplift"] >= 1).all()
    assert (sessions["servers"] >= sessions["offered_load"]).all()


def test_whole_person_removes_double_counted_reviews():
    run = u.build("frailty", AREA).run()
    ov = u.pathway_overlap(run).set_index("activity")
    assert ov.loc["total", "difference_contacts"] < 0
    assert ov.loc["frailty_holistic_review", "difference_contacts"] == 0
    head = u.headline(run).set_index("scenario")
    assert head.loc["whole_person", "required_fte"] < head.loc["baseline", "required_fte"]


def test_rerun_is_deterministic_and_responds(same_day):
    uc, run = same_day
    again = u.rerun(uc)
    assert u.headline(again).equals(u.headline(run))
    more = u.rerun(uc, growth_rate=0.02)
    assert u.headline(more)["population"].iloc[0] > u.headline(run)["population"].iloc[0]


def test_unchanged_rerun_reuses_the_seeded_run(same_day):
    uc, run = same_day
    assert uc.run() is run
    assert u.rerun(uc, shift_fraction=uc.params["shift_fraction"]) is run
    changed = u.rerun(uc, shift_fraction=0.6)
    assert changed is not run
    gp = u.fte_by_role(changed).set_index("role").loc["gp", "future_model"]
    assert gp < u.fte_by_role(run).set_index("role").loc["gp", "future_model"]


def test_results_frame_is_built_once_and_handed_out_as_copies(same_day):
    _, run = same_day
    first = u.results_frame(run)
    kept = first.copy()
    first["value"] = -1.0  # a caller changing its copy changes nothing for the next
    again = u.results_frame(run)
    pd.testing.assert_frame_equal(again, kept)
    fresh = ScenarioRun(run.scenario, run.results, run.inputs, run.provenance)
    pd.testing.assert_frame_equal(u.results_frame(fresh), again)
    assert "results_frame" in run.derived and run == fresh
