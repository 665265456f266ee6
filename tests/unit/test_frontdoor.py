"""Tests for the front-door model (wfkit.frontdoor): calls by hour -> call handlers."""

from __future__ import annotations

import numpy as np
import pytest

import wfkit.data as wd
from wfkit.errors import InputError
from wfkit.frontdoor import (
    area_requests,
    call_handlers,
    call_statistics,
    hourly_profile,
    weekday_hours,
)
from wfkit.queueing import erlang_a

pytestmark = pytest.mark.unit

AREA = "U06180"  # North Southwark PCN


@pytest.fixture(scope="module")
def base():
    return call_handlers(AREA)


def test_hourly_profile_spreads_the_published_bands_over_the_week():
    p = hourly_profile()
    assert p.groupby("channel").share.sum().to_numpy() == pytest.approx([1.0, 1.0])
    tel = p[p.channel == "telephone"].set_index("hour_of_week")
    prof = wd.load("arrival_profile").query("channel == 'telephone'")
    week = prof.requests_per_day.sum()
    # Monday 08:00-09:59 as published, in two equal hours
    mon8 = prof.query("weekday == 'Monday' and band == '08:00 - 09:59'").requests_per_day.item()
    assert tel.share[8] == pytest.approx(mon8 / 2 / week)
    assert tel.share[9] == pytest.approx(tel.share[8])
    # November 2025: four of each weekday, five Saturdays and Sundays (quiet for calls)
    assert tel.weeks_per_month.iloc[0] == pytest.approx(prof.requests.sum() / week)
    assert 4.0 < tel.weeks_per_month.iloc[0] < 4.1


def test_weekday_hours():
    assert weekday_hours(8, 10)[:4] == [8, 9, 32, 33]
    assert len(weekday_hours(8, 18.5)) == 5 * 11
    with pytest.raises(InputError, match="start < end"):
        weekday_hours(10, 8)


def test_call_statistics_england_match_the_published_shares():
    s = call_statistics()
    assert s["calls"] == 29_439_840
    assert s["answered_within_1min"] == pytest.approx(0.443, abs=0.001)
    assert s["missed_share"] == pytest.approx(3_499_800 / (15_936_380 + 3_499_800))
    # durations: 23.4% < 1 min, 35.9% 1-2, 33.0% 2-5, 7.8% > 5 at 0.5, 1.5, 3.5, 7.5 minutes
    assert s["handle_minutes"] == pytest.approx(
        (3_723_763 * 0.5 + 5_714_444 * 1.5 + 5_261_473 * 3.5 + 1_236_700 * 7.5) / 15_936_380
    )
    assert s["patience_minutes"] == pytest.approx(s["wait_minutes"] / s["missed_share"])


def test_area_requests_scale_the_reporting_practices_rate_to_the_whole_list():
    r = area_requests(AREA).set_index("channel")
    assert set(r.index) == {"telephone", "online_clinical", "online_admin"}
    assert (r.requests == r.per_1000 * r.patients / 1000).all()
    assert (r.covered_patients <= r.patients).all()


def test_handlers_meet_the_service_level_in_every_open_hour(base):
    h = base.hourly
    assert len(h) == 168 and h.hour_of_week.tolist() == list(range(168))
    o = h[h.open & (h.calls > 0)]
    assert (o.answered_within_target >= 0.8).all() and (o.abandoned <= 0.05).all()
    assert (h.handlers[~h.open] == 0).all()
    # one fewer handler in the Monday 8 am hour misses the target
    row = h.loc[8]
    svc = base.inputs.set_index("parameter").value
    less = erlang_a(row.handlers - 1, row.calls / 60, svc.handle_minutes, svc.patience_minutes, 2.0)
    assert less.answered_within.item() < 0.8 or less.p_abandon.item() > 0.05
    # the 8 am rush needs the most handlers
    assert h.handlers.idxmax() in (8, 9)


def test_summary_adds_up(base):
    s = base.summary.iloc[0]
    assert s.handler_hours_per_week == base.hourly.handlers.sum()
    assert s.handler_fte == pytest.approx(s.handler_hours_per_week / (37.5 * 0.8))
    assert s.calls_per_week == pytest.approx(base.hourly.calls.sum())
    assert s.admin_fte_in_post > 0 and s.handler_cost_per_year > 0


def test_moving_calls_online_needs_fewer_handlers_and_more_online_work(base):
    moved = call_handlers(AREA, move_online=0.3)
    assert moved.summary.calls_per_week.item() == pytest.approx(
        0.7 * base.summary.calls_per_week.item()
    )
    assert moved.summary.handler_fte.item() < base.summary.handler_fte.item()
    assert (
        moved.summary.online_requests_per_week.item() > base.summary.online_requests_per_week.item()
    )


def test_adding_handlers_8_to_10_shortens_the_morning_queue():
    before = call_handlers(AREA, staffing=12)
    after = call_handlers(AREA, staffing=12, add_handlers={h: 3 for h in weekday_hours(8, 10)})
    am = weekday_hours(8, 10)
    assert (after.hourly.handlers[am] == 15).all()
    assert (after.hourly.mean_wait_minutes[am] < before.hourly.mean_wait_minutes[am]).all()
    others = [h for h in range(168) if h not in am]
    assert np.allclose(after.hourly.handlers[others], before.hourly.handlers[others])
    assert after.summary.handler_cost_per_year.item() > before.summary.handler_cost_per_year.item()


@pytest.mark.parametrize(
    "kwargs,column",
    [
        ({"target_level": 1.2}, "target_level"),
        ({"move_online": 1.5}, "move_online"),
        ({"move_online": -0.1}, "move_online"),
        ({"add_handlers": {168: 2}}, "add_handlers"),
        ({"add_handlers": {-1: 2}}, "add_handlers"),
        ({"staffing": [1, 2, 3]}, "staffing"),
        ({"handle_minutes": -2.0}, "handle_minutes"),
    ],
)
def test_bad_input_is_one_clear_line(kwargs, column):
    with pytest.raises(InputError) as e:
        call_handlers(AREA, **kwargs)
    assert e.value.column == column
    assert "\n" not in str(e.value)


def test_unknown_area_is_refused():
    with pytest.raises(InputError, match="unknown pcn"):
        call_handlers("NOPE")


@pytest.fixture(scope="module")
def backtest():
    from wfkit.frontdoor import phone_backtest

    return phone_backtest(shares=(0.05, 0.1), practices=80, seed=7)


def test_phone_backtest_fits_on_one_half_and_tests_on_the_other(backtest):
    per, summary = backtest
    assert len(per) == 80 and per.practice.is_unique
    assert sorted(per.half.value_counts().to_list()) == [40, 40]
    assert set(summary.measure) == {"within_1min", "missed"}
    assert summary.share.nunique() == 1 and summary.share.iloc[0] in (0.05, 0.1)
    for col in ("predicted_within_1min", "predicted_missed", "observed_missed"):
        assert per[col].between(0, 1).all()
    # the summary is computed from the per-practice rows
    test = per[per.half == "test"]
    row = summary.query("measure == 'missed' and half == 'test'").iloc[0]
    err = test.predicted_missed - test.observed_missed
    assert row.median_abs_error == pytest.approx(err.abs().median())
    assert row.correlation == pytest.approx(
        np.corrcoef(test.predicted_missed, test.observed_missed)[0, 1]
    )


def test_phone_backtest_observed_shares_are_the_published_ones(backtest):
    per, _ = backtest
    t = wd.load("telephony_practice").set_index("area")
    row = per.iloc[0]
    pub = t.loc[row.practice]
    assert row.observed_missed == pytest.approx(pub.missed / (pub.answered + pub.missed))
    waits = pub[
        ["answered_wait_lt1", "answered_wait_1_2", "answered_wait_2_5", "answered_wait_gt5"]
    ]
    assert row.observed_within_1min == pytest.approx(pub.answered_wait_lt1 / waits.sum())


def test_more_staff_on_the_phones_predicts_fewer_missed_calls(backtest):
    from wfkit.frontdoor import phone_backtest

    few = phone_backtest(shares=(0.03,), practices=30, seed=1)[0]
    many = phone_backtest(shares=(0.2,), practices=30, seed=1)[0]
    assert (many.predicted_missed <= few.predicted_missed + 1e-12).all()
    assert many.predicted_missed.mean() < few.predicted_missed.mean()
