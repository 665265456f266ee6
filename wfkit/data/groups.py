"""Areas the user draws: a file mapping practices (or networks) to named groups.

Commissioners plan by neighbourhood (the 10 Year Health Plan's neighbourhoods of about
30,000-50,000 people, and multi-neighbourhood footprints of about 250,000), areas no
published level holds.  A grouping file names them::

    group,group_name,pcn,practice
    N01,Southwark North,U06180,
    N02,Southwark Central,,G85001

one row per member: a network (``pcn``: every practice of it) or a practice
(``practice``).  :func:`read_groups` checks it (every practice in one group at most,
codes known, close matches named) and returns the lookup ``practice -> group``;
:func:`group_level` registers it and returns a *level* (``"groups:<digest>"``) that every
function taking ``level`` accepts (:func:`wfkit.data.select_areas`,
:func:`wfkit.data.population`, :func:`wfkit.data.supply` ...): a group's figures are a
groupby of its practices over the lookup, as a network's are over the areas table.

The level's name carries a digest of the lookup, so results cached for one grouping are
never read for another.
"""

from __future__ import annotations

import difflib
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, short
from ..input_files import read_csv_checked
from ..settings import GROUP_PREFIX, LEVELS
from ..validation import Column, TableSpec, first_bad_row, spreadsheet_row, validate_table
from .loader import load
from .paths import data_dir

__all__ = [
    "GROUPS_FILE",
    "GROUP_PREFIX",
    "EXAMPLE_GROUPS",
    "read_groups",
    "group_level",
    "is_group_level",
    "group_lookup",
    "group_source",
    "as_level",
    "example_groups_path",
]

#: the columns of a grouping file
GROUPS_FILE = TableSpec(
    "groups",
    (
        Column("group", "str", description="the group's code (a neighbourhood's short name)"),
        Column(
            "group_name",
            "str",
            required=False,
            nullable=True,
            description="the group's name in words (default: its code)",
        ),
        Column(
            "pcn",
            "str",
            required=False,
            nullable=True,
            description="a network code: every practice of the network joins the group",
        ),
        Column(
            "practice",
            "str",
            required=False,
            nullable=True,
            description="a practice code: the practice joins the group",
        ),
    ),
    allow_extra=True,
    description="A user's grouping of practices or networks into named areas.",
)

#: the bundled example: London's networks grouped into neighbourhoods of about 50,000
EXAMPLE_GROUPS = "neighbourhood/neighbourhoods-london-example.csv"

#: level -> (lookup ``practice, group, group_name``, where it came from)
_REGISTRY: dict[str, tuple[pd.DataFrame, str]] = {}


def is_group_level(level: object) -> bool:
    """Whether ``level`` is a level made from a grouping file (:func:`group_level`)."""
    return isinstance(level, str) and level.startswith(GROUP_PREFIX)


def _areas() -> pd.DataFrame:
    return load("areas")[["practice", "pcn"]]


def _unknown(codes: pd.Series, pool: list[str], source: str, column: str, what: str) -> None:
    """Refuse the first code not in ``pool``, naming its row and close matches."""
    known = set(pool)

    def message(i: int) -> str:
        code = str(codes.iloc[i])
        close = difflib.get_close_matches(code.upper(), pool, n=3, cutoff=0.6)
        hint = f"; close matches: {close}" if close else ""
        return f"unknown {what} {short(code)}{hint}"

    first_bad_row(codes.notna().to_numpy() & ~codes.isin(known).to_numpy(), message, source, column)


def _members(df: pd.DataFrame, source: str) -> pd.DataFrame:
    """One row per (file row, practice): networks expanded to their practices."""
    both = df.pcn.notna().to_numpy() & df.practice.notna().to_numpy()
    neither = df.pcn.isna().to_numpy() & df.practice.isna().to_numpy()
    first_bad_row(
        both,
        "gives both a network and a practice; expected one member a row",
        source,
        "practice",
    )
    first_bad_row(
        neither, "names no member; expected a network (pcn) or a practice code", source, "pcn"
    )
    areas = _areas()
    _unknown(df.pcn, sorted(set(areas.pcn)), source, "pcn", "network code")
    _unknown(df.practice, sorted(areas.practice), source, "practice", "practice code")
    rows = df.assign(_row=np.arange(len(df)))
    by_pcn = rows[rows.pcn.notna()].merge(areas, on="pcn", suffixes=("_given", ""))
    by_pcn = by_pcn.assign(_column="pcn")[["_row", "_column", "group", "group_name", "practice"]]
    by_practice = rows[rows.practice.notna()].assign(_column="practice")
    by_practice = by_practice[["_row", "_column", "group", "group_name", "practice"]]
    out = pd.concat([by_pcn, by_practice], ignore_index=True)
    return out.sort_values(["_row", "practice"], kind="stable").reset_index(drop=True)


def _check_once(m: pd.DataFrame, df: pd.DataFrame, source: str) -> None:
    """Refuse a practice that two rows place (in two groups, or twice in one)."""
    dup = m.duplicated("practice", keep="first")
    if not dup.any():
        return
    later = m[dup.to_numpy()].sort_values("_row", kind="stable").iloc[0]
    first = m[(m.practice == later.practice) & ~dup.to_numpy()].iloc[0]
    net = df.pcn.iloc[later._row] if later._column == "pcn" else None
    what = f"practice {later.practice}" + (f" (through network {net})" if net else "")
    if net is not None and first._column == "pcn" and df.pcn.iloc[first._row] == net:
        what = f"network {net}"  # the same network twice
    where = (
        f"in group {first.group!r} (row {spreadsheet_row(first._row)}) and again in group "
        f"{later.group!r}"
        if first.group != later.group
        else f"twice in group {later.group!r} (rows {spreadsheet_row(first._row)} and this one)"
    )
    raise InputError(
        f"{what} is {where}; expected every practice in one group at most",
        source=source,
        row=spreadsheet_row(int(later._row)),
        column=str(later._column),
    )


def read_groups(source: str | Path | pd.DataFrame, encoding: str = "utf-8") -> pd.DataFrame:
    """Read and check a grouping file: ``practice, group, group_name``, one row a practice.

    Parameters
    ----------
    source
        A CSV path, or a DataFrame with the columns of :data:`GROUPS_FILE` (``group``,
        ``group_name`` optional, and ``pcn`` and/or ``practice``: one member a row).
    encoding
        The file's text encoding.

    Returns
    -------
    pandas.DataFrame
        ``practice, group, group_name``, sorted by group then practice.

    Raises
    ------
    InputError
        Naming the file, row and column: an unknown network or practice code (with close
        matches), a row with no member or two, a practice placed twice (in two groups, or
        through its network and on its own), a group with two names.
    """
    if isinstance(source, pd.DataFrame):
        where = "groups"
        df = validate_table(source.astype(object), GROUPS_FILE, source=where)
    else:
        where = str(source)
        df = read_csv_checked(source, GROUPS_FILE, encoding=encoding, hint=None)
    if "pcn" not in df.columns and "practice" not in df.columns:
        raise InputError(
            "no member column; expected a 'pcn' or a 'practice' column (or both)", source=where
        )
    df = df.reset_index(drop=True)
    for c in ("group_name", "pcn", "practice"):
        if c not in df.columns:
            df[c] = None
        df[c] = df[c].where(df[c].notna() & df[c].astype(str).str.strip().ne(""), None)
        df[c] = df[c].map(lambda x: x.strip() if isinstance(x, str) else x)
    df["group"] = df.group.astype(str).str.strip()
    first_bad_row(df.group.eq("").to_numpy(), "empty group code; expected one", where, "group")
    df["group_name"] = df.group_name.fillna(df.group)
    names = df.groupby("group").group_name.transform("first")
    first_bad_row(
        df.group_name.ne(names).to_numpy(),
        lambda i: (
            f"group {df.group.iloc[i]!r} is named {df.group_name.iloc[i]!r} here and "
            f"{names.iloc[i]!r} above; expected one name a group"
        ),
        where,
        "group_name",
    )
    m = _members(df, where)
    _check_once(m, df, where)
    out = m[["practice", "group", "group_name"]].sort_values(["group", "practice"])
    return out.reset_index(drop=True)


def group_level(source: str | Path | pd.DataFrame, encoding: str = "utf-8") -> str:
    """Read a grouping file (:func:`read_groups`) and return its level, ready to use.

    The level is ``"groups:<digest>"`` (of the lookup), accepted wherever a level is:
    ``select_areas(level=group_level("my-neighbourhoods.csv"))``.
    """
    lookup = read_groups(source, encoding)
    text = lookup.to_csv(index=False).encode("utf-8")
    level = GROUP_PREFIX + hashlib.sha256(text).hexdigest()[:12]
    _REGISTRY[level] = (lookup, "groups" if isinstance(source, pd.DataFrame) else str(source))
    return level


def group_lookup(level: str) -> pd.DataFrame:
    """Return the lookup ``practice, group, group_name`` of a grouping level (a copy).

    Raises
    ------
    InputError
        If the level was never made by :func:`group_level` in this process.
    """
    if level not in _REGISTRY:
        raise InputError(
            f"unknown grouping {level!r}; expected a level made by "
            "wfkit.data.group_level(file) (or areas: {groups: FILE} in a scenario)",
            source="wfkit.data",
            column="level",
        )
    return _REGISTRY[level][0].copy()


def group_source(level: str) -> str:
    """Return the file a grouping level was read from (``groups`` for a DataFrame)."""
    group_lookup(level)
    return _REGISTRY[level][1]


def example_groups_path() -> Path:
    """Return the path of the bundled example grouping (:data:`EXAMPLE_GROUPS`)."""
    return data_dir() / EXAMPLE_GROUPS


def as_level(level: str | Path, base: str | Path | None = None) -> str:
    """Return ``level`` ready for the area functions: a grouping file read into its level.

    A published level (``pcn`` ...) and a grouping level (``groups:<digest>``) are
    returned as they are; a CSV path (relative to ``base``, default the working folder) is
    read and checked (:func:`group_level`).
    """
    text = str(level).strip()
    if text in LEVELS or is_group_level(text):
        return text
    if not text.lower().endswith(".csv"):
        raise InputError(
            f"unknown level {short(text)}; expected one of {list(LEVELS)} or a grouping file "
            "(.csv)",
            source="wfkit.data",
            column="level",
        )
    path = Path(text)
    if base is not None and not path.is_absolute():
        path = Path(base) / path
    return group_level(path)
