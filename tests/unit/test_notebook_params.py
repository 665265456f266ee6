"""wfkit.notebook: parameter checks and whole-or-nothing outputs."""

from __future__ import annotations

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
        ({"horizon": 99}, "1 to 25"),
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
