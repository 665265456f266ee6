"""Altair charts of model results, each drawn from a small tidy frame.

Every function takes a tidy frame from :mod:`wfkit.usecases` (``results_frame``,
``who_does_what``, ``same_day_queueing``, ``pathway_overlap``), keeps only the rows the
chart needs (charts embed their data, so aggregate first) and returns an Altair chart.

In JupyterLab, Voila and offline networks call :func:`enable_offline` once: charts then
render through the ``jupyter`` renderer with the Vega scripts inlined (no CDN).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from . import cache as _cache
from .data import LEVELS, select_areas
from .data import role_labels as bundled_role_labels
from .errors import WfkitError

__all__ = [
    "enable_offline",
    "static_svg",
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


def _bundle_cache() -> Path:
    """Where the offline Vega bundle is cached, keyed by the altair and vl-convert versions."""
    # lazy: vl-convert only when a chart is rendered to SVG/PNG
    import vl_convert

    name = f"altair-{alt.__version__}-vl-convert-{vl_convert.__version__}-jupyterchart.js"
    return _cache.cache_dir() / "vega" / name


def enable_offline(cache: bool = True, static: bool = True) -> None:
    """Render charts offline (``alt.renderers.enable("jupyter", offline=True)``).

    With ``static`` (the default) every chart this module makes also carries an SVG
    drawing of itself (:func:`static_svg`) beside the live widget, so a saved notebook, a
    papermill output opened later, nbconvert HTML and a repository viewer show the chart
    with no kernel and no network; the widget still redraws where a kernel runs.

    Building the offline Vega bundle takes vl-convert a while; with ``cache`` (and
    the cache on, see :mod:`wfkit.cache`) the bundle is kept on disk per altair and
    vl-convert version, so later kernels start at once.
    """
    try:
        # lazy: altair.jupyter loads anywidget and ipywidgets, only for a live chart
        from altair.jupyter import JupyterChart

        if cache and _cache.enabled() and not getattr(JupyterChart, "_is_offline", True):
            path = _bundle_cache()
            if _cache.trusted(path):  # only a bundle nobody else could have changed
                JupyterChart._esm = path.read_text(encoding="utf-8")
                JupyterChart._is_offline = True
            else:
                JupyterChart.enable_offline(True)
                _cache.write_text(path, JupyterChart._esm)
    except (ImportError, AttributeError, OSError):  # pragma: no cover - fall back to altair's own
        pass
    _STATIC["on"] = bool(static)
    alt.renderers.enable(RENDERER, offline=True)


#: whether displayed charts carry an SVG beside the widget (:func:`enable_offline`)
_STATIC: dict[str, bool] = {"on": True}


def _vl_version() -> str:
    """Return the Vega-Lite version of altair's schema as vl-convert names it (``v6_4``)."""
    return "v" + "_".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def static_svg(chart: Any) -> str:
    """Draw ``chart`` as SVG with vl-convert: offline, no browser, no network.

    ``chart`` is an altair chart, or its Vega-Lite spec as a dict.  The drawing is what a
    displayed chart carries beside its widget, and what reports embed.
    """
    # lazy: vl-convert starts a JavaScript engine; only charts that are drawn need it
    import vl_convert

    if isinstance(chart, dict):
        spec = chart
    else:
        with showing(chart):
            spec = chart.to_dict()
    # the same chart shown twice (a notebook's chart and the explorer's first view) is
    # drawn once: a drawing costs vl-convert a good part of a second
    key = hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()
    svg = _DRAWN.get(key)
    if svg is None:
        svg = vl_convert.vegalite_to_svg(spec, vl_version=_vl_version())
        while len(_DRAWN) >= 32:  # a few recent drawings, not every slider move's
            _DRAWN.pop(next(iter(_DRAWN)))
        _DRAWN[key] = svg
    return svg


#: recent drawings by a digest of their spec (:func:`static_svg`)
_DRAWN: dict[str, str] = {}


def _title(chart: Any) -> str:
    """Return a chart's title in words (for the plain-text form of its output)."""
    title = getattr(chart, "title", None)
    text = getattr(title, "text", title)
    if isinstance(text, list):
        text = " ".join(map(str, text))
    return text if isinstance(text, str) and text else "a chart"


#: top-level chart classes by the key their spec is recognised by (else :class:`alt.Chart`)
_TOP = {
    "facet": "FacetChart",
    "layer": "LayerChart",
    "hconcat": "HConcatChart",
    "vconcat": "VConcatChart",
    "concat": "ConcatChart",
    "repeat": "RepeatChart",
}

#: the renderer :func:`enable_offline` turns on
RENDERER = "wfkit-jupyter"


#: The front-end code of a chart widget when the Vega bundle is shared: it loads the
#: bundle once per page from the bundle widget (as anywidget loads any module, from a Blob
#: URL) and hands the view to altair's own ``render``.
_SHARED_ESM = """
function vega(model) {
  const key = model.get("_vega_key");
  const loaded = (globalThis.__wfkit_vega ??= {});
  loaded[key] ??= (async () => {
    const bundle = await model.widget_manager.get_model(model.get("_vega_bundle"));
    const url = URL.createObjectURL(new Blob([bundle.get("code")], { type: "text/javascript" }));
    try {
      return (await import(url)).default;
    } finally {
      URL.revokeObjectURL(url);
    }
  })().catch((err) => {
    delete loaded[key];
    throw err;
  });
  return loaded[key];
}
export default {
  async render(view) {
    try {
      return (await vega(view.model)).render(view);
    } catch (err) {
      view.el.innerText = "The chart could not load its Vega scripts: " + err;
    }
  },
};
"""

#: this kernel's bundle widget and the key of its scripts (see :func:`_vega_bundle`)
_SHARED: dict[str, Any] = {}


@functools.cache
def _shared_classes() -> tuple[type, type]:
    """Return the class of the bundle widget and of the chart widget that loads from it.

    Made once; anywidget and traitlets are imported only when a chart is first shown.
    """
    # lazy: anywidget, traitlets and altair.jupyter (ipywidgets) only for a live chart
    import anywidget
    import traitlets
    from altair.jupyter import JupyterChart

    class VegaBundle(anywidget.AnyWidget):
        """The offline Vega scripts (about 1 MB), sent to the page once per kernel."""

        _esm = "export default {};"
        code = traitlets.Unicode().tag(sync=True)

    class SharedBundleChart(JupyterChart):
        """An :class:`altair.JupyterChart` that loads the offline Vega scripts from a widget.

        Its page code is a few lines that load the scripts from one :class:`VegaBundle`
        widget, instead of a copy of them in every chart (each chart sent and saved about
        1 MB).
        """

        _esm = _SHARED_ESM
        _vega_bundle = traitlets.Unicode().tag(sync=True)
        _vega_key = traitlets.Unicode().tag(sync=True)

    return VegaBundle, SharedBundleChart


def _vega_bundle() -> tuple[Any, str]:
    """Return this kernel's bundle widget and the key the page keeps the loaded scripts under.

    The widget is made again if it was closed or the scripts changed.
    """
    bundle_cls, _ = _shared_classes()
    # lazy: altair.jupyter loads anywidget and ipywidgets, only for a live chart
    from altair.jupyter import JupyterChart

    bundle = _SHARED.get("bundle")
    if bundle is None or bundle.comm is None or bundle.code is not JupyterChart._esm:
        bundle = _SHARED["bundle"] = bundle_cls(code=JupyterChart._esm)
        _SHARED["key"] = hashlib.sha256(bundle.code.encode()).hexdigest()[:16]
    return bundle, _SHARED["key"]


def _jupyter_chart(chart: Any, options: Mapping[str, Any]) -> Any:
    """Return a chart widget of ``chart`` under the renderer's ``options``.

    ``options`` are ``offline`` and ``embed_options``.  The widget is an
    :class:`altair.JupyterChart`, which offline loads the Vega scripts from this kernel's
    one bundle widget rather than carrying its own copy.
    """
    # lazy: altair.jupyter loads anywidget and ipywidgets, only for a live chart
    from altair import JupyterChart

    offline = bool(options.get("offline", False))
    JupyterChart.enable_offline(offline=offline)
    if not offline:
        return JupyterChart(chart=chart, embed_options=options.get("embed_options"))
    bundle, key = _vega_bundle()
    _, chart_cls = _shared_classes()
    return chart_cls(
        chart=chart,
        embed_options=options.get("embed_options"),
        _vega_bundle=bundle.model_id,
        _vega_key=key,
    )


def chart_widget(chart: Any) -> Any:
    """Return ``chart`` as a widget (an :class:`altair.JupyterChart`).

    The widget follows the active renderer's options: offline after
    :func:`enable_offline`, sharing one copy of the Vega scripts.
    """
    with showing(chart):
        return _jupyter_chart(chart, alt.renderers.options or {})


def _widget(spec: dict, options: Mapping[str, Any] | None = None):
    """Return a :class:`altair.JupyterChart` of a spec already checked by ``Chart.to_dict``."""
    options = options or {}
    cls = getattr(alt, next((c for k, c in _TOP.items() if k in spec), "Chart"))
    try:
        return _jupyter_chart(cls.from_dict(spec, validate=False), options)
    except Exception:  # anything unexpected: altair's own, checked path
        return _jupyter_chart(alt.Chart.from_dict(spec), options)


def _jupyter_renderer(spec: dict, **metadata) -> dict:
    """Render ``spec`` as altair's ``jupyter`` renderer does, without its second schema check.

    The renderer shows a :class:`altair.JupyterChart` widget.  The spec was checked by
    ``Chart.to_dict`` before it reached the renderer, and ``Chart.from_dict`` checking it
    again cost time for every chart.  The widget still checks the chart once more when it
    turns it back into a spec.
    """
    return _widget(spec, metadata)._repr_mimebundle_()


alt.renderers.register(RENDERER, _jupyter_renderer)


class _ShownAsWidget:
    """Display through the wfkit renderer by handing the chart itself to a JupyterChart.

    A renderer only receives a chart's spec, so altair's ``jupyter`` renderer rebuilds a
    chart from it (``Chart.from_dict``: schema matching for each chart) for the
    widget to turn straight back into a spec; the charts of this module skip that round
    trip.  Under any other renderer they display as altair's own charts do.

    A chart exactly as a function of this module made it is not checked against the
    Vega-Lite schema again while the widget turns it into a spec (a cost paid per chart): what
    those functions make is checked by the tests (``tests/unit/test_charts.py``), and their
    data cannot make a spec invalid.  A chart changed after it was made (``.properties``,
    ``+``, any method: each returns a new chart without the mark) is checked as altair
    checks any chart, and so is every ``to_dict()`` outside display.
    """

    def _repr_mimebundle_(self, *args: Any, **kwds: Any) -> Any:
        if alt.renderers.active != RENDERER:
            return super()._repr_mimebundle_(*args, **kwds)  # type: ignore[misc]
        try:
            widget = chart_widget(self)
        except Exception:  # altair's own path shows the error
            return super()._repr_mimebundle_(*args, **kwds)  # type: ignore[misc]
        bundle = widget._repr_mimebundle_()
        if not _STATIC["on"]:
            return bundle
        data, meta = bundle if isinstance(bundle, tuple) else (bundle, None)
        # a drawing beside the widget: what a reader without a kernel sees
        # the widget's own spec (checked once, as it was made): no second check or build
        spec = getattr(widget, "spec", None)
        svg = static_svg(spec if isinstance(spec, dict) and spec else self)
        data = {**data, "image/svg+xml": svg, "text/plain": f"[chart: {_title(self)}]"}
        return data if meta is None else (data, meta)

    def to_dict(self, *args: Any, **kwargs: Any) -> dict:
        if _DISPLAYING and _DISPLAYING[-1] is self and self.__dict__.get(_MADE_HERE):
            kwargs.setdefault("validate", False)
        return super().to_dict(*args, **kwargs)  # type: ignore[misc]


#: the charts being displayed now (innermost last)
_DISPLAYING: list[Any] = []


@contextmanager
def showing(chart: Any) -> Iterator[None]:
    """Skip the second schema check while handing ``chart`` to a widget.

    While ``chart`` is handed to a widget (``JupyterChart(chart)`` or a widget's ``.chart =
    chart``), a chart made by this module, unchanged, is not checked against the schema a
    second time (see :class:`_ShownAsWidget`).
    """
    _DISPLAYING.append(chart)
    try:
        yield
    finally:
        _DISPLAYING.pop()


#: the instance attribute marking a chart as a function of this module returned it
_MADE_HERE = "_wfkit_made_here"


class Chart(_ShownAsWidget, alt.Chart):
    """An :class:`altair.Chart` displayed by :class:`_ShownAsWidget`."""


class LayerChart(_ShownAsWidget, alt.LayerChart):
    """An :class:`altair.LayerChart` displayed by :class:`_ShownAsWidget`."""


class FacetChart(_ShownAsWidget, alt.FacetChart):
    """An :class:`altair.FacetChart` displayed by :class:`_ShownAsWidget`."""


_SHOWN: dict[type, type] = {
    alt.Chart: Chart,
    alt.LayerChart: LayerChart,
    alt.FacetChart: FacetChart,
}


def _shown(chart: Any) -> Any:
    """``chart`` as the matching class above (same object, same spec), or as it is."""
    cls = _SHOWN.get(type(chart))
    if cls is None:
        return chart
    # the chart itself, as the subclass (which adds only methods): building it again from
    # its properties would run the layer's and facet's parameter merging (deep copies of
    # every sub-chart) once more; object.__setattr__, since altair's stores into the spec
    object.__setattr__(chart, "__class__", cls)
    object.__setattr__(chart, _MADE_HERE, True)  # not a spec property: kept out of _kwds
    return chart


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
    """Return a code in words, as charts label scenarios (``future_model`` -> ``Future model``)."""
    text = str(code).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


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
    shown = [labels.get(r, _words(r)) for r in roles]
    colour = alt.Color(
        "role:N",
        sort=shown,
        scale=_role_colour(roles, labels),
        legend=alt.Legend(title="role", values=shown),
    )
    tip = [alt.Tooltip("scenario:N"), alt.Tooltip("role:N"), *_stat_tooltip(what)]
    return _shown(
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
    return _shown(
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
    return _shown(
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
    return _shown(
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
    return _shown(
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
    return _shown(
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
