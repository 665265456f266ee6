"""The suite fails a hanging test instead of holding CI until its job times out."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_every_test_has_a_timeout(request):
    assert request.config.pluginmanager.hasplugin("timeout"), "pytest-timeout is not installed"
    assert float(request.config.getini("timeout")) == 300
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    dev = project["project"]["optional-dependencies"]["dev"]
    assert any(d.startswith("pytest-timeout") for d in dev)


@pytest.mark.timeout(30)
def test_a_test_may_set_its_own(request):
    assert request.node.get_closest_marker("timeout").args == (30,)


def test_notebook_and_browser_tests_get_longer(request):
    from tests.conftest import SLOW_TIMEOUT

    items = [i for i in request.session.items if i.get_closest_marker("notebook")]
    for item in items:
        assert item.get_closest_marker("timeout").args[0] >= SLOW_TIMEOUT
    assert SLOW_TIMEOUT > 300
