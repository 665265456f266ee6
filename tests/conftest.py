"""Shared fixtures; every test is labelled by layer from its folder (unit, integration, notebook)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wfkit.scenario import example_scenario_path

LAYERS = {"unit": "unit", "data": "unit", "integration": "integration", "notebooks": "notebook"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        parts = Path(str(item.fspath)).parts
        layer = next((LAYERS[p] for p in parts if p in LAYERS), None)
        if layer is None:
            raise pytest.UsageError(f"{item.nodeid}: tests must live in a layer folder {sorted(LAYERS)}")
        item.add_marker(getattr(pytest.mark, layer))


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled example scenario; returns the YAML path."""
    src = example_scenario_path()
    shutil.copy(src, tmp_path / src.name)
    shutil.copytree(src.parent / "example", tmp_path / "example")
    return tmp_path / src.name
