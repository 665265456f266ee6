"""Who may be paid from which money: funding streams, the roles each pays for, and its caps.

Two streams by default, one row per financial year, stream and role in
``data/funding/arrs.csv`` (its sources in ``data/funding/PROVENANCE.md``):

``core``
    The practice's core funding: any role, no cap per FTE.
``arrs``
    The network's Additional Roles Reimbursement Scheme (Network Contract DES): the roles it
    names that year, each up to a maximum per FTE a year (salary and employer on-costs).

:func:`wfkit.optimise` reads it when a budget is split by stream.  A user's own table (the
same columns, other streams or years) is checked the same way by :func:`funding_rules`.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from .data.paths import data_dir
from .errors import InputError
from .input_files import read_csv_checked
from .validation import Column, TableSpec, first_bad_row, validate_table

__all__ = ["FUNDING", "funding_rules", "funding_path", "stream_caps"]

FUNDING = TableSpec(
    "funding",
    (
        Column("year", "str", description="financial year, for example 2025/26"),
        Column("stream", "str", description="funding stream: core, arrs or one of your own"),
        Column("role", "str", description="role id"),
        Column("eligible", "int", min=0, max=1, description="1 if the stream may pay the role"),
        Column(
            "max_gbp_per_fte",
            "float",
            required=False,
            nullable=True,
            min=0,
            unit="GBP per FTE per year",
            description="most the stream pays for one FTE of the role a year; empty: no cap",
        ),
        Column("basis", "str", required=False, nullable=True),
        Column("source", "str", description="citation, or 'wfkit judgement'"),
        Column("notes", "str", required=False, nullable=True),
    ),
    key=("year", "stream", "role"),
    description="Funding streams: the roles each may pay for and its cap per FTE, by year.",
)


def funding_path() -> Path:
    """Return the bundled funding table, ``data/funding/arrs.csv``."""
    return data_dir() / "funding" / "arrs.csv"


def funding_rules(table: pd.DataFrame | str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Read and check a funding table (the bundled ``data/funding/arrs.csv`` by default).

    Parameters
    ----------
    table
        A DataFrame or CSV path with the columns of :data:`FUNDING`, or ``None``.

    Returns
    -------
    pandas.DataFrame
        The checked table; an error names the file, row and column.
    """
    if table is None:
        return read_csv_checked(funding_path(), FUNDING)
    if isinstance(table, pd.DataFrame):
        return validate_table(table, FUNDING, source="funding")
    return read_csv_checked(Path(table), FUNDING)


def stream_caps(
    rules: pd.DataFrame, year: str, streams: list[str], roles: list[str], source: str = "funding"
) -> tuple[np.ndarray, np.ndarray]:
    """Which stream may pay which role in ``year``, and its cap per FTE.

    Parameters
    ----------
    rules
        A checked funding table (:func:`funding_rules`).
    year
        The financial year, as the table writes it (``"2025/26"``).
    streams, roles
        The streams of the budget and the roles of the run.

    Returns
    -------
    (eligible, cap)
        Arrays ``(streams, roles)``: 1.0 where the stream may pay the role, and its cap per
        FTE (``inf`` with none).  A role the table leaves out of a stream is not eligible for
        it; a stream or year the table does not hold is refused, naming those it does.
    """
    years = sorted(set(rules["year"]))
    if year not in years:
        raise InputError(f"no funding rules for {year!r}; expected one of {years}", source=source)
    r = rules[rules["year"] == year]
    known = sorted(set(r["stream"]))
    unknown = [s for s in streams if s not in known]
    if unknown:
        raise InputError(
            f"unknown funding stream {unknown[0]!r} for {year}; expected one of {known}",
            source=source,
            column="stream",
        )
    first_bad_row(
        ((r["eligible"] == 1) & (r["max_gbp_per_fte"] == 0)).to_numpy(),
        "eligible with a cap of 0 GBP; expected a cap above 0, empty for none, or eligible 0",
        source=source,
        column="max_gbp_per_fte",
    )
    eligible = np.zeros((len(streams), len(roles)))
    cap = np.full((len(streams), len(roles)), np.inf)
    at = {(s, x): i for i, (s, x) in enumerate(zip(r["stream"], r["role"], strict=True))}
    ok = r["eligible"].to_numpy()
    mx = r["max_gbp_per_fte"].to_numpy(dtype=float)
    for i, s in enumerate(streams):
        for j, role in enumerate(roles):
            k = at.get((s, role))
            if k is not None and ok[k] == 1:
                eligible[i, j] = 1.0
                cap[i, j] = np.inf if np.isnan(mx[k]) else mx[k]
    return eligible, cap
