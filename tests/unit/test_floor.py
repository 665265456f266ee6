"""The benchmark's hand-written floor (benchmarks/floor.py) gives the engine's numbers.

``benchmarks`` is not a package, so the floor is loaded from its file.
"""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tests.synthetic import synthetic_inputs
from wfkit.model.engine import run_model
from wfkit.model.uncertainty import Param

_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "floor.py"
_spec = importlib.util.spec_from_file_location("wfkit_benchmarks_floor", _PATH)
floor = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(floor)


@pytest.mark.parametrize("model", ["current", "future"])
def test_floor_equals_engine_every_array(model):
    inp = replace(synthetic_inputs(7, 6, 9, 4, seed=5), skill_mix_model=model)
    res = run_model(inp)
    got = floor.floor_model(inp)
    assert set(got) == set(floor.FIELDS)
    floor.assert_same(got, res)


def test_floor_with_trend_and_individual_allowances():
    inp = synthetic_inputs(5, 8, 6, 3, seed=6)
    cap = dict(inp.capacity)
    cap["ias_hours"] = Param.point(np.array([0.0, 40.0, 100.0]))
    inp = replace(inp, capacity=cap, trend=Param.point(np.linspace(0.98, 1.04, 6)))
    floor.assert_same(floor.floor_model(inp), run_model(inp))


def test_floor_refuses_what_it_does_not_fold():
    inp = synthetic_inputs(3, 4, 5, 2, seed=7)
    with pytest.raises(ValueError, match="growth table"):
        floor.floor_model(replace(inp, growth=np.ones((3, 4, 19))))
