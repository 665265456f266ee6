"""wfkit report and wfkit batch: papermill kernels, the files they write, failures, re-runs
and a Dask cluster (each report starts a kernel: a few seconds each)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import psutil
import pypdf
import pytest

from wfkit import cli, usecases
from wfkit.outputs import MANIFEST, output_folder, read_manifest
from wfkit.report import html, make, notebook_run, pdf
from wfkit.report.batch import run_batch

AREA = "U78517"  # Kentish Town South PCN, 30,000 patients
FAST = {"draws": 5}


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> make.Report:
    out = tmp_path_factory.mktemp("report") / "out"
    assert cli.main(["report", "all", "--area", AREA, "--out", str(out), "-p", "draws", "5"]) == 0
    return make.Report(out, sorted(p.name for p in out.iterdir()), {})


def test_report_writes_every_file_through_the_safe_writer(report):
    files = set(report.files)
    assert {
        "00-getting-started.ipynb",
        "report.html",
        "results.xlsx",
        "report.json",
        "results.csv",
        "headline.csv",
        "summary.json",
        "run.log",
        MANIFEST,
    } <= files
    m = read_manifest(report.folder)
    assert m is not None and m["complete"] and "report.html" in m["files"]
    meta = json.loads((report.folder / "report.json").read_text())
    assert meta["area"] == AREA and meta["parameters"]["draws"] == 5
    if html.chromium_path():
        assert (report.folder / "report.pdf").read_bytes()[:5] == b"%PDF-"
    else:  # pragma: no cover - make test installs Chromium
        assert "report.pdf not written" in (report.folder / "run.log").read_text()


def pdf_text_and_links(path: Path) -> tuple[str, list[str]]:
    reader = pypdf.PdfReader(path)
    text = "\n".join(p.extract_text() for p in reader.pages)
    links = [
        str(a.get_object()["/A"]["/URI"])
        for p in reader.pages
        for a in p.get("/Annots") or []
        if "/URI" in (a.get_object().get("/A") or {})
    ]
    return text, links


def test_report_pdf_holds_the_page_and_links_to_files_not_to_a_server(report):
    """Printed by the Chromium started beside the kernel, from the one-page server."""
    assert html.chromium_path(), "no Chromium: run make chromium (make test does)"
    text, links = pdf_text_and_links(report.folder / "report.pdf")
    assert "What Kentish Town South PCN needs" in text and "Provenance" in text
    assert links, "the notebook's link to docs/explain.md"
    for link in links:
        assert link.startswith("file:///") and "127.0.0.1" not in link, link
        assert ".tmp-" not in link, link  # not the folder the report was written in


def planted_failure_last(tmp_path: Path, monkeypatch) -> None:
    """The notebook fails in its last cell, long after Chromium was started."""
    nb = nbformat.read(notebook_run.notebook_path("all"), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('raise RuntimeError("planted at the end")'))
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nbformat.write(nb, folder / notebook_run.NOTEBOOKS["all"])
    monkeypatch.setenv("WFKIT_NOTEBOOKS_DIR", str(folder))


def test_a_failed_notebook_leaves_no_chromium_no_server_no_kernel(tmp_path, monkeypatch):
    planted_failure_last(tmp_path, monkeypatch)
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))  # Chromium's profile, the scratch
    started = []
    start = pdf.EarlyPrint.start
    monkeypatch.setattr(
        pdf.EarlyPrint, "start", lambda self: started.append(start(self)) or started[-1]
    )
    out = tmp_path / "out"
    with pytest.raises(notebook_run.NotebookFailed, match="planted at the end"):
        make.make_report("all", AREA, out, FAST)
    assert started == [True]  # Chromium was started, waiting for the page
    assert psutil.Process().children(recursive=True) == []  # no Chromium, no kernel
    assert not [t for t in threading.enumerate() if t.name == "wfkit-page-server"]
    assert sorted(p.name for p in temp.iterdir()) == []  # no profile, no scratch
    assert not out.exists()


def test_without_its_server_a_report_still_prints_its_pdf(tmp_path, monkeypatch):
    def refuse(self):
        raise OSError("no socket here")

    monkeypatch.setattr(pdf.PageServer, "__init__", refuse)
    out = tmp_path / "out"
    rep = make.make_report("all", AREA, out, FAST)
    assert rep.notes == []
    text, links = pdf_text_and_links(out / "report.pdf")
    assert "What Kentish Town South PCN needs" in text
    assert links and not any("127.0.0.1" in link for link in links)


def test_a_reports_kernel_starts_with_jsonschemas_iri_checks_skipped(tmp_path):
    """The kernel a report starts first (notebook_run.start_kernel) runs one line before the
    notebook, which names nothing in the notebook's namespace (and counts no cell: see
    test_executed_notebook_charts_hold_a_static_image)."""
    from jupyter_core.utils import run_sync

    km = notebook_run.start_kernel(tmp_path)
    said: list[str] = []

    def hook(msg):
        if msg["msg_type"] == "stream":
            said.append(msg["content"]["text"])

    try:
        kc = km.client()
        kc.start_channels()
        try:
            run_sync(kc.wait_for_ready)(timeout=120)
            code = (
                "print(sorted(k for k in dir() if not k.startswith('_')))\n"
                "import sys, altair\nprint(sys.modules['rfc3987_syntax'])"
            )
            run_sync(kc.execute_interactive)(code, output_hook=hook, timeout=120)
        finally:
            kc.stop_channels()
    finally:
        notebook_run.stop_kernel(km)
    assert "".join(said).split("\n")[:2] == [
        "['In', 'Out', 'exit', 'get_ipython', 'open', 'quit']",
        "None",
    ]
    assert not km.has_kernel


def test_report_figures_are_the_notebooks_and_wfkits(report):
    """The page, the workbook and the notebook's CSV all carry the seeded run's figures."""
    head = pd.read_csv(report.folder / "headline.csv")  # written by the notebook's kernel
    ours = usecases.headline(usecases.build("all", {"area": AREA, **FAST}).run())
    assert head["required_fte"].to_numpy() == pytest.approx(ours["required_fte"].to_numpy())
    page = (report.folder / "report.html").read_text()
    assert f"{ours['required_fte'].iloc[-1]:,.1f}" in page
    wb = openpyxl.load_workbook(report.folder / "results.xlsx")
    assert wb.sheetnames[0] == "Summary"


def test_report_html_is_self_contained_with_code_hidden(report):
    page = (report.folder / "report.html").read_text()
    assert html.external_references(page) == []
    assert "usecases.build(" not in page and "notebook.check_parameters" not in page
    assert page.count('src="data:image/svg+xml') >= 4  # every chart of the notebook
    assert "Kentish Town South PCN" in page and "a negative gap is a shortfall" in page


def test_executed_notebook_charts_hold_a_static_image(report):
    nb = nbformat.read(report.folder / "00-getting-started.ipynb", as_version=4)
    assert "widgets" not in nb.metadata  # no widget state: viewers fall back to the drawing
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))  # the kernel's first line counts none
    charts = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert len(charts) >= 5  # four charts and the explorer
    for o in charts:
        assert o["data"]["image/svg+xml"].lstrip().startswith("<svg")
        assert "object at 0x" not in o["data"]["text/plain"]


def test_a_failed_run_names_the_cell_and_leaves_the_folder_as_it_was(tmp_path):
    out = tmp_path / "out"
    with output_folder(out) as tmp:  # an earlier wfkit output
        (tmp / "report.html").write_text("earlier")
    before = read_manifest(out)
    with pytest.raises(notebook_run.NotebookFailed) as err:
        make.make_report("all", "NOPE1", out, {"draws": 0}, pdf=False)
    text = str(err.value)
    assert "00-getting-started.ipynb failed in cell" in text
    assert "usecases.build" in text and "NOPE1" in text
    assert (out / "report.html").read_text() == "earlier"
    assert read_manifest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no half-written leftovers


def test_a_notebook_whose_figures_differ_from_the_report_leaves_no_report(tmp_path, monkeypatch):
    """A planted mismatch: the kernel runs another growth rate than the report's own run."""
    nb = nbformat.read(notebook_run.notebook_path("all"), as_version=4)
    cell = next(c for c in nb.cells if "notebook.check_parameters(globals())" in c.source)
    cell.source += '\nparams["growth_rate"] = 0.01  # planted: not what the report was asked'
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nbformat.write(nb, folder / notebook_run.NOTEBOOKS["all"])
    monkeypatch.setenv("WFKIT_NOTEBOOKS_DIR", str(folder))
    out = tmp_path / "out"
    with pytest.raises(make.FiguresDiffer, match=r"headline.csv row 2, column 'population'"):
        make.make_report("all", AREA, out, FAST, pdf=False)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks"]


def test_a_bad_parameter_is_refused_before_a_kernel_starts(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["report", "all", "--area", AREA, "--out", str(out), "-p", "horizn", "5"]) == 2
    assert "unknown parameter(s) ['horizn']" in capsys.readouterr().err
    assert not out.exists()


def test_batch_lists_a_failing_area_and_reruns_only_what_changed(tmp_path, capsys):
    out = tmp_path / "batch"
    argv = ["batch", "all", "--areas", f"{AREA},NOPE1", "--out", str(out), "--no-pdf"]
    argv += ["-p", "draws", "5", "--workers", "2"]
    assert cli.main(argv) == 1  # one area failed
    said = capsys.readouterr().out
    assert "1 reports made" in said and "failed: NOPE1" in said
    assert (out / "areas" / AREA / "report.html").is_file()
    assert not (out / "areas" / "NOPE1").exists()
    summary = pd.read_csv(out / "summary.csv")
    ok = summary[summary["Area code"] == AREA]
    assert list(ok["Scenario"]) == ["Baseline", "Future model"]
    assert ok["Area"].iloc[0] == "Kentish Town South PCN"
    bad = summary[summary["Area code"] == "NOPE1"]
    assert "no pcn with code or name 'NOPE1'" in bad["Error"].iloc[0]
    index = (out / "index.html").read_text()
    assert f'href="areas/{AREA}/report.html"' in index and "NOPE1" in index
    assert html.external_references(index) == []
    wb = openpyxl.load_workbook(out / "summary.xlsx")
    assert wb["Areas"].freeze_panes
    stamp = (out / "areas" / AREA / "report.html").stat().st_mtime_ns

    res = run_batch("all", AREA, out, params=FAST, pdf=False, progress=False)
    assert res.skipped == [AREA] and res.made == [] and not res.failed
    assert (out / "areas" / AREA / "report.html").stat().st_mtime_ns == stamp  # kept
    res = run_batch("all", AREA, out, params={"draws": 6}, pdf=False, progress=False)
    assert res.made == [AREA] and res.skipped == []  # a parameter changed: made again


def test_batch_on_a_dask_cluster(tmp_path):
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
        processes=True,
    ) as cluster:
        res = run_batch(
            "all",
            f"{AREA},U06180",
            tmp_path / "batch",
            params=FAST,
            scheduler=cluster.scheduler_address,
            pdf=False,
            progress=False,
        )
    assert sorted(res.made) == sorted([AREA, "U06180"]) and not res.failed
    meta = json.loads((tmp_path / "batch" / "batch.json").read_text())
    assert {a["status"] for a in meta["areas"].values()} == {"ok"}
    for code in (AREA, "U06180"):
        assert (tmp_path / "batch" / "areas" / code / "results.xlsx").is_file()
    assert Path(res.folder) == (tmp_path / "batch").resolve()
