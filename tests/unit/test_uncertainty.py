"""80% intervals: normal draws with mean (lo+hi)/2 and sd (hi-lo)/2.563, clipped, seeded."""

from __future__ import annotations

import numpy as np

from wfkit.uncertainty import Param, summarise_draws


def test_draw_zero_is_the_central_value_and_moments_match():
    p = Param(np.array([10.0, 5.0]), np.array([8.0, np.nan]), np.array([14.0, np.nan]))
    d = p.draws(200_000, seed=1, name="x")
    assert d.shape == (200_001, 2)
    assert d[0, 0] == 10.0 and d[0, 1] == 5.0
    assert abs(d[1:, 0].mean() - 11.0) < 0.02
    assert abs(d[1:, 0].std() - 6.0 / 2.563) < 0.02
    # an 80% interval: about 10% of draws below lo and 10% above hi
    assert abs((d[1:, 0] < 8).mean() - 0.10) < 0.005
    assert (d[:, 1] == 5.0).all()


def test_clipped_to_valid_range():
    p = Param(np.array(0.05), np.array(0.0), np.array(0.5), 0.0, 0.1)
    d = p.draws(10_000, seed=2, name="rate")
    assert d.min() >= 0.0 and d.max() <= 0.1


def test_seeded_per_name():
    p = Param(np.array(1.0), np.array(0.5), np.array(1.5))
    np.testing.assert_array_equal(p.draws(50, 3, "a"), p.draws(50, 3, "a"))
    assert not np.array_equal(p.draws(50, 3, "a"), p.draws(50, 3, "b"))
    assert not np.array_equal(p.draws(50, 3, "a"), p.draws(50, 4, "a"))


def test_point_parameter_broadcasts():
    assert Param.point([1.0, 2.0]).draws(100, 0, "p").shape == (1, 2)


def test_summarise_draws():
    arr = np.concatenate([[[100.0]], np.arange(1, 101, dtype=float)[:, None]])
    c, p10, p50, p90 = summarise_draws(arr)
    assert c[0] == 100.0
    assert p10[0] == np.percentile(np.arange(1, 101), 10)
    assert p50[0] == 50.5 and p90[0] > p50[0]
