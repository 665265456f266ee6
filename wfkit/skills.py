"""Skills, not only roles: competencies, training needs, upskilling cost and the pipeline.

When a future model moves work from one role to another, someone must be trained to do it.
This module turns the engine's workload by activity and role into:

* **training needs** (:func:`training_needs`): for each area, year, role and competency, the
  staff who must hold the competency (heads and FTE), those already holding it, the gap and
  the heads to train in the year;
* **training time and cost** (:func:`training_cost`): days off the rota (as FTE lost from
  available working time in the year the training happens), course fees and backfill at the
  role's cost per hour;
* **the pipeline of new roles** (:func:`pipeline_plan`): training places to commission per
  year to close the gap between required and supplied FTE by each year, given training
  length, attrition in training, time to full productivity and leavers after a commitment
  period, with the years places must be commissioned and flags where that is too late;
* **retention terms** (:func:`retained_capacity`): how much trained capacity stays, given a
  commitment period after funded training and a leaver rate after it.

Every function takes and returns tidy pandas DataFrames, never the engine object, so the
engine's :meth:`~wfkit.engine.ModelResult.workload_by_activity` output (``area, year,
activity, role, hours, fte``) can be passed straight in.  The competency tables are bundled
in ``data/skills/`` with a data dictionary and citations (:func:`load_skills_tables`).

Method (see ``docs/skills.md`` for a worked example)
----------------------------------------------------
For area ``a``, year ``t``, role ``r`` and competency ``c``, with ``fph[r]`` the FTE per head:

=====================  ===============================================================
FTE on c-work          ``W[a,t,r,c] = sum of fte over activities that need c``
heads needing c        ``N = min(W / share_of_time, role FTE) / fph``
already covered        ``K = max(heads today x share_trained, N under today's model)``
                       (all of ``N`` when the competency is baseline for the role)
gap                    ``G = max(0, N - K)``
trained by programme   ``C[t] = max(G[t0..t])`` (trained staff stay trained)
to train in year t     ``X[t] = C[t] - C[t-1]``
days, FTE lost         ``X x course_days``; ``X x course_days x hours_per_day / AWT hours``
cost                   ``X x (course_fee + course_days x hours_per_day x cost_per_hour)``
=====================  ===============================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .data.schemas import ROLE_IDS
from .errors import InputError
from .validation import Column, TableSpec, read_csv_checked, validate_table

__all__ = [
    "ROLES",
    "COMPETENCIES",
    "ACTIVITY_COMPETENCIES",
    "ROLE_COMPETENCIES",
    "PIPELINE",
    "FTE_PER_HEAD",
    "SKILLS_SPECS",
    "DEFAULT_HOURS_PER_DAY",
    "DEFAULT_AWT_HOURS",
    "SkillsTables",
    "skills_data_dir",
    "make_skills_tables",
    "load_skills_tables",
    "check_activities",
    "competency_workload",
    "training_needs",
    "role_rates_frame",
    "role_rates_from_result",
    "training_plan",
    "pipeline_inputs",
    "training_cost",
    "summarise_training",
    "retention_curve",
    "retained_capacity",
    "pipeline_plan",
    "chart_training_needs",
    "chart_pipeline",
]

#: the role ids of the bundled data (one list, kept in wfkit.data)
ROLES: tuple[str, ...] = tuple(ROLE_IDS)

#: hours in a training day when the role's own hours per day are not given (37.5 h / 5 days)
DEFAULT_HOURS_PER_DAY = 7.5
#: available working hours per FTE per year when not given: 52.14 weeks x 37.5 h less
#: 33 days' leave, 8 bank holidays, 5 sickness and 5 study days at 7.5 h (wfkit judgement)
DEFAULT_AWT_HOURS = 1572.0

_SOURCE = Column("source", "str", description="citation, or 'wfkit judgement'")
_NOTES = Column("notes", "str", required=False, nullable=True, description="free text")

COMPETENCIES = TableSpec(
    "competencies",
    (
        Column("competency", "str", description="competency id"),
        Column("description", "str", description="what the competency is"),
        Column(
            "course_days",
            "float",
            min=0,
            unit="days",
            description="days away from practice to gain it (taught + supervised)",
        ),
        Column("course_fee_gbp", "float", min=0, unit="GBP", description="course fee per person"),
        _SOURCE,
        _NOTES,
    ),
    key=("competency",),
    description="Competencies an activity may need beyond a role's core training, with the "
    "time and fee to gain each.",
)
ACTIVITY_COMPETENCIES = TableSpec(
    "activity_competencies",
    (
        Column("activity", "str", description="activity id (data/assumptions/activities.csv)"),
        Column("competency", "str", description="competency id (competencies.csv)"),
        Column("source", "str", required=False, nullable=True, description="citation"),
        _NOTES,
    ),
    key=("activity", "competency"),
    description="The competencies each activity needs; whoever does the activity must hold "
    "them all. Activities not listed need only core skills.",
)
ROLE_COMPETENCIES = TableSpec(
    "role_competencies",
    (
        Column("role", "str", description="role id"),
        Column("competency", "str", description="competency id (competencies.csv)"),
        Column(
            "baseline",
            "int",
            min=0,
            max=1,
            description="1 if every qualified member of the role holds it, else 0",
        ),
        Column(
            "share_trained",
            "float",
            min=0,
            max=1,
            unit="fraction",
            description="share of current staff already holding it (when not baseline)",
        ),
        Column(
            "eligible",
            "int",
            min=0,
            max=1,
            description="1 if the role can ever hold it (scope of practice), else 0",
        ),
        Column(
            "course_days",
            "float",
            required=False,
            nullable=True,
            min=0,
            unit="days",
            description="role-specific course days, overriding competencies.csv",
        ),
        Column(
            "course_fee_gbp",
            "float",
            required=False,
            nullable=True,
            min=0,
            unit="GBP",
            description="role-specific course fee, overriding competencies.csv",
        ),
        _SOURCE,
        _NOTES,
    ),
    key=("role", "competency"),
    description="Which roles hold or can hold each competency. A missing (role, competency) "
    "row means the role can never hold it.",
)
PIPELINE = TableSpec(
    "pipeline",
    (
        Column("role", "str", description="role id"),
        Column(
            "training_years",
            "float",
            min=0,
            unit="years",
            description="years from a commissioned place to a qualified person in post "
            "(rounded up to whole years)",
        ),
        Column(
            "attrition_rate_in_training",
            "float",
            min=0,
            max=0.99,
            unit="fraction",
            description="share of a training cohort that does not complete",
        ),
        Column(
            "time_to_full_productivity_years",
            "float",
            min=0,
            unit="years",
            description="years of linear ramp to full productivity after qualifying",
        ),
        Column(
            "commitment_years",
            "float",
            min=0,
            unit="years",
            description="years a funded trainee commits to stay after qualifying",
        ),
        Column(
            "post_commitment_leaver_rate",
            "float",
            min=0,
            max=0.99,
            unit="fraction per year",
            description="leavers per year after the commitment period",
        ),
        _SOURCE,
        _NOTES,
    ),
    key=("role",),
    description="Training pipeline and retention terms by role.",
)
FTE_PER_HEAD = TableSpec(
    "fte_per_head",
    (
        Column("role", "str", description="role id"),
        Column(
            "fte_per_head",
            "float",
            min=0.05,
            max=1.5,
            unit="FTE per person",
            description="mean FTE per member of staff, to turn FTE into headcount",
        ),
        _SOURCE,
        _NOTES,
    ),
    key=("role",),
    description="Mean FTE per head by role.",
)

SKILLS_SPECS: dict[str, TableSpec] = {
    s.name: s
    for s in (COMPETENCIES, ACTIVITY_COMPETENCIES, ROLE_COMPETENCIES, PIPELINE, FTE_PER_HEAD)
}

_WORKLOAD = TableSpec(
    "workload",
    (
        Column("area", "str"),
        Column("year", "int", min=1900, max=2200),
        Column("activity", "str"),
        Column("role", "str"),
        Column("fte", "float", min=0, unit="FTE"),
    ),
    key=("area", "year", "activity", "role"),
    allow_extra=True,
)
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


def _row(i: int) -> int:
    return int(i) + 2


# --------------------------------------------------------------------------------------
# tables
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SkillsTables:
    """The validated competency and pipeline tables (see :data:`SKILLS_SPECS`)."""

    competencies: pd.DataFrame
    activity_competencies: pd.DataFrame
    role_competencies: pd.DataFrame
    pipeline: pd.DataFrame
    fte_per_head: pd.DataFrame

    def fph(self) -> pd.Series:
        """FTE per head indexed by role."""
        return self.fte_per_head.set_index("role")["fte_per_head"]


def skills_data_dir() -> Path:
    """The folder of the bundled skills tables (``data/skills`` of the source tree)."""
    from .data.paths import data_dir  # noqa: PLC0415

    return data_dir() / "skills"


def _cross_check(t: SkillsTables, sources: dict[str, str]) -> None:
    comps = set(t.competencies["competency"])
    for name, col in (("activity_competencies", "competency"), ("role_competencies", "competency")):
        df = getattr(t, name)
        bad = ~df[col].isin(comps).to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"unknown competency {df[col].iloc[i]!r}; expected one of "
                f"{sorted(comps)} (competencies.csv)",
                source=sources[name],
                row=_row(i),
                column=col,
            )
    rc = t.role_competencies
    bad = ((rc["baseline"] == 1) & (rc["eligible"] == 0)).to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"role {rc['role'].iloc[i]!r} holds {rc['competency'].iloc[i]!r} as baseline but is "
            "not eligible for it; expected eligible = 1 when baseline = 1",
            source=sources["role_competencies"],
            row=_row(i),
            column="eligible",
        )
    bad = ((rc["eligible"] == 0) & (rc["share_trained"] > 0)).to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"share_trained = {rc['share_trained'].iloc[i]:g} for a role that can never hold "
            f"{rc['competency'].iloc[i]!r} (eligible = 0); expected 0",
            source=sources["role_competencies"],
            row=_row(i),
            column="share_trained",
        )
    holdable = set(rc.loc[rc["eligible"] == 1, "competency"])
    ac = t.activity_competencies
    bad = (~ac["competency"].isin(holdable)).to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"activity {ac['activity'].iloc[i]!r} needs competency {ac['competency'].iloc[i]!r} "
            "but no role can ever hold it; expected at least one role with eligible = 1 in "
            "role_competencies",
            source=sources["activity_competencies"],
            row=_row(i),
            column="competency",
        )
    roles = set(t.fte_per_head["role"])
    for name in ("role_competencies", "pipeline"):
        df = getattr(t, name)
        bad = (~df["role"].isin(roles)).to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"role {df['role'].iloc[i]!r} has no FTE per head; expected a row for it in "
                "fte_per_head",
                source=sources[name],
                row=_row(i),
                column="role",
            )


def make_skills_tables(
    competencies: pd.DataFrame,
    activity_competencies: pd.DataFrame,
    role_competencies: pd.DataFrame,
    pipeline: pd.DataFrame,
    fte_per_head: pd.DataFrame,
) -> SkillsTables:
    """Validate five DataFrames against :data:`SKILLS_SPECS` and each other.

    Raises
    ------
    InputError
        On a schema error (negative training length, share trained above 1, ...), an unknown
        competency, a baseline competency a role is not eligible for, or a competency an
        activity needs that no role can ever hold; the message names table, row and column.
    """
    frames = dict(
        competencies=competencies,
        activity_competencies=activity_competencies,
        role_competencies=role_competencies,
        pipeline=pipeline,
        fte_per_head=fte_per_head,
    )
    checked = {k: validate_table(v, SKILLS_SPECS[k], source=k) for k, v in frames.items()}
    tables = SkillsTables(**checked)
    _cross_check(tables, {k: k for k in frames})
    return tables


def load_skills_tables(path: str | Path | None = None) -> SkillsTables:
    """Read and check the skills tables (``competencies.csv``, ``activity_competencies.csv``,
    ``role_competencies.csv``, ``pipeline.csv``, ``fte_per_head.csv``).

    Parameters
    ----------
    path
        Folder holding the five CSV files; the bundled ``data/skills`` by default.

    Returns
    -------
    SkillsTables
    """
    folder = Path(path) if path is not None else skills_data_dir()
    files = {name: folder / f"{name}.csv" for name in SKILLS_SPECS}
    checked = {k: read_csv_checked(f, SKILLS_SPECS[k]) for k, f in files.items()}
    tables = SkillsTables(**checked)
    _cross_check(tables, {k: str(f) for k, f in files.items()})
    return tables


def check_activities(tables: SkillsTables, activities: pd.DataFrame | list[str]) -> None:
    """Check that every activity in ``activity_competencies`` is a known activity id.

    Parameters
    ----------
    activities
        The activities table (with an ``activity`` column) or a list of activity ids.
    """
    ids = set(activities["activity"] if isinstance(activities, pd.DataFrame) else activities)
    ac = tables.activity_competencies
    bad = (~ac["activity"].isin(ids)).to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"unknown activity {ac['activity'].iloc[i]!r}; expected an id of the activities table",
            source="activity_competencies",
            row=_row(i),
            column="activity",
        )


# --------------------------------------------------------------------------------------
# training needs
# --------------------------------------------------------------------------------------
def _check_eligible_shares(skill_mix: pd.DataFrame, tables: SkillsTables) -> None:
    """A role given a future share of an activity must be eligible for its competencies."""
    sm = validate_table(
        skill_mix,
        TableSpec(
            "skill_mix",
            (
                Column("activity", "str"),
                Column("role", "str"),
                Column("current", "float", min=0, max=1),
                Column("future", "float", min=0, max=1),
            ),
            allow_extra=True,
        ),
        source="skill_mix",
    )
    sm["_row"] = np.arange(len(sm)) + 2
    m = sm.merge(tables.activity_competencies[["activity", "competency"]], on="activity")
    m = m.merge(
        tables.role_competencies[["role", "competency", "eligible"]],
        on=["role", "competency"],
        how="left",
    )
    for col in ("future", "current"):
        bad = (m[col] > 0) & (m["eligible"].fillna(0) != 1)
        if bad.any():
            r = m.loc[bad].sort_values("_row").iloc[0]
            raise InputError(
                f"role {r['role']!r} has a {col} share {r[col]:g} of activity {r['activity']!r}, "
                f"which needs competency {r['competency']!r}, but the role can never hold it "
                "(role_competencies eligible = 0 or no row); move the share to an eligible role",
                source="skill_mix",
                row=int(r["_row"]),
                column=col,
            )


def _check_workload(df: pd.DataFrame, source: str) -> pd.DataFrame:
    """Fast checks of a (possibly very long) workload frame; rows with the same key add up."""
    need = ["area", "year", "activity", "role", "fte"]
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise InputError(f"missing column(s) {missing}; expected columns {need}", source=source)
    if len(df) == 0:
        raise InputError("the table is empty; expected at least one row", source=source)
    for c in ("area", "activity", "role"):
        na = df[c].isna().to_numpy()
        if na.any():
            i = int(np.flatnonzero(na)[0])
            raise InputError("empty value; expected text", source=source, row=_row(i), column=c)
    for c, lo in (("fte", 0.0), ("year", 1900.0)):
        v = pd.to_numeric(df[c], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(v) | (v < lo)
        if c == "year":
            bad |= np.isfinite(v) & (v != np.round(v))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            what = "a whole year" if c == "year" else "a finite number >= 0"
            raise InputError(
                f"value {df[c].iloc[i]!r}; expected {what}", source=source, row=_row(i), column=c
            )
    return df


@dataclass
class _Dense:
    """Workload needing each (role, competency) pair ``j`` as arrays over (area, year, j)."""

    areas: np.ndarray  # (A,)
    years: np.ndarray  # (T,)
    roles: np.ndarray  # (R,)
    pair_role: np.ndarray  # (J,) role code of pair j
    pair_comp: np.ndarray  # (J,) competency name of pair j
    comp_fte: list[np.ndarray]  # per frame: (A, T, J) FTE on work needing the competency
    role_fte: list[np.ndarray]  # per frame: (A, T, R)
    present: np.ndarray  # (A, J): the area has work needing the pair in some frame and year


def _dense(frames: list[tuple[pd.DataFrame, str]], tables: SkillsTables) -> _Dense:
    frames = [(_check_workload(df, src), src) for df, src in frames]
    cat = {
        c: pd.Index(pd.unique(np.concatenate([df[c].astype(str).to_numpy() for df, _ in frames])))
        for c in ("area", "activity", "role")
    }
    cat = {c: ix.sort_values() for c, ix in cat.items()}
    years = np.sort(
        pd.unique(np.concatenate([pd.to_numeric(df["year"]).to_numpy() for df, _ in frames]))
    )
    years = years.astype(np.int64)
    A, T, R, K = len(cat["area"]), len(years), len(cat["role"]), len(cat["activity"])
    # (role, activity) -> (role, competency) pairs
    ac = tables.activity_competencies[["activity", "competency"]]
    acts = pd.DataFrame({"activity": np.asarray(cat["activity"]), "k": np.arange(K)})
    link = acts.merge(ac, on="activity")  # k, competency
    codes = []
    for df, _ in frames:
        codes.append(
            (
                cat["area"].get_indexer(df["area"].astype(str)),
                np.searchsorted(years, pd.to_numeric(df["year"]).to_numpy().astype(np.int64)),
                cat["role"].get_indexer(df["role"].astype(str)),
                cat["activity"].get_indexer(df["activity"].astype(str)),
                pd.to_numeric(df["fte"]).to_numpy(dtype=float),
            )
        )
    rk = np.unique(np.concatenate([r * K + k for _, _, r, k, _ in codes]))
    rk = pd.DataFrame({"rk": rk, "r": rk // K, "k": rk % K}).merge(link, on="k")
    rk["role"] = np.asarray(cat["role"])[rk["r"].to_numpy()]
    pairs = rk[["role", "competency"]].drop_duplicates().sort_values(["role", "competency"])
    pairs = pairs.reset_index(drop=True)
    J = len(pairs)
    rk = rk.merge(pairs.reset_index().rename(columns={"index": "j"}), on=["role", "competency"])
    # eligibility of every pair that carries work
    el = pairs.merge(tables.role_competencies[["role", "competency", "eligible"]], how="left")
    ok = el["eligible"].fillna(0).to_numpy() == 1
    # sparse (role-activity) x pair matrix as index arrays
    rk_codes = rk["rk"].to_numpy()
    comp_fte, role_fte, present = [], [], np.zeros((A, J), dtype=bool)
    for (a, t, r, k, f), (df, src) in zip(codes, frames, strict=True):
        role_fte.append(
            np.bincount((a * T + t) * R + r, weights=f, minlength=A * T * R).reshape(A, T, R)
        )
        row_rk = r * K + k
        # rows of (role, activity) that need competencies: expand to their pairs
        order = np.argsort(rk_codes, kind="stable")
        srt = rk_codes[order]
        lo = np.searchsorted(srt, row_rk, side="left")
        hi = np.searchsorted(srt, row_rk, side="right")
        n = hi - lo
        rows = np.repeat(np.arange(len(a)), n)
        off = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
        jj = rk["j"].to_numpy()[order][np.repeat(lo, n) + off]
        bad = (f[rows] > 0) & ~ok[jj]
        if bad.any():
            i = int(rows[np.flatnonzero(bad)[0]])
            j = int(jj[np.flatnonzero(bad)[0]])
            raise InputError(
                f"role {df['role'].iloc[i]!r} does {f[i]:.3g} FTE of activity "
                f"{df['activity'].iloc[i]!r} in {df['area'].iloc[i]} {int(years[t[i]])}, which needs "
                f"competency {pairs['competency'].iloc[j]!r}, but the role can never hold it "
                "(eligible = 0 or no row in role_competencies)",
                source=src,
                row=_row(i),
                column="role",
            )
        flat = (a[rows] * T + t[rows]) * J + jj
        comp_fte.append(np.bincount(flat, weights=f[rows], minlength=A * T * J).reshape(A, T, J))
        present[a[rows], jj] = True
    return _Dense(
        areas=np.asarray(cat["area"], dtype=object),
        years=years,
        roles=np.asarray(cat["role"], dtype=object),
        pair_role=cat["role"].get_indexer(pairs["role"]),
        pair_comp=pairs["competency"].to_numpy(dtype=object),
        comp_fte=comp_fte,
        role_fte=role_fte,
        present=present,
    )


def _tidy(d: _Dense, cols: dict[str, np.ndarray]) -> pd.DataFrame:
    """Rows (area, year, pair) where the pair is present, from (A, T, J) arrays."""
    A, T, J = len(d.areas), len(d.years), len(d.pair_role)
    ia, ij = np.nonzero(d.present)  # sorted by area then pair
    n = len(ia)
    a = np.repeat(ia, T).reshape(n, T).T.ravel()  # order: area, year, pair
    t = np.repeat(np.arange(T), n)
    j = np.tile(ij, T)
    # reorder to area, year, pair
    order = np.lexsort((j, t, a))
    a, t, j = a[order], t[order], j[order]
    out = pd.DataFrame(
        {
            "area": d.areas[a],
            "year": d.years[t],
            "role": d.roles[d.pair_role[j]],
            "competency": d.pair_comp[j],
        }
    )
    for name, arr in cols.items():
        out[name] = np.broadcast_to(arr, (A, T, J))[a, t, j]
    return out


def competency_workload(workload: pd.DataFrame, tables: SkillsTables) -> pd.DataFrame:
    """FTE of each role spent on activities needing each competency.

    Parameters
    ----------
    workload
        ``area, year, activity, role, fte`` (the engine's workload by activity); rows with
        the same key add up.
    tables
        The skills tables.

    Returns
    -------
    pandas.DataFrame
        ``area, year, role, competency, fte`` (an activity needing two competencies counts
        towards both), and ``role_fte``, the role's FTE over all activities.

    Raises
    ------
    InputError
        If a role does work needing a competency it can never hold.
    """
    d = _dense([(workload, "workload")], tables)
    return _tidy(d, {"fte": d.comp_fte[0], "role_fte": d.role_fte[0][:, :, d.pair_role]})


def training_needs(
    workload: pd.DataFrame,
    tables: SkillsTables,
    *,
    baseline: pd.DataFrame | None = None,
    skill_mix: pd.DataFrame | None = None,
    current_fte: pd.DataFrame | None = None,
    share_of_time: float = 1.0,
) -> pd.DataFrame:
    """Training needs analysis: staff who must hold each competency, already trained, gap.

    Parameters
    ----------
    workload
        The scenario's workload by activity and role: ``area, year, activity, role, fte``.
        Its first year is the base year.
    tables
        The skills tables (:func:`load_skills_tables`).
    baseline
        Workload under today's who-does-what for the same demand (same columns). Staff that
        today's model would need are taken as already trained (recruited or trained as
        business as usual), so only the change of skill mix creates a training need. If not
        given, the base year of ``workload`` stands for today's model, held flat.
    skill_mix
        Optional skill-mix table (``activity, role, current, future``), checked so that no
        role is given a share of an activity needing a competency it can never hold.
    current_fte
        Staff in post in the base year (``area, role, fte``); by default the base-year FTE of
        each role in ``workload``.
    share_of_time
        Share of a trained person's time spent on work needing the competency (0-1]; 1 gives
        the fewest heads, 0.5 doubles them. Heads are capped at the role's headcount.

    Returns
    -------
    pandas.DataFrame
        One row per ``area, year, role, competency``: ``need_heads``, ``need_fte`` (staff who
        must hold the competency), ``trained_heads``, ``trained_fte`` (already holding it:
        today's trained staff or today's model's need), ``shortfall_heads``, ``shortfall_fte``
        (``max(0, need - trained)``), ``to_train_heads`` (trained in the year; trained staff
        stay trained, so the sum over years is the largest gap) and ``cum_trained_heads``.

    Raises
    ------
    InputError
        On a malformed workload, a role without FTE per head, a role given work needing a
        competency it can never hold, or ``share_of_time`` outside (0, 1].
    """
    if not (0 < share_of_time <= 1):
        raise InputError(
            f"share_of_time = {share_of_time:g}; expected a value in (0, 1]",
            column="share_of_time",
        )
    if skill_mix is not None:
        _check_eligible_shares(skill_mix, tables)
    frames = [(workload, "workload")]
    if baseline is not None:
        frames.append((baseline, "baseline"))
    d = _dense(frames, tables)
    fph = tables.fph()
    missing = sorted(set(d.roles) - set(fph.index))
    if missing:
        raise InputError(
            f"roles {missing} have no FTE per head; expected rows in fte_per_head",
            source="fte_per_head",
            column="role",
        )
    f_r = fph.reindex(d.roles).to_numpy(dtype=float)  # (R,)
    f_j = f_r[d.pair_role]  # (J,)

    def heads(i: int) -> np.ndarray:
        cap = d.role_fte[i][:, :, d.pair_role]
        return np.minimum(d.comp_fte[i] / share_of_time, cap) / f_j

    need = heads(0)  # (A, T, J)
    base = heads(1) if baseline is not None else need[:, :1, :]
    # staff in post today by area and role
    if current_fte is None:
        cur = d.role_fte[0][:, 0, :]  # (A, R): base year of the scenario
    else:
        cf = validate_table(
            current_fte,
            TableSpec(
                "current_fte",
                (Column("area", "str"), Column("role", "str"), Column("fte", "float", min=0)),
                key=("area", "role"),
                allow_extra=True,
            ),
            source="current_fte",
        )
        cur = np.zeros((len(d.areas), len(d.roles)))
        ia = pd.Index(d.areas).get_indexer(cf["area"])
        ir = pd.Index(d.roles).get_indexer(cf["role"])
        keep = (ia >= 0) & (ir >= 0)
        cur[ia[keep], ir[keep]] = cf["fte"].to_numpy()[keep]
    rc = pd.DataFrame({"role": d.roles[d.pair_role], "competency": d.pair_comp}).merge(
        tables.role_competencies[["role", "competency", "baseline", "share_trained"]],
        how="left",
    )
    share = rc["share_trained"].fillna(0.0).to_numpy()
    is_base = rc["baseline"].fillna(0).to_numpy() == 1
    stock = cur[:, d.pair_role] / f_j * share  # (A, J)
    covered = np.maximum(stock[:, None, :], base)
    covered = np.where(is_base, np.maximum(covered, need), covered)
    gap = np.maximum(need - covered, 0.0)
    cum = np.maximum.accumulate(gap, axis=1)
    to_train = np.diff(cum, axis=1, prepend=0.0)
    return _tidy(
        d,
        {
            "need_heads": need,
            "need_fte": need * f_j,
            "trained_heads": covered,
            "trained_fte": covered * f_j,
            "shortfall_heads": gap,
            "shortfall_fte": gap * f_j,
            "to_train_heads": to_train,
            "cum_trained_heads": cum,
        },
    )


# --------------------------------------------------------------------------------------
# training time and cost
# --------------------------------------------------------------------------------------
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
    """The ``role_rates`` table of a model result (central run).

    Any object with ``roles``, ``cost_per_fte`` ``(D, R)`` and ``awt_hours`` ``(D, R)``
    attributes works, such as :class:`wfkit.engine.ModelResult`.
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
    missing = sorted(set(needs["role"]) - set(rates["role"]))
    if missing:
        raise InputError(
            f"roles {missing} have no cost per hour; expected rows in role_rates",
            source="role_rates",
            column="role",
        )
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


# --------------------------------------------------------------------------------------
# retention
# --------------------------------------------------------------------------------------
def retention_curve(
    years_in_post: np.ndarray, commitment_years: np.ndarray | float, leaver_rate: np.ndarray | float
) -> np.ndarray:
    """Share of a trained cohort still in post ``j`` years after qualifying (year 0 = the
    first year in post): 1 during the commitment period, then ``(1 - leaver_rate)`` a year.

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
    """Expected trained capacity still in post, given commitment terms and leavers.

    Parameters
    ----------
    cohorts
        One row per cohort: ``year`` (first year in post after training), ``role``, the heads
        trained (column ``heads_col``) and any other key columns (``area``, ``competency``).
        The output of :func:`training_needs` works with ``heads_col="to_train_heads"``.
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
    missing = sorted(set(co["role"]) - set(pipe.index))
    if missing:
        raise InputError(
            f"roles {missing} have no retention terms; expected rows in pipeline",
            source="pipeline",
            column="role",
        )
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


# --------------------------------------------------------------------------------------
# pipeline of new roles
# --------------------------------------------------------------------------------------
def pipeline_inputs(results: pd.DataFrame, scenario: str | None = None) -> pd.DataFrame:
    """Required and supplied FTE by area, year and role from tidy model results.

    Parameters
    ----------
    results
        Long results with ``area, year, role, measure, value`` (and ``scenario``), as from
        :meth:`wfkit.engine.ModelResult.to_frame`; ``role == "all"`` rows are dropped.
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
    missing = sorted(set(req["role"]) - set(pipe.index))
    if missing:
        raise InputError(
            f"roles {missing} have no training pipeline; expected rows in pipeline",
            source="pipeline",
            column="role",
        )
    years = np.sort(req["year"].unique()).astype(np.int64)
    if len(years) > 1 and np.any(np.diff(years) != 1):
        raise InputError(
            f"years {years.tolist()} are not consecutive; expected one row a year",
            source="required",
            column="year",
        )
    dup = req.duplicated(["area", "role", "year"]).to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        raise InputError(
            "duplicate (area, role, year); expected each once",
            source="required",
            row=_row(i),
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
    j = np.arange(T, dtype=float)[None, :]  # years in post
    q = np.minimum(1.0, (j + 1.0) / (p[:, None] + 1.0))
    ret = retention_curve(j, cy[:, None], lr[:, None])
    e = f[:, None] * q * ret  # (N, T) FTE per qualified head in year j in post
    h = ret  # heads per qualified head
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


# --------------------------------------------------------------------------------------
# charts
# --------------------------------------------------------------------------------------
def chart_training_needs(needs: pd.DataFrame, role: str, measure: str = "to_train_heads"):
    """Altair chart of one role's training needs by year and competency (summed over areas).

    Parameters
    ----------
    needs
        Output of :func:`training_needs` or :func:`training_cost`.
    role
        The role to show.
    measure
        Column to stack (default heads to train; ``shortfall_heads``, ``cost_gbp``, ``fte_lost``...).

    Returns
    -------
    altair.Chart
        Stacked bars by year coloured by competency; the chart embeds only the aggregate.
    """
    import altair as alt

    if measure not in needs.columns:
        raise InputError(
            f"no column {measure!r}; expected one of {list(needs.columns)}", column="measure"
        )
    sub = needs.loc[needs["role"] == role]
    if sub.empty:
        raise InputError(
            f"no rows for role {role!r}; roles are {sorted(set(needs['role']))}", column="role"
        )
    cols = [
        c
        for c in ("need_heads", "trained_heads", "shortfall_heads", "to_train_heads", "cost_gbp")
        if c in sub.columns and c != measure
    ]
    agg = sub.groupby(["year", "competency"], as_index=False, sort=True)[[measure, *cols]].sum()
    return (
        alt.Chart(agg, title=f"Training needs: {role.replace('_', ' ')}")
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="Year"),
            y=alt.Y(f"{measure}:Q", title=measure.replace("_", " ")),
            color=alt.Color("competency:N", title="Competency"),
            tooltip=[
                "year:O",
                "competency:N",
                *[alt.Tooltip(f"{c}:Q", format=",.1f") for c in (measure, *cols)],
            ],
        )
    )


def chart_pipeline(plan: pd.DataFrame, role: str):
    """Altair chart of training places to commission for one role, by commissioning year
    (summed over areas), coloured red where the plan cannot be met in time.

    Returns
    -------
    altair.Chart
    """
    import altair as alt

    sub = plan.loc[plan["role"] == role]
    if sub.empty:
        raise InputError(
            f"no rows for role {role!r}; roles are {sorted(set(plan['role']))}", column="role"
        )
    agg = sub.groupby("commission_year", as_index=False, sort=True).agg(
        places=("places", "sum"), unmet_fte=("unmet_fte", "sum"), cannot_meet=("cannot_meet", "any")
    )
    agg["status"] = np.where(agg["cannot_meet"], "too late to train", "on time")
    return (
        alt.Chart(agg, title=f"Training places to commission: {role.replace('_', ' ')}")
        .mark_bar()
        .encode(
            x=alt.X("commission_year:O", title="Year places are commissioned"),
            y=alt.Y("places:Q", title="Places"),
            color=alt.Color(
                "status:N",
                title="",
                scale=alt.Scale(
                    domain=["on time", "too late to train"], range=["#005EB8", "#DA291C"]
                ),
            ),
            tooltip=[
                "commission_year:O",
                alt.Tooltip("places:Q", format=",.1f"),
                alt.Tooltip("unmet_fte:Q", format=",.2f"),
                "status:N",
            ],
        )
    )
