"""The best skill mix under limits (wfkit.optimise), checked against a programme solved by hand.

The hand case: one area of 1,000 people, two activities, three roles, one year ahead, every
role's available working time 1,000 hours (20 hours a week, 50 weeks, no absence or
allowance), no on-costs, no growth, staff in post held level (no joiners or leavers).

=============  ==========  ==========================================================
activity       contacts    minutes: GP / practice nurse / pharmacist
=============  ==========  ==========================================================
``a1``         3,000       10 / 20 / 15  ->  all of it is 0.5 / 1.0 / 0.75 FTE
``a2``         1,000       30 /  - / 40  ->  all of it is 0.5 /  -  / 0.667 FTE
=============  ==========  ==========================================================

Pay: GP £100,000, nurse £52,000, pharmacist £60,000, so all of ``a1`` costs £50,000 /
£52,000 / £45,000 and all of ``a2`` £50,000 / - / £40,000.  In post: 2 GP, 1 nurse, 0.5
pharmacist FTE.  The pharmacist saves £15,000 per FTE on ``a2`` (£10,000 over 0.667 FTE)
and £6,667 per FTE on ``a1`` (£5,000 over 0.75), so the 0.5 FTE goes to ``a2`` first: 75%
of ``a2``; the rest of ``a2`` and all of ``a1`` go to the GP.  Cost: £50,000 + £30,000 +
£12,500 = £92,500; one more pharmacist FTE saves £15,000 a year.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import yaml

import wfkit
from wfkit import InputError, load_scenario, run_scenario
from wfkit.funding import funding_rules, stream_caps
from wfkit.skills import load_skills_tables, make_skills_tables, pipeline_fte
from wfkit.tables import AGE_BANDS

ROLES = ("gp", "practice_nurse", "pharmacist")
SALARY = {"gp": 100_000, "practice_nurse": 52_000, "pharmacist": 60_000}
SUPPLY = {"gp": 2.0, "practice_nurse": 1.0, "pharmacist": 0.5}
MINUTES = {
    ("a1", "gp"): 10,
    ("a1", "practice_nurse"): 20,
    ("a1", "pharmacist"): 15,
    ("a2", "gp"): 30,
    ("a2", "pharmacist"): 40,
}


def _write(folder, name, rows):
    pd.DataFrame(rows).to_csv(folder / f"{name}.csv", index=False)
    return f"{name}.csv"


@pytest.fixture(scope="module")
def hand(tmp_path_factory):
    """The hand-worked scenario (see the module docstring), run."""
    return run_scenario(_hand_scenario(tmp_path_factory.mktemp("hand")))


def _hand_scenario(d, ias_hours=0):
    """Write the hand-worked scenario into folder ``d``; return its file."""
    src = "hand-worked test case"
    per_band = 1000 / len(AGE_BANDS)
    inputs = {
        "population": _write(
            d,
            "population",
            [{"area": "A", "age_band": b, "population": per_band} for b in AGE_BANDS],
        ),
        "activities": _write(
            d,
            "activities",
            [
                {"activity": a, "description": a, "cohort": "all", "trend": 1.0, "source": src}
                for a in ("a1", "a2")
            ],
        ),
        "prevalence": _write(
            d,
            "prevalence",
            [{"activity": a, "age_band": "all", "value": 1.0, "source": src} for a in ("a1", "a2")],
        ),
        "contacts": _write(
            d,
            "contacts",
            [
                {"activity": "a1", "age_band": "all", "value": 3.0, "source": src},
                {"activity": "a2", "age_band": "all", "value": 1.0, "source": src},
            ],
        ),
        "skill_mix": _write(
            d,
            "skill_mix",
            [
                {"activity": "a1", "role": "gp", "current": 1.0, "future": 0.5, "source": src},
                {
                    "activity": "a1",
                    "role": "practice_nurse",
                    "current": 0.0,
                    "future": 0.5,
                    "source": src,
                },
                {"activity": "a2", "role": "gp", "current": 1.0, "future": 0.5, "source": src},
                {
                    "activity": "a2",
                    "role": "pharmacist",
                    "current": 0.0,
                    "future": 0.5,
                    "source": src,
                },
            ],
        ),
        "minutes": _write(
            d,
            "minutes",
            [
                {"activity": a, "role": r, "value": v, "source": src}
                for (a, r), v in MINUTES.items()
            ],
        ),
        "capacity": _write(
            d,
            "capacity",
            [
                {"role": r, "parameter": p, "value": v, "source": src}
                for r in ROLES
                for p, v in {
                    "hours_per_week": 20,
                    "days_per_week": 5,
                    "weeks_per_year": 50,
                    "annual_leave_days": 0,
                    "bank_holiday_days": 0,
                    "sickness_days": 0,
                    "training_days": 0,
                    "other_days": 0,
                    "cas_fraction": 0,
                    "ias_hours": ias_hours,
                }.items()
            ],
        ),
        "costs": _write(
            d,
            "costs",
            [
                {"role": r, "parameter": p, "value": v, "source": src}
                for r in ROLES
                for p, v in (("salary", SALARY[r]), ("oncost_rate", 0.0))
            ],
        ),
        "supply": _write(
            d, "supply", [{"area": "A", "role": r, "fte": f} for r, f in SUPPLY.items()]
        ),
        "flows": _write(
            d,
            "flows",
            [
                {"role": r, "parameter": p, "value": 0.0, "source": src}
                for r in ROLES
                for p in ("joiner_rate", "leaver_rate")
            ],
        ),
    }
    (d / "hand.yaml").write_text(
        yaml.safe_dump(
            {"name": "hand", "base_year": 2025, "horizon": 1, "draws": 0, "inputs": inputs}
        )
    )
    return d / "hand.yaml"


def _share(o, activity, role):
    s = o.shares.set_index(["activity", "role"])["optimised"]
    return float(s.get((activity, role), 0.0))


def test_the_hand_worked_programme(hand):
    o = wfkit.optimise(hand)
    assert o.year == 2026
    assert o.value == pytest.approx(92_500, rel=1e-9)
    assert _share(o, "a1", "gp") == pytest.approx(1.0)
    assert _share(o, "a2", "pharmacist") == pytest.approx(0.75)
    assert _share(o, "a2", "gp") == pytest.approx(0.25)
    lim = o.limits.set_index(["kind", "role"])
    assert lim.loc[("fte_limit", "pharmacist"), "shadow_price"] == pytest.approx(-15_000)
    assert bool(lim.loc[("fte_limit", "pharmacist"), "binding"])
    assert not bool(lim.loc[("fte_limit", "gp"), "binding"])
    assert lim.loc[("fte_limit", "gp"), "value"] == pytest.approx(0.625)  # of 2 in post
    assert lim.loc[("fte_limit", "pharmacist"), "value"] == pytest.approx(0.5)
    assert o.binding()[0].startswith("one more clinical pharmacist FTE saves £15,000 a year")


def test_the_run_costs_what_the_programme_says(hand):
    o = wfkit.optimise(hand)
    c = o.comparison.set_index(["model", "role"])
    assert c.loc[("optimised", "all"), "cost_gbp"] == pytest.approx(o.value, rel=1e-9)
    assert c.loc[("optimised", "pharmacist"), "required_fte"] == pytest.approx(0.5, rel=1e-9)
    # today: all of both by the GP (1.0 FTE, £100,000); the future model: half and half
    assert c.loc[("today", "all"), "cost_gbp"] == pytest.approx(100_000)
    assert c.loc[("future_model", "all"), "cost_gbp"] == pytest.approx(
        0.5 * 50_000 + 0.5 * 52_000 + 0.5 * 50_000 + 0.5 * 40_000
    )
    f = wfkit.optimise(hand, objective="fte")  # the GP is quickest at both: 1.0 FTE
    assert f.value == pytest.approx(1.0)
    assert f.comparison.set_index(["model", "role"]).loc[
        ("optimised", "all"), "required_fte"
    ] == pytest.approx(f.value, rel=1e-9)


def test_individual_allowances_are_counted_where_a_role_works(tmp_path):
    # 100 hours a year of named duties: 0.1 FTE of each role that works.  The programme keeps
    # 0.1 of the pharmacist's 0.5 FTE for them, so 0.4 FTE does 60% of a2; the nurse, with no
    # work, carries none in the run, nor in the optimum reported
    run = run_scenario(_hand_scenario(tmp_path, ias_hours=100))
    o = wfkit.optimise(run)
    assert _share(o, "a2", "pharmacist") == pytest.approx(0.6)
    assert o.value == pytest.approx(50_000 + 0.6 * 40_000 + 0.4 * 50_000 + 10_000 + 6_000)
    c = o.comparison.set_index(["model", "role"])
    assert c.loc[("optimised", "all"), "cost_gbp"] == pytest.approx(o.value, rel=1e-9)
    assert c.loc[("optimised", "practice_nurse"), "required_fte"] == 0


def test_the_skill_mix_rows_round_trip_through_a_scenario_file(hand, tmp_path):
    o = wfkit.optimise(hand)
    rows = o.scenario["variants"][1]["overrides"]["skill_mix"]
    assert rows == o.overrides
    assert {"activity": "a2", "role": "pharmacist", "future": pytest.approx(0.75)} in rows
    path = tmp_path / "best.yaml"
    path.write_text(yaml.safe_dump(o.scenario, sort_keys=False))
    again = run_scenario(load_scenario(path))
    inp = again.inputs["optimised"]
    k, r = inp.activities.index("a2"), inp.roles.index("pharmacist")
    assert inp.shares_future[k, r] == pytest.approx(0.75)
    assert inp.shares()[-1][k, r] == pytest.approx(0.75)  # complete by the year
    cost = again.results["optimised"].cost_gbp[0][:, -1].sum()
    assert cost == pytest.approx(o.value, rel=1e-9)


def test_a_floor_binds_and_is_priced(hand):
    o = wfkit.optimise(hand, limits=[{"activity": "a2", "role": "gp", "min_share": 0.5}])
    # the pharmacist: half of a2 (0.333 FTE), the rest (0.167 FTE) on a1, 22.2% of it
    assert _share(o, "a2", "pharmacist") == pytest.approx(0.5)
    assert _share(o, "a1", "pharmacist") == pytest.approx(0.5 / 3 / 0.75)
    assert o.value == pytest.approx(45_000 + 0.5 / 3 / 0.75 * 45_000 + (1 - 2 / 9) * 50_000)
    floor = o.limits[o.limits["kind"] == "floor"].iloc[0]
    # a point of a2 moved to the GP costs £100, and frees pharmacist time worth £44.44 on a1
    assert floor["shadow_price"] == pytest.approx(100 * (1 - 6_666.67 / 15_000) * 100, rel=1e-4)
    assert "GP doing at least 50% of a2 costs £56 a year for each percentage point" in (o.binding())


def test_loosening_a_limit_never_raises_the_optimum(hand):
    costs = [wfkit.optimise(hand, max_fte={"gp": g}).value for g in (0.45, 0.5, 0.7, 1.0, 5.0)]
    assert all(b <= a + 1e-6 for a, b in zip(costs, costs[1:], strict=False))
    assert costs[0] > costs[-1]
    ftes = [wfkit.optimise(hand, objective="fte", budget=b).value for b in (93e3, 95e3, 97e3, 1e5)]
    assert all(b <= a + 1e-9 for a, b in zip(ftes, ftes[1:], strict=False))
    assert ftes[0] > ftes[-1]


def test_a_budget_that_never_binds_gives_the_unconstrained_optimum(hand):
    free = wfkit.optimise(hand, objective="fte")
    rich = wfkit.optimise(hand, objective="fte", budget=1e9)
    assert rich.value == pytest.approx(free.value)
    pd.testing.assert_frame_equal(rich.shares, free.shares)
    budget = rich.limits[rich.limits["kind"] == "budget"].iloc[0]
    assert not budget["binding"] and budget["shadow_price"] == 0
    tight = wfkit.optimise(hand, objective="fte", budget=95_000)
    assert tight.value > free.value
    assert any(w.startswith("£1,000 more budget saves") for w in tight.binding())
    assert tight.comparison.set_index(["model", "role"]).loc[
        ("optimised", "all"), "cost_gbp"
    ] == pytest.approx(95_000, rel=1e-6)


def _rules(cap):
    """Core pays anyone; the ARRS pays pharmacists only, up to ``cap`` a FTE (2026/27)."""
    rows = [
        {"year": "2026/27", "stream": "core", "role": r, "eligible": 1, "source": "test"}
        for r in ROLES
    ]
    rows += [
        {
            "year": "2026/27",
            "stream": "arrs",
            "role": r,
            "eligible": int(r == "pharmacist"),
            "max_gbp_per_fte": cap if r == "pharmacist" else None,
            "source": "test",
        }
        for r in ROLES
    ]
    return pd.DataFrame(rows)


def test_money_by_funding_stream(hand):
    free = wfkit.optimise(
        hand, objective="fte", budget={"core": 1e9, "arrs": 1e9}, funding=_rules(50_000)
    )
    assert free.value == pytest.approx(1.0)  # all by the GP: £100,000, from core
    o = wfkit.optimise(
        hand, objective="fte", budget={"core": 70_000, "arrs": 40_000}, funding=_rules(50_000)
    )
    c = o.comparison.set_index(["model", "role"])
    ph = c.loc[("optimised", "pharmacist")]
    arrs = min(40_000, 50_000 * ph["required_fte"])  # what the ARRS can pay the pharmacist
    others = c.loc[("optimised", "all"), "cost_gbp"] - ph["cost_gbp"]
    assert others + (ph["cost_gbp"] - arrs) <= 70_000 * (1 + 1e-6)  # the rest from core
    assert o.value > free.value
    assert any(w.startswith("£1,000 more of core practice funding saves") for w in o.binding())
    looser = wfkit.optimise(
        hand, objective="fte", budget={"core": 75_000, "arrs": 40_000}, funding=_rules(50_000)
    )
    assert looser.value <= o.value + 1e-9
    capped = wfkit.optimise(
        hand, objective="fte", budget={"core": 70_000, "arrs": 40_000}, funding=_rules(48_000)
    )
    assert capped.value >= o.value - 1e-9  # a lower ARRS cap per FTE never helps
    with pytest.raises(InputError, match="unknown funding stream 'pcn'"):
        wfkit.optimise(hand, budget={"core": 1e6, "pcn": 1})
    # a1 left as it is today (the GP's): the GP must be paid, and the ARRS may not
    with pytest.raises(InputError, match="no funding stream in the budget may pay for GP"):
        wfkit.optimise(hand, activities=["a2"], budget={"arrs": 1e6}, funding=_rules(50_000))
    # with ARRS money only, roles it may not pay take none of the work: here too little is left
    with pytest.raises(InputError, match="no skill mix meets"):
        wfkit.optimise(hand, budget={"arrs": 1e6}, funding=_rules(50_000))


def test_the_bundled_arrs_rules_apply_by_the_years_own_financial_year(hand):
    o = wfkit.optimise(hand, budget={"core": 1e9, "arrs": 1e9})  # 2026 -> 2026/27
    caps = o.limits[o.limits["kind"] == "stream_cap"].set_index("role")["bound"]
    assert caps["pharmacist"] == 86_857 and caps["gp"] == 148_737
    assert o.value == pytest.approx(92_500)


def test_limits_no_mix_can_meet_name_the_tightest(hand):
    # a2 needs 0.5 FTE of GP or 0.667 of pharmacist: 0.1 GP + 0.5 pharmacist do 95% of it
    with pytest.raises(InputError) as e:
        wfkit.optimise(hand, max_fte={"gp": 0.1})
    msg = str(e.value)
    assert "The tightest: GP FTE at most 0.1 (the maximum given)" in msg
    assert "objective='shortfall'" in msg
    short = wfkit.optimise(hand, objective="shortfall", max_fte={"gp": 5})
    assert short.value == pytest.approx(0.0, abs=1e-6)
    assert short.run is not None


def test_the_shortfall_objective_keeps_the_cheapest_of_its_mixes(hand):
    o = wfkit.optimise(hand, objective="shortfall")
    assert o.value == pytest.approx(0.0, abs=1e-6)  # enough staff: no shortfall, then the cheapest
    cost = o.comparison.set_index(["model", "role"]).loc[("optimised", "all"), "cost_gbp"]
    assert cost == pytest.approx(92_500, rel=1e-6)


@pytest.mark.parametrize(
    ("limits", "kw", "match"),
    [
        (
            [{"activity": "a2", "role": "gp", "min_share": 0.6, "max_share": 0.4}],
            {},
            "min_share 0.6 is above max_share 0.4",
        ),
        ([{"activity": "a2", "role": "doctor", "min_share": 0.5}], {}, "unknown role 'doctor'"),
        ([{"activity": "a9", "role": "gp", "min_share": 0.5}], {}, "unknown activity 'a9'"),
        ([{"activity": "a2", "role": "gp", "max_share": 1.5}], {}, r"1.5 is outside \[0, 1\]"),
        ([{"activity": "a2", "role": "gp", "min_share": -0.1}], {}, r"-0.1 is outside \[0, 1\]"),
        ([{"activity": "a2", "role": "practice_nurse", "min_share": 0.1}], {}, "may not do a2"),
        (
            [
                {"activity": "a2", "role": "gp", "min_share": 0.7},
                {"activity": "a2", "role": "pharmacist", "min_share": 0.7},
            ],
            {},
            "floors of a2 sum to 1.4",
        ),
        (
            [
                {"activity": "a2", "role": "gp", "max_share": 0.2},
                {"activity": "a2", "role": "pharmacist", "max_share": 0.2},
            ],
            {},
            "can reach only 0.4",
        ),
        (
            [{"activity": "a2", "role": "gp", "min_shar": 0.2}],
            {},
            r"unknown key\(s\) \['min_shar'\]",
        ),
        (None, {"objective": "money"}, "objective 'money'"),
        (None, {"year": 2030}, "year 2030 is not modelled"),
        (None, {"year": 2025}, "is the base year"),
        (None, {"max_fte": {"gp": -1}}, "expected 0 FTE or more"),
        (None, {"budget": -5}, "expected GBP a year"),
        (None, {"places": {"surgeon": 1}}, "unknown role 'surgeon'"),
        (None, {"activities": ["a7"]}, "unknown activity 'a7'"),
        (None, {"activities": []}, "no activities given"),
        (None, {"places": {"gp": -1}}, "expected 0 or more a year"),
        (pd.DataFrame([{"activity": "a2", "role": "gp", "min_share": 2.0}]), {}, "2 is outside"),
    ],
)
def test_bad_limits_give_one_clear_error(hand, limits, kw, match):
    with pytest.raises(InputError, match=match):
        wfkit.optimise(hand, limits=limits, **kw)


def test_only_the_activities_named_move(hand):
    o = wfkit.optimise(hand, activities=["a1"])
    assert set(o.shares["activity"]) == {"a1"}
    # a2 stays with the GP (today), so a1 takes the pharmacist: 0.5 / 0.75 of it
    assert _share(o, "a1", "pharmacist") == pytest.approx(2 / 3)
    assert {"activity": "a2", "role": "gp", "future": 1.0} in o.overrides
    c = o.comparison.set_index(["model", "role"])
    assert c.loc[("optimised", "all"), "cost_gbp"] == pytest.approx(o.value, rel=1e-9)


def _skills_where_a2_needs(course_days):
    t = load_skills_tables()
    comps = pd.concat(
        [
            t.competencies,
            pd.DataFrame(
                [
                    {
                        "competency": "c2",
                        "description": "test",
                        "course_days": course_days,
                        "course_fee_gbp": 0,
                        "source": "test",
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    ac = pd.concat(
        [t.activity_competencies, pd.DataFrame([{"activity": "a2", "competency": "c2"}])],
        ignore_index=True,
    )
    rc = pd.concat(
        [
            t.role_competencies,
            pd.DataFrame(
                [
                    {
                        "role": "gp",
                        "competency": "c2",
                        "baseline": 1,
                        "share_trained": 0,
                        "eligible": 1,
                        "source": "test",
                    },
                    {
                        "role": "pharmacist",
                        "competency": "c2",
                        "baseline": 0,
                        "share_trained": 0,
                        "eligible": 1,
                        "source": "test",
                    },
                ]
            ),
        ],
        ignore_index=True,
    )
    return make_skills_tables(comps, ac, rc, t.pipeline, t.fte_per_head)


def test_a_role_needs_the_competency_or_time_to_gain_it(hand):
    slow = wfkit.optimise(hand, skills=_skills_where_a2_needs(100))  # 100 days > 40 in a year
    assert _share(slow, "a2", "pharmacist") == 0.0
    assert _share(slow, "a1", "pharmacist") == pytest.approx(0.5 / 0.75)
    assert slow.value == pytest.approx(50_000 + (2 / 3) * 45_000 + (1 / 3) * 50_000)
    assert any("pharmacist left out: it cannot be trained in c2 in time" in n for n in slow.notes)
    quick = wfkit.optimise(hand, skills=_skills_where_a2_needs(20))
    assert quick.value == pytest.approx(92_500)


def test_pipeline_fte_by_hand():
    t = load_skills_tables()
    # GP: 3 years' training, 5% attrition, a year to full productivity, 0.73 FTE a head.
    # Places of 2026 qualify in 2029 (their second year in post in 2030: 0.73 FTE), those of
    # 2027 in 2030 (first year, half productive: 0.365); 10 a year x 0.95 x 1.095
    got = pipeline_fte({"gp": 10, "pharmacist": 3, "paramedic": math.inf}, t, 2030, 2026)
    assert got["gp"] == pytest.approx(10 * 0.95 * (0.73 + 0.365))
    assert got["pharmacist"] == 0.0  # five years' training: none by 2030
    assert got["paramedic"] == math.inf
    with pytest.raises(InputError, match="expected 0 or more"):
        pipeline_fte({"gp": -1}, t, 2030, 2026)


def test_places_add_what_the_pipeline_delivers(hand):
    # one year ahead nothing trained arrives (GP 3 years, pharmacist 5): the optimum stands
    o = wfkit.optimise(hand, places={"pharmacist": 100, "gp": 100})
    assert o.value == pytest.approx(92_500)
    lim = o.limits.set_index(["kind", "role"])
    assert lim.loc[("fte_limit", "pharmacist"), "bound"] == pytest.approx(0.5)


def test_the_funding_table_cites_every_row_and_knows_the_rules():
    rules = funding_rules()
    assert rules["source"].str.len().gt(20).all()
    assert rules["basis"].notna().all()
    elig, cap = stream_caps(
        rules, "2025/26", ["core", "arrs"], ["gp", "pharmacist", "receptionist"]
    )
    assert elig.tolist() == [[1, 1, 1], [1, 1, 0]]
    assert math.isinf(cap[0, 0]) and cap[1, 0] == round(82_418 * 92_462 / 73_113)
    # ARRS GPs: newly qualified from 2024/25 at the published £92,462; practice nurses 2025/26
    gp24 = rules[
        (rules["year"] == "2024/25") & (rules["stream"] == "arrs") & (rules["role"] == "gp")
    ]
    assert gp24["max_gbp_per_fte"].item() == 92_462
    nurse = rules[(rules["stream"] == "arrs") & (rules["role"] == "practice_nurse")]
    assert nurse.set_index("year")["eligible"].to_dict() == {
        "2024/25": 0,
        "2025/26": 1,
        "2026/27": 1,
    }
    with pytest.raises(InputError, match="no funding rules for '2031/32'"):
        stream_caps(rules, "2031/32", ["core"], ["gp"])


def test_the_example_scenario_optimises_and_runs_to_the_same_cost():
    run = run_scenario("example", draws=0)
    o = wfkit.optimise(run)
    c = o.comparison.set_index(["model", "role"])
    assert c.loc[("optimised", "all"), "cost_gbp"] == pytest.approx(o.value, rel=1e-6)
    assert o.value <= c.loc[("today", "all"), "cost_gbp"]  # today's mix is a feasible one
    assert np.isclose(o.shares.groupby("activity")["optimised"].sum(), 1.0).all()
    # a scenario by its name; with only same-day work free, the GPs' other work at today's
    # shares leaves too few GPs for it: the shortfall is what no mix of it avoids
    with pytest.raises(InputError, match="The tightest: GP FTE at most 32.8"):
        wfkit.optimise("example", activities=["same_day"])
    by_name = wfkit.optimise("example", activities=["same_day"], objective="shortfall")
    assert set(by_name.shares["activity"]) == {"same_day"}
    gp = by_name.comparison.set_index(["model", "role"]).loc[("optimised", "gp")]
    assert by_name.value == pytest.approx(gp["required_fte"] - gp["supply_fte"], rel=1e-6)
    assert by_name.value > 0


def _random_problem(seed, K=4, R=5):
    """A random programme's arrays: one area, every role allowed where it has minutes."""
    from wfkit.optimiser_lp import Problem

    rng = np.random.default_rng(seed)
    allowed = rng.random((K, R)) < 0.6
    allowed[np.arange(K), rng.integers(0, R, K)] = True
    hours = np.where(allowed, rng.uniform(100, 2_000, (K, R)), 0.0)[None]  # (1, K, R)
    per_hour = np.full(R, 1 / 1_500)
    today = allowed / allowed.sum(axis=1, keepdims=True)
    coef = hours[0] * per_hour
    return Problem(
        roles=[f"r{i}" for i in range(R)],
        activities=[f"a{i}" for i in range(K)],
        coef=coef,
        allowed=allowed,
        fixed=np.zeros(R),
        cpf=rng.uniform(30_000, 130_000, R),
        supply=(coef * today).sum(axis=0) * rng.uniform(0.9, 1.6, R),
        pipeline=np.zeros(R),
        today=today,
        future=today,
        lo=np.zeros((K, R)),
        hi=allowed.astype(float),
        limited=np.zeros((K, R), dtype=bool),
        max_fte=np.full(R, np.inf),
        area_hours=hours,
        fixed_hours=np.zeros((1, R)),
        per_hour=per_hour,
        iaf=np.zeros(R),
    )


def _optimum(p, objective="cost", budget=None):
    from wfkit.optimiser_lp import programme, solve

    lp = programme(p, objective, budget, None, "")
    res = solve(lp)
    return (float(res.fun) + lp.const) if res.status == 0 else math.inf


@pytest.mark.parametrize("seed", range(25))
def test_invariants_on_random_programmes(seed):
    p = _random_problem(seed)
    base = _optimum(p)
    rng = np.random.default_rng(1000 + seed)
    for _ in range(3):  # loosening any role's limit never raises the optimum cost
        r = int(rng.integers(0, len(p.roles)))
        p.supply[r] *= 1.0 + rng.uniform(0.05, 0.5)
        looser = _optimum(p)
        assert looser <= base * (1 + 1e-9) + 1e-6
        base = looser
    fte = _optimum(p, "fte")
    if math.isfinite(fte):  # a budget that never binds changes nothing; one below the
        assert _optimum(p, "fte", budget=1e12) == pytest.approx(fte, rel=1e-9)  # least cost
        assert _optimum(p, "fte", budget=base * (1 - 1e-3)) == math.inf  # none meets


def test_the_comparison_as_a_table_people_read(hand):
    html = wfkit.optimise(hand).table().to_html()
    assert "Clinical pharmacist" in html and ">All<" in html
    assert "FTE required, optimised" in html and "Cost, today (£ million a year)" in html
    assert "0.1" in html  # £92,500 as £ million, one decimal


def test_limits_as_a_frame_with_gaps(hand):
    frame = pd.DataFrame(
        [
            {"activity": "a2", "role": "gp", "min_share": 0.5},  # max_share missing: 1
            {"activity": "a1", "role": "gp", "max_share": 0.9},  # min_share missing: 0
        ]
    )
    o = wfkit.optimise(hand, limits=frame)
    assert _share(o, "a2", "gp") == pytest.approx(0.5)
    assert _share(o, "a1", "gp") <= 0.9 + 1e-9
    kinds = set(o.limits["kind"])
    assert {"floor", "ceiling"} <= kinds
