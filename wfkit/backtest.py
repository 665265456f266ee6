"""Back-test the model against what England's practices did and who they employ.

Four tests on the bundled data, written up in ``docs/backtest.md`` (regenerate it with
``python -m wfkit.backtest --write docs/`` or ``make backtest-docs``):

1. **Appointments** per practice and per network: the model's base-year appointments
   (modelled contacts x ``appointment_weight`` for clinical activities, under national
   calibration, which does not touch demand) against each area's own November 2025
   appointments made annual with its seasonal factor (``November x 12 / factor``).
2. **FTE** per practice and per network: base-year required FTE against staff in post
   (capacity FTE) by staff group, under national calibration.
3. **England**: required against in post per role under ``calibration: none`` (the bundled
   assumptions as they are), and the minutes factor ``national`` calibration needed.
4. **National appointment categories** (November 2025) against the model's appointments
   mapped to them (``assumptions/appointment_map.csv``).

:func:`compute` returns every table; :func:`write` renders the page and its charts.
"""

from __future__ import annotations

import argparse
import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .scenario import run_scenario
from .tables import INPUT_TABLES

__all__ = ["Backtest", "compute", "write", "england_gp_backtest", "STAFF_GROUPS"]

#: staff groups of ``assumptions/roles.csv``, in the order the page shows them
STAFF_GROUPS = ("GPs", "Nurses", "Other direct patient care", "Admin and non-clinical")
#: a practice enters the per-practice figures if its list (both the appointments file's and
#: the December 2025 list) is at least this large: a handful of practices with lists of a
#: few patients (closing or opening) give ratios of hundreds
MIN_LIST = 1000
#: the appointment map's category names that the national table spells differently
_CATEGORY_ALIASES = {
    "care_home_needs_assessment_personalised_care_and_support_planning": (
        "care_home_needs_assessment"
    ),
}
_STAFF = ("all", "gp", "other")
_STAFF_WORDS = {"all": "All staff", "gp": "GP", "other": "Other staff"}
_LEVEL_WORDS = {"practice": "practices", "pcn": "networks"}


def _config(level: str, calibration: str) -> dict:
    return {
        "name": f"back-test ({level}, calibration {calibration})",
        "base_year": 2025,
        "horizon": 1,
        "draws": 0,
        "level": level,
        "areas": "all",
        "inputs": {t: "bundled" for t in INPUT_TABLES},
        "skill_mix": {"model": "current"},
        "calibration": calibration,
    }


def _roles() -> pd.DataFrame:
    from . import data  # noqa: PLC0415

    return data.load("roles")[["role", "label", "staff_group"]]


# ----------------------------------------------------------------------------------------
# 1. appointments
# ----------------------------------------------------------------------------------------
def _actual_annual(areas: list[str], level: str) -> pd.DataFrame:
    """November 2025 appointments made annual (``November x 12 / seasonal factor``) per area
    and staff type; appointments by unknown staff shared between GP and other pro rata."""
    from . import data  # noqa: PLC0415

    a = data.appointments(areas, level).set_index("area")
    f = data.seasonal_factors(areas, level).pivot_table(
        index="area", columns="staff_type", values="factor", observed=True
    )
    f = f.reindex(a.index)
    known = a.gp + a.other_staff
    share = np.where(known > 0, a.gp / known.where(known > 0, 1), 0.5)
    gp = a.gp / f["gp"] + a.unknown_staff * share / f["unknown"]
    other = a.other_staff / f["other"] + a.unknown_staff * (1 - share) / f["unknown"]
    out = pd.DataFrame(
        {
            "list_size": a.list_size,
            "november": a.total,
            "actual_gp": 12 * gp,
            "actual_other": 12 * other,
        }
    )
    out["actual_all"] = out.actual_gp + out.actual_other
    return out


def _modelled_appointments(run) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Base-year appointments per area (GP, other, all) and per activity (England)."""
    from . import data  # noqa: PLC0415

    r, inp = run.results["baseline"], run.inputs["baseline"]
    acts = list(r.activities)
    amap = data.load("appointment_map").set_index("activity").reindex(acts)
    w = np.where(amap.driver.eq("clinical"), amap.appointment_weight.fillna(0.0), 0.0)
    s_gp = inp.shares_current[:, list(inp.roles).index("gp")]
    d = r.demand[0, :, 0, :]  # (areas, activities): contacts a year, base year
    dw = d * w
    per_area = pd.DataFrame(
        {
            "patients": r.population[0, :, 0],
            "modelled_gp": (dw * s_gp).sum(axis=1),
            "modelled_other": (dw * (1 - s_gp)).sum(axis=1),
        },
        index=pd.Index(list(r.areas), name="area"),
    )
    per_area["modelled_all"] = per_area.modelled_gp + per_area.modelled_other
    per_act = pd.DataFrame(
        {
            "activity": acts,
            "driver": amap.driver.to_numpy(),
            "weight": w,
            "national_category": amap.national_category.to_numpy(),
            "contacts": d.sum(axis=0),
            "modelled_gp": (dw * s_gp).sum(axis=0),
            "modelled_other": (dw * (1 - s_gp)).sum(axis=0),
        }
    )
    return per_area, per_act


def _appointment_frame(run, level: str) -> pd.DataFrame:
    mod, _ = _modelled_appointments(run)
    act = _actual_annual(list(mod.index), level)
    df = mod.join(act, how="left")
    df["level"] = level
    ok = df.actual_all.notna() & (df.actual_all > 0) & (df.list_size >= MIN_LIST)
    if level == "practice":
        ok &= df.patients >= MIN_LIST
    df["included"] = ok
    for s in _STAFF:
        df[f"actual_{s}_pp"] = df[f"actual_{s}"] / df.list_size
        df[f"modelled_{s}_pp"] = df[f"modelled_{s}"] / df.patients
    return df.reset_index()


def _spread(x: pd.Series) -> dict:
    return {
        "median": float(np.median(x)),
        "p10": float(np.percentile(x, 10)),
        "p90": float(np.percentile(x, 90)),
    }


def _appointment_stats(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    rows = []
    for level, df in frames.items():
        d = df[df.included]
        for s in _STAFF:
            a, m = d[f"actual_{s}_pp"], d[f"modelled_{s}_pp"]
            rows.append(
                {
                    "level": level,
                    "staff": s,
                    "areas": len(d),
                    "pearson_r": float(np.corrcoef(a, m)[0, 1]),
                    **_spread(m / a),
                    "modelled_pp": float(d[f"modelled_{s}"].sum() / d.patients.sum()),
                    "actual_pp": float(d[f"actual_{s}"].sum() / d.list_size.sum()),
                }
            )
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------
# 2. FTE by staff group
# ----------------------------------------------------------------------------------------
def _fte_frame(run, level: str) -> pd.DataFrame:
    r = run.results["baseline"]
    grp = _roles().set_index("role").staff_group.reindex(list(r.roles))
    req = pd.DataFrame(r.required_fte[0, :, 0, :], index=list(r.areas), columns=list(r.roles))
    sup = pd.DataFrame(r.supply_fte[0, :, 0, :], index=list(r.areas), columns=list(r.roles))
    req = req.T.groupby(grp.to_numpy()).sum().T
    sup = sup.T.groupby(grp.to_numpy()).sum().T
    df = (
        pd.DataFrame({"required_fte": req.stack(), "in_post_fte": sup.stack()})
        .rename_axis(["area", "staff_group"])
        .reset_index()
    )
    pop = pd.Series(r.population[0, :, 0], index=list(r.areas))
    df["patients"] = df.area.map(pop).to_numpy()
    df["level"] = level
    df["included"] = (df.required_fte > 0) & (df.patients >= MIN_LIST)
    df["ratio"] = df.in_post_fte / df.required_fte.where(df.required_fte > 0)
    return df


def _fte_stats(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    rows = []
    for level, df in frames.items():
        for g in STAFF_GROUPS:
            d = df[df.included & (df.staff_group == g)]
            rows.append(
                {
                    "level": level,
                    "staff_group": g,
                    "areas": len(d),
                    "no_staff": int((d.in_post_fte <= 0).sum()),
                    **_spread(d.ratio),
                    "required_fte": float(df.loc[df.staff_group == g, "required_fte"].sum()),
                    "in_post_fte": float(df.loc[df.staff_group == g, "in_post_fte"].sum()),
                }
            )
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------
# 3. England, role by role
# ----------------------------------------------------------------------------------------
#: what the residual of each role under calibration "none" rests on, where more than the
#: minutes and contact rates (shown beside the figures; see data/README.md)
_ROLE_NOTES = {
    "gp": "in post counts GP registrars at half a qualified GP's capacity "
    "(staff_roles.csv capacity_factor 0.5); GPs also work beyond contracted sessions",
    "anp": "advanced nurse practitioners take same-day work the model gives them a share of",
    "practice_nurse": "long-term condition reviews, screening, immunisation and wound care",
    "nursing_associate": "the model gives nursing associates a small share of nursing "
    "activities; much of their work (HCA-type clinics, dressings) is not described",
    "hca": "phlebotomy, blood pressure, health checks: some HCA work (ECGs, new-patient checks) "
    "is not an activity of the model",
    "phlebotomist": "phlebotomy only",
    "pharmacist": "structured medication reviews and same-day prescribing work",
    "pharmacy_technician": "medication work alongside pharmacists",
    "physician_associate": "same-day work under GP supervision",
    "paramedic": "home visits and same-day urgent work",
    "physiotherapist": "first-contact MSK only",
    "care_coordinator": "care coordination is largely by telephone outside booked appointments",
    "social_prescriber": "social prescribing referrals at the bundled rate",
    "health_coach": "the model gives health coaches a share of a few activities; group "
    "sessions and lifestyle programmes are not described",
    "dietitian": "few activities name a dietitian",
    "mental_health_practitioner": "common mental health problems (QOF depression register) and "
    "serious mental illness reviews",
    "practice_manager": "one patient-year of management per registered patient",
    "receptionist": "booking appointments at 5.85 a person a year",
    "medical_secretary": "correspondence items per patient",
    "admin_other": "correspondence, booking and management shared with other admin",
}


def _explain(role: str, ratio_none: float, factor: float) -> str:
    if not np.isfinite(ratio_none):
        head = "no modelled work"
    elif factor > 1.25:
        head = (
            f"today's staff deliver {factor:.1f}x the work the bundled contacts and minutes "
            "describe"
        )
    elif factor < 0.8:
        head = f"the bundled assumptions describe {1 / factor:.1f}x the work today's staff deliver"
    else:
        head = "within 25% of today's staff"
    note = _ROLE_NOTES.get(role)
    return f"{head}; {note}" if note else head


def _national(run_none, run_nat_practice, cal) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per role: England's capacity FTE in post, required under none, the minutes factor
    national calibration set, and required under national summed over practices."""
    roles = _roles().set_index("role")
    r0 = run_none.results["baseline"]
    rn = run_nat_practice.results["baseline"]
    rl = list(r0.roles)
    df = pd.DataFrame(
        {
            "role": rl,
            "label": roles.label.reindex(rl).to_numpy(),
            "staff_group": roles.staff_group.reindex(rl).to_numpy(),
            "in_post_fte": r0.supply_fte[0, :, 0, :].sum(axis=0),
            "required_none": r0.required_fte[0, :, 0, :].sum(axis=0),
            "required_national": rn.required_fte[0, :, 0, :].sum(axis=0),
            "in_post_practices": rn.supply_fte[0, :, 0, :].sum(axis=0),
        }
    )
    df["minutes_factor"] = [cal.minutes_factor.get(r, 1.0) for r in rl]
    df["ratio_none"] = df.in_post_fte / df.required_none.where(df.required_none > 0)
    df["explanation"] = [
        _explain(r, x, f) for r, x, f in zip(df.role, df.ratio_none, df.minutes_factor, strict=True)
    ]
    g = df.groupby("staff_group", sort=False)[
        ["in_post_fte", "required_none", "required_national", "in_post_practices"]
    ].sum()
    g = g.reindex(list(STAFF_GROUPS)).reset_index()
    tot = g.sum(numeric_only=True).to_frame().T.assign(staff_group="All modelled roles")
    g = pd.concat([g, tot], ignore_index=True)
    g["ratio_none"] = g.in_post_fte / g.required_none
    return df, g


def _supply_reconciliation() -> pd.DataFrame:
    """From the publishers' totals to the model's capacity FTE, by source and staff group:
    published = counted + unplaced; counted = modelled + not modelled; modelled x capacity
    factor = the model's supply."""
    from . import data  # noqa: PLC0415
    from .data.supply import supply_coverage  # noqa: PLC0415

    cov = supply_coverage()
    regions = list(data.select_areas(level="region").area)
    s = data.staff_in_post(regions, "region")
    s["modelled"] = s.role.notna()
    s["group"] = np.where(s.source == "network", "all", s.staff_group)
    g = s.groupby(["source", "group"])
    agg = pd.DataFrame(
        {
            "counted_check": g.fte.sum(),
            "not_modelled": s[~s.modelled].groupby(["source", "group"]).fte.sum(),
            "modelled": s[s.modelled].groupby(["source", "group"]).fte.sum(),
            "capacity": s[s.modelled].groupby(["source", "group"]).capacity_fte.sum(),
        }
    ).fillna(0.0)
    out = cov.merge(
        agg.reset_index().rename(columns={"group": "staff_group"}),
        on=["source", "staff_group"],
        how="left",
    )
    return out


# ----------------------------------------------------------------------------------------
# 4. national categories
# ----------------------------------------------------------------------------------------
def _england_factor() -> dict[str, float]:
    """England's November 2025 share of its year x 12: GP, and other staff with unknown
    (the categories table's 'other')."""
    from . import data  # noqa: PLC0415
    from .data.areas import SEASON_MONTHS  # noqa: PLC0415

    m = data.load("appointments_monthly")
    m = m[m.month.isin(SEASON_MONTHS)]
    m = m.assign(st=np.where(m.staff_type == "gp", "gp", "other"))
    yr = m.groupby("st").appointments.sum()
    nov = m[m.month == SEASON_MONTHS[-1]].groupby("st").appointments.sum()
    return {k: float(nov[k] / yr[k] * 12) for k in ("gp", "other")}


def _categories(per_act: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    from . import data  # noqa: PLC0415

    cat = data.load("appointment_categories")
    known = set(cat.category)
    f = _england_factor()
    act = per_act.copy()
    act["category"] = [
        c if (c in known or not isinstance(c, str)) else _CATEGORY_ALIASES.get(c, c)
        for c in act.national_category
    ]
    nov = cat.pivot_table(
        index="category", columns="staff_type", values="appointments", aggfunc="sum"
    )
    nov = nov.reindex(columns=["gp", "other"]).fillna(0.0)
    mapped = act[act.category.isin(known) & (act.weight > 0)]
    mod = mapped.groupby("category")[["modelled_gp", "modelled_other"]].sum()
    acts = mapped.groupby("category").activity.agg(lambda a: ", ".join(a))
    out = pd.DataFrame(index=nov.index)
    out["actual_gp"] = nov.gp * 12 / f["gp"]
    out["actual_other"] = nov.other * 12 / f["other"]
    out["modelled_gp"] = mod.modelled_gp.reindex(out.index).fillna(0.0)
    out["modelled_other"] = mod.modelled_other.reindex(out.index).fillna(0.0)
    out["activities"] = acts.reindex(out.index).fillna("")
    out["_n"] = -(out.actual_gp + out.actual_other)
    out = out.sort_values("_n").drop(columns="_n").reset_index()
    # activities the categories cannot inform
    why = []
    for a in per_act.itertuples():
        c = a.national_category
        if a.driver != "clinical":
            why.append(
                (
                    a.activity,
                    "not a clinical activity of the appointment map (admin or "
                    "medicines work, not a booked appointment)",
                )
            )
        elif a.weight <= 0:
            why.append((a.activity, "appointment weight 0: done inside another appointment"))
        elif not isinstance(c, str) or not c:
            why.append((a.activity, "no national category"))
        elif c not in known and _CATEGORY_ALIASES.get(c) not in known:
            why.append((a.activity, f"category {c!r} not in the national table"))
        elif a.weight < 1:
            why.append((a.activity, f"only {a.weight:g} of its contacts booked as appointments"))
    shared = mapped.groupby("category").activity.count()
    for c, n in shared[shared > 1].items():
        why.append((acts[c], f"{n} activities share '{c}': only their sum is tested"))
    return out, pd.DataFrame(why, columns=["activity", "why"])


# ----------------------------------------------------------------------------------------
# everything
# ----------------------------------------------------------------------------------------
@dataclass
class Backtest:
    """Every table of the back-test (see the module docstring)."""

    appointments: dict[str, pd.DataFrame]
    appointment_stats: pd.DataFrame
    fte: dict[str, pd.DataFrame]
    fte_stats: pd.DataFrame
    national: pd.DataFrame
    national_groups: pd.DataFrame
    supply: pd.DataFrame
    categories: pd.DataFrame
    uninformed: pd.DataFrame
    per_activity: pd.DataFrame
    notes: list[str] = field(default_factory=list)


@functools.lru_cache(maxsize=2)
def _compute(folder: str) -> Backtest:
    runs = {lv: run_scenario(_config(lv, "national")) for lv in ("practice", "pcn")}
    none = run_scenario(_config("region", "none"))
    appts = {lv: _appointment_frame(run, lv) for lv, run in runs.items()}
    fte = {lv: _fte_frame(run, lv) for lv, run in runs.items()}
    nat, nat_g = _national(none, runs["practice"], runs["practice"].calibration())
    _, per_act = _modelled_appointments(runs["practice"])
    cats, why = _categories(per_act)
    return Backtest(
        appointments=appts,
        appointment_stats=_appointment_stats(appts),
        fte=fte,
        fte_stats=_fte_stats(fte),
        national=nat,
        national_groups=nat_g,
        supply=_supply_reconciliation(),
        categories=cats,
        uninformed=why,
        per_activity=per_act,
        notes=list(runs["practice"].calibration().notes),
    )


def compute() -> Backtest:
    """Run the back-test on the bundled data (about 12 s; cached per data folder)."""
    from .data.paths import data_dir  # noqa: PLC0415

    return _compute(str(data_dir()))


# ----------------------------------------------------------------------------------------
# the earlier GP-only figure (kept: wfkit re-exports it)
# ----------------------------------------------------------------------------------------
def england_gp_backtest(base_year: int = 2025, workforce_year: str = "2024/25") -> pd.DataFrame:
    """Required GP FTE for England under ``calibration: none`` beside GP FTE in post.

    Returns
    -------
    pandas.DataFrame
        ``item``, ``value`` and ``note``.
    """
    from . import data  # noqa: PLC0415

    cfg = _config("region", "none") | {"base_year": base_year}
    r = run_scenario(cfg).results["baseline"]
    gp = r.roles.index("gp")
    required = float(r.required_fte[0, :, 0, gp].sum())
    patients = float(r.population[0, :, 0].sum())
    wf = data.load("workforce")
    wf = wf[wf["year"] == workforce_year]
    in_post = float(wf["gp_fte"].sum())
    locum = float(wf["gp_locum_trainee_fte"].sum())
    rows = [
        ("registered patients", patients, "December 2025 lists, practices in a region"),
        ("required GP FTE (model)", required, f"{base_year}, calibration none"),
        ("GP FTE in post, excluding locums and trainees", in_post, f"{workforce_year} mean"),
        ("GP locum and trainee FTE", locum, f"{workforce_year} mean"),
        ("GP FTE in post, including locums and trainees", in_post + locum, "sum of the two"),
        ("required / in post excluding locums and trainees", required / in_post, "ratio"),
        ("required / in post including locums and trainees", required / (in_post + locum), "ratio"),
    ]
    return pd.DataFrame(rows, columns=["item", "value", "note"])


# ----------------------------------------------------------------------------------------
# the page and its charts
# ----------------------------------------------------------------------------------------
#: one colour per staff group in every chart of the page
GROUP_COLOURS = {
    "GPs": "#1f77b4",
    "Nurses": "#2ca02c",
    "Other direct patient care": "#ff7f0e",
    "Admin and non-clinical": "#9467bd",
}
_STAFF_COLOURS = {"All staff": "#444444", "GP": "#1f77b4", "Other staff": "#ff7f0e"}
#: the figure the page compares with: networks, national contact rates, ICB age profiles
EARLIER_R = 0.38


def _n(x: float, d: int = 0) -> str:
    return f"{x:,.{d}f}"


def _table(name: str, header: list[str], rows: list[list[str]]) -> list[str]:
    out = [f"<!-- table: {name} -->", "| " + " | ".join(header) + " |"]
    out.append("|" + "|".join("---" for _ in header) + "|")
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]


def chart_appointments(b: Backtest):
    """Per network: appointments per patient a year, actual against modelled, by staff type."""
    import altair as alt  # noqa: PLC0415

    d = b.appointments["pcn"]
    d = d[d.included]
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "network": d.area,
                    "staff": _STAFF_WORDS[s],
                    "actual": d[f"actual_{s}_pp"].round(3),
                    "modelled": d[f"modelled_{s}_pp"].round(3),
                }
            )
            for s in _STAFF
        ],
        ignore_index=True,
    )
    top = float(np.ceil(max(long.actual.quantile(0.995), long.modelled.quantile(0.995))))
    long = long[(long.actual <= top) & (long.modelled <= top)]
    ax = alt.Scale(domain=[0, top], clamp=True)
    panels = []
    for s in _STAFF:
        w = _STAFF_WORDS[s]
        st = b.appointment_stats.set_index(["level", "staff"]).loc[("pcn", s)]
        pts = (
            alt.Chart(long[long.staff == w])
            .mark_circle(size=14, opacity=0.45, color=_STAFF_COLOURS[w])
            .encode(
                x=alt.X(
                    "actual:Q",
                    scale=ax,
                    title="Appointments per patient a year, actual (Nov 2025 x 12 / seasonal factor)",
                ),
                y=alt.Y("modelled:Q", scale=ax, title="Appointments per patient a year, modelled"),
            )
        )
        line = (
            alt.Chart(pd.DataFrame({"actual": [0, top], "modelled": [0, top]}))
            .mark_line(color="black", strokeDash=[4, 3])
            .encode(x="actual:Q", y="modelled:Q")
        )
        panels.append(
            alt.layer(pts, line).properties(
                width=260,
                height=260,
                title=f"{w}: r = {st.pearson_r:.2f}, median modelled/actual {st['median']:.2f}",
            )
        )
    return alt.hconcat(*panels).properties(
        title=alt.TitleParams(
            "Modelled against actual appointments per patient, each network in England, 2025 "
            "(dashed: modelled = actual)",
            fontSize=15,
        )
    )


def chart_fte(b: Backtest):
    """Per network: staff in post / FTE required by staff group, with P10-P90 and median."""
    import altair as alt  # noqa: PLC0415

    d = b.fte["pcn"]
    d = d[d.included].assign(ratio=lambda x: x.ratio.clip(upper=3.0).round(3))
    st = b.fte_stats[b.fte_stats.level == "pcn"]
    colour = alt.Color(
        "staff_group:N",
        scale=alt.Scale(domain=list(GROUP_COLOURS), range=list(GROUP_COLOURS.values())),
        title="Staff group",
        legend=None,
    )
    y = alt.Y("staff_group:N", sort=list(STAFF_GROUPS), title=None)
    x_title = "Staff in post / FTE required, base year 2025 (1 = staffed at England's level)"
    pts = (
        alt.Chart(d[["staff_group", "ratio"]])
        .mark_tick(opacity=0.25, thickness=1, size=18)
        .encode(
            x=alt.X("ratio:Q", title=x_title, scale=alt.Scale(domain=[0, 3])), y=y, color=colour
        )
    )
    band = alt.Chart(st).mark_rule(strokeWidth=3, color="black").encode(x="p10:Q", x2="p90:Q", y=y)
    med = (
        alt.Chart(st)
        .mark_point(shape="diamond", size=120, filled=True, color="black")
        .encode(x="median:Q", y=y)
    )
    one = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(strokeDash=[4, 3]).encode(x="x:Q")
    return alt.layer(pts, band, med, one).properties(
        width=620,
        height=220,
        title=alt.TitleParams(
            "Staff in post against FTE required by staff group, each network in England, 2025",
            subtitle="ticks: networks (above 3 shown at 3); black line: P10 to P90; diamond: median",
        ),
    )


def chart_minutes_factor(b: Backtest):
    """England: the minutes factor national calibration needed per role."""
    import altair as alt  # noqa: PLC0415

    d = b.national[["label", "staff_group", "minutes_factor"]].copy()
    d["minutes_factor"] = d.minutes_factor.round(3)
    d["one"] = 1.0
    d["_g"] = d.staff_group.map({g: i for i, g in enumerate(STAFF_GROUPS)})
    order = list(d.sort_values(["_g", "minutes_factor"]).label)
    d = d.drop(columns="_g")
    bars = (
        alt.Chart(d)
        .mark_bar()
        .encode(
            x=alt.X(
                "minutes_factor:Q",
                scale=alt.Scale(type="log", domain=[0.25, 8]),
                title="Minutes factor national calibration needed (log scale; 1 = bundled minutes as cited)",
            ),
            x2="one:Q",
            y=alt.Y("label:N", sort=order, title=None),
            color=alt.Color(
                "staff_group:N",
                scale=alt.Scale(domain=list(GROUP_COLOURS), range=list(GROUP_COLOURS.values())),
                title="Staff group",
            ),
        )
    )
    one = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(strokeDash=[4, 3]).encode(x="x:Q")
    return alt.layer(bars, one).properties(
        width=520,
        height=420,
        title="How far the bundled minutes were from what today's staff deliver, England, 2025",
    )


def chart_categories(b: Backtest):
    """England: national appointment categories against the model, GP and other staff."""
    import altair as alt  # noqa: PLC0415

    c = b.categories
    c = c[(c.modelled_gp + c.modelled_other) > 0]
    rows = []
    for s, w in (("gp", "GP"), ("other", "Other staff")):
        for what in ("actual", "modelled"):
            rows.append(
                pd.DataFrame(
                    {
                        "category": c.category.str.replace("_", " "),
                        "staff": w,
                        "source": "Actual (Nov 2025 x 12 / seasonal factor)"
                        if what == "actual"
                        else "Modelled, base year 2025",
                        "millions": (c[f"{what}_{s}"] / 1e6).round(3),
                    }
                )
            )
    d = pd.concat(rows, ignore_index=True)
    return (
        alt.Chart(d)
        .mark_bar()
        .encode(
            x=alt.X("millions:Q", title="Appointments a year, millions"),
            y=alt.Y("source:N", title=None, axis=None),
            row=alt.Row(
                "category:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")
            ),
            column=alt.Column("staff:N", title=None),
            color=alt.Color(
                "source:N",
                scale=alt.Scale(range=["#7f7f7f", "#1f77b4"]),
                title=None,
                legend=alt.Legend(orient="bottom", labelLimit=400),
            ),
        )
        .properties(width=260, height=28)
        .properties(title="National appointment categories against the model, England, 2025")
    )


CHARTS = {
    "backtest-appointments.png": chart_appointments,
    "backtest-fte.png": chart_fte,
    "backtest-minutes-factor.png": chart_minutes_factor,
    "backtest-categories.png": chart_categories,
}


def render(b: Backtest) -> str:
    """The markdown of ``docs/backtest.md``."""
    a = b.appointment_stats.set_index(["level", "staff"])
    f = b.fte_stats.set_index(["level", "staff_group"])
    pa, pp = b.appointments["practice"], b.appointments["pcn"]
    n_all = int(pa.november.sum())
    L: list[str] = [
        "# Back-test: the model against England's appointments and staff, 2025",
        "",
        "Does the model, on the bundled data, describe what England's practices do and who",
        "does it? Four tests, all on the base year 2025 with today's who-does-what. This page is",
        "written by `python -m wfkit.backtest --write docs/` (`make backtest-docs`) and",
        "`tests/integration/test_england_backtest.py` fails if its figures drift from a fresh",
        "computation or from the publishers' totals.",
        "",
        "## 1. Appointments: is the demand model right area by area?",
        "",
        "For every practice and every network, the model's base-year appointments (modelled",
        "contacts x `appointment_weight` for the clinical activities of",
        "`data/assumptions/appointment_map.csv`, GP and other staff split by today's",
        "who-does-what) against the area's own November 2025 appointments made annual with its",
        "seasonal factor (`November x 12 / factor`; appointments by unknown staff shared",
        "pro rata). The model runs under `calibration: national`, which scales minutes only and",
        "never demand, so this is a test of the demand model: each area's December 2025 age",
        "bands, its recorded QOF 2024/25 prevalence and the bundled national contact rates.",
        f"England's {_n(n_all)} November 2025 appointments make {_n(pa.actual_all.sum() / 1e6, 1)}",
        "million a year. Per patient: actual appointments over the appointments file's list, modelled",
        "over the December 2025 list.",
        f"Practices with a list under {_n(MIN_LIST)} or no November appointments are left out",
        f"({_n(len(pa) - pa.included.sum())} of {_n(len(pa))} practices, "
        f"{_n(len(pp) - pp.included.sum())} of {_n(len(pp))} networks).",
        "",
    ]
    rows = []
    for lv in ("practice", "pcn"):
        for s in _STAFF:
            x = a.loc[(lv, s)]
            rows.append(
                [
                    _LEVEL_WORDS[lv],
                    _STAFF_WORDS[s],
                    _n(x.areas),
                    f"{x.pearson_r:.2f}",
                    f"{x['median']:.2f}",
                    f"{x.p10:.2f}",
                    f"{x.p90:.2f}",
                    f"{x.modelled_pp:.2f}",
                    f"{x.actual_pp:.2f}",
                ]
            )
    L += _table(
        "appointments",
        [
            "areas",
            "staff",
            "number",
            "Pearson r, per patient",
            "median modelled / actual",
            "P10",
            "P90",
            "modelled per patient a year",
            "actual per patient a year",
        ],
        rows,
    )
    r_now = a.loc[("pcn", "all"), "pearson_r"]
    inc = pp[pp.included]
    cv_a = float(inc.actual_all_pp.std() / inc.actual_all_pp.mean())
    cv_m = float(inc.modelled_all_pp.std() / inc.modelled_all_pp.mean())
    L += [
        f"Across networks the correlation of appointments per patient is now **r = {r_now:.2f}**",
        "for all staff (an earlier version of the model, with national contact rates and ICB age",
        f"profiles, had r = {EARLIER_R:.2f}); {a.loc[('pcn', 'gp'), 'pearson_r']:.2f} for GP and "
        f"{a.loc[('pcn', 'other'), 'pearson_r']:.2f} for other staff appointments.",
        f"England as a whole: the model gives {a.loc[('pcn', 'all'), 'modelled_pp']:.2f} "
        f"appointments per patient a year against {a.loc[('pcn', 'all'), 'actual_pp']:.2f}; it "
        f"gives GPs {a.loc[('pcn', 'gp'), 'modelled_pp']:.2f} against "
        f"{a.loc[('pcn', 'gp'), 'actual_pp']:.2f} and other staff "
        f"{a.loc[('pcn', 'other'), 'modelled_pp']:.2f} against "
        f"{a.loc[('pcn', 'other'), 'actual_pp']:.2f}: today's who-does-what gives GPs more of",
        "the work than practices book with GPs. Across networks actual appointments per patient",
        f"vary {cv_a:.0%} about their mean (coefficient of variation), the model's {cv_m:.0%}: most",
        "of what differs between areas is not their age or recorded prevalence but how much a",
        "practice books (access and triage models, continuity, deprivation, unrecorded need).",
        "Local calibration (`calibration: local`) sets each area's demand to its own appointments.",
        "",
        "![Modelled against actual appointments per patient, each network](img/backtest-appointments.png)",
        "",
        "## 2. Staff in post against FTE required, by staff group",
        "",
        "Base-year required FTE against staff in post (capacity FTE: practice staff 2024/25, network",
        "staff November 2025, GP registrars at half a qualified GP) for each practice and network,",
        "by the staff groups of `data/assumptions/roles.csv`, under national calibration: England",
        "is staffed at its own level by construction (ratio 1 overall), so the spread is how far",
        "each area's staff differ from what its list, age and recorded prevalence would give at",
        "England's level. Network staff are shared between a network's practices by list size.",
        "",
    ]
    rows = []
    for lv in ("practice", "pcn"):
        for g in STAFF_GROUPS:
            x = f.loc[(lv, g)]
            rows.append(
                [
                    _LEVEL_WORDS[lv],
                    g,
                    _n(x.areas),
                    f"{x['median']:.2f}",
                    f"{x.p10:.2f}",
                    f"{x.p90:.2f}",
                    _n(x.no_staff),
                ]
            )
    L += _table(
        "fte",
        [
            "areas",
            "staff group",
            "number",
            "median in post / required",
            "P10",
            "P90",
            "areas with none in post",
        ],
        rows,
    )
    L += [
        "Practices spread wider than networks: network staff (pharmacists, paramedics, social",
        "prescribers) are shared by list size, and a practice's own nurses or GPs may work for",
        "its neighbours. An area well below 1 is short of staff for its need at England's level,",
        "or delivers the work with another group.",
        "",
        "![Staff in post against FTE required by staff group, each network](img/backtest-fte.png)",
        "",
        "## 3. England, role by role: the bundled assumptions as they are",
        "",
        "Required FTE under `calibration: none` (bundled contact rates, minutes and allowances as",
        "cited) against capacity FTE in post, and the minutes factor `calibration: national`",
        "needed for each role (under national calibration required equals in post by",
        "construction: the factor is how far the bundled minutes and contacts were from what",
        "today's staff deliver).",
        "",
    ]
    rows = [
        [
            r.label,
            r.staff_group,
            _n(r.in_post_fte),
            _n(r.required_none),
            f"{r.ratio_none:.2f}",
            f"{r.minutes_factor:.2f}",
            r.explanation,
        ]
        for r in b.national.sort_values(["staff_group", "role"]).itertuples()
    ]
    L += _table(
        "national_roles",
        [
            "role",
            "staff group",
            "in post, capacity FTE",
            "required, calibration none",
            "in post / required",
            "minutes factor (national)",
            "why",
        ],
        rows,
    )
    rows = [
        [
            r.staff_group,
            _n(r.in_post_fte),
            _n(r.required_none),
            f"{r.ratio_none:.2f}",
            _n(r.required_national),
        ]
        for r in b.national_groups.itertuples()
    ]
    L += _table(
        "national_groups",
        [
            "staff group",
            "in post, capacity FTE",
            "required, calibration none",
            "in post / required",
            "required, calibration national (sum over practices)",
        ],
        rows,
    )
    L += [
        "![Minutes factor national calibration needed, by role](img/backtest-minutes-factor.png)",
        "",
        "### From the publishers' totals to the model's staff in post",
        "",
        "Every FTE the publishers count is either in the model's supply or accounted for here",
        "(practice staff: NHS Digital *General Practice Workforce*, 2024/25 mean; network staff:",
        "*Primary Care Network Workforce*, November 2025).",
        "",
    ]
    words = {
        "gp": "GPs (incl. locums and registrars)",
        "nurse": "Nurses",
        "dpc": "Direct patient care",
        "admin": "Admin and non-clinical",
        "all": "All network staff",
    }
    rows = [
        [
            r.source,
            words.get(r.staff_group, r.staff_group),
            _n(r.published),
            _n(r.unplaced),
            _n(r.not_modelled),
            _n(r.modelled - r.capacity),
            _n(r.capacity),
        ]
        for r in b.supply.itertuples()
    ]
    s = b.supply
    L += _table(
        "supply",
        [
            "source",
            "staff group",
            "published FTE",
            "practices closed or merged since (unplaced)",
            "in post, not modelled",
            "registrars' capacity below a qualified GP",
            "model's staff in post, capacity FTE",
        ],
        rows,
    )
    L += [
        "What the residuals rest on:",
        "",
        f"- **Registrars at half capacity.** {_n(s.modelled.iloc[0] - s.capacity.iloc[0])} GP FTE",
        "  of practice registrars do not count as qualified GP capacity (`staff_roles.csv`,",
        "  capacity factor 0.5, range 0.4-0.7).",
        f"- **Practices closed since.** {_n(s.unplaced.sum())} FTE of practices with no December",
        "  2025 code (closed or merged into another practice) are in the published total only.",
        f"- **Staff in post not modelled.** {_n(s.not_modelled.sum())} FTE (dispensers, podiatrists,",
        "  talking-therapies therapists, apprentices, estates, network directors) do work no",
        "  activity of the model describes; they are listed in every run's reconciliation.",
        "- **Network staff not placed.** "
        + (
            "none: every network's staff fall in a region."
            if s.unplaced.iloc[-1] < 0.5
            else f"{_n(s.unplaced.iloc[-1])} FTE of networks in no region."
        ),
        "- **Roles whose work the model under-describes** need a minutes factor well above 1",
        "  (the table: today's staff deliver more than the bundled activities give them);",
        "  a factor below 1 means the bundled rates or minutes give the role more work than",
        "  its staff deliver, or work that other roles do in practice.",
        "",
        "## 4. National appointment categories against the model",
        "",
        "England's November 2025 appointments by national category (NHS England, *Appointments in",
        "General Practice*) made annual with England's seasonal factor, against the model's",
        "base-year appointments mapped to those categories (`appointment_map.national_category`),",
        "by GP and other staff (other includes unknown staff). Millions of appointments a year.",
        "",
    ]
    rows = [
        [
            r.category,
            f"{r.actual_gp / 1e6:.2f}",
            f"{r.modelled_gp / 1e6:.2f}",
            f"{r.actual_other / 1e6:.2f}",
            f"{r.modelled_other / 1e6:.2f}",
            r.activities or "none",
        ]
        for r in b.categories.itertuples()
    ]
    L += _table(
        "categories",
        [
            "national category",
            "GP, actual",
            "GP, modelled",
            "other staff, actual",
            "other staff, modelled",
            "model activities",
        ],
        rows,
    )
    c = b.categories.set_index("category")
    unm = c[c.activities == ""]
    mp = c[c.activities != ""]
    aliased = [k for k, v in _CATEGORY_ALIASES.items() if v in set(c.index)]
    L += [
        f"In the mapped categories together the model gives {mp.modelled_gp.sum() / 1e6:.1f} "
        f"million GP appointments a year against {mp.actual_gp.sum() / 1e6:.1f} million booked, and "
        f"{mp.modelled_other.sum() / 1e6:.1f} million other-staff appointments against "
        f"{mp.actual_other.sum() / 1e6:.1f} million.",
        f"{(unm.actual_gp + unm.actual_other).sum() / 1e6:.1f} million appointments a year fall in",
        "categories no activity maps to (triage, inconsistent or unmapped, unplanned, care-home",
        "rounds and visits, external organisations, group consultations, walk-in): the model's",
        "same-day and routine activities carry that demand under other names, so categories are",
        "best compared in total, and the split between acute, routine and triage is not a test",
        "of the model.",
        "",
        *(
            [
                "The appointment map's category "
                + ", ".join(f"`{k}`" for k in aliased)
                + " is spelled "
                + ", ".join(f"`{_CATEGORY_ALIASES[k]}`" for k in aliased)
                + " in the national table; the back-test reads it so.",
                "",
            ]
            if aliased
            else []
        ),
        "![National appointment categories against the model](img/backtest-categories.png)",
        "",
        "Activities the categories cannot inform:",
        "",
    ]
    L += _table(
        "uninformed",
        ["activity", "why"],
        [[r.activity, r.why] for r in b.uninformed.itertuples()],
    )
    if b.notes:
        L += ["Notes of the national calibration:", ""] + [f"- {n}" for n in b.notes] + [""]
    return "\n".join(L)


def write(folder: str | Path = "docs") -> list[Path]:
    """Write ``backtest.md`` and its charts (``img/backtest-*.png``) into ``folder``."""
    import altair as alt  # noqa: PLC0415
    import vl_convert as vlc  # noqa: PLC0415

    folder = Path(folder)
    (folder / "img").mkdir(parents=True, exist_ok=True)
    b = compute()
    written = []
    with alt.data_transformers.enable("default", max_rows=None):
        for name, make in CHARTS.items():
            p = folder / "img" / name
            p.write_bytes(vlc.vegalite_to_png(make(b).to_json(), scale=1.5))
            written.append(p)
    md = folder / "backtest.md"
    md.write_text(render(b))
    return [md, *written]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m wfkit.backtest", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--write", metavar="FOLDER", help="write backtest.md and img/*.png there")
    args = ap.parse_args(argv)
    if args.write:
        for p in write(args.write):
            print(p)
    else:
        print(render(compute()))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
