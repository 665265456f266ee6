"""Charts of why the answer is what it is: a waterfall of drivers, a tornado, Sobol indices.

Each takes the tidy frame of :func:`wfkit.explain`, :func:`wfkit.tornado` or
:func:`wfkit.sobol` (its ``indices``) and returns an Altair chart that carries a static
rendering (:mod:`wfkit.chart_display`): the area's name in the title, units on the axes.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from .chart_display import shown
from .charts import MEASURE_TITLES, area_name, role_labels, words

__all__ = ["waterfall", "tornado_chart", "sobol_chart"]

_W, _H = 420, 260
#: bar colours: levels, rises, falls
_KINDS = alt.Scale(domain=["level", "rise", "fall"], range=["#8c8c8c", "#e6194b", "#4363d8"])


def _where(frame: pd.DataFrame) -> str:
    """``"North Southwark PCN, GPs"``: the area (in words) and the role, for a title."""
    area = str(frame["area"].iloc[0])
    place = "all areas modelled" if area == "total" else area_name(area)
    role = str(frame["role"].iloc[0])
    return place if role == "all" else f"{place}, {role_labels().get(role, words(role))}"


def _need(frame: pd.DataFrame, cols: list[str], what: str) -> None:
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: frame lacks column(s) {missing}")


def waterfall(
    frame: pd.DataFrame, measure: str = "gap_fte", hide_zero: bool = True
) -> alt.LayerChart:
    """Draw the base year, each driver's part and year ``t`` as a waterfall.

    Parameters
    ----------
    frame
        :func:`wfkit.explain`'s frame.
    measure
        ``required_fte``, ``supply_fte``, ``gap_fte`` or ``cost_gbp``.
    hide_zero
        Leave out drivers whose part is 0 in every draw (they did not move in this run).

    Returns
    -------
    altair.LayerChart
        Grey bars for the two years, red for a rise and blue for a fall (central run), a
        rule from P10 to P90 of each part and a tick at its P50.
    """
    _need(frame, ["measure", "kind", "step", "driver", "value", "p10", "p50", "p90"], "waterfall")
    d = frame[frame["measure"] == measure].sort_values("step").copy()
    if d.empty:
        raise ValueError(f"waterfall: no rows for measure {measure!r}")
    if hide_zero:
        flat = (d["kind"] == "change") & (d[["value", "p10", "p90"]].abs().max(axis=1) == 0)
        d = d[~flat]
    run_to = d["value"].where(d["kind"] != "end", 0.0).cumsum()
    d["top"] = d["value"].where(d["kind"] != "change", run_to)
    d["bottom"] = (run_to - d["value"]).where(d["kind"] == "change", 0.0)
    d["bar"] = [
        "level" if k != "change" else ("rise" if v >= 0 else "fall")
        for k, v in zip(d["kind"], d["value"], strict=True)
    ]
    # a part's P10-P90 drawn where its bar ends
    d["lo"] = (d["bottom"] + d["p10"]).where(d["kind"] == "change", d["p10"])
    d["hi"] = (d["bottom"] + d["p90"]).where(d["kind"] == "change", d["p90"])
    d["mid"] = (d["bottom"] + d["p50"]).where(d["kind"] == "change", d["p50"])
    unit = str(d["unit"].iloc[0]) if "unit" in d else ""
    order = list(d["driver"])
    x = alt.X("driver:N", sort=order, title=None, axis=alt.Axis(labelAngle=-30, labelLimit=180))
    tip = [
        alt.Tooltip("driver:N", title="step"),
        alt.Tooltip("value:Q", format=",.1f", title=f"central run ({unit})"),
        alt.Tooltip("p10:Q", format=",.1f", title="P10"),
        alt.Tooltip("p50:Q", format=",.1f", title="P50"),
        alt.Tooltip("p90:Q", format=",.1f", title="P90"),
    ]
    scale, note = _value_scale(d)
    bars = (
        alt.Chart(d)
        .mark_bar(clip=True)
        .encode(
            x=x,
            y=alt.Y("bottom:Q", title=MEASURE_TITLES.get(measure, measure), scale=scale),
            y2=alt.Y2("top"),
            color=alt.Color("bar:N", scale=_KINDS, legend=alt.Legend(title="central run")),
            tooltip=tip,
        )
    )
    err = alt.Chart(d).mark_rule(clip=True).encode(x=x, y=alt.Y("lo:Q"), y2=alt.Y2("hi"))
    tick = (
        alt.Chart(d)
        .mark_tick(color="black", thickness=2, size=14, clip=True)
        .encode(x=x, y=alt.Y("mid:Q"))
    )
    y0, y1 = int(frame["year_from"].iloc[0]), int(frame["year"].iloc[0])
    title = alt.TitleParams(
        f"Why {MEASURE_TITLES.get(measure, measure)} changes, {y0} to {y1}: {_where(d)}",
        subtitle="bars: central run; rule: P10-P90 of each part over the draws; tick: P50" + note,
    )
    return shown(alt.layer(bars, err, tick, width=_W, height=_H, title=title))


def _value_scale(d: pd.DataFrame) -> tuple[alt.Scale, str]:
    """Return the waterfall's value axis, and a note for the subtitle.

    From 0 when the changes are a fair part of the levels; else cut to the range the
    changes and bands cover (the level bars cut off at the bottom, said in the subtitle),
    so that a 30 FTE change on 460 FTE can be read.
    """
    ends = d.loc[d["kind"] != "change", ["top", "lo", "hi"]].to_numpy()
    moves = d.loc[d["kind"] == "change", ["bottom", "top", "lo", "hi"]].to_numpy()
    every = [ends.ravel(), moves.ravel()]
    lo = min(float(x.min()) for x in every if x.size)
    hi = max(float(x.max()) for x in every if x.size)
    if lo <= 0 or hi - lo >= 0.5 * hi:
        return alt.Scale(zero=True), ""
    pad = 0.15 * (hi - lo) or 0.05 * hi
    return alt.Scale(domain=[lo - pad, hi + pad], zero=False), "; the axis does not start at 0"


def tornado_chart(
    frame: pd.DataFrame, measure: str = "required_fte", top: int = 10
) -> alt.LayerChart:
    """Draw each input's swing between its P10 and its P90, largest at the top.

    Parameters
    ----------
    frame
        :func:`wfkit.tornado`'s frame.
    measure
        ``required_fte``, ``gap_fte`` or ``cost_gbp``.
    top
        How many inputs to draw (those with the largest swing).

    Returns
    -------
    altair.LayerChart
        A bar from the central value to the value with the input at its P10, another to its
        P90, and a rule at the central value.
    """
    _need(frame, ["measure", "words", "central", "at_p10", "at_p90", "swing"], "tornado_chart")
    d = frame[frame["measure"] == measure].copy()
    if d.empty:
        raise ValueError(f"tornado_chart: no rows for measure {measure!r}")
    d = d.reindex(d["swing"].abs().sort_values(ascending=False).index).head(top)
    long = pd.concat(
        [
            d.assign(end="input at its P10", value=d["at_p10"]),
            d.assign(end="input at its P90", value=d["at_p90"]),
        ]
    )[["words", "central", "value", "end"]]
    unit = str(frame["unit"].iloc[0]) if "unit" in frame else ""
    y = alt.Y("words:N", sort=list(d["words"]), title=None, axis=alt.Axis(labelLimit=260))
    bars = (
        alt.Chart(long)
        .mark_bar(opacity=0.85)
        .encode(
            y=y,
            x=alt.X("central:Q", title=MEASURE_TITLES.get(measure, measure)),
            x2=alt.X2("value"),
            color=alt.Color(
                "end:N",
                scale=alt.Scale(range=["#4363d8", "#e6194b"]),
                legend=alt.Legend(title="one input moved"),
            ),
            tooltip=[
                alt.Tooltip("words:N", title="input"),
                alt.Tooltip("end:N", title="at"),
                alt.Tooltip("value:Q", format=",.1f", title=unit),
                alt.Tooltip("central:Q", format=",.1f", title="central run"),
            ],
        )
    )
    centre = alt.Chart(d.head(1)).mark_rule(color="black").encode(x="central:Q")
    year = int(frame["year"].iloc[0])
    title = alt.TitleParams(
        f"What moves {MEASURE_TITLES.get(measure, measure)} in {year}: {_where(frame)}",
        subtitle="each input alone at its P10 and its P90, every other at its stated value",
    )
    return shown(alt.layer(bars, centre, width=_W, height=_H, title=title))


def sobol_chart(indices: pd.DataFrame, measure: str = "required_fte", top: int = 10) -> alt.Chart:
    """Draw first-order and total Sobol indices of the inputs, largest total first.

    Parameters
    ----------
    indices
        :func:`wfkit.sobol`'s ``indices``.
    measure
        ``required_fte``, ``gap_fte`` or ``cost_gbp``.
    top
        How many inputs to draw (those with the largest total index).

    Returns
    -------
    altair.LayerChart
        Two bars per input (share of the variance the input explains alone, and with its
        interactions) and rules for SALib's 95% bootstrap intervals.
    """
    _need(indices, ["measure", "words", "S1", "S1_conf", "ST", "ST_conf"], "sobol_chart")
    d = indices[indices["measure"] == measure]
    if d.empty:
        raise ValueError(f"sobol_chart: no rows for measure {measure!r}")
    d = d.sort_values("ST", ascending=False).head(top)
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "words": d["words"],
                    "index": name,
                    "value": d[col],
                    "lo": d[col] - d[f"{col}_conf"],
                    "hi": d[col] + d[f"{col}_conf"],
                }
            )
            for col, name in (("S1", "first order (alone)"), ("ST", "total (with interactions)"))
        ]
    )
    y = alt.Y("words:N", sort=list(d["words"]), title=None, axis=alt.Axis(labelLimit=260))
    off = alt.YOffset("index:N")
    base = alt.Chart(long).encode(y=y, yOffset=off)
    bars = base.mark_bar().encode(
        x=alt.X("value:Q", title="share of the variance (0 to 1)"),
        color=alt.Color("index:N", legend=alt.Legend(title="Sobol index")),
        tooltip=[
            alt.Tooltip("words:N", title="input"),
            alt.Tooltip("index:N"),
            alt.Tooltip("value:Q", format=".3f"),
            alt.Tooltip("lo:Q", format=".3f", title="95% interval from"),
            alt.Tooltip("hi:Q", format=".3f", title="to"),
        ],
    )
    err = base.mark_rule().encode(x="lo:Q", x2="hi")
    year = int(d["year"].iloc[0]) if "year" in d else ""
    title = alt.TitleParams(
        f"What moves {MEASURE_TITLES.get(measure, measure)} in {year}: {_where(d)}",
        subtitle=f"Sobol indices over every uncertain input, {int(d['n'].iloc[0]):,} base samples",
    )
    return shown(alt.layer(bars, err, width=_W, height=_H, title=title))
