"""Staff in post over time, as ``wfkit data build`` makes it from the raw files.

- ``role_trends``: England's practice staff by model role at every census of the General
  Practice Workforce bulletin's table 1a (September 2015 - October 2025), and network staff
  by model role at the three network censuses (September 2022, November 2025, June 2026),
  for England and each NHS England region; published roles map to model roles through
  ``assumptions/staff_roles.csv`` and count at its ``capacity_factor``.
- ``pcn_roles_2022``: the September 2022 network census summed per network, staff group and
  role, as ``pcn_roles`` is for November 2025 (the hindcast's base).

``assumptions/flows.csv`` is fitted to the committed ``role_trends`` by ``make flows``
(:func:`wfkit.data.trends.write_flows`), not by the build: it keeps its stated leaver rates.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import InputError
from .raw import RAW_FILES, read_raw

__all__ = ["role_trends", "pcn_roles_2022", "TABLE1A_GROUPS"]

#: table 1a's staff groups -> the staff_group of staff_roles.csv
TABLE1A_GROUPS = {
    "GPs": "gp",
    "Nurses": "nurse",
    "Direct Patient Care": "dpc",
    "Admin/Non-Clinical": "admin",
}
#: table 1a's labels that are totals, not roles
_TOTALS = ("All ", "Of which estimated")
#: table 1a spells a few roles differently from table 6a (whose names staff_roles.csv uses)
_ALIASES = {"Digital and Transformation Leads": "Digital and Transformation Lead"}
#: table 1a roles staff_roles.csv does not list, left out on purpose
_UNLISTED = {("admin", "Not Stated")}


def _mapping(staff_roles: pd.DataFrame, source: str) -> dict[tuple[str, str], tuple[str, float]]:
    s = staff_roles[(staff_roles.source == source) & staff_roles.role.notna()]
    return {
        (g, r): (m, float(c))
        for g, r, m, c in zip(s.staff_group, s.source_role, s.role, s.capacity_factor, strict=True)
    }


def _practice_series(src: Path, staff_roles: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    t = read_raw(src, "roles_series")
    t = t[t.gender == "All"]
    months = [c for c in t.columns if c not in ("staff_group", "gender", "row_label")]
    stamp = {m: pd.to_datetime(m, format="%B %Y").strftime("%Y-%m") for m in months}
    prac = staff_roles[staff_roles.source == "practice"]
    known = set(zip(prac.staff_group, prac.source_role, strict=True))
    mapping = _mapping(staff_roles, "practice")
    rows = []
    for r in t.itertuples(index=False):
        group = TABLE1A_GROUPS.get(r.staff_group)
        if group is None or r.row_label.startswith(_TOTALS):
            continue
        key = (group, _ALIASES.get(r.row_label, r.row_label))
        if key not in known and key not in _UNLISTED:
            raise InputError(
                f"role {r.row_label!r} ({r.staff_group}) is not in assumptions/staff_roles.csv",
                source=RAW_FILES["roles_series"],
                column="row_label",
            )
        if key not in mapping:
            continue
        role, factor = mapping[key]
        values = pd.to_numeric(pd.Series(r[3:], index=months), errors="coerce")  # '..' / '-'
        for m, v in values.dropna().items():
            rows.append(("practice", "England", role, stamp[m], v * factor))
    notes.append(
        "role_trends: practice staff from table 1a (England, every census), published roles "
        "mapped to model roles by staff_roles.csv at their capacity_factor; '..' and '-' "
        "(not collected yet) left out; 'Not Stated' admin left out"
    )
    return pd.DataFrame(rows, columns=["source", "area", "role", "month", "fte"])


def _network_rows(
    pc: pd.DataFrame, region: pd.Series, month: str, mapping: dict
) -> list[tuple[str, str, str, str, float]]:
    keys = list(zip(pc.STAFF_GROUP, pc.STAFF_ROLE, strict=True))
    role = pd.Series([mapping.get(k, (None, 0.0))[0] for k in keys], index=pc.index)
    factor = pd.Series([mapping.get(k, (None, 0.0))[1] for k in keys], index=pc.index)
    fte = pd.to_numeric(pc.FTE).clip(lower=0) * factor
    d = pd.DataFrame({"area": region, "role": role, "fte": fte}).dropna(subset=["role"])
    rows = []
    for (area, r), f in d.groupby(["area", "role"]).fte.sum().items():
        rows.append(("network", area, r, month, float(f)))
    for r, f in d.groupby("role").fte.sum().items():
        rows.append(("network", "England", r, month, float(f)))
    return rows


def _network_series(
    src: Path, maps: tuple[pd.DataFrame, pd.DataFrame], staff_roles: pd.DataFrame, notes: list[str]
) -> pd.DataFrame:
    mapping = _mapping(staff_roles, "network")
    rows = []
    old = read_raw(src, "pcn_2022", encoding="cp1252")
    rows += _network_rows(old, old.COMM_REGION_CODE, "2022-09", mapping)
    for key, month, areas in (("pcn", "2025-11", maps[0]), ("pcn_2026", "2026-06", maps[1])):
        pc = read_raw(src, key)
        region = pc.SUB_ICB_CODE.map(areas.drop_duplicates("sub_icb").set_index("sub_icb").region)
        if region.isna().any():
            raise InputError(
                f"sub-ICB codes not in the December 2025 map: "
                f"{sorted(set(pc.SUB_ICB_CODE[region.isna()]))}",
                source=RAW_FILES[key],
                column="SUB_ICB_CODE",
            )
        rows += _network_rows(pc, region, month, mapping)
    notes.append(
        "role_trends: network staff at the censuses of September 2022 (region as published), "
        "November 2025 and June 2026 (region from the December 2025 and July 2026 maps by "
        "sub-ICB), roles "
        "mapped by staff_roles.csv (network rows); roles it maps to no model role left out"
    )
    return pd.DataFrame(rows, columns=["source", "area", "role", "month", "fte"])


def role_trends(
    src: Path,
    maps: tuple[pd.DataFrame, pd.DataFrame],
    staff_roles: pd.DataFrame,
    notes: list[str],
) -> pd.DataFrame:
    """England's practice staff by role since 2015 and network staff at each census.

    Parameters
    ----------
    src
        The raw sources folder.
    maps
        The December 2025 and July 2026 maps (sub-ICB -> region for the November 2025 and
        June 2026 network censuses).
    staff_roles
        ``assumptions/staff_roles.csv`` (published role -> model role, capacity factor).
    notes
        Build notes, appended to.

    Returns
    -------
    pandas.DataFrame
        The ``role_trends`` table.
    """
    out = pd.concat(
        [_practice_series(src, staff_roles, notes), _network_series(src, maps, staff_roles, notes)]
    )
    out = out.groupby(["source", "area", "role", "month"], as_index=False).fte.sum()
    out["fte"] = out.fte.round(3)
    return out.sort_values(["source", "area", "role", "month"]).reset_index(drop=True)


def pcn_roles_2022(src: Path, notes: list[str]) -> pd.DataFrame:
    """Sum the September 2022 network census per network, staff group and role."""
    pc = read_raw(src, "pcn_2022", encoding="cp1252")
    pc["fte"] = pd.to_numeric(pc.FTE).clip(lower=0)
    g = pc.groupby(["PCN_CODE", "SUB_ICB_CODE", "STAFF_GROUP", "STAFF_ROLE"], as_index=False)
    r = g.agg(
        fte=("fte", "sum"), headcount=("UNIQUE_IDENTIFIER", "nunique"), records=("fte", "size")
    )
    r.columns = ["pcn", "sub_icb", "staff_group", "staff_role", "fte", "headcount", "records"]
    r["fte"] = r.fte.round(4)
    notes.append(
        f"pcn_roles_2022: {r.pcn.nunique()} networks, {r.fte.sum():.1f} FTE, September 2022 "
        "(negative FTE records set to 0)"
    )
    return r.sort_values(["pcn", "staff_group", "staff_role"]).reset_index(drop=True)
