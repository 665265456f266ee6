"""Never a percentage beyond sense (issue 21, item 5).

M85069 had 1 patient and 33.6 FTE, and the CLI printed "1676517% more staff than
England".  A run resting on a practice with an unreliable staff base says "not comparable"
with the reason in words, and no reconciliation gives a percentage for staffing outside a
quarter to four times England's for the same need.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
import yaml

from wfkit.cli import base_year_lines
from wfkit.scenario import run_scenario, scenario_path
from wfkit.scenario.calibration import COMPARABLE, _reason
from wfkit.scenario.records import Calibration

pytestmark = pytest.mark.unit


def _run(code: str, level: str = "practice"):
    cfg = yaml.safe_load(scenario_path("default").read_text(encoding="utf-8"))
    cfg.update({"draws": 0, "variants": [], "level": level, "areas": {"codes": [code]}})
    return run_scenario(cfg)


def _percentages(lines: list[str]) -> list[int]:
    return [int(x) for line in lines for x in re.findall(r"(\d+)% (?:more|fewer)", line)]


def test_a_practice_with_a_list_of_one_is_not_compared():
    run = _run("E87007")  # 1 patient on 1 December 2025, about 12 FTE in post
    rec = run.reconciliation()
    roles = rec[(rec.role != "all") & ~rec.role.str.startswith("not modelled")]
    staffed = roles[roles.supply_fte > 0]
    assert len(staffed) and staffed.reason.str.contains("not comparable: list of 1 patient").all()
    total = rec[rec.role == "all"].iloc[0]
    assert total.reason.startswith("unreliable staff base in 1 practice (E87007: list of 1 patient")
    assert "no base to compare" in total.reason and not total.check
    lines = base_year_lines(run)
    assert any("warning: unreliable staff base" in line for line in lines)
    assert not _percentages(lines)


def test_a_network_with_a_flagged_practice_is_compared_and_warned():
    run = _run("U06180", "pcn")  # North Southwark: one small practice of 459 patients
    rec = run.reconciliation()
    total = rec[rec.role == "all"].iloc[0]
    assert "Y06113" in total.reason.split("; ")[0]
    assert not rec.reason.str.contains("not comparable: list").any()
    assert max(_percentages(base_year_lines(run)), default=0) < 300


def _eng(supply: float = 100.0, required: float = 100.0) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "role": ["gp"],
            "required_fte": [required],
            "supply_fte": [supply],
            "unmet_demand": [0.0],
            "minutes_factor": [1.0],
        }
    ).set_index("role")


@pytest.mark.parametrize("method", ["national", "none"])
def test_no_percentage_outside_a_quarter_to_four_times_englands(method):
    cal = Calibration(method)
    eng = _eng()
    lo, hi = COMPARABLE
    assert (lo, hi) == (0.25, 4.0)
    reason, _ = _reason("gp", 1.0, 3.9, cal, eng)
    assert "290% more staff than England" in reason
    for sup in (4.1, 16_765.17, 0.2, 0.001):
        reason, _ = _reason("gp", 1.0, sup, cal, eng)
        assert "not comparable" in reason and not _percentages([reason]), reason
