"""wfkit.tables_display: tidy frames shown as tables people can read."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from wfkit import tables_display, usecases


@pytest.fixture(scope="module")
def run():
    return usecases.build("same_day", {"area": "U78517", "draws": 10, "shift_fraction": 0.2}).run()


def test_base_year_table_in_words_without_empty_rows(run):
    tidy = usecases.base_year_table(run)
    before = tidy.copy()
    html = tables_display.readable(tidy).to_html()
    pd.testing.assert_frame_equal(tidy, before)  # the data stay tidy
    shown = tables_display.readable(tidy).data
    assert list(shown.columns) == [
        "Role",
        "FTE required",
        "FTE in post",
        "Gap (FTE in post - required)",
        "Reason",
    ]
    empty = (tidy[["required_fte", "supply_fte", "gap_fte"]] == 0).all(axis=1)
    assert empty.any() and len(shown) == (~empty).sum()
    assert "Other administrative staff" not in set(shown["Role"])
    # reasons in full, never cut
    for reason in tidy.loc[~empty, "reason"]:
        assert reason in html
    assert "white-space: normal" in html
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", " ".join(shown.columns))
    kept = tables_display.readable(tidy, keep_empty=True).data
    assert len(kept) == len(tidy)


def test_numbers_get_thousands_separators_and_display_rounding_only():
    tidy = pd.DataFrame(
        {
            "role": ["gp", "practice_nurse", "hca"],
            "scenario": ["future_model", "baseline", "baseline"],
            "cost_gbp": [91733.4567, 0.0, np.nan],
            "share": [0.51234, 0.0, 0.25],
            "year": [2035, 2035, 2035],
            "gap_future_model": [-1.88, 0.0, np.nan],
        }
    )
    styler = tables_display.readable(tidy)
    html = styler.to_html()
    assert "91,733.5" in html and "51.2%" in html and "25.0%" in html
    assert "2035" in html and "2,035" not in html
    assert "NaN" not in html and "nan" not in html
    assert list(styler.data.columns) == [
        "Role",
        "Scenario",
        "Cost (£)",
        "Share of the workload (%)",
        "Year",
        "Gap, Future model (FTE)",
    ]
    assert list(styler.data["Role"]) == ["General practitioner", "Healthcare assistant"]
    assert list(styler.data["Scenario"]) == ["Future model", "Baseline"]
    assert styler.data["Cost (£)"].iloc[0] == 91733.4567  # rounded for display only
    assert tidy["role"].iloc[0] == "gp"
    assert ">0<" not in html  # the index is hidden


def test_a_pivot_shows_its_index_as_a_column(run):
    table = usecases.who_does_what_table(usecases.who_does_what(run))
    shown = tables_display.readable(table).data
    assert shown.columns[0] == "Role"
    assert "General practitioner" in set(shown["Role"])
    assert {"Today (share, %)", "Future model (share, %)"} <= set(shown.columns)


def test_headers_can_be_given_and_rows_with_all_missing_numbers_dropped():
    tidy = pd.DataFrame({"thing": ["a", "b"], "n": [np.nan, 2.0]})
    shown = tables_display.readable(tidy, headers={"n": "Number (people)"}).data
    assert list(shown.columns) == ["Thing", "Number (people)"] and list(shown["Thing"]) == ["b"]


def test_the_table_prints_as_aligned_text_with_the_same_figures():
    tidy = pd.DataFrame({"role": ["gp", "hca"], "required_fte": [1234.56, 2.0]})
    text = repr(tables_display.readable(tidy))
    lines = text.splitlines()
    assert lines[0].split("  ")[0] == "Role" and "FTE required" in lines[0]
    assert lines[1].startswith("General practitioner") and lines[1].endswith("1,234.6")
    assert lines[2].startswith("Healthcare assistant ") and "0x" not in text


def test_two_columns_with_one_header_stay_apart_and_flags_read_yes_or_no():
    tidy = pd.DataFrame({"area": ["U78517"], "area_name": ["X"], "cannot_meet": [True], "n": [1.0]})
    shown = tables_display.readable(tidy).data
    assert len(set(shown.columns)) == 4
    assert shown["Training cannot close it in time"].iloc[0] == "yes"


def test_the_html_is_the_same_each_time_for_nbval():
    tidy = pd.DataFrame({"role": ["gp"], "required_fte": [1.0]})
    assert tables_display.readable(tidy).to_html() == tables_display.readable(tidy).to_html()
    other = pd.DataFrame({"role": ["hca"], "required_fte": [2.0]})
    assert tables_display.readable(tidy).uuid != tables_display.readable(other).uuid
