"""Synthetic model inputs of any size, for the tests and the benchmarks (not part of wfkit).

The numbers are plausible but invented; never use them for planning.  Tests import it as
``tests.synthetic``; the benchmarks put the checkout on ``sys.path`` first.
"""

from __future__ import annotations

import numpy as np

from wfkit.model.engine import ModelInputs
from wfkit.model.uncertainty import Param
from wfkit.tables import AGE_BANDS

__all__ = ["synthetic_inputs"]


def synthetic_inputs(
    n_areas: int = 10,
    n_years: int = 11,
    n_activities: int = 40,
    n_roles: int = 15,
    n_bands: int = len(AGE_BANDS),
    list_size: float = 10_000.0,
    uncertain: bool = False,
    seed: int = 0,
) -> ModelInputs:
    """Build random but valid :class:`~wfkit.model.engine.ModelInputs`.

    Parameters
    ----------
    n_areas, n_years, n_activities, n_roles, n_bands
        Dimension sizes (``n_years`` includes the base year).
    list_size
        Mean registered population per area.
    uncertain
        Give minutes, contacts and growth 80% intervals (for Monte Carlo runs).
    seed
        Seed for the invented numbers.
    """
    rng = np.random.default_rng(seed)
    bands = (
        list(AGE_BANDS[:n_bands])
        if n_bands <= len(AGE_BANDS)
        else [f"b{i}" for i in range(n_bands)]
    )
    prof = rng.dirichlet(np.full(n_bands, 5.0), size=n_areas)
    pop = prof * rng.uniform(0.5, 1.5, size=(n_areas, 1)) * list_size
    prev = np.where(
        rng.random((1, n_activities, n_bands)) < 0.3,
        1.0,
        rng.uniform(0.01, 0.2, (1, n_activities, n_bands)),
    )
    contacts = rng.uniform(0.1, 3.0, (n_activities, n_bands))
    mask = rng.random((n_activities, n_roles)) < 0.3
    mask[np.arange(n_activities), rng.integers(0, n_roles, n_activities)] = True
    s0 = rng.random((n_activities, n_roles)) * mask
    s0 /= s0.sum(axis=1, keepdims=True)
    s1 = rng.random((n_activities, n_roles)) * mask
    s1 /= s1.sum(axis=1, keepdims=True)
    minutes = rng.uniform(5, 30, (n_activities, n_roles))
    R = n_roles

    def p(v: np.ndarray, rel: float = 0.1, upper: float = np.inf) -> Param:
        v = np.asarray(v, dtype=float)
        if not uncertain:
            return Param.point(v, upper=upper)
        return Param(v, v * (1 - rel), v * (1 + rel), 0.0, upper)

    capacity = {
        "hours_per_week": Param.point(np.full(R, 37.5)),
        "days_per_week": Param.point(np.full(R, 5.0)),
        "weeks_per_year": Param.point(np.full(R, 52.14)),
        "annual_leave_days": Param.point(np.full(R, 27.0)),
        "bank_holiday_days": Param.point(np.full(R, 8.0)),
        "sickness_days": Param.point(np.full(R, 8.0)),
        "training_days": Param.point(np.full(R, 5.0)),
        "other_days": Param.point(np.zeros(R)),
        "cas_fraction": Param.point(np.full(R, 0.15), upper=0.9),
        "ias_hours": Param.point(np.zeros(R)),
    }
    years = np.arange(2025, 2025 + n_years)
    rate = (
        Param(np.array(0.01), np.array(0.0), np.array(0.02), -1.0)
        if uncertain
        else Param.point(0.01, lower=-1.0)
    )
    return ModelInputs(
        areas=[f"A{i:05d}" for i in range(n_areas)],
        years=years,
        age_bands=bands,
        activities=[f"act{k:02d}" for k in range(n_activities)],
        roles=[f"role{r:02d}" for r in range(n_roles)],
        population=pop,
        prevalence=Param.point(prev, upper=1.0),
        contacts=p(contacts),
        shares_current=s0,
        shares_future=s1,
        minutes=p(minutes),
        capacity=capacity,
        salary=Param.point(rng.uniform(25_000, 110_000, R)),
        oncost_rate=Param.point(np.full(R, 0.28)),
        supply=rng.uniform(0, 5, (n_areas, R)) * list_size / 10_000,
        joiner_rate=Param.point(np.full(R, 0.10)),
        leaver_rate=Param.point(np.full(R, 0.09)),
        growth_rate=rate,
        skill_mix_model="future",
        transition_years=5,
    )
