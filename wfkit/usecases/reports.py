"""The frames notebooks show, built from a :class:`~wfkit.scenario.ScenarioRun`.

Totals over areas (computed draw by draw so the P10-P90 band stays right), headline
figures, FTE by role, who does what, cohorts, the base year reconciled, the queueing view of
same-day access, the double counting a whole-person model of frailty removes and training
needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .. import data as wd
from .. import skills
from ..data import role_labels
from ..errors import InputError
from ..frontdoor_flow import FrontDoorScenarios, front_door_scenarios
from ..model.uncertainty import summarise_draws
from ..queueing import peak_vs_average, session_staffing, weekly_profile
from ..scenario import ScenarioRun
from .base import UseCase, activities_for
from .same_day import SESSION_WEIGHTS, WEEKDAY_WEIGHTS, request_profile


def totals(run: ScenarioRun) -> dict[str, Any]:
    """Each variant's results summed over areas into one area ``total`` (draw by draw)."""
    out = {}
    for name, r in run.results.items():
        out[name] = r.aggregate({a: "total" for a in r.areas}) if len(r.areas) > 1 else r
    return out


def results_frame(run: ScenarioRun) -> pd.DataFrame:
    """Tidy results of every variant, totalled over areas, with the difference from baseline.

    Columns as :meth:`wfkit.model.engine.ModelResult.to_frame` (``area`` is the area code, or
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
    """Reconcile the base year: FTE required against in post per role (in words) and in total.

    The frame gives the main reason for each difference, and the staff in post the model
    does not cover (for a whole-practice run).  The calibration it rests on is in
    ``df.attrs["calibration"]``; see ``docs/calibration.md``.
    """
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
        labels = role_labels()
        names = ", ".join(labels.get(r, r) for r in flagged["role"])
        text += (
            f" Read with care: {names} (calibration scaled their minutes outside 0.8-1.25, "
            "because the activities describe only part of their work, or more than it)."
        )
    return text


def headline(run: ScenarioRun, year: int | None = None) -> pd.DataFrame:
    """Return headline figures by scenario for one year (default the last).

    Population, FTE required (the central run, with P10, P50 and P90 over the draws), in
    post, gap (central and P50), cost and cost per 1,000 population.

    ``required_fte`` is the central run (every input at its stated value, which is each
    input's median); ``required_p50`` the median over the draws.  The two differ because
    the requirement adds up many inputs drawn independently from skewed intervals and
    divides by working time (see :mod:`wfkit.model.uncertainty`).
    """
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
    """Return FTE required by role and scenario in one year (default the last).

    With FTE in post and the gap: ``role``, one column per scenario, ``in_post``,
    ``gap_<scenario>``.
    """
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
    """Return the share of the workload (hours) by role, today against the future.

    Today is the baseline in the base year; the future is ``variant`` (default the last
    one) in its final year.

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
    """Return contacts a year by activity and year, totalled over areas draw by draw.

    Columns ``year, activity, contacts`` (central run), ``p10``, ``p50``, ``p90``.
    """
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
    """Count the people in an activity's cohort in one year (default the base year).

    The central run's cohort as the engine computes it,
    ``sum_g P[a,t,g] x prevalence[a,k,g] x trend_k^(t-t0)``, from the run's model inputs.

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
    """Return contacts a year by activity and the contacts per person of a cohort.

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
    """Compare modelled same-day contacts in the base year with appointments, by area.

    The modelled contacts beside appointments booked and held the same day in the
    appointments data (April 2025 x 12).
    """
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
    contacts of the year are spread over a typical week (``weeks_per_year`` working weeks)
    with England's published calls and online requests by weekday and time band
    (:func:`wfkit.usecases.same_day.request_profile`; the judgement weights
    :data:`WEEKDAY_WEIGHTS` and :data:`SESSION_WEIGHTS` only if that table cannot be read,
    or weights given here) and each session is staffed to see
    ``target_level`` of requests within ``target_wait_hours`` (default: the session),
    with the mean minutes per contact of that scenario's mix of roles.

    Returns
    -------
    (summary, sessions)
        ``summary``: one row per scenario: ``scenario, year, weekly_requests,
        minutes_per_contact, average_hours, queueing_hours, uplift, average_fte,
        queueing_fte, profile`` (where the weekday/session profile comes from).
        ``sessions``: ``scenario, weekday, session, requests, servers, offered_load``
        (clinicians needed against the average-based number).
    """
    acts = set(activities_for("same_day"))
    summary, sessions = [], []
    for name, r in run.results.items():
        year = r.years[0] if name == "baseline" else r.years[-1]
        t = int(np.flatnonzero(r.years == year)[0])
        k = [i for i, a in enumerate(r.activities) if a in acts]
        contacts = float(r.demand[0, :, t, k].sum())
        by_role = r.activity_hours()[:, t][:, k].sum(axis=(0, 1))  # (R,) hours a year
        hours = float(by_role.sum())
        minutes = 60.0 * hours / contacts
        fte = float((by_role / r.awt_hours[0] * r.caf[0]).sum())  # average-based FTE
        if weekday_weights is None and session_weights is None:
            prof = request_profile(contacts / weeks_per_year)
            source = str(prof.pop("source").iloc[0])
        else:
            prof = weekly_profile(
                contacts / weeks_per_year,
                weekday_weights or WEEKDAY_WEIGHTS,
                session_weights or SESSION_WEIGHTS,
            )
            source = "weights given"
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
                "profile": source,
            }
        )
        st = st[["weekday", "session", "requests", "servers", "offered_load"]].copy()
        st.insert(0, "scenario", name)
        sessions.append(st)
    return pd.DataFrame(summary), pd.concat(sessions, ignore_index=True)


def front_door(
    use_case: UseCase,
    *,
    same_day_standard: str = "2025/26",
    move_online: float = 0.2,
    stagger_share: float = 0.3,
    extra_handlers: int = 1,
) -> FrontDoorScenarios:
    """Size the use case's area's front door and cost its scenarios side by side.

    :func:`wfkit.frontdoor_flow.front_door_scenarios` for the one area the use case models
    (at its level), with the notebook's settings (declared in :mod:`wfkit.settings`).

    Raises
    ------
    InputError
        If the use case models more than one area.
    """
    areas = list(use_case.mapping["areas"])
    if len(areas) != 1:
        raise InputError(
            f"the front door is sized for one area at a time, got {len(areas)}", column="area"
        )
    return front_door_scenarios(
        areas[0],
        use_case.mapping["level"],
        move_online=move_online,
        stagger=stagger_share,
        extra_handlers=extra_handlers,
        standard=same_day_standard,
    )


def pathway_overlap(run: ScenarioRun, variant: str = "whole_person") -> pd.DataFrame:
    """Compare contacts and workload by activity, pathways summed against whole-person.

    The sum of single-condition pathways (baseline) against the whole-person model, in the
    final year.

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
    """Total the training needs and the pipeline of new roles for a future model over years.

    Both come from :mod:`wfkit.skills`.

    Returns ``{"needs": ..., "pipeline": ...}``: heads to train by role and competency
    over the horizon, and training places to commission by role.
    """
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
        shortfall_fte_final=("shortfall_fte", "last"),
        cannot_meet=("cannot_meet", "any"),
    )
    pipe = pipe[pipe["places"] > 0.005].reset_index()
    return {"needs": need_sum, "pipeline": pipe, "costed": costed, "plan": plan}


# ----------------------------------------------------------------------------------------
# tables as the notebooks show them
# ----------------------------------------------------------------------------------------
def base_year_table(run: ScenarioRun, variant: str = "baseline") -> pd.DataFrame:
    """Return :func:`base_year` as a notebook shows it, rounded to 0.1 FTE.

    Columns ``label, required_fte, supply_fte, gap_fte, reason``.
    """
    cols = ["label", "required_fte", "supply_fte", "gap_fte", "reason"]
    return base_year(run, variant)[cols].round(1)


def who_does_what_table(shares: pd.DataFrame) -> pd.DataFrame:
    """Return :func:`who_does_what` as a notebook shows it, rounded to 0.001.

    Share of the workload by role (rows) today and in the future (columns).
    """
    return shares.pivot_table(index="role", columns="model", values="share").round(3)


def training_needs_table(training: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Return the training needs of :func:`training_summary` as a notebook shows them.

    Columns ``role, competency, to_train_heads, training_days, cost_gbp``, rounded to 0.1.
    """
    cols = ["role", "competency", "to_train_heads", "training_days", "cost_gbp"]
    return training["needs"][cols].round(1)


def output_tables(run: ScenarioRun, **more: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Return the tables every notebook writes, for :func:`wfkit.notebook.save_outputs`.

    ``headline``, ``base_year``, ``fte_by_role`` (unrounded), then ``more``.
    """
    return {
        "headline": headline(run),
        "base_year": base_year(run),
        "fte_by_role": fte_by_role(run),
        **more,
    }
