"""``wfkit data list | show | build`` through the real entry point."""

from __future__ import annotations

import pytest

from wfkit.cli import main

pytestmark = pytest.mark.unit


def test_data_list(capsys):
    assert main(["data", "list"]) == 0
    out = capsys.readouterr().out
    for word in ("areas", "workforce", "pcn_roles", "Open Government Licence", "minutes"):
        assert word in out


def test_data_show(capsys):
    assert main(["data", "show", "list_size", "--rows", "2"]) == 0
    out = capsys.readouterr().out
    assert "patients" in out and "December 2025" in out


def test_data_show_unknown_table(capsys):
    assert main(["data", "show", "nope"]) == 2
    assert "unknown table 'nope'" in capsys.readouterr().err


def test_data_build_bad_source(tmp_path, capsys):
    assert (
        main(["data", "build", "--source", str(tmp_path / "none"), "--out", str(tmp_path / "out")])
        == 2
    )
    assert "raw sources folder not found" in capsys.readouterr().err


def test_data_update_from_a_local_server(server, fixture_registry, tmp_path, capsys, monkeypatch):
    """The CLI path of ``wfkit data update`` with --base-url, against 127.0.0.1 only."""
    from wfkit.data import update as up

    monkeypatch.setattr(up, "REMOTE", fixture_registry())
    rc = main(["data", "update", "--cache", str(tmp_path), "--base-url", server, "--no-build"])
    assert rc == 0
    assert "map: downloaded" in capsys.readouterr().out
