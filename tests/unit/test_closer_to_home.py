"""Work moved in from hospital (``moved_in:``), special interests and the business case.

A hand-worked case checked figure by figure (one area, one service moved in over three
years, one special-interest role with a two-year commitment), the invariants (moving in
nothing changes nothing; more volume never needs fewer staff) and bad input named by file
and key.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import yaml

from wfkit.errors import InputError
from wfkit.model.moved_in import moved_in_arrays, ramp_weights
from wfkit.scenario import load_scenario
from wfkit.skills import load_skills_tables
from wfkit.usecases.closer_to_home import business_case, moved_in_results

pytestmark = pytest.mark.unit

# ---- the hand-worked case ------------------------------------------------------------
# One area of 6,000 + 4,000 patients in two age bands, constant over 2025-2028.
# per 1,000: 10 and 20 -> 60 + 80 = 140 contacts a year at full volume.
# Starts 2026, three years to full volume: 1/3, 2/3, 1 -> 46.67, 93.33, 140 contacts.
# 96 minutes a contact, all by GPs: 140 x 96 / 60 = 224 hours; AWT 1,400 h, CAF 1.25
# -> 224 / 1,400 x 1.25 = 0.2 FTE; cost 0.2 x GBP 160,000 = GBP 32,000.
# Special interest: 0.9 sessions a week of 9 = 0.1 FTE each -> 2 practitioners.
# Half of contacts replace an attendance (70 a year), GBP 1,200 each -> GBP 84,000;
# 12 consultant minutes each -> 14 hours.
MAPPING = {
    "name": "hand-worked",
    "base_year": 2025,
    "horizon": 3,
    "inputs": {"population": "bundled"},
    "moved_in": [
        {
            "activity": "derm",
            "per_1000": {"0-4": 10, "5-9": 20},
            "start_year": 2026,
            "ramp_up_years": 3,
            "minutes_per_contact": 96,
            "replaces": 0.5,
            "cost_per_attendance": 1200,
            "cost_source": "test",
            "consultant_minutes": 12,
            "delivered_by": [
                {
                    "role": "gp",
                    "share": 1.0,
                    "special_interest": "dermatology_gpwer",
                    "sessions_per_week": 0.9,
                    "commitment_years": 2,
                    "course_years": 1,
                }
            ],
        }
    ],
}
YEARS = np.arange(2025, 2029)


def _run(mapping=MAPPING):
    spec = load_scenario(mapping)
    pop0 = np.zeros((1, 19))
    pop0[0, 0], pop0[0, 1] = 6000, 4000
    res = SimpleNamespace(
        roles=["gp"],
        areas=["A1"],
        years=YEARS,
        population=np.full((1, 1, 4), 10000.0),
        awt_hours=np.array([[1400.0]]),
        caf=np.array([[1.25]]),
        cost_per_fte=np.array([[160000.0]]),
        required_fte=np.full((1, 1, 4, 1), 1.0),
        supply_fte=np.full((1, 1, 4, 1), 1.5),
        n_draws=0,
        seed=0,
    )
    inp = SimpleNamespace(population=pop0, growth=None)
    return SimpleNamespace(scenario=spec, results={"baseline": res}, inputs={"baseline": inp})


def _measure(r, name):
    a = r.activity
    return a.loc[a["measure"] == name].sort_values("year")["value"].to_numpy()


def test_hand_worked_activity_staff_and_hospital_side():
    r = moved_in_results(_run())
    np.testing.assert_allclose(_measure(r, "contacts"), [0, 140 / 3, 280 / 3, 140])
    np.testing.assert_allclose(_measure(r, "primary_care_fte"), [0, 0.2 / 3, 0.4 / 3, 0.2])
    np.testing.assert_allclose(
        _measure(r, "primary_care_cost_gbp"), [0, 32000 / 3, 64000 / 3, 32000]
    )
    np.testing.assert_allclose(_measure(r, "attendances_avoided"), [0, 70 / 3, 140 / 3, 70])
    np.testing.assert_allclose(_measure(r, "consultant_hours_avoided")[-1], 14)
    np.testing.assert_allclose(_measure(r, "hospital_cost_avoided_gbp")[-1], 84000)
    np.testing.assert_allclose(_measure(r, "net_cost_gbp")[-1], 32000 - 84000)
    st = r.staff.sort_values("year")
    np.testing.assert_allclose(st["practitioners"], [0, 2 / 3, 4 / 3, 2])
    np.testing.assert_allclose(st["hours"].iloc[-1], 224)


def test_hand_worked_training_and_two_year_commitment():
    r = moved_in_results(_run())
    lr = float(
        load_skills_tables().pipeline.set_index("role").loc["gp", "post_commitment_leaver_rate"]
    )
    # cohorts entering the service: 2026 2/3; 2027 4/3 - 2/3 (all kept, year 1 of 2);
    # 2028: 2 - (2/3 x (1 - lr) + 2/3), the first cohort past its commitment
    q = [2 / 3, 2 / 3, 2 - (2 / 3 * (1 - lr) + 2 / 3)]
    tr = r.training.sort_values("year")
    assert tr["year"].tolist() == [2026, 2027, 2028]
    assert tr["course_start_year"].tolist() == [2025, 2026, 2027]
    np.testing.assert_allclose(tr["to_train_heads"], q)
    # a head: fee GBP 3,000 + 20 days x 7.5 h x (160,000 / 1,400) GBP an hour backfill
    per_head = 3000 + 20 * 7.5 * 160000 / 1400
    np.testing.assert_allclose(tr["cost_gbp"], np.array(q) * per_head)
    assert not tr["too_late"].any()
    ret = r.retained.sort_values("year").set_index("year")
    np.testing.assert_allclose(ret.loc[2028, "retained_heads"], 2.0)  # the service runs
    np.testing.assert_allclose(ret.loc[2028, "in_commitment_heads"], 2 / 3 + q[2])
    np.testing.assert_allclose(ret.loc[2027, "in_commitment_heads"], 4 / 3)


def test_hand_worked_business_case():
    run = _run()
    r = moved_in_results(run)
    bc = business_case(r, run).set_index("item")["value"]
    lr = float(
        load_skills_tables().pipeline.set_index("role").loc["gp", "post_commitment_leaver_rate"]
    )
    q = np.array([2 / 3, 2 / 3, 2 - (2 / 3 * (1 - lr) + 2 / 3)])
    per_head = 3000 + 20 * 7.5 * 160000 / 1400
    assert bc["activity moved in a year"] == pytest.approx(140)
    assert bc["hospital cost avoided a year"] == pytest.approx(84000)
    assert bc["primary-care staff cost a year"] == pytest.approx(32000)
    assert bc["benefit a year"] == pytest.approx(84000 - 32000)
    assert bc["training cost"] == pytest.approx(q.sum() * per_head)
    assert bc["staff at full volume: General practitioner"] == pytest.approx(0.2)
    # over 2025-2028: primary 64,000 + training - hospital 168,000
    assert bc["net cost of the move, 2025-2028"] == pytest.approx(
        64000 + q.sum() * per_head - 168000
    )
    # cumulative benefit: 2025 -q0 t; 2026 + (28,000 - 10,667) - q1 t; 2027 + (56,000 -
    # 21,333) - q2 t >= 0 first
    t = per_head
    cum = np.cumsum([-q[0] * t, 28000 - 32000 / 3 - q[1] * t, 56000 - 64000 / 3 - q[2] * t])
    assert cum[1] < 0 <= cum[2]
    assert bc["break-even year"] == 2027


def test_a_move_that_never_costs_more_than_it_saves_breaks_even_in_its_first_year():
    # no special interest (no training): GBP 84,000 avoided against GBP 32,000 of staff a
    # year at full volume, a third and two thirds before, so the cumulative benefit is
    # never below 0; it was reported as 'no break-even in the modelled years'
    entry = dict(MAPPING["moved_in"][0], delivered_by=[{"role": "gp", "share": 1.0}])
    run = _run(dict(MAPPING, moved_in=[entry]))
    bc = business_case(moved_in_results(run), run).set_index("item")["value"]
    assert bc["training cost"] == 0
    assert bc["break-even year"] == 2026  # the service's first year
    # one that never pays back still has none
    entry = dict(entry, cost_per_attendance=100)  # GBP 7,000 avoided against 32,000
    run = _run(dict(MAPPING, moved_in=[entry]))
    bc = business_case(moved_in_results(run), run).set_index("item")["value"]
    assert np.isnan(bc["break-even year"])


def test_moving_in_nothing_changes_nothing():
    # the bundled example with an empty list: the variant's engine results equal the
    # baseline's, and nothing moved in
    from wfkit.scenario import run_scenario
    from wfkit.usecases import bundled_loader

    cfg = load_scenario("closer-to-home").to_mapping()
    cfg["draws"] = 0
    cfg["variants"][0]["moved_in"] = []
    run = run_scenario(cfg, load_table=bundled_loader())
    a, b = run.results["baseline"], run.results["dermatology_moved_in"]
    np.testing.assert_array_equal(a.required_fte, b.required_fte)
    r = moved_in_results(run)
    assert r.activity.empty and r.staff.empty and r.training.empty
    assert business_case(r, run).empty
    # and a service with no volume moves in nothing
    m = dict(MAPPING, moved_in=[dict(MAPPING["moved_in"][0], per_1000={"all": 0})])
    z = moved_in_results(_run(m))
    assert (z.activity["value"] == 0).all() and z.training.empty


def test_more_volume_never_needs_fewer_staff():
    rng = np.random.default_rng(3)
    pop = rng.uniform(0, 5000, (1, 3, 6, 19))
    w = ramp_weights(np.arange(2025, 2031), 2026, 3)
    kw = dict(
        shares=np.array([0.7, 0.3]),
        minutes=20.0,
        awt_hours=np.array([[1500.0, 1600.0]]),
        caf=np.array([[1.2, 1.1]]),
        cost_per_fte=np.array([[150000.0, 60000.0]]),
        replaces=0.8,
        cost_per_attendance=150.0,
    )
    for _ in range(50):
        lo = rng.uniform(0, 30, (1, 19))
        hi = lo + rng.uniform(0, 10, (1, 19))
        a = moved_in_arrays(pop, w, per_1000=lo, **kw)
        b = moved_in_arrays(pop, w, per_1000=hi, **kw)
        assert (b.fte >= a.fte).all() and (b.cost_gbp >= a.cost_gbp).all()
        n = rng.uniform(0, 1000)
        c = moved_in_arrays(pop, w, per_year=n, **kw)
        d = moved_in_arrays(pop, w, per_year=n + rng.uniform(0, 100), **kw)
        assert (d.fte >= c.fte).all()


def test_ramp_weights():
    np.testing.assert_allclose(
        ramp_weights(np.arange(2025, 2030), 2026, 3), [0, 1 / 3, 2 / 3, 1, 1]
    )
    np.testing.assert_allclose(ramp_weights(np.arange(2025, 2028), 2026, 1), [0, 1, 1])


@pytest.mark.parametrize(
    "per_1000", [{"all": 6, "65-69": 12}, {"65-69": 12, "all": 6}], ids=["all-first", "all-last"]
)
def test_all_sets_every_band_not_named_whatever_the_key_order(per_1000):
    # a band named beside 'all' keeps its own rate: 'all' written after it used to
    # overwrite it silently (YAML keeps the order the user wrote)
    m = load_scenario(
        dict(MAPPING, moved_in=[dict(MAPPING["moved_in"][0], per_1000=per_1000)])
    ).baseline.moved_in[0]
    assert m.per_1000["65-69"][0] == 12
    assert {b: v[0] for b, v in m.per_1000.items() if b != "65-69"} == dict.fromkeys(
        [b for b in m.per_1000 if b != "65-69"], 6.0
    )
    assert len(m.per_1000) == 19


def test_a_count_a_year_is_shared_by_list():
    pop = np.ones((1, 2, 3, 19))
    pop[:, 1] *= 3  # the second area has three times the list
    a = moved_in_arrays(
        pop,
        np.ones(3),
        per_year=400.0,
        shares=np.array([1.0]),
        minutes=60.0,
        awt_hours=np.array([[100.0]]),
        caf=np.array([[1.0]]),
        cost_per_fte=np.array([[1.0]]),
        replaces=1.0,
        cost_per_attendance=1.0,
    )
    np.testing.assert_allclose(a.contacts[0, :, 0], [100, 300])


def _file(tmp_path, change):
    cfg = yaml.safe_load(yaml.safe_dump(MAPPING))
    change(cfg["moved_in"][0])
    p = tmp_path / "bad.yaml"
    p.write_text(yaml.safe_dump(cfg), "utf-8")
    return p


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (lambda e: e.update(replaces=1.2), "moved_in[0].replaces", "between 0 and 1"),
        (lambda e: e.update(replaces=[0.8, 1.1]), "moved_in[0].replaces", "between 0 and 1"),
        (lambda e: e.update(ramp_up_years=4), "moved_in[0].ramp_up_years", "past the horizon"),
        (lambda e: e.update(start_year=2025), "moved_in[0].start_year", "after the base year"),
        (lambda e: e.update(per_year=100), "moved_in[0]", "exactly one of"),
        (lambda e: e["delivered_by"][0].update(share=0.5), "moved_in[0].delivered_by", "sum to"),
        (lambda e: e.update(per_1000={"0-5": 1}), "moved_in[0].per_1000", "unknown age band"),
        (
            lambda e: e["delivered_by"][0].pop("sessions_per_week"),
            "moved_in[0].delivered_by[0].special_interest",
            "without sessions_per_week",
        ),
    ],
)
def test_bad_input_names_file_and_key(tmp_path, change, key, words):
    p = _file(tmp_path, change)
    with pytest.raises(InputError) as err:
        load_scenario(p)
    msg = str(err.value)
    assert str(p) in msg and f"key '{key}'" in msg and words in msg
    assert "\n" not in msg


def test_a_role_that_cannot_hold_the_competency(tmp_path):
    def anp(e):
        e["delivered_by"][0]["role"] = "anp"

    p = _file(tmp_path, anp)
    spec = load_scenario(p)
    run = _run(spec.to_mapping())
    run.scenario = spec
    run.results["baseline"].roles = ["anp"]
    with pytest.raises(InputError) as err:
        moved_in_results(run)
    msg = str(err.value)
    assert str(p) in msg and "key 'moved_in[0].delivered_by[0].special_interest'" in msg
    assert "cannot hold the competency 'dermatology_gpwer'" in msg and "['gp']" in msg


def test_a_variant_names_its_own_key(tmp_path):
    cfg = {k: v for k, v in MAPPING.items() if k != "moved_in"}
    bad = dict(MAPPING["moved_in"][0], replaces=2)
    cfg["variants"] = [{"name": "v", "moved_in": [bad]}]
    with pytest.raises(InputError, match=r"key 'variants\[0\]\.moved_in\[0\]\.replaces'"):
        load_scenario(cfg)


def test_the_bundled_example_business_case_has_a_band():
    from wfkit import usecases

    run = usecases.build("closer_to_home", {"area": "U00254", "draws": 30}).run()
    r = moved_in_results(run)
    bc = business_case(r, run).set_index("item")
    net = bc.loc["net cost of the move, 2025-2035"]
    assert net["p10"] < net["value"] < net["p90"]
    # draws are seeded: the same run gives the same figures
    again = business_case(moved_in_results(run), run).set_index("item")
    assert again.equals(bc)
    # the example's published anchor: about 9 contacts a year per 1,000 patients at full volume
    full = r.activity.loc[(r.activity["measure"] == "contacts") & (r.activity["year"] == 2029)]
    pop = run.results["dermatology_moved_in"].population[0, 0, 4]
    assert full["value"].iloc[0] == pytest.approx(9 * pop / 1000)


def test_the_report_has_a_business_case_section():
    from wfkit import usecases
    from wfkit.report.facts import gather
    from wfkit.report.html import external_references, render_report

    uc = usecases.build("closer_to_home", {"area": "U00254", "draws": 20})
    run = uc.run()
    f = gather(run, uc.params, "closer_to_home")
    page = render_report(f)
    assert "<h2>Care closer to home: the business case</h2>" in page
    case = business_case(moved_in_results(run), run).set_index("item")
    benefit = case.loc["benefit a year", "value"]
    assert f"£{benefit:,.0f} a year" in page and "break-even year" in page
    assert not external_references(page)
    # a run that moves nothing in has no such section
    plain = usecases.build("frailty", {"area": "U00254", "draws": 0}).run()
    assert "the business case" not in render_report(gather(plain, {}, "frailty"))


def test_a_workbook_never_drops_work_moved_in(tmp_path):
    from wfkit.scenario.template import write_template

    with pytest.raises(InputError, match="moved_in"):
        write_template(tmp_path / "t.xlsx", scenario="closer-to-home")
    assert not (tmp_path / "t.xlsx").exists()


def test_fte_with_the_work_moved_in_added():
    from wfkit.usecases.moved_in_reports import fte_with_moved_in

    run = _run()
    t = fte_with_moved_in(run, moved_in_results(run)).iloc[0]
    # 2028: the run's own 1.0 FTE, 0.2 FTE moved in, 1.5 in post -> gap 0.3
    assert (t["required_fte"], t["moved_in_fte"]) == (1.0, pytest.approx(0.2))
    assert t["with_moved_in_fte"] == pytest.approx(1.2)
    assert t["gap_fte"] == pytest.approx(0.3)


def test_wfkit_run_writes_the_business_case(tmp_path, capsys):
    from wfkit.cli import main

    cfg = load_scenario("closer-to-home").to_mapping()
    cfg["draws"] = 10
    f = tmp_path / "s.yaml"
    f.write_text(yaml.safe_dump(cfg), "utf-8")
    assert main(["run", str(f), "--out", str(tmp_path / "out")]) == 0
    out = tmp_path / "out"
    for name in ("business_case", "moved_in", "moved_in_staff", "training"):
        assert (out / f"{name}.csv").is_file(), name
    printed = capsys.readouterr().out
    assert "community_dermatology moved in (dermatology_moved_in): net cost GBP" in printed


def test_charts_name_the_area_units_and_roles_and_draw_offline():
    from wfkit import closer_charts
    from wfkit.charts import static_svg

    run = _run()
    r = moved_in_results(run)
    money = closer_charts.moved_in_money(r.activity).to_dict()
    assert "in A1" in money["title"] and "Derm" in money["title"]
    assert money["layer"][0]["encoding"]["y"]["title"] == "GBP a year"
    staff = closer_charts.moved_in_staff(r.staff)
    spec = staff.to_dict()
    assert spec["encoding"]["color"]["legend"]["values"] == ["General practitioner"]
    assert spec["encoding"]["y"]["title"] == "FTE (central run)"
    assert "<svg" in static_svg(staff)


def test_validate_and_run_name_a_role_that_cannot_hold_the_competency(tmp_path, capsys):
    from wfkit.cli import main

    cfg = load_scenario("closer-to-home").to_mapping()
    cfg["variants"][0]["moved_in"][0]["delivered_by"][0]["role"] = "anp"
    f = tmp_path / "s.yaml"
    f.write_text(yaml.safe_dump(cfg), "utf-8")
    for argv in (["validate", str(f)], ["run", str(f), "--out", str(tmp_path / "out")]):
        assert main(argv) != 0
        err = capsys.readouterr().err.strip()
        assert "\n" not in err and str(f) in err
        assert "variants[0].moved_in[0].delivered_by[0].special_interest" in err
    assert not (tmp_path / "out").exists()  # refused before the model ran


def test_more_volume_never_needs_fewer_staff_or_training():
    def totals(rate):
        e = dict(MAPPING["moved_in"][0], per_1000={"0-4": rate, "5-9": 2 * rate})
        r = moved_in_results(_run(dict(MAPPING, moved_in=[e])))
        return r.staff["fte"].to_numpy(), r.training["to_train_heads"].sum()

    last_fte, last_heads = totals(0.0)
    for rate in (1.0, 5.0, 10.0, 40.0):
        fte, heads = totals(rate)
        assert (fte >= last_fte).all() and heads >= last_heads
        last_fte, last_heads = fte, heads


def test_a_course_too_late_is_said_in_the_business_case():
    e = dict(MAPPING["moved_in"][0])
    e["delivered_by"] = [dict(e["delivered_by"][0], course_years=2)]  # 2026 - 2 < 2025
    run = _run(dict(MAPPING, moved_in=[e]))
    r = moved_in_results(run)
    assert r.training.set_index("year").loc[2026, "too_late"]
    case = business_case(r, run).set_index("item")
    assert case.loc["practitioners whose course would start before 2025", "value"] == (
        pytest.approx(2 / 3)
    )
