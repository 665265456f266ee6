"""The pack to browse, project, print and hand out (training/build_site.py, make training):
made from the pages, no sync markers, front matter shown, nothing loaded from the network,
and the site builds with the network cut off."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from training import build_site as site

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "training"
LESSONS = sorted((PACK / "lessons").glob("[0-9][0-9]-*.md"))
#: a resource a page would fetch from elsewhere (a plain link to a web page is not one)
REMOTE = re.compile(r"<(script|img|iframe)[^>]+src=\"(https?:)?//|<link[^>]+href=\"(https?:)?//")

pytestmark = pytest.mark.unit


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to reach another machine fails loudly."""

    def refuse(*args, **kwargs):
        raise OSError("network cut off for this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_printable_pages_show_front_matter_and_no_markers():
    lesson = LESSONS[1].read_text(encoding="utf-8")
    assert "<!-- fig:" in lesson and lesson.startswith("---\n")
    text = site.printable(lesson)
    assert "<!-- fig:" not in text and "<!-- end fig -->" not in text
    assert "<!-- include:" not in text and "<!-- end include -->" not in text
    assert not text.startswith("---")
    assert text.startswith("# 02 ")
    for word in ("**Time:**", "**Questions**", "**Objectives**", "**Key points**"):
        assert word in text
    # figures stay, only their markers go
    m = re.search(r"<!-- fig: (\S+) (\S+) -->(.*?)<!-- end fig -->", lesson)
    assert m[3] in text


def test_make_training_runs_the_builder():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    target = re.search(r"^training:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert target and "training/build_site.py" in target[1]
    assert "chromium" in target[0].splitlines()[0]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_each_lesson_has_a_deck_made_from_it(lesson, tmp_path):
    decks = site.write_slides(tmp_path)
    deck = (tmp_path / f"{lesson.stem}.html").read_text(encoding="utf-8")
    assert len(decks) == len(LESSONS)
    meta, body = site.split_front(lesson.read_text(encoding="utf-8"))
    assert meta["title"].split(":")[0] in deck
    for point in meta["keypoints"]:
        assert site.markdown.markdown(point)[3:-4][:40] in deck
    for heading in re.findall(r"^## (.+)$", body, re.MULTILINE):
        if heading != "Exercise":
            assert site.markdown.markdown(f"## {heading}") in deck, heading
    assert "<!--" not in deck and not REMOTE.search(deck)
    assert deck.count("<section>") >= 5


def test_cheat_sheet_html_and_a_one_page_pdf(tmp_path):
    assert site.chromium(), "no Chromium: run make chromium (make test does)"
    html_path, pdf_path = site.write_cheatsheet(tmp_path)
    page = html_path.read_text(encoding="utf-8")
    assert not REMOTE.search(page) and "<!--" not in page
    for must in (
        "gap_fte",
        "Negative is a shortfall",
        "8 runs out of 10",
        "wfkit run",
        "Data &gt; Filter",
    ):
        assert must in page, must
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) == 1, "the cheat sheet is one page"


def test_the_site_builds_with_no_network(tmp_path, no_network):
    with pytest.raises(OSError):
        socket.create_connection(("pypi.org", 443))
    index = site.build_site(tmp_path / "stage", tmp_path / "site")
    assert index.is_file()
    out = tmp_path / "site"
    lesson = (out / "lessons" / "06-uncertainty-the-p10-p90-band.html").read_text("utf-8")
    assert "Objectives" in lesson and "Key points" in lesson and "20 min teaching" in lesson
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<!-- fig:" not in text, page.name
        assert not REMOTE.search(text), f"{page.relative_to(out)} loads {REMOTE.search(text)[0]}"
    for nb in (PACK / "notebooks").glob("*.ipynb"):
        assert (out / "notebooks" / f"{nb.stem}.html").is_file(), nb.name
    for plan in ("three-hours", "full-day", "demo-only"):
        assert (out / "plans" / f"{plan}.html").is_file()
