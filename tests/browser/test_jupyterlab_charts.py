"""Browser layer: wfkit's notebooks in JupyterLab, in Debian's Chromium driven by Playwright
(``executable_path=/usr/bin/chromium``; ``make test`` installs it).

A JupyterLab server on 127.0.0.1 with a token runs, with a live kernel:

- a small notebook of two wfkit charts, a plain altair chart and the explorer, all offline
  (the Vega scripts come from the kernel's one bundle widget, :mod:`wfkit.charts`);
- the Type 2 diabetes notebook itself (``notebooks/01-type2-diabetes.ipynb``, fewer draws):
  every chart must draw; then its skill-mix slider moves one step and the chart and the
  headline table must change to what the model gives for that setting, run in this process.

No request may leave 127.0.0.1 (each is blocked and recorded) and no console error may be
logged; a screenshot is saved on failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import sync_playwright

from tests.browser.common import (
    CHROMIUM,
    FLAGS,
    VIEWS,
    free_port,
    only_loopback,
    screenshot_for_docs,
    wait_for_port,
)
from wfkit import usecases, widgets

TOKEN = "wfkit-browser-test"
REPO = Path(__file__).resolve().parents[2]
#: the Type 2 diabetes notebook's parameters, as the copy in the lab runs them
T2D_PARAMS = {"draws": 20}

CELLS = [
    "from wfkit import charts, usecases, widgets\n"
    "charts.enable_offline()\n"
    "uc = usecases.build('same_day', {'area': 'U78517', 'draws': 20})\n"
    "res = usecases.results_frame(uc.run())",
    "charts.cost_per_1000(res)",
    "charts.fte_by_role(res)",
    "import altair as alt, pandas as pd\n"
    "alt.Chart(pd.DataFrame({'x': [1, 2]})).mark_point().encode(x='x:Q')",
    "widgets.explore(uc, ['growth_rate'])",
]


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Iterator[str]:
    """A JupyterLab server on loopback serving a folder with the test notebook."""
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: `make test` installs Debian's chromium"
    root = tmp_path_factory.mktemp("lab")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in CELLS]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, root / "charts.ipynb")
    t2d = nbformat.read(REPO / "notebooks" / "01-type2-diabetes.ipynb", as_version=4)
    for cell in t2d.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if "parameters" in cell.metadata.get("tags", []):
                out = root / "outputs" / "{area}"
                cell.source += f"\ndraws = {T2D_PARAMS['draws']}\noutput_dir = {str(out)!r}\n"
    nbformat.write(t2d, root / "t2d.ipynb")
    port = free_port()
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent))
    log = (root / "server.log").open("w")
    # the user's Jupyter folders stay out of it: every run is a first launch, as on CI
    home = {
        f"JUPYTER_{k}_DIR": str(tmp_path_factory.mktemp(k.lower()))
        for k in ("CONFIG", "DATA", "RUNTIME")
    }
    server = subprocess.Popen(
        [
            jupyter or "jupyter",
            "lab",
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={TOKEN}",
            f"--ServerApp.root_dir={root}",
            "--LabApp.news_url=",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, **home},
    )
    try:
        wait_for_port(port, server, root / "server.log", 60)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


DIALOGS: list[str] = []


def _answer_dialogs(page) -> None:
    """Accept any dialog JupyterLab opened on a first launch (its kernel choice, say), noting
    its text for the failure message."""
    for _ in range(3):
        dialog = page.locator(".jp-Dialog")
        if not dialog.count():
            return
        DIALOGS.append(dialog.first.inner_text()[:300])
        dialog.locator(".jp-mod-accept").first.click()
        page.wait_for_timeout(500)


def _run_all(page) -> None:
    """Run > Run All Cells, again if no cell started (a menu clicked while the page was
    still settling can come to nothing)."""
    started = "Array.from(document.querySelectorAll('.jp-InputPrompt')).some(e => /\\[(\\*|\\d+)\\]/.test(e.innerText))"
    for _ in range(5):
        _answer_dialogs(page)
        try:
            # short timeouts: a dialog JupyterLab opens late (a busy machine) covers the
            # menu; it is answered on the next round instead of waiting out the click
            page.get_by_role("menuitem", name="Run").first.click(timeout=5_000)
            page.get_by_text("Run All Cells", exact=True).click(timeout=5_000)
            page.wait_for_function(started, timeout=20_000)
            return
        except Exception:  # try the menu again
            page.keyboard.press("Escape")
    pytest.fail(f"Run All Cells started no cell; dialogs: {DIALOGS}")


def test_offline_charts_draw_in_jupyterlab(lab):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{lab}/lab/tree/charts.ipynb?token={TOKEN}")
            page.wait_for_selector(
                ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000
            )
            page.wait_for_timeout(1_000)  # a first launch may open a dialog just after
            _run_all(page)
            try:  # two wfkit charts, one plain altair chart, the explorer's chart
                page.wait_for_function(f"{VIEWS} >= 4", timeout=120_000)
            except Exception:
                texts = page.eval_on_selector_all(
                    ".jp-OutputArea-output", "els => els.map(e => e.innerText.slice(0, 300))"
                )
                pytest.fail(
                    f"charts did not draw; outputs: {texts}; page errors: {errors}; "
                    f"dialogs: {DIALOGS}"
                )
            assert page.evaluate(VIEWS) == 4
            text = page.inner_text(".jp-Notebook")
            assert "could not load its Vega scripts" not in text
            assert "Cost per 1,000 patients" in text and "FTE required by role" in text
            assert errors == []
            print("dialogs answered:", DIALOGS)
        finally:
            browser.close()


def _t2d_parameters() -> dict[str, object]:
    """The T2D notebook's parameters as the copy in the lab runs them (its parameters cell,
    plain literals, then :data:`T2D_PARAMS`)."""
    nb = nbformat.read(REPO / "notebooks" / "01-type2-diabetes.ipynb", as_version=4)
    (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    params: dict[str, object] = {}
    exec(cell.source, {}, params)  # the notebook's own literals
    params = {k: v for k, v in params.items() if not k.startswith("__") and k != "output_dir"}
    return {**params, **T2D_PARAMS}


def _t2d_explorer_values(step: int) -> dict[str, float]:
    """The T2D notebook's explorer sliders, the skill-mix slider moved ``step`` steps."""
    params = _t2d_parameters()
    names = ["shift_fraction", "nurse_part", "growth_rate", "minutes_change"]
    values = {n: float(params[n]) for n in names}  # type: ignore[arg-type]
    values["shift_fraction"] += step * widgets.SLIDERS["shift_fraction"][0]
    return values


def _headline_rows(values: dict[str, float]) -> list[str]:
    """Each scenario's FTE required and cost per 1,000 patients in the last year, as the
    explorer's table shows them."""
    uc = usecases.build("type2_diabetes", _t2d_parameters())
    _, _, table = widgets.redraw(uc, values)
    return [f"{v:,.1f}" for v in table[["required_fte", "cost_per_1000"]].to_numpy().ravel()]


#: the notebook in view (JupyterLab may keep another open behind it)
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
#: charts drawn in the notebook in view
PANEL_VIEWS = VIEWS.replace("'.vega-embed", f"'{PANEL} .vega-embed").replace(
    ", .vega-embed", f", {PANEL} .vega-embed"
)


def _table_shows(rows: list[str]) -> str:
    """A page function: the last table under the explorer shows each of ``rows``."""
    return (
        "() => { const t = Array.from(document.querySelectorAll("
        f"'{PANEL} .widget-output table')).pop();"
        f" return t && {rows!r}.every(r => t.innerText.includes(r)); }}"
    )


def test_type2_diabetes_notebook_draws_and_its_slider_reruns_the_model(lab, tmp_path):
    blocked: list[str] = []
    errors: list[str] = []

    expected_charts = sum(
        "nbval-ignore-output" in c.metadata.get("tags", [])
        and re.search(r"charts\.|widgets\.explore", c.source) is not None
        for c in nbformat.read(REPO / "notebooks" / "01-type2-diabetes.ipynb", 4).cells
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            page.route("**/*", only_loopback(blocked))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            # a workspace of its own: only this notebook open
            page.goto(f"{lab}/lab/workspaces/t2d/tree/t2d.ipynb?token={TOKEN}&reset")
            page.wait_for_selector(
                ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000
            )
            page.wait_for_timeout(1_000)
            _run_all(page)
            page.wait_for_function(f"{PANEL_VIEWS} >= {expected_charts}", timeout=240_000)
            page.wait_for_selector(f"{PANEL} .noUi-handle", timeout=120_000)
            rows = _headline_rows(_t2d_explorer_values(0))
            page.wait_for_function(_table_shows(rows), timeout=120_000)
            assert page.evaluate(PANEL_VIEWS) == expected_charts
            text = page.inner_text(f"{PANEL} .jp-Notebook")
            assert "North Southwark PCN" in text and "Traceback" not in text

            chart = page.locator(f"{PANEL} .vega-embed").last
            chart.scroll_into_view_if_needed()
            before = chart.screenshot()
            handle = page.locator(f"{PANEL} .noUi-handle").first  # the skill-mix slider
            handle.focus()
            handle.press("ArrowRight")
            moved = _headline_rows(_t2d_explorer_values(1))
            assert moved != rows  # the setting changes the answer
            page.wait_for_function(_table_shows(moved), timeout=120_000)
            page.wait_for_timeout(1_000)  # the chart redraws in place
            assert chart.screenshot() != before
            assert page.evaluate(PANEL_VIEWS) == expected_charts  # redrawn in place, not added
            page.locator(f"{PANEL} .noUi-handle").first.scroll_into_view_if_needed()
            news = page.locator(".jp-toast-button", has_text="No")  # JupyterLab's news toast
            if news.count():
                news.first.click()
            screenshot_for_docs(page, "notebook.png")
            assert blocked == [], blocked
            assert errors == [], errors
        except Exception:
            shot = Path(os.environ.get("WFKIT_FAILURE_SHOTS", tmp_path)) / "t2d-failure.png"
            page.screenshot(path=str(shot), full_page=True)
            print("screenshot:", shot)
            raise
        finally:
            browser.close()
