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
