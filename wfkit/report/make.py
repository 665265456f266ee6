"""``wfkit report``: one area's report, written whole or not at all.

:func:`make_report` checks the parameters against the use case's notebook, runs the
notebook with papermill and, beside it in this process, the same seeded use case (the
figures of the page and the workbook come from wfkit's functions on that run, which is the
notebook's run: same parameters, same seed).  Into the output folder, through the safe
writer (:func:`wfkit.outputs.output_folder`), go:

* the executed notebook (charts as SVG drawings beside their widgets, no widget state);
* ``report.html``: self-contained, code hidden, charts drawn with no network
  (:mod:`wfkit.report.html`);
* ``report.pdf`` printed by Debian's Chromium where installed (else a note in ``run.log``);
* ``results.xlsx`` (:mod:`wfkit.report.excel`);
* the notebook's CSVs, ``summary.json``, ``parameters.json``, ``run.log``;
* ``report.json``: the use case, area, parameters, headline and the key a batch re-run
  compares.

If the notebook fails, nothing is written and :class:`~wfkit.report.notebook_run.NotebookFailed`
names the cell and the error.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__, cache
from ..errors import InputError
from ..outputs import MANIFEST, check_output_dir, output_folder
from . import notebook_run as NR
from .excel import write_workbook
from .html import external_references, print_pdf, render_report

__all__ = ["Report", "report_parameters", "report_key", "make_report", "REPORT_FILES"]

#: what every report folder holds besides the notebook's CSVs
REPORT_FILES = ("report.html", "results.xlsx", "report.json", "run.log")


@dataclass(slots=True)
class Report:
    """A written report.

    Attributes
    ----------
    folder
        The output folder.
    files
        The files written, sorted.
    headline
        The horizon year's headline by scenario (:func:`wfkit.usecases.headline`, with
        ``label``) and the area's names, as ``report.json`` holds them.
    notes
        Lines for the user (a missing PDF, say).
    """

    folder: Path
    files: list[str]
    headline: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def report_parameters(
    use_case: str, area: str | None, given: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Return every parameter of ``use_case``'s notebook for a report.

    Its defaults, then ``given`` (checked and typed,
    :func:`~wfkit.report.notebook_run.notebook_parameters`), then ``area``; ``output_dir``
    is the report's own business and may not be given.
    """
    given = dict(given or {})
    if "output_dir" in given:
        raise InputError("output_dir is set by the report (use --out)", key="-p output_dir")
    if area is not None:
        given["area"] = area
    if not str(given.get("area", "")).strip():
        raise InputError("no area given; expected --area CODE_OR_NAME", key="--area")
    checked = NR.notebook_parameters(use_case, given)
    level = str(checked.get("level", ""))
    if level.lower().endswith(".csv"):  # a grouping file: the kernel may start elsewhere
        checked["level"] = str(Path(level).resolve())
    declared = NR.declared_parameters(NR.notebook_path(use_case))
    declared.pop("output_dir", None)
    return {**declared, **checked}


def report_key(use_case: str, params: Mapping[str, Any]) -> str:
    """Return what a report depends on, as one key.

    The use case, its parameters, the notebook, the bundled data, wfkit's source and
    version.  A batch skips an area whose key is unchanged.
    """
    # lazy: the data fingerprint reads the bundled data folder
    from ..data import as_level
    from ..data.loader import fingerprint

    nb = NR.notebook_path(use_case).read_bytes()
    # a grouping file's content, not only its name (an edited file is a new report)
    level = str(params.get("level", ""))
    grouping = (as_level(level),) if level.lower().endswith(".csv") else ()
    return cache.key(
        fingerprint(), "report", __version__, use_case, sorted(params.items()), nb, *grouping
    )


def _model(use_case: str, params: Mapping[str, Any], box: dict[str, Any]) -> None:
    """Run the use case and gather the report's facts (in a thread, beside the kernel)."""
    try:
        # lazy: the model and the report's facts load with the first report
        from .. import usecases
        from .facts import gather

        uc = usecases.build(use_case, params)
        run = uc.run()
        box["run"] = run
        box["facts"] = gather(run, params, use_case)
    except BaseException as exc:  # handed to the caller's thread
        box["error"] = exc


def _headline_json(facts: Any) -> dict[str, Any]:
    h = facts.headline
    rows = json.loads(h.to_json(orient="records"))
    base = facts.base_year[facts.base_year["role"] == "all"].iloc[0]
    return {
        "areas": facts.areas,
        "level": facts.level,
        "title": facts.title,
        "horizon_year": facts.horizon_year,
        "base_year": facts.base,
        "base_required_fte": float(base.required_fte),
        "base_in_post_fte": float(base.supply_fte),
        "scenarios": rows,
    }


def make_report(
    use_case: str,
    area: str | None,
    out: str | os.PathLike[str],
    params: Mapping[str, Any] | None = None,
    allow_existing: bool = False,
    pdf: bool = True,
    timeout: int = NR.TIMEOUT,
    key: str | None = None,
) -> Report:
    """Write ``use_case``'s report for ``area`` into ``out`` (see the module docstring).

    Parameters
    ----------
    use_case
        One of :data:`wfkit.report.notebook_run.NOTEBOOKS`.
    area
        An area code or name at the ``level`` parameter (default ``pcn``).
    out
        The output folder: new, empty or wfkit's own earlier output (replaced whole).
    params
        More notebook parameters (``horizon``, ``draws``, ...), checked before any kernel
        starts.
    allow_existing
        Write beside files wfkit did not write (they stay).
    pdf
        Print ``report.pdf`` with Chromium where one is installed.
    timeout
        Seconds a notebook cell may take.
    key
        The report's key (:func:`report_key`; computed if not given).

    Raises
    ------
    InputError
        A bad parameter or output folder (before anything runs).
    NotebookFailed
        The notebook failed: nothing is written; the message names the cell.
    """
    # lazy: nbformat comes with papermill, needed only to write the notebook
    import nbformat

    full = report_parameters(use_case, area, params)
    target = check_output_dir(out, allow_existing=allow_existing)
    key = key or report_key(use_case, full)
    box: dict[str, Any] = {}
    worker = threading.Thread(target=_model, args=(use_case, full, box), daemon=True)
    worker.start()
    notes: list[str] = []
    nb_name = NR.notebook_path(use_case).name
    with tempfile.TemporaryDirectory(prefix="wfkit-report-") as scratch:
        scratch_dir = Path(scratch)
        csv_dir = scratch_dir / "outputs"
        executed = scratch_dir / nb_name
        try:
            nb = NR.execute(
                use_case, {**full, "output_dir": str(csv_dir)}, executed, scratch_dir, timeout
            )
        finally:
            worker.join()
        if "error" in box:
            raise box["error"]
        facts, run = box["facts"], box["run"]
        nb.metadata.pop("widgets", None)  # the charts keep their SVG drawings
        page = render_report(facts, nb)
        found = external_references(page)
        if found:  # pragma: no cover - a guard: the page is built to load nothing
            raise RuntimeError(f"report.html would load {found[:3]}")
        with output_folder(target, allow_existing=allow_existing) as tmp:
            nbformat.write(nb, tmp / nb_name)
            for f in sorted(csv_dir.iterdir()):
                if f.is_file() and f.name != MANIFEST and not f.name.startswith("."):
                    shutil.copy2(f, tmp / f.name)
            (tmp / "report.html").write_text(page, encoding="utf-8")
            write_workbook(facts, tmp / "results.xlsx", run)
            if pdf:
                note = print_pdf(tmp / "report.html", tmp / "report.pdf")
                if note:
                    notes.append(note)
            head = _headline_json(facts)
            meta = {
                "use_case": use_case,
                "area": full["area"],
                "parameters": full,
                "key": key,
                "wfkit_version": __version__,
                "notebook": nb_name,
                "headline": head,
                "notes": notes,
            }
            (tmp / "report.json").write_text(
                json.dumps(meta, indent=2, default=str) + "\n", encoding="utf-8"
            )
            with (tmp / "run.log").open("a", encoding="utf-8") as fh:
                fh.write(f"report: {use_case} for {full['area']} by wfkit {__version__}\n")
                for n in notes:
                    fh.write(n + "\n")
            files = sorted(p.name for p in tmp.iterdir() if not p.name.startswith("."))
    return Report(Path(target.path), files, head, notes)
