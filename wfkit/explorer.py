"""The scenario explorer: a dashboard for people who never open a notebook.

``wfkit app`` serves it with Voila on 127.0.0.1 (:mod:`wfkit.app`); in JupyterLab,
``explorer.dashboard()`` shows the same page.  Pick an area by name (type-ahead over
practices, networks, sub-ICBs and ICBs) and a use case, move who does what, growth,
minutes and calibration, and see FTE by role with its P10-P90 band, required against in
post, why the gap changes from the base year (a waterfall of its drivers,
:func:`wfkit.explain`), the gap and the cost per 1,000 patients change at once; download the results as CSV
and Excel and the report as HTML.  Bad input (an unknown area) shows a message in words on
the page, never a traceback.

The widgets are thin: every figure comes from plain functions (:func:`find_area`,
:func:`compute`, :func:`key_figures`, :func:`downloads`) that tests call directly.
"""

from __future__ import annotations

import base64
import functools
import html
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd

from . import charts, driver_charts, usecases, widgets
from .drivers import explain
from .errors import InputError, WfkitError
from .report import labels
from .tables_display import readable

__all__ = [
    "LEVELS",
    "GROUPS_ENV",
    "SLIDERS",
    "DRAWS",
    "own_sliders",
    "area_choices",
    "find_area",
    "compute",
    "key_figures",
    "downloads",
    "Dashboard",
    "dashboard",
]

#: the levels an area can be picked at, in words
LEVELS = {"practice": "practice", "pcn": "network", "sub_icb": "sub-ICB", "icb": "ICB"}
#: the sliders the explorer shows (their ranges and labels: :mod:`wfkit.widgets`)
SLIDERS = ("shift_fraction", "growth_rate", "minutes_change")
#: Monte Carlo draws per run: enough for a P10-P90 band, few enough to redraw in a second
DRAWS = 50
#: the calibrations, in words
CALIBRATIONS = {
    "national": "National: England's base-year need equals its staff in post",
    "local": "Local: the area's own appointments set its service use",
    "none": "None: the bundled rates as they are",
}
#: the area the page opens with
START = "U06180"
#: the environment variable naming a grouping file whose neighbourhoods the picker lists
#: too (``wfkit app --groups FILE`` sets it; docs/neighbourhoods.md)
GROUPS_ENV = "WFKIT_GROUPS"


@functools.cache
def area_choices() -> dict[str, tuple[str, str]]:
    """Return every bundled area as the picker lists it: ``"name (level, code)"`` -> (code, level).

    Practices, networks, sub-ICBs and ICBs, names in capitals for reading; and the
    neighbourhoods of the grouping file :data:`GROUPS_ENV` names, if any (``wfkit app
    --groups FILE``), each at the grouping's level.

    Returns
    -------
    dict[str, tuple[str, str]]
        The picker's text for each area, to its code and level.
    """
    # lazy: the area tables are read when the page opens, not on import
    from .data import group_level, select_areas

    levels = dict(LEVELS)
    if os.environ.get(GROUPS_ENV):
        levels[group_level(os.environ[GROUPS_ENV])] = "neighbourhood"
    out: dict[str, tuple[str, str]] = {}
    for level, word in levels.items():
        found = select_areas(level=level)
        for code, name in zip(found["area"], found["area_name"], strict=True):
            out[f"{charts.tidy_name(str(name))} ({word}, {code})"] = (str(code), level)
    return out


def find_area(text: str) -> tuple[str, str]:
    """Find the area a user typed: a picker entry, a code, or a name (or part of one).

    Parameters
    ----------
    text : str
        What is in the area box.

    Returns
    -------
    tuple[str, str]
        The area's code and level.

    Raises
    ------
    InputError
        No area or more than one matches, in words (with a few of the matches).
    """
    choices = area_choices()
    typed = " ".join(str(text).split())
    if typed in choices:
        return choices[typed]
    if not typed:
        raise InputError("Type the name of a practice, network, sub-ICB or ICB to pick an area.")
    low = typed.lower()
    by_code = {v for v in choices.values() if v[0].lower() == low}
    if len(by_code) == 1:
        return by_code.pop()
    found = [k for k in choices if low in k.lower()]
    exact = [k for k in found if k.lower().startswith(low + " (")]
    if len(exact) == 1:
        return choices[exact[0]]
    if len(found) == 1:
        return choices[found[0]]
    if not found:
        raise InputError(
            f"No area called '{typed}': type part of a practice, network, sub-ICB or ICB "
            "name and pick one from the list."
        )
    some = "; ".join(found[:3])
    raise InputError(f"'{typed}' matches {len(found)} areas ({some}, ...): pick one from the list.")


@dataclass
class Result:
    """One run of the explorer: the use case, its run, and the settings it ran with."""

    use_case: usecases.UseCase
    run: Any
    params: dict[str, Any]


def own_sliders(use_case: str) -> tuple[str, ...]:
    """Return the sliders a use case adds to :data:`SLIDERS`: its parameters that have one.

    For example who takes the moved work (the Type 2 diabetes use case's ``nurse_part``; the
    same-day use case's three ``*_part``, which must add up to 1, so a page can be set to an
    impossible split and says so).

    Parameters
    ----------
    use_case : str
        One of :data:`wfkit.usecases.USE_CASES`.

    Returns
    -------
    tuple of str
        Parameter names, in the use case's order.
    """
    spec = usecases.REGISTRY[use_case].params or []
    return tuple(s.name for s in spec if s.name in widgets.SLIDERS and s.name not in SLIDERS)


def compute(
    use_case: str, area: str, values: Mapping[str, Any], calibration: str = "national"
) -> Result:
    """Run ``use_case`` for the area typed with the sliders' ``values``.

    Parameters
    ----------
    use_case : str
        One of :data:`wfkit.usecases.USE_CASES`.
    area : str
        What is in the area box (:func:`find_area`).
    values : Mapping[str, Any]
        Slider values by parameter name.
    calibration : str
        One of :data:`CALIBRATIONS`.

    Returns
    -------
    Result
        The use case, its run and its parameters.
    """
    code, level = find_area(area)
    params = {
        "area": code,
        "level": level,
        "draws": DRAWS,
        "calibration": calibration,
        **dict(values),
    }
    uc = usecases.build(use_case, params)
    return Result(uc, uc.run(), params)


def key_figures(run: Any) -> pd.DataFrame:
    """Return the figures the page states at once, by scenario in the last year.

    Parameters
    ----------
    run : wfkit.scenario.ScenarioRun
        A run.

    Returns
    -------
    pandas.DataFrame
        ``scenario``, ``required_fte``, ``in_post_fte``, ``gap_fte``, ``cost_per_1000`` and
        ``cost_change_per_1000`` (against the baseline, in the same year).
    """
    head = usecases.headline(run)
    base = float(head.loc[head["scenario"] == "baseline", "cost_per_1000"].iloc[0])
    out = head[["scenario", "year", "required_fte", "in_post_fte", "gap_fte", "cost_per_1000"]]
    return out.assign(cost_change_per_1000=out["cost_per_1000"] - base).reset_index(drop=True)


def _sentence(figures: pd.DataFrame) -> str:
    """Say the key figures of the last scenario in one sentence of words."""
    last = figures.iloc[-1]
    return (
        f"In {int(last['year'])}, {labels.scenario_label(str(last['scenario'])).lower()}: "
        f"{labels.fte(last['required_fte'])} FTE required against "
        f"{labels.fte(last['in_post_fte'])} in post, {labels.gap_words(last['gap_fte'])}; "
        f"cost per 1,000 patients {last['cost_change_per_1000']:+,.0f} £ a year against "
        "the baseline."
    )


def downloads(result: Result) -> dict[str, bytes]:
    """Return the files a user can download: results (CSV, Excel) and the report (HTML).

    Parameters
    ----------
    result : Result
        What :func:`compute` returned.

    Returns
    -------
    dict[str, bytes]
        ``wfkit-results.csv`` (the tidy results frame), ``wfkit-results.xlsx``
        (:func:`wfkit.report.excel.write_workbook`) and ``wfkit-report.html``
        (:func:`wfkit.report.html.render_report`, self-contained).
    """
    # lazy: the report machinery loads when a user asks for files
    from .report.excel import write_workbook
    from .report.facts import gather
    from .report.html import render_report

    facts = gather(result.run, result.params, result.use_case.use_case)
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "results.xlsx"
        write_workbook(facts, book, result.run)
        xlsx = book.read_bytes()
    return {
        "wfkit-results.csv": usecases.results_frame(result.run).to_csv(index=False).encode(),
        "wfkit-results.xlsx": xlsx,
        "wfkit-report.html": render_report(facts).encode("utf-8"),
    }


_MIME = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".html": "text/html",
}


def _links(files: Mapping[str, bytes]) -> str:
    """Download links that carry their file (no request to a server)."""
    out = []
    for name, data in files.items():
        mime = _MIME[Path(name).suffix]
        href = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
        out.append(f'<a download="{name}" href="{href}">{html.escape(name)}</a>')
    return "Download: " + " &middot; ".join(out)


class Dashboard(w.VBox):
    """The explorer's page: controls on top, the key figures, the charts and the table."""

    def __init__(self, area: str | None = None, use_case: str = "type2_diabetes") -> None:
        choices = area_choices()
        start = area or next(k for k, v in choices.items() if v[0] == START)
        self.area = w.Combobox(
            value=start,
            options=tuple(choices),
            placeholder="Type part of a practice, network, sub-ICB or ICB name",
            description="Area",
            ensure_option=False,
            continuous_update=False,
            layout=w.Layout(width="100%", max_width="48em"),
        )
        self.use_case = w.Dropdown(
            options=[(charts.words(d), n) for n, d in usecases.USE_CASES.items()],
            value=use_case,
            description="Use case",
            layout=w.Layout(width="100%", max_width="48em"),
        )
        self.calibration = w.Dropdown(
            options=[(t, k) for k, t in CALIBRATIONS.items()],
            value="national",
            description="Calibration",
            layout=w.Layout(width="100%", max_width="48em"),
        )
        self.sliders = self._sliders(use_case, SLIDERS)
        self.own = w.VBox(list(self._own(use_case).values()))
        for c in (self.area, self.use_case, self.calibration):
            c.style = {"description_width": "6em"}
        self.message = w.HTML()
        self.figures = w.HTML()
        self.fte = w.Box()
        self.required = w.Box()
        self.why = w.Box()
        self.table = w.HTML()
        self.files = w.HTML()
        self.prepare = w.Button(description="Make the download files")
        self.prepare.layout.width = "16em"
        self.result: Result | None = None
        super().__init__(
            [
                w.HTML("<h2>wfkit scenario explorer</h2>"),
                self.area,
                self.use_case,
                self.calibration,
                *self.sliders.values(),
                self.own,
                self.message,
                self.figures,
                self.fte,
                self.required,
                self.why,
                self.table,
                w.HBox([self.prepare, self.files]),
            ]
        )
        for c in (self.area, self.calibration, *self.sliders.values()):
            c.observe(self.update, names="value")
        self.use_case.observe(self._new_use_case, names="value")
        self.prepare.on_click(self.make_files)
        self.update()

    @staticmethod
    def _sliders(use_case: str, names: tuple[str, ...]) -> dict[str, w.FloatSlider]:
        """Sliders for ``names``, each at the use case's default."""
        spec = usecases.REGISTRY[use_case].params
        defaults = {s.name: s.default for s in spec} if spec else {}
        return {
            n: widgets.slider(n, defaults.get(n, usecases.params.setting(n).default))  # type: ignore[union-attr]
            for n in names
        }

    def _own(self, use_case: str) -> dict[str, w.FloatSlider]:
        """Make the use case's own sliders (:func:`own_sliders`), each rerunning the model."""
        self.own_sliders = self._sliders(use_case, own_sliders(use_case))
        for s in self.own_sliders.values():
            s.observe(self.update, names="value")
        return self.own_sliders

    def _new_use_case(self, change: Any = None) -> None:
        """Show the chosen use case's own sliders, then rerun."""
        self.own.children = list(self._own(self.use_case.value).values())
        self.update()

    def _draw(self, box: w.Box, chart: Any) -> None:
        """Draw ``chart`` in ``box``: one chart widget, redrawn in place."""
        if box.children:
            with charts.showing(chart):
                box.children[0].chart = chart
        else:
            box.children = (charts.chart_widget(chart),)

    def update(self, change: Any = None) -> None:
        """Rerun the model with the page's settings and redraw everything at once."""
        values = {n: s.value for n, s in {**self.sliders, **self.own_sliders}.items()}
        try:
            result = compute(self.use_case.value, self.area.value, values, self.calibration.value)
        except (WfkitError, ValueError, KeyError) as exc:
            self.message.value = f'<p style="color:#b00020"><b>{html.escape(str(exc))}</b></p>'
            return
        self.result = result
        self.message.value = ""
        self.files.value = ""
        res = usecases.results_frame(result.run)
        figures = key_figures(result.run)
        self.figures.value = f"<p><b>{html.escape(_sentence(figures))}</b></p>"
        self._draw(self.fte, charts.fte_by_role(res))
        self._draw(self.required, charts.required_vs_in_post(res))
        self._draw(self.why, driver_charts.waterfall(explain(result.run), "gap_fte"))
        self.table.value = readable(figures.drop(columns="year")).to_html()

    def make_files(self, button: Any = None) -> None:
        """Make the download links for the current run."""
        if self.result is None:
            return
        self.files.value = "making the files ..."
        try:
            self.files.value = _links(downloads(self.result))
        except (WfkitError, ValueError, OSError) as exc:
            self.files.value = f"<b>Could not make the files:</b> {html.escape(str(exc))}"


def dashboard(area: str | None = None, use_case: str = "type2_diabetes") -> Dashboard:
    """Return the explorer's page (what ``wfkit app`` serves), in a notebook or Voila.

    Parameters
    ----------
    area : str or None
        The area to open with (picker text, code or name); default North Southwark PCN.
    use_case : str
        The use case to open with.

    Returns
    -------
    Dashboard
        The page.
    """
    charts.enable_offline()
    return Dashboard(area, use_case)
