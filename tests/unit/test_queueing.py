"""Tests for Erlang-C sizing of same-day access (wfkit.queueing)."""

from __future__ import annotations

import doctest
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wfkit.queueing as q
from wfkit.errors import InputError
from wfkit.queueing import (
    erlang_b,
    erlang_c,
    peak_vs_average,
    servers_needed,
    service_level,
    session_staffing,
    weekly_profile,
)

pytestmark = pytest.mark.unit


def erlang_c_direct(s: int, a: float) -> float:
    """Textbook formula, in exact rational arithmetic (independent of the recursion)."""
    a_ = Fraction(a)
    top = a_**s / math.factorial(s) * Fraction(s) / (s - a_)
    bottom = sum(a_**k / math.factorial(k) for k in range(s)) + top
    return float(top / bottom)


WEEKDAYS = {"Monday": 0.26, "Tuesday": 0.2, "Wednesday": 0.19, "Thursday": 0.18, "Friday": 0.17}
SESSIONS = {"morning": 0.6, "afternoon": 0.4}


# ------------------------------------------------------------------ known values
def test_erlang_c_known_value():
    assert erlang_c(11, 10.0) == pytest.approx(0.6821, abs=5e-5)
    assert erlang_c(11, 10.0) == pytest.approx(erlang_c_direct(11, 10.0), rel=1e-12)


@pytest.mark.parametrize("s, a", [(1, 0.5), (2, 1.0), (5, 4.2), (20, 17.3), (50, 45.0), (3, 0.01)])
def test_erlang_c_matches_direct_formula(s, a):
    assert erlang_c(s, a) == pytest.approx(erlang_c_direct(s, a), rel=1e-10)


def test_single_server_is_utilisation():
    # M/M/1: P(wait) = rho
    rho = np.linspace(0.05, 0.95, 19)
    assert erlang_c(1, rho) == pytest.approx(rho, rel=1e-12)


def test_erlang_b_known_value():
    # B(2, 1) = (1/2) / (1 + 1 + 1/2) = 0.2
    assert erlang_b(2, 1.0) == pytest.approx(0.2)
    assert erlang_b(0, 3.0) == 1.0


def test_large_numbers_stable():
    c = erlang_c(2000, 1950.0)
    assert np.isfinite(c) and 0 < c < 1


def test_service_level_known_value():
    # lambda = 10/h, T = 1 h, s = 11, t = 0.5 h: 1 - C exp(-(11 - 10) 0.5)
    expected = 1 - erlang_c_direct(11, 10.0) * math.exp(-0.5)
    assert service_level(11, 10, 1, 0.5) == pytest.approx(expected, rel=1e-12)
    # zero target wait: share not waiting at all
    assert service_level(11, 10, 1, 0) == pytest.approx(1 - erlang_c_direct(11, 10.0))


# ------------------------------------------------------------------ stability
def test_unstable_when_load_at_or_above_servers():
    assert erlang_c(10, 10.0) == 1.0
    assert erlang_c(10, 12.5) == 1.0
    assert service_level(10, 10, 1, 5) == 0.0
    assert service_level(3, 40, 0.25, 1) == 0.0
    assert servers_needed(10, 1, 0.5, 0.8) > 10


def test_no_demand():
    assert service_level(0, 0, 0.2, 0) == 1.0
    assert servers_needed(0, 0.2, 0.1, 0.9) == 0
    assert erlang_c(3, 0.0) == 0.0


# ------------------------------------------------------------------ monotonicity
@settings(max_examples=60, deadline=None)
@given(
    lam=st.floats(0.1, 60),
    minutes=st.floats(1, 30),
    wait=st.floats(0, 4),
)
def test_more_servers_never_lower_service_level(lam, minutes, wait):
    svc = minutes / 60
    s = np.arange(0, int(lam * svc) + 15)
    sl = service_level(s, lam, svc, wait)
    assert np.all(np.diff(sl) >= -1e-12)
    assert np.all((sl >= 0) & (sl <= 1))


@settings(max_examples=60, deadline=None)
@given(
    lam=st.floats(0.01, 80),
    minutes=st.floats(1, 30),
    wait=st.floats(0, 4),
    level=st.floats(0.5, 0.99),
)
def test_servers_needed_is_minimal(lam, minutes, wait, level):
    svc = minutes / 60
    n = int(servers_needed(lam, svc, wait, level))
    assert n > lam * svc  # stable
    assert service_level(n, lam, svc, wait) >= level
    assert n == 1 or service_level(n - 1, lam, svc, wait) < level


# ------------------------------------------------------------------ vectorised
def test_vectorised_equals_scalar():
    rng = np.random.default_rng(1)
    lam = rng.uniform(0, 40, 50)
    svc = rng.uniform(0.05, 0.5, 50)
    wait = rng.uniform(0, 2, 50)
    level = rng.uniform(0.6, 0.98, 50)
    lam[3] = 0.0
    n = servers_needed(lam, svc, wait, level)
    assert n.shape == (50,) and n.dtype == np.int64
    for i in range(50):
        assert n[i] == servers_needed(lam[i], svc[i], wait[i], level[i])
    sl = service_level(n, lam, svc, wait)
    for i in range(50):
        assert sl[i] == service_level(n[i], lam[i], svc[i], wait[i])
    c = erlang_c(n, lam * svc)
    for i in range(50):
        assert c[i] == erlang_c(n[i], lam[i] * svc[i])


def test_broadcasting():
    c = erlang_c(np.arange(1, 6)[:, None], np.array([0.5, 1.5, 2.5]))
    assert c.shape == (5, 3)
    assert c[2, 1] == erlang_c(3, 1.5)
    n = servers_needed(np.array([[5.0], [10.0]]), 0.25, 0.1, np.array([0.8, 0.9, 0.95]))
    assert n.shape == (2, 3)
    assert np.all(np.diff(n, axis=1) >= 0)  # higher target, no fewer servers
    assert np.all(n[1] >= n[0])  # more demand, no fewer servers


# ------------------------------------------------------------------ profiles
def test_weekly_profile():
    p = weekly_profile(1000, WEEKDAYS, SESSIONS)
    assert list(p.columns) == ["weekday", "session", "requests"]
    assert len(p) == 10
    assert p["requests"].sum() == pytest.approx(1000)
    mon_am = p[(p.weekday == "Monday") & (p.session == "morning")]["requests"].item()
    assert mon_am == pytest.approx(1000 * 0.26 * 0.6)
    assert list(p["weekday"].unique()) == list(WEEKDAYS)


def test_weekly_profile_default_is_even():
    p = weekly_profile(500)
    assert len(p) == 10
    assert np.allclose(p["requests"], 50)


def test_session_staffing_columns_and_consistency():
    p = weekly_profile(600, WEEKDAYS, SESSIONS)
    s = session_staffing(p, 10, 3.5, target_wait_hours=2, target_level=0.9)
    for col in [
        "arrival_rate",
        "offered_load",
        "servers",
        "occupancy",
        "service_level",
        "clinician_hours",
        "average_hours",
    ]:
        assert col in s.columns
    assert np.allclose(s["arrival_rate"], s["requests"] / 3.5)
    assert np.allclose(s["offered_load"], s["arrival_rate"] * 10 / 60)
    assert np.all(s["service_level"] >= 0.9)
    assert np.all(s["occupancy"] < 1)
    assert np.allclose(s["clinician_hours"], s["servers"] * 3.5)
    assert np.allclose(s["average_hours"], s["requests"] * 10 / 60)
    # one fewer clinician misses the target in every session with demand
    fewer = service_level(s["servers"].to_numpy() - 1, s["arrival_rate"], 10 / 60, 2)
    assert np.all(fewer < 0.9)
    # the busiest session needs the most clinicians
    assert s.loc[s["requests"].idxmax(), "servers"] == s["servers"].max()


def test_session_hours_by_session_and_default_wait():
    p = weekly_profile(300, WEEKDAYS, SESSIONS)
    s = session_staffing(p, 12, {"morning": 4, "afternoon": 3}, target_level=0.95)
    assert set(s.loc[s.session == "morning", "session_hours"]) == {4}
    assert set(s.loc[s.session == "afternoon", "session_hours"]) == {3}
    # default wait = session length
    expected = service_level(s["servers"], s["arrival_rate"], 0.2, s["session_hours"])
    assert np.allclose(s["service_level"], expected)


def test_peak_vs_average_uplift():
    p = weekly_profile(600, WEEKDAYS, SESSIONS)
    w = peak_vs_average(p, 10, 4, target_wait_hours=1, target_level=0.9)
    assert len(w) == 1
    assert w["average_hours"].item() == pytest.approx(600 * 10 / 60)
    st_ = session_staffing(p, 10, 4, 1, 0.9)
    assert w["queueing_hours"].item() == pytest.approx(st_["clinician_hours"].sum())
    assert w["uplift"].item() == pytest.approx(w["queueing_hours"].item() / 100)
    assert w["uplift"].item() > 1
    d = peak_vs_average(p, 10, 4, 1, 0.9, by="weekday")
    assert list(d["weekday"]) == list(WEEKDAYS)
    assert d["queueing_hours"].sum() == pytest.approx(w["queueing_hours"].item())


def test_uneven_demand_needs_more_than_even():
    even = peak_vs_average(weekly_profile(600), 10, 4, 1, 0.9)
    peaky = peak_vs_average(
        weekly_profile(
            600,
            {"Monday": 0.4, "Tuesday": 0.15, "Wednesday": 0.15, "Thursday": 0.15, "Friday": 0.15},
            {"morning": 0.8, "afternoon": 0.2},
        ),
        10,
        4,
        1,
        0.9,
    )
    assert peaky["queueing_hours"].item() >= even["queueing_hours"].item()


def test_doctest_example():
    failures, _ = doctest.testmod(q, verbose=False)
    assert failures == 0


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "call, key",
    [
        (lambda: erlang_c(-1, 2.0), "servers"),
        (lambda: erlang_c(2.5, 2.0), "servers"),
        (lambda: erlang_c(3, -1.0), "offered_load"),
        (lambda: erlang_c(3, float("nan")), "offered_load"),
        (lambda: erlang_c("three", 1.0), "servers"),
        (lambda: service_level(3, -2, 0.1, 0.5), "arrival_rate"),
        (lambda: service_level(3, 2, 0, 0.5), "mean_service_time"),
        (lambda: service_level(3, 2, 0.1, -0.5), "target_wait"),
        (lambda: servers_needed(-5, 0.1, 0.5, 0.9), "arrival_rate"),
        (lambda: servers_needed(5, 0.1, 0.5, 0), "target_level"),
        (lambda: servers_needed(5, 0.1, 0.5, 1), "target_level"),
        (lambda: servers_needed(5, 0.1, 0.5, 1.5), "target_level"),
        (lambda: servers_needed(5, 0.1, 0.5, [0.9, -0.1]), "target_level"),
        (lambda: servers_needed(500, 1, 0.5, 0.9, max_servers=100), "max_servers"),
        (lambda: servers_needed(5, 1, 0.0, 0.99, max_servers=6), "max_servers"),
        (lambda: servers_needed(5, 1, 0.5, 0.9, max_servers=0), "max_servers"),
        (lambda: weekly_profile(-10), "weekly_requests"),
        (lambda: weekly_profile(10, {"Monday": 0.5, "Tuesday": 0.4}), "weekday_weights"),
        (lambda: weekly_profile(10, {"Monday": 1.2, "Tuesday": -0.2}), "weekday_weights"),
        (lambda: weekly_profile(10, None, {"am": 0.7}), "session_weights"),
        (lambda: weekly_profile(10, {}), "weekday_weights"),
        (lambda: session_staffing(weekly_profile(100), 0, 4, 1, 0.9), "minutes_per_contact"),
        (lambda: session_staffing(weekly_profile(100), 10, -4, 1, 0.9), "session_hours"),
        (
            lambda: session_staffing(weekly_profile(100), 10, {"morning": 4}, 1, 0.9),
            "session_hours",
        ),
        (lambda: session_staffing(weekly_profile(100), 10, 4, -1, 0.9), "target_wait_hours"),
        (lambda: session_staffing(weekly_profile(100), 10, 4, 1, 90), "target_level"),
        (lambda: session_staffing("profile.csv", 10, 4, 1, 0.9), "profile"),
        (lambda: peak_vs_average(weekly_profile(100), 10, 4, 1, 0.9, by="area"), "by"),
    ],
)
def test_bad_input(call, key):
    with pytest.raises(InputError) as e:
        call()
    assert e.value.column == key


def test_bad_profile_table():
    bad = pd.DataFrame({"weekday": ["Monday"], "session": ["morning"], "requests": [-3.0]})
    with pytest.raises(InputError) as e:
        session_staffing(bad, 10, 4, 1, 0.9)
    assert e.value.column == "requests" and e.value.row == 2
    with pytest.raises(InputError, match="missing"):
        session_staffing(pd.DataFrame({"weekday": ["Monday"]}), 10, 4, 1, 0.9)
