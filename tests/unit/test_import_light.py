"""``import wfkit`` and ``wfkit run`` load only what they use (issue 18).

Structural, not timed: a new Python process imports wfkit (or runs the example from the
command line) and the modules it loaded are read from ``sys.modules``.  Charts (altair,
vl-convert), widgets (ipywidgets, anywidget), Jupyter, papermill and Dask load only when a
name that needs them is asked for.  The timing is in ``benchmarks/importtime.py``.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import wfkit

ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "altair",
    "vl_convert",
    "ipywidgets",
    "anywidget",
    "IPython",
    "ipykernel",
    "jupyter",
    "jupyter_client",
    "jupyter_core",
    "jupyterlab",
    "nbformat",
    "nbclient",
    "papermill",
    "dask",
    "distributed",
    "jsonschema",
)


def loaded_by(code: str, *args: str, cwd: Path | None = None) -> set[str]:
    """The top-level packages a new Python process holds after running ``code``."""
    show = "\nimport json, sys\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    done = subprocess.run(
        [sys.executable, "-c", code + show, *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def heavy(mods: set[str]) -> list[str]:
    return sorted(m for m in mods if m in HEAVY or m.startswith("jupyter"))


def test_import_wfkit_loads_nothing_it_does_not_use():
    mods = loaded_by("import wfkit")
    assert heavy(mods) == []
    # not even the model: a public name is imported when first asked for
    assert not {"pandas", "numpy", "yaml"} & mods


@pytest.mark.parametrize(
    "code",
    [
        "from wfkit import run_scenario",
        "import wfkit; wfkit.scenario; wfkit.data; wfkit.model; wfkit.skills; wfkit.usecases",
        "import wfkit; wfkit.classic_wisn; wfkit.erlang_c; wfkit.output_folder",
    ],
)
def test_the_model_and_its_front_doors_load_no_charts_widgets_jupyter_or_dask(code):
    assert heavy(loaded_by(code)) == []


def test_wfkit_run_loads_no_charts_widgets_jupyter_or_dask(tmp_path):
    code = (
        "import sys\nfrom wfkit.cli import main\n"
        "assert main(['run', 'example', '--out', sys.argv[1]]) == 0"
    )
    mods = loaded_by(code, str(tmp_path / "out"), cwd=tmp_path)
    assert (tmp_path / "out" / "results.csv").is_file()
    assert heavy(mods) == []


def test_a_report_starts_its_kernel_before_loading_charts_the_workbook_or_nbconvert():
    """What ``make_report`` does before the kernel starts loads none of them, nor papermill:
    the kernel starts up while papermill loads, and the rest loads in the thread beside the
    kernel (benchmarks/README.md, "Reports and batches")."""
    code = (
        "from wfkit.report import make\n"
        "full = make.report_parameters('all', 'U78517', {'draws': '5'})\n"
        "assert full['draws'] == 5 and full['area'] == 'U78517'\n"
        "make.report_key('all', full)"
    )
    mods = loaded_by(code)
    assert not {"altair", "openpyxl", "nbconvert", "anywidget", "ipywidgets"} & mods
    assert not {"papermill", "nbformat", "jsonschema", "nbclient"} & mods


def test_a_report_process_loads_jsonschema_without_its_iri_checks():
    """``wfkit report`` (and each report's kernel) skips rfc3987_syntax, about 1 s to
    import; jsonschema then checks every format but ``iri`` and ``iri-reference``."""
    code = (
        "from wfkit.report.notebook_run import skip_iri_checks\n"
        "skip_iri_checks()\n"
        "import papermill, altair, jsonschema\n"
        "have = set(jsonschema.Draft7Validator.FORMAT_CHECKER.checkers)\n"
        "assert {'uri', 'uri-reference'} <= have and not {'iri', 'iri-reference'} & have\n"
        "assert sys.modules['rfc3987_syntax'] is None  # marked missing, never imported"
    )
    loaded_by("import sys\n" + code)
    # without it, the only checks it adds are those two (the ones skipped)
    full = (
        "import jsonschema\n"
        "assert {'iri', 'iri-reference'} <= set(jsonschema.Draft7Validator.FORMAT_CHECKER.checkers)"
    )
    assert "rfc3987_syntax" in loaded_by(full)


def test_no_schema_a_report_validates_asks_for_an_iri():
    """What the skipped checks would check: neither nbformat's schema nor altair's."""
    import altair
    import nbformat

    def formats(node) -> set[str]:
        if isinstance(node, dict):
            own = {node["format"]} if isinstance(node.get("format"), str) else set()
            return own.union(*(formats(v) for v in node.values()))
        if isinstance(node, list):
            return set().union(*(formats(v) for v in node))
        return set()

    vega = Path(altair.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json"
    assert formats(json.loads(vega.read_text())) == {"uri", "uri-reference", "color-hex"}
    schemas = list((Path(nbformat.__file__).parent / "v4").glob("nbformat.v4*.schema.json"))
    assert schemas
    for schema in schemas:
        assert not {"iri", "iri-reference"} & formats(json.loads(schema.read_text())), schema


def test_charts_still_load_when_asked_for():
    assert {"altair"} <= loaded_by("import wfkit; wfkit.charts")


def test_every_public_name_resolves_to_where_it_is_declared():
    """``__all__``, the lazy table and the imports type checkers read agree, and each name
    is the object its module defines."""
    tree = ast.parse((ROOT / "wfkit" / "__init__.py").read_text())
    (block,) = [n for n in tree.body if isinstance(n, ast.If)]  # if TYPE_CHECKING:
    typed = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom)
        for a in node.names:
            module = "." * node.level + (node.module or "")
            typed[a.asname or a.name] = (module, a.name) if node.module else (f".{a.name}", None)
    modules = {n for n, (_, attr) in typed.items() if attr is None}
    lazy = {n: w for n, w in typed.items() if n not in modules}
    assert lazy == wfkit._WHERE
    assert sorted(wfkit.__all__) == sorted({*typed, "__version__"})
    assert len(wfkit.__all__) == len(set(wfkit.__all__))
    import importlib

    for name, (module, attr) in wfkit._WHERE.items():
        assert getattr(wfkit, name) is getattr(importlib.import_module(module, "wfkit"), attr)
    for name in modules:
        assert getattr(wfkit, name) is importlib.import_module(f"wfkit.{name}")
    assert set(wfkit.__all__) <= set(dir(wfkit))


def test_submodules_are_attributes_and_unknown_names_are_refused():
    assert wfkit.queueing.erlang_c is wfkit.erlang_c
    from wfkit import tables as t

    assert t.AGE_BANDS is wfkit.AGE_BANDS
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        wfkit.no_such_name  # noqa: B018
