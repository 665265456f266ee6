"""``wfkit batch``: a report for every selected area, in parallel, with an index.

:func:`run_batch` resolves the selection (codes or names, ``all`` at a level, or every area
``within`` a larger one, as ``region:London``), and makes each area's report
(:func:`wfkit.report.make.make_report`) as a task of a :mod:`concurrent.futures` executor: a
local process pool (``workers``), or a Dask cluster's executor (``scheduler``), the same
code either way.  Into the output folder, whole or not at all:

* ``areas/<code>/``: each area's report folder;
* ``index.html``: every area with its headline figures, sortable, linking its report;
  areas that failed, with their error;
* ``summary.csv`` and ``summary.xlsx``: the same table;
* ``batch.json``: each area's key, status and headline, which a re-run reads to skip areas
  whose inputs, parameters and wfkit version are unchanged (their reports are kept).

One failing area does not stop the others; :attr:`Batch.failed` lists them and the command
line exits 1.  Progress shows on a terminal (tqdm), and is quiet otherwise.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..errors import InputError
from ..outputs import check_output_dir, output_folder, read_manifest
from . import labels as L
from .excel import write_summary_workbook
from .make import make_report, report_key, report_parameters
from .notebook_run import skip_iri_checks

__all__ = ["Batch", "select", "run_batch", "summary_table", "index_page"]


@dataclass(slots=True)
class Batch:
    """What a batch did: the folder, every area's row, and which areas were skipped or failed."""

    folder: Path
    rows: list[dict[str, Any]]
    made: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def select(selection: str, level: str = "pcn") -> pd.DataFrame:
    """Return the areas a selection names at ``level``: ``area, area_name``.

    ``selection`` is ``all`` (every area at ``level`` in England), ``LEVEL:CODE_OR_NAME``
    (every area within a larger one: ``icb:QMJ``, ``region:London``), or codes or names
    separated by commas (kept as given: an unknown one fails as its own area's report).
    """
    # lazy: the bundled area tables are read only to resolve a selection
    from .. import data

    text = selection.strip()
    if not text:
        raise InputError("no areas given; expected codes, 'all' or LEVEL:NAME", key="--areas")
    level = data.as_level(level)  # a grouping file (docs/neighbourhoods.md) read once
    if text.lower() == "all":
        found = data.select_areas(level=level)
    elif ":" in text and text.split(":", 1)[0].strip().lower() in data.LEVELS:
        wlevel, value = (p.strip() for p in text.split(":", 1))
        found = data.select_areas(level=level, within=(wlevel.lower(), value))
    else:
        codes = [c.strip() for c in text.split(",") if c.strip()]
        names = L.area_names(codes, level)
        return pd.DataFrame({"area": codes, "area_name": [names[c] for c in codes]})
    out = found[["area", "area_name"]].drop_duplicates().reset_index(drop=True)
    out["area_name"] = [L.tidy_name(n) for n in out["area_name"]]
    return out


def _one(
    use_case: str,
    area: str,
    folder: str,
    params: Mapping[str, Any],
    pdf: bool,
    key: str,
) -> dict[str, Any]:
    """One area's report (a task run by an executor's worker): its headline, or its error."""
    try:
        rep = make_report(use_case, area, folder, params, pdf=pdf, key=key)
    except Exception as exc:  # the batch goes on; the area is listed with its error
        return {"area": area, "error": f"{type(exc).__name__}: {exc}"}
    return {"area": area, "headline": rep.headline, "notes": rep.notes}


def _link_tree(src: Path, dest: Path) -> None:
    """``src``'s files into ``dest`` as hard links (copies where links cannot be made)."""
    for root, _dirs, files in os.walk(src):
        rel = Path(root).relative_to(src)
        (dest / rel).mkdir(parents=True, exist_ok=True)
        for f in files:
            try:
                os.link(Path(root) / f, dest / rel / f)
            except OSError:
                shutil.copy2(Path(root) / f, dest / rel / f)


def _previous(out: Path) -> dict[str, dict[str, Any]]:
    """Return the areas of an earlier batch in ``out`` that completed, by code."""
    if read_manifest(out) is None:
        return {}
    try:
        old = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    done = {}
    for code, entry in (old.get("areas") or {}).items():
        folder = out / "areas" / _safe(code)
        m = read_manifest(folder)
        if entry.get("status") == "ok" and m is not None and m.get("complete"):
            done[code] = entry
    return done


def _safe(code: str) -> str:
    """Return an area code (or name) as a folder name."""
    keep = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in str(code).strip())
    return keep.strip(".") or "area"


def summary_table(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Tabulate the headline in words and numbers, one row per area and scenario.

    Units are in the headers; an area that failed has one row with its error.
    """
    out = []
    for r in rows:
        code = r["area"]
        if "error" in r:
            out.append({"Area": r.get("name", code), "Area code": code, "Error": r["error"]})
            continue
        h = r["headline"]
        name = h["areas"].get(code) or next(iter(h["areas"].values()), code)
        for s in h["scenarios"]:
            out.append(
                {
                    "Area": name,
                    "Area code": code,
                    "Scenario": s["label"],
                    "Year": s["year"],
                    "Population (people)": s["population"],
                    "FTE required (central run)": s["required_fte"],
                    "FTE required P10": s["required_p10"],
                    "FTE required P50": s["required_p50"],
                    "FTE required P90": s["required_p90"],
                    "FTE in post": s["in_post_fte"],
                    "Gap (FTE, in post - required)": s["gap_fte"],
                    "Gap in words": L.gap_words(s["gap_fte"]),
                    "Cost per 1,000 patients (GBP a year)": s["cost_per_1000"],
                    "Report": f"areas/{_safe(code)}/report.html",
                    "Error": "",
                }
            )
    cols = [
        "Area", "Area code", "Scenario", "Year", "Population (people)",
        "FTE required (central run)", "FTE required P10", "FTE required P50",
        "FTE required P90", "FTE in post", "Gap (FTE, in post - required)", "Gap in words",
        "Cost per 1,000 patients (GBP a year)", "Report", "Error",
    ]  # fmt: skip
    return pd.DataFrame(out, columns=cols)


_SORT_JS = """
document.querySelectorAll('th[data-col]').forEach(function (th) {
  th.addEventListener('click', function () {
    var table = th.closest('table'), body = table.tBodies[0], i = +th.dataset.col;
    var asc = th.dataset.dir !== 'asc'; th.dataset.dir = asc ? 'asc' : 'desc';
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[i].dataset.v, y = b.cells[i].dataset.v;
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : String(x).localeCompare(String(y));
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
"""


def index_page(table: pd.DataFrame, title: str, intro: Sequence[str] = ()) -> str:
    """Return ``index.html``: the summary table, each area linking its report.

    The table sorts by any column (a click on its header); the page is self-contained (no
    network).
    """
    shown = [c for c in table.columns if c not in ("Report",)]
    head = "".join(
        f'<th data-col="{i}" title="click to sort">{html.escape(c)}</th>'
        for i, c in enumerate(shown)
    )
    body = []
    for r in table.to_dict("records"):
        cells = []
        for c in shown:
            v = r.get(c)
            if v is None or (isinstance(v, float) and v != v):
                v = ""
            if isinstance(v, float):
                text = f"{v:,.0f}" if "Population" in c or "GBP" in c else f"{v:,.1f}"
            else:
                text = str(v)
            cell = html.escape(text)
            if c == "Area" and r.get("Report") and not r.get("Error"):
                cell = f'<a href="{html.escape(str(r["Report"]))}">{cell}</a>'
            cls = ' class="err"' if c == "Error" and v else ""
            cells.append(f'<td data-v="{html.escape(str(v))}"{cls}>{cell}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    lead = "".join(f"<p>{html.escape(s)}</p>" for s in intro)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>"
        "body{font-family:system-ui,Arial,sans-serif;margin:2em;color:#1b1b1b}"
        "table{border-collapse:collapse;font-size:.9em}th,td{border:1px solid #ccc;"
        "padding:.25em .5em}th{background:#f2f2f2;cursor:pointer}td.err{color:#b00}"
        "</style></head><body>"
        f"<h1>{html.escape(title)}</h1>{lead}"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        f"<script>{_SORT_JS}</script></body></html>"
    )


def _executor(workers: int, scheduler: str | None) -> tuple[Executor, Callable[[], None]]:
    """Return a :class:`concurrent.futures.Executor` and the function that closes it.

    The executor is a Dask cluster's, or a local process pool.
    """
    if scheduler:
        # lazy: Dask is needed only for a batch on a cluster
        from distributed import Client

        client = Client(scheduler, set_as_default=False)
        return client.get_executor(pure=False), client.close
    # lazy: a process pool is needed only for a batch
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # the pool's own processes skip jsonschema's IRI checks, as `wfkit report` does (about 1 s
    # of each worker's start; a Dask worker may serve other work, so it is left alone)
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=skip_iri_checks,
    )
    return pool, lambda: pool.shutdown(wait=True)


def run_batch(
    use_case: str,
    selection: str,
    out: str | os.PathLike[str],
    level: str = "pcn",
    params: Mapping[str, Any] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    pdf: bool = True,
    progress: bool | None = None,
) -> Batch:
    """Make ``use_case``'s report for every area of ``selection`` into ``out``.

    Parameters
    ----------
    use_case
        One of :data:`wfkit.report.notebook_run.NOTEBOOKS`.
    selection
        See :func:`select`.
    out
        The batch's folder: new, empty or an earlier batch's (replaced whole; areas whose
        key is unchanged are kept, not run again).
    level
        The level of the areas (``pcn``, ``practice``, ...).
    params
        Notebook parameters for every area (checked once, before any kernel starts).
    workers
        Local worker processes (default 2, at most the CPUs); ignored with ``scheduler``.
    scheduler
        A Dask scheduler's address (``tcp://127.0.0.1:8786``): the reports run as tasks on
        its workers, which must see ``out`` (the same machine, or a shared folder).
    pdf
        Print each ``report.pdf`` with Chromium where installed.
    progress
        Show a progress bar (default: only on a terminal).
    """
    # lazy: tqdm draws the progress bar of a batch only
    from tqdm import tqdm

    given = {**dict(params or {}), "level": level}
    areas = select(selection, level)
    target = check_output_dir(out)
    folder = Path(target.path)
    first = report_parameters(use_case, str(areas["area"].iloc[0]), given)  # checked once
    names = dict(zip(areas["area"], areas["area_name"], strict=True))
    previous = _previous(folder)
    workers = max(1, min(int(workers or 2), os.cpu_count() or 1)) if not scheduler else 0
    result = Batch(folder, [])
    rows: dict[str, dict[str, Any]] = {}
    keys: dict[str, str] = {}
    with output_folder(target) as tmp:
        (tmp / "areas").mkdir()
        todo = []
        for code in areas["area"]:
            full = {**first, "area": code}
            keys[code] = report_key(use_case, full)
            old = previous.get(code)
            if old is not None and old.get("key") == keys[code]:
                _link_tree(folder / "areas" / _safe(code), tmp / "areas" / _safe(code))
                rows[code] = {"area": code, "headline": old["headline"], "notes": []}
                result.skipped.append(code)
            else:
                todo.append(code)
        bar = tqdm(
            total=len(areas),
            initial=len(result.skipped),
            desc=f"{use_case} reports",
            unit="area",
            file=sys.stderr,
            disable=(not sys.stderr.isatty()) if progress is None else not progress,
        )
        if todo:
            pool, close = _executor(workers, scheduler)
            try:
                futures = {
                    pool.submit(
                        _one,
                        use_case,
                        code,
                        str(tmp / "areas" / _safe(code)),
                        {k: v for k, v in given.items()},
                        pdf,
                        keys[code],
                    ): code
                    for code in todo
                }
                for fut in as_completed(futures):
                    code = futures[fut]
                    try:
                        row = fut.result()
                    except Exception as exc:  # a worker lost: the area failed, not the batch
                        row = {"area": code, "error": f"{type(exc).__name__}: {exc}"}
                    rows[code] = row
                    if "error" in row:
                        result.failed[code] = row["error"]
                    else:
                        result.made.append(code)
                    bar.update(1)
            finally:
                close()
        bar.close()
        ordered = []
        for code in areas["area"]:
            r = dict(rows[code])
            r["name"] = names.get(code, code)
            ordered.append(r)
        result.rows = ordered
        table = summary_table(ordered)
        title = f"{use_case} reports: {len(areas)} area{'s' if len(areas) != 1 else ''}"
        intro = [
            f"wfkit {__version__}; {len(result.made)} made, {len(result.skipped)} unchanged "
            f"(kept), {len(result.failed)} failed.",
            L.GAP_MEANING,
            "Click a column's header to sort by it; an area's name opens its report.",
        ]
        (tmp / "index.html").write_text(index_page(table, title, intro), encoding="utf-8")
        table.to_csv(tmp / "summary.csv", index=False)
        write_summary_workbook(
            table.drop(columns=["Report"]), tmp / "summary.xlsx", [title, *intro]
        )
        meta = {
            "use_case": use_case,
            "selection": selection,
            "level": level,
            "parameters": {k: v for k, v in given.items()},
            "wfkit_version": __version__,
            "areas": {
                code: {
                    "status": "failed" if code in result.failed else "ok",
                    "key": keys[code],
                    **(
                        {"error": result.failed[code]}
                        if code in result.failed
                        else {"headline": rows[code]["headline"]}
                    ),
                }
                for code in areas["area"]
            },
        }
        (tmp / "batch.json").write_text(
            json.dumps(meta, indent=2, default=str) + "\n", encoding="utf-8"
        )
    return result
