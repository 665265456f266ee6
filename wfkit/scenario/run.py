"""Running a scenario (every variant, calibrated), its results, and writing them."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import settings as S
from ..errors import InputError, WfkitError, short
from ..model.engine import ROLE_MEASURES, ModelResult, TidyColumns, run_model
from ..model.uncertainty import shared_draws
from ..outputs import output_folder
from ..validation import check_finite_results, check_finite_summary, estimate_run_bytes
from .chunked import ChunkedResult, ChunkedRun, needs_chunks, run_budget, run_chunked
from .config import load_scenario
from .placements import placements_frames
from .prepare import prepare_inputs
from .results import ScenarioRun
from .spec import ScenarioSpec
from .table_files import TableWriter, check_output_frame, without_draw_statistics, write_table
from .tables import TableLoader

log = logging.getLogger("wfkit")


# ----------------------------------------------------------------------------------------
# running
# ----------------------------------------------------------------------------------------
def run_scenario(
    scenario: ScenarioSpec | str | os.PathLike[str] | Mapping[str, Any],
    load_table: TableLoader | None = None,
    draws: int | None = None,
    seed: int | None = None,
    chunk_areas: int | None = None,
    scheduler: Any = None,
    *,
    workers: int | None = None,
    progress: bool | None = None,
) -> ScenarioRun:
    """Run the baseline and every variant of a scenario.

    Parameters
    ----------
    scenario
        A loaded scenario (:class:`~wfkit.scenario.spec.ScenarioSpec`), a YAML path, a
        bundled scenario's name (``"default"``) or a mapping.
    load_table
        Loads the tables the scenario gives as ``bundled`` (default
        :func:`~wfkit.scenario.tables.load_bundled_table`, through :mod:`wfkit.data`).
    draws, seed
        Override the scenario's ``draws`` and ``seed``.
    chunk_areas, scheduler
        Run the areas in chunks of ``chunk_areas``, each reduced to percentiles before the
        next (bounded memory for national Monte Carlo; the same tidy frame), and with
        ``scheduler`` (a Dask scheduler address or ``distributed.Client``) as tasks on a
        cluster; either one selects the chunked run (:mod:`wfkit.scenario.chunked`, a
        :class:`~wfkit.scenario.chunked.ChunkedRun`; ``chunk_areas=0``: a size that fits
        in memory).  Neither: every area at once if it fits in memory
        (:func:`~wfkit.scenario.chunked.needs_chunks`), else in chunks by itself (the log
        says so).
    workers, progress
        For a run in chunks: local processes running chunks at once (default 2; the same
        results whatever the number), and whether to show a progress bar on standard error
        (default: when it is a terminal).
    """
    if not isinstance(scenario, ScenarioSpec | str | os.PathLike | Mapping):
        raise InputError(
            f"{short(scenario)} is a {type(scenario).__name__}; expected a scenario file path, "
            "a bundled scenario name, a mapping of settings or a ScenarioSpec",
            key="scenario",
        )
    if chunk_areas is not None and (
        isinstance(chunk_areas, bool) or not isinstance(chunk_areas, int | np.integer)
    ):
        raise InputError(
            f"chunk_areas={short(chunk_areas)} is a {type(chunk_areas).__name__}; "
            "expected a whole number",
            key="chunk_areas",
        )
    sc = scenario if isinstance(scenario, ScenarioSpec) else load_scenario(scenario)
    n = sc.draws if draws is None else _checked(S.DRAWS, draws, sc.source)
    s = sc.seed if seed is None else _checked(S.SEED, seed, sc.source)
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int | np.integer) or workers < 1
    ):
        raise InputError(
            f"workers={short(workers)}; expected a whole number, 1 or more", key="workers"
        )
    if chunk_areas is not None or scheduler is not None:
        return run_chunked(
            sc,
            n,
            s,
            load_table,
            chunk_areas=chunk_areas,
            scheduler=scheduler,
            workers=workers,
            progress=progress,
        )
    # checked for one area: a run too big for memory at once goes in chunks
    prepared = prepare_inputs(sc, n, load_table, chunk_areas=1, seed=s)
    first = prepared["baseline"][0]
    dims = (len(first.areas), len(first.years), len(first.roles), len(first.activities))
    if needs_chunks(n, *dims, len(prepared)):
        need = estimate_run_bytes(n, *dims, len(prepared))
        log.info(
            "every area at once needs about %.1f GiB, over the %.1f GiB a run aims at: "
            "running in chunks of areas (the same results; --chunk-areas sets their size)",
            need / 2**30,
            run_budget() / 2**30,
        )
        return run_chunked(
            sc, n, s, load_table, workers=workers, prepared=prepared, progress=progress
        )
    results, inputs, prov = {}, {}, {}
    with shared_draws():  # the variants' common parameters drawn once
        for name, (inp, record) in prepared.items():
            for note in record.notes:
                log.info("%s: %s", name, note)
            results[name] = run_model(inp, draws=n, seed=s)
            check_finite_results(results[name], sc.source, name)
            inputs[name] = inp
            prov[name] = record
            log.info(
                "ran %s: %d areas x %d years x %d roles, %d draws",
                name,
                len(inp.areas),
                len(inp.years),
                len(inp.roles),
                n,
            )
    return ScenarioRun(sc, results, inputs, prov)


def _checked(setting: S.Setting, value: Any, source: str) -> int:
    """Return ``draws`` or ``seed`` given to :func:`run_scenario` beside the file's, checked.

    Checked as the file's are: a whole number in the declared range.
    """
    ok, _ = setting.typed(value)
    if not ok or setting.problem(value):
        raise InputError(
            f"{value!r}: {setting.expected if ok else 'expected a whole number'}",
            source=source,
            key=setting.name,
        )
    return int(value)


def _sha256(path: str) -> str | None:
    p = Path(path)
    if not p.is_file():
        return None
    return hashlib.sha256(p.read_bytes()).hexdigest()


#: output file formats and results layouts of :func:`write_run_files` (the first is the default)
FORMATS = ("csv", "parquet")
LAYOUTS = ("long", "wide", "auto")
#: the header of the gap in areas.csv, saying what its sign means
GAP_HEADER = "gap_fte (in post minus required; negative = shortfall)"


def scenario_label(name: str) -> str:
    """Return a scenario in words, as the charts name it (:func:`wfkit.data.code_words`)."""
    # lazy: wfkit.data loads only when a run reads bundled tables or writes its outputs
    from ..data import code_words

    return code_words(name)


def output_labels(run: ScenarioRun) -> tuple[dict[str, str], dict[str, str]]:
    """Return the words beside the codes in a run's outputs: area names and role labels.

    Area names are the bundled areas' names at the scenario's level (empty for a user's
    own areas); role labels come from the bundled roles table
    (:func:`wfkit.data.role_labels`, the words the charts use), ``all`` is ``All roles``
    and a role outside the table keeps its id.
    """
    # made once a run: the outputs, the summary and its header all name the areas
    memo = getattr(run, "derived", None)
    if memo is not None and "output_labels" in memo:
        return memo["output_labels"]
    # lazy: wfkit.data loads only when a run reads bundled tables or writes its outputs
    from .. import data as wd

    codes = [str(a) for a in run.results["baseline"].areas]
    names: dict[str, str] = {}
    base = run.provenance.get("baseline")
    if base is not None and str(base.tables.get("population", "")).startswith("bundled"):
        try:
            names = wd.area_names(codes, level=run.scenario.baseline.level)
        except WfkitError:  # names are a courtesy, not a must
            names = {}
    roles = {**wd.role_labels(), "all": "All roles"}
    role_words = {r: roles.get(r, r) for r in [*run.results["baseline"].roles, "all"]}
    labels = {c: names.get(c, "") for c in codes}, role_words
    if memo is not None:
        memo["output_labels"] = labels
    return labels


def level_words(level: str) -> str:
    """``level`` as outputs show it: a grouping as ``groups (FILE NAME)``, else as it is."""
    if not level.startswith(S.GROUP_PREFIX):
        return level
    # lazy: wfkit.data loads only when a run reads bundled tables or writes its outputs
    from ..data import group_source

    return f"groups ({Path(group_source(level)).name})"


def areas_table(run: ScenarioRun, results: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return one row per area of the baseline: its list, base-year and horizon figures.

    Columns: ``area``, ``area_name``, ``level``, ``registered_list`` (the base-year
    population), ``base_year``, ``required_fte_base_year``, ``in_post_fte_base_year``,
    ``horizon_year``, ``required_fte`` (central) with ``required_fte_p10``, ``_p50`` and
    ``_p90`` over the draws (empty with none), ``in_post_fte``, and the gap
    (:data:`GAP_HEADER`) with its P10/P50/P90.  Totals over roles; ``results`` is the
    run's tidy frame if it is already made.
    """
    if results is None:  # a chunked run keeps the rows it needs; else the tidy frame
        results = getattr(run, "area_rows", None)
    df = run.to_frame() if results is None else results
    base = run.results["baseline"]
    y0, y1 = int(base.years[0]), int(base.years[-1])
    keep = (df["scenario"] == "baseline") & (df["role"] == "all") & df["year"].isin([y0, y1])
    sub = df.loc[keep, ["area", "year", "measure", "value", "p10", "p50", "p90"]]
    sub = sub.assign(area=sub["area"].astype(str), measure=sub["measure"].astype(str))
    piv = sub.set_index(["area", "year", "measure"])
    codes = [str(a) for a in base.areas]

    def col(year: int, measure: str, stat: str = "value") -> np.ndarray:
        idx = pd.MultiIndex.from_arrays([codes, [year] * len(codes), [measure] * len(codes)])
        return piv[stat].reindex(idx).to_numpy(dtype=float)

    names, _ = output_labels(run)
    draws = base.n_draws > 0
    level = level_words(run.scenario.baseline.level) if any(names.values()) else ""

    def stat(year: int, measure: str, s: str) -> np.ndarray:
        return col(year, measure, s) if draws else np.full(len(codes), np.nan)

    out = {
        "area": codes,
        "area_name": [names[c] for c in codes],
        "level": level,
        "registered_list": col(y0, "population"),
        "base_year": y0,
        "required_fte_base_year": col(y0, "required_fte"),
        "in_post_fte_base_year": col(y0, "supply_fte"),
        "horizon_year": y1,
        "required_fte": col(y1, "required_fte"),
        "required_fte_p10": stat(y1, "required_fte", "p10"),
        "required_fte_p50": stat(y1, "required_fte", "p50"),
        "required_fte_p90": stat(y1, "required_fte", "p90"),
        "in_post_fte": col(y1, "supply_fte"),
        GAP_HEADER: col(y1, "gap_fte"),
        "gap_fte_p10": stat(y1, "gap_fte", "p10"),
        "gap_fte_p50": stat(y1, "gap_fte", "p50"),
        "gap_fte_p90": stat(y1, "gap_fte", "p90"),
    }
    return pd.DataFrame(out)


def results_wide(run: ScenarioRun) -> pd.DataFrame:
    """Return a deterministic run's results, one row per ``area, year, role, scenario``.

    A column per measure (its central value) and ``diff_<measure>``, the difference from
    baseline.

    The same numbers as :meth:`ScenarioRun.to_frame` (``value`` and ``diff``) without the
    columns that, with no draws, only repeat them (P10, P50, P90).  ``role == "all"`` rows
    hold the totals over roles; ``population`` is given on those rows only.
    """
    base = run.results["baseline"]
    if base.n_draws:
        raise ValueError("results_wide: a run with draws has P10/P50/P90; use the long layout")
    A, T, R = len(base.areas), len(base.years), len(base.roles)
    measures = ["population", *ROLE_MEASURES]
    names = list(run.results)
    n = A * T * (R + 1)

    def central(res: ModelResult, m: str) -> np.ndarray:
        if m == "population":
            out = np.full((A, T, R + 1), np.nan)
            out[..., R] = res.measure(m, total=True)[0].reshape(A, T)
            return out
        by_role = res.measure(m)[0].reshape(A, T, R)
        tot = res.measure(m, total=True)[0].reshape(A, T, 1)
        return np.concatenate([by_role, tot], axis=-1)

    base_vals = {m: central(base, m) for m in measures}
    cols: dict[str, Any] = {}
    cat = pd.Categorical.from_codes
    reps = len(names)
    cols["area"] = cat(np.tile(np.repeat(np.arange(A), T * (R + 1)), reps), list(base.areas))
    cols["year"] = np.tile(np.repeat(base.years, R + 1), A * reps).astype(np.int64)
    cols["role"] = cat(np.tile(np.arange(R + 1), A * T * reps), [*base.roles, "all"])
    cols["scenario"] = cat(np.repeat(np.arange(reps), n), names)
    vals = {m: np.empty(n * reps) for m in measures}
    diffs = {m: np.empty(n * reps) for m in measures}
    for j, name in enumerate(names):
        sl = slice(j * n, (j + 1) * n)
        for m in measures:
            v = base_vals[m] if name == "baseline" else central(run.results[name], m)
            vals[m][sl] = v.ravel()
            diffs[m][sl] = (v - base_vals[m]).ravel()
    cols.update(vals)
    cols.update({f"diff_{m}": d for m, d in diffs.items()})
    return pd.DataFrame(cols)


def _result_frames(
    run: ScenarioRun, layout: str
) -> Iterator[tuple[str, pd.DataFrame | TidyColumns]]:
    """Each variant's results frame in the layout, in order (wide: one frame of all).

    A variant run whole gives its frame's columns (:meth:`ModelResult.tidy_columns`): a
    CSV is made from them without the frame.
    """
    if layout == "wide":
        yield "", results_wide(run)
        return
    base = run.results["baseline"]
    for name, r in run.results.items():
        if isinstance(r, ChunkedResult) and r.spilled is not None:  # on disk: piece by piece
            for part in r.frame_parts(name):
                yield name, part
        elif isinstance(r, ChunkedResult):
            yield name, r.to_frame(name, baseline=base)
        else:
            yield name, r.tidy_columns(name, baseline=base)


def _demand_parts(run: ScenarioRun) -> Iterator[pd.DataFrame]:
    """Yield every variant's demand table with its scenario, a piece at a time."""
    for name, r in run.results.items():
        parts = r.demand_parts() if isinstance(r, ChunkedResult) else [r.demand_frame()]
        for part in parts:
            part["scenario"] = name  # a frame of its own (made, or read, for this)
            yield part


def write_run_files(
    run: ScenarioRun,
    folder: Path,
    log_lines: list[str] | None = None,
    *,
    fmt: str = "csv",
    layout: str = "long",
) -> None:
    """Write ``results.csv``, ``demand.csv``, ``summary.json`` and ``run.log`` into ``folder``.

    With more than one area also ``areas.csv`` (:func:`areas_table`).  ``folder`` is an
    existing folder; use :func:`write_outputs` for a whole-or-nothing output folder.

    ``fmt="parquet"`` writes ``results.parquet``, ``demand.parquet`` and ``areas.parquet``
    instead of the CSVs.  ``layout``: ``long`` (the default: the tidy frame of
    :meth:`ScenarioRun.to_frame`, the same columns with or without draws; with none the
    P10/P50/P90 columns are empty), ``wide`` (:func:`results_wide`, deterministic runs
    only) or ``auto`` (wide with no draws, long with draws).  Area names and role labels
    stand beside the codes (:func:`output_labels`).  docs/scenarios.md, "Outputs of wfkit
    run", describes the files.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; expected one of {LAYOUTS}")
    deterministic = run.results["baseline"].n_draws == 0
    if layout == "auto":
        layout = "wide" if deterministic else "long"
    if layout == "wide" and not deterministic:
        raise InputError(
            "the wide layout is for a run with no draws; use --layout long with draws",
            source=run.scenario.source,
            key="draws",
        )
    summary = run.summary()
    # every measure a number before it is written (the model's additive arrays are checked
    # as it runs; ratios and totals over roles are made here); a refusal part-way leaves
    # nothing, as the folder is written whole or not at all
    check_finite_summary(summary.get("variants", {}), run.scenario.source, "variants")
    # the CSVs' text is made on threads beside what follows; the files are finished last
    with contextlib.ExitStack() as files:
        written = _write_tables(run, folder, fmt, layout, files)
        _write_summary(run, folder, summary, written, log_lines)


def _write_tables(
    run: ScenarioRun, folder: Path, fmt: str, layout: str, files: contextlib.ExitStack
) -> list[str]:
    """Write the results, demand, areas (more than one) and placements tables into ``folder``.

    The results and demand writers are left open on ``files`` (their last text is written
    when it closes); returns the files' descriptions for run.log.
    """
    ext = "parquet" if fmt == "parquet" else "csv"
    deterministic = run.results["baseline"].n_draws == 0
    areas, roles = output_labels(run)
    base_frame = None
    out = files.enter_context(TableWriter(folder / f"results.{ext}", fmt))
    # the variants' measures and figures worked out once (the baseline's beside each)
    with shared_draws():
        # variant by variant: the results of every variant are never all in memory at once
        for name, frame in _result_frames(run, layout):
            check_output_frame(frame, run.scenario.source)
            if name == "baseline" and len(areas) > 1 and not isinstance(run, ChunkedRun):
                base_frame = frame.frame() if isinstance(frame, TidyColumns) else frame
            if deterministic and layout == "long":  # no statistics over draws: empty
                frame = without_draw_statistics(frame)
            out.write(frame, (areas, roles))
            del frame
    out = files.enter_context(TableWriter(folder / f"demand.{ext}", fmt))
    for demand in _demand_parts(run):
        check_output_frame(demand, run.scenario.source)
        if deterministic:  # no statistics over draws: empty
            demand["p10"] = np.nan
            demand["p90"] = np.nan
        out.write(demand, (areas, roles))
    written = [f"results.{ext} ({layout} layout)", f"demand.{ext}"]
    if len(areas) > 1:
        write_table(areas_table(run, base_frame), folder / f"areas.{ext}", fmt)
        written.append(f"areas.{ext}")
    del base_frame
    if any(v.placements for v in run.scenario.variants):  # docs/neighbourhoods.md
        hosting, supervision = placements_frames(run)
        write_table(hosting, folder / f"placements.{ext}", fmt, (areas, roles))
        write_table(supervision, folder / f"supervision.{ext}", fmt, (areas, roles))
        written += [f"placements.{ext}", f"supervision.{ext}"]
    return written


def _write_summary(
    run: ScenarioRun,
    folder: Path,
    summary: dict[str, Any],
    written: list[str],
    log_lines: list[str] | None,
) -> None:
    """Write ``summary.json`` (``summary`` with the inputs and the base year) and ``run.log``."""
    summary["inputs"] = {
        name: {t: {"origin": o, "sha256": _sha256(o)} for t, o in rec.tables.items()}
        for name, rec in run.provenance.items()
    }
    summary["scenario_sha256"] = _sha256(run.scenario.source)
    recon = run.reconciliation()
    band = run.base_year_band().set_index("role")
    bands = {role: row for role, *row in band[["p10", "p50", "p90"]].itertuples()}
    summary["base_year"] = {
        "year": int(run.results["baseline"].years[0]),
        "calibration": run.calibration().method,
        "required_fte": {k: round(float(v), 6) for k, v in band.loc["all"].items()},
        "minutes_factor": {k: round(v, 6) for k, v in run.calibration().minutes_factor.items()},
        "roles": [
            {
                "role": r.role,
                "required_fte": None if pd.isna(r.required_fte) else round(r.required_fte, 6),
                "supply_fte": round(r.supply_fte, 6),
                "gap_fte": None if pd.isna(r.gap_fte) else round(r.gap_fte, 6),
                **_band_of(bands, r.role),
                "reason": r.reason,
                "check": r.check,
            }
            for r in recon.itertuples()
        ],
    }
    (folder / "summary.json").write_text(
        json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    lines = list(log_lines or [])
    for name, rec in run.provenance.items():
        lines += [f"{name}: table {t} from {o}" for t, o in rec.tables.items()]
        lines += [f"{name}: {n}" for n in rec.notes]
    lines.append(f"base year: {band_line(band.loc['all'], run.results['baseline'].n_draws)}")
    lines += [f"base year: {line}" for line in reconciliation_lines(recon)]
    lines.append(f"wrote {', '.join(written)}, summary.json")
    (folder / "run.log").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _band_of(bands: dict[str, list[float]], role: str) -> dict[str, float]:
    """Return a role's base-year P10, P50 and P90 of required FTE for summary.json (none if unmodelled).

    ``bands``: each role's P10, P50 and P90 (:meth:`ScenarioRun.base_year_band`).
    """
    if role not in bands:
        return {}
    return {
        f"required_{k}": round(float(v), 6)
        for k, v in zip(("p10", "p50", "p90"), bands[role], strict=True)
    }


def band_line(total: pd.Series, draws: int) -> str:
    """Return the base year's required FTE over the draws in words (the CLI and the log).

    ``total`` is the ``all`` row of :meth:`ScenarioRun.base_year_band`.
    """
    if not draws:
        return f"required {total['value']:.1f} FTE (no draws, so no band)"
    return (
        f"required {total['value']:.1f} FTE, P10 {total['p10']:.1f}, P50 {total['p50']:.1f}, "
        f"P90 {total['p90']:.1f} over {draws} draws (calibrated in every draw: the band is "
        "how England's work splits between areas and roles, not its level)"
    )


def reconciliation_lines(rec: pd.DataFrame) -> list[str]:
    """Return the base-year reconciliation as plain lines (for the CLI, the log and notebooks)."""
    out = []
    for r in rec.itertuples():
        if pd.isna(r.required_fte):
            out.append(f"{r.role}: {r.supply_fte:.1f} FTE in post")
            continue
        out.append(
            f"{r.role}: required {r.required_fte:.1f} FTE, in post {r.supply_fte:.1f} "
            f"(gap {r.gap_fte:+.1f}); {r.reason}" + (f"; {r.check}" if r.check else "")
        )
    return out


def write_outputs(
    run: ScenarioRun,
    out_dir: str | os.PathLike[str],
    log_lines: list[str] | None = None,
    *,
    allow_existing: bool = False,
    fmt: str = "csv",
    layout: str = "long",
    tables: Mapping[str, pd.DataFrame] | None = None,
) -> Path:
    """Write ``results.csv``, ``demand.csv``, ``summary.json`` and ``run.log`` to ``out_dir``.

    ``tables`` are more tidy frames, each written as ``<name>.csv`` beside them (the work
    moved in from hospital and its business case, from the command line).

    Written safely by :func:`wfkit.outputs.output_folder`: into a new or empty folder, or
    one holding only wfkit's earlier output (its ``.wfkit-manifest.json``), replaced whole
    or not at all; any other folder is refused (:class:`InputError`), as are the scenario's
    own folder, the home folder and the root.  ``allow_existing=True`` writes beside other
    files, replacing only wfkit's own.  ``out_dir`` may be an
    :class:`~wfkit.outputs.OutputTarget` checked before the model ran.
    """
    out = Path(os.fspath(out_dir)).expanduser().resolve()
    with output_folder(out_dir, allow_existing=allow_existing, protect=[run.scenario.path]) as tmp:
        write_run_files(
            run, tmp, [*(log_lines or []), f"output folder: {out}"], fmt=fmt, layout=layout
        )
        for name, frame in (tables or {}).items():
            frame.to_csv(Path(tmp) / f"{name}.csv", index=False)
    return out
