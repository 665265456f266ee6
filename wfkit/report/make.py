"""``wfkit report``: one area's report, written whole or not at all.

:func:`make_report` checks the parameters against the use case's notebook, runs the
notebook with papermill and, beside it in this process, the same seeded use case (the
figures of the page and the workbook come from wfkit's functions on that run, which is the
notebook's run: same parameters, same seed; :func:`check_figures` checks it against the
tables the kernel wrote).  While the kernel runs, that thread also writes the workbook and
renders the page around the notebook's part; once the kernel ends, only the notebook's
part is rendered, and Chromium prints the page while the other files are written.  Into
the output folder, through the safe writer (:func:`wfkit.outputs.output_folder`), go:

* the executed notebook (charts as SVG drawings beside their widgets, no widget state);
* ``report.html``: self-contained, code hidden, charts drawn with no network
  (:mod:`wfkit.report.html`);
* ``report.pdf`` printed by Debian's Chromium where installed (else a note in ``run.log``);
* ``results.xlsx`` (:mod:`wfkit.report.excel`);
* the notebook's CSVs, ``summary.json``, ``parameters.json``, ``run.log``;
* ``report.json``: the use case, area, parameters, headline and the key a batch re-run
  compares.

If the notebook fails, nothing is written and :class:`~wfkit.report.notebook_run.NotebookFailed`
names the cell and the error; if its figures are not the report's, nothing is written and
:class:`FiguresDiffer` names the table, row and column.
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
from ..errors import InputError, WfkitError
from ..outputs import MANIFEST, check_output_dir, output_folder
from . import notebook_run as NR

__all__ = [
    "Report",
    "report_parameters",
    "report_key",
    "make_report",
    "check_figures",
    "FiguresDiffer",
    "REPORT_FILES",
]

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


def _beside(
    use_case: str,
    params: Mapping[str, Any],
    scratch: Path,
    box: dict[str, Any],
    printer: Any = None,
) -> None:
    """Do, beside the kernel, every part of the report that does not wait for it.

    Run the use case (seeded: the kernel's run), gather the report's facts, write the
    workbook to ``scratch``, render the page around the notebook's part and then, its own
    work done (Chromium's start would otherwise slow the kernel's on 2 cores), start the
    ``printer`` (:class:`~wfkit.report.pdf.EarlyPrint`) if given.
    """
    try:
        # lazy: altair, openpyxl and nbconvert load beside the kernel, not before it starts
        from .. import usecases
        from .excel import write_workbook
        from .facts import gather
        from .html import notebook_exporter, report_frame

        uc = usecases.build(use_case, params)
        run = uc.run()
        facts = gather(run, params, use_case)
        box["facts"] = facts
        write_workbook(facts, scratch / "results.xlsx", run)
        box["frame"] = report_frame(facts)
        box["exporter"] = notebook_exporter(warm=True)
    except BaseException as exc:  # handed to the caller's thread
        box["error"] = exc
        return
    if printer is not None:
        printer.start()  # never raises: a failure leaves the print from the file


class FiguresDiffer(WfkitError):
    """The report's run and the notebook's kernel gave different figures."""


#: the tables every use case's notebook writes (:func:`wfkit.usecases.output_tables`) that
#: the report's own run also holds (:class:`~wfkit.report.facts.Facts`)
CHECKED_TABLES = {"headline": "headline", "base_year": "base_year"}
#: the columns of words that say which row is which (other words are the report's own)
KEY_COLUMNS = ("scenario", "role", "area")


def check_figures(facts: Any, folder: Path) -> None:
    """Check that the report's figures are the notebook's.

    The report's page and workbook come from a seeded run of the use case beside the
    kernel; the kernel writes its own ``headline.csv`` and ``base_year.csv``.  Every column
    of those is compared with the same table of the report's run (numbers to the ten
    significant digits the CSV keeps).

    Raises
    ------
    FiguresDiffer
        Naming the table, column and row that differ, or the table the notebook did not
        write.
    """
    # lazy: numpy and pandas are loaded by then (the report's run)
    import numpy as np
    import pandas as pd

    for name, attr in CHECKED_TABLES.items():
        path = folder / f"{name}.csv"
        if not path.is_file():
            raise FiguresDiffer(
                f"the notebook wrote no {name}.csv to check the report's figures against"
            )
        kernel = pd.read_csv(path, keep_default_na=False, na_values=[""])
        ours = getattr(facts, attr)
        if len(kernel) != len(ours):
            raise FiguresDiffer(
                f"{name}.csv: the notebook wrote {len(kernel)} rows, the report's run has "
                f"{len(ours)}"
            )
        for col in kernel.columns:
            if col not in ours.columns:
                raise FiguresDiffer(f"{name}.csv: column {col!r} is not in the report's run")
            theirs, mine = kernel[col], ours[col].reset_index(drop=True)
            if pd.api.types.is_numeric_dtype(theirs) and pd.api.types.is_numeric_dtype(mine):
                a, b = theirs.to_numpy(float), mine.to_numpy(float)
                bad = ~np.isclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True)
            elif col in KEY_COLUMNS:
                a = theirs.fillna("").astype(str).to_numpy()
                b = mine.fillna("").astype(str).to_numpy()
                bad = a != b
            else:  # words (labels, reasons) the report may word its own way
                continue
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise FiguresDiffer(
                    f"{name}.csv row {i + 2}, column {col!r}: the notebook's kernel has "
                    f"{_shown(a[i])}, the report's run {_shown(b[i])} (the report would not "
                    "show the notebook's results; was the notebook changed?)"
                )


def _shown(value: Any) -> str:
    """Write a value for :func:`check_figures`'s message: a number to ten digits, words quoted."""
    return f"{value:.10g}" if isinstance(value, float) else repr(str(value))


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


class _Printing:
    """``report.pdf`` printed by Chromium in a thread (:func:`~wfkit.report.html.print_pdf`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.note: str | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._print, daemon=True)
        self.thread.start()

    def _print(self) -> None:
        try:
            # lazy: loaded beside the kernel (see _beside)
            from .html import print_pdf

            self.note = print_pdf(self.folder / "report.html", self.folder / "report.pdf")
        except BaseException as exc:  # handed to the caller's thread
            self.error = exc

    def wait(self) -> str | None:
        """Wait for the print; return its note (``None``: printed)."""
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.note


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
    full = report_parameters(use_case, area, params)
    target = check_output_dir(out, allow_existing=allow_existing)
    with tempfile.TemporaryDirectory(prefix="wfkit-report-") as scratch:
        # the parameters checked, the kernel starts up while papermill loads
        kernel = NR.start_kernel(Path(scratch))
        try:
            return _make(
                use_case, full, target, Path(scratch), kernel, allow_existing, pdf, timeout, key
            )
        finally:
            NR.stop_kernel(kernel)


def _make(
    use_case: str,
    full: dict[str, Any],
    target: Any,
    scratch_dir: Path,
    kernel: Any,
    allow_existing: bool,
    pdf: bool,
    timeout: int,
    key: str | None,
) -> Report:
    """Make the report (:func:`make_report`) with its kernel started in ``scratch_dir``."""
    # lazy: nbformat comes with papermill, needed only to write the notebook
    import nbformat

    key = key or report_key(use_case, full)
    notes: list[str] = []
    nb_name = NR.notebook_path(use_case).name
    csv_dir = scratch_dir / "outputs"
    box: dict[str, Any] = {}
    printer = _early_printer(scratch_dir, Path(target.path)) if pdf else None
    worker = threading.Thread(
        target=_beside, args=(use_case, full, scratch_dir, box, printer), daemon=True
    )
    worker.start()
    shut_down: Any = _nothing
    try:
        try:
            params = {**full, "output_dir": str(csv_dir)}
            nb, shut_down = NR.execute_deferred(
                use_case, params, None, scratch_dir, timeout, kernel
            )
        finally:
            worker.join()
        if "error" in box:
            raise box["error"]
        # lazy: loaded beside the kernel (see _beside)
        from .html import external_references, render_report

        facts = box["facts"]
        check_figures(facts, csv_dir)
        nb.metadata.pop("widgets", None)  # the charts keep their SVG drawings
        page = render_report(facts, nb, box["frame"], box["exporter"])
        found = external_references(page)
        if found:  # pragma: no cover - a guard: the page is built to load nothing
            raise RuntimeError(f"report.html would load {found[:3]}")
        served = printer is not None and printer.serve(page)
        shut_down()  # the kernel ends while Chromium prints
        with output_folder(target, allow_existing=allow_existing) as tmp:
            (tmp / "report.html").write_text(page, encoding="utf-8")
            # Chromium prints the page while the rest is written
            printing = _Printing(tmp) if pdf and not served else None
            try:
                nbformat.write(nb, tmp / nb_name)
                for f in sorted(csv_dir.iterdir()):
                    if f.is_file() and f.name != MANIFEST and not f.name.startswith("."):
                        shutil.copy2(f, tmp / f.name)
                shutil.move(scratch_dir / "results.xlsx", tmp / "results.xlsx")
            finally:  # never leave Chromium writing into a folder being removed
                if printing is not None:
                    printing.thread.join()
            if served:
                note = _printed_early(printer, tmp)
            else:
                note = printing.wait() if printing is not None else None
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
    finally:  # a failed run leaves no kernel, no Chromium, no server
        shut_down()
        if printer is not None:
            printer.cancel()
    return Report(Path(target.path), files, head, notes)


def _nothing() -> None:
    """Do nothing (no kernel to shut down yet)."""


def _early_printer(scratch: Path, folder: Path) -> Any:
    """Return an :class:`~wfkit.report.pdf.EarlyPrint` writing to ``scratch``, for ``folder``."""
    # lazy: the server and the page's helpers load only for a report with a PDF
    from .pdf import EarlyPrint

    return EarlyPrint(scratch / "report.pdf", folder)


def _printed_early(printer: Any, tmp: Path) -> str | None:
    """Wait for the early print and move its PDF into ``tmp``; else print from the file.

    Return the note of a PDF not written (``None``: written).
    """
    made = printer.wait()
    if made is not None:
        shutil.move(made, tmp / "report.pdf")
        return None
    # lazy: loaded beside the kernel (see _beside)
    from .html import print_pdf

    return print_pdf(tmp / "report.html", tmp / "report.pdf")
