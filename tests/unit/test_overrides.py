"""Scenario overrides upsert rows: checked against a plain row-by-row implementation (the
one the engine used before it looked keys up once)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import wfkit.data as wd
from wfkit import tables as T
from wfkit.scenario.tables import apply_overrides
from wfkit.validation import validate_table


def _reference(df: pd.DataFrame, name: str, rows: list[dict], src: str) -> pd.DataFrame:
    keys = list(T.SPECS[name].key)
    numeric = ["current", "future"] if name == "skill_mix" else ["value"]
    df = df.copy()
    for row in rows:
        mask = np.ones(len(df), dtype=bool)
        for k in keys:
            mask &= (df[k].astype(str) == str(row[k])).to_numpy()
        if not mask.any():
            df = pd.concat([df, pd.DataFrame([{k: str(row[k]) for k in keys}])], ignore_index=True)
            mask = np.zeros(len(df), dtype=bool)
            mask[-1] = True
        for col in numeric:
            if col not in row:
                continue
            v = row[col]
            lo, val, hi = (
                (v[0], (v[0] + v[-1]) / 2, v[-1]) if isinstance(v, list) else (np.nan, v, np.nan)
            )
            df.loc[mask, col] = float(val)
            if col == "value":
                df.loc[mask, "lo"] = lo
                df.loc[mask, "hi"] = hi
                df.loc[mask, "source"] = f"scenario override ({src})"
    return validate_table(df, T.SPECS[name], source="reference")


@pytest.mark.parametrize(
    "rows",
    [
        # an existing row twice (the last wins), and a range
        [
            {"activity": "same_day", "role": "gp", "value": 9},
            {"activity": "same_day", "role": "gp", "value": [8, 14]},
            {"activity": "same_day", "role": "pharmacist", "value": 12},
        ],
        # a new row, then the new row again
        [
            {"activity": "same_day", "role": "health_coach", "value": 20},
            {"activity": "same_day", "role": "health_coach", "value": [15, 25]},
        ],
    ],
)
def test_minutes_overrides_match_the_row_by_row_upsert(rows):
    df = wd.load("minutes")
    tables = {"minutes": (df, "bundled:minutes")}
    apply_overrides(tables, {"minutes": rows}, "s.yaml")
    got = tables["minutes"][0]
    pd.testing.assert_frame_equal(got, _reference(df, "minutes", rows, "s.yaml"), check_exact=True)
    assert len(got) == len(df) + len(
        {(r["activity"], r["role"]) for r in rows}
        - set(zip(df["activity"], df["role"], strict=True))
    )


def test_skill_mix_overrides_match_the_row_by_row_upsert():
    df = wd.load("skill_mix")
    act, role = df.iloc[0]["activity"], df.iloc[0]["role"]
    rows = [{"activity": act, "role": role, "future": float(df.iloc[0]["future"])}]
    tables = {"skill_mix": (df, "bundled:skill_mix")}
    apply_overrides(tables, {"skill_mix": rows}, "s.yaml")
    pd.testing.assert_frame_equal(
        tables["skill_mix"][0], _reference(df, "skill_mix", rows, "s.yaml"), check_exact=True
    )


# ---------------------------------------------------------------------------------------
# a row-level override of every table reaches the engine's inputs (docs/scenarios.md)
# ---------------------------------------------------------------------------------------
def _inputs_with(example_copy, table: str, rows: list[dict]):
    from scenario_edits import edit_yaml

    from wfkit.scenario import build_inputs, load_scenario

    edit_yaml(example_copy, lambda c: c.update(overrides={table: rows}))
    return build_inputs(load_scenario(example_copy), "baseline")[0]


def _at(inputs, **labels) -> tuple:
    names = {"area": inputs.areas, "activity": inputs.activities, "role": inputs.roles}
    names["age_band"] = list(inputs.age_bands)
    return tuple(list(names[k]).index(v) for k, v in labels.items())


OVERRIDE_CASES = {
    "population": (
        [{"area": "EX001", "age_band": "0-4", "population": 2000}],
        lambda i: i.population[_at(i, area="EX001", age_band="0-4")] == 2000,
    ),
    "prevalence, national, no area": (
        [{"activity": "t2d_review", "age_band": "40-44", "value": 0.2}],
        lambda i: (
            i.prevalence.value[(...,) + _at(i, activity="t2d_review", age_band="40-44")] == 0.2
        ).all(),
    ),
    "prevalence, one band of an 'all' row, area ''": (
        [{"area": "", "activity": "same_day", "age_band": "40-44", "value": 0.5}],
        lambda i: (
            (
                i.prevalence.value[(...,) + _at(i, activity="same_day", age_band="40-44")] == 0.5
            ).all()
            and (
                i.prevalence.value[(...,) + _at(i, activity="same_day", age_band="0-4")] == 1
            ).all()
        ),
    ),
    "prevalence, one area, every band": (
        [{"area": "EX001", "activity": "same_day", "age_band": "all", "value": 0.5}],
        lambda i: (
            (i.prevalence.value[_at(i, area="EX001", activity="same_day")] == 0.5).all()
            and (i.prevalence.value[_at(i, area="EX002", activity="same_day")] == 1).all()
        ),
    ),
    "contacts": (
        [{"activity": "same_day", "age_band": "0-4", "value": [1, 2]}],
        lambda i: (
            (i.contacts.value[_at(i, activity="same_day", age_band="0-4")] == 1.5)
            and i.contacts.lo[_at(i, activity="same_day", age_band="0-4")] == 1
        ),
    ),
    "skill_mix": (
        [
            {"activity": "gp_consultation", "role": "gp", "current": 0.8},
            {"activity": "gp_consultation", "role": "practice_nurse", "current": 0.2},
        ],
        lambda i: i.shares_current[_at(i, activity="gp_consultation", role="gp")] == 0.8,
    ),
    "minutes": (
        [{"activity": "same_day", "role": "gp", "value": 13}],
        lambda i: i.minutes.value[_at(i, activity="same_day", role="gp")] == 13,
    ),
    "capacity": (
        [{"role": "gp", "parameter": "hours_per_week", "value": 40}],
        lambda i: i.capacity["hours_per_week"].value[_at(i, role="gp")] == 40,
    ),
    "costs": (
        [{"role": "gp", "parameter": "salary", "value": 95000}],
        lambda i: i.salary.value[_at(i, role="gp")] == 95000,
    ),
    "supply": (
        [{"area": "EX002", "role": "gp", "fte": 20}],
        lambda i: i.supply[_at(i, area="EX002", role="gp")] == 20,
    ),
    "flows": (
        [{"role": "gp", "parameter": "leaver_rate", "value": 0.05}],
        lambda i: i.leaver_rate.value[_at(i, role="gp")] == 0.05,
    ),
}


@pytest.mark.parametrize("case", list(OVERRIDE_CASES))
def test_an_override_of_every_table_reaches_the_inputs(example_copy, case):
    rows, holds = OVERRIDE_CASES[case]
    table = case.split(",")[0]
    assert holds(_inputs_with(example_copy, table, rows))


def test_every_overridable_table_has_a_case():
    from wfkit.scenario.config import scenario_schema

    tables = set(scenario_schema()["definitions"]["overrides"]["properties"])
    assert tables == {c.split(",")[0] for c in OVERRIDE_CASES}


def test_a_national_prevalence_override_on_bundled_data():
    """``area`` left out or ``''``: the national row (it was 'unknown area' on bundled data)."""
    from wfkit.scenario import build_inputs, load_scenario
    from wfkit.scenario.config import bundled_scenarios

    cfg = load_scenario(bundled_scenarios()["default"]).to_mapping()
    base = build_inputs(load_scenario(cfg), "baseline")[0]
    k = list(base.activities).index("same_day_minor_illness")
    g = list(base.age_bands).index("40-44")
    for row in (
        {"activity": "same_day_minor_illness", "age_band": "40-44", "value": 0.5},
        {"area": "", "activity": "same_day_minor_illness", "age_band": "40-44", "value": 0.5},
    ):
        got = build_inputs(load_scenario({**cfg, "overrides": {"prevalence": [row]}}), "baseline")[
            0
        ].prevalence.value
        assert (got[:, k, g] == 0.5).all()
        changed = got != base.prevalence.value
        assert changed.sum() == changed[:, k, g].sum()  # nothing else moved


@pytest.mark.parametrize(
    ("table", "row", "key", "fragment"),
    [
        ("minutes", {"activity": "same_day", "role": "gp_typo", "value": 9}, "role", "gp_typo"),
        ("contacts", {"activity": "sameday", "age_band": "0-4", "value": 1}, "activity", "sameday"),
        ("contacts", {"activity": "same_day", "age_band": "0-3", "value": 1}, "age_band", "0-3"),
        ("capacity", {"role": "gp", "parameter": "hours", "value": 1}, "parameter", "hours"),
        ("supply", {"area": "EX009", "role": "gp", "fte": 1}, "area", "EX009"),
        (
            "prevalence",
            {"area": "X", "activity": "same_day", "age_band": "all", "value": 1},
            "area",
            "X",
        ),
        ("skill_mix", {"activity": "same_day", "role": "hca", "current": 0.1}, "future", ""),
    ],
)
def test_override_errors_name_the_override_not_a_table_row(example_copy, table, row, key, fragment):
    """A bad override row is reported as ``overrides.TABLE[i].COLUMN`` of the scenario, never
    as a row of the table that does not exist (it once said 'minutes.csv, row 14' of a
    13-line file)."""
    from wfkit.errors import InputError

    ok = {"activity": "gp_consultation", "role": "gp", "value": 10}
    with pytest.raises(InputError) as info:
        _inputs_with(example_copy, table, [ok, row] if table == "minutes" else [row])
    e = info.value
    i = 1 if table == "minutes" else 0
    assert e.key == f"overrides.{table}[{i}].{key}", str(e)
    assert e.row is None and str(e.source).endswith("example.yaml") and fragment in str(e)


def test_override_error_on_bundled_data_names_the_override():
    from wfkit.errors import InputError
    from wfkit.scenario import build_inputs, load_scenario
    from wfkit.scenario.config import bundled_scenarios

    cfg = load_scenario(bundled_scenarios()["default"]).to_mapping()
    cfg["overrides"] = {
        "prevalence": [{"area": "", "activity": "diabetes_review", "age_band": "all", "value": 1}]
    }
    with pytest.raises(InputError) as info:
        build_inputs(load_scenario(cfg), "baseline")
    assert info.value.key == "overrides.prevalence[0].activity", str(info.value)
    assert "bundled:prevalence" not in str(info.value)
