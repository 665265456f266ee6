"""Input tables of a scenario: bundled (through :mod:`wfkit.data`) or the user's own CSVs,
and row-level overrides (:mod:`wfkit.scenario.arrays` turns them into labelled arrays)."""

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
from ..settings import SKILL_MIX_MODELS
from ..tables import REQUIRED_TABLES
from ..validation import (
    range_error,
    read_csv_checked,
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


#: key columns held as categories in area tables of more than _CATEGORY_ROWS rows
_KEYS = frozenset({"area", "activity", "age_band", "role"})
_CATEGORY_ROWS = 100_000


def _mark(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Say that ``df`` was checked against the engine spec ``name`` by its builder
    (:mod:`wfkit.data` validates every area table it returns), so it is not checked again;
    and hold its text columns as Python strings (``object``): a national table has about
    a million rows of a few thousand distinct codes and long notes, which Arrow copies
    string by string at every filter and merge, and which ``set()`` iterates element by
    element, where an object column moves pointers."""
    for c in df.columns:
        if c in _KEYS and len(df) > _CATEGORY_ROWS:
            # keys of a big table as categories: the grids look each row up by its code
            df[c] = df[c].astype("category")
        elif pd.api.types.is_string_dtype(df[c].dtype) and df[c].dtype != object:
            df[c] = df[c].astype(object).where(df[c].notna(), None)
    df.attrs[VALIDATED] = name
    return df


def load_bundled_table(name: str, context: dict[str, Any]) -> pd.DataFrame:
    """Load a bundled table through :mod:`wfkit.data` for the selected areas.

    The tables built for an area (population, growth, supply, prevalence) are kept in
    memory for the process and in the on-disk cache (Arrow IPC, keyed by the data files,
    wfkit's source and the request), so a new kernel or process for an area it has seen
    skips rebuilding them (slow for a network, slower for every practice).
    Each is validated once, by its builder, and marked so (``attrs[VALIDATED]``)."""
    if name not in AREA_TABLES or not cache.enabled():
        return _build_bundled(name, context)
    # lazy: wfkit.data loads only when a run reads bundled tables
    from ..data.loader import fingerprint

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
        df = _mark(df, name)  # a frame read from disk is marked as its builder marked it
        while len(_MEMO) >= _MEMO_KEEP:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[key] = df
    return df.copy(deep=False)


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
    """Area codes a scenario selects: codes as given, ``all`` (every bundled area at
    ``level``) or an ``{codes|names|within}`` selection resolved against the bundled areas."""
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
    """Every input table of a variant (bundled or the user's CSVs) and the areas it
    models: resolved to codes when any table is bundled or the selection names bundled
    areas; with tables of its own only, ``all`` stays (every area of the population table)."""
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
            out[name] = (df, f"bundled:{name}")
        else:
            path = (base / ref.path).resolve()
            hint = (
                f"set inputs.{name}.encoding in the scenario (e.g. {{path: ..., encoding: cp1252}})"
            )
            out[name] = (read_csv_checked(path, spec, encoding=ref.encoding, hint=hint), str(path))
            if ref.encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
                log.info("table %s read from %s as %s", name, path, ref.encoding)
    if context is None and isinstance(v.areas, Mapping):
        areas = resolve_areas(v.areas, v.level, v.source)
    return out, areas


def parse_number(v: Any, where: str, column: str, row: int) -> tuple[float, float, float]:
    """``(value, lo, hi)`` of a number, an 80% interval ``[lo, hi]`` (value its midpoint)
    or ``[lo, value, hi]``; refuses an interval that does not hold its value."""
    if isinstance(v, list | tuple):
        lo, hi = float(v[0]), float(v[-1])
        value = float(v[1]) if len(v) == 3 else (lo + hi) / 2.0
        if not np.isfinite([lo, value, hi]).all():
            raise InputError(
                f"interval {short(v)} is not finite; expected numbers",
                source=where,
                row=row,
                column=column,
            )
        if lo > hi:
            raise InputError(
                f"interval lo={lo:g} > hi={hi:g}; expected lo <= hi",
                source=where,
                row=row,
                column=column,
            )
        if not lo <= value <= hi:
            raise InputError(
                f"value {value:g} lies outside its interval [{lo:g}, {hi:g}]; "
                "expected [lo, value, hi] with lo <= value <= hi",
                source=where,
                row=row,
                column=column,
            )
        return value, lo, hi
    if isinstance(v, str):
        raise InputError(
            f"value {short(v)} is not a number; expected a number or [lo, hi]",
            source=where,
            row=row,
            column=column,
        )
    if not np.isfinite(float(v)):
        raise InputError(
            f"value {float(v):g} is not finite; expected a number",
            source=where,
            row=row,
            column=column,
        )
    return float(v), np.nan, np.nan


def apply_overrides(
    tables: dict[str, tuple[pd.DataFrame, str]], overrides: Mapping[str, list], src: str
) -> None:
    """Upsert override rows into the tables (in place), checking keys and values."""
    value_col = {"population": "population", "supply": "fte"}
    for name, rows in overrides.items():
        df, origin = tables[name]
        spec = T.SPECS[name]
        keys = list(spec.key)
        where = f"{src}: overrides.{name}"
        numeric = list(SKILL_MIX_MODELS) if name == "skill_mix" else [value_col.get(name, "value")]
        # every row's key as strings once (not a column's astype(str) for each override
        # row), the rows each key names, and the new rows to append
        at: dict[tuple, list[int]] = {}
        columns = [df[k].astype(str).to_numpy() for k in keys]
        for j, key in enumerate(zip(*columns, strict=True)):
            at.setdefault(key, []).append(j)
        if not keys:
            at = {(): list(range(len(df)))} if len(df) else {}
        added: list[dict[str, str]] = []
        updates: dict[str, dict[int, Any]] = {}
        for i, row in enumerate(rows):
            bad = sorted(set(row) - set(keys) - set(numeric))
            if bad:
                raise InputError(
                    f"unknown key(s) {bad}; expected {keys + numeric}", source=where, row=i + 1
                )
            lacking = [k for k in keys if k not in row]
            if lacking:
                raise InputError(
                    f"missing key(s) {lacking}; expected {keys}", source=where, row=i + 1
                )
            key = tuple(str(row[k]) for k in keys)
            rows_at = at.get(key)
            if rows_at is None:
                rows_at = at[key] = [len(df) + len(added)]
                added.append({k: str(row[k]) for k in keys})
            for col in numeric:
                if col not in row:
                    continue
                val, lo, hi = parse_number(row[col], where, col, i + 1)
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
        df = df.copy()
        if added:
            df = pd.concat([df, pd.DataFrame(added)], ignore_index=True)
        for c, vals in updates.items():
            if c not in df.columns:
                df[c] = np.nan
            df.iloc[list(vals), df.columns.get_loc(c)] = list(vals.values())
        tables[name] = (validate_table(df, spec, source=f"{origin} + overrides"), origin)
