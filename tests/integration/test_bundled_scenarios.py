"""Scenarios on the bundled real data: area selection, activity subsets, the default demo."""

from __future__ import annotations

import numpy as np
import pytest

from wfkit.errors import InputError
from wfkit.scenario import bundled_scenarios, load_scenario, run_scenario

TABLES = ["population", "growth", "activities", "prevalence", "contacts", "skill_mix", "minutes"]
TABLES += ["capacity", "costs", "supply", "flows"]


def bundled(**kw):
    cfg = {"name": "t", "base_year": 2025, "horizon": 3, "draws": 0, "level": "pcn"}
    cfg["inputs"] = {t: "bundled" for t in TABLES}
    cfg.update(kw)
    return cfg


def test_default_scenario_runs_a_london_network():
    run = run_scenario(bundled_scenarios()["default"], draws=10)
    assert run.results["baseline"].areas == ["U06180"]
    s = run.summary()
    base = s["variants"]["baseline"]
    assert 150_000 < base["population"]["value"] < 300_000
    assert base["required_fte"]["value"] > 0 and base["supply_fte"]["value"] > 0
    gp = run.compare("required_fte", "gp")
    final = gp[gp.year == 2035].iloc[0]
    assert final["future_plus_shift"] < final["future_model"]


def test_area_by_name_equals_area_by_code():
    by_code = run_scenario(bundled(areas={"codes": ["U06180"]})).to_frame()
    by_name = run_scenario(bundled(areas={"names": ["north southwark"]})).to_frame()
    np.testing.assert_allclose(by_code["value"], by_name["value"])


def test_every_network_in_an_icb_is_one_run_of_arrays():
    run = run_scenario(
        bundled(areas={"within": {"level": "icb", "name": "NHS South East London ICB"}})
    )
    areas = run.results["baseline"].areas
    assert len(areas) > 5 and "U06180" in areas
    total = run.results["baseline"].aggregate({a: "icb" for a in areas})
    assert total.required_fte.shape[1] == 1


def test_activity_subset_for_a_use_case():
    ids = ["t2d_hba1c", "t2d_foot_check", "t2d_annual_review"]
    run = run_scenario(bundled(areas={"codes": ["U06180"]}, activities=ids))
    assert run.results["baseline"].activities == sorted(ids)


def test_unknown_area_name_is_a_clear_error():
    with pytest.raises(InputError, match="(?i)nowhere"):
        run_scenario(bundled(areas={"names": ["Nowhere At All PCN"]}))


def test_bundled_scenarios_are_valid():
    for name, path in bundled_scenarios().items():
        assert load_scenario(path).name, name
