"""Uncertain inputs: points or 80% intervals, drawn reproducibly.

Following the NHS New Hospital Programme model, an input given as an 80% interval
``[lo, hi]`` is drawn from a normal distribution with mean ``(lo + hi) / 2`` and
standard deviation ``(hi - lo) / 2.563`` (2.563 = 2 x 1.2816, the z-score width of an
80% interval), clipped to the input's valid range.  Draw 0 is always the central run
(the stated ``value``).  Each parameter has its own random stream derived from the seed
and the parameter's name, so adding a parameter never changes another's draws and the
scenarios of one run share draws (common random numbers), which keeps the difference
between scenarios sharp.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

__all__ = ["Param", "Z80_WIDTH", "summarise_draws", "rng_for"]

#: width of an 80% interval in standard deviations (2 x 1.28155)
Z80_WIDTH = 2.563


def rng_for(seed: int, name: str) -> np.random.Generator:
    """A random generator for parameter ``name`` under ``seed`` (stable across runs)."""
    return np.random.default_rng([int(seed), zlib.crc32(name.encode("utf-8"))])


@dataclass(frozen=True)
class Param:
    """A numeric input array, each element a point or an 80% interval.

    Parameters
    ----------
    value
        Central values (draw 0).
    lo, hi
        Interval ends, same shape as ``value``; ``NaN`` where the element is a point.
        ``None`` if no element is uncertain.
    lower, upper
        Valid range; draws are clipped to it.
    """

    value: np.ndarray
    lo: np.ndarray | None = None
    hi: np.ndarray | None = None
    lower: float = 0.0
    upper: float = np.inf

    @classmethod
    def point(cls, value: float | np.ndarray, lower: float = 0.0, upper: float = np.inf) -> Param:
        """A parameter with no uncertainty."""
        return cls(np.asarray(value, dtype=float), None, None, lower, upper)

    @property
    def uncertain(self) -> bool:
        """Whether any element has an interval."""
        return self.lo is not None and bool(np.any(~np.isnan(self.lo)))

    def draws(self, n_draws: int, seed: int, name: str) -> np.ndarray:
        """Return an array of shape ``(n_draws + 1, *value.shape)``; row 0 is the central run.

        A parameter with no interval returns shape ``(1, *value.shape)``, which broadcasts.
        """
        v = np.asarray(self.value, dtype=float)
        if n_draws <= 0 or not self.uncertain:
            return v[None, ...]
        lo = np.asarray(self.lo, dtype=float)
        hi = np.asarray(self.hi, dtype=float)
        has = ~np.isnan(lo)
        mean = np.where(has, (lo + hi) / 2.0, v)
        sd = np.where(has, (hi - lo) / Z80_WIDTH, 0.0)
        z = rng_for(seed, name).standard_normal((n_draws, *v.shape))
        out = np.empty((n_draws + 1, *v.shape))
        out[0] = v
        out[1:] = np.clip(mean + sd * z, self.lower, self.upper)
        return out


def summarise_draws(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Central value and P10/P50/P90 over the first axis (draw 0 is central).

    With one draw, the percentiles equal the central value.  Percentiles are taken over
    the random draws (1..n) only.
    """
    central = arr[0]
    if arr.shape[0] == 1:
        return central, central, central, central
    p10, p50, p90 = np.percentile(arr[1:], [10, 50, 90], axis=0)
    return central, p10, p50, p90
