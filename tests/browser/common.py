"""What the browser tests share: Debian's Chromium, its flags on a closed network, a free
port on loopback and the count of drawn charts."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse

#: Debian's Chromium (Playwright's own download is not reachable); `make test` installs it
CHROMIUM = "/usr/bin/chromium"
#: flags for a headless Chromium on a machine with no network
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: how many charts a page has drawn (canvas or SVG marks inside a vega-embed)
VIEWS = "document.querySelectorAll('.vega-embed canvas, .vega-embed svg.marks').length"


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, server: subprocess.Popen, log: Path, seconds: float) -> None:
    """Wait until ``server`` listens on ``port`` at 127.0.0.1.

    Raises
    ------
    RuntimeError
        With the end of the server's ``log`` when it exits or ``seconds`` pass first.
    """
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(log.read_text()[-2000:]) from None
            time.sleep(0.2)


def screenshot_for_docs(page, name: str) -> None:
    """Save what ``page`` shows as ``name`` in the folder ``WFKIT_SCREENSHOTS`` names, when
    it is set: ``make screenshots`` refreshes the pictures in ``docs/img`` the README shows,
    from the same pages the browser tests check."""
    folder = os.environ.get("WFKIT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name))


def only_loopback(blocked: list[str]):
    """A Playwright route handler: requests to 127.0.0.1 (and ``data:``/``blob:`` URLs) go
    on; any other is aborted and its URL added to ``blocked``."""

    def route(r) -> None:
        url = r.request.url
        if urlparse(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    return route
