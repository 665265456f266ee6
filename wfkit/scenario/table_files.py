"""Output tables written to files: frames as Arrow tables, CSV or Parquet, checked first.

Beside the codes stand the words (area names, role labels); a CSV's text is made a batch of
rows at a time on threads, written in order; every frame is looked over for numbers that
are not finite before it is written (:func:`check_output_frame`).
"""

from __future__ import annotations

import collections
import dataclasses
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ..model.engine import TidyColumns
from ..validation import NAN_BY_DESIGN, check_finite_frame

__all__ = [
    "CSV_ROWS",
    "DRAW_COLUMNS",
    "Labels",
    "TableWriter",
    "arrow_table",
    "check_output_frame",
    "csv_batches",
    "csv_text",
    "with_labels",
    "without_draw_statistics",
    "write_table",
]

#: statistics over the draws, empty in a deterministic run's long layout (with no draws
#: they would only repeat the central value and its difference)
DRAW_COLUMNS = ("p10", "p50", "p90", "diff_p10", "diff_p50", "diff_p90")
#: the columns of numbers in the long layout
STAT_COLUMNS = ("value", "diff", *DRAW_COLUMNS)
#: area names and role labels by code (:func:`wfkit.scenario.run.output_labels`)
Labels = tuple[dict[str, str], dict[str, str]]
#: rows of a CSV converted to text at a time (bounded memory for millions of rows)
CSV_ROWS = 500_000


def with_labels(df: pd.DataFrame, areas: dict[str, str], roles: dict[str, str]) -> pd.DataFrame:
    """Return ``df`` with ``area_name`` after ``area`` and ``role_label`` after ``role``.

    ``areas`` and ``roles`` map codes to words; a category column is labelled category by
    category, a column of text code by code (``""`` for a code with no words).
    """
    df = df.copy(deep=False)
    for code, col, words in (("area", "area_name", areas), ("role", "role_label", roles)):
        if code not in df.columns:
            continue
        c = df[code]
        if isinstance(c.dtype, pd.CategoricalDtype):  # the words of each category, by code
            cats = np.array([words.get(str(x), str(x)) for x in c.cat.categories], dtype=object)
            values = cats[c.cat.codes.to_numpy()]
        else:
            values = c.astype(str).map(words).fillna("").to_numpy(dtype=object)
        df.insert(df.columns.get_loc(code) + 1, col, values)
    return df


def check_output_frame(frame: pd.DataFrame | TidyColumns, source: str | None) -> None:
    """Refuse an output frame as :func:`~wfkit.validation.check_finite_frame` does.

    The frame is first looked over whole, column by column: in a long frame (a category
    ``measure``) ``NaN`` is allowed in the measures of
    :data:`~wfkit.validation.NAN_BY_DESIGN` (by category code), in any other frame every
    number must be finite.  Only when a number is infinite, or ``NaN`` where it is not
    allowed here, is the frame checked again by
    :func:`~wfkit.validation.check_finite_frame`, which decides and names the row.
    """
    if isinstance(frame, TidyColumns):
        _check_columns(frame, source)
        return
    measure = frame["measure"] if "measure" in frame.columns else None
    if measure is not None and not isinstance(measure.dtype, pd.CategoricalDtype):
        check_finite_frame(frame, source)
        return
    nan_ok = None
    if measure is not None:
        by_code = [str(c) in NAN_BY_DESIGN for c in measure.cat.categories]
        nan_ok = np.array([*by_code, False])[measure.cat.codes.to_numpy()]  # -1: no measure
    for c, dtype in frame.dtypes.items():
        if isinstance(dtype, np.dtype) and dtype.kind == "f":
            v = frame[c].to_numpy()
            if np.isfinite(v).all():
                continue
            bad = np.array(True) if nan_ok is None else np.isinf(v) | (np.isnan(v) & ~nan_ok)
        elif isinstance(dtype, np.dtype) and dtype.kind in "iub":
            continue  # whole numbers: never infinite or NaN
        else:  # words and codes pass; numbers of another kind are checked row by row
            bad = np.array(c in STAT_COLUMNS or pd.api.types.is_numeric_dtype(dtype))
        if bad.any():
            check_finite_frame(frame, source)
            return


def _check_columns(cols: TidyColumns, source: str | None) -> None:
    """:func:`check_output_frame` of a frame's columns (the frame is made only to refuse it)."""
    by_code = [str(c) in NAN_BY_DESIGN for c in cols.categories["measure"]]
    nan_ok = np.array([*by_code, False])[cols.codes["measure"]]
    for v in cols.block:
        if not np.isfinite(v).all() and (np.isinf(v) | (np.isnan(v) & ~nan_ok)).any():
            check_finite_frame(cols.frame(), source)
            return


def without_draw_statistics(frame: pd.DataFrame | TidyColumns) -> pd.DataFrame | TidyColumns:
    """Return ``frame`` with the statistics over draws (:data:`DRAW_COLUMNS`) empty.

    For a run with no draws, whose P10/P50/P90 would only repeat the central value.
    """
    if isinstance(frame, TidyColumns):
        block = frame.block.copy()
        block[[i for i, c in enumerate(frame.stats) if c in DRAW_COLUMNS]] = np.nan
        return dataclasses.replace(frame, block=block)
    frame = frame.copy(deep=False)
    for c in DRAW_COLUMNS:
        frame[c] = np.nan
    return frame


def _column_arrays(cols: TidyColumns) -> Iterator[tuple[str, pa.Array]]:
    """Yield a frame's columns (:class:`TidyColumns`) as Arrow arrays, in the frame's order.

    What ``pyarrow.Table.from_pandas`` makes of :meth:`TidyColumns.frame`'s columns.
    """
    for key in TidyColumns.KEYS:
        if key == "year":
            yield key, pa.array(cols.year)
            continue
        text = pa.array(cols.categories[key], pa.string())
        yield key, pa.DictionaryArray.from_arrays(pa.array(cols.codes[key]), text)
    for name, v in zip(cols.stats, cols.block, strict=True):
        yield name, pa.array(v, from_pandas=True)


def arrow_table(df: pd.DataFrame | TidyColumns, labels: Labels | None = None) -> pa.Table:
    """Return ``df`` as an Arrow table for CSV, with the words beside the codes if ``labels``.

    What ``pyarrow.Table.from_pandas`` makes of each column (no pandas metadata: CSV keeps
    none), but a category column, and its words, become dictionary columns straight from
    the category codes (no text per row until a batch is written).  ``labels`` (area names,
    role labels) add ``area_name`` after ``area`` and ``role_label`` after ``role``, as
    :func:`with_labels` does.
    """
    words = (
        {}
        if labels is None
        else {"area": ("area_name", labels[0]), "role": ("role_label", labels[1])}
    )
    names: list[str] = []
    arrays: list[pa.Array] = []
    if isinstance(df, TidyColumns):
        for name, arr in _column_arrays(df):
            names.append(name)
            arrays.append(arr)
            if name in words:  # the words of each category, by code
                label, said = words[name]
                cats = df.categories[name]
                text = pa.array([said.get(str(x), str(x)) for x in cats], type=pa.string())
                arrays.append(pa.DictionaryArray.from_arrays(arr.indices, text))
                names.append(label)
        return pa.table(arrays, names=names)
    for name in df.columns:
        col = df[name]
        label = words.get(name)
        if isinstance(col.dtype, pd.CategoricalDtype):
            codes = col.cat.codes.to_numpy()
            cats = col.cat.categories
            missing = codes < 0
            index = pa.array(codes, mask=missing if missing.any() else None)
            arrays.append(pa.DictionaryArray.from_arrays(index, pa.array(cats, from_pandas=True)))
            names.append(str(name))
            if label is not None:  # the words of each category, by code (as with_labels)
                text = pa.array([label[1].get(str(x), str(x)) for x in cats], type=pa.string())
                at = pa.array(np.where(missing, len(cats) - 1, codes).astype(codes.dtype))
                arrays.append(pa.DictionaryArray.from_arrays(at, text))
                names.append(label[0])
            continue
        arr = pa.array(col, from_pandas=True)
        arrays.append(arr)
        names.append(str(name))
        if label is None:
            continue
        if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
            if arr.null_count == 0:  # the words of each distinct code, by code
                whole = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
                codes = whole.dictionary_encode()
                said = [label[1].get(x, "") for x in codes.dictionary.to_pylist()]
                text = pa.DictionaryArray.from_arrays(codes.indices, pa.array(said, pa.string()))
                arrays.append(text)
                names.append(label[0])
                continue
        text = col.astype(str).map(label[1]).fillna("").to_numpy(dtype=object)
        arrays.append(pa.array(text, from_pandas=True))
        names.append(label[0])
    return pa.table(arrays, names=names)


def csv_batches(table: pa.Table) -> Iterator[pa.RecordBatch]:
    """Yield ``table`` as record batches of plain columns, :data:`CSV_ROWS` rows at a time.

    Dictionary columns become text (as the CSV has them) one batch at a time, so a results
    frame of millions of rows is never all text at once.
    """
    for start in range(0, max(table.num_rows, 1), CSV_ROWS):
        part = table.slice(start, CSV_ROWS)
        plain = [c.cast(pa.string()) if pa.types.is_dictionary(c.type) else c for c in part.columns]
        yield from pa.table(plain, names=part.column_names).to_batches()


def csv_text(batch: pa.RecordBatch, header: bool) -> bytes:
    """Return ``batch`` as CSV text (shortest round-trip floats, quotes only where needed)."""
    sink = pa.BufferOutputStream()
    options = pacsv.WriteOptions(include_header=header, quoting_style="needed")
    pacsv.write_csv(batch, sink, write_options=options)
    return sink.getvalue().to_pybytes()


class TableWriter:
    """Write frames one after another into one Parquet or CSV file, through pyarrow.

    CSV: shortest round-trip floats, an empty field where a number is missing, quotes only
    where needed, a batch of rows at a time (no Python string per value), two batches
    turned into text at once on two threads (pyarrow lets go of the GIL) and written in
    order; the caller goes on while batches of up to ``THREADS`` x :data:`CSV_ROWS` rows
    in all wait for their text.  Parquet: one row group or more per frame, category
    columns kept.
    """

    #: batches turned into text at once
    THREADS = 2

    def __init__(self, path: Path, fmt: str) -> None:
        self.path, self.fmt = path, fmt
        self.writer: Any = None
        self.schema: pa.Schema | None = None
        self.pool: ThreadPoolExecutor | None = None
        # each batch's text to come, and its rows
        self.pending: collections.deque[tuple[Future[bytes], int]] = collections.deque()
        self.rows = 0

    def __enter__(self) -> TableWriter:
        """Return the writer (nothing is opened until the first rows come)."""
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        """Write the text still in hand (unless the block raised) and close the file."""
        try:
            if exc_type is None:
                self._drain(0)
        finally:
            for f, _ in self.pending:
                f.cancel()
            if self.pool is not None:
                self.pool.shutdown()
            if self.writer is not None:
                self.writer.close()

    def _drain(self, keep: int) -> None:
        """Write the text of the oldest batches, in order, until ``keep`` rows are in hand.

        Text already made is written too (its memory let go).
        """
        while self.pending and (self.rows > keep or self.pending[0][0].done()):
            text, rows = self.pending.popleft()
            self.writer.write(text.result())
            self.rows -= rows

    def write(self, df: pd.DataFrame | TidyColumns, labels: Labels | None = None) -> None:
        """Append the rows of ``df`` (the same columns as the first frame written).

        With ``labels`` (area names and role labels) the words stand beside the codes
        (:func:`with_labels`).
        """
        if self.fmt == "parquet":
            if isinstance(df, TidyColumns):
                df = df.frame()
            if labels is not None:
                df = with_labels(df, *labels)
            # lazy: pyarrow.parquet only when Parquet is written
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(df, preserve_index=False)
            # one index type for every piece's categories (a short last chunk has fewer)
            table = pa.table(
                [
                    c.cast(pa.dictionary(pa.int32(), c.type.value_type))
                    if pa.types.is_dictionary(c.type)
                    else c
                    for c in table.columns
                ],
                names=table.column_names,
            ).replace_schema_metadata(table.schema.metadata)
            if self.writer is None:
                self.schema = table.schema
                self.writer = pq.ParquetWriter(self.path, self.schema)
            self.writer.write_table(table.replace_schema_metadata(self.schema.metadata))
            return
        for batch in csv_batches(arrow_table(df, labels)):
            header = self.writer is None
            if header:
                self.writer = open(self.path, "wb")  # closed in __exit__
                self.pool = ThreadPoolExecutor(self.THREADS, thread_name_prefix="wfkit-csv")
            pool = self.pool
            if pool is None:  # pragma: no cover - made with the file above
                raise RuntimeError("no pool for the CSV text")
            self.pending.append((pool.submit(csv_text, batch, header), batch.num_rows))
            self.rows += batch.num_rows
            self._drain(self.THREADS * CSV_ROWS)


def write_table(df: pd.DataFrame, path: Path, fmt: str, labels: Labels | None = None) -> None:
    """Write ``df`` to ``path`` as Parquet or CSV (:class:`TableWriter`)."""
    with TableWriter(path, fmt) as w:
        w.write(df, labels)
