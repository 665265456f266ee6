"""Use cases: scenario mappings built from a notebook's parameters, run on the bundled data.

Each use case (getting started, type 2 diabetes, same-day access, nursing services,
integrated care) is a scenario: a baseline (today's who-does-what) and one or more
variants (a future model, a shift of work between roles, a person-centred care model).
:func:`build` turns plain parameters (area, level, base year, horizon, growth, skill-mix
shift, minutes per contact, draws, seed) into a :class:`UseCase` holding an ordinary
scenario mapping (the same format as a YAML scenario file, see
``wfkit/schemas/scenario.schema.json``) and the activities it models;
:meth:`UseCase.run` runs it with :func:`wfkit.scenario.run_scenario`.

The helpers below turn a :class:`~wfkit.scenario.ScenarioRun` into small tidy frames
for tables and charts (totals over areas, computed draw by draw so the P10-P90 band
stays right), the queueing view of same-day access and the double counting that a
whole-person model of frailty removes.

>>> uc = build("type2_diabetes", {"area": "U78517", "level": "pcn", "draws": 50})
>>> run = uc.run()
>>> headline(run)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import tables as T
from .errors import InputError
from .scenario import REQUIRED_TABLES, VALIDATED, ScenarioRun, run_scenario
from .uncertainty import summarise_draws
from .validation import validate_table

__all__ = [
    "USE_CASES",
    "DEFAULTS",
    "WEEKDAY_WEIGHTS",
    "SESSION_WEIGHTS",
    "UseCase",
    "activities_for",
    "resolve_area",
    "bundled_loader",
    "build",
    "rerun",
    "totals",
    "results_frame",
    "headline",
    "fte_by_role",
    "who_does_what",
    "cohort_frame",
    "base_year",
    "base_year_note",
    "cohort_size",
    "per_person",
    "same_day_demand_check",
    "same_day_queueing",
    "pathway_overlap",
    "training_summary",
]

#: use cases and what each models; ``all`` models every bundled activity
USE_CASES: dict[str, str] = {
    "all": "every bundled activity (getting started)",
    "type2_diabetes": "type 2 diabetes care processes and reviews",
    "same_day": "same-day access: minor illness, urgent, first-contact MSK, acute home visits",
    "nursing": "practice and community nursing: reviews, immunisation, wound care, cytology, visits",
    "frailty": "frailty and multimorbidity, with the single-condition reviews it replaces",
}

#: the parameters every use case understands, with their defaults
DEFAULTS: dict[str, Any] = {
    "area": "U06180",  # wfkit.data.DEFAULT_AREA: North Southwark PCN (South East London)
    "level": "pcn",
    "base_year": 2025,
    "horizon": 10,
    "growth_rate": 0.0,
    "transition_years": 5,
    "shift_fraction": 0.0,
    "minutes_change": 0.0,
    "draws": 200,
    "seed": 42,
    "calibration": "national",
}

#: notebook parameters that are not the model's (accepted and ignored by :func:`build`)
NOTEBOOK_ONLY = ("output_dir", "target_level", "session_hours", "target_wait_hours")

#: parameters specific to some use cases (default values)
EXTRA: dict[str, dict[str, Any]] = {
    "type2_diabetes": {"nurse_part": 0.5},
    "same_day": {
        "pharmacist_part": 0.4,
        "paramedic_part": 0.3,
        "physician_associate_part": 0.3,
        "pharmacist_minutes": 20.0,
        "paramedic_minutes": 20.0,
        "physician_associate_minutes": 15.0,
    },
    "nursing": {"associate_part": 0.5, "supervision_hours": 1.5, "training_days": 5.0},
    "frailty": {"frailty_overlap": 1.5, "future_skill_mix": False},
    "all": {},
}

#: same-day requests by weekday (Mondays busiest) -- wfkit judgement from practice reports
WEEKDAY_WEIGHTS = {
    "Monday": 0.24,
    "Tuesday": 0.20,
    "Wednesday": 0.19,
    "Thursday": 0.19,
    "Friday": 0.18,
}
#: same-day requests by session (mornings busier) -- wfkit judgement
SESSION_WEIGHTS = {"morning": 0.6, "afternoon": 0.4}

_REPLACED_BY = "frailty_holistic_review"


# ----------------------------------------------------------------------------------------
# areas and bundled tables
# ----------------------------------------------------------------------------------------
def activities_for(use_case: str) -> list[str]:
    """Activity ids a use case models (from ``data/assumptions/activity_use_cases.csv``).

    ``frailty`` includes the single-condition reviews the whole-person review replaces.
    """
    from . import data as wd

    if use_case not in USE_CASES:
        raise InputError(
            f"unknown use case {use_case!r}; expected one of {list(USE_CASES)}",
            column="use_case",
        )
    uc = wd.load("activity_use_cases")
    if use_case == "all":
        return sorted(uc["activity"])
    keep = uc["use_case"].eq(use_case)
    if use_case == "frailty":
        keep |= uc["replaced_by"].eq(_REPLACED_BY)
    return sorted(uc.loc[keep, "activity"])


def resolve_area(area: str, level: str = "pcn") -> pd.DataFrame:
    """The area(s) a code or name stands for at ``level``: ``area, area_name, patients, ...``.

    Raises
    ------
    InputError
        If nothing matches; the message lists close matches.
    """
    from . import data as wd

    return _resolved(str(area), str(level), str(wd.data_dir())).copy()


@functools.lru_cache(maxsize=64)
def _resolved(area: str, level: str, folder: str) -> pd.DataFrame:
    from . import data as wd

    try:
        return wd.select_areas(code=area, level=level)
    except InputError:
        return wd.select_areas(name=area, level=level)


@functools.lru_cache(maxsize=64)
def _bundled_table(
    name: str,
    areas: tuple[str, ...],
    level: str,
    base_year: int,
    years: tuple[int, ...],
) -> pd.DataFrame:
    from .scenario import _default_bundled

    context = {
        "areas": list(areas),
        "level": level,
        "base_year": base_year,
        "years": list(years),
    }
    df = _default_bundled(name, context)
    # checked once here, not again by every run that reuses it (copies keep attrs)
    df = validate_table(df, T.SPECS[name], source=f"bundled:{name}")
    df.attrs[VALIDATED] = name
    return df


def bundled_loader() -> Callable[[str, dict[str, Any]], pd.DataFrame]:
    """A loader of bundled tables for :func:`wfkit.scenario.run_scenario`: the default one,
    cached (so sliders rerun fast).  Staff in post come from the one supply definition,
    :func:`wfkit.data.supply`, as in every run."""

    def load(name: str, context: dict[str, Any]) -> pd.DataFrame:
        # only growth depends on the years: other tables are shared by runs of any horizon
        # (the attribution run and the use case's own run, say)
        timed = name == "growth"
        df = _bundled_table(
            name,
            tuple(context["areas"]),
            str(context["level"]),
            int(context["base_year"]) if timed else 0,
            tuple(int(y) for y in context["years"]) if timed else (),
        )
        return df.copy()

    return load


# ----------------------------------------------------------------------------------------
# building scenarios
# ----------------------------------------------------------------------------------------
@dataclass
class UseCase:
    """A use case ready to run: a scenario mapping and the activities it models.

    Attributes
    ----------
    use_case
        One of :data:`USE_CASES`.
    params
        The parameters it was built from (defaults filled in).
    mapping
        A scenario mapping (the YAML format), with the baseline and its variants.
    activities
        The activity ids modelled.
    """

    use_case: str
    params: dict[str, Any]
    mapping: dict[str, Any]
    activities: list[str]
    area_names: dict[str, str] = field(default_factory=dict)
    _run: ScenarioRun | None = field(default=None, init=False, repr=False, compare=False)

    def run(self) -> ScenarioRun:
        """Run the baseline and every variant on the bundled data (once: the run is seeded,
        so the same use case gives the same results, and later calls reuse it)."""
        if self._run is None:
            self._run = run_scenario(self.mapping, bundled=bundled_loader())
        return self._run


def _known_params(use_case: str) -> dict[str, Any]:
    return {**DEFAULTS, **EXTRA[use_case]}


def _check(params: Mapping[str, Any], use_case: str) -> dict[str, Any]:
    known = _known_params(use_case)
    unknown = sorted(set(params) - set(known) - set(NOTEBOOK_ONLY))
    if unknown:
        raise InputError(
            f"unknown parameter(s) {unknown} for use case {use_case!r}; "
            f"expected some of {sorted(known)}",
            column="params",
        )
    out = {**known, **{k: v for k, v in params.items() if k not in NOTEBOOK_ONLY}}
    for k in ("shift_fraction",) + tuple(k for k in out if k.endswith("_part")):
        if not 0.0 <= float(out[k]) <= 1.0:
            raise InputError(f"{k} = {out[k]!r}; expected a fraction in [0, 1]", column=k)
    if not -0.9 < float(out["minutes_change"]) <= 3.0:
        raise InputError(
            f"minutes_change = {out['minutes_change']!r}; expected a relative change in (-0.9, 3]",
            column="minutes_change",
        )
    return out


def _tables(activities: list[str]) -> dict[str, pd.DataFrame]:
    from . import data as wd

    return {
        n: wd.load(n).loc[lambda d: d["activity"].isin(activities)]
        for n in ("skill_mix", "minutes")
    }


def _shifts(
    skill_mix: pd.DataFrame,
    minutes: pd.DataFrame,
    activities: list[str],
    from_role: str,
    to: Mapping[str, float],
    fraction: float,
    to_minutes: Mapping[str, float] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Shift rows (and minutes rows) for each activity whose future model gives
    ``from_role`` a share.  Work moves only to receiving roles that the bundled minutes
    table lists for the activity (roles that do it somewhere today); ``to_minutes`` sets
    their minutes per contact."""
    to = {r: float(p) for r, p in to.items() if float(p) > 0}
    if fraction <= 0 or not to:
        return [], []
    shifts, mins = [], []
    fut = skill_mix.set_index(["activity", "role"])["future"]
    mn = minutes.set_index(["activity", "role"])["value"]
    for act in activities:
        if fut.get((act, from_role), 0.0) <= 0:
            continue
        ok = {r: p for r, p in to.items() if (act, r) in mn.index}
        total = sum(ok.values())
        if total <= 0:
            continue
        ok = {r: round(p / total, 12) for r, p in ok.items()}
        shifts.append({"activity": act, "from": from_role, "to": ok, "fraction": fraction})
        for r in ok:
            given = (to_minutes or {}).get(r)
            if given is not None:
                mins.append({"activity": act, "role": r, "value": float(given)})
    return shifts, mins


def _scaled_minutes(
    minutes: pd.DataFrame, activities: list[str], change: float
) -> list[dict[str, Any]]:
    if change == 0:
        return []
    rows = []
    for row in minutes[minutes["activity"].isin(activities)].itertuples(index=False):
        val: Any = round(float(row.value) * (1 + change), 6)
        if pd.notna(row.lo) and pd.notna(row.hi):
            val = [round(float(row.lo) * (1 + change), 6), round(float(row.hi) * (1 + change), 6)]
        rows.append({"activity": row.activity, "role": row.role, "value": val})
    return rows


def _merge_minutes(*groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Later rows win for the same (activity, role)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for g in groups:
        for r in g:
            out[(r["activity"], r["role"])] = r
    return list(out.values())


def _frailty_contacts(activities: list[str], overlap: float) -> list[dict[str, Any]]:
    """Contacts rows for the whole-person model: single-condition reviews of frail people
    are replaced by the holistic review, so each replaced review keeps only the share of
    its cohort that is not frail (``1 - overlap x frailty prevalence`` in each age band)."""
    from . import data as wd

    uc = wd.load("activity_use_cases")
    replaced = sorted(uc.loc[uc["replaced_by"].eq(_REPLACED_BY), "activity"])
    pv = wd.load("prevalence")
    frail = pv[pv["activity"] == _REPLACED_BY].set_index("age_band")["value"]
    ct = wd.load("contacts")
    rows = []
    for r in ct[ct["activity"].isin(replaced) & ct["activity"].isin(activities)].itertuples(
        index=False
    ):
        share = float(frail.get(r.age_band, 0.0)) * overlap
        keep = max(0.0, 1.0 - share)
        if keep >= 1.0:
            continue
        val: Any = round(float(r.value) * keep, 6)
        if pd.notna(r.lo) and pd.notna(r.hi):
            val = [round(float(r.lo) * keep, 6), round(float(r.hi) * keep, 6)]
        rows.append({"activity": r.activity, "age_band": r.age_band, "value": val})
    return rows


def build(use_case: str, params: Mapping[str, Any] | None = None) -> UseCase:
    """Build a use case's scenario from parameters.

    Parameters
    ----------
    use_case
        One of :data:`USE_CASES`.
    params
        Any of :data:`DEFAULTS` and the use case's own parameters (:data:`EXTRA`);
        ``output_dir`` is accepted and ignored.  Missing ones take their defaults.

    Common parameters: ``area`` (code or name at ``level``), ``level`` (``practice``,
    ``pcn``, ``sub_icb``, ``icb`` or ``region``), ``base_year``, ``horizon`` (years ahead),
    ``growth_rate`` (annual growth on top of the ONS projection), ``transition_years``
    (years to move to the future model), ``shift_fraction`` (fraction of a role's
    future share moved to other roles), ``minutes_change`` (relative change of minutes
    per contact in the future model, e.g. -0.1), ``draws``, ``seed``.

    Returns
    -------
    UseCase
        With variants: ``all``: ``future_model``; ``type2_diabetes``: ``future_model``
        (the future who-does-what, then ``shift_fraction`` of the GP's share of care
        processes and reviews to practice nurses and HCAs, ``nurse_part`` to nurses);
        ``same_day``: ``future_model`` (then ``shift_fraction`` of the GP's share to
        pharmacists, paramedics and physician associates, each with its own minutes);
        ``nursing``: ``future_model`` (then ``shift_fraction`` of the practice nurse's
        share to nursing associates and HCAs, ``associate_part`` to nursing associates,
        with ``supervision_hours`` a week per practice nurse and ``training_days`` a year
        for each nursing associate and HCA); ``frailty``: the baseline is the sum of
        single-condition pathways, ``whole_person`` replaces frail people's
        single-condition reviews by one holistic review.
    """
    p = _check(params or {}, use_case)
    level = str(p["level"])
    found = resolve_area(str(p["area"]), level)
    areas = sorted(found["area"])
    activities = activities_for(use_case)
    tabs = _tables(activities)
    base = {
        "name": f"{use_case}: {', '.join(found['area_name'].head(3))}"
        + (" ..." if len(found) > 3 else ""),
        "description": USE_CASES[use_case],
        "base_year": int(p["base_year"]),
        "horizon": int(p["horizon"]),
        "draws": int(p["draws"]),
        "seed": int(p["seed"]),
        "areas": areas,
        "level": level,
        "activities": activities,
        "growth_rate": float(p["growth_rate"]),
        "calibration": str(p["calibration"]),
        "inputs": {t: "bundled" for t in (*REQUIRED_TABLES, "growth")},
        "skill_mix": {"model": "current"},
    }
    # in-post FTE of a use case: attributed by its share of each role's workload today

    future_sm: dict[str, Any] = {
        "model": "future",
        "transition_start": int(p["base_year"]) + 1,
        "transition_years": int(p["transition_years"]),
    }
    frac = float(p["shift_fraction"])
    shifts: list[dict[str, Any]] = []
    mins: list[dict[str, Any]] = []
    overrides: dict[str, list[dict[str, Any]]] = {}
    if use_case == "type2_diabetes":
        nurse = float(p["nurse_part"])
        shifts, mins = _shifts(
            tabs["skill_mix"],
            tabs["minutes"],
            activities,
            "gp",
            {"practice_nurse": nurse, "hca": 1 - nurse},
            frac,
        )
    elif use_case == "same_day":
        parts = {
            r: float(p[f"{r}_part"]) for r in ("pharmacist", "paramedic", "physician_associate")
        }
        to_min = {r: float(p[f"{r}_minutes"]) for r in parts}
        shifts, mins = _shifts(
            tabs["skill_mix"], tabs["minutes"], activities, "gp", parts, frac, to_min
        )
    elif use_case == "nursing":
        na = float(p["associate_part"])
        shifts, mins = _shifts(
            tabs["skill_mix"],
            tabs["minutes"],
            activities,
            "practice_nurse",
            {"nursing_associate": na, "hca": 1 - na},
            frac,
        )
        overrides["capacity"] = _nursing_capacity(
            float(p["supervision_hours"]), float(p["training_days"])
        )
    future: dict[str, Any] = {"name": "future_model", "skill_mix": {**future_sm}}
    if shifts:
        future["skill_mix"]["shifts"] = shifts
    if use_case == "frailty":
        future = {
            "name": "whole_person",
            "description": "single-condition reviews of frail people replaced by one holistic review",
            "overrides": {"contacts": _frailty_contacts(activities, float(p["frailty_overlap"]))},
        }
        if p["future_skill_mix"]:
            future["skill_mix"] = {**future_sm}
            base["skill_mix"] = {**future_sm}
        base["name"] = base["name"].replace("frailty:", "frailty (sum of pathways):")
    minute_rows = _merge_minutes(
        _scaled_minutes(tabs["minutes"], activities, float(p["minutes_change"])), mins
    )
    if minute_rows:
        overrides["minutes"] = minute_rows
    if overrides:
        future["overrides"] = {**future.get("overrides", {}), **overrides}
    base["variants"] = [future]
    if use_case != "all":
        base["overrides"] = {
            "supply": _attributed_supply(
                tuple(areas), level, int(p["base_year"]), tuple(activities), str(p["calibration"])
            )
        }
    names = dict(zip(found["area"], found["area_name"], strict=True))
    return UseCase(use_case, p, base, activities, names)


@functools.lru_cache(maxsize=32)
def _attributed_supply(
    areas: tuple[str, ...],
    level: str,
    base_year: int,
    activities: tuple[str, ...],
    calibration: str = "national",
) -> list[dict[str, Any]]:
    """FTE in post attributed to a use case: each role's staff in post times the use case's
    share of that role's base-year workload over every bundled activity (today's model).
    Without it a single use case would be compared with every member of staff."""
    mapping = {
        "name": "all activities, for attribution",
        "base_year": base_year,
        "horizon": 1,
        "areas": list(areas),
        "level": level,
        "inputs": {t: "bundled" for t in REQUIRED_TABLES},
        "calibration": calibration,
    }
    run = run_scenario(mapping, bundled=bundled_loader(), draws=0, seed=0)
    r = run.results["baseline"]
    w = r.workload_by_activity()
    w = w[w["year"] == base_year]
    mine = w[w["activity"].isin(activities)].groupby(["area", "role"])["hours"].sum()
    every = w.groupby(["area", "role"])["hours"].sum()
    share = (mine / every).fillna(0.0)
    rows = []
    for a, area in enumerate(r.areas):
        for k, role in enumerate(r.roles):
            fte = float(r.supply_fte[0, a, 0, k])
            part = float(share.get((area, role), 0.0))
            rows.append({"area": area, "role": role, "fte": round(fte * part, 6)})
    return rows


def _nursing_capacity(supervision_hours: float, training_days: float) -> list[dict[str, Any]]:
    """Capacity rows for the future nursing model: supervision time of practice nurses as
    a non-patient (category) allowance, and extra training days for associates and HCAs."""
    from . import data as wd

    cap = wd.load("capacity").set_index(["role", "parameter"])["value"]
    rows: list[dict[str, Any]] = []
    if supervision_hours > 0:
        hpw = float(cap[("practice_nurse", "hours_per_week")])
        cas = float(cap.get(("practice_nurse", "cas_fraction"), 0.0))
        rows.append(
            {
                "role": "practice_nurse",
                "parameter": "cas_fraction",
                "value": round(min(0.85, cas + supervision_hours / hpw), 6),
            }
        )
    if training_days > 0:
        for role in ("nursing_associate", "hca"):
            days = float(cap.get((role, "training_days"), 0.0))
            rows.append({"role": role, "parameter": "training_days", "value": days + training_days})
    return rows


def rerun(use_case: UseCase | str, params: Mapping[str, Any] | None = None, **changes: Any):
    """Rebuild and rerun a use case with some parameters changed (what the sliders call).

    ``rerun(uc, shift_fraction=0.5)`` or ``rerun("same_day", params, growth_rate=0.01)``.
    """
    if isinstance(use_case, UseCase):
        if all(use_case.params.get(k) == v for k, v in changes.items()):
            return use_case.run()  # nothing changed: the seeded run is the same
        name, base = use_case.use_case, dict(use_case.params)
    else:
        name, base = use_case, dict(params or {})
    base.update(changes)
    return build(name, base).run()


# ----------------------------------------------------------------------------------------
# frames for tables and charts
# ----------------------------------------------------------------------------------------
def totals(run: ScenarioRun) -> dict[str, Any]:
    """Each variant's results summed over areas into one area ``total`` (draw by draw)."""
    out = {}
    for name, r in run.results.items():
        out[name] = r.aggregate({a: "total" for a in r.areas}) if len(r.areas) > 1 else r
    return out


def results_frame(run: ScenarioRun) -> pd.DataFrame:
    """Tidy results of every variant, totalled over areas, with the difference from baseline.

    Columns as :meth:`wfkit.engine.ModelResult.to_frame` (``area`` is the area code, or
    ``total`` when several areas were modelled).
    """
    df = run.derived.get("results_frame")
    if df is None:
        tot = totals(run)
        base = tot["baseline"]
        frames = [r.to_frame(name, baseline=base) for name, r in tot.items()]
        df = pd.concat(frames, ignore_index=True)
        for c in ("area", "role", "scenario", "measure"):
            df[c] = df[c].astype(str)
        run.derived["results_frame"] = df
    return df.copy()


def base_year(run: ScenarioRun, variant: str = "baseline") -> pd.DataFrame:
    """The base year reconciled: FTE required against in post per role (in words) and in
    total, with the main reason for each difference, and the staff in post the model does
    not cover (for a whole-practice run).  The calibration it rests on is in
    ``df.attrs["calibration"]``; see ``docs/calibration.md``."""
    from .charts import role_labels  # noqa: PLC0415

    rec = run.reconciliation(variant)
    labels = {**role_labels(), "all": "All roles"}
    rec.insert(1, "label", [labels.get(r, r) for r in rec["role"]])
    rec.attrs["calibration"] = run.calibration(variant).method
    return rec


def base_year_note(run: ScenarioRun, variant: str = "baseline") -> str:
    """One paragraph for a notebook: the base-year total against in post and what it rests on."""
    rec = run.reconciliation(variant)
    tot = rec[rec["role"] == "all"].iloc[0]
    cal = run.calibration(variant)
    year = int(run.results[variant].years[0])
    text = (
        f"Base year {year}, calibration {cal.method}: {tot.required_fte:,.1f} FTE required "
        f"against {tot.supply_fte:,.1f} in post (gap {tot.gap_fte:+,.1f}). {tot.reason}."
    )
    nm = rec[rec["role"].str.startswith("not modelled")]
    if len(nm):
        text += (
            f" A further {nm.supply_fte.sum():,.1f} FTE are in post in roles the model does "
            "not cover."
        )
    flagged = rec[rec["check"].astype(bool)]
    if len(flagged):
        from .charts import role_labels  # noqa: PLC0415

        labels = role_labels()
        names = ", ".join(labels.get(r, r) for r in flagged["role"])
        text += (
            f" Read with care: {names} (calibration scaled their minutes by more than 2x, "
            "because the activities describe only part of their work)."
        )
    return text


def headline(run: ScenarioRun, year: int | None = None) -> pd.DataFrame:
    """Headline figures by scenario for one year (default the last): population, FTE
    required (the central run, with P10, P50 and P90 over the draws), in post, gap (central
    and P50), cost and cost per 1,000 population.

    ``required_fte`` is the central run (every input at its stated value, which is each
    input's median); ``required_p50`` the median over the draws.  The two differ because
    the requirement adds up many inputs drawn independently from skewed intervals and
    divides by working time (see :mod:`wfkit.uncertainty`)."""
    df = results_frame(run)
    year = int(df["year"].max()) if year is None else int(year)
    d = df[(df["year"] == year) & (df["role"] == "all")]
    wide = d.pivot_table(index="scenario", columns="measure", values="value", sort=False)
    req = d[d["measure"] == "required_fte"].set_index("scenario")
    gap = d[d["measure"] == "gap_fte"].set_index("scenario")
    out = pd.DataFrame(
        {
            "year": year,
            "population": wide["population"],
            "required_fte": wide["required_fte"],
            "required_p10": req["p10"],
            "required_p50": req["p50"],
            "required_p90": req["p90"],
            "in_post_fte": wide["supply_fte"],
            "gap_fte": wide["gap_fte"],
            "gap_p50": gap["p50"],
            "cost_gbp_m": wide["cost_gbp"] / 1e6,
            "cost_per_1000": wide["cost_per_1000"],
        }
    )
    out.index.name = "scenario"
    return out.loc[list(run.results)].reset_index()


def fte_by_role(run: ScenarioRun, year: int | None = None) -> pd.DataFrame:
    """FTE required by role and scenario in one year (default the last), with FTE in post
    and the gap: ``role``, one column per scenario, ``in_post``, ``gap_<scenario>``."""
    df = results_frame(run)
    year = int(df["year"].max()) if year is None else int(year)
    d = df[(df["year"] == year) & (df["role"] != "all")]
    req = d[d["measure"] == "required_fte"].pivot_table(
        index="role", columns="scenario", values="value", sort=False
    )[list(run.results)]
    sup = d[(d["measure"] == "supply_fte") & (d["scenario"] == "baseline")].set_index("role")
    req["in_post"] = sup["value"]
    for s in run.results:
        req[f"gap_{s}"] = req["in_post"] - req[s]
    keep = (req[list(run.results)].abs().sum(axis=1) > 1e-9) | (req["in_post"] > 0)
    req.columns.name = None
    return req[keep].reset_index()


def who_does_what(run: ScenarioRun, variant: str | None = None) -> pd.DataFrame:
    """Share of the workload (hours) by role: today (baseline, base year) against the
    future (``variant``, default the last one, in its final year).

    Columns ``model`` (``today`` / ``future``), ``role``, ``hours``, ``share``.
    """
    variant = list(run.results)[-1] if variant is None else variant
    parts = []
    for label, name, pick in (("today", "baseline", min), ("future", variant, max)):
        w = run.results[name].workload_by_activity()
        w = w[w["year"] == pick(w["year"])]
        g = w.groupby("role", sort=True)["hours"].sum().reset_index()
        g.insert(0, "model", label)
        g["share"] = g["hours"] / g["hours"].sum()
        parts.append(g)
    return pd.concat(parts, ignore_index=True)


def cohort_frame(run: ScenarioRun, variant: str = "baseline") -> pd.DataFrame:
    """Contacts a year by activity and year, totalled over areas draw by draw: ``year,
    activity, contacts`` (central run), ``p10``, ``p50``, ``p90``."""
    r = run.results[variant]
    c, p10, p50, p90 = summarise_draws(r.demand.sum(axis=1))  # each (T, K)
    T, K = c.shape
    return pd.DataFrame(
        {
            "year": np.repeat(np.asarray(r.years, dtype=np.int64), K),
            "activity": np.tile(np.asarray(r.activities, dtype=object), T),
            "contacts": c.ravel(),
            "p10": np.broadcast_to(p10, c.shape).ravel(),
            "p50": np.broadcast_to(p50, c.shape).ravel(),
            "p90": np.broadcast_to(p90, c.shape).ravel(),
        }
    ).sort_values(["year", "activity"], ignore_index=True)


def cohort_size(
    run: ScenarioRun,
    activity: str,
    variant: str = "baseline",
    year: int | None = None,
    by_area: bool = False,
) -> float | pd.Series:
    """People in an activity's cohort in one year (default the base year), central run:
    the engine's cohort ``sum_g P[a,t,g] x prevalence[a,k,g] x trend_k^(t-t0)``, from the
    run's model inputs.

    This is the number of people (for example with type 2 diabetes), not of contacts: an
    activity done twice a person a year (HbA1c) has twice as many contacts as people.

    Returns the total over areas, or with ``by_area`` a Series indexed by area.
    """
    inp = run.inputs[variant]
    if activity not in inp.activities:
        raise InputError(
            f"unknown activity {activity!r}; expected one of {sorted(inp.activities)}",
            column="activity",
        )
    years = np.asarray(inp.years)
    year = int(years[0]) if year is None else int(year)
    if year not in years:
        raise InputError(
            f"year {year} is not modelled; expected {int(years[0])}-{int(years[-1])}",
            column="year",
        )
    t = int(np.flatnonzero(years == year)[0])
    n = float(year - inp.base_year)
    k = list(inp.activities).index(activity)
    rate = float(np.asarray(inp.growth_rate.value, dtype=float))
    pop = np.asarray(inp.population, dtype=float) * (1.0 + rate) ** n  # (A, G)
    if inp.growth is not None:
        pop = pop * inp.growth[:, t, :]
    prev = np.asarray(inp.prevalence.value, dtype=float)[:, k, :]  # (A or 1, G)
    trend = 1.0 if inp.trend is None else float(np.asarray(inp.trend.value)[k]) ** n
    people = (pop * prev).sum(axis=-1) * trend  # (A,)
    if by_area:
        return pd.Series(people, index=pd.Index(list(inp.areas), name="area"), name="people")
    return float(people.sum())


def per_person(
    run: ScenarioRun, reference: str, variant: str = "baseline", year: int | None = None
) -> pd.DataFrame:
    """Contacts a year by activity and the contacts per person of a cohort, where
    ``reference`` is an activity whose cohort is the people concerned (for example
    ``t2d_annual_review``: people with type 2 diabetes).

    Columns ``activity``, ``contacts``, ``per_person`` (contacts over
    :func:`cohort_size` of ``reference``, people not contacts).
    """
    d = cohort_frame(run, variant)
    year = int(d["year"].min()) if year is None else int(year)
    d = d[d["year"] == year].set_index("activity")["contacts"]
    if reference not in d.index:
        raise InputError(
            f"unknown reference activity {reference!r}; expected one of {sorted(d.index)}"
        )
    people = cohort_size(run, reference, variant, year)
    out = pd.DataFrame({"contacts": d, "per_person": d / people})
    out.index.name = "activity"
    return out.reset_index()


def same_day_demand_check(run: ScenarioRun, use_case: UseCase) -> pd.DataFrame:
    """Modelled same-day contacts in the base year beside appointments booked and held the
    same day in the appointments data (April 2025 x 12), by area."""
    from . import data as wd

    r = run.results["baseline"]
    d = r.demand_frame()
    d = d[(d["year"] == r.years[0]) & d["activity"].isin(activities_for("same_day"))]
    model = d.groupby("area")["contacts"].sum().rename("modelled_contacts")
    level = use_case.mapping["level"]
    ap = wd.same_day_share(list(r.areas), level).set_index("area")
    out = pd.DataFrame(
        {
            "modelled_contacts": model,
            "appointments_same_day": ap["same_day"] * 12,
            "share_same_day": ap["share"],
        }
    )
    out["ratio"] = out["modelled_contacts"] / out["appointments_same_day"]
    out.index.name = "area"
    return out.reset_index()


def same_day_queueing(
    run: ScenarioRun,
    target_level: float = 0.9,
    target_wait_hours: float | None = None,
    session_hours: float = 4.0,
    weeks_per_year: float = 50.0,
    weekday_weights: Mapping[str, float] | None = None,
    session_weights: Mapping[str, float] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Average-based FTE against queueing-based (Erlang C) clinicians per session.

    For the baseline in the base year and each scenario in its final year, the same-day
    contacts of the year are spread over a typical week (``weeks_per_year`` working weeks,
    :data:`WEEKDAY_WEIGHTS`, :data:`SESSION_WEIGHTS`) and each session is staffed to see
    ``target_level`` of requests within ``target_wait_hours`` (default: the session),
    with the mean minutes per contact of that scenario's mix of roles.

    Returns
    -------
    (summary, sessions)
        ``summary``: one row per scenario: ``scenario, year, weekly_requests,
        minutes_per_contact, average_hours, queueing_hours, uplift, average_fte,
        queueing_fte``.  ``sessions``: ``scenario, weekday, session, requests, servers,
        offered_load`` (clinicians needed against the average-based number).
    """
    from .queueing import peak_vs_average, session_staffing, weekly_profile

    acts = set(activities_for("same_day"))
    summary, sessions = [], []
    for name, r in run.results.items():
        year = r.years[0] if name == "baseline" else r.years[-1]
        t = int(np.flatnonzero(r.years == year)[0])
        k = [i for i, a in enumerate(r.activities) if a in acts]
        contacts = float(r.demand[0, :, t, k].sum())
        hpc = r.hours_per_contact[0, t][k]  # (K, R) hours per contact
        dem = r.demand[0, :, t][:, k].sum(axis=0)  # (K,)
        hours = float((dem[:, None] * hpc).sum())
        minutes = 60.0 * hours / contacts
        fte = float(
            (dem[:, None] * hpc / r.awt_hours[0] * r.caf[0]).sum()
        )  # average-based FTE for these activities
        prof = weekly_profile(
            contacts / weeks_per_year,
            weekday_weights or WEEKDAY_WEIGHTS,
            session_weights or SESSION_WEIGHTS,
        )
        pva = peak_vs_average(prof, minutes, session_hours, target_wait_hours, target_level)
        st = session_staffing(prof, minutes, session_hours, target_wait_hours, target_level)
        uplift = float(pva["uplift"].iloc[0])
        summary.append(
            {
                "scenario": name,
                "year": int(year),
                "weekly_requests": contacts / weeks_per_year,
                "minutes_per_contact": minutes,
                "average_hours": float(pva["average_hours"].iloc[0]),
                "queueing_hours": float(pva["queueing_hours"].iloc[0]),
                "uplift": uplift,
                "average_fte": fte,
                "queueing_fte": fte * uplift,
            }
        )
        st = st[["weekday", "session", "requests", "servers", "offered_load"]].copy()
        st.insert(0, "scenario", name)
        sessions.append(st)
    return pd.DataFrame(summary), pd.concat(sessions, ignore_index=True)


def pathway_overlap(run: ScenarioRun, variant: str = "whole_person") -> pd.DataFrame:
    """Contacts and workload by activity: sum of single-condition pathways (baseline)
    against the whole-person model, in the final year.

    Columns ``activity``, ``sum_of_pathways_contacts``, ``whole_person_contacts``,
    ``difference_contacts``, ``sum_of_pathways_hours``, ``whole_person_hours``,
    ``difference_hours``; the last row ``total``.
    """
    rows = {}
    for label, name in (("sum_of_pathways", "baseline"), ("whole_person", variant)):
        r = run.results[name]
        w = r.workload_by_activity()
        w = w[w["year"] == r.years[-1]].groupby("activity")["hours"].sum()
        d = r.demand_frame()
        d = d[d["year"] == r.years[-1]].groupby("activity")["contacts"].sum()
        rows[f"{label}_contacts"] = d
        rows[f"{label}_hours"] = w
    df = pd.DataFrame(rows).fillna(0.0)
    df["difference_contacts"] = df["whole_person_contacts"] - df["sum_of_pathways_contacts"]
    df["difference_hours"] = df["whole_person_hours"] - df["sum_of_pathways_hours"]
    df = df[
        [
            "sum_of_pathways_contacts",
            "whole_person_contacts",
            "difference_contacts",
            "sum_of_pathways_hours",
            "whole_person_hours",
            "difference_hours",
        ]
    ]
    df.loc["total"] = df.sum()
    df.index.name = "activity"
    return df.reset_index()


def training_summary(run: ScenarioRun, variant: str | None = None) -> dict[str, pd.DataFrame]:
    """Training needs and the pipeline of new roles for a future model
    (:mod:`wfkit.skills`), totalled over years.

    Returns ``{"needs": ..., "pipeline": ...}``: heads to train by role and competency
    over the horizon, and training places to commission by role.
    """
    from . import skills

    variant = list(run.results)[-1] if variant is None else variant
    tables = skills.load_skills_tables()
    fut = run.results[variant]
    needs = skills.training_needs(
        fut.workload_by_activity(),
        tables,
        baseline=run.results["baseline"].workload_by_activity(),
    )
    rates = skills.role_rates_frame(fut.roles, fut.cost_per_fte[0], fut.awt_hours[0])
    costed = skills.training_cost(needs, tables, rates)
    need_sum = skills.summarise_training(costed)
    need_sum = need_sum[need_sum["to_train_heads"] > 0.005].reset_index(drop=True)
    fr = results_frame(run)
    fr = fr[(fr["scenario"] == variant) & (fr["role"] != "all")]
    req = fr.pivot_table(
        index=["year", "role"], columns="measure", values="value", sort=True
    ).reset_index()[["year", "role", "required_fte", "supply_fte"]]
    req = req[req["role"].isin(skills.ROLES)]
    plan = skills.pipeline_plan(req, tables)
    pipe = plan.groupby("role", sort=True).agg(
        places=("places", "sum"),
        gap_fte_final=("shortfall_fte", "last"),
        cannot_meet=("cannot_meet", "any"),
    )
    pipe = pipe[pipe["places"] > 0.005].reset_index()
    return {"needs": need_sum, "pipeline": pipe, "costed": costed, "plan": plan}
