"""How wfkit's charts are shown: offline widgets, a static SVG beside them, one copy of Vega.

:func:`enable_offline` makes charts render through the ``jupyter`` renderer with the Vega
scripts inlined (no CDN) and, by default, carry a static SVG drawn by vl-convert, so saved
notebooks, papermill outputs, nbconvert HTML and repository viewers show them.  The chart
functions of :mod:`wfkit.charts` return their charts through :func:`shown`, which turns an
altair chart into the matching class here (same spec) so that displaying it uses the shared
widget and the static rendering.
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

from . import cache as _cache

__all__ = [
    "RENDERER",
    "Chart",
    "LayerChart",
    "FacetChart",
    "enable_offline",
    "static_svg",
    "chart_widget",
    "showing",
    "shown",
]


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


def shown(chart: Any) -> Any:
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
