"""Checks against figures worked by hand from the input files, not produced by the code:
a planted bug in the thing checked (a loosened tolerance, a shift from the wrong share)
fails here."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

import wfkit.data as wd
from wfkit.data import loader
from wfkit.errors import InputError
from wfkit.scenario import build_inputs, load_scenario
from wfkit.validation import check_shares_sum

pytestmark = pytest.mark.unit


# ------------------------------------------------------------------ shares sum to 1
def _shares(total_of_b: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "activity": ["a", "a", "b", "b"],
            "current": [0.5, 0.5, 0.5, total_of_b - 0.5],
            "future": [0.3, 0.7, 0.5, 0.5],
        }
    )


@pytest.mark.parametrize("total", [1.005, 0.995, 1.00001, 1.5])
def test_shares_off_by_more_than_a_millionth_are_refused(total):
    with pytest.raises(InputError) as e:
        check_shares_sum(_shares(total), "activity", ("current", "future"), "t.csv")
    assert (e.value.row, e.value.column) == (4, "current")  # first row of activity b


def test_shares_within_rounding_are_accepted():
    check_shares_sum(_shares(1 + 1e-9), "activity", ("current", "future"), "t.csv")
    # 0.1 + 0.2 + 0.7 is not exactly 1 in binary floating point
    df = pd.DataFrame({"activity": ["a"] * 3, "current": [0.1, 0.2, 0.7], "future": [1, 0, 0]})
    check_shares_sum(df, "activity", ("current", "future"), "t.csv")


def test_a_scenario_whose_shares_sum_to_1_005_is_refused(example_copy):
    path = example_copy.parent / "example" / "skill_mix.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    i = df.index[(df.activity == "same_day") & (df.role == "gp")][0]
    df.loc[i, "current"] = "0.805"  # 0.805 + 0.2 = 1.005
    df.to_csv(path, index=False)
    with pytest.raises(InputError, match="sum to 1.005") as e:
        build_inputs(load_scenario(example_copy))
    assert e.value.column == "current"


def test_a_bundled_skill_mix_summing_to_1_005_is_refused(tmp_path, monkeypatch):
    shutil.copytree(wd.data_dir(), tmp_path / "data", ignore=shutil.ignore_patterns("skills"))
    monkeypatch.setenv("WFKIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WFKIT_CACHE", "0")
    path = wd.table_path("skill_mix")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    first = df.activity.iloc[0]
    n = int((df.activity == first).sum())
    df.loc[0, "future"] = repr(float(df.loc[0, "future"]) + 0.005)
    df.to_csv(path, index=False)
    loader._load_cached.cache_clear()
    loader._fingerprint.cache_clear()
    try:
        with pytest.raises(InputError, match="expected 1"):
            wd.load("skill_mix")
    finally:
        loader._load_cached.cache_clear()
        loader._fingerprint.cache_clear()
    assert n >= 1


# ------------------------------------------------------------------ skill-mix shifts
def test_a_shift_moves_a_fraction_of_the_future_share(example_copy):
    """example.yaml's future_plus_shift moves 30% of the GP's *future* same-day share to
    pharmacists and paramedics, half each.  From skill_mix.csv (gp 0.8 today, 0.5 future;
    pharmacist 0.2, paramedic 0.15 future): gp 0.5 x 0.7 = 0.35; pharmacist 0.2 + 0.5 x 0.3
    x 0.5 = 0.275; paramedic 0.15 + 0.075 = 0.225; today's shares unchanged.  (From today's
    0.8 the GP would keep 0.56.)"""
    example = example_copy
    sc = load_scenario(example)
    base, _ = build_inputs(sc, "future_model")
    shifted, _ = build_inputs(sc, "future_plus_shift")
    csv = pd.read_csv(example.parent / "example" / "skill_mix.csv")
    k = list(shifted.activities).index("same_day")
    r = {role: list(shifted.roles).index(role) for role in shifted.roles}
    fut = csv[csv.activity == "same_day"].set_index("role")["future"]
    cur = csv[csv.activity == "same_day"].set_index("role")["current"]
    assert shifted.shares_future[k, r["gp"]] == pytest.approx(fut["gp"] * (1 - 0.3), abs=1e-15)
    assert shifted.shares_future[k, r["gp"]] == pytest.approx(0.35, abs=1e-15)
    for role, want in (("pharmacist", 0.275), ("paramedic", 0.225)):
        gain = fut["gp"] * 0.3 * 0.5
        assert shifted.shares_future[k, r[role]] == pytest.approx(fut[role] + gain, abs=1e-15)
        assert shifted.shares_future[k, r[role]] == pytest.approx(want, abs=1e-15)
    assert shifted.shares_future[k, r["practice_nurse"]] == fut["practice_nurse"]
    assert shifted.shares_future[k].sum() == pytest.approx(1, abs=1e-12)
    for role in cur.index:
        assert shifted.shares_current[k, r[role]] == cur[role]
    # every other activity is untouched
    others = [i for i in range(len(shifted.activities)) if i != k]
    np.testing.assert_array_equal(shifted.shares_future[others], base.shares_future[others])
    np.testing.assert_array_equal(shifted.shares_current, base.shares_current)
