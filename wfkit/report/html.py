"""``report.html``: one self-contained page a commissioner can open with no network.

The page starts with what the reader came for, written from :class:`~wfkit.report.facts.Facts`:
the title, a first paragraph in plain English, the headline table in words, FTE by role,
and the base year reconciled; then the notebook's own narrative and charts (code hidden,
the sections meant for analysts left out, charts as the SVG drawings wfkit's charts carry,
table codes turned into words); and last the provenance.  Nothing is loaded from anywhere:
no script, style sheet or image has a URL (:func:`external_references` checks).

:func:`print_pdf` prints the page to ``report.pdf`` with Debian's Chromium, headless.
"""

from __future__ import annotations

import copy
import html
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..usecases.moved_in_reports import business_case_page
from . import labels as L
from .facts import Facts, headline_sentences

__all__ = [
    "SKIPPED_SECTIONS",
    "COLUMN_WORDS",
    "report_frame",
    "render_report",
    "notebook_exporter",
    "notebook_body",
    "external_references",
    "chromium_path",
    "print_command",
    "print_pdf",
]

#: notebook sections (``## heading``) a report leaves out: they are for analysts at a
#: kernel (parameters, sliders, files for pipelines) or shown above in words
SKIPPED_SECTIONS = (
    "Parameters",
    "Explore",
    "Results for pipelines",
    "Reading the results",
    "The base year",
)
#: table column names in words (the notebooks' frames keep their codes)
COLUMN_WORDS = {
    "scenario": "Scenario",
    "label": "Role",
    "role": "Role",
    "year": "Year",
    "area": "Area code",
    "area_name": "Area",
    "level": "Level",
    "patients": "Patients",
    "icb": "ICB code",
    "population": "Population",
    "required_fte": "FTE required",
    "required_p10": "FTE required P10",
    "required_p50": "FTE required P50",
    "required_p90": "FTE required P90",
    "in_post_fte": "FTE in post",
    "in_post": "FTE in post",
    "supply_fte": "FTE in post",
    "gap_fte": "Gap (FTE, in post - required)",
    "gap_p50": "Gap at P50 (FTE)",
    "cost_gbp_m": "Cost (GBP million a year)",
    "cost_per_1000": "Cost (GBP a year per 1,000 patients)",
    "reason": "Main reason",
    "measure": "Measure",
    "value": "Central run",
    "p10": "P10",
    "p50": "P50",
    "p90": "P90",
    "activity": "Activity",
    "contacts": "Contacts a year",
    "per_person": "Contacts per person",
    "places": "Training places",
    "shortfall_fte_final": "Shortfall in the last year (FTE)",
    "cannot_meet": "Cannot be met",
}

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;max-width:62em;
margin:2em auto;padding:0 1em;color:#1b1b1b;line-height:1.45}
h1{font-size:1.7em;margin-bottom:.2em}h2{font-size:1.3em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.6em 0;font-size:.92em}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:right;vertical-align:top}
th{background:#f2f2f2}td.t,th.t{text-align:left}
.lead{font-size:1.08em;background:#f6f8fa;border-left:4px solid #005eb8;padding:.6em 1em}
.note{color:#555;font-size:.9em}.nb img,.nb svg{max-width:100%;height:auto}
.nb .jp-InputArea,.nb .input_area{display:none}pre{white-space:pre-wrap}
dl.prov{display:grid;grid-template-columns:max-content auto;gap:.15em 1em;font-size:.9em}
dl.prov dt{font-weight:600}dl.prov dd{margin:0}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}svg,img,table{break-inside:avoid}}
"""


def _table(df: pd.DataFrame, fmt: Mapping[str, str], text_cols: Iterable[str] = ()) -> str:
    """Return a small table in words as HTML.

    ``fmt`` formats each numeric column (``{:,.1f}``).
    """
    text_cols = set(text_cols)
    head = "".join(
        f'<th class="{"t" if c in text_cols else ""}">{html.escape(str(c))}</th>' for c in df
    )
    rows = []
    for r in df.itertuples(index=False):
        cells = []
        for c, v in zip(df.columns, r, strict=True):
            if v is None or (isinstance(v, float) and v != v):
                text = ""
            elif c in fmt:
                text = fmt[c].format(v)
            else:
                text = str(v)
            cls = ' class="t"' if c in text_cols else ""
            cells.append(f"<td{cls}>{html.escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _headline_html(f: Facts) -> str:
    h = f.headline
    df = pd.DataFrame(
        {
            "Scenario": h["label"],
            "FTE required (central run)": h["required_fte"],
            "P10": h["required_p10"],
            "P50": h["required_p50"],
            "P90": h["required_p90"],
            "FTE in post": h["in_post_fte"],
            "Gap": [L.gap_words(g) for g in h["gap_fte"]],
            "Cost (GBP million a year)": h["cost_gbp_m"],
            "GBP a year per 1,000 patients": h["cost_per_1000"],
        }
    )
    num = {c: "{:,.1f}" for c in df.columns[1:6]}
    num |= {"Cost (GBP million a year)": "{:,.2f}", "GBP a year per 1,000 patients": "{:,.0f}"}
    return _table(df, num, ["Scenario", "Gap"])


def _roles_html(f: Facts) -> str:
    """Return FTE required by role in the horizon year beside in post, as HTML.

    Each scenario with its P10-P90 and P50.
    """
    res = f.results
    year = f.horizon_year
    d = res[(res["year"] == year) & (res["role"] != "all")]
    req = d[d["measure"] == "required_fte"]
    sup = d[(d["measure"] == "supply_fte") & (d["scenario"] == "baseline")].set_index("role")
    roles = sorted(set(req["role"]), key=lambda r: -float(req[req["role"] == r]["value"].max()))
    cols: dict[str, list[Any]] = {"Role": [L.role_label(r) for r in roles]}
    for s in dict.fromkeys(req["scenario"]):
        rs = req[req["scenario"] == s].set_index("role")
        label = L.scenario_label(s)
        cols[f"{label}: FTE required"] = [float(rs.at[r, "value"]) for r in roles]
        cols[f"{label}: P10-P90 (P50)"] = [
            f"{rs.at[r, 'p10']:,.1f}-{rs.at[r, 'p90']:,.1f} ({rs.at[r, 'p50']:,.1f})" for r in roles
        ]
    cols["FTE in post"] = [float(sup.at[r, "value"]) if r in sup.index else 0.0 for r in roles]
    df = pd.DataFrame(cols)
    keep = (
        df.drop(columns="Role")
        .apply(lambda c: c.map(lambda v: v != 0.0 if isinstance(v, float) else True))
        .any(axis=1)
    )
    df = df[keep]
    num = {c: "{:,.1f}" for c in df.columns if c.endswith("FTE required") or c == "FTE in post"}
    return _table(df, num, ["Role"] + [c for c in df.columns if "P10" in c])


def _base_html(f: Facts) -> str:
    b = f.base_year
    modelled = b[~b["role"].astype(str).str.startswith("not modelled")]
    df = pd.DataFrame(
        {
            "Role": modelled["label"],
            "FTE required": modelled["required_fte"],
            "FTE in post": modelled["supply_fte"],
            "Gap": [L.gap_words(g) for g in modelled["gap_fte"]],
            "Main reason": modelled["reason"],
        }
    )
    out = _table(
        df, {"FTE required": "{:,.1f}", "FTE in post": "{:,.1f}"}, ["Role", "Gap", "Main reason"]
    )
    nm = b[b["role"].astype(str).str.startswith("not modelled")]
    if len(nm):
        names = ", ".join(
            f"{str(r).removeprefix('not modelled: ')} {v:,.1f}"
            for r, v in zip(nm["role"], nm["supply_fte"], strict=True)
        )
        out += (
            f'<p class="note">Also in post, in roles the model does not cover: '
            f"{nm['supply_fte'].sum():,.1f} FTE ({html.escape(names)}).</p>"
        )
    flagged = modelled[modelled["check"].astype(bool)]
    for r in flagged.itertuples(index=False):
        out += (
            f'<p class="note">Read with care: {html.escape(r.label)}: {html.escape(r.check)}.</p>'
        )
    return out


def _business_case_html(f: Facts) -> str:
    """Return the business case of each proposal moving work in from hospital, in words."""
    out = [
        '<p class="note">The staff for the work moved in are not in the FTE above (the '
        "practice's own work); they are here. Central run, with the 10th to 90th percentile "
        "over the draws. The net cost adds every modelled year's primary-care staff and training cost and takes "
        "off the hospital cost avoided (negative is a saving); a hospital cost avoided is a "
        "saving only if the hospital's contract or capacity changes with it. Method and "
        "sources: docs/closer-to-home.md.</p>"
    ]
    for (scen, act), one in f.business_case.groupby(["scenario", "activity"], sort=False):
        page = business_case_page(one).rename(
            columns={"item": "Business case", "figure": "Central run", "range": "P10 to P90"}
        )
        out.append(
            f"<h3>{html.escape(L.scenario_label(str(scen)))}: "
            f"{html.escape(str(act).replace('_', ' '))}</h3>"
        )
        out.append(_table(page, {}, text_cols=list(page.columns)))
    return "".join(out)


def _swings_html(f: Facts, top: int = 6) -> str:
    """Return the inputs that move the horizon year's gap most, one at a time, as HTML."""
    d = f.swings
    if d.empty:
        return '<p class="note">No input of this run has an interval: nothing to move.</p>'
    # inputs whose swing rounds to 0 FTE are left out (calibration absorbs most of them)
    d = d[(d["measure"] == "gap_fte") & (d["rank"] <= top) & (d["swing"].abs() >= 0.05)]
    df = pd.DataFrame(
        {
            "Input": d["words"],
            "Gap, input at its P10 (FTE)": d["at_p10"],
            "Gap, input at its P90 (FTE)": d["at_p90"],
            "Swing (FTE)": d["swing"],
        }
    )
    num = {c: "{:,.1f}" for c in df.columns[1:]}
    note = (
        '<p class="note">Each input with an 80% interval moved alone to its P10 and its P90, '
        "every other at its stated value (calibration re-solved, as in each draw); the gap "
        f"with the input at each end, over the areas and roles, in {f.horizon_year}; inputs "
        "whose swing rounds to 0 are left out. All inputs at once (Sobol indices): notebook "
        "05, docs/explain.md.</p>"
    )
    return _table(df, num, ["Input"]) + note


def _provenance_html(f: Facts) -> str:
    items = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in f.provenance)
    tabs = _table(
        f.tables.rename(
            columns={
                "table": "Table",
                "period": "Period",
                "source": "Publisher",
                "licence": "Licence",
            }
        ),
        {},
        ["Table", "Period", "Publisher", "Licence"],
    )
    return f'<dl class="prov">{items}</dl><h3>Data</h3>{tabs}'


# ------------------------------------------------------------------------------------------
# the notebook's part
# ------------------------------------------------------------------------------------------
def _heading(cell: Any) -> str | None:
    if cell.cell_type != "markdown":
        return None
    first = cell.source.lstrip().splitlines()[0] if cell.source.strip() else ""
    return first.lstrip("#").strip() if first.startswith("## ") else None


def _reportable(nb: Any) -> Any:
    """Return a copy of an executed notebook as a report shows it.

    The analysts' sections left out, the title cell cut to what it answers, widget views
    and stderr dropped (charts keep their SVG drawings), and no widget state.
    """
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    cells, skipping = [], False
    for i, cell in enumerate(nb.cells):
        head = _heading(cell)
        if head is not None:
            skipping = any(head.startswith(s) for s in SKIPPED_SECTIONS)
        if skipping or "parameters" in cell.metadata.get("tags", []):
            continue
        if "injected-parameters" in cell.metadata.get("tags", []):
            continue
        if i == 0 and cell.cell_type == "markdown":
            keep = [p for p in cell.source.split("\n\n") if p.startswith("**What it answers")]
            cell.source = "\n\n".join(keep)
            if not keep:
                continue
        if cell.cell_type == "code":
            outs = []
            for o in cell.get("outputs", []):
                if o.get("output_type") == "stream" and o.get("name") == "stderr":
                    continue
                if o.get("output_type") == "error":
                    continue
                data = o.get("data")
                if data is not None:
                    data.pop("application/vnd.jupyter.widget-view+json", None)
                    if not data:
                        continue
                outs.append(o)
            cell.outputs = outs
        cells.append(cell)
    nb.cells = cells
    return nb


def _words_in_tables(text: str, codes: Mapping[str, str]) -> str:
    """Put in words the table cells that are exactly a code or a column name.

    A code is a role, scenario or area.
    """

    def cell(m: re.Match[str]) -> str:
        tag, attrs, inner = m.group(1), m.group(2), m.group(3)
        raw = html.unescape(inner.strip())
        if tag == "th" and raw in COLUMN_WORDS:
            new = COLUMN_WORDS[raw]
        elif raw.startswith("gap_") and tag == "th":
            new = f"Gap, {L.scenario_label(raw.removeprefix('gap_'))} (FTE)"
        else:
            new = codes.get(raw)
        return m.group(0) if new is None else f"<{tag}{attrs}>{html.escape(new)}</{tag}>"

    return re.sub(r"<(td|th)([^>]*)>([^<]*)</\1>", cell, text)


#: the one exporter of this process (made on first use) and the lock every conversion holds
_EXPORTER: list[Any] = []
_EXPORTER_LOCK = threading.Lock()


def notebook_exporter(warm: bool = False) -> Any:
    """Return the nbconvert exporter of a report's notebook part (no code, no prompts).

    One exporter a process, made on first use: a batch's worker converts one notebook an
    area, and making the exporter and loading its templates costs about 0.1 s.  With
    ``warm``, a new exporter first converts a two-cell notebook: its templates and
    Markdown renderer load on first use (about 0.2 s), which a report then pays while its
    kernel runs rather than after.  Conversions through :func:`notebook_body` take turns.
    """
    with _EXPORTER_LOCK:
        if _EXPORTER:
            return _EXPORTER[0]
        # lazy: nbconvert is needed only when a report is written
        import nbformat
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(
            template_name="basic",
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            anchor_link_text="",
        )
        if warm:
            code = nbformat.v4.new_code_cell("1")
            code.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "1"})]
            exporter.from_notebook_node(
                nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## A *b*"), code])
            )
        _EXPORTER.append(exporter)
        return exporter


def notebook_body(nb: Any, codes: Mapping[str, str], exporter: Any = None) -> str:
    """Return the notebook's part of the page: narrative, charts (SVG) and tables in words.

    With no code, no prompts and no scripts.  ``exporter``: :func:`notebook_exporter`'s,
    if one was made beforehand (a report makes it while its notebook runs).
    """
    exporter = exporter if exporter is not None else notebook_exporter()
    page = _reportable(nb)
    with _EXPORTER_LOCK:  # one exporter, shared by a process's threads
        body, _ = exporter.from_notebook_node(page)
    body = re.sub(r"<script\b.*?</script>", "", body, flags=re.S | re.I)
    return _words_in_tables(body, codes)


def code_words(f: Facts, extra: Iterable[str] = ()) -> dict[str, str]:
    """Return the codes a report's tables may show, in words: roles and scenarios.

    Area codes stay: the notebooks' area tables show the name beside the code.
    """
    out = {r: L.role_label(r) for r in L.role_labels()}
    out |= {s: L.scenario_label(s) for s in f.headline["scenario"]}
    for s in extra:
        out.setdefault(s, L.scenario_label(s))
    return out


def report_frame(f: Facts) -> tuple[str, str]:
    """Return the page before and after the notebook's part.

    Everything :func:`render_report` writes from ``f`` alone: a report renders it while its
    notebook still runs.
    """
    lead = "".join(f"<p>{html.escape(s)}</p>" for s in headline_sentences(f))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(f.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(f.title)}</h1>",
        f'<div class="lead">{lead}</div>',
        f"<h2>In {f.horizon_year}, by scenario</h2>",
        _headline_html(f),
        '<p class="note">Central run: every input at its stated value. P10-P90: the 10th '
        "to 90th percentile over the Monte Carlo draws, with the median (P50) beside it. "
        f"{html.escape(L.GAP_MEANING)}</p>",
        f"<h2>FTE required by role in {f.horizon_year}</h2>",
        _roles_html(f),
        f"<h2>The base year {f.base}: required against in post</h2>",
        f'<p class="note">Calibration: {html.escape(f.calibration)}.</p>',
        _base_html(f),
    ]
    if not f.business_case.empty:
        parts += ["<h2>Care closer to home: the business case</h2>", _business_case_html(f)]
    parts += [f"<h2>What moves the gap in {f.horizon_year}</h2>", _swings_html(f)]
    after = ["<h2>Provenance</h2>", _provenance_html(f), "</body></html>"]
    return "\n".join(parts), "\n".join(after)


def render_report(
    f: Facts,
    nb: Any = None,
    frame: tuple[str, str] | None = None,
    exporter: Any = None,
) -> str:
    """Render the whole page.

    The first paragraph, the headline, FTE by role, the base year, what moves the gap, the
    notebook's narrative and charts, and the provenance.

    Parameters
    ----------
    f
        The report's facts.
    nb
        The executed notebook (its narrative and charts), or ``None``.
    frame
        :func:`report_frame` of ``f`` if already rendered.
    exporter
        :func:`notebook_exporter`'s exporter if already made.
    """
    before, after = frame if frame is not None else report_frame(f)
    nb_part = notebook_body(nb, code_words(f), exporter) if nb is not None else ""
    parts = [before]
    if nb_part:
        parts += ['<h2>The analysis</h2><div class="nb">', nb_part, "</div>"]
    parts.append(after)
    return "\n".join(parts)


_URL_ATTR = re.compile(
    r"<(script|link|img|iframe|source|embed|object|image|use)\b[^>]*?\b(src|href|data|xlink:href)"
    r"\s*=\s*[\"']?\s*((?:https?:)?//[^\"'\s>]+)",
    re.I,
)


def external_references(text: str) -> list[str]:
    """List every URL a page would load: a self-contained page has none.

    Scripts, styles, images, frames, and ``url(...)`` in styles.
    """
    found = [m.group(3) for m in _URL_ATTR.finditer(text)]
    found += re.findall(r"url\(\s*[\"']?((?:https?:)?//[^\"')]+)", text, flags=re.I)
    found += re.findall(r"@import\s+[\"']((?:https?:)?//[^\"']+)", text, flags=re.I)
    return found


def chromium_path() -> str | None:
    """Find Debian's Chromium, or return ``None``.

    ``WFKIT_CHROMIUM``, else ``/usr/bin/chromium``, else ``chromium`` on the PATH.
    """
    env = os.environ.get("WFKIT_CHROMIUM")
    if env is not None:
        return env if env and Path(env).is_file() else None
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


#: Chromium's flags for printing: headless, no network of its own, no profile reuse
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
    "--disable-extensions",
)


def print_command(
    exe: str, profile: Path, pdf: Path, address: str, extra: Iterable[str] = ()
) -> list[str]:
    """Return the command line on which Chromium prints ``address`` to ``pdf``.

    Headless, with :data:`CHROMIUM_FLAGS`, then ``extra``, and ``profile`` as its own
    profile folder (a new one of wfkit's, removed after the print).
    """
    return [
        exe,
        *CHROMIUM_FLAGS,
        *extra,
        f"--user-data-dir={profile}",
        f"--print-to-pdf={pdf}",
        address,
    ]


def print_pdf(page: Path, pdf: Path, timeout: float = 120.0) -> str | None:
    """Print ``page`` to ``pdf`` with Chromium.

    Return ``None`` on success, else a note saying why there is no PDF (no Chromium, or it
    failed).
    """
    exe = chromium_path()
    if exe is None:
        return (
            "report.pdf not written: Debian's Chromium was not found (/usr/bin/chromium, or "
            "set WFKIT_CHROMIUM); open report.html in a browser and print it to PDF"
        )
    # a profile folder of wfkit's own, new each time: removing it can only remove what
    # Chromium wrote there (never a folder of the same name beside the user's PDF)
    profile = Path(tempfile.mkdtemp(prefix="wfkit-chromium-"))
    cmd = print_command(exe, profile, pdf, page.resolve().as_uri())
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"report.pdf not written: Chromium failed ({exc})"
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if proc.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        tail = (proc.stderr or "").strip().splitlines()[-1:] or [""]
        return f"report.pdf not written: Chromium exited {proc.returncode} {tail[0]}".strip()
    return None
