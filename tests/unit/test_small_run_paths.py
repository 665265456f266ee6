"""Issue 18: the faster paths of a small run give what the plain ones gave.

The scenario's YAML read by libyaml's parser (PyYAML's wording kept for errors), the
working-year check and the age-band expansion on arrays, the national tables held as
Python strings once a process, and areas selected without pandas' named aggregation.
Each is checked against something written by hand here, not against the code's own output.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

import wfkit.data as wd
from wfkit import tables as T
from wfkit.errors import InputError
from wfkit.scenario import config as C
from wfkit.scenario import load_scenario
from wfkit.scenario.arrays import expand_bands
from wfkit.scenario.config import bundled_scenarios
from wfkit.scenario.tables import load_bundled_table


# ---- the scenario's YAML --------------------------------------------------------------
def test_libyaml_reads_the_scenarios_when_pyyaml_has_it():
    if yaml.__with_libyaml__:
        assert issubclass(C._FastLoader, yaml.CSafeLoader)
    for name in bundled_scenarios():
        text = load_scenario(name).path.read_text(encoding="utf-8")
        assert C._read_yaml(text) == yaml.safe_load(text), name


@pytest.mark.parametrize(
    "text",
    [
        "name: x\nhorizon: 5\n  draws: 3\n",  # a key indented under a plain value
        "name: [x, y\nhorizon: 5\n",  # an unclosed list
        "name: 'x\n",  # an unclosed quote
    ],
)
def test_a_file_yaml_refuses_is_worded_as_pyyaml_words_it(tmp_path, text):
    with pytest.raises(yaml.YAMLError) as plain:
        yaml.load(text, Loader=yaml.SafeLoader)
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_scenario(path)
    assert f"not valid YAML: {plain.value.problem}" in str(info.value)
    assert info.value.row == plain.value.problem_mark.line + 1


def test_duplicate_keys_and_deep_nesting_are_refused_on_the_fast_path(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text("name: x\nhorizon: 5\nhorizon: 6\n", encoding="utf-8")
    with pytest.raises(InputError, match="duplicate key 'horizon' \\(first on line 2\\)"):
        load_scenario(path)
    path.write_text("name: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML"):
        load_scenario(path)


# ---- the working year -----------------------------------------------------------------
def _capacity(rows: list[tuple[str, str, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["role", "parameter", "value", "hi"])


def _year(role: str, sickness: float, sickness_hi: float = np.nan) -> list:
    # 52 weeks x 5 days = 260 working days; 20 + 8 + 0 + 5 days off besides sickness
    return [
        (role, "weeks_per_year", 52.0, np.nan),
        (role, "days_per_week", 5.0, np.nan),
        (role, "annual_leave_days", 20.0, np.nan),
        (role, "bank_holiday_days", 8.0, np.nan),
        (role, "training_days", 5.0, np.nan),
        (role, "other_days", 0.0, np.nan),
        (role, "sickness_days", sickness, sickness_hi),
    ]


def test_a_role_whose_absences_fill_its_year_is_refused_by_hand_figures():
    T.check_working_year(_capacity(_year("nurse", 226.0)), "capacity.csv")  # 259 < 260
    with pytest.raises(InputError) as info:
        T.check_working_year(_capacity(_year("nurse", 227.0)), "capacity.csv")  # 260
    assert "role 'nurse': absence days sum to 260, not below the 260 working days" in str(
        info.value
    )
    assert info.value.column == "value"
    with pytest.raises(InputError) as info:  # within the year at its value, not at its hi
        T.check_working_year(_capacity(_year("nurse", 10.0, 240.0)), "capacity.csv")
    assert "absence days (at their hi) sum to 273" in str(info.value)
    assert info.value.column == "hi"


def test_the_first_row_of_a_role_and_parameter_counts_and_roles_go_in_sorted_order():
    rows = _year("zz_role", 300.0) + _year("aa_role", 300.0)
    rows.append(("aa_role", "sickness_days", 1.0, np.nan))  # a later duplicate: not counted
    with pytest.raises(InputError, match="role 'aa_role'"):
        T.check_working_year(_capacity(rows[::-1][1:] + rows[-1:]), "capacity.csv")
    fine = _year("aa_role", 1.0)
    fine.append(("aa_role", "sickness_days", 300.0, np.nan))  # the first (1 day) counts
    T.check_working_year(_capacity(fine), "capacity.csv")
    # a parameter no role has: nothing can be summed, nothing refused
    short = [r for r in _year("aa_role", 300.0) if r[1] != "other_days"]
    T.check_working_year(_capacity(short), "capacity.csv")


# ---- the age bands --------------------------------------------------------------------
def test_age_band_all_becomes_one_row_per_band_after_the_single_bands():
    df = pd.DataFrame(
        {
            "activity": ["a", "b", "c"],
            "age_band": ["all", "0-4", "all"],
            "value": [0.1, 0.2, 0.3],
        }
    )
    out = expand_bands(df, "prevalence.csv")
    bands = list(T.AGE_BANDS)
    assert list(out.columns) == ["activity", "age_band", "value"]
    assert list(out.index) == list(range(1 + 2 * len(bands)))
    assert out["activity"].tolist() == ["b"] + ["a"] * len(bands) + ["c"] * len(bands)
    assert out["age_band"].tolist() == ["0-4", *bands, *bands]
    assert out["value"].tolist() == [0.2] + [0.1] * len(bands) + [0.3] * len(bands)
    banded = df.assign(age_band="0-4")
    assert expand_bands(banded, "x") is banded  # nothing to expand: the same frame


def test_an_activity_with_all_and_single_bands_is_refused_at_its_all_row():
    df = pd.DataFrame({"activity": ["a", "b", "b", "a"], "age_band": ["0-4", "all", "5-9", "all"]})
    with pytest.raises(InputError) as info:
        expand_bands(df, "contacts.csv")
    assert info.value.row == 5  # the fourth row: 'a' at 'all' (row 1 is the header)
    assert "{'activity': 'a'} has rows for both 'all' and single age bands" in str(info.value)


# ---- the national tables and the areas ------------------------------------------------
def test_national_tables_come_as_python_strings_and_each_call_its_own_frame():
    context = {"areas": ["P92020"], "level": "practice", "base_year": 2025, "years": [2025]}
    first = load_bundled_table("skill_mix", context)
    assert first["activity"].dtype == object and first["role"].dtype == object
    original = wd.load("skill_mix")
    assert first["activity"].tolist() == original["activity"].tolist()
    assert np.array_equal(first["current"].to_numpy(), original["current"].to_numpy())
    first["activity"] = "changed"
    first.loc[0, "current"] = -1.0
    again = load_bundled_table("skill_mix", context)
    assert again["activity"].tolist() == original["activity"].tolist()
    assert again.loc[0, "current"] == original.loc[0, "current"]


def test_an_area_is_its_practices_summed_and_named_by_the_first_name():
    p = wd.select_areas(level="practice")
    net = p.merge(wd.load("areas")[["practice", "pcn"]], left_on="area", right_on="practice")
    code = net["pcn"].iloc[0]
    mine = net[net["pcn"] == code]
    got = wd.select_areas(code=code, level="pcn")
    assert list(got.columns) == ["area", "area_name", "level", "patients", "icb", "region"]
    assert got["patients"].tolist() == [int(mine["patients"].sum())]
    assert got["level"].tolist() == ["pcn"]
    names = wd.load("areas").set_index("practice").loc[mine["area"], "pcn_name"]
    assert got["area_name"].tolist() == [names.dropna().iloc[0]]
    assert got["icb"].tolist() == [mine["icb"].iloc[0]]


def test_shares_are_summed_by_group_in_sorted_order_missing_as_zero():
    from wfkit.validation import check_shares_sum

    df = pd.DataFrame(
        {
            "activity": ["b", "b", "a", "a", None],
            "current": [0.5, 0.6, 0.5, np.nan, 5.0],  # b: 1.1, a: 0.5 (the missing as 0)
        }
    )
    with pytest.raises(InputError) as info:
        check_shares_sum(df, "activity", ["current"], "skill_mix.csv")
    assert "shares of activity 'a' sum to 0.5;" in str(info.value)  # 'a' before 'b'
    assert info.value.row == 4  # the first row of 'a'
    df.loc[3, "current"] = 0.5
    with pytest.raises(InputError, match="activity 'b' sum to 1.1;"):
        check_shares_sum(df, "activity", ["current"], "skill_mix.csv")
    df.loc[1, "current"] = 0.5  # the row without an activity (5.0) is no group's
    check_shares_sum(df, "activity", ["current"], "skill_mix.csv")
