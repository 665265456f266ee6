"""From a scenario's long tables to the engine's labelled arrays.

Age band ``all`` expanded, labels checked, values scattered into grids (one flat index,
no copy of a national table), and :class:`~wfkit.model.uncertainty.Param` values with
their intervals.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .. import tables as T
from ..errors import InputError
from ..model.uncertainty import Param, check_interval
from ..validation import first_bad_row

__all__ = [
    "by_parameter",
    "check_known",
    "expand_bands",
    "grid",
    "grids",
    "param_grid",
    "require_complete",
]


def expand_bands(df: pd.DataFrame, origin: str, extra_keys: tuple[str, ...] = ()) -> pd.DataFrame:
    """Replace age band ``all`` by one row per band; refuse a table with both for one key.

    The rows of single bands come first, as they were, then each ``all`` row once per band
    (in band order); the index is renumbered.
    """
    keys = ["activity", *extra_keys]
    is_all = (df["age_band"] == "all").to_numpy()
    if not is_all.any():  # nothing to expand (the local prevalence of every practice)
        return df
    single, whole = np.flatnonzero(~is_all), np.flatnonzero(is_all)
    if len(single):
        cols = [df[k].to_numpy() for k in keys]
        both = set(zip(*(c[whole] for c in cols), strict=True)) & set(
            zip(*(c[single] for c in cols), strict=True)
        )
        if both:
            k = sorted(both)[0]
            hit = np.logical_and.reduce([c == v for c, v in zip(cols, k, strict=True)])
            first_bad_row(
                is_all & hit,
                f"{dict(zip(keys, k, strict=True))} has rows for both 'all' and single age "
                "bands; expected one or the other",
                origin,
                "age_band",
            )
    bands = np.array(T.AGE_BANDS, dtype=object)
    out = df.take(np.concatenate([single, np.repeat(whole, len(bands))])).reset_index(drop=True)
    out["age_band"] = np.concatenate(
        [df["age_band"].to_numpy(dtype=object)[single], np.tile(bands, len(whole))]
    )
    return out


def check_known(
    df: pd.DataFrame,
    col: str,
    known: list[str],
    origin: str,
    what: str,
    rows: np.ndarray | None = None,
) -> None:
    """Refuse the first row whose ``col`` is not one of ``known``.

    Only rows where ``rows`` is true are looked at, if ``rows`` is given.
    """
    shown = known if len(known) <= 20 else [*known[:20], "..."]
    bad = ~df[col].isin(known).to_numpy()
    first_bad_row(
        bad if rows is None else bad & rows,
        lambda i: f"unknown {what} {df[col].iloc[i]!r}; expected one of {shown}",
        origin,
        col,
    )


def grids(
    df: pd.DataFrame,
    dims: list[tuple[str, list]],
    cols: list[str],
    rows: np.ndarray | None = None,
) -> list[np.ndarray]:
    """Scatter each of ``cols`` into an array indexed by the given (column, labels) dims.

    NaN where absent; from every row of ``df`` or only those where ``rows`` is true.

    Every label of the rows taken must be known: callers check with :func:`check_known`
    or pass ``rows`` to leave the others out.  A row mask costs no copy of the table (a
    national table has millions of rows, some of them text).
    """
    shape = tuple(len(lab) for _, lab in dims)
    idx = [_positions(df[c], lab) for c, lab in dims]
    if rows is not None:
        idx = [i[rows] for i in idx]
    if any((i < 0).any() for i in idx):
        raise ValueError("grids: a label outside the dims (a caller skipped its check)")
    flat = np.ravel_multi_index(idx, shape)
    size = int(np.prod(shape))
    out = []
    for col in cols:
        values = df[col].to_numpy(dtype=float)
        arr = np.full(size, np.nan)
        arr[flat] = values if rows is None else values[rows]
        out.append(arr.reshape(shape))
    return out


def _positions(col: pd.Series, labels: list) -> np.ndarray:
    """Position of each value of ``col`` in ``labels`` (-1 where absent).

    The column is factorised once and only its distinct values are looked up (a national
    table has millions of rows and a few thousand distinct codes).
    """
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    # a dict, not pandas' indexer: a scenario's tables have a few dozen distinct labels,
    # where building two indexes costs more than the lookups
    lookup = {label: i for i, label in enumerate(labels)}
    pos = np.fromiter((lookup.get(u, -1) for u in uniques), dtype=np.intp, count=len(uniques))
    return np.append(pos, -1)[codes]  # code -1 (a missing value) takes the appended -1


def grid(
    df: pd.DataFrame, dims: list[tuple[str, list]], col: str, rows: np.ndarray | None = None
) -> np.ndarray:
    """Scatter ``df[col]`` into an array indexed by the given (column, labels) dims.

    NaN where absent; ``rows`` as for :func:`grids`.
    """
    return grids(df, dims, [col], rows)[0]


def param_grid(
    df: pd.DataFrame,
    dims: list[tuple[str, list]],
    lower: float = 0.0,
    upper: float = np.inf,
    origin: str = "input table",
    rows: np.ndarray | None = None,
) -> Param:
    """Make a :class:`~wfkit.model.uncertainty.Param` from a table's ``value``, ``lo``, ``hi``.

    The ``value`` (and ``lo``, ``hi``) columns are scattered by :func:`grids`; refuses an
    interval that does not hold its value, naming the row by its keys.
    """
    cols = ["value", *(c for c in ("lo", "hi") if c in df.columns)]
    arrs = dict(zip(cols, grids(df, dims, cols, rows), strict=True))
    p = Param(arrs["value"], arrs.get("lo"), arrs.get("hi"), lower, upper)
    at = check_interval(p.value, p.lo, p.hi)
    if at is not None:  # tables are checked row by row on reading; this guards the rest
        # (the row is named by its keys: rows here may be expanded or filtered)
        labels = {d: lab[j] for (d, lab), j in zip(dims, at, strict=True)}
        lo, hi, v = (float(a[at]) for a in (p.lo, p.hi, p.value))
        raise InputError(
            f"row {labels}: interval [{lo:g}, {hi:g}] does not contain the value {v:g}; "
            "expected lo <= value <= hi",
            source=origin,
            column="value",
        )
    return p


def require_complete(
    arr: np.ndarray, dims: list[tuple[str, list[str]]], origin: str, what: str
) -> None:
    """Refuse an array with a hole (NaN), naming the first missing row by its keys."""
    missing = np.argwhere(np.isnan(arr))
    if len(missing):
        first = {d[0]: d[1][j] for d, j in zip(dims, missing[0], strict=True)}
        raise InputError(
            f"no row for {first} ({len(missing)} missing in all); expected {what}", source=origin
        )


def by_parameter(
    df: pd.DataFrame, roles: list[str], params: list[str], origin: str, upper: Mapping[str, float]
) -> dict[str, Param]:
    """Turn a ``role, parameter, value`` table into one :class:`Param` per parameter.

    Over roles, every role and parameter required; ``upper`` caps each parameter's draws.
    """
    dims = [("role", roles), ("parameter", params)]
    check_known(df, "role", roles, origin, "role")
    p = param_grid(df, dims, origin=origin)
    require_complete(p.value, dims, origin, f"every role to have {params}")
    out = {}
    for j, name in enumerate(params):
        lo = p.lo[:, j] if p.lo is not None else None
        hi = p.hi[:, j] if p.hi is not None else None
        out[name] = Param(p.value[:, j], lo, hi, 0.0, upper.get(name, np.inf))
    return out
