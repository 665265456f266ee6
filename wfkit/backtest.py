"""Back-test the model against what England's practices did and who they employ.

Four tests on the bundled data, written up in ``docs/backtest.md`` by the docs build
script ``docs/build_backtest.py`` (``make backtest-docs``):

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

:func:`compute` returns every table; the page, its prose and its charts are the build
script's.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import data
from .data.areas import SEASON_MONTHS
from .data.paths import data_dir
from .data.staff import supply_coverage
from .scenario import run_scenario
from .tables import INPUT_TABLES

__all__ = [
    "Backtest",
    "compute",
    "england_gp_backtest",
    "STAFF_GROUPS",
    "STAFF",
    "MIN_LIST",
    "CATEGORY_ALIASES",
]

#: staff groups of ``assumptions/roles.csv``, in the order the page shows them
STAFF_GROUPS = ("GPs", "Nurses", "Other direct patient care", "Admin and non-clinical")
#: a practice enters the per-practice figures if its list (both the appointments file's and
#: the December 2025 list) is at least this large: a handful of practices with lists of a
#: few patients (closing or opening) give ratios of hundreds
MIN_LIST = 1000
#: the appointment map's category names that the national table spells differently
CATEGORY_ALIASES = {
    "care_home_needs_assessment_personalised_care_and_support_planning": (
        "care_home_needs_assessment"
    ),
}
#: the staff types appointments are compared for: every staff type, GPs, other staff
STAFF = ("all", "gp", "other")


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
    return data.load("roles")[["role", "label", "staff_group"]]


# ----------------------------------------------------------------------------------------
# 1. appointments
# ----------------------------------------------------------------------------------------
def _actual_annual(areas: list[str], level: str) -> pd.DataFrame:
    """Make November 2025 appointments annual per area and staff type.

    ``November x 12 / seasonal factor``; appointments by unknown staff are shared between
    GP and other pro rata.
    """
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
    for s in STAFF:
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
        for s in STAFF:
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
    "nursing_associate": "a fifth of the HCA and nursing associate share of clinics, as in "
    "post, and a share of health checks, ECGs, vaccinations and treatment-room work",
    "hca": "phlebotomy, care processes, NHS Health Checks, ECGs, new patient checks, "
    "vaccinations and treatment-room work",
    "phlebotomist": "phlebotomy, pre-check bloods for health checks and monitoring bloods",
    "pharmacist": "structured medication reviews and same-day prescribing work",
    "pharmacy_technician": "medication work alongside pharmacists",
    "physician_associate": "same-day work under GP supervision",
    "paramedic": "home visits, same-day urgent work and clinical triage",
    "physiotherapist": "first-contact MSK only (follow-up and injection clinics are not described)",
    "care_coordinator": "frailty and multimorbidity caseloads, largely by telephone outside "
    "booked appointments",
    "social_prescriber": "frailty sessions and a caseload of people referred (1.3 million "
    "referrals a year)",
    "health_coach": "one-to-one coaching, group lifestyle sessions and a share of diabetes "
    "education",
    "dietitian": "diabetes structured education and group weight-management sessions",
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
    """Compare England's required and in-post FTE per role under national calibration.

    Per role: England's capacity FTE in post, required under none, the minutes factor
    national calibration set, and required under national summed over practices.
    """
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
    """Reconcile the publishers' totals with the model's capacity FTE.

    From the publishers' totals to the model's capacity FTE, by source and staff group:
    published = counted + unplaced; counted = modelled + not modelled; modelled x capacity
    factor = the model's supply.
    """
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
    """Return England's November 2025 share of its year x 12.

    For GP, and for other staff with unknown (the categories table's 'other').
    """
    m = data.load("appointments_monthly")
    m = m[m.month.isin(SEASON_MONTHS)]
    m = m.assign(st=np.where(m.staff_type == "gp", "gp", "other"))
    yr = m.groupby("st").appointments.sum()
    nov = m[m.month == SEASON_MONTHS[-1]].groupby("st").appointments.sum()
    return {k: float(nov[k] / yr[k] * 12) for k in ("gp", "other")}


def _categories(per_act: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    cat = data.load("appointment_categories")
    known = set(cat.category)
    f = _england_factor()
    act = per_act.copy()
    act["category"] = [
        c if (c in known or not isinstance(c, str)) else CATEGORY_ALIASES.get(c, c)
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
            why.append(
                (
                    a.activity,
                    "appointment weight 0: done inside another appointment, or outside booked "
                    "appointments",
                )
            )
        elif not isinstance(c, str) or not c:
            why.append((a.activity, "no national category"))
        elif c not in known and CATEGORY_ALIASES.get(c) not in known:
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
    """Run the back-test on the bundled data.

    Three runs of England, so cached per data folder.
    """
    return _compute(str(data_dir()))


# ----------------------------------------------------------------------------------------
# England's GP figure alone (wfkit re-exports it)
# ----------------------------------------------------------------------------------------
def england_gp_backtest(base_year: int = 2025, workforce_year: str = "2024/25") -> pd.DataFrame:
    """Return required GP FTE for England under ``calibration: none`` beside GP FTE in post.

    Returns
    -------
    pandas.DataFrame
        ``item``, ``value`` and ``note``.
    """
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
