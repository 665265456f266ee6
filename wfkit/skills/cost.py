"""Training time and cost: days off the rota, FTE lost, course fees and backfill.

For ``X`` heads to train in a year (:func:`~wfkit.skills.needs.training_needs`):

=====================  ===============================================================
days, FTE lost         ``X x course_days``; ``X x course_days x hours_per_day / AWT hours``
cost                   ``X x (course_fee + course_days x hours_per_day x cost_per_hour)``
=====================  ===============================================================

``cost_per_hour`` and AWT hours come from the engine, per role (:func:`role_rates_frame`,
:func:`role_rates_from_result`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..validation import Column, TableSpec, validate_table
from .needs import training_needs
from .tables import SkillsTables, load_skills_tables, require_roles

__all__ = [
    "DEFAULT_HOURS_PER_DAY",
    "DEFAULT_AWT_HOURS",
    "role_rates_frame",
    "role_rates_from_result",
    "training_cost",
    "training_plan",
    "summarise_training",
]

#: hours in a training day when the role's own hours per day are not given (37.5 h / 5 days)
DEFAULT_HOURS_PER_DAY = 7.5
#: Fallback available working hours per FTE per year, used by :func:`training_cost` only when
#: ``role_rates`` has no ``awt_hours`` column; :func:`role_rates_frame` and
#: :func:`role_rates_from_result` always carry the engine's AWT by role, so results from a
#: model run never use it. What :func:`wfkit.model.capacity.available_working_time` gives for
#: 52.14 weeks x 37.5 hours (1,955.25 h) less 51 days' absence at 7.5 hours (382.5 h: 33 days'
#: leave, 8 bank holidays, 5 sickness, 5 study) = 1,572.75 h, rounded down to whole hours
#: (wfkit judgement). A constant, not read from the bundled capacity: that gives 1,572.75 h
#: for receptionists, medical secretaries and admin staff and 1,550.25-1,580.25 h for clinical
#: roles, with no one figure for "a role".
DEFAULT_AWT_HOURS = 1572.0

_RATES = TableSpec(
    "role_rates",
    (
        Column("role", "str"),
        Column("cost_per_hour", "float", min=0, unit="GBP per hour"),
        Column("hours_per_day", "float", required=False, min=0.5, max=24, unit="hours"),
        Column("awt_hours", "float", required=False, min=1, unit="hours per FTE per year"),
    ),
    key=("role",),
    allow_extra=True,
)


def role_rates_frame(
    roles: list[str] | tuple[str, ...],
    cost_per_fte: np.ndarray,
    awt_hours: np.ndarray,
    hours_per_day: float | np.ndarray = DEFAULT_HOURS_PER_DAY,
) -> pd.DataFrame:
    """Build the ``role_rates`` table from the engine's per-role arrays.

    ``cost_per_hour = cost_per_fte / awt_hours`` (pay and on-costs per available hour).
    For a model result ``res``: ``role_rates_frame(res.roles, res.cost_per_fte[0],
    res.awt_hours[0])``.

    Returns
    -------
    pandas.DataFrame
        ``role, cost_per_hour, hours_per_day, awt_hours``.
    """
    cpf = np.asarray(cost_per_fte, dtype=float)
    awt = np.asarray(awt_hours, dtype=float)
    return pd.DataFrame(
        {
            "role": list(roles),
            "cost_per_hour": cpf / awt,
            "hours_per_day": np.broadcast_to(np.asarray(hours_per_day, dtype=float), awt.shape),
            "awt_hours": awt,
        }
    )


def role_rates_from_result(result, hours_per_day: float = DEFAULT_HOURS_PER_DAY) -> pd.DataFrame:
    """Return the ``role_rates`` table of a model result (central run).

    Any object with ``roles``, ``cost_per_fte`` ``(D, R)`` and ``awt_hours`` ``(D, R)``
    attributes works, such as :class:`wfkit.model.engine.ModelResult`.
    """
    return role_rates_frame(
        list(result.roles),
        np.asarray(result.cost_per_fte)[0],
        np.asarray(result.awt_hours)[0],
        hours_per_day,
    )


def training_cost(
    needs: pd.DataFrame,
    tables: SkillsTables,
    role_rates: pd.DataFrame,
) -> pd.DataFrame:
    """Add training time and cost to a training needs table.

    Parameters
    ----------
    needs
        Output of :func:`training_needs` (at least ``role, competency, to_train_heads``).
    tables
        The skills tables (course days and fees; role-specific values override).
    role_rates
        ``role, cost_per_hour`` and optionally ``hours_per_day`` (default 7.5) and
        ``awt_hours`` (available working hours per FTE per year, default 1,572).

    Returns
    -------
    pandas.DataFrame
        ``needs`` with ``course_days`` and ``course_fee_gbp`` (per person), ``training_days``
        (heads x course days, taken in the year), ``fte_lost`` (training hours / AWT hours),
        ``fees_gbp`` (heads x fee), ``backfill_gbp`` (training hours x cost per hour) and
        ``cost_gbp`` (fees + backfill).
    """
    rates = validate_table(role_rates, _RATES, source="role_rates")
    if "hours_per_day" not in rates:
        rates["hours_per_day"] = DEFAULT_HOURS_PER_DAY
    if "awt_hours" not in rates:
        rates["awt_hours"] = DEFAULT_AWT_HOURS
    require_roles(needs["role"], rates["role"], "cost per hour", "role_rates")
    comp = tables.competencies[["competency", "course_days", "course_fee_gbp"]]
    rc = tables.role_competencies[["role", "competency"]].copy()
    for c in ("course_days", "course_fee_gbp"):
        rc[f"{c}_role"] = tables.role_competencies.get(c, pd.Series(np.nan, index=rc.index))
    out = needs.merge(comp, on="competency", how="left").merge(
        rc, on=["role", "competency"], how="left"
    )
    for c in ("course_days", "course_fee_gbp"):
        out[c] = out[f"{c}_role"].astype(float).fillna(out[c])
    out = out.drop(columns=["course_days_role", "course_fee_gbp_role"])
    out = out.merge(
        rates[["role", "cost_per_hour", "hours_per_day", "awt_hours"]], on="role", how="left"
    )
    x = out["to_train_heads"].to_numpy(dtype=float)
    days = x * out["course_days"].to_numpy()
    hours = days * out["hours_per_day"].to_numpy()
    out["training_days"] = days
    out["fte_lost"] = hours / out["awt_hours"].to_numpy()
    out["fees_gbp"] = x * out["course_fee_gbp"].to_numpy()
    out["backfill_gbp"] = hours * out["cost_per_hour"].to_numpy()
    out["cost_gbp"] = out["fees_gbp"] + out["backfill_gbp"]
    return out.drop(columns=["cost_per_hour", "hours_per_day", "awt_hours"])


def training_plan(
    workload: pd.DataFrame,
    role_rates: pd.DataFrame,
    *,
    baseline: pd.DataFrame | None = None,
    tables: SkillsTables | None = None,
    skill_mix: pd.DataFrame | None = None,
    current_fte: pd.DataFrame | None = None,
    share_of_time: float = 1.0,
) -> pd.DataFrame:
    """Training needs with their time and cost in one call (for notebooks).

    ``training_cost(training_needs(workload, tables, ...), tables, role_rates)``, with the
    bundled tables when ``tables`` is not given. For a scenario run ``run``::

        fut, base = run.results["future_model"], run.results["baseline"]
        plan = training_plan(fut.workload_by_activity(), role_rates_from_result(fut),
                             baseline=base.workload_by_activity())
    """
    t = load_skills_tables() if tables is None else tables
    needs = training_needs(
        workload,
        t,
        baseline=baseline,
        skill_mix=skill_mix,
        current_fte=current_fte,
        share_of_time=share_of_time,
    )
    return training_cost(needs, t, role_rates)


def summarise_training(
    costed: pd.DataFrame, by: tuple[str, ...] = ("role", "competency")
) -> pd.DataFrame:
    """Totals over areas and years of a costed needs table (:func:`training_cost`).

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``to_train_heads``, ``training_days``, ``fte_lost`` (summed over
        years), ``fees_gbp``, ``backfill_gbp``, ``cost_gbp``, sorted by cost.
    """
    cols = [
        c
        for c in (
            "to_train_heads",
            "training_days",
            "fte_lost",
            "fees_gbp",
            "backfill_gbp",
            "cost_gbp",
        )
        if c in costed
    ]
    out = costed.groupby(list(by), as_index=False, sort=True, observed=True)[cols].sum()
    if "cost_gbp" in out:
        out = out.sort_values("cost_gbp", ascending=False, kind="stable", ignore_index=True)
    return out
