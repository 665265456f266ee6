"""Unit tests of the engine arithmetic, checked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.synthetic import synthetic_inputs
from wfkit.errors import InputError
from wfkit.model import capacity
from wfkit.model.engine import ModelInputs, run_model, transition_weights
from wfkit.model.uncertainty import Param


def tiny(**kw) -> ModelInputs:
    """One area, one band, one activity, two roles: small enough to check by hand."""
    cap = {
        "hours_per_week": Param.point([37.5, 37.5]),
        "days_per_week": Param.point([5.0, 5.0]),
        "weeks_per_year": Param.point([52.0, 52.0]),
        "annual_leave_days": Param.point([30.0, 27.0]),
        "bank_holiday_days": Param.point([0.0, 0.0]),
        "sickness_days": Param.point([0.0, 0.0]),
        "training_days": Param.point([0.0, 0.0]),
        "other_days": Param.point([0.0, 0.0]),
        "cas_fraction": Param.point([0.2, 0.0], upper=0.9),
        "ias_hours": Param.point([0.0, 0.0]),
    }
    args = dict(
        areas=["X"],
        years=np.array([2025, 2026, 2027]),
        age_bands=["all"],
        activities=["consult"],
        roles=["gp", "nurse"],
        population=np.array([[1000.0]]),
        prevalence=Param.point(np.ones((1, 1, 1)), upper=1.0),
        contacts=Param.point([[2.0]]),
        shares_current=np.array([[1.0, 0.0]]),
        shares_future=np.array([[0.5, 0.5]]),
        minutes=Param.point([[15.0, 20.0]]),
        capacity=cap,
        salary=Param.point([100_000.0, 40_000.0]),
        oncost_rate=Param.point([0.25, 0.25]),
        supply=np.array([[1.0, 0.0]]),
        joiner_rate=Param.point([0.1, 0.1]),
        leaver_rate=Param.point([0.2, 0.1]),
    )
    args.update(kw)
    return ModelInputs(**args)


def test_hand_checked_chain():
    r = run_model(tiny())
    # demand 1000 x 1 x 2 = 2000 contacts; GP hours = 2000 x 15 / 60 = 500
    assert r.demand[0, 0, 0, 0] == pytest.approx(2000)
    assert r.workload_hours[0, 0, 0, 0] == pytest.approx(500)
    # AWT = 52 x 37.5 - 30 x 7.5 = 1725 h; CAF = 1 / (1 - 0.2) = 1.25
    assert r.awt_hours[0, 0] == pytest.approx(1725)
    assert r.required_fte[0, 0, 0, 0] == pytest.approx(500 / 1725 * 1.25)
    # supply rolls forward at 1 + 0.1 - 0.2 = 0.9 a year
    assert r.supply_fte[0, 0, 2, 0] == pytest.approx(0.81)
    # cost = FTE x 100,000 x 1.25
    assert r.cost_gbp[0, 0, 0, 0] == pytest.approx(500 / 1725 * 1.25 * 125_000)
    assert r.measure("gap_fte")[0, 0, 0, 0] == pytest.approx(1 - 500 / 1725 * 1.25)
    assert r.measure("wisn_ratio")[0, 0, 0, 0] == pytest.approx(1 / (500 / 1725 * 1.25))
    # nurse has no work and no staff: ratio undefined, not a division error
    assert np.isnan(r.measure("wisn_ratio")[0, 0, 0, 1])


def test_future_model_moves_work_over_transition():
    r = run_model(tiny(skill_mix_model="future", transition_start=2026, transition_years=1))
    # the move starts in 2026 and completes one year later: 2025-26 all GP, 2027 half to the
    # nurse at 20 minutes: 1000 contacts x 20 / 60
    assert r.workload_hours[0, 0, :2, 1].sum() == 0
    assert r.workload_hours[0, 0, 2, 1] == pytest.approx(1000 * 20 / 60)
    assert r.workload_hours[0, 0, 2, 0] == pytest.approx(1000 * 15 / 60)


def test_transition_weights():
    y = np.arange(2025, 2031)
    assert list(transition_weights(y, 2026, 4, "future")) == [0, 0, 0.25, 0.5, 0.75, 1]
    assert list(transition_weights(y, 2026, 0, "future")) == [0, 1, 1, 1, 1, 1]
    assert not transition_weights(y, 2026, 4, "current").any()
    with pytest.raises(InputError, match="expected 'current' or 'future'"):
        transition_weights(y, 2026, 4, "other")


def test_individual_allowance_only_where_there_is_work():
    cap = dict(tiny().capacity)
    cap["ias_hours"] = Param.point([172.5, 172.5])
    r = run_model(tiny(capacity=cap))
    assert r.required_fte[0, 0, 0, 0] == pytest.approx(500 / 1725 * 1.25 + 0.1)
    assert r.required_fte[0, 0, 0, 1] == 0


def test_growth_and_trend():
    r = run_model(tiny(growth_rate=Param.point(0.1, lower=-1), trend=Param.point([1.5])))
    assert r.population[0, 0, 2] == pytest.approx(1210)
    assert r.demand[0, 0, 2, 0] == pytest.approx(1210 * 2 * 1.5**2)


def test_horizon_and_population_checked():
    with pytest.raises(InputError, match="horizon"):
        run_model(tiny(years=np.array([2025])))
    with pytest.raises(InputError, match="population is empty"):
        run_model(tiny(population=np.array([[0.0]])))
    with pytest.raises(InputError, match="shape"):
        run_model(tiny(supply=np.zeros((2, 2))))
    with pytest.raises(InputError, match="draws"):
        run_model(tiny(), draws=-1)


def test_absence_beyond_contract_is_an_error():
    cap = dict(tiny().capacity)
    cap["annual_leave_days"] = Param.point([300.0, 0.0])
    with pytest.raises(InputError, match="available working time of role 'gp'"):
        run_model(tiny(capacity=cap))


def test_monte_carlo_draw_zero_is_central_and_percentiles_order():
    inp = synthetic_inputs(2, 6, 5, 4, uncertain=True, seed=3)
    central = run_model(inp)
    mc = run_model(inp, draws=300, seed=7)
    assert mc.required_fte.shape[0] == 301
    np.testing.assert_allclose(mc.required_fte[0], central.required_fte[0])
    df = mc.to_frame()
    assert {"area", "year", "role", "scenario", "measure", "value", "p10", "p50", "p90"} <= set(
        df.columns
    )
    ok = df.dropna(subset=["p10"])
    assert (ok["p10"] <= ok["p50"] + 1e-9).all() and (ok["p50"] <= ok["p90"] + 1e-9).all()
    assert (
        df.loc[df.measure == "required_fte", "p90"] > df.loc[df.measure == "required_fte", "p10"]
    ).any()


def test_aggregate_sums_and_recomputes_ratios():
    r = run_model(synthetic_inputs(4, 3, 5, 3, seed=1))
    g = r.aggregate({"A00000": "N1", "A00001": "N1", "A00002": "N2", "A00003": "N2"})
    np.testing.assert_allclose(g.required_fte[:, 0], r.required_fte[:, :2].sum(axis=1))
    ratio = g.measure("wisn_ratio", total=True)[0, 0]
    np.testing.assert_allclose(ratio, g.supply_fte[0, 0].sum(-1) / g.required_fte[0, 0].sum(-1))
    with pytest.raises(InputError, match="no group"):
        r.aggregate({"A00000": "N1"})


def test_to_frame_role_all_is_total_and_diff_is_zero_against_itself():
    r = run_model(synthetic_inputs(2, 3, 5, 3, seed=2))
    df = r.to_frame("s", baseline=r)
    req = df[df.measure == "required_fte"]
    by_role = req[req.role != "all"].groupby(["area", "year"], observed=True)["value"].sum()
    total = req[req.role == "all"].set_index(["area", "year"])["value"]
    np.testing.assert_allclose(by_role.sort_index().to_numpy(), total.sort_index().to_numpy())
    assert ((df["diff"] == 0) | df["value"].isna()).all()


def test_workload_by_activity_adds_up():
    r = run_model(synthetic_inputs(2, 3, 6, 4, seed=4))
    w = r.workload_by_activity()
    tot = w.groupby(["area", "year", "role"])["hours"].sum()
    for (a, y, role), h in tot.items():
        ai, yi, ri = r.areas.index(a), list(r.years).index(y), r.roles.index(role)
        assert h == pytest.approx(r.workload_hours[0, ai, yi, ri])


# ------------------------------------------------------------------ working time (capacity)
def kenya_engine(**cap_kw) -> ModelInputs:
    """The HIV clinic of Western Kenya (Human Resources for Health 2017;15:9, Table 3) as
    engine inputs: 10,000 patients x 10 appointments x 15 minutes, one role on 4.5 days of
    8 h a week for 52 weeks, less 10 public holidays, 30 days' annual leave and 15 days'
    sick leave (AWT 179 days), and 10 training days a year as a category allowance."""
    cap = {
        "hours_per_week": Param.point([36.0]),
        "days_per_week": Param.point([4.5]),
        "weeks_per_year": Param.point([52.0]),
        "annual_leave_days": Param.point([30.0]),
        "bank_holiday_days": Param.point([10.0]),
        "sickness_days": Param.point([15.0]),
        "training_days": Param.point([0.0]),
        "other_days": Param.point([0.0]),
        "cas_fraction": Param.point([10 / 179], upper=0.9),
        "ias_hours": Param.point([0.0]),
    }
    cap.update({k: Param.point([v]) for k, v in cap_kw.items()})
    return tiny(
        activities=["HIV clinic appointments"],
        roles=["clinical officer"],
        population=np.array([[10_000.0]]),
        contacts=Param.point([[10.0]]),
        shares_current=np.array([[1.0]]),
        shares_future=np.array([[1.0]]),
        minutes=Param.point([[15.0]]),
        capacity=cap,
        salary=Param.point([1.0]),
        oncost_rate=Param.point([0.0]),
        supply=np.array([[10.0]]),
        joiner_rate=Param.point([0.0]),
        leaver_rate=Param.point([0.0]),
    )


def test_engine_reproduces_the_published_wisn_example():
    """Table 3's figures, worked by hand: 25,000 h = 3,125 days of 8 h; AWT 234 - 55 = 179
    days; CAF 1 / (1 - 10/179); 3,125/179 x 179/169 = 18.49 staff (sickness counted)."""
    r = run_model(kenya_engine())
    assert r.workload_hours[0, 0, 0, 0] == pytest.approx(25_000)
    assert r.awt_hours[0, 0] == pytest.approx(179 * 8)
    assert r.caf[0, 0] == pytest.approx(1 / (1 - 10 / 179))
    assert r.required_fte[0, 0, 0, 0] == pytest.approx(3_125 / 169, rel=1e-12)
    assert round(float(r.required_fte[0, 0, 0, 0]), 2) == 18.49


@pytest.mark.parametrize(
    "absence",
    ["annual_leave_days", "bank_holiday_days", "sickness_days", "training_days", "other_days"],
)
def test_every_absence_reduces_working_time(absence):
    """10 days of any absence at 7.5 h a day: AWT 52 x 37.5 - 75 = 1,875 h, in the shared
    function and in the engine (an absence the engine ignored would leave 1,950 h)."""
    cap = {k: Param.point([0.0, 0.0]) for k in capacity.ABSENCES}
    assert absence in capacity.ABSENCES
    cap.update(
        hours_per_week=Param.point([37.5, 37.5]),
        days_per_week=Param.point([5.0, 5.0]),
        weeks_per_year=Param.point([52.0, 52.0]),
        cas_fraction=Param.point([0.0, 0.0], upper=0.9),
        ias_hours=Param.point([0.0, 0.0]),
    )
    cap[absence] = Param.point([10.0, 0.0])
    r = run_model(tiny(capacity=cap))
    assert r.awt_hours[0].tolist() == pytest.approx([1_875, 1_950])
    plain = {k: p.value for k, p in cap.items()}
    assert capacity.available_working_time(plain).tolist() == pytest.approx([1_875, 1_950])
    assert r.required_fte[0, 0, 0, 0] == pytest.approx(500 / 1_875)


def test_engine_agrees_with_classic_wisn():
    """The engine and classic WISN, given the same role, give the same AWT, CAF, IAF and
    staff required, with every kind of absence, a category and an individual allowance."""
    from wfkit.wisn import (
        AvailableWorkingTime,
        CategoryAllowance,
        IndividualAllowance,
        WisnActivity,
        wisn,
    )

    days = {
        "annual_leave_days": 27.0,
        "bank_holiday_days": 8.0,
        "sickness_days": 6.5,
        "training_days": 3.0,
        "other_days": 1.5,
    }
    cap = {k: Param.point([v]) for k, v in days.items()}
    cap.update(
        hours_per_week=Param.point([37.5]),
        days_per_week=Param.point([5.0]),
        weeks_per_year=Param.point([52.0]),
        cas_fraction=Param.point([0.12], upper=0.9),
        ias_hours=Param.point([90.0]),
    )
    inp = kenya_engine()
    inp.capacity = cap
    r = run_model(inp)
    w = wisn(
        [WisnActivity("HIV clinic appointments", 100_000, 15, unit="minutes")],
        AvailableWorkingTime.weekly(5, 52, deductions=days),
        [CategoryAllowance("meetings", percent=12)],
        [IndividualAllowance("management", 90, staff=1)],
        hours_per_day=7.5,
    )
    assert w.awt_hours == pytest.approx(1950 - 46 * 7.5)  # by hand: 46 days of absence
    assert r.awt_hours[0, 0] == pytest.approx(w.awt_hours, rel=1e-12)
    assert r.caf[0, 0] == pytest.approx(w.caf, rel=1e-12)
    assert r.required_fte[0, 0, 0, 0] == pytest.approx(w.required, rel=1e-12)
    assert w.required == pytest.approx(25_000 / 1605 / 0.88 + 90 / 1605)


def test_capacity_functions_are_vectorised():
    cap = {
        "weeks_per_year": np.array([[52.0, 52.0], [50.0, 52.0]]),
        "hours_per_week": np.array([37.5, 40.0]),
        "days_per_week": 5.0,
        "sickness_days": np.array([[0.0, 5.0], [10.0, 0.0]]),
    }
    awt = capacity.available_working_time(cap)
    np.testing.assert_allclose(awt, [[1950, 2080 - 40], [1875 - 75, 2080]])
    np.testing.assert_allclose(capacity.category_allowance_factor([0.0, 0.2, 0.5]), [1, 1.25, 2])
    np.testing.assert_allclose(capacity.individual_allowance_factor([160.0, 0.0], 1600.0), [0.1, 0])


@pytest.mark.parametrize("growth_uncertain", [False, True])
def test_every_percentile_in_the_frame_is_numpys_of_its_measure(monkeypatch, growth_uncertain):
    """The frame's P10/P50/P90 equal ``np.percentile`` of each measure's draws to the last bit.

    The frame's parts are sorted together, a block of series at a time; the cost per 1,000
    people, where the population is the same in every draw, is taken from the cost's sorted
    draws rather than sorted again.
    """
    import dataclasses

    from wfkit.model.engine import ROLE_MEASURES, ModelResult

    inp = synthetic_inputs(3, 5, 6, 4, uncertain=True, seed=4)
    if not growth_uncertain:
        inp = dataclasses.replace(inp, growth_rate=Param.point(inp.growth_rate.value))
    derived = []
    real = ModelResult._per_1000

    def spy(self, cost_nb, total):
        derived.append(total)
        return real(self, cost_nb, total)

    monkeypatch.setattr(ModelResult, "_per_1000", spy)
    r = run_model(inp, draws=250, seed=9)
    df = r.to_frame()
    assert sorted(derived) == ([] if growth_uncertain else [False, True])
    for m in ROLE_MEASURES:
        for total in (False, True):
            arr = r.measure(m, total)
            want = np.percentile(arr[1:], [10, 50, 90], axis=0)
            rows = df[(df.measure == m) & ((df.role == "all") == total)]
            got = rows[["p10", "p50", "p90"]].to_numpy().T.reshape(want.shape)
            if np.isnan(want).any():  # summarise_draws leaves undefined draws out
                continue
            assert np.array_equal(got, want), (m, total)
            assert np.array_equal(rows["value"].to_numpy().reshape(arr[0].shape), arr[0])


def test_variants_share_contacts_only_when_their_inputs_are_the_same():
    """Inside shared_draws, a run takes the contacts of the run before only if they match."""
    import dataclasses

    from wfkit.model.uncertainty import shared_draws

    inp = synthetic_inputs(3, 5, 6, 4, uncertain=True, seed=4)
    future = dataclasses.replace(inp, skill_mix_model="future", transition_years=2)
    grown = dataclasses.replace(inp, population=inp.population * 1.1)
    alone = [run_model(x, draws=40, seed=2) for x in (inp, future, grown)]
    with shared_draws():
        together = [run_model(x, draws=40, seed=2) for x in (inp, future, grown)]
        # measures worked out once inside the block, the same numbers as outside it
        for a, b in zip(alone, together, strict=True):
            for m in ("gap_fte", "wisn_ratio", "cost_per_1000"):
                for total in (False, True):
                    assert np.array_equal(a.measure(m, total), b.measure(m, total), equal_nan=True)
            assert b.measure("gap_fte", True) is b.measure("gap_fte", True)
    assert together[1].demand is together[0].demand  # who does what changed, not the contacts
    assert together[2].demand is not together[0].demand  # another population: its own
    for a, b in zip(alone, together, strict=True):
        assert np.array_equal(a.demand, b.demand)
        assert np.array_equal(a.required_fte, b.required_fte)
        assert np.array_equal(a.cost_gbp, b.cost_gbp)


def test_a_variant_takes_the_baselines_figures_only_for_the_same_draws(monkeypatch):
    """Inside shared_draws a variant's staff in post (the baseline's draws) is not sorted
    again; every figure of its frame is the one it has alone, to the last bit."""
    import dataclasses

    from wfkit.model import engine
    from wfkit.model.uncertainty import shared_draws

    inp = synthetic_inputs(3, 5, 6, 4, uncertain=True, seed=4)
    future = dataclasses.replace(inp, skill_mix_model="future", transition_years=2)
    base, var = run_model(inp, draws=60, seed=2), run_model(future, draws=60, seed=2)
    alone = [base.to_frame("baseline", baseline=base), var.to_frame("future", baseline=base)]
    calls = []
    real = engine.summarise_together

    def spy(arrays, **kw):
        # the parts' own draws (a pair is a difference from the baseline's)
        calls.extend(a.shape for a in arrays if not isinstance(a, tuple))
        return real(arrays, **kw)

    monkeypatch.setattr(engine, "summarise_together", spy)
    with shared_draws():
        base2, var2 = run_model(inp, draws=60, seed=2), run_model(future, draws=60, seed=2)
        together = [
            base2.to_frame("baseline", baseline=base2),
            var2.to_frame("future", baseline=base2),
        ]
    for a, b in zip(alone, together, strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    # 15 parts for the baseline (the population, and seven measures by role and in total;
    # the population grows uncertainly here, so the cost per 1,000 is sorted too), 12 for
    # the variant: its population and staff in post (by role and in total) are the baseline's
    assert len(calls) == 15 + 12
