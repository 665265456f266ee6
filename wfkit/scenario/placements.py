"""Placements: learners an area hosts, and the supervision they take from its staff.

``placements:`` in a scenario (docs/neighbourhoods.md) gives the learners each area hosts
(GP registrars, student nurses, trainee pharmacists, physician associate and paramedic
students; :data:`wfkit.settings.LEARNERS`), as whole-time equivalents hosted all year.
Each takes supervision hours from named roles (``data/neighbourhood/placements.csv``:
hours a week x weeks a year, cited or said to be judgement).  The hours are counted
against the supervising role's available capacity in the central run::

    supervision_fte = supervision_hours / AWT               (the role's available hours)
    available_fte   = in_post_fte - supervision_fte         (never above in_post_fte)
    gap_after_placements_fte = available_fte - required_fte (never above gap_fte)

so supervision never raises capacity.  Whether an area can host its learners compares them
with ``in_post_fte x supervisor_share x learners_per_supervisor``.  Learners a training plan
needs come from :func:`wfkit.skills.placements_needed`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .. import settings as S
from ..errors import InputError
from .results import ScenarioRun
from .spec import values_by_area

__all__ = ["learners_by_area", "placements_frames", "HOSTING_COLUMNS", "SUPERVISION_COLUMNS"]

#: the columns of the learner-level frame
HOSTING_COLUMNS = [
    "scenario",
    "area",
    "year",
    "learner",
    "role",
    "learners",
    "hours_per_learner",
    "supervision_hours",
    "in_post_fte",
    "hostable_learners",
    "can_host",
]
#: the columns of the role-level frame
SUPERVISION_COLUMNS = [
    "scenario",
    "area",
    "year",
    "role",
    "learners",
    "supervision_hours",
    "awt_hours",
    "supervision_fte",
    "in_post_fte",
    "available_fte",
    "required_fte",
    "gap_fte",
    "gap_after_placements_fte",
]


def learners_by_area(
    given: Mapping[str, Any], areas: list[str], source: str = "scenario", key: str = "placements"
) -> pd.DataFrame:
    """Return ``area, learner, learners`` from a scenario's ``placements:`` (every area).

    A number for a kind of learner is for one area modelled (0: none in any area); with
    several, ``{area: n}`` for every area (:func:`wfkit.scenario.spec.values_by_area`).  Negative numbers are refused when the scenario is loaded.

    Raises
    ------
    InputError
        A number for several areas, an area missing or not modelled.
    """
    rows = []
    for learner in S.LEARNERS:
        if learner not in given:
            continue
        n = values_by_area(given[learner], areas, "learners", source, f"{key}.{learner}")
        rows += [(a, learner, x) for a, x in zip(areas, n, strict=True)]
    return pd.DataFrame(rows, columns=["area", "learner", "learners"])


def _capacity(run: ScenarioRun, name: str) -> tuple[pd.DataFrame, pd.Series]:
    """Return the central run's in-post and required FTE by area, year and role; AWT by role."""
    r = run.results[name]
    idx = pd.MultiIndex.from_product(
        [[str(a) for a in r.areas], [int(y) for y in r.years], list(r.roles)],
        names=["area", "year", "role"],
    )
    cap = pd.DataFrame(
        {
            "in_post_fte": np.asarray(r.supply_fte[0]).reshape(-1),
            "required_fte": np.asarray(r.required_fte[0]).reshape(-1),
        },
        index=idx,
    ).reset_index()
    awt = pd.Series(np.asarray(r.awt_hours[0], dtype=float), index=list(r.roles), name="awt_hours")
    return cap, awt


def placements_frames(run: ScenarioRun) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the learners each variant hosts and the supervision they take, in two frames.

    Parameters
    ----------
    run
        A run whose scenario has ``placements:`` in some variant.

    Returns
    -------
    (hosting, supervision)
        ``hosting``: one row per scenario, area, year, learner and supervising role
        (:data:`HOSTING_COLUMNS`): the learners, the hours a learner takes a year, the
        hours, the role's FTE in post, the learners its staff can host and ``can_host``.
        ``supervision``: one row per scenario, area, year and supervising role
        (:data:`SUPERVISION_COLUMNS`): the supervision hours and FTE against the role's
        available working time, FTE in post less supervision (``available_fte``), FTE
        required, the gap before and after placements.  Central run.

    Raises
    ------
    InputError
        If a supervising role is not modelled in a variant.
    """
    # lazy: wfkit.data loads only when a run reads bundled tables
    from ..data.placements import hostable_learners, placements_table, supervision_hours

    table = placements_table()
    hosting, supervision = [], []
    for v in run.scenario.variants:
        if not v.placements:
            continue
        cap, awt = _capacity(run, v.name)
        areas = sorted(set(cap.area), key=list(dict.fromkeys(cap.area)).index)
        learners = learners_by_area(v.placements, areas, v.source, v.key("placements"))
        years = pd.DataFrame({"year": sorted(set(cap.year))})
        sh = supervision_hours(learners.merge(years, how="cross"), table)
        unknown = sorted(set(sh.role) - set(awt.index))
        if unknown:
            raise InputError(
                f"learners supervised by {unknown[0]!r}, a role this run does not model; "
                "expected the supervising roles in the capacity table",
                source=v.source,
                key=v.key("placements"),
            )
        h = sh.merge(cap, on=["area", "year", "role"], how="left")
        h["hostable_learners"] = hostable_learners(h)
        h["can_host"] = h.learners <= h.hostable_learners + 1e-9
        hosting.append(h.assign(scenario=v.name)[HOSTING_COLUMNS])
        s = (
            h.groupby(["area", "year", "role"], sort=False)
            .agg(learners=("learners", "sum"), supervision_hours=("supervision_hours", "sum"))
            .reset_index()
            .merge(cap, on=["area", "year", "role"], how="left")
        )
        s["awt_hours"] = s.role.map(awt)
        s["supervision_fte"] = s.supervision_hours / s.awt_hours
        # supervision only ever takes time away: never more than is in post, never added
        s["available_fte"] = (s.in_post_fte - s.supervision_fte).clip(lower=0.0)
        s["available_fte"] = np.minimum(s.available_fte, s.in_post_fte)
        s["gap_fte"] = s.in_post_fte - s.required_fte
        s["gap_after_placements_fte"] = s.available_fte - s.required_fte
        supervision.append(s.assign(scenario=v.name)[SUPERVISION_COLUMNS])
    if not hosting:
        return pd.DataFrame(columns=HOSTING_COLUMNS), pd.DataFrame(columns=SUPERVISION_COLUMNS)
    return pd.concat(hosting, ignore_index=True), pd.concat(supervision, ignore_index=True)
