"""The layers of wfkit import one way, downwards (docs/architecture.md).

Read from the source with ``ast`` (every ``import`` and ``from ... import``, at module level
or inside functions), so a lazy import cannot slip past.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import wfkit
from wfkit.model import capacity
from wfkit.tables import ABSENCE_DAYS

PKG = Path(wfkit.__file__).resolve().parent

#: layer -> wfkit modules (first part below ``wfkit``) it must never import
FORBIDDEN = {
    "model": {
        "scenario",
        "data",
        "usecases",
        "skills",
        "charts",
        "widgets",
        "cli",
        "notebook",
        "backtest",
        "outputs",
        "cache",
        "tables",
        "validation",
        "wisn",
        "queueing",
    },
    "data": {
        "model",
        "scenario",
        "usecases",
        "skills",
        "charts",
        "widgets",
        "cli",
        "notebook",
        "backtest",
    },
    "scenario": {"usecases", "skills", "charts", "widgets", "cli", "notebook", "backtest"},
    "usecases": {"charts", "widgets", "cli", "backtest"},
    "skills": {"scenario", "usecases", "widgets", "cli", "notebook", "backtest"},
    "tables": {"model", "data", "scenario", "usecases", "charts", "widgets", "cli"},
    "validation": {"model", "data", "scenario", "usecases", "charts", "widgets", "cli", "tables"},
    "errors": {"model", "data", "scenario", "usecases", "skills", "charts", "widgets", "cli"},
    "charts": {"scenario", "usecases", "widgets", "cli", "notebook"},
}


def _wfkit_imports(path: Path) -> set[str]:
    """First-level wfkit modules a file imports (``wfkit.scenario.run`` -> ``scenario``)."""
    rel = path.relative_to(PKG).with_suffix("")
    here = ["wfkit", *rel.parts]
    if here[-1] == "__init__":
        here = here[:-1]
    package = here if path.name == "__init__.py" else here[:-1]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                mod = ".".join([*base, node.module] if node.module else base)
                names = [mod] if node.module else [f"{mod}.{a.name}" for a in node.names]
            elif node.module:
                names = [node.module]
        for n in names:
            parts = n.split(".")
            if parts[0] == "wfkit" and len(parts) > 1:
                out.add(parts[1])
    return out


def _files(layer: str) -> list[Path]:
    folder = PKG / layer
    return sorted(folder.rglob("*.py")) if folder.is_dir() else [PKG / f"{layer}.py"]


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_each_layer_imports_only_downwards(layer):
    for path in _files(layer):
        bad = (_wfkit_imports(path) - {layer}) & FORBIDDEN[layer]
        assert not bad, f"{path.relative_to(PKG)} imports wfkit.{sorted(bad)}"


def test_the_model_imports_nothing_but_errors_and_itself():
    for path in _files("model"):
        assert _wfkit_imports(path) <= {"model", "errors"}, path.name


def test_the_checker_sees_lazy_and_relative_imports(tmp_path):
    # a planted upward import inside a function of the model must be found
    probe = PKG / "model" / "_probe_layers.py"
    probe.write_text("def f():\n    from ..scenario import run_scenario\n", encoding="utf-8")
    try:
        assert "scenario" in _wfkit_imports(probe)
    finally:
        probe.unlink()


def test_the_capacity_table_and_the_engine_deduct_the_same_absences():
    assert tuple(capacity.ABSENCES) == tuple(ABSENCE_DAYS)
