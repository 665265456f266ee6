"""The hindcast: how far off 2025 would have been, had we run the model in 2022.

Written up in section 6 of ``docs/backtest.md`` by ``docs/build_backtest.py``; every input
is bundled (no raw file needed):

- **Supply.** Staff in post at the earliest base the bundled data allow (practice staff
  2022/23, the financial-year mean of ``workforce``; network staff of the September 2022
  census, ``pcn_roles_2022``) rolled forward by the model's supply
  (:func:`wfkit.model.supply.roll_forward`) with each role's net change fitted by
  :func:`wfkit.data.trends.fit_net` on data up to :data:`FIT_UNTIL` only, against what
  was in post: practice staff 2023/24 and 2024/25, network staff November 2025 (and June
  2026 for England).  A practice staff group's growth is its roles' growth weighted by
  England's role mix in the group at the base (``role_trends``); network staff grow role by
  role.  Errors for England, each sub-ICB and each network, beside the error of assuming no
  change.
- **Demand.** The model's appointments (contacts x ``appointment_weight`` of the clinical
  activities) per sub-ICB in 2023 and 2025 (ONS 2022-based projection, the model's
  activity trends), growth against the growth of booked appointments, November 2023 to
  November 2025 (same month, no seasonality), per working day (November 2023 had 22
  Monday-Friday days, November 2025 had 20).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import data
from .data.trends import fit_net
from .model.supply import roll_forward
from .scenario import run_scenario
from .tables import INPUT_TABLES

__all__ = [
    "Hindcast",
    "hindcast",
    "FIT_UNTIL",
    "PRACTICE_BASE",
    "PRACTICE_YEARS",
    "NETWORK_BASE",
    "NETWORK_ACTUAL",
    "DEMAND_MONTHS",
    "working_days",
]

#: the last month the hindcast's rates may use: the base's own census (nothing after it)
FIT_UNTIL = "2022-09"
#: practice staff at the base: the 2022/23 financial-year mean (April 2022 - March 2023)
PRACTICE_BASE = "2022/23"
#: practice staff compared, with their years after the base
PRACTICE_YEARS = {"2023/24": 1.0, "2024/25": 2.0}
#: the network census at the base
NETWORK_BASE = "2022-09"
#: network censuses compared, with their years after the base (England only for June 2026)
NETWORK_ACTUAL = {"2025-11": 38 / 12, "2026-06": 45 / 12}
#: appointments compared (same month two years apart) and the model years standing for them
DEMAND_MONTHS = (("2023-11", 2023), ("2025-11", 2025))

#: workforce columns of each practice staff group (GPs: every GP as published, registrars
#: and locums included)
_PRACTICE_GROUPS = {
    "GPs": ("gp_fte", "gp_locum_trainee_fte"),
    "Nurses": ("nurse_fte",),
    "Other direct patient care": ("dpc_fte",),
    "Admin and non-clinical": ("admin_fte",),
}


@dataclass(frozen=True)
class Hindcast:
    """Every table of the hindcast.

    Attributes
    ----------
    rates
        Each role's fitted net change a year (``fit_net`` on data to :data:`FIT_UNTIL`,
        with any planted adjustment).
    staff
        One row per source (practice, network), staff group and horizon: England's base,
        projected and actual FTE and error; the median absolute percentage error across
        sub-ICBs and networks, and the same for "no change".
    areas
        Per area (sub-ICB or network), source, group and horizon: base, projected, actual.
    demand
        Per sub-ICB: modelled appointments growth and actual growth, November 2023 to 2025.
    demand_stats
        England and across sub-ICBs: growth modelled and actual, Pearson r, median
        absolute difference.
    excluded
        FTE left out of the area comparisons (practices not in every year or not in the
        December 2025 map; networks not in both censuses), by source.
    """

    rates: pd.DataFrame
    staff: pd.DataFrame
    areas: pd.DataFrame
    demand: pd.DataFrame
    demand_stats: pd.DataFrame
    excluded: pd.DataFrame


def _roles() -> pd.DataFrame:
    return data.load("roles").set_index("role")


def _growth(net: pd.Series, roles: list[str], years: float) -> np.ndarray:
    """Roll one FTE of each role ``years`` forward with the model's supply: ``(R,)``."""
    j = net.reindex(roles).fillna(0.0).to_numpy()[None, :]
    out = roll_forward(np.ones((1, len(roles))), j, np.zeros_like(j), np.array([years]))
    return out[0, 0, 0, :]


def _practice(net: pd.Series) -> tuple[pd.DataFrame, float]:
    """Practice staff by area, group and horizon: base, projected, actual; FTE left out."""
    groups = _roles().staff_group
    trends = data.load("role_trends")
    mix = trends[(trends.source == "practice") & (trends.month == FIT_UNTIL)]
    mix = mix.set_index("role").fte
    wf = data.load("workforce")
    areas = data.load("areas").set_index("practice")
    for g, cols in _PRACTICE_GROUPS.items():
        wf[g] = wf[list(cols)].fillna(0.0).sum(axis=1)
    years = [PRACTICE_BASE, *PRACTICE_YEARS]
    wide = wf.pivot_table(index="practice", columns="year", values=list(_PRACTICE_GROUPS))
    keep = wide.notna().all(axis=1) & wide.index.isin(areas.index)
    base_all = wf[wf.year == PRACTICE_BASE][list(_PRACTICE_GROUPS)].sum().sum()
    left_out = float(wide.loc[~keep, [(g, PRACTICE_BASE) for g in _PRACTICE_GROUPS]].sum().sum())
    rows = []
    for g in _PRACTICE_GROUPS:
        roles = [r for r in mix.index if groups.get(r) == g]
        share = (mix[roles] / mix[roles].sum()).to_numpy()
        for y, h in PRACTICE_YEARS.items():
            factor = float(share @ _growth(net, roles, h))
            eng = wf.groupby("year")[g].sum()
            rows.append(("England", "england", g, y, h, eng[PRACTICE_BASE], eng[y], factor))
            sub = wide.loc[keep, [(g, PRACTICE_BASE), (g, y)]]
            sub.columns = ["base", "actual"]
            for level, col in (("sub_icb", "sub_icb"), ("pcn", "pcn")):
                by = sub.groupby(areas.loc[sub.index, col].to_numpy()).sum()
                for a, r in by.iterrows():
                    rows.append((a, level, g, y, h, r.base, r.actual, factor))
    out = pd.DataFrame(
        rows, columns=["area", "level", "staff_group", "when", "years", "base", "actual", "factor"]
    )
    out["projected"] = out.base * out.factor
    out.insert(0, "source", "practice")
    assert years[0] == PRACTICE_BASE
    return out.drop(columns="factor"), left_out / base_all


def _network_roles(pc: pd.DataFrame) -> pd.DataFrame:
    """Network staff mapped to model roles (staff_roles.csv network rows)."""
    m = data.load("staff_roles")
    m = m[(m.source == "network") & m.role.notna()]
    key = dict(zip(zip(m.staff_group, m.source_role, strict=True), m.role, strict=True))
    f = dict(zip(zip(m.staff_group, m.source_role, strict=True), m.capacity_factor, strict=True))
    k = list(zip(pc.staff_group, pc.staff_role, strict=True))
    out = pc.assign(role=[key.get(x) for x in k], factor=[f.get(x, 0.0) for x in k])
    out = out.dropna(subset=["role"])
    return out.assign(fte=out.fte * out.factor)


def _network(net: pd.Series) -> tuple[pd.DataFrame, float]:
    """Network staff by area, group and horizon: base, projected, actual; FTE left out."""
    groups = _roles().staff_group
    base = _network_roles(data.load("pcn_roles_2022"))
    now = _network_roles(data.load("pcn_roles"))
    roles = sorted(groups.index)
    rows = []
    both = set(base.pcn) & set(now.pcn)
    left_out = float(base.fte[~base.pcn.isin(both)].sum() / base.fte.sum())
    subs = set(base.sub_icb) & set(now.sub_icb)
    month, h = "2025-11", NETWORK_ACTUAL["2025-11"]
    grow = pd.Series(_growth(net, roles, h), index=roles)
    for level, col, keep in (
        ("england", None, None),
        ("sub_icb", "sub_icb", subs),
        ("pcn", "pcn", both),
    ):
        b, n = base, now
        if col is not None:
            b, n = b[b[col].isin(keep)], n[n[col].isin(keep)]
        ab = b[col] if col else pd.Series("England", index=b.index)
        an = n[col] if col else pd.Series("England", index=n.index)
        pb = (b.fte * b.role.map(grow)).groupby([ab, b.role.map(groups)]).sum()
        bb = b.fte.groupby([ab, b.role.map(groups)]).sum()
        nn = n.fte.groupby([an, n.role.map(groups)]).sum()
        frame = pd.DataFrame({"base": bb, "projected": pb, "actual": nn}).fillna(0.0)
        for (a, g), r in frame.iterrows():
            rows.append(("network", a, level, g, month, h, r.base, r.actual, r.projected))
    trends = data.load("role_trends")
    eng = trends[(trends.source == "network") & (trends.area == "England")]
    eng = eng.assign(group=eng.role.map(groups)).groupby(["month", "group"]).fte.sum()
    grow26 = pd.Series(_growth(net, roles, NETWORK_ACTUAL["2026-06"]), index=roles)
    b = base.assign(group=base.role.map(groups))
    proj26 = (b.fte * b.role.map(grow26)).groupby(b.group).sum()
    for g, p in proj26.items():
        actual = float(eng.get(("2026-06", g), 0.0))
        base_g = float(b.fte[b.group == g].sum())
        rows.append(
            (
                "network",
                "England",
                "england",
                g,
                "2026-06",
                NETWORK_ACTUAL["2026-06"],
                base_g,
                actual,
                p,
            )
        )
    cols = [
        "source",
        "area",
        "level",
        "staff_group",
        "when",
        "years",
        "base",
        "actual",
        "projected",
    ]
    return pd.DataFrame(rows, columns=cols), left_out


def _mape(x: pd.DataFrame, col: str) -> float:
    ok = x.actual > 0
    return float(np.median(np.abs(x[col][ok] / x.actual[ok] - 1))) if ok.any() else np.nan


def _staff_stats(areas: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (src, g, when), d in areas.groupby(["source", "staff_group", "when"], sort=False):
        e = d[d.level == "england"]
        if e.empty or e.base.iloc[0] < 100:
            continue
        e = e.iloc[0]
        row = {
            "source": src,
            "staff_group": g,
            "when": when,
            "years": e.years,
            "england_base": e.base,
            "england_projected": e.projected,
            "england_actual": e.actual,
            "england_error": e.projected / e.actual - 1,
            "england_error_no_change": e.base / e.actual - 1,
        }
        for level in ("sub_icb", "pcn"):
            x = d[(d.level == level) & (d.base > 0)]
            row[f"{level}_n"] = len(x)
            row[f"{level}_mape"] = _mape(x, "projected")
            row[f"{level}_mape_no_change"] = _mape(x, "base")
        rows.append(row)
    return pd.DataFrame(rows)


def working_days(month: str) -> int:
    """Monday-Friday days of a ``YYYY-MM`` month (no bank holiday falls in November)."""
    start = np.datetime64(month, "M")
    return int(np.busday_count(start.astype("datetime64[D]"), (start + 1).astype("datetime64[D]")))


def _demand() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Modelled appointments growth against booked appointments growth, by sub-ICB."""
    (m0, y0), (m1, y1) = DEMAND_MONTHS
    run = run_scenario(
        {
            "name": "hindcast demand",
            "base_year": y0,
            "horizon": y1 - y0,
            "level": "sub_icb",
            "areas": "all",
            "calibration": "none",
            "inputs": {t: "bundled" for t in INPUT_TABLES},
        }
    )
    r = run.results["baseline"]
    amap = data.load("appointment_map").set_index("activity").reindex(list(r.activities))
    w = np.where(amap.driver.eq("clinical"), amap.appointment_weight.fillna(0.0), 0.0)
    appts = (r.demand[0] * w).sum(axis=-1)  # (areas, years)
    modelled = pd.Series(appts[:, -1] / appts[:, 0] - 1, index=list(r.areas))
    a = data.load("appointments_monthly")
    nov = a[a.month.isin([m0, m1])].pivot_table(
        index="sub_icb", columns="month", values="appointments", aggfunc="sum"
    )
    d = pd.DataFrame(
        {
            "modelled_growth": modelled,
            "appointments_start": nov[m0],
            "appointments_end": nov[m1],
        }
    ).dropna()
    d["actual_growth"] = d.appointments_end / d.appointments_start - 1
    days = working_days(m1) / working_days(m0)
    d["actual_growth_per_day"] = (1 + d.actual_growth) / days - 1
    d["difference"] = d.modelled_growth - d.actual_growth_per_day
    eng_model = appts[:, -1].sum() / appts[:, 0].sum() - 1
    eng_actual = d.appointments_end.sum() / d.appointments_start.sum() - 1
    stats = pd.DataFrame(
        [
            {
                "sub_icbs": len(d),
                "working_days_start": working_days(m0),
                "working_days_end": working_days(m1),
                "england_modelled": eng_model,
                "england_actual": eng_actual,
                "england_actual_per_day": (1 + eng_actual) / days - 1,
                "median_modelled": d.modelled_growth.median(),
                "median_actual_per_day": d.actual_growth_per_day.median(),
                "pearson_r": d.modelled_growth.corr(d.actual_growth_per_day),
                "median_abs_difference": d.difference.abs().median(),
            }
        ]
    )
    return d.rename_axis("sub_icb").reset_index(), stats


def hindcast(adjust: Mapping[str, float] | None = None) -> Hindcast:
    """Run the hindcast from the 2022 base to 2025 on the bundled data.

    Parameters
    ----------
    adjust
        Role -> a change to its fitted net rate a year (a planted error, for tests).

    Returns
    -------
    Hindcast
        Every table of section 6 of ``docs/backtest.md``.
    """
    rates = fit_net(data.load("role_trends"), FIT_UNTIL)
    net = rates.set_index("role").net
    for role, x in (adjust or {}).items():
        net[role] = net[role] + x
    practice, left_p = _practice(net)
    network, left_n = _network(net)
    areas = pd.concat([practice, network], ignore_index=True)
    demand, demand_stats = _demand()
    excluded = pd.DataFrame({"source": ["practice", "network"], "share_of_base": [left_p, left_n]})
    return Hindcast(
        rates=rates.assign(net=net.to_numpy()),
        staff=_staff_stats(areas),
        areas=areas,
        demand=demand,
        demand_stats=demand_stats,
        excluded=excluded,
    )
