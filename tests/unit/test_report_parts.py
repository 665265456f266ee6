"""wfkit.report without a kernel: the workbook, the page, the words, the parameters, the
static chart drawings and the kernels' private sockets."""

from __future__ import annotations

import json

import altair as alt
import openpyxl
import pandas as pd
import pytest

import wfkit
from wfkit import chart_display, charts, cli, usecases
from wfkit.errors import InputError
from wfkit.notebook import check_parameters, output_dir_for
from wfkit.outputs import write_csv
from wfkit.report import excel, facts, html, labels, make, notebook_run

ROLE_CODES = set(labels.role_labels()) - {"all"}
SCENARIO_CODES = {"baseline", "future_model"}


@pytest.fixture(scope="module")
def run():
    return usecases.build("all", {"area": "U78517", "draws": 20}).run()


@pytest.fixture(scope="module")
def fx(run):
    return facts.gather(run, {"area": "U78517", "draws": 20}, "all")


@pytest.fixture(scope="module")
def book(fx, run, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "results.xlsx"
    excel.write_workbook(fx, path, run)
    return openpyxl.load_workbook(path)


# ------------------------------------------------------------------------------------------
# words
# ------------------------------------------------------------------------------------------
def test_the_gap_says_its_sign_in_words():
    assert labels.gap_words(-12.34) == "a shortfall of 12.3 FTE"
    assert labels.gap_words(12.34) == "12.3 FTE more than needed"
    assert labels.gap_words(-0.04) == "about what is needed"
    assert labels.gap_words(-1234.5) == "a shortfall of 1,234.5 FTE"


def test_names_not_codes():
    assert labels.role_label("practice_nurse") == "Practice nurse"
    assert labels.role_label("all") == "All roles"
    assert labels.scenario_label("future_model") == "Future model"
    assert labels.tidy_name("NORTH SOUTHWARK PCN") == "North Southwark PCN"
    assert labels.tidy_name("NHS NORTH CENTRAL LONDON ICB") == "NHS North Central London ICB"
    assert labels.area_names(["U78517", "NOPE1"], "pcn") == {
        "U78517": "Kentish Town South PCN",
        "NOPE1": "NOPE1",
    }


def test_first_paragraph_comes_from_the_headline(fx, run):
    head = usecases.headline(run)
    text = " ".join(facts.headline_sentences(fx))
    fut = head.iloc[-1]
    assert f"{fut.required_fte:,.1f} FTE" in text
    assert (
        f"P10-P90 {fut.required_p10:,.1f}-{fut.required_p90:,.1f}, P50 {fut.required_p50:,.1f}"
        in text
    )
    assert labels.gap_words(fut.gap_fte) in text
    assert "Kentish Town South PCN" in text and "U78517" not in text
    assert "a negative gap is a shortfall" in text


# ------------------------------------------------------------------------------------------
# the workbook
# ------------------------------------------------------------------------------------------
def test_workbook_sheets_headers_and_frozen_panes(book):
    assert book.sheetnames == [
        "Summary", "FTE required", "FTE in post", "Gap", "Base year", "Costs",
        "Why it changes", "What moves it", "Notes",
    ]  # fmt: skip
    ws = book["FTE required"]
    assert [c.value for c in ws[1]][:5] == ["Scenario", "Role", "Statistic", "Unit", "2025"]
    assert ws.freeze_panes == "E2"  # header row and the four label columns stay in view
    assert {ws.cell(r, 4).value for r in range(2, ws.max_row + 1)} == {"FTE"}
    base = book["Base year"]
    assert [c.value for c in base[1]][:4] == [
        "Role", "FTE required", "FTE in post", "Gap (FTE, in post - required)",
    ]  # fmt: skip
    assert base.freeze_panes == "B2"
    summary = book["Summary"]
    header = next(r for r in summary.iter_rows(values_only=True) if r[0] == "Scenario")
    assert "FTE required (central run)" in header and "Cost (GBP a year)" in header
    assert all(book[n].freeze_panes for n in book.sheetnames)


def test_workbook_explains_the_change_and_its_parts_add_up(book, run):
    rows = list(book["Why it changes"].iter_rows(values_only=True))
    head, body = rows[0], rows[1:]
    assert head[:5] == ("Scenario", "Measure", "Step", "Driver", "Central run")
    gap = [r for r in body if r[0] == "Baseline" and r[1] == "Gap (FTE, in post - required)"]
    start, *parts, end = (r[4] for r in gap)
    assert sum(parts) == pytest.approx(end - start)
    final = run.results["baseline"].measure("gap_fte", total=True)[0, :, -1].sum()
    assert end == pytest.approx(final)  # the run's own horizon gap
    assert {r[0] for r in body} == {"Baseline", "Future model"}


def test_report_says_what_moves_the_gap(fx, book, run):
    sw = fx.swings[fx.swings["measure"] == "gap_fte"]
    assert sw.iloc[0]["input"] in {"joiner_rate", "leaver_rate"}  # the flows decide the gap
    final = run.results["baseline"].measure("gap_fte", total=True)[0, :, -1].sum()
    assert sw["central"].iloc[0] == pytest.approx(final)
    rows = list(book["What moves it"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Measure", "Rank", "Input") and len(rows) == len(fx.swings) + 1
    page = html.render_report(fx)
    assert "What moves the gap in 2035" in page and "joiner rate" in page


def test_workbook_names_roles_and_scenarios_in_words(book):
    seen = {
        c
        for ws in book
        for row in ws.iter_rows(values_only=True)
        for c in row
        if isinstance(c, str)
    }
    assert not seen & (ROLE_CODES | SCENARIO_CODES), seen & (ROLE_CODES | SCENARIO_CODES)
    assert {"Practice nurse", "General practitioner", "Future model", "Baseline"} <= seen


def test_workbook_keeps_every_digit_and_formats_them(book, run):
    head = usecases.headline(run)
    ws = book["FTE required"]
    years = [c.value for c in ws[1]]
    last = years.index(str(int(head["year"].iloc[0]))) + 1
    rows = {(r[0].value, r[1].value, r[2].value): r for r in ws.iter_rows(min_row=2) if r[0].value}
    central = rows[("Future model", "All roles", "central run")][last - 1]
    assert central.value == pytest.approx(float(head["required_fte"].iloc[-1]), rel=1e-12)
    assert central.number_format == excel.FTE_FORMAT
    p10 = rows[("Future model", "All roles", "P10")][last - 1].value
    p50 = rows[("Future model", "All roles", "P50")][last - 1].value
    p90 = rows[("Future model", "All roles", "P90")][last - 1].value
    assert p10 == pytest.approx(float(head["required_p10"].iloc[-1]))
    assert p10 <= p50 <= p90
    costs = book["Costs"]
    assert costs.cell(2, 5).number_format == excel.GBP_FORMAT
    assert isinstance(central.value, float) and central.value != round(central.value, 1)


def test_workbook_notes_hold_the_provenance(book):
    notes = dict(book["Notes"].iter_rows(min_row=2, values_only=True))
    assert notes["wfkit version"] == wfkit.__version__
    assert notes["seed"] == "42" and notes["Monte Carlo draws"] == "20"
    assert notes["calibration"] == "national"
    assert "negative gap is a shortfall" in notes["gap"]
    assert "Open Government Licence" in notes["list_size"]


def test_a_workbook_past_excels_limits_is_refused_naming_the_sheet(fx, run, tmp_path, monkeypatch):
    monkeypatch.setattr(excel, "MAX_ROWS", 50)
    with pytest.raises(InputError, match=r"sheet 'FTE required' would have .* Excel's limits"):
        excel.write_workbook(fx, tmp_path / "x.xlsx", run)
    assert not (tmp_path / "x.xlsx").exists()


def test_wfkit_run_format_xlsx(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    assert cli.main(["run", "example", "--out", str(out), "--draws", "5", "--format", "xlsx"]) == 0
    assert {"results.xlsx", "results.csv", "summary.json", "run.log"} <= {
        p.name for p in out.iterdir()
    }
    wb = openpyxl.load_workbook(out / "results.xlsx")
    assert "By area" in wb.sheetnames  # the example has two areas
    monkeypatch.setattr(excel, "MAX_ROWS", 20)
    other = tmp_path / "other"
    assert (
        cli.main(["run", "example", "--out", str(other), "--draws", "5", "--format", "xlsx"]) == 2
    )
    err = capsys.readouterr().err
    assert "Excel's limits" in err and "--format csv" in err
    assert not other.exists()  # refused before anything was written


# ------------------------------------------------------------------------------------------
# the page
# ------------------------------------------------------------------------------------------
def test_report_page_is_self_contained_and_in_words(fx):
    page = html.render_report(fx)
    assert html.external_references(page) == []
    assert "<h1>What Kentish Town South PCN needs" in page
    assert "Provenance" in page and wfkit.__version__ in page
    assert "Practice nurse" in page and ">practice_nurse<" not in page
    assert "P10-P90" in page and "Calibration: national" in page


def test_external_references_finds_what_a_page_would_load():
    page = (
        '<script src="https://cdn.example/require.js"></script>'
        "<link rel=stylesheet href='//fonts.example/x.css'>"
        '<img src="data:image/svg+xml;base64,AAAA"><a href="https://nhs.uk">link</a>'
        "<style>@import 'https://x.example/y.css'; b{background:url(http://x.example/i.png)}</style>"
    )
    assert html.external_references(page) == [
        "https://cdn.example/require.js",
        "//fonts.example/x.css",
        "http://x.example/i.png",
        "https://x.example/y.css",
    ]


def test_no_chromium_gives_a_clear_note(tmp_path, monkeypatch):
    monkeypatch.setenv("WFKIT_CHROMIUM", str(tmp_path / "no-such-chromium"))
    page = tmp_path / "p.html"
    page.write_text("<p>x</p>")
    note = html.print_pdf(page, tmp_path / "p.pdf")
    assert note is not None and "report.pdf not written" in note and "Chromium" in note
    assert not (tmp_path / "p.pdf").exists()


def test_report_page_is_its_frame_around_the_notebook(fx):
    """The page rendered while the kernel runs, then finished, is the page rendered at once."""
    before, after = html.report_frame(fx)
    whole = html.render_report(fx)
    assert whole == before + "\n" + after
    assert "<h2>What moves the gap" in before and after.startswith("<h2>Provenance</h2>")
    assert html.render_report(fx, frame=(before, after)) == whole


def test_a_warmed_exporter_renders_the_notebook_as_a_new_one(fx):
    import nbformat

    code = nbformat.v4.new_code_cell("x")
    code.outputs = [
        nbformat.v4.new_output(
            "execute_result",
            {"text/html": "<table><tr><th>role</th></tr><tr><td>gp</td></tr></table>"},
        )
    ]
    # (a first markdown cell is the title, cut to what it answers: this one comes second)
    nb = nbformat.v4.new_notebook(cells=[code, nbformat.v4.new_markdown_cell("## What *it* says")])
    codes = html.code_words(fx)
    warm = html.notebook_body(nb, codes, html.notebook_exporter(warm=True))
    assert warm == html.notebook_body(nb, codes)
    assert "<em>it</em>" in warm and ">Role<" in warm and ">General practitioner<" in warm
    assert html.render_report(fx, nb) == html.render_report(
        fx, nb, html.report_frame(fx), html.notebook_exporter(warm=True)
    )


# ------------------------------------------------------------------------------------------
# the report's figures are the kernel's
# ------------------------------------------------------------------------------------------
def _kernel_tables(run, folder):
    """What a use case's notebook writes (save_outputs of output_tables), into ``folder``."""
    from wfkit.notebook import save_outputs

    save_outputs(folder, run, usecases.output_tables(run), {"area": "U78517"})
    return folder


def test_report_figures_equal_the_kernels(fx, run, tmp_path):
    folder = _kernel_tables(run, tmp_path / "kernel")
    make.check_figures(fx, folder)  # the same seeded run: every figure agrees
    head = pd.read_csv(folder / "headline.csv")
    # and the check compares real figures: the CSV holds the page's headline
    assert head["required_fte"].to_numpy() == pytest.approx(fx.headline["required_fte"].to_numpy())


@pytest.mark.parametrize(
    ("table", "column", "change"),
    [
        ("headline", "required_p90", lambda v: v * (1 + 1e-6)),
        ("headline", "gap_fte", lambda v: v + 0.01),
        ("base_year", "supply_fte", lambda v: v - 0.1),
        ("base_year", "role", lambda v: "gp" if v != "gp" else "anp"),
        ("headline", "scenario", lambda v: "future_plus_shift"),
    ],
)
def test_a_planted_difference_from_the_kernel_fails_naming_it(
    fx, run, tmp_path, table, column, change
):
    folder = _kernel_tables(run, tmp_path / "kernel")
    df = pd.read_csv(folder / f"{table}.csv", keep_default_na=False, na_values=[""])
    df.loc[1, column] = change(df.loc[1, column])
    write_csv(df, folder / f"{table}.csv")
    with pytest.raises(make.FiguresDiffer, match=rf"{table}.csv row 3, column '{column}'") as err:
        make.check_figures(fx, folder)
    assert "np." not in str(err.value)  # figures as a reader writes them


def test_a_kernel_table_missing_or_of_other_rows_fails(fx, run, tmp_path):
    folder = _kernel_tables(run, tmp_path / "kernel")
    head = pd.read_csv(folder / "headline.csv")
    write_csv(head.iloc[:1], folder / "headline.csv")
    with pytest.raises(make.FiguresDiffer, match="headline.csv: the notebook wrote 1 rows"):
        make.check_figures(fx, folder)
    (folder / "headline.csv").unlink()
    with pytest.raises(make.FiguresDiffer, match="wrote no headline.csv"):
        make.check_figures(fx, folder)


# ------------------------------------------------------------------------------------------
# parameters, output folders, kernels
# ------------------------------------------------------------------------------------------
def test_report_parameters_are_checked_and_typed_before_a_kernel_starts():
    p = notebook_run.notebook_parameters("all", {"horizon": "5", "growth_rate": "0.01"})
    assert p == {"horizon": 5, "growth_rate": 0.01}
    with pytest.raises(InputError, match=r"unknown parameter\(s\) \['horizn'\]"):
        notebook_run.notebook_parameters("all", {"horizn": "5"})
    with pytest.raises(InputError, match="horizon"):
        notebook_run.notebook_parameters("all", {"horizon": "500"})
    with pytest.raises(InputError, match="unknown use case 'al'"):
        notebook_run.notebook_path("al")


def test_every_use_case_has_its_notebook():
    for use_case, name in notebook_run.NOTEBOOKS.items():
        text = notebook_run.notebook_path(use_case).read_text(encoding="utf-8")
        assert f'usecases.build(\\"{use_case}\\", params)' in text, name
    assert set(notebook_run.NOTEBOOKS) == set(usecases.USE_CASES)
    from wfkit.report import cli as report_cli

    assert report_cli._USE_CASES == list(notebook_run.NOTEBOOKS)


def papermills(path) -> dict:
    """The parameters papermill reads from a notebook, their defaults as values."""
    import papermill as pm

    out = {}
    for name, info in pm.inspect_notebook(str(path)).items():
        try:
            out[name] = notebook_run._literal(info.get("default"))
        except (ValueError, SyntaxError):  # not a literal: its text, as wfkit kept it
            out[name] = info.get("default")
    return out


def test_declared_parameters_are_what_papermill_reads(tmp_path):
    """Read without loading papermill (a report's kernel starts first), the same."""
    for use_case in notebook_run.NOTEBOOKS:
        path = notebook_run.notebook_path(use_case)
        assert notebook_run.declared_parameters(path) == papermills(path), use_case
    import nbformat

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(
        'a = 1\nb: int = 2  # two\nc: str = "x"\nd = [1, 2.5]\ne = 2 * 3\nf = None\n'
    )
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_code_cell("z = 9"), cell]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, tmp_path / "p.ipynb")
    got = notebook_run.declared_parameters(tmp_path / "p.ipynb")
    assert got == {"a": 1, "b": 2, "c": "x", "d": [1, 2.5], "e": "2 * 3", "f": None}
    assert got == papermills(tmp_path / "p.ipynb")


def test_notebook_default_output_folder_is_one_per_area():
    for use_case in notebook_run.NOTEBOOKS:
        default = notebook_run.declared_parameters(notebook_run.notebook_path(use_case))
        assert default["output_dir"].endswith("/{area}"), use_case
    assert output_dir_for("outputs/01/{area}", {"area": "Kentish Town South"}) == (
        "outputs/01/Kentish-Town-South"
    )
    assert output_dir_for("mine", {"area": "U78517"}) == "mine"
    ns = {
        "area": "U78517",
        "output_dir": "outputs/00/{area}",
        "__annotations__": {"area": str, "output_dir": str},
    }
    assert check_parameters(ns, injected=[])["output_dir"] == "outputs/00/U78517"


def test_kernels_get_their_own_sockets_not_tcp_ports():
    km_class = notebook_run.kernel_manager_class()
    a, b = km_class(kernel_name="python3"), km_class(kernel_name="python3")
    assert a.transport == b.transport == "ipc"
    assert a.ip != b.ip  # two kernels started at once can never share a socket


# ------------------------------------------------------------------------------------------
# charts that survive saving
# ------------------------------------------------------------------------------------------
def test_a_displayed_chart_carries_an_svg_beside_its_widget(run, monkeypatch):
    from altair.jupyter import JupyterChart

    monkeypatch.setattr(JupyterChart, "_is_offline", JupyterChart._is_offline)
    monkeypatch.setattr(JupyterChart, "_esm", JupyterChart._esm)
    ch = charts.cost_per_1000(usecases.results_frame(run))
    with alt.renderers.enable(chart_display.RENDERER, offline=False):
        data = ch._repr_mimebundle_()
        data = data[0] if isinstance(data, tuple) else data
    assert "application/vnd.jupyter.widget-view+json" in data
    assert (
        data["image/svg+xml"].startswith("<svg")
        and "Cost per 1,000 patients" in data["image/svg+xml"]
    )
    assert data["text/plain"].startswith("[chart: Cost per 1,000 patients")
    json.dumps(data)  # what a saved notebook stores


def test_the_explorer_carries_an_svg_of_its_chart():
    from wfkit import widgets

    uc = usecases.build("all", {"area": "U78517", "draws": 0})
    box = widgets.explore(uc, ["growth_rate"])
    data = box._repr_mimebundle_()
    data = data[0] if isinstance(data, tuple) else data
    assert "application/vnd.jupyter.widget-view+json" in data
    assert data["image/svg+xml"].startswith("<svg")


def test_the_same_chart_is_drawn_once(run, monkeypatch):
    import vl_convert

    calls = []
    real = vl_convert.vegalite_to_svg

    def counting(spec, **kw):
        calls.append(1)
        return real(spec, **kw)

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", counting)
    monkeypatch.setattr(chart_display, "_DRAWN", {})
    res = usecases.results_frame(run)
    first = charts.static_svg(charts.cost_per_1000(res))
    again = charts.static_svg(charts.cost_per_1000(res).to_dict())
    assert first == again and len(calls) == 1
    charts.static_svg(charts.cost_per_1000(res, year=2030))  # another chart: drawn
    assert len(calls) == 2


def test_chart_titles_name_the_area_in_words(run):
    res = usecases.results_frame(run)
    title = charts.fte_by_role(res).to_dict()["title"]["text"]
    assert title == "FTE required by role in Kentish Town South PCN"
    assert charts.area_name("QMJ") == "NHS North Central London ICB"
    assert charts.area_name("NOT-A-CODE") == "NOT-A-CODE"


def test_a_batch_pool_skips_jsonschemas_iri_grammar():
    """The batch's own worker processes skip rfc3987_syntax (about 1 s each), as the command does.

    In a process of its own: a process pool leaves multiprocessing's resource tracker running
    beside the process that made it, which other tests count as a leftover child.
    """
    import subprocess
    import sys

    code = (
        "from wfkit.report import batch\n"
        "if __name__ == '__main__':\n"
        "    pool, close = batch._executor(1, None)\n"
        "    probe = \"(__import__('jsonschema'), "
        "__import__('sys').modules.get('rfc3987_syntax', 0))[1]\"\n"
        "    try:\n"
        "        print(pool.submit(eval, probe).result(timeout=120) is None)\n"
        "    finally:\n"
        "        close()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.stdout.strip() == "True", done.stderr[-2000:]
