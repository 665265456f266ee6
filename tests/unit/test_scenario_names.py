"""Scenario names, `areas: all` and the run header: what a user types resolves the same way
from Python and from the command line, and the header says which areas were modelled."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import wfkit
from wfkit.cli import main
from wfkit.errors import InputError
from wfkit.scenario import (
    bundled_scenarios,
    load_scenario,
    resolve_areas,
    run_scenario,
    scenario_path,
)


def test_bundled_names_resolve_in_python_as_on_the_command_line():
    assert scenario_path("example") == bundled_scenarios()["example"]
    sc = load_scenario("example")
    assert sc.path == bundled_scenarios()["example"]
    run = wfkit.run_scenario("example", draws=0)
    assert run.scenario.path == bundled_scenarios()["example"]
    assert "default" in bundled_scenarios()
    assert load_scenario("default").name == load_scenario(bundled_scenarios()["default"]).name


def test_a_file_of_that_name_wins_over_the_bundled_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("example").write_text("name: mine\n", encoding="utf-8")
    assert scenario_path("example") == Path("example")


def test_an_unknown_name_says_what_was_expected(tmp_path):
    with pytest.raises(
        InputError, match="scenario file not found; expected a YAML file or a bundled"
    ):
        load_scenario(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="default"):
        load_scenario("no-such-scenario")


def test_areas_all_is_every_area_of_a_table_of_ones_own(example_copy):
    cfg = yaml.safe_load(example_copy.read_text())
    cfg["areas"] = "all"
    example_copy.write_text(yaml.safe_dump(cfg, sort_keys=False))
    run = run_scenario(example_copy, draws=0)
    assert run.results["baseline"].areas == ["EX001", "EX002"]


def test_areas_all_is_every_bundled_area_at_the_level(monkeypatch):
    import pandas as pd

    from wfkit import data

    seen = {}

    def fake_select(code=None, name=None, level="pcn", within=None):
        seen["args"] = (code, name, level, within)
        return pd.DataFrame({"area": ["B", "A", "B"], "area_name": ["b", "a", "b"]})

    monkeypatch.setattr(data, "select_areas", fake_select)
    assert resolve_areas("all", "icb") == ["A", "B"]
    assert seen["args"] == (None, None, "icb", None)


def test_areas_all_is_in_the_schema_and_other_strings_are_not():
    from wfkit.scenario import validate_scenario

    base = {"name": "x", "base_year": 2025, "horizon": 1, "inputs": {}}
    validate_scenario({**base, "areas": "all"})
    with pytest.raises(InputError, match="areas"):
        validate_scenario({**base, "areas": "everything"})


def test_run_header_names_the_areas_modelled(example_copy, tmp_path, capsys):
    cfg = yaml.safe_load(example_copy.read_text())
    cfg["areas"] = ["EX002"]
    example_copy.write_text(yaml.safe_dump(cfg, sort_keys=False))
    assert main(["run", str(example_copy), "--out", str(tmp_path / "out"), "--draws", "5"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    at = next(i for i, ln in enumerate(lines) if ln.strip().startswith("areas:"))
    # a long path wraps onto indented lines (issue 20: lines under 100 characters)
    more = [ln.strip() for ln in lines[at + 1 :] if ln.startswith("      ")]
    line = " ".join([lines[at], *more[:2]])
    assert all(len(ln) < 100 or "/" in ln for ln in lines[at : at + 3])
    assert "1 area of" in line and "population.csv" in line and line.endswith(": EX002")
    assert "P50" in out


def test_areas_line_shows_the_first_codes_names_and_level(monkeypatch):
    from types import SimpleNamespace

    from wfkit import data
    from wfkit.cli import areas_line
    from wfkit.scenario import VariantRecord

    codes = ["U1", "U2", "U3", "U4", "U5"]
    run = SimpleNamespace(
        results={"baseline": SimpleNamespace(areas=codes, roles=["gp"])},
        provenance={"baseline": VariantRecord({"population": "bundled:population"})},
        scenario=SimpleNamespace(baseline=SimpleNamespace(level="pcn")),
    )
    monkeypatch.setattr(
        data, "area_names", lambda codes, level="pcn": {c: f"Network {c}" for c in codes}
    )
    assert areas_line(run) == (
        "5 areas at level pcn: U1 Network U1, U2 Network U2, U3 Network U3, ... (2 more)"
    )
