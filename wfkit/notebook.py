"""Notebook helpers: check a notebook's parameters, write its results for pipelines.

A use-case notebook declares its parameters in one cell tagged ``parameters`` as typed
literals (``horizon: int = 10  # years ahead``).  papermill injects overrides in a cell
that starts ``# Parameters`` and only *warns* about names the notebook does not declare;
:func:`check_parameters`, called in the next cell, fails instead, naming the unknown or
bad parameter and listing the allowed ones.  The rules (type, range or choices, help) are
the use cases' declarations in :mod:`wfkit.usecases.params`: one place for the model and
the notebooks.

:func:`save_outputs` writes the results (CSV), the parameters and a log to one folder,
whole or not at all, through wfkit's one safe writer (:mod:`wfkit.outputs`).
"""

from __future__ import annotations

import ast
import json
import os
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from .errors import InputError
from .outputs import output_folder, output_path, write_csv
from .scenario import write_run_files
from .usecases import params as _params

__all__ = [
    "RULES",
    "rules",
    "check_parameters",
    "injected_names",
    "output_path",
    "output_dir_for",
    "save_outputs",
]

_PAPERMILL_HEADER = "# Parameters"
#: a parameter declared nowhere: only its type (the cell's annotation) is checked
_ANY = _params.Setting("", None, object, "")


def rules() -> dict[str, _params.Setting]:
    """Return the parameter declarations :func:`check_parameters` applies, by name.

    They are the use cases' (:mod:`wfkit.usecases.params`, one place for the model and the
    notebooks).
    """
    return _params.declared()


#: :func:`rules` when wfkit was imported
RULES: dict[str, _params.Setting] = rules()


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
        rule = _params.setting(name)
        if rule is not None:
            kind = rule.kind  # the declared type, whatever the cell's annotation says
        ok, value = (rule or _ANY).typed(namespace[name], kind)
        if not ok:
            tname = getattr(kind, "__name__", str(kind))
            raise InputError(
                f"{name} = {namespace[name]!r} is a {type(namespace[name]).__name__}; "
                f"expected a {tname}",
                column=name,
            )
        if name == "output_dir" and isinstance(value, str):
            value = output_dir_for(value, namespace)
        if rule is not None:
            rule.raise_problem(value)
        out[name] = value
    return out


def output_dir_for(template: str, values: Mapping[str, Any]) -> str:
    """Return an output folder with ``{area}`` and ``{level}`` filled in from the parameters.

    A notebook's default folder (``outputs/01-type2-diabetes/{area}``) is then one per area,
    and a run for another area never replaces the first one's results.  The area is made
    safe for a folder name (``Kentish Town South`` -> ``Kentish-Town-South``); a folder
    without placeholders is used as given.
    """

    def safe(v: Any) -> str:
        text = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in str(v).strip())
        return text.strip(".-") or "area"

    out = template
    for key in ("area", "level"):
        if "{" + key + "}" in out:
            out = out.replace("{" + key + "}", safe(values.get(key, key)))
    return out


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
            write_csv(df, tmp / f"{name}.csv")
        if params is not None:
            (tmp / "parameters.json").write_text(
                json.dumps(dict(params), indent=2, sort_keys=True, default=str) + "\n",
                encoding="utf-8",
            )
        written = sorted(f.name for f in tmp.iterdir() if not f.name.startswith("."))
        with (tmp / "run.log").open("a", encoding="utf-8") as fh:
            fh.write(f"notebook outputs: {', '.join(written)}\n")
    return written
