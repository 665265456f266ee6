"""Every setting is declared once (wfkit/settings.py) and every front door derives from it:
the scenario schema, the use-case and notebook parameters, the command line and sliders."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import wfkit
from wfkit import settings as S
from wfkit.errors import InputError

pytestmark = pytest.mark.unit

PACKAGE = Path(wfkit.__file__).parent
GENERATED = {"_scenario_validator.py"}


def _declarations() -> list[S.Setting]:
    return [v for v in vars(S).values() if isinstance(v, S.Setting)]


def _sources() -> list[Path]:
    return [
        p
        for p in sorted(PACKAGE.rglob("*.py"))
        if p.name not in GENERATED and p != PACKAGE / "settings.py"
    ]


def test_choices_are_written_in_one_place_only():
    """No tuple, list or set of strings elsewhere in the package repeats a setting's choices
    (a second copy drifts: the schema and the notebooks once disagreed)."""
    choices = {frozenset(s.choices): s.name for s in _declarations() if s.choices}
    found = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Tuple | ast.List | ast.Set):
                continue
            elts = node.elts
            if len(elts) < 2 or not all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in elts
            ):
                continue
            key = frozenset(e.value for e in elts)
            if key in choices:
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {choices[key]}")
    assert not found, f"choices written again outside wfkit/settings.py: {found}"


def test_scenario_settings_are_declared_in_settings_only():
    """No ``Setting(...)`` outside wfkit/settings.py declares a scenario setting's name."""
    names = {s.name for s in S.SCENARIO_SETTINGS} | {"transition_years", "area"}
    found = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Setting"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value in names
            ):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.args[0].value}")
    assert not found, found


def _root(s: S.Setting) -> S.Setting:
    while s.parent is not None:
        s = s.parent
    return s


def test_use_case_parameters_are_the_scenario_settings():
    """The use cases' common parameters that a scenario file has too are the scenario's
    declarations (a use case may only change the default), and the schema says the same."""
    from wfkit.scenario.schema import build_schema
    from wfkit.usecases import params

    props = build_schema()["properties"]
    by_name = {s.name: s for s in S.SCENARIO_SETTINGS}
    shared = [p for p in params.COMMON if p.name in by_name]
    assert {p.name for p in shared} == set(by_name)
    for p in shared:
        assert _root(p) is by_name[p.name], p.name
        assert (p.lo, p.hi, p.choices) == (by_name[p.name].lo, by_name[p.name].hi, p.choices)
        if "minimum" in props[p.name]:
            assert (props[p.name]["minimum"], props[p.name].get("maximum")) == (p.lo, p.hi)
        if p.choices and p.beyond is None:
            assert props[p.name]["enum"] == list(p.choices)
        elif p.choices:  # level: a published level, or a grouping file (anyOf)
            assert props[p.name]["anyOf"][0]["enum"] == list(p.choices)


def test_sliders_narrow_the_declared_range_and_name_it():
    from wfkit import widgets

    for name in widgets.SLIDERS:
        s = widgets.slider_setting(name)
        declared = wfkit.usecases.params.setting(name)
        assert s is declared or s.parent is declared, name
        assert not declared.outside(s.lo) and not declared.outside(s.hi), name


def test_a_narrowing_that_widens_is_refused():
    with pytest.raises(ValueError, match="outside"):
        S.HORIZON.narrow(hi=99)
    assert S.HORIZON.narrow(hi=25).parent is S.HORIZON


def test_messages_come_from_the_declared_range():
    assert S.HORIZON.expected == "expected 1 to 50 years"
    assert S.DRAWS.expected == "expected 0 to 100,000 draws"
    assert S.GROWTH_RATE.expected == "expected an annual rate in [-0.1, 0.1]"
    with pytest.raises(InputError, match="horizon = 51: expected 1 to 50 years"):
        S.HORIZON.coerce(51)
    with pytest.raises(InputError, match="expected a int"):
        S.HORIZON.coerce("ten")


def test_command_line_limits_are_the_declared_ones(capsys):
    from wfkit.cli import main

    too_many = S.DRAWS.hi + 1
    assert main(["run", "example", "--out", "x", "--draws", str(int(too_many))]) == 2
    assert S.DRAWS.expected in capsys.readouterr().err
