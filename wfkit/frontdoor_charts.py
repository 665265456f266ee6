"""Charts of the front door: arrivals, answer time, call handlers by hour, scenarios' cost.

Each function takes a tidy frame of :mod:`wfkit.frontdoor` or :mod:`wfkit.frontdoor_flow`
and returns an Altair chart shown through :mod:`wfkit.chart_display` (a static rendering
beside the interactive one), titled with the area's name, axes in words with units, and
staff in wfkit's fixed role colours (call handlers as receptionists, clinicians as GPs).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from .chart_display import shown
from .charts import ROLE_COLOURS, area_name

__all__ = [
    "CHANNEL_WORDS",
    "arrivals_by_hour",
    "answer_time",
    "handlers_by_hour",
    "scenario_costs",
]

_W, _H = 560, 220
#: the channels in words, with their colours (not roles, so not role colours)
CHANNEL_WORDS = {"calls": "Phone calls", "online_requests": "Online requests"}
_CHANNEL_COLOURS = ["#1f77b4", "#9467bd"]
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _need(df: pd.DataFrame, cols: list[str], what: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{what}: frame lacks column(s) {missing}")


def _where(df: pd.DataFrame) -> str:
    areas = sorted(set(map(str, df["area"])))
    return f" in {area_name(areas[0])}" if len(areas) == 1 else ""


def _hour_axis() -> alt.X:
    expr = "[" + ",".join(f"'{d}'" for d in _DAYS) + "][floor(datum.value / 24)]"
    return alt.X(
        "hour_of_week:Q",
        title="hour of the week (ticks at midnight)",
        scale=alt.Scale(domain=[0, 168], nice=False),
        axis=alt.Axis(values=list(range(0, 168, 24)), labelExpr=expr),
    )


def arrivals_by_hour(hourly: pd.DataFrame) -> alt.Chart:
    """Draw calls and online requests in each hour of an average week, by channel.

    Parameters
    ----------
    hourly : pandas.DataFrame
        ``FrontDoor.hourly``.
    """
    _need(hourly, ["area", "hour_of_week", "weekday", "hour", *CHANNEL_WORDS], "arrivals")
    d = hourly.melt(
        id_vars=["hour_of_week", "weekday", "hour"],
        value_vars=list(CHANNEL_WORDS),
        var_name="channel",
        value_name="requests",
    ).assign(channel=lambda x: x.channel.map(CHANNEL_WORDS))
    return shown(
        alt.Chart(d, width=_W, height=_H, title=f"Requests by hour of the week{_where(hourly)}")
        .mark_line(interpolate="step-after")
        .encode(
            x=_hour_axis(),
            y=alt.Y("requests:Q", title="requests an hour (average week, November 2025)"),
            color=alt.Color(
                "channel:N",
                title="channel",
                scale=alt.Scale(domain=list(CHANNEL_WORDS.values()), range=_CHANNEL_COLOURS),
            ),
            tooltip=[
                alt.Tooltip("channel:N"),
                alt.Tooltip("weekday:N", title="day"),
                alt.Tooltip("hour:Q", title="hour from"),
                alt.Tooltip("requests:Q", format=",.1f", title="requests in the hour"),
            ],
        )
    )


def answer_time(curve: pd.DataFrame, target_wait_minutes: float = 2.0) -> alt.LayerChart:
    """Draw the share of callers answered in time, and hanging up, against call handlers.

    Parameters
    ----------
    curve : pandas.DataFrame
        :func:`wfkit.frontdoor_flow.answer_curve`.
    target_wait_minutes
        The wait the curve counted as in time (for the words).
    """
    _need(curve, ["area", "hour", "handlers", "answered_within_target", "abandoned"], "answers")
    answered = f"Answered within {target_wait_minutes:g} minutes"
    d = curve.melt(
        id_vars=["hour", "handlers"],
        value_vars=["answered_within_target", "abandoned"],
        var_name="measure",
        value_name="share",
    ).assign(
        measure=lambda x: x.measure.map(
            {"answered_within_target": answered, "abandoned": "Hung up before an answer"}
        )
    )
    base = alt.Chart(d).encode(
        x=alt.X("handlers:Q", title="call handlers on the phones in the hour"),
        y=alt.Y(
            "share:Q",
            title="share of callers",
            scale=alt.Scale(domain=[0, 1]),
            axis=alt.Axis(format="%"),
        ),
        color=alt.Color("measure:N", title="callers", sort=[answered]),
        strokeDash=alt.StrokeDash("hour:N", title="hour", sort=None),
        tooltip=[
            alt.Tooltip("hour:N"),
            alt.Tooltip("handlers:Q", title="call handlers"),
            alt.Tooltip("measure:N", title="callers"),
            alt.Tooltip("share:Q", format=".0%", title="share"),
        ],
    )
    return shown(
        alt.layer(
            base.mark_line(),
            base.mark_point(filled=True, size=25),
            width=_W,
            height=_H,
            title=f"Calls answered in time against call handlers{_where(curve)}",
        )
    )


def handlers_by_hour(hourly: pd.DataFrame, scenarios: tuple[str, ...] | None = None) -> alt.Chart:
    """Draw the call handlers needed in each hour of the week (0 when closed), by scenario.

    Parameters
    ----------
    hourly : pandas.DataFrame
        ``FrontDoorScenarios.hourly`` (or one ``FrontDoor.hourly``
        with ``scenario_name`` added).
    scenarios
        The scenarios to draw (codes; default every one).
    """
    _need(hourly, ["area", "hour_of_week", "handlers_needed", "scenario_name"], "handlers")
    d = hourly
    if scenarios is not None:
        d = d[d["scenario"].isin(scenarios)]
    d = d[["hour_of_week", "weekday", "hour", "scenario_name", "handlers_needed", "calls"]]
    return shown(
        alt.Chart(d, width=_W, height=_H, title=f"Call handlers needed by hour{_where(hourly)}")
        .mark_line(interpolate="step-after")
        .encode(
            x=_hour_axis(),
            y=alt.Y("handlers_needed:Q", title="call handlers (receptionists) needed"),
            color=alt.Color(
                "scenario_name:N", title="scenario", sort=None, legend=alt.Legend(labelLimit=400)
            ),
            tooltip=[
                alt.Tooltip("scenario_name:N", title="scenario"),
                alt.Tooltip("weekday:N", title="day"),
                alt.Tooltip("hour:Q", title="hour from"),
                alt.Tooltip("calls:Q", format=",.1f", title="calls in the hour"),
                alt.Tooltip("handlers_needed:Q", title="call handlers needed"),
            ],
        )
    )


#: the two costs of a scenario, in words, with their roles' colours
_COSTS = {
    "handler_cost_per_year": ("Call handlers (receptionists)", ROLE_COLOURS["receptionist"]),
    "clinician_cost_per_year": ("Same-day clinicians and triage (GP)", ROLE_COLOURS["gp"]),
}


def scenario_costs(costs: pd.DataFrame) -> alt.LayerChart:
    """Draw each scenario's yearly cost of call handlers and same-day clinicians, stacked.

    The change against the baseline is written at the end of each bar.

    Parameters
    ----------
    costs : pandas.DataFrame
        ``FrontDoorScenarios.costs``.
    """
    _need(costs, ["area", "scenario_name", *_COSTS, "cost_change_per_year"], "scenario costs")
    d = costs.melt(
        id_vars=["scenario_name", "cost_change_per_year"],
        value_vars=list(_COSTS),
        var_name="staff",
        value_name="gbp",
    ).assign(staff=lambda x: x.staff.map({k: v[0] for k, v in _COSTS.items()}))
    change = costs[["scenario_name", "total_cost_per_year", "cost_change_per_year"]].assign(
        text=[
            "baseline" if i == 0 else f"{c:+,.0f} a year"
            for i, c in enumerate(costs["cost_change_per_year"])
        ]
    )
    notes = (
        alt.Chart(change)
        .mark_text(align="left", dx=4)
        .encode(y=alt.Y("scenario_name:N", sort=None), x="total_cost_per_year:Q", text="text:N")
    )
    bars = (
        alt.Chart(d)
        .mark_bar()
        .encode(
            y=alt.Y("scenario_name:N", title=None, sort=None),
            x=alt.X(
                "gbp:Q",
                title="GBP a year",
                stack="zero",
                axis=alt.Axis(format=",.0f"),
                scale=alt.Scale(domainMax=1.25 * float(costs["total_cost_per_year"].max())),
            ),
            color=alt.Color(
                "staff:N",
                title="staff",
                legend=alt.Legend(labelLimit=400, orient="bottom"),
                scale=alt.Scale(
                    domain=[v[0] for v in _COSTS.values()], range=[v[1] for v in _COSTS.values()]
                ),
            ),
            tooltip=[
                alt.Tooltip("scenario_name:N", title="scenario"),
                alt.Tooltip("staff:N"),
                alt.Tooltip("gbp:Q", format=",.0f", title="GBP a year"),
                alt.Tooltip("cost_change_per_year:Q", format="+,.0f", title="change, GBP a year"),
            ],
        )
    )
    return shown(
        alt.layer(
            bars,
            notes,
            width=_W,
            height=_H,
            title=alt.TitleParams(
                f"Yearly cost of the front door by scenario{_where(costs)}",
                subtitle="Call handlers at a receptionist's pay, clinicians at a GP's, with "
                "on-costs (2025/26); the change against the baseline at the end of each bar",
                anchor="start",
            ),
        )
    )
