"""Placements (issue 25, part 5): learners an area hosts and the supervision they take.

A hand-worked case (one neighbourhood, one placement type) checked figure by figure from
the placements table and the Agenda for Change / GP working year; the invariant that
supervision never raises available capacity; bad input; and the placements a training
plan needs, worked by hand from a small plan.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

import wfkit.data as wd
from tests.default_scenario import default_scenario
from wfkit import skills
from wfkit.data.placements import placements_table
from wfkit.errors import InputError
from wfkit.scenario import load_scenario, placements_frames, run_scenario, write_outputs

NETWORK = "U06180"  # North Southwark PCN
OTHER = "U00254"


def _scenario(**changes) -> dict:
    return default_scenario(**{"draws": 0, "horizon": 2, "calibration": "none", **changes})


@pytest.fixture(scope="module")
def hosted(tmp_path_factory):
    """One neighbourhood (North Southwark PCN drawn as a group) hosting 3 GP registrars."""
    folder = tmp_path_factory.mktemp("placements")
    (folder / "groups.csv").write_text(
        f"group,group_name,pcn\nN1,Bankside and Borough,{NETWORK}\n", encoding="utf-8"
    )
    sc = _scenario(areas={"groups": "groups.csv"}, placements={"gp_registrar": 3})
    sc.pop("level")
    path = folder / "s.yaml"
    path.write_text(yaml.safe_dump(sc), encoding="utf-8")
    return run_scenario(load_scenario(path))


def test_one_neighbourhood_one_placement_type_figure_by_figure(hosted):
    hosting, supervision = placements_frames(hosted)
    h = hosting[hosting.year == 2025].set_index("learner").loc["gp_registrar"]
    s = supervision[supervision.year == 2025].set_index("role").loc["gp"]
    # the placements table: 4 hours a week for 44 weeks from a GP (trainer)
    assert h.role == "gp" and h.area == "N1"
    assert h.hours_per_learner == 4 * 44 == 176
    assert h.supervision_hours == 3 * 176 == 528
    # a GP's working year (data/assumptions/capacity.csv): 52.14 weeks x 37.5 hours less
    # (30 leave + 8 bank holidays + ... ) days x 7.5 hours; the run's own AWT
    cap = wd.load("capacity").query("role == 'gp'").set_index("parameter").value
    days = cap[["annual_leave_days", "bank_holiday_days", "sickness_days", "training_days"]]
    days = days.sum() + cap.other_days
    awt = cap.weeks_per_year * cap.hours_per_week - days * cap.hours_per_week / cap.days_per_week
    assert s.awt_hours == pytest.approx(awt)
    assert s.supervision_fte == pytest.approx(528 / awt)
    # the GPs in post: the network's supply (the neighbourhood is the network)
    gp = wd.supply([NETWORK], "pcn").set_index("role").fte["gp"]
    assert s.in_post_fte == pytest.approx(gp, abs=1e-5)
    assert s.available_fte == pytest.approx(gp - 528 / awt, abs=1e-5)
    assert s.gap_after_placements_fte == pytest.approx(s.gap_fte - 528 / awt)
    # hosting: 20% of GP FTE are trainers, each hosting 1.5 registrars
    assert h.hostable_learners == pytest.approx(gp * 0.2 * 1.5, abs=1e-5)
    assert bool(h.can_host)


@pytest.mark.parametrize("learners", [0.0, 0.5, 3.0, 40.0, 10_000.0])
def test_supervision_never_raises_available_capacity(learners):
    run = run_scenario(
        _scenario(placements={k: learners for k in ("gp_registrar", "student_nurse")})
    )
    _, s = placements_frames(run)
    assert (s.available_fte <= s.in_post_fte + 1e-12).all()
    assert (s.available_fte >= 0).all()
    assert (s.gap_after_placements_fte <= s.gap_fte + 1e-12).all()
    if learners == 0:
        np.testing.assert_allclose(s.available_fte, s.in_post_fte)


def test_more_learners_never_leave_more_capacity():
    few = placements_frames(run_scenario(_scenario(placements={"gp_registrar": 1})))[1]
    many = placements_frames(run_scenario(_scenario(placements={"gp_registrar": 5})))[1]
    assert (many.available_fte.to_numpy() <= few.available_fte.to_numpy()).all()
    assert (many.supervision_fte.to_numpy() > few.supervision_fte.to_numpy()).all()


def test_placements_do_not_change_the_models_results():
    a = run_scenario(_scenario()).to_frame()
    b = run_scenario(_scenario(placements={"gp_registrar": 5})).to_frame()
    pd.testing.assert_frame_equal(a, b)


def test_negative_learners_are_one_clear_error():
    with pytest.raises(InputError, match=r"-2: expected learners in \[0, 10,000\]") as e:
        load_scenario(_scenario(placements={"student_nurse": -2}))
    assert e.value.key == "placements.student_nurse"
    with pytest.raises(InputError) as e:
        load_scenario(_scenario(placements={"student_nurse": {NETWORK: -1}}))
    assert e.value.key == f"placements.student_nurse.{NETWORK}"


def test_learners_of_several_areas_are_given_by_area():
    sc = _scenario(areas={"codes": [NETWORK, OTHER]}, placements={"pa_student": 2})
    with pytest.raises(InputError, match="one number for 2 areas"):
        placements_frames(run_scenario(sc))
    sc["placements"] = {"pa_student": {NETWORK: 2, OTHER: 1}}
    h, _ = placements_frames(run_scenario(sc))
    got = h[h.year == 2025].set_index("area").learners.to_dict()
    assert got == {NETWORK: 2.0, OTHER: 1.0}


def test_wfkit_run_writes_the_placements_files(tmp_path):
    run = run_scenario(_scenario(placements={"gp_registrar": 2}))
    out = write_outputs(run, tmp_path / "out")
    p = pd.read_csv(out / "placements.csv")
    s = pd.read_csv(out / "supervision.csv")
    assert set(p.learner) == {"gp_registrar"} and "role_label" in s.columns
    assert not (tmp_path / "none").exists()
    plain = write_outputs(run_scenario(_scenario()), tmp_path / "plain")
    assert not (plain / "placements.csv").exists()


def test_the_placements_table_is_checked(tmp_path):
    t = placements_table()
    assert set(t.learner) == {
        "gp_registrar",
        "student_nurse",
        "trainee_pharmacist",
        "pa_student",
        "paramedic_student",
    }
    assert t.source.str.contains("judgement").all()  # said plainly where it is
    bad = t.copy()
    bad.loc[1, "supervisor_role"] = "gardener"
    path = tmp_path / "p.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(InputError, match="unknown role 'gardener'") as e:
        placements_table(path)
    assert (e.value.row, e.value.column) == (3, "supervisor_role")


# ----------------------------------------------------------------------------------------
# from the pipeline: the placements a plan needs
# ----------------------------------------------------------------------------------------
def test_placements_needed_from_a_small_plan_by_hand():
    tables = skills.load_skills_tables()
    # 10 GP training places commissioned in 2025, 6 in 2027 (GP training: 3 years)
    plan = pd.DataFrame(
        {
            "area": "N1",
            "role": "gp",
            "year": [2028, 2030, 2025, 2026],
            "commission_year": [2025, 2027, 2022, 2023],
            "places": [10.0, 6.0, 0.0, 0.0],
        }
    )
    plan = pd.concat(
        [
            plan,
            pd.DataFrame(
                {
                    "area": "N1",
                    "role": "gp",
                    "year": [2027, 2029],
                    "commission_year": [2024, 2026],
                    "places": [0.0, 0.0],
                }
            ),
        ]
    )
    need = skills.placements_needed(plan, tables)
    gp = need[need.learner == "gp_registrar"].set_index("year")
    # in training: 2025-2027 the 10; 2027-2029 the 6 -> 10, 10, 16, 6, 6, 0
    assert gp.in_training.to_dict() == {
        2025: 10.0,
        2026: 10.0,
        2027: 16.0,
        2028: 6.0,
        2029: 6.0,
        2030: 0.0,
    }
    assert gp.placements_needed[2027] == pytest.approx(16 * 0.67)
    # student nurses: the plan trains no practice nurse
    assert need[need.learner == "student_nurse"].placements_needed.eq(0).all()
    # can the area host them? 10 GP FTE: 10 x 0.2 x 1.5 = 3 registrars at once
    in_post = pd.DataFrame({"area": "N1", "year": range(2025, 2031), "role": "gp", "fte": 10.0})
    host = skills.can_host(need[need.learner == "gp_registrar"], in_post, awt_hours={"gp": 1600})
    h = host.set_index("year")
    assert h.hostable_learners[2027] == pytest.approx(3.0)
    assert h.shortfall[2027] == pytest.approx(16 * 0.67 - 3)
    assert not h.can_host[2027] and h.can_host[2030]
    assert h.supervision_fte[2027] == pytest.approx(16 * 0.67 * 176 / 1600)


def test_can_host_needs_the_supervisors_in_post():
    need = pd.DataFrame(
        {"area": ["N1"], "year": [2025], "learner": ["student_nurse"], "placements_needed": [2.0]}
    )
    with pytest.raises(InputError, match="no FTE in post for 'practice_nurse'"):
        skills.can_host(need, pd.DataFrame(columns=["area", "year", "role", "fte"]))
