"""The frames notebook 06 and the report show of work moved in from hospital, in words.

The business case as a page (figures with their units, P10 to P90), the staff each role
gives the service, the cohorts of special-interest practitioners, and FTE by role with the
work moved in added to the run's own requirement.  Each takes the tidy frames of
:func:`wfkit.moved_in_results` or :func:`wfkit.business_case` and returns a small tidy
frame for :func:`wfkit.tables_display.readable`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..scenario import ScenarioRun
from .closer_to_home import MovedInResults

__all__ = [
    "TABLE_HEADERS",
    "business_case_page",
    "staff_table",
    "training_table",
    "fte_with_moved_in",
]


def _figure(value: float, unit: str, bare: bool = False) -> str:
    """One figure in words: pounds with a sign and separators, years whole, others rounded.

    ``bare`` leaves out the unit's words (the first figure of a range).
    """
    if pd.isna(value):
        return "not within the modelled years" if unit == "year" else ""
    if unit == "year":
        return f"{value:.0f}"
    if unit.startswith("GBP"):
        text = ("-" if value < 0 else "") + f"£{abs(value):,.0f}"
        return text if bare else text + unit[3:]
    digits = 2 if unit in ("FTE", "people") else 0
    return f"{value:,.{digits}f}" + ("" if bare else f" {unit}")


def business_case_page(case: pd.DataFrame) -> pd.DataFrame:
    """Return a business case (:func:`business_case`) as a page people read: figures in words.

    One row per item with ``figure`` (the central run, with units) and ``range`` (P10 to
    P90, where there are draws), for one proposal (the first one in ``case``).
    """
    if case.empty:
        return pd.DataFrame(columns=["item", "figure", "range"])
    first = case.iloc[0]
    one = case.loc[
        (case["scenario"] == first["scenario"]) & (case["activity"] == first["activity"])
    ]
    return pd.DataFrame(
        {
            "item": one["item"].to_numpy(),
            "figure": [_figure(v, u) for v, u in zip(one["value"], one["unit"], strict=True)],
            "range": [
                "" if pd.isna(lo) else f"P10 {_figure(lo, u, bare=True)} to P90 {_figure(hi, u)}"
                for lo, hi, u in zip(one["p10"], one["p90"], one["unit"], strict=True)
            ],
        }
    )


#: headers in words for :func:`staff_table` and :func:`training_table` (with
#: :func:`wfkit.tables_display.readable`'s ``headers``)
TABLE_HEADERS = {
    "fte": "FTE",
    "fte_p10": "FTE, P10",
    "fte_p90": "FTE, P90",
    "practitioners": "Special-interest practitioners",
    "course_start_year": "Course starts",
    "heads_needed": "Practitioners needed",
    "starting": "Practitioners starting the course",
    "training_days": "Training (days)",
    "cost_gbp": "Training cost (£)",
    "item": "Business case",
    "figure": "Central run",
    "range": "P10 to P90",
    "required_fte": "FTE required without the move",
    "moved_in_fte": "FTE for the work moved in",
    "with_moved_in_fte": "FTE required with the move",
    "in_post_fte": "FTE in post",
    "gap_fte": "Gap with the move (FTE in post - required)",
}


def staff_table(results: MovedInResults, from_year: int | None = None) -> pd.DataFrame:
    """FTE each role gives the work moved in, by year (areas and activities summed).

    ``practitioners`` is blank for a role without a special interest.
    """
    st = results.staff
    if st.empty:
        return pd.DataFrame(columns=["year", "role", "fte", "fte_p10", "fte_p90", "practitioners"])
    cols = ["fte", "fte_p10", "fte_p90", "practitioners"]
    out = st.groupby(["year", "role"], as_index=False, sort=True)[cols].sum(min_count=1)
    return out if from_year is None else out.loc[out["year"] >= from_year].reset_index(drop=True)


def training_table(results: MovedInResults) -> pd.DataFrame:
    """Return the cohorts of special-interest practitioners: course start, heads, cost."""
    tr = results.training
    cols = ["year", "course_start_year", "role", "competency", "heads_needed", "starting",
            "training_days", "cost_gbp"]  # fmt: skip
    if tr.empty:
        return pd.DataFrame(columns=cols)
    out = tr.rename(columns={"to_train_heads": "starting"})[cols].reset_index(drop=True)
    out["course_start_year"] = out["course_start_year"].astype(str)
    return out


def fte_with_moved_in(
    run: ScenarioRun, results: MovedInResults, year: int | None = None
) -> pd.DataFrame:
    """FTE of each role delivering moved-in work: the run's requirement with the move added.

    For each variant that moves work in and each role delivering it, in ``year`` (default
    the horizon year), areas summed: ``required_fte`` (the run's own, without the work moved
    in), ``moved_in_fte``, ``with_moved_in_fte``, ``in_post_fte`` and ``gap_fte`` (in post
    minus required with the work moved in; negative is a shortfall).
    """
    cols = ["scenario", "role", "required_fte", "moved_in_fte", "with_moved_in_fte",
            "in_post_fte", "gap_fte"]  # fmt: skip
    st = results.staff
    if st.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for scen, one in st.groupby("scenario", sort=False):
        res = run.results[str(scen)]
        y = int(res.years[-1]) if year is None else int(year)
        t = list(res.years).index(y)
        moved = one.loc[one["year"] == y].groupby("role", sort=False)["fte"].sum()
        for role, fte in moved.items():
            r = list(res.roles).index(role)
            req = float(np.asarray(res.required_fte)[0, :, t, r].sum())
            sup = float(np.asarray(res.supply_fte)[0, :, t, r].sum())
            rows.append((scen, role, req, fte, req + fte, sup, sup - req - fte))
    return pd.DataFrame(rows, columns=cols)
