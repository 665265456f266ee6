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
#: how opaque a band is: light, so that several roles' bands do not hide their lines
BAND_OPACITY = 0.12
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


#: one colour per role, the same in every chart (declared here once, tested to cover every
#: role of the roles table): 20 distinct colours (after Trubetskoy's list of 20, light
#: ones darkened to show as lines on white); the roles most often drawn together (GP,
#: practice nurse, receptionist, HCA, pharmacist, practice manager, other admin) get the
#: most distinct hues
ROLE_COLOURS: dict[str, str] = {
    "gp": "#4363d8",
    "practice_nurse": "#3cb44b",
    "receptionist": "#f58231",
    "admin_other": "#8c8c8c",
    "hca": "#911eb4",
    "pharmacist": "#e6194b",
    "practice_manager": "#9a6324",
    "anp": "#1fa2b5",
    "medical_secretary": "#f032e6",
    "nursing_associate": "#8db600",
    "phlebotomist": "#800000",
    "pharmacy_technician": "#d67fa0",
    "physician_associate": "#000075",
    "paramedic": "#c9a800",
    "physiotherapist": "#469990",
    "care_coordinator": "#808000",
    "social_prescriber": "#a58bd8",
    "health_coach": "#4fc98a",
    "dietitian": "#f4a460",
    "mental_health_practitioner": "#2f4f4f",
    # roles beyond the practice a scenario may add (wfkit.settings.COMMUNITY_ROLES)
    "district_nurse": "#1b7837",
    "community_staff_nurse": "#66c2a5",
    "community_matron": "#5e3c99",
    "community_hca": "#fdb863",
}
#: colours for roles outside :data:`ROLE_COLOURS` (a user's own), in turn
_SPARE = ["#ff6f61", "#6b8e23", "#b8860b", "#4682b4", "#bc8f8f", "#556b2f"]


def role_scale() -> alt.Scale:
    """Return the role colour scale every chart uses: every known role in words, its colour.

    The same domain and range in every chart, whatever roles a chart draws, so a role keeps
    its colour across the charts of a notebook, a report and the explorer.
    """
    labels = role_labels()
    known = list(ROLE_COLOURS) + [r for r in labels if r not in ROLE_COLOURS]
    extra = len(known) - len(ROLE_COLOURS)
    colours = [ROLE_COLOURS[r] for r in ROLE_COLOURS] + [
        _SPARE[i % len(_SPARE)] for i in range(extra)
    ]
    return alt.Scale(domain=[labels.get(r, _words(r)) for r in known], range=colours)


def _role_colour(roles: list[str], labels: Mapping[str, str]) -> alt.Scale:
    """Return :func:`role_scale`, with roles outside it added in words (spare colours)."""
    scale = role_scale()
    extra = sorted(set(roles) - set(labels) - set(ROLE_COLOURS))
    start = len(scale.range) - len(ROLE_COLOURS)
    return alt.Scale(
        domain=[*scale.domain, *map(_words, extra)],
        range=[*scale.range, *(_SPARE[(start + i) % len(_SPARE)] for i in range(len(extra)))],
    )


def _band_layers(colour: alt.Color, y_title: str, tooltip: list) -> list[alt.Chart]:
    """Return the layers of the P10-P90 band, the P50 line and the central run.

    The central run is a line with points.  The three are told apart in the legend: the
    band by its fill, the two lines by their dash.
    """
    x = alt.X("year:O", title="year", axis=alt.Axis(labelAngle=0))
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
                "band:O",  # ordinal: Vega-Lite warns of opacity on an unsorted nominal field
                scale=alt.Scale(domain=[BAND], range=[BAND_OPACITY, BAND_OPACITY]),
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
    results: pd.DataFrame, measure: str = "required_fte", top: int | None = 6
) -> alt.FacetChart:
    """Draw FTE by role over time, one panel per scenario.

    The P10-P90 band, the P50 line (dashed) and the central run (solid, with points), told
    apart in the legend.

    Parameters
    ----------
    results : pandas.DataFrame
        :func:`wfkit.usecases.results_frame` (one area or ``total``).
    measure : str
        The measure drawn (``required_fte`` by default).
    top : int or None
        Draw only the ``top`` roles by final-year FTE (the subtitle says so when roles are
        left out); ``None`` draws every role.

    Returns
    -------
    altair.FacetChart
        The chart.
    """
    cols = ["year", "role", "scenario", "measure", "value", "p10", "p50", "p90"]
    _need(results, cols, "fte_by_role")
    d = results[(results["measure"] == measure) & (results["role"] != "all")]
    last = d[d["year"] == d["year"].max()].groupby("role")["value"].max()
    ranked = list(last.sort_values(ascending=False).index)
    roles = ranked if top is None else ranked[: max(int(top), 1)]
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
    subtitle = (
        f"Top {len(roles)} roles of {len(ranked)} shown (largest in the last year); "
        "the others are left out"
        if len(roles) < len(ranked)
        else f"All {len(ranked)} roles shown"
    )
    return shown(
        # sizes and title given where each chart is made: every .properties() copies the
        # chart, and a layer's copy deep-copies each of its layers twice more
        alt.layer(*_band_layers(colour, what, tip), data=d, width=_W, height=_H).facet(
            column=alt.Column("scenario:N", title=None, sort=None),
            title=alt.TitleParams(
                f"{what} by role{_area_name(results)}", subtitle=subtitle, anchor="start"
            ),
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


#: the two sides of the who-does-what chart, in words
MODELS = {"today": "Today (base year)", "future": "Future model (last year)"}


def who_does_what(shares: pd.DataFrame) -> alt.Chart:
    """Share of the workload by role, today against the future model (stacked bars).

    Roles in words and in the colours of every other chart (:func:`role_scale`); the
    share axis runs from 0 to 100%.

    Parameters
    ----------
    shares : pandas.DataFrame
        :func:`wfkit.usecases.who_does_what`.

    Returns
    -------
    altair.Chart
        The chart.
    """
    _need(shares, ["model", "role", "share"], "who_does_what")
    labels = role_labels()
    roles = list(dict.fromkeys(shares["role"]))
    scale = _role_colour(roles, labels)
    rank = {r: i for i, r in enumerate(scale.domain)}
    d = shares[["model", "role", "share", "hours"]].assign(
        model=lambda x: [MODELS.get(m, _words(m)) for m in x["model"]],
        role=lambda x: [labels.get(r, _words(r)) for r in x["role"]],
    )
    d = d.assign(rank=[rank.get(r, len(rank)) for r in d["role"]])
    return shown(
        alt.Chart(d)
        .mark_bar()
        .encode(
            y=alt.Y("model:N", sort=list(MODELS.values()), title=None),
            x=alt.X(
                "share:Q",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1], nice=False),
                title="share of the workload (hours), %",
            ),
            color=alt.Color(
                "role:N",
                scale=scale,
                sort=list(scale.domain),
                legend=alt.Legend(title="role", values=sorted(set(d["role"]), key=rank.get)),
            ),
            order=alt.Order("rank:Q"),  # quantitative: Vega-Lite warns of order on a nominal
            tooltip=[
                alt.Tooltip("model:N", title="model"),
                alt.Tooltip("role:N", title="role"),
                alt.Tooltip("share:Q", format=".1%", title="share of workload"),
                alt.Tooltip("hours:Q", format=",.0f", title="hours a year"),
            ],
        )
        .properties(width=2 * _W, height=80, title="Who does what: today and in the future model")
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


#: the two ways of staffing a session, as the session-staffing chart names them
STAFFING = {
    "offered_load": "Average-based (workload / hours)",
    "servers": "Peak-aware (queueing, Erlang C)",
}


def session_staffing(sessions: pd.DataFrame) -> alt.FacetChart:
    """Clinicians per session: queueing (Erlang C) need against the average-based number.

    Bars for the average-based number of clinicians, a black tick for the peak-aware
    (queueing) number and, between them, a red bar for the clinicians the average leaves
    out, so the point ("averages under-staff peaks") shows at a glance.

    Parameters
    ----------
    sessions : pandas.DataFrame
        The second frame of :func:`wfkit.usecases.same_day_queueing`.

    Returns
    -------
    altair.FacetChart
        The chart, one row of panels per scenario.
    """
    _need(sessions, ["scenario", "weekday", "session", "servers", "offered_load"], "staffing")
    d = sessions[["scenario", "weekday", "session", "servers", "offered_load"]].assign(
        slot=[f"{w} {p}" for w, p in zip(sessions["weekday"], sessions["session"], strict=True)],
        scenario=[_words(x) for x in sessions["scenario"]],
    )
    d = d.assign(extra=d["servers"] - d["offered_load"])
    order = list(dict.fromkeys(d["slot"]))
    x = alt.X("slot:N", sort=order, title="session", axis=alt.Axis(labelAngle=-40))
    tip = [
        alt.Tooltip("scenario:N", title="scenario"),
        alt.Tooltip("weekday:N", title="day"),
        alt.Tooltip("session:N", title="session"),
        alt.Tooltip("offered_load:Q", format=".1f", title=STAFFING["offered_load"]),
        alt.Tooltip("servers:Q", format=".0f", title=STAFFING["servers"]),
        alt.Tooltip("extra:Q", format=".1f", title="more clinicians than the average"),
    ]
    key = alt.Color(
        "basis:N",
        scale=alt.Scale(
            domain=[STAFFING["offered_load"], "Shortfall of the average at the peak"],
            range=["#9ecae1", "#d62728"],
        ),
        legend=alt.Legend(title="clinicians needed", orient="bottom", labelLimit=400),
    )
    avg = (
        alt.Chart()
        .mark_bar()
        .transform_calculate(basis=f"'{STAFFING['offered_load']}'")
        .encode(
            x=x,
            y=alt.Y("offered_load:Q", title="clinicians in the session"),
            color=key,
            tooltip=tip,
        )
    )
    gap = (
        alt.Chart()
        .mark_bar()
        .transform_calculate(basis="'Shortfall of the average at the peak'")
        .encode(x=x, y=alt.Y("offered_load:Q"), y2=alt.Y2("servers"), color=key, tooltip=tip)
    )
    peak = (
        alt.Chart()
        .mark_tick(color="black", thickness=2)
        .encode(x=x, y=alt.Y("servers:Q"), tooltip=tip)
    )
    return shown(
        alt.layer(avg, gap, peak, data=d, width=2 * _W, height=_H).facet(
            row=alt.Row(
                "scenario:N",
                title=None,
                sort=None,
                header=alt.Header(labelAngle=0, labelAlign="left"),
            ),
            title=alt.TitleParams(
                "Clinicians per same-day session: average-based against peak-aware",
                subtitle=(
                    "Blue bar: workload divided by session hours. Black tick: clinicians "
                    "a queue needs to see requests in time. Red: what the average misses."
                ),
                anchor="start",
            ),
        )
    )


#: the two models of the pathways chart, in words
PATHWAY_MODELS = {
    "sum_of_pathways_hours": "Sum of single-condition pathways",
    "whole_person_hours": "Whole-person care",
}


def pathway_difference(overlap: pd.DataFrame) -> alt.Chart:
    """Workload by activity, sum of pathways against the whole-person model.

    Parameters
    ----------
    overlap : pandas.DataFrame
        :func:`wfkit.usecases.pathway_overlap`.

    Returns
    -------
    altair.Chart
        The chart, activities in words.
    """
    _need(overlap, ["activity", "sum_of_pathways_hours", "whole_person_hours"], "pathways")
    d = overlap[overlap["activity"] != "total"].melt(
        id_vars="activity",
        value_vars=list(PATHWAY_MODELS),
        var_name="model",
        value_name="hours",
    )
    d["model"] = d["model"].map(PATHWAY_MODELS)
    d["activity"] = [_words(a) for a in d["activity"]]
    colour = alt.Color(
        "model:N",
        sort=list(PATHWAY_MODELS.values()),
        legend=alt.Legend(title="model", orient="bottom", labelLimit=400),
    )
    return shown(
        alt.Chart(d)
        .mark_bar()
        .encode(
            y=alt.Y("activity:N", title=None, axis=alt.Axis(labelLimit=320)),
            yOffset=alt.YOffset("model:N", sort=list(PATHWAY_MODELS.values())),
            x=alt.X("hours:Q", title="clinician hours a year"),
            color=colour,
            tooltip=[
                alt.Tooltip("activity:N", title="activity"),
                alt.Tooltip("model:N", title="model"),
                alt.Tooltip("hours:Q", format=",.0f", title="hours a year"),
            ],
        )
        .properties(
            width=2 * _W, title="Workload by activity: sum of pathways against whole-person care"
        )
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
