"""Staff in post, every staff group counted once: the one supply definition.

Every use case, the command line and the notebooks take staff in post from here.

Practice-employed staff are those of **31 October 2025** (``practice_staff``, built by
:mod:`wfkit.data.practice_staff`: each practice's 2024/25 mean, the staff of closed or merged
practices moved to their successors, scaled to its sub-ICB's published October 2025 totals;
``year="2024/25"`` and earlier financial years read the unadjusted means of ``workforce``).
They come in four staff groups; each is split into the published detailed roles by its
**sub-ICB's role mix in October 2025** (``workforce_roles``), marked ``derived``, so England's
counted FTE equals the October 2025 publication in every role:

======  ==============================================================================
group   how a practice's FTE is split
======  ==============================================================================
gp      partners from the practice's own figure (``gp_partner_fte``); the rest of its
        qualified GPs into salaried GPs and retainers, and its locums and registrars
        (``gp_locum_trainee_fte``) into regular locums and GPs in training grade, each
        by the sub-ICB mix
nurse   ``nurse_fte`` into advanced nurse practitioners, practice nurses, nurse
        specialists ... by the sub-ICB mix
dpc     ``dpc_fte`` into healthcare assistants, pharmacists, phlebotomists, dispensers ...
admin   ``admin_fte`` into managers, receptionists, medical secretaries ...
======  ==============================================================================

Network-employed staff (``pcn_roles``, November 2025) are added on top, by network (at
practice level shared by list size within the network).  Each published role maps to one
wfkit role, or to none ("in post, not modelled"), in ``assumptions/staff_roles.csv``, with
the share of an FTE that counts as capacity (a GP registrar counts as
``capacity_factor`` of a qualified GP; see that table's citation).  Where a sub-ICB has no
staff of a group in the role table, England's mix is used.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from .. import cache
from .. import tables as T
from ..errors import InputError
from ..validation import validate_table
from .areas import all_practices, practices_in, user_table
from .groups import is_group_level
from .loader import fingerprint, load, read_workforce_extract
from .paths import data_dir
from .practice_staff import GP_POOLS, POOL_COLUMNS, STAFF_PERIOD, placed_role_totals, pool_of
from .schemas import ROLE_IDS, WORKFORCE_EXTRACT

__all__ = [
    "staff_in_post",
    "supply",
    "not_modelled",
    "supply_coverage",
    "unreliable_bases",
    "GP_POOLS",
    "STAFF_PERIOD",
]

#: practice workforce column of each pool (financial-year means)
_POOL_COLUMN = {
    "gp_partner": "gp_partner_fte",
    "gp_qualified_other": "_gp_other",
    "gp_locum_trainee": "gp_locum_trainee_fte",
    "nurse": "nurse_fte",
    "dpc": "dpc_fte",
    "admin": "admin_fte",
}
_COLUMNS = [
    "area",
    "source",
    "staff_group",
    "source_role",
    "role",
    "fte",
    "capacity_factor",
    "capacity_fte",
    "derived",
]


@functools.lru_cache(maxsize=4)
def _role_mix(folder: str) -> pd.DataFrame:
    """Share of each published role in its pool, per sub-ICB.

    Registrars the publisher did not place in a sub-ICB are shared by sub-ICB
    (:func:`wfkit.data.practice_staff.placed_role_totals`).  England's mix where a sub-ICB has no staff in the pool: ``sub_icb, pool, staff_group,
    source_role, share``.
    """
    roles = load("workforce_roles")
    sub = placed_role_totals(roles).rename(columns={"sub_icb": "area"}).assign(level="sub_icb")
    wr = pd.concat([roles[roles.level == "england"], sub], ignore_index=True)
    wr["pool"] = [pool_of(g, r) for g, r in zip(wr.staff_group, wr.source_role, strict=True)]
    tot = wr.groupby(["level", "area", "pool"]).fte.transform("sum")
    wr["share"] = np.where(tot > 0, wr.fte / tot.where(tot > 0, 1.0), np.nan)
    eng = wr[wr.level == "england"][["pool", "staff_group", "source_role", "share"]]
    sub = wr[wr.level == "sub_icb"].rename(columns={"area": "sub_icb"})
    sub = sub.merge(eng.rename(columns={"share": "eng"}), on=["pool", "staff_group", "source_role"])
    empty = sub.groupby(["sub_icb", "pool"]).share.transform(lambda s: s.isna().all())
    sub["share"] = np.where(empty, sub.eng, sub.share.fillna(0.0))
    return sub[["sub_icb", "pool", "staff_group", "source_role", "share"]].reset_index(drop=True)


@functools.lru_cache(maxsize=4)
def _mapping(folder: str) -> pd.DataFrame:
    m = load("staff_roles")
    return m[["source", "staff_group", "source_role", "role", "capacity_factor"]]


def _practice_rows(p: pd.DataFrame, year: str, notes: list[str]) -> pd.DataFrame:
    if year == STAFF_PERIOD:
        ps = load("practice_staff")
        x = p[["practice", "area", "sub_icb"]].merge(ps.drop(columns="sub_icb"), on="practice")
        pools = [
            x[["practice", "area", "sub_icb"]].assign(pool=pool, total=x[col].to_numpy())
            for pool, col in POOL_COLUMNS.items()
        ]
        return _split(pd.concat(pools, ignore_index=True))
    wf = load("workforce")
    if year not in set(wf.year):
        raise InputError(
            f"unknown year {year!r}; expected {STAFF_PERIOD!r} or one of {sorted(set(wf.year))}",
            source="wfkit.data.supply",
            column="year",
        )
    wf = wf[wf.year == year]
    x = p[["practice", "area", "sub_icb"]].merge(wf, on="practice", how="left", indicator=True)
    absent = int((x._merge == "left_only").sum())
    if absent:
        notes.append(
            f"{absent} of {len(x)} practices have no practice workforce figures for {year} "
            "(counted as no practice-employed staff)"
        )
    x = x[x._merge == "both"].drop(columns="_merge")
    partner = x.gp_partner_fte.fillna(0.0).clip(upper=x.gp_fte.fillna(0.0))
    x["gp_partner_fte"] = partner
    x["_gp_other"] = (x.gp_fte.fillna(0.0) - partner).clip(lower=0.0)
    pools = [
        x[["practice", "area", "sub_icb"]].assign(pool=pool, total=x[col].fillna(0.0).to_numpy())
        for pool, col in _POOL_COLUMN.items()
    ]
    return _split(pd.concat(pools, ignore_index=True))


def _split(pl: pd.DataFrame) -> pd.DataFrame:
    """Split each practice's pools into the published roles by its sub-ICB's mix."""
    mix = _role_mix(str(data_dir()))
    out = pl.merge(mix, on=["sub_icb", "pool"], how="left")
    lost = out.share.isna()
    if lost.any():
        bad = out.loc[lost, "sub_icb"].iloc[0]
        raise InputError(
            f"no October 2025 role mix for sub-ICB {bad!r}",
            source="data/workforce/workforce_roles.csv",
            column="area",
        )
    out["fte"] = out.total * out.share
    out["derived"] = out.pool != "gp_partner"
    out["source"] = "practice"
    return out


def _network_rows(p: pd.DataFrame, level: str, notes: list[str]) -> pd.DataFrame:
    pr = load("pcn_roles").rename(columns={"staff_role": "source_role"})
    if level in ("sub_icb", "icb", "region"):
        up = all_practices()[["sub_icb", "icb", "region"]].drop_duplicates("sub_icb")
        pr = pr.merge(up, on="sub_icb", how="left")
        unplaced = pr[level].isna()
        if unplaced.any():
            notes.append(
                f"network staff: {unplaced.sum()} rows ({pr.fte[unplaced].sum():.1f} FTE) of "
                f"sub-ICBs not in the practice map are left out at {level} level"
            )
        m = pr[pr[level].isin(set(p.area))].rename(columns={level: "area"})
        return m.assign(source="network", derived=False)
    allp = all_practices()
    allp["share"] = allp.patients / allp.groupby("pcn").patients.transform("sum")
    sel = p[["practice", "area", "pcn"]].merge(allp[["practice", "share"]], on="practice")
    m = sel.merge(pr.drop(columns=["sub_icb"]), on="pcn")
    if level == "practice" or is_group_level(level):
        # a practice, or a group drawn from practices: its share of each network's staff
        # by list size (a group of whole networks gets each network's staff whole)
        m["fte"] = m.fte * m.share
        m["derived"] = True
    else:
        m = m.drop_duplicates(["area", "pcn", "staff_group", "source_role"])
        m["derived"] = False
    return m.assign(source="network")


def staff_in_post(
    areas: Iterable[str] | str,
    level: str = "pcn",
    year: str = STAFF_PERIOD,
    extract: str | Path | pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every staff member in post, by area and published role, counted once.

    Parameters
    ----------
    areas, level
        Area codes at ``level`` (see :func:`wfkit.data.select_areas`).
    year
        Period of the practice staff: ``"2025-10"`` (31 October 2025, the default; see
        :mod:`wfkit.data.practice_staff`), or a financial year of the unadjusted means
        (``"2022/23"``, ``"2023/24"``, ``"2024/25"``: April-January).
    extract
        A user's workforce extract (``practice, role, fte``; a CSV path or DataFrame): it
        replaces the practice-employed FTE of each practice and role it names, and nothing
        else (network staff and the practice's other roles stay).

    Returns
    -------
    pandas.DataFrame
        ``area, source, staff_group, source_role, role, fte, capacity_factor, capacity_fte,
        derived``: ``role`` is empty for staff in post that the model does not cover;
        ``capacity_fte = fte x capacity_factor``; ``derived`` marks FTE split by a role mix
        or a list-size share.  ``df.attrs["notes"]`` lists what was left out.
    """
    notes: list[str] = []
    p = practices_in(areas, level)
    frames = [_practice_rows(p, year, notes), _network_rows(p, level, notes)]
    rows = pd.concat(frames, ignore_index=True)
    rows = rows.merge(
        _mapping(str(data_dir())), on=["source", "staff_group", "source_role"], how="left"
    )
    unknown = rows.capacity_factor.isna()
    if unknown.any():
        r = rows[unknown].iloc[0]
        raise InputError(
            f"published role {r.source_role!r} ({r.source}, {r.staff_group}) has no row; "
            "expected it mapped to a wfkit role or to none",
            source="data/assumptions/staff_roles.csv",
            column="source_role",
        )
    if extract is not None:
        rows = _apply_extract(rows, p, extract, notes)
    rows["capacity_fte"] = rows.fte * rows.capacity_factor
    rows["role"] = rows.role.astype(object).where(rows.role.notna(), None)
    out = (
        rows.groupby(["area", "source", "staff_group", "source_role"], sort=True, dropna=False)
        .agg(
            role=("role", "first"),
            fte=("fte", "sum"),
            capacity_factor=("capacity_factor", "first"),
            capacity_fte=("capacity_fte", "sum"),
            derived=("derived", "max"),
        )
        .reset_index()
    )
    out = out[_COLUMNS]
    out.attrs["notes"] = notes
    return out


def _apply_extract(rows: pd.DataFrame, p: pd.DataFrame, extract, notes: list[str]) -> pd.DataFrame:
    user = user_table(extract, read_workforce_extract, WORKFORCE_EXTRACT, "workforce extract")
    own = user.merge(p[["practice", "area"]], on="practice")
    outside = sorted(set(user.practice) - set(own.practice))
    if outside:
        raise InputError(
            f"practices {outside[:5]} of the extract are not in the selected areas",
            source="workforce extract",
            column="practice",
        )
    if "practice" not in rows.columns:
        rows = rows.assign(practice=None)
    key = pd.MultiIndex.from_frame(own[["practice", "role"]])
    is_prac = rows.source.eq("practice")
    hit = is_prac & pd.MultiIndex.from_frame(rows[["practice", "role"]].fillna("")).isin(key)
    rows = rows[~hit.to_numpy()]
    add = own.assign(
        source="practice",
        staff_group="extract",
        source_role="user extract: " + own.role,
        capacity_factor=1.0,
        derived=False,
    )[["practice", *_COLUMNS[:7], "derived"]]
    n_prac = own.practice.nunique()
    notes.append(
        f"workforce extract: {len(own)} practice-role figures for {n_prac} of {p.practice.nunique()} "
        "practices replace the bundled practice-employed FTE of those practices and roles only"
    )
    return pd.concat([rows, add], ignore_index=True)


def supply(
    areas: Iterable[str] | str,
    level: str = "pcn",
    year: str = STAFF_PERIOD,
    extract: str | Path | pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Staff in post (capacity FTE) by area and role: the SUPPLY table, every role (0 where none).

    The sum over roles of :func:`staff_in_post`'s ``capacity_fte`` (staff the model does not
    cover are left out here; see :func:`not_modelled`).
    """
    s = staff_in_post(areas, level, year, extract)
    wanted = list(dict.fromkeys(practices_in(areas, level).area))
    grid = pd.MultiIndex.from_product([wanted, ROLE_IDS], names=["area", "role"])
    fte = s[s.role.notna()].groupby(["area", "role"]).capacity_fte.sum()
    df = fte.reindex(grid).fillna(0.0).rename("fte").reset_index()
    df["fte"] = df.fte.round(6)
    out = validate_table(df, T.SUPPLY, source="wfkit.data.supply")
    out.attrs["notes"] = s.attrs.get("notes", [])
    return out


def not_modelled(
    areas: Iterable[str] | str, level: str = "pcn", year: str = STAFF_PERIOD
) -> pd.DataFrame:
    """Staff in post whose work the model does not cover.

    ``area, source, staff_group, source_role, fte`` (listed in results as "in post, not
    modelled").  Kept in the on-disk cache like the other area tables (every run's
    reconciliation asks for it).
    """
    codes = (areas,) if isinstance(areas, str) else tuple(areas)

    def compute() -> dict[str, pd.DataFrame]:
        s = staff_in_post(list(codes), level, year)
        s = s[s.role.isna() & (s.fte > 0)]
        cols = ["area", "source", "staff_group", "source_role", "fte"]
        return {"not_modelled": s[cols].reset_index(drop=True)}

    return cache.read_through(
        "areas",
        lambda: cache.key(fingerprint(), "not_modelled", codes, level, year),
        ["not_modelled"],
        compute,
        max_rows=200_000,
    )["not_modelled"]


#: practice workforce columns of each published staff group
_GROUP_COLUMNS = {
    "gp": ("gp_fte", "gp_locum_trainee_fte"),
    "nurse": ("nurse_fte",),
    "dpc": ("dpc_fte",),
    "admin": ("admin_fte",),
}


def supply_coverage(year: str = STAFF_PERIOD) -> pd.DataFrame:
    """England's staff in post by source and staff group: published, counted and unplaced.

    The publisher's total, what the model counts (practices in the December 2025 map,
    every network), and what it cannot place.  At ``"2025-10"`` the published practice
    totals are October 2025's (``workforce_roles``), every FTE counted (staff of closed
    practices follow their patients); for a financial year, the means of ``workforce``,
    of which practices closed or merged since (no December 2025 code) are unplaced.

    ``published == counted + unplaced`` for every group: each FTE is counted once or
    reported.
    """
    regions = list(all_practices().region.dropna().unique())
    s = staff_in_post(regions, "region", year)
    rows = []
    if year == STAFF_PERIOD:
        wr = load("workforce_roles")
        pub = wr[wr.level == "england"].groupby("staff_group").fte.sum()
    else:
        wf = load("workforce")
        wf = wf[wf.year == year]
        placed = wf.practice.isin(set(all_practices().practice))
    for g, cols in _GROUP_COLUMNS.items():
        got = float(s.loc[(s.source == "practice") & (s.staff_group == g), "fte"].sum())
        if year == STAFF_PERIOD:
            rows.append(("practice", g, float(pub[g]), got, float(pub[g]) - got))
            continue
        total = float(wf[list(cols)].fillna(0.0).to_numpy().sum())
        lost = float(wf.loc[~placed, list(cols)].fillna(0.0).to_numpy().sum())
        rows.append(("practice", g, total, got, lost))
    pr = load("pcn_roles")
    got = float(s.loc[s.source == "network", "fte"].sum())
    rows.append(("network", "all", float(pr.fte.sum()), got, float(pr.fte.sum()) - got))
    return pd.DataFrame(rows, columns=["source", "staff_group", "published", "counted", "unplaced"])


def unreliable_bases(areas: Iterable[str] | str, level: str = "pcn") -> pd.DataFrame:
    """Practices of the areas whose staff per patient is no base to compare (October 2025).

    A tiny list, a list that collapsed since the staff were counted, or staff figures
    missing (``practice_staff.base``; see :mod:`wfkit.data.practice_staff`).

    Returns
    -------
    pandas.DataFrame
        ``area, practice, patients, fte, base, base_note, area_share`` (``fte``:
        practice-employed FTE at October 2025; ``area_share``: the practice's share of its
        area's list), one row per flagged practice; empty when none.
    """
    p = practices_in(areas, level)
    ps = load("practice_staff")
    mine = ps.practice.isin(p.practice).to_numpy()  # England's table cut to the areas first
    if not (mine & (ps.base != "reliable").to_numpy()).any():  # none flagged: no rows
        return pd.DataFrame(
            {
                "area": p["area"].array[:0],
                "practice": ps["practice"].array[:0],
                "patients": ps["patients"].array[:0],
                "fte": np.array([], dtype=float),
                "base": ps["base"].array[:0],
                "base_note": ps["base_note"].array[:0],
                "area_share": np.array([], dtype=float),
            }
        )
    x = p[["practice", "area"]].merge(ps[mine], on="practice")
    x["area_share"] = x.patients / x.groupby("area").patients.transform("sum").clip(lower=1)
    x = x[x.base != "reliable"]
    fte = x[list(POOL_COLUMNS.values())].sum(axis=1)
    cols = ["area", "practice", "patients", "fte", "base", "base_note", "area_share"]
    out = x.assign(fte=fte)[cols]
    return out.sort_values(["area", "practice"]).reset_index(drop=True)
