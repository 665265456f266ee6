"""The bundled front-door tables (online consultations, telephony, arrival profile).

Against the publisher's own totals, and the build's refusal of workbooks that do not add up.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

import wfkit.data as wd
from wfkit.data import build_frontdoor as fd
from wfkit.data.raw import RAW_FILES
from wfkit.errors import InputError

pytestmark = pytest.mark.unit

SOURCES = wd.sources_dir()
needs_sources = pytest.mark.skipif(
    not all((SOURCES / RAW_FILES[k]).exists() for k in ("online", "telephony")),
    reason=f"raw front-door workbooks not found at {SOURCES}",
)


def test_online_channel_totals_are_the_publishers():
    o = wd.load("online_practice")
    # England, November 2025, table 1 of the publication
    assert o.online_total.sum() == 7_409_171
    assert o.online_clinical.sum() == 5_034_836
    assert o.online_admin.sum() == 1_852_107
    assert o.online_other.sum() == 522_228
    assert (o.online_clinical + o.online_admin + o.online_other).eq(o.online_total).all()
    assert len(o) == 6170 and o.practice.is_unique


def test_telephony_totals_are_the_publishers():
    t = wd.load("telephony_practice")
    # the national "Total" rows of tables 3-5
    assert t.calls.sum() == 29_439_840
    assert t.answered.sum() == 15_936_380
    assert t.ivr_ended.sum() == 7_760_703
    assert t.missed.sum() == 3_499_800
    assert t.callback_made.sum() == 2_223_302
    waits = ["answered_wait_lt1", "answered_wait_1_2", "answered_wait_2_5", "answered_wait_gt5"]
    assert t[waits].sum().tolist() == [7_062_008, 2_236_991, 3_099_082, 3_538_287]
    durations = ["duration_lt1", "duration_1_2", "duration_2_5", "duration_gt5"]
    assert t[durations].sum().tolist() == [3_723_763, 5_714_444, 5_261_473, 1_236_700]
    missed = ["missed_wait_lt1", "missed_wait_1_2", "missed_wait_2_5", "missed_wait_gt5"]
    assert t[missed].sum().tolist() == [1_855_359, 583_332, 526_669, 534_440]
    assert (t.area_level == "practice").sum() == 4691
    assert t[durations].sum(axis=1).eq(t.answered).all()


@needs_sources
def test_each_practices_channels_equal_the_published_rows():
    raw = pd.read_excel(SOURCES / RAW_FILES["online"], sheet_name="Table 2", header=11)
    raw = raw[pd.to_datetime(raw["Month [1]"], errors="coerce").notna()].set_index("GP Code")
    o = wd.load("online_practice").set_index("practice")
    assert sorted(raw.index) == sorted(o.index)
    pairs = {
        "online_total": "Submissions [7]",
        "online_clinical": "Clinical Submissions [7]",
        "online_admin": "Administrative Submissions [7]",
        "online_other": "Other/Unknown Type Submissions [7]",
    }
    for ours, theirs in pairs.items():
        assert o[ours].eq(raw.loc[o.index, theirs].astype("int64")).all(), ours
    phone = pd.read_excel(SOURCES / RAW_FILES["telephony"], sheet_name="Table 3", header=None)
    rows = phone[phone[1].astype(str).str.fullmatch(r"[A-Z]\d{5}")]
    t = wd.load("telephony_practice").query("area_level == 'practice'").set_index("area")
    published = rows.set_index(1)[11].astype("int64")
    assert t.calls.eq(published.loc[t.index]).all()
    assert t.missed.eq(rows.set_index(1)[20].astype("int64").loc[t.index]).all()


def test_arrival_profile_sums_to_the_published_totals():
    p = wd.load("arrival_profile")
    tel = p[p.channel == "telephone"]
    onl = p[p.channel == "online"]
    assert tel.requests.sum() == pytest.approx(29_439_840)
    assert onl.requests.sum() == pytest.approx(7_409_171)
    # Mondays of November 2025 (3, 10, 17, 24): 08:00-09:59 calls as published day by day
    mon8 = tel[(tel.weekday == "Monday") & (tel.band == "08:00 - 09:59")]
    assert mon8.requests.item() == 605_916 + 625_645 + 588_112 + 619_434
    assert mon8.days.item() == 4
    mon = tel[tel.weekday == "Monday"]
    assert mon.requests.sum() == 1_873_306 + 1_905_314 + 1_826_644 + 1_891_868
    # online table 3 publishes the average Monday: 08:00-09:59 216,747
    om = onl[(onl.weekday == "Monday") & (onl.band == "08:00 - 09:59")]
    assert om.requests_per_day.item() == pytest.approx(216_747)
    assert (p.requests_per_day * p.days).round(3).eq(p.requests.round(3)).all()
    # bands tile each day without gaps
    for _, g in p.groupby(["channel", "weekday"]):
        g = g.sort_values("start_hour")
        assert g.start_hour.iloc[0] == 0 and g.end_hour.iloc[-1] == pytest.approx(24)
        assert g.start_hour.iloc[1:].to_numpy() == pytest.approx(g.end_hour.iloc[:-1].to_numpy())


# ------------------------------------------------------------------ the build refuses bad files
ONLINE_HEADERS = [
    "GP Code",
    "Registered Patient Count [8]",
    "Participation [11]",
    "Submissions [7]",
    "Clinical Submissions [7]",
    "Administrative Submissions [7]",
    "Other/Unknown Type Submissions [7]",
]


def _online_workbook(path, clinical: int = 7, total: int = 10) -> None:
    wb = openpyxl.Workbook()
    t1 = wb.active
    t1.title = "Table 1"
    t1.append([None, None, "Nov-25 [10]"])
    t1.append(["Submissions", "Total submissions", total])
    t2 = wb.create_sheet("Table 2")
    t2.append(["Month [1]", *ONLINE_HEADERS])
    t2.append([dt.datetime(2025, 11, 1), "A00001", 1000, 1, 10, clinical, 2, 1])
    wb.save(path)


@pytest.mark.parametrize("clinical,total", [(7, 11), (8, 10)])
def test_build_refuses_online_totals_that_do_not_add_up(tmp_path, monkeypatch, clinical, total):
    monkeypatch.setitem(RAW_FILES, "online", "o.xlsx")
    _online_workbook(tmp_path / "o.xlsx", clinical, total)
    areas = pd.DataFrame({"practice": ["A00001"]})
    with pytest.raises(InputError) as e:
        fd.online_practice(tmp_path, areas, [])
    assert "\n" not in str(e.value)


def test_build_reads_a_good_online_workbook(tmp_path, monkeypatch):
    monkeypatch.setitem(RAW_FILES, "online", "o.xlsx")
    _online_workbook(tmp_path / "o.xlsx")
    notes: list[str] = []
    o = fd.online_practice(tmp_path, pd.DataFrame({"practice": ["A00001"]}), notes)
    assert o.iloc[0].to_dict() == {
        "practice": "A00001",
        "patients": 1000,
        "participation": 1,
        "online_total": 10,
        "online_clinical": 7,
        "online_admin": 2,
        "online_other": 1,
    }
    assert "10 submissions" in notes[0]


def test_band_hours_as_published():
    p = wd.load("arrival_profile").set_index(["channel", "weekday", "band"])
    assert tuple(p.loc[("telephone", "Monday", "08:00 - 09:59"), ["start_hour", "end_hour"]]) == (
        8.0,
        10.0,
    )
    assert p.loc[("telephone", "Monday", "18:00 - 18:29"), "end_hour"] == 18.5
