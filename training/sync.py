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
    r"<!-- include: (?P<path>[^ ]+) -->\n```python\n(?P<body>.*?)```\n<!-- end include -->",
    re.DOTALL,
)
FIG_RE = re.compile(
    r"<!-- fig: (?P<snippet>[\w-]+) (?P<key>[A-Z0-9_]+) -->(?P<value>.*?)<!-- end fig -->"
)
KEY_RE = re.compile(r"^(?P<key>[A-Z][A-Z0-9_]*)=(?P<value>.*)$")


def markdown_files() -> list[Path]:
    """Every markdown file of the pack, sorted."""
    return sorted(PACK.rglob("*.md"))


def snippet_files() -> list[Path]:
    """Every snippet script, sorted."""
    return sorted(SNIPPETS.glob("*.py"))


def include_block(rel_path: str) -> str:
    """The include block for a snippet (path relative to ``training/``)."""
    body = (PACK / rel_path).read_text(encoding="utf-8")
    if not body.endswith("\n"):
        body += "\n"
    return f"<!-- include: {rel_path} -->\n```python\n{body}```\n<!-- end include -->"


def sync_includes(text: str) -> str:
    """``text`` with every include block rewritten from the current snippet files."""
    return INCLUDE_RE.sub(lambda m: include_block(m["path"]), text)


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
        new = sync_includes(text)
        if figures is not None:
            new = sync_figures(new, figures, str(rel))
        if new != text:
            stale.append(rel)
            if not args.check:
                md.write_text(new, encoding="utf-8")
    verb = "out of step" if args.check else "rewritten"
    for rel in stale:
        print(f"{verb}: training/{rel}")
    if not stale:
        print("training pack in step with its snippets")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
