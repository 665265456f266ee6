"""The placements table: what each kind of learner takes from its supervisors, and who can host.

``data/neighbourhood/placements.csv`` has one row per learner and supervising role: the
supervision hours a week, the weeks in placement a year, the share of the role's FTE able to
supervise and the learners each supervisor hosts at once, and the pipeline role whose
trainees the learners are, with the share of their training in general practice.  It feeds
:mod:`wfkit.scenario.placements` (learners a scenario hosts, counted against capacity) and
:mod:`wfkit.skills.placements` (the placements a training plan needs).  Method:
docs/neighbourhoods.md.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..input_files import read_csv_checked
from ..settings import COMMUNITY_ROLES, LEARNERS
from ..validation import Column, TableSpec, first_bad_row
from .paths import data_dir
from .schemas import ROLE_IDS

__all__ = ["PLACEMENTS", "placements_table", "supervision_hours", "hostable_learners"]


def _f(name: str, unit: str, description: str, lo: float, hi: float, **kw) -> Column:
    return Column(name, "float", min=lo, max=hi, unit=unit, description=description, **kw)


#: the columns of the placements table
PLACEMENTS = TableSpec(
    "placements",
    (
        Column("learner", "str", allowed=frozenset(LEARNERS), description="kind of learner"),
        Column("supervisor_role", "str", description="role id of the supervising staff"),
        _f("hours_per_week", "hours", "supervision a learner takes a week in placement", 0, 40),
        _f("lo", "hours", "10th percentile", 0, 40, required=False, nullable=True),
        _f("hi", "hours", "90th percentile", 0, 40, required=False, nullable=True),
        _f("weeks_per_year", "weeks", "weeks in placement a year (a learner all year)", 0, 52),
        _f("supervisor_share", "fraction", "share of the role's FTE able to supervise", 0, 1),
        _f("learners_per_supervisor", "learners", "learners a supervisor hosts at once", 0, 10),
        Column("pipeline_role", "str", description="pipeline role whose trainees these are"),
        _f("primary_care_share", "fraction", "share of training in general practice", 0, 1),
        Column("source", "str", description="where the values come from"),
        Column("notes", "str", required=False, nullable=True),
    ),
    key=("learner", "supervisor_role"),
    description="Supervision each learner takes, and who can host them.",
)


def placements_table(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check the placements table (default the bundled one).

    Raises
    ------
    InputError
        Naming the file, row and column: an unknown learner or role, an interval that does
        not hold its value, a duplicate (learner, supervisor_role).
    """
    path = Path(path) if path is not None else data_dir() / "neighbourhood" / "placements.csv"
    df = read_csv_checked(path, PLACEMENTS)
    roles = set(ROLE_IDS) | set(COMMUNITY_ROLES)
    first_bad_row(
        ~df.supervisor_role.isin(roles).to_numpy(),
        lambda i: f"unknown role {df.supervisor_role.iloc[i]!r}",
        str(path),
        "supervisor_role",
    )
    lo = df["lo"].fillna(df.hours_per_week).to_numpy(dtype=float)
    hi = df["hi"].fillna(df.hours_per_week).to_numpy(dtype=float)
    v = df.hours_per_week.to_numpy(dtype=float)
    first_bad_row(
        (lo > v) | (v > hi),
        lambda i: f"hours_per_week {v[i]:g} is outside its interval [{lo[i]:g}, {hi[i]:g}]",
        str(path),
        "hours_per_week",
    )
    return df


def supervision_hours(learners: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Return the supervision hours a year that learners take from each supervising role.

    Parameters
    ----------
    learners
        ``learner, learners`` (whole-time-equivalent learners hosted all year) and any key
        columns (``area``, ``year`` ...), kept.
    table
        :func:`placements_table`.

    Returns
    -------
    pandas.DataFrame
        ``learners``' rows joined to each supervising role: ``role``,
        ``hours_per_learner`` (``hours_per_week x weeks_per_year``),
        ``supervision_hours`` (``learners x hours_per_learner``), and the role's
        ``supervisor_share`` and ``learners_per_supervisor`` (for
        :func:`hostable_learners`).
    """
    t = table.assign(hours_per_learner=table.hours_per_week * table.weeks_per_year)
    keep = ["learner", "supervisor_role", "hours_per_learner", "supervisor_share"]
    t = t[[*keep, "learners_per_supervisor"]].rename(columns={"supervisor_role": "role"})
    out = learners.merge(t, on="learner", how="left", validate="many_to_many")
    out["supervision_hours"] = out.learners * out.hours_per_learner
    return out


def hostable_learners(frame: pd.DataFrame) -> pd.Series:
    """Return the learners of each row's kind its supervising role's staff can host at once.

    ``in_post_fte x supervisor_share x learners_per_supervisor`` (the FTE able to
    supervise, each hosting ``learners_per_supervisor``); ``frame`` has those columns (the
    last two from :func:`supervision_hours`).
    """
    return frame.in_post_fte * frame.supervisor_share * frame.learners_per_supervisor
