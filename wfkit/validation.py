"""Schema checks for input tables: columns, types, ranges, unique keys, lookups.

A :class:`TableSpec` declares the columns a table must have.  :func:`validate_table`
checks a DataFrame against it and raises :class:`~wfkit.errors.InputError` naming the
source, the spreadsheet row (header = row 1), the column and what was expected.
Nothing is dropped: a table either passes whole or raises.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["Column", "TableSpec", "validate_table", "read_csv_checked", "check_shares_sum"]


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Parameters
    ----------
    name
        Column name.
    dtype
        ``"str"``, ``"int"`` or ``"float"``.
    required
        Whether the column must be present.
    min, max
        Inclusive bounds for numeric columns (``None`` for unbounded).
    allowed
        For string columns, the allowed values (``None`` for any).
    nullable
        Whether empty cells are allowed.
    unit, description
        For the data dictionary.
    """

    name: str
    dtype: str = "float"
    required: bool = True
    min: float | None = None
    max: float | None = None
    allowed: frozenset[str] | None = None
    nullable: bool = False
    unit: str = ""
    description: str = ""


@dataclass(frozen=True)
class TableSpec:
    """The schema of a table: its columns, its key and whether extra columns are allowed."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    allow_extra: bool = False
    description: str = ""
    extra_ok: frozenset[str] = field(default_factory=frozenset)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def with_allowed(self, **allowed: Iterable[str]) -> TableSpec:
        """Return a copy whose named string columns accept only the given values."""
        cols = tuple(
            Column(**{**c.__dict__, "allowed": frozenset(allowed[c.name])})
            if c.name in allowed
            else c
            for c in self.columns
        )
        return TableSpec(
            self.name, cols, self.key, self.allow_extra, self.description, self.extra_ok
        )


def _row(index_pos: int) -> int:
    """Spreadsheet row number of the ``index_pos``-th data row (header is row 1)."""
    return int(index_pos) + 2


def validate_table(df: pd.DataFrame, spec: TableSpec, source: str | None = None) -> pd.DataFrame:
    """Check ``df`` against ``spec`` and return it with columns coerced to their types.

    Parameters
    ----------
    df
        The table as read.
    spec
        Its schema.
    source
        File name or label used in error messages (defaults to ``spec.name``).

    Returns
    -------
    pandas.DataFrame
        A copy with string columns as ``str`` and numeric columns as float/int.

    Raises
    ------
    InputError
        On a missing or unexpected column, a non-numeric, missing, out-of-range or
        unknown value, or a duplicated key; the message names source, row and column.
    """
    src = source or spec.name
    df = df.reset_index(drop=True).copy()
    names = [c.name for c in spec.columns]
    missing = [c.name for c in spec.columns if c.required and c.name not in df.columns]
    if missing:
        raise InputError(f"missing column(s) {missing}; expected columns {names}", source=src)
    extra = [c for c in df.columns if c not in names and c not in spec.extra_ok]
    if extra and not spec.allow_extra:
        raise InputError(f"unexpected column(s) {extra}; expected only {names}", source=src)
    if len(df) == 0:
        raise InputError("the table is empty; expected at least one row", source=src)
    for col in spec.columns:
        if col.name not in df.columns:
            continue
        s = df[col.name]
        isna = s.isna().to_numpy()
        if col.dtype == "str":
            if not col.nullable and isna.any():
                i = int(np.flatnonzero(isna)[0])
                raise InputError(
                    "empty value; expected text", source=src, row=_row(i), column=col.name
                )
            s = s.astype(str).str.strip().where(~isna, None)
            if col.allowed is not None:
                bad = ~s.isin(col.allowed) & ~isna
                if bad.any():
                    i = int(np.flatnonzero(bad.to_numpy())[0])
                    shown = sorted(col.allowed)
                    shown_txt = shown if len(shown) <= 20 else shown[:20] + ["..."]
                    raise InputError(
                        f"unknown value {s.iloc[i]!r}; expected one of {shown_txt}",
                        source=src,
                        row=_row(i),
                        column=col.name,
                    )
            df[col.name] = s
            continue
        num = pd.to_numeric(s, errors="coerce")
        bad_type = num.isna().to_numpy() & ~isna
        if bad_type.any():
            i = int(np.flatnonzero(bad_type)[0])
            raise InputError(
                f"non-numeric value {s.iloc[i]!r}; expected a number",
                source=src,
                row=_row(i),
                column=col.name,
            )
        vals = num.to_numpy(dtype=float)
        nan = np.isnan(vals)
        if nan.any() and not col.nullable:
            i = int(np.flatnonzero(nan)[0])
            raise InputError(
                "missing value (empty or NaN); expected a number",
                source=src,
                row=_row(i),
                column=col.name,
            )
        if np.isinf(vals).any():
            i = int(np.flatnonzero(np.isinf(vals))[0])
            raise InputError(
                "infinite value; expected a finite number", source=src, row=_row(i), column=col.name
            )
        if col.min is not None and (vals[~nan] < col.min).any():
            i = int(np.flatnonzero(~nan & (vals < col.min))[0])
            raise InputError(
                f"value {vals[i]:g} is below the minimum {col.min:g}",
                source=src,
                row=_row(i),
                column=col.name,
            )
        if col.max is not None and (vals[~nan] > col.max).any():
            i = int(np.flatnonzero(~nan & (vals > col.max))[0])
            raise InputError(
                f"value {vals[i]:g} is above the maximum {col.max:g}",
                source=src,
                row=_row(i),
                column=col.name,
            )
        if col.dtype == "int":
            frac = ~nan & (vals != np.round(vals))
            if frac.any():
                i = int(np.flatnonzero(frac)[0])
                raise InputError(
                    f"value {vals[i]:g} is not a whole number",
                    source=src,
                    row=_row(i),
                    column=col.name,
                )
            df[col.name] = vals.astype(np.int64) if not nan.any() else vals
        else:
            df[col.name] = vals
    if {"lo", "hi"} <= set(df.columns):
        lo = df["lo"].to_numpy(dtype=float)
        hi = df["hi"].to_numpy(dtype=float)
        bad = ~np.isnan(lo) & ~np.isnan(hi) & (lo > hi)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"interval lo={lo[i]:g} > hi={hi[i]:g}; expected lo <= hi",
                source=src,
                row=_row(i),
                column="lo",
            )
        if "value" in df.columns:
            v = df["value"].to_numpy(dtype=float)
            outside = ~np.isnan(lo) & ~np.isnan(hi) & ((v < lo) | (v > hi))
            if outside.any():
                i = int(np.flatnonzero(outside)[0])
                raise InputError(
                    f"value {v[i]:g} lies outside its interval [{lo[i]:g}, {hi[i]:g}]; "
                    "expected lo <= value <= hi",
                    source=src,
                    row=_row(i),
                    column="value",
                )
        half = np.isnan(lo) != np.isnan(hi)
        if half.any():
            i = int(np.flatnonzero(half)[0])
            raise InputError(
                "only one end of the interval is given; expected both lo and hi or neither",
                source=src,
                row=_row(i),
                column="lo" if np.isnan(lo[i]) else "hi",
            )
    key = [k for k in spec.key if k in df.columns]
    if key:
        dup = df.duplicated(key, keep="first").to_numpy()
        if dup.any():
            i = int(np.flatnonzero(dup)[0])
            keyval = {k: df[k].iloc[i] for k in key}
            raise InputError(
                f"duplicate key {keyval}; expected each {key} once",
                source=src,
                row=_row(i),
                column=key[0],
            )
    return df


def read_csv_checked(path: str | Path, spec: TableSpec, encoding: str = "utf-8") -> pd.DataFrame:
    """Read a CSV file and validate it against ``spec``.

    Raises
    ------
    InputError
        If the file is missing, not in ``encoding``, not a CSV, or fails the schema.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(
            f"file not found; expected a CSV for table '{spec.name}'", source=str(path)
        )
    try:
        df = pd.read_csv(path, encoding=encoding, dtype=str, keep_default_na=False, na_values=[""])
    except UnicodeDecodeError as exc:
        raise InputError(
            f"cannot be read as {encoding} (byte {exc.start}); save it as {encoding} "
            "or pass the right encoding",
            source=str(path),
        ) from None
    except pd.errors.ParserError as exc:
        raise InputError(f"not a valid CSV: {exc}", source=str(path)) from None
    except pd.errors.EmptyDataError:
        raise InputError(
            "the file is empty; expected a header and rows", source=str(path)
        ) from None
    return validate_table(df, spec, source=str(path))


def check_shares_sum(
    df: pd.DataFrame,
    group: str,
    value_cols: Iterable[str],
    source: str,
    tol: float = 1e-6,
    rows: Mapping[str, int] | None = None,
) -> None:
    """Check that, within each ``group``, each of ``value_cols`` sums to 1 (within ``tol``)."""
    for col in value_cols:
        sums = df.groupby(group, sort=True)[col].sum()
        bad = (sums - 1.0).abs() > tol
        if bad.any():
            g = sums.index[bad.to_numpy()][0]
            first = int(np.flatnonzero((df[group] == g).to_numpy())[0])
            raise InputError(
                f"shares of {group} {g!r} sum to {sums[g]:.6g}; expected 1 (tolerance {tol:g})",
                source=source,
                row=_row(first),
                column=col,
            )
