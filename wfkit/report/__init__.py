"""Results that leave the kernel: reports, workbooks and batches for every area.

* :func:`wfkit.report.make.make_report`: ``wfkit report``: the use-case notebook run by
  papermill, then ``report.html`` (self-contained, code hidden, charts drawn offline),
  ``report.pdf`` (Debian's Chromium, started beside the kernel: :mod:`wfkit.report.pdf`),
  ``results.xlsx`` and the CSVs, through the safe writer.
* :func:`wfkit.report.batch.run_batch`: ``wfkit batch``: a report for every area in
  parallel (``concurrent.futures``, or a Dask cluster), with an index page and a summary.
* :func:`wfkit.report.excel.write_workbook`: ``results.xlsx`` (also ``wfkit run --format
  xlsx``).
* :mod:`wfkit.report.labels`: roles, scenarios, areas and the sign of a gap in words.

Nothing heavy is imported until a function is called (papermill, nbconvert, openpyxl, Dask).
"""

from __future__ import annotations

__all__ = ["make_report", "run_batch", "write_workbook", "gather"]


def __getattr__(name: str):
    if name == "make_report":
        # lazy: wfkit.report is light for the command line; its parts load on use
        from .make import make_report

        return make_report
    if name == "run_batch":
        # lazy: wfkit.report is light for the command line; its parts load on use
        from .batch import run_batch

        return run_batch
    if name == "write_workbook":
        # lazy: wfkit.report is light for the command line; its parts load on use
        from .excel import write_workbook

        return write_workbook
    if name == "gather":
        # lazy: wfkit.report is light for the command line; its parts load on use
        from .facts import gather

        return gather
    raise AttributeError(f"module 'wfkit.report' has no attribute {name!r}")
