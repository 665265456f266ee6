"""Explain the change (wfkit.drivers): the parts add up exactly, and equal hand-worked figures."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import wfkit
from tests.synthetic import synthetic_inputs
from tests.unit.test_engine import tiny
from wfkit import usecases
from wfkit.drivers import DRIVERS, decompose
from wfkit.errors import InputError
from wfkit.model.engine import run_model
from wfkit.model.uncertainty import Param

STEP = {k: i for i, (k, _, _) in enumerate(DRIVERS)}


@pytest.fixture(scope="module")
def run():
    # a 30,000-patient network, a few draws, the future model as a second variant
    return usecases.build("all", {"area": "U78517", "draws": 12, "seed": 3}).run()


def hand_inputs():
    """Growth 10% a year, a 5% trend, the future model halfway by 2027 (tiny by hand)."""
    return tiny(
        growth_rate=Param.point(0.1, lower=-1.0),
        trend=Param.point([1.05]),
        skill_mix_model="future",
        transition_start=2026,
        transition_years=2,
    )


def test_hand_worked_parts():
    dec = decompose(hand_inputs(), hand_inputs(), 2027)
    req = dec.parts("required_fte")[:, 0]
    gp_caf = 1.25 / 1725  # GP: AWT 1,725 h, CAF 1.25; nurse: AWT 1,747.5 h, CAF 1
    # 2,000 contacts of 15 GP minutes = 500 h; the population grows 1.1^2 = 1.21
    assert req[STEP["population_growth"]] == pytest.approx(105 * gp_caf)
    assert req[STEP["ageing"]] == pytest.approx(0.0, abs=1e-12)  # one age band
    # the trend: 605 h x 1.05^2 = 667.0125 h
    assert req[STEP["prevalence_trend"]] == pytest.approx(62.0125 * gp_caf)
    # halfway to the future model: GP 75%, nurse 25% of 2,668.05 contacts (nurse 20 min)
    contacts = 2000 * 1.21 * 1.1025
    gp, nurse = 0.75 * contacts * 15 / 60, 0.25 * contacts * 20 / 60
    assert req[STEP["who_does_what"]] == pytest.approx((gp - 667.0125) * gp_caf + nurse / 1747.5)
    for k in ("service_use", "minutes", "working_time", "pay", "staff_in_post"):
        assert req[STEP[k]] == 0.0
    # supply: GP 1 FTE, joiners 10% and leavers 20% a year: 1 -> 0.9 -> 0.81
    sup = dec.parts("supply_fte")[:, 0]
    assert sup[STEP["joiners"]] == pytest.approx(0.1 * (1 + 0.9))  # those who joined
    assert sup[STEP["leavers"]] == pytest.approx(-0.2 * (1 + 0.9))  # those who left
    assert dec.levels["supply_fte"][-1, 0] == pytest.approx(0.81)
    # cost: the requirement's parts times the cost per FTE (GP 125,000, nurse 50,000)
    cost = dec.parts("cost_gbp")[:, 0]
    assert cost[STEP["population_growth"]] == pytest.approx(105 * gp_caf * 125_000)


def test_start_and_end_are_the_engine_runs_and_parts_add_up_draw_by_draw():
    inp = synthetic_inputs(n_areas=3, n_years=6, n_activities=6, n_roles=4, uncertain=True)
    full = run_model(inp, 15, 4)
    for area, role in [("A00001", None), (None, "role02"), ("A00002", "role00")]:
        dec = decompose(inp, inp, 2029, area=area, role=role, draws=15, seed=4)
        ai = slice(None) if area is None else [inp.areas.index(area)]
        for m in ("required_fte", "supply_fte", "gap_fte", "cost_gbp"):
            arr = full.measure(m)[:, ai].sum(axis=1)
            arr = arr.sum(axis=-1) if role is None else arr[..., inp.roles.index(role)]
            lv = dec.levels[m]
            np.testing.assert_allclose(lv[0], arr[:, 0], rtol=1e-12)
            np.testing.assert_allclose(lv[-1], arr[:, 4], rtol=1e-12)
            # the parts add up to the whole change in every draw
            np.testing.assert_allclose(dec.parts(m).sum(axis=0), lv[-1] - lv[0], atol=1e-9)
            assert lv.shape == (len(DRIVERS) + 1, 16)


def test_population_growth_keeps_the_age_mix_and_ageing_keeps_the_total():
    # two bands; the projection doubles the old and keeps the young
    inp = tiny(
        age_bands=["young", "old"],
        population=np.array([[600.0, 400.0]]),
        prevalence=Param.point(np.ones((1, 1, 2)), upper=1.0),
        contacts=Param.point([[1.0, 4.0]]),
        growth=np.array([[[1.0, 1.0], [1.0, 1.5], [1.0, 2.0]]]),
    )
    dec = decompose(inp, inp, 2027)
    # contacts 600 + 1,600 = 2,200 -> 600 + 3,200 = 3,800; the total 1,000 -> 1,400
    hours = np.array([2200, 2200 * 1.4, 3800]) * 15 / 60
    steps = dec.levels["required_fte"][:3, 0] / (1.25 / 1725)
    np.testing.assert_allclose(steps, hours)


def test_future_model_against_todays_base_year_moves_minutes(run):
    start = run.inputs["baseline"]
    end = replace(start, minutes=replace(start.minutes, value=start.minutes.value * 0.9))
    dec = decompose(start, end, 2030)
    req = dec.parts("required_fte")[:, 0]
    assert req[STEP["minutes"]] < 0  # 10% fewer minutes: fewer FTE
    base = run_model(start).required_fte[0, :, 0].sum()
    target = run_model(end).required_fte[0, :, 5].sum()
    assert dec.levels["required_fte"][-1, 0] == pytest.approx(target)
    assert dec.levels["required_fte"][0, 0] == pytest.approx(base)


def test_explain_frame_on_a_bundled_run(run):
    df = wfkit.explain(run, area="U78517", year=2035)
    assert set(df["measure"]) == {"required_fte", "supply_fte", "gap_fte", "cost_gbp"}
    res = run.results["baseline"]
    for m, g in df.groupby("measure"):
        start = g.loc[g["kind"] == "start", "value"].item()
        end = g.loc[g["kind"] == "end", "value"].item()
        assert g.loc[g["kind"] == "change", "value"].sum() == pytest.approx(end - start)
        assert end == pytest.approx(res.measure(m)[0, 0, -1].sum())  # the run's own figure
        assert start == pytest.approx(res.measure(m)[0, 0, 0].sum())
        assert (g["p10"] <= g["p90"] + 1e-9).all()
    req = df[(df["measure"] == "required_fte") & (df["kind"] == "change")]
    assert list(req["driver"])[:3] == [
        "population growth",
        "ageing (age mix at constant total)",
        "prevalence trend",
    ]
    assert set(df["unit"]) >= {"FTE", "GBP a year"}
    # the gap's parts are supply's minus required's
    gap = df[(df["measure"] == "gap_fte") & (df["kind"] == "change")].set_index("driver")
    assert gap.loc["population growth", "value"] == pytest.approx(
        -req.set_index("driver").loc["population growth", "value"]
    )
    fut = wfkit.explain(run, "U78517", 2035, variant="future_model", start_variant="baseline")
    who = fut[(fut["measure"] == "required_fte") & (fut["driver"] == "who does what")]
    assert who["value"].item() != 0.0


def test_explain_by_role_sums_to_the_total(run):
    roles = run.inputs["baseline"].roles
    one = [
        wfkit.explain(run, year=2030, role=r).query("measure == 'required_fte'")["value"].to_numpy()
        for r in roles
    ]
    total = wfkit.explain(run, year=2030).query("measure == 'required_fte'")["value"].to_numpy()
    np.testing.assert_allclose(np.sum(one, axis=0), total, rtol=1e-9)


@pytest.mark.parametrize(
    ("kw", "words"),
    [
        ({"area": "X99999"}, "area 'X99999' is not in the run"),
        ({"year": 2025}, "year 2025 is not modelled after the base year"),
        ({"role": "wizard"}, "role 'wizard' is not modelled"),
        ({"variant": "nope"}, "variant 'nope' is not in the run"),
    ],
)
def test_bad_requests_say_what_was_expected(run, kw, words):
    with pytest.raises(InputError, match=words):
        wfkit.explain(run, **kw)


@pytest.mark.parametrize("name", ["default", "example"])
def test_exact_on_the_bundled_scenarios_every_variant_and_draw(name):
    run = wfkit.run_scenario(name, draws=8)
    for variant, res in run.results.items():
        for start in (variant, "baseline"):
            dec = decompose(
                run.inputs[start],
                run.inputs[variant],
                int(res.years[-1]),
                draws=res.n_draws,
                seed=res.seed,
            )
            for m in ("required_fte", "supply_fte", "gap_fte", "cost_gbp"):
                lv = dec.levels[m]
                np.testing.assert_allclose(dec.parts(m).sum(axis=0), lv[-1] - lv[0], atol=1e-8)
                # the end is the variant's own horizon, draw by draw
                end = res.measure(m, total=True)[:, :, -1].sum(axis=1)
                np.testing.assert_allclose(lv[-1], np.broadcast_to(end, lv[-1].shape), rtol=1e-10)
                first = run.results[start].measure(m, total=True)[:, :, 0].sum(axis=1)
                np.testing.assert_allclose(lv[0], np.broadcast_to(first, lv[0].shape), rtol=1e-10)


def test_every_area_in_chunks_equals_every_area_at_once(monkeypatch):
    from wfkit import drivers

    inp = synthetic_inputs(n_areas=7, n_years=4, n_activities=5, n_roles=3, uncertain=True)
    whole = decompose(inp, inp, 2028, draws=6, seed=2)
    monkeypatch.setattr(drivers, "CHUNK_AREAS", 3)
    cut = decompose(inp, inp, 2028, draws=6, seed=2)
    for m, lv in whole.levels.items():
        np.testing.assert_allclose(cut.levels[m], lv, rtol=1e-12)
