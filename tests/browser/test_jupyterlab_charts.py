"""Browser layer: wfkit's offline charts draw in JupyterLab, in Debian's Chromium driven by
Playwright (``executable_path=/usr/bin/chromium``; ``make test`` installs it).

A JupyterLab server on 127.0.0.1 runs a small notebook with a live kernel: two wfkit
charts, a plain altair chart and the explorer, all offline (the Vega scripts come from the
kernel's one bundle widget, :mod:`wfkit.charts`). Every chart must draw its Vega view; no
network is needed or reachable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import sync_playwright

from tests.browser.common import CHROMIUM, VIEWS, free_port, wait_for_port

TOKEN = "wfkit-browser-test"

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
