"""Appointments in general practice, as ``wfkit data build`` makes them from the raw files.

Per practice for November 2025 (staff type, booking time, mode: each summing to the
practice's total), national categories by staff type, and sub-ICB totals by month.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import InputError
from .catalogue import TABLES
from .raw import APPOINTMENTS_PREFIX as _APPT
from .raw import RAW_FILES
from .raw import raw_int as _int
from .raw import read_raw as _read

__all__ = ["CATEGORIES", "appointments", "appointment_categories", "appointments_monthly"]

#: published booking-time columns (appointments tables 2a-2c) -> wfkit ids (LEAD_TIMES)
_BOOK_COLS = {
    "same_day": "same_day",
    "col_1_day": "days_1",
    "col_2_to_7_days": "days_2_7",
    "col_8_to_14_days": "days_8_14",
    "col_15_to_21_days": "days_15_21",
    "col_22_to_28_days": "days_22_28",
    "more_than_28_days": "days_29_plus",
    "unknown_data_quality": "unknown",
}
_MODE_COLS = {
    "face_to_face": "face_to_face",
    "home_visit": "home_visit",
    "telephone": "telephone",
    "video_online": "video_online",
    "unknown": "mode_unknown",
}
_STAFF_COLS = {"gp": "gp", "other_practice_staff": "other_staff", "unknown": "unknown_staff"}
#: national category columns of tables 3b/3c (truncated by the copy) -> category ids
CATEGORIES: dict[str, str] = {
    "general_consultation_acute": "general_consultation_acute",
    "general_consultation_routine": "general_consultation_routine",
    "planned_clinics": "planned_clinics",
    "planned_clinical_procedure": "planned_clinical_procedure",
    "unplanned_clinical_activity": "unplanned_clinical_activity",
    "walk_in": "walk_in",
    "clinical_triage": "clinical_triage",
    "home_visit": "home_visit",
    "care_home_visit": "care_home_visit",
    "group_consultation_and_group_education_group_consultation_and_g": "group_consultation",
    "structured_medication_review": "structured_medication_review",
    "patient_contact_during_care_home_round_patient_contact_during_c": "care_home_round",
    "care_home_needs_assessment_personalised_care_and_support_planni": "care_home_needs_assessment",
    "social_prescribing_service": "social_prescribing_service",
    "service_provided_by_organisation_external_to_the_practice_servi": "external_organisation",
    "non_contractual_chargeable_work": "non_contractual_chargeable_work",
    "care_related_encounter_but_does_not_fit_into_any_other_category": "other_care_related",
    "inconsistent_mapping": "inconsistent_mapping",
    "unmapped": "unmapped",
}
_HCP = {"GP": "gp", "Other Practice staff": "other", "Unknown": "unknown"}


def appointments(src: Path, areas: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Build ``appointments``: each practice's November 2025 appointments.

    By staff type, booking time and mode, each checked to sum to the practice's total.
    """
    t = {k: _read(src, f"appt_{k}") for k in ("1", "2a", "2b", "2c", "4", "5")}
    for k, d in t.items():
        if set(d.month) != {"Nov-2025"} or d.gp_code.duplicated().any():
            raise InputError(
                "expected one row per practice, month Nov-2025", source=RAW_FILES[f"appt_{k}"]
            )
    base = t["1"].set_index("gp_code")
    out = pd.DataFrame(index=base.index.sort_values())
    out["list_size"] = _int(base.list_size, "appt_1", "list_size")
    out["total"] = _int(base.appointments, "appt_1", "appointments")

    def cols(k: str, ren: dict[str, str], suffix: str = "") -> pd.DataFrame:
        d = t[k].set_index("gp_code")[list(ren)]
        d = d.apply(lambda s: _int(s, f"appt_{k}", s.name))
        return d.rename(columns={c: v + suffix for c, v in ren.items()}).reindex(out.index)

    out = out.join(cols("5", _STAFF_COLS)).join(cols("2a", _BOOK_COLS))
    out["same_day_gp"] = cols("2b", {"same_day": "same_day"}, "_gp").same_day_gp
    out["same_day_other"] = cols("2c", {"same_day": "same_day"}, "_other").same_day_other
    out = out.join(cols("4", _MODE_COLS))
    if out.isna().any().any():
        raise InputError("a practice is missing from one of the tables", source=_APPT + "*")
    checks = {
        "staff type (table 5)": list(_STAFF_COLS.values()),
        "booking time (table 2a)": list(_BOOK_COLS.values()),
        "mode (table 4)": list(_MODE_COLS.values()),
    }
    for what, cs in checks.items():
        bad = out[cs].sum(axis=1).ne(out.total)
        if bad.any():
            raise InputError(
                f"{what} does not sum to the total for {list(out.index[bad][:5])}",
                source=_APPT + "1.csv",
            )
    gp2b = t["2b"].set_index("gp_code")[list(_BOOK_COLS)].apply(pd.to_numeric).sum(axis=1)
    if gp2b.reindex(out.index).ne(out.gp).any():
        raise InputError(
            "table 2b does not sum to the GP total of table 5", source=_APPT + "2b.csv"
        )
    notes.append(
        f"appointments: {len(out)} practices, {int(out.total.sum())} appointments in November "
        "2025; staff type, booking time and mode each sum to the total for every practice; "
        "table 2d (unverified) not used"
    )
    gone = sorted(set(out.index) - set(areas.practice))
    absent = sorted(set(areas.practice) - set(out.index))
    notes.append(
        f"appointments: {len(absent)} practices of the December 2025 map are not in the "
        f"November 2025 file; {len(gone)} practices of the file are not in the map"
        + (f" (kept: {', '.join(gone)})" if gone else "")
    )
    out = out.rename_axis("practice").reset_index()
    cols_ = [c.name for c in TABLES["appointments"].spec.columns]
    return out[cols_]


def appointment_categories(src: Path, notes: list[str]) -> pd.DataFrame:
    """Build ``appointment_categories``: England's appointments by category and staff type.

    November 2025, summed over practices.
    """
    rows = []
    for k, staff in (("3b", "gp"), ("3c", "other")):
        d = _read(src, f"appt_{k}")
        unknown = sorted(set(d.columns[8:]) - set(CATEGORIES))
        if unknown:
            raise InputError(f"unexpected categories {unknown}", source=RAW_FILES[f"appt_{k}"])
        for c, cid in CATEGORIES.items():
            rows.append((cid, staff, int(_int(d[c], f"appt_{k}", c).sum())))
    out = pd.DataFrame(rows, columns=["category", "staff_type", "appointments"])
    notes.append(
        "appointment_categories: tables 3b (GP) and 3c (other practice staff and unknown) "
        f"summed over practices: {int(out.appointments.sum())} appointments, of which "
        f"{int(out.appointments[out.category.isin(['unmapped', 'inconsistent_mapping'])].sum())}"
        " unmapped or inconsistently mapped (kept as categories)"
    )
    return out


def appointments_monthly(src: Path, areas: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Build ``appointments_monthly``: each sub-ICB's appointments by month and staff type."""
    d = _read(src, "appt_monthly")
    unknown = sorted(set(d.hcp_type) - set(_HCP))
    if unknown:
        raise InputError(
            f"unexpected staff types {unknown}", source=RAW_FILES["appt_monthly"], column="hcp_type"
        )
    d["month"] = d.appointment_month.str[:7]
    d["staff_type"] = d.hcp_type.map(_HCP)
    d["appointments"] = _int(d.count_of_appointments, "appt_monthly", "count_of_appointments")
    g = d.groupby(["sub_icb_location_code", "month", "staff_type"], sort=True).appointments.sum()
    g = g.reset_index().rename(columns={"sub_icb_location_code": "sub_icb"})
    if set(g.sub_icb) != set(areas.sub_icb):
        raise InputError(
            "sub-ICB codes differ from the December 2025 map", source=RAW_FILES["appt_monthly"]
        )
    notes.append(
        f"appointments_monthly: summed over mode; {g.month.nunique()} months "
        f"{g.month.min()} to {g.month.max()}; November 2025 total "
        f"{int(g.appointments[g.month == '2025-11'].sum())}"
    )
    return g
