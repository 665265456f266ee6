"""ipywidgets controls that rerun a use case and redraw its charts.

Widgets are thin: a slider change calls :func:`redraw`, a plain function (rebuild the
use case with the new values, run it, draw the chart) that tests call directly, because
headless runs (papermill, nbval) never fire widget callbacks.

>>> box = explore(uc, ["shift_fraction", "growth_rate", "minutes_change"])   # in JupyterLab
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import ipywidgets as w
import pandas as pd

from . import charts, usecases
from .errors import InputError
from .settings import Setting
from .tables_display import readable

__all__ = [
    "SLIDERS",
    "CHARTS",
    "Explorer",
    "slider",
    "slider_label",
    "slider_setting",
    "redraw",
    "explore",
]

#: sliders by parameter: the step and, where a slider shows less than the declared range,
#: the narrower ``(lo, hi)`` (checked to lie inside the declaration, :meth:`Setting.narrow`)
SLIDERS: dict[str, tuple[float, tuple[float, float] | None]] = {
    "shift_fraction": (0.05, None),
    "growth_rate": (0.0025, (-0.01, 0.03)),
    "minutes_change": (0.05, (-0.5, 0.5)),
    "pharmacist_minutes": (1.0, (5.0, 40.0)),
    "paramedic_minutes": (1.0, (5.0, 40.0)),
    "physician_associate_minutes": (1.0, (5.0, 40.0)),
    "supervision_hours": (0.5, (0.0, 6.0)),
    "frailty_overlap": (0.1, (0.0, 3.0)),
    "nurse_part": (0.05, None),
    "associate_part": (0.05, None),
    "pharmacist_part": (0.05, None),
    "paramedic_part": (0.05, None),
    "physician_associate_part": (0.05, None),
}


def slider_setting(name: str) -> Setting:
    """Return the declaration a slider shows: the parameter's own, narrowed by :data:`SLIDERS`.

    Narrowed where :data:`SLIDERS` says, so a slider's range is always inside the one
    every other front door checks.
    """
    if name not in SLIDERS:
        raise InputError(f"no slider for {name!r}; expected one of {sorted(SLIDERS)}", column=name)
    declared = usecases.params.setting(name)
    if declared is None:  # pragma: no cover - every slider names a declared parameter (tested)
        raise InputError(f"no declaration for slider {name!r}", column=name)
    narrower = SLIDERS[name][1]
    return declared if narrower is None else declared.narrow(*narrower)


#: charts :func:`redraw` can draw, by name: results frame -> chart
CHARTS: dict[str, Callable[[Any], Any]] = {
    "fte_by_role": lambda run: charts.fte_by_role(usecases.results_frame(run)),
    "required_vs_in_post": lambda run: charts.required_vs_in_post(usecases.results_frame(run)),
    "who_does_what": lambda run: charts.who_does_what(usecases.who_does_what(run)),
    "cost_per_1000": lambda run: charts.cost_per_1000(usecases.results_frame(run)),
}


#: units of a fraction a slider shows as a percentage, and how its label says so
PERCENT_UNITS = {"": "%", "an annual rate": "% a year", "a relative change": "% change"}


def _percent(rule: Setting) -> bool:
    """Whether a slider shows its setting as a percentage (a fraction of at most 1)."""
    return (
        rule.kind is float
        and rule.unit in PERCENT_UNITS
        and rule.lo is not None
        and rule.hi is not None
        and -1.0 <= float(rule.lo)
        and float(rule.hi) <= 1.0
    )


def slider_label(name: str) -> str:
    """Return a slider's label: its setting's label in words with the unit it shows.

    ``growth_rate`` -> ``Extra growth a year (% a year)``, ``pharmacist_minutes`` ->
    ``Pharmacist minutes per same-day contact (minutes)``.

    Parameters
    ----------
    name : str
        A parameter of :data:`SLIDERS`.

    Returns
    -------
    str
        The label.
    """
    rule = slider_setting(name)
    text = charts.words(rule.label or name)
    unit = PERCENT_UNITS[rule.unit] if _percent(rule) else rule.unit.removeprefix("a ")
    return f"{text} ({unit})" if unit else text


def slider(name: str, value: float) -> w.FloatSlider:
    """Make a slider for one parameter of :data:`SLIDERS`, starting at ``value``.

    Labelled in words with its unit (:func:`slider_label`), in full above the track;
    fractions read as percentages; the setting's help as its tooltip.

    Parameters
    ----------
    name : str
        A parameter of :data:`SLIDERS`.
    value : float
        Where the slider starts.

    Returns
    -------
    ipywidgets.FloatSlider
        The slider.
    """
    rule = slider_setting(name)
    step = SLIDERS[name][0]
    percent = _percent(rule)
    return w.FloatSlider(
        value=float(value),
        min=min(float(rule.lo), float(value)),  # type: ignore[arg-type]
        max=max(float(rule.hi), float(value)),  # type: ignore[arg-type]
        step=step,
        description=slider_label(name),
        tooltip=f"{rule.help[:1].upper()}{rule.help[1:]} ({rule.expected})",
        continuous_update=False,
        readout_format=(".2%" if step < 0.01 else ".0%") if percent else ".3g",
        style={"description_width": "initial"},
        layout=w.Layout(width="100%", max_width="48em"),
    )


def redraw(
    use_case: usecases.UseCase, values: Mapping[str, Any], chart: str = "fte_by_role"
) -> tuple[Any, Any, pd.DataFrame]:
    """Rerun ``use_case`` with ``values`` changed; return ``(run, chart, headline table)``.

    What every slider calls; tests call it directly.
    """
    if chart not in CHARTS:
        raise InputError(f"unknown chart {chart!r}; expected one of {sorted(CHARTS)}")
    run = usecases.rerun(use_case, **dict(values))
    return run, CHARTS[chart](run), usecases.headline(run).round(1)


def _display_data(obj: Any) -> dict[str, Any]:
    """``obj`` as a ``display_data`` output, formatted as the notebook would display it."""
    # lazy: IPython only inside a running kernel
    from IPython import get_ipython
    from IPython.core.formatters import DisplayFormatter

    shell = get_ipython()
    fmt = shell.display_formatter.format if shell is not None else DisplayFormatter().format
    data, metadata = fmt(obj)
    return {"output_type": "display_data", "data": data, "metadata": metadata}


class Explorer(w.VBox):
    """The box :func:`explore` returns: a live widget with a drawing of its current chart.

    Displayed as a live widget, with the drawing of its current chart beside it
    (:func:`wfkit.charts.static_svg`) for a reader without a kernel.
    """

    chart: Any = None

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple):  # (data, metadata)
            data, meta = bundle
        else:
            data, meta = bundle, None
        if self.chart is not None and data is not None:
            data = {**data, "image/svg+xml": charts.static_svg(self.chart)}
            data["text/plain"] = "[sliders over a chart: move them in JupyterLab]"
        return data if meta is None else (data, meta)


def explore(
    use_case: usecases.UseCase,
    names: Iterable[str] = ("shift_fraction", "growth_rate", "minutes_change"),
    chart: str = "fte_by_role",
) -> Explorer:
    """Sliders for ``names`` above a chart and the headline table (in words, with units).

    Moving a slider reruns the model (:func:`redraw`) and redraws both at once.

    The chart is one :class:`altair.JupyterChart` widget, redrawn in place (its ``chart``
    is replaced), so moving a slider a hundred times leaves one chart in the page, not a
    hundred.  The table is set as the outputs of an Output widget in one step rather than
    captured from ``display()`` calls: under papermill, nbclient's stand-in for a capturing
    Output widget sends messages on the shell channel while it waits for the cell's reply
    there, and runs stalled until their timeout now and then.
    """
    sliders = {n: slider(n, use_case.params[n]) for n in names}
    status = w.HTML()
    chart_box = w.Box()
    table = w.Output()
    box = Explorer()

    def show(change: Any = None) -> None:
        values = {n: s.value for n, s in sliders.items()}
        status.value = "running ..."
        try:
            _, ch, headline = redraw(use_case, values, chart)
        except Exception as exc:  # shown to the user, the sliders stay usable
            status.value = f"<b>Could not run with these settings:</b> {html.escape(str(exc))}"
            return
        if chart_box.children:
            with charts.showing(ch):
                chart_box.children[0].chart = ch
        else:
            chart_box.children = (charts.chart_widget(ch),)
        box.chart = ch
        table.outputs = (_display_data(readable(headline)),)
        status.value = ""

    for s in sliders.values():
        s.observe(show, names="value")
    show()
    box.children = (*sliders.values(), status, chart_box, table)
    return box
