"""Care closer to home worked by hand, all parts together (issue 25, Tests).

One neighbourhood the user draws (three real practices of Blackheath and Charlton PCN),
one service moved in from hospital over three years, one special-interest role with a
two-year commitment and one placement type, run as one scenario through the public API
(``wfkit.run_scenario`` with a mapping, ``wfkit.moved_in_results``, ``wfkit.business_case``,
``wfkit.placements_frames``). Every figure is checked against arithmetic written out here
from the bundled CSV tables read with plain pandas (never through the code under test),
and in the same setting: the neighbourhood's results equal the sum of its practices';
moving in nothing changes nothing; supervision never raises available capacity.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wfkit

pytestmark = pytest.mark.integration

DATA = Path(wfkit.__file__).resolve().parents[1] / "data"
#: Manor Brook PMS, Blackheath Standard PMS and Vanbrugh Group Practice (Blackheath and
#: Charlton PCN, U00254; its fourth practice, Fairfield PMS, is left out, so the
#: neighbourhood splits the network)
PRACTICES = ["G83001", "G83013", "G83021"]
YEARS = np.arange(2025, 2030)  # base year 2025, horizon 4
VARIANT = "dermatology_moved_in"
# the service, as a commissioner might write it (every number a point, so the central run
# is the whole story); 'all' is written after the named bands on purpose: the named bands
# keep their own rate
PER_1000 = {"65-69": 15.0, "70-74": 15.0, "all": 9.0}
START, RAMP = 2026, 3
MINUTES, REPLACES, GBP_PER_ATTENDANCE, CONSULTANT_MINUTES = 20.0, 0.8, 150.0, 15.0
GP_SHARE, NURSE_SHARE, SESSIONS, COMMITMENT, COURSE_YEARS = 0.85, 0.15, 1.0, 2, 1
REGISTRARS = 2.0


def _entry(**change) -> dict:
    e = {
        "activity": "community_dermatology",
        "kind": "clinic",
        "per_1000": dict(PER_1000),
        "start_year": START,
        "ramp_up_years": RAMP,
        "minutes_per_contact": MINUTES,
        "replaces": REPLACES,
        "cost_per_attendance": GBP_PER_ATTENDANCE,
        "cost_source": "wfkit judgement (a test)",
        "consultant_minutes": CONSULTANT_MINUTES,
        "consultant_cost_per_hour": 103,
        "delivered_by": [
            {
                "role": "gp",
                "share": GP_SHARE,
                "special_interest": "dermatology_gpwer",
                "sessions_per_week": SESSIONS,
                "commitment_years": COMMITMENT,
                "course_years": COURSE_YEARS,
            },
            {"role": "practice_nurse", "share": NURSE_SHARE},
        ],
    }
    e.update(change)
    return e


def _scenario(areas, *, level: str | None = None, placements=None, moved_in=None) -> dict:
    """Bundled tables, no population growth (the lists of 1 December 2025 every year), the
    national QOF prevalence (each area's own register is standardised as a whole, which is
    not additive over practices: docs/neighbourhoods.md), no calibration, no draws."""
    tables = ["population", "activities", "contacts", "skill_mix", "minutes", "capacity"]
    inputs = dict.fromkeys([*tables, "costs", "supply", "flows"], "bundled")
    inputs["prevalence"] = str(DATA / "assumptions" / "prevalence.csv")
    sc = {
        "name": "hand-worked neighbourhood",
        "base_year": int(YEARS[0]),
        "horizon": len(YEARS) - 1,
        "draws": 0,
        "seed": 25,
        "calibration": "none",
        "areas": areas,
        "inputs": inputs,
        "placements": placements if placements is not None else {"gp_registrar": REGISTRARS},
        "variants": [{"name": VARIANT, "moved_in": [_entry()] if moved_in is None else moved_in}],
    }
    if level is not None:
        sc["level"] = level
    return sc


@pytest.fixture(scope="module")
def groups(tmp_path_factory) -> Path:
    f = tmp_path_factory.mktemp("neighbourhood") / "neighbourhood.csv"
    rows = "".join(f"N1,Blackheath west,,{p}\n" for p in PRACTICES)
    f.write_text("group,group_name,pcn,practice\n" + rows, encoding="utf-8")
    return f


@pytest.fixture(scope="module")
def run(groups):
    return wfkit.run_scenario(_scenario({"groups": str(groups)}))


@pytest.fixture(scope="module")
def moved(run):
    return wfkit.moved_in_results(run)


# ----------------------------------------------------------------------------------------
# the bundled tables, read directly
# ----------------------------------------------------------------------------------------
def _csv(path: str) -> pd.DataFrame:
    return pd.read_csv(DATA / path)


def _population_by_band() -> pd.Series:
    """The three practices' registered patients by age band (data/population/practice_age.csv,
    1 December 2025), summed."""
    pa = _csv("population/practice_age.csv")
    return pa[pa.practice.isin(PRACTICES)].groupby("age_band").patients.sum()


def _capacity(role: str) -> pd.Series:
    cap = _csv("assumptions/capacity.csv")
    return cap[cap.role == role].set_index("parameter")["value"]


def _awt(role: str) -> float:
    """Available working time (data/assumptions/capacity.csv): weeks a year x hours a week,
    less the days away (leave, bank holidays, sickness, training, other) x hours a day."""
    c = _capacity(role)
    days = sum(
        c[k]
        for k in (
            "annual_leave_days",
            "bank_holiday_days",
            "sickness_days",
            "training_days",
            "other_days",
        )
    )
    return c.weeks_per_year * c.hours_per_week - days * c.hours_per_week / c.days_per_week


def _caf(role: str) -> float:
    """Category allowance factor 1 / (1 - the share of time on non-patient work)."""
    return 1.0 / (1.0 - _capacity(role).cas_fraction)


def _cost_per_fte(role: str) -> float:
    """Pay x (1 + on-costs) (data/assumptions/costs.csv); base year 2025, so the 2026/27 pay
    award (applied from base year 2026) is not in it."""
    c = _csv("assumptions/costs.csv")
    c = c[c.role == role].set_index("parameter")["value"]
    return c.salary * (1.0 + c.oncost_rate)


def _hand() -> dict[str, np.ndarray | float]:
    """Every figure of the case, year by year (2025-2029)."""
    pop = _population_by_band()
    rate = pd.Series(PER_1000["all"], index=pop.index)
    rate[["65-69", "70-74"]] = 15.0
    # full volume: sum over age bands of patients x rate per 1,000 / 1,000
    full = float((pop * rate).sum() / 1000.0)
    # ramp-up over 3 years from 2026: 0 in 2025, then 1/3, 2/3, 1, 1
    w = np.array([0.0, 1 / 3, 2 / 3, 1.0, 1.0])
    contacts = w * full
    gp_hours = contacts * GP_SHARE * MINUTES / 60.0
    pn_hours = contacts * NURSE_SHARE * MINUTES / 60.0
    # hours / available working time x category allowance (no individual allowance)
    gp_fte = gp_hours / _awt("gp") * _caf("gp")
    pn_fte = pn_hours / _awt("practice_nurse") * _caf("practice_nurse")
    primary_cost = gp_fte * _cost_per_fte("gp") + pn_fte * _cost_per_fte("practice_nurse")
    attendances = contacts * REPLACES
    hospital_cost = attendances * GBP_PER_ATTENDANCE
    # special interest: 1 session of a GP's 9 a week (BMA model salaried contract) each
    need = gp_fte / (SESSIONS / 9.0)
    # cohorts: everyone stays through the 2-year commitment (years in post 0 and 1), then
    # the GP's post-commitment leaver rate (data/skills/pipeline.csv) applies each year
    pipe = _csv("skills/pipeline.csv").set_index("role")
    lr = float(pipe.loc["gp", "post_commitment_leaver_rate"])
    q26 = need[1]
    q27 = need[2] - q26  # the 2026 cohort in its 2nd year: all kept
    q28 = need[3] - q26 * (1 - lr) - q27
    q29 = need[4] - q26 * (1 - lr) ** 2 - q27 * (1 - lr) - q28
    cohorts = np.array([0.0, q26, q27, q28, q29])
    # a head's course: the fee and days of data/skills/competencies.csv; backfill for the
    # days at 7.5 hours (37.5 hours over 5 days) x the GP's cost per available hour
    comp = _csv("skills/competencies.csv").set_index("competency").loc["dermatology_gpwer"]
    c = _capacity("gp")
    per_head = comp.course_fee_gbp + comp.course_days * (c.hours_per_week / c.days_per_week) * (
        _cost_per_fte("gp") / _awt("gp")
    )
    training = cohorts * per_head  # by the year the cohort starts in the service
    # each course starts a year earlier (course_years 1): cost in 2025 for the 2026 cohort
    training_by_course_year = np.append(training[1:], 0.0)
    return {
        "population": float(pop.sum()),
        "contacts": contacts,
        "gp_hours": gp_hours,
        "gp_fte": gp_fte,
        "pn_fte": pn_fte,
        "primary_cost": primary_cost,
        "attendances": attendances,
        "consultant_hours": attendances * CONSULTANT_MINUTES / 60.0,
        "hospital_cost": hospital_cost,
        "need": need,
        "cohorts": cohorts,
        "lr": lr,
        "per_head": float(per_head),
        "training_by_course_year": training_by_course_year,
    }


def _series(frame: pd.DataFrame, measure: str) -> np.ndarray:
    rows = frame[frame.measure == measure].groupby("year")["value"].sum()
    return rows.reindex(YEARS).to_numpy()


# ----------------------------------------------------------------------------------------
# the hand-worked case, figure by figure
# ----------------------------------------------------------------------------------------
def test_the_neighbourhood_is_its_three_practices_lists(run):
    pop = _population_by_band()
    lists = _csv("population/list_size.csv").set_index("practice").patients[PRACTICES]
    assert pop.sum() == lists.sum() == 12_320 + 8_009 + 18_103  # 38,432 patients
    f = run.to_frame()
    got = f[(f.scenario == VARIANT) & (f.measure == "population")]
    assert set(got.area) == {"N1"}
    np.testing.assert_allclose(got.groupby("year").value.sum(), pop.sum())  # no growth


def test_contacts_staff_cost_and_hospital_side_by_hand(moved):
    h = _hand()
    a = moved.activity
    assert set(a.scenario) == {VARIANT} and set(a.area) == {"N1"}
    np.testing.assert_allclose(_series(a, "contacts"), h["contacts"], rtol=1e-12)
    np.testing.assert_allclose(
        _series(a, "primary_care_fte"), h["gp_fte"] + h["pn_fte"], rtol=1e-12
    )
    np.testing.assert_allclose(_series(a, "primary_care_cost_gbp"), h["primary_cost"], rtol=1e-12)
    np.testing.assert_allclose(_series(a, "attendances_avoided"), h["attendances"], rtol=1e-12)
    np.testing.assert_allclose(
        _series(a, "consultant_hours_avoided"), h["consultant_hours"], rtol=1e-12
    )
    np.testing.assert_allclose(
        _series(a, "hospital_cost_avoided_gbp"), h["hospital_cost"], rtol=1e-12
    )
    np.testing.assert_allclose(
        _series(a, "net_cost_gbp"), h["primary_cost"] - h["hospital_cost"], rtol=1e-12
    )
    st = moved.staff.set_index(["role", "year"]).sort_index()
    np.testing.assert_allclose(st.loc["gp", "hours"], h["gp_hours"], rtol=1e-12)
    np.testing.assert_allclose(st.loc["gp", "fte"], h["gp_fte"], rtol=1e-12)
    np.testing.assert_allclose(st.loc["practice_nurse", "fte"], h["pn_fte"], rtol=1e-12)
    np.testing.assert_allclose(st.loc["gp", "practitioners"], h["need"], rtol=1e-12)
    assert st.loc["practice_nurse", "practitioners"].isna().all()  # not a special interest


def test_practitioners_to_train_when_and_retained_over_the_commitment(moved):
    h = _hand()
    tr = moved.training.sort_values("year")
    # a cohort for each year of ramp-up and one to replace the first cohort's leavers
    assert tr.year.tolist() == [2026, 2027, 2028, 2029]
    assert tr.course_start_year.tolist() == [2025, 2026, 2027, 2028]
    assert not tr.too_late.any()
    np.testing.assert_allclose(tr.to_train_heads, h["cohorts"][1:], rtol=1e-12)
    np.testing.assert_allclose(tr.cost_gbp, h["cohorts"][1:] * h["per_head"], rtol=1e-12)
    ret = moved.retained.set_index("year")
    # the trained practitioners still in post run the service every year
    np.testing.assert_allclose(ret.retained_heads, h["need"][1:], rtol=1e-12)
    # in their commitment: a cohort's first two years in post
    q = h["cohorts"]
    np.testing.assert_allclose(
        ret.in_commitment_heads, [q[1], q[1] + q[2], q[2] + q[3], q[3] + q[4]], rtol=1e-12
    )
    np.testing.assert_allclose(ret.trained_heads, np.cumsum(q[1:]), rtol=1e-12)
    # their FTE as GPs (heads x a GP's FTE a head, data/skills/fte_per_head.csv), of which
    # the service takes 1 session in 9 each
    fph = _csv("skills/fte_per_head.csv").set_index("role").fte_per_head["gp"]
    np.testing.assert_allclose(ret.retained_fte, h["need"][1:] * fph, rtol=1e-12)
    assert (ret.commitment_years == COMMITMENT).all()


def test_the_business_case_by_hand(run, moved):
    h = _hand()
    bc = wfkit.business_case(moved, run).set_index("item")["value"]
    full = 3  # 2028, the first year at full volume
    assert bc["activity moved in a year"] == pytest.approx(h["contacts"][full])
    assert bc["hospital attendances avoided a year"] == pytest.approx(h["attendances"][full])
    assert bc["consultant hours avoided a year"] == pytest.approx(h["consultant_hours"][full])
    assert bc["hospital cost avoided a year"] == pytest.approx(h["hospital_cost"][full])
    assert bc["primary-care staff cost a year"] == pytest.approx(h["primary_cost"][full])
    assert bc["benefit a year"] == pytest.approx(h["hospital_cost"][full] - h["primary_cost"][full])
    labels = _csv("assumptions/roles.csv").set_index("role").label
    assert bc[f"staff at full volume: {labels['gp']}"] == pytest.approx(h["gp_fte"][full])
    assert bc[f"staff at full volume: {labels['practice_nurse']}"] == pytest.approx(
        h["pn_fte"][full]
    )
    assert bc["special-interest practitioners at full volume"] == pytest.approx(h["need"][full])
    assert bc["special-interest practitioners to train"] == pytest.approx(h["cohorts"].sum())
    assert bc["training cost"] == pytest.approx(h["cohorts"].sum() * h["per_head"])
    # net cost over 2025-2029: primary-care cost + training - hospital cost avoided
    net = h["primary_cost"].sum() + h["cohorts"].sum() * h["per_head"] - h["hospital_cost"].sum()
    assert bc["net cost of the move, 2025-2029"] == pytest.approx(net)
    assert net < 0  # a saving, on these figures
    # break-even: the first year the cumulative benefit, net of training paid when each
    # course starts, is back to 0 after going below it
    cum = np.cumsum(h["hospital_cost"] - h["primary_cost"] - h["training_by_course_year"])
    assert cum[0] < 0
    first = int(YEARS[np.flatnonzero(cum >= 0)[0]])
    assert bc["break-even year"] == first


def test_supervision_of_the_placement_against_available_capacity(run):
    hosting, supervision = wfkit.placements_frames(run)
    h = hosting[hosting.scenario == "baseline"].set_index("year")
    s = supervision[supervision.scenario == "baseline"].set_index("year")
    assert set(h.learner) == {"gp_registrar"} and set(s.role) == {"gp"}
    # data/neighbourhood/placements.csv: hours a week x weeks a year from a GP (trainer)
    p = _csv("neighbourhood/placements.csv").set_index("learner").loc["gp_registrar"]
    hours = REGISTRARS * p.hours_per_week * p.weeks_per_year
    assert hours == 2 * 4 * 44 == 352
    np.testing.assert_allclose(s.supervision_hours, hours)
    np.testing.assert_allclose(s.awt_hours, _awt("gp"))
    np.testing.assert_allclose(s.supervision_fte, hours / _awt("gp"), rtol=1e-12)
    # the GPs in post are the run's own supply, year by year
    f = run.to_frame()
    gp = f[(f.scenario == "baseline") & (f.role == "gp")].pivot_table(
        index="year", columns="measure", values="value", aggfunc="sum"
    )
    np.testing.assert_allclose(s.in_post_fte, gp.supply_fte, rtol=1e-9)
    np.testing.assert_allclose(s.required_fte, gp.required_fte, rtol=1e-9)
    np.testing.assert_allclose(s.available_fte, gp.supply_fte - hours / _awt("gp"), rtol=1e-9)
    np.testing.assert_allclose(
        s.gap_after_placements_fte, s.gap_fte - hours / _awt("gp"), rtol=1e-9, atol=1e-9
    )
    # hosting: a share of GP FTE are trainers, each hosting some registrars
    np.testing.assert_allclose(
        h.hostable_learners,
        gp.supply_fte * p.supervisor_share * p.learners_per_supervisor,
        rtol=1e-9,
    )
    assert (h.can_host == (h.hostable_learners >= REGISTRARS)).all()


# ----------------------------------------------------------------------------------------
# invariants in the same setting
# ----------------------------------------------------------------------------------------
ADDITIVE = ["population", "workload_hours", "required_fte", "supply_fte", "gap_fte", "cost_gbp"]


def test_the_neighbourhood_equals_the_sum_of_its_practices(run, moved):
    # the same scenario at practice level; the registrars shared among the practices
    split = {"G83001": 0.5, "G83013": 0.5, "G83021": 1.0}
    apart = wfkit.run_scenario(
        _scenario(list(PRACTICES), level="practice", placements={"gp_registrar": split})
    )
    assert sorted(apart.results["baseline"].areas) == PRACTICES

    def sums(frame, by):
        return frame.groupby(by, observed=True)["value"].sum()

    f, g = run.to_frame(), apart.to_frame()
    keep_f, keep_g = f.measure.isin(ADDITIVE), g.measure.isin(ADDITIVE)
    by = ["scenario", "year", "role", "measure"]
    a, b = sums(f[keep_f], by), sums(g[keep_g], by)
    assert len(a) == len(b) > 100
    # staff in post are rounded to 1e-6 FTE by area (wfkit.data.supply): 4 roundings apart
    pd.testing.assert_series_equal(a, b, rtol=1e-9, atol=1e-5)
    # the work moved in: activity and staff by area add up; training is planned for the
    # service as a whole, so it is the same
    m2 = wfkit.moved_in_results(apart)
    by = ["scenario", "year", "measure"]
    pd.testing.assert_series_equal(sums(moved.activity, by), sums(m2.activity, by), rtol=1e-12)
    fte = ["scenario", "year", "role"]
    pd.testing.assert_series_equal(
        moved.staff.groupby(fte).fte.sum(), m2.staff.groupby(fte).fte.sum(), rtol=1e-12
    )
    pd.testing.assert_frame_equal(
        moved.training.reset_index(drop=True), m2.training.reset_index(drop=True), rtol=1e-12
    )
    pd.testing.assert_frame_equal(
        wfkit.business_case(moved, run), wfkit.business_case(m2, apart), rtol=1e-12
    )
    # supervision and hosting by practice add up to the neighbourhood's
    s1, s2 = wfkit.placements_frames(run)[1], wfkit.placements_frames(apart)[1]
    cols = ["supervision_hours", "supervision_fte", "in_post_fte", "available_fte", "gap_fte"]
    cols += ["gap_after_placements_fte"]
    pd.testing.assert_frame_equal(
        s1.groupby(["scenario", "year"])[cols].sum(),
        s2.groupby(["scenario", "year"])[cols].sum(),
        rtol=1e-9,
        atol=1e-5,
    )


def test_moving_in_nothing_changes_nothing(groups, run):
    empty = wfkit.run_scenario(_scenario({"groups": str(groups)}, moved_in=[]))
    f = empty.to_frame()
    a = f[f.scenario == "baseline"].drop(columns="scenario").reset_index(drop=True)
    b = f[f.scenario == VARIANT].drop(columns="scenario").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    r = wfkit.moved_in_results(empty)
    assert r.activity.empty and r.staff.empty and r.training.empty and r.retained.empty
    assert wfkit.business_case(r, empty).empty
    # and the service itself leaves the engine's run as it was (it is counted beside it)
    g = run.to_frame()
    pd.testing.assert_frame_equal(
        g[g.scenario == VARIANT].drop(columns="scenario").reset_index(drop=True), b
    )
    # a service with no volume moves in nothing and trains no one
    zero = wfkit.run_scenario(
        _scenario({"groups": str(groups)}, moved_in=[_entry(per_1000={"all": 0})])
    )
    z = wfkit.moved_in_results(zero)
    assert (z.activity.value == 0).all() and (z.staff.fte == 0).all() and z.training.empty


@pytest.mark.parametrize("learners", [0.0, REGISTRARS, 40.0])
def test_supervision_never_raises_available_capacity(groups, run, learners):
    r = wfkit.run_scenario(
        _scenario({"groups": str(groups)}, placements={"gp_registrar": learners})
    )
    _, s = wfkit.placements_frames(r)
    assert (s.available_fte <= s.in_post_fte + 1e-12).all()
    assert (s.gap_after_placements_fte <= s.gap_fte + 1e-12).all()
    if learners == 0:
        np.testing.assert_allclose(s.available_fte, s.in_post_fte)
    # the model's own results do not move with the learners
    pd.testing.assert_frame_equal(r.to_frame(), run.to_frame())
