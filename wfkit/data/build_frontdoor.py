"""The front door of general practice, as ``wfkit data build`` makes it from the raw files.

Online consultation submissions per practice (November 2025, by type), cloud telephony
calls per practice (outcomes, time to answer, call duration, how long missed callers
waited) and England's arrival profile by weekday and time band for each channel.  Both
sources are the publisher's workbooks, read cell by cell with :mod:`openpyxl`; every header
the build relies on is checked, and every total is checked against the publisher's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from .raw import RAW_FILES

__all__ = ["online_practice", "telephony_practice", "arrival_profile", "WEEKDAYS", "read_sheet"]

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NOV = pd.date_range("2025-11-01", "2025-11-30", freq="D")
#: weekdays of each name in November 2025
DAYS_IN_MONTH = {d: int((_NOV.day_name() == d).sum()) for d in WEEKDAYS}

#: online consultations, table 2: published header -> column
_ONLINE = {
    "GP Code": "practice",
    "Registered Patient Count [8]": "patients",
    "Participation [11]": "participation",
    "Submissions [7]": "online_total",
    "Clinical Submissions [7]": "online_clinical",
    "Administrative Submissions [7]": "online_admin",
    "Other/Unknown Type Submissions [7]": "online_other",
}
_WAIT = ("lt1", "1_2", "2_5", "gt5")
_BANDS = ("Less than 1 minute", "1 - 2 minutes", "2 - 5 minutes", "Longer than 5 minutes")
#: telephony tables 3-5: (sheet, {position: (published header, column)})
_BW = tuple(zip(_BANDS, _WAIT, strict=True))
_PHONE: tuple[tuple[str, dict[int, tuple[str, str]]], ...] = (
    (
        "Table 3",
        {
            11: ("Count of Inbound calls", "calls"),
            13: ("Answered", "answered"),
            15: ("Ended during the IVR Stage [5]", "ivr_ended"),
            17: ("Call back requested", "callback_requested"),
            20: ("Missed", "missed"),
            23: ("Call back made", "callback_made"),
        },
    ),
    (
        "Table 4",
        {
            **{15 + 2 * i: (b, f"answered_wait_{w}") for i, (b, w) in enumerate(_BW)},
            **{24 + 2 * i: (b, f"duration_{w}") for i, (b, w) in enumerate(_BW)},
        },
    ),
    (
        "Table 5",
        {15 + 2 * i: (b, f"missed_wait_{w}") for i, (b, w) in enumerate(_BW)},
    ),
)
#: telephony geography columns: practice, network, sub-ICB and ICB codes
_GEO = {"practice": 1, "pcn": 3, "sub_icb": 5, "icb": 7, "region": 9}
_CALL_SUMS = {
    "answered": ("answered_wait_", "duration_"),
    "missed": ("missed_wait_",),
}


def read_sheet(src: Path, key: str, sheet: str) -> list[tuple]:
    """Return the cell values of one sheet of the raw workbook ``RAW_FILES[key]``, by row."""
    # lazy: openpyxl is only needed by the data build
    import openpyxl

    path = src / RAW_FILES[key]
    if not path.exists():
        raise InputError(
            "raw file not found; run 'wfkit data update' or pass --source", source=str(path)
        )
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet not in wb.sheetnames:
            raise InputError(f"no sheet {sheet!r}", source=RAW_FILES[key])
        return [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()


def _whole(values: Sequence, key: str, column: str) -> np.ndarray:
    """Return published counts as int64; raise naming the column on anything else."""
    try:
        x = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise InputError("expected numbers", source=RAW_FILES[key], column=column) from None
    if not np.all(np.isfinite(x)) or np.any(x != np.round(x)) or np.any(x < 0):
        raise InputError("expected whole numbers >= 0", source=RAW_FILES[key], column=column)
    return x.astype(np.int64)


def _is_row(r: tuple, count_col: int) -> bool:
    """Tell whether ``r`` is a practice row.

    November 2025 in column A, or (the last row of the telephony tables) the copyright
    line written over column A of a row that is otherwise whole.
    """
    if isinstance(r[0], dt.datetime):
        return True
    return (
        isinstance(r[0], str)
        and r[0].startswith("Copyright")
        and isinstance(r[1], str)
        and len(r) > count_col
        and isinstance(r[count_col], int | float)
    )


def _november(rows: list[tuple], key: str, count_col: int) -> list[tuple]:
    data = [r for r in rows if r and _is_row(r, count_col)]
    months = {(r[0].year, r[0].month) for r in data if isinstance(r[0], dt.datetime)}
    if not data or months != {(2025, 11)}:
        raise InputError("expected practice rows for November 2025 only", source=RAW_FILES[key])
    return data


def online_practice(src: Path, areas: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Build ``online_practice``: each practice's online consultation submissions, Nov 2025.

    Clinical, administrative and other submissions, checked to sum to the published total
    of every practice, whose sum is checked against England's total of table 1.
    """
    rows = read_sheet(src, "online", "Table 2")
    head = next((r for r in rows if r and r[0] == "Month [1]"), None)
    missing = [h for h in _ONLINE if head is None or h not in head]
    if missing:
        raise InputError(f"table 2 has no column(s) {missing}", source=RAW_FILES["online"])
    pos = {c: head.index(h) for h, c in _ONLINE.items()}
    data = _november(rows, "online", pos["online_total"])
    out = pd.DataFrame({"practice": [str(r[pos["practice"]]) for r in data]})
    for c in list(_ONLINE.values())[1:]:
        out[c] = _whole([r[pos[c]] for r in data], "online", c)
    if out.practice.duplicated().any():
        raise InputError("a practice appears twice in table 2", source=RAW_FILES["online"])
    parts = out[["online_clinical", "online_admin", "online_other"]].sum(axis=1)
    if parts.ne(out.online_total).any():
        bad = list(out.practice[parts.ne(out.online_total)][:5])
        raise InputError(f"submission types do not sum to the total for {bad}", source="online")
    england = _online_england_total(src)
    if int(out.online_total.sum()) != england:
        raise InputError(
            f"practices sum to {int(out.online_total.sum())} submissions, table 1 says {england}",
            source=RAW_FILES["online"],
        )
    gone = sorted(set(out.practice) - set(areas.practice))
    notes.append(
        f"online_practice: {len(out)} practices, {england} submissions in November 2025 "
        f"(England's total of table 1); {int((out.participation == 0).sum())} not participating; "
        f"{len(gone)} practices not in the December 2025 map (kept)"
    )
    return out.sort_values("practice", ignore_index=True)


def _online_england_total(src: Path) -> int:
    rows = read_sheet(src, "online", "Table 1")
    row = next((r for r in rows if len(r) > 2 and r[0] == "Submissions"), None)
    head = next((r for r in rows if len(r) > 2 and str(r[2]).startswith("Nov-25")), None)
    if row is None or head is None:
        raise InputError("table 1 has no November 2025 submissions", source=RAW_FILES["online"])
    return int(_whole([row[2]], "online", "Submissions")[0])


def _phone_sheet(
    src: Path, sheet: str, cols: dict[int, tuple[str, str]], notes: list[str]
) -> pd.DataFrame:
    """One of telephony tables 3-5, headers checked, each column checked against its total."""
    rows = read_sheet(src, "telephony", sheet)
    head = next((r for r in rows if r and r[0] == "Month [1]"), ())
    total = next((r for r in rows if r and r[0] == "Total"), ())
    for p, (h, _c) in cols.items():
        if len(head) <= p or str(head[p] or "").strip() != h:
            raise InputError(f"{sheet}: expected {h!r} in column {p + 1}", source="telephony")
    data = _november(rows, "telephony", 11)
    out = pd.DataFrame({k: [str(r[i]) for r in data] for k, i in _GEO.items()})
    for p, (_h, c) in {11: ("", "calls"), **cols}.items():
        blank = [r[1] for r in data if r[p] is None]
        if blank:
            notes.append(f"telephony_practice: {sheet} {c} blank for {blank} (read as 0)")
        out[c] = _whole([0 if r[p] is None else r[p] for r in data], "telephony", f"{sheet}: {c}")
        published = _whole([total[p] if len(total) > p else None], "telephony", f"{sheet}: Total")
        if int(out[c].sum()) != int(published[0]):
            raise InputError(
                f"{sheet}: {c} sums to {int(out[c].sum())}, the total row says {published[0]}",
                source=RAW_FILES["telephony"],
            )
    return out


def telephony_practice(src: Path, areas: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Build ``telephony_practice``: each practice's inbound calls, November 2025.

    Outcomes (table 3), answered calls by time to answer and by duration (table 4) and
    missed calls by time waited (table 5).  Accounts the publisher could not assign to a
    practice ("Unassigned") are kept, one row per network, with ``area_level`` ``pcn``.
    Every column's sum is checked against the publisher's national total.
    """
    keys = list(_GEO)
    parts = [_phone_sheet(src, sheet, cols, notes) for sheet, cols in _PHONE]
    calls = parts[0]
    for p in parts[1:]:
        if sorted(map(tuple, p[keys].to_numpy())) != sorted(map(tuple, calls[keys].to_numpy())):
            raise InputError("tables 3, 4 and 5 list different accounts", source="telephony")
    unassigned = calls.practice.eq("Unassigned")
    for p in parts:
        p["area_level"] = _account_level(p)
        p["area"] = [
            r.get(lv, "England") for r, lv in zip(p.to_dict("records"), p.area_level, strict=True)
        ]
    by = ["area", "area_level"]
    merged = parts[0].groupby(by, sort=True).sum(numeric_only=True)
    for p in parts[1:]:
        merged = merged.join(p.drop(columns="calls").groupby(by, sort=True).sum(numeric_only=True))
    _check_call_sums(merged, notes)
    out = merged.reset_index()
    gone = sorted(set(out.area[out.area_level == "practice"]) - set(areas.practice))
    notes.append(
        f"telephony_practice: {int((out.area_level == 'practice').sum())} practices and "
        f"{int(unassigned.sum())} unassigned accounts, kept as {int((out.area_level != 'practice').sum())} "
        "rows of the smallest area each was mapped to; "
        f"{int(out.calls.sum())} inbound calls in November 2025 (the publisher's total); "
        f"{len(gone)} practices not in the December 2025 map (kept)"
    )
    return out


def _account_level(p: pd.DataFrame) -> list[str]:
    """``practice``; for an unassigned account the smallest area the publisher mapped it to.

    Network, sub-ICB, ICB, region, or ``england`` for accounts mapped to none of them.
    """
    out = []
    for r in p.to_dict("records"):
        if r["practice"] != "Unassigned":
            out.append("practice")
            continue
        mapped = (
            k for k in ("pcn", "sub_icb", "icb", "region") if r[k] not in ("Unmapped", "None")
        )
        out.append(next(mapped, "england"))
    return out


def _check_call_sums(merged: pd.DataFrame, notes: list[str]) -> None:
    """Note (not refuse) accounts whose bands do not add up to their counts, as published."""
    for total, prefixes in _CALL_SUMS.items():
        for prefix in prefixes:
            band = merged[[f"{prefix}{w}" for w in _WAIT]].sum(axis=1)
            off = band.ne(merged[total])
            notes.append(
                f"telephony_practice: {prefix}* sums to {total} for {int((~off).sum())} accounts "
                f"and differs for {int(off.sum())} (kept as published; the publisher notes that "
                "its time-to-answer and duration counts can differ)"
            )


def _band_hours(band: str) -> tuple[float, float]:
    """``'08:00 - 09:59'`` -> (8.0, 10.0): start and end in hours of the day."""
    try:
        a, b = (s.strip() for s in band.split("-"))
        start = int(a[:2]) + int(a[3:5]) / 60
        end = int(b[:2]) + (int(b[3:5]) + 1) / 60
    except (ValueError, IndexError):
        raise InputError(f"cannot read the time band {band!r}", source="arrival profile") from None
    return round(start, 6), round(end, 6)


def _telephone_profile(src: Path) -> tuple[pd.DataFrame, int]:
    rows = read_sheet(src, "telephony", "Table 2")
    head = next((r for r in rows if len(r) > 4 and r[1] == "Date"), None)
    if head is None or head[2] != "Total Count of Inbound Calls":
        raise InputError("table 2: no 'Date' header row", source=RAW_FILES["telephony"])
    pos = [i for i, h in enumerate(head) if i > 2 and h is not None]
    bands = [str(head[i]) for i in pos]
    days = [r for r in rows if r and r[0] in WEEKDAYS and isinstance(r[1], dt.datetime)]
    if sorted(r[1].day for r in days) != list(range(1, 31)):
        raise InputError("table 2: expected every day of November 2025", source="telephony")
    counts = _whole([[r[i] for i in pos] for r in days], "telephony", "table 2 bands")
    totals = _whole([r[2] for r in days], "telephony", "table 2 total")
    if np.any(counts.sum(axis=1) != totals):
        raise InputError("table 2: time bands do not sum to the day's calls", source="telephony")
    d = pd.DataFrame(counts, columns=bands)
    d["weekday"] = [r[0] for r in days]
    long = d.melt(id_vars="weekday", var_name="band", value_name="requests")
    g = long.groupby(["weekday", "band"], sort=False).requests.sum().reset_index()
    g["channel"] = "telephone"
    return g, int(totals.sum())


def _online_profile(src: Path) -> pd.DataFrame:
    rows = read_sheet(src, "online", "Table 3")
    head = next((r for r in rows if r and r[0] == "Day"), None)
    if head is None:
        raise InputError("table 3: no 'Day' header row", source=RAW_FILES["online"])
    bands = [str(h) for h in head[1:] if h is not None]
    days = [r for r in rows if r and r[0] in WEEKDAYS]
    if [r[0] for r in days] != list(WEEKDAYS):
        raise InputError("table 3: expected one row per weekday", source=RAW_FILES["online"])
    avg = np.asarray([r[1 : 1 + len(bands)] for r in days], dtype=float)
    d = pd.DataFrame(avg, columns=bands)
    if "Unknown" in d and d.pop("Unknown").to_numpy().any():
        raise InputError("table 3: submissions at an unknown time", source=RAW_FILES["online"])
    d["weekday"] = list(WEEKDAYS)
    long = d.melt(id_vars="weekday", var_name="band", value_name="per_day")
    long["requests"] = (long.per_day * long.weekday.map(DAYS_IN_MONTH)).round(6)
    long["channel"] = "online"
    return long.drop(columns="per_day")


def arrival_profile(src: Path, notes: list[str]) -> pd.DataFrame:
    """Build ``arrival_profile``: England's requests by channel, weekday and time band.

    Telephone: inbound calls summed over the days of November 2025 (table 2, every day
    checked to sum to its total).  Online: the published average per weekday (table 3)
    times the number of such weekdays in November 2025.  ``requests_per_day`` is the
    average over the weekdays of that name.
    """
    phone, phone_total = _telephone_profile(src)
    out = pd.concat([phone, _online_profile(src)], ignore_index=True)
    hours = out.band.map(_band_hours)
    out["start_hour"] = [h[0] for h in hours]
    out["end_hour"] = [h[1] for h in hours]
    out["days"] = out.weekday.map(DAYS_IN_MONTH).astype(np.int64)
    out["requests_per_day"] = (out.requests / out.days).round(6)
    out["weekday"] = pd.Categorical(out.weekday, WEEKDAYS)
    out = out.sort_values(["channel", "weekday", "start_hour"], ignore_index=True)
    out["weekday"] = out.weekday.astype(str)
    online_total = float(out.requests[out.channel == "online"].sum())
    notes.append(
        f"arrival_profile: telephone {phone_total} calls over the 30 days of November 2025 "
        f"(table 2); online {online_total:.0f} submissions (table 3's weekday averages x "
        "weekdays in the month); bands as published"
    )
    cols = ["channel", "weekday", "band", "start_hour", "end_hour", "days"]
    return out[[*cols, "requests", "requests_per_day"]]
