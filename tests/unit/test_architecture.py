"""The shape of wfkit, read from the source with ``ast`` (every ``import`` and ``from ...
import``, at module level or inside functions, so a lazy import cannot slip past; imports
under ``if TYPE_CHECKING:`` are left out, as they never run):

- the layers import one way, downwards (``docs/architecture.md``, the rules table);
- no import cycle among wfkit's modules;
- no private name (``_name``, one leading underscore) of one wfkit module is used by
  another: neither ``from wfkit.x import _y`` / ``from .x import _y`` nor ``x._y`` on an
  imported wfkit module.  A private *module* (the generated ``_scenario_validator``, the
  ``_version``) may be imported as a whole, and its public names used, but not its private
  names.  A helper several modules need is public, in a module named for what it does;
- an import inside a function (a lazy import) says why it is lazy, in a ``# lazy: <reason>``
  comment on the line above it (one comment may head a run of imports) or at the end of its
  line: it defers a heavy or optional dependency, or keeps a front end fast to start.
  Anything else goes at the top of the module.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import wfkit
from wfkit.model import capacity
from wfkit.tables import ABSENCE_DAYS

PKG = Path(wfkit.__file__).resolve().parent
DOCS = PKG.parent / "docs" / "architecture.md"

#: the front ends: they may import any layer (and nothing imports them but the package)
FRONT_ENDS = {
    "cli",
    "notebook",
    "widgets",
    "backtest",
    "hindcast",
    "exercises",
    "explorer",
    "app",
}
#: every layer above the shared ground (settings, tables, validation, cache, outputs, locking,
#: errors, _version)
ABOVE_SHARED = {
    "model",
    "wisn",
    "queueing",
    "frontdoor",
    "frontdoor_flow",
    "data",
    "scenario",
    "usecases",
    "skills",
    "charts",
    "frontdoor_charts",
    "tables_display",
    "drivers",
    "sensitivity",
    "driver_charts",
    "report",
    "funding",
    "optimiser",
    "optimiser_lp",
    *FRONT_ENDS,
}

#: the best skill mix (wfkit.optimise): above the scenarios and skills it reads
OPTIMISER = {"optimiser", "optimiser_lp"}

#: layer -> wfkit modules (first part below ``wfkit``) it must never import: every upward
#: import docs/architecture.md draws
FORBIDDEN = {
    "model": (
        ABOVE_SHARED
        | {"outputs", "cache", "tables", "validation", "input_files", "settings", "setting"}
        | {"_version"}
    )
    - {"model"},
    "wisn": ABOVE_SHARED - {"model", "wisn"} | {"outputs", "cache"},
    "queueing": ABOVE_SHARED - {"model", "queueing"} | {"outputs", "cache"},
    "data": ABOVE_SHARED - {"data"},
    "scenario": {
        "usecases",
        "skills",
        "charts",
        "drivers",
        "sensitivity",
        "report",
        *FRONT_ENDS,
        *OPTIMISER,
    },
    "usecases": {"charts", "driver_charts", "report", *FRONT_ENDS},
    # the front door sizes phone lines from the bundled data with the queueing functions
    "frontdoor": {"scenario", "usecases", "skills", "charts", "report", *FRONT_ENDS},
    # requests followed to appointments and clinicians, scenarios costed: above the front door
    "frontdoor_flow": {"scenario", "usecases", "skills", "charts", "report", *FRONT_ENDS},
    "skills": {"scenario", "usecases", "charts", "report", *FRONT_ENDS, *OPTIMISER},
    # the best skill mix: a scenario's run, the skills tables and the funding rules in; it
    # knows nothing of charts, use cases, reports or front ends (its LP module not of it)
    "optimiser": {"usecases", "charts", "report", *FRONT_ENDS},
    "optimiser_lp": {"optimiser", "usecases", "charts", "report", *FRONT_ENDS},
    # funding streams and their caps: a bundled table read and checked, beside the data
    "funding": ABOVE_SHARED - {"data", "funding"},
    "charts": {"scenario", "usecases", "skills", "report", "drivers", "sensitivity", *FRONT_ENDS},
    # the front door's charts: beside the chart functions (their colours and area names)
    "frontdoor_charts": {"scenario", "usecases", "skills", "report", *FRONT_ENDS},
    # charts of work moved in from hospital: beside the chart functions
    "closer_charts": {"scenario", "usecases", "skills", "report", *FRONT_ENDS},
    # why the answer is what it is: drivers of the change, then what moves it (it uses the
    # drivers), both over scenario runs and the engine; their charts beside the others
    "drivers": {
        "usecases",
        "skills",
        "charts",
        "driver_charts",
        "sensitivity",
        "report",
        *FRONT_ENDS,
    },
    "sensitivity": {"usecases", "skills", "charts", "driver_charts", "report", *FRONT_ENDS},
    "driver_charts": {
        "scenario",
        "usecases",
        "skills",
        "drivers",
        "sensitivity",
        "report",
        *FRONT_ENDS,
    },
    # how charts are shown (widgets, static SVG): below the chart functions, above shared ground
    "chart_display": {"charts", "data", "scenario", "usecases", "skills", "report", *FRONT_ENDS},
    # tables people read: beside the chart functions (their words), below use cases' callers
    "tables_display": {"scenario", "usecases", "skills", "report", *FRONT_ENDS},
    # reports and batches run notebooks and use cases; only the command line calls them
    "report": set(FRONT_ENDS),
    "tables": ABOVE_SHARED | {"cache", "outputs"},
    "validation": ABOVE_SHARED | {"tables", "cache", "outputs", "input_files"},
    # reading a user's files checks them against a table spec (validation), nothing above
    "input_files": ABOVE_SHARED | {"tables", "cache", "outputs"},
    "cache": ABOVE_SHARED | {"outputs"},
    "outputs": ABOVE_SHARED | {"cache", "tables", "validation"},
    "settings": ABOVE_SHARED | {"tables", "validation", "cache", "outputs", "_version"},
    # the type of one setting: below the declarations that use it
    "setting": ABOVE_SHARED | {"settings", "tables", "validation", "cache", "outputs", "_version"},
    "_version": ABOVE_SHARED
    | {"settings", "setting", "tables", "validation", "cache", "outputs", "errors"},
    "locking": ABOVE_SHARED
    | {"settings", "setting", "tables", "validation", "cache", "outputs", "_version", "errors"},
    "errors": ABOVE_SHARED
    | {"settings", "setting", "tables", "validation", "cache", "outputs", "_version"},
}


def _module_name(path: Path) -> str:
    """``wfkit/scenario/run.py`` -> ``wfkit.scenario.run``; a package's ``__init__.py`` is
    the package."""
    parts = ["wfkit", *path.relative_to(PKG).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


#: every module of the package, by dotted name
MODULES = {_module_name(p): p for p in sorted(PKG.rglob("*.py"))}


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the nodes under ``if TYPE_CHECKING:`` (never run)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        test = getattr(node, "test", None)
        if isinstance(node, ast.If) and (
            (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
            or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
        ):
            out |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return out


def _imports(path: Path) -> list[tuple[ast.Import | ast.ImportFrom, list[tuple[str, str]]]]:
    """Each import statement of a file that runs, with what it binds: ``(module, name)``
    pairs, ``name`` empty for a whole module (``import wfkit.x``, ``from . import x`` where
    ``x`` is a module) and the imported name otherwise.  Relative imports are resolved
    against the file's package; only wfkit's own modules are kept."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_only(tree)
    out = []
    for node in ast.walk(tree):
        if id(node) in skip or not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        pairs: list[tuple[str, str]] = []
        if isinstance(node, ast.Import):
            pairs = [(a.name, "") for a in node.names]
        else:
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            for a in node.names:
                sub = f"{mod}.{a.name}"
                pairs.append((sub, "") if sub in MODULES else (mod, a.name))
        kept = []
        for mod, attr in pairs:
            while mod and mod not in MODULES:  # ``import wfkit.x.y`` of a name: its module
                mod = mod.rpartition(".")[0]
            if mod.startswith("wfkit"):
                kept.append((mod, attr))
        if kept:
            out.append((node, kept))
    return out


def _graph() -> dict[str, dict[str, int]]:
    """wfkit module -> the wfkit modules it imports (first line that does)."""
    graph: dict[str, dict[str, int]] = {}
    for name, path in MODULES.items():
        edges: dict[str, int] = {}
        for node, pairs in _imports(path):
            for mod, _ in pairs:
                if mod != name:
                    edges.setdefault(mod, node.lineno)
        graph[name] = edges
    return graph


def _wfkit_imports(path: Path) -> set[str]:
    """First-level wfkit modules a file imports (``wfkit.scenario.run`` -> ``scenario``)."""
    return {
        mod.split(".")[1] for _, pairs in _imports(path) for mod, _ in pairs if mod.count(".") >= 1
    }


def find_cycle(graph: dict[str, dict[str, int]]) -> list[str] | None:
    """One import cycle (``[a, b, ..., a]``), or ``None``: a depth-first search that meets
    a module still on its path."""
    state: dict[str, int] = {}  # 1 on the path, 2 done
    path: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        path.append(m)
        for n in sorted(graph.get(m, {})):
            if state.get(n) == 1:
                return [*path[path.index(n) :], n]
            if n not in state:
                found = visit(n)
                if found:
                    return found
        path.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state:
            found = visit(m)
            if found:
                return found
    return None


def _files(layer: str) -> list[Path]:
    folder = PKG / layer
    return sorted(folder.rglob("*.py")) if folder.is_dir() else [PKG / f"{layer}.py"]


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_each_layer_imports_only_downwards(layer):
    for path in _files(layer):
        bad = (_wfkit_imports(path) - {layer}) & FORBIDDEN[layer]
        assert not bad, f"{path.relative_to(PKG)} imports wfkit.{sorted(bad)}"


def test_the_model_imports_nothing_but_errors_and_itself():
    for path in _files("model"):
        assert _wfkit_imports(path) <= {"model", "errors"}, path.name


def test_the_checker_sees_lazy_and_relative_imports(tmp_path):
    # a planted upward import inside a function of the model must be found
    probe = PKG / "model" / "_probe_layers.py"
    probe.write_text("def f():\n    from ..scenario import run_scenario\n", encoding="utf-8")
    try:
        assert "scenario" in _wfkit_imports(probe)
    finally:
        probe.unlink()


def test_every_module_has_a_layer():
    """A new top-level module must be placed: in FORBIDDEN (with what it may not import)
    or a front end, so no module escapes the layer rules."""
    placed = set(FORBIDDEN) | FRONT_ENDS
    tops = {name.split(".")[1] for name in MODULES if name != "wfkit"}
    assert tops <= placed, f"modules with no layer: {sorted(tops - placed)}"


def test_the_rules_table_names_every_layer():
    """docs/architecture.md's rules table has a row for every layer the test enforces."""
    text = DOCS.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| `wfkit.")]
    named = {m for line in rows for m in re.findall(r"`wfkit\.(\w+)`", line.split("|")[1])}
    assert set(FORBIDDEN) <= named, f"layers missing from the rules table: {set(FORBIDDEN) - named}"


def _cycle_text(cycle: list[str], graph: dict[str, dict[str, int]]) -> str:
    return (
        " -> ".join(f"{a} (line {graph[a][b]})" for a, b in zip(cycle, cycle[1:], strict=False))
        + f" -> {cycle[-1]}"
    )


def test_no_import_cycles():
    graph = _graph()
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + _cycle_text(cycle, graph)


def test_the_cycle_finder_finds_a_cycle_through_a_lazy_import():
    graph = _graph()
    # the command line imports the scenario package lazily, inside functions
    assert "wfkit.scenario" in graph["wfkit.cli"]
    # a planted edge back from the scenario package closes a cycle, and it is found
    planted = {**graph, "wfkit.scenario.run": {**graph["wfkit.scenario.run"], "wfkit.cli": 1}}
    cycle = find_cycle(planted)
    assert cycle is not None and cycle[0] == cycle[-1]
    assert {"wfkit.cli", "wfkit.scenario.run"} <= set(cycle)
    assert find_cycle({"a": {"b": 1}, "b": {"c": 1}, "c": {}}) is None
    assert find_cycle({"a": {"b": 1}, "b": {"a": 3}}) == ["a", "b", "a"]


def test_from_a_package_import_a_module_is_that_module():
    """``from . import x`` binds module ``x`` (the edge goes to it, not to the package)."""
    graph = _graph()
    assert "wfkit.usecases.params" in graph["wfkit.usecases.base"]  # from . import params
    assert "wfkit.cache" in graph["wfkit.data.loader"]  # from .. import cache


def _private_uses(path: Path) -> list[str]:
    """Private names of other wfkit modules this file uses: imported by name, or read as
    an attribute of an imported wfkit module."""
    here = _module_name(path)
    bad: list[str] = []
    aliases: dict[str, str] = {}
    for node, pairs in _imports(path):
        for (mod, attr), alias in zip(pairs, node.names, strict=True):
            if not attr and (alias.asname or isinstance(node, ast.ImportFrom)):
                aliases[alias.asname or alias.name] = mod
            if _private(attr) and mod != here:
                bad.append(f"line {node.lineno}: {attr} from {mod}")
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and _private(node.attr)
            and aliases[node.value.id] != here
        ):
            bad.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    return bad


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_no_private_name_is_used_across_modules():
    bad = {
        str(path.relative_to(PKG)): found
        for path in MODULES.values()
        if (found := _private_uses(path))
    }
    assert not bad, f"private names used across modules: {bad}"


@pytest.mark.parametrize(
    "source, found",
    [
        ("from .engine import _helper\n", True),
        ("def f():\n    from wfkit.model.engine import _helper\n", True),
        ("from .. import errors as e\nx = e._secret\n", True),
        ("from . import engine\nx = engine._helper\n", True),
        ("from .engine import run_model, __doc__\n", False),
        ("from .. import _version\nx = _version.__version__\n", False),
    ],
)
def test_the_private_name_check_sees_imports_and_attributes(source, found):
    probe = PKG / "model" / "_probe_private.py"
    probe.write_text(source, encoding="utf-8")
    try:
        assert bool(_private_uses(probe)) is found
    finally:
        probe.unlink()


def _unexplained_lazy_imports(path: Path) -> list[int]:
    """Lines of imports inside functions with no ``# lazy: <reason>`` comment on the line
    above them (or above the first of a run of imports right after each other) or at the
    end of their line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    tree = ast.parse("\n".join(lines))
    bad: list[int] = []
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(func):
            for _, value in ast.iter_fields(node):
                if not isinstance(value, list):
                    continue
                explained = False
                prev_end = -1
                for stmt in value:
                    if not isinstance(stmt, ast.Import | ast.ImportFrom):
                        explained, prev_end = False, -1
                        continue
                    above = lines[stmt.lineno - 2].strip() if stmt.lineno >= 2 else ""
                    own = lines[(stmt.end_lineno or stmt.lineno) - 1]
                    if re.match(r"# lazy: \S", above):
                        explained = True  # and the imports right after it
                    elif re.search(r"# lazy: \S", own):
                        explained = False  # its own reason, for itself
                    elif not (explained and stmt.lineno == prev_end + 1):
                        explained = False
                        bad.append(stmt.lineno)
                    prev_end = stmt.end_lineno or stmt.lineno
    return sorted(set(bad))


def test_every_lazy_import_says_why():
    bad = {
        str(path.relative_to(PKG)): lines
        for path in MODULES.values()
        if (lines := _unexplained_lazy_imports(path))
    }
    assert not bad, (
        "imports inside functions without a '# lazy: <reason>' line above them (move them "
        f"to the top of the module unless they defer a heavy dependency): {bad}"
    )


@pytest.mark.parametrize(
    "source, bad",
    [
        ("def f():\n    import json\n", [2]),
        ("def f():\n    # lazy: altair only for charts\n    import altair\n", []),
        ("def f():\n    # lazy: IPython in a kernel\n    import a\n    import b\n", []),
        ("def f():\n    # lazy: a\n    import a\n\n    import b\n", [5]),
        ("def f():\n    if x:\n        import a\n", [3]),
        ("def f():\n    import a  # lazy: a is slow\n    import b\n", [3]),
        ("def f():\n    import a  # noqa: PLC0415\n", [2]),
        ("import json\n", []),
    ],
)
def test_the_lazy_import_check(source, bad):
    probe = PKG / "model" / "_probe_lazy.py"
    probe.write_text(source, encoding="utf-8")
    try:
        assert _unexplained_lazy_imports(probe) == bad
    finally:
        probe.unlink()


def test_the_capacity_table_and_the_engine_deduct_the_same_absences():
    assert tuple(capacity.ABSENCES) == tuple(ABSENCE_DAYS)


#: the longest a module of the package may be (generated code excepted): past it, a module
#: holds more than one concept and a reader cannot see its shape
MAX_MODULE_LINES = 700


def test_no_module_is_longer_than_the_limit():
    generated = {PKG / "scenario" / "_scenario_validator.py"}
    long = {
        str(p.relative_to(PKG)): n
        for p in PKG.rglob("*.py")
        if p not in generated and (n := len(p.read_text("utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"modules over {MAX_MODULE_LINES} lines (split by concept): {long}"
