"""Browser layer: what a reader without a kernel or a network sees, in Debian's Chromium
driven by Playwright, with every request that is not a local file blocked.

A report's ``report.html`` and ``jupyter nbconvert --to html`` of a committed notebook and
of a report's executed notebook must draw every chart (images with a size, from no URL).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import sync_playwright

from tests.browser.common import CHROMIUM, FLAGS, screenshot_for_docs
from wfkit.report import make

ROOT = Path(__file__).resolve().parents[2]
DRAWN = """() => Array.from(document.images).filter(
  i => i.complete && i.naturalWidth > 0 && i.src.startsWith('data:image/svg+xml')).length"""


def _charts_in(nb_path: Path) -> int:
    nb = nbformat.read(nb_path, as_version=4)
    return sum(
        "image/svg+xml" in o.get("data", {})
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    )


def _open_offline(page_path: Path, shot: str = "") -> tuple[int, list[str]]:
    """Charts drawn and requests blocked when ``page_path`` is opened with no network (its
    picture saved as ``shot`` for the docs when asked, :func:`screenshot_for_docs`)."""
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: `make test` installs Debian's chromium"
    blocked: list[str] = []

    def route(r):
        if r.request.url.startswith("file:") or r.request.url.startswith("data:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.route("**/*", route)
            page.goto(page_path.resolve().as_uri())
            page.wait_for_load_state("load")
            if shot:
                screenshot_for_docs(page, shot)
            return page.evaluate(DRAWN), blocked
        finally:
            browser.close()


def _nbconvert(nb_path: Path, dest: Path) -> Path:
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent)) or "jupyter"
    subprocess.run(
        [
            jupyter,
            "nbconvert",
            "--to",
            "html",
            "--no-input",
            "--output-dir",
            str(dest),
            str(nb_path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return dest / (nb_path.stem + ".html")


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "out"
    make.make_report("same_day", "U78517", out, {"draws": 5}, pdf=False)
    return out


def test_report_html_draws_every_chart_offline(report):
    charts = _charts_in(report / "02-same-day-access.ipynb")
    drawn, blocked = _open_offline(report / "report.html", "report.png")
    assert blocked == []  # it asks for nothing
    # every chart of the sections a report keeps (the sliders' section is for JupyterLab)
    assert drawn == charts - 1 >= 5


def test_nbconvert_of_the_executed_notebook_draws_every_chart_offline(report, tmp_path):
    nb = report / "02-same-day-access.ipynb"
    drawn, _ = _open_offline(_nbconvert(nb, tmp_path))
    assert drawn == _charts_in(nb) >= 6


def test_nbconvert_of_a_committed_notebook_draws_every_chart_offline(tmp_path):
    nb = ROOT / "notebooks" / "00-getting-started.ipynb"
    drawn, _ = _open_offline(_nbconvert(nb, tmp_path))
    assert drawn == _charts_in(nb) == 6  # five charts (the waterfall too) and the explorer's
