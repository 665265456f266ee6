"""Scenarios in Excel: the layout of a scenario workbook, and reading one back.

A workbook made by ``wfkit template`` (:mod:`wfkit.scenario.template`) holds a scenario on
the bundled data: a sheet per input (settings, areas, who does what, minutes per contact,
working time, costs, variants and their shifts of work).  This module declares that layout
(the sheets, the settings a row of Settings or a column of Variants holds, the columns of
Areas and Shifts), all derived: the settings' types, choices, ranges and words come from
their declarations (:mod:`wfkit.settings`), the tables' columns and ranges from
:data:`wfkit.tables.SPECS`, the keys a variant may change from
:data:`wfkit.scenario.schema.VARIANT_KEYS` (read from the published schema it generates:
importing the schema's module here would close an import cycle through
:func:`wfkit.load_scenario`, which reads workbooks through this module).

:func:`read_workbook` turns a workbook into the scenario mapping a YAML file gives: the
settings, ``areas: {codes: [...]}``, every input ``bundled``, variants, and each edited
row of a table as a row of ``overrides`` (a bundled table's row changed in place; a new
key adds a row), so a workbook runs through the one path a YAML file takes
(:func:`wfkit.load_scenario` reads ``.xlsx`` files through here, then checks the mapping
against the schema).  Each sheet is checked with :func:`wfkit.validation.validate_table`
first, so an error names the file, the sheet, the spreadsheet row and the column.
"""

from __future__ import annotations

import json
import math
import os
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import settings as S
from .. import tables as T
from ..errors import InputError, short
from ..input_files import check_input_file
from ..validation import (
    Column,
    TableSpec,
    check_shares_sum,
    validate_table,
)

__all__ = [
    "WORKBOOK_SUFFIXES",
    "TABLE_SHEETS",
    "SETTINGS_SHEET",
    "AREAS_SHEET",
    "VARIANTS_SHEET",
    "SHIFTS_SHEET",
    "LISTS_SHEET",
    "INSTRUCTIONS_SHEET",
    "SETTINGS_FIELDS",
    "VARIANT_FIELDS",
    "SettingField",
    "BundledLists",
    "bundled_lists",
    "areas_at",
    "area_spec",
    "shift_spec",
    "text_settings",
    "variant_columns",
    "read_workbook",
]

#: file names :func:`wfkit.load_scenario` reads as a workbook
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")

#: the tables a workbook edits, each on a sheet named in words (the rest stay bundled)
TABLE_SHEETS: dict[str, str] = {
    "skill_mix": "Who does what",
    "minutes": "Minutes per contact",
    "capacity": "Working time",
    "costs": "Costs",
}
INSTRUCTIONS_SHEET = "Instructions"
SETTINGS_SHEET = "Settings"
AREAS_SHEET = "Areas"
VARIANTS_SHEET = "Variants"
SHIFTS_SHEET = "Shifts"
LISTS_SHEET = "Lists"


@dataclass(frozen=True)
class SettingField:
    """A scalar setting of a scenario file at ``key`` (``("skill_mix", "model")``)."""

    key: tuple[str, ...]
    setting: S.Setting

    @property
    def name(self) -> str:
        """The key as a Settings row names it: ``skill_mix.model``."""
        return ".".join(self.key)


def _published_schema() -> dict[str, Any]:
    """Read the scenario JSON Schema as published.

    That is ``wfkit/schemas/scenario.schema.json``, generated from the declarations by
    :mod:`wfkit.scenario.schema`.
    """
    text = resources.files("wfkit").joinpath("schemas/scenario.schema.json").read_text("utf-8")
    return json.loads(text)


_SCHEMA = _published_schema()
#: the keys a variant may change (the schema's ``variant``, made from ``VARIANT_KEYS``)
_VARIANT_KEYS = frozenset(_SCHEMA["definitions"]["variant"]["properties"]) - {"name", "description"}

#: the scalar settings the Settings sheet holds, one a row, in the declarations' order
SETTINGS_FIELDS: tuple[SettingField, ...] = (
    *(SettingField((s.name,), s) for s in S.SCENARIO_SETTINGS),
    *(
        SettingField(("skill_mix", s.name), s)
        for s in (S.SKILL_MIX_MODEL, S.TRANSITION_START, S.TRANSITION_YEARS)
    ),
)
#: the scalar settings a variant may change: the Variants sheet's columns
VARIANT_FIELDS: tuple[SettingField, ...] = tuple(
    f for f in SETTINGS_FIELDS if f.key[0] in _VARIANT_KEYS
)


def text_settings() -> dict[str, str]:
    """``name`` and ``description`` of a scenario (described in the schema only)."""
    return {
        "name": _SCHEMA["properties"]["name"]["description"],
        "description": "What the scenario is for (free text).",
    }


def _column(setting: S.Setting, name: str | None = None) -> Column:
    """Return a setting as an optional column of a sheet (Variants): type, range, choices."""
    dtype = {int: "int", float: "float"}.get(setting.kind, "str")
    return Column(
        name or setting.name,
        dtype,
        required=False,
        nullable=True,
        min=setting.lo,
        max=setting.hi,
        min_open=setting.open_lo,
        allowed=frozenset(setting.choices) if setting.choices is not None else None,
        description=setting.help,
    )


def variant_columns() -> tuple[Column, ...]:
    """Return the Variants sheet's columns: name, description, each variant setting."""
    cols = [
        Column("name", "str", description="the variant's name (not 'baseline')"),
        Column("description", "str", required=False, nullable=True),
    ]
    for f in VARIANT_FIELDS:
        cols.append(_column(f.setting, f.name))
        if f.setting.interval:
            cols += [
                _column(f.setting, f"{f.name} lo"),
                _column(f.setting, f"{f.name} hi"),
            ]
    return tuple(cols)


def shift_spec(roles: Sequence[str], activities: Sequence[str]) -> TableSpec:
    """Return the Shifts sheet's spec: a row per receiving role of a shift (``to``, ``part``)."""
    frac, part = S.SHIFT_FRACTION, S.SHIFT_PART
    return TableSpec(
        "shifts",
        (
            Column("variant", "str", description="the variant the shift belongs to"),
            Column("activity", "str", allowed=frozenset(activities)),
            Column("from", "str", allowed=frozenset(roles), description="the role giving work"),
            Column("to", "str", allowed=frozenset(roles), description="a role taking work"),
            Column("part", "float", min=part.lo, max=part.hi, description=part.help),
            Column("fraction", "float", min=frac.lo, max=frac.hi, description=frac.help),
        ),
        description="Work moved between roles in a variant's future model: rows of one "
        "variant, activity, 'from' role and fraction are one shift, each row a receiving role "
        "and the part of the moved work it takes (the parts sum to 1).",
    )


def area_spec() -> TableSpec:
    """Return the Areas sheet's spec: one area a row."""
    return TableSpec(
        "areas",
        (Column("area", "str", description="an area's name or code at the level, or 'all'"),),
        allow_extra=True,
        description="The areas modelled, one a row (each is a row of the results).",
    )


def _with_lists(spec: TableSpec, roles: Sequence[str], activities: Sequence[str]) -> TableSpec:
    """Return a table's spec with its role and activity columns limited to the known ones."""
    allowed = {"role": frozenset(roles), "activity": frozenset(activities)}
    cols = tuple(
        replace(c, allowed=allowed[c.name]) if c.name in allowed else c for c in spec.columns
    )
    return replace(spec, columns=cols)


# ----------------------------------------------------------------------------------------
# the bundled values a template starts from
# ----------------------------------------------------------------------------------------
@dataclass
class BundledLists:
    """The bundled tables and lists a workbook is made from and checked against."""

    tables: dict[str, pd.DataFrame]
    roles: list[str]
    role_labels: dict[str, str]
    activities: list[str]
    activity_words: dict[str, str]


def bundled_lists() -> BundledLists:
    """Load the bundled tables a workbook shows and the roles and activities it lists."""
    # lazy: wfkit.data loads only when a workbook is written or read
    from .. import data

    tables = {name: data.load(name) for name in TABLE_SHEETS}
    acts = data.load("activities")
    roles = list(dict.fromkeys(tables["capacity"]["role"].astype(str)))
    return BundledLists(
        tables=tables,
        roles=roles,
        role_labels=data.role_labels(),
        activities=list(acts["activity"].astype(str)),
        activity_words=dict(
            zip(acts["activity"].astype(str), acts["description"].fillna(""), strict=True)
        ),
    )


def areas_at(level: str) -> pd.DataFrame:
    """Return every bundled area at ``level``: ``area`` (code) and ``area_name``."""
    # lazy: wfkit.data loads only when a workbook is written or read
    from .. import data

    return data.select_areas(level=level)[["area", "area_name"]]


# ----------------------------------------------------------------------------------------
# reading
# ----------------------------------------------------------------------------------------
@dataclass
class _Sheet:
    """A sheet as read: its rows (blank ones left out) and where each came from."""

    source: str
    frame: pd.DataFrame
    rows: list[int]
    letters: dict[str, str]

    @contextmanager
    def located(self) -> Iterator[None]:
        """Errors about this sheet's frame named by the spreadsheet row and cell."""
        try:
            yield
        except InputError as exc:
            if exc.source != self.source:
                raise
            row = self.rows[exc.row - 2] if exc.row and exc.row - 2 < len(self.rows) else None
            cell = self.letters.get(exc.column or "")
            where = f" (cell {cell}{row})" if cell and row else ""
            raise InputError(
                exc.detail + where, source=self.source, row=row, column=exc.column
            ) from None

    def error(self, i: int, column: str | None, message: str) -> InputError:
        """Return an error at the ``i``-th row of the frame, naming its sheet row and cell."""
        row = self.rows[i]
        cell = self.letters.get(column or "")
        where = f" (cell {cell}{row})" if cell else ""
        return InputError(message + where, source=self.source, row=row, column=column)


def _sheet(wb: Any, title: str, file: str) -> _Sheet:
    """Read the table on sheet ``title``: the header in row 1, a row a record."""
    # lazy: openpyxl loads only when a workbook is written or read
    from openpyxl.utils import get_column_letter

    source = f"{file}, sheet '{title}'"
    if title not in wb.sheetnames:
        raise InputError(
            f"no sheet '{title}'; expected the sheets of a wfkit template ({', '.join(_SHEETS)})",
            source=file,
        )
    it = wb[title].iter_rows(values_only=True)
    head = next(it, None) or ()
    names: list[str | None] = [
        str(h).strip() if h is not None and str(h).strip() else None for h in head
    ]
    data, rows = [], []
    for r, row in enumerate(it, start=2):
        cells = [None if isinstance(c, str) and not c.strip() else c for c in row]
        cells += [None] * (len(names) - len(cells))
        if all(c is None for c in cells):
            continue
        for j, c in enumerate(cells):
            if c is not None and (j >= len(names) or names[j] is None):
                raise InputError(
                    f"a value under no column header (cell {get_column_letter(j + 1)}{r}); "
                    "expected values only in the table's columns",
                    source=source,
                    row=r,
                )
        data.append([c.strip() if isinstance(c, str) else c for c in cells[: len(names)]])
        rows.append(r)
    keep = [j for j, n in enumerate(names) if n is not None]
    cols = [names[j] for j in keep]
    dups = sorted({c for c in cols if cols.count(c) > 1})
    if dups:
        raise InputError(f"column(s) {dups} given twice; expected each once", source=source, row=1)
    frame = pd.DataFrame([[d[j] for j in keep] for d in data], columns=cols, dtype=object)
    letters = {names[j]: get_column_letter(j + 1) for j in keep}  # type: ignore[misc]
    return _Sheet(source, frame, rows, letters)


_SHEETS = (
    SETTINGS_SHEET,
    AREAS_SHEET,
    *TABLE_SHEETS.values(),
    VARIANTS_SHEET,
    SHIFTS_SHEET,
)


def _scalar(s: S.Setting, value: Any) -> tuple[Any, str | None]:
    """Return a cell's value as setting ``s`` takes it, and what is wrong with it (or ``None``)."""
    if s.kind is int and isinstance(value, float) and value.is_integer():
        value = int(value)
    if s.kind is str and isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    ok, value = s.typed(value)
    if not ok:
        return value, f"{short(value)} is not valid; {s.expected}"
    msg = s.problem(value)
    return value, (f"{short(value)}: {msg}" if msg else None)


def _settings(wb: Any, file: str) -> dict[str, Any]:
    sheet = _sheet(wb, SETTINGS_SHEET, file)
    df = sheet.frame
    for col in ("setting", "value"):
        if col not in df.columns:
            raise InputError(f"no column '{col}' in row 1", source=sheet.source, row=1)
    fields = {f.name: f for f in SETTINGS_FIELDS}
    text = text_settings()
    out: dict[str, Any] = {}
    seen: dict[str, int] = {}
    for i, row in enumerate(df.to_dict("records")):
        key = row["setting"]
        key = str(key) if key is not None else None
        if key is None or (key not in fields and key not in text):
            raise sheet.error(
                i,
                "setting",
                f"unknown setting {short(key)}; expected one of {short([*text, *fields], 200)}",
            )
        if key in seen:
            raise sheet.error(i, "setting", f"{key} given twice (first on row {seen[key]})")
        seen[key] = sheet.rows[i]
        value, lo, hi = row["value"], row.get("lo"), row.get("hi")
        if key in text:
            if value is not None:
                out[key] = str(value)
            continue
        value = _setting_value(sheet, i, fields[key].setting, value, lo, hi)
        if key == S.LEVEL.name and value is not None and value not in S.LEVELS:
            # a grouping file (neighbourhoods) has no Areas list here: refused, not dropped
            raise sheet.error(
                i,
                "value",
                f"{short(value)}: a workbook holds areas at a published level, not a grouping "
                f"file; expected one of {', '.join(S.LEVELS)} (a scenario file takes the "
                "grouping: docs/neighbourhoods.md)",
            )
        if value is not None:
            _put(out, fields[key].key, value)
    if not out.get("name"):
        row = seen.get("name")
        raise InputError(
            "the scenario needs a name; expected text in column 'value'",
            source=sheet.source,
            row=row,
            column="value",
        )
    return out


def _setting_value(sheet: Any, i: int, s: Any, value: Any, lo: Any, hi: Any) -> Any:
    """Return one setting row's value.

    A number or text, ``[lo, value, hi]`` for an interval, or ``None`` when the row leaves
    it empty; an error names the row and the column.
    """
    if (lo is not None or hi is not None) and not s.interval:
        col = "lo" if lo is not None else "hi"
        raise sheet.error(i, col, f"{s.name} takes no interval; expected lo and hi empty")
    parts = []
    for col, x in (("lo", lo), ("value", value), ("hi", hi)):
        if x is None:
            continue
        x, msg = _scalar(s, x)
        if msg:
            raise sheet.error(i, col, msg)
        parts.append(x)
    if lo is not None or hi is not None:
        if lo is None or hi is None:
            raise sheet.error(
                i, "lo" if lo is None else "hi", "expected both lo and hi, or neither"
            )
        return parts
    return None if value is None else parts[0]


def _put(config: dict[str, Any], key: tuple[str, ...], value: Any) -> None:
    for k in key[:-1]:
        config = config.setdefault(k, {})
    config[key[-1]] = value


def _areas(wb: Any, file: str, level: str) -> str | dict[str, list[str]]:
    sheet = _sheet(wb, AREAS_SHEET, file)
    with sheet.located():
        df = validate_table(sheet.frame, area_spec(), sheet.source)
    if len(df) and (df["area"].str.lower() == "all").any():
        if len(df) > 1:
            i = int(np.flatnonzero(df["area"].str.lower() == "all")[0])
            raise sheet.error(i, "area", "'all' with other areas; expected 'all' alone")
        return "all"
    known = areas_at(level)
    by_code = {c.upper(): c for c in known["area"]}
    by_name: dict[str, list[str]] = {}
    for c, n in zip(known["area"], known["area_name"], strict=True):
        by_name.setdefault(str(n).strip().lower(), []).append(c)
    codes: list[str] = []
    for i, a in enumerate(df["area"]):
        found = [by_code[a.upper()]] if a.upper() in by_code else by_name.get(a.lower(), [])
        if not found:
            raise sheet.error(
                i,
                "area",
                f"unknown area {short(a)} at level {level}; expected a name or code from the "
                "drop-down list",
            )
        if len(found) > 1:
            raise sheet.error(
                i,
                "area",
                f"{len(found)} areas are named {short(a)} ({', '.join(found)}); "
                "expected one of their codes",
            )
        codes += [c for c in found if c not in codes]
    return {"codes": codes}


def _table_overrides(wb: Any, file: str, name: str, bundled: BundledLists) -> list[dict[str, Any]]:
    """Check a table sheet; return its rows that differ from the bundled table.

    Each is an ``overrides`` row (a new key adds a row).
    """
    sheet = _sheet(wb, TABLE_SHEETS[name], file)
    spec = _with_lists(T.SPECS[name], bundled.roles, bundled.activities)
    with sheet.located():
        df = validate_table(sheet.frame, spec, sheet.source)
        if name == "skill_mix":
            check_shares_sum(df, "activity", list(S.SKILL_MIX_MODELS), sheet.source)
        if name == "capacity":
            T.check_working_year(df, sheet.source)
    base = bundled.tables[name]
    keys = list(spec.key)
    numeric = list(S.SKILL_MIX_MODELS) if name == "skill_mix" else ["value", "lo", "hi"]
    numeric = [c for c in numeric if c in df.columns or c in base.columns]
    at = {tuple(map(str, k)): j for j, k in enumerate(base[keys].itertuples(index=False))}
    given = set()
    out: list[dict[str, Any]] = []
    for row in df.to_dict("records"):
        key = tuple(str(row[k]) for k in keys)
        given.add(key)
        new = {c: _num(row.get(c)) for c in numeric}
        j = at.get(key)
        old = {c: _num(base[c].iloc[j]) for c in numeric} if j is not None else None
        if old is not None and all(_same(new[c], old[c]) for c in numeric):
            continue
        over: dict[str, Any] = dict(zip(keys, key, strict=True))
        if name == "skill_mix":
            over.update({c: new[c] for c in numeric if old is None or not _same(new[c], old[c])})
        elif math.isnan(new["lo"]):
            over["value"] = new["value"]
        else:
            over["value"] = [new["lo"], new["value"], new["hi"]]
        out.append(over)
    missing = [k for k in at if k not in given]
    if missing:
        raise InputError(
            f"no row for {dict(zip(keys, missing[0], strict=True))} ({len(missing)} bundled "
            "row(s) missing); expected every bundled row: change a value (a share to 0) "
            "rather than delete the row",
            source=sheet.source,
        )
    return out


def _num(x: Any) -> float:
    return float("nan") if x is None or pd.isna(x) else float(x)


def _same(a: float, b: float) -> bool:
    """Tell whether two numbers are equal (NaN equals NaN).

    Within 1e-12 relative, so a workbook re-saved by another spreadsheet (which may write a
    float's shortest digits) still matches.
    """
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)


def _variants(wb: Any, file: str) -> tuple[list[dict[str, Any]], _Sheet]:
    sheet = _sheet(wb, VARIANTS_SHEET, file)
    spec = TableSpec("variants", variant_columns(), key=("name",))
    if sheet.frame.empty:
        return [], sheet
    with sheet.located():
        df = validate_table(sheet.frame, spec, sheet.source)
    out = []
    for i, row in enumerate(df.to_dict("records")):
        if row["name"] == "baseline":
            raise sheet.error(
                i, "name", "'baseline' is the scenario itself; give the variant another name"
            )
        v: dict[str, Any] = {"name": row["name"]}
        if row.get("description") is not None:
            v["description"] = row["description"]
        for f in VARIANT_FIELDS:
            x = row.get(f.name)
            x = None if x is None or (isinstance(x, float) and math.isnan(x)) else x
            if f.setting.interval:
                lo, hi = (row.get(f"{f.name} {e}") for e in ("lo", "hi"))
                lo = None if lo is None or math.isnan(lo) else float(lo)
                hi = None if hi is None or math.isnan(hi) else float(hi)
                if (lo is None) != (hi is None):
                    col = f"{f.name} lo" if lo is None else f"{f.name} hi"
                    raise sheet.error(i, col, "expected both lo and hi, or neither")
                if lo is not None:
                    x = [lo, float(x), hi] if x is not None else [lo, hi]
            if x is not None:
                _put(v, f.key, int(x) if f.setting.kind is int else x)
        out.append(v)
    return out, sheet


def _shifts(
    wb: Any, file: str, bundled: BundledLists, variants: Sequence[str]
) -> list[tuple[str, dict[str, Any]]]:
    """Read the Shifts sheet as ``(variant, shift)`` pairs in order.

    Consecutive rows of one variant, activity, 'from' role and fraction make one shift.
    """
    sheet = _sheet(wb, SHIFTS_SHEET, file)
    if sheet.frame.empty:
        return []
    with sheet.located():
        df = validate_table(
            sheet.frame, shift_spec(bundled.roles, bundled.activities), sheet.source
        )
    out: list[tuple[str, dict[str, Any]]] = []
    last = None
    for i, row in enumerate(df.to_dict("records")):
        if row["variant"] not in variants:
            raise sheet.error(
                i,
                "variant",
                f"unknown variant {short(row['variant'])}; expected 'baseline' or a name on "
                f"the {VARIANTS_SHEET} sheet",
            )
        head = (row["variant"], row["activity"], row["from"], row["fraction"])
        if head != last:
            out.append(
                (
                    row["variant"],
                    {
                        "activity": row["activity"],
                        "from": row["from"],
                        "to": {},
                        "fraction": float(row["fraction"]),
                    },
                )
            )
            last = head
        to = out[-1][1]["to"]
        if row["to"] in to:
            raise sheet.error(i, "to", f"role {row['to']!r} given twice for this shift")
        to[row["to"]] = float(row["part"])
    return out


def read_workbook(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read the scenario mapping a workbook made by ``wfkit template`` holds.

    Every sheet is checked first (types, ranges, drop-down values, shares summing to 1),
    an error naming the file, sheet, spreadsheet row and column; the mapping is then what a
    YAML file gives: :func:`wfkit.load_scenario` checks it against the schema.

    Raises
    ------
    InputError
        If the file is not a workbook or a sheet breaks its rules.
    """
    # lazy: openpyxl loads only when a workbook is written or read
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    p = Path(path)
    check_input_file(p, "an Excel workbook (.xlsx) made by 'wfkit template'")
    file = str(p)
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(
            f"not an Excel workbook ({short(str(exc))}); expected an .xlsx file", source=file
        ) from None
    try:
        config = _settings(wb, file)
        level = config.get("level", S.LEVEL.default)
        config["areas"] = _areas(wb, file, level)
        config["inputs"] = dict.fromkeys(_INPUTS, "bundled")
        bundled = bundled_lists()
        overrides = {
            name: rows
            for name in TABLE_SHEETS
            if (rows := _table_overrides(wb, file, name, bundled))
        }
        if overrides:
            config["overrides"] = overrides
        variants, _ = _variants(wb, file)
        names = ["baseline", *(v["name"] for v in variants)]
        for variant, shift in _shifts(wb, file, bundled, names):
            target = config if variant == "baseline" else variants[names.index(variant) - 1]
            target.setdefault("skill_mix", {}).setdefault("shifts", []).append(shift)
        if variants:
            config["variants"] = variants
    except zipfile.BadZipFile as exc:  # pragma: no cover - a damaged part inside the file
        raise InputError(f"a damaged workbook ({exc})", source=file) from None
    finally:
        wb.close()
    return config


#: every input table, bundled (as the default scenario names them)
_INPUTS = (
    "population",
    "growth",
    *[t for t in T.INPUT_TABLES if t not in ("population", "growth")],
)
