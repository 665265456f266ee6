"""The tidy frames a chunked run's chunks return: combined in order, or kept on disk.

Each chunk of a run (:mod:`wfkit.scenario.chunked`) returns, per variant, its areas' tidy
frame (the parts of :meth:`~wfkit.model.engine.ModelResult.to_frame`: each measure's
roles, then its total) and demand table.  They are combined into the order of the run of
every area at once (:func:`combine_frames`), or, when every area's results are too big to
hold beside the chunks (every practice in England), written as each chunk finishes to Arrow
files in a temporary folder of the run's own (:class:`SpilledChunk`) and read back a piece
at a time when the outputs are written.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.ipc

__all__ = ["SpilledChunk", "area_rows", "combine_frames", "part_bounds", "spill_dir"]


def area_rows(frame: pd.DataFrame, years: np.ndarray) -> pd.DataFrame:
    """Return the rows of a baseline frame that ``areas.csv`` reads.

    Totals over roles of the population, required, in post and gap, in the base and
    horizon years.
    """
    keep = (
        (frame["role"] == "all")
        & frame["year"].isin([int(years[0]), int(years[-1])]).to_numpy()
        & frame["measure"].isin(["population", "required_fte", "supply_fte", "gap_fte"])
    )
    return frame.loc[keep].reset_index(drop=True)


def part_bounds(frame: pd.DataFrame) -> list[int]:
    """Return the rows where each part (a measure's roles, or its total) starts, and the end."""
    key = (
        frame["measure"].cat.codes.to_numpy().astype(np.int32) * 2
        + (frame["role"] == "all").to_numpy()
    )
    return [0, *(np.flatnonzero(np.diff(key)) + 1).tolist(), len(frame)]


def combine_frames(frames: list[pd.DataFrame], areas: list[str]) -> pd.DataFrame:
    """Combine one variant's chunk frames in the order of the unchunked frame.

    By measure, then roles before the ``all`` totals, then area (then year and role, as
    each chunk has them): each chunk's frame holds those parts in that order, so the
    combined frame is, part by part, the chunks' slices of that part one after another.
    Every column is written once into its place (no concatenation and sort of the whole).
    """
    bounds = [part_bounds(f) for f in frames]  # per chunk: where each part starts, its end
    parts = len(bounds[0]) - 1
    if any(len(b) - 1 != parts for b in bounds):  # pragma: no cover - chunks are alike
        raise ValueError("chunk frames hold different parts")
    order = [(c, bounds[c][p], bounds[c][p + 1]) for p in range(parts) for c in range(len(frames))]
    n = sum(len(f) for f in frames)
    dtype = pd.CategoricalDtype(list(areas))
    cols: dict[str, Any] = {}
    for col in frames[0].columns:
        first = frames[0][col]
        if col == "area":  # each chunk's own areas: their places among all the areas
            where = {a: i for i, a in enumerate(areas)}
            maps = [
                np.array([where[str(a)] for a in f[col].cat.categories], dtype=np.int32)
                for f in frames
            ]
            codes = np.empty(n, dtype=np.int32)
            at = 0
            for c, lo, hi in order:
                codes[at : at + hi - lo] = maps[c][frames[c][col].cat.codes.to_numpy()[lo:hi]]
                at += hi - lo
            cols[col] = pd.Categorical.from_codes(codes, dtype=dtype)
            continue
        cat = isinstance(first.dtype, pd.CategoricalDtype)
        src = [f[col].cat.codes.to_numpy() if cat else f[col].to_numpy() for f in frames]
        out = np.empty(n, dtype=src[0].dtype)
        at = 0
        for c, lo, hi in order:
            out[at : at + hi - lo] = src[c][lo:hi]
            at += hi - lo
        cols[col] = pd.Categorical.from_codes(out, dtype=first.dtype) if cat else out
    return pd.DataFrame(cols, copy=False)


@dataclass(frozen=True, slots=True)
class SpilledChunk:
    """One chunk's tidy frame and demand table of one variant, in Arrow files.

    ``bounds``: the rows where each part of the frame (a measure's roles, or its total)
    starts, and its end.  Read through a memory map, a slice at a time.
    """

    frame_path: Path
    demand_path: Path
    bounds: tuple[int, ...]

    @staticmethod
    def _read(path: Path, start: int = 0, stop: int | None = None) -> pd.DataFrame:
        with pa.memory_map(str(path)) as source:
            table = pa.ipc.open_file(source).read_all()
            stop = table.num_rows if stop is None else stop
            return table.slice(start, stop - start).to_pandas()

    def frame_rows(self, start: int, stop: int) -> pd.DataFrame:
        """Return rows ``start:stop`` of the chunk's tidy frame."""
        return self._read(self.frame_path, start, stop)

    def demand(self) -> pd.DataFrame:
        """Return the chunk's demand table."""
        return self._read(self.demand_path)

    @classmethod
    def write(
        cls, folder: Path, tag: str, frame: pd.DataFrame, demand: pd.DataFrame
    ) -> SpilledChunk:
        """Write a chunk's frame and demand table into ``folder``; return where they are."""
        paths = []
        for what, df in (("frame", frame), ("demand", demand)):
            path = folder / f"{tag}-{what}.arrow"
            table = pa.Table.from_pandas(df, preserve_index=False)
            with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as w:
                w.write_table(table)
            paths.append(path)
        return cls(paths[0], paths[1], tuple(part_bounds(frame)))


def spill_dir() -> Path:
    """Return a new temporary folder of wfkit's for a run's frames on disk."""
    return Path(tempfile.mkdtemp(prefix="wfkit-chunks-"))
