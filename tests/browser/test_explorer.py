"""Browser layer: the scenario explorer (``wfkit app``) in Debian's Chromium.

``wfkit app`` serves the dashboard with Voila on 127.0.0.1; Playwright drives Debian's
Chromium (``executable_path=/usr/bin/chromium``, never a downloaded browser).  Every request
to anything but 127.0.0.1 is blocked and recorded (none may happen), every console error is
recorded (none may happen), and a screenshot is saved on failure.  The figures on the page
are checked against the model run in this process; every process the test starts is
stopped by its id.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
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
from wfkit import explorer

AREA = "Kentish Town South PCN"


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[tuple[str, float, Path]]:
    """``wfkit app --port N`` running; yields its address, start time and a folder."""
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: `make test` installs Debian's chromium"
    root = tmp_path_factory.mktemp("app")
    port = free_port()
    home = {
        f"JUPYTER_{k}_DIR": str(tmp_path_factory.mktemp(k.lower()))
        for k in ("CONFIG", "DATA", "RUNTIME")
    }
    log = (root / "server.log").open("w")
    wfkit = Path(sys.executable).with_name("wfkit")
    started = time.monotonic()
    server = subprocess.Popen(
        [str(wfkit), "app", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, **home},
        start_new_session=True,  # its own process group: Voila and its kernel stop with it
    )
    try:
        wait_for_port(port, server, root / "server.log", 90)
        yield f"http://127.0.0.1:{port}/", started, root
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the group of the process started here
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
        log.close()


def _sentence(area: str, shift: float) -> str:
    """The key-figures sentence the page should show, from the model run here."""
    values = {"shift_fraction": shift, "growth_rate": 0.0, "minutes_change": 0.0}
    result = explorer.compute("type2_diabetes", area, values)
    return explorer._sentence(explorer.key_figures(result.run))


def _figures(page) -> str:
    return page.locator("text=/FTE required against/").first.inner_text()


def test_the_explorer_in_a_browser(app):
    url, started, root = app
    blocked: list[str] = []
    errors: list[str] = []

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(accept_downloads=True, viewport={"width": 1280, "height": 900})
        try:
            page.route("**/*", only_loopback(blocked))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(url)
            page.wait_for_function(f"{VIEWS} >= 2", timeout=180_000)
            start_s = time.monotonic() - started
            text = page.inner_text("body")
            assert "FTE required by role in North Southwark PCN" in text
            assert "Traceback" not in text

            # pick an area by typing its name
            box = page.get_by_placeholder("Type part of a practice, network, sub-ICB or ICB name")
            box.fill(AREA)
            box.press("Enter")
            want = _sentence(AREA, 0.0)
            page.wait_for_function(f"document.body.innerText.includes({want!r})", timeout=60_000)

            # move the skill-mix slider one step: the figures follow the model
            handle = page.locator(".noUi-handle").first
            handle.focus()
            t0 = time.monotonic()
            handle.press("ArrowRight")
            want = _sentence(AREA, 0.05)
            page.wait_for_function(f"document.body.innerText.includes({want!r})", timeout=60_000)
            redraw_s = time.monotonic() - t0
            page.wait_for_timeout(500)  # the chart settles
            screenshot_for_docs(page, "explorer.png")

            # a bad input shows a message in words, no traceback
            box.fill("Nowhere at all")
            box.press("Enter")
            page.wait_for_selector("text=No area called 'Nowhere at all'", timeout=30_000)
            assert "Traceback" not in page.inner_text("body")
            box.fill(AREA)
            box.press("Enter")
            page.wait_for_function(f"document.body.innerText.includes({want!r})", timeout=60_000)

            # download the results and open them
            page.get_by_role("button", name="Make the download files").click()
            link = page.get_by_role("link", name="wfkit-results.csv")
            link.wait_for(timeout=60_000)
            with page.expect_download() as got:
                link.click()
            saved = root / "wfkit-results.csv"
            got.value.save_as(saved)
            frame = pd.read_csv(saved)
            assert {"year", "role", "scenario", "measure", "value", "p10", "p90"} <= set(frame)
            assert frame["area"].astype(str).eq("U78517").all()

            print(f"explorer: page drawn {start_s:.1f} s after start; redraw {redraw_s:.2f} s")
            assert start_s < 120  # measured; a few seconds on an idle machine
            assert redraw_s < 10  # measured; under a second on an idle machine
            assert blocked == [], blocked
            assert errors == [], errors
        except Exception:
            page.screenshot(path=str(root / "explorer-failure.png"), full_page=True)
            print("screenshot:", root / "explorer-failure.png")
            raise
        finally:
            browser.close()
