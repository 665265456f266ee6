"""Practice staff at October 2025, one period with the December 2025 lists.

The practice-level workforce figures (``workforce``) are financial-year means; the latest,
2024/25, is April 2024-January 2025, while lists are those of 1 December 2025.  ``wfkit
data build`` brings them to one period in three steps (:func:`practice_staff`):

1. **Staff follow their patients.**  A practice of the 2024/25 figures that is not in the
   December 2025 map (closed or merged) passes its staff on: to the practice of the map at
   its own postcode (the maps' word that one took over from the other: the 2025 list
   extracts, else NHS Payments 2022/23), shared by list growth where several share it;
   otherwise to the practices of its sub-ICB (NHS Payments 2022/23) in proportion to how much
   their lists grew from the 2024/25 mean to December 2025 (its ICB where no sub-ICB is
   known).  A practice of the map whose list fell below :data:`COLLAPSED` of its 2024/25
   list passes on the same share of its staff as the share of its list it lost, the same
   way.  Each move is a row of ``staff_transfers``; a practice of a real size with no staff
   figures (or under :data:`MISSING` of its sub-ICB's staff per patient) takes its
   sub-ICB's staff per patient.
2. **October 2025.**  In each sub-ICB and each pool of roles (GP partners; salaried GPs and
   retainers; registrars and regular locums; nurses; direct patient care; admin) the
   practices' FTE are scaled so that they sum to the sub-ICB's published October 2025 total
   (:func:`placed_role_totals`, with the registrars the publisher could not place in a
   sub-ICB shared by sub-ICB), so England's counted FTE equals the October 2025
   publication in every staff group and role.
3. **Unreliable bases.**  A practice whose December 2025 list is tiny (under
   :data:`TINY_LIST` patients), fell below half the list its staff were counted for, or
   whose staff figures were missing is flagged, with the reason in words (``base``,
   ``base_note``): staff per patient there says nothing about need.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError
from ..validation import Column, TableSpec
from .raw import RAW_FILES, read_raw

__all__ = [
    "GP_POOLS",
    "POOL_COLUMNS",
    "TINY_LIST",
    "COLLAPSED",
    "MISSING",
    "STAFF_PERIOD",
    "PRACTICE_STAFF",
    "STAFF_TRANSFERS",
    "pool_of",
    "placed_role_totals",
    "practice_staff",
]

#: the period of the bundled practice staff (``wfkit.data.staff_in_post``'s default year)
STAFF_PERIOD = "2025-10"
#: practice GP FTE pools and the published roles each is split into
GP_POOLS: dict[str, tuple[str, ...]] = {
    "gp_partner": ("GP Partners",),
    "gp_qualified_other": ("Salaried GPs", "GP Retainers"),
    "gp_locum_trainee": ("GPs in Training Grade", "GP Regular Locums"),
}
#: the column of ``practice_staff`` holding each pool's FTE
POOL_COLUMNS: dict[str, str] = {
    "gp_partner": "gp_partner_fte",
    "gp_qualified_other": "gp_qualified_other_fte",
    "gp_locum_trainee": "gp_locum_trainee_fte",
    "nurse": "nurse_fte",
    "dpc": "dpc_fte",
    "admin": "admin_fte",
}
#: a list under this many patients is too small a base to compare staffing with
TINY_LIST = 500
#: staff below this fraction of the sub-ICB's staff per patient are missing figures
MISSING = 0.1
#: a list below this fraction of the list the staff were counted for has collapsed
COLLAPSED = 0.5

_BASES = frozenset({"reliable", "tiny list", "list collapsed", "staff figures missing"})


def _f(name: str, unit: str, description: str, nullable: bool = False) -> Column:
    return Column(
        name, "float", min=0, max=2e5, unit=unit, description=description, nullable=nullable
    )


PRACTICE_STAFF = TableSpec(
    "practice_staff",
    (
        Column("practice", "str", description="GP practice code (every practice of the map)"),
        Column("sub_icb", "str", description="sub-ICB location code, December 2025 map"),
        _f("patients", "people", "registered patients, 1 December 2025"),
        _f(
            "patients_counted",
            "people",
            "mean list April 2024-January 2025, when its staff were counted (empty: none)",
            nullable=True,
        ),
        _f("own_fte", "FTE", "the practice's own staff, 2024/25 mean, every staff group"),
        _f(
            "inherited_fte",
            "FTE",
            "staff of closed, merged or collapsed practices passed to it, 2024/25 mean "
            "(staff_transfers)",
        ),
        _f(
            "passed_fte",
            "FTE",
            "of its own staff, the share passed on with the patients its collapsed list lost",
        ),
        *(
            _f(
                col,
                "FTE",
                f"{words} FTE, 31 October 2025 (own less passed on, plus inherited, scaled to "
                "the sub-ICB's published total)",
            )
            for words, col in zip(
                (
                    "GP partners",
                    "salaried GPs and GP retainers",
                    "GP registrars and regular locums",
                    "nurses",
                    "direct patient care staff",
                    "admin and non-clinical staff",
                ),
                POOL_COLUMNS.values(),
                strict=True,
            )
        ),
        Column(
            "base",
            "str",
            allowed=_BASES,
            description="reliable, or why staff per patient here is no base to compare: "
            f"tiny list (under {TINY_LIST} patients), list collapsed (below "
            f"{COLLAPSED:.0%} of the list its staff were counted for), staff figures missing "
            f"(none, or under {MISSING:.0%} of its sub-ICB's staff per patient: estimated "
            "from the sub-ICB's)",
        ),
        Column("base_note", "str", nullable=True, description="the reason in words"),
    ),
    key=("practice",),
    description="Practice-employed staff by practice and pool of roles, 31 October 2025: "
    "2024/25 means, closed practices' staff moved to their successors, scaled to each "
    "sub-ICB's published October 2025 totals; unreliable bases flagged.",
)

STAFF_TRANSFERS = TableSpec(
    "staff_transfers",
    (
        Column("from_practice", "str", description="practice passing staff on"),
        Column(
            "why",
            "str",
            allowed=frozenset({"closed or merged", "list collapsed"}),
            description="closed or merged (in the 2024/25 figures, not in the December 2025 "
            f"map), or list collapsed (below {COLLAPSED:.0%} of its 2024/25 list: the share "
            "of its list it lost)",
        ),
        Column(
            "sub_icb",
            "str",
            nullable=True,
            description="its sub-ICB (the map; NHS Payments 2022/23 for a closed practice)",
        ),
        Column("to_practice", "str", description="practice of the December 2025 map"),
        Column(
            "how",
            "str",
            allowed=frozenset({"same postcode", "list growth in sub-ICB", "list growth in ICB"}),
            description="why it receives: the practice at the giver's postcode, or its "
            "share of list growth in the giver's sub-ICB (ICB where no sub-ICB is known)",
        ),
        Column("share", "float", min=0, max=1, description="share of the giver's 2024/25 FTE"),
    ),
    key=("from_practice", "to_practice"),
    description="Where the staff of each closed, merged or collapsed practice went (shares "
    "of its 2024/25 FTE: they sum to 1 for a closed practice, and to the share of its list "
    "it lost for a collapsed one).",
)


def pool_of(staff_group: str, source_role: str) -> str:
    """Return the pool of a published practice role (the staff group, or a GP pool)."""
    if staff_group != "gp":
        return staff_group
    for pool, roles in GP_POOLS.items():
        if source_role in roles:
            return pool
    raise InputError(
        f"GP role {source_role!r} belongs to no pool; expected one of {GP_POOLS}",
        source="data/workforce/workforce_roles.csv",
        column="source_role",
    )


def placed_role_totals(roles: pd.DataFrame) -> pd.DataFrame:
    """Return the published October 2025 FTE per sub-ICB and role, every FTE placed.

    The publisher's ``Unknown`` row (GP registrars not placed in a sub-ICB) is shared
    among the sub-ICBs in proportion to their own FTE of that role, so the sub-ICBs sum to
    England's published figure role by role.

    Parameters
    ----------
    roles
        The ``workforce_roles`` table.

    Returns
    -------
    pandas.DataFrame
        ``sub_icb, staff_group, source_role, fte``.
    """
    key = ["staff_group", "source_role"]
    sub = roles[roles.level == "sub_icb"].rename(columns={"area": "sub_icb"})
    sub = sub[["sub_icb", *key, "fte"]].copy()
    unknown = roles[roles.level == "unknown"].groupby(key).fte.sum()
    own = sub.groupby(key).fte.transform("sum")
    extra = sub.set_index(key).index.map(unknown).to_numpy(dtype=float)
    extra = np.nan_to_num(extra)
    if (extra[own.to_numpy() <= 0] > 0).any():
        raise InputError(
            "unplaced FTE of a role no sub-ICB has", source="data/workforce/workforce_roles.csv"
        )
    share = np.where(own > 0, sub.fte / own.where(own > 0, 1.0), 0.0)
    sub["fte"] = sub.fte + extra * share
    return sub.reset_index(drop=True)


def _pools(wf: pd.DataFrame) -> pd.DataFrame:
    """2024/25 FTE per practice and pool (partners capped at the practice's GPs)."""
    gp = wf.gp_fte.fillna(0.0)
    partner = wf.gp_partner_fte.fillna(0.0).clip(upper=gp)
    return pd.DataFrame(
        {
            "gp_partner": partner,
            "gp_qualified_other": (gp - partner).clip(lower=0.0),
            "gp_locum_trainee": wf.gp_locum_trainee_fte.fillna(0.0),
            "nurse": wf.nurse_fte.fillna(0.0),
            "dpc": wf.dpc_fte.fillna(0.0),
            "admin": wf.admin_fte.fillna(0.0),
        }
    ).set_axis(wf.practice)


def _where_closed(src, closed: list[str], areas: pd.DataFrame) -> pd.DataFrame:
    """Postcode, sub-ICB and ICB of each closed practice, from the lists and the payments."""
    wide = read_raw(src, "age_2025")
    wide = wide[wide.sex == "ALL"].sort_values("extract_date")
    post = wide.drop_duplicates("org_code", keep="last").set_index("org_code").postcode
    pay = read_raw(src, "payments", encoding="utf-8-sig")
    pay = pay.assign(code=pay["Practice Code"].str.strip()).drop_duplicates("code")
    pay = pay.set_index("code")
    wf = read_raw(src, "workforce")
    icb_names = {n.lower(): c for n, c in zip(areas.icb_name, areas.icb, strict=True)}
    icb = wf.drop_duplicates("Practice.Code", keep="last").set_index("Practice.Code").ICB_NAME
    out = pd.DataFrame(index=pd.Index(closed, name="closed"))
    out["postcode"] = out.index.map(post)
    out["postcode"] = out.postcode.fillna(out.index.to_series().map(pay["Practice Postcode"]))
    out["postcode"] = out.postcode.str.strip()
    out["sub_icb"] = out.index.map(pay["CCG Code"].str.strip())
    out.loc[~out.sub_icb.isin(set(areas.sub_icb)), "sub_icb"] = None
    out["icb"] = [icb_names.get(f"nhs {n} ICB".lower()) for n in out.index.map(icb)]
    return out


def _transfers(where: pd.DataFrame, live: pd.DataFrame) -> pd.DataFrame:
    """Receivers and shares of each practice passing staff on (see the module docstring)."""
    rows = []
    grow = live[live.growth > 0]
    for code, w in where.iterrows():
        others = live[live.practice != code]
        same = others[others.postcode == w.postcode] if isinstance(w.postcode, str) else live[:0]
        if len(same):
            how, take = "same postcode", same
        elif isinstance(w.sub_icb, str):
            how, take = "list growth in sub-ICB", grow[grow.sub_icb == w.sub_icb]
        elif isinstance(w.icb, str):
            how, take = "list growth in ICB", grow[grow.icb == w.icb]
        else:
            continue
        weight = take.growth if take.growth.sum() > 0 else take.patients
        if not len(take) or weight.sum() <= 0:
            continue
        rows.append(
            pd.DataFrame(
                {
                    "from_practice": code,
                    "why": w.why,
                    "sub_icb": w.sub_icb,
                    "to_practice": take.practice,
                    "how": how,
                    "share": (w.part * weight / weight.sum()).round(6),
                }
            )
        )
    cols = [c.name for c in STAFF_TRANSFERS.columns]
    out = pd.concat(rows, ignore_index=True)[cols] if rows else pd.DataFrame(columns=cols)
    return out.sort_values(["from_practice", "to_practice"]).reset_index(drop=True)


def _flag(df: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    n = df.patients.astype(int)
    counted = df.patients_counted
    collapsed = counted.notna() & (df.patients < COLLAPSED * counted)
    tiny = df.patients < TINY_LIST
    none = df.estimated
    choices = ["tiny list", "list collapsed", "staff figures missing"]
    base = pd.Series(np.select([tiny, collapsed, none], choices, "reliable"), index=df.index)
    words = pd.Series(
        [f"list of {k:,} patient{'s' if k != 1 else ''} on 1 December 2025" for k in n],
        index=df.index,
    )
    fell = pd.Series(
        [
            f"list fell from {c:,.0f} (April 2024-January 2025, when its staff were counted) "
            f"to {k:,} on 1 December 2025; {x:.1f} FTE of its staff passed on with its "
            "patients"
            for c, k, x in zip(counted.fillna(0), n, df.passed_fte, strict=True)
        ],
        index=df.index,
    )
    note = pd.Series(None, index=df.index, dtype=object)
    note[tiny] = words[tiny]
    note[tiny & collapsed] = fell[tiny & collapsed]
    note[~tiny & collapsed] = fell[~tiny & collapsed]
    note[none & ~tiny & ~collapsed] = (
        "no staff figures for April 2024-January 2025 (or under a tenth of its sub-ICB's staff "
        "per patient): its staff are estimated from its sub-ICB's staff per patient"
    )
    return base, note


def practice_staff(
    src,
    areas: pd.DataFrame,
    list_size: pd.DataFrame,
    workforce: pd.DataFrame,
    roles: pd.DataFrame,
    notes: list[str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build ``practice_staff`` and ``staff_transfers`` (see the module docstring).

    Parameters
    ----------
    src
        The raw sources folder (postcodes and sub-ICBs of closed practices).
    areas, list_size, workforce, roles
        The built ``areas``, ``list_size``, ``workforce`` and ``workforce_roles`` tables.
    notes
        Build notes, appended to.

    Returns
    -------
    tuple of pandas.DataFrame
        ``practice_staff`` and ``staff_transfers``.
    """
    wf = workforce[workforce.year == "2024/25"]
    pools = _pools(wf)
    live = areas[["practice", "postcode", "sub_icb", "icb"]].merge(list_size, on="practice")
    counted = wf.set_index("practice").patients
    live["patients_counted"] = live.practice.map(counted)
    live["growth"] = (live.patients - live.patients_counted.fillna(0.0)).clip(lower=0.0)
    closed = sorted(set(pools.index) - set(live.practice))
    where = _where_closed(src, closed, areas).assign(why="closed or merged", part=1.0)
    c = live.patients_counted
    fell = live[c.notna() & (live.patients < COLLAPSED * c) & live.practice.isin(pools.index)]
    where = pd.concat(
        [
            where,
            fell.set_index("practice")[["postcode", "sub_icb", "icb"]].assign(
                why="list collapsed",
                part=1.0 - fell.patients.to_numpy() / fell.patients_counted.to_numpy(),
            ),
        ]
    )
    moves = _transfers(where, live)
    closed_fte = pools.loc[closed].sum(axis=1)
    moved = set(moves.from_practice)
    lost = closed_fte[[c not in moved for c in closed_fte.index]]
    if lost.sum() > 0:
        raise InputError(
            f"closed practices {list(lost.index[lost > 0][:5])} have staff but no successor, "
            "sub-ICB or ICB",
            source=RAW_FILES["workforce"],
        )
    w = moves.share.to_numpy()[:, None] * pools.loc[moves.from_practice].to_numpy()
    inherited = pd.DataFrame(w, columns=pools.columns).groupby(moves.to_practice.to_numpy()).sum()
    own = pools.reindex(live.practice).fillna(0.0)
    part = where.part[where.why == "list collapsed"]
    part = part[part.index.isin(moved)].reindex(live.practice).fillna(0.0).to_numpy()
    passed = own.mul(part, axis=0)
    inh = inherited.reindex(live.practice).fillna(0.0)
    base = own - passed + inh
    # a practice of a real size with no staff figures (or under a tenth of its sub-ICB's
    # staff per patient): estimated from its sub-ICB's staff per patient
    per = base.groupby(live.sub_icb.to_numpy()).sum()
    per = per.div(live.groupby("sub_icb").patients.sum(), axis=0)
    est = per.reindex(live.sub_icb).to_numpy() * live.patients.to_numpy()[:, None]
    blank = base.sum(axis=1).to_numpy() < MISSING * est.sum(axis=1)
    blank &= (live.patients >= TINY_LIST).to_numpy()
    base[blank] = est[blank]
    live["estimated"] = blank
    tot = placed_role_totals(roles)
    tot["pool"] = [pool_of(g, r) for g, r in zip(tot.staff_group, tot.source_role, strict=True)]
    target = (
        tot.groupby(["sub_icb", "pool"]).fte.sum().unstack("pool").reindex(columns=pools.columns)
    )
    sub = live.sub_icb.to_numpy()
    have = base.groupby(sub).sum()
    by_list = live.groupby("sub_icb").patients.transform("sum").to_numpy()
    out = live[["practice", "sub_icb", "patients", "patients_counted", "estimated"]].copy()
    out["own_fte"] = own.sum(axis=1).round(4).to_numpy()
    out["inherited_fte"] = inh.sum(axis=1).round(4).to_numpy()
    out["passed_fte"] = passed.sum(axis=1).round(4).to_numpy()
    empty = []
    for pool, col in POOL_COLUMNS.items():
        t = target[pool].reindex(sub).fillna(0.0).to_numpy()
        h = have[pool].reindex(sub).to_numpy()
        x = np.where(h > 0, base[pool].to_numpy() * t / np.where(h > 0, h, 1.0), 0.0)
        none = (h <= 0) & (t > 0)
        x[none] = t[none] * live.patients.to_numpy()[none] / by_list[none]
        empty += sorted({f"{s} {pool}" for s in sub[none]})
        out[col] = x.round(4)
    out["base"], out["base_note"] = _flag(out)
    out["patients_counted"] = out.patients_counted.round(1)
    out = out.drop(columns="estimated")
    _notes(out, moves, closed_fte, empty, notes)
    return out.sort_values("practice").reset_index(drop=True), moves


def _notes(out, moves, closed_fte, empty, notes: list[str]) -> None:
    how = moves.drop_duplicates("from_practice").set_index("from_practice").how
    fte = closed_fte.groupby(how.reindex(closed_fte.index).fillna("no staff to pass on")).agg(
        ["size", "sum"]
    )
    notes.append(
        f"practice_staff: {len(closed_fte)} practices of the 2024/25 figures are not in the "
        f"December 2025 map ({closed_fte.sum():.1f} FTE); their staff follow their patients: "
        + "; ".join(
            f"{k} {int(r['size'])} practices, {r['sum']:.1f} FTE" for k, r in fte.iterrows()
        )
    )
    fell = out[out.passed_fte > 0]
    notes.append(
        f"practice_staff: {len(fell)} practices of the map whose list fell below "
        f"{COLLAPSED:.0%} of their 2024/25 list pass on that share of their staff "
        f"({fell.passed_fte.sum():.1f} FTE) the same way"
    )
    if empty:
        notes.append(
            "practice_staff: pools with published October 2025 staff but none in the 2024/25 "
            f"figures, shared by list size: {', '.join(empty)}"
        )
    cols = list(POOL_COLUMNS.values())
    for b in sorted(set(out.base) - {"reliable"}):
        x = out[out.base == b]
        notes.append(
            f"practice_staff: {len(x)} practices flagged '{b}' (unreliable base): "
            f"{int(x.patients.sum()):,} patients, {x[cols].to_numpy().sum():.1f} FTE"
        )
