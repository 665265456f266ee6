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
from wfkit.tables import INPUT_TABLES


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


# ---- the variants of a run share what they read -----------------------------------------
def _same(a, b, where=""):
    """Whether two built inputs are equal, array by array (NaN equal to NaN)."""
    import dataclasses

    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        assert type(a) is type(b), where
        for f in dataclasses.fields(a):
            _same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for k in a:
            _same(a[k], b[k], f"{where}[{k}]")
    elif isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        assert np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True), where
    else:
        assert a == b, where


def _variants_scenario(tmp_path, **variant2) -> object:
    acts = list(wd.load("activities")["activity"])
    config = {
        "name": "shared reads",
        "base_year": 2026,  # 2026/27 pay: a note made by a step the variants share
        "horizon": 6,
        "draws": 20,
        "seed": 5,
        "level": "practice",
        "areas": {"codes": ["P92020"]},
        "activities": acts[:10],
        "inputs": {t: "bundled" for t in INPUT_TABLES},
        "calibration": "none",  # no England-wide build beside the run's (its reads counted)
        "variants": [
            {"name": "more", "activities": acts[:20], "skill_mix": {"model": "future"}},
            {"name": "other", "activities": acts[10:25], **variant2},
        ],
    }
    path = tmp_path / "shared.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return load_scenario(path)


@pytest.mark.parametrize(
    "variant2",
    [
        {"arrs_growth": 0.05, "growth_rate": 0.01},  # a supply policy: notes and flows
        {"overrides": {"capacity": [{"role": "gp", "parameter": "days_per_week", "value": 4}]}},
        {"inputs": "own minutes"},  # a table of its own: other tables
    ],
)
def test_variants_built_together_equal_each_built_alone(tmp_path, variant2):
    from wfkit.scenario import build_inputs, prepare_inputs
    from wfkit.scenario import inputs as I

    if variant2.get("inputs") == "own minutes":
        minutes = wd.load("minutes")
        minutes.loc[0, ["value", "lo", "hi"]] = minutes.loc[0, ["value", "lo", "hi"]] * 1.5
        minutes.to_csv(tmp_path / "minutes.csv", index=False)
        inputs = {t: "bundled" for t in INPUT_TABLES} | {"minutes": "minutes.csv"}
        variant2 = {"inputs": inputs}
    sc = _variants_scenario(tmp_path, **variant2)
    reads = []
    real = I._read_for
    try:
        I._read_for = lambda *a: reads.append(1) or real(*a)
        together = prepare_inputs(sc, sc.draws)
    finally:
        I._read_for = real
    assert len(reads) == (1 if "overrides" not in variant2 and "inputs" not in variant2 else 2)
    for name in sc.variant_names:
        v = sc.variant(name)
        if name != "baseline" and "inputs" not in variant2:
            v = replace_areas(v, together["baseline"][0].areas)
        alone, record = build_inputs(v)
        built, rec = together[name]
        assert rec.notes[: len(record.notes)] == record.notes, name
        assert any(n.startswith("costs: pay raised") for n in rec.notes), name
        assert rec.tables == record.tables
        _same(alone.areas, built.areas, name)
        for field in (
            "population",
            "growth",
            "capacity",
            "salary",
            "supply",
            "joiner_rate",
            "minutes",
        ):
            _same(getattr(alone, field), getattr(built, field), f"{name}.{field}")
        assert alone.activities == built.activities and alone.roles == built.roles
    if "overrides" in variant2:  # the variant's own override, not the baseline's table
        gp = together["other"][0].roles.index("gp")
        assert together["other"][0].capacity["days_per_week"].value[gp] == 4
        assert together["baseline"][0].capacity["days_per_week"].value[gp] != 4
    if "inputs" in variant2:  # the variant's own minutes, not the bundled ones
        assert together["other"][1].tables["minutes"] == str(tmp_path / "minutes.csv")


def replace_areas(v, areas):
    """A variant with the baseline's areas as codes, as prepare_inputs hands them on."""
    from dataclasses import replace

    return replace(v, areas=tuple(areas))


def test_a_variant_naming_the_skill_mix_table_in_its_inputs_loads(tmp_path):
    """``inputs.skill_mix`` is a table, not the ``skill_mix`` setting (it crashed the merge)."""
    config = {
        "name": "tables of a variant",
        "base_year": 2025,
        "horizon": 5,
        "inputs": {t: "bundled" for t in INPUT_TABLES},
        "skill_mix": {"model": "future", "transition_start": 2026, "transition_years": 2},
        "overrides": {"capacity": [{"role": "gp", "parameter": "days_per_week", "value": 4}]},
        "variants": [{"name": "own", "inputs": {"skill_mix": "bundled"}}],
    }
    path = tmp_path / "v.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    v = load_scenario(path).variant("own")
    assert v.skill_mix.model == "future" and v.skill_mix.transition_years == 2
    assert len(v.overrides["capacity"]) == 1  # the baseline's one row
    assert v.inputs["skill_mix"].bundled
