"""The Excel scenario template (``wfkit template``) and reading it back (``validate``/``run``
on ``.xlsx``): its sheets and drop-downs, validation equal to the declared ranges, values
equal to the bundled tables, a round trip equal to the YAML run, and bad edits named by
sheet, row and column."""

from __future__ import annotations

import copy
import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import wfkit.data as wd
from tests.default_scenario import DEFAULT
from wfkit import settings as S
from wfkit import tables as T
from wfkit.cli import main
from wfkit.errors import InputError
from wfkit.scenario import load_scenario, run_scenario
from wfkit.scenario.config import bundled_scenarios
from wfkit.scenario.template import write_template
from wfkit.scenario.workbook import (
    AREAS_SHEET,
    LISTS_SHEET,
    SETTINGS_SHEET,
    SHIFTS_SHEET,
    TABLE_SHEETS,
    VARIANTS_SHEET,
    read_workbook,
)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The default template, written once (tests copy it before editing)."""
    return write_template(tmp_path_factory.mktemp("tpl") / "scenario.xlsx")


@pytest.fixture
def book(template, tmp_path) -> Path:
    """A copy of the template to edit."""
    return Path(shutil.copy(template, tmp_path / "edited.xlsx"))


def _edit(path: Path, sheet: str, edits: dict[str, object]) -> None:
    """Change cells of one sheet as a user would, with openpyxl."""
    wb = openpyxl.load_workbook(path)
    for cell, value in edits.items():
        wb[sheet][cell] = value
    wb.save(path)


def _row_of(path: Path, sheet: str, **match: str) -> int:
    """The spreadsheet row whose header-named cells equal ``match``."""
    ws = openpyxl.load_workbook(path, read_only=True)[sheet]
    rows = ws.iter_rows(values_only=True)
    head = list(next(rows))
    for r, row in enumerate(rows, start=2):
        if all(row[head.index(k)] == v for k, v in match.items()):
            return r
    raise AssertionError(f"no row {match} on {sheet}")


def _letter(path: Path, sheet: str, column: str) -> str:
    ws = openpyxl.load_workbook(path, read_only=True)[sheet]
    head = list(next(ws.iter_rows(values_only=True)))
    return openpyxl.utils.get_column_letter(head.index(column) + 1)


# ----------------------------------------------------------------------------------------
# what the template holds
# ----------------------------------------------------------------------------------------
def test_sheets_and_hidden_lists(template):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames[0] == "Instructions"
    for sheet in (SETTINGS_SHEET, AREAS_SHEET, *TABLE_SHEETS.values(), VARIANTS_SHEET):
        assert sheet in wb.sheetnames
    assert wb[LISTS_SHEET].sheet_state == "hidden"
    col = {
        c[0]: [v for v in c[1:] if v is not None]
        for c in wb[LISTS_SHEET].iter_cols(values_only=True)
    }
    assert col["roles"] == list(dict.fromkeys(wd.load("capacity")["role"]))
    assert col["activities"] == list(wd.load("activities")["activity"])
    assert col["level"] == list(S.LEVELS)
    assert col["calibration"] == list(S.CALIBRATIONS)
    assert set(col["area"]) == set(wd.select_areas(level="pcn")["area"])
    # every drop-down reads a list on the hidden sheet: none inline (Excel caps those at
    # 255 characters, and the role list alone is longer)
    n_lists = 0
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            if dv.type == "list":
                n_lists += 1
                assert not dv.formula1.startswith('"'), (ws.title, dv.formula1)
                assert dv.formula1.split("!")[0].strip("'") in (LISTS_SHEET, VARIANTS_SHEET)
    assert n_lists >= 10
    # the role and activity columns of every table sheet carry their drop-downs
    for sheet in TABLE_SHEETS.values():
        ws = wb[sheet]
        head = [c.value for c in ws[1]]
        for key, listed in (("role", "roles"), ("activity", "activities")):
            if key not in head:
                continue
            cell = f"{openpyxl.utils.get_column_letter(head.index(key) + 1)}{ws.max_row + 1}"
            dvs = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
            assert len(dvs) == 1 and dvs[0].type == "list", (sheet, key)
            letter = openpyxl.utils.get_column_letter(list(col).index(listed) + 1)
            assert dvs[0].formula1.startswith(f"{LISTS_SHEET}!${letter}$2:"), (sheet, key)


def _rule(dv) -> tuple[float | None, float | None, bool]:
    """``(lo, hi, lo_open)`` a data validation allows, read from its Excel form (written
    here without wfkit's help, to check the writer against the declarations)."""
    if dv.type == "custom":
        lo = re.search(r"[A-Z]+\d+>(-?[\d.eE+]+)", dv.formula1)
        hi = re.search(r"[A-Z]+\d+<=(-?[\d.eE+]+)", dv.formula1)
        return float(lo.group(1)), float(hi.group(1)) if hi else None, True
    assert dv.type in ("whole", "decimal")
    if dv.operator == "between":
        return float(dv.formula1), float(dv.formula2), False
    assert dv.operator == "greaterThanOrEqual", dv.operator
    return float(dv.formula1), None, False


def _dv_at(ws, cell: str):
    found = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    assert len(found) == 1, (ws.title, cell, found)
    return found[0]


def test_validation_ranges_equal_the_declared_ones(template):
    wb = openpyxl.load_workbook(template)
    for name, sheet in TABLE_SHEETS.items():
        ws, spec = wb[sheet], T.SPECS[name]
        head = [c.value for c in ws[1]]
        for col in spec.columns:
            if col.dtype == "str" or col.name not in head:
                continue
            letter = openpyxl.utils.get_column_letter(head.index(col.name) + 1)
            # a row added below the bundled ones: the column's declared range
            dv = _dv_at(ws, f"{letter}{ws.max_row + 1}")
            assert _rule(dv) == (col.min, col.max, col.min_open), (sheet, col.name)
            if spec.param_ranges and col.name in ("value", "lo", "hi"):
                # each bundled row: its parameter's declared range
                j = head.index("parameter")
                for r in range(2, ws.max_row + 1):
                    p = ws.cell(r, j + 1).value
                    if p is None:
                        break
                    rng = T.PARAMETER_RANGES[p]
                    dv = _dv_at(ws, f"{letter}{r}")
                    assert _rule(dv) == (rng.lo, rng.hi, rng.lo_open), (sheet, r, col.name)
    ws = wb[SETTINGS_SHEET]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    checked = 0
    for s in S.SCENARIO_SETTINGS + (S.SKILL_MIX_MODEL, S.TRANSITION_START, S.TRANSITION_YEARS):
        key = s.name if s in S.SCENARIO_SETTINGS else f"skill_mix.{s.name}"
        dv = _dv_at(ws, f"B{rows[key]}")
        if s.choices is not None:
            assert dv.type == "list"
            letter = re.match(rf"{LISTS_SHEET}!\$([A-Z]+)\$2", dv.formula1).group(1)
            listed = [c.value for c in wb[LISTS_SHEET][letter][1:] if c.value is not None]
            assert listed == list(s.choices), key
        else:
            assert dv.type == ("whole" if s.kind is int else "decimal"), key
            assert _rule(dv) == (s.lo, s.hi, s.open_lo), key
        checked += 1
    assert checked == len(S.SCENARIO_SETTINGS) + 3
    # the Shifts sheet: the declared ranges of a shift's fraction and part
    ws = wb[SHIFTS_SHEET]
    assert _rule(_dv_at(ws, "E50")) == (S.SHIFT_PART.lo, S.SHIFT_PART.hi, False)
    assert _rule(_dv_at(ws, "F50")) == (S.SHIFT_FRACTION.lo, S.SHIFT_FRACTION.hi, False)


def test_variant_columns_are_the_keys_a_variant_may_change():
    from wfkit.scenario.schema import VARIANT_KEYS
    from wfkit.scenario.workbook import SETTINGS_FIELDS, VARIANT_FIELDS

    assert VARIANT_FIELDS == tuple(f for f in SETTINGS_FIELDS if f.key[0] in VARIANT_KEYS)
    policy = {"gp_training_places", "arrs_growth", "arrs_gps"}  # supply policy (issue 21)
    assert {f.key[0] for f in VARIANT_FIELDS} == {
        "growth_rate",
        "calibration",
        "skill_mix",
    } | policy


def test_prefilled_values_equal_the_bundled_tables(template):
    for name, sheet in TABLE_SHEETS.items():
        got = pd.read_excel(template, sheet_name=sheet, engine="openpyxl")
        want = wd.load(name)
        assert list(got.columns) == [c.name for c in T.SPECS[name].columns if c.name in want]
        for c in got.columns:
            if pd.api.types.is_numeric_dtype(want[c]):
                np.testing.assert_array_equal(got[c].to_numpy(float), want[c].to_numpy(float))
            else:
                text = [None if pd.isna(x) else str(x) for x in got[c]]
                assert text == [None if pd.isna(x) else str(x) for x in want[c]], (sheet, c)
    # the sources are there, beside the values
    got = pd.read_excel(template, sheet_name=TABLE_SHEETS["minutes"], engine="openpyxl")
    assert got["source"].str.contains("PSSRU").any()


def test_untouched_template_is_the_default_scenario(template):
    """Read back unchanged, the workbook is the bundled default scenario: same settings,
    areas and variants, and no overrides."""
    config = read_workbook(template)
    assert "overrides" not in config
    got, want = load_scenario(template), load_scenario("default")
    assert got.variant_names == want.variant_names
    for a, b in zip(got.variants, want.variants, strict=True):
        # (a cell's text is read without the line break YAML's '>' leaves at its end)
        b = dataclasses.replace(b, description=b.description.strip())
        assert dataclasses.replace(a, path=None) == dataclasses.replace(b, path=None)


def test_template_for_other_areas(tmp_path):
    out = write_template(
        tmp_path / "icb.xlsx", areas=["QKK", "NHS North Central London ICB"], level="icb"
    )
    config = read_workbook(out)
    assert config["level"] == "icb"
    assert sorted(config["areas"]["codes"]) == sorted(
        {
            *wd.select_areas(code="QKK", level="icb")["area"],
            *wd.select_areas(name="NHS North Central London ICB", level="icb")["area"],
        }
    )
    # the area drop-down lists the areas at that level
    lists = openpyxl.load_workbook(out)[LISTS_SHEET]
    head = [c.value for c in lists[1]]
    j = head.index("area") + 1
    codes = {lists.cell(r, j).value for r in range(2, lists.max_row + 1)} - {None}
    assert codes == set(wd.select_areas(level="icb")["area"])
    with pytest.raises(InputError, match="expected the areas to model at level icb"):
        write_template(tmp_path / "y.xlsx", level="icb")
    with pytest.raises(InputError, match="Nowhere"):
        write_template(tmp_path / "x.xlsx", areas=["Nowhere at all"])


def test_never_replaces_a_file(template, tmp_path):
    target = tmp_path / "mine.xlsx"
    target.write_bytes(b"my own work")
    with pytest.raises(InputError, match="already exists"):
        write_template(target)
    assert target.read_bytes() == b"my own work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.xlsx"]


# ----------------------------------------------------------------------------------------
# round trip: template -> edit -> run equals the YAML run of the same scenario
# ----------------------------------------------------------------------------------------
def _edit_like_a_user(path: Path) -> None:
    settings = {r: _row_of(path, SETTINGS_SHEET, setting=r) for r in ("draws", "horizon")}
    _edit(path, SETTINGS_SHEET, {f"B{settings['draws']}": 0, f"B{settings['horizon']}": 5})
    sm = TABLE_SHEETS["skill_mix"]
    fut = _letter(path, sm, "future")
    gp = _row_of(path, sm, activity="same_day_minor_illness", role="gp")
    anp = _row_of(path, sm, activity="same_day_minor_illness", role="anp")
    _edit(path, sm, {f"{fut}{gp}": 0.25, f"{fut}{anp}": 0.25})
    costs = TABLE_SHEETS["costs"]
    r = _row_of(path, costs, role="gp", parameter="salary")
    _edit(
        path,
        costs,
        {
            f"{_letter(path, costs, 'value')}{r}": 160000,
            f"{_letter(path, costs, 'lo')}{r}": 140000,
            f"{_letter(path, costs, 'hi')}{r}": 180000,
        },
    )
    r = _row_of(path, VARIANTS_SHEET, name="future_model")
    _edit(
        path,
        VARIANTS_SHEET,
        {f"{_letter(path, VARIANTS_SHEET, 'skill_mix.transition_years')}{r}": 3},
    )
    _edit(path, SHIFTS_SHEET, {"F2": 0.4, "F3": 0.4})


def _same_in_yaml() -> dict:
    """The edits above, written as a YAML scenario would give them."""
    import yaml

    config = yaml.safe_load(bundled_scenarios()["default"].read_text("utf-8"))
    config.update(draws=0, horizon=5)
    config["overrides"] = {
        "skill_mix": [
            {"activity": "same_day_minor_illness", "role": "gp", "future": 0.25},
            {"activity": "same_day_minor_illness", "role": "anp", "future": 0.25},
        ],
        "costs": [{"role": "gp", "parameter": "salary", "value": [140000, 160000, 180000]}],
    }
    config["variants"][0]["skill_mix"]["transition_years"] = 3
    config["variants"][1]["skill_mix"]["shifts"][0]["fraction"] = 0.4
    return config


def test_round_trip_run_equals_the_yaml_run(book, tmp_path):
    _edit_like_a_user(book)
    got = run_scenario(book)
    want = run_scenario(_same_in_yaml())
    a, b = got.to_frame(), want.to_frame()
    pd.testing.assert_frame_equal(a, b)
    # and the edits took: the default scenario (5 years, no draws) differs in cost
    base = run_scenario(dict(copy.deepcopy(_same_in_yaml()), overrides={}))
    cost = base.to_frame()
    cost = cost[(cost.measure == "cost_gbp") & (cost.role == "gp")]["value"].to_numpy()
    mine = a[(a.measure == "cost_gbp") & (a.role == "gp")]["value"].to_numpy()
    assert np.all(mine > cost * 1.05)


def test_cli_template_validate_run(tmp_path, capsys):
    path = tmp_path / "s.xlsx"
    assert main(["template", str(path), "--area", "North Southwark PCN"]) == 0
    assert "wfkit validate" in capsys.readouterr().out
    _edit(path, SETTINGS_SHEET, {f"B{_row_of(path, SETTINGS_SHEET, setting='draws')}": 0})
    assert main(["validate", str(path)]) == 0
    assert "valid (3 scenario(s)" in capsys.readouterr().out
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out)]) == 0
    assert (out / "results.csv").exists()
    assert path.exists()  # the workbook is an input: never touched
    assert main(["template", str(path)]) == 2
    assert "already exists" in capsys.readouterr().err


# ----------------------------------------------------------------------------------------
# bad edits: one line naming the file, sheet, row and column
# ----------------------------------------------------------------------------------------
def _error(path: Path) -> str:
    with pytest.raises(InputError) as err:
        load_scenario(path)
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith(str(path)), msg
    return msg


def test_share_above_one(book):
    sm = TABLE_SHEETS["skill_mix"]
    r = _row_of(book, sm, activity="same_day_minor_illness", role="gp")
    _edit(book, sm, {f"{_letter(book, sm, 'current')}{r}": 1.5})
    msg = _error(book)
    assert f"sheet '{sm}', row {r}, column 'current'" in msg
    assert "above the maximum 1" in msg


def test_shares_not_summing_to_one(book):
    sm = TABLE_SHEETS["skill_mix"]
    r = _row_of(book, sm, activity="same_day_minor_illness", role="anp")
    _edit(book, sm, {f"{_letter(book, sm, 'future')}{r}": 0.5})
    msg = _error(book)
    assert f"sheet '{sm}', row" in msg and "column 'future'" in msg and "sum to" in msg


def test_unknown_role(book):
    sheet = TABLE_SHEETS["minutes"]
    r = _row_of(book, sheet, activity="same_day_minor_illness", role="anp")
    _edit(book, sheet, {f"{_letter(book, sheet, 'role')}{r}": "gpp"})
    msg = _error(book)
    assert f"sheet '{sheet}', row {r}, column 'role': unknown value 'gpp'" in msg


def test_text_in_a_number_cell(book):
    sheet = TABLE_SHEETS["capacity"]
    r = _row_of(book, sheet, role="gp", parameter="hours_per_week")
    _edit(book, sheet, {f"{_letter(book, sheet, 'value')}{r}": "thirty"})
    msg = _error(book)
    assert f"sheet '{sheet}', row {r}, column 'value': non-numeric value 'thirty'" in msg


def test_row_numbers_survive_blank_rows(book):
    """A blank row left in a table is skipped, and later rows keep their own numbers."""
    sheet = TABLE_SHEETS["minutes"]
    wb = openpyxl.load_workbook(book)
    ws = wb[sheet]
    for c in ws[3]:
        c.value = None
    wb.save(book)
    # the blank row lost a bundled row: named by its key
    assert "no row for" in _error(book)
    value = _letter(book, sheet, "value")
    _edit(book, sheet, {f"{value}10": -4})
    msg = _error(book)
    assert "row 10, column 'value'" in msg and f"(cell {value}10)" in msg


def test_parameter_range_by_row(book):
    sheet = TABLE_SHEETS["capacity"]
    r = _row_of(book, sheet, role="gp", parameter="cas_fraction")
    _edit(book, sheet, {f"{_letter(book, sheet, 'value')}{r}": 0.95})
    msg = _error(book)
    assert f"row {r}, column 'value': cas_fraction value 0.95 is above the maximum 0.9" in msg


def test_bad_settings(book):
    r = _row_of(book, SETTINGS_SHEET, setting="horizon")
    _edit(book, SETTINGS_SHEET, {f"B{r}": "ten"})
    msg = _error(book)
    assert f"sheet '{SETTINGS_SHEET}', row {r}, column 'value'" in msg
    assert S.HORIZON.expected in msg
    _edit(book, SETTINGS_SHEET, {f"B{r}": 80})
    assert S.HORIZON.expected in _error(book)
    _edit(book, SETTINGS_SHEET, {f"B{r}": 10})
    r = _row_of(book, SETTINGS_SHEET, setting="calibration")
    _edit(book, SETTINGS_SHEET, {f"B{r}": "regional"})
    assert f"row {r}, column 'value': 'regional': {S.CALIBRATION.expected}" in _error(book)


def test_unknown_area_and_variant(book):
    _edit(book, AREAS_SHEET, {"A3": "Atlantis PCN"})
    msg = _error(book)
    assert f"sheet '{AREAS_SHEET}', row 3, column 'area': unknown area 'Atlantis PCN'" in msg
    _edit(book, AREAS_SHEET, {"A3": None})
    _edit(book, SHIFTS_SHEET, {"A3": "future_pluss_shift"})
    msg = _error(book)
    assert f"sheet '{SHIFTS_SHEET}', row 3, column 'variant'" in msg


def test_not_a_workbook(tmp_path):
    bad = tmp_path / "notes.xlsx"
    bad.write_text("name,value\n")
    assert "not an Excel workbook" in _error(bad)
    wb = openpyxl.Workbook()
    wb.save(tmp_path / "other.xlsx")
    assert "no sheet 'Settings'" in _error(tmp_path / "other.xlsx")


def test_cli_error_is_one_line(book, capsys):
    sheet = TABLE_SHEETS["minutes"]
    _edit(book, sheet, {f"{_letter(book, sheet, 'value')}2": 2000})
    assert main(["validate", str(book)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert f"sheet '{sheet}', row 2, column 'value': value 2000 is above the maximum 1440" in err


# ----------------------------------------------------------------------------------------
# a workbook re-saved by LibreOffice reads back the same
# ----------------------------------------------------------------------------------------
@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: `make libreoffice` installs it",
)
def test_libreoffice_resave_reads_back_the_same(book, tmp_path):
    _edit_like_a_user(book)
    out = tmp_path / "lo"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(book),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    resaved = out / book.name
    assert resaved.exists()
    assert read_workbook(resaved) == read_workbook(book)
    assert openpyxl.load_workbook(resaved)[LISTS_SHEET].sheet_state == "hidden"


# ----------------------------------------------------------------------------------------
# what a workbook cannot hold is refused in one line, never dropped
# ----------------------------------------------------------------------------------------
_MOVED_IN = {
    "activity": "community_dermatology",
    "per_1000": {"all": 9},
    "start_year": 2027,
    "ramp_up_years": 3,
    "minutes_per_contact": 20,
    "replaces": 0.8,
    "cost_per_attendance": 150,
    "cost_source": "test",
    "delivered_by": [{"role": "gp", "share": 1.0}],
}


def _cannot_hold(tmp_path: Path, change) -> InputError:
    import yaml

    (tmp_path / "groups.csv").write_text(
        "group,group_name,pcn\nN1,Bankside and Borough,U06180\n", encoding="utf-8"
    )
    sc = yaml.safe_load(DEFAULT.read_text(encoding="utf-8"))
    change(sc)
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(sc), encoding="utf-8")
    load_scenario(path)  # a valid scenario file: only the workbook refuses it
    with pytest.raises(InputError) as err:
        write_template(tmp_path / "s.xlsx", scenario=str(path))
    assert "\n" not in str(err.value) and str(err.value).startswith(str(path))
    assert not (tmp_path / "s.xlsx").exists()
    return err.value


def _groups(sc: dict) -> None:
    sc.pop("level")
    sc["areas"] = {"groups": "groups.csv"}


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda sc: sc.update(moved_in=[_MOVED_IN]), "moved_in"),
        (lambda sc: sc["variants"][1].update(moved_in=[_MOVED_IN]), "variants[1].moved_in"),
        (lambda sc: sc.update(placements={"gp_registrar": 2}), "placements"),
        (
            lambda sc: sc["variants"][0].update(placements={"gp_registrar": 2}),
            "variants[0].placements",
        ),
        (lambda sc: sc.update(community_roles={"district_nurse": 3}), "community_roles"),
        (
            lambda sc: sc["variants"][0].update(community_roles={"district_nurse": 3}),
            "variants[0].community_roles",
        ),
        (lambda sc: sc.update(unmet_demand={"gp": 0.05}), "unmet_demand"),
    ],
)
def test_settings_a_workbook_cannot_hold_are_refused_by_key(tmp_path, change, key):
    err = _cannot_hold(tmp_path, change)
    assert err.key == key
    assert f"a workbook cannot hold {key} " in str(err)


@pytest.mark.parametrize(
    ("change", "key"),
    [(_groups, "areas.groups"), (lambda sc: sc.update(level="groups.csv"), "level")],
)
def test_a_grouping_file_as_the_level_is_refused(tmp_path, change, key):
    err = _cannot_hold(tmp_path, change)
    assert err.key == key
    assert "'groups.csv': a workbook cannot hold a grouping file as its level" in str(err)


def test_a_grouping_file_asked_for_or_typed_in_is_refused(tmp_path, book, capsys):
    groups = tmp_path / "groups.csv"
    groups.write_text("group,pcn\nN1,U06180\n", encoding="utf-8")
    target = tmp_path / "n.xlsx"
    with pytest.raises(InputError) as e:
        write_template(target, areas=["N1"], level=str(groups))
    assert str(e.value).startswith("wfkit template --level: ") and "\n" not in str(e.value)
    assert "cannot hold a grouping file as its level" in str(e.value) and not target.exists()
    with pytest.raises(SystemExit):  # the command line's --level lists the published levels
        main(["template", str(target), "--level", str(groups), "--area", "N1"])
    assert "invalid choice" in capsys.readouterr().err and not target.exists()
    # typed into the Settings sheet of a workbook: its row and column, not a later failure
    r = _row_of(book, SETTINGS_SHEET, setting="level")
    _edit(book, SETTINGS_SHEET, {f"B{r}": str(groups)})
    msg = _error(book)
    assert f"sheet '{SETTINGS_SHEET}', row {r}, column 'value'" in msg
    assert "not a grouping file; expected one of practice, pcn" in msg
