"""Charts of work moved in from hospital (docs/closer-to-home.md).

Each takes a frame of :func:`wfkit.moved_in_results` and returns an Altair chart shown with a
static drawing beside it (:mod:`wfkit.chart_display`): the area in the title, axes in words
with units, roles in words in wfkit's fixed role colours (:func:`wfkit.charts.role_scale`),
the P10-P90 band, the P50 and the central run told apart in the legend.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from .chart_display import shown
from .charts import area_name, role_labels, role_scale, words

__all__ = ["moved_in_money", "moved_in_staff"]

_W, _H = 420, 220
#: the hospital and primary-care sides, in words
_SIDES = {
    "hospital_cost_avoided_gbp": "Hospital cost avoided",
    "primary_care_cost_gbp": "Primary-care staff cost",
}
_COLOURS = alt.Scale(domain=list(_SIDES.values()), range=["#1b9e77", "#d95f02"])
_LINES = alt.Scale(domain=["central run", "P50 of the draws"], range=[[1, 0], [5, 3]])


def _where(frame: pd.DataFrame) -> str:
    areas = sorted(frame["area"].astype(str).unique())
    return area_name(areas[0]) if len(areas) == 1 else f"{len(areas)} areas"


def moved_in_money(activity: pd.DataFrame) -> alt.LayerChart:
    """Hospital cost avoided against primary-care staff cost, by year, with the P10-P90 band.

    Parameters
    ----------
    activity
        the ``activity`` frame of :func:`wfkit.moved_in_results` (one scenario and
        activity; areas are summed).

    Returns
    -------
    altair.LayerChart
        The band (P10-P90), the P50 dashed and the central run solid with points.
    """
    d = activity.loc[activity["measure"].isin(list(_SIDES))]
    what = words(str(d["activity"].iloc[0]))
    d = d.groupby(["year", "measure"], as_index=False)[["value", "p10", "p50", "p90"]].sum()
    d["side"] = d["measure"].map(_SIDES)
    x = alt.X("year:O", title="year", axis=alt.Axis(labelAngle=0))
    colour = alt.Color("side:N", scale=_COLOURS, legend=alt.Legend(title=None, orient="bottom"))
    base = alt.Chart(d)
    band = base.mark_area(opacity=0.15).encode(
        x=x, y=alt.Y("p10:Q", title="GBP a year"), y2="p90", color=colour
    )
    lines = (
        base.transform_fold(["value", "p50"], as_=["stat", "gbp"])
        .transform_calculate(line="datum.stat == 'value' ? 'central run' : 'P50 of the draws'")
        .mark_line()
        .encode(
            x=x,
            y="gbp:Q",
            color=colour,
            strokeDash=alt.StrokeDash(
                "line:N", scale=_LINES, legend=alt.Legend(title="P10-P90 band shaded")
            ),
        )
    )
    points = base.mark_point(filled=True).encode(
        x=x,
        y="value:Q",
        color=colour,
        tooltip=[
            alt.Tooltip("year:O"),
            alt.Tooltip("side:N", title="what"),
            alt.Tooltip("value:Q", format=",.0f", title="central run, GBP"),
            alt.Tooltip("p10:Q", format=",.0f", title="P10, GBP"),
            alt.Tooltip("p90:Q", format=",.0f", title="P90, GBP"),
        ],
    )
    return shown(
        alt.layer(band, lines, points).properties(
            width=_W,
            height=_H,
            title=f"{what} in {_where(activity)}: hospital cost avoided against staff cost",
        )
    )


def moved_in_staff(staff: pd.DataFrame) -> alt.Chart:
    """FTE each role gives the moved-in service, by year (stacked; central run).

    Parameters
    ----------
    staff
        the ``staff`` frame of :func:`wfkit.moved_in_results` (one scenario; areas and
        activities are summed).

    Returns
    -------
    altair.Chart
        Bars by year, one colour per role (wfkit's fixed role colours).
    """
    labels = role_labels()
    d = staff.groupby(["year", "role"], as_index=False)[["fte", "fte_p10", "fte_p90"]].sum()
    d["role"] = [labels.get(r, words(r)) for r in d["role"]]
    return shown(
        alt.Chart(d)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="year", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("fte:Q", title="FTE (central run)"),
            color=alt.Color(
                "role:N",
                scale=role_scale(),
                legend=alt.Legend(title="role", values=sorted(d["role"].unique())),
            ),
            tooltip=[
                alt.Tooltip("year:O"),
                alt.Tooltip("role:N"),
                alt.Tooltip("fte:Q", format=",.2f", title="FTE, central run"),
                alt.Tooltip("fte_p10:Q", format=",.2f", title="FTE, P10"),
                alt.Tooltip("fte_p90:Q", format=",.2f", title="FTE, P90"),
            ],
        )
        .properties(
            width=_W, height=_H, title=f"Staff for work moved in from hospital, {_where(staff)}"
        )
    )
