"""80% intervals around a stated value: split-normal draws with the value as median and
lo/hi as P10/P90, clipped, seeded; draw 0 is the central run."""

from __future__ import annotations

import numpy as np
import pytest

from wfkit.errors import InputError
from wfkit.model.uncertainty import Z80, Param, summarise_draws

N = 200_000
#: binomial standard error of a share near 0.1 / 0.5 over N draws, and a 5-sigma tolerance
SE10 = np.sqrt(0.1 * 0.9 / N)
SE50 = np.sqrt(0.5 * 0.5 / N)


def _shares(d: np.ndarray, value: float, lo: float, hi: float) -> tuple[float, float, float]:
    return float((d < lo).mean()), float((d < value).mean()), float((d > hi).mean())


@pytest.mark.parametrize(
    ("value", "lo", "hi"),
    [(10.0, 8.0, 12.0), (10.0, 9.5, 20.0), (10.0, 2.0, 10.5)],
    ids=["symmetric", "long upper tail", "long lower tail"],
)
def test_value_is_the_median_and_lo_hi_the_p10_p90(value, lo, hi):
    p = Param(np.array([value]), np.array([lo]), np.array([hi]), lower=-np.inf)
    d = p.draws(N, seed=1, name="x")[:, 0]
    assert d[0] == value
    below_lo, below_value, above_hi = _shares(d[1:], value, lo, hi)
    assert abs(below_lo - 0.10) < 5 * SE10
    assert abs(below_value - 0.50) < 5 * SE50
    assert abs(above_hi - 0.10) < 5 * SE10
    # each half is a half-normal with its own sd
    lower = d[1:][d[1:] < value]
    upper = d[1:][d[1:] >= value]
    assert np.sqrt(np.mean((lower - value) ** 2)) == pytest.approx((value - lo) / Z80, rel=0.01)
    assert np.sqrt(np.mean((upper - value) ** 2)) == pytest.approx((hi - value) / Z80, rel=0.01)


def test_symmetric_interval_is_the_nhp_normal():
    p = Param(np.array(11.0), np.array(8.0), np.array(14.0))
    d = p.draws(N, seed=1, name="x")[1:]
    assert abs(d.mean() - 11.0) < 5 * (6.0 / 2.563) / np.sqrt(N)
    assert d.std() == pytest.approx(6.0 / 2.563, rel=0.01)


def test_points_stay_points_beside_intervals():
    p = Param(np.array([10.0, 5.0]), np.array([8.0, np.nan]), np.array([14.0, np.nan]))
    d = p.draws(1000, seed=1, name="x")
    assert d.shape == (1001, 2)
    assert (d[:, 1] == 5.0).all()


def test_clipped_to_valid_range():
    p = Param(np.array(0.05), np.array(0.0), np.array(0.5), 0.0, 0.1)
    d = p.draws(10_000, seed=2, name="rate")
    assert d.min() >= 0.0 and d.max() <= 0.1
    assert d[0] == 0.05
    # clipping piles the upper tail at the bound; the lower half is untouched
    assert (d[1:] == 0.1).mean() > 0.3
    assert abs((d[1:] < 0.05).mean() - 0.5) < 0.02


def test_interval_not_containing_the_value_is_refused():
    p = Param(np.array([10.0, 5.0]), np.array([8.0, 6.0]), np.array([14.0, 9.0]))
    with pytest.raises(InputError, match=r"minutes\[1\].*\[6, 9\] does not contain the value 5"):
        p.draws(10, seed=0, name="minutes")
    with pytest.raises(InputError, match="does not contain"):
        Param(np.array(5.0), np.array(1.0), np.array(4.0)).check("x")
    Param(np.array(4.0), np.array(4.0), np.array(4.0)).check("x")  # a degenerate interval is fine


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


def test_summarise_draws_leaves_out_undefined_draws_only():
    arr = np.array([[1.0, np.nan], [np.nan, np.nan], *[[float(i), np.nan] for i in range(1, 11)]])
    c, p10, p50, p90 = summarise_draws(arr)
    assert p50[0] == 5.5 and p10[0] == np.percentile(np.arange(1, 11), 10)
    assert np.isnan(p50[1])  # undefined in every draw stays undefined


# ----- percentiles from one contiguous sort (issue 20, speed) ---------------------------
def _percentiles_as_before(arr: np.ndarray):
    """summarise_draws as it was: np.percentile along the draws axis, nanpercentile for
    the series with some (not all) undefined draws."""
    draws = arr[1:]
    pct = np.percentile(draws, [10, 50, 90], axis=0)
    some = np.isnan(pct[0]) & ~np.all(np.isnan(draws), axis=0)
    if some.any():
        pct[:, some] = np.nanpercentile(draws[:, some], [10, 50, 90], axis=0)
    return pct


@pytest.mark.parametrize("n", [2, 3, 10, 11, 200, 201, 1001])
def test_percentiles_by_sort_equal_numpy_bit_for_bit(n):
    from wfkit.model.uncertainty import percentiles_by_sort, summarise_draws

    rng = np.random.default_rng(n)
    x = rng.lognormal(size=(n, 9, 5, 7)) * rng.choice([-1.0, 1.0], size=(1, 9, 5, 7))
    x[:, 0, 0, 0] = np.nan  # every draw undefined
    x[-1, 1, 1, 1] = np.nan  # one draw undefined
    x[:, 2, 2, 2] = 3.25  # ties
    x[:, 3, 3, 3] = -0.0
    got = percentiles_by_sort(x)
    want = np.percentile(x, [10, 50, 90], axis=0)
    assert np.array_equal(got.view(np.int64), want.view(np.int64))  # NaN and -0.0 too
    _, p10, p50, p90 = summarise_draws(x)
    want = _percentiles_as_before(x)
    assert np.array_equal(np.stack([p10, p50, p90]), want, equal_nan=True)
    assert np.isnan(p10[0, 0, 0]) and np.isnan(p50[1, 1, 1]) == (n == 2)


def test_percentiles_by_sort_spans_blocks_and_leaves_the_input(monkeypatch):
    import wfkit.model.uncertainty as U

    monkeypatch.setattr(U, "_SORT_BLOCK", 7)  # many blocks, the last one short
    rng = np.random.default_rng(3)
    x = rng.normal(size=(101, 50))
    before = x.copy()
    ro = np.broadcast_to(x, x.shape)  # read-only, as the engine's broadcast arrays are
    assert np.array_equal(U.percentiles_by_sort(ro), np.percentile(x, [10, 50, 90], axis=0))
    assert np.array_equal(x, before)


def test_constant_series_are_not_sorted_yet_give_numpys_percentiles(monkeypatch):
    """Series with every draw equal skip the sort; one equal only where first probed does not."""
    import wfkit.model.uncertainty as U

    monkeypatch.setattr(U, "_SORT_BLOCK", 16)  # blocks mixing constant and varying series
    n = 1001
    rng = np.random.default_rng(11)
    x = rng.normal(size=(n, 60))
    x[:, ::3] = rng.normal(size=60)[::3]  # every third series the same in every draw
    x[[0, n // 2, n - 1], 1] = 2.0  # equal at the first, middle and last draw (the probes)
    x[:, 4] = np.nan  # undefined in every draw
    got = U.percentiles_by_sort(x)
    want = np.percentile(x, [10, 50, 90], axis=0)
    assert np.array_equal(got, want, equal_nan=True)
    assert got[1, 1] != 2.0  # the series equal at the probes only was sorted
    # the neighbours of a constant series are its value
    nb = U.percentile_neighbours(x)
    assert np.array_equal(nb[:, :, 0], np.full((2, 3), x[0, 0]))
    assert nb.shape == (2, 3, 60)


def test_a_monotone_function_of_the_neighbours_gives_the_percentiles_of_its_draws():
    """The way a ratio to a population the same in every draw is summarised (cost per 1,000)."""
    from wfkit.model.uncertainty import interpolate_neighbours, percentile_neighbours

    rng = np.random.default_rng(5)
    cost = rng.lognormal(10, 1, size=(1000, 4, 11))
    pop = rng.uniform(1e3, 5e4, size=(4, 11))
    ratio = (cost * 1000.0) / pop
    nb = percentile_neighbours(cost)
    got = interpolate_neighbours((nb * 1000.0) / pop, 1000)
    want = np.percentile(ratio, [10, 50, 90], axis=0)
    assert np.array_equal(got.view(np.int64), want.view(np.int64))


def test_undefined_draws_are_left_out_as_nanpercentile_leaves_them():
    """Series with some undefined draws: np.nanpercentile's numbers to the last bit, from
    the sorted series, whatever the number of defined draws."""
    import warnings

    import wfkit.model.uncertainty as U

    rng = np.random.default_rng(21)
    for n in (2, 3, 11, 101):
        x = rng.lognormal(size=(n, 300)) * rng.choice([-1.0, 1.0], size=(n, 300))
        x[rng.random(x.shape) < rng.random(300)] = np.nan  # from none to every draw undefined
        x[:, 0] = np.nan
        x[1:, 1], x[0, 1] = np.nan, 1.5  # one draw defined
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN series
            want = np.nanpercentile(x, [10, 50, 90], axis=0)
        got = U._percentiles_of_defined(x)
        assert np.array_equal(got, want, equal_nan=True)
        assert np.array_equal(np.signbit(got), np.signbit(want))
        assert np.isnan(got[:, 0]).all() and np.all(got[:, 1] == 1.5)


def test_summarise_together_gives_summarise_draws_of_each(monkeypatch):
    """Many arrays summarised side by side, across blocks (a block holding the ends of some
    and all of others), with differences worked out a block at a time: the numbers of
    summarise_draws on each array (or difference) alone."""
    import wfkit.model.uncertainty as U

    monkeypatch.setattr(U, "_ROWS", 7)
    rng = np.random.default_rng(8)
    arrays = []
    for d, m in [(101, 20), (1, 5), (101, 3), (11, 9), (101, 1), (2, 4), (11, 30)]:
        a = rng.normal(size=(d, m))
        a[rng.random(a.shape) < 0.1] = np.nan
        a[:, 0] = 2.5  # the same in every draw
        arrays.append(a)
    b = rng.normal(size=(101, 20))
    arrays.append((arrays[0], b))  # a difference draw by draw
    arrays.append((arrays[1], rng.normal(size=(11, 5))))  # the central run only, less the draws
    arrays.append((arrays[3], rng.normal(size=(1, 9))))  # one draw: it broadcasts
    got = U.summarise_together(arrays)
    assert len(got) == len(arrays)
    for x, g in zip(arrays, got, strict=True):
        a = x[0] - x[1] if isinstance(x, tuple) else x
        want = np.stack([np.broadcast_to(v, a.shape[1:]) for v in summarise_draws(a)])
        assert g.shape == (4, a.shape[1])
        assert np.array_equal(g, want, equal_nan=True)


def test_shared_draws_reuse_only_what_would_be_drawn_the_same():
    """Inside shared_draws a parameter drawn again as before gives the draws made before."""
    from wfkit.model.uncertainty import shared_draws

    p = Param(np.array([10.0, 20.0]), np.array([8.0, 15.0]), np.array([15.0, 24.0]))
    alone = p.draws(50, 3, "minutes")
    moved = Param(np.array([10.0, 21.0]), np.array([8.0, 15.0]), np.array([15.0, 24.0]))
    with shared_draws():
        first = p.draws(50, 3, "minutes")
        again = Param(p.value.copy(), p.lo.copy(), p.hi.copy()).draws(50, 3, "minutes")
        other = moved.draws(50, 3, "minutes")  # another value: drawn afresh
        reseeded = p.draws(50, 4, "minutes")
        with pytest.raises(ValueError, match="read-only"):
            first[1, 0] = 0.0
    assert again is first
    assert np.array_equal(first, alone)
    assert np.array_equal(other, moved.draws(50, 3, "minutes")) and not np.array_equal(other, first)
    assert not np.array_equal(reseeded, first)
    assert p.draws(50, 3, "minutes") is not first  # nothing kept after the block


def test_summarise_together_keeps_the_neighbours_asked_for(monkeypatch):
    """The neighbours kept for an array are percentile_neighbours' (NaN where a series has an
    undefined draw), across blocks; an array of one draw has none."""
    import wfkit.model.uncertainty as U

    monkeypatch.setattr(U, "_ROWS", 5)
    rng = np.random.default_rng(4)
    a = rng.normal(size=(41, 13))
    a[3, 2] = np.nan
    a[:, 4] = 1.5  # the same in every draw
    kept = {1: None, 2: None}
    U.summarise_together([rng.normal(size=(41, 3)), a, rng.normal(size=(1, 2))], neighbours=kept)
    assert np.array_equal(kept[1], U.percentile_neighbours(a[1:]), equal_nan=True)
    assert np.isnan(kept[1][:, :, 2]).all() and kept[2] is None
