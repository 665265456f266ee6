"""Learner and solution notebooks, made from one source per lesson.

Each ``notebooks/src/`` source (``01-the-model-in-one-page.py``) is a script in "percent" cells::

    # %% [markdown]
    # # Lesson 02 ...
    # %%
    import wfkit
    # %% [answer]
    final = run.summary()["variants"]["baseline"]   # kept in both notebooks
    # solution
    answer = final["required_fte"]["value"]         # the learner gets: answer = ...
    # %% [check]
    check(answer, ..., hint="...")                   # the input folds away in JupyterLab

From it this module writes ``notebooks/`` (same name, ``.ipynb``) (the learner's: after a
``# solution`` line the answer cell keeps only ``answer = ...``) and
``notebooks/solutions/`` (the whole answer), both without outputs.
``python training/sync.py`` calls :func:`write_all`; ``--check`` reports a notebook out of step.
Check cells compute the expected figure from the model when they run, so no figure in a
notebook can drift from the code.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

PACK = Path(__file__).resolve().parent
FOLDER = PACK / "notebooks"
SOURCES = FOLDER / "src"
SOLUTIONS = FOLDER / "solutions"
CELL_RE = re.compile(r"^# %%(?: \[(?P<kind>markdown|answer|check)\])?[ \t]*$", re.MULTILINE)
BLANK = "answer = ...  # your answer: replace ... and run the cell"


def sources() -> list[Path]:
    """Every notebook source, sorted."""
    return sorted(SOURCES.glob("[0-9][0-9]-*.py"))


def cells(source: str) -> list[tuple[str, str]]:
    """``(kind, text)`` for each cell of a percent-format source (kind ``code`` by default)."""
    marks = list(CELL_RE.finditer(source))
    out = []
    for m, nxt in zip(marks, [*marks[1:], None], strict=True):
        body = source[m.end() : nxt.start() if nxt else len(source)].strip("\n")
        kind = m["kind"] or "code"
        if kind == "markdown":
            body = "\n".join(re.sub(r"^# ?", "", ln) for ln in body.splitlines())
        out.append((kind, body))
    return out


def _answer(body: str, learner: bool) -> str:
    if "\n# solution\n" not in f"\n{body}\n":
        return BLANK if learner else body
    before, _, after = f"\n{body}\n".partition("\n# solution\n")
    kept = before.strip("\n")
    return f"{kept}\n{BLANK}".strip("\n") if learner else f"{kept}\n{after.strip()}".strip("\n")


def notebook(source: str, learner: bool) -> nbformat.NotebookNode:
    """The learner's (``learner=True``) or the solution notebook of one source."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for i, (kind, body) in enumerate(cells(source)):
        if kind == "markdown":
            cell = nbformat.v4.new_markdown_cell(body)
        else:
            text = _answer(body, learner) if kind == "answer" else body
            cell = nbformat.v4.new_code_cell(text)
            if kind in ("answer", "check"):
                cell.metadata["tags"] = [kind]
            if kind == "check":
                cell.metadata["jupyter"] = {"source_hidden": True}
        cell.id = f"cell-{i:02d}"
        nb.cells.append(cell)
    return nb


def targets(src: Path) -> tuple[Path, Path]:
    """Where the learner's and the solution notebook of ``src`` go."""
    return FOLDER / f"{src.stem}.ipynb", SOLUTIONS / f"{src.stem}.ipynb"


def write_all(check: bool = False) -> list[Path]:
    """Write every learner and solution notebook; return the ones that were out of step."""
    stale = []
    for src in sources():
        text = src.read_text(encoding="utf-8")
        for path, learner in zip(targets(src), (True, False), strict=True):
            new = nbformat.writes(notebook(text, learner)) + "\n"
            old = path.read_text(encoding="utf-8") if path.is_file() else None
            if new != old:
                stale.append(path)
                if not check:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(new, encoding="utf-8")
    return stale
