"""Tests for the classic WISN calculation (wfkit.wisn)."""

from __future__ import annotations

import doctest
import math

import pandas as pd
import pytest

import wfkit.wisn as wisn_module
from wfkit.errors import InputError
from wfkit.wisn import (
    Absence,
    AvailableWorkingTime,
    CategoryAllowance,
    IndividualAllowance,
    WisnActivity,
    wisn,
)

pytestmark = pytest.mark.unit


def kenya_awt() -> AvailableWorkingTime:
    # 4.5 consulting days a week x 52 weeks, less 10 public holidays, 30 days annual
    # leave and 15 days sick leave.
    return AvailableWorkingTime.weekly(
        4.5,
        52,
        deductions={"public holidays": 10, "annual leave": 30, "sick leave": 15},
    )


def kenya(**kw):
    """HIV clinic, Western Kenya: Human Resources for Health 2017;15:9, Table 3."""
    args = dict(
        activities=[WisnActivity("HIV clinic appointments", 10_000 * 10, 0.25, unit="hours")],
        awt=kenya_awt(),
        category_allowances=[CategoryAllowance("training", time_per_year=10, unit="days")],
    )
    args.update(kw)
    return wisn(**args)


# ------------------------------------------------------------------ published case
def test_kenya_hiv_clinic_table3():
    r = kenya(actual_staff=10)
    # 10,000 patients x 10 appointments x 0.25 h = 25,000 h = 3,125 days of 8 h
    assert r.activities["workload_hours"].iloc[0] == 25_000
    assert r.activities["workload_hours"].iloc[0] / r.hours_per_day == 3_125
    # 4.5 x 52 = 234 days, less 10 + 30 + 15 = 179 days
    assert r.awt_breakdown["days"].iloc[0] == pytest.approx(234)
    assert r.awt_days == pytest.approx(179)
    assert r.awt_hours == pytest.approx(179 * 8)
    # baseline: 3,125 / 179 = 17.46
    assert r.baseline_required == pytest.approx(3_125 / 179)
    assert round(r.baseline_required, 2) == 17.46
    # CAS: 10 training days of 179 -> CAF = 1 / (1 - 10/179) = 1.0592
    assert r.cas_percent == pytest.approx(100 * 10 / 179)
    assert r.caf == pytest.approx(1 / (1 - 10 / 179))
    assert round(r.caf, 4) == 1.0592
    # 18.49 staff, rounded only at the end
    assert r.required == pytest.approx(3_125 / 179 / (1 - 10 / 179))
    assert round(r.required, 2) == 18.49
    assert r.iaf == 0
    assert r.difference == pytest.approx(10 - r.required)
    assert r.ratio == pytest.approx(10 / r.required)


def test_kenya_with_unit_time_in_minutes_and_awt_in_hours():
    r = kenya(
        activities=[WisnActivity("appointments", 100_000, 15, unit="minutes")],
        awt=AvailableWorkingTime(234 * 8, "hours", {"leave": 55 * 8}, deduction_unit="hours"),
    )
    assert round(r.required, 2) == 18.49
    assert r.awt_days == pytest.approx(179)


def test_no_intermediate_rounding():
    # 3,125/179 x 179/169 = 3,125/169 = 18.49112...; rounding the intermediate figures
    # (17.46 x 1.0592 = 18.4936) would drift, so check the unrounded value.
    r = kenya()
    assert r.required == pytest.approx(3_125 / 169, rel=1e-14)


def test_doctest_example():
    failures, _ = doctest.testmod(wisn_module, verbose=False)
    assert failures == 0


# ------------------------------------------------------------------ equivalences
def test_cas_as_percent_equals_cas_as_time():
    by_time = kenya()
    by_pct = kenya(category_allowances=[CategoryAllowance("training", percent=100 * 10 / 179)])
    assert by_pct.caf == pytest.approx(by_time.caf, rel=1e-12)
    assert by_pct.required == pytest.approx(by_time.required, rel=1e-12)
    # and as hours per year
    by_hours = kenya(category_allowances=[CategoryAllowance("training", time_per_year=80)])
    assert by_hours.required == pytest.approx(by_time.required, rel=1e-12)


def test_several_cas_add_up():
    r = kenya(
        category_allowances=[
            CategoryAllowance("training", time_per_year=10, unit="days"),
            CategoryAllowance("meetings", percent=5),
        ]
    )
    assert r.cas_percent == pytest.approx(100 * 10 / 179 + 5)
    assert r.caf == pytest.approx(1 / (1 - 10 / 179 - 0.05))
    assert list(r.category_allowances["name"]) == ["training", "meetings"]


def test_deductions_in_days_hours_percent_agree():
    days = AvailableWorkingTime(230, deductions={"leave": 23})
    hours = AvailableWorkingTime(230, deductions=[Absence("leave", 23 * 7.5, "hours")])
    pct = AvailableWorkingTime(230, deductions={"leave": 10}, deduction_unit="percent")
    for a in (days, hours, pct):
        assert a.days(7.5) == pytest.approx(207)
        assert a.hours(7.5) == pytest.approx(207 * 7.5)


def test_mixed_absence_units():
    a = AvailableWorkingTime(
        1950,
        "hours",
        [
            Absence("bank holidays", 8, "days"),
            Absence("annual leave", 187.5, "hours"),
            Absence("sickness", 4, "percent"),
            Absence("training", 600, "minutes"),
        ],
    )
    expected = 1950 - 8 * 7.5 - 187.5 - 0.04 * 1950 - 10
    assert a.hours(7.5) == pytest.approx(expected)
    bd = a.breakdown(7.5)
    assert list(bd["kind"]) == ["contract", *["deduction"] * 4, "AWT"]
    assert bd["hours"].iloc[:-1].sum() == pytest.approx(bd["hours"].iloc[-1])


# ------------------------------------------------------------------ IAF
def test_individual_allowance_factor_hand_worked():
    """A WHO-manual-style example, worked by hand.

    AWT 1,600 h (200 days of 8 h).  Activities: 24,000 consultations x 12 min = 4,800 h ->
    standard workload 8,000 -> 3.0 staff; 1,200 home visits x 1 h -> 0.75 staff.  Baseline
    3.75.  CAS 20% (meetings 15%, records 5%) -> CAF 1.25 -> 4.6875.  IAS: the nurse in
    charge spends 8 h a week for 40 weeks on management (320 h, 1 person) and 2 staff
    supervise students 100 h a year each (200 h) -> 520 h -> IAF 520 / 1,600 = 0.325.
    Required 4.6875 + 0.325 = 5.0125.  With 4 in post: difference -1.0125, ratio 0.798.
    """
    r = wisn(
        [
            WisnActivity("consultations", 24_000, 12, unit="minutes"),
            WisnActivity("home visits", 1_200, 1, unit="hours"),
        ],
        AvailableWorkingTime(200, "days"),
        [CategoryAllowance("meetings", percent=15), CategoryAllowance("records", percent=5)],
        [
            IndividualAllowance("management", 8 * 40, staff=1),
            IndividualAllowance("student supervision", 100, staff=2),
        ],
        actual_staff=4,
    )
    assert r.activities["standard_workload"].tolist() == pytest.approx([8_000, 1_600])
    assert r.activities["required_staff"].tolist() == pytest.approx([3.0, 0.75])
    assert r.baseline_required == pytest.approx(3.75)
    assert r.caf == pytest.approx(1.25)
    assert r.ias_hours == pytest.approx(520)
    assert r.iaf == pytest.approx(0.325)
    assert r.required == pytest.approx(5.0125)
    assert r.difference == pytest.approx(-1.0125)
    assert r.ratio == pytest.approx(4 / 5.0125)


def test_ias_in_days():
    r = kenya(individual_allowances=[IndividualAllowance("management", 2, staff=3, unit="days")])
    assert r.ias_hours == pytest.approx(48)
    assert r.iaf == pytest.approx(6 / 179)


# ------------------------------------------------------------------ display
def test_to_frame_and_summary():
    r = kenya(actual_staff=12)
    df = r.to_frame()
    assert list(df.columns) == ["section", "item", "quantity", "value", "unit"]
    assert set(df["section"]) >= {"awt", "activity", "category_allowance", "result"}
    res = df[df["section"] == "result"].set_index("quantity")["value"]
    assert res["required"] == pytest.approx(r.required)
    assert res["caf"] == pytest.approx(r.caf)
    assert pd.api.types.is_float_dtype(df["value"])
    s = r.summary()
    assert "18.49" in s and "17.46" in s and "1.0592" in s
    assert str(r) == s


def test_no_actual_staff_gives_nan():
    r = kenya()
    assert math.isnan(r.actual) and math.isnan(r.difference) and math.isnan(r.ratio)
    assert "n/a" in r.summary()


def test_single_activity_not_in_list():
    r = kenya(activities=WisnActivity("appointments", 100_000, 0.25))
    assert round(r.required, 2) == 18.49


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "make, key",
    [
        (lambda: WisnActivity("a", -1, 0.25), "annual_workload"),
        (lambda: WisnActivity("a", float("nan"), 0.25), "annual_workload"),
        (lambda: WisnActivity("a", 10, 0), "unit_time"),
        (lambda: WisnActivity("a", 10, float("inf")), "unit_time"),
        (lambda: WisnActivity("a", 10, 1, unit="weeks"), "unit"),
        (lambda: WisnActivity("a", "ten", 1), "annual_workload"),
        (lambda: WisnActivity("", 10, 1), "name"),
        (lambda: AvailableWorkingTime(0), "contract_time"),
        (lambda: AvailableWorkingTime(-5), "contract_time"),
        (lambda: AvailableWorkingTime(200, "weeks"), "contract_unit"),
        (lambda: AvailableWorkingTime(200, deduction_unit="fortnights"), "deduction_unit"),
        (lambda: AvailableWorkingTime(200, deductions={"leave": -3}), "leave"),
        (lambda: AvailableWorkingTime(200, deductions={"leave": float("nan")}), "leave"),
        (lambda: AvailableWorkingTime(200, deductions={"x": 120}, deduction_unit="percent"), "x"),
        (lambda: AvailableWorkingTime(200, deductions=[("leave", 3)]), "deductions"),
        (lambda: Absence("leave", 3, "weeks"), "leave"),
        (lambda: CategoryAllowance("c"), "category allowance 'c'"),
        (lambda: CategoryAllowance("c", percent=5, time_per_year=3), "category allowance 'c'"),
        (lambda: CategoryAllowance("c", percent=-1), "percent"),
        (lambda: CategoryAllowance("c", percent=100), "percent"),
        (lambda: CategoryAllowance("c", time_per_year=-2), "time_per_year"),
        (lambda: CategoryAllowance("c", time_per_year=2, unit="weeks"), "unit"),
        (lambda: IndividualAllowance("i", -1), "time_per_year"),
        (lambda: IndividualAllowance("i", 10, staff=-1), "staff"),
        (lambda: IndividualAllowance("i", 10, unit="years"), "unit"),
    ],
)
def test_bad_input_objects(make, key):
    with pytest.raises(InputError) as e:
        make()
    assert key in (e.value.column or "")


def test_zero_awt():
    awt = AvailableWorkingTime(200, deductions={"leave": 200})
    with pytest.raises(InputError, match="no available working time") as e:
        kenya(awt=awt)
    assert e.value.column == "awt"
    with pytest.raises(InputError):
        AvailableWorkingTime(200, deductions={"leave": 250}).days()


def test_cas_sum_at_least_100_percent():
    for cas in (
        [CategoryAllowance("a", percent=60), CategoryAllowance("b", percent=40)],
        [
            CategoryAllowance("a", percent=99),
            CategoryAllowance("b", time_per_year=179, unit="days"),
        ],
        [CategoryAllowance("a", time_per_year=200, unit="days")],
    ):
        with pytest.raises(InputError, match="100%") as e:
            kenya(category_allowances=cas)
        assert e.value.column == "category_allowances"


@pytest.mark.parametrize(
    "kw, key",
    [
        ({"activities": []}, "activities"),
        ({"activities": ["x"]}, "activities"),
        ({"awt": 179}, "awt"),
        ({"category_allowances": [5]}, "category_allowances"),
        ({"individual_allowances": "x"}, "individual_allowances"),
        ({"actual_staff": -1}, "actual_staff"),
        ({"actual_staff": float("nan")}, "actual_staff"),
        ({"hours_per_day": 0}, "hours_per_day"),
    ],
)
def test_bad_wisn_arguments(kw, key):
    with pytest.raises(InputError) as e:
        kenya(**kw)
    assert e.value.column == key
