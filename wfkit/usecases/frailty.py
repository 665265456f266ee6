"""Use case ``frailty``: frailty and multimorbidity.

The baseline is the sum of single-condition pathways; ``whole_person`` replaces frail
people's single-condition reviews by one holistic review.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .. import data as wd
from .base import Context, Spec, register, scaled
from .params import Setting

#: the whole-person review that replaces single-condition reviews of frail people
REPLACED_BY = "frailty_holistic_review"

PARAMS = (
    Setting(
        "frailty_overlap",
        default=1.5,
        kind=float,
        help="relative odds of frailty with a long-term condition",
        unit="a ratio",
        label="frailty overlap with long-term conditions",
        lo=0.0,
        hi=5.0,
    ),
    Setting("future_skill_mix", False, bool, "use the future who-does-what in both models"),
)


def select(table: pd.DataFrame) -> pd.Series:
    """Its activities, with the single-condition reviews the whole-person review replaces."""
    return table["use_case"].eq("frailty") | table["replaced_by"].eq(REPLACED_BY)


def variants(ctx: Context) -> list[dict[str, Any]]:
    """Make ``whole_person``: frail people's single-condition reviews by one holistic review.

    Single-condition reviews of frail people are replaced by one holistic review (with
    ``future_skill_mix``, both models use the future who-does-what).
    """
    p = ctx.params
    future: dict[str, Any] = {
        "name": "whole_person",
        "description": "single-condition reviews of frail people replaced by one holistic review",
        "overrides": {"contacts": _contacts(ctx.activities, float(p["frailty_overlap"]))},
    }
    if p["future_skill_mix"]:
        future["skill_mix"] = ctx.future_skill_mix()
        ctx.base["skill_mix"] = ctx.future_skill_mix()
    ctx.base["name"] = ctx.base["name"].replace("frailty:", "frailty (sum of pathways):")
    rows = ctx.minute_rows()
    if rows:
        future["overrides"]["minutes"] = rows
    return [future]


def _contacts(activities: list[str], overlap: float) -> list[dict[str, Any]]:
    """Contacts rows for the whole-person model.

    Single-condition reviews of frail people are replaced by the holistic review, so each
    replaced review keeps only the share of its cohort that is not frail
    (``1 - overlap x frailty prevalence`` in each age band).
    """
    uc = wd.load("activity_use_cases")
    replaced = sorted(uc.loc[uc["replaced_by"].eq(REPLACED_BY), "activity"])
    pv = wd.load("prevalence")
    frail = pv[pv["activity"] == REPLACED_BY].set_index("age_band")["value"]
    ct = wd.load("contacts")
    rows = []
    for r in ct[ct["activity"].isin(replaced) & ct["activity"].isin(activities)].itertuples(
        index=False
    ):
        keep = max(0.0, 1.0 - float(frail.get(r.age_band, 0.0)) * overlap)
        if keep < 1.0:
            rows.append({"activity": r.activity, "age_band": r.age_band, "value": scaled(r, keep)})
    return rows


SPEC = register(
    Spec(
        "frailty",
        "frailty and multimorbidity, with the single-condition reviews it replaces",
        variants,
        PARAMS,
        select=select,
    )
)
