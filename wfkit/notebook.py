"""Notebook helpers: check a notebook's parameters, write its results for pipelines.

A use-case notebook declares its parameters in one cell tagged ``parameters`` as typed
literals (``horizon: int = 10  # years ahead``).  papermill injects overrides in a cell
that starts ``# Parameters`` and only *warns* about names the notebook does not declare;
:func:`check_parameters`, called in the next cell, fails instead, naming the unknown or
bad parameter and listing the allowed ones.

:func:`save_outputs` writes the results (CSV), the parameters and a log to one folder,
whole or not at all, through wfkit's one safe writer (:mod:`wfkit.outputs`).
"""

from __future__ import annotations

import ast
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import InputError

__all__ = [
    "RULES",
    "check_parameters",
    "injected_names",
    "output_path",
    "save_outputs",
]

_LEVELS = ("practice", "pcn", "sub_icb", "icb", "region")


def _fraction(v: Any) -> str | None:
    return None if 0.0 <= v <= 1.0 else "expected a fraction between 0 and 1"


#: checks on parameter values by name (or name suffix ``*_fraction``, ``*_part``,
#: ``*_minutes``); each returns a message or ``None``
RULES: dict[str, Any] = {
    "area": lambda v: None if v.strip() else "expected an area code or name",
    "level": lambda v: None if v in _LEVELS else f"expected one of {list(_LEVELS)}",
    "base_year": lambda v: None if 2018 <= v <= 2040 else "expected a year in 2018-2040",
    "horizon": lambda v: None if 1 <= v <= 25 else "expected 1 to 25 years",
    "draws": lambda v: None if 0 <= v <= 5000 else "expected 0 to 5000 draws",
    "seed": lambda v: None if v >= 0 else "expected a seed >= 0",
    "growth_rate": lambda v: (
        None if -0.05 <= v <= 0.1 else "expected an annual rate in [-0.05, 0.1]"
    ),
    "transition_years": lambda v: None if 0 <= v <= 25 else "expected 0 to 25 years",
    "minutes_change": lambda v: (
        None if -0.9 < v <= 3 else "expected a relative change in (-0.9, 3]"
    ),
    "output_dir": lambda v: _output_dir_problem(v),
    "target_level": lambda v: None if 0 < v < 1 else "expected a level strictly between 0 and 1",
    "session_hours": lambda v: None if 0 < v <= 12 else "expected hours in (0, 12]",
    "frailty_overlap": lambda v: None if 0 <= v <= 5 else "expected a ratio in [0, 5]",
    "calibration": lambda v: (
        None if v in ("none", "national", "local") else "expected none, national or local"
    ),
}
_SUFFIX_RULES = {
    "_fraction": _fraction,
    "_part": _fraction,
    "_minutes": lambda v: None if 0 < v <= 240 else "expected minutes in (0, 240]",
    "_hours": lambda v: None if 0 <= v <= 40 else "expected hours a week in [0, 40]",
    "_days": lambda v: None if 0 <= v <= 60 else "expected days a year in [0, 60]",
}
_PAPERMILL_HEADER = "# Parameters"


def injected_names(history: Iterable[str]) -> list[str]:
    """Names assigned in cells papermill injected (sources starting ``# Parameters``).

    ``history`` is the kernel's input history (IPython's ``In``).
    """
    names: list[str] = []
    for src in history:
        if not isinstance(src, str) or not src.lstrip().startswith(_PAPERMILL_HEADER):
            continue
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, ast.AnnAssign | ast.AugAssign):
                targets = [node.target]
            for t in targets:
                if isinstance(t, ast.Name) and t.id not in names:
                    names.append(t.id)
    return names


def _type_ok(value: Any, kind: Any) -> tuple[bool, Any]:
    """Whether ``value`` fits the declared type (ints pass as floats); the value to use."""
    if kind is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return True, float(value)
        return False, value
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool), value
    if isinstance(kind, type):
        return isinstance(value, kind), value
    return True, value


def _rule(name: str) -> Any:
    if name in RULES:
        return RULES[name]
    for suffix, rule in _SUFFIX_RULES.items():
        if name.endswith(suffix):
            return rule
    return None


def check_parameters(
    namespace: Mapping[str, Any],
    declared: Mapping[str, Any] | None = None,
    injected: Iterable[str] | None = None,
) -> dict[str, Any]:
    """Check a notebook's parameters; return them as a dict.

    Parameters
    ----------
    namespace
        The notebook's ``globals()``.
    declared
        ``{name: type}`` of the parameters; default the annotations of the ``parameters``
        cell (``namespace["__annotations__"]``).
    injected
        Names papermill injected; default those assigned in the kernel's history
        (``namespace["In"]``) in cells starting ``# Parameters``.

    Raises
    ------
    InputError
        Naming every unknown parameter (with the allowed ones), or the first parameter of
        the wrong type or out of range (with what was expected).
    """
    if declared is None:
        declared = dict(namespace.get("__annotations__", {}))
    if not declared:
        raise InputError(
            "no parameters declared; expected typed literals (name: type = value) in the "
            "cell tagged 'parameters'",
            column="parameters",
        )
    if injected is None:
        injected = injected_names(namespace.get("In", []))
    unknown = [n for n in injected if n not in declared]
    if unknown:
        raise InputError(
            f"unknown parameter(s) {unknown}; expected some of {sorted(declared)}",
            column=unknown[0],
        )
    out: dict[str, Any] = {}
    for name, kind in declared.items():
        if name not in namespace:
            raise InputError(f"parameter {name!r} has no value", column=name)
        ok, value = _type_ok(namespace[name], kind)
        if not ok:
            tname = getattr(kind, "__name__", str(kind))
            raise InputError(
                f"{name} = {namespace[name]!r} is a {type(namespace[name]).__name__}; "
                f"expected a {tname}",
                column=name,
            )
        rule = _rule(name)
        msg = rule(value) if rule is not None else None
        if msg:
            raise InputError(f"{name} = {value!r}: {msg}", column=name)
        out[name] = value
    return out


def _output_dir_problem(output_dir: str) -> str | None:
    """Why ``output_dir`` cannot take a notebook's results (checked with the parameters,
    before the model runs), or ``None``."""
    if not output_dir.strip():
        return "expected a folder name"
    try:
        output_path(output_dir)
    except InputError as exc:
        return str(exc)
    return None


def output_path(output_dir: str | os.PathLike[str], allow_existing: bool = False) -> Path:
    """Where an output folder goes: a relative path is taken from ``$WFKIT_OUTPUT_ROOT``
    when it is set (tests and batch runs), else from the current folder.

    The folder is checked as :func:`wfkit.outputs.check_output_dir` does (refusing, with
    :class:`InputError`, a folder holding files wfkit did not write unless
    ``allow_existing``, the current folder when it holds other files, the home folder, the
    root, a path below a file or a read-only parent); nothing is written.
    """
    from .outputs import check_output_dir  # noqa: PLC0415

    p = Path(output_dir).expanduser()
    root = os.environ.get("WFKIT_OUTPUT_ROOT")
    if not p.is_absolute() and root:
        p = Path(root).expanduser() / p
    return check_output_dir(p, allow_existing=allow_existing).path


def save_outputs(
    output_dir: str | os.PathLike[str],
    run: Any = None,
    tables: Mapping[str, pd.DataFrame] | None = None,
    params: Mapping[str, Any] | None = None,
    log_lines: list[str] | None = None,
    allow_existing: bool = False,
) -> list[str]:
    """Write a notebook's results to ``output_dir``, whole or not at all.

    Parameters
    ----------
    output_dir
        The folder; relative paths follow :func:`output_path`.  Written by
        :func:`wfkit.outputs.output_folder`: a new or empty folder, or one holding only
        wfkit's earlier output (replaced whole); any other folder is refused.
    run
        A :class:`~wfkit.scenario.ScenarioRun`: ``results.csv``, ``demand.csv``,
        ``summary.json`` and ``run.log`` via :func:`wfkit.scenario.write_run_files`.
    tables
        More tables, each written as ``<name>.csv``.
    params
        The notebook's parameters, written to ``parameters.json`` and the log.
    log_lines
        Lines for ``run.log``.
    allow_existing
        Write beside files wfkit did not write (they are left; only wfkit's own files,
        listed in its manifest, are replaced).

    Returns
    -------
    list of str
        The file names written, sorted (``.wfkit-manifest.json`` lists them too).
    """
    from .outputs import output_folder  # noqa: PLC0415
    from .scenario import write_run_files  # noqa: PLC0415

    for name in tables or {}:
        if not name.replace("_", "").replace("-", "").isalnum():
            raise InputError(f"table name {name!r}; expected letters, digits, _ or -")
    out = output_path(output_dir, allow_existing)
    protect = [getattr(getattr(run, "scenario", None), "path", None)]
    with output_folder(out, allow_existing=allow_existing, protect=protect) as tmp:
        lines = [f"parameter {k} = {v!r}" for k, v in (params or {}).items()]
        lines += [*(log_lines or []), f"output folder: {out}"]
        if run is not None:
            write_run_files(run, tmp, log_lines=lines)
        else:
            (tmp / "run.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
        for name, df in (tables or {}).items():
            df.to_csv(tmp / f"{name}.csv", index=False, float_format="%.10g")
        if params is not None:
            (tmp / "parameters.json").write_text(
                json.dumps(dict(params), indent=2, sort_keys=True, default=str) + "\n",
                encoding="utf-8",
            )
        written = sorted(f.name for f in tmp.iterdir() if not f.name.startswith("."))
        with (tmp / "run.log").open("a", encoding="utf-8") as fh:
            fh.write(f"notebook outputs: {', '.join(written)}\n")
    return written
