"""Fixtures for the data tests: a local HTTP server on 127.0.0.1 serving fixture files."""

from __future__ import annotations

import functools
import hashlib
import http.server
import threading
from pathlib import Path

import pytest

from wfkit.data.build import RAW_FILES
from wfkit.data.update import Remote

FIXTURES = Path(__file__).parent / "fixtures"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def server():
    """Base URL of a server on 127.0.0.1 serving ``tests/data/fixtures``."""
    handler = functools.partial(_Quiet, directory=str(FIXTURES))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def fixture_registry():
    """A pooch registry (key -> Remote) whose checksums are those of the fixture files."""

    def make(**override: str) -> dict[str, Remote]:
        return {
            key: Remote("unused", override.get(key) or _sha(FIXTURES / rel))
            for key, rel in RAW_FILES.items()
        }

    return make


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
