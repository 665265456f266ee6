"""The training pack's learner and solution notebooks (training/notebooks/): made from their
sources, the learner's the solution with blanks, and every one runs: each solution's checks
all pass, each blank learner notebook runs to its end saying what is not answered yet."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from training import sync

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "training"


make = sync.notebook_maker()
SOURCES = make.sources()


def _run(path: Path, tmp_path: Path, monkeypatch) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    monkeypatch.setenv("WFKIT_OUTPUT_ROOT", str(tmp_path))
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    return nb


def _check_lines(nb) -> list[str]:
    lines = []
    for cell in nb.cells:
        if "check" in cell.metadata.get("tags", []):
            text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            assert text.strip(), f"a check cell printed nothing: {cell.source[:60]}"
            lines.append(text.strip())
    return lines


def test_one_learner_and_one_solution_notebook_per_lesson_in_step():
    lessons = sorted(p.stem for p in (PACK / "lessons").glob("[0-9][0-9]-*.md"))
    made = [s.stem for s in SOURCES]
    assert [n[:2] for n in made] == [n[:2] for n in lessons], "a notebook for every lesson"
    assert make.write_all(check=True) == [], "run python training/sync.py"


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_learner_notebook_is_the_solution_with_blanks(src):
    learner, solution = (nbformat.read(p, as_version=4) for p in make.targets(src))
    assert len(learner.cells) == len(solution.cells)
    answers = 0
    for a, b in zip(learner.cells, solution.cells, strict=True):
        tags = a.metadata.get("tags", [])
        if "answer" in tags:
            answers += 1
            assert a.source.endswith(make.BLANK) and "answer = ..." not in b.source
            kept = a.source.removesuffix(make.BLANK).strip()
            assert b.source.startswith(kept)
        else:
            assert a.source == b.source
    assert answers >= 2, f"{src.name}: at least two exercises"
    checks = sum("check" in c.metadata.get("tags", []) for c in learner.cells)
    assert checks == answers


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_solution_runs_and_every_check_passes(src, tmp_path, monkeypatch):
    """The learner's notebook with its blanks filled from the solution is the solution
    notebook cell for cell (test above), so this runs both."""
    nb = _run(make.targets(src)[1], tmp_path, monkeypatch)
    lines = _check_lines(nb)
    assert lines and all(ln.startswith("✓ Correct") for ln in lines), lines


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_blank_learner_notebook_runs_to_the_end(src, tmp_path, monkeypatch):
    nb = _run(make.targets(src)[0], tmp_path, monkeypatch)
    lines = _check_lines(nb)
    assert lines and all(ln.startswith("Not answered yet") for ln in lines), lines


def test_a_wrong_answer_gets_the_hint(tmp_path, monkeypatch):
    src = SOURCES[0]
    nb = nbformat.read(make.targets(src)[0], as_version=4)
    first = next(c for c in nb.cells if "answer" in c.metadata.get("tags", []))
    first.source = "answer = 999"
    wrong = tmp_path / "wrong.ipynb"
    nbformat.write(nb, wrong)
    lines = _check_lines(_run(wrong, tmp_path, monkeypatch))
    assert lines[0].startswith("✗ Not yet: you gave 999") and "Hint:" in lines[0]
    assert os.environ.get("WFKIT_OUTPUT_ROOT") == str(tmp_path)
