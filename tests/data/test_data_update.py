"""``wfkit data update`` against a local HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfkit.data.build import RAW_FILES
from wfkit.data.update import Remote, update
from wfkit.errors import InputError

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).parent / "fixtures"


def test_update_downloads_checks_and_caches(server, fixture_registry, tmp_path):
    status = update(cache=tmp_path, base_url=server, remote=fixture_registry())
    assert set(status.values()) == {"downloaded"}
    for rel in RAW_FILES.values():
        assert (tmp_path / rel).read_bytes() == (FIXTURES / rel).read_bytes()
    again = update(cache=tmp_path, base_url=server, remote=fixture_registry())
    assert set(again.values()) == {"cached"}


def test_update_refuses_a_bad_checksum(server, fixture_registry, tmp_path):
    with pytest.raises(InputError, match="checksum"):
        update(cache=tmp_path, base_url=server, remote=fixture_registry(map="0" * 64))


def test_update_reports_a_failed_download(server, fixture_registry, tmp_path):
    with pytest.raises(InputError, match="download failed"):
        update(cache=tmp_path, base_url=server + "/missing", remote=fixture_registry())


def test_files_without_a_public_copy_are_copied_from_local(fixture_registry, tmp_path):
    reg = {k: Remote(None, v.sha256) for k, v in fixture_registry().items()}
    status = update(cache=tmp_path / "c", local=FIXTURES, remote=reg)
    assert set(status.values()) == {"copied"}
    status = update(cache=tmp_path / "d", local=tmp_path / "nothing", remote=reg)
    assert set(status.values()) == {"missing"}
