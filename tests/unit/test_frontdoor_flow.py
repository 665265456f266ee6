"""Tests for the front door followed to the clinicians (wfkit.frontdoor_flow), the real
same-day profile, the stagger and month scenarios of wfkit.frontdoor and the 2026/27
standard."""

from __future__ import annotations

import csv
from collections import defaultdict

import numpy as np
import pytest

import wfkit.data as wd
from wfkit import usecases
from wfkit.errors import InputError
from wfkit.frontdoor import call_handlers, monthly_factors, stagger_calls, weekday_hours
from wfkit.frontdoor_flow import (
    answer_curve,
    booking_shares,
    front_door_plan,
    front_door_scenarios,
    request_flow,
    same_day_profile,
    session_shares,
)
from wfkit.usecases import same_day

pytestmark = pytest.mark.unit

AREA = "U06180"  # North Southwark PCN


def _published_rows():
    """The bundled arrival profile read with the csv module (not wfkit's loader)."""
    path = wd.data_dir() / "frontdoor" / "arrival_profile.csv"
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def base():
    return front_door_plan(AREA)


def test_session_profile_sums_to_the_published_weekly_totals():
    rows = _published_rows()
    week = sum(float(r["requests_per_day"]) for r in rows)  # calls and online, average week
    s = session_shares()
    assert s.requests.sum() == pytest.approx(week, rel=1e-12)
    assert s.share.sum() == pytest.approx(1.0)
    assert len(s) == 10 and set(s.weekday) == set(wd_weekdays := s.weekday.unique())
    assert list(wd_weekdays) == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    # each channel's hourly arrivals sum to its published week, weekday by weekday
    by_day = defaultdict(float)
    for r in rows:
        by_day[r["channel"], r["weekday"]] += float(r["requests_per_day"])
    from wfkit.frontdoor import hourly_profile

    p = hourly_profile()
    for channel, g in p.groupby("channel"):
        total = sum(v for (c, _), v in by_day.items() if c == channel)
        got = (g.share * total).groupby(g.weekday).sum()
        for day, v in got.items():
            assert v == pytest.approx(by_day[channel, day], rel=1e-9)


def test_tuesday_morning_by_hand():
    # Tuesday morning: Tuesday 00:00-12:00 and half of its 12:00-13:59 band, plus Monday's
    # evening band from 19:00 (calls 18:30-23:59: 5 of 5.5 hours; online 18:00-23:59: 5 of
    # 6), both channels
    want = 0.0
    for r in _published_rows():
        per_day, start = float(r["requests_per_day"]), float(r["start_hour"])
        end = float(r["end_hour"])
        if r["weekday"] == "Tuesday" and start < 12:
            want += per_day
        elif r["weekday"] == "Tuesday" and start == 12:
            want += per_day / 2
        elif r["weekday"] == "Monday" and end == 24:
            want += per_day * 5 / (end - start)
    s = session_shares().set_index(["weekday", "session"])
    assert s.requests["Tuesday", "morning"] == pytest.approx(want, rel=1e-9)
    # Monday morning carries the weekend: the busiest session of the week
    assert s.requests.idxmax() == ("Monday", "morning")
    assert list(session_shares().session[:2]) == ["morning", "afternoon"]


def test_answer_curve_more_handlers_answer_more(base):
    c = answer_curve(base.front)
    assert set(c.hour) == {"Busiest hour (Monday 08:00)", "Average open hour"}
    for _, g in c.groupby("hour"):
        assert (np.diff(g.answered_within_target) >= -1e-12).all()
        assert (np.diff(g.abandoned) <= 1e-12).all()
    # at the handlers sized for the busiest hour, the target is met there
    peak = c[c.hour.str.startswith("Busiest")].set_index("handlers")
    n = int(base.front.hourly.handlers_needed.max())
    assert peak.answered_within_target[n] >= 0.8 and peak.abandoned[n] <= 0.05
    assert peak.answered_within_target[n - 1] < 0.8 or peak.abandoned[n - 1] > 0.05


def test_same_day_profile_scales_to_the_weekly_requests():
    p = same_day_profile(1000)
    assert p.requests.sum() == pytest.approx(1000)
    assert p.source.iloc[0].startswith("England's calls and online requests")


def test_judgement_weights_only_as_a_fallback_that_says_so(monkeypatch):
    assert same_day.request_profile(500).source.iloc[0].startswith("England's")

    def broken(_):
        raise InputError("cannot read arrival_profile")

    monkeypatch.setattr(same_day, "same_day_profile", broken)
    p = same_day.request_profile(500)
    assert "judgement" in p.source.iloc[0] and "fallback" in p.source.iloc[0]
    mon_morning = p.set_index(["weekday", "session"]).requests["Monday", "morning"]
    assert mon_morning == pytest.approx(500 * 0.24 * 0.6)


def test_same_day_queueing_uses_the_real_profile():
    uc = usecases.build("same_day", {"area": AREA, "draws": 0, "horizon": 2})
    summary, sessions = usecases.same_day_queueing(uc.run())
    assert summary.profile.str.startswith("England's").all()
    first = sessions[sessions.scenario == "baseline"]
    shares = session_shares().share.to_numpy()
    np.testing.assert_allclose(first.requests / first.requests.sum(), shares, rtol=1e-9)


def test_stagger_by_hand_conserves_calls():
    calls = np.zeros(168)
    calls[[8, 9]] = 10.0
    calls[10:19] = 1.0  # Monday 10:00-18:59
    out = stagger_calls(calls, 0.5)
    assert out[8] == pytest.approx(5.0) and out[9] == pytest.approx(5.0)
    np.testing.assert_allclose(out[10:19], 1 + 10 / 9)
    assert out.sum() == pytest.approx(calls.sum())
    np.testing.assert_array_equal(stagger_calls(calls, 0.0), calls)


def test_stagger_conserves_calls_and_lowers_the_8_to_10_peak():
    before = call_handlers(AREA).hourly
    after = call_handlers(AREA, stagger=0.3).hourly
    assert after.calls.sum() == pytest.approx(before.calls.sum())
    for day in range(5):
        h = slice(24 * day, 24 * day + 24)
        assert after.calls[h].sum() == pytest.approx(before.calls[h].sum())
    rush = weekday_hours(8, 10)
    assert after.handlers_needed[rush].sum() < before.handlers_needed[rush].sum()
    assert after.handlers_needed[rush].max() <= before.handlers_needed[rush].max()
    assert (after.calls[rush].to_numpy() < before.calls[rush].to_numpy()).all()


def test_monthly_factors_by_hand():
    f = monthly_factors().set_index("month")
    assert f.factor[11] == 1.0
    a = wd.load("appointments_monthly")
    # December 2024: 22 weekdays; November 2025: 20 weekdays
    dec = a[a.month == "2024-12"].appointments.sum() / 22
    nov = a[a.month == "2025-11"].appointments.sum() / 20
    assert f.weekdays[12] == 22 and f.weekdays[11] == 20
    assert f.factor[12] == pytest.approx(dec / nov)
    assert len(f) == 12 and 0.7 < f.factor.min() and f.factor.max() < 1.3
    # call_handlers scales November's requests by the area's own sub-ICB factor
    nov_calls = call_handlers(AREA).hourly.calls.sum()
    jan = call_handlers(AREA, month=1)
    factor = jan.inputs.set_index("parameter").value["month_factor"]
    assert jan.hourly.calls.sum() == pytest.approx(nov_calls * factor)
    assert factor != 1.0


def test_booking_shares_by_hand():
    row = wd.load("appointments").set_index("practice").loc["A81001"]
    known = (
        row[["same_day", "days_1", "days_2_7", "days_8_14", "days_15_21"]].sum()
        + row[["days_22_28", "days_29_plus"]].sum()
    )
    s = booking_shares("A81001", "practice")
    assert s["same_day"] == pytest.approx(row.same_day / known)
    assert s.sum() == pytest.approx(1.0)


def test_request_flow_conserves_and_triage_counts(base):
    f = base.flow.set_index("channel")
    parts = f[["same_day", "next_day", "within_week", "later"]].sum(axis=1)
    np.testing.assert_allclose(parts, f.appointments)
    np.testing.assert_allclose(f.appointments, 0.6 * f.clinical_requests)
    np.testing.assert_allclose(f.triage_hours, f.clinical_requests * 3 / 60)
    h = base.front.hourly
    assert f.requests["telephone"] == pytest.approx((h.calls * (1 - h.abandoned)).sum())
    assert f.requests["online"] == pytest.approx(h.online_requests.sum())


def test_2026_27_standard_raises_same_day_work_and_cost(base):
    share_today = booking_shares(AREA)["same_day"]
    assert share_today < 0.5  # so the standard binds in this network
    new = front_door_plan(AREA, standard="2026/27")
    f = new.flow.set_index("channel")
    assert (f.same_day / f.appointments).to_numpy() == pytest.approx(0.5)
    b, n = base.summary.iloc[0], new.summary.iloc[0]
    assert n.same_day_appointments_per_week > b.same_day_appointments_per_week
    assert n.clinician_fte > b.clinician_fte
    assert n.total_cost_per_year > b.total_cost_per_year
    assert n.handler_fte == pytest.approx(b.handler_fte)  # the phones are not changed


def test_scenarios_side_by_side_with_their_cost():
    both = front_door_scenarios(AREA)
    s = both.costs.set_index("scenario")
    assert list(s.index) == [
        "baseline",
        "move_online",
        "stagger",
        "add_handlers",
        "standard_2026_27",
    ]
    assert s.cost_change_per_year["baseline"] == 0
    assert s.handler_fte["move_online"] < s.handler_fte["baseline"]
    assert s.peak_handlers_8_10["stagger"] <= s.peak_handlers_8_10["baseline"]
    assert s.handler_hours_8_10["add_handlers"] == pytest.approx(
        s.handler_hours_8_10["baseline"] + 10
    )
    assert s.answered_within_target["add_handlers"] > s.answered_within_target["baseline"]
    assert s.cost_change_per_year["add_handlers"] > 0
    assert s.cost_change_per_year["standard_2026_27"] > 0
    np.testing.assert_allclose(
        s.total_cost_per_year, s.handler_cost_per_year + s.clinician_cost_per_year
    )
    h = both.hourly
    assert set(h.scenario) == set(s.index) and len(h) == 5 * 168
    assert h[h.scenario == "stagger"].calls.sum() == pytest.approx(
        h[h.scenario == "baseline"].calls.sum()
    )


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"standard": "2027/28"}, "same_day_standard"),
        ({"stagger": 1.5}, "between 0 and 1"),
        ({"stagger": -0.1}, "stagger"),
        ({"month": 13}, "month 1 to 12"),
        ({"appointment_share": 2.0}, "between 0 and 1"),
        ({"add_handlers": {200: 1}}, "outside the week"),
        ({"target_level": 1.2}, "target_level"),
    ],
)
def test_bad_input_is_one_clear_line(kw, match):
    with pytest.raises(InputError, match=match):
        front_door_plan(AREA, **kw)


def test_bad_calls_are_refused():
    with pytest.raises(InputError, match="calls"):
        stagger_calls(-np.ones(168), 0.3)
    with pytest.raises(InputError, match="168"):
        stagger_calls(np.ones(24), 0.3)
    with pytest.raises(InputError, match="extra_handlers"):
        front_door_scenarios(AREA, extra_handlers=1.5)


def test_standard_changes_nothing_where_practices_already_see_enough_the_same_day(base):
    today = request_flow(base.front, AREA, urgent_share=0.1)
    strict = request_flow(base.front, AREA, standard="2026/27", urgent_share=0.1)
    np.testing.assert_allclose(strict.same_day, today.same_day)
    everything = request_flow(base.front, AREA, appointment_share=1.0)
    np.testing.assert_allclose(everything.appointments, everything.clinical_requests)


def test_the_use_case_front_door_passes_the_notebook_settings():
    uc = usecases.build("same_day", {"area": AREA, "draws": 0, "stagger_share": 0.5})
    got = usecases.front_door(uc, same_day_standard="2026/27", stagger_share=0.5)
    costs = got.costs.set_index("scenario")
    assert costs.standard["baseline"] == "2026/27"
    direct = front_door_scenarios(AREA, stagger=0.5, standard="2026/27").costs
    np.testing.assert_allclose(got.costs.total_cost_per_year, direct.total_cost_per_year)
    two = usecases.build("same_day", {"area": AREA, "draws": 0})
    object.__setattr__(two, "mapping", {**two.mapping, "areas": [AREA, "U00000"]})
    with pytest.raises(InputError, match="one area at a time"):
        usecases.front_door(two)
