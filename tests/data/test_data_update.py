"""``wfkit data update`` against a local HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import functools
import hashlib
import http.server
import threading
from pathlib import Path

import pytest

from wfkit.data.build import RAW_FILES
from wfkit.data.update import Remote, update
from wfkit.errors import InputError

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).parent / "fixtures"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def server():
    handler = functools.partial(_Quiet, directory=str(FIXTURES))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _registry(**override):
    reg = {}
    for key, rel in RAW_FILES.items():
        h = hashlib.sha256((FIXTURES / rel).read_bytes()).hexdigest()
        reg[key] = Remote("unused", override.get(key, h))
    return reg


def test_update_downloads_checks_and_caches(server, tmp_path):
    status = update(cache=tmp_path, base_url=server, remote=_registry())
    assert set(status.values()) == {"downloaded"}
    for rel in RAW_FILES.values():
        assert (tmp_path / rel).read_bytes() == (FIXTURES / rel).read_bytes()
    again = update(cache=tmp_path, base_url=server, remote=_registry())
    assert set(again.values()) == {"cached"}


def test_update_refuses_a_bad_checksum(server, tmp_path):
    with pytest.raises(InputError, match="checksum"):
        update(cache=tmp_path, base_url=server, remote=_registry(practices="0" * 64))


def test_update_reports_a_failed_download(server, tmp_path):
    with pytest.raises(InputError, match="download failed"):
        update(cache=tmp_path, base_url=server + "/missing", remote=_registry())


def test_files_without_a_public_copy_are_copied_from_local(tmp_path):
    reg = {k: Remote(None, v.sha256) for k, v in _registry().items()}
    status = update(cache=tmp_path / "c", local=FIXTURES, remote=reg)
    assert set(status.values()) == {"copied"}
    status = update(cache=tmp_path / "d", local=tmp_path / "nothing", remote=reg)
    assert set(status.values()) == {"missing"}
