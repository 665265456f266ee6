"""Run a use case's notebook with papermill, safely in parallel.

Each use case has one notebook (:data:`NOTEBOOKS`).  :func:`notebook_parameters` checks the
parameters a report is asked for against the notebook's own ``parameters`` cell (names) and
wfkit's declarations (types and ranges) before a kernel starts; :func:`execute` runs it.
A report goes faster: it starts its kernel (:func:`start_kernel`) before papermill loads
(the ``parameters`` cell is read without papermill), and runs the notebook in it with
:func:`execute_deferred`, which leaves the kernel's shutdown for when the page is printing.

Kernels started in parallel (a batch) do not race for TCP ports: on POSIX each kernel talks
over its own Unix sockets (``transport = "ipc"``, in a private folder), so no port is
chosen at all.  A failed run raises :class:`NotebookFailed`, naming the cell and the error.
"""

from __future__ import annotations

import ast
import atexit
import functools
import json
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..data.paths import REPO_ROOT
from ..errors import InputError, WfkitError

__all__ = [
    "NOTEBOOKS",
    "TIMEOUT",
    "NotebookFailed",
    "notebook_path",
    "declared_parameters",
    "notebook_parameters",
    "execute",
    "execute_deferred",
    "start_kernel",
    "stop_kernel",
    "skip_iri_checks",
]

#: the notebook of each use case (``notebooks/`` of a checkout, or a wheel's copy)
NOTEBOOKS = {
    "all": "00-getting-started.ipynb",
    "type2_diabetes": "01-type2-diabetes.ipynb",
    "same_day": "02-same-day-access.ipynb",
    "nursing": "03-nursing-services.ipynb",
    "frailty": "04-integrated-care.ipynb",
    "closer_to_home": "06-care-closer-to-home.ipynb",
}
#: where a wheel puts the notebooks (``[tool.setuptools.data-files]``)
INSTALLED_NOTEBOOKS = Path(sys.prefix) / "share" / "wfkit" / "notebooks"
#: seconds a cell may take before the run fails (a stuck kernel fails, not hangs)
TIMEOUT = 600
#: seconds a kernel may take to start
STARTUP_TIMEOUT = 120


class NotebookFailed(WfkitError):
    """A notebook run failed: names the notebook, the cell and the error."""


def notebooks_dir() -> Path:
    """Return the folder the notebooks are read from.

    ``WFKIT_NOTEBOOKS_DIR`` if set, else ``notebooks/`` beside the package (a clone or
    editable install), else the wheel's copy under ``<prefix>/share/wfkit/notebooks``.
    """
    env = os.environ.get("WFKIT_NOTEBOOKS_DIR")
    if env:
        return Path(env)
    beside = REPO_ROOT / "notebooks"
    return beside if beside.is_dir() or not INSTALLED_NOTEBOOKS.is_dir() else INSTALLED_NOTEBOOKS


def notebook_path(use_case: str) -> Path:
    """Return the notebook of ``use_case``; :class:`InputError` naming the known use cases."""
    if use_case not in NOTEBOOKS:
        raise InputError(
            f"unknown use case {use_case!r}; expected one of {list(NOTEBOOKS)}", key="USECASE"
        )
    path = notebooks_dir() / NOTEBOOKS[use_case]
    if not path.is_file():
        raise InputError(f"notebook {path} not found (set WFKIT_NOTEBOOKS_DIR)", key="USECASE")
    return path


def declared_parameters(path: Path) -> dict[str, Any]:
    """Return the parameters a notebook's ``parameters`` cell declares, with their defaults."""
    stat = path.stat()
    return dict(_declared(str(path), stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=16)
def _declared(path: str, mtime_ns: int, size: int) -> dict[str, Any]:
    """Compute :func:`declared_parameters`, read once per version of the file.

    A batch asks for every area.  The cell tagged ``parameters`` is read as papermill reads
    it (each ``name = value`` or ``name: type = value``: a literal value, else its source
    text), without loading papermill: a report checks its parameters, then starts its
    kernel, which starts up while papermill loads.
    """
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    cell = next(
        (
            c
            for c in nb.get("cells", [])
            if c.get("cell_type") == "code"
            and "parameters" in c.get("metadata", {}).get("tags", [])
        ),
        None,
    )
    if cell is None:
        return {}
    source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    out = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        elif isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                try:
                    out[target.id] = ast.literal_eval(value)
                except ValueError:
                    out[target.id] = ast.get_source_segment(source, value)
    return out


def _literal(text: Any) -> Any:
    return ast.literal_eval(text) if isinstance(text, str) else text


def notebook_parameters(use_case: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """``given`` checked and typed for ``use_case``'s notebook.

    Names must be declared by the notebook (its ``parameters`` cell); values are coerced
    and checked by wfkit's declaration of each (:mod:`wfkit.usecases.params`), so ``-p
    horizon 5`` from the command line reaches the notebook as the integer 5.

    Raises
    ------
    InputError
        Naming an unknown parameter (with the allowed ones) or a bad value.
    """
    # lazy: the use cases' declarations import the model's settings
    from ..usecases import params as P

    declared = declared_parameters(notebook_path(use_case))
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise InputError(
            f"unknown parameter(s) {unknown} for the {use_case!r} notebook; expected some of "
            f"{sorted(n for n in declared if n != 'output_dir')}",
            key="-p",
        )
    out = {}
    for name, value in given.items():
        rule = P.setting(name)
        if rule is None:
            out[name] = value
            continue
        if isinstance(value, str) and rule.kind is not str:
            try:
                value = _literal(value)
            except (ValueError, SyntaxError):
                pass
        try:
            out[name] = rule.coerce(value)
        except InputError as exc:
            raise InputError(f"{name}: {exc}", key="-p") from None
    return out


_IPC: dict[str, str] = {}


def _ipc_dir() -> str:
    """Return a private folder for this process's kernel sockets (removed at exit)."""
    if "dir" not in _IPC:
        _IPC["dir"] = tempfile.mkdtemp(prefix="wfkit-kernels-")
        atexit.register(shutil.rmtree, _IPC["dir"], ignore_errors=True)
    return _IPC["dir"]


def kernel_manager_class() -> type | None:
    """Return a kernel manager whose kernels use Unix sockets with unique names (POSIX).

    Kernels started at once then never race for a TCP port; elsewhere ``None``
    (papermill's default, TCP).
    """
    if os.name != "posix":
        return None
    # lazy: jupyter_client and traitlets come with papermill, needed only to run notebooks
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum, default

    class IPCKernelManager(AsyncKernelManager):
        """Kernels over Unix sockets named ``<private folder>/k-<12 hex digits>-N``."""

        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

        @default("ip")
        def _unique_ip(self) -> str:
            return os.path.join(_ipc_dir(), f"k-{uuid.uuid4().hex[:12]}")

    return IPCKernelManager


def execute(
    use_case: str,
    parameters: Mapping[str, Any],
    output: Path | None,
    cwd: Path,
    timeout: int = TIMEOUT,
) -> Any:
    """Run ``use_case``'s notebook with ``parameters``, write it to ``output`` and return it.

    The executed notebook is returned as an ``nbformat`` node and, unless ``output`` is
    ``None``, written once when it ends (not after every cell: papermill's saves as it goes,
    each of the whole notebook with its drawings, cost about 1 s of a report's time).  The
    kernel is shut down before it returns (:func:`execute_deferred` leaves that to later).

    Raises
    ------
    NotebookFailed
        Naming the notebook, the failing cell (its number and first line) and the error.
    """
    nb, shut_down = execute_deferred(use_case, parameters, output, cwd, timeout)
    shut_down()
    return nb


def execute_deferred(
    use_case: str,
    parameters: Mapping[str, Any],
    output: Path | None,
    cwd: Path,
    timeout: int = TIMEOUT,
    kernel: Any = None,
) -> tuple[Any, Callable[[], None]]:
    """Run the notebook as :func:`execute` does, but leave its kernel running.

    ``kernel``, if given, is a kernel already started (:func:`start_kernel`, in ``cwd``):
    the notebook runs in it, and the function returned shuts it down.

    Return the executed notebook and a function that shuts the kernel down (gracefully,
    as papermill does: about 0.8 s for a kernel that loaded pandas and altair, its process
    ending).  A report calls it once the page is in Chromium's hands, so the shutdown is
    not on its critical path.  Call it in the same thread (the kernel's client lives on that
    thread's event loop), always (``try``/``finally``); calling it again does nothing.  If
    the run fails, the kernel is shut down before the error is raised.

    Raises
    ------
    NotebookFailed
        As :func:`execute`.
    """
    # lazy: papermill starts Jupyter machinery, needed only to run notebooks
    import papermill as pm

    path = notebook_path(use_case)
    kwargs: dict[str, Any] = {}
    km = kernel_manager_class()
    if kernel is not None:
        kwargs["km"] = kernel
    elif km is not None:
        kwargs["kernel_manager_class"] = km
    held: list[Any] = []
    shut_down = functools.partial(_shut_down, held, kernel)
    try:
        nb = pm.execute_notebook(
            str(path),
            None if output is None else str(output),
            parameters=dict(parameters),
            engine_name=_engine(),
            request_save_on_cell_execute=False,
            kernel_name="python3",
            cwd=str(cwd),
            progress_bar=False,
            log_output=False,
            execution_timeout=timeout,
            start_timeout=STARTUP_TIMEOUT,
            wfkit_held=held,
            **kwargs,
        )
    except pm.PapermillExecutionError as exc:
        shut_down()
        first = next((ln for ln in str(exc.source).splitlines() if ln.strip()), "")
        raise NotebookFailed(
            f"{path.name} failed in cell {exc.cell_index} (execution count {exc.exec_count}, "
            f"starting {first.strip()!r}): {exc.ename}: {exc.evalue}"
        ) from None
    except BaseException:
        shut_down()
        raise
    return nb, shut_down


def _shut_down(held: list[Any], kernel: Any = None) -> None:
    """Shut down the kernels of the clients in ``held`` (nbclient's own clean-up).

    Then ``kernel`` (:func:`stop_kernel`), whose client may never have been made.
    """
    try:
        while held:
            held.pop()._cleanup_kernel()
    finally:
        if kernel is not None:
            stop_kernel(kernel)


#: a line a report's kernel runs before the notebook (:func:`skip_iri_checks`, in the kernel)
SKIP_IRI_CHECKS = "__import__('sys').modules.setdefault('rfc3987_syntax', None)"
#: what nbclient gives every kernel it starts (no history file written), and the line above
KERNEL_ARGUMENTS = (
    "--HistoryManager.hist_file=:memory:",
    f"--IPKernelApp.exec_lines={SKIP_IRI_CHECKS}",
)


def skip_iri_checks() -> None:
    """Let jsonschema, when it loads in this process, skip its IRI format checks.

    jsonschema checks the formats ``iri`` and ``iri-reference`` with ``rfc3987_syntax``
    (installed because ``jupyter_events`` asks for ``jsonschema[format-nongpl]``), which
    builds a Lark grammar when imported: about 1 s of any process that imports nbformat,
    papermill or altair, a tenth of a report.  Nothing a report runs checks an IRI:
    nbformat's schema is draft 4 (no IRI formats), and the only formats altair's Vega-Lite
    schema checks are ``uri``, ``uri-reference`` and ``color-hex`` (which jsonschema checks
    without it).  Marked as missing, the module is not imported and those two checks are
    not made.  Done by the ``wfkit report`` command's process and by each report's kernel
    (:data:`KERNEL_ARGUMENTS`), never by ``import wfkit``.  Does nothing once jsonschema
    has loaded.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]


def start_kernel(cwd: Path) -> Any:
    """Start a ``python3`` kernel in ``cwd`` now, for :func:`execute_deferred`.

    A report starts its kernel first, so the kernel starts up while the report loads
    papermill (about 0.5-0.9 s of a report's time).  The kernel is the one papermill would
    start (:func:`kernel_manager_class`, nbclient's arguments), but for its first line
    (:func:`skip_iri_checks`, about 1 s of its first cell, which imports altair).
    Stop it with :func:`stop_kernel` if it is not handed to :func:`execute_deferred`.
    """
    # lazy: jupyter_client is needed only to run notebooks (about 0.1 s)
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    km = (kernel_manager_class() or AsyncKernelManager)(kernel_name="python3")
    run_sync(km.start_kernel)(extra_arguments=list(KERNEL_ARGUMENTS), cwd=str(cwd))
    return km


def stop_kernel(km: Any) -> None:
    """Stop a kernel of :func:`start_kernel` at once, if it still runs, and free its files.

    Safe to call after the kernel was shut down by :func:`execute_deferred`'s function.
    """
    # lazy: as start_kernel
    from jupyter_core.utils import run_sync

    if km.has_kernel:  # its files are freed with it
        run_sync(km.shutdown_kernel)(now=True)


#: the papermill engine of :func:`execute_deferred` (registered on first use)
ENGINE = "wfkit-deferred-shutdown"
_REGISTERED: list[str] = []


def _engine() -> str:
    """Register (once) and name papermill's nbclient engine, keeping its kernel running.

    The engine is papermill's own (``NBClientEngine``) but for two things: its client runs
    the cells without shutting the kernel down (``cleanup_kc=False``), and it puts the client
    in the list given as ``wfkit_held``, for :func:`_shut_down`.
    """
    # lazy: papermill is needed only to run notebooks
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    if _REGISTERED:
        return ENGINE

    class Engine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man: Any,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: int = 60,
            execution_timeout: int | None = None,
            **kw: Any,
        ) -> Any:
            held = kw.pop("wfkit_held")
            kw = remove_args(["input_path", "timeout", "startup_timeout"], **kw)
            final = merge_kwargs(
                kw,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client = PapermillNotebookClient(nb_man, **final)
            held.append(client)
            return client.execute(cleanup_kc=False)

    papermill_engines.register(ENGINE, Engine)
    _REGISTERED.append(ENGINE)
    return ENGINE
