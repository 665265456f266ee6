"""Unit tests of wfkit.skills: competency tables, training needs, cost, retention, pipeline."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wfkit.errors import InputError
from wfkit.skills import (
    ROLES,
    SKILLS_SPECS,
    chart_pipeline,
    chart_training_needs,
    check_activities,
    competency_workload,
    load_skills_tables,
    make_skills_tables,
    pipeline_inputs,
    pipeline_plan,
    retained_capacity,
    retention_curve,
    role_rates_frame,
    role_rates_from_result,
    skills_data_dir,
    summarise_training,
    training_cost,
    training_needs,
    training_plan,
)

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------------------
# the worked example of docs/skills.md: one area, two roles, two competencies, three years
# --------------------------------------------------------------------------------------
def _frames() -> dict[str, pd.DataFrame]:
    return dict(
        competencies=pd.DataFrame(
            {
                "competency": ["foot_check", "prescribing"],
                "description": ["diabetes foot check", "independent prescribing"],
                "course_days": [1.0, 30.0],
                "course_fee_gbp": [100.0, 2000.0],
                "source": "test",
            }
        ),
        activity_competencies=pd.DataFrame(
            {
                "activity": ["t2d_foot_check", "medication_review"],
                "competency": ["foot_check", "prescribing"],
            }
        ),
        role_competencies=pd.DataFrame(
            {
                "role": ["gp", "gp", "practice_nurse", "practice_nurse"],
                "competency": ["foot_check", "prescribing", "foot_check", "prescribing"],
                "baseline": [1, 1, 0, 0],
                "share_trained": [1.0, 1.0, 0.2, 0.1],
                "eligible": [1, 1, 1, 1],
                "source": "test",
            }
        ),
        pipeline=pd.DataFrame(
            {
                "role": ["gp", "practice_nurse"],
                "training_years": [3.0, 1.0],
                "attrition_rate_in_training": [0.05, 0.2],
                "time_to_full_productivity_years": [1.0, 1.0],
                "commitment_years": [2.0, 2.0],
                "post_commitment_leaver_rate": [0.07, 0.1],
                "source": "test",
            }
        ),
        fte_per_head=pd.DataFrame(
            {"role": ["gp", "practice_nurse"], "fte_per_head": [0.75, 0.8], "source": "test"}
        ),
    )


@pytest.fixture
def tables():
    return make_skills_tables(**_frames())


def _workload() -> pd.DataFrame:
    """Nurses take over foot checks and medication reviews from 2026; GPs give up reviews."""
    rows = [
        # year, activity, role, fte
        (2025, "t2d_foot_check", "practice_nurse", 0.8),
        (2025, "immunisation", "practice_nurse", 3.2),
        (2026, "t2d_foot_check", "practice_nurse", 1.6),
        (2026, "medication_review", "practice_nurse", 0.8),
        (2026, "immunisation", "practice_nurse", 3.2),
        (2027, "t2d_foot_check", "practice_nurse", 2.4),
        (2027, "medication_review", "practice_nurse", 1.6),
        (2027, "immunisation", "practice_nurse", 3.2),
        (2025, "medication_review", "gp", 2.0),
        (2025, "same_day_minor_illness", "gp", 6.0),
        (2026, "medication_review", "gp", 1.2),
        (2026, "same_day_minor_illness", "gp", 6.0),
        (2027, "medication_review", "gp", 0.4),
        (2027, "same_day_minor_illness", "gp", 6.0),
    ]
    df = pd.DataFrame(rows, columns=["year", "activity", "role", "fte"])
    df.insert(0, "area", "A")
    df["hours"] = df["fte"] * 1500.0
    return df


def _get(df: pd.DataFrame, **keys) -> pd.Series:
    m = np.ones(len(df), dtype=bool)
    for k, v in keys.items():
        m &= (df[k] == v).to_numpy()
    assert m.sum() == 1, keys
    return df.loc[m].iloc[0]


def test_worked_example_training_needs(tables):
    n = training_needs(_workload(), tables)
    # nurses: base-year FTE 0.8 + 3.2 = 4.0 -> 4.0 / 0.8 = 5 heads today
    # foot_check: need = FTE on foot checks / 0.8 = 1, 2, 3 heads in 2025, 2026, 2027
    #   already trained = max(5 x 0.2, base-year need 1) = 1 -> gap 0, 1, 2 -> train 0, 1, 1
    # prescribing: need = 0, 0.8/0.8 = 1, 1.6/0.8 = 2 heads
    #   already trained = max(5 x 0.1, 0) = 0.5 -> gap 0, 0.5, 1.5 -> train 0, 0.5, 1
    # GPs hold both as baseline -> no gap
    exp = {
        ("foot_check", 2025): (1.0, 1.0, 0.0, 0.0),
        ("foot_check", 2026): (2.0, 1.0, 1.0, 1.0),
        ("foot_check", 2027): (3.0, 1.0, 2.0, 1.0),
        ("prescribing", 2025): (0.0, 0.5, 0.0, 0.0),
        ("prescribing", 2026): (1.0, 0.5, 0.5, 0.5),
        ("prescribing", 2027): (2.0, 0.5, 1.5, 1.0),
    }
    for (c, y), (need, trained, gap, train) in exp.items():
        r = _get(n, role="practice_nurse", competency=c, year=y)
        assert r["need_heads"] == pytest.approx(need)
        assert r["trained_heads"] == pytest.approx(trained)
        assert r["shortfall_heads"] == pytest.approx(gap)
        assert r["to_train_heads"] == pytest.approx(train)
        assert r["need_fte"] == pytest.approx(need * 0.8)
        assert r["shortfall_fte"] == pytest.approx(gap * 0.8)
    gp = n.loc[n["role"] == "gp"]
    assert (gp["shortfall_heads"] == 0).all() and (gp["to_train_heads"] == 0).all()
    # GP prescribing need: 2.0 / 0.75, 1.2 / 0.75, 0.4 / 0.75 heads
    assert _get(n, role="gp", competency="prescribing", year=2026)["need_heads"] == pytest.approx(
        1.6
    )
    assert list(n.columns[:4]) == ["area", "year", "role", "competency"]
    assert len(n) == 3 * (1 + 2)  # 3 years x (gp prescribing + 2 nurse competencies)


def test_worked_example_cost(tables):
    n = training_needs(_workload(), tables)
    rates = pd.DataFrame(
        {
            "role": ["gp", "practice_nurse"],
            "cost_per_hour": [100.0, 30.0],
            "hours_per_day": 7.5,
            "awt_hours": 1500.0,
        }
    )
    c = training_cost(n, tables, rates)
    # 2026 foot check: 1 head x 1 day = 1 day = 7.5 h; FTE lost 7.5 / 1500 = 0.005
    #   fees 1 x 100 = 100; backfill 7.5 h x 30 = 225; cost 325
    r = _get(c, role="practice_nurse", competency="foot_check", year=2026)
    assert (r["training_days"], r["fte_lost"], r["fees_gbp"], r["backfill_gbp"], r["cost_gbp"]) == (
        pytest.approx(1.0),
        pytest.approx(0.005),
        pytest.approx(100.0),
        pytest.approx(225.0),
        pytest.approx(325.0),
    )
    # 2026 prescribing: 0.5 heads x 30 days = 15 days = 112.5 h; FTE lost 0.075
    #   fees 0.5 x 2000 = 1000; backfill 112.5 x 30 = 3375; cost 4375
    r = _get(c, role="practice_nurse", competency="prescribing", year=2026)
    assert (r["training_days"], r["fte_lost"], r["fees_gbp"], r["backfill_gbp"], r["cost_gbp"]) == (
        pytest.approx(15.0),
        pytest.approx(0.075),
        pytest.approx(1000.0),
        pytest.approx(3375.0),
        pytest.approx(4375.0),
    )
    # 2027 prescribing: 1 head x 30 days = 225 h; FTE lost 0.15; 2000 + 6750 = 8750
    r = _get(c, role="practice_nurse", competency="prescribing", year=2027)
    assert r["fte_lost"] == pytest.approx(0.15) and r["cost_gbp"] == pytest.approx(8750.0)
    # total: 325 + 4375 + 325 + 8750 = 13,775
    assert c["cost_gbp"].sum() == pytest.approx(13775.0)
    s = summarise_training(c)
    assert s["cost_gbp"].sum() == pytest.approx(13775.0)
    # fees: 100 + 1,000 + 100 + 2,000; days: 1 + 15 + 1 + 30
    assert s["fees_gbp"].sum() == pytest.approx(3200.0)
    assert s["training_days"].sum() == pytest.approx(47.0)
    assert "course_fee_gbp" not in s
    assert s.iloc[0]["competency"] == "prescribing"  # sorted by cost
    assert _get(s, role="practice_nurse", competency="prescribing")[
        "to_train_heads"
    ] == pytest.approx(1.5)


def test_defaults_and_role_specific_course(tables):
    f = _frames()
    f["role_competencies"]["course_days"] = [np.nan, np.nan, 2.0, np.nan]
    f["role_competencies"]["course_fee_gbp"] = [np.nan, np.nan, np.nan, 500.0]
    t = make_skills_tables(**f)
    n = training_needs(_workload(), t)
    c = training_cost(
        n, t, pd.DataFrame({"role": ["gp", "practice_nurse"], "cost_per_hour": [0.0, 0.0]})
    )
    r = _get(c, role="practice_nurse", competency="foot_check", year=2026)
    assert r["training_days"] == pytest.approx(2.0)  # role override of 1 day
    assert r["fte_lost"] == pytest.approx(2 * 7.5 / 1572.0)  # default hours per day and AWT
    r = _get(c, role="practice_nurse", competency="prescribing", year=2027)
    assert r["fees_gbp"] == pytest.approx(500.0)


def test_role_rates_frame():
    rr = role_rates_frame(
        ["gp", "hca"], np.array([150_000.0, 30_000.0]), np.array([1500.0, 1600.0])
    )
    assert rr["cost_per_hour"].tolist() == pytest.approx([100.0, 18.75])
    assert rr["hours_per_day"].tolist() == [7.5, 7.5]


def test_baseline_workload_counts_business_as_usual(tables):
    wl = _workload()
    base = wl.copy()
    # today's model: nurse foot checks grow with demand only (0.8, 1.2, 1.6 FTE), no reviews
    base = base.loc[
        ~((base["role"] == "practice_nurse") & (base["activity"] == "medication_review"))
    ]
    base.loc[(base["role"] == "practice_nurse") & (base["activity"] == "t2d_foot_check"), "fte"] = [
        0.8,
        1.2,
        1.6,
    ]
    n = training_needs(wl, tables, baseline=base)
    # foot_check covered = max(1, 1, 1.5, 2) -> gap 0, 0.5, 1
    got = n.loc[
        (n["role"] == "practice_nurse") & (n["competency"] == "foot_check"), "shortfall_heads"
    ]
    assert got.tolist() == pytest.approx([0.0, 0.5, 1.0])


def test_share_of_time_and_cap(tables):
    n = training_needs(_workload(), tables, share_of_time=0.5)
    # prescribing 2027: 1.6 FTE / 0.5 = 3.2 FTE -> 4 heads; foot 2027: 2.4 / 0.5 = 4.8 FTE
    # is capped at the nurses' 7.2 FTE? no: 4.8 < 7.2 -> 6 heads
    assert _get(n, role="practice_nurse", competency="prescribing", year=2027)[
        "need_heads"
    ] == pytest.approx(4.0)
    assert _get(n, role="practice_nurse", competency="foot_check", year=2027)[
        "need_heads"
    ] == pytest.approx(6.0)
    n = training_needs(_workload(), tables, share_of_time=0.1)
    # 24 FTE would exceed the role: capped at 7.2 FTE = 9 heads
    assert _get(n, role="practice_nurse", competency="foot_check", year=2027)[
        "need_heads"
    ] == pytest.approx(9.0)
    with pytest.raises(InputError, match="share_of_time"):
        training_needs(_workload(), tables, share_of_time=0.0)


def test_current_fte_override(tables):
    cur = pd.DataFrame({"area": ["A", "A"], "role": ["gp", "practice_nurse"], "fte": [8.0, 8.0]})
    n = training_needs(_workload(), tables, current_fte=cur)
    # 8 FTE / 0.8 = 10 nurses; 10 x 0.2 = 2 already hold foot_check -> gap 0, 0, 1
    got = n.loc[
        (n["role"] == "practice_nurse") & (n["competency"] == "foot_check"), "shortfall_heads"
    ]
    assert got.tolist() == pytest.approx([0.0, 0.0, 1.0])


def test_competency_workload_counts_each_competency(tables):
    f = _frames()
    f["activity_competencies"] = pd.concat(
        [
            f["activity_competencies"],
            pd.DataFrame({"activity": ["medication_review"], "competency": ["foot_check"]}),
        ]
    )
    t = make_skills_tables(**f)
    cw = competency_workload(_workload(), t)
    r = _get(cw, role="practice_nurse", competency="foot_check", year=2027)
    assert r["fte"] == pytest.approx(2.4 + 1.6) and r["role_fte"] == pytest.approx(7.2)


# --------------------------------------------------------------------------------------
# retention and pipeline
# --------------------------------------------------------------------------------------
def test_retention_curve():
    # commitment 2 years, then 10% a year: 1, 1, 0.9, 0.81; nothing before qualifying
    got = retention_curve(np.array([-1, 0, 1, 2, 3]), 2.0, 0.1)
    assert got.tolist() == pytest.approx([0.0, 1.0, 1.0, 0.9, 0.81])
    assert retention_curve(np.array([0, 1]), 0.0, 0.2).tolist() == pytest.approx([0.8, 0.64])


def test_retained_capacity(tables):
    cohorts = pd.DataFrame(
        {"area": "A", "year": [2026, 2027], "role": "practice_nurse", "heads": [10.0, 5.0]}
    )
    r = retained_capacity(cohorts, tables, horizon=2029)
    # 2028: the 2026 cohort is in its third year in post (0.9 stay), the 2027 cohort in its
    # second (in commitment): 10 x 0.9 + 5 = 14
    row = _get(r, year=2028)
    assert row["trained_heads"] == pytest.approx(15.0)
    assert row["in_commitment_heads"] == pytest.approx(5.0)
    assert row["retained_heads"] == pytest.approx(14.0)
    assert row["retained_fte"] == pytest.approx(14.0 * 0.8)
    # 2029: 10 x 0.81 + 5 x 0.9 = 12.6, nobody in commitment; 2027: all 15
    row = _get(r, year=2029)
    assert (row["retained_heads"], row["in_commitment_heads"]) == (pytest.approx(12.6), 0.0)
    assert row["retained_share"] == pytest.approx(12.6 / 15)
    assert _get(r, year=2027)["retained_heads"] == pytest.approx(15.0)
    assert _get(r, year=2026)["retained_heads"] == pytest.approx(10.0)
    # from training needs: nurses trained in 2026-27 stay through 2028 (commitment)
    n = training_needs(_workload(), tables)
    r = retained_capacity(n, tables, heads_col="to_train_heads", horizon=2029)
    assert set(r["competency"]) == {"foot_check", "prescribing"}


def _required(gaps, role="practice_nurse", start=2025) -> pd.DataFrame:
    years = np.arange(start, start + len(gaps))
    return pd.DataFrame(
        {
            "area": "A",
            "year": years,
            "role": role,
            "required_fte": 10.0 + np.asarray(gaps),
            "supply_fte": 10.0,
        }
    )


def test_pipeline_worked_example(tables):
    # nurses: 1 year's training, 20% attrition, 1-year ramp, 2-year commitment, then 10% leave
    # FTE per qualified head in year j in post: e = 0.8 x q x retention
    #   q = 0.5, 1, 1, 1; retention = 1, 1, 0.9, 0.81 -> e = 0.4, 0.8, 0.72, 0.648
    p = pipeline_plan(_required([0.0, 0.8, 1.6, 1.6, 1.6]), tables)
    # 2026: 0.8 / 0.4 = 2 qualified -> 2 / 0.8 = 2.5 places commissioned in 2025
    # 2027: the 2026 cohort gives 2 x 0.8 = 1.6 -> nothing more
    # 2028: 2 x 0.72 = 1.44 -> 0.16 / 0.4 = 0.4 qualified -> 0.5 places in 2027
    # 2029: 2 x 0.648 + 0.4 x 0.8 = 1.616 >= 1.6 -> nothing more
    assert p["places"].tolist() == pytest.approx([0.0, 2.5, 0.0, 0.5, 0.0])
    assert p["commission_year"].tolist() == [2024, 2025, 2026, 2027, 2028]
    assert p["qualified_heads"].tolist() == pytest.approx([0.0, 2.0, 0.0, 0.4, 0.0])
    assert p["pipeline_fte"].tolist() == pytest.approx([0.0, 0.8, 1.6, 1.6, 1.616])
    assert p["pipeline_heads"].tolist() == pytest.approx([0.0, 2.0, 2.0, 2.2, 2.02])
    assert not p["cannot_meet"].any()
    assert (p["pipeline_fte"] >= p["shortfall_fte"] - 1e-9).all()


def test_pipeline_cannot_meet(tables):
    # a gap in 2025 needs places in 2024: too late; GPs (3 years) cannot fill 2026-27 either
    p = pipeline_plan(_required([0.4, 0.8, 0.8]), tables)
    r = _get(p, year=2025)
    assert r["cannot_meet"] and r["unmet_fte"] == pytest.approx(0.4) and r["places"] == 0
    assert not _get(p, year=2026)["cannot_meet"]
    g = pipeline_plan(_required([0.0, 1.0, 1.0, 1.0], role="gp"), tables)
    assert g["cannot_meet"].tolist() == [False, True, True, False]
    assert g["commission_year"].tolist() == [2022, 2023, 2024, 2025]
    # 2028: a 3-year place commissioned in 2025 gives 0.75 x 0.5 = 0.375 FTE a head
    assert _get(g, year=2028)["qualified_heads"] == pytest.approx(1.0 / 0.375)
    assert _get(g, year=2028)["places"] == pytest.approx(1.0 / 0.375 / 0.95)
    # commissioning could have started earlier
    g2 = pipeline_plan(
        _required([0.0, 1.0, 1.0, 1.0], role="gp"), tables, first_commission_year=2022
    )
    assert not g2["cannot_meet"].any()
    # no area column is fine
    p2 = pipeline_plan(_required([0.0, 0.8]).drop(columns="area"), tables)
    assert "area" not in p2 and p2["places"].tolist() == pytest.approx([0.0, 2.5])


# --------------------------------------------------------------------------------------
# invariants
# --------------------------------------------------------------------------------------
_fte = st.floats(0.0, 5.0, allow_nan=False)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(_fte, _fte, _fte), min_size=3, max_size=3), st.floats(0.1, 1.0))
def test_no_need_when_future_equals_today(tables, fte, share):
    """Same who-does-what as today (baseline = scenario): nothing to train, whatever demand does."""
    rows = []
    for i, (foot, review, other) in enumerate(fte):
        for act, role, v in (
            ("t2d_foot_check", "practice_nurse", foot),
            ("medication_review", "practice_nurse", review),
            ("immunisation", "practice_nurse", other),
            ("medication_review", "gp", review),
        ):
            rows.append(("A", 2025 + i, act, role, v))
    wl = pd.DataFrame(rows, columns=["area", "year", "activity", "role", "fte"])
    n = training_needs(wl, tables, baseline=wl, share_of_time=share)
    assert (n["shortfall_heads"] == 0).all() and (n["to_train_heads"] == 0).all()
    # same work every year and no baseline given: the base year stands for today
    flat = wl.assign(fte=wl.groupby(["activity", "role"])["fte"].transform("first"))
    n = training_needs(flat, tables)
    assert (n["to_train_heads"] == 0).all()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_fte, min_size=2, max_size=8))
def test_to_train_adds_up_to_largest_gap(tables, foot):
    wl = pd.DataFrame(
        {
            "area": "A",
            "year": 2025 + np.arange(len(foot)),
            "activity": "t2d_foot_check",
            "role": "practice_nurse",
            "fte": foot,
        }
    )
    n = training_needs(wl, tables)
    assert (n["to_train_heads"] >= 0).all()
    assert n["to_train_heads"].sum() == pytest.approx(n["shortfall_heads"].max())


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0.0, 20.0, allow_nan=False), min_size=1, max_size=10),
    st.floats(0.0, 0.95),
    st.floats(0.0, 0.95),
    st.integers(0, 4),
    st.floats(0.0, 3.0),
    st.floats(0.0, 4.0),
    st.floats(0.0, 0.5),
)
def test_more_attrition_never_fewer_places(gaps, a1, a2, years, ramp, commit, leave):
    lo, hi = sorted((a1, a2))
    f = _frames()

    def plan(att):
        f["pipeline"] = pd.DataFrame(
            {
                "role": ["gp", "practice_nurse"],
                "training_years": [3.0, float(years)],
                "attrition_rate_in_training": [0.0, att],
                "time_to_full_productivity_years": [0.0, ramp],
                "commitment_years": [0.0, commit],
                "post_commitment_leaver_rate": [0.0, leave],
                "source": "test",
            }
        )
        return pipeline_plan(_required(gaps), make_skills_tables(**f))

    p_lo, p_hi = plan(lo), plan(hi)
    assert (p_hi["places"].to_numpy() >= p_lo["places"].to_numpy() - 1e-9).all()
    # the plan meets every gap it can, and none it cannot
    ok = ~p_lo["cannot_meet"].to_numpy()
    assert (
        p_lo["pipeline_fte"].to_numpy()[ok] >= p_lo["shortfall_fte"].to_numpy()[ok] - 1e-6
    ).all()
    assert (p_lo["places"] >= 0).all()


# --------------------------------------------------------------------------------------
# bad input
# --------------------------------------------------------------------------------------
def _bad(table: str, **changes) -> dict[str, pd.DataFrame]:
    f = _frames()
    df = f[table].copy()
    for col, (i, v) in changes.items():
        df[col] = df[col].astype(object)
        df.loc[i, col] = v
    f[table] = df
    return f


@pytest.mark.parametrize(
    "table, changes, row, column, message",
    [
        ("pipeline", {"training_years": (1, -1.0)}, 3, "training_years", "below the minimum"),
        ("role_competencies", {"share_trained": (2, 1.2)}, 4, "share_trained", "above the maximum"),
        ("role_competencies", {"baseline": (0, 1), "eligible": (0, 0)}, 2, "eligible", "baseline"),
        ("role_competencies", {"eligible": (2, 0)}, 4, "share_trained", "never hold"),
        (
            "activity_competencies",
            {"competency": (0, "cytology")},
            2,
            "competency",
            "unknown competency",
        ),
        (
            "pipeline",
            {"attrition_rate_in_training": (0, 1.0)},
            2,
            "attrition_rate_in_training",
            "maximum",
        ),
        ("competencies", {"course_days": (0, "two")}, 2, "course_days", "non-numeric"),
        ("fte_per_head", {"role": (1, "nurse")}, 4, "role", "no FTE per head"),
    ],
)
def test_bad_tables(table, changes, row, column, message):
    f = _bad(table, **changes)
    with pytest.raises(InputError, match=message) as e:
        make_skills_tables(**f)
    expected_source = "role_competencies" if table == "fte_per_head" else table
    assert e.value.source == expected_source
    assert (e.value.row, e.value.column) == (row, column)


def test_competency_no_role_can_hold():
    f = _frames()
    f["role_competencies"]["eligible"] = [1, 0, 1, 0]
    f["role_competencies"]["baseline"] = [1, 0, 0, 0]
    f["role_competencies"]["share_trained"] = [1.0, 0.0, 0.2, 0.0]
    with pytest.raises(InputError, match="no role can ever hold") as e:
        make_skills_tables(**f)
    assert (e.value.source, e.value.row, e.value.column) == (
        "activity_competencies",
        3,
        "competency",
    )
    assert "'prescribing'" in str(e.value) and "'medication_review'" in str(e.value)


def test_bad_csv_names_file(tmp_path):
    for name in SKILLS_SPECS:
        (tmp_path / f"{name}.csv").write_text((skills_data_dir() / f"{name}.csv").read_text())
    p = tmp_path / "role_competencies.csv"
    lines = p.read_text().splitlines()
    cells = lines[5].split(",")
    cells[3] = "1.5"  # share_trained of data row 5 (spreadsheet row 6)
    lines[5] = ",".join(cells)
    p.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as e:
        load_skills_tables(tmp_path)
    assert e.value.source == str(p) and e.value.row == 6 and e.value.column == "share_trained"


def test_work_for_an_ineligible_role(tables):
    f = _frames()
    f["role_competencies"].loc[3, ["eligible", "share_trained"]] = [0, 0.0]
    t = make_skills_tables(**f)
    with pytest.raises(InputError, match="can never hold") as e:
        training_needs(_workload(), t)
    assert e.value.source == "workload" and "'practice_nurse'" in str(e.value)
    sm = pd.DataFrame(
        {
            "activity": ["medication_review", "medication_review"],
            "role": ["gp", "practice_nurse"],
            "current": [1.0, 0.0],
            "future": [0.2, 0.8],
        }
    )
    with pytest.raises(InputError, match="future share") as e:
        training_needs(_workload(), t, skill_mix=sm)
    assert (e.value.source, e.value.row, e.value.column) == ("skill_mix", 3, "future")
    # a role with no row at all is never eligible
    f["role_competencies"] = f["role_competencies"].iloc[:3]
    with pytest.raises(InputError, match="can never hold"):
        training_needs(_workload(), make_skills_tables(**f))


def test_bad_arguments(tables):
    n = training_needs(_workload(), tables)
    with pytest.raises(InputError, match="no cost per hour") as e:
        training_cost(n, tables, pd.DataFrame({"role": ["gp"], "cost_per_hour": [1.0]}))
    assert e.value.source == "role_rates"
    with pytest.raises(InputError) as e:
        training_cost(
            n, tables, pd.DataFrame({"role": ["gp", "practice_nurse"], "cost_per_hour": [1.0, -1]})
        )
    assert (e.value.source, e.value.row, e.value.column) == ("role_rates", 3, "cost_per_hour")
    wl = _workload()
    wl.loc[4, "fte"] = -1.0
    with pytest.raises(InputError) as e:
        training_needs(wl, tables)
    assert (e.value.source, e.value.row, e.value.column) == ("workload", 6, "fte")
    req = _required([0.0, 1.0]).iloc[[0, 1, 1]]
    with pytest.raises(InputError, match="duplicate"):
        pipeline_plan(req, tables)
    req = _required([0.0, 1.0, 1.0]).iloc[[0, 2]]
    with pytest.raises(InputError, match="consecutive"):
        pipeline_plan(req, tables)
    with pytest.raises(InputError, match="no training pipeline"):
        pipeline_plan(_required([1.0], role="hca"), tables)


# --------------------------------------------------------------------------------------
# charts
# --------------------------------------------------------------------------------------
def test_charts_embed_only_aggregates(tables):
    wl = pd.concat([_workload(), _workload().assign(area="B")])
    n = training_needs(wl, tables)
    ch = chart_training_needs(n, "practice_nurse")
    assert isinstance(ch, alt.Chart)
    d = ch.to_dict()
    values = next(iter(d["datasets"].values()))
    assert len(values) == 3 * 2  # years x competencies, summed over the two areas
    # per area: foot check 1 + 1, prescribing 0.5 + 1 = 3.5
    assert sum(v["to_train_heads"] for v in values) == pytest.approx(2 * 3.5)
    with pytest.raises(InputError, match="no rows"):
        chart_training_needs(n, "hca")
    p = pipeline_plan(_required([0.4, 0.8, 1.6]), tables)
    d = chart_pipeline(p, "practice_nurse").to_dict()
    values = next(iter(d["datasets"].values()))
    assert [v["status"] for v in values] == ["too late to train", "on time", "on time"]


# --------------------------------------------------------------------------------------
# bundled data
# --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def bundled():
    return load_skills_tables()


def test_bundled_tables_cover_every_role(bundled):
    for name in ("fte_per_head", "pipeline"):
        assert sorted(getattr(bundled, name)["role"]) == sorted(ROLES), name
    rc = bundled.role_competencies
    assert set(rc["role"]) == set(ROLES)
    # a full matrix: every role has a row for every competency
    assert len(rc) == len(ROLES) * len(bundled.competencies)
    for name in SKILLS_SPECS:
        df = getattr(bundled, name)
        if "source" in df and name != "activity_competencies":
            assert df["source"].str.len().gt(0).all(), name
    # scope of practice the tables must respect
    never = {
        ("physician_associate", "independent_prescribing"),
        ("hca", "cervical_sample_taking"),
        ("nursing_associate", "independent_prescribing"),
        ("care_coordinator", "immunisation"),
    }
    rci = rc.set_index(["role", "competency"])
    for key in never:
        assert rci.loc[key, "eligible"] == 0, key
    # admin and non-clinical roles hold no clinical competency; phlebotomists only venepuncture
    admin = ("practice_manager", "receptionist", "medical_secretary", "admin_other")
    assert rc.loc[rc["role"].isin(admin), "eligible"].eq(0).all()
    phleb = rci.loc["phlebotomist"]
    assert phleb.loc["phlebotomy", "baseline"] == 1
    assert phleb.drop(index="phlebotomy")["eligible"].eq(0).all()


def test_bundled_dictionaries_match_specs():
    for name, spec in SKILLS_SPECS.items():
        path = skills_data_dir() / f"{name}_dictionary.csv"
        d = pd.read_csv(path, keep_default_na=False)
        assert list(d.columns) == [
            "column",
            "type",
            "required",
            "unit",
            "min",
            "max",
            "description",
        ]
        assert d["column"].tolist() == [c.name for c in spec.columns], name
        assert d["type"].tolist() == [c.dtype for c in spec.columns], name
    assert (skills_data_dir() / "PROVENANCE.md").exists()


def test_bundled_activities_exist():
    path = REPO / "data" / "assumptions" / "activities.csv"
    check_activities(load_skills_tables(), pd.read_csv(path))


def test_bundled_skill_mix_respects_scope_of_practice(bundled):
    path = REPO / "data" / "assumptions" / "skill_mix.csv"
    sm = pd.read_csv(path)
    wl = sm.assign(area="X", year=2030, fte=sm["future"] + sm["current"])
    training_needs(wl[["area", "year", "activity", "role", "fte"]], bundled, skill_mix=sm)


def test_check_activities_names_the_row(bundled):
    with pytest.raises(InputError) as e:
        check_activities(bundled, ["same_day_minor_illness"])
    assert e.value.source == "activity_competencies" and e.value.column == "activity"
    assert e.value.row == 3


def test_bundled_run_end_to_end(bundled):
    """Move same-day minor illness from GPs to pharmacists and paramedics with the bundled data."""
    years = [2025, 2026, 2027]
    wl = pd.DataFrame(
        {
            "area": "N1",
            "year": np.repeat(years, 3),
            "activity": ["same_day_minor_illness"] * 9,
            "role": ["gp", "pharmacist", "paramedic"] * 3,
            "fte": [6.0, 0.0, 0.0, 5.0, 0.5, 0.5, 4.0, 1.0, 1.0],
        }
    )
    n = training_needs(wl, bundled)
    rr = pd.DataFrame({"role": list(ROLES), "cost_per_hour": 40.0})
    c = training_cost(n, bundled, rr)
    assert set(c.loc[c["to_train_heads"] > 0, "role"]) == {"pharmacist", "paramedic"}
    assert (c["cost_gbp"] >= 0).all() and c["cost_gbp"].sum() > 0
    # physician associates hold minor illness as baseline: no need
    wl2 = wl.assign(role=wl["role"].replace({"paramedic": "physician_associate"}))
    n2 = training_needs(wl2, bundled)
    assert n2.loc[n2["role"] == "physician_associate", "to_train_heads"].sum() == 0


# --------------------------------------------------------------------------------------
# notebook helpers
# --------------------------------------------------------------------------------------
def test_training_plan_and_adapters(tables):
    class FakeResult:
        roles = ["gp", "practice_nurse"]
        cost_per_fte = np.array([[150_000.0, 45_000.0]])
        awt_hours = np.array([[1500.0, 1500.0]])

    rr = role_rates_from_result(FakeResult())
    assert rr["cost_per_hour"].tolist() == pytest.approx([100.0, 30.0])
    plan = training_plan(_workload(), rr, tables=tables)
    assert plan["cost_gbp"].sum() == pytest.approx(13775.0)  # the worked example
    long = pd.DataFrame(
        {
            "area": "A",
            "year": [2025, 2025, 2025, 2025, 2025],
            "role": ["gp", "gp", "practice_nurse", "practice_nurse", "all"],
            "scenario": "future",
            "measure": ["required_fte", "supply_fte", "required_fte", "supply_fte", "required_fte"],
            "value": [8.0, 7.0, 5.0, 5.5, 13.0],
        }
    )
    req = pipeline_inputs(long)
    assert req.columns.tolist() == ["area", "year", "role", "required_fte", "supply_fte"]
    assert req["required_fte"].tolist() == [8.0, 5.0] and req["supply_fte"].tolist() == [7.0, 5.5]
    with pytest.raises(InputError, match="scenario"):
        pipeline_inputs(pd.concat([long, long.assign(scenario="baseline")]))
    assert len(pipeline_inputs(pd.concat([long, long.assign(scenario="b")]), scenario="b")) == 2
