"""The pipeline of new roles and the retention of trained staff.

:func:`pipeline_plan` gives the training places to commission each year to close the gap
between required and supplied FTE, given training length, attrition in training, time to full
productivity and leavers after a commitment period, and flags where that is too late;
:func:`retained_capacity` follows cohorts of trained staff through the same
:func:`retention_curve`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError
from ..validation import Column, TableSpec, first_bad_row, validate_table
from .tables import SkillsTables, require_roles

__all__ = [
    "retention_curve",
    "retained_capacity",
    "pipeline_inputs",
    "pipeline_plan",
    "pipeline_fte",
]

_REQUIRED = TableSpec(
    "required",
    (
        Column("area", "str", required=False),
        Column("year", "int", min=1900, max=2200),
        Column("role", "str"),
        Column("required_fte", "float", min=0, unit="FTE"),
        Column("supply_fte", "float", min=0, unit="FTE"),
    ),
    allow_extra=True,
)


def retention_curve(
    years_in_post: np.ndarray, commitment_years: np.ndarray | float, leaver_rate: np.ndarray | float
) -> np.ndarray:
    """Share of a trained cohort still in post ``j`` years after qualifying.

    Year 0 is the first year in post: 1 during the commitment period, then
    ``(1 - leaver_rate)`` a year.

    ``retention(j) = (1 - leaver_rate) ** max(0, j + 1 - commitment_years)`` for ``j >= 0``
    (0 for ``j < 0``). Broadcasts over its arguments.
    """
    j = np.asarray(years_in_post, dtype=float)
    n = np.maximum(0.0, j + 1.0 - np.asarray(commitment_years, dtype=float))
    return np.where(j >= 0, (1.0 - np.asarray(leaver_rate, dtype=float)) ** n, 0.0)


def retained_capacity(
    cohorts: pd.DataFrame,
    tables: SkillsTables,
    *,
    heads_col: str = "heads",
    horizon: int | None = None,
) -> pd.DataFrame:
    """Compute expected trained capacity still in post, given commitment terms and leavers.

    Parameters
    ----------
    cohorts
        One row per cohort: ``year`` (first year in post after training), ``role``, the heads
        trained (column ``heads_col``) and any other key columns (``area``, ``competency``).
        The output of :func:`~wfkit.skills.training_needs` works with ``heads_col="to_train_heads"``.
    tables
        The skills tables (``pipeline`` commitment years and post-commitment leaver rates;
        ``fte_per_head``).
    horizon
        Last year to report (default the last cohort year).

    Returns
    -------
    pandas.DataFrame
        Keys, ``year``, ``trained_heads`` (cumulative), ``in_commitment_heads``,
        ``retained_heads``, ``retained_fte`` and ``retained_share``.
    """
    extra = [c for c in cohorts.columns if c in ("area", "competency", "scenario")]
    keys = [*extra, "role"]
    co = cohorts[[*keys, "year", heads_col]].rename(columns={heads_col: "heads", "year": "y0"})
    co = co.loc[co["heads"] > 0]
    pipe = tables.pipeline.set_index("role")
    require_roles(co["role"], pipe.index, "retention terms", "pipeline")
    first = int(cohorts["year"].min())
    last = int(cohorts["year"].max()) if horizon is None else int(horizon)
    years = pd.DataFrame({"year": np.arange(first, last + 1, dtype=np.int64)})
    m = co.merge(years, how="cross")
    m = m.loc[m["year"] >= m["y0"]]
    j = (m["year"] - m["y0"]).to_numpy(dtype=float)
    cy = m["role"].map(pipe["commitment_years"]).to_numpy()
    lr = m["role"].map(pipe["post_commitment_leaver_rate"]).to_numpy()
    h = m["heads"].to_numpy()
    m = m.assign(
        trained_heads=h,
        in_commitment_heads=np.where(j < cy, h, 0.0),
        retained_heads=h * retention_curve(j, cy, lr),
    )
    out = m.groupby([*keys, "year"], as_index=False, sort=True)[
        ["trained_heads", "in_commitment_heads", "retained_heads"]
    ].sum()
    out["retained_fte"] = out["retained_heads"] * out["role"].map(tables.fph()).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["retained_share"] = np.where(
            out["trained_heads"] > 0, out["retained_heads"] / out["trained_heads"], np.nan
        )
    return out


def _yield_per_head(
    j: np.ndarray, p: np.ndarray, cy: np.ndarray, lr: np.ndarray, f: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """FTE and heads in post per qualified head in their ``j``-th year in post, ``(N, len(j))``.

    ``e = fph x q(j) x retention(j)`` with the ramp ``q(j) = min(1, (j + 1) / (p + 1))`` to
    full productivity over ``p`` years; ``h = retention(j)``.  One definition for
    :func:`pipeline_plan` and :func:`pipeline_fte`.
    """
    jj = np.asarray(j, dtype=float)[None, :]
    q = np.minimum(1.0, (jj + 1.0) / (p[:, None] + 1.0))
    ret = retention_curve(jj, cy[:, None], lr[:, None])
    return f[:, None] * q * ret, ret


def pipeline_fte(
    places: dict[str, float] | pd.Series,
    tables: SkillsTables,
    year: int,
    first_commission_year: int,
) -> pd.Series:
    """FTE in post in ``year`` from training places commissioned at a steady rate.

    ``places[r]`` places of role ``r`` are commissioned every year from
    ``first_commission_year``; a place commissioned in year ``s`` gives a qualified person in
    post from ``u = s + ceil(training_years)`` with probability ``1 - attrition``, worth
    ``fph x q(j) x retention(j)`` FTE in their ``j``-th year in post (as in
    :func:`pipeline_plan`).  A role whose training is longer than the years left gives
    nothing.  ``places`` may be ``inf`` for as many as needed (then the result is ``inf``
    where training fits, 0 where it does not).

    Parameters
    ----------
    places
        Places commissioned a year, by role.
    tables
        The skills tables (``pipeline``, ``fte_per_head``).
    year
        The year the FTE is counted in.
    first_commission_year
        The first year places can be commissioned.

    Returns
    -------
    pandas.Series
        FTE by role (the roles of ``places``).
    """
    pl = pd.Series(places, dtype=float)
    if (pl < 0).any() or pl.isna().any():
        bad = pl.index[(pl < 0) | pl.isna()][0]
        raise InputError(
            f"places for {bad!r} = {pl[bad]!r}; expected 0 or more a year", column="places"
        )
    pipe = tables.pipeline.set_index("role")
    require_roles(pl.index, pipe.index, "training pipeline", "pipeline")
    require_roles(pl.index, tables.fph().index, "FTE per head", "fte_per_head")
    roles = list(pl.index)
    L = np.ceil(pipe.loc[roles, "training_years"].to_numpy()).astype(np.int64)
    att = pipe.loc[roles, "attrition_rate_in_training"].to_numpy()
    n = max(0, int(year) - int(first_commission_year) + 1)  # commissioning years
    s = int(first_commission_year) + np.arange(n)  # (S,)
    j = int(year) - (s[None, :] + L[:, None])  # (N, S) years in post in ``year``
    e, _ = _yield_per_head(
        np.arange(max(n, 1), dtype=float),
        pipe.loc[roles, "time_to_full_productivity_years"].to_numpy(),
        pipe.loc[roles, "commitment_years"].to_numpy(),
        pipe.loc[roles, "post_commitment_leaver_rate"].to_numpy(),
        tables.fph().loc[roles].to_numpy(),
    )
    per_place = np.where(
        j >= 0, np.take_along_axis(e, np.clip(j, 0, max(n - 1, 0)), axis=1), 0.0
    ).sum(axis=1) * (1.0 - att)  # FTE in ``year`` per place a year
    with np.errstate(invalid="ignore"):
        out = np.where(per_place > 0, pl.to_numpy() * per_place, 0.0)
    return pd.Series(out, index=pl.index, name="pipeline_fte")


def pipeline_inputs(results: pd.DataFrame, scenario: str | None = None) -> pd.DataFrame:
    """Take required and supplied FTE by area, year and role from tidy model results.

    Parameters
    ----------
    results
        Long results with ``area, year, role, measure, value`` (and ``scenario``), as from
        :meth:`wfkit.model.engine.ModelResult.to_frame`; ``role == "all"`` rows are dropped.
    scenario
        Keep only this scenario (needed when ``results`` holds several).

    Returns
    -------
    pandas.DataFrame
        ``area, year, role, required_fte, supply_fte``, ready for :func:`pipeline_plan`.
    """
    df = results
    if scenario is not None:
        df = df.loc[df["scenario"] == scenario]
    elif "scenario" in df.columns and df["scenario"].nunique() > 1:
        raise InputError(
            f"results hold scenarios {sorted(map(str, df['scenario'].unique()))}; "
            "name one with scenario=",
            column="scenario",
        )
    df = df.loc[df["measure"].isin(["required_fte", "supply_fte"]) & (df["role"] != "all")]
    wide = df.pivot_table(
        index=["area", "year", "role"], columns="measure", values="value", observed=True
    )
    wide = wide.reset_index()
    wide.columns.name = None
    for c in ("area", "role"):
        wide[c] = wide[c].astype(str)
    return wide[["area", "year", "role", "required_fte", "supply_fte"]]


def pipeline_plan(
    required: pd.DataFrame,
    tables: SkillsTables,
    *,
    first_commission_year: int | None = None,
) -> pd.DataFrame:
    """Training places to commission each year to meet the required FTE of each role.

    For each (area, role), the shortfall ``E[t] = max(0, required_fte - supply_fte)`` must be filled
    by new staff from training. A place commissioned in year ``s`` gives a qualified person in
    post from ``u = s + ceil(training_years)``, with probability ``1 - attrition``; in their
    ``j``-th year in post (``j = 0, 1, ...``) they give ``fph x q(j) x retention(j)`` FTE,
    where ``q(j) = min(1, (j + 1) / (p + 1))`` ramps to full productivity over ``p`` years and
    :func:`retention_curve` keeps all of them during the commitment period. Year by year, the
    cohort entering service in ``t`` covers what earlier cohorts leave uncovered:
    ``qualified[t] = max(0, E[t] - sum_u<t qualified[u] x e(t - u)) / e(0)`` and
    ``places = qualified / (1 - attrition)``. A cohort whose commissioning year falls before
    ``first_commission_year`` cannot be trained in time: its share is ``unmet_fte`` and the
    row is flagged ``cannot_meet``.

    Parameters
    ----------
    required
        ``year, role, required_fte, supply_fte`` and optionally ``area``; one row per
        (area, role, year), consecutive years. ``supply_fte`` is the supply projected without
        new training places (the engine's supply).
    tables
        The skills tables (``pipeline``, ``fte_per_head``).
    first_commission_year
        First year in which places can still be commissioned (default the first year of
        ``required``).

    Returns
    -------
    pandas.DataFrame
        One row per (area, role, year): ``required_fte``, ``supply_fte``, ``shortfall_fte``,
        ``commission_year`` (when the places for this year's cohort must be commissioned),
        ``places`` (to commission then), ``qualified_heads`` (entering service in ``year``),
        ``pipeline_heads`` and ``pipeline_fte`` (new staff from the plan still in post, FTE
        allowing for the productivity ramp), ``unmet_fte`` and ``cannot_meet``.
    """
    req = validate_table(required, _REQUIRED, source="required")
    has_area = "area" in req.columns
    if not has_area:
        req["area"] = "all"
    pipe = tables.pipeline.set_index("role")
    fph = tables.fph()
    require_roles(req["role"], pipe.index, "training pipeline", "pipeline")
    years = np.sort(req["year"].unique()).astype(np.int64)
    if np.any(np.diff(years) != 1):
        raise InputError(
            f"years {years.tolist()} are not consecutive; expected one row a year",
            source="required",
            column="year",
        )
    first_bad_row(
        req.duplicated(["area", "role", "year"]).to_numpy(),
        "duplicate (area, role, year); expected each once",
        source="required",
        column="year",
    )
    t0 = int(years[0])
    first = t0 if first_commission_year is None else int(first_commission_year)
    T = len(years)
    # (N groups, T years) arrays; missing years count as no gap
    wide_r = req.pivot_table(
        index=["area", "role"], columns="year", values="required_fte", aggfunc="sum", sort=True
    ).reindex(columns=years)
    wide_s = req.pivot_table(
        index=["area", "role"], columns="year", values="supply_fte", aggfunc="sum", sort=True
    ).reindex(index=wide_r.index, columns=years)
    R = wide_r.to_numpy(dtype=float)
    S = wide_s.to_numpy(dtype=float)
    E = np.nan_to_num(np.maximum(R - S, 0.0))
    roles = wide_r.index.get_level_values("role")
    L = np.ceil(pipe.loc[roles, "training_years"].to_numpy()).astype(np.int64)  # (N,)
    att = pipe.loc[roles, "attrition_rate_in_training"].to_numpy()
    p = pipe.loc[roles, "time_to_full_productivity_years"].to_numpy()
    cy = pipe.loc[roles, "commitment_years"].to_numpy()
    lr = pipe.loc[roles, "post_commitment_leaver_rate"].to_numpy()
    f = fph.loc[roles].to_numpy()
    e, h = _yield_per_head(np.arange(T, dtype=float), p, cy, lr, f)  # (N, T) each
    commission = years[None, :] - L[:, None]  # (N, T)
    allowed = commission >= first
    Q = np.zeros_like(E)  # qualified heads entering service in year t
    unmet = np.zeros_like(E)
    contrib = np.zeros_like(E)
    for t in range(T):  # triangular solve: a loop over years, vectorised over groups
        if t:
            contrib[:, t] = np.einsum("nu,nu->n", Q[:, :t], e[:, t:0:-1])
        resid = np.maximum(E[:, t] - contrib[:, t], 0.0)
        Q[:, t] = np.where(allowed[:, t], resid / e[:, 0], 0.0)
        unmet[:, t] = np.where(allowed[:, t], 0.0, resid)
    # FTE and heads in post from the plan (Q convolved with e and h)
    idx = np.arange(T)
    lag = idx[:, None] - idx[None, :]  # (t, u)
    mask = lag >= 0
    lagc = np.where(mask, lag, 0)
    pf = np.einsum("nu,ntu->nt", Q, np.where(mask[None], e[:, lagc], 0.0))
    ph = np.einsum("nu,ntu->nt", Q, np.where(mask[None], h[:, lagc], 0.0))
    places = Q / (1.0 - att[:, None])
    N = len(wide_r)
    out = pd.DataFrame(
        {
            "area": np.repeat(wide_r.index.get_level_values("area").to_numpy(), T),
            "role": np.repeat(roles.to_numpy(), T),
            "year": np.tile(years, N),
            "required_fte": R.ravel(),
            "supply_fte": S.ravel(),
            "shortfall_fte": E.ravel(),
            "commission_year": commission.ravel().astype(np.int64),
            "places": places.ravel(),
            "qualified_heads": Q.ravel(),
            "pipeline_heads": ph.ravel(),
            "pipeline_fte": pf.ravel(),
            "unmet_fte": unmet.ravel(),
            "cannot_meet": unmet.ravel() > 1e-9,
        }
    )
    if not has_area:
        out = out.drop(columns="area")
    return out
