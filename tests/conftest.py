"""Shared fixtures; every test is labelled by layer from its folder (unit, integration,
notebook, browser)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from wfkit.scenario import example_scenario_path

# keep the suite's on-disk cache (validated tables, offline Vega bundle; see wfkit.cache) inside
# the checkout, shared by xdist workers and the kernels they start, away from the user's own
os.environ.setdefault(
    "WFKIT_CACHE_DIR", str(Path(__file__).resolve().parents[1] / ".pytest_cache" / "wfkit")
)

LAYERS = {
    "unit": "unit",
    "data": "unit",
    "integration": "integration",
    "notebooks": "notebook",
    "browser": "browser",
}


#: the per-test timeout (pytest-timeout) of notebook and browser tests, in seconds; the
#: others have pyproject.toml's 300
SLOW_TIMEOUT = 1800


def pytest_collection_modifyitems(config, items):
    for item in items:
        parts = Path(str(item.fspath)).parts
        layer = next((LAYERS[p] for p in parts if p in LAYERS), None)
        if layer is None:
            raise pytest.UsageError(
                f"{item.nodeid}: tests must live in a layer folder {sorted(LAYERS)}"
            )
        item.add_marker(getattr(pytest.mark, layer))
        if layer in ("notebook", "browser"):
            # one xdist worker starts every Jupyter kernel, one at a time: kernels launched at
            # once by two workers can race for the same TCP ports and hang until a timeout
            item.add_marker(pytest.mark.xdist_group(name="kernels"))
            if item.get_closest_marker("timeout") is None:
                # kernels, papermill and a browser: far longer than the suite's 300 s
                item.add_marker(pytest.mark.timeout(SLOW_TIMEOUT))


def _copy_example(dest: Path) -> Path:
    src = example_scenario_path()
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(src, dest / src.name)
    shutil.copytree(src.parent / "example", dest / "example")
    return dest / src.name


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled example scenario; returns the YAML path."""
    return _copy_example(tmp_path)


@pytest.fixture
def example_copy_factory(tmp_path_factory):
    """Make fresh writable copies of the example scenario (for property tests)."""
    return lambda: _copy_example(tmp_path_factory.mktemp("example"))
