"""The independent need check (issue 21, item 7).

Independent checks: the bundled weighted lists against the totals of the publisher's file
(SOURCE.md) and the raw file itself; the correlations and the need-weighted view recomputed
here from the bundled tables and a model run of every practice, by a second route.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import wfkit
import wfkit.data as wd
from wfkit import charts
from wfkit.errors import InputError
from wfkit.usecases.need import MIN_LIST, QUINTILES

RAW = wd.sources_dir() / "gp-payments-practice-2022-23/nhs-payments-general-practice-2022-23.csv"


@pytest.fixture(scope="module")
def check():
    return wfkit.need_check("U06180", level="pcn")


def test_weighted_lists_are_the_publishers():
    wl = wd.load("weighted_list")
    # SOURCE.md: registered 62,134,645 and weighted 62,130,228 over all 6,668 practices;
    # the bundled table keeps those of the December 2025 map with a list
    assert 0.9 * 62_134_645 < wl.registered.sum() < 62_134_645
    assert wl.weighted.sum() / wl.registered.sum() == pytest.approx(1.0, abs=0.01)
    if RAW.exists():
        raw = pd.read_csv(RAW, encoding="utf-8-sig", thousands=",", dtype={"Practice Code": str})
        row = raw.set_index("Practice Code").loc["A81002"]
        mine = wl.set_index("practice").loc["A81002"]
        assert mine.weighted == pytest.approx(
            row["Number of Weighted Patients (Last Known Figure)"]
        )
    imd = wd.load("practice_imd")
    assert imd.imd_2019.between(3, 70).all() and len(imd) > 6000


def test_correlations_recomputed_by_a_second_route(check):
    p = check.practices
    wl = wd.load("weighted_list").set_index("practice")
    need = (wl.weighted / wl.registered).reindex(p.practice).to_numpy()
    per_patient = (p.required_fte / p.patients).to_numpy()
    ok = ~np.isnan(need) & (p.patients >= MIN_LIST).to_numpy()
    r = np.corrcoef(need[ok], per_patient[ok])[0, 1]
    got = check.correlation.set_index(["level", "y"]).r
    assert got["practice", "model_index"] == pytest.approx(r, abs=1e-12)
    assert 0.3 < r < 0.95  # the model's need follows the official index, not perfectly
    assert set(check.correlation.level) == {"practice", "pcn"}


def test_need_weighted_view_by_deprivation(check):
    q = check.by_quintile
    eng = q[q.scope == "England"].set_index("imd_quintile")
    assert list(eng.index) == list(QUINTILES)
    p = check.practices
    # quintile 5 is the most deprived: its practices have the highest IMD scores
    means = p.groupby("imd_quintile").imd_2019.mean()
    assert means[QUINTILES[-1]] == means.max() and means[QUINTILES[0]] == means.min()
    top = p[(p.imd_quintile == QUINTILES[-1]) & p.need_index.notna()]
    by_hand = 1000 * top.in_post_fte.sum() / (top.patients * top.need_index).sum()
    assert eng.loc[QUINTILES[-1], "in_post_per_1000_weighted"] == pytest.approx(by_hand)
    # every practice with a score and a weighted list is in one quintile
    both = p.imd_2019.notna() & p.need_index.notna()
    assert eng.practices.sum() == both.sum()
    area = q[q.scope == "U06180"]
    mine = wd.practices_in(["U06180"], "pcn").practice
    assert area.practices.sum() == p[p.practice.isin(mine) & both].shape[0]
    chart = charts.need_by_deprivation(q)
    spec = chart.to_dict(validate=True)
    assert "deprivation" in spec["title"] and "U06180" in spec["title"]


def test_an_unknown_area_is_refused():
    with pytest.raises(InputError, match="unknown pcn"):
        wfkit.need_check("NOT_AN_AREA")
