"""Input tables of a scenario, and row-level overrides.

The tables are bundled (through :mod:`wfkit.data`) or the user's own CSVs;
:mod:`wfkit.scenario.arrays` turns them into labelled arrays.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import cache
from .. import tables as T
from ..errors import InputError, short
from ..input_files import read_csv_checked
from ..settings import SKILL_MIX_MODELS
from ..tables import REQUIRED_TABLES
from ..validation import (
    range_error,
    validate_table,
)
from .spec import AreaSelection, VariantSpec

log = logging.getLogger("wfkit")

# ----------------------------------------------------------------------------------------
# tables
# ----------------------------------------------------------------------------------------
TableLoader = Callable[[str, dict[str, Any]], pd.DataFrame]
"""Loads a table a scenario gives as ``bundled``: ``(table name, {areas, level, base_year,
years}) -> DataFrame`` (the default: :func:`load_bundled_table`)."""

#: ``DataFrame.attrs`` key by which a loader says a table was already checked against the
#: engine spec of that name (``df.attrs[VALIDATED] = "supply"``), so it is not checked again
VALIDATED = "wfkit_validated_as"


#: the bundled tables built for the selected areas (the others are loaded as they are)
AREA_TABLES = ("population", "growth", "supply", "prevalence")
#: area tables larger than this (rows) are rebuilt rather than kept in the on-disk cache
#: (every practice in England: about 0.9 million prevalence rows, 0.2 million growth rows)
_CACHE_ROWS = 2_000_000
#: area tables built in this process (request -> frame), so a repeat run skips even the
#: Arrow read; keyed like the on-disk entries (data files, wfkit's source, the request)
_MEMO: dict[str, pd.DataFrame] = {}
_MEMO_KEEP = 16
#: the national tables as a run reads them (text as Python strings), by the data files'
#: fingerprint and name: a few per data folder, apart from the area tables' memo
_NATIONAL: dict[str, pd.DataFrame] = {}
_NATIONAL_KEEP = 32


#: key columns held as categories in area tables of more than _CATEGORY_ROWS rows
_KEYS = frozenset({"area", "activity", "age_band", "role"})
_CATEGORY_ROWS = 100_000


def _mark(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Mark ``df`` as checked against the engine spec ``name``; hold its text as Python strings.

    Its builder checked it (:mod:`wfkit.data` validates every area table it returns), so it
    is not checked again.  Its text columns are held as Python strings (``object``): a
    national table has about a million rows of a few thousand distinct codes and long notes,
    which Arrow copies string by string at every filter and merge, and which ``set()``
    iterates element by element, where an object column moves pointers.
    """
    for c in df.columns:
        if c in _KEYS and len(df) > _CATEGORY_ROWS:
            # keys of a big table as categories: the grids look each row up by its code
            df[c] = df[c].astype("category")
    _as_python_text(df)
    df.attrs[VALIDATED] = name
    return df


def load_bundled_table(name: str, context: dict[str, Any]) -> pd.DataFrame:
    """Load a bundled table through :mod:`wfkit.data` for the selected areas.

    The tables built for an area (population, growth, supply, prevalence) are kept in
    memory for the process and in the on-disk cache (Arrow IPC, keyed by the data files,
    wfkit's source and the request), so a new kernel or process for an area it has seen
    skips rebuilding them (slow for a network, slower for every practice).
    Each is validated once, by its builder, and marked so (``attrs[VALIDATED]``).  The
    national tables are kept in memory too, their text as Python strings.  Each call
    returns a frame of its own (a shallow copy: the columns are shared until changed).
    """
    # lazy: wfkit.data loads only when a run reads bundled tables
    from ..data.loader import fingerprint

    if name not in AREA_TABLES:
        # the national tables are the same for every variant and area: their text is held
        # as Python strings once a process (as _mark holds an area table's), under the data
        # files' fingerprint (changed files are new tables)
        key = f"{fingerprint()}\0{name}"
        df = _NATIONAL.get(key)
        if df is None:
            df = _as_python_text(_build_bundled(name, context))
            _remember(_NATIONAL, _NATIONAL_KEEP, key, df)
        return df.copy(deep=False)
    if not cache.enabled():
        return _build_bundled(name, context)
    request = (name, tuple(context["areas"]), str(context["level"]))
    if name == "growth":
        request += (int(context["base_year"]), tuple(int(y) for y in context["years"]))
    key = cache.key(fingerprint(), *request)
    df = _MEMO.get(key)
    if df is None:
        df = cache.read_through(
            "areas",
            lambda: key,
            [name],
            lambda: {name: _build_bundled(name, context)},
            codes=True,  # text as codes: see wfkit.cache.write_frame
            max_rows=_CACHE_ROWS,
        )[name]
        # a frame read from disk is marked as its builder marked it
        df = _mark(df, name)
        _remember(_MEMO, _MEMO_KEEP, key, df)
    return df.copy(deep=False)


def _remember(memo: dict[str, pd.DataFrame], keep: int, key: str, df: pd.DataFrame) -> None:
    """Keep ``df`` in ``memo`` under ``key``, the oldest dropped past ``keep`` entries."""
    while len(memo) >= keep:
        memo.pop(next(iter(memo)))
    memo[key] = df


def _as_python_text(df: pd.DataFrame) -> pd.DataFrame:
    """Hold the text columns of ``df`` as Python strings (``object``), as :func:`_mark` does."""
    for c in df.columns:
        if pd.api.types.is_string_dtype(df[c].dtype) and df[c].dtype != object:
            text = df[c].to_numpy(dtype=object, na_value=None)
            df[c] = pd.Series(text, index=df.index, dtype=object)
    return df


def _build_bundled(name: str, context: dict[str, Any]) -> pd.DataFrame:
    """Build a bundled table through :mod:`wfkit.data` (imported lazily)."""
    # lazy: wfkit.data loads only when a run reads bundled tables
    from .. import data

    areas, level = context["areas"], context["level"]
    if name == "population":
        return _mark(data.population(areas, level), name)
    if name == "growth":
        return _mark(data.growth(areas, level, context["base_year"], context["years"]), name)
    if name == "supply":
        return _mark(data.supply(areas, level), name)
    if name == "prevalence":
        national = data.load("prevalence")
        local = data.prevalence(areas, level)
        both = pd.concat([national, local], ignore_index=True)
        # each part was checked by its builder; together they are checked once here
        return _mark(validate_table(both, T.PREVALENCE, source="bundled:prevalence"), name)
    df = data.load(name)
    if data.loader.TABLES[name].spec is T.SPECS[name]:
        # the loader checked it against this very spec (and checking is idempotent): not
        # again for every run
        df.attrs[VALIDATED] = name
    return df


def resolve_areas(
    selection: AreaSelection, level: str = "pcn", source: str = "scenario"
) -> list[str]:
    """Return the area codes a scenario selects.

    Codes as given, ``all`` (every bundled area at ``level``) or an
    ``{codes|names|within}`` selection resolved against the bundled areas.
    """
    if isinstance(selection, list | tuple):
        return list(selection)
    # lazy: wfkit.data loads only when a run reads bundled tables
    from .. import data

    if selection == "all":
        return sorted(set(data.select_areas(level=level)["area"]))
    within = selection.get("within")
    within_t = None
    if within is not None:
        ref = within.get("code") or within.get("name")
        if not ref:
            raise InputError("'within' needs a code or a name", source=source, key="areas.within")
        within_t = (within["level"], ref)
    codes: list[str] = []
    if "codes" in selection:
        codes += list(
            data.select_areas(code=list(selection["codes"]), level=level, within=within_t)["area"]
        )
    for name in selection.get("names", []):
        codes += list(data.select_areas(name=name, level=level, within=within_t)["area"])
    if "codes" not in selection and "names" not in selection:
        codes = list(data.select_areas(level=level, within=within_t)["area"])
    return sorted(set(codes))


def read_tables(
    v: VariantSpec, load_table: TableLoader | None
) -> tuple[dict[str, tuple[pd.DataFrame, str]], AreaSelection]:
    """Return every input table of a variant (bundled or the user's CSVs) and the areas it models.

    The areas are resolved to codes when any table is bundled or the selection names
    bundled areas; with tables of its own only, ``all`` stays (every area of the
    population table).
    """
    missing = [t for t in REQUIRED_TABLES if t not in v.inputs]
    if missing:
        raise InputError(f"no input given for table(s) {missing}", source=v.source, key="inputs")
    out: dict[str, tuple[pd.DataFrame, str]] = {}
    base = v.path.parent if v.path else Path.cwd()
    areas: AreaSelection = v.areas
    context: dict[str, Any] | None = None
    for name, ref in v.inputs.items():
        spec = T.SPECS[name]
        if ref.bundled:
            if context is None:
                areas = resolve_areas(v.areas, v.level, v.source)
                context = {
                    "areas": areas,
                    "level": v.level,
                    "base_year": v.base_year,
                    "years": list(v.years),
                }
            df = (load_table or load_bundled_table)(name, context)
            if df.attrs.get(VALIDATED) != name:
                df = validate_table(df, spec, source=f"bundled:{name}")
            if df.attrs:  # the mark is read: without attrs, pandas stops deep-copying them
                df = df.copy(deep=False)  # at every step (the loader's frame is left as it is)
                df.attrs = {}
            out[name] = (df, f"bundled:{name}")
        else:
            try:
                path = (base / ref.path).resolve()
            except (RuntimeError, OSError):  # a symbolic link that leads back to itself
                raise InputError(
                    "is a symbolic link that leads back to itself (a loop); expected a CSV file",
                    source=str(base / ref.path),
                    key=v.key("inputs") + f".{name}",
                ) from None
            hint = (
                f"set inputs.{name}.encoding in the scenario (e.g. {{path: ..., encoding: cp1252}})"
            )
            out[name] = (read_csv_checked(path, spec, encoding=ref.encoding, hint=hint), str(path))
            if ref.encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
                log.info("table %s read from %s as %s", name, path, ref.encoding)
    if context is None and isinstance(v.areas, Mapping):
        areas = resolve_areas(v.areas, v.level, v.source)
    return out, areas


def parse_number(
    v: Any, where: str, column: str, row: int | None, key: str | None = None
) -> tuple[float, float, float]:
    """Return ``(value, lo, hi)`` of a number or an 80% interval.

    The interval is ``[lo, hi]`` (value its midpoint) or ``[lo, value, hi]``; an interval
    that does not hold its value is refused.  An error names ``key`` in ``where`` when
    given, else ``where``'s ``row`` and ``column``.
    """

    def error(msg: str) -> InputError:
        if key is not None:
            return InputError(msg, source=where, key=key)
        return InputError(msg, source=where, row=row, column=column)

    if isinstance(v, list | tuple):
        lo, hi = float(v[0]), float(v[-1])
        value = float(v[1]) if len(v) == 3 else (lo + hi) / 2.0
        if not np.isfinite([lo, value, hi]).all():
            raise error(f"interval {short(v)} is not finite; expected numbers")
        if lo > hi:
            raise error(f"interval lo={lo:g} > hi={hi:g}; expected lo <= hi")
        if not lo <= value <= hi:
            raise error(
                f"value {value:g} lies outside its interval [{lo:g}, {hi:g}]; "
                "expected [lo, value, hi] with lo <= value <= hi"
            )
        return value, lo, hi
    if isinstance(v, str):
        raise error(f"value {short(v)} is not a number; expected a number or [lo, hi]")
    if not np.isfinite(float(v)):
        raise error(f"value {float(v):g} is not finite; expected a number")
    return float(v), np.nan, np.nan


#: key columns an override row may leave out (or give as ``''``): the national row
_OPTIONAL_KEYS: dict[str, tuple[str, ...]] = {"prevalence": ("area",)}
#: where the labels of each key column are declared: (table, column)
_DECLARED = {
    "activity": ("activities", "activity"),
    "role": ("capacity", "role"),
    "area": ("population", "area"),
}


def _key_strings(col: pd.Series) -> np.ndarray:
    """Return a key column as text, an empty cell as ``''``."""
    out = col.astype(object).to_numpy(copy=True)
    out[pd.isna(out)] = ""
    return out.astype(str)


def _declared(tables: dict[str, tuple[pd.DataFrame, str]], col: str) -> tuple[set, str] | None:
    """Return the labels ``col`` may take (from the table that declares them), and that table."""
    if col not in _DECLARED or _DECLARED[col][0] not in tables:
        return None
    table, column = _DECLARED[col]
    df, origin = tables[table]
    return set(_key_strings(df[column]).tolist()), origin


def apply_overrides(
    tables: dict[str, tuple[pd.DataFrame, str]], overrides: Mapping[str, list], src: str
) -> None:
    """Upsert override rows into the tables (in place), checking keys and values.

    A row names the table's key columns and the new value.  Every label is checked where
    it is declared (activities, roles in ``capacity``, areas in ``population``) and an error
    names the override (``overrides.minutes[0].role``), never a row of the table.  In
    ``prevalence`` the ``area`` may be left out or given as ``''``: the national row.  In a
    table with age bands, a row for one band of an activity given for ``all`` bands changes
    that band only (the ``all`` row is split into its bands first); a row for ``all`` changes
    every band of the activity.
    """
    declared = {c: _declared(tables, c) for c in _DECLARED}  # before any override adds rows
    for name, rows in overrides.items():
        df, origin = tables[name]
        tables[name] = (_override_table(name, df, origin, rows, src, declared), origin)


def _override_table(
    name: str,
    df: pd.DataFrame,
    origin: str,
    rows: list,
    src: str,
    declared: dict[str, tuple[set, str] | None],
) -> pd.DataFrame:
    """Return one table with its override rows applied and checked.

    See :func:`apply_overrides`.
    """
    value_col = {"population": "population", "supply": "fte"}
    spec = T.SPECS[name]
    keys = list(spec.key)
    optional = _OPTIONAL_KEYS.get(name, ())
    where = f"{src}: overrides.{name}"
    numeric = list(SKILL_MIX_MODELS) if name == "skill_mix" else [value_col.get(name, "value")]
    df = df.copy()
    for k in optional:
        if k not in df.columns:
            df[k] = None
    idx = _KeyIndex(df, keys)
    added: list[dict[str, Any]] = []
    updates: dict[str, dict[int, Any]] = {}
    override_of: dict[int, int] = {}  # table position -> the override that set it
    for i, row in enumerate(rows):
        _check_override_keys(row, keys, numeric, optional, where, i)
        key = tuple("" if row.get(k) is None else str(row[k]) for k in keys)
        for k, v in zip(keys, key, strict=True):
            _check_override_label(spec, k, v, declared.get(k), optional, src, name, i)
        df, rows_at = _override_rows(df, key, i, idx, added, updates, override_of)
        override_of.update(dict.fromkeys(rows_at, i))
        _set_override_numbers(row, numeric, spec, name, src, i, rows_at, updates)
    df = _with_rows(df, added, updates)
    return _validate_overridden(df, spec, origin, src, name, override_of)


class _KeyIndex:
    """The positions of the rows each key of a table names, kept as overrides add rows.

    Every row's key is held as strings once (a column's ``astype(str)`` for each override
    row was slow in a notebook); in a table with age bands, ``by_rest`` lists the keys
    that differ only in their band.
    """

    def __init__(self, df: pd.DataFrame, keys: list[str]) -> None:
        self.keys = keys
        self.banded = "age_band" in keys
        self.band = keys.index("age_band") if self.banded else -1
        self.at: dict[tuple, list[int]] = {}
        self.by_rest: dict[tuple, list[tuple]] = {}
        self.index(df)
        if self.banded:
            for key in self.at:
                self.by_rest.setdefault(self.rest(key), []).append(key)

    def index(self, df: pd.DataFrame) -> None:
        """Index every row of ``df`` by its key again (``at`` is updated in place)."""
        self.at.clear()
        columns = [_key_strings(df[k]).tolist() for k in self.keys]
        for j, key in enumerate(zip(*columns, strict=True)):
            self.at.setdefault(key, []).append(j)
        if not self.keys and len(df):
            self.at[()] = list(range(len(df)))

    def rest(self, key: tuple) -> tuple:
        """Return ``key`` without its age band."""
        return key[: self.band] + key[self.band + 1 :]


def _check_override_keys(
    row: Mapping, keys: list[str], numeric: list[str], optional: tuple[str, ...], where: str, i: int
) -> None:
    """Refuse an override row with an unknown key or without a key it needs."""
    bad = sorted(set(row) - set(keys) - set(numeric))
    if bad:
        raise InputError(
            f"unknown key(s) {bad}; expected {keys + numeric}", source=where, row=i + 1
        )
    lacking = [k for k in keys if k not in row and k not in optional]
    if lacking:
        raise InputError(f"missing key(s) {lacking}; expected {keys}", source=where, row=i + 1)


def _override_rows(
    df: pd.DataFrame,
    key: tuple,
    i: int,
    idx: _KeyIndex,
    added: list[dict[str, Any]],
    updates: dict[str, dict[int, Any]],
    override_of: dict[int, int],
) -> tuple[pd.DataFrame, list[int]]:
    """Return the table and the positions of the rows override ``i`` (``key``) sets.

    The rows with that key; for band ``all``, every band of the activity; for one band of
    a row given for ``all``, that row split into its bands first (the split rows are
    recorded in ``override_of`` as set by override ``i``); else a new row, appended to
    ``added``.
    """
    at, b = idx.at, idx.band
    if key in at:
        return df, at[key]
    if idx.banded and key[b] == "all" and idx.by_rest.get(idx.rest(key)):
        return df, [j for kk in idx.by_rest[idx.rest(key)] for j in at[kk]]  # every band
    if idx.banded and key[b] != "all" and (whole := (*key[:b], "all", *key[b + 1 :])) in at:
        # one band of a row given for all: split that row into its bands first
        df, at_whole = _split_all(df, at[whole], added, updates)
        added.clear()
        idx.index(df)
        idx.by_rest[idx.rest(key)] = [k2 for k2 in at if idx.rest(k2) == idx.rest(key)]
        override_of.update(dict.fromkeys(at_whole, i))
        return df, at[key]
    rows_at = at[key] = [len(df) + len(added)]
    added.append({k: (None if v == "" else v) for k, v in zip(idx.keys, key, strict=True)})
    if idx.banded:
        idx.by_rest.setdefault(idx.rest(key), []).append(key)
    return df, rows_at


def _set_override_numbers(
    row: Mapping,
    numeric: list[str],
    spec: Any,
    name: str,
    src: str,
    i: int,
    rows_at: list[int],
    updates: dict[str, dict[int, Any]],
) -> None:
    """Check the numbers of override row ``i`` and record them in ``updates`` for ``rows_at``.

    Each number (or interval) must lie in its column's valid range; a ``value`` also sets
    ``lo``, ``hi`` and the row's ``source``.
    """
    for col in numeric:
        if col not in row:
            continue
        val, lo, hi = parse_number(row[col], src, col, None, key=f"overrides.{name}[{i}].{col}")
        param = str(row["parameter"]) if "parameter" in row else None
        for x in (val, lo, hi):
            msg = None if np.isnan(x) else range_error(spec, col, x, param)
            if msg is not None:
                raise InputError(msg, source=src, key=f"overrides.{name}[{i}].{col}")
        sets = {col: val}
        if col == "value":
            sets.update(lo=lo, hi=hi, source=f"scenario override ({src})")
        for c, v in sets.items():
            updates.setdefault(c, {}).update(dict.fromkeys(rows_at, v))


def _validate_overridden(
    df: pd.DataFrame, spec: Any, origin: str, src: str, name: str, override_of: dict[int, int]
) -> pd.DataFrame:
    """Return the overridden table validated; an error in a row an override set names it."""
    try:
        checked = validate_table(df, spec, source=f"{origin} + overrides")
    except InputError as exc:
        pos = None if exc.row is None else exc.row - 2
        if pos not in override_of:
            raise
        col = f".{exc.column}" if exc.column else ""
        raise InputError(
            exc.detail, source=src, key=f"overrides.{name}[{override_of[pos]}]{col}"
        ) from None
    return checked


def _with_rows(
    df: pd.DataFrame, added: list[dict[str, Any]], updates: dict[str, dict[int, Any]]
) -> pd.DataFrame:
    """Return ``df`` with the ``added`` rows appended and the ``updates`` set.

    ``updates`` maps column -> position -> value; it is emptied.
    """
    if added:
        df = pd.concat([df, pd.DataFrame(added)], ignore_index=True)
    for c, vals in updates.items():
        if c not in df.columns:
            df[c] = np.nan
        df.iloc[list(vals), df.columns.get_loc(c)] = list(vals.values())
    updates.clear()
    return df


def _split_all(
    df: pd.DataFrame,
    positions: list[int],
    added: list[dict[str, Any]],
    updates: dict[str, dict[int, Any]],
) -> tuple[pd.DataFrame, list[int]]:
    """Split the rows at ``positions`` (age band ``all``) into one row per band.

    The pending ``added`` rows and ``updates`` are applied first; the first band stays at
    the row's position (so every other row keeps its number), the others are appended.
    Returns the table and the positions of every row made.
    """
    df = _with_rows(df, added, updates)
    made: list[int] = []
    copies = []
    for pos in positions:
        df.iloc[pos, df.columns.get_loc("age_band")] = T.AGE_BANDS[0]
        made.append(pos)
        for band in T.AGE_BANDS[1:]:
            row = df.iloc[[pos]].copy()
            row["age_band"] = band
            copies.append(row)
    start = len(df)
    df = pd.concat([df, *copies], ignore_index=True)
    made += list(range(start, len(df)))
    return df, made


def _check_override_label(
    spec: Any,
    col: str,
    value: str,
    declared: tuple[set, str] | None,
    optional: tuple[str, ...],
    src: str,
    name: str,
    i: int,
) -> None:
    """Refuse an override row's key value that no row could take, naming the override."""
    if value == "" and col in optional:
        return
    column = next(c for c in spec.columns if c.name == col)
    allowed = column.allowed
    if allowed is None and declared is not None:
        allowed, _ = declared
    if allowed is not None and value not in allowed:
        shown = sorted(allowed)
        where = f" (from {declared[1]})" if declared is not None and column.allowed is None else ""
        national = " or '' for the national row" if col in optional else ""
        raise InputError(
            f"unknown {col} {short(value)}; expected one of {short(shown, 160)}{where}{national}",
            source=src,
            key=f"overrides.{name}[{i}].{col}",
        )
