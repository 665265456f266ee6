"""Load the bundled tables, validated, and check a user's own files the same way."""

from __future__ import annotations

import functools
import platform
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow

from .. import cache
from ..errors import InputError
from ..input_files import read_csv_checked
from ..settings import COMMUNITY_ROLES, SKILL_MIX_MODELS
from ..validation import TableSpec, check_shares_sum, first_bad_row
from .catalogue import TABLES
from .paths import check_build_complete, data_dir
from .schemas import PRACTICE_LIST, ROLE_IDS, WORKFORCE_EXTRACT

__all__ = [
    "role_labels",
    "dictionary",
    "load",
    "list_tables",
    "read_practice_list",
    "check_user_table",
    "read_workforce_extract",
    "table_path",
    "fingerprint",
]


def table_path(name: str) -> Path:
    """Path of a bundled table's CSV file."""
    return data_dir() / _info(name).file


def _info(name: str):
    if name not in TABLES:
        raise InputError(
            f"unknown table {name!r}; expected one of {sorted(TABLES)}", source="wfkit.data"
        )
    return TABLES[name]


#: the code a validated table depends on besides the data files
_CODE = (
    "validation.py",
    "input_files.py",
    "tables.py",
    "errors.py",
    "cache.py",
    "settings.py",
    "data/schemas.py",
    "data/catalogue.py",
    "data/loader.py",
)


def _header() -> bytes:
    """Return the package versions and the schema code, as the digests below take them."""
    parts = [
        v.encode() + b"\0"
        for v in (platform.python_version(), pd.__version__, np.__version__, pyarrow.__version__)
    ]
    pkg = Path(__file__).resolve().parents[1]
    parts += [rel.encode() + b"\0" + (pkg / rel).read_bytes() for rel in _CODE]
    return b"".join(parts)


@functools.lru_cache(maxsize=8)
def _fingerprint(folder: str) -> str:
    """Return a digest of every bundled table file, the schema code and the package versions.

    It is the key under which validated tables are cached on disk (see :mod:`wfkit.cache`).
    The files' bytes (12 MB) are hashed only when one of them changed
    (:func:`wfkit.cache.files_digest`).
    """
    files = [(name, Path(folder) / TABLES[name].file) for name in sorted(TABLES)]
    return cache.files_digest("fingerprints", _header(), files)


def _read_and_check(name: str, folder: str) -> pd.DataFrame:
    info = _info(name)
    path = Path(folder) / info.file
    df = read_csv_checked(path, info.spec)
    _cross_checks(name, df, str(path))
    return df


@functools.lru_cache(maxsize=64)
def _load_cached(name: str, folder: str) -> pd.DataFrame:
    """Return a validated table: from memory, else the on-disk cache, else read and checked.

    The on-disk cache is Arrow IPC (data, never code); a table read and checked is then
    cached.  Only tables that passed every check are ever written to the cache.  Tables an
    interrupted ``wfkit data build`` left part old, part new are refused first.
    """
    check_build_complete(Path(folder))
    return cache.read_through(
        "tables",
        lambda: _fingerprint(folder),
        [name],
        lambda: {name: _read_and_check(name, folder)},
    )[name]


def load(name: str) -> pd.DataFrame:
    """Return a bundled table as a validated DataFrame (a fresh copy each call).

    Parameters
    ----------
    name
        A table name from :func:`list_tables` (e.g. ``"areas"``, ``"workforce"``, ``"minutes"``).

    Raises
    ------
    InputError
        If the table is unknown, missing, or fails its schema (columns, types, ranges,
        unique keys, lookups).
    """
    return _load_cached(name, str(data_dir())).copy()


def dictionary(name: str) -> pd.DataFrame:
    """Return the data dictionary of a table: column, type, unit, description, allowed range."""
    _info(name)
    return pd.read_csv(data_dir() / "dictionary" / f"{name}.csv", keep_default_na=False)


def list_tables() -> pd.DataFrame:
    """Every bundled table with its description, period, source, licence and file."""
    return pd.DataFrame(
        [
            {
                "table": i.name,
                "description": i.spec.description,
                "period": i.period,
                "source": i.publisher,
                "licence": i.licence,
                "file": f"data/{i.file}",
            }
            for i in TABLES.values()
        ]
    )


def check_codes(df: pd.DataFrame, col: str, allowed, source: str, what: str) -> None:
    """Refuse the first row whose ``col`` is not one of ``allowed``.

    ``what`` names the kind of code in the message.
    """
    first_bad_row(
        ~df[col].isin(set(allowed)), lambda i: f"unknown {what} {df[col].iloc[i]!r}", source, col
    )


def _areas_col(col: str) -> set[str]:
    return set(_load_cached("areas", str(data_dir()))[col])


def _cross_checks(name: str, df: pd.DataFrame, source: str) -> None:
    """Run the checks that span tables: lookups resolve, shares sum to 1."""
    if name in ("areas", "areas_2026"):
        for lvl in ("pcn", "sub_icb", "icb", "region"):
            n = df.groupby(lvl)[f"{lvl}_name"].nunique()
            if (n > 1).any():
                code = n.index[(n > 1).to_numpy()][0]
                raise InputError(
                    f"{lvl} {code} has more than one name", source=source, column=f"{lvl}_name"
                )
    elif name in ("list_size", "appointments", "practice_age"):
        check_codes(
            df, "practice", _load_cached("areas", str(data_dir())).practice, source, "practice code"
        )
    elif name == "projection":
        check_codes(df, "area", {*_areas_col("sub_icb"), "E92000001"}, source, "sub-ICB code")
    elif name in ("pcn_roles", "appointments_monthly"):
        check_codes(df, "sub_icb", _areas_col("sub_icb"), source, "sub-ICB code")
    elif name == "workforce_roles":
        check_codes(
            df[df.level == "sub_icb"], "area", _areas_col("sub_icb"), source, "sub-ICB code"
        )
    elif name in ("skill_mix", "minutes", "capacity", "costs", "flows"):
        check_codes(df, "role", ROLE_IDS, source, "role id")
        if name == "skill_mix":
            check_shares_sum(df, "activity", SKILL_MIX_MODELS, source, tol=1e-6)
    if name in (
        "prevalence",
        "contacts",
        "skill_mix",
        "minutes",
        "activity_use_cases",
        "condition_activities",
    ):
        acts = _load_cached("activities", str(data_dir())).activity
        check_codes(df, "activity", acts, source, "activity id")


def _read_user(path: str | Path, spec: TableSpec, encoding: str) -> pd.DataFrame:
    # the file must be a regular file under the size limit; a byte that is not `encoding`
    # names its line and this function's own option
    hint = "pass encoding='cp1252' (or the file's encoding)"
    df = read_csv_checked(path, spec, encoding=encoding, hint=hint)
    known = set(load("areas").practice)
    check_codes(df, "practice", known, str(path), "practice code (not in the December 2025 map)")
    return df


def _check_whole(df: pd.DataFrame, col: str, source: str, what: str) -> None:
    vals = df[col].to_numpy(dtype=float)
    first_bad_row(
        vals != np.round(vals),
        lambda i: f"{vals[i]:g} is not a whole number; {what} must be a whole number",
        source,
        col,
    )


def read_practice_list(path: str | Path, encoding: str = "utf-8") -> pd.DataFrame:
    """Read and validate a user's practice list (columns ``practice``, ``patients``).

    Wrong encoding, missing columns, unknown practice codes, duplicated practices and
    negative, fractional or non-numeric list sizes raise :class:`InputError` naming file, row and column.
    """
    return check_user_table(_read_user(path, PRACTICE_LIST, encoding), str(path))


def read_workforce_extract(path: str | Path, encoding: str = "utf-8") -> pd.DataFrame:
    """Read and validate a user's workforce extract (``practice``, ``role``, ``fte``).

    The result is in the engine's SUPPLY shape after ``groupby`` to an area level; errors
    name file, row and column (negative FTE, unknown role or practice, duplicates, a
    headcount below the FTE ...).
    """
    return check_user_table(_read_user(path, WORKFORCE_EXTRACT, encoding), str(path))


def check_user_table(df: pd.DataFrame, source: str) -> pd.DataFrame:
    """Check a user's practice list or workforce extract beyond its schema.

    A file or a DataFrame alike: whole numbers of patients; a headcount (where given) of
    at least the FTE (people working part time add up to no more FTE than there are
    people).

    Raises
    ------
    InputError
        Naming the source, row and column of the first bad value.
    """
    if "patients" in df.columns:
        _check_whole(df, "patients", source, "patients (people on the list)")
    if {"headcount", "fte"} <= set(df.columns):
        head = df["headcount"].to_numpy(dtype=float)
        fte = df["fte"].to_numpy(dtype=float)
        first_bad_row(
            ~np.isnan(head) & (head < fte - 1e-9),
            lambda i: (
                f"headcount {head[i]:g} is below the FTE {fte[i]:g}; expected at least as "
                "many people as full-time equivalents"
            ),
            source,
            "headcount",
        )
    return df


def code_words(code: str) -> str:
    """Return a code in words, as every output names scenarios (``future_model`` -> ``Future model``).

    The one rule for a code with no label of its own (:func:`wfkit.charts.words`, the run
    summary and the reports use it).
    """
    text = str(code).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def role_labels() -> dict[str, str]:
    """Map role ids to words (``practice_nurse`` -> ``Practice nurse``).

    From the bundled roles table, and the community roles a scenario may add
    (:data:`wfkit.settings.COMMUNITY_ROLES`); only those if the table cannot be read
    (labels are a courtesy: callers fall back to the id).
    """
    try:
        roles = load("roles")
    except Exception:  # see the docstring
        return dict(COMMUNITY_ROLES)
    return {**dict(zip(roles["role"], roles["label"], strict=True)), **COMMUNITY_ROLES}


def fingerprint() -> str:
    """Return a digest of every bundled table file, the schema code and the package versions.

    An entry of the on-disk cache computed from the bundled data is keyed by it (with
    :func:`wfkit.cache.key`).
    """
    return _fingerprint(str(data_dir()))
