"""References in the package, the docs and the training pack point at things that exist.

Read from the files' prose: markdown, notebook cells, and the docstrings and comments of
Python files (their code's strings are paths and names relative to other places):

- every dotted name ``wfkit.x.y`` resolves (a module of wfkit, or a name in one);
- every relative markdown link ``[text](path)`` resolves to a file or folder;
- every path written from the checkout's top (``docs/x.md``, ``wfkit/x/y.py``) and every
  upper-case file named alone (``README.md``) exists;
- every module of ``wfkit/`` is named, by its path, in ``docs/architecture.md``.

``CHANGELOG.md`` is left out on purpose: it records names as they were.
"""

from __future__ import annotations

import ast
import importlib
import io
import json
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PKG = ROOT / "wfkit"
#: generated code: its text is the compiled schema, not prose
GENERATED = {PKG / "scenario" / "_scenario_validator.py"}
#: the checkout's top-level folders a path in the text may start from
TOP = ("wfkit", "docs", "data", "tests", "notebooks", "training", "benchmarks")
#: folders the code writes into (ignored by git), which a text may name before they exist
OUTPUTS = ("benchmarks/results/", "outputs/")

DOTTED = re.compile(r"(?<![\w.])wfkit(?:\.[A-Za-z_]\w*)+")
LINK = re.compile(r"\]\(([^)\s]+)\)")
PATH = re.compile(r"(?<![\w./~<>-])((?:" + "|".join(TOP) + r")/[\w./-]*\.[A-Za-z]\w*)")
UPPER = re.compile(r"(?<![\w./-])([A-Z][A-Z_]+\.md)\b")


def _sources() -> list[Path]:
    """The files whose references are checked."""
    files = [p for p in sorted(PKG.rglob("*.py")) if p not in GENERATED]
    files += sorted((ROOT / "docs").glob("*.md")) + sorted((ROOT / "docs").glob("*.py"))
    files += [ROOT / "README.md", ROOT / "notebooks" / "README.md"]
    files += sorted((ROOT / "notebooks").glob("*.ipynb"))
    files += sorted((ROOT / "training").rglob("*.md")) + sorted((ROOT / "training").rglob("*.py"))
    files += [ROOT / "benchmarks" / "README.md", ROOT / "data" / "README.md"]
    return [p for p in files if "__pycache__" not in p.parts]


def _text(path: Path) -> str:
    """A file's prose: markdown as it is, a notebook's cell sources (not its outputs), a
    Python file's docstrings and comments."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        return "\n".join("".join(c["source"]) for c in json.loads(raw)["cells"])
    if path.suffix != ".py":
        return raw
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    docs = [
        ast.get_docstring(n, clean=False) or ""
        for n in ast.walk(ast.parse(raw))
        if isinstance(n, kinds)
    ]
    tokens = tokenize.generate_tokens(io.StringIO(raw).readline)
    comments = [t.string for t in tokens if t.type == tokenize.COMMENT]
    return "\n".join(docs + comments)


def _resolves(dotted: str) -> bool:
    """Whether ``wfkit.a.b.c`` is a module of wfkit or a name reachable from one."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ModuleNotFoundError:
            continue
        for name in parts[i:]:
            if not hasattr(obj, name):
                return False
            obj = getattr(obj, name)
        return True
    return False


def dead_names(text: str) -> list[str]:
    """The ``wfkit.x.y`` names in ``text`` that do not resolve."""
    return sorted({m for m in DOTTED.findall(text) if not _resolves(m)})


def dead_links(text: str, folder: Path) -> list[str]:
    """Relative markdown links, top-level paths and upper-case ``.md`` names in ``text``
    (a file in ``folder``) that name nothing in the checkout."""
    bad = set()
    for target in LINK.findall(text):
        if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue  # a URL (https:, mailto:) or an anchor on the same page
        if not (folder / target.split("#")[0]).exists():
            bad.add(target)
    bad |= {p for p in PATH.findall(text) if not (ROOT / p).exists() and not p.startswith(OUTPUTS)}
    bad |= {n for n in UPPER.findall(text) if not ((folder / n).exists() or (ROOT / n).exists())}
    return sorted(bad)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", _sources(), ids=_rel)
def test_every_reference_resolves(path):
    text = _text(path)
    assert not dead_names(text), f"{_rel(path)}: no such wfkit name {dead_names(text)}"
    assert not dead_links(text, path.parent), (
        f"{_rel(path)}: no such file {dead_links(text, path.parent)}"
    )


def test_every_module_is_in_the_architecture_page():
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(wfkit/[\w/]+\.py)`", page))
    modules = {_rel(p) for p in PKG.rglob("*.py") if "__pycache__" not in p.parts}
    assert not modules - named, f"docs/architecture.md does not name {sorted(modules - named)}"
    assert not named - modules, f"docs/architecture.md names missing {sorted(named - modules)}"


def test_the_checks_find_what_they_are_for(tmp_path):
    # planted: each kind of stale reference this file exists to catch
    assert dead_names("see :mod:`wfkit.uncertainty` and wfkit.engine.ModelResult") == [
        "wfkit.engine.ModelResult",
        "wfkit.uncertainty",
    ]
    assert dead_names("wfkit.model.engine.ModelResult.to_frame, wfkit.usecases.Setting.") == []
    assert dead_names("wfkit.model.engine.ModelResult.no_such_method") == [
        "wfkit.model.engine.ModelResult.no_such_method"
    ]
    (tmp_path / "here.md").write_text("x")
    text = (
        "[ok](here.md) [anchor](here.md#top) [web](https://example.org) [gone](gone.md) "
        "as in DESIGN.md section 1; docs/architecture.md and docs/no-such-page.md; "
        "README.md; share/wfkit/data/x.csv"
    )
    assert dead_links(text, tmp_path) == ["DESIGN.md", "docs/no-such-page.md", "gone.md"]
