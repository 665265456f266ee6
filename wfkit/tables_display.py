"""Tables people can read: a tidy frame shown as a formatted pandas Styler.

The frame an analyst computes with stays tidy (codes, full precision); what a notebook,
a report or the explorer shows is :func:`readable` of it: column headers and codes in
words, units in the headers, thousands separators, rounding for display only, no row
that is all zero or all missing unless asked, long text (reasons) in full, no index.

>>> readable(usecases.base_year_table(run))     # in a notebook: the last line of a cell
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import pandas as pd
from pandas.io.formats.style import Styler

from .charts import MODELS, area_name, role_labels, words

__all__ = ["COLUMNS", "Table", "readable", "header", "drop_empty_rows"]


class Table(Styler):
    """A formatted table (a pandas Styler) that prints as aligned plain text.

    HTML in a notebook, the report and the explorer; its plain text (what nbval compares,
    and what a terminal shows) has the same words and figures, columns padded, text in full.
    """

    def __repr__(self) -> str:
        """Return the table as aligned plain text, formatted as the HTML shows it."""
        sep = "\x1f"
        rows = [line.split(sep) for line in self.to_string(delimiter=sep).splitlines() if line]
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        return "\n".join(
            "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
            for r in rows
        )


#: column headers in words with their units, declared once for every table shown
COLUMNS: dict[str, str] = {
    "area": "Area",
    "area_name": "Area",
    "role": "Role",
    "label": "Role",
    "scenario": "Scenario",
    "model": "Model",
    "year": "Year",
    "measure": "Measure",
    "activity": "Activity",
    "competency": "Competency",
    "reason": "Reason",
    "required_fte": "FTE required",
    "required_p10": "FTE required, P10",
    "required_p50": "FTE required, P50",
    "required_p90": "FTE required, P90",
    "in_post_fte": "FTE in post",
    "in_post": "FTE in post",
    "gap_p50": "Gap, P50 (FTE)",
    "cost_gbp_m": "Cost (£ million a year)",
    "supply_fte": "FTE in post",
    "gap_fte": "Gap (FTE in post - required)",
    "workload_hours": "Workload (hours a year)",
    "hours": "Hours a year",
    "cost_gbp": "Cost (£)",
    "cost_per_1000": "Cost (£ a year per 1,000 patients)",
    "share": "Share of the workload (%)",
    "today": "Today (share, %)",
    "future": "Future model (share, %)",
    "to_train_heads": "People to train (heads)",
    "training_days": "Training (days)",
    "places": "Training places",
    "value": "Central run",
    "p10": "P10",
    "p50": "P50 (median)",
    "p90": "P90",
    "servers": "Clinicians, peak-aware (queueing)",
    "offered_load": "Clinicians, average-based",
    "requests": "Requests",
    "population": "Population (people)",
    "contacts": "Contacts a year",
    "weekly_requests": "Requests a week",
    "minutes_per_contact": "Minutes per contact",
    "average_hours": "Clinician hours a week, average-based",
    "queueing_hours": "Clinician hours a week, peak-aware",
    "uplift": "Peak-aware / average-based",
    "average_fte": "FTE, average-based",
    "queueing_fte": "FTE, peak-aware",
    "modelled_contacts": "Same-day contacts modelled a year",
    "appointments_same_day": "Same-day appointments a year (published)",
    "share_same_day": "Same-day share of appointments (%)",
    "ratio": "Modelled / published",
    "shortfall_fte_final": "Shortfall in the last year (FTE)",
    "cannot_meet": "Training cannot close it in time",
    # the front door (wfkit.frontdoor, wfkit.frontdoor_flow)
    "scenario_name": "Scenario",
    "standard": "Same-day standard",
    "profile": "Weekday and session profile",
    "parameter": "Parameter",
    "source": "Source",
    "channel": "Channel",
    "calls_per_week": "Calls a week",
    "online_requests_per_week": "Online requests a week",
    "peak_handlers_8_10": "Call handlers in the busiest hour 08:00-10:00",
    "handler_hours_8_10": "Call-handler hours a week, 08:00-10:00",
    "handler_fte": "Call handlers (FTE)",
    "handler_cost_per_year": "Call handlers (£ a year)",
    "answered_within_target": "Answered within the target wait (%)",
    "abandoned": "Hung up before an answer (%)",
    "triage_hours_per_week": "Clinical triage (hours a week)",
    "same_day_appointments_per_week": "Same-day appointments a week",
    "clinician_hours_per_week": "Same-day clinician hours a week (sessions and triage)",
    "clinician_fte": "Same-day clinicians (FTE)",
    "clinician_cost_per_year": "Same-day clinicians (£ a year)",
    "total_cost_per_year": "Total (£ a year)",
    "cost_change_per_year": "Change against today (£ a year)",
    "clinical_requests": "Clinical requests a week",
    "triage_hours": "Clinical triage (hours a week)",
    "appointments": "Appointments a week",
    "same_day": "Same day",
    "next_day": "Next day",
    "within_week": "In 2 to 7 days",
    "later": "In 8 days or more",
}

#: columns shown as percentages (fractions in the tidy frame)
PERCENT = {"share", "today", "future", "share_same_day", "answered_within_target", "abandoned"}
#: columns shown whole (counts, years)
WHOLE = {"year", "population", "patients", "requests", "contacts", "to_train_heads"}
#: columns whose codes are shown in words, by the rule for each
_WORDS = {
    "role": "role",
    "label": "role",
    "scenario": "words",
    "model": "model",
    "competency": "words",
    "activity": "words",
}


def header(column: str) -> str:
    """Return a column's header in words with its unit.

    ``gap_fte`` -> ``Gap (FTE in post - required)``; a column not in :data:`COLUMNS` is
    put in words (``gap_future_model`` -> ``Gap future model``), with ``FTE`` and ``£``
    units kept where its name has them.

    Parameters
    ----------
    column : str
        The tidy frame's column name.

    Returns
    -------
    str
        The header.
    """
    name = str(column)
    if name in COLUMNS:
        return COLUMNS[name]
    if name.startswith("gap_"):
        return f"Gap, {words(name.removeprefix('gap_'))} (FTE)"
    for end, unit in (("_fte", " (FTE)"), ("_gbp", " (£)"), ("_hours", " (hours)")):
        if name.endswith(end):
            return words(name.removesuffix(end)) + unit
    return words(name)


def _in_words(column: str, values: pd.Series) -> pd.Series:
    how = _WORDS.get(column)
    if how == "role":
        labels = role_labels()
        return values.map(lambda r: labels.get(str(r), words(str(r))) if pd.notna(r) else r)
    if how == "model":
        return values.map(lambda m: MODELS.get(str(m), words(str(m))) if pd.notna(m) else m)
    if how == "words":
        return values.map(lambda s: words(str(s)) if pd.notna(s) else s)
    if column == "area":
        return values.map(lambda a: area_name(str(a)) if pd.notna(a) else a)
    if values.dtype == bool:
        return values.map({True: "yes", False: "no"})
    return values


def drop_empty_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` without the rows whose numbers are all zero or all missing.

    A frame with no numeric column is returned as it is.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any frame.

    Returns
    -------
    pandas.DataFrame
        The rows with at least one number other than zero.
    """
    numbers = frame.select_dtypes("number").drop(columns=["year"], errors="ignore")
    if numbers.columns.empty:
        return frame
    keep = (numbers.fillna(0) != 0).any(axis=1)
    return frame[keep]


def readable(
    frame: pd.DataFrame,
    digits: int = 1,
    keep_empty: bool = False,
    headers: Mapping[str, str] | None = None,
    caption: str | None = None,
) -> Styler:
    """Show a tidy frame as a table people can read (a pandas Styler).

    The frame itself is not changed: only its display is.

    Parameters
    ----------
    frame : pandas.DataFrame
        A tidy frame (codes, full precision).  A named index (a pivot's ``role``) is shown
        as a column.
    digits : int
        Decimals shown for numbers (percentages one fewer, whole counts none).
    keep_empty : bool
        Keep the rows whose numbers are all zero or all missing (left out by default).
    headers : Mapping[str, str] or None
        Headers for columns that :data:`COLUMNS` does not name, or to override it.
    caption : str or None
        A caption above the table.

    Returns
    -------
    Table
        The formatted table (a pandas Styler): headers and codes in words, units in headers, thousands
        separators, missing numbers shown as blank, long text wrapped in full.
    """
    d = frame.copy()
    if any(n is not None for n in d.index.names):
        d = d.reset_index()
    d.columns = [str(c) for c in d.columns]
    if not keep_empty:
        d = drop_empty_rows(d)
    d = d.reset_index(drop=True)
    for col in d.columns:
        d[col] = _in_words(col, d[col])
    names: dict[str, str] = {}
    for c in d.columns:
        name = (headers or {}).get(c, header(c))
        names[c] = f"{name} ({words(c)})" if name in names.values() else name
    formats = {}
    for col in d.select_dtypes("number").columns:
        if col in PERCENT:
            formats[names[col]] = f"{{:.{max(digits - 1, 0) + 1}%}}"
        elif col in WHOLE:
            formats[names[col]] = "{:.0f}" if col == "year" else "{:,.0f}"
        else:
            formats[names[col]] = f"{{:,.{digits}f}}"
    text = [names[c] for c in d.columns if names[c] not in formats]
    d = d.rename(columns=names)
    # the HTML's ids from the table's own content, not random: a notebook run twice gives
    # the same output (nbval compares it), two different tables on one page differ
    uuid = hashlib.sha1(d.to_csv().encode()).hexdigest()[:8]
    styler = Table(d, uuid=uuid).format(formats, na_rep="").hide(axis="index")
    styler = styler.set_properties(subset=text, **{"white-space": "normal", "text-align": "left"})
    styler = styler.set_properties(subset=list(formats), **{"text-align": "right"})
    styler = styler.set_table_styles(
        [{"selector": "th", "props": [("text-align", "left"), ("white-space", "normal")]}]
    )
    return styler.set_caption(caption) if caption else styler
