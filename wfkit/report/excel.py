"""Results as an Excel workbook a planner can open.

Names not codes, units in the headers, frozen header rows and number formats (the numbers
themselves are not rounded).

Sheets of ``results.xlsx`` (:func:`write_workbook`):

=====================  ===================================================================
``Summary``            the headline in words, then the horizon year's figures by scenario
``FTE required``       rows scenario x role x statistic (central run, P10, P50, P90),
                       columns years
``FTE in post``        the same for the staff in post, rolled forward
``Gap``                the same for the gap (in post minus required; negative = shortfall)
``Base year``          required against in post per role, with the main reason
``Costs``              cost by scenario and role, GBP a year, and per 1,000 patients
``Why it changes``     the change from the base year to the horizon, driver by driver
                       (:func:`wfkit.explain`; each scenario from today's base year)
``What moves it``      each uncertain input alone at its P10 and P90 (:func:`wfkit.tornado`)
``By area``            (several areas only) each area's base and horizon year
``Notes``              provenance: version, parameters, seed, calibration, data sources
=====================  ===================================================================

:func:`write_summary_workbook` writes a batch's ``summary.xlsx`` (one row per area).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..drivers import explain
from ..errors import InputError
from ..outputs import output_folder
from ..scenario import write_run_files
from . import labels as L
from .facts import Facts, gather, headline_sentences

__all__ = [
    "MAX_ROWS",
    "MAX_COLUMNS",
    "FTE_FORMAT",
    "GBP_FORMAT",
    "COUNT_FORMAT",
    "workbook_sheets",
    "UNITS",
    "check_fits",
    "write_workbook",
    "write_summary_workbook",
    "write_run_outputs",
]

#: Excel's limits on one sheet
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
#: number formats (the cells keep every digit; Excel shows them rounded)
FTE_FORMAT = "#,##0.0"
GBP_FORMAT = '"£"#,##0'
COUNT_FORMAT = "#,##0"
RATIO_FORMAT = "0.00"
_STATS = [("value", "central run"), ("p10", "P10"), ("p50", "P50"), ("p90", "P90")]


#: the unit of each measure, as a sheet's ``Unit`` column says it
UNITS = {
    "required_fte": "FTE",
    "supply_fte": "FTE",
    "gap_fte": "FTE (in post - required)",
    "cost_gbp": "GBP a year",
    "cost_per_1000": "GBP a year per 1,000 patients",
}


def _by_year(res: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Rows scenario x role x statistic, columns years (central run, P10, P50, P90).

    Scenarios in their order, ``All roles`` then the roles by id; a role with no row, or
    (but for staff in post) nothing but zeros, is left out.  The frame is laid into one
    array per statistic (scenario x role x year) at once, not filtered role by role.
    """
    d = res[res["measure"] == measure]
    years = sorted(int(y) for y in d["year"].unique())
    scen_order = list(dict.fromkeys(d["scenario"]))
    roles = list(dict.fromkeys(["all", *sorted(set(d["role"]) - {"all"})]))
    shape = (len(scen_order), len(roles), len(years))
    at = tuple(
        np.fromiter((pos[x] for x in labels), dtype=np.intp, count=len(d))
        for pos, labels in (
            ({s: i for i, s in enumerate(scen_order)}, d["scenario"]),
            ({r: i for i, r in enumerate(roles)}, d["role"]),
            ({y: i for i, y in enumerate(years)}, (int(y) for y in d["year"])),
        )
    )
    present = np.zeros(shape, dtype=bool)
    present[at] = True
    stats = {}
    for col, _ in _STATS:
        arr = np.full(shape, np.nan)
        arr[at] = d[col].to_numpy(dtype=float)
        stats[col] = arr
    rows = []
    for i, s in enumerate(scen_order):
        for j, r in enumerate(roles):
            here = present[i, j]
            if not here.any():
                continue
            if measure != "supply_fte" and float(np.nansum(np.abs(stats["value"][i, j]))) == 0.0:
                continue
            for col, name in _STATS:
                row: dict[str, Any] = {
                    "Scenario": L.scenario_label(s),
                    "Role": L.role_label(r),
                    "Statistic": name,
                    "Unit": UNITS[measure],
                }
                values = stats[col][i, j]
                for k, y in enumerate(years):
                    row[str(y)] = float(values[k]) if here[k] else None
                rows.append(row)
    return pd.DataFrame(rows)


def _summary_table(f: Facts) -> pd.DataFrame:
    h = f.headline
    return pd.DataFrame(
        {
            "Scenario": h["label"],
            "Year": h["year"],
            "Population (people)": h["population"],
            "FTE required (central run)": h["required_fte"],
            "FTE required P10": h["required_p10"],
            "FTE required P50": h["required_p50"],
            "FTE required P90": h["required_p90"],
            "FTE in post": h["in_post_fte"],
            "Gap (FTE, in post - required)": h["gap_fte"],
            "Gap at P50 (FTE)": h["gap_p50"],
            "Gap in words": [L.gap_words(g) for g in h["gap_fte"]],
            "Cost (GBP a year)": h["cost_gbp_m"] * 1e6,
            "Cost per 1,000 patients (GBP a year)": h["cost_per_1000"],
        }
    )


def _base_table(f: Facts) -> pd.DataFrame:
    b = f.base_year
    return pd.DataFrame(
        {
            "Role": b["label"],
            "FTE required": b["required_fte"],
            "FTE in post": b["supply_fte"],
            "Gap (FTE, in post - required)": b["gap_fte"],
            "In post / required": b["ratio"],
            "Main reason": b["reason"],
            "Read with care": b["check"],
        }
    )


def _costs(f: Facts) -> pd.DataFrame:
    cost = _by_year(f.results, "cost_gbp")
    per = _by_year(f.results, "cost_per_1000")
    per = per[per["Role"] == "All roles"].assign(Role="All roles, per 1,000 patients")
    return pd.concat([cost, per], ignore_index=True)


def _by_area(run: Any, f: Facts) -> pd.DataFrame | None:
    """Each area's total in the base and horizon years (several areas only)."""
    if run is None or len(f.areas) < 2:
        return None
    rows = []
    base = run.results["baseline"]
    for name, r in run.results.items():
        d = r.to_frame(name)
        d = d[(d["role"] == "all") & d["year"].isin([int(r.years[0]), int(r.years[-1])])]
        wide = d.pivot_table(
            index=["area", "year"], columns="measure", values=["value", "p10", "p50", "p90"]
        )
        for (area, year), v in wide.iterrows():
            rows.append(
                {
                    "Area": f.areas.get(str(area), str(area)),
                    "Area code": str(area),
                    "Scenario": L.scenario_label(name),
                    "Year": int(year),
                    "Population (people)": v[("value", "population")],
                    "FTE required (central run)": v[("value", "required_fte")],
                    "FTE required P10": v[("p10", "required_fte")],
                    "FTE required P50": v[("p50", "required_fte")],
                    "FTE required P90": v[("p90", "required_fte")],
                    "FTE in post": v[("value", "supply_fte")],
                    "Gap (FTE, in post - required)": v[("value", "gap_fte")],
                }
            )
    del base
    return pd.DataFrame(rows)


#: measures of the ``Why it changes`` sheet, in words
_WHY = {
    "required_fte": "FTE required",
    "supply_fte": "FTE in post",
    "gap_fte": "Gap (FTE, in post - required)",
    "cost_gbp": "Cost (GBP a year)",
}


def _why(run: Any) -> pd.DataFrame | None:
    """Each scenario's change from today's base year to the horizon, driver by driver."""
    if run is None:
        return None
    frames = []
    for name in run.results:
        d = explain(run, variant=name, start_variant="baseline")
        frames.append(
            pd.DataFrame(
                {
                    "Scenario": L.scenario_label(name),
                    "Measure": d["measure"].map(_WHY),
                    "Step": d["step"],
                    "Driver": d["driver"],
                    "Central run": d["value"],
                    "P10": d["p10"],
                    "P50": d["p50"],
                    "P90": d["p90"],
                    "Unit": d["measure"].map(UNITS),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _swings(f: Facts) -> pd.DataFrame:
    """Each uncertain input alone at its P10 and P90: the horizon year's figures."""
    d = f.swings
    return pd.DataFrame(
        {
            "Measure": d["measure"].map(_WHY),
            "Rank": d["rank"],
            "Input": d["words"],
            "Central run": d["central"],
            "Input at its P10": d["at_p10"],
            "Input at its P90": d["at_p90"],
            "Swing (P90 - P10)": d["swing"],
            "Unit": d["measure"].map(UNITS),
        }
    )


def _notes(f: Facts) -> pd.DataFrame:
    rows = [("What the figures mean", "")]
    rows += [
        ("gap", L.GAP_MEANING),
        (
            "central run",
            "every input at its stated value (each input's median); P10, P50 and P90 are "
            "the 10th, 50th and 90th percentiles over the Monte Carlo draws",
        ),
        ("FTE", "full-time equivalent staff"),
        ("", ""),
        ("Provenance", ""),
        *f.provenance,
        ("", ""),
        ("Data", "period; source; licence"),
    ]
    for t in f.tables.itertuples(index=False):
        rows.append((str(t.table), f"{t.period}; {t.source}; {t.licence}"))
    return pd.DataFrame(rows, columns=["Item", "Value"])


def workbook_sheets(f: Facts, run: Any = None) -> dict[str, pd.DataFrame]:
    """Return the sheets of ``results.xlsx`` as frames (names and units in the headers)."""
    sheets = {
        "Summary": _summary_table(f),
        "FTE required": _by_year(f.results, "required_fte"),
        "FTE in post": _by_year(f.results[f.results["scenario"] == "baseline"], "supply_fte"),
        "Gap": _by_year(f.results, "gap_fte"),
        "Base year": _base_table(f),
        "Costs": _costs(f),
    }
    why = _why(run)
    if why is not None:
        sheets["Why it changes"] = why
    if not f.swings.empty:
        sheets["What moves it"] = _swings(f)
    by_area = _by_area(run, f)
    if by_area is not None:
        sheets["By area"] = by_area
    sheets["Notes"] = _notes(f)
    return sheets


def check_fits(sheets: dict[str, pd.DataFrame], rows_above: int = 0) -> None:
    """Refuse, naming the sheet, a table past Excel's limits (1,048,576 rows, 16,384 columns).

    ``rows_above`` rows come before the table's header.
    """
    for name, df in sheets.items():
        rows, cols = len(df) + 1 + rows_above, len(df.columns)
        if rows > MAX_ROWS or cols > MAX_COLUMNS:
            raise InputError(
                f"sheet {name!r} would have {rows:,} rows and {cols:,} columns, past Excel's "
                f"limits ({MAX_ROWS:,} rows, {MAX_COLUMNS:,} columns); write CSV or Parquet "
                "instead (--format csv or --format parquet), or run fewer areas",
                key="--format xlsx",
            )


def _format_for(header: str, sheet: str) -> str | None:
    h = header.lower()
    if h.startswith("year") or h in ("area code", "statistic", "unit"):
        return None
    if "gbp" in h or (sheet == "Costs" and h.isdigit()):
        # per 1,000 patients rows are GBP too
        return GBP_FORMAT
    if "population" in h:
        return COUNT_FORMAT
    if h == "in post / required":
        return RATIO_FORMAT
    if "fte" in h or h.isdigit():
        return FTE_FORMAT
    return None


def _write_sheet(ws: Any, df: pd.DataFrame, start_row: int = 1) -> None:
    """Write ``df`` into ``ws`` from ``start_row``.

    A bold header, frozen above the data and right of the label columns, number formats by
    header, widths to fit.
    """
    # lazy: openpyxl is needed only when a workbook is written
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    cols = list(df.columns)
    for j, c in enumerate(cols, start=1):
        cell = ws.cell(row=start_row, column=j, value=str(c))
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    fmts = [_format_for(str(c), ws.title) for c in cols]
    for i, row in enumerate(df.itertuples(index=False), start=start_row + 1):
        for j, v in enumerate(row, start=1):
            if v is None or (isinstance(v, float) and v != v):
                continue
            if hasattr(v, "item"):
                v = v.item()
            cell = ws.cell(row=i, column=j, value=v)
            if fmts[j - 1] and isinstance(v, int | float):
                cell.number_format = fmts[j - 1]
    labels = sum(
        1 for c in cols if str(c) in ("Scenario", "Role", "Statistic", "Unit", "Area", "Item")
    )
    ws.freeze_panes = ws.cell(row=start_row + 1, column=labels + 1)
    for j, c in enumerate(cols, start=1):
        width = max([len(str(c))] + [len(str(v)) for v in df[c].head(200)])
        wide = str(c) in ("Main reason", "Read with care", "Value", "Gap in words")
        ws.column_dimensions[get_column_letter(j)].width = min(
            max(10, width + 2), 90 if wide else 32
        )


def _write(path: str | os.PathLike[str], sheets: dict[str, pd.DataFrame], intro: Sequence[str]):
    # lazy: openpyxl is needed only when a workbook is written
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, df in sheets.items():
        ws = wb.create_sheet(name)
        start = 1
        if name in ("Summary",) and intro:
            ws.cell(row=1, column=1, value=intro[0]).font = Font(bold=True, size=14)
            for k, line in enumerate(intro[1:], start=2):
                ws.cell(row=k, column=1, value=line)
            start = len(intro) + 2
        _write_sheet(ws, df, start)
    wb.save(path)


def write_workbook(f: Facts, path: str | os.PathLike[str], run: Any = None) -> None:
    """Write ``results.xlsx`` of a report (see the module docstring for the sheets).

    Parameters
    ----------
    f
        The report's :class:`~wfkit.report.facts.Facts`.
    path
        The file to write (inside a folder from :func:`wfkit.outputs.output_folder`).
    run
        The :class:`~wfkit.scenario.ScenarioRun`, for the ``By area`` sheet of a run of
        several areas.

    Raises
    ------
    InputError
        If a sheet would pass Excel's limits (nothing is written).
    """
    sheets = workbook_sheets(f, run)
    intro = [f.title, *headline_sentences(f)]
    check_fits(sheets, rows_above=len(intro) + 1)
    _write(path, sheets, intro)


def write_summary_workbook(
    table: pd.DataFrame, path: str | os.PathLike[str], intro: Sequence[str] = ()
) -> None:
    """Write a batch's ``summary.xlsx``: one sheet ``Areas``, the ``intro`` lines above a table.

    The table is the batch's summary table, its headers already in words with units.
    """
    sheets = {"Areas": table}
    check_fits(sheets, rows_above=len(intro) + 1 if intro else 0)
    # lazy: openpyxl is needed only when a workbook is written
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Areas"
    start = 1
    if intro:
        ws.cell(row=1, column=1, value=intro[0]).font = Font(bold=True, size=14)
        for k, line in enumerate(intro[1:], start=2):
            ws.cell(row=k, column=1, value=line)
        start = len(intro) + 2
    _write_sheet(ws, table, start)
    wb.save(path)


def write_run_outputs(
    run: Any,
    out_dir: str | os.PathLike[str],
    log_lines: list[str] | None = None,
    *,
    allow_existing: bool = False,
    layout: str = "long",
) -> Any:
    """Write what ``wfkit run --format xlsx`` writes, into one folder, whole or not at all.

    The run's CSVs (:func:`wfkit.scenario.write_run_files`) and ``results.xlsx``.

    Raises
    ------
    InputError
        If the workbook would pass Excel's limits (naming the sheet); nothing is written.
    """
    f = gather(run)
    sheets = workbook_sheets(f, run)
    intro = [f.title, *headline_sentences(f)]
    check_fits(sheets, rows_above=len(intro) + 1)  # before anything is written
    out = Path(os.fspath(out_dir)).expanduser().resolve()
    lines = [*(log_lines or []), f"output folder: {out}", "wrote results.xlsx"]
    with output_folder(out_dir, allow_existing=allow_existing, protect=[run.scenario.path]) as tmp:
        write_run_files(run, tmp, lines, fmt="csv", layout=layout)
        _write(tmp / "results.xlsx", sheets, intro)
    return out
