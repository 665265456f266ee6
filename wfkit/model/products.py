"""The engine's array products: contacts, hours per contact and workload.

Each is a batched matrix product over draws (and years) that :func:`~wfkit.model.engine.run_model`
chains; they are written so that an area's figures are the same to the last bit whatever
areas share the call (a run in chunks equals the run of every area at once) and so that
the variants of a run share what they have in common (inside
:func:`~wfkit.model.uncertainty.shared_draws`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from .uncertainty import Param, same_arrays, shared_cache

if TYPE_CHECKING:
    from .engine import ModelInputs

__all__ = ["hours_per_contact", "matmul_rows", "population_and_demand", "workload"]


def matmul_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Compute ``a @ b`` with each row of the result independent of how many rows share the call.

    BLAS computes the last row of an odd-sized block (and a one-row product, which
    OpenBLAS hands to gemv) in a different order from the others, so the same area's
    figures could differ in the last bit between a run of 5 areas and one of 12 (seen with
    OpenBLAS' Haswell kernels on AMD EPYC).  An odd row count is padded with one zero row,
    dropped after: a run in chunks of areas then equals the whole run bit for bit.
    """
    m = a.shape[-2]
    if not _blas_ready(b):  # small; BLAS takes a transposed view more slowly
        b = np.ascontiguousarray(b)
    if m % 2 == 0:
        return np.matmul(a, b)
    padded = np.zeros(a.shape[:-2] + (m + 1, a.shape[-1]), dtype=np.result_type(a))
    padded[..., :m, :] = a
    return np.matmul(padded, b)[..., :m, :]


def _blas_ready(b: np.ndarray) -> bool:
    """Whether each matrix of ``b`` (its last two axes) is C-contiguous (batch axes may repeat)."""
    return b.strides[-1] == b.itemsize and b.strides[-2] == b.itemsize * b.shape[-1]


def hours_per_contact(shares: np.ndarray, minutes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hours per contact of each distinct year of who does what, and each year's distinct one.

    Who does what ``(T, K, R)`` x minutes ``(D, K, R)`` / 60 is worked out once for years
    with the same shares (every year of the current model, and those either side of a
    transition): ``(D, U, K, R)`` for the ``U`` distinct years, and ``(T,)`` the one each
    year has.
    """
    first: dict[bytes, int] = {}
    inverse = np.array([first.setdefault(y.tobytes(), len(first)) for y in shares])
    distinct = shares[[int(np.argmax(inverse == u)) for u in range(len(first))]]
    return distinct[None] * minutes[:, None] / 60.0, inverse


def _by_year(dT: np.ndarray, per: np.ndarray, inverse: np.ndarray) -> np.ndarray:
    """Contacts ``(D, T, A, K)`` x hours per contact of each year's distinct shares -> ``(D, T, A, R)``.

    The products are those of every (draw, year) on its own, as with an array of every
    year's hours per contact, so the figures are the same to the last bit.
    """
    if per.shape[1] == 1:  # every year alike: one matrix a draw serves every year
        return matmul_rows(dT, per)
    D = max(dT.shape[0], per.shape[0])  # either may be one row (nothing uncertain)
    out = np.empty((D, *dT.shape[1:-1], per.shape[-1]))
    for u in range(per.shape[1]):
        years = np.flatnonzero(inverse == u)
        out[:, years] = matmul_rows(dT[:, years], per[:, u : u + 1])
    return out


def workload(
    inputs: ModelInputs, demand: np.ndarray, per: np.ndarray, inverse: np.ndarray
) -> tuple[np.ndarray, np.ndarray | None]:
    """Workload hours ``(D, A, T, R)``, and the contacts by class of staff behind them.

    ``per`` and ``inverse``: hours per contact by distinct year (:func:`hours_per_contact`).
    With a staff factor, the work of its activities is split by class of staff and each
    class scaled by the area's factor (two products instead of one); the contacts each
    class does ``(1, A, T, K, C)`` are kept for the central run's work by activity.
    """
    dT = np.swapaxes(demand, 1, 2)  # (D, T, A, K)
    if inputs.staff_factor is None:
        return np.swapaxes(_by_year(dT, per, inverse), 1, 2), None
    on = np.asarray(inputs.staff_factor_activities, dtype=bool)
    sf = np.asarray(inputs.staff_factor, dtype=float)  # (A, C)
    by_role = sf[:, np.asarray(inputs.staff_class, dtype=int)]  # (A, R)
    rest = _by_year(dT, np.where(on[:, None], 0.0, per), inverse)
    scaled = _by_year(dT, np.where(on[:, None], per, 0.0), inverse) * by_role[None, None]
    hours = np.swapaxes(rest + scaled, 1, 2)
    per_class = np.where(on[None, None, :, None], sf[:, None, None, :], 1.0)  # (A, 1, K, C)
    return hours, demand[:1, ..., None] * per_class[None]


def population_and_demand(
    inputs: ModelInputs, d: Callable[[Param, str], np.ndarray], n: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return the population ``(D, A, T, G)`` and contacts ``(D, A, T, K)`` of the draws.

    Inside :func:`~wfkit.model.uncertainty.shared_draws`, a variant with the same
    population, growth, prevalence, contacts and trends as the run before it (most
    variants change who does what, not how much is done) takes that run's (read-only).
    """
    rate = d(inputs.growth_rate, "growth_rate")
    prev = d(inputs.prevalence, "prevalence")  # (D, A|1, K, G)
    cont = d(inputs.contacts, "contacts")  # (D, K, G)
    tr = None if inputs.trend is None else d(inputs.trend, "trend")  # (D, K)
    key = (rate, prev, cont, tr, inputs.population, inputs.growth, inputs.demand_factor, n)
    memo = shared_cache()
    hit = None if memo is None else memo.get("engine.demand")
    if hit is not None and _same_inputs(hit[0], key):
        return hit[1][0], hit[1][1]
    # population (D, A, T, G)
    pop = (
        inputs.population[None, :, None, :]
        * (1.0 + rate.reshape(-1, 1, 1, 1)) ** n[None, None, :, None]
    )
    if inputs.growth is not None:
        pop = pop * inputs.growth[None]
    # cohort x contacts -> demand (D, A, T, K)
    w = prev * cont[:, None]  # (D, A|1, K, G)
    Dn = max(pop.shape[0], w.shape[0])
    if w.shape[1] == 1:
        A, T, G = pop.shape[1:]
        p2 = np.broadcast_to(pop, (Dn, A, T, G)).reshape(Dn, A * T, G)
        demand = matmul_rows(p2, np.swapaxes(w[:, 0], -1, -2)).reshape(Dn, A, T, -1)
    else:
        demand = np.matmul(pop, np.ascontiguousarray(np.swapaxes(w, -1, -2)))  # rows: years
    if tr is not None:
        demand = demand * (tr[:, None, :] ** n[:, None])[:, None]
    if inputs.demand_factor is not None:
        demand = demand * inputs.demand_factor[None, :, None, :]
    if memo is not None:  # kept with its inputs (held, so no other array takes their place)
        pop.flags.writeable = demand.flags.writeable = False
        memo["engine.demand"] = (key, (pop, demand))
    return pop, demand


def _same_inputs(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    """Whether two sets of the engine's inputs are the same: the same arrays, or small equal ones."""
    for x, y in zip(a, b, strict=True):
        if x is y:
            continue
        if x is None or y is None or np.shape(x) != np.shape(y) or np.size(x) > 100_000:
            return False
        if not same_arrays((np.asarray(x),), (np.asarray(y),)):
            return False
    return True
