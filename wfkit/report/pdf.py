"""``report.pdf`` from a Chromium started before the page exists.

Chromium's start is most of a small page's print (about 0.9 s of 1.0-1.25 s here), and a
report's page exists only once its notebook has run.  :class:`EarlyPrint` starts Chromium
while the kernel still runs, asking for the page from a one-page server on the loopback
interface (:class:`PageServer`: ``127.0.0.1``, a port the system picks, a random path),
which holds the request until the report hands it the finished page.  After the kernel
only the layout and the print are left (about 0.55 s).

The page served is ``report.html`` with a ``<base href>`` naming the final output folder
(``report.html`` on disk is not changed), so the PDF's relative links point at the files
beside ``report.html``, not at the server, which is gone once the PDF is written.  (A print
from the file resolves them against the temporary folder the report is written into, which
is renamed when the report is complete.)

Anything that goes wrong (no socket, Chromium exits early or fails, no PDF) makes
:meth:`EarlyPrint.serve` give ``False`` or :meth:`EarlyPrint.wait` ``None``, and the report
prints from the file as before (:func:`~wfkit.report.html.print_pdf`): a PDF is never lost
to this.  :meth:`EarlyPrint.cancel` (a failed notebook) kills Chromium and its children,
closes the server and removes Chromium's temporary profile.
"""

from __future__ import annotations

import html
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

__all__ = ["PageServer", "EarlyPrint", "with_base"]

#: seconds Chromium may take to print once the page is served (then the file is printed)
PRINT_TIMEOUT = 60.0


def with_base(page: str, folder: Path) -> str:
    """Return ``page`` with ``<base href>`` naming ``folder`` first in its ``<head>``.

    Relative links then resolve against ``folder`` (as a ``file://`` address) wherever the
    page is loaded from.  A page with no ``<head>`` gets one.
    """
    base = f'<base href="{html.escape(folder.resolve().as_uri().rstrip("/") + "/")}">'
    at = page.find("<head>")
    if at < 0:
        return f"<head>{base}</head>{page}"
    at += len("<head>")
    return page[:at] + base + page[at:]


class _Quiet(ThreadingHTTPServer):
    """A server whose request threads are named, waited for when it closes, and quiet.

    The threads are daemons (a request left waiting never holds the process open) but
    :meth:`server_close` joins them; a request gone wrong (Chromium killed mid-page) prints
    nothing.
    """

    daemon_threads = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._workers: list[threading.Thread] = []

    def process_request(self, request: Any, client_address: Any) -> None:
        t = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name="wfkit-page-server",
            daemon=True,
        )
        self._workers.append(t)
        t.start()

    def server_close(self) -> None:
        super().server_close()
        for t in self._workers:
            t.join()

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


class PageServer:
    """Serve one page at one random path on ``127.0.0.1``, once it is given.

    A request for :attr:`url` waits until :meth:`serve` gives the page (or :meth:`close`
    is called: then it is answered 503).  Any other path is answered 404; only ``GET`` is
    answered.  Nothing is read from disk.
    """

    def __init__(self) -> None:
        self.path = f"/{secrets.token_urlsafe(18)}/report.html"
        #: set once the page has been sent whole (Chromium prints an error page otherwise)
        self.delivered = threading.Event()
        self._ready = threading.Event()
        self._page: bytes | None = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            timeout = 30  # seconds a connection may sit silent (the page's wait is not one)

            def do_GET(self) -> None:
                if self.path != server.path:  # nothing else: no listing, no files
                    self.send_error(404)
                    return
                server._ready.wait()
                page = server._page
                if page is None:  # closed before the page was ready
                    self.send_error(503)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(page)
                self.wfile.flush()
                server.delivered.set()

            def log_message(self, format: str, *args: Any) -> None:
                pass  # nothing on the user's terminal

        self._httpd = _Quiet(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}{self.path}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="wfkit-page-server", daemon=True
        )
        self._thread.start()

    def serve(self, page: str) -> None:
        """Answer the waiting (and any later) request for :attr:`url` with ``page``."""
        self._page = page.encode("utf-8")
        self._ready.set()

    def close(self) -> None:
        """Stop serving; a request still waiting is answered 503.  Safe to call twice."""
        self._ready.set()
        if self._thread.is_alive():
            self._httpd.shutdown()
            self._thread.join()
        self._httpd.server_close()  # waits for the request threads


class EarlyPrint:
    """Chromium printing ``report.pdf`` from a :class:`PageServer` (see the module docstring).

    Parameters
    ----------
    pdf
        Where Chromium writes the PDF (a scratch file: the report moves it).
    folder
        The report's final output folder, for the page's ``<base href>``.
    """

    def __init__(self, pdf: Path, folder: Path) -> None:
        self.pdf = pdf
        self.folder = folder
        self.server: PageServer | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        self.profile: Path | None = None
        self.failed: str | None = None
        self._lock = threading.Lock()
        self._cancelled = False

    def start(self) -> bool:
        """Start the server and Chromium; return whether they started (never raises)."""
        # lazy: the page's module (pandas, nbconvert's helpers) loads beside the kernel
        from .html import chromium_path, print_command

        exe = chromium_path()
        if exe is None:
            return False
        with self._lock:
            if self._cancelled:
                return False
            try:
                self.server = PageServer()
                self.profile = Path(tempfile.mkdtemp(prefix="wfkit-chromium-"))
                cmd = print_command(
                    exe, self.profile, self.pdf, self.server.url, ["--no-proxy-server"]
                )
                # its own process group: ending it ends Chromium's children too
                group = {"start_new_session": True} if os.name == "posix" else {}
                self.proc = subprocess.Popen(
                    cmd,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    **group,
                )
            except Exception as exc:
                self.failed = f"{type(exc).__name__}: {exc}"
                self._stop()
                return False
        return True

    def serve(self, page: str) -> bool:
        """Hand ``page`` (given its ``<base href>``) to the waiting Chromium.

        Return ``False`` if there is no Chromium waiting (not started, or it already
        exited): the report then prints from the file.
        """
        with self._lock:
            proc, server = self.proc, self.server
            if proc is None or server is None or proc.poll() is not None:
                self.failed = self.failed or "Chromium was not waiting for the page"
                self._stop()
                return False
            try:
                server.serve(with_base(page, self.folder))
            except Exception as exc:  # the page could not be served: print from the file
                self.failed = f"{type(exc).__name__}: {exc}"
                self._stop()
                return False
            return True

    def wait(self, timeout: float = PRINT_TIMEOUT) -> Path | None:
        """Wait for the print; return the PDF, or ``None`` if there is none.

        Chromium, the server and the profile are gone when this returns.
        """
        try:
            proc = self.proc
            if proc is None:
                return None
            try:
                code = proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.failed = f"Chromium took over {timeout:.0f} s"
                return None
            if self.server is None or not self.server.delivered.is_set():
                self.failed = "the page never reached Chromium"  # it printed an error page
                return None
            ok = code == 0 and self.pdf.is_file() and self.pdf.stat().st_size > 0
            if not ok:
                self.failed = f"Chromium exited {code}"
            return self.pdf if ok else None
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Kill Chromium (and its children), close the server, remove the profile.

        Safe to call at any time, more than once, and before :meth:`start`.
        """
        with self._lock:
            self._cancelled = True
            self._stop()

    def _stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            if proc.poll() is None:
                _kill(proc)
            proc.wait()
        server, self.server = self.server, None
        if server is not None:
            server.close()
        profile, self.profile = self.profile, None
        if profile is not None:
            shutil.rmtree(profile, ignore_errors=True)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Kill ``proc`` and, on POSIX, every process of its group (Chromium's children)."""
    if os.name == "posix":
        try:
            os.killpg(proc.pid, signal.SIGKILL)
            return
        except OSError:
            pass
    proc.kill()
