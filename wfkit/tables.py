"""The engine's input tables: one schema each, shared by scenario files and bundled data.

All assumption tables are *long*: key columns, then ``value`` with an optional 80%
interval ``lo``/``hi``, then ``unit``, ``source`` (a citation) and ``notes``.  A row with
``lo``/``hi`` is uncertain; a row without is a point value.

Age bands are the 19 five-year bands of ONS projections: ``0-4``, ``5-9``, ... ``85-89``,
``90+`` (see :data:`AGE_BANDS`).  In ``prevalence`` and ``contacts`` the band ``all``
stands for every band.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .settings import GROWTH_RATE
from .validation import Column, Range, TableSpec, first_bad_row

__all__ = [
    "AGE_BANDS",
    "ASSUMPTION_TABLES",
    "INPUT_TABLES",
    "OVERRIDE_TABLES",
    "REQUIRED_TABLES",
    "ABSENCE_DAYS",
    "CAPACITY_PARAMETERS",
    "check_working_year",
    "COST_PARAMETERS",
    "REQUIRED_COST_PARAMETERS",
    "PAY_AWARDS",
    "FLOW_PARAMETERS",
    "PARAMETER_RANGES",
    "GROWTH_RATE_RANGE",
    "SPECS",
    "POPULATION",
    "GROWTH",
    "ACTIVITIES",
    "PREVALENCE",
    "CONTACTS",
    "SKILL_MIX",
    "MINUTES",
    "CAPACITY",
    "COSTS",
    "SUPPLY",
    "FLOWS",
]

AGE_BANDS: tuple[str, ...] = tuple(f"{a}-{a + 4}" for a in range(0, 90, 5)) + ("90+",)

#: parameters of the ``capacity`` table (available working time and WISN allowances)
CAPACITY_PARAMETERS: dict[str, str] = {
    "hours_per_week": "contracted hours per week for 1.0 FTE",
    "days_per_week": "working days per week for 1.0 FTE (hours per day = hours_per_week / days_per_week)",
    "weeks_per_year": "weeks in the year (52.14)",
    "annual_leave_days": "annual leave days per FTE per year",
    "bank_holiday_days": "public holidays per FTE per year",
    "sickness_days": "sickness absence days per FTE per year",
    "training_days": "study and training days per FTE per year",
    "other_days": "other absence days per FTE per year",
    "cas_fraction": "WISN category allowance: fraction of working time on non-patient work",
    "ias_hours": "WISN individual allowance: hours per year per area for named duties",
}
#: parameters of the ``costs`` table
COST_PARAMETERS: dict[str, str] = {
    "salary": "annual pay per FTE, GBP",
    "oncost_rate": "employer on-costs as a fraction of pay (NI + pension)",
    "pay_award_2026_27": "pay award from April 2026 as a fraction of `salary` (optional, 0 where "
    "a role has no row): `salary` is raised by it when the base year is 2026 or later",
}
#: the cost parameters every role must have (the others are optional)
REQUIRED_COST_PARAMETERS: tuple[str, ...] = ("salary", "oncost_rate")
#: an optional pay award and the first base year it applies to
PAY_AWARDS: dict[str, int] = {"pay_award_2026_27": 2026}
#: parameters of the ``flows`` table
FLOW_PARAMETERS: dict[str, str] = {
    "joiner_rate": "joiners per year as a fraction of staff in post",
    "leaver_rate": "leavers (incl. retirements) per year as a fraction of staff in post",
}

#: valid range of each parameter of capacity, costs and flows (value, lo and hi alike):
#: what a real input can be (a full-time contract of 1e-300 hours a week is no input, and
#: it made requirements of 1e300 FTE and infinite costs)
PARAMETER_RANGES: dict[str, Range] = {
    "hours_per_week": Range(1, 80),
    "days_per_week": Range(0.5, 7),
    "weeks_per_year": Range(1, 53),
    "annual_leave_days": Range(0, 365),
    "bank_holiday_days": Range(0, 365),
    "sickness_days": Range(0, 365),
    "training_days": Range(0, 365),
    "other_days": Range(0, 365),
    "cas_fraction": Range(0, 0.9),
    "ias_hours": Range(0, 2000),
    "salary": Range(0, 1e6),
    "oncost_rate": Range(0, 1),
    "pay_award_2026_27": Range(0, 0.5),
    "joiner_rate": Range(0, 1),
    "leaver_rate": Range(0, 1),
}
#: valid range of a scenario's annual ``growth_rate`` (a fraction: 0.02 is 2% a year),
#: as its declaration (:data:`wfkit.settings.GROWTH_RATE`) gives it
GROWTH_RATE_RANGE = Range(GROWTH_RATE.lo, GROWTH_RATE.hi)


def _value_cols(lo: float | None = 0, hi: float | None = None, lo_open: bool = False):
    def bound(name: str, which: str) -> Column:
        return Column(
            name,
            "float",
            required=False,
            nullable=True,
            min=lo,
            max=hi,
            min_open=lo_open,
            description=f"80% interval, {which}",
        )

    return (
        Column("value", "float", min=lo, max=hi, min_open=lo_open, description="central value"),
        bound("lo", "low"),
        bound("hi", "high"),
        Column("unit", "str", required=False, nullable=True),
        Column("source", "str", required=False, nullable=True, description="citation"),
        Column("source_year", "str", required=False, nullable=True),
        Column("notes", "str", required=False, nullable=True),
    )


# capacity, costs and flows: the range is the parameter's (PARAMETER_RANGES); the column's
# own range is the widest of them
_VALUE = _value_cols(0, 1e6)
_BANDS = frozenset(AGE_BANDS) | {"all"}

POPULATION = TableSpec(
    "population",
    (
        Column("area", "str", description="area code"),
        Column("age_band", "str", allowed=frozenset(AGE_BANDS)),
        Column(
            "population",
            "float",
            min=0,
            max=1e8,
            unit="people",
            description="base-year population",
        ),
    ),
    key=("area", "age_band"),
    description="Registered (or resident) population by area and age band in the base year.",
)
GROWTH = TableSpec(
    "growth",
    (
        Column("area", "str"),
        Column("year", "int", min=1900, max=2200),
        Column("age_band", "str", allowed=frozenset(AGE_BANDS)),
        Column(
            "factor",
            "float",
            min=0,
            max=10,
            min_open=True,
            unit="ratio",
            description="population relative to the base year",
        ),
    ),
    key=("area", "year", "age_band"),
    description="Population growth factor by area, year and age band (1 in the base year).",
)
ACTIVITIES = TableSpec(
    "activities",
    (
        Column("activity", "str"),
        Column("description", "str", required=False, nullable=True),
        Column(
            "cohort", "str", required=False, nullable=True, description="who the activity is for"
        ),
        Column(
            "trend",
            "float",
            required=False,
            nullable=True,
            min=0,
            max=2,
            min_open=True,
            unit="ratio per year",
            description="annual change in prevalence, e.g. 1.02",
        ),
        Column("source", "str", required=False, nullable=True),
    ),
    key=("activity",),
    description="The activities (care processes, consultation types) in the model.",
)
PREVALENCE = TableSpec(
    "prevalence",
    (
        Column(
            "area", "str", required=False, nullable=True, description="area code; empty = national"
        ),
        Column("activity", "str"),
        Column("age_band", "str", allowed=_BANDS),
        *_value_cols(0, 1),
    ),
    key=("area", "activity", "age_band"),
    description="Fraction of the population in each activity's cohort, by age band "
    "(1 for whole-population activities). An optional 'area' column gives area-specific rows.",
)
CONTACTS = TableSpec(
    "contacts",
    (
        Column("activity", "str"),
        Column("age_band", "str", allowed=_BANDS),
        *_value_cols(0, 1000),
    ),
    key=("activity", "age_band"),
    description="Contacts per person in the cohort per year, by age band.",
)
SKILL_MIX = TableSpec(
    "skill_mix",
    (
        Column("activity", "str"),
        Column("role", "str"),
        Column(
            "current",
            "float",
            min=0,
            max=1,
            description="share of the activity done by the role today",
        ),
        Column("future", "float", min=0, max=1, description="share in the future model"),
        Column("source", "str", required=False, nullable=True),
        Column("notes", "str", required=False, nullable=True),
    ),
    key=("activity", "role"),
    description="Who does what: shares of each activity by role, today and in the future model; "
    "each activity's shares sum to 1.",
)
MINUTES = TableSpec(
    "minutes",
    (Column("activity", "str"), Column("role", "str"), *_value_cols(0, 1440, lo_open=True)),
    key=("activity", "role"),
    description="Minutes per contact by activity and role.",
)
CAPACITY = TableSpec(
    "capacity",
    (
        Column("role", "str"),
        Column("parameter", "str", allowed=frozenset(CAPACITY_PARAMETERS)),
        *_VALUE,
    ),
    key=("role", "parameter"),
    param_ranges=tuple((k, PARAMETER_RANGES[k]) for k in CAPACITY_PARAMETERS),
    description="Available working time and WISN allowances by role. The role list of a model is "
    "the roles of this table.",
)
COSTS = TableSpec(
    "costs",
    (
        Column("role", "str"),
        Column("parameter", "str", allowed=frozenset(COST_PARAMETERS)),
        *_VALUE,
    ),
    key=("role", "parameter"),
    param_ranges=tuple((k, PARAMETER_RANGES[k]) for k in COST_PARAMETERS),
    description="Pay and employer on-costs by role.",
)
SUPPLY = TableSpec(
    "supply",
    (
        Column("area", "str"),
        Column("role", "str"),
        Column("fte", "float", min=0, max=1e6, unit="FTE"),
    ),
    key=("area", "role"),
    description="Staff in post (FTE) by area and role in the base year.",
)
FLOWS = TableSpec(
    "flows",
    (
        Column("role", "str"),
        Column("parameter", "str", allowed=frozenset(FLOW_PARAMETERS)),
        *_VALUE,
    ),
    key=("role", "parameter"),
    param_ranges=tuple((k, PARAMETER_RANGES[k]) for k in FLOW_PARAMETERS),
    description="Joiner and leaver rates by role, used to roll supply forward.",
)

#: the assumption tables (not tied to an area): bundled under ``data/assumptions/``
ASSUMPTION_TABLES: tuple[str, ...] = (
    "activities",
    "prevalence",
    "contacts",
    "skill_mix",
    "minutes",
    "capacity",
    "costs",
    "flows",
)

#: tables every scenario needs: the area tables and the assumptions
REQUIRED_TABLES: tuple[str, ...] = ("population", "supply", *ASSUMPTION_TABLES)
#: every input table a scenario may name (``growth`` is optional): the one list of table names
INPUT_TABLES: tuple[str, ...] = (*REQUIRED_TABLES, "growth")
#: tables a scenario may change row by row (``overrides:``): every input table but the
#: activity catalogue and the growth table
OVERRIDE_TABLES: tuple[str, ...] = tuple(
    t for t in INPUT_TABLES if t not in ("activities", "growth")
)

SPECS: dict[str, TableSpec] = {
    s.name: s
    for s in (
        POPULATION,
        GROWTH,
        ACTIVITIES,
        PREVALENCE,
        CONTACTS,
        SKILL_MIX,
        MINUTES,
        CAPACITY,
        COSTS,
        SUPPLY,
        FLOWS,
    )
}


def describe_markdown() -> str:
    """Return the input-table reference as Markdown.

    Written to ``docs/tables.md``; a test keeps it in step.
    """
    lines = [
        "# Input tables",
        "",
        "Generated from `wfkit/tables.py` by `python -m wfkit.tables > docs/tables.md`; a test checks",
        "it is up to date. Assumption tables are long: key columns, `value`, an optional 80% interval",
        "`lo`/`hi`, and `unit`, `source` (a citation), `source_year`, `notes`.",
        "",
        f"Age bands: {', '.join(f'`{b}`' for b in AGE_BANDS)} (and `all` in prevalence and contacts).",
        "",
    ]
    for spec in SPECS.values():
        lines += [f"## `{spec.name}`", "", spec.description, "", f"Key: {', '.join(spec.key)}", ""]
        lines += ["| column | type | required | range | description |", "|---|---|---|---|---|"]
        for c in spec.columns:
            rng = ""
            if c.min is not None or c.max is not None:
                rng = c.range.text()
            if spec.param_ranges and c.name in ("value", "lo", "hi"):
                rng = "by parameter (below)"
            if c.allowed is not None:
                rng = ", ".join(sorted(c.allowed)) if len(c.allowed) <= 12 else "see description"
            req = "yes" if c.required else "no"
            lines.append(
                f"| `{c.name}` | {c.dtype} | {req} | {rng} | {c.description or ''} {c.unit and f'({c.unit})'} |"
            )
        lines.append("")
    for title, params in (
        ("capacity", CAPACITY_PARAMETERS),
        ("costs", COST_PARAMETERS),
        ("flows", FLOW_PARAMETERS),
    ):
        lines += [
            f"### Parameters of `{title}`",
            "",
            "| parameter | range | meaning |",
            "|---|---|---|",
        ]
        lines += [f"| `{k}` | {PARAMETER_RANGES[k].text()} | {v} |" for k, v in params.items()]
        lines.append("")
    lines += [
        "Ranges: `[a, b]` includes both ends, `(a, b]` excludes `a`. A value, `lo` or `hi`",
        "outside its range names the file, row and column; so does a scenario override (naming",
        "the key). Each role's absence days must sum to less than weeks_per_year x",
        "days_per_week. A scenario's `growth_rate` lies in "
        f"{GROWTH_RATE_RANGE.text()} (a fraction: 0.02 is 2% a year).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(describe_markdown(), end="")


#: absence parameters of ``capacity`` (days a year) whose sum must stay below the working
#: year; the engine deducts the same list (``wfkit.model.capacity.ABSENCES``, a test keeps
#: the two equal: the model imports no table formats)
ABSENCE_DAYS: tuple[str, ...] = (
    "annual_leave_days",
    "bank_holiday_days",
    "sickness_days",
    "training_days",
    "other_days",
)


def check_working_year(df: pd.DataFrame, source: str) -> None:
    """Refuse, in a capacity table, a role whose absence days fill its working year.

    Each role's absence days (value, and hi where given) must sum to less than its
    working days in the year (weeks_per_year x days_per_week).  The first row of each
    (role, parameter) counts, as read; roles are looked at in sorted order.
    """
    if not {"role", "parameter", "value"} <= set(df.columns):
        return
    need = [*ABSENCE_DAYS, "weeks_per_year", "days_per_week"]
    at = {p: j for j, p in enumerate(need)}
    param = np.fromiter((at.get(p, -1) for p in df["parameter"]), dtype=np.intp, count=len(df))
    rows = np.flatnonzero(param >= 0)
    role_of, roles = pd.factorize(df["role"].astype(str).to_numpy()[rows], sort=True)
    cell = role_of * len(need) + param[rows]
    _, first = np.unique(cell, return_index=True)  # the first row of each (role, parameter)
    if len(np.unique(param[rows])) < len(need):  # a parameter no role has: nothing to check
        return
    for col in ("value", "hi"):
        if col not in df.columns:
            continue
        values = df[col].to_numpy(dtype=float)[rows]
        if col != "value":
            values = np.where(np.isnan(values), df["value"].to_numpy(dtype=float)[rows], values)
        wide = np.full(len(roles) * len(need), np.nan)
        wide[cell[first]] = values[first]
        wide = wide.reshape(len(roles), len(need))
        days = wide[:, at["weeks_per_year"]] * wide[:, at["days_per_week"]]
        absent = np.nansum(wide[:, : len(ABSENCE_DAYS)], axis=1)
        with np.errstate(invalid="ignore"):
            bad = absent >= days
        if bad.any():
            i = int(np.argmax(bad))
            role = str(roles[i])
            which = "" if col == "value" else " (at their hi)"
            first_bad_row(
                (df["role"] == role).to_numpy() & df["parameter"].isin(ABSENCE_DAYS).to_numpy(),
                f"role {role!r}: absence days{which} sum to {absent[i]:g}, not below the "
                f"{days[i]:g} working days of the year (weeks_per_year x days_per_week)",
                source,
                col,
            )
