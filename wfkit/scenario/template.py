"""``wfkit template``: write an editable scenario workbook (Excel).

:func:`write_template` writes a workbook pre-filled with a scenario on the bundled data
(the ``default`` scenario unless told otherwise) and the bundled assumption tables with
their sources, in the layout :mod:`wfkit.scenario.workbook` declares and reads back: an
instructions sheet, a sheet per input, drop-down lists of roles, activities, areas and
choices (on a hidden sheet, as lists typed into a rule are capped at 255 characters) and
data validation on every number.  Every range, choice and word comes from the
declarations (:mod:`wfkit.settings`, :data:`wfkit.tables.SPECS`): none is typed here.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import settings as S
from .. import tables as T
from .._version import __version__
from ..errors import InputError, short
from ..validation import Column, Range
from .config import load_scenario
from .spec import ScenarioSpec
from .tables import resolve_areas
from .workbook import (
    AREAS_SHEET,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    SETTINGS_FIELDS,
    SETTINGS_SHEET,
    SHIFTS_SHEET,
    TABLE_SHEETS,
    VARIANT_FIELDS,
    VARIANTS_SHEET,
    area_spec,
    areas_at,
    bundled_lists,
    shift_spec,
    text_settings,
    variant_columns,
)

__all__ = ["EXTRA_ROWS", "number_rule", "write_template"]

#: blank rows below a table that carry its drop-downs and validation (for rows a user adds)
EXTRA_ROWS = 200
#: the most variants the Variants sheet's drop-down (on the Shifts sheet) offers
_MAX_VARIANTS = 50


def _excel_number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def number_rule(
    kind: str, lo: float | None, hi: float | None, open_lo: bool = False, cell: str = "A1"
) -> dict[str, Any]:
    """Return the data-validation rule of a number in ``[lo, hi]`` (``(lo, hi]`` with ``open_lo``).

    As openpyxl's ``DataValidation`` arguments: ``whole`` or ``decimal`` between the bounds,
    or a ``custom`` formula on ``cell`` (the range's top-left cell) where an end is open,
    which Excel's number rules cannot say.
    """
    typ = "whole" if kind == "int" else "decimal"
    if open_lo and lo is not None:
        parts = [f"ISNUMBER({cell})", f"{cell}>{_excel_number(lo)}"]
        if hi is not None:
            parts.append(f"{cell}<={_excel_number(hi)}")
        if kind == "int":
            parts.append(f"{cell}=INT({cell})")
        return {"type": "custom", "formula1": f"AND({','.join(parts)})"}
    if lo is not None and hi is not None:
        return {
            "type": typ,
            "operator": "between",
            "formula1": _excel_number(lo),
            "formula2": _excel_number(hi),
        }
    if lo is not None:
        return {"type": typ, "operator": "greaterThanOrEqual", "formula1": _excel_number(lo)}
    if hi is not None:
        return {"type": typ, "operator": "lessThanOrEqual", "formula1": _excel_number(hi)}
    return {"type": typ, "operator": "between", "formula1": "-1E+307", "formula2": "1E+307"}


class _Book:
    """A workbook being written: its sheets, its hidden lists, its validations."""

    def __init__(self) -> None:
        # lazy: openpyxl loads only when a workbook is written or read
        from openpyxl import Workbook

        self.wb = Workbook()
        self.lists = self.wb.active
        self.lists.title = LISTS_SHEET
        self._list_cols: dict[str, str] = {}

    def add_list(self, name: str, values: Sequence[Any]) -> str:
        """Put a list on the hidden sheet (a column headed ``name``); return its range."""
        # lazy: openpyxl loads only when a workbook is written or read
        from openpyxl.utils import get_column_letter

        j = len(self._list_cols) + 1
        letter = get_column_letter(j)
        self.lists.cell(1, j, name)
        for i, v in enumerate(values, start=2):
            self.lists.cell(i, j, v)
        ref = f"{_quote(LISTS_SHEET)}!${letter}$2:${letter}${max(len(values), 1) + 1}"
        self._list_cols[name] = ref
        return ref

    def list_ref(self, name: str) -> str:
        return self._list_cols[name]

    @staticmethod
    def validate(
        ws: Any,
        cells: str,
        rule: Mapping[str, Any],
        title: str,
        message: str,
        stop: bool = True,
    ) -> None:
        """Add a data validation to ``cells`` of ``ws`` with its prompt and error text."""
        # lazy: openpyxl loads only when a workbook is written or read
        from openpyxl.worksheet.datavalidation import DataValidation

        dv = DataValidation(
            **rule,
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorStyle="stop" if stop else "warning",
            errorTitle=title[:32],
            error=message[:255],
            promptTitle=title[:32],
            prompt=message[:255],
        )
        for part in cells.split():
            dv.add(part)
        ws.add_data_validation(dv)


def _quote(sheet: str) -> str:
    return f"'{sheet}'" if not sheet.isalnum() else sheet


def _header(ws: Any, names: Sequence[str], notes: Mapping[str, str], widths: Mapping[str, int]):
    # lazy: openpyxl loads only when a workbook is written or read
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for j, name in enumerate(names, start=1):
        c = ws.cell(1, j, name)
        c.font, c.fill = bold, fill
        if notes.get(name):
            c.comment = Comment(notes[name][:1000], "wfkit", width=320, height=140)
        ws.column_dimensions[get_column_letter(j)].width = widths.get(name, 14)
    ws.freeze_panes = "A2"


def _col_note(c: Column, rng: Range | None = None) -> str:
    rng = rng or (c.range if (c.min is not None or c.max is not None) else None)
    bits = [c.description or c.name]
    if c.unit:
        bits.append(f"({c.unit})")
    if rng is not None:
        bits.append(f"valid range {rng.text()}")
    if c.allowed is not None:
        bits.append("pick from the list")
    if not c.required or c.nullable:
        bits.append("may be left empty")
    return "; ".join(bits)


def _rule_for(c: Column, rng: Range, cell: str) -> dict[str, Any]:
    return number_rule(c.dtype, rng.lo, rng.hi, rng.lo_open, cell)


def _table_sheet(book: _Book, name: str, df: pd.DataFrame) -> None:
    """Write one assumption table on its sheet.

    A row per bundled row, drop-downs for its keys, each number's range from the table's
    spec (by parameter in a long table).
    """
    # lazy: openpyxl loads only when a workbook is written or read
    from openpyxl.utils import get_column_letter

    spec = T.SPECS[name]
    ws = book.wb.create_sheet(TABLE_SHEETS[name])
    cols = [c for c in spec.columns if c.name in df.columns]
    names = [c.name for c in cols]
    notes = {c.name: _col_note(c) for c in cols}
    if spec.param_ranges:
        for v in ("value", "lo", "hi"):
            if v in notes:
                notes[v] = f"{spec.column(v).description}; valid range by parameter (Instructions)"
    _header(ws, names, notes, {"source": 60, "notes": 40, "activity": 26, "role": 22})
    for i, row in enumerate(df[names].itertuples(index=False), start=2):
        for j, v in enumerate(row, start=1):
            ws.cell(i, j, _cell(v))
    last = len(df) + 1 + EXTRA_ROWS
    letter = {n: get_column_letter(j) for j, n in enumerate(names, start=1)}
    for key, listed in (("role", "roles"), ("activity", "activities"), ("parameter", name)):
        if key in letter:
            book.validate(
                ws,
                f"{letter[key]}2:{letter[key]}{last}",
                {"type": "list", "formula1": book.list_ref(listed)},
                key,
                f"Pick a {key} from the list.",
            )
    for c in cols:
        if c.dtype == "str":
            continue
        col = letter[c.name]
        if spec.param_ranges and c.name in ("value", "lo", "hi"):
            # each row checked against its own parameter's range; rows added below
            # against the widest (the column's)
            params = df["parameter"].astype(str).to_numpy()
            for p, rng in spec.param_ranges:
                rows = np.flatnonzero(params == p) + 2
                if len(rows):
                    cells = " ".join(f"{col}{r}" for r in rows)
                    book.validate(
                        ws,
                        cells,
                        _rule_for(c, rng, f"{col}{rows[0]}"),
                        f"{p} {c.name}",
                        f"{p}: {T.PARAMETER_RANGES[p].text()} ({_param_words(name, p)})",
                    )
            cells, first = f"{col}{len(df) + 2}:{col}{last}", f"{col}{len(df) + 2}"
        else:
            cells, first = f"{col}2:{col}{last}", f"{col}2"
        book.validate(ws, cells, _rule_for(c, c.range, first), c.name, _col_note(c))


def _param_words(table: str, parameter: str) -> str:
    return {
        "capacity": T.CAPACITY_PARAMETERS,
        "costs": T.COST_PARAMETERS,
        "flows": T.FLOW_PARAMETERS,
    }[table][parameter]


def _cell(v: Any) -> Any:
    """Return a value as a cell holds it: ``None`` for NaN, Python numbers for numpy ones."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, np.generic):
        v = v.item()
        return None if isinstance(v, float) and math.isnan(v) else v
    return v


def _setting_rule(book: _Book, s: S.Setting, cell: str) -> dict[str, Any] | None:
    if s.choices is not None:
        return {"type": "list", "formula1": book.list_ref(s.name)}
    if s.kind in (int, float):
        return number_rule("int" if s.kind is int else "float", s.lo, s.hi, s.open_lo, cell)
    return None


def _settings_sheet(book: _Book, config: Mapping[str, Any]) -> None:
    ws = book.wb.create_sheet(SETTINGS_SHEET, 1)
    names = ["setting", "value", "lo", "hi", "allowed", "meaning"]
    _header(
        ws,
        names,
        {
            "setting": "the scenario file's key (do not change)",
            "value": "the setting's value; empty = its default",
            "lo": "for a setting that may be uncertain: the 10th percentile of an 80% interval",
            "hi": "the 90th percentile of the 80% interval (give both lo and hi, or neither)",
        },
        {"setting": 28, "value": 34, "allowed": 44, "meaning": 100},
    )
    r = 2
    for key, words in text_settings().items():
        ws.cell(r, 1, key)
        ws.cell(r, 2, str(config.get(key, "")) or None)
        ws.cell(r, 5, "text" + (" (required)" if key == "name" else ""))
        ws.cell(r, 6, words)
        r += 1
    for f in SETTINGS_FIELDS:
        s = f.setting
        value = _get(config, f.key, s.default)
        ws.cell(r, 1, f.name)
        if isinstance(value, list | tuple):
            lo, hi = value[0], value[-1]
            ws.cell(r, 3, lo)
            ws.cell(r, 4, hi)
            if len(value) == 3:
                ws.cell(r, 2, value[1])
        else:
            ws.cell(r, 2, value)
        ws.cell(r, 5, s.expected.removeprefix("expected "))
        ws.cell(r, 6, s.help + (" Empty: the default." if s.default is None else ""))
        rule = _setting_rule(book, s, f"B{r}")
        if rule is not None:
            book.validate(ws, f"B{r}", rule, s.label or s.name, f"{s.help} ({s.expected})")
            if s.interval:
                book.validate(ws, f"C{r}:D{r}", _setting_rule(book, s, f"C{r}"), s.name, s.expected)
        r += 1


def _get(config: Mapping[str, Any], key: tuple[str, ...], default: Any) -> Any:
    x: Any = config
    for k in key:
        if not isinstance(x, Mapping) or k not in x:
            return default
        x = x[k]
    return x


def _areas_sheet(book: _Book, codes: Sequence[str], level: str, areas: pd.DataFrame) -> None:
    ws = book.wb.create_sheet(AREAS_SHEET, 2)
    _header(
        ws,
        ["area", "code"],
        {
            "area": f"an area's name or code at level {level} (Settings), one a row; "
            "'all' for every area at the level",
            "code": "the code of the area named in column A (worked out; not read)",
        },
        {"area": 44, "code": 14},
    )
    names = dict(zip(areas["area"], areas["area_name"], strict=True))
    for i, code in enumerate(codes, start=2):
        ws.cell(i, 1, names.get(code, code))
    last = len(codes) + 1 + EXTRA_ROWS
    names_ref, codes_ref = book.list_ref("area_name"), book.list_ref("area")
    for i in range(2, last + 1):
        ws.cell(i, 2, f'=IFERROR(INDEX({codes_ref},MATCH(A{i},{names_ref},0)),"")')
    book.validate(
        ws,
        f"A2:A{last}",
        {"type": "list", "formula1": book.list_ref("area_choice")},
        "area",
        f"Pick an area at level {level} by name (or type its code, or 'all'). A name two "
        "areas share needs the code.",
        stop=False,  # a code, or an area at another level after changing the level
    )


def _variants_sheet(book: _Book, variants: Sequence[Mapping[str, Any]]) -> None:
    # lazy: openpyxl loads only when a workbook is written or read
    from openpyxl.utils import get_column_letter

    ws = book.wb.create_sheet(VARIANTS_SHEET)
    cols = variant_columns()
    names = [c.name for c in cols]
    notes = {c.name: _col_note(c) + "; empty: the baseline's" for c in cols}
    notes["name"] = "the variant's name (not 'baseline'); its rows on Shifts use it"
    _header(ws, names, notes, {"name": 22, "description": 60})
    for i, v in enumerate(variants, start=2):
        ws.cell(i, 1, v["name"])
        ws.cell(i, 2, v.get("description"))
        j = 3
        for f in VARIANT_FIELDS:
            value = _get(v, f.key, None)
            if f.setting.interval:
                if isinstance(value, list | tuple):
                    ws.cell(i, j + 1, value[0])
                    ws.cell(i, j + 2, value[-1])
                    value = value[1] if len(value) == 3 else None
                ws.cell(i, j, value)
                j += 3
            else:
                ws.cell(i, j, value)
                j += 1
    last = 1 + _MAX_VARIANTS
    for j, c in enumerate(cols, start=1):
        col = get_column_letter(j)
        setting = next((f.setting for f in VARIANT_FIELDS if c.name.split(" ")[0] == f.name), None)
        if setting is None:
            continue
        rule = _setting_rule(book, setting, f"{col}2")
        if rule is not None:
            book.validate(ws, f"{col}2:{col}{last}", rule, c.name, _col_note(c))


def _shifts_sheet(book: _Book, shifts: Sequence[tuple[str, Mapping[str, Any]]]) -> None:
    ws = book.wb.create_sheet(SHIFTS_SHEET)
    spec = shift_spec([], [])
    names = [c.name for c in spec.columns]
    notes = {c.name: _col_note(c) for c in spec.columns}
    notes["variant"] = "the variant (Variants sheet) the shift belongs to, or 'baseline'"
    _header(ws, names, notes, {"variant": 22, "activity": 26})
    r = 2
    for variant, s in shifts:
        for to, part in s["to"].items():
            for j, v in enumerate(
                (variant, s["activity"], s["from"], to, part, s["fraction"]), start=1
            ):
                ws.cell(r, j, v)
            r += 1
    last = r - 1 + EXTRA_ROWS
    book.validate(
        ws,
        f"A2:A{last}",
        {"type": "list", "formula1": f"{VARIANTS_SHEET}!$A$2:$A${1 + _MAX_VARIANTS}"},
        "variant",
        "Pick a variant named on the Variants sheet.",
        stop=False,  # 'baseline' too
    )
    for letter, listed in (("B", "activities"), ("C", "roles"), ("D", "roles")):
        book.validate(
            ws,
            f"{letter}2:{letter}{last}",
            {"type": "list", "formula1": book.list_ref(listed)},
            names["BCD".index(letter) + 1],
            "Pick from the list.",
        )
    for letter, c in (("E", spec.column("part")), ("F", spec.column("fraction"))):
        book.validate(
            ws,
            f"{letter}2:{letter}{last}",
            _rule_for(c, c.range, f"{letter}2"),
            c.name,
            c.description,
        )


def _instructions(book: _Book, level: str, source: str) -> None:
    # lazy: openpyxl loads only when a workbook is written or read
    from openpyxl.styles import Alignment, Font

    ws = book.wb.create_sheet(INSTRUCTIONS_SHEET, 0)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 120
    lines: list[tuple[str, str]] = [
        ("wfkit scenario workbook", ""),
        (
            "made by",
            f"wfkit {__version__} on {date.today().isoformat()} from {source}, with the "
            f"bundled assumption tables and areas at level {level}",
        ),
        (
            "use it",
            "Change values in the white cells (drop-down lists and ranges guide you), save, "
            "then: wfkit validate THIS.xlsx  and  wfkit run THIS.xlsx --out DIR. In Python: "
            "wfkit.run_scenario('THIS.xlsx'). An error names the sheet, row and column.",
        ),
        (
            "tables",
            "Each table sheet holds a bundled table with its sources. A row you change "
            "replaces that row of the bundled table for the baseline and every variant "
            "(docs/scenarios.md, 'overrides'); a row you add is added. Do not delete a "
            "bundled row: set a share to 0 instead. Every other input (population, growth, "
            "prevalence, contacts, staff in post, flows) is bundled for the areas chosen.",
        ),
        (
            "intervals",
            "Where a table or setting has lo and hi, they are an 80% interval: the 10th and "
            "90th percentiles around the value (the median). Give both or neither.",
        ),
        ("", ""),
        (SETTINGS_SHEET, "One setting a row: its allowed values and meaning are beside it."),
        (AREAS_SHEET, area_spec().description + " " + area_spec().column("area").description),
        (
            VARIANTS_SHEET,
            "Named variants of the baseline; an empty cell keeps the baseline's value.",
        ),
        (SHIFTS_SHEET, shift_spec([], []).description),
    ]
    for name, sheet in TABLE_SHEETS.items():
        spec = T.SPECS[name]
        lines.append((sheet, spec.description))
        for c in spec.columns:
            if c.name in ("unit", "source", "source_year", "notes", "description"):
                continue
            lines.append((f"  {c.name}", _col_note(c)))
        if spec.param_ranges:
            for p, rng in spec.param_ranges:
                lines.append((f"  {p}", f"{_param_words(name, p)}; valid range {rng.text()}"))
    lines.append(
        (
            "",
            "Each activity's shares on 'Who does what' sum to 1, today (current) and in the "
            "future model (future). Each role's absence days stay below its working days.",
        )
    )
    for i, (a, b) in enumerate(lines, start=1):
        ws.cell(i, 1, a).font = Font(bold=not a.startswith("  "))
        ws.cell(i, 2, b).alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = Font(bold=True, size=14)


def _resolve_template_areas(areas: Sequence[str] | None, level: str) -> list[str]:
    # lazy: wfkit.data loads only when a workbook is written or read
    from .. import data

    codes: list[str] = []
    for a in areas or ():
        try:
            found = data.select_areas(code=a, level=level)
        except InputError:
            found = data.select_areas(name=a, level=level)
        codes += [c for c in found["area"] if c not in codes]
    return codes


def _new_workbook_path(path: str | os.PathLike[str]) -> Path:
    """Return ``path`` as a workbook wfkit may write: ``.xlsx``, new, in an existing folder."""
    out = Path(path)
    if out.suffix.lower() != ".xlsx":
        raise InputError("expected a file name ending .xlsx", source=str(out))
    if out.exists() or out.is_symlink():
        raise InputError(
            "already exists; wfkit does not replace a file: choose another name or remove it",
            source=str(out),
        )
    if not out.parent.is_dir():
        raise InputError("its folder does not exist", source=str(out))
    return out


#: what a workbook holds besides the Settings sheet's fields (areas, tables, variants, shifts)
_HELD = frozenset({"name", "description", "level", "areas", "inputs", "variants", "skill_mix"})
_HELD_IN_VARIANT = frozenset({"name", "description", "skill_mix"})
#: settings a workbook cannot hold yet, named even though the schema allows them
_NOT_HELD = frozenset({"overrides", "activities", "unmet_demand"})


def _not_held(config: Mapping[str, Any]) -> list[str]:
    """Keys of a scenario mapping a workbook cannot hold, as the file writes them."""
    top = _HELD | {f.key[0] for f in SETTINGS_FIELDS}
    var = _HELD_IN_VARIANT | {f.key[0] for f in VARIANT_FIELDS}
    keys = [k for k in config if k in _NOT_HELD or k not in top]
    for i, v in enumerate(config.get("variants", [])):
        keys += [f"variants[{i}].{k}" for k in v if k in _NOT_HELD or k not in var]
    return keys


def _check_holdable(sc: ScenarioSpec, config: Mapping[str, Any], asked: str | None) -> None:
    """Refuse a scenario with settings a workbook cannot hold, rather than drop them.

    Those are its own tables, a grouping file as its level (neighbourhoods), and every key
    neither the Settings, Areas, Variants nor Shifts sheet holds: overrides,
    ``activities``, ``unmet_demand``, ``moved_in``, ``placements``, ``community_roles`` and
    a variant's tables.  One line names the scenario file and the first such key.
    """
    own = [t for t, ref in sc.baseline.inputs.items() if not ref.bundled]
    keys = [f"inputs.{t}" for t in own] + _not_held(config)
    if keys:
        raise InputError(
            f"a workbook cannot hold {', '.join(keys)} (it holds the bundled tables, the "
            "settings, areas, variants and shifts); expected a scenario without them: run "
            "the scenario file itself (docs/scenarios.md, Excel template)",
            source=sc.source,
            key=keys[0],
        )
    level = asked or sc.baseline.level
    if S.LEVEL.beyond is not None and S.LEVEL.beyond(level):
        a = config.get("areas")
        given = "areas.groups" if isinstance(a, Mapping) and "groups" in a else "level"
        file = asked or (a["groups"] if given == "areas.groups" else config.get("level", level))
        raise InputError(
            f"{short(str(file))}: a workbook cannot hold a grouping file as its level "
            f"(neighbourhoods you draw); expected one of {', '.join(S.LEVELS)}: run a "
            "scenario file with the grouping instead (docs/neighbourhoods.md)",
            source=sc.source if asked is None else "wfkit template --level",
            key=given if asked is None else None,
        )


def write_template(
    path: str | os.PathLike[str],
    areas: Sequence[str] | None = None,
    level: str | None = None,
    scenario: ScenarioSpec | str | os.PathLike[str] | Mapping[str, Any] = "default",
) -> Path:
    """Write an editable scenario workbook pre-filled with a scenario on the bundled data.

    Parameters
    ----------
    path
        The ``.xlsx`` file to write; it must not exist (wfkit never replaces a file).
    areas
        Area codes or names at ``level`` (default: the scenario's areas).
    level
        The level of the areas (default: the scenario's, else ``pcn``).
    scenario
        The scenario whose settings and variants pre-fill the workbook (a bundled
        scenario's name, a YAML path or a mapping); its tables must all be bundled.

    Returns
    -------
    pathlib.Path
        The workbook written.

    Raises
    ------
    InputError
        If the file exists or is not ``.xlsx``, an area is unknown, or the scenario has
        settings a workbook cannot hold.
    """
    out = _new_workbook_path(path)
    sc = scenario if isinstance(scenario, ScenarioSpec) else load_scenario(scenario)
    config = sc.to_mapping()
    src = str(sc.path.name) if sc.path else "a scenario"
    _check_holdable(sc, config, level)
    level = level or sc.baseline.level
    S.LEVEL.raise_problem(level)
    codes = _resolve_template_areas(areas, level) if areas else None
    if codes is None and level != sc.baseline.level:
        raise InputError(
            f"the scenario's areas are at level {sc.baseline.level}; expected the areas to "
            f"model at level {level} (--area)",
            key="areas",
        )
    if codes is None:
        if sc.baseline.areas == "all":
            codes = ["all"]
        elif isinstance(sc.baseline.areas, tuple):
            codes = list(sc.baseline.areas)
        else:
            codes = resolve_areas(sc.baseline.areas, level, sc.source)
    config["level"] = level
    bundled = bundled_lists()
    area_list = areas_at(level)
    book = _Book()
    book.add_list("roles", bundled.roles)
    book.add_list("role_label", [bundled.role_labels.get(r, "") for r in bundled.roles])
    book.add_list("activities", bundled.activities)
    book.add_list("activity_description", [bundled.activity_words[a] for a in bundled.activities])
    for name, params in (("capacity", T.CAPACITY_PARAMETERS), ("costs", T.COST_PARAMETERS)):
        book.add_list(name, list(params))
    for f in SETTINGS_FIELDS:
        if f.setting.choices is not None:
            book.add_list(f.setting.name, list(f.setting.choices))
    book.add_list("area", list(area_list["area"]))
    book.add_list("area_name", list(area_list["area_name"]))
    names = list(dict.fromkeys(area_list["area_name"]))
    book.add_list("area_choice", [*names, *area_list["area"], "all"])
    _settings_sheet(book, config)
    _areas_sheet(book, codes, level, area_list)
    for name in TABLE_SHEETS:
        _table_sheet(book, name, bundled.tables[name])
    variants = config.get("variants", [])
    _variants_sheet(book, variants)
    shifts = [("baseline", s) for s in _get(config, ("skill_mix", "shifts"), [])]
    shifts += [(v["name"], s) for v in variants for s in _get(v, ("skill_mix", "shifts"), [])]
    _shifts_sheet(book, shifts)
    _instructions(book, level, src)
    book.lists.sheet_state = "hidden"
    book.wb.move_sheet(LISTS_SHEET, offset=len(book.wb.sheetnames))
    book.wb.active = 0
    # written beside the file, then renamed into place: never a half-written workbook
    tmp = out.with_name(f".{out.stem}.{os.getpid()}.wfkit-tmp.xlsx")
    try:
        book.wb.save(tmp)
        if out.exists():
            raise InputError(
                "appeared while the workbook was written; not replaced", source=str(out)
            )
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out
