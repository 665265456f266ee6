"""report.pdf from a Chromium started before the page exists (wfkit.report.pdf): the
one-page loopback server, the page's <base>, the PDF's text and links, and what a
cancelled print leaves (nothing)."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pypdf
import pytest

from wfkit.report import html, pdf

PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
    "<body><h1>What Kentish Town South PCN needs</h1><p>Open "
    '<a href="results.csv">the results</a> or <a href="#top">the top</a>.</p></body></html>'
)


def get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, b""


def page_server_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "wfkit-page-server"]


def chromium_with(profile: Path) -> list[psutil.Process]:
    """Processes whose command line names ``profile`` (Chromium and its children)."""
    found = []
    for p in psutil.process_iter(["cmdline"]):
        try:
            if any(str(profile) in a for a in p.info["cmdline"] or ()):
                found.append(p)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def pdf_links(path: Path) -> list[str]:
    reader = pypdf.PdfReader(path)
    links = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            if "/URI" in action:
                links.append(str(action["/URI"]))
    return links


def pdf_text(path: Path) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(path).pages)


def test_with_base_names_the_folder_first_in_the_head(tmp_path):
    folder = tmp_path / "out dir"
    page = pdf.with_base(PAGE, folder)
    base = f'<base href="{folder.resolve().as_uri()}/">'
    assert page == PAGE.replace("<head>", "<head>" + base, 1)
    assert "%20" in base  # a space in the folder's name is an address's
    assert pdf.with_base("<p>x</p>", folder) == f"<head>{base}</head><p>x</p>"


def test_the_server_serves_its_one_page_once_given_and_nothing_else():
    server = pdf.PageServer()
    try:
        root = server.url[: -len(server.path)]
        token = server.path.split("/")[1]
        assert server.url.startswith("http://127.0.0.1:") and len(token) >= 24
        for path in (
            "/",
            f"/{token}/",
            f"/{token}",
            "/report.html",
            "/x/report.html",
            f"/{token}/report.html/",
            f"/{token}/../{token}/report.html",
            f"/{token}/results.csv",
            f"/{token}/report.html?x=1",
            "/favicon.ico",
        ):
            assert get(root + path)[0] == 404, path
        got: dict[str, tuple[int, bytes]] = {}
        asker = threading.Thread(target=lambda: got.update(page=get(server.url)))
        asker.start()
        time.sleep(0.5)
        assert asker.is_alive()  # held until the page is given
        server.serve("<p>the page</p>")
        asker.join(10)
        assert got["page"] == (200, b"<p>the page</p>")
        post = urllib.request.Request(server.url, data=b"x", method="POST")
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(post, timeout=10)
        assert err.value.code == 501  # only GET
    finally:
        server.close()
    assert not page_server_threads()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(server.url, timeout=5)


def test_a_request_waiting_when_the_server_closes_is_answered_503():
    server = pdf.PageServer()
    got: dict[str, tuple[int, bytes]] = {}
    asker = threading.Thread(target=lambda: got.update(page=get(server.url)))
    asker.start()
    time.sleep(0.3)
    server.close()
    asker.join(10)
    assert got["page"][0] == 503
    assert not page_server_threads()


@pytest.fixture
def chromium():
    if html.chromium_path() is None:  # pragma: no cover - make test installs Chromium
        pytest.fail("no Chromium: run make chromium (make test does)")


def test_an_early_print_writes_the_page_with_links_to_the_output_folder(tmp_path, chromium):
    out = tmp_path / "final"
    printer = pdf.EarlyPrint(tmp_path / "scratch.pdf", out)
    assert printer.start()
    time.sleep(1.0)  # Chromium asks for the page before it exists
    assert printer.serve(PAGE)
    made = printer.wait()
    assert made == tmp_path / "scratch.pdf" and made.read_bytes()[:5] == b"%PDF-"
    assert "What Kentish Town South PCN needs" in pdf_text(made)
    links = pdf_links(made)
    # the relative link points at the file beside report.html in the output folder, not
    # at the server, which is gone
    assert links == [(out / "results.csv").resolve().as_uri()]
    assert not any("127.0.0.1" in link for link in links)
    assert printer.failed is None and not page_server_threads()


def test_a_cancelled_print_leaves_no_chromium_no_server_no_profile(tmp_path, monkeypatch, chromium):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))  # the profile goes here
    printer = pdf.EarlyPrint(tmp_path / "scratch.pdf", tmp_path / "final")
    assert printer.start()
    profile = printer.profile
    assert profile is not None and profile.parent == tmp_path
    deadline = time.monotonic() + 20
    while len(chromium_with(profile)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)  # Chromium and its children started
    assert len(chromium_with(profile)) >= 2
    printer.cancel()
    time.sleep(0.2)
    assert chromium_with(profile) == []
    assert not page_server_threads()
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no profile, no PDF
    assert not printer.serve(PAGE)  # too late: the report prints from the file
    assert not printer.start()  # and a start after the cancel does nothing


def test_no_chromium_or_no_socket_means_no_early_print(tmp_path, monkeypatch, chromium):
    monkeypatch.setenv("WFKIT_CHROMIUM", str(tmp_path / "no-such-chromium"))
    assert not pdf.EarlyPrint(tmp_path / "p.pdf", tmp_path).start()
    monkeypatch.delenv("WFKIT_CHROMIUM")

    def refuse(self):
        raise OSError("no socket for you")

    monkeypatch.setattr(pdf.PageServer, "__init__", refuse)
    printer = pdf.EarlyPrint(tmp_path / "p.pdf", tmp_path)
    assert not printer.start() and "no socket for you" in (printer.failed or "")
    assert not printer.serve(PAGE) and printer.wait() is None
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_page_that_never_reached_chromium_is_no_pdf(tmp_path, monkeypatch, chromium):
    """Chromium prints an error page (and exits 0) when the server answers no page: that is
    not the report's PDF, and the report prints from the file."""

    def closed(self, page):  # planted: the server answers 503, as if closed
        self._ready.set()

    monkeypatch.setattr(pdf.PageServer, "serve", closed)
    printer = pdf.EarlyPrint(tmp_path / "scratch.pdf", tmp_path / "final")
    assert printer.start()
    assert printer.serve(PAGE)
    assert printer.wait() is None and printer.failed == "the page never reached Chromium"
    assert not page_server_threads()


def test_a_page_that_cannot_be_served_is_printed_from_the_file(tmp_path, chromium):
    printer = pdf.EarlyPrint(tmp_path / "scratch.pdf", tmp_path / "final")
    assert printer.start()
    assert not printer.serve("<p>\udc80</p>")  # not UTF-8: never raises
    assert "UnicodeEncodeError" in (printer.failed or "")
    assert printer.proc is None and not page_server_threads()
