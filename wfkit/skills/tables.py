"""The skills tables: competencies, who holds them, the training pipeline, FTE per head.

The five table specs (:data:`SKILLS_SPECS`), the validated :class:`SkillsTables`, and the
cross-checks run on loading (:func:`make_skills_tables`, :func:`load_skills_tables`): every
competency named is known, a baseline competency is one the role is eligible for, a role that
can never hold a competency has no trained staff in it, every competency an activity needs can
be held by some role, and every role has an FTE per head.  The bundled tables are in
``data/skills/`` with a data dictionary and citations.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import cache
from ..data.loader import fingerprint
from ..data.paths import data_dir
from ..data.schemas import ROLE_IDS
from ..errors import InputError
from ..input_files import read_csv_checked
from ..validation import Column, TableSpec, first_bad_row, validate_table

__all__ = [
    "ROLES",
    "COMPETENCIES",
    "ACTIVITY_COMPETENCIES",
    "ROLE_COMPETENCIES",
    "PIPELINE",
    "FTE_PER_HEAD",
    "SKILLS_SPECS",
    "SkillsTables",
    "skills_data_dir",
    "make_skills_tables",
    "load_skills_tables",
]

#: the role ids of the bundled data (one list, kept in wfkit.data)
ROLES: tuple[str, ...] = tuple(ROLE_IDS)

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


def require_roles(roles: Iterable[str], known: Iterable[str], what: str, table: str) -> None:
    """Every role in ``roles`` must have a row in ``table`` (whose roles are ``known``)."""
    missing = sorted(set(roles) - set(known))
    if missing:
        raise InputError(
            f"roles {missing} have no {what}; expected rows in {table}",
            source=table,
            column="role",
        )


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
    """Return the folder of the bundled skills tables (``data/skills`` of the source tree)."""
    return data_dir() / "skills"


def _cross_check(t: SkillsTables, sources: dict[str, str]) -> None:
    comps = set(t.competencies["competency"])
    for name in ("activity_competencies", "role_competencies"):
        df = getattr(t, name)
        first_bad_row(
            ~df["competency"].isin(comps).to_numpy(),
            lambda i, df=df: (
                f"unknown competency {df['competency'].iloc[i]!r}; expected one of "
                f"{sorted(comps)} (competencies.csv)"
            ),
            source=sources[name],
            column="competency",
        )
    rc = t.role_competencies
    first_bad_row(
        ((rc["baseline"] == 1) & (rc["eligible"] == 0)).to_numpy(),
        lambda i: (
            f"role {rc['role'].iloc[i]!r} holds {rc['competency'].iloc[i]!r} as baseline "
            "but is not eligible for it; expected eligible = 1 when baseline = 1"
        ),
        source=sources["role_competencies"],
        column="eligible",
    )
    first_bad_row(
        ((rc["eligible"] == 0) & (rc["share_trained"] > 0)).to_numpy(),
        lambda i: (
            f"share_trained = {rc['share_trained'].iloc[i]:g} for a role that can never "
            f"hold {rc['competency'].iloc[i]!r} (eligible = 0); expected 0"
        ),
        source=sources["role_competencies"],
        column="share_trained",
    )
    holdable = set(rc.loc[rc["eligible"] == 1, "competency"])
    ac = t.activity_competencies
    first_bad_row(
        (~ac["competency"].isin(holdable)).to_numpy(),
        lambda i: (
            f"activity {ac['activity'].iloc[i]!r} needs competency "
            f"{ac['competency'].iloc[i]!r} but no role can ever hold it; expected at least one role "
            "with eligible = 1 in role_competencies"
        ),
        source=sources["activity_competencies"],
        column="competency",
    )
    roles = set(t.fte_per_head["role"])
    for name in ("role_competencies", "pipeline"):
        df = getattr(t, name)
        first_bad_row(
            (~df["role"].isin(roles)).to_numpy(),
            lambda i, df=df: (
                f"role {df['role'].iloc[i]!r} has no FTE per head; expected a row "
                "for it in fte_per_head"
            ),
            source=sources[name],
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
    """Read and check the skills tables.

    The tables are ``competencies.csv``, ``activity_competencies.csv``,
    ``role_competencies.csv``, ``pipeline.csv`` and ``fte_per_head.csv``.

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
    if path is not None:
        return _read_and_check(files)
    parts = cache.read_through(
        "skills",
        lambda: _cache_key(files),
        list(files),
        lambda: vars(_read_and_check(files)),  # only tables that passed every check are kept
    )
    return SkillsTables(**parts)


def _read_and_check(files: dict[str, Path]) -> SkillsTables:
    """Read the skills tables from ``files`` and check them, alone and against each other."""
    tables = SkillsTables(**{k: read_csv_checked(f, SKILLS_SPECS[k]) for k, f in files.items()})
    _cross_check(tables, {k: str(f) for k, f in files.items()})
    return tables


def _cache_key(files: dict[str, Path]) -> str | None:
    """Return the on-disk cache key of the bundled skills tables.

    Keyed by the files' bytes and wfkit's source; ``None`` with a file unreadable (then
    the read reports it).
    """
    try:
        parts = [
            (k, hashlib.blake2b(f.read_bytes(), digest_size=12).hexdigest())
            for k, f in files.items()
        ]
    except OSError:
        return None
    return cache.key(fingerprint(), "skills", *parts)
