"""Staff in post rolled forward: the supply side of the model.

``F[d,a,t,r] = F0[a,r] x max(0, 1 + joiners[d,r] - leavers[d,r]) ** (t - t0)``: each role's
base-year staff in post grow or shrink by its net joiner rate, compounded yearly and never
below zero.  Who counts as in post in the base year is the data layer's business
(:mod:`wfkit.data.staff`); the model takes the ``(area, role)`` array it is given.
"""

from __future__ import annotations

import numpy as np

__all__ = ["roll_forward"]


def roll_forward(
    in_post: np.ndarray, joiner_rate: np.ndarray, leaver_rate: np.ndarray, years: np.ndarray
) -> np.ndarray:
    """Staff in post by draw, area, year and role.

    Parameters
    ----------
    in_post
        ``(A, R)`` base-year FTE in post.
    joiner_rate, leaver_rate
        ``(D, R)`` annual rates (one row per draw, or one row that broadcasts).
    years
        ``(T,)`` years since the base year (0 for the base year).

    Returns
    -------
    numpy.ndarray
        ``(D, A, T, R)``.
    """
    net = np.maximum(1.0 + joiner_rate - leaver_rate, 0.0)
    return in_post[None, :, None, :] * net[:, None, None, :] ** years[None, None, :, None]
