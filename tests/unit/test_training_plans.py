"""Sessions that add up: each plan's blocks sum exactly to its stated length, each lesson and
exercise gets the minutes its own front matter gives, and the tables are made from the plans."""

from __future__ import annotations

from pathlib import Path

import pytest

from training import sync

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "training"
PLANS = {p.stem: p for p in sorted((PACK / "plans").glob("*.md"))}

pytestmark = pytest.mark.unit


def _plan(name: str) -> dict:
    return sync.front_matter(PLANS[name].read_text(encoding="utf-8"))


def test_the_three_plans_are_there():
    assert set(PLANS) == {"three-hours", "full-day", "demo-only"}
    assert _plan("three-hours")["total_minutes"] == 180, "the 3-hour plan is 3 hours"
    assert _plan("demo-only")["total_minutes"] == 180


@pytest.mark.parametrize("name", sorted(PLANS))
def test_timings_sum_exactly(name):
    plan = _plan(name)
    minutes = [b["minutes"] for b in plan["blocks"]]
    assert all(isinstance(m, int) and m > 0 for m in minutes)
    assert sum(minutes) == plan["total_minutes"], (
        f"{name}: blocks sum to {sum(minutes)}, the plan says {plan['total_minutes']}"
    )
    rows = sync.plan_rows(plan)
    # each block starts when the one before ends
    clock = [int(s.split(":")[0]) * 60 + int(s.split(":")[1]) for s, _, _ in rows]
    assert all(b - a == m for a, b, (_, m, _) in zip(clock, clock[1:], rows, strict=False))


@pytest.mark.parametrize("name", sorted(PLANS))
def test_lessons_and_exercises_get_their_own_minutes(name):
    for block in _plan(name)["blocks"]:
        kind = block["kind"]
        assert kind in {"welcome", "lesson", "exercise", "break", "teach-back", "practice", "close"}
        if kind not in ("lesson", "exercise"):
            assert block.get("what"), f"{name}: a {kind} block says what happens"
            continue
        lesson = sync._lesson_page("lessons", block[kind])
        meta = sync.front_matter(lesson.read_text("utf-8"))
        want = meta["teaching"] if kind == "lesson" else meta["exercises"]
        assert block["minutes"] == want, (
            f"{name}: {kind} {block[kind]} gets {block['minutes']} min, its front matter {want}"
        )
        assert sync._lesson_page("exercises" if kind == "exercise" else "lessons", block[kind])


@pytest.mark.parametrize("name", sorted(PLANS))
def test_each_plan_names_breaks_and_a_teach_back(name):
    kinds = [b["kind"] for b in _plan(name)["blocks"]]
    assert "break" in kinds and "teach-back" in kinds and "lesson" in kinds
    assert "exercise" in kinds


def test_demo_only_plan_needs_no_learner_laptop():
    for block in _plan("demo-only")["blocks"]:
        if block["kind"] == "exercise":
            assert block["mode"] in ("paper", "demo")
        assert block.get("mode") != "laptop"


@pytest.mark.parametrize("name", sorted(PLANS))
def test_plan_table_is_made_from_the_front_matter(name):
    text = PLANS[name].read_text(encoding="utf-8")
    assert sync.sync_plans(text) == text, f"{name}: run python training/sync.py"
    assert f"**{_plan(name)['total_minutes']}**" in text


def test_a_planted_extra_minute_fails(tmp_path):
    plan = _plan("three-hours")
    plan["blocks"][0]["minutes"] += 1
    assert sum(b["minutes"] for b in plan["blocks"]) != plan["total_minutes"]
    assert sync.plan_table(plan).splitlines()[-1].startswith("| 12:31 | **181**")


def test_the_pack_readme_links_every_plan_and_quotes_no_other_timetable():
    readme = (PACK / "README.md").read_text(encoding="utf-8")
    for name in PLANS:
        assert f"plans/{name}.md" in readme
    assert "3 hours 30" not in readme and "Half day" not in readme
