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


# ---------------------------------------------------------------------------------------
# policy additions: the supply policy settings' part, apart from the trend's joiners
# ---------------------------------------------------------------------------------------
def policy_inputs(rate: float = 0.05):
    """The tiny inputs with ``gp_training_places`` raising the GPs' joiner rate by ``rate``."""
    from wfkit.scenario.policy import apply_supply_policy

    trend = Param.point([0.1, 0.1])
    joiner = apply_supply_policy(trend, ["gp", "nurse"], {"gp_training_places": rate})
    return tiny(joiner_rate=joiner, trend_joiner_rate=trend)


def test_policy_additions_worked_by_hand():
    # one GP FTE in post, trend joiners 10%, leavers 20%, training places +5% a year
    one = decompose(policy_inputs(), policy_inputs(), 2026)
    sup = one.parts("supply_fte")[:, 0]
    assert sup[STEP["joiners"]] == pytest.approx(0.1)  # the trend's joiners: 1 x 10%
    assert sup[STEP["leavers"]] == pytest.approx(-0.2)
    assert sup[STEP["policy"]] == pytest.approx(1 * 0.05)  # in post x the policy's rate
    assert one.levels["supply_fte"][-1, 0] == pytest.approx(0.95)
    # two years: the trend goes 1 -> 0.9 -> 0.81, with the policy 1 -> 0.95 -> 0.9025
    two = decompose(policy_inputs(), policy_inputs(), 2027)
    sup = two.parts("supply_fte")[:, 0]
    assert sup[STEP["joiners"]] == pytest.approx(0.1 * (1 + 0.9))
    assert sup[STEP["leavers"]] == pytest.approx(-0.2 * (1 + 0.9))
    assert sup[STEP["policy"]] == pytest.approx(0.9025 - 0.81)
    # the gap moves with supply; the requirement and cost do not move with the policy
    assert two.parts("gap_fte")[STEP["policy"], 0] == pytest.approx(0.9025 - 0.81)
    assert two.parts("required_fte")[STEP["policy"], 0] == 0.0
    assert two.parts("cost_gbp")[STEP["policy"], 0] == 0.0


def test_no_policy_means_a_policy_part_of_exactly_zero():
    dec = decompose(policy_inputs(0.0), policy_inputs(0.0), 2027)
    assert dec.parts("supply_fte")[STEP["policy"], 0] == 0.0
    inp = synthetic_inputs(n_areas=2, n_years=4, n_activities=3, n_roles=3, uncertain=True)
    dec = decompose(inp, inp, 2028, draws=5, seed=1)
    for m in ("supply_fte", "gap_fte"):
        assert (dec.parts(m)[STEP["policy"]] == 0.0).all()


@pytest.fixture(scope="module")
def policy_runs():
    """The bundled default scenario (baseline only, few draws) with and without arrs_growth."""
    from wfkit.scenario.config import load_scenario, scenario_path

    cfg = load_scenario(scenario_path("default")).to_mapping()
    cfg["variants"] = []
    with_policy = wfkit.run_scenario({**cfg, "arrs_growth": 0.05}, draws=6)
    return with_policy, wfkit.run_scenario(cfg, draws=6)


def test_policy_additions_on_the_bundled_default_scenario(policy_runs):
    on, off = policy_runs
    res = on.results["baseline"]
    dec_on, dec_off = (
        decompose(r.inputs["baseline"], r.inputs["baseline"], 2035, draws=6, seed=res.seed)
        for r in (on, off)
    )
    for m in ("required_fte", "supply_fte", "gap_fte", "cost_gbp"):
        lv = dec_on.levels[m]
        # the parts add up exactly to the change, draw by draw, and end at the run's own 2035
        np.testing.assert_allclose(dec_on.parts(m).sum(axis=0), lv[-1] - lv[0], atol=1e-8)
        end = res.measure(m, total=True)[:, :, -1].sum(axis=1)
        np.testing.assert_allclose(lv[-1], np.broadcast_to(end, lv[-1].shape), rtol=1e-10)
    # the policy's part is the scenario with the policy minus the scenario without it
    sup_on = res.supply_fte[:, :, -1].sum(axis=(1, 2))
    sup_off = off.results["baseline"].supply_fte[:, :, -1].sum(axis=(1, 2))
    policy = dec_on.parts("supply_fte")[STEP["policy"]]
    np.testing.assert_allclose(policy, sup_on - sup_off, rtol=1e-10)
    assert (policy > 0).all()
    # the trend's joiners and leavers are those of the run without the policy
    for k in ("staff_in_post", "joiners", "leavers"):
        np.testing.assert_allclose(
            dec_on.parts("supply_fte")[STEP[k]], dec_off.parts("supply_fte")[STEP[k]], rtol=1e-10
        )
    assert (dec_off.parts("supply_fte")[STEP["policy"]] == 0.0).all()
    # only the network roles moved: the GPs' policy part is 0
    gp = decompose(on.inputs["baseline"], on.inputs["baseline"], 2035, role="gp")
    assert gp.parts("supply_fte")[STEP["policy"], 0] == 0.0


def test_explain_frame_shows_policy_additions(policy_runs):
    df = wfkit.explain(policy_runs[0], year=2035)
    pol = df[df["driver"] == "policy additions"].set_index("measure")
    assert set(pol.index) == {"supply_fte", "gap_fte"}  # not required FTE or cost
    assert pol.loc["supply_fte", "value"] == pytest.approx(pol.loc["gap_fte", "value"])
    p10, p50, p90 = pol.loc["supply_fte", ["p10", "p50", "p90"]]
    assert 0 < p10 <= p50 <= p90  # the policy adds staff even at its P10
    sup = df[df["measure"] == "supply_fte"]
    assert list(sup.loc[sup["kind"] == "change", "driver"]) == [
        "staff in post in the base year",
        "joiners",
        "leavers",
        "policy additions",
    ]
