"""A tight hand-written floor for the deterministic engine run (issue 13).

The engine (:func:`wfkit.model.engine.run_model`) works through the calculation chain step by
step: population by area, year and band, then demand, then workload.  Without draws, a
growth table, an area-specific prevalence or a calibration of service use, every one of
those steps is linear in the base-year population ``P0[a, g]``, so the floor folds
prevalence, contacts, trend, shares, minutes and the growth rate into small matrices first
and then does each big array as one matrix product:

    demand per person   W[g, t, k] = prev[k, g] * contacts[k, g] * trend[k] ** n[t] * (1 + rate) ** n[t]
    hours per person    M[g, t, r] = sum_k W[g, t, k] * shares[t, k, r] * minutes[k, r] / 60
    demand              P0 (A, G) @ W (G, T*K)
    workload hours      P0 (A, G) @ M (G, T*R)

and the rest (FTE required, supply, cost) elementwise on ``(A, T, R)``.  It returns every
array :class:`~wfkit.model.engine.ModelResult` holds, with the same shapes (a leading draw
axis of 1), so the benchmark times like for like and checks the numbers are equal.

``benchmarks`` is not a package: ``benchmarks/run.py`` imports this file from its own folder,
and ``tests/unit/test_floor.py`` puts the folder on ``sys.path``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["FIELDS", "floor_model"]

#: the arrays of a ModelResult the floor computes (all of them)
FIELDS = (
    "population",
    "demand",
    "workload_hours",
    "required_fte",
    "supply_fte",
    "cost_gbp",
    "awt_hours",
    "caf",
    "hours_per_contact",
    "cost_per_fte",
)

_ABSENCES = (
    "annual_leave_days",
    "bank_holiday_days",
    "sickness_days",
    "training_days",
    "other_days",
)


def floor_model(inp) -> dict[str, np.ndarray]:
    """Every array of the deterministic ``run_model(inp)``, by folded matrix products.

    Only for the case the fold covers: no draws, one prevalence row for every area, no
    growth table and no calibration of service use (``ValueError`` otherwise).
    """
    if inp.growth is not None or inp.demand_factor is not None:
        raise ValueError("the floor covers runs without a growth table or demand factor")
    prev = np.asarray(inp.prevalence.value, dtype=float)
    if prev.shape[0] != 1:
        raise ValueError("the floor covers one prevalence row for every area")
    years = np.asarray(inp.years)
    n = (years - years[0]).astype(float)  # (T,)
    pop0 = np.asarray(inp.population, dtype=float)  # (A, G)
    A, G = pop0.shape
    T = len(n)
    # growth and trend by year, folded into demand per person (G, T, K)
    g_t = (1.0 + float(inp.growth_rate.value)) ** n  # (T,)
    wk = (prev[0] * inp.contacts.value).T  # (G, K)
    if inp.trend is not None:
        f_tk = g_t[:, None] * np.asarray(inp.trend.value, dtype=float)[None] ** n[:, None]
    else:
        f_tk = np.broadcast_to(g_t[:, None], (T, wk.shape[1]))
    W = wk[:, None, :] * f_tk[None]  # (G, T, K)
    K = W.shape[2]
    # who does what x minutes, then hours per person (G, T, R)
    hpc = inp.shares() * (np.asarray(inp.minutes.value, dtype=float) / 60.0)[None]  # (T, K, R)
    R = hpc.shape[2]
    M = np.matmul(W.transpose(1, 0, 2), hpc).transpose(1, 0, 2)  # (G, T, R)
    # the two big products
    demand = (pop0 @ W.reshape(G, T * K)).reshape(A, T, K)
    hours = (pop0 @ np.ascontiguousarray(M).reshape(G, T * R)).reshape(A, T, R)
    # working time and allowances (R,)
    c = {k: np.asarray(p.value, dtype=float) for k, p in inp.capacity.items()}
    absence = sum(c.get(k, 0.0) for k in _ABSENCES)
    awt = (
        c["weeks_per_year"] * c["hours_per_week"]
        - absence * c["hours_per_week"] / c["days_per_week"]
    )
    caf = 1.0 / (1.0 - c.get("cas_fraction", np.zeros(R)))
    iaf = c.get("ias_hours", np.zeros(R)) / awt
    req = hours * (caf / awt)
    if np.any(iaf != 0):
        req += np.where(hours > 0, iaf, 0.0)
    # supply and cost
    net = np.maximum(1.0 + inp.joiner_rate.value - inp.leaver_rate.value, 0.0)  # (R,)
    supply = inp.supply[:, None, :] * (net[None] ** n[:, None])[None]  # (A, T, R)
    cpf = inp.salary.value * (1.0 + inp.oncost_rate.value)  # (R,)
    cost = req * cpf
    population = pop0.sum(axis=1)[:, None] * g_t[None]  # (A, T)
    one = lambda x: np.broadcast_to(x, (R,))[None]  # noqa: E731
    return {
        "population": population[None],
        "demand": demand[None],
        "workload_hours": hours[None],
        "required_fte": req[None],
        "supply_fte": supply[None],
        "cost_gbp": cost[None],
        "awt_hours": one(awt),
        "caf": one(caf),
        "hours_per_contact": hpc[None],
        "cost_per_fte": one(cpf),
    }


def assert_same(floor: dict[str, np.ndarray], result, rtol: float = 1e-9) -> None:
    """Every array of the floor equals the engine's (``np.testing.assert_allclose``)."""
    for name in FIELDS:
        np.testing.assert_allclose(
            floor[name], getattr(result, name), rtol=rtol, atol=0.0, err_msg=name
        )
