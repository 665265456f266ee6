"""Tests for Erlang A (M/M/n+M, callers who hang up) in wfkit.queueing."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

import wfkit.queueing as q
from wfkit.errors import InputError
from wfkit.queueing import erlang_a, erlang_c, handlers_needed, service_level

pytestmark = pytest.mark.unit


def reference(n: int, lam: float, svc: float, pat: float, t: float, k_max: int = 150) -> dict:
    """Second implementation: the birth-death chain summed state by state (truncated at
    ``k_max`` callers), and the tagged caller's wait by uniformisation of its own chain."""
    mu, theta = 1.0 / svc, 1.0 / pat
    death = np.array([min(k, n) * mu + max(k - n, 0) * theta for k in range(1, k_max + 1)])
    log_pi = np.concatenate([[0.0], np.cumsum(np.log(lam) - np.log(death))])
    pi = np.exp(log_pi - log_pi.max())
    pi /= pi.sum()
    ks = np.arange(k_max + 1)
    p_wait = pi[ks >= n].sum()
    mean_queue = (np.maximum(ks - n, 0) * pi).sum()
    # tagged caller with i callers ahead (i = 0..m-1); absorbing "answered" and "gone".
    m = k_max - n
    out_rate = np.array([n * mu + i * theta + theta for i in range(m)])
    big = out_rate.max()
    steps = int(big * t * 3 + 60)
    # v[i] = P(answered within t | i ahead) via uniformisation: P = I + G / big.
    fwd = np.zeros(m)  # probability of having been answered by the k-th jump
    k = np.arange(steps)
    weights = np.exp(-big * t + k * np.log(big * t) - np.cumsum(np.log(np.maximum(k, 1))))
    answered = np.zeros(m)
    for w in weights:
        answered += w * fwd  # P(answered by jump k) weighted by P(N(t) = k)
        adv = np.empty(m)
        adv[0] = n * mu / big * 1.0 + (1 - out_rate[0] / big) * fwd[0]
        adv[1:] = (n * mu + ks[1:m] * theta) / big * fwd[:-1] + (1 - out_rate[1:] / big) * fwd[1:]
        fwd = adv
    queued = pi[n : n + m]
    return {
        "p_wait": p_wait,
        "p_abandon": theta * mean_queue / lam,
        "answered_within": pi[:n].sum() + (queued * answered).sum(),
        "mean_queue": mean_queue,
    }


CASES = [
    # handlers, calls per minute, minutes per call, minutes of patience, target wait (min)
    (1, 0.5, 1.0, 2.0, 1.0),
    (3, 2.0, 2.0, 1.5, 2.0),
    (5, 3.0, 2.0, 3.0, 0.5),
    (8, 6.0, 1.5, 2.0, 2.0),  # over capacity: 9 Erlangs on 8 handlers, kept stable by hang-ups
    (2, 4.0, 1.0, 0.5, 1.0),  # far over capacity
    (0, 1.0, 1.0, 2.0, 1.0),  # nobody answers: every caller hangs up
]


@pytest.mark.parametrize("n,lam,svc,pat,t", CASES)
def test_against_direct_summation_of_the_birth_death_chain(n, lam, svc, pat, t):
    got = erlang_a(n, lam, svc, pat, t).iloc[0]
    ref = reference(n, lam, svc, pat, t)
    for key, value in ref.items():
        assert got[key] == pytest.approx(value, rel=1e-6, abs=1e-9), key


def test_nobody_answering_means_everyone_hangs_up():
    r = erlang_a(0, 1.0, 1.0, 2.0, 1.0).iloc[0]
    assert r["p_wait"] == pytest.approx(1.0)
    assert r["p_abandon"] == pytest.approx(1.0)
    assert r["answered_within"] == 0.0
    assert r["mean_wait"] == pytest.approx(2.0)  # everyone waits out their patience


def test_abandonment_equals_theta_times_queue_over_arrivals():
    r = erlang_a([4, 6, 9], 3.0, 2.0, 2.5, 1.0)
    assert np.allclose(r["p_abandon"], r["mean_queue"] / 2.5 / 3.0)
    assert np.allclose(r["mean_wait"], r["p_abandon"] * 2.5)


@pytest.mark.parametrize("n,a", [(11, 10.0), (3, 2.0), (50, 45.0), (1, 0.3)])
def test_erlang_c_is_the_limit_when_nobody_hangs_up(n, a):
    t = 0.25
    r = erlang_a(n, a, 1.0, 1e9, t).iloc[0]
    assert r["p_wait"] == pytest.approx(float(erlang_c(n, a)), rel=1e-6)
    assert r["answered_within"] == pytest.approx(float(service_level(n, a, 1.0, t)), rel=1e-6)
    assert r["p_abandon"] < 1e-6


def test_vectorised_across_practices_and_hours():
    lam = np.array([[0.0, 1.0, 4.0], [2.0, 3.0, 0.5]])
    r = erlang_a(5, lam, 1.0, 2.0, 1.0)
    assert len(r) == 6
    one = [erlang_a(5, x, 1.0, 2.0, 1.0).iloc[0] for x in lam.ravel()]
    for i, row in enumerate(one):
        assert np.allclose(r.iloc[i].to_numpy(), row.to_numpy())
    assert r["answered_within"].iloc[0] == 1.0  # no calls: nothing waits


def test_large_loads_do_not_overflow():
    r = erlang_a([100, 450], 400.0, 1.0, 0.2, 1.0)
    assert np.all(np.isfinite(r.to_numpy()))
    assert r["p_abandon"].iloc[0] > 0.7
    assert 0 < r["p_abandon"].iloc[1] < 0.05


def test_more_handlers_never_lengthen_waits():
    r = erlang_a(np.arange(0, 30), 8.0, 2.0, 1.5, 1.0)
    assert np.all(np.diff(r["mean_wait"]) <= 1e-12)
    assert np.all(np.diff(r["p_abandon"]) <= 1e-12)
    assert np.all(np.diff(r["answered_within"]) >= -1e-12)


def test_more_calls_never_shorten_waits():
    r = erlang_a(6, np.linspace(0.1, 12, 60), 2.0, 1.5, 1.0)
    assert np.all(np.diff(r["mean_wait"]) >= -1e-12)
    assert np.all(np.diff(r["p_abandon"]) >= -1e-12)
    assert np.all(np.diff(r["answered_within"]) <= 1e-12)


def test_handlers_needed_is_the_least_count_meeting_both_targets():
    lam = np.array([0.0, 0.2, 1.0, 3.0, 7.5, 20.0])  # calls per minute
    need = handlers_needed(lam, 2.5, 2.0, 2.0, 0.8, 0.05)
    assert need.shape == lam.shape and need[0] == 0
    ok = erlang_a(need, lam, 2.5, 2.0, 2.0)
    assert np.all(ok["answered_within"] >= 0.8) and np.all(ok["p_abandon"] <= 0.05)
    less = erlang_a(need[1:] - 1, lam[1:], 2.5, 2.0, 2.0)
    assert np.all((less["answered_within"] < 0.8) | (less["p_abandon"] > 0.05))


def test_handlers_needed_grows_with_calls():
    need = handlers_needed(np.linspace(0, 15, 40), 3.0, 2.0, 2.0, 0.8, 0.05)
    assert np.all(np.diff(need) >= 0)


def test_abandonment_target_alone_can_bind():
    # a lax answer-time target: the 1% abandonment cap decides the count
    lax = handlers_needed(5.0, 2.0, 1.0, 10.0, 0.01, 0.01)
    loose = handlers_needed(5.0, 2.0, 1.0, 10.0, 0.01, 0.5)
    assert lax > loose


@pytest.mark.parametrize(
    "kwargs,column",
    [
        ({"target_level": 1.2}, "target_level"),
        ({"arrival_rate": -3.0}, "arrival_rate"),
        ({"max_abandon": 0.0}, "max_abandon"),
        ({"mean_patience": 0.0}, "mean_patience"),
        ({"arrival_rate": float("nan")}, "arrival_rate"),
    ],
)
def test_bad_input_gives_one_clear_line(kwargs, column):
    args = {
        "arrival_rate": 2.0,
        "mean_service_time": 2.0,
        "mean_patience": 2.0,
        "target_wait": 2.0,
        "target_level": 0.8,
        "max_abandon": 0.05,
    } | kwargs
    with pytest.raises(InputError) as e:
        handlers_needed(**args)
    assert e.value.column == column
    assert "\n" not in str(e.value) and column in str(e.value)


def test_fractional_handlers_are_refused():
    with pytest.raises(InputError, match="whole"):
        erlang_a(2.5, 1.0, 1.0, 1.0, 1.0)


def test_doctests():
    assert doctest.testmod(q, raise_on_error=False).failed == 0
