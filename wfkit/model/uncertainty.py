"""Uncertain inputs: points or 80% intervals around a stated value, drawn reproducibly.

An input given as an 80% interval ``[lo, hi]`` around its stated ``value`` is read as
*the value is the median and lo/hi are the 10th and 90th percentiles*.  Intervals in the
bundled data are often asymmetric (a value of 10 minutes with ``[8, 15]``), so a draw is
a two-piece (split) normal:

* ``value + z * sd_lo`` for ``z < 0`` and ``value + z * sd_hi`` for ``z >= 0``,
  with ``z`` standard normal,
* ``sd_lo = (value - lo) / 1.2816`` and ``sd_hi = (hi - value) / 1.2816``
  (1.2816 = the 90th percentile of the standard normal),

clipped to the input's valid range.  A symmetric interval gives the normal of the NHS
New Hospital Programme model (mean ``(lo + hi) / 2``, sd ``(hi - lo) / 2.563``).  Each
element's draws have their median at ``value`` and their P10/P90 at ``lo``/``hi``
(unless clipping cuts the interval); an interval must satisfy ``lo <= value <= hi``.

Draw 0 is always the central run (the stated ``value``).  Each parameter has its own
random stream derived from the seed and the parameter's name, so adding a parameter
never changes another's draws and the scenarios of one run share draws (common random
numbers), which keeps the difference between scenarios sharp.

Outputs: the central run is the model at every input's median.  The model is
monotone in each input, but outputs that add up many independently drawn skewed inputs
(the elements of one parameter are drawn independently), or multiply and divide them
(workload over working time), need not have their own median at the central run; the
results therefore report the central value beside P10, P50 and P90.

Areas: a parameter with an area axis (local prevalence ``(A, K, G)``) may share its draws
across areas (``Param(..., areas_share_draws=True)``): one normal per (activity, age band),
used by every area.  The local factor is recorded data; what is uncertain is the national
fraction it refines, so areas are fully correlated, and an area's draws are the same
whichever areas are run beside it, which is what lets a national run go in chunks.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError

__all__ = [
    "Param",
    "Z80",
    "Z80_WIDTH",
    "check_interval",
    "summarise_draws",
    "summarise_together",
    "percentiles_by_sort",
    "percentile_neighbours",
    "interpolate_neighbours",
    "rng_for",
    "same_arrays",
    "shared_cache",
    "shared_draws",
    "standard_normals",
]

#: the 90th percentile of the standard normal: lo and hi lie this many (one-sided)
#: standard deviations from the value
Z80 = 1.2815515655446004
#: width of a symmetric 80% interval in standard deviations (2 x 1.28155)
Z80_WIDTH = 2.563


def rng_for(seed: int, name: str) -> np.random.Generator:
    """Return a random generator for parameter ``name`` under ``seed`` (stable across runs)."""
    return np.random.default_rng([int(seed), zlib.crc32(name.encode("utf-8"))])


#: largest set of normals :func:`standard_normals` keeps for reuse (elements; 16 MB)
_KEEP_NORMALS = 2_000_000


def standard_normals(seed: int, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """Return parameter ``name``'s standard normals of ``shape`` under ``seed`` (read-only).

    The same numbers :func:`rng_for` gives; the last few sets of up to 2 million numbers are
    kept, so the chunks of a national run (and the variants of a scenario, which share
    draws) do not draw the same numbers again.
    """
    if int(np.prod(shape)) > _KEEP_NORMALS:
        return rng_for(seed, name).standard_normal(shape)
    return _kept_normals(int(seed), name, tuple(int(x) for x in shape))


@functools.lru_cache(maxsize=16)
def _kept_normals(seed: int, name: str, shape: tuple[int, ...]) -> np.ndarray:
    z = rng_for(seed, name).standard_normal(shape)
    z.flags.writeable = False
    return z


#: draws made inside :func:`shared_draws`, by parameter name: what they were drawn from, and them
_SHARED: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "wfkit_shared_draws", default=None
)


@contextlib.contextmanager
def shared_draws() -> Iterator[None]:
    """Within the block, a parameter drawn again as before returns the draws made before.

    The variants of a scenario run one after another on the same areas, and most of their
    parameters are the same (a variant changes who does what, not the prevalence): the
    same name, values, interval, range, draws and seed give the same draws, so they are
    made once (read-only) instead of once a variant.  Nothing is kept after the block.
    """
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def shared_cache() -> dict[str, Any] | None:
    """Return what is kept inside :func:`shared_draws` (``None`` outside it).

    The engine keeps there what the variants share beyond the draws (their contacts).
    """
    return _SHARED.get()


def same_arrays(a: tuple[object, ...], b: tuple[object, ...]) -> bool:
    """Whether two keys of :func:`shared_draws` (scalars and arrays) are equal, ``NaN`` too."""
    for x, y in zip(a, b, strict=True):
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            if not (
                isinstance(x, np.ndarray)
                and isinstance(y, np.ndarray)
                and x.shape == y.shape
                and np.array_equal(x, y, equal_nan=True)
            ):
                return False
        elif x != y:
            return False
    return True


def check_interval(
    value: np.ndarray, lo: np.ndarray | None, hi: np.ndarray | None
) -> tuple[int, ...] | None:
    """Check ``lo <= value <= hi`` wherever an interval is given.

    Returns ``None`` if every interval is fine, else the index (a tuple) of the first bad
    element; :meth:`Param.check` turns it into an :class:`~wfkit.errors.InputError`.
    """
    if lo is None or hi is None:
        return None
    v, lo, hi = (np.asarray(x, dtype=float) for x in (value, lo, hi))
    lo, hi = np.broadcast_to(lo, v.shape), np.broadcast_to(hi, v.shape)
    has = ~np.isnan(lo) | ~np.isnan(hi)
    bad = has & ~((lo <= v) & (v <= hi))  # NaN at one end or in the value is bad too
    if not bad.any():
        return None
    return tuple(int(i) for i in np.argwhere(bad)[0])


@dataclass(frozen=True)
class Param:
    """A numeric input array, each element a point or an 80% interval around its value.

    Parameters
    ----------
    value
        Stated values: the median of each element's draws, and draw 0.
    lo, hi
        P10 and P90 of each element, same shape as ``value``; ``NaN`` where the element
        is a point.  ``None`` if no element is uncertain.  ``lo <= value <= hi``.
    lower, upper
        Valid range; draws are clipped to it.
    areas_share_draws
        The first axis is areas, and every area shares one draw of each remaining element
        (one ``z`` per (activity, age band) for a local prevalence ``(A, K, G)``): the
        uncertainty of a row is that of the national figure it refines, so the areas move
        together (fully correlated), and an area's draws do not depend on which other areas
        are run with it (a run in chunks of areas equals the run of all areas at once).
    subset
        ``(axis, indices, full_length)`` when the array is a cut of a larger one along
        ``axis`` (a use case modelling some of the catalogue's activities): the normals are
        drawn for the whole catalogue and cut the same way, so an activity's draws are the
        same whichever activities are modelled beside it (what lets calibration solve each
        draw on England's whole catalogue with the same numbers).
    """

    value: np.ndarray
    lo: np.ndarray | None = None
    hi: np.ndarray | None = None
    lower: float = 0.0
    upper: float = np.inf
    areas_share_draws: bool = False
    subset: tuple[int, tuple[int, ...], int] | None = None

    @classmethod
    def point(cls, value: float | np.ndarray, lower: float = 0.0, upper: float = np.inf) -> Param:
        """Make a parameter with no uncertainty."""
        return cls(np.asarray(value, dtype=float), None, None, lower, upper)

    @property
    def uncertain(self) -> bool:
        """Whether any element has an interval."""
        return self.lo is not None and bool(np.any(~np.isnan(self.lo)))

    def check(self, name: str) -> None:
        """Raise :class:`~wfkit.errors.InputError` unless the value lies in its interval.

        The error names ``name`` (and the element) unless ``lo <= value <= hi`` wherever an
        interval is given.
        """
        self.check_range(name)
        at = check_interval(self.value, self.lo, self.hi)
        if at is None:
            return
        v = float(np.asarray(self.value, dtype=float)[at])
        lo = float(np.broadcast_to(np.asarray(self.lo, dtype=float), np.shape(self.value))[at])
        hi = float(np.broadcast_to(np.asarray(self.hi, dtype=float), np.shape(self.value))[at])
        where = f"{name}[{', '.join(map(str, at))}]" if at else name
        raise InputError(
            f"interval [{lo:g}, {hi:g}] does not contain the value {v:g}; expected "
            "lo <= value <= hi (the value is the median, lo and hi the 10th and 90th percentiles)",
            source=where,
        )

    def check_range(self, name: str) -> None:
        """Raise :class:`~wfkit.errors.InputError` if a stated value is outside the valid range.

        The error names ``name`` (and the element) if a stated value lies outside the valid
        range ``[lower, upper]`` (the central run would use a value no draw can take).  An
        interval end beyond the range is clipped, not refused, here: the input tables
        refuse it where they are read.
        """
        for what, arr in (("value", self.value),):
            if arr is None:
                continue
            a = np.asarray(arr, dtype=float)
            with np.errstate(invalid="ignore"):
                bad = ~np.isnan(a) & ((a < self.lower) | (a > self.upper))
            if bad.any():
                at = tuple(int(i) for i in np.argwhere(bad)[0])
                where = f"{name}[{', '.join(map(str, at))}]" if at else name
                raise InputError(
                    f"{what} {float(a[at]):g} is outside the valid range "
                    f"[{self.lower:g}, {self.upper:g}]",
                    source=where,
                )

    def draws(self, n_draws: int, seed: int, name: str) -> np.ndarray:
        """Return an array of shape ``(n_draws + 1, *value.shape)``; row 0 is the central run.

        Rows 1.. are split-normal draws (median ``value``, P10 ``lo``, P90 ``hi``),
        clipped to ``[lower, upper]``.  A parameter with no interval returns shape
        ``(1, *value.shape)``, which broadcasts.  With ``areas_share_draws`` the normals
        are drawn once for ``value.shape[1:]`` and shared along the first (area) axis.

        Raises
        ------
        InputError
            If an interval does not contain its value.
        """
        v = np.asarray(self.value, dtype=float)
        if n_draws <= 0 or not self.uncertain:
            return v[None, ...]
        memo = _SHARED.get()
        key: tuple[object, ...] = ()
        if memo is not None:  # inside shared_draws: the same parameter is drawn once
            key = (
                v.copy(),
                np.asarray(self.lo, dtype=float).copy(),
                np.asarray(self.hi, dtype=float).copy(),
                self.lower,
                self.upper,
                self.areas_share_draws,
                self.subset,
                int(n_draws),
                int(seed),
            )
            hit = memo.get(name)
            if hit is not None and same_arrays(hit[0], key):
                return hit[1]
        out = self._draw(v, n_draws, seed, name)
        if memo is not None:
            out.flags.writeable = False
            memo[name] = (key, out)
        return out

    def _draw(self, v: np.ndarray, n_draws: int, seed: int, name: str) -> np.ndarray:
        """Make :meth:`draws`'s draws (the stated value ``v`` first)."""
        self.check(name)
        lo = np.asarray(self.lo, dtype=float)
        hi = np.asarray(self.hi, dtype=float)
        has = ~np.isnan(lo)
        sd_lo = np.where(has, (v - lo) / Z80, 0.0)
        sd_hi = np.where(has, (hi - v) / Z80, 0.0)
        shape = [1, *v.shape[1:]] if self.areas_share_draws and v.ndim >= 1 else list(v.shape)
        if self.subset is not None:
            axis, idx, full = self.subset
            shape[axis] = full
        z = standard_normals(seed, name, (n_draws, *shape))
        if self.subset is not None:
            z = np.take(z, np.asarray(self.subset[1], dtype=int), axis=self.subset[0] + 1)
        out = np.empty((n_draws + 1, *v.shape))
        out[0] = v
        out[1:] = np.clip(v + z * np.where(z < 0, sd_lo, sd_hi), self.lower, self.upper)
        return out


#: the percentiles the outputs report, as fractions exactly as ``np.percentile`` makes them
_QUANTILES = np.true_divide(np.array([10, 50, 90]), 100)
#: series sorted at a time by :func:`percentiles_by_sort` (a block of 1,001 draws is 32 MB)
_SORT_BLOCK = 4096


@functools.lru_cache(maxsize=64)
def _gammas(n: int) -> tuple[tuple[int, ...], tuple[int, ...], np.ndarray]:
    """Each percentile's neighbours among ``n`` sorted draws, and its weight between them.

    Worked out once for each ``n`` (the weights read-only).
    """
    virtual = (n - 1) * _QUANTILES
    prev = np.floor(virtual)
    lo_i = tuple(n - 1 if v >= n - 1 else int(p) for v, p in zip(virtual, prev, strict=True))
    hi_i = tuple(n - 1 if v >= n - 1 else int(p) + 1 for v, p in zip(virtual, prev, strict=True))
    gamma = virtual - prev
    gamma.flags.writeable = False
    return lo_i, hi_i, gamma


def percentile_neighbours(draws: np.ndarray) -> np.ndarray:
    """Return the two sorted draws each of P10, P50 and P90 lies between, over the first axis.

    From one sort of each series along a contiguous axis: the draws are copied a block of
    series at a time into rows and each row is sorted; a series whose draws are all equal
    (staff a variant leaves alone, a role an area does not have) is not sorted.  A series
    holding a ``NaN`` gives ``NaN`` neighbours.  :func:`interpolate_neighbours` turns them
    into the percentiles; so does any monotone increasing function applied to them first,
    exactly as to the draws (a ratio to a population that is the same in every draw).

    Parameters
    ----------
    draws
        Floats, draws on the first axis (``n >= 1``).

    Returns
    -------
    numpy.ndarray
        Shape ``(2, 3, *draws.shape[1:])``: the lower and upper neighbour of each percentile.
    """
    n = draws.shape[0]
    rest = draws.shape[1:]
    flat = draws.reshape(n, -1)
    m = flat.shape[1]
    lo_i, hi_i, _ = _gammas(n)
    out = np.empty((2, 3, m), dtype=draws.dtype)
    for start in range(0, m, _SORT_BLOCK):
        stop = min(start + _SORT_BLOCK, m)
        rows = flat[:, start:stop].T.copy(order="C")  # a copy: the draws may be read-only
        # series with every draw equal need no sort: first those equal at three draws,
        # then only those checked whole (almost no varying series passes the first test)
        maybe = np.flatnonzero((rows[:, 0] == rows[:, n // 2]) & (rows[:, 0] == rows[:, -1]))
        same = maybe[np.all(rows[maybe] == rows[maybe, :1], axis=1)] if maybe.size else maybe
        if same.size:
            vary = np.ones(len(rows), dtype=bool)
            vary[same] = False
            part = rows[vary]
            part.sort(axis=1)
            rows[vary] = part
        else:
            rows.sort(axis=1)
        has_nan = np.isnan(rows[:, -1])
        for j in range(3):
            for side, idx in ((0, lo_i[j]), (1, hi_i[j])):
                v = rows[:, idx]
                v[has_nan] = np.nan
                out[side, j, start:stop] = v
    return out.reshape(2, 3, *rest)


def interpolate_neighbours(neighbours: np.ndarray, n: int) -> np.ndarray:
    """Return P10, P50 and P90 from :func:`percentile_neighbours` of ``n`` draws.

    ``np.percentile``'s own arithmetic (``a + (b - a) * g``, or ``b - (b - a) * (1 - g)``
    when ``g >= 0.5``), so the percentiles equal ``np.percentile``'s (linear) to the last bit.
    """
    _, _, gamma = _gammas(n)
    out = np.empty(neighbours.shape[1:], dtype=neighbours.dtype)
    for j, g in enumerate(gamma):
        a, b = neighbours[0, j], neighbours[1, j]
        diff = b - a
        out[j] = b - diff * (1 - g) if g >= 0.5 else a + diff * g
    return out


def percentiles_by_sort(draws: np.ndarray) -> np.ndarray:
    """P10, P50 and P90 over the first axis, as ``np.percentile`` (linear) gives them.

    The same numbers to the last bit, from one sort of each series along a contiguous
    axis (:func:`percentile_neighbours`, :func:`interpolate_neighbours`).  A series
    holding a ``NaN`` gives ``NaN``, as ``np.percentile`` does.  About twice as fast as
    ``np.percentile`` along the first axis of a large array (benchmarks/README.md).

    Parameters
    ----------
    draws
        Floats, draws on the first axis (``n >= 1``).

    Returns
    -------
    numpy.ndarray
        Shape ``(3, *draws.shape[1:])``: P10, P50, P90.
    """
    n = draws.shape[0]
    if draws.dtype.kind != "f" or n == 0:
        return np.percentile(draws, [10, 50, 90], axis=0)
    return interpolate_neighbours(percentile_neighbours(draws), n)


def summarise_draws(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Central value and P10/P50/P90 over the first axis (draw 0 is central).

    With one draw, the percentiles equal the central value.  Percentiles are taken over
    the random draws (1..n) only, and over the draws where the measure is defined: a ratio
    is ``NaN`` in a draw whose denominator is 0 (a WISN ratio where a draw clipped a role's
    contacts to none), and those draws are left out rather than making the row ``NaN``
    (as ``np.nanpercentile`` leaves them out).  The percentiles are ``np.percentile``'s
    (linear interpolation), taken by :func:`percentiles_by_sort`.
    """
    central = arr[0]
    if arr.shape[0] == 1:
        return central, central, central, central
    draws = arr[1:]
    pct = percentiles_by_sort(draws)
    gaps = np.isnan(pct[0])
    if np.any(gaps):
        flat = draws.reshape(draws.shape[0], -1)
        cols = np.flatnonzero(gaps.ravel())
        some = cols[~np.all(np.isnan(flat[:, cols]), axis=0)]
        if some.size:  # only the few series with undefined draws are summarised again
            pct.reshape(3, -1)[:, some] = _percentiles_of_defined(flat[:, some])
    p10, p50, p90 = pct
    return central, p10, p50, p90


def _percentiles_of_defined(draws: np.ndarray) -> np.ndarray:
    """P10, P50 and P90 of each column of ``draws`` over its draws that are not ``NaN``.

    ``np.nanpercentile``'s numbers (linear) to the last bit (:func:`_percentiles_of_sorted`
    on the columns sorted).
    """
    return _percentiles_of_sorted(np.sort(draws.T, axis=1))


#: series :func:`summarise_together` sorts at a time (a block of 101 draws is 0.8 MB)
_ROWS = 1024


def summarise_together(
    arrays: Sequence[np.ndarray | tuple[np.ndarray, np.ndarray]],
    neighbours: dict[int, np.ndarray | None] | None = None,
) -> list[np.ndarray]:
    """Return :func:`summarise_draws` of each of many ``(draws, m)`` arrays, as ``(4, m)``.

    The central value, P10, P50 and P90 of every column, the same numbers as one array at
    a time (each column is summarised on its own), but the columns of arrays with the same
    number of draws are sorted together, a block of :data:`_ROWS` series at a time in one
    buffer: many small parts of a results frame cost a few sorts, not one each, and a large
    one is never copied whole.

    Parameters
    ----------
    arrays
        Two-dimensional float arrays, draws on the first axis; or pairs ``(a, b)``, for the
        summaries of ``a - b`` (draw by draw; either may have one draw, which broadcasts),
        worked out a block at a time.
    neighbours
        For each index it holds, its array's two sorted draws each of P10, P50 and P90 lies
        between, ``(2, 3, m)``, are put there (as :func:`percentile_neighbours` gives them:
        ``NaN`` for a series with an undefined draw; ``None`` for an array of one draw).

    Returns
    -------
    list of numpy.ndarray
        One ``(4, m)`` array per input, in order.
    """
    pairs = [x if isinstance(x, tuple) else (x, None) for x in arrays]
    out: list[np.ndarray] = []
    by_draws: dict[int, list[tuple[int, int, int]]] = {}
    for i, (a, b) in enumerate(pairs):
        d = a.shape[0] if b is None else max(a.shape[0], b.shape[0])
        m = a.shape[1]
        fig = np.empty((4, m), dtype=float)
        fig[0] = a[0] if b is None else a[0] - b[0]
        out.append(fig)
        if d == 1:  # no draws: the percentiles are the central value
            fig[1:] = fig[0]
            continue
        if neighbours is not None and i in neighbours:
            neighbours[i] = np.empty((2, 3, m))
        pieces = by_draws.setdefault(d, [])
        pieces += [(i, c, min(c + _ROWS, m)) for c in range(0, m, _ROWS)]
    for d, pieces in by_draws.items():
        rows = np.empty((min(_ROWS, sum(c1 - c0 for _, c0, c1 in pieces)), d - 1))
        batch: list[tuple[int, int, int, int]] = []
        used = 0
        for i, c0, c1 in pieces:
            while c0 < c1:
                take = min(c1 - c0, len(rows) - used)
                a, b = pairs[i]
                dest = rows[used : used + take].T
                cols = slice(c0, c0 + take)
                if b is None:
                    dest[...] = a[1:, cols]
                else:  # an array of one draw broadcasts over the other's draws
                    np.subtract(
                        a[1 if len(a) > 1 else 0 :, cols],
                        b[1 if len(b) > 1 else 0 :, cols],
                        out=dest,
                    )
                batch.append((i, c0, c0 + take, used))
                used += take
                c0 += take
                if used == len(rows):
                    _scatter(rows, used, batch, out, neighbours)
                    batch, used = [], 0
        if used:
            _scatter(rows, used, batch, out, neighbours)
    return out


def _scatter(
    rows: np.ndarray,
    used: int,
    batch: list[tuple[int, int, int, int]],
    out: list[np.ndarray],
    neighbours: dict[int, np.ndarray | None] | None,
) -> None:
    """Sort the first ``used`` rows of draws and put their percentiles in ``out`` (see the batch).

    And the neighbours of those :func:`summarise_together` was asked to keep.
    """
    pct, nb = _sorted_row_percentiles(rows[:used])
    for i, c0, c1, at in batch:
        out[i][1:, c0:c1] = pct[:, at : at + c1 - c0]
        kept = neighbours.get(i) if neighbours is not None else None
        if kept is not None:
            kept[:, :, c0:c1] = nb[:, :, at : at + c1 - c0]


def _sorted_row_percentiles(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort each row of draws in place; return its P10, P50 and P90 ``(3, rows)`` and neighbours.

    The percentiles as :func:`summarise_draws` takes them: ``np.percentile``'s (linear)
    where no draw is ``NaN``, else ``np.nanpercentile``'s over the defined draws (``NaN`` if
    none); the neighbours ``(2, 3, rows)`` as :func:`percentile_neighbours` gives them.
    """
    n = rows.shape[1]
    # every series sorted: picking out those with every draw equal, and putting the others
    # back, cost more than sorting them (measured with 100 draws and with 1,000)
    rows.sort(axis=1)  # NaN last
    lo_i, hi_i, _ = _gammas(n)
    nb = rows[:, [*lo_i, *hi_i]].T.reshape(2, 3, len(rows))
    pct = interpolate_neighbours(nb, n)
    gaps = np.flatnonzero(np.isnan(rows[:, -1]))
    if gaps.size:
        pct[:, gaps] = _percentiles_of_sorted(rows[gaps])
        nb[:, :, gaps] = np.nan
    return pct, nb


def _percentiles_of_sorted(rows: np.ndarray) -> np.ndarray:
    """P10, P50 and P90 of each sorted row (``NaN`` last) over its draws that are not ``NaN``.

    ``np.nanpercentile``'s numbers: a row with ``k`` defined draws is interpolated between
    its neighbours among them as ``np.percentile`` of those ``k`` draws is; a row with none
    gives ``NaN``.
    """
    k = np.count_nonzero(~np.isnan(rows), axis=1)
    out = np.full((3, len(rows)), np.nan, dtype=rows.dtype)
    for count in np.unique(k[k > 0]):
        sel = np.flatnonzero(k == count)
        lo_i, hi_i, _ = _gammas(int(count))
        nb = rows[sel][:, [*lo_i, *hi_i]].T.reshape(2, 3, len(sel))
        out[:, sel] = interpolate_neighbours(nb, int(count))
    return out
