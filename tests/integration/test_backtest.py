"""Scenarios end to end against committed expected results (regenerate with ``make regen``)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from wfkit.cli import main

from .regenerate import CASES, EXPECTED, expected_frame


@pytest.mark.parametrize("name", sorted(CASES))
def test_results_match_committed(name):
    expected = pd.read_csv(EXPECTED / f"{name}_results.csv")
    got = expected_frame(name)
    assert list(got.columns) == list(expected.columns)
    assert len(got) == len(expected)
    for col in ("area", "role", "scenario", "measure"):
        assert got[col].astype(str).tolist() == expected[col].astype(str).tolist(), col
    assert got["year"].tolist() == expected["year"].tolist()
    for col in ("value", "p10", "p50", "p90", "diff", "diff_p10", "diff_p50", "diff_p90"):
        np.testing.assert_allclose(
            got[col].to_numpy(), expected[col].to_numpy(), rtol=1e-8, atol=1e-8, err_msg=col
        )


def test_cli_run_example_end_to_end(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["run", "example", "--out", str(out), "--draws", "20"]) == 0
    printed = capsys.readouterr().out
    assert "results written to" in printed and str(out) in printed
    results = pd.read_csv(out / "results.csv")
    assert set(results["scenario"]) == {"baseline", "future_model", "future_plus_shift"}
    summary = json.loads((out / "summary.json").read_text())
    assert summary["draws"] == 20 and summary["variants"]["baseline"]["final_year"] == 2035
    log = (out / "run.log").read_text()
    assert "table population from" in log and "ran baseline" in log
    # the future model with a shift of same-day work changes the GP requirement, and the totals add up
    final = results[(results.year == 2035) & (results.measure == "required_fte")]
    gp = final[final.role == "gp"].set_index("scenario")["value"].groupby(level=0).sum()
    assert gp["future_plus_shift"] < gp["future_model"] < gp["baseline"]
    by_role = final[final.role != "all"].groupby("scenario")["value"].sum()
    total = final[final.role == "all"].groupby("scenario")["value"].sum()
    pd.testing.assert_series_equal(by_role, total, check_names=False)
