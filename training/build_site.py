"""The training pack as things to browse, project, print and hand out, made from its pages.

``make training`` (``python training/build_site.py``, from the repository root) writes, with
no network, into ``outputs/training/``:

- ``site/``: the pack as a browsable site (mkdocs, learner and solution notebooks shown by
  mkdocs-jupyter), every lesson opening with its timings, questions, objectives and key points;
  open ``site/index.html``.
- ``print/``: one self-contained HTML page per pack page, for printing: no ``<!-- fig -->``
  or include markers, the front matter shown as a box.
- ``slides/NN-name.html``: a deck per lesson (arrow keys or click to move; print gives one
  slide a page), made from the lesson's front matter and section headings.
- ``cheatsheet.html`` and ``cheatsheet.pdf``: ``training/cheatsheet.md`` on one page; the
  PDF printed by Chromium (headless) where one is installed (``make chromium``).

Everything is made from the pack's Markdown (never a hand-made copy), and every page loads
nothing from the network. Source pages stay as they are.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import markdown
import yaml

PACK = Path(__file__).resolve().parent
ROOT = PACK.parent
OUT = ROOT / "outputs" / "training"
#: markers sync.py keeps in the pages: invisible in a browser, but not in printed Markdown
MARKER_RE = re.compile(
    r"<!-- (fig: [\w-]+ [A-Z0-9_]+|end fig|include: [^ ]+(?: key)?|end include|plan|end plan|cheat: \d+[^>]*?|end cheat|made by [^>]*) -->\n?"
)
FRONT_RE = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;max-width:52em;margin:2em auto;
padding:0 1em;line-height:1.45;color:#1b1b1b}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #bbb;padding:.25em .5em;
vertical-align:top}code,pre{font-family:Consolas,Menlo,monospace;font-size:.92em}
pre{background:#f4f4f4;padding:.6em;overflow-x:auto;white-space:pre-wrap}
.front{border:2px solid #005eb8;border-radius:6px;padding:.5em 1em;margin:1em 0;background:#f0f6fc}
.front h2{margin:.3em 0;font-size:1.1em;color:#005eb8}
@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}pre{break-inside:avoid}}
"""


def split_front(text: str) -> tuple[dict, str]:
    """A page's front matter (``{}`` if none) and the rest of its text."""
    m = FRONT_RE.match(text)
    if not m:
        return {}, text
    return yaml.safe_load(m[1]) or {}, text[m.end() :]


def front_block(meta: dict) -> str:
    """The front matter as Markdown: timings, questions, objectives, key points, prerequisites."""
    if not meta or "teaching" not in meta:
        return ""
    lines = [
        f"**Time:** {meta['teaching']} min teaching, {meta['exercises']} min exercises.",
        "",
    ]
    for key, label in [
        ("questions", "Questions"),
        ("objectives", "Objectives"),
        ("keypoints", "Key points"),
        ("prerequisites", "Before this lesson"),
    ]:
        if meta.get(key):
            lines += [f"**{label}**", "", *[f"- {item}" for item in meta[key]], ""]
    return "\n".join(lines)


def printable(text: str) -> str:
    """A page's Markdown with no sync markers and its front matter shown, not hidden.

    The title goes first, then the front matter as a visible block (Markdown Preview and
    printers otherwise show nothing of it), then the page's own text.
    """
    meta, body = split_front(text)
    body = MARKER_RE.sub("", body)
    block = front_block(meta)
    if not block:
        return body
    title, sep, rest = body.lstrip("\n").partition("\n")
    if not title.startswith("# "):
        title, rest, sep = f"# {meta.get('title', '')}", body, "\n"
    fenced = f'<div class="front" markdown="1">\n\n{block}\n</div>\n'
    return f"{title}\n\n{fenced}{sep}{rest}"


def _html(body_md: str, title: str) -> str:
    body = markdown.markdown(body_md, extensions=["tables", "fenced_code", "md_in_html"])
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head>"
        f"<body>\n{body}\n</body></html>\n"
    )


def pages() -> list[Path]:
    """The pack's pages (editor litter left out, as ``sync.py`` does)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("training_sync_site", PACK / "sync.py")
    sync = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sync)
    return sync.markdown_files()


def write_printable(out: Path) -> list[Path]:
    """One self-contained HTML page per pack page under ``out``; links point at the HTML."""
    written = []
    for page in pages():
        rel = page.relative_to(PACK)
        text = printable(page.read_text(encoding="utf-8"))
        text = re.sub(r"\]\(([^)#:]+)\.md(#[^)]*)?\)", r"](\1.html\2)", text)
        title = next((ln[2:] for ln in text.splitlines() if ln.startswith("# ")), rel.stem)
        dest = out / rel.with_suffix(".html")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(_html(text, title), encoding="utf-8")
        written.append(dest)
    return written


SLIDE_CSS = """
html,body{margin:0;height:100%;font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif}
section{display:none;box-sizing:border-box;height:100vh;padding:5vh 7vw;font-size:2.6vh;overflow:hidden}
section.on{display:block}section h1{color:#005eb8;font-size:6vh}section h2{color:#005eb8;font-size:4.4vh}
section li{margin:.4em 0}table{border-collapse:collapse}th,td{border:1px solid #bbb;padding:.2em .5em}
.foot{position:fixed;bottom:2vh;right:3vw;color:#777;font-size:1.8vh}
@media print{section{display:block;height:auto;min-height:95vh;break-after:page}.foot{display:none}}
"""
SLIDE_JS = """
const s=[...document.querySelectorAll('section')];let i=0;const f=document.querySelector('.foot');
function show(n){i=Math.max(0,Math.min(s.length-1,n));s.forEach((x,k)=>x.classList.toggle('on',k===i));
f.textContent=(i+1)+' / '+s.length;}
document.addEventListener('keydown',e=>{if(['ArrowRight','PageDown',' '].includes(e.key))show(i+1);
if(['ArrowLeft','PageUp'].includes(e.key))show(i-1);});
document.addEventListener('click',e=>{if(!e.target.closest('a'))show(i+1);});show(0);
"""


def _section_gist(body: str, max_lines: int = 14) -> str:
    """The part of a lesson section a slide shows: prose and tables, not code; at most
    ``max_lines`` lines (the learner notebook has the code)."""
    body = re.sub(r"```.*?```", "", body, flags=re.DOTALL)
    kept = [ln for ln in body.strip().splitlines()][:max_lines]
    return "\n".join(kept)


def slides(lesson: Path) -> str:
    """A lesson's deck: title and timings, questions, objectives, a slide per section, key
    points. Self-contained HTML."""
    meta, body = split_front(lesson.read_text(encoding="utf-8"))
    body = MARKER_RE.sub("", body)
    num = lesson.name[:2]
    decks = [
        f"# {num} {meta['title']}\n\n{meta['teaching']} min teaching, "
        f"{meta['exercises']} min exercises",
        "## Questions\n\n" + "\n".join(f"- {q}" for q in meta["questions"]),
        "## By the end you can\n\n" + "\n".join(f"- {o}" for o in meta["objectives"]),
    ]
    for part in re.split(r"^## ", body, flags=re.MULTILINE)[1:]:
        heading, _, rest = part.partition("\n")
        if heading.strip().lower() == "exercise":
            continue
        decks.append(f"## {heading.strip()}\n\n{_section_gist(rest)}")
    decks.append("## Key points\n\n" + "\n".join(f"- {k}" for k in meta["keypoints"]))
    decks.append(f"## Exercise\n\nExercise {num}: see the exercise page and the learner notebook.")
    ext = ["tables"]
    sections = "\n".join(
        f"<section>\n{markdown.markdown(d, extensions=ext)}\n</section>" for d in decks
    )
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(num + ' ' + meta['title'])}</title><style>{SLIDE_CSS}</style>"
        f'</head><body>\n{sections}\n<div class="foot"></div><script>{SLIDE_JS}</script>'
        f"</body></html>\n"
    )


def write_slides(out: Path) -> list[Path]:
    """A deck per lesson under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for lesson in sorted((PACK / "lessons").glob("[0-9][0-9]-*.md")):
        dest = out / f"{lesson.stem}.html"
        dest.write_text(slides(lesson), encoding="utf-8")
        written.append(dest)
    return written


def chromium() -> str | None:
    """Debian's Chromium, or ``None``."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def write_cheatsheet(out: Path, pdf: bool = True) -> list[Path]:
    """``cheatsheet.html`` (and ``cheatsheet.pdf`` printed by Chromium) under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    text = printable((PACK / "cheatsheet.md").read_text(encoding="utf-8"))
    page = _html(text, "wfkit cheat sheet").replace(
        "</style>",
        "@page{size:A4;margin:8mm}body{font-size:9pt;line-height:1.3;margin:0 auto;max-width:none}h1{font-size:15pt;margin:0 0 .3em}h2{font-size:11.5pt;margin:.6em 0 .2em;color:#005eb8}pre{padding:.3em}table{margin:.4em 0}</style>",
    )
    html_path = out / "cheatsheet.html"
    html_path.write_text(page, encoding="utf-8")
    written = [html_path]
    browser = chromium() if pdf else None
    if browser:
        pdf_path = out / "cheatsheet.pdf"
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
            + ["--disable-background-networking", "--disable-component-update", "--disable-sync"]
            + ["--no-pdf-header-footer", f"--print-to-pdf={pdf_path}", html_path.as_uri()],
            check=True,
            capture_output=True,
            timeout=120,
        )
        written.append(pdf_path)
    elif pdf:
        print("cheat sheet: no Chromium (make chromium): cheatsheet.pdf not made", file=sys.stderr)
    return written


def stage_site(dest: Path) -> Path:
    """The mkdocs source folder: printable pages, the notebooks, and ``mkdocs.yml``."""
    if dest.exists():
        shutil.rmtree(dest)
    docs = dest / "docs"
    for page in pages():
        rel = page.relative_to(PACK)
        target = docs / ("index.md" if rel.as_posix() == "README.md" else rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = printable(page.read_text(encoding="utf-8"))
        if rel.as_posix() != "README.md":  # links to the pack's README go to the site's home
            text = re.sub(r"\]\((\.\./)+README\.md\)", "](../index.md)", text)
        target.write_text(text, encoding="utf-8")
    for nb in sorted((PACK / "notebooks").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in nb.parts:
            continue
        target = docs / nb.relative_to(PACK)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(nb, target)
    config = {
        "site_name": "wfkit training pack",
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": False,  # the site opens from files, with no server
        "theme": {"name": "mkdocs", "highlightjs": False, "navigation_depth": 2},
        "plugins": [{"mkdocs-jupyter": {"execute": False, "include_requirejs": False}}],
        "markdown_extensions": ["tables", "md_in_html", "fenced_code"],
        "validation": {"links": {"not_found": "ignore", "unrecognized_links": "ignore"}},
    }
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return dest / "mkdocs.yml"


def build_site(stage: Path, site: Path) -> Path:
    """Build the site with mkdocs (no network) from a fresh stage; return its index page."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config_file = stage_site(stage)
    config = load_config(str(config_file), site_dir=str(site))
    build(config)
    return site / "index.html"


def main(argv: list[str] | None = None) -> int:
    """Make the site, printable pages, slides and cheat sheet."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where (outputs/training)")
    parser.add_argument("--no-pdf", action="store_true", help="no cheat sheet PDF")
    args = parser.parse_args(argv)
    out = args.out
    printed = write_printable(out / "print")
    decks = write_slides(out / "slides")
    sheet = write_cheatsheet(out, pdf=not args.no_pdf)
    index = build_site(out / "site-src", out / "site")
    print(f"training: {len(printed)} printable pages in {out / 'print'}")
    print(f"training: {len(decks)} slide decks in {out / 'slides'}")
    print(f"training: cheat sheet {', '.join(p.name for p in sheet)} in {out}")
    print(f"training: site {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
