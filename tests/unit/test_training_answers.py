"""Answer keys that do not mislead (issue 23): each quotes figures for the network its exercise
uses, gives its number, and no page claims what the tools do not do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "training"
FIG = re.compile(r"<!-- fig: (?P<snippet>[\w-]+) (?P<key>[A-Z0-9_]+) -->")

pytestmark = pytest.mark.unit


def _read(rel: str) -> str:
    return (PACK / rel).read_text(encoding="utf-8")


def _pages() -> list[Path]:
    return [p for p in PACK.rglob("*.md") if ".ipynb_checkpoints" not in p.parts]


def _answer(text: str, number: int) -> str:
    """The text of numbered answer ``number`` in a solution page."""
    m = re.search(rf"^{number}\. (.*?)(?=^\d+\. |\Z)", text, re.MULTILINE | re.DOTALL)
    assert m, f"no answer {number}"
    return m[1]


def _areas_line(snippet: str) -> str:
    m = re.search(r'^settings\["areas"\] = (.*)$', _read(f"snippets/{snippet}"), re.MULTILINE)
    assert m, f"{snippet} does not set the areas"
    return m[1]


def test_solution_03_uses_the_network_exercise_02_moved_to():
    assert _areas_line("03_solution_your_own_shift.py") == _areas_line(
        "02_solution_another_network.py"
    )
    assert "Hackney Marshes" in _answer(_read("solutions/03-your-own-shift.md"), 3)
    assert "Hackney Marshes" in _read("exercises/03-your-own-shift.md")
    # and the name that heads the outputs is changed with the areas
    assert 'settings["name"] = "Hackney Marshes PCN"' in _read(
        "snippets/03_solution_your_own_shift.py"
    )
    assert "`name:`" in _read("exercises/02-your-own-network.md")


def test_solution_02_q1_gives_the_figure_with_its_range():
    keys = {m["key"] for m in FIG.finditer(_answer(_read("solutions/02-your-own-network.md"), 1))}
    assert {
        "NURSE_FTE_2030",
        "NURSE_FTE_2030_P10",
        "NURSE_FTE_2030_P50",
        "NURSE_FTE_2030_P90",
    } <= keys


def test_solution_04_q1_explains_more_than_double_with_its_figures():
    answer = _answer(_read("solutions/04-training-needs.md"), 1)
    keys = {m["key"] for m in FIG.finditer(answer)}
    assert {"HEADS_HALF_TIME", "HEADS_FULL_TIME", "DOUBLE_FULL_TIME"} <= keys
    assert "already" in answer and "More than double" in answer


def test_solution_05_does_not_claim_the_cost_rises_faster():
    text = _read("solutions/05-service-level.md")
    assert "rises faster as the promise" not in text.replace("\n", " ")
    assert "STEP_1_HOURS" in text and "STEP_2_HOURS" in text


def test_no_page_claims_every_line_of_default_yaml_has_a_comment():
    lines = (ROOT / "wfkit" / "scenarios" / "default.yaml").read_text("utf-8").splitlines()
    commented = sum("#" in ln for ln in lines)
    assert commented < len(lines)  # the claim would be false today
    for page in _pages():
        flat = " ".join(page.read_text("utf-8").split())
        assert "every line has a comment" not in flat, page.name


def test_no_page_tells_learners_to_filter_or_sort_in_jupyterlab():
    """JupyterLab's CSV viewer shows a table but cannot sort or filter it."""
    bad = re.compile(r"JupyterLab[^.;]{0,40}\b(and|to) (filter|sort)\b|in JupyterLab and\s+filter")
    for page in _pages():
        flat = " ".join(page.read_text("utf-8").split())
        assert not bad.search(flat), f"{page.name}: {bad.search(flat)[0]}"


def test_seeds_and_pooling_are_explained_with_figures():
    lesson2 = _read("lessons/02-run-a-scenario-for-your-network.md")
    assert "seed 42" in lesson2 and "20251123" in lesson2
    assert {"SEED_42_P10", "SEED_20251123_P10"} <= {m["key"] for m in FIG.finditer(lesson2)}
    lesson5 = _read("lessons/05-same-day-access-peaks.md")
    assert "notebook 02" in lesson5.lower() and "pool" in lesson5
    assert {"UPLIFT_600", "UPLIFT_9600"} <= {m["key"] for m in FIG.finditer(lesson5)}
