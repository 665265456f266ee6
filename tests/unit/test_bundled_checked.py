"""Bundled tables are checked once: a table the loader checked against the engine's own spec
reaches a run marked as checked, and is exactly what checking it again would give."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from wfkit import tables as T
from wfkit.data import loader
from wfkit.scenario import VALIDATED
from wfkit.scenario.tables import AREA_TABLES, _build_bundled
from wfkit.validation import validate_table

CONTEXT = {"areas": ["U06180"], "level": "pcn", "base_year": 2025, "years": [2025, 2026]}
NATIONAL = sorted(set(T.SPECS) & set(loader.TABLES) - set(AREA_TABLES))


@pytest.mark.parametrize("name", NATIONAL)
def test_national_table_marked_and_unchanged_by_a_second_check(name):
    df = _build_bundled(name, CONTEXT)
    assert df.attrs.get(VALIDATED) == name
    pd.testing.assert_frame_equal(
        validate_table(df.copy(), T.SPECS[name], source="again"), df, check_exact=True
    )


def test_a_table_checked_against_another_spec_is_not_marked(monkeypatch):
    info = loader.TABLES["minutes"]
    other = dataclasses.replace(info, spec=dataclasses.replace(info.spec))
    monkeypatch.setitem(loader.TABLES, "minutes", other)
    assert _build_bundled("minutes", CONTEXT).attrs.get(VALIDATED) is None
