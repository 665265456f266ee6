"""Monte Carlo in chunks of areas, and on a Dask cluster: the same results as every area at
once (issue 13)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import wfkit
from wfkit.errors import InputError
from wfkit.model.chunks import area_chunks, slice_areas
from wfkit.model.uncertainty import Param
from wfkit.scenario import load_scenario, write_run_files
from wfkit.scenario.chunked import ChunkedRun

DRAWS, CHUNK, N_AREAS = 50, 5, 12


@pytest.fixture(scope="module")
def config() -> dict:
    from wfkit import data

    codes = sorted(data.select_areas(level="pcn")["area"])[:N_AREAS]
    cfg = load_scenario("default").to_mapping()
    cfg.update(areas={"codes": codes}, draws=DRAWS, level="pcn")
    return cfg


@pytest.fixture(scope="module")
def whole(config):
    return wfkit.run_scenario(config)


@pytest.fixture(scope="module")
def chunked(config):
    return wfkit.run_scenario(config, chunk_areas=CHUNK)


def _bits_equal(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    for c in a.columns:
        if a[c].dtype.kind == "f":
            x, y = a[c].to_numpy(), b[c].to_numpy()
            assert np.array_equal(x.view(np.int64), y.view(np.int64)), c  # -0.0, NaN too


# ----- shared draws across areas --------------------------------------------------------
def test_area_draws_do_not_depend_on_the_other_areas():
    rng = np.random.default_rng(1)
    v = rng.uniform(0.1, 0.5, (6, 3, 4))
    p = Param(v, v * 0.8, v * 1.3, 0.0, 1.0, areas_share_draws=True)
    full = p.draws(40, 7, "prevalence")
    part = Param(v[2:5], v[2:5] * 0.8, v[2:5] * 1.3, 0.0, 1.0, areas_share_draws=True)
    assert np.array_equal(part.draws(40, 7, "prevalence"), full[:, 2:5])
    # one z per (activity, band): every area sits at the same quantile of its interval
    z = (full[1:] - v) / np.where(full[1:] < v, v - v * 0.8, v * 1.3 - v)
    assert np.allclose(z, z[:, :1])


def test_national_prevalence_draws_unchanged_by_the_flag():
    v = np.full((1, 3, 4), 0.3)
    old = Param(v, v - 0.1, v + 0.1, 0.0, 1.0).draws(20, 3, "prevalence")
    new = Param(v, v - 0.1, v + 0.1, 0.0, 1.0, areas_share_draws=True).draws(20, 3, "prevalence")
    assert np.array_equal(old, new)


def test_bundled_local_prevalence_shares_draws(whole):
    prev = whole.inputs["baseline"].prevalence
    assert prev.areas_share_draws and prev.value.shape[0] == N_AREAS


def test_area_axis_without_shared_draws_is_refused_for_chunks(whole):
    inp = whole.inputs["baseline"]
    p = inp.prevalence
    lo = np.where(np.isnan(p.lo), p.value * 0.9, p.lo) if p.lo is not None else p.value * 0.9
    unshared = Param(p.value, lo, p.value * 1.1 + 1e-9, 0.0, 1.0)
    from dataclasses import replace

    with pytest.raises(InputError, match="share its draws"):
        slice_areas(replace(inp, prevalence=unshared), slice(0, 5))


def test_area_chunks_cover_every_area():
    assert area_chunks(12, 5) == [slice(0, 5), slice(5, 10), slice(10, 12)]
    with pytest.raises(InputError):
        area_chunks(3, 0)


# ----- chunked equals unchunked ---------------------------------------------------------
def test_chunked_frame_identical_to_unchunked(whole, chunked):
    assert isinstance(chunked, ChunkedRun) and chunked.n_chunks == 3
    a, b = whole.to_frame(), chunked.to_frame()
    assert (b["role"] == "all").any() and {"diff_p10", "diff_p50", "diff_p90"} <= set(b.columns)
    assert (b.loc[b["scenario"] != "baseline", "diff_p50"].abs() > 0).any()
    _bits_equal(a, b)


def test_chunked_demand_and_reconciliation_identical(whole, chunked):
    for name in whole.results:
        _bits_equal(whole.results[name].demand_frame(), chunked.results[name].demand_frame())
    pd.testing.assert_frame_equal(whole.reconciliation(), chunked.reconciliation())


def test_england_totals_accumulate_draws_across_chunks(whole, chunked):
    sa, sb = whole.summary(), chunked.summary()
    assert sb["areas"] == sa["areas"] == N_AREAS and sb["draws"] == DRAWS
    for name, v in sa["variants"].items():
        for m, stats in v.items():
            if m == "final_year":
                assert sb["variants"][name][m] == stats
                continue
            for k, x in stats.items():
                assert sb["variants"][name][m][k] == pytest.approx(x, rel=1e-12, abs=2e-6), (
                    name,
                    m,
                    k,
                )
    # the England P10/P50/P90 are percentiles of per-draw totals, not sums of percentiles
    tot = chunked.totals["baseline"].required_fte[1:, 0, -1].sum(axis=-1)
    assert sb["variants"]["baseline"]["required_fte"]["p90"] == round(
        float(np.percentile(tot, 90)), 6
    )


# ----- both cores: chunks on a pool of processes (issue 20) -----------------------------
def test_chunks_on_two_processes_equal_the_serial_run_bit_for_bit(
    config, chunked, tmp_path, caplog
):
    """The default runs the chunks on two processes; one process gives the same bytes."""
    with caplog.at_level("INFO", logger="wfkit"):
        serial = wfkit.run_scenario(config, chunk_areas=CHUNK, workers=1)
    assert "processes" not in caplog.text
    _bits_equal(chunked.to_frame(), serial.to_frame())
    for name in serial.results:
        _bits_equal(chunked.results[name].demand_frame(), serial.results[name].demand_frame())
        for k in ("required_fte", "supply_fte", "cost_gbp"):
            a, b = getattr(chunked.totals[name], k), getattr(serial.totals[name], k)
            assert np.array_equal(a, b), (name, k)
    for run, d in ((chunked, tmp_path / "two"), (serial, tmp_path / "one")):
        d.mkdir()
        write_run_files(run, d)
    for f in ("results.csv", "demand.csv", "summary.json"):
        assert (tmp_path / "two" / f).read_bytes() == (tmp_path / "one" / f).read_bytes(), f


def test_the_default_chunked_run_uses_two_processes(config, caplog):
    with caplog.at_level("INFO", logger="wfkit"):
        wfkit.run_scenario(config, draws=2, chunk_areas=6)
    assert "in 2 chunk(s) of up to 6 areas" in caplog.text and "on 2 processes" in caplog.text
    with pytest.raises(InputError, match="workers"):
        wfkit.run_scenario(config, chunk_areas=6, workers=0)


# ----- a run too big for memory goes in chunks by itself (issue 20) ---------------------
def test_a_run_over_the_budget_runs_in_chunks_by_itself(config, whole, monkeypatch, caplog):
    import wfkit.scenario.chunked as C
    from wfkit import validation as V
    from wfkit.validation import estimate_chunk_bytes, estimate_frame_bytes, estimate_run_bytes

    monkeypatch.setattr(V, "WORKER_BYTES", 0)  # the sizes of this small run, not a process's
    inp = whole.inputs["baseline"]
    dims = (len(inp.years), len(inp.roles), len(inp.activities), len(whole.results))
    two, three = (estimate_chunk_bytes(DRAWS, a, *dims) for a in (2, 3))
    held = estimate_frame_bytes(N_AREAS, *dims)
    # room for the results held and two chunks of 2 areas at once, not of 3: not all 12 areas
    monkeypatch.setattr(C, "RUN_BYTES", held + 2 * two + (three - two))
    assert estimate_run_bytes(DRAWS, N_AREAS, *dims) > C.RUN_BYTES
    with caplog.at_level("INFO", logger="wfkit"):
        run = wfkit.run_scenario(config)
    assert isinstance(run, ChunkedRun) and run.chunk_areas == 2 and run.n_chunks == 6
    assert "running in chunks of areas" in caplog.text and "--chunk-areas" in caplog.text
    _bits_equal(whole.to_frame(), run.to_frame())
    # within the budget: every area at once, nothing said about chunks
    monkeypatch.setattr(C, "RUN_BYTES", 10 * estimate_run_bytes(DRAWS, N_AREAS, *dims))
    caplog.clear()
    with caplog.at_level("INFO", logger="wfkit"):
        run = wfkit.run_scenario(config)
    assert not isinstance(run, ChunkedRun) and "chunks" not in caplog.text


def test_a_run_where_one_area_does_not_fit_is_refused_naming_the_option(config, monkeypatch):
    from wfkit import validation as V

    monkeypatch.setattr(V, "available_memory", lambda: 2**20)  # 1 MiB: not even one area
    with pytest.raises(InputError) as info:
        wfkit.run_scenario(config)
    assert info.value.key == "draws" and "--draws" in str(info.value)


# ----- Dask -----------------------------------------------------------------------------
def test_dask_cluster_writes_the_same_bytes(config, chunked, tmp_path):
    distributed = pytest.importorskip("distributed")
    from wfkit.scenario.chunked import local_cluster

    with (
        local_cluster(n_workers=2, processes=False, timeout="30s") as cluster,
        distributed.Client(cluster, timeout="30s") as client,
    ):
        assert cluster.scheduler_address.startswith(("inproc://", "tcp://127.0.0.1"))
        on_dask = wfkit.run_scenario(config, chunk_areas=CHUNK, scheduler=client)
    _bits_equal(chunked.to_frame(), on_dask.to_frame())
    for run, d in ((chunked, tmp_path / "local"), (on_dask, tmp_path / "dask")):
        d.mkdir()
        write_run_files(run, d)
    for f in ("results.csv", "demand.csv", "summary.json"):
        assert (tmp_path / "local" / f).read_bytes() == (tmp_path / "dask" / f).read_bytes(), f


def test_cli_run_in_chunks(tmp_path, capsys):
    from wfkit.cli import main

    out = tmp_path / "out"
    assert main(["run", "example", "--out", str(out), "--draws", "20", "--chunk-areas", "1"]) == 0
    whole = tmp_path / "whole"
    assert main(["run", "example", "--out", str(whole), "--draws", "20"]) == 0
    assert (out / "results.csv").read_bytes() == (whole / "results.csv").read_bytes()
    assert main(["run", "example", "--out", str(tmp_path / "x"), "--chunk-areas", "-1"]) == 2
    assert "--chunk-areas" in capsys.readouterr().err


# ----- each area's arithmetic does not depend on how many areas share a call ------------
@pytest.mark.parametrize("rows", range(1, 10))
def test_engine_matmul_rows_do_not_depend_on_the_row_count(rows):
    """The engine's products give a row the same bits whether it is computed with 1, 5 or
    40 other rows: plain ``np.matmul`` does not (OpenBLAS computes a one-row product, and the
    last row of an odd block, in another order), which is what made a 5-area chunk differ
    from the 12-area run in the last bit."""
    from wfkit.model.products import matmul_rows as _matmul

    rng = np.random.default_rng(rows)
    a, b = rng.random((3, 40, 38)), rng.random((3, 38, 20))
    whole = _matmul(a, b)
    for start in range(0, 40 - rows + 1, 7):
        part = _matmul(a[:, start : start + rows], b)
        assert np.array_equal(part, whole[:, start : start + rows])
    np.testing.assert_allclose(whole, np.einsum("dak,dkr->dar", a, b), rtol=1e-13)


# ---------------------------------------------------------------------------------------
# the memory check covers the tidy output every chunk returns (held until combined)
# ---------------------------------------------------------------------------------------
def test_the_estimate_covers_the_frames_a_chunked_run_holds(config, chunked):
    """Every variant's frame as combined, against the estimate of what is held: at least
    twice what survives (each chunk's frame is held until combined)."""
    from wfkit.validation import estimate_frame_bytes

    r = chunked.results["baseline"]
    held = sum(
        x.frame.memory_usage(deep=True).sum() + x.demand_table.memory_usage(deep=True).sum()
        for x in chunked.results.values()
    )
    est = estimate_frame_bytes(
        len(r.areas), len(r.years), len(r.roles), len(r.activities), len(chunked.results)
    )
    assert 2 * held <= est <= 4 * held


def test_a_chunked_run_whose_results_do_not_fit_is_refused_before_any_chunk(
    config, chunked, monkeypatch
):
    """Chunks bound the run's arrays, not the results of every area, which are held to be
    combined: every practice with 10 draws passed the check and then peaked at 8.3 GB."""
    import wfkit.scenario.chunked as C
    from wfkit import validation as V

    monkeypatch.setattr(V, "WORKER_BYTES", 0)  # the sizes of this small run, not a process's
    r = chunked.results["baseline"]
    A, T, R, K = len(r.areas), len(r.years), len(r.roles), len(r.activities)
    frames = V.estimate_frame_bytes(A, T, R, K, 3)
    chunk = V.estimate_chunk_bytes(1, 1, T, R, K, 3)
    assert frames > 4 * chunk  # else this test would not tell the two apart
    # a machine where one chunk's run fits (as the old check asked) and the results do not
    monkeypatch.setattr(V, "available_memory", lambda: int(2 * (chunk + frames / 2)))
    real = C.run_chunk

    def boom(*a, **k):
        raise AssertionError("a chunk ran before the memory check")

    monkeypatch.setattr(C, "run_chunk", boom)
    with pytest.raises(InputError) as info:
        wfkit.run_scenario(config, draws=1, chunk_areas=1)
    msg = str(info.value)
    assert info.value.key == "areas" and "results of all 12 areas" in msg and "'level'" in msg
    assert "\n" not in msg
    monkeypatch.setattr(V, "available_memory", lambda: int(2 * (chunk + frames) + 1))
    monkeypatch.setattr(C, "run_chunk", real)
    wfkit.run_scenario(config, draws=1, chunk_areas=1)  # enough memory: it runs


# ----- results too big to hold: each chunk's frames on disk (issue 20) -------------------
def test_results_kept_on_disk_write_the_same_bytes(config, chunked, tmp_path, monkeypatch, caplog):
    """Every practice in England: the tidy results (30 million rows) do not fit beside the
    chunks, so each chunk's frames go to disk and are written back a piece at a time."""
    import gc

    import wfkit.scenario.chunked as C
    from wfkit.validation import estimate_frame_bytes

    r = chunked.results["baseline"]
    held = estimate_frame_bytes(N_AREAS, len(r.years), len(r.roles), len(r.activities), 3)
    monkeypatch.setattr(C, "RUN_BYTES", held)  # the results alone take the whole budget
    with caplog.at_level("INFO", logger="wfkit"):
        spilled = wfkit.run_scenario(config, chunk_areas=CHUNK)
    assert "kept on disk" in caplog.text
    folder = spilled.spill_dir
    assert folder is not None and any(folder.iterdir())
    assert spilled.results["baseline"].frame is None
    _bits_equal(chunked.to_frame(), spilled.to_frame())
    for fmt in ("csv", "parquet"):
        for run, d in ((chunked, tmp_path / f"held-{fmt}"), (spilled, tmp_path / f"disk-{fmt}")):
            d.mkdir()
            write_run_files(run, d, fmt=fmt)
        ext = fmt
        for f in (f"results.{ext}", f"demand.{ext}", f"areas.{ext}"):
            a = (tmp_path / f"held-{fmt}" / f).read_bytes()
            b = (tmp_path / f"disk-{fmt}" / f).read_bytes()
            if fmt == "csv":
                assert a == b, f
            else:  # Parquet files differ in their row groups; their contents must not
                pd.testing.assert_frame_equal(
                    pd.read_parquet(tmp_path / f"held-{fmt}" / f),
                    pd.read_parquet(tmp_path / f"disk-{fmt}" / f),
                )
    del spilled, run
    gc.collect()
    assert not folder.exists()  # the run's own temporary folder goes with it


def test_running_totals_add_in_chunk_order_whatever_order_chunks_finish():
    """Chunks' totals are let go as they arrive, yet summed in chunk order (the same bits).

    Values chosen so the order of addition shows: (1e16 + 1) - 1e16 is 0 in floats, while
    (1e16 - 1e16) + 1 is 1; a sum in arrival order would give the other answer.
    """
    from wfkit.scenario.chunked import _RunningTotals

    parts = [{"baseline": {"required_fte": np.array([v])}} for v in (1e16, 1.0, -1e16)]
    in_order = _RunningTotals()
    for i, p in enumerate(parts):
        in_order.add(i, p)
    shuffled = _RunningTotals()
    for i in (2, 0, 1):  # the last chunk finishes first
        shuffled.add(i, parts[i])
        assert (shuffled.next == 0) == (i == 2)  # chunk 2 waits until 0 and 1 are in
    assert not shuffled.waiting
    assert in_order.sums["baseline"]["required_fte"][0] == 0.0  # (1e16 + 1) - 1e16 in floats
    assert shuffled.sums["baseline"]["required_fte"][0] == 0.0
    assert parts[0]["baseline"]["required_fte"][0] == 1e16  # the chunk's own array untouched


@pytest.mark.parametrize("areas", [1, 4])
def test_a_chunks_memory_estimate_covers_what_it_uses(whole, areas):
    """What a chunk of every variant really allocates (tracemalloc) is within its estimate,
    and not far below it (the estimate sets the chunks' size: too cautious is slow)."""
    import tracemalloc

    from wfkit import validation as V
    from wfkit.scenario.chunked import run_chunk

    inputs = {n: slice_areas(i, slice(0, areas)) for n, i in whole.inputs.items()}
    first = inputs["baseline"]
    seed = whole.results["baseline"].seed
    dims = (len(first.years), len(first.roles), len(first.activities), len(inputs))
    tracemalloc.start()
    try:
        run_chunk(inputs, DRAWS, seed)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    estimate = V.estimate_chunk_bytes(DRAWS, areas, *dims) - V.WORKER_BYTES
    assert 0.3 * estimate < peak < estimate, (peak, estimate)
