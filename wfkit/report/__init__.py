"""Results that leave the kernel: reports, workbooks and batches for every area.

* :func:`wfkit.report.make.make_report`: ``wfkit report``: the use-case notebook run by
  papermill, then ``report.html`` (self-contained, code hidden, charts drawn offline),
  ``report.pdf`` (Debian's Chromium), ``results.xlsx`` and the CSVs, through the safe writer.
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
    # lazy: wfkit.report is imported by the command line; papermill and friends load on use
    if name == "make_report":
        from .make import make_report  # noqa: PLC0415

        return make_report
    if name == "run_batch":
        from .batch import run_batch  # noqa: PLC0415

        return run_batch
    if name == "write_workbook":
        from .excel import write_workbook  # noqa: PLC0415

        return write_workbook
    if name == "gather":
        from .facts import gather  # noqa: PLC0415

        return gather
    raise AttributeError(f"module 'wfkit.report' has no attribute {name!r}")
