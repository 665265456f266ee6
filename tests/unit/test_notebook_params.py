"""wfkit.notebook: parameter checks and whole-or-nothing outputs."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from wfkit import notebook
from wfkit.errors import InputError

DECL = {"area": str, "level": str, "horizon": int, "growth_rate": float, "output_dir": str}


def ns(**kw):
    base = {"area": "U78517", "level": "pcn", "horizon": 10, "growth_rate": 0.0}
    base["output_dir"] = "out"
    return {**base, "__annotations__": dict(DECL), **kw}


def test_declared_parameters_come_back_checked():
    got = notebook.check_parameters(ns(growth_rate=0))
    assert got["growth_rate"] == 0.0 and isinstance(got["growth_rate"], float)
    assert list(got) == list(DECL)


def test_injected_unknown_name_is_named_with_the_allowed_ones():
    history = ["import wfkit", "# Parameters\nareaa = 'X'\nhorizon = 5\n", "check"]
    with pytest.raises(InputError, match=r"unknown parameter\(s\) \['areaa'\].*'area'"):
        notebook.check_parameters(ns(areaa="X", In=history))


def test_injected_names_parses_papermill_cells_only():
    assert notebook.injected_names(["x = 1", "# Parameters\na = 1\nb: int = 2\n"]) == ["a", "b"]


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"level": "ward"}, "level = 'ward'"),
        ({"horizon": "10"}, "expected a int"),
        ({"horizon": True}, "expected a int"),
        ({"horizon": 99}, "1 to 50"),
        ({"growth_rate": 0.5}, "annual rate"),
    ],
)
def test_bad_values_are_named(kw, match):
    with pytest.raises(InputError, match=match):
        notebook.check_parameters(ns(**kw))


def test_save_outputs_whole_or_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("WFKIT_OUTPUT_ROOT", str(tmp_path))
    files = notebook.save_outputs("res", tables={"a": pd.DataFrame({"x": [1]})}, params={"p": 1})
    assert files == ["a.csv", "parameters.json", "run.log"]
    with pytest.raises(InputError):
        notebook.save_outputs("res", tables={"bad name!": pd.DataFrame()})
    assert sorted(p.name for p in (tmp_path / "res").iterdir()) == [".wfkit-manifest.json", *files]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


NOTEBOOKS = sorted((Path(__file__).parents[2] / "notebooks").glob("*.ipynb"))
TYPES = {"str": str, "int": int, "float": float, "bool": bool}


def _parameters(nb: Path) -> dict[str, type]:
    cell = next(c for c in nbformat.read(nb, 4).cells if "parameters" in c.metadata.get("tags", []))
    tree = ast.parse(cell.source)
    return {n.target.id: TYPES[n.annotation.id] for n in tree.body if isinstance(n, ast.AnnAssign)}


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_parameter_is_declared_once_with_its_type(nb):
    """The notebooks' parameters are the use cases' declarations: same names, same types."""
    rules = notebook.rules()
    for name, kind in _parameters(nb).items():
        assert name in rules, name
        assert rules[name].kind is kind, name


def test_rules_are_the_use_case_declarations():
    from wfkit.usecases import params

    assert notebook.RULES == params.declared()
    assert notebook.rules()["shift_fraction"].problem(1.2) == "expected a fraction between 0 and 1"
    with pytest.raises(InputError, match="pharmacist_minutes = 0.0: expected minutes"):
        notebook.check_parameters(
            {"pharmacist_minutes": 0.0, "__annotations__": {"pharmacist_minutes": float}},
            injected=[],
        )
