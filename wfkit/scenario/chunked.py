"""Monte Carlo at national scale: the areas run in chunks, locally or on a Dask cluster.

Each chunk is reduced to percentiles before the next, locally or as tasks on a Dask
distributed cluster.

A chunk is a run of every variant for a consecutive slice of the areas with every draw
(:func:`wfkit.model.chunks.slice_areas`); it returns what the outputs need and nothing of
size ``draws``:

* each variant's tidy frame for its areas (P10/P50/P90, and the difference from the
  baseline taken draw by draw within the chunk, as :meth:`ModelResult.to_frame` does),
* each variant's demand table (central, P10, P90),
* the central run (draw 0) of every array, for the base-year reconciliation,
* per draw, the base-year and final-year totals over the chunk's areas by role, which are added up
  across chunks for the England-wide figures of ``summary.json`` (percentiles of totals,
  never totals of percentiles).

Because an area's draws do not depend on its chunk, the tidy frame equals the frame of
the run of every area at once, every column to the last bit; the England-wide totals are
sums over chunks of sums over areas, equal to the unchunked ones to rounding (about 1e-15
relative).  The same chunks run as tasks on a Dask cluster (``scheduler``), gathered in
order, so a cluster's outputs are byte-identical to the local run.

Locally the chunks run on a pool of ``workers`` processes (default two, one per core of a
small machine), gathered in order, so the outputs are byte-identical to the serial run
(``workers=1``).  A run too big for memory in one piece (:func:`needs_chunks`) runs in
chunks by itself: :func:`wfkit.scenario.run_scenario` chooses this, and the log says so.

Workers use one BLAS thread each (two OpenBLAS threads on two busy cores thrash): a task
limits BLAS to one thread with ``threadpoolctl`` where it is installed, and
:func:`local_cluster` starts its workers with ``OMP_NUM_THREADS``,
``OPENBLAS_NUM_THREADS`` and ``MKL_NUM_THREADS`` set to 1 (Dask's nanny does the same by
default, ``distributed.nanny.pre-spawn-environ``); start a remote cluster's workers with
those variables set.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..model.chunks import area_chunks, slice_areas
from ..model.engine import ModelInputs, ModelResult, run_model
from ..model.uncertainty import shared_draws
from ..validation import (
    available_memory,
    check_chunked_memory,
    check_finite_results,
    estimate_chunk_bytes,
    estimate_frame_bytes,
    estimate_run_bytes,
)
from .chunk_frames import SpilledChunk, area_rows, combine_frames, spill_dir
from .prepare import prepare_inputs
from .results import ScenarioRun
from .spec import ScenarioSpec
from .tables import TableLoader

__all__ = [
    "ChunkedResult",
    "ChunkedRun",
    "run_chunked",
    "default_chunk_areas",
    "needs_chunks",
    "run_budget",
    "local_cluster",
    "BLAS_ENV",
    "CHUNK_BYTES",
    "RUN_BYTES",
    "WORKERS",
]

log = logging.getLogger("wfkit")

#: estimated peak memory (:func:`wfkit.validation.estimate_chunk_bytes`, which is cautious)
#: of one chunk's run of all variants that :func:`default_chunk_areas` aims at
CHUNK_BYTES = 2 * 2**30
#: estimated peak memory a run aims to stay within by default (every chunk in flight and
#: the results held until they are combined), at most half the machine's memory
RUN_BYTES = 4 * 2**30
#: processes a local chunked run uses by default (one per core of a two-core machine)
WORKERS = 2
#: environment of worker processes wfkit starts: one BLAS thread each
BLAS_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
#: what the final-year England totals are kept of, per draw and role
_TOTALS = ("workload_hours", "required_fte", "supply_fte", "cost_gbp")
_CENTRAL = ("demand", "workload_hours", "required_fte", "supply_fte", "cost_gbp")


def run_budget() -> int:
    """Return the estimated bytes a run may use: :data:`RUN_BYTES`, at most half the memory."""
    have = available_memory()
    return RUN_BYTES if have is None else min(RUN_BYTES, have // 2)


def default_chunk_areas(
    draws: int,
    years: int,
    roles: int,
    activities: int,
    variants: int,
    budget: int = CHUNK_BYTES,
    *,
    held: int = 0,
    workers: int = 1,
) -> int:
    """Areas per chunk so that the chunks in flight stay within ``budget``.

    ``held`` bytes of the budget are taken by the results held until they are combined
    (:func:`wfkit.validation.estimate_frame_bytes`), and ``workers`` chunks run at once,
    each estimated by :func:`wfkit.validation.estimate_chunk_bytes`.
    """
    # results too big for the budget by themselves (every practice in England): chunks of
    # a quarter of it, rather than of one area each (the machine check still applies)
    per_chunk = max(budget - held, budget // 4) // max(workers, 1)
    base = estimate_chunk_bytes(draws, 0, years, roles, activities, variants)
    one = estimate_chunk_bytes(draws, 1, years, roles, activities, variants) - base
    return max(1, int((per_chunk - base) // max(one, 1)))


def needs_chunks(
    draws: int, areas: int, years: int, roles: int, activities: int, variants: int
) -> bool:
    """Whether a run of every area at once is estimated to need more than :func:`run_budget`."""
    need = estimate_run_bytes(draws, areas, years, roles, activities, variants)
    return areas > 1 and need > run_budget()


@dataclass(slots=True)
class ChunkedResult(ModelResult):
    """A variant's result from a chunked run.

    The central run (draw 0) of every area, with the tidy frame and demand table that
    carry the percentiles over the draws.

    The arrays have one row (the central run); ``n_draws`` is the number of draws run.
    :meth:`to_frame` and :meth:`demand_frame` return the frames the chunks reduced.
    """

    frame: pd.DataFrame | None = None
    demand_table: pd.DataFrame | None = None
    #: with results too big to hold (every practice in England): each chunk's frame and
    #: demand table in Arrow files of the run's temporary folder, read when needed
    spilled: list[SpilledChunk] | None = None

    def frame_parts(self, scenario: str) -> Iterator[pd.DataFrame]:
        """Yield the tidy frame in its order a piece at a time (bounded memory).

        One piece per part (a measure's roles, or its total) and chunk when the chunks'
        frames are on disk; the whole frame otherwise.
        """
        if self.spilled is None:
            yield self.to_frame(scenario)
            return
        for p in range(len(self.spilled[0].bounds) - 1):
            for chunk in self.spilled:
                yield chunk.frame_rows(chunk.bounds[p], chunk.bounds[p + 1])

    def demand_parts(self) -> Iterator[pd.DataFrame]:
        """Yield the demand table a chunk at a time (the whole table when it is held)."""
        if self.spilled is None:
            yield self.demand_frame()
            return
        for chunk in self.spilled:
            yield chunk.demand()

    def to_frame(  # type: ignore[override]
        self, scenario: str = "baseline", baseline: ModelResult | None = None
    ) -> pd.DataFrame:
        """Return the tidy frame of this variant, as the chunks computed it.

        Against the run's baseline, as the chunks computed it draw by draw; ``scenario``
        and ``baseline`` must be those of the run.  Frames on disk are read back whole.
        """
        frame = self.frame
        if frame is None and self.spilled is not None:
            frame = combine_frames(
                [c.frame_rows(0, c.bounds[-1]) for c in self.spilled], list(self.areas)
            )
        if frame is None or str(frame["scenario"].iloc[0]) != scenario:
            raise InputError(
                f"a chunked result holds its frame for scenario "
                f"{None if frame is None else frame['scenario'].iloc[0]!r}; "
                "use ScenarioRun.to_frame()",
                key="scenario",
            )
        return frame.copy(deep=False) if frame is self.frame else frame

    def demand_frame(self) -> pd.DataFrame:  # type: ignore[override]
        """Return the demand table the chunks reduced (central, P10, P90)."""
        if self.demand_table is None and self.spilled is not None:
            return pd.concat([c.demand() for c in self.spilled], ignore_index=True)
        return self.demand_table.copy()  # type: ignore[union-attr]


@dataclass(slots=True, weakref_slot=True)
class ChunkedRun(ScenarioRun):
    """A :class:`ScenarioRun` computed in chunks of areas.

    ``results`` hold :class:`ChunkedResult` (central arrays and the reduced frames),
    ``totals`` the per-draw base-year and final-year totals over every area (one area
    ``"total"``), which :meth:`summary` and :meth:`draw_totals` use.
    """

    totals: dict[str, ModelResult] = field(default_factory=dict)
    chunk_areas: int = 0
    n_chunks: int = 0
    #: the baseline's rows that areas.csv reads (:func:`area_rows`), every area
    area_rows: pd.DataFrame | None = None
    #: the temporary folder of frames on disk (removed with the run), if any
    spill_dir: Path | None = None

    def summary(self) -> dict[str, Any]:
        """Return the headline figures from the per-draw totals, with the number of areas."""
        shadow = ScenarioRun(self.scenario, self.totals, self.inputs, self.provenance)
        out = shadow.summary()
        out["areas"] = len(self.results["baseline"].areas)
        return out

    def draw_totals(self, variant: str = "baseline") -> ModelResult:
        """Return the per-draw totals over every area the chunks added up.

        Base year and final year only.
        """
        return self.totals[variant]


# ----------------------------------------------------------------------------------------
# one chunk (runs in the caller's process or on a Dask worker)
# ----------------------------------------------------------------------------------------
def _blas_one_thread() -> contextlib.AbstractContextManager[Any]:
    try:
        # lazy: threadpoolctl is optional (installed with the dask extra)
        from threadpoolctl import threadpool_limits
    except ImportError:  # the workers' environment (BLAS_ENV) is what limits them
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def run_chunk(
    inputs: dict[str, ModelInputs], draws: int, seed: int, source: str | None = None
) -> dict[str, Any]:
    """Run every variant of one chunk of areas and reduce it (see the module docstring)."""
    with _blas_one_thread():
        results: dict[str, ModelResult] = {}
        # the variants' common parameters drawn once, and the baseline's measures worked
        # out once for the variants' frames
        with shared_draws():
            for name, inp in inputs.items():
                results[name] = run_model(inp, draws=draws, seed=seed)
                check_finite_results(results[name], source, name)
            base = results["baseline"]
            parts = ("frames", "demand", "central", "totals", "fixed", "staff")
            out: dict[str, Any] = {k: {} for k in parts}
            for name, r in results.items():
                out["frames"][name] = r.to_frame(name, baseline=base)
                if name == "baseline":  # what areas.csv needs, small enough to hold for all
                    out["area_rows"] = area_rows(out["frames"][name], r.years)
                if name != "baseline" and (
                    r.demand is base.demand or np.array_equal(r.demand, base.demand)
                ):  # shared inside shared_draws, else compared
                    out["demand"][name] = out["demand"]["baseline"]  # the same contacts
                else:
                    out["demand"][name] = r.demand_frame()
                out["central"][name] = {
                    k: np.array(getattr(r, k)[:1]) for k in ("population", *_CENTRAL)
                }
                out["staff"][name] = (r.staff_demand, r.staff_class)
                tot = r.aggregate({a: "total" for a in r.areas})
                out["totals"][name] = {  # the base year (its band) and the final year
                    "population": np.array(tot.population[:, :, [0, -1]]),
                    **{k: np.array(getattr(tot, k)[:, :, [0, -1]]) for k in _TOTALS},
                }
                out["fixed"][name] = {
                    k: np.array(getattr(r, k)[:1])
                    for k in ("awt_hours", "caf", "hours_per_contact", "cost_per_fte")
                }
                del r
        return out


# ----------------------------------------------------------------------------------------
# the whole run
# ----------------------------------------------------------------------------------------
def _client(scheduler: Any) -> tuple[Any, bool]:
    """Return a ``distributed.Client`` for ``scheduler`` and whether we opened it.

    ``scheduler`` is an address or a client; the caller closes a client we opened.
    """
    # lazy: dask distributed (optional) only with a scheduler
    from distributed import Client

    if isinstance(scheduler, Client):
        return scheduler, False
    return Client(str(scheduler), timeout="30s"), True


def _on_terminal() -> bool:
    """Whether standard error is a terminal (progress is shown only there)."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed
        return False


def progress_bar(total: int, what: str, show: bool | None = None) -> Any:
    """Return a tqdm bar of ``total`` ``what`` on standard error, with its ETA.

    Shown when ``show`` is true, or (``None``) when standard error is a terminal; otherwise
    a bar that prints nothing.
    """
    # lazy: tqdm only for a run that shows progress
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc=f"wfkit: {what}",
        unit=what.rstrip("s") if what.endswith("s") else what,
        file=sys.stderr,
        disable=not (_on_terminal() if show is None else show),
        dynamic_ncols=True,
        leave=True,
    )


@contextlib.contextmanager
def _blas_env() -> Any:
    """Set :data:`BLAS_ENV` while worker processes start, as it was after."""
    before = {k: os.environ.get(k) for k in BLAS_ENV}
    os.environ.update(BLAS_ENV)
    try:
        yield
    finally:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _run_local(
    tasks: list[dict[str, ModelInputs]],
    draws: int,
    seed: int,
    source: str | None,
    workers: int,
    bar: Any,
    keep: Callable[[int, dict[str, Any]], dict[str, Any]],
) -> list[dict[str, Any]]:
    """Run the chunks here (``workers`` 1) or on a pool of processes, results in order.

    The pool's processes are started fresh (``spawn``) with one BLAS thread each; each
    chunk's results do not depend on the process that ran it, so the outputs equal the
    serial run's byte for byte.
    """
    if workers <= 1:
        outs = []
        for t in tasks:
            outs.append(keep(len(outs), run_chunk(t, draws, seed, source)))
            bar.update()
        return outs
    # lazy: multiprocessing (and the process pool with it) only for a run on a pool
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    done: list[dict[str, Any] | None] = [None] * len(tasks)
    with (
        _blas_env(),
        ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool,
    ):
        futures = {pool.submit(run_chunk, t, draws, seed, source): i for i, t in enumerate(tasks)}
        for f in as_completed(futures):
            i = futures[f]
            done[i] = keep(i, f.result())
            bar.update()
    return [o for o in done if o is not None]


def _fit_workers(
    draws: int, chunk: int, areas: int, dims: tuple[int, ...], workers: int, source: str
) -> int:
    """Return how many chunks may run at once, checked before any runs.

    The chunks in flight and every area's results held to be combined: fewer chunks at
    once where two do not fit, refused (:class:`InputError`) only where one does not.
    """
    for w in range(workers, 0, -1):
        try:
            check_chunked_memory(draws, min(chunk * w, areas), areas, *dims, source=source)
        except InputError:
            if w == 1:
                raise
            continue
        return w
    return 1


def _run_tasks(
    tasks: list[dict[str, ModelInputs]],
    draws: int,
    seed: int,
    source: str,
    workers: int,
    scheduler: Any,
    keep: Callable[[int, dict[str, Any]], dict[str, Any]],
    progress: bool | None,
) -> list[dict[str, Any]]:
    """Run the chunks here, on a pool of processes or on a Dask cluster; results in order."""
    with progress_bar(len(tasks), "chunks", progress) as bar:
        if scheduler is None:
            return _run_local(tasks, draws, seed, source, workers, bar, keep)
        client, opened = _client(scheduler)
        try:
            futures = client.map(
                run_chunk, tasks, draws=draws, seed=seed, source=source, pure=False
            )
            outs = [keep(i, o) for i, o in enumerate(client.gather(futures))]
            bar.update(len(tasks))
            return outs
        finally:
            if opened:
                client.close()


def _variant_result(
    name: str,
    outs: list[dict[str, Any]],
    first: ModelInputs,
    draws: int,
    seed: int,
    central: dict[str, np.ndarray],
    spilled: bool,
) -> ChunkedResult:
    """Return a variant's result from its chunks (frames combined, or left on disk)."""
    areas = list(first.areas)
    staff_class = outs[0]["staff"][name][1]
    staff_demand = None
    if staff_class is not None:  # local calibration: contacts by class of staff
        staff_demand = np.concatenate([o["staff"][name][0] for o in outs], axis=1)
    frame = demand = on_disk = None
    if spilled:
        on_disk = [o["frames"][name] for o in outs]
    else:
        frame = combine_frames([o["frames"][name] for o in outs], areas)
        for o in outs:  # each chunk's frame, once combined, is let go
            o["frames"][name] = None
        demand = pd.concat([o["demand"][name] for o in outs], ignore_index=True)
    return ChunkedResult(
        areas=areas,
        years=np.asarray(first.years),
        activities=list(first.activities),
        roles=list(first.roles),
        **central,
        **outs[0]["fixed"][name],
        n_draws=draws,
        seed=seed,
        frame=frame,
        demand_table=demand,
        staff_demand=staff_demand,
        staff_class=staff_class,
        spilled=on_disk,
    )


class _RunningTotals:
    """The chunks' per-draw totals added up in chunk order as they arrive.

    Each chunk's totals (about 4 MB a chunk at 1,000 draws) are let go once added, instead
    of every chunk's being held to the end (1.7 GB for every network at 1,000 draws).  A
    chunk that finishes early waits until those before it are added, so the sums are the
    same to the last bit whatever order the processes finish in.
    """

    def __init__(self) -> None:
        self.sums: dict[str, dict[str, np.ndarray]] | None = None
        self.waiting: dict[int, dict[str, dict[str, np.ndarray]]] = {}
        self.next = 0

    def add(self, i: int, totals: dict[str, dict[str, np.ndarray]]) -> None:
        """Add chunk ``i``'s totals (per variant, per measure) once chunks ``0..i-1`` are in."""
        self.waiting[i] = totals
        while self.next in self.waiting:
            got = self.waiting.pop(self.next)
            if self.sums is None:
                self.sums = {v: {k: a.copy() for k, a in t.items()} for v, t in got.items()}
            else:
                for v, t in got.items():
                    for k, a in t.items():
                        self.sums[v][k] += a
            self.next += 1


def _totals_result(
    tot: dict[str, np.ndarray], first: ModelInputs, draws: int, seed: int
) -> ModelResult:
    """Return a variant's per-draw base- and final-year totals over every area, summed over chunks."""
    D, R = tot["required_fte"].shape[0], len(first.roles)
    return ModelResult(
        areas=["total"],
        years=np.array([int(first.years[0]), int(first.years[-1])]),
        activities=[],
        roles=list(first.roles),
        demand=np.zeros((D, 1, 1, 0)),
        awt_hours=np.ones((1, R)),
        caf=np.ones((1, R)),
        hours_per_contact=np.zeros((1, 1, 0, R)),
        cost_per_fte=np.zeros((1, R)),
        n_draws=draws,
        seed=seed,
        **tot,
    )


def run_chunked(
    sc: ScenarioSpec,
    draws: int,
    seed: int,
    load_table: TableLoader | None = None,
    chunk_areas: int | None = None,
    scheduler: Any = None,
    *,
    workers: int | None = None,
    prepared: dict[str, tuple[ModelInputs, Any]] | None = None,
    progress: bool | None = None,
) -> ChunkedRun:
    """Run a scenario in chunks of ``chunk_areas`` areas, locally or on a Dask cluster.

    Parameters
    ----------
    sc, draws, seed, load_table
        The scenario, its draws and seed, and the loader of its bundled tables.
    chunk_areas
        Areas per chunk; 0 or ``None``: as many as keep the chunks in flight and the
        results held within :func:`run_budget` (:func:`default_chunk_areas`).
    scheduler
        A Dask scheduler address such as ``tcp://127.0.0.1:8786``, or a
        ``distributed.Client``: one task per chunk on the cluster.
    workers
        Local processes running chunks at once (default :data:`WORKERS`; 1 runs them here,
        one after another); the results are the same whatever the number.
    prepared
        Inputs already made by :func:`~wfkit.scenario.prepare.prepare_inputs`.
    progress
        Show a progress bar of the chunks on standard error (default: when it is a terminal).
    """
    if prepared is None:
        # the memory check is of one chunk's run (of one area while the size is not known)
        prepared = prepare_inputs(sc, draws, load_table, chunk_areas=chunk_areas or 1, seed=seed)
    inputs = {name: inp for name, (inp, _) in prepared.items()}
    prov = {name: rec for name, (_, rec) in prepared.items()}
    for name, rec in prov.items():
        for note in rec.notes:
            log.info("%s: %s", name, note)
    first = inputs["baseline"]
    areas = list(first.areas)
    dims = (len(first.years), len(first.roles), len(first.activities), len(inputs))
    n_workers = 1 if scheduler is not None else max(1, WORKERS if workers is None else workers)
    if not chunk_areas:  # None or 0: as many areas as fit the budget
        held = estimate_frame_bytes(len(areas), *dims)
        chunk_areas = default_chunk_areas(
            draws, *dims, run_budget(), held=held, workers=min(n_workers, len(areas))
        )
    slices = area_chunks(len(areas), int(chunk_areas))
    n_workers = min(n_workers, len(slices))
    n_workers = _fit_workers(draws, int(chunk_areas), len(areas), dims, n_workers, sc.source)
    tasks = [{n: slice_areas(inp, sl) for n, inp in inputs.items()} for sl in slices]
    # results too big to hold (every practice in England): each chunk's frames go to disk
    # as it arrives, and are read back a piece at a time when written
    spill = spill_dir() if estimate_frame_bytes(len(areas), *dims) > run_budget() // 2 else None
    if spill is not None:
        log.info("the results of %d areas are kept on disk while the chunks run", len(areas))

    running = _RunningTotals()

    def keep(i: int, out: dict[str, Any]) -> dict[str, Any]:
        running.add(i, out.pop("totals"))
        if i:  # the arrays every chunk shares (working time, hours per contact): chunk 0's
            out["fixed"] = None
        if spill is not None:
            for name in list(out["frames"]):
                out["frames"][name] = SpilledChunk.write(
                    spill, f"{i:06d}-{name}", out["frames"][name], out["demand"][name]
                )
                out["demand"][name] = None
        return out

    outs = _run_tasks(tasks, draws, seed, sc.source, n_workers, scheduler, keep, progress)
    del tasks
    if running.sums is None or running.waiting:  # pragma: no cover - every chunk is kept
        raise RuntimeError("a chunk's totals were not added")
    results: dict[str, ModelResult] = {}
    totals: dict[str, ModelResult] = {}
    for name in inputs:
        central = {
            k: np.concatenate([o["central"][name][k] for o in outs], axis=1)
            for k in ("population", *_CENTRAL)
        }
        results[name] = _variant_result(name, outs, first, draws, seed, central, spill is not None)
        totals[name] = _totals_result(running.sums[name], first, draws, seed)
        log.info(
            "ran %s in %d chunk(s) of up to %d areas: %d areas x %d years x %d roles, %d draws%s",
            name,
            len(slices),
            chunk_areas,
            len(areas),
            len(first.years),
            len(first.roles),
            draws,
            " on a Dask cluster"
            if scheduler is not None
            else (f" on {n_workers} processes" if n_workers > 1 else ""),
        )
    run = ChunkedRun(
        sc,
        results,
        inputs,
        prov,
        totals=totals,
        chunk_areas=int(chunk_areas),
        n_chunks=len(slices),
        area_rows=combine_frames([o["area_rows"] for o in outs], areas),
        spill_dir=spill,
    )
    if spill is not None:  # the folder goes with the run (or at exit)
        weakref.finalize(run, shutil.rmtree, spill, ignore_errors=True)
    return run


def local_cluster(n_workers: int = 2, processes: bool = True, **kwargs: Any) -> Any:
    """Start a ``distributed.LocalCluster`` on 127.0.0.1.

    One thread and one BLAS thread per worker (no dashboard); close it (or use it in a
    ``with``) when done.
    """
    # lazy: dask distributed (optional) only for a local cluster
    from distributed import LocalCluster

    opts: dict[str, Any] = {
        "n_workers": n_workers,
        "threads_per_worker": 1,
        "processes": processes,
        "host": "127.0.0.1",
        "protocol": "tcp://",  # loopback TCP, also for in-process (threaded) workers
        "dashboard_address": None,
    }
    if processes:
        opts["env"] = dict(BLAS_ENV)
    opts.update(kwargs)
    return LocalCluster(**opts)
