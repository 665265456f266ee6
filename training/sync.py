"""Keep the training pack in step with the code.

Every code example in the pack's markdown is copied from a script in ``training/snippets/``
between two markers::

    <!-- include: snippets/02_run_scenario.py -->
    ```python
    ...the file's contents, byte for byte...
    ```
    <!-- end include -->

and every figure the text quotes from a snippet's output is marked with the snippet and the
``KEY`` it prints as ``KEY=value``::

    <!-- fig: 02_run_scenario REQUIRED_FTE_2035 -->219.1<!-- end fig -->

Usage (from the repository root)::

    python training/sync.py            # rewrite every include block from its snippet
    python training/sync.py --figures  # also run the snippets and rewrite the quoted figures
    python training/sync.py --check    # change nothing; exit 1 if anything is out of step

``python -m training.sync`` does the same. ``tests/unit/test_training.py`` fails when the
pack is out of step, so after changing a snippet or the model, run this and review the diff.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import runpy
import sys
import tempfile
from pathlib import Path

PACK = Path(__file__).resolve().parent
SNIPPETS = PACK / "snippets"

INCLUDE_RE = re.compile(
    r"<!-- include: (?P<path>[^ ]+)(?P<key> key)? -->\n```python\n(?P<body>.*?)```\n"
    r"<!-- end include -->",
    re.DOTALL,
)
#: a snippet's lines that matter, between these comment lines: ``<!-- include: PATH key -->``
#: shows only them (the whole script stays runnable beside the page)
KEY_START, KEY_END = "# [key]", "# [/key]"
#: the most lines a lesson page shows of a snippet; longer ones show their key lines
MAX_SHOWN = 22
FIG_RE = re.compile(
    r"<!-- fig: (?P<snippet>[\w-]+) (?P<key>[A-Z0-9_]+) -->(?P<value>.*?)<!-- end fig -->"
)
#: a lesson's lines that also go on the cheat sheet: ``<!-- cheat: ORDER [HEADING] -->``
CHEAT_RE = re.compile(
    r"<!-- cheat: (?P<order>\d+)(?: (?P<title>[^\n]*?))? -->\n(?P<body>.*?)<!-- end cheat -->",
    re.DOTALL,
)
CHEATSHEET = PACK / "cheatsheet.md"
PLAN_RE = re.compile(r"<!-- plan -->\n.*?<!-- end plan -->", re.DOTALL)
KEY_RE = re.compile(r"^(?P<key>[A-Z][A-Z0-9_]*)=(?P<value>.*)$")


#: folders editors and tools write beside the pages (JupyterLab's Markdown Preview writes
#: ``.ipynb_checkpoints/``); nothing under them is part of the pack
LITTER_DIRS = frozenset({".ipynb_checkpoints", "__pycache__", "node_modules", "site", "build"})


def is_litter(path: Path) -> bool:
    """Whether ``path`` (relative to the pack) is an editor's or a tool's file, not the pack's.

    Checkpoint and cache folders, hidden files and folders (``.DS_Store``, ``.~lock.x.md#``),
    Office's owner files (``~$name.md``), editors' swap and backup files (``.swp``, ``~``).
    """
    parts = path.parts
    if any(p in LITTER_DIRS or p.startswith(".") for p in parts):
        return True
    name = parts[-1]
    return name.startswith("~$") or name.endswith(("~", ".swp", ".swo", ".tmp", ".bak"))


def markdown_files() -> list[Path]:
    """Every markdown page of the pack, sorted (editor litter left out: :func:`is_litter`)."""
    return sorted(p for p in PACK.rglob("*.md") if not is_litter(p.relative_to(PACK)))


def snippet_files() -> list[Path]:
    """Every script whose printed figures pages may quote: the snippets, then the set-up check."""
    return [*sorted(SNIPPETS.glob("*.py")), PACK / "check_install.py"]


def key_lines(text: str, rel_path: str) -> str:
    """The lines of snippet ``text`` between ``# [key]`` and ``# [/key]`` lines, parts joined
    by ``# ...``, under a line saying where the whole script is.

    Raises
    ------
    ValueError
        When the snippet marks no key lines, or a region is not closed.
    """
    parts: list[list[str]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if line.strip() == KEY_START:
            current = []
        elif line.strip() == KEY_END:
            if current is None:
                raise ValueError(f"{rel_path}: {KEY_END} without {KEY_START}")
            parts.append(current)
            current = None
        elif current is not None:
            current.append(line)
    if current is not None or not parts:
        raise ValueError(f"{rel_path}: key lines must be between {KEY_START} and {KEY_END} lines")
    head = f"# the lines that matter; the whole script: python training/{rel_path}"
    return "\n".join([head, *"\n# ...\n".join("\n".join(p) for p in parts).splitlines()]) + "\n"


def snippet_text(rel_path: str, key: bool = False) -> str:
    """What a page shows of a snippet: all of it (its ``# [key]`` markers left out) or, with
    ``key``, only its key lines (:func:`key_lines`)."""
    text = (PACK / rel_path).read_text(encoding="utf-8")
    if key:
        return key_lines(text, rel_path)
    body = "".join(
        line for line in text.splitlines(keepends=True) if line.strip() not in (KEY_START, KEY_END)
    )
    return body if body.endswith("\n") else body + "\n"


def include_block(rel_path: str, key: bool = False) -> str:
    """The include block for a snippet (path relative to ``training/``)."""
    mark = " key" if key else ""
    body = snippet_text(rel_path, key)
    return f"<!-- include: {rel_path}{mark} -->\n```python\n{body}```\n<!-- end include -->"


def sync_includes(text: str) -> str:
    """``text`` with every include block rewritten from the current snippet files."""
    return INCLUDE_RE.sub(lambda m: include_block(m["path"], bool(m["key"])), text)


def front_matter(text: str) -> dict:
    """The YAML front matter a page opens with (between ``---`` lines), or ``{}``."""
    import yaml

    m = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    return yaml.safe_load(m[1]) if m else {}


def _lesson_page(folder: str, num: str) -> Path:
    (page,) = sorted((PACK / folder).glob(f"{num}-*.md"))
    return page


def plan_rows(plan: dict) -> list[tuple[str, int, str]]:
    """``(start, minutes, what)`` for each block of a session plan's front matter.

    A lesson or exercise block names its page (``lesson: "02"``), linked from ``plans/``.
    """
    hours, minutes = (int(x) for x in str(plan["start"]).split(":"))
    clock = hours * 60 + minutes
    rows = []
    for block in plan["blocks"]:
        kind = block["kind"]
        if kind in ("lesson", "exercise"):
            folder = "lessons" if kind == "lesson" else "exercises"
            page = _lesson_page(folder, block[kind])
            title = front_matter(page.read_text("utf-8")).get("title") or page.stem[3:]
            what = f"{kind} {block[kind]}: [{title}](../{folder}/{page.name})"
            if kind == "exercise":
                what = f"exercise {block[kind]} ([{page.stem[3:].replace('-', ' ')}]"
                what += f"(../{folder}/{page.name}))"
            mode = block.get("mode")
            what += f", {mode}" if mode else ""
            what += f": {block['what']}" if block.get("what") else ""
        else:
            what = block["what"]
        rows.append((f"{clock // 60}:{clock % 60:02d}", block["minutes"], what))
        clock += block["minutes"]
    return rows


def plan_table(plan: dict) -> str:
    """The Markdown table of a session plan, ending with its finishing time and total."""
    rows = plan_rows(plan)
    total = sum(r[1] for r in rows)
    hours, minutes = (int(x) for x in str(plan["start"]).split(":"))
    end = hours * 60 + minutes + total
    lines = ["| start | minutes | what |", "|---|---|---|"]
    lines += [f"| {start} | {mins} | {what} |" for start, mins, what in rows]
    lines.append(
        f"| {end // 60}:{end % 60:02d} | **{total}** | end ({total // 60} h {total % 60:02d} min) |"
    )
    return "\n".join(lines)


def sync_plans(text: str) -> str:
    """``text`` with its plan table (if it has one) rewritten from its front matter."""
    if not PLAN_RE.search(text):
        return text
    table = plan_table(front_matter(text))
    return PLAN_RE.sub(lambda m: f"<!-- plan -->\n{table}\n<!-- end plan -->", text)


def run_snippet(path: Path, workdir: Path) -> str:
    """Run one snippet in ``workdir`` (its outputs land there) and return what it printed."""
    out = io.StringIO()
    old = Path.cwd()
    os.chdir(workdir)
    try:
        with contextlib.redirect_stdout(out):
            runpy.run_path(str(path), run_name="__main__")
    finally:
        os.chdir(old)
    return out.getvalue()


def parse_figures(printed: str) -> dict[str, str]:
    """The ``KEY=value`` lines a snippet printed, as a mapping."""
    found = {}
    for line in printed.splitlines():
        m = KEY_RE.match(line.strip())
        if m:
            found[m["key"]] = m["value"]
    return found


def all_figures(workdir: Path) -> dict[str, dict[str, str]]:
    """Run every snippet; ``{snippet stem: {KEY: value}}``."""
    figures = {}
    for path in snippet_files():
        sub = workdir / path.stem
        sub.mkdir(parents=True, exist_ok=True)
        figures[path.stem] = parse_figures(run_snippet(path, sub))
    return figures


def sync_figures(text: str, figures: dict[str, dict[str, str]], source: str = "") -> str:
    """``text`` with every marked figure replaced by what its snippet prints now."""

    def repl(m: re.Match[str]) -> str:
        try:
            value = figures[m["snippet"]][m["key"]]
        except KeyError:
            raise SystemExit(
                f"{source}: figure {m['snippet']} {m['key']}: the snippet prints no such key"
            ) from None
        return f"<!-- fig: {m['snippet']} {m['key']} -->{value}<!-- end fig -->"

    return FIG_RE.sub(repl, text)


def notebook_maker():
    """Return the notebook maker (``make_notebooks.py`` beside this file), loaded by path."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "training_make_notebooks", PACK / "make_notebooks.py"
    )
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def cheatsheet_text(lessons: list[Path] | None = None) -> str:
    """The cheat sheet, made from the lessons' ``<!-- cheat: N HEADING -->`` parts in order N.

    Raises
    ------
    ValueError
        When two parts share an order, so the page's order would be a matter of chance.
    """
    paths = lessons if lessons is not None else sorted((PACK / "lessons").glob("[0-9]*.md"))
    parts: dict[int, tuple[str, str]] = {}
    for path in paths:
        for m in CHEAT_RE.finditer(path.read_text(encoding="utf-8")):
            order = int(m["order"])
            if order in parts:
                raise ValueError(f"{path.name}: cheat sheet part {order} given twice")
            parts[order] = (m["title"] or "", m["body"].strip())
    out = [
        "# wfkit cheat sheet",
        "",
        "<!-- made by python training/sync.py from the lessons' cheat parts: edit the lessons,"
        " not this page -->",
    ]
    for _, (title, body) in sorted(parts.items()):
        out += ["", f"## {title}", "", body] if title else ["", body]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--figures", action="store_true", help="also run the snippets and rewrite quoted figures"
    )
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if anything is out of step"
    )
    args = parser.parse_args(argv)
    figures = None
    if args.figures or args.check:
        with tempfile.TemporaryDirectory() as tmp:
            figures = all_figures(Path(tmp))
    stale = []
    for md in markdown_files():
        rel = md.relative_to(PACK)
        text = md.read_text(encoding="utf-8")
        new = sync_plans(sync_includes(text))
        if figures is not None:
            new = sync_figures(new, figures, str(rel))
        if new != text:
            stale.append(rel)
            if not args.check:
                md.write_text(new, encoding="utf-8")
    sheet = cheatsheet_text()
    if CHEATSHEET.read_text(encoding="utf-8") != sheet:
        stale.append(CHEATSHEET.relative_to(PACK))
        if not args.check:
            CHEATSHEET.write_text(sheet, encoding="utf-8")
    stale += [p.relative_to(PACK) for p in notebook_maker().write_all(check=args.check)]
    verb = "out of step" if args.check else "rewritten"
    for rel in stale:
        print(f"{verb}: training/{rel}")
    if not stale:
        print("training pack in step with its snippets")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
