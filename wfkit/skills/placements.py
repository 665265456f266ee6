"""The placements a training plan needs each year, and whether an area's supervisors can host them.

:func:`wfkit.skills.pipeline_plan` says how many training places to commission each year
for each role.  Those trainees are learners somewhere for ``training_years``; a share of
that time (``primary_care_share`` of ``data/neighbourhood/placements.csv``) is on placement
in general practice, hosted by the area::

    in_training[t]        = sum of places commissioned in c, for c <= t < c + training_years
    placements_needed[t]  = in_training[t] x primary_care_share

(places before attrition in training: an upper bound).  :func:`can_host` sets the learners
needed against what the area's supervisors can host,
``in_post_fte x supervisor_share x learners_per_supervisor`` (and, given their working
year, the FTE of supervision they take).  Learners a scenario hosts are counted against
capacity by :func:`wfkit.scenario.placements_frames`; docs/neighbourhoods.md.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..data.placements import hostable_learners, placements_table, supervision_hours
from ..errors import InputError
from .tables import SkillsTables

__all__ = ["placements_needed", "can_host"]


def placements_needed(
    plan: pd.DataFrame, tables: SkillsTables, table: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return the learners on placement in general practice each year that a plan needs.

    Parameters
    ----------
    plan
        :func:`wfkit.skills.pipeline_plan`'s output (``area, role, year, commission_year,
        places``).
    tables
        The skills tables (their ``pipeline`` gives each role's ``training_years``).
    table
        The placements table (default :func:`wfkit.data.placements.placements_table`).

    Returns
    -------
    pandas.DataFrame
        ``area, year, learner, pipeline_role, in_training, placements_needed``: one row per
        area, year of the plan and kind of learner whose pipeline role the plan trains.
    """
    table = placements_table() if table is None else table
    kinds = table.drop_duplicates("learner")[["learner", "pipeline_role", "primary_care_share"]]
    years = np.sort(plan["year"].unique()).astype(int)
    length = tables.pipeline.set_index("role").training_years
    rows = []
    for k in kinds.itertuples():
        p = plan[(plan.role == k.pipeline_role) & (plan.places > 0)]
        n = int(np.ceil(float(length.get(k.pipeline_role, 0))))
        for area in sorted(set(plan.area)):
            c = p[p.area == area]
            start = c.commission_year.to_numpy(dtype=int)
            places = c.places.to_numpy(dtype=float)
            for t in years:
                inside = (start <= t) & (t < start + n)
                tr = float(places[inside].sum())
                rows.append(
                    (area, int(t), k.learner, k.pipeline_role, tr, tr * k.primary_care_share)
                )
    cols = ["area", "year", "learner", "pipeline_role", "in_training", "placements_needed"]
    return pd.DataFrame(rows, columns=cols)


def can_host(
    needed: pd.DataFrame,
    in_post: pd.DataFrame,
    table: pd.DataFrame | None = None,
    awt_hours: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Whether an area's supervisors can host the placements needed, year by year.

    Parameters
    ----------
    needed
        :func:`placements_needed` (``area, year, learner, placements_needed``).
    in_post
        ``area, year, role, fte``: the supervising roles' FTE in post (for example the
        run's ``supply_fte``, or the plan's).
    table
        The placements table (default the bundled one).
    awt_hours
        Each supervising role's available working hours a year; with it, ``supervision_fte``.

    Returns
    -------
    pandas.DataFrame
        One row per area, year, learner and supervising role: ``placements_needed``,
        ``supervision_hours``, ``in_post_fte``, ``hostable_learners``, ``can_host``,
        ``shortfall`` (learners that cannot be hosted; 0 or more) and, with ``awt_hours``,
        ``supervision_fte``.

    Raises
    ------
    InputError
        If ``in_post`` has no row for a supervising role of an area and year.
    """
    table = placements_table() if table is None else table
    lf = needed.rename(columns={"placements_needed": "learners"})
    h = supervision_hours(lf, table).rename(columns={"learners": "placements_needed"})
    ip = in_post.rename(columns={"fte": "in_post_fte"})[["area", "year", "role", "in_post_fte"]]
    h = h.merge(ip, on=["area", "year", "role"], how="left")
    if h.in_post_fte.isna().any():
        r = h[h.in_post_fte.isna()].iloc[0]
        raise InputError(
            f"no FTE in post for {r.role!r} in area {r.area!r}, year {r.year}; expected "
            "every supervising role of every area and year",
            source="in_post",
            column="role",
        )
    h["hostable_learners"] = hostable_learners(h)
    h["can_host"] = h.placements_needed <= h.hostable_learners + 1e-9
    h["shortfall"] = (h.placements_needed - h.hostable_learners).clip(lower=0.0)
    if awt_hours is not None:
        h["supervision_fte"] = h.supervision_hours / h.role.map(dict(awt_hours))
    keep = ["area", "year", "learner", "role", "placements_needed", "supervision_hours"]
    rest = ["in_post_fte", "hostable_learners", "can_host", "shortfall"]
    return h[keep + rest + (["supervision_fte"] if awt_hours is not None else [])]
