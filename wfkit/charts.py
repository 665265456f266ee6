"""Altair charts of model results, each drawn from a small tidy frame.

Every function takes a tidy frame from :mod:`wfkit.usecases` (``results_frame``,
``who_does_what``, ``same_day_queueing``, ``pathway_overlap``), keeps only the rows the
chart needs (charts embed their data, so aggregate first) and returns an Altair chart.

In JupyterLab, Voila and offline networks call :func:`enable_offline` once: charts then
render through the ``jupyter`` renderer with the Vega scripts inlined (no CDN).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import altair as alt
import pandas as pd

from .chart_display import chart_widget, enable_offline, showing, shown, static_svg
from .data import LEVELS, code_words, select_areas
from .data import role_labels as bundled_role_labels
from .errors import WfkitError

__all__ = [
    "enable_offline",
    "static_svg",
    "chart_widget",
    "showing",
    "words",
    "area_name",
    "tidy_name",
    "role_labels",
    "fte_by_role",
    "required_vs_in_post",
    "who_does_what",
    "cost_per_1000",
    "session_staffing",
    "pathway_difference",
]

_W, _H = 260, 200


def _need(df: pd.DataFrame, cols: list[str], what: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{what}: frame lacks column(s) {missing}")


#: the three ways a band chart draws uncertainty, as its legend names them
BAND = "P10-P90 of the draws"
CENTRAL = "central run (inputs at stated values)"
P50 = "P50 (median of the draws)"
_LINES = alt.Scale(domain=[CENTRAL, P50], range=[[1, 0], [3, 2]])
_LINE_LEGEND = alt.Legend(title="line", symbolType="stroke", symbolStrokeWidth=2)

#: words for measures on axes and in titles
MEASURE_TITLES = {
    "required_fte": "FTE required",
    "supply_fte": "FTE in post",
    "gap_fte": "FTE gap (in post - required)",
    "workload_hours": "workload (hours a year)",
    "cost_gbp": "cost (GBP a year)",
    "cost_per_1000": "GBP a year per 1,000 patients",
}


def words(code: str) -> str:
    """Return a code in words, as charts label scenarios (``future_model`` -> ``Future model``).

    The rule is :func:`wfkit.data.code_words`, declared once for every output.
    """
    return code_words(code)


_words = words


def role_labels() -> dict[str, str]:
    """Role ids to words, from the bundled roles table (:func:`wfkit.data.role_labels`)."""
    return bundled_role_labels()


def _role_colour(roles: list[str], labels: Mapping[str, str]) -> alt.Scale:
    """Return the role colours, the same in every chart: a fixed mapping over all known roles.

    The roles come in the bundled roles table's order, then any others alphabetically, not
    in data order.
    """
    known = list(labels) + sorted(set(roles) - set(labels))
    palette = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
        "#7f7f7f", "#bcbd22", "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896",
        "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
    ]  # fmt: skip
    domain = [labels.get(r, _words(r)) for r in known]
    return alt.Scale(domain=domain, range=[palette[i % len(palette)] for i in range(len(domain))])


def _band_layers(colour: alt.Color, y_title: str, tooltip: list) -> list[alt.Chart]:
    """Return the layers of the P10-P90 band, the P50 line and the central run.

    The central run is a line with points.  The three are told apart in the legend: the
    band by its fill, the two lines by their dash.
    """
    x = alt.X("year:O", title="year")
    band = (
        alt.Chart()
        .mark_area()
        .transform_calculate(band=f"'{BAND}'")
        .encode(
            x=x,
            y=alt.Y("p10:Q", title=y_title),
            y2=alt.Y2("p90"),
            color=colour,
            opacity=alt.Opacity(
                "band:N",
                scale=alt.Scale(domain=[BAND], range=[0.22, 0.22]),
                legend=alt.Legend(title="band", symbolType="square", symbolFillColor="gray"),
            ),
        )
    )

    def line(field: str, label: str, **mark: Any) -> alt.Chart:
        return (
            alt.Chart()
            .mark_line(**mark)
            .transform_calculate(line=f"'{label}'")
            .encode(
                x=x,
                y=alt.Y(f"{field}:Q"),
                color=colour,
                strokeDash=alt.StrokeDash("line:N", scale=_LINES, legend=_LINE_LEGEND),
            )
        )

    p50 = line("p50", P50, strokeWidth=1.5)
    central = line("value", CENTRAL)
    # the central run's points, a layer of their own so the legend draws the lines as lines
    points = (
        alt.Chart()
        .mark_point(filled=True, size=30)
        .encode(x=x, y=alt.Y("value:Q"), color=colour, tooltip=tooltip)
    )
    return [band, p50, central, points]


def _stat_tooltip(what: str) -> list:
    return [
        alt.Tooltip("year:O"),
        alt.Tooltip("value:Q", format=".1f", title=f"{what}, central run"),
        alt.Tooltip("p10:Q", format=".1f", title="P10"),
        alt.Tooltip("p50:Q", format=".1f", title="P50"),
        alt.Tooltip("p90:Q", format=".1f", title="P90"),
    ]


def _area_name(results: pd.DataFrame) -> str:
    areas = sorted(set(map(str, results["area"]))) if "area" in results.columns else []
    if len(areas) == 1 and areas[0] != "total":
        return f" in {area_name(areas[0])}"
    return " in all areas modelled" if areas else ""


def tidy_name(name: str) -> str:
    """Return a published name in capitals for reading.

    ``NORTH SOUTHWARK PCN`` -> ``North Southwark PCN`` (PCN, ICB, NHS and the like stay in
    capitals; a name not all in capitals is left as it is).
    """
    if not name.isupper():
        return name
    keep = {"PCN", "ICB", "NHS", "GP", "UK", "CCG", "ICS", "NW", "NE", "SW", "SE"}
    small = {"and", "of", "the", "in", "on", "at", "for", "upon"}
    out = []
    for i, w in enumerate(name.split(" ")):
        low = w.lower()
        if w in keep:
            out.append(w)
        elif i and low in small:
            out.append(low)
        else:
            out.append("-".join(p[:1].upper() + p[1:] for p in low.split("-")))
    return " ".join(out)


@functools.lru_cache(maxsize=256)
def area_name(code: str) -> str:
    """Return a bundled area's name from its code, at whichever level has it.

    ``U06180`` -> ``North Southwark PCN``; a code that is no bundled area is returned as it
    is.
    """
    for level in LEVELS:
        try:
            found = select_areas(code=code, level=level)
        except (WfkitError, KeyError, ValueError):
            continue
        if len(found) == 1:
            return tidy_name(str(found["area_name"].iloc[0]))
    return code


def fte_by_role(
    results: pd.DataFrame, measure: str = "required_fte", top: int = 6
) -> alt.FacetChart:
    """Draw FTE by role over time, one panel per scenario.

    The P10-P90 band, the P50 line (dashed) and the central run (solid, with points), told
    apart in the legend.

    ``results``: :func:`wfkit.usecases.results_frame` (one area or ``total``).  Only the
    ``top`` roles by final-year FTE are drawn.
    """
    cols = ["year", "role", "scenario", "measure", "value", "p10", "p50", "p90"]
    _need(results, cols, "fte_by_role")
    d = results[(results["measure"] == measure) & (results["role"] != "all")]
    last = d[d["year"] == d["year"].max()].groupby("role")["value"].max()
    roles = list(last.sort_values(ascending=False).index[:top])
    labels = role_labels()
    d = d[d["role"].isin(roles)][cols[:3] + cols[4:]].assign(
        role=lambda x: [labels.get(r, _words(r)) for r in x["role"]],
        scenario=lambda x: [_words(s) for s in x["scenario"]],
    )
    what = MEASURE_TITLES.get(measure, _words(measure))
    in_words = [labels.get(r, _words(r)) for r in roles]
    colour = alt.Color(
        "role:N",
        sort=in_words,
        scale=_role_colour(roles, labels),
        legend=alt.Legend(title="role", values=in_words),
    )
    tip = [alt.Tooltip("scenario:N"), alt.Tooltip("role:N"), *_stat_tooltip(what)]
    return shown(
        # sizes and title given where each chart is made: every .properties() copies the
        # chart, and a layer's copy deep-copies each of its layers twice more
        alt.layer(*_band_layers(colour, what, tip), data=d, width=_W, height=_H).facet(
            column=alt.Column("scenario:N", title=None, sort=None),
            title=f"{what} by role{_area_name(results)}",
        )
    )


def required_vs_in_post(results: pd.DataFrame) -> alt.LayerChart:
    """Draw total FTE required by scenario and year against FTE in post.

    The requirement with its P10-P90 band, its P50 (dashed) and the central run (solid,
    with points); FTE in post in black, dash-dot.
    """
    _need(results, ["year", "role", "scenario", "measure", "value"], "required_vs_in_post")
    tot = results[results["role"] == "all"]
    req = tot[tot["measure"] == "required_fte"][["year", "scenario", "value", "p10", "p50", "p90"]]
    req = req.assign(scenario=[_words(s) for s in req["scenario"]])
    sup = tot[(tot["measure"] == "supply_fte") & (tot["scenario"] == "baseline")]
    sup = sup[["year", "value"]]
    colour = alt.Color("scenario:N", sort=None, title="scenario")
    tip = [alt.Tooltip("scenario:N"), *_stat_tooltip("FTE required")]
    layers = _band_layers(colour, "FTE (all roles)", tip)
    post = (
        alt.Chart(sup)
        .mark_line(strokeDash=[8, 3, 2, 3], color="black")
        .encode(
            x=alt.X("year:O"),
            y=alt.Y("value:Q"),
            tooltip=[alt.Tooltip("value:Q", format=".1f", title="FTE in post")],
        )
    )
    return shown(
        alt.layer(
            alt.layer(*layers, data=req),
            post,
            width=2 * _W,
            height=_H,
            title=f"FTE required and in post (black, dash-dot){_area_name(results)}",
        )
    )


def who_does_what(shares: pd.DataFrame) -> alt.Chart:
    """Share of the workload by role, today against the future model (stacked bars).

    ``shares``: :func:`wfkit.usecases.who_does_what`.
    """
    _need(shares, ["model", "role", "share"], "who_does_what")
    d = shares[["model", "role", "share", "hours"]]
    return shown(
        alt.Chart(d)
        .mark_bar()
        .encode(
            y=alt.Y("model:N", sort=["today", "future"], title=None),
            x=alt.X("share:Q", axis=alt.Axis(format="%"), title="share of workload (hours)"),
            color=alt.Color("role:N"),
            order=alt.Order("role:N"),
            tooltip=[
                alt.Tooltip("model:N"),
                alt.Tooltip("role:N"),
                alt.Tooltip("share:Q", format=".1%"),
            ],
        )
        .properties(width=2 * _W, height=80, title="Who does what: today and future")
    )


def cost_per_1000(results: pd.DataFrame, year: int | None = None) -> alt.LayerChart:
    """Draw cost per 1,000 population by scenario in one year (default the last).

    A bar for the central run, a rule from P10 to P90 and a tick at P50.
    """
    _need(results, ["year", "role", "scenario", "measure", "value"], "cost_per_1000")
    d = results[(results["measure"] == "cost_per_1000") & (results["role"] == "all")]
    year = int(d["year"].max()) if year is None else int(year)
    d = d[d["year"] == year][["scenario", "value", "p10", "p50", "p90"]]
    d = d.assign(scenario=[_words(s) for s in d["scenario"]])
    x = alt.X("scenario:N", title=None, sort=None)
    bars = (
        alt.Chart(d)
        .mark_bar(opacity=0.8)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=f"GBP a year per 1,000 patients, {year}"),
            color=alt.Color("scenario:N", legend=None, sort=None),
            tooltip=[
                alt.Tooltip("scenario:N"),
                alt.Tooltip("value:Q", format=",.0f", title="central run"),
                alt.Tooltip("p10:Q", format=",.0f", title="P10"),
                alt.Tooltip("p50:Q", format=",.0f", title="P50"),
                alt.Tooltip("p90:Q", format=",.0f", title="P90"),
            ],
        )
    )
    err = alt.Chart(d).mark_rule().encode(x=x, y=alt.Y("p10:Q"), y2=alt.Y2("p90"))
    tick = alt.Chart(d).mark_tick(color="black", thickness=2, size=18).encode(x=x, y=alt.Y("p50:Q"))
    return shown(
        alt.layer(
            bars,
            err,
            tick,
            width=_W,
            height=_H,
            title=f"Cost per 1,000 patients, {year}: central run (bar), P10-P90 (rule), P50 (tick)",
        )
    )


def session_staffing(sessions: pd.DataFrame) -> alt.FacetChart:
    """Clinicians per session: queueing (Erlang C) need against the average-based number.

    ``sessions``: the second frame of :func:`wfkit.usecases.same_day_queueing`.
    """
    _need(sessions, ["scenario", "weekday", "session", "servers", "offered_load"], "staffing")
    d = sessions.assign(slot=sessions["weekday"].str[:3] + " " + sessions["session"].str[:2])
    d = d.melt(
        id_vars=["scenario", "slot"],
        value_vars=["servers", "offered_load"],
        var_name="basis",
        value_name="clinicians",
    )
    d["basis"] = d["basis"].map({"servers": "queueing", "offered_load": "average"})
    order = list(dict.fromkeys(d["slot"]))
    return shown(
        alt.Chart(d)
        .mark_bar()
        .encode(
            x=alt.X("slot:N", sort=order, title=None),
            xOffset=alt.XOffset("basis:N"),
            y=alt.Y("clinicians:Q", title="clinicians in session"),
            color=alt.Color("basis:N", title=None),
            tooltip=[
                alt.Tooltip("slot:N"),
                alt.Tooltip("basis:N"),
                alt.Tooltip("clinicians:Q", format=".1f"),
            ],
        )
        .properties(width=2 * _W, height=_H)
        .facet(row=alt.Row("scenario:N", title=None))
    )


def pathway_difference(overlap: pd.DataFrame) -> alt.Chart:
    """Workload by activity, sum of pathways against the whole-person model.

    ``overlap``: :func:`wfkit.usecases.pathway_overlap`.
    """
    _need(overlap, ["activity", "sum_of_pathways_hours", "whole_person_hours"], "pathways")
    d = overlap[overlap["activity"] != "total"].melt(
        id_vars="activity",
        value_vars=["sum_of_pathways_hours", "whole_person_hours"],
        var_name="model",
        value_name="hours",
    )
    d["model"] = d["model"].str.replace("_hours", "").str.replace("_", " ")
    return shown(
        alt.Chart(d)
        .mark_bar()
        .encode(
            y=alt.Y("activity:N", title=None),
            yOffset=alt.YOffset("model:N"),
            x=alt.X("hours:Q", title="clinician hours a year"),
            color=alt.Color("model:N", title=None),
            tooltip=[
                alt.Tooltip("activity:N"),
                alt.Tooltip("model:N"),
                alt.Tooltip("hours:Q", format=",.0f"),
            ],
        )
        .properties(width=2 * _W, title="Sum of pathways against whole-person care")
    )


def need_by_deprivation(by_quintile: pd.DataFrame) -> alt.LayerChart:
    """Staff in post per 1,000 weighted patients by deprivation: the inverse care law.

    ``by_quintile``: :attr:`wfkit.usecases.need.NeedCheck.by_quintile` (England and, if
    asked, an area).  Bars: staff in post per 1,000 Carr-Hill weighted patients in each
    IMD 2019 quintile of practices; ticks: the model's requirement per 1,000 weighted
    patients.  If staff followed need, the bars would be level.
    """
    cols = ["scope", "imd_quintile", "in_post_per_1000_weighted", "required_per_1000_weighted"]
    _need(by_quintile, cols, "need by deprivation")
    d = by_quintile[cols].dropna(subset=[cols[2]])
    order = list(dict.fromkeys(by_quintile["imd_quintile"]))
    scopes = list(dict.fromkeys(d["scope"]))
    where = " and ".join(scopes)
    x = alt.X("imd_quintile:N", sort=order, title="IMD 2019 quintile of practices")
    off = alt.XOffset("scope:N", sort=scopes)
    colour = alt.Color("scope:N", sort=scopes, title=None)
    tips = [
        alt.Tooltip("scope:N", title="where"),
        alt.Tooltip("imd_quintile:N", title="IMD quintile"),
        alt.Tooltip("in_post_per_1000_weighted:Q", title="in post per 1,000", format=".2f"),
        alt.Tooltip("required_per_1000_weighted:Q", title="required per 1,000", format=".2f"),
    ]
    bars = (
        alt.Chart(d)
        .mark_bar(opacity=0.8)
        .encode(
            x=x,
            xOffset=off,
            y=alt.Y(
                "in_post_per_1000_weighted:Q",
                title="FTE in post per 1,000 weighted patients",
            ),
            color=colour,
            tooltip=tips,
        )
    )
    ticks = (
        alt.Chart(d)
        .mark_tick(color="black", thickness=2)
        .encode(
            x=x,
            xOffset=off,
            y=alt.Y("required_per_1000_weighted:Q"),
            tooltip=tips,
        )
    )
    return shown(
        alt.layer(bars, ticks).properties(
            width=2 * _W,
            height=_H,
            title=f"Staff in post per 1,000 weighted patients by deprivation: {where} "
            "(bars in post, ticks the model's requirement)",
        )
    )
