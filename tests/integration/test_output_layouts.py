"""Output layouts and formats of wfkit run (issue 13): Parquet equals CSV, the wide layout
of a deterministic run holds the long frame's numbers without repeated-central columns."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from wfkit.cli import main
from wfkit.scenario import run_scenario
from wfkit.scenario.run import results_wide, write_run_files

pytestmark = pytest.mark.integration

MEASURES = ["population", "required_fte", "supply_fte", "gap_fte", "cost_gbp"]


@pytest.fixture(scope="module")
def det_run():
    return run_scenario("example", draws=0)


def test_wide_layout_has_the_documented_columns_and_the_long_numbers(det_run):
    wide = results_wide(det_run)
    assert list(wide.columns[:4]) == ["area", "year", "role", "scenario"]
    for m in MEASURES:
        assert m in wide.columns and f"diff_{m}" in wide.columns
    assert not {"p10", "p50", "p90", "diff_p10", "diff_p50", "diff_p90"} & set(wide.columns)
    long = det_run.to_frame()
    # with no draws the long frame's percentiles only repeat the central value
    assert np.allclose(long["p50"], long["value"], equal_nan=True)
    melted = wide.melt(
        id_vars=["area", "year", "role", "scenario"],
        value_vars=list(wide.columns[4 : 4 + (len(wide.columns) - 4) // 2]),
        var_name="measure",
        value_name="value",
    ).dropna(subset=["value"])
    key = ["area", "year", "role", "scenario", "measure"]
    a = melted.astype({k: str for k in key}).set_index(key).sort_index()["value"]
    b = long.astype({k: str for k in key}).set_index(key).sort_index()["value"]
    b = b.loc[a.index]
    np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=1e-12)
    assert len(a) == len(b)


LABELS = ["area_name", "role_label"]


def _read_csv(path):
    """A results CSV as pandas reads it, the words columns as text ('' where none)."""
    return pd.read_csv(
        path,
        dtype={c: str for c in LABELS},
        keep_default_na=False,
        na_values={c: [""] for c in pd.read_csv(path, nrows=0).columns if c not in LABELS},
    )


def test_parquet_reads_back_equal_to_csv(det_run, tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "p").mkdir()
    write_run_files(det_run, tmp_path / "c", fmt="csv", layout="wide")
    write_run_files(det_run, tmp_path / "p", fmt="parquet", layout="wide")
    pq = pd.read_parquet(tmp_path / "p" / "results.parquet")
    csv = _read_csv(tmp_path / "c" / "results.csv")
    pd.testing.assert_frame_equal(
        pq.astype({c: str for c in ("area", "role", "scenario", *LABELS)}),
        csv.astype({c: str for c in ("area", "role", "scenario", *LABELS)}),
        check_dtype=False,
    )
    pd.testing.assert_frame_equal(pq.drop(columns=LABELS), results_wide(det_run))


def test_long_layout_parquet_equals_the_tidy_frame(tmp_path):
    run = run_scenario("example", draws=5)
    write_run_files(run, tmp_path, fmt="parquet", layout="long")
    got = pd.read_parquet(tmp_path / "results.parquet")
    assert list(got.columns[:5]) == ["area", "area_name", "year", "role", "role_label"]
    pd.testing.assert_frame_equal(got.drop(columns=LABELS), run.to_frame(), check_dtype=False)


def test_the_default_layout_has_the_same_columns_with_and_without_draws(det_run, tmp_path):
    """Issue 20: a pivot set up on one run works on the next, whatever its draws; with no
    draws the statistics over draws are empty, not the central value repeated."""
    (tmp_path / "none").mkdir()
    (tmp_path / "some").mkdir()
    write_run_files(det_run, tmp_path / "none")
    write_run_files(run_scenario("example", draws=5), tmp_path / "some")
    none = _read_csv(tmp_path / "none" / "results.csv")
    some = _read_csv(tmp_path / "some" / "results.csv")
    assert list(none.columns) == list(some.columns)
    assert {"measure", "value", "p10", "p50", "p90", "diff", "diff_p50"} <= set(none.columns)
    stats = ["p10", "p50", "p90", "diff_p10", "diff_p50", "diff_p90"]
    assert none[stats].isna().all().all() and some["p50"].notna().any()
    # the central values and differences are the tidy frame's
    tidy = det_run.to_frame()
    np.testing.assert_array_equal(none["value"].to_numpy(), tidy["value"].to_numpy())
    np.testing.assert_array_equal(none["diff"].to_numpy(), tidy["diff"].to_numpy())
    words = dict(zip(none["role"], none["role_label"], strict=False))
    assert words["all"] == "All roles" and words["gp"] == "General practitioner"
    d_none = pd.read_csv(tmp_path / "none" / "demand.csv")
    d_some = pd.read_csv(tmp_path / "some" / "demand.csv")
    assert list(d_none.columns) == list(d_some.columns) and d_none["p10"].isna().all()
    log = (tmp_path / "none" / "run.log").read_text()
    assert "results.csv (long layout)" in log


def test_cli_format_parquet_writes_the_manifest(tmp_path):
    out = tmp_path / "out"
    main(["run", "example", "--out", str(out), "--draws", "0", "--format", "parquet"])
    names = {p.name for p in out.iterdir()}
    assert {"results.parquet", "demand.parquet", "areas.parquet", "summary.json"} <= names
    manifest = json.loads((out / ".wfkit-manifest.json").read_text())
    listed = json.dumps(manifest)
    assert "results.parquet" in listed and "demand.parquet" in listed
    demand = pd.read_parquet(out / "demand.parquet")
    assert demand["p10"].isna().all() and "contacts" in demand.columns


def test_a_run_with_draws_keeps_the_long_csv(tmp_path):
    run = run_scenario("example", draws=5)
    write_run_files(run, tmp_path)
    cols = pd.read_csv(tmp_path / "results.csv", nrows=2).columns
    assert {"measure", "value", "p10", "p50", "p90", "diff"} <= set(cols)
    with pytest.raises(Exception, match="wide layout is for a run with no draws"):
        write_run_files(run, tmp_path, layout="wide")


def test_csv_text_made_on_threads_a_batch_at_a_time_is_one_whole_csv(tmp_path, monkeypatch):
    """Many small batches turned into text two at a time are written in order: the file is
    the same bytes as pyarrow writing the whole frame at once (one header, rows in order)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    import wfkit.scenario.table_files as R

    rng = np.random.default_rng(0)
    n = 10_007
    df = pd.DataFrame(
        {
            "area": pd.Categorical.from_codes(rng.integers(0, 3, n), ["A, one", "B", "C"]),
            "year": np.arange(n),
            "value": rng.normal(size=n),
            "p10": np.where(rng.random(n) < 0.1, np.nan, rng.normal(size=n)),
        }
    )
    monkeypatch.setattr(R, "CSV_ROWS", 997)  # 11 batches, the last one short
    with R.TableWriter(tmp_path / "threads.csv", "csv") as w:
        w.write(df.iloc[:5000])
        assert 0 <= w.rows <= w.THREADS * 997  # the rows waiting for their text: bounded
        w.write(df.iloc[5000:])
        assert 0 <= w.rows <= w.THREADS * 997
    table = pa.Table.from_pandas(df, preserve_index=False)
    table = pa.table(
        [c.cast(pa.string()) if pa.types.is_dictionary(c.type) else c for c in table.columns],
        names=table.column_names,
    )
    pacsv.write_csv(
        table,
        str(tmp_path / "whole.csv"),
        write_options=pacsv.WriteOptions(quoting_style="needed"),
    )
    got = (tmp_path / "threads.csv").read_bytes()
    assert got == (tmp_path / "whole.csv").read_bytes()
    assert got.count(b"area") == 1 and b'"A, one"' in got
    back = pd.read_csv(tmp_path / "threads.csv")
    np.testing.assert_array_equal(back["year"].to_numpy(), np.arange(n))


def test_csv_columns_straight_from_the_category_codes_are_pandas_arrows_text(tmp_path):
    """The CSV writer's table (categories as dictionary columns, words beside the codes by
    category) writes the same bytes as pyarrow's own conversion of the labelled frame:
    a missing category, categories that are numbers, a plain text code column, None."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    import wfkit.scenario.table_files as R

    rng = np.random.default_rng(2)
    n = 50
    codes = rng.integers(-1, 3, n)
    codes[0] = -1
    df = pd.DataFrame(
        {
            "area": pd.Categorical.from_codes(codes, ["A, one", 'B "two"', "C"]),
            "year": np.arange(n),
            "role": rng.choice(np.array(["gp", "nurse", "other"], dtype=object), n),
            "band": pd.Categorical.from_codes(rng.integers(0, 2, n), [2025, 2030]),
            "note": rng.choice(np.array(["x", None, "y,z"], dtype=object), n),
            "value": np.where(rng.random(n) < 0.2, np.nan, rng.normal(size=n)),
            "flag": rng.random(n) < 0.5,
        }
    )
    labels = ({"A, one": "Area one", "C": "Sea"}, {"gp": "General practitioner"})

    def written(table, name):
        with R.TableWriter(tmp_path / name, "csv") as w:
            w.write(table, labels if name == "fast.csv" else None)
        return (tmp_path / name).read_bytes()

    gap = df.assign(role=df["role"].where(np.arange(n) != 3, None))  # a role missing
    assert written(gap, "fast.csv") == written(R.with_labels(gap, *labels), "slow.csv")
    two = pd.concat([df.iloc[:20], df.iloc[20:]], ignore_index=True)  # text in two chunks
    assert written(two, "fast.csv") == written(R.with_labels(two, *labels), "slow.csv")
    fast = written(df, "fast.csv")
    slow = written(R.with_labels(df, *labels), "slow.csv")
    table = pa.Table.from_pandas(R.with_labels(df, *labels), preserve_index=False)
    table = pa.table(
        [c.cast(pa.string()) if pa.types.is_dictionary(c.type) else c for c in table.columns],
        names=table.column_names,
    )
    pacsv.write_csv(table, str(tmp_path / "arrow.csv"), pacsv.WriteOptions(quoting_style="needed"))
    assert fast == slow == (tmp_path / "arrow.csv").read_bytes()
    assert b'"Area one"' in fast and b'"General practitioner"' in fast and b'"2030"' in fast


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_file_made_from_a_frames_columns_is_the_frames_file(tmp_path, fmt):
    """A variant's results written from its columns (no frame) are the bytes written from
    its frame, labels and all, with the statistics over draws emptied or not."""
    import wfkit.scenario.table_files as R

    run = run_scenario("example", draws=5)
    base = run.results["baseline"]
    labels = ({"A": "Network A"}, {"gp": "General practitioner"})
    for name, r in run.results.items():
        cols = r.tidy_columns(name, baseline=base)
        pd.testing.assert_frame_equal(cols.frame(), r.to_frame(name, baseline=base))
        for empty in (False, True):
            got, want = (R.without_draw_statistics(x) if empty else x for x in (cols, cols.frame()))
            for what, x in (("cols", got), ("frame", want)):
                with R.TableWriter(tmp_path / f"{what}.{fmt}", fmt) as w:
                    w.write(x, labels)
            assert (tmp_path / f"cols.{fmt}").read_bytes() == (
                tmp_path / f"frame.{fmt}"
            ).read_bytes()
        assert not np.isnan(cols.block[1]).all()  # emptied in a copy
