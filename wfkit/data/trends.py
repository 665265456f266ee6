"""Supply trends: staff in post over time by role, and the flow rates fitted to them.

``role_trends`` (``data/workforce/role_trends.csv``, built by ``wfkit data build`` from the
published series) holds England's practice staff by model role at every census since
September 2015, and the networks' staff by model role at each network census (England and
each NHS region).  :func:`fit_net` fits each role's net change a year to it, using only
the months up to ``until`` (so a hindcast can fit on what was known at its base), and
:func:`flows_table` writes the fit as the rows of ``assumptions/flows.csv``:

- **practice roles** (GPs, nurses, HCAs, phlebotomists, admin): the mean of the last
  :data:`WINDOW` September-to-September log changes of England's FTE, the 80% range
  ``mean -/+ 1.2816 sd`` of those yearly changes (their year-to-year variation);
- **network roles** (:data:`NETWORK_ROLES`, the Additional Roles Reimbursement Scheme):
  held at today's staff as stated judgement.  Their growth between the network censuses
  (England's practice plus network FTE, September 2022 to November 2025, quoted in each
  row with the regions' spread) followed the scheme's budget: extending it is a policy
  choice, the scenario setting ``arrs_growth`` (:mod:`wfkit.scenario.policy`), not a
  default.

The model uses only ``joiner - leaver`` (:func:`wfkit.model.supply.roll_forward`), and no
shared source publishes joiners and leavers by role, so each role's leaver rate stays a
stated judgement (fixed in the draws) and its joiner rate is that leaver rate plus the
fitted net change, carrying the fitted range.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..tables import SPECS
from ..validation import Column, TableSpec, validate_table
from .paths import data_dir

__all__ = [
    "ROLE_TRENDS",
    "PCN_ROLES_2022",
    "NETWORK_ROLES",
    "WINDOW",
    "FLOWS_UNTIL",
    "Z80",
    "fit_net",
    "flows_table",
    "write_flows",
]

#: September-to-September changes a practice role's trend is fitted on
WINDOW = 5
#: the last month the bundled flows are fitted on: the base year's network census
#: (November 2025); practice series end at September 2025 (the last September)
FLOWS_UNTIL = "2025-11"
#: the 90th percentile of the standard normal (an 80% range is mean -/+ Z80 sd)
Z80 = 1.2816
#: the model roles the Network Contract DES Additional Roles Reimbursement Scheme funds
#: (NHS England, Network Contract DES specification 2025/26, Annex B): their staff are
#: mostly network-employed, so their trend is read from the network censuses
NETWORK_ROLES: tuple[str, ...] = (
    "pharmacist",
    "pharmacy_technician",
    "physician_associate",
    "paramedic",
    "physiotherapist",
    "care_coordinator",
    "social_prescriber",
    "health_coach",
    "dietitian",
    "mental_health_practitioner",
    "nursing_associate",
)

ROLE_TRENDS = TableSpec(
    "role_trends",
    (
        Column(
            "source",
            "str",
            description="practice (practice-employed, every census since September 2015) or "
            "network (network-employed, at each network census)",
            allowed=frozenset({"practice", "network"}),
        ),
        Column(
            "area",
            "str",
            description="England, or an NHS England region code (Y..) for network staff",
        ),
        Column("role", "str", description="wfkit role id (see assumptions/roles.csv)"),
        Column("month", "str", description="census month, YYYY-MM"),
        Column(
            "fte",
            "float",
            min=0,
            max=100_000,
            unit="FTE",
            description="capacity FTE: the published FTE of every published role that maps to "
            "the model role (assumptions/staff_roles.csv) times its capacity_factor",
        ),
    ),
    key=("source", "area", "role", "month"),
    description="Staff in post over time by model role: England's practice staff at every "
    "census since September 2015 and network staff at each network census (England and "
    "each region); the series the flow rates are fitted to.",
)

PCN_ROLES_2022 = TableSpec(
    "pcn_roles_2022",
    (
        Column("pcn", "str", description="primary care network code, September 2022"),
        Column("sub_icb", "str", description="sub-ICB location code (ODS), as published"),
        Column("staff_group", "str", description="NWRS staff group, as published"),
        Column("staff_role", "str", description="NWRS staff role, as published"),
        Column("fte", "float", min=0, max=200, unit="FTE", description="FTE, 30 September 2022"),
        Column("headcount", "int", min=0, max=1000, unit="people", description="distinct staff"),
        Column("records", "int", min=0, max=1000, unit="records", description="records"),
    ),
    key=("pcn", "staff_group", "staff_role"),
    description="Network-employed staff by network, staff group and role, September 2022 "
    "(the hindcast's base; every published group and role).",
)


def _practice_fit(s: pd.Series, until: str) -> dict | None:
    """Mean and spread of the last WINDOW yearly log changes of a September series."""
    sep = s[[m for m in s.index if m.endswith("-09") and m <= until]].sort_index()
    sep = sep.iloc[-(WINDOW + 1) :]
    v = sep.to_numpy()
    ok = (v[:-1] > 0) & (v[1:] > 0)
    ch = np.log(np.where(ok, v[1:], 1.0) / np.where(ok, v[:-1], 1.0))
    if ok.sum() < 3:
        return None
    ch = ch[ok]
    mean, sd = float(ch.mean()), float(ch.std(ddof=1))
    first, last = sep.index[0], sep.index[-1]
    return {
        "net": float(np.expm1(mean)),
        "lo": float(np.expm1(mean - Z80 * sd)),
        "hi": float(np.expm1(mean + Z80 * sd)),
        "period": f"{first} to {last}",
        "how": (
            f"England practice staff (General Practice Workforce table 1a), {len(ch)} "
            f"September-to-September changes {first} to {last}: {sep.iloc[0]:,.0f} to "
            f"{sep.iloc[-1]:,.0f} FTE, mean {np.expm1(mean):+.1%} a year, 80% range from "
            f"their year-to-year variation (sd {sd:.1%})"
        ),
    }


def _years(a: str, b: str) -> float:
    ya, ma = (int(x) for x in a.split("-"))
    yb, mb = (int(x) for x in b.split("-"))
    return (yb - ya) + (mb - ma) / 12


def _at(s: pd.Series, month: str) -> float:
    """Return the series at the last census on or before ``month`` (0 before any)."""
    before = s[s.index <= month].sort_index()
    return float(before.iloc[-1]) if len(before) else 0.0


def _network_fit(t: pd.DataFrame, role: str, until: str) -> dict | None:
    """Growth a year of practice + network FTE between the first and last network census.

    ``lo``/``hi``: England's growth shifted by the regions' lowest and highest network growth
    about England's network growth (two censuses give one interval, no yearly spread).
    """
    net = t[(t.source == "network") & (t.role == role) & (t.month <= until)]
    months = sorted(net.month.unique())
    if len(months) < 2:
        return None
    a, b = months[0], months[-1]
    yrs = _years(a, b)
    eng = net[net.area == "England"].set_index("month").fte
    prac = t[(t.source == "practice") & (t.role == role)].set_index("month").fte
    f0, f1 = eng[a] + _at(prac, a), eng[b] + _at(prac, b)
    if f0 <= 0:
        return None
    rate = (f1 / f0) ** (1 / yrs) - 1
    reg = net[net.area != "England"].pivot_table(index="area", columns="month", values="fte")
    reg = reg[(reg[a] > 0) & (reg[b] > 0)]
    eng_net = (eng[b] / eng[a]) ** (1 / yrs) - 1
    reg_rate = (reg[b] / reg[a]) ** (1 / yrs) - 1
    lo = rate + min(float(reg_rate.min()) - eng_net, 0.0)
    hi = rate + max(float(reg_rate.max()) - eng_net, 0.0)
    return {
        "net": float(rate),
        "lo": float(lo),
        "hi": float(hi),
        "period": f"{a} to {b}",
        "how": (
            f"England practice plus network staff (Primary Care Network Workforce censuses "
            f"{a} and {b}, General Practice Workforce table 1a): {f0:,.0f} to {f1:,.0f} FTE, "
            f"{rate:+.1%} a year (network staff alone {eng_net:+.1%} a year in England, "
            f"{reg_rate.min():+.1%} to {reg_rate.max():+.1%} in the {len(reg)} regions)"
        ),
    }


def _held(until: str, census: dict | None) -> dict:
    """Hold a network role at today's staff (judgement), quoting its census growth."""
    seen = (
        f"{census['how']}, while the scheme's funding grew"
        if census is not None
        else f"the shared sources hold fewer than two network censuses up to {until}"
    )
    return {
        "net": 0.0,
        "lo": -0.05,
        "hi": 0.05,
        "period": census["period"] if census is not None else f"to {until}",
        "how": (
            "wfkit judgement: held at today's staff (no change a year, 80% range -5% to +5%). "
            f"Observed: {seen}. Growth of these roles follows the Additional Roles "
            "Reimbursement Scheme's budget, a policy choice (scenario setting arrs_growth), "
            "not a trend to extend"
        ),
        "judgement": True,
    }


def fit_net(trends: pd.DataFrame, until: str = FLOWS_UNTIL) -> pd.DataFrame:
    """Each role's net change a year (central, 80% range) fitted on months up to ``until``.

    Practice roles: the mean and year-to-year spread of the last :data:`WINDOW`
    September-to-September changes.  Network roles (:data:`NETWORK_ROLES`): held at
    today's staff as judgement, the census growth between the first and last network
    census up to ``until`` quoted beside it (``observed``).

    Parameters
    ----------
    trends
        The ``role_trends`` table.
    until
        The last census month (``YYYY-MM``) the fit may use.

    Returns
    -------
    pandas.DataFrame
        ``role, net, lo, hi, period, how, judgement, observed`` (one row per role of
        ``trends``; ``judgement`` True where the row is not a fit; ``observed`` the census
        growth a year of a network role, NaN otherwise).
    """
    rows = []
    for role in sorted(trends.role.unique()):
        observed = np.nan
        if role in NETWORK_ROLES:
            census = _network_fit(trends, role, until)
            observed = census["net"] if census is not None else np.nan
            fit = _held(until, census)
        else:
            prac = trends[(trends.source == "practice") & (trends.role == role)]
            fit = _practice_fit(prac.set_index("month").fte, until)
            if fit is None:
                fit = _held(until, None) | {
                    "how": f"wfkit judgement: no change a year (80% range -5% to +5%): the "
                    f"shared sources hold no practice series of this role up to {until}"
                }
            else:
                fit["judgement"] = False
        rows.append({"role": role, **fit, "observed": observed})
    return pd.DataFrame(rows)


def flows_table(
    trends: pd.DataFrame, leavers: pd.DataFrame, until: str = FLOWS_UNTIL
) -> pd.DataFrame:
    """Write the rows of ``assumptions/flows.csv``: stated leaver and fitted joiner rates.

    Parameters
    ----------
    trends
        The ``role_trends`` table.
    leavers
        The ``leaver_rate`` rows of the flows table (``role, value, unit, source, notes``;
        judgement, kept as they are but fixed in the draws).
    until
        The last census month the fit may use.

    Returns
    -------
    pandas.DataFrame
        The flows table: for each role of ``leavers``, its joiner and leaver rows.
    """
    fit = fit_net(trends, until).set_index("role")
    out = []
    for lv in leavers.sort_values("role").itertuples():
        f = fit.loc[lv.role]
        leave = float(lv.value)
        word = "wfkit judgement; " if f.judgement else "wfkit fit (wfkit.data.trends) of "
        out.append(
            {
                "role": lv.role,
                "parameter": "joiner_rate",
                "value": round(max(leave + f.net, 0.0), 4),
                "lo": round(max(leave + f.lo, 0.0), 4),
                "hi": round(max(leave + f.hi, 0.0), 4),
                "unit": "fraction per year",
                "source": f"{word}{f.how}; joiner rate = the leaver rate (next row) plus the "
                "net change, so the projection follows the observed net change",
                "source_year": f.period,
                "notes": "net change a year "
                f"{f.net:+.4f} (80% range {f.lo:+.4f} to {f.hi:+.4f}); fitted on data to {until}",
            }
        )
        out.append(
            {
                "role": lv.role,
                "parameter": "leaver_rate",
                "value": leave,
                "lo": leave,
                "hi": leave,
                "unit": "fraction per year",
                "source": lv.source,
                "source_year": lv.source_year,
                "notes": lv.notes,
            }
        )
    return pd.DataFrame(out)


def write_flows(folder: str | Path | None = None, until: str = FLOWS_UNTIL) -> Path:
    """Fit ``assumptions/flows.csv`` to the committed ``role_trends`` (``make flows``).

    Reads ``workforce/role_trends.csv`` and the leaver rows of ``assumptions/flows.csv``
    below ``folder`` (default: the bundled ``data/``), and rewrites the flows file.

    Parameters
    ----------
    folder
        A data folder laid out as ``data/``.
    until
        The last census month the fit may use.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    root = Path(folder) if folder is not None else data_dir()
    read = {"dtype": str, "keep_default_na": False, "na_values": [""]}
    trends = pd.read_csv(root / "workforce" / "role_trends.csv", **read)
    trends["fte"] = trends.fte.astype(float)
    path = root / "assumptions" / "flows.csv"
    current = pd.read_csv(path, **read)
    out = flows_table(trends, current[current.parameter == "leaver_rate"], until)
    validate_table(out, SPECS["flows"], source=str(path))
    out.to_csv(path, index=False, lineterminator="\n")
    return path
