"""What the browser tests share: Debian's Chromium, its flags on a closed network, a free
port on loopback and the count of drawn charts."""

from __future__ import annotations

import socket

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
