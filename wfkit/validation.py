"""Schema checks for input tables: columns, types, ranges, unique keys, lookups.

A :class:`TableSpec` declares the columns a table must have.  :func:`validate_table`
checks a DataFrame against it and raises :class:`~wfkit.errors.InputError` naming the
source, the spreadsheet row (header = row 1), the column and what was expected.
Nothing is dropped: a table either passes whole or raises.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import InputError, short

__all__ = [
    "Column",
    "Range",
    "TableSpec",
    "validate_table",
    "first_bad_row",
    "spreadsheet_row",
    "check_finite_frame",
    "check_chunked_memory",
    "estimate_chunk_bytes",
    "estimate_frame_bytes",
    "check_finite_summary",
    "check_shares_sum",
    "range_error",
    "estimate_run_bytes",
    "check_run_memory",
]


@dataclass(frozen=True)
class Range:
    """A valid range ``[lo, hi]``; ``lo_open``/``hi_open`` exclude an end (``(0, 80]``)."""

    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False

    def text(self) -> str:
        """Return the range as ``[lo, hi]`` (``(`` or ``)`` for an open end, ``inf`` for none)."""
        lo = "-inf" if self.lo is None else f"{self.lo:g}"
        hi = "inf" if self.hi is None else f"{self.hi:g}"
        return f"{'(' if self.lo_open else '['}{lo}, {hi}{')' if self.hi_open else ']'}"

    def outside(self, vals: np.ndarray) -> np.ndarray:
        """Boolean mask of finite values outside the range (NaN is never outside)."""
        v = np.asarray(vals, dtype=float)
        bad = np.zeros(v.shape, dtype=bool)
        with np.errstate(invalid="ignore"):
            if self.lo is not None:
                bad |= (v <= self.lo) if self.lo_open else (v < self.lo)
            if self.hi is not None:
                bad |= (v >= self.hi) if self.hi_open else (v > self.hi)
        return bad & ~np.isnan(v)


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
    min_open: bool = False

    @property
    def range(self) -> Range:
        """The column's valid range (``min_open``: the minimum itself is not allowed)."""
        return Range(self.min, self.max, self.min_open)


@dataclass(frozen=True)
class TableSpec:
    """The schema of a table: its columns, its key and whether extra columns are allowed.

    ``param_ranges`` gives, for a long table with a ``parameter`` column (capacity, costs,
    flows), the valid range of ``value``/``lo``/``hi`` for each parameter.
    """

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    allow_extra: bool = False
    description: str = ""
    extra_ok: frozenset[str] = field(default_factory=frozenset)
    param_ranges: tuple[tuple[str, Range], ...] = ()

    def param_range(self, parameter: str) -> Range | None:
        """Return the valid range of ``parameter`` in a long table, or ``None``."""
        return dict(self.param_ranges).get(parameter)

    def column(self, name: str) -> Column:
        """Return the column called ``name``; raises ``KeyError`` if there is none."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


#: a number written with thousands separators, as a spreadsheet shows it: 1,627 or -12,345.5
GROUPED_NUMBER = r"-?\d{1,3}(,\d{3})+(\.\d*)?"


def spreadsheet_row(index_pos: int) -> int:
    """Spreadsheet row number of the ``index_pos``-th data row (header is row 1)."""
    return int(index_pos) + 2


def first_bad_row(
    bad: np.ndarray | pd.Series,
    message: str | Callable[[int], str],
    source: str,
    column: str | Callable[[int], str] | None = None,
) -> None:
    """Raise :class:`InputError` at the first row where ``bad`` is true.

    The error names the file, its spreadsheet row (header = row 1) and the column; do
    nothing if no row is bad.
    ``message`` (and ``column``) may be a function of the row's position, for a message
    that shows the offending value.  The one place wfkit turns a mask of bad rows into an
    error.
    """
    mask = np.asarray(bad, dtype=bool)
    if not mask.any():
        return
    i = int(np.flatnonzero(mask)[0])
    raise InputError(
        message(i) if callable(message) else message,
        source=source,
        row=spreadsheet_row(i),
        column=column(i) if callable(column) else column,
    )


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
    _check_columns(df, spec, src)
    for col in spec.columns:
        if col.name not in df.columns:
            continue
        if col.dtype == "str":
            df[col.name] = _text_column(df[col.name], col, src)
        else:
            df[col.name] = _number_column(df[col.name], col, src)
    if spec.param_ranges and "parameter" in df.columns:
        _check_param_ranges(df, spec, src)
    if {"lo", "hi"} <= set(df.columns):
        _check_intervals(df, src)
    key = [k for k in spec.key if k in df.columns]
    if key:
        first_bad_row(
            df.duplicated(key, keep="first").to_numpy(),
            lambda i: (
                f"duplicate key {short({k: df[k].iloc[i] for k in key})}; expected each {key} once"
            ),
            src,
            key[0],
        )
    return df


def _check_columns(df: pd.DataFrame, spec: TableSpec, src: str) -> None:
    """Refuse a missing required column, an unexpected column or an empty table."""
    names = [c.name for c in spec.columns]
    missing = [c.name for c in spec.columns if c.required and c.name not in df.columns]
    if missing:
        raise InputError(f"missing column(s) {missing}; expected columns {names}", source=src)
    extra = [c for c in df.columns if c not in names and c not in spec.extra_ok]
    if extra and not spec.allow_extra:
        raise InputError(f"unexpected column(s) {extra}; expected only {names}", source=src)
    if len(df) == 0:
        raise InputError("the table is empty; expected at least one row", source=src)


def _text_column(s: pd.Series, col: Column, src: str) -> pd.Series:
    """Return text column ``s`` stripped (empty cells ``None``), checked against ``col``."""
    isna = s.isna().to_numpy()
    if not col.nullable:
        first_bad_row(isna, "empty value; expected text", src, col.name)
    s = s.astype(str).str.strip().where(~isna, None)
    if col.allowed is not None:
        shown = sorted(col.allowed)
        shown_txt = shown if len(shown) <= 20 else shown[:20] + ["..."]
        first_bad_row(
            ~s.isin(col.allowed) & ~isna,
            lambda i, s=s, t=shown_txt: (
                f"unknown value {short(s.iloc[i])}; expected one of {short(t, 160)}"
            ),
            src,
            col.name,
        )
    return s


def _number_column(s: pd.Series, col: Column, src: str) -> np.ndarray:
    """Return numeric column ``s`` as numbers, checked against ``col``.

    Floats, or int64 for an ``int`` column with no missing value; a quoted number with
    thousands separators (``"1,627"``) is read as 1627.
    """
    isna = s.isna().to_numpy()
    num = pd.to_numeric(s, errors="coerce")
    unread = num.isna().to_numpy() & ~isna
    if unread.any():  # a quoted number with thousands separators: "1,627" is 1627
        grouped = s[unread].astype(str).str.strip()
        ok = grouped.str.fullmatch(GROUPED_NUMBER)
        if ok.any():
            num = num.copy()
            num.loc[grouped.index[ok]] = pd.to_numeric(grouped[ok].str.replace(",", ""))
    first_bad_row(
        num.isna().to_numpy() & ~isna,
        lambda i, s=s: f"non-numeric value {short(s.iloc[i])}; expected a number",
        src,
        col.name,
    )
    vals = num.to_numpy(dtype=float)
    nan = np.isnan(vals)
    if not col.nullable:
        first_bad_row(nan, "missing value (empty or NaN); expected a number", src, col.name)
    first_bad_row(np.isinf(vals), "infinite value; expected a finite number", src, col.name)
    rng = col.range
    first_bad_row(
        rng.outside(vals),
        lambda i, v=vals, r=rng: _outside_message(v[i], r),
        src,
        col.name,
    )
    if col.dtype == "int":
        first_bad_row(
            ~nan & (vals != np.round(vals)),
            lambda i, v=vals: f"value {v[i]:g} is not a whole number",
            src,
            col.name,
        )
        return vals.astype(np.int64) if not nan.any() else vals
    return vals


def _check_intervals(df: pd.DataFrame, src: str) -> None:
    """Refuse ``lo > hi``, a ``value`` outside ``[lo, hi]``, or only one end given."""
    lo = df["lo"].to_numpy(dtype=float)
    hi = df["hi"].to_numpy(dtype=float)
    first_bad_row(
        ~np.isnan(lo) & ~np.isnan(hi) & (lo > hi),
        lambda i: f"interval lo={lo[i]:g} > hi={hi[i]:g}; expected lo <= hi",
        src,
        "lo",
    )
    if "value" in df.columns:
        v = df["value"].to_numpy(dtype=float)
        first_bad_row(
            ~np.isnan(lo) & ~np.isnan(hi) & ((v < lo) | (v > hi)),
            lambda i: (
                f"value {v[i]:g} lies outside its interval [{lo[i]:g}, {hi[i]:g}]; "
                "expected lo <= value <= hi"
            ),
            src,
            "value",
        )
    first_bad_row(
        np.isnan(lo) != np.isnan(hi),
        "only one end of the interval is given; expected both lo and hi or neither",
        src,
        lambda i: "lo" if np.isnan(lo[i]) else "hi",
    )


def _outside_message(v: float, rng: Range) -> str:
    if rng.lo is not None and (v < rng.lo or (rng.lo_open and v <= rng.lo)):
        what = f"below the minimum {rng.lo:g}" if v < rng.lo else f"not above {rng.lo:g}"
    else:
        what = f"above the maximum {rng.hi:g}" if rng.hi is not None and v > rng.hi else "outside"
    return f"value {v:g} is {what}; valid range {rng.text()}"


def range_error(
    spec: TableSpec, column: str, value: float, parameter: str | None = None
) -> str | None:
    """Return the message for a value outside its valid range, else ``None``.

    The message is for ``value`` in ``column`` of ``spec`` (of ``parameter`` in a long
    table); used for scenario overrides.
    """
    rng = None
    if parameter is not None and column in ("value", "lo", "hi"):
        rng = spec.param_range(parameter)
    if rng is None:
        try:
            rng = spec.column(column).range
        except KeyError:
            return None
    if not np.isfinite(value):
        return f"value {value:g} is not finite; valid range {rng.text()}"
    if rng.outside(np.array([value]))[0]:
        head = f"{parameter} " if parameter else ""
        return head + _outside_message(float(value), rng)
    return None


def _check_param_ranges(df: pd.DataFrame, spec: TableSpec, src: str) -> None:
    """Each row's value, lo and hi against the valid range of its parameter."""
    params = df["parameter"].to_numpy()
    for col in ("value", "lo", "hi"):
        if col not in df.columns:
            continue
        vals = df[col].to_numpy(dtype=float)
        for name, rng in spec.param_ranges:
            first_bad_row(
                (params == name) & rng.outside(vals),
                lambda i, v=vals, n=name, r=rng: f"{n} {_outside_message(v[i], r)}",
                src,
                col,
            )


def check_shares_sum(
    df: pd.DataFrame,
    group: str,
    value_cols: Iterable[str],
    source: str,
    tol: float = 1e-6,
) -> None:
    """Check that, within each ``group``, each of ``value_cols`` sums to 1 (within ``tol``).

    Groups in sorted order; a missing value counts as 0, a row without a group as none's.
    """
    codes, groups = pd.factorize(df[group], sort=True)
    kept = codes >= 0
    for col in value_cols:
        values = np.nan_to_num(df[col].to_numpy(dtype=float)[kept])
        sums = np.bincount(codes[kept], weights=values, minlength=len(groups))
        bad = np.abs(sums - 1.0) > tol
        if bad.any():
            g = groups[i := int(np.argmax(bad))]
            msg = (
                f"shares of {group} {short(g)} sum to {sums[i]:.6g}; expected 1 (tolerance {tol:g})"
            )
            first_bad_row((df[group] == g).to_numpy(), msg, source, col)


def available_memory() -> int | None:
    """Physical memory of the machine in bytes (``None`` where the OS does not say)."""
    try:
        return int(os.sysconf("SC_PHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return None


#: peak memory of one run of the model over the bytes of one (draws x areas x years x
#: activities x (roles + age bands)) float64 array: 0.79 measured with tracemalloc on the
#: default scenario (50, 200 and 400 draws; 20 roles, 38 activities) and 0.65 on the
#: example (5 roles, 4 activities), rounded up.  Age bands count beside roles because demand
#: is worked out by band before it is shared among roles.
MEMORY_FACTOR = 0.9
#: the results of each run, kept until the scenario's outputs are written, over the same
#: array: 0.6 measured on the default scenario
KEPT_FACTOR = 0.6


def estimate_run_bytes(
    draws: int,
    areas: int,
    years: int,
    roles: int,
    activities: int,
    variants: int = 1,
    bands: int = 19,
) -> int:
    """Estimate the peak memory of a scenario run.

    One array of (draws + 1) x areas x years x activities x (roles + age bands) x 8
    bytes, times :data:`MEMORY_FACTOR` for the run in progress and :data:`KEPT_FACTOR` for
    each variant's results already kept.
    """
    one = (int(draws) + 1) * areas * years * max(activities, 1) * (roles + bands) * 8
    return int(one * (MEMORY_FACTOR + KEPT_FACTOR * (max(variants, 1) - 1)))


#: one chunk's peak over the bytes of one (draws x areas x years x (activities + roles + age
#: bands)) float64 array for each variant: the model's arrays of every variant and their
#: frames, held until the chunk returns.  2.4 measured with tracemalloc (the default
#: scenario, 3 variants, 48 activities, 20 roles, 1,000 draws, chunks of 1-6 networks), 3.5
#: here to be cautious
CHUNK_FACTOR = 3.5
#: a worker process's own memory before it runs a chunk (Python, numpy, pandas, pyarrow):
#: 0.25-0.3 GB resident measured
WORKER_BYTES = 320 * 2**20


def estimate_chunk_bytes(
    draws: int,
    areas: int,
    years: int,
    roles: int,
    activities: int,
    variants: int = 1,
    bands: int = 19,
) -> int:
    """Estimate the peak memory of a worker running one chunk of ``areas`` (every variant).

    The worker itself (:data:`WORKER_BYTES`), one array of hours per contact of every draw,
    year, activity and role, and :data:`CHUNK_FACTOR` arrays of (draws + 1) x areas x years
    x (activities + roles + age bands) for each variant.  Measured peaks are 0.65-0.8 of it.
    """
    d = int(draws) + 1
    fixed = d * years * max(activities, 1) * roles * 8
    per_area = d * years * (max(activities, 1) + roles + bands) * 8 * CHUNK_FACTOR
    return int(WORKER_BYTES + fixed + per_area * max(variants, 1) * areas)


def check_run_memory(
    draws: int,
    areas: int,
    years: int,
    roles: int,
    activities: int,
    variants: int = 1,
    source: str | None = None,
    share: float = 0.5,
) -> int:
    """Refuse a run whose estimated peak memory is above ``share`` of the machine's memory.

    Checked before the run starts; returns the estimate in bytes.
    """
    need = estimate_run_bytes(draws, areas, years, roles, activities, variants)
    have = available_memory()
    if have is not None and need > share * have:
        per_draw = need / (int(draws) + 1)
        fit = max(int(share * have / per_draw) - 1, 0)
        raise InputError(
            f"the run needs about {need / 2**30:,.1f} GiB, over {share:.0%} of this machine's "
            f"{have / 2**30:,.1f} GiB with {areas:,} area{'s' if areas != 1 else ''} at a "
            f"time; use at most {fit:,} draws (--draws, or 'draws' in the file)"
            + (", fewer years ('horizon')" if areas == 1 else ", a smaller --chunk-areas"),
            source=source,
            key="draws",
        )
    return need


#: bytes of one row of a tidy results frame (eight float statistics, the year and four
#: category codes): 77 measured
FRAME_ROW_BYTES = 80
#: bytes of one row of a demand table (area, year, activity, scenario, contacts): 66-71 measured
DEMAND_ROW_BYTES = 72


def estimate_frame_bytes(areas: int, years: int, roles: int, activities: int, variants: int) -> int:
    """Estimate the peak memory of a chunked run's tidy output.

    Every chunk's frames (results and demand) are held until they are combined, so each
    variant's frame is held twice, and once more while one is combined.  Rows: 7 measures
    for each role and the total, and the population, for every area and year (the number
    of draws does not matter: chunks keep percentiles).  Measured: 225 MB for 195
    practices, 3 variants (estimate 254 MB with the chunk's run).
    """
    rows = areas * years * (7 * (roles + 1) + 1)
    one = rows * FRAME_ROW_BYTES + areas * years * max(activities, 1) * DEMAND_ROW_BYTES
    return int(one * (2 * max(variants, 1) + 2))


def check_chunked_memory(
    draws: int,
    chunk_areas: int,
    areas: int,
    years: int,
    roles: int,
    activities: int,
    variants: int = 1,
    source: str | None = None,
    share: float = 0.5,
) -> int:
    """Refuse a chunked run estimated to need more than ``share`` of the machine's memory.

    The estimate is one chunk's run (:func:`estimate_chunk_bytes`) and the tidy output of
    every area (:func:`estimate_frame_bytes`); checked before any chunk runs; returns the
    estimate in bytes.
    """
    run = estimate_chunk_bytes(draws, chunk_areas, years, roles, activities, variants)
    frames = estimate_frame_bytes(areas, years, roles, activities, variants)
    need, have = run + frames, available_memory()
    if have is not None and need > share * have:
        raise InputError(
            f"the run needs about {need / 2**30:,.1f} GiB, over {share:.0%} of this machine's "
            f"{have / 2**30:,.1f} GiB, of which {frames / 2**30:,.1f} GiB is the results of "
            f"all {areas:,} areas, whatever the draws or chunk size; model fewer areas (a "
            "coarser 'level', or 'areas'), a shorter 'horizon' or fewer 'variants'",
            source=source,
            key="areas",
        )
    return need


#: measures that add up (a ratio such as wisn_ratio is NaN by design where required is 0)
ADDITIVE_MEASURES = (
    "population",
    "demand",
    "workload_hours",
    "required_fte",
    "supply_fte",
    "cost_gbp",
)


def check_finite_results(result: object, source: str | None = None, variant: str = "") -> None:
    """Refuse a model result with an infinite or NaN value in any additive measure.

    The error names the measure, area, year and role (or activity) of the first one.
    """
    for name in ADDITIVE_MEASURES:
        arr = getattr(result, name, None)
        if arr is None:
            continue
        arr = np.asarray(arr)
        bad = ~np.isfinite(arr)
        if not bad.any():
            continue
        at = [int(i) for i in np.argwhere(bad)[0]]
        labels = [("draw", None), ("area", "areas"), ("year", "years")]
        labels.append(("activity", "activities") if name == "demand" else ("role", "roles"))
        where = []
        for (what, attr), j in zip(labels, at, strict=False):
            if what == "draw":
                where.append("central run" if j == 0 else f"draw {j}")
                continue
            labs = getattr(result, attr, None)
            where.append(f"{what} {labs[j] if labs is not None else j}")
        scen = f"scenario {variant}, " if variant else ""
        raise InputError(
            f"{name} is {arr[tuple(at)]} for {scen}{', '.join(where)}; check that role's "
            "capacity (working time, cas_fraction) and its inputs",
            source=source,
        )


#: output measures that are NaN by design somewhere: a ratio over zero (``wisn_ratio`` where
#: nothing is required, ``cost_per_1000`` of an area with no patients) and the population
#: on the role rows of the wide layout; every other measure is a number everywhere
NAN_BY_DESIGN = ("population", "wisn_ratio", "cost_per_1000")
#: the statistics columns of the long layout
_STATS = ("value", "p10", "p50", "p90", "diff", "diff_p10", "diff_p50", "diff_p90")


def check_finite_frame(df: pd.DataFrame, source: str | None = None) -> None:
    """Refuse an output frame with an infinite value, or NaN where there is never NaN.

    The frame is long (a ``measure`` column) or wide (one column per measure, ``diff_``
    columns beside); an infinite value anywhere, or NaN in a measure that is never NaN
    (:data:`NAN_BY_DESIGN`), is refused naming the measure, scenario, area, year and role
    (or activity) of the first: checked before anything is written, so no ``inf`` reaches
    a results file.
    """
    if "measure" in df.columns:
        nan_ok = df["measure"].astype(str).isin(NAN_BY_DESIGN).to_numpy()
        checks = [(c, None) for c in _STATS if c in df.columns]
    else:
        keys = {"area", "year", "role", "activity", "scenario"}
        checks = [
            (c, c.removeprefix("diff_") in NAN_BY_DESIGN)
            for c in df.columns
            if c not in keys and pd.api.types.is_numeric_dtype(df[c])
        ]
    for col, ok in checks:
        v = df[col].to_numpy(dtype=float)
        bad = np.isinf(v)
        if ok is None:
            bad |= np.isnan(v) & ~nan_ok
        elif not ok:
            bad |= np.isnan(v)
        if not bad.any():
            continue
        i = int(np.flatnonzero(bad)[0])
        row = df.iloc[i]
        measure = str(row["measure"]) if "measure" in df.columns else col.removeprefix("diff_")
        stat = "" if col in ("value", measure) else f" ({col})"
        where = ", ".join(
            f"{k} {row[k]}" for k in ("scenario", "area", "year", "role", "activity") if k in row
        )
        raise InputError(
            f"{measure}{stat} is {v[i]} for {where}; check that role's capacity (working "
            "time, absences, cas_fraction), minutes and staff in post",
            source=source,
        )


def check_finite_summary(summary: object, source: str | None = None, path: str = "") -> None:
    """Refuse an infinite number anywhere in a run's summary (``summary.json``).

    The error names its key; NaN is allowed only in the measures of
    :data:`NAN_BY_DESIGN`.
    """
    if isinstance(summary, dict):
        for k, v in summary.items():
            check_finite_summary(v, source, f"{path}.{k}" if path else str(k))
    elif isinstance(summary, (list, tuple)):
        for j, v in enumerate(summary):
            check_finite_summary(v, source, f"{path}[{j}]")
    elif isinstance(summary, (float, np.floating)) and not np.isfinite(summary):
        if np.isnan(summary) and any(f".{m}." in f".{path}." for m in NAN_BY_DESIGN):
            return
        raise InputError(
            f"{path} is {summary}; check the roles' capacity (working time, absences, "
            "cas_fraction), minutes and staff in post",
            source=source,
        )


def check_numbers(
    x: object,
    name: str,
    *,
    positive: bool = False,
    integer: bool = False,
    open_unit: bool = False,
) -> np.ndarray:
    """Return ``x`` (a number or array of numbers) as a float array, checked.

    Checked finite and >= 0 (> 0 with ``positive``, whole with ``integer``, strictly
    between 0 and 1 with ``open_unit``); otherwise an :class:`InputError` naming ``name``.
    The one check of numeric arguments for :mod:`wfkit.wisn` and :mod:`wfkit.queueing`.
    """
    if isinstance(x, bool | str | bytes):
        raise InputError(f"expected numbers, got {x!r}", column=name)
    try:
        a = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"expected numbers, got {short(x)}", column=name) from None
    if not np.all(np.isfinite(a)):
        raise InputError("expected finite numbers, got NaN or infinity", column=name)
    if open_unit:
        if np.any((a <= 0) | (a >= 1)):
            bad = a[(a <= 0) | (a >= 1)].flat[0]
            raise InputError(f"expected a level strictly between 0 and 1, got {bad:g}", column=name)
        return a
    if positive and np.any(a <= 0):
        raise InputError(f"expected numbers > 0, got {a[a <= 0].flat[0]:g}", column=name)
    if np.any(a < 0):
        raise InputError(f"expected numbers >= 0, got {a[a < 0].flat[0]:g}", column=name)
    if integer and np.any(a != np.floor(a)):
        raise InputError(
            f"expected whole numbers, got {a[a != np.floor(a)].flat[0]:g}", column=name
        )
    return a
