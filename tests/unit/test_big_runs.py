"""Runs of any size (issue 20, part 6): areas.csv, the run summary in words, progress only
on a terminal."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
import yaml

import wfkit
from wfkit.cli import GAP_SIGN, WIDTH, main
from wfkit.scenario import load_scenario
from wfkit.scenario.run import GAP_HEADER, areas_table, write_run_files

DRAWS = 30


@pytest.fixture(scope="module")
def config() -> dict:
    from wfkit import data

    codes = sorted(data.select_areas(level="pcn")["area"])[:3]
    cfg = load_scenario("default").to_mapping()
    cfg.update(areas={"codes": codes}, draws=DRAWS, level="pcn")
    return cfg


@pytest.fixture(scope="module")
def run(config):
    return wfkit.run_scenario(config)


def test_areas_csv_one_row_per_area_adding_up_to_the_run(run, tmp_path):
    write_run_files(run, tmp_path)
    got = pd.read_csv(tmp_path / "areas.csv")
    base = run.results["baseline"]
    assert list(got["area"]) == list(base.areas) and got["area_name"].str.len().gt(0).all()
    assert (got["level"] == "pcn").all() and GAP_HEADER in got.columns
    assert "negative = shortfall" in GAP_HEADER and "in post minus required" in GAP_HEADER
    # the areas add up to the run's own totals (summary.json)
    s = run.summary()["variants"]["baseline"]
    assert got["required_fte"].sum() == pytest.approx(s["required_fte"]["value"], abs=1e-6)
    assert got["in_post_fte"].sum() == pytest.approx(s["supply_fte"]["value"], abs=1e-6)
    assert got[GAP_HEADER].sum() == pytest.approx(s["gap_fte"]["value"], abs=1e-6)
    # one row by hand, from the engine's arrays (draw 0 central, draws 1.. for the band)
    i = 1
    req = base.required_fte[:, i, -1, :].sum(axis=-1)
    sup = base.supply_fte[:, i, -1, :].sum(axis=-1)
    row = got.iloc[i]
    assert row["registered_list"] == pytest.approx(base.population[0, i, 0], rel=1e-12)
    assert row["base_year"] == base.years[0] and row["horizon_year"] == base.years[-1]
    assert row["required_fte_base_year"] == pytest.approx(
        base.required_fte[0, i, 0].sum(), rel=1e-12
    )
    assert row["in_post_fte_base_year"] == pytest.approx(base.supply_fte[0, i, 0].sum(), rel=1e-12)
    assert row["required_fte"] == pytest.approx(req[0], rel=1e-12)
    for q in (10, 50, 90):
        assert row[f"required_fte_p{q}"] == pytest.approx(np.percentile(req[1:], q), rel=1e-12)
        assert row[f"gap_fte_p{q}"] == pytest.approx(
            np.percentile(sup[1:] - req[1:], q), rel=1e-9, abs=1e-9
        )
    assert row[GAP_HEADER] == pytest.approx(sup[0] - req[0], rel=1e-12, abs=1e-9)


def test_areas_table_of_a_run_with_no_draws_leaves_the_band_empty(config):
    det = wfkit.run_scenario(config, draws=0)
    t = areas_table(det)
    assert t["required_fte_p50"].isna().all() and t["required_fte"].notna().all()


def test_one_area_writes_no_areas_csv(tmp_path):
    r = wfkit.run_scenario("default", draws=0)
    write_run_files(r, tmp_path)
    assert not (tmp_path / "areas.csv").exists()


def test_the_cli_summary_names_the_shortfalls_in_words(config, tmp_path, capsys):
    path = tmp_path / "three.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out), "--workers", "1"]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert all(len(x) <= WIDTH for x in lines), max(lines, key=len)
    assert GAP_SIGN in text and "largest shortfalls in" in text
    assert "Future model" in text and "General practitioner" in text
    assert "future_model" not in text
    nxt = next(i for i, x in enumerate(lines) if x.startswith("  next: open"))
    assert lines[nxt].startswith("  next: open areas.csv") and "run.log" in " ".join(lines[nxt:])
    # the areas listed are those of areas.csv with the most negative gap
    areas = pd.read_csv(out / "areas.csv").sort_values(GAP_HEADER)
    short = areas[areas[GAP_HEADER] < 0]
    shown = [x.split()[0] for x in lines if x.startswith("    ") and " gap " in x and "FTE of" in x]
    assert shown == list(short["area"])[:5]
    assert main(["run", str(path), "--out", str(tmp_path / "x"), "--workers", "0"]) == 2


# ----- progress on a terminal only --------------------------------------------------------
def test_no_progress_bar_when_not_a_terminal(config, capsys):
    wfkit.run_scenario(config, draws=2, chunk_areas=1, workers=1)
    assert capsys.readouterr().err == ""


def test_progress_bar_of_the_chunks_on_a_terminal(config, capsys, monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    wfkit.run_scenario(config, draws=2, chunk_areas=1, workers=1)
    err = capsys.readouterr().err
    assert "wfkit: chunks" in err and "3/3" in err
