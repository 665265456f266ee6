"""``wfkit app``: the scenario explorer (:mod:`wfkit.explorer`) served by Voila on 127.0.0.1.

Voila runs ``explorer.ipynb`` beside this file with its code hidden; everything the page
loads comes from the local server (the Vega scripts from the kernel, :mod:`wfkit.charts`).
Windows users double-click ``wfkit-explorer.bat`` (:data:`LAUNCHER`), which runs
``wfkit app --open``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from ..errors import InputError

__all__ = ["NOTEBOOK", "LAUNCHER", "add_subparser", "voila_command", "serve"]

#: the notebook Voila serves
NOTEBOOK = Path(__file__).with_name("explorer.ipynb")
#: the Windows launcher
LAUNCHER = Path(__file__).with_name("wfkit-explorer.bat")
#: the folder holding the ``wfkit`` Voila template (Voila's lab template, offline)
JUPYTER_PATH = Path(__file__).with_name("jupyter")
#: JupyterLab extensions the page must not load: jupytext's (installed with the training
#: extra) fails in Voila's page with a console error
SKIP_EXTENSIONS = ("jupyterlab-jupytext",)
#: the port ``wfkit app`` listens on unless told
PORT = 8866


def voila_command(port: int = PORT, open_browser: bool = False) -> list[str]:
    """Return the command that serves the explorer on 127.0.0.1 at ``port``.

    Parameters
    ----------
    port : int
        The port.
    open_browser : bool
        Open the page in the default browser once it is served.

    Returns
    -------
    list[str]
        The command (this Python's Voila).
    """
    return [
        sys.executable,
        "-m",
        "voila",
        str(NOTEBOOK),
        f"--port={int(port)}",
        "--Voila.ip=127.0.0.1",
        "--strip_sources=True",
        "--theme=light",
        "--template=wfkit",
        "--VoilaConfiguration.extension_denylist=" + json.dumps(list(SKIP_EXTENSIONS)),
        "--show_tracebacks=False",
        "--ServerApp.port_retries=0",
        *([] if open_browser else ["--no-browser"]),
    ]


def _check_port(port: int) -> None:
    """Refuse a port outside 1-65535 or one already in use, in one line."""
    if not 0 < port < 65536:
        raise InputError(f"--port {port}: expected a port from 1 to 65535", key="port")
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            raise InputError(
                f"--port {port}: the port is in use on 127.0.0.1; give another with --port",
                key="port",
            ) from None


def serve(port: int = PORT, open_browser: bool = False, groups: str | None = None) -> int:
    """Serve the explorer until stopped (Ctrl+C); return Voila's exit status.

    Parameters
    ----------
    port : int
        The port on 127.0.0.1.
    open_browser : bool
        Open the page in the default browser.
    groups : str, optional
        A grouping file (docs/neighbourhoods.md) whose neighbourhoods the area picker lists
        beside the published areas; checked before the server starts.

    Returns
    -------
    int
        The exit status.
    """
    extra = {}
    if groups:
        # lazy: the bundled tables are read only when a grouping file is given
        from ..data import read_groups

        read_groups(groups)  # a bad file is one line here, not a broken page
        extra = {"WFKIT_GROUPS": str(Path(groups).resolve())}
    _check_port(port)
    print(f"wfkit explorer on http://127.0.0.1:{port}/ (Ctrl+C to stop)", flush=True)
    paths = [str(JUPYTER_PATH), *filter(None, [os.environ.get("JUPYTER_PATH")])]
    env = {**os.environ, "JUPYTER_PATH": os.pathsep.join(paths), **extra}
    proc = subprocess.Popen(voila_command(port, open_browser), env=env)

    def stop(signum: int, frame: object) -> None:  # stopped by its id: stop Voila too
        proc.terminate()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        return proc.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)


def _cmd_app(args: argparse.Namespace) -> int:
    return serve(args.port, args.open, args.groups)


def add_subparser(sub: argparse._SubParsersAction) -> None:
    """Add ``app`` to the ``wfkit`` command line.

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The ``wfkit`` subcommands.
    """
    a = sub.add_parser(
        "app",
        help="the scenario explorer in your browser (served on 127.0.0.1)",
        description="Serve the scenario explorer (a dashboard: pick an area and a use case, "
        "move the sliders, see FTE by role, the gap and the cost, download the results) with "
        "Voila on 127.0.0.1, offline. Windows: double-click wfkit-explorer.bat. "
        "See docs/explorer.md.",
    )
    a.add_argument("--port", type=int, default=PORT, help=f"port on 127.0.0.1 (default {PORT})")
    a.add_argument("--open", action="store_true", help="open the page in the default browser")
    a.add_argument(
        "--groups",
        metavar="FILE",
        help="a grouping file (group, group_name, pcn or practice): its neighbourhoods join "
        "the area picker (docs/neighbourhoods.md)",
    )
    a.set_defaults(func=_cmd_app)
