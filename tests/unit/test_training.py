"""The training pack cannot drift from the code.

Every snippet in ``training/snippets`` runs; every include block in the pack's markdown equals
its snippet byte for byte; every lesson opens with its front matter; every figure the text
quotes from a snippet's output is what the snippet prints now; every ``wfkit`` command shown
parses. After a change, ``python training/sync.py --figures`` brings the pack back in step.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from training import sync
from wfkit.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "training"


SNIPPETS = sync.snippet_files()
MARKDOWN = sync.markdown_files()
LESSONS = sorted((PACK / "lessons").glob("[0-9][0-9]-*.md"))
FRONT_MATTER = {
    "title": str,
    "teaching": int,
    "exercises": int,
    "questions": list,
    "objectives": list,
    "keypoints": list,
    "prerequisites": list,
}


def test_pack_has_lessons_exercises_solutions_and_snippets():
    assert len(LESSONS) >= 4
    for lesson in LESSONS:
        num = lesson.name[:2]
        assert list((PACK / "exercises").glob(f"{num}-*.md")), f"no exercise for {lesson.name}"
        assert list((PACK / "solutions").glob(f"{num}-*.md")), f"no solution for {lesson.name}"
    for name in ("README.md", "facilitator-guide.md", "glossary.md"):
        assert (PACK / name).is_file(), name


def test_every_include_block_equals_its_snippet_byte_for_byte():
    blocks = 0
    for md in MARKDOWN:
        text = md.read_text(encoding="utf-8")
        opened = len(re.findall(r"^<!-- include:", text, re.MULTILINE))
        found = list(sync.INCLUDE_RE.finditer(text))
        assert len(found) == opened, f"{md.name}: an include block is malformed"
        for m in found:
            snippet = PACK / m["path"]
            assert snippet.is_file(), f"{md.name}: includes missing {m['path']}"
            assert m["body"] == sync.snippet_text(m["path"], bool(m["key"])), (
                f"{md.relative_to(PACK)}: block for {m['path']} differs from the file; "
                "run python training/sync.py"
            )
            blocks += 1
    assert blocks >= len(SNIPPETS)


def test_lesson_pages_show_only_the_lines_that_matter():
    """Long code stays in the snippet (and the learner notebook); a page shows at most
    sync.MAX_SHOWN lines of it."""
    for md in LESSONS:
        for m in sync.INCLUDE_RE.finditer(md.read_text(encoding="utf-8")):
            shown = m["body"].count("\n")
            assert shown <= sync.MAX_SHOWN, (
                f"{md.relative_to(PACK)}: shows {shown} lines of {m['path']}; mark its key "
                f"lines with {sync.KEY_START} / {sync.KEY_END} and include it with 'key'"
            )


def test_key_lines_are_the_marked_ones_and_nothing_else():
    text = "import wfkit\n# [key]\nrun = wfkit.run_scenario('default')\n# [/key]\nx = 1\n"
    text += "# [key]\nprint(run.summary())\n# [/key]\n"
    assert sync.key_lines(text, "snippets/x.py") == (
        "# the lines that matter; the whole script: python training/snippets/x.py\n"
        "run = wfkit.run_scenario('default')\n# ...\nprint(run.summary())\n"
    )
    with pytest.raises(ValueError, match="between"):
        sync.key_lines("import wfkit\n", "snippets/x.py")
    with pytest.raises(ValueError, match="between"):
        sync.key_lines("# [key]\nimport wfkit\n", "snippets/x.py")


def test_every_snippet_is_included_somewhere():
    included = {
        m["path"] for md in MARKDOWN for m in sync.INCLUDE_RE.finditer(md.read_text("utf-8"))
    }
    for path in SNIPPETS:
        rel = path.relative_to(PACK).as_posix()
        assert rel in included, f"{rel} is not used by any page"


def test_no_python_code_outside_include_blocks():
    """Every Python example comes from a snippet the tests run."""
    for md in MARKDOWN:
        text = sync.INCLUDE_RE.sub("", md.read_text(encoding="utf-8"))
        assert "```python" not in text, f"{md.relative_to(PACK)}: python code not from a snippet"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_lesson_front_matter(lesson):
    text = lesson.read_text(encoding="utf-8")
    m = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    assert m, f"{lesson.name} does not open with front matter between --- lines"
    meta = yaml.safe_load(m[1])
    for key, kind in FRONT_MATTER.items():
        assert key in meta, f"{lesson.name}: front matter lacks {key}"
        assert isinstance(meta[key], kind), f"{lesson.name}: {key} should be a {kind.__name__}"
        if kind is list:
            assert meta[key], f"{lesson.name}: {key} is empty"
        if kind is int:
            assert meta[key] > 0


def test_readme_timings_add_up_to_the_lessons():
    """The README's lesson table quotes each lesson's teaching + exercise minutes."""
    readme = (PACK / "README.md").read_text(encoding="utf-8")
    for lesson in LESSONS:
        meta = yaml.safe_load(lesson.read_text("utf-8").split("---\n")[1])
        row = next((ln for ln in readme.splitlines() if f"lessons/{lesson.name}" in ln), None)
        assert row, f"README.md does not list {lesson.name}"
        assert f"| {meta['teaching']} | {meta['exercises']} |" in row, (
            f"README.md row for {lesson.name} should quote {meta['teaching']} and "
            f"{meta['exercises']} minutes"
        )


def test_snippets_run_and_the_figures_quoted_are_what_they_print(tmp_path):
    """One test runs every snippet (each once, in its own folder), so that under pytest-xdist
    only one worker pays for the model runs."""
    figures = {}
    for path in SNIPPETS:
        folder = tmp_path / path.stem
        folder.mkdir()
        figures[path.stem] = sync.parse_figures(sync.run_snippet(path, folder))
        assert figures[path.stem], f"{path.name} prints no KEY=value lines"
        assert not list(PACK.rglob("outputs")), f"{path.name} wrote inside training/"
    for name in ("results.csv", "demand.csv", "summary.json", "run.log"):
        assert (tmp_path / "02_run_scenario" / "outputs" / "lesson02" / name).is_file(), name

    quoted = 0
    for md in MARKDOWN:
        for m in sync.FIG_RE.finditer(md.read_text(encoding="utf-8")):
            stem, key = m["snippet"], m["key"]
            assert stem in figures, f"{md.name}: no snippet {stem}"
            assert key in figures[stem], f"{md.name}: {stem} prints no {key}"
            assert m["value"] == figures[stem][key], (
                f"{md.relative_to(PACK)}: quotes {stem} {key} = {m['value']}, the snippet "
                f"prints {figures[stem][key]}; run python training/sync.py --figures"
            )
            quoted += 1
    assert quoted >= 20


def test_wfkit_commands_in_the_pack_parse():
    parser = build_parser()
    commands = 0
    for md in MARKDOWN:
        for block in re.findall(r"```bash\n(.*?)```", md.read_text("utf-8"), re.DOTALL):
            for line in block.splitlines():
                line = line.split("#")[0].strip()
                words = shlex.split(line)
                if not words or Path(words[0]).name != "wfkit":
                    continue
                try:
                    parser.parse_args(words[1:])
                except SystemExit as exc:
                    if exc.code != 0:
                        pytest.fail(f"{md.name}: `{line}` does not parse")
                commands += 1
    assert commands >= 2


def test_files_the_pages_name_exist():
    """Snippets, lessons, exercises and solutions named in the pages are there."""
    for md in MARKDOWN:
        text = md.read_text(encoding="utf-8")
        for name in re.findall(r"training/snippets/([\w-]+\.py)", text):
            assert (PACK / "snippets" / name).is_file(), f"{md.name} names missing {name}"
        for link in re.findall(r"\]\(([^)#]+\.md)\)", text):
            if not link.startswith("http"):
                assert (md.parent / link).resolve().is_file(), f"{md.name}: broken link {link}"


def test_sync_check_passes():
    """Includes already in step: sync leaves every file unchanged."""
    for md in MARKDOWN:
        text = md.read_text(encoding="utf-8")
        assert sync.sync_includes(text) == text, md.name


def test_a_quoted_training_figure_matches_a_hand_computation_from_the_raw_tables():
    # lesson 02 quotes North Southwark's 2035 list; worked here without the model: each
    # practice's December 2025 patients by band x its sub-ICB's ONS 2022-based growth
    import wfkit.data as wd

    quoted = {
        m["key"]: m["value"]
        for md in MARKDOWN
        for m in sync.FIG_RE.finditer(md.read_text(encoding="utf-8"))
        if m["snippet"] == "02_run_scenario"
    }["POPULATION_2035"]
    prac = wd.load("areas").query("pcn == 'U06180'")[["practice", "sub_icb"]]
    ages = wd.load("practice_age").merge(prac, on="practice")
    proj = wd.load("projection").query("year in (2025, 2035)")
    ratio = proj.pivot_table(index=["area", "age_band"], columns="year", values="population")
    ratio = (ratio[2035] / ratio[2025]).rename("ratio").reset_index()
    m = ages.merge(ratio, left_on=["sub_icb", "age_band"], right_on=["area", "age_band"])
    assert int(quoted.replace(",", "")) == round((m.patients * m.ratio).sum())


def test_the_cheat_sheet_is_made_from_the_lessons(tmp_path):
    """training/cheatsheet.md is the lessons' cheat parts in order, never a hand-made copy:
    a part edited in a lesson moves the sheet, and two parts with one order are refused."""
    assert (PACK / "cheatsheet.md").read_text(encoding="utf-8") == sync.cheatsheet_text()
    sheet = sync.cheatsheet_text()
    for heading in ("Commands", "The model in one table", "The sign of the gap"):
        assert f"## {heading}" in sheet
    assert sheet.index("## Commands") < sheet.index("## The P10-P90 sentence")
    one = tmp_path / "01-a.md"
    one.write_text("x\n<!-- cheat: 2 Second -->\nb\n<!-- end cheat -->\n", encoding="utf-8")
    two = tmp_path / "02-b.md"
    two.write_text("<!-- cheat: 1 First -->\na\n<!-- end cheat -->\ny\n", encoding="utf-8")
    made = sync.cheatsheet_text([one, two])
    assert made.index("## First\n\na") < made.index("## Second\n\nb") and "x" not in made
    two.write_text("<!-- cheat: 2 Again -->\na\n<!-- end cheat -->\n", encoding="utf-8")
    with pytest.raises(ValueError, match="part 2 given twice"):
        sync.cheatsheet_text([one, two])
