"""Never a percentage beyond sense (issue 21, item 5).

M85069 had 1 patient and 33.6 FTE, and the CLI printed "1676517% more staff than
England".  A run resting on a practice with an unreliable staff base says "not comparable"
with the reason in words, and no reconciliation gives a percentage for staffing outside a
four times England's for the same need.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
import yaml

import wfkit.data as wd
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


def test_a_network_is_warned_only_where_flagged_practices_matter():
    # North Southwark: one small practice of 459 patients in 205,899, no warning
    run = _run("U06180", "pcn")
    rec = run.reconciliation()
    assert not rec.reason.str.contains("unreliable|not comparable").any(), rec.reason
    assert max(_percentages(base_year_lines(run)), default=0) < 300
    # E87007 (1 patient, about 12 FTE) in its network: compared, and warned
    net = wd.load("areas").set_index("practice").pcn["E87007"]
    rec = _run(net, "pcn").reconciliation()
    total = rec[rec.role == "all"].iloc[0]
    assert total.reason.startswith("unreliable staff base in") and "E87007" in total.reason
    assert not rec.reason.str.contains("not comparable: list").any()


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
def test_no_percentage_beyond_four_times_englands_staffing(method):
    cal = Calibration(method)
    eng = _eng()
    assert COMPARABLE == 4.0
    reason, _ = _reason("gp", 1.0, 3.9, cal, eng)
    assert "290% more staff than England" in reason
    for sup in (4.1, 16_765.17):
        reason, _ = _reason("gp", 1.0, sup, cal, eng)
        assert "not comparable" in reason and not _percentages([reason]), reason
    # a shortfall's percentage stays within 100%: still said
    assert "89% fewer staff" in _reason("gp", 1.0, 0.11, cal, eng)[0]


@pytest.mark.parametrize(
    ("level", "codes"),
    [
        ("practice", ["M85069", "P92020"]),
        ("practice", ["P92020"]),  # none flagged: no rows, the same columns and types
        ("pcn", ["U06180", "U00254"]),
        ("region", None),
    ],
)
def test_unreliable_bases_are_those_of_the_areas_practices(level, codes):
    """England's practice table is cut to the areas' practices before it is joined: the
    same rows as joining it whole, and an unknown code is refused as practices_in refuses it."""
    from wfkit.data.areas import all_practices
    from wfkit.data.practice_staff import POOL_COLUMNS
    from wfkit.errors import InputError

    if codes is None:
        codes = sorted(all_practices()[level].dropna().unique())
    p = wd.practices_in(codes, level)
    x = p[["practice", "area"]].merge(wd.load("practice_staff"), on="practice")
    x["area_share"] = x.patients / x.groupby("area").patients.transform("sum").clip(lower=1)
    x = x[x.base != "reliable"].assign(fte=lambda d: d[list(POOL_COLUMNS.values())].sum(axis=1))
    cols = ["area", "practice", "patients", "fte", "base", "base_note", "area_share"]
    want = x[cols].sort_values(["area", "practice"]).reset_index(drop=True)
    got = wd.unreliable_bases(codes, level)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert (len(got) == 0) == (codes == ["P92020"])
    with pytest.raises(InputError) as info:
        wd.unreliable_bases([*codes, "NOPE1"], level)
    with pytest.raises(InputError) as again:
        wd.practices_in([*codes, "NOPE1"], level)
    assert str(info.value) == str(again.value) and "NOPE1" in str(info.value)
