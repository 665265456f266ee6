"""Altair charts of training needs and of the training places to commission.

Each chart aggregates first (over areas) and embeds only that aggregate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError

__all__ = ["chart_training_needs", "chart_pipeline"]


def _role_rows(df: pd.DataFrame, role: str) -> pd.DataFrame:
    """Return the rows of one role; a role with none is an error naming the roles there are."""
    sub = df.loc[df["role"] == role]
    if sub.empty:
        raise InputError(
            f"no rows for role {role!r}; roles are {sorted(set(df['role']))}", column="role"
        )
    return sub


def chart_training_needs(needs: pd.DataFrame, role: str, measure: str = "to_train_heads"):
    """Altair chart of one role's training needs by year and competency (summed over areas).

    Parameters
    ----------
    needs
        Output of :func:`~wfkit.skills.training_needs` or :func:`~wfkit.skills.training_cost`.
    role
        The role to show.
    measure
        Column to stack (default heads to train; ``shortfall_heads``, ``cost_gbp``, ``fte_lost``...).

    Returns
    -------
    altair.Chart
        Stacked bars by year coloured by competency; the chart embeds only the aggregate.
    """
    # lazy: altair only when a chart is drawn
    import altair as alt

    if measure not in needs.columns:
        raise InputError(
            f"no column {measure!r}; expected one of {list(needs.columns)}", column="measure"
        )
    sub = _role_rows(needs, role)
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
    """Altair chart of training places to commission for one role, by commissioning year.

    Summed over areas, coloured red where the plan cannot be met in time.

    Returns
    -------
    altair.Chart
    """
    # lazy: altair only when a chart is drawn
    import altair as alt

    sub = _role_rows(plan, role)
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
