"""Use case ``closer_to_home``: hospital work moved into primary care, and its business case.

A scenario's ``moved_in:`` list (:mod:`wfkit.scenario.moved_in`) names services moving from
hospital outpatients into primary care.  :func:`moved_in_results` takes a run and gives, for
every variant that moves work in, tidy frames of

- the activity (contacts, hospital attendances and consultant hours avoided, hospital cost
  avoided, primary-care FTE and cost, net cost) by area and year, with P10/P50/P90;
- the staff by delivering role (FTE, cost, special-interest practitioners needed);
- the training of practitioners with special interests: how many must start their
  accredited course when, so the service runs from its start year, with fees and backfill
  (:func:`wfkit.skills.training_cost`), and the trained practitioners still in post through
  their commitment period (:func:`wfkit.skills.retained_capacity`);
- a one-page business case per proposal (:func:`business_case`).

The arithmetic is :mod:`wfkit.model.moved_in`, with the run's own working time, allowances
and cost per FTE by role and its own draws (seeded, so the same run gives the same figures).
The use case runs every bundled activity for the area (baseline) beside the bundled
example's community dermatology service (``wfkit/scenarios/closer-to-home.yaml``); the
method is ``docs/closer-to-home.md``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import settings as S
from ..data import role_labels
from ..errors import InputError
from ..model.moved_in import MovedInArrays, moved_in_arrays, ramp_weights
from ..model.uncertainty import Param, summarise_draws
from ..scenario import ScenarioRun, ScenarioSpec, load_scenario, scenario_path
from ..scenario.moved_in import Delivery, MovedIn, Uncertain
from ..skills import (
    SkillsTables,
    load_skills_tables,
    retained_capacity,
    retention_curve,
    role_rates_from_result,
    training_cost,
)
from ..tables import AGE_BANDS
from .base import Context, Spec, register

__all__ = [
    "EXAMPLE",
    "PARAMS",
    "MovedInResults",
    "moved_in_results",
    "check_moved_in",
    "business_case",
    "example_moved_in",
]

#: the bundled example: community dermatology for a network of about 50,000 patients
EXAMPLE = "closer-to-home"
#: the example's variant that moves the work in
_EXAMPLE_VARIANT = "dermatology_moved_in"

PARAMS = (
    S.MOVED_IN_START_YEAR.renamed(
        "service_start", 2027, "year the community dermatology service starts", "service starts"
    ),
    S.MOVED_IN_RAMP.renamed("ramp_up_years", 3, label="years to full volume"),
    S.DELIVERY_COMMITMENT.renamed("commitment_years", 2, label="years committed after training"),
    S.fraction(
        "replaces",
        0.8,
        "hospital outpatient attendances one community contact replaces (the example's "
        "80% interval moves with it)",
        "share of hospital attendances replaced",
    ),
)

_MEASURES = (
    "contacts",
    "attendances_avoided",
    "consultant_hours_avoided",
    "hospital_cost_avoided_gbp",
    "primary_care_fte",
    "primary_care_cost_gbp",
    "net_cost_gbp",
)


def example_moved_in() -> list[dict[str, Any]]:
    """Return the bundled example's ``moved_in`` list, as its file gives it (editable)."""
    cfg = load_scenario(scenario_path(EXAMPLE)).to_mapping()
    v = next(v for v in cfg["variants"] if v["name"] == _EXAMPLE_VARIANT)
    return v["moved_in"]


def _scaled_interval(x: Any, new: float) -> Any:
    """Move the value of the number or interval ``x`` to ``new`` (spread kept, within [0, 1])."""
    if not isinstance(x, list):
        return new
    lo, hi = float(x[0]), float(x[-1])
    v = (lo + hi) / 2 if len(x) == 2 else float(x[1])
    f = new / v if v else 1.0
    return [min(new, lo * f), new, min(1.0, max(new, hi * f))]


def variants(ctx: Context) -> list[dict[str, Any]]:
    """Make ``dermatology_moved_in``: the bundled example with the notebook's settings."""
    p = ctx.params
    entries = example_moved_in()
    for e in entries:
        e["start_year"] = int(p["service_start"])
        e["ramp_up_years"] = int(p["ramp_up_years"])
        e["replaces"] = _scaled_interval(e["replaces"], float(p["replaces"]))
        for d in e["delivered_by"]:
            if "special_interest" in d:
                d["commitment_years"] = int(p["commitment_years"])
    return [
        {
            "name": _EXAMPLE_VARIANT,
            "description": "community dermatology clinics run by GPs with an extended role",
            "moved_in": entries,
        }
    ]


@dataclass(frozen=True)
class MovedInResults:
    """Tidy frames of the work moved in, for every variant that moves work in.

    Attributes
    ----------
    activity
        ``scenario, area, year, activity, measure, value, p10, p50, p90``; measures
        ``contacts``, ``attendances_avoided``, ``consultant_hours_avoided``,
        ``hospital_cost_avoided_gbp``, ``primary_care_fte``, ``primary_care_cost_gbp`` and
        ``net_cost_gbp`` (primary-care cost less hospital cost avoided, before training).
    staff
        ``scenario, area, year, activity, role, special_interest, hours, fte, fte_p10,
        fte_p50, fte_p90, cost_gbp, practitioners`` (special-interest heads at their
        sessions a week; empty for core roles).
    training
        Per cohort: ``scenario, activity, role, competency, year`` (first year in the
        service), ``course_start_year``, ``heads_needed``, ``to_train_heads`` and the
        training time and cost of :func:`wfkit.skills.training_cost`; ``too_late`` marks a
        course that would have had to start before the base year.
    retained
        :func:`wfkit.skills.retained_capacity` of the cohorts, by year, with
        ``heads_needed`` and ``commitment_years``.
    totals
        Per ``scenario, activity``: draws of the whole run (``draw``, ``net_cost_gbp`` over
        the modelled years including training, ``benefit_gbp_full_year``).
    """

    activity: pd.DataFrame
    staff: pd.DataFrame
    training: pd.DataFrame
    retained: pd.DataFrame
    totals: pd.DataFrame


def _param(u: Uncertain, lower: float = 0.0, upper: float = np.inf) -> Param:
    v, lo, hi = u
    if lo is None:
        return Param.point(v, lower, upper)
    return Param(np.asarray(v), np.asarray(lo), np.asarray(hi), lower, upper)


def _draws(u: Uncertain, n: int, seed: int, name: str, upper: float = np.inf) -> np.ndarray:
    return _param(u, upper=upper).draws(n, seed, name).reshape(-1)


def _band_population(run: ScenarioRun, variant: str) -> np.ndarray:
    """``(D, A, T, G)`` registered patients by age band: the run's own, draw by draw."""
    inp, res = run.inputs[variant], run.results[variant]
    base = np.asarray(inp.population, dtype=float)[:, None, :]
    if inp.growth is not None:
        base = base * np.asarray(inp.growth, dtype=float)
    tot = base.sum(axis=-1)
    scale = np.divide(res.population, tot[None], out=np.zeros(res.population.shape), where=tot > 0)
    return base[None] * scale[..., None]


def _check_roles(m: MovedIn, roles: list[str] | None, tables: SkillsTables, src: str) -> None:
    """Check each delivering role is modelled (``roles`` given) and may hold its interest."""
    comps = set(tables.competencies["competency"])
    rc = tables.role_competencies
    for j, d in enumerate(m.delivered_by):
        key = f"{m.key}.delivered_by[{j}]"
        if roles is not None and d.role not in roles:
            raise InputError(
                f"role {d.role!r} is not modelled; expected one of {', '.join(roles)}",
                source=src,
                key=f"{key}.role",
            )
        if d.special_interest is None:
            continue
        if d.special_interest not in comps:
            raise InputError(
                f"unknown competency {d.special_interest!r}; expected one of "
                f"{', '.join(sorted(comps))} (data/skills/competencies.csv)",
                source=src,
                key=f"{key}.special_interest",
            )
        ok = rc[(rc["role"] == d.role) & (rc["competency"] == d.special_interest)]
        if ok.empty or int(ok["eligible"].iloc[0]) != 1:
            holders = sorted(
                rc.loc[(rc["competency"] == d.special_interest) & (rc["eligible"] == 1), "role"]
            )
            raise InputError(
                f"role {d.role!r} cannot hold the competency {d.special_interest!r} "
                f"(role_competencies eligible = 0 or no row); expected one of {holders}",
                source=src,
                key=f"{key}.special_interest",
            )


def _arrays(run: ScenarioRun, variant: str, m: MovedIn, pop: np.ndarray) -> MovedInArrays:
    res = run.results[variant]
    n, seed = res.n_draws, res.seed
    name = f"moved_in.{m.activity}"
    roles = list(res.roles)
    shares = np.zeros(len(roles))
    for d in m.delivered_by:
        shares[roles.index(d.role)] = d.share
    if m.per_1000 is not None:
        bands = list(AGE_BANDS)
        v = np.array([m.per_1000.get(b, (0.0, None, None))[0] for b in bands])
        lo = np.array([_nan(m.per_1000.get(b, (0.0, None, None))[1]) for b in bands])
        hi = np.array([_nan(m.per_1000.get(b, (0.0, None, None))[2]) for b in bands])
        has = not np.all(np.isnan(lo))
        # one draw for every band: the bands' rates move together (one uncertain service)
        par = Param(
            v[:, None],
            lo[:, None] if has else None,
            hi[:, None] if has else None,
            areas_share_draws=True,
        )
        per_1000, per_year = par.draws(n, seed, f"{name}.per_1000")[..., 0], None
    else:
        per_1000, per_year = None, _draws(m.per_year, n, seed, f"{name}.per_year")  # type: ignore[arg-type]
    return moved_in_arrays(
        pop,
        ramp_weights(res.years, m.start_year, m.ramp_up_years),
        shares=shares,
        minutes=_draws(m.minutes_per_contact, n, seed, f"{name}.minutes_per_contact"),
        awt_hours=res.awt_hours,
        caf=res.caf,
        cost_per_fte=res.cost_per_fte,
        replaces=_draws(m.replaces, n, seed, f"{name}.replaces", upper=1.0),
        cost_per_attendance=_draws(m.cost_per_attendance, n, seed, f"{name}.cost_per_attendance"),
        consultant_minutes=_draws(m.consultant_minutes, n, seed, f"{name}.consultant_minutes"),
        per_1000=per_1000,
        per_year=per_year,
    )


def _nan(x: float | None) -> float:
    return np.nan if x is None else float(x)


def _pct(a: np.ndarray) -> np.ndarray:
    """``(3, ...)`` P10, P50, P90 over the first (draws) axis; the value itself with no draws."""
    _, p10, p50, p90 = summarise_draws(np.asarray(a, dtype=float))
    return np.stack([p10, p50, p90])


def _activity_frame(
    arr: MovedInArrays, areas: list[str], years: np.ndarray, scen: str, act: str
) -> pd.DataFrame:
    series = {
        "contacts": arr.contacts,
        "attendances_avoided": arr.attendances_avoided,
        "consultant_hours_avoided": arr.consultant_hours_avoided,
        "hospital_cost_avoided_gbp": arr.hospital_cost_avoided_gbp,
        "primary_care_fte": arr.fte.sum(axis=-1),
        "primary_care_cost_gbp": arr.cost_gbp.sum(axis=-1),
        "net_cost_gbp": arr.net_cost_gbp,
    }
    A, T = len(areas), len(years)
    parts = []
    for meas in _MEASURES:
        a = np.broadcast_to(series[meas], (series[meas].shape[0], A, T))
        pc = _pct(a)
        parts.append(
            pd.DataFrame(
                {
                    "scenario": scen,
                    "area": np.repeat(areas, T),
                    "year": np.tile(years, A),
                    "activity": act,
                    "measure": meas,
                    "value": a[0].ravel(),
                    "p10": pc[0].ravel(),
                    "p50": pc[1].ravel(),
                    "p90": pc[2].ravel(),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _staff_frame(
    arr: MovedInArrays, m: MovedIn, roles: list[str], areas: list[str], years: np.ndarray, scen: str
) -> pd.DataFrame:
    T = len(years)
    parts = []
    for d in m.delivered_by:
        r = roles.index(d.role)
        fte = arr.fte[..., r]
        pc = _pct(fte)
        per_head = _per_head(d)
        parts.append(
            pd.DataFrame(
                {
                    "scenario": scen,
                    "area": np.repeat(areas, T),
                    "year": np.tile(years, len(areas)),
                    "activity": m.activity,
                    "role": d.role,
                    "special_interest": d.special_interest or "",
                    "hours": arr.hours[0, ..., r].ravel(),
                    "fte": fte[0].ravel(),
                    "fte_p10": pc[0].ravel(),
                    "fte_p50": pc[1].ravel(),
                    "fte_p90": pc[2].ravel(),
                    "cost_gbp": arr.cost_gbp[0, ..., r].ravel(),
                    "practitioners": fte[0].ravel() / per_head if per_head else np.nan,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _per_head(d: Delivery) -> float | None:
    """FTE a special-interest practitioner gives the service (sessions / sessions a week)."""
    return None if d.sessions_per_week is None else d.sessions_per_week / S.SESSIONS_PER_FTE


def _cohorts(need: np.ndarray, years: np.ndarray, d: Delivery, leaver_rate: float) -> np.ndarray:
    """Heads completing the course for each year so the retained heads meet ``need``.

    ``Q[t] = max(0, need[t] - sum_{u<t} Q[u] x retention(t - u))``, with
    :func:`wfkit.skills.retention_curve` (everyone stays through the commitment period).
    """
    Q = np.zeros(len(years))
    for t in range(len(years)):
        kept = sum(
            Q[u] * float(retention_curve(t - u, d.commitment_years, leaver_rate)) for u in range(t)
        )
        Q[t] = max(0.0, need[t] - kept)
    return Q


def _training(
    run: ScenarioRun, scen: str, m: MovedIn, staff: pd.DataFrame, tables: SkillsTables
) -> tuple[pd.DataFrame, pd.DataFrame]:
    res = run.results[scen]
    years = np.asarray(res.years)
    pipe = tables.pipeline.set_index("role")
    rates = role_rates_from_result(res)
    trains, kept = [], []
    for d in m.delivered_by:
        if d.special_interest is None:
            continue
        need = (
            staff.loc[staff["role"] == d.role]
            .groupby("year")["practitioners"]
            .sum()
            .reindex(years)
            .to_numpy()
        )
        lr = float(pipe.loc[d.role, "post_commitment_leaver_rate"])
        Q = _cohorts(need, years, d, lr)
        co = pd.DataFrame(
            {
                "role": d.role,
                "competency": d.special_interest,
                "year": years,
                "heads_needed": need,
                "to_train_heads": Q,
            }
        )
        costed = training_cost(co, tables, rates)
        costed.insert(0, "activity", m.activity)
        costed.insert(0, "scenario", scen)
        costed["course_start_year"] = costed["year"] - d.course_years
        costed["too_late"] = (costed["to_train_heads"] > 0) & (
            costed["course_start_year"] < int(years[0])
        )
        trains.append(costed.loc[costed["to_train_heads"] > 0])
        if not (Q > 0).any():
            continue
        p2 = pipe.copy()
        p2.loc[d.role, "commitment_years"] = float(d.commitment_years)
        t2 = dataclasses.replace(tables, pipeline=p2.reset_index())
        ret = retained_capacity(
            co.loc[co["to_train_heads"] > 0, ["role", "competency", "year", "to_train_heads"]],
            t2,
            heads_col="to_train_heads",
            horizon=int(years[-1]),
        )
        ret = ret.merge(co[["year", "heads_needed"]], on="year", how="left")
        ret.insert(0, "activity", m.activity)
        ret.insert(0, "scenario", scen)
        ret["commitment_years"] = d.commitment_years
        kept.append(ret)
    return _cat(trains), _cat(kept)


def _cat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def check_moved_in(
    scenario: ScenarioSpec, tables: SkillsTables | None = None, roles: list[str] | None = None
) -> None:
    """Check every special interest of a scenario's ``moved_in`` against the skills tables.

    Before any model runs (``wfkit validate``, ``wfkit run``): the competency is known and
    the role may hold it (``role_competencies`` ``eligible = 1``); with ``roles``, every
    delivering role is one of them.

    Raises
    ------
    InputError
        Naming the scenario file and the key, ``moved_in[0].delivered_by[1].special_interest``.
    """
    t = load_skills_tables() if tables is None else tables
    for v in scenario.variants:
        for m in v.moved_in:
            _check_roles(m, roles, t, v.source)


def moved_in_results(run: ScenarioRun, tables: SkillsTables | None = None) -> MovedInResults:
    """Compute the work moved in, its staff, training and hospital side, for every variant.

    Parameters
    ----------
    run
        A scenario run (:func:`wfkit.run_scenario`, :meth:`wfkit.usecases.UseCase.run`);
        the variants with a ``moved_in`` list are read, each with its own draws.
    tables
        The skills tables (default the bundled ones): who may hold each special interest,
        course days and fees, leavers after the commitment period.

    Returns
    -------
    MovedInResults
        Empty frames when nothing moves in.

    Raises
    ------
    InputError
        Naming the scenario file and key (``moved_in[0].delivered_by[1].special_interest``)
        for a role that is not modelled or cannot hold the competency.
    """
    t = load_skills_tables() if tables is None else tables
    acts, staff, train, kept, totals = [], [], [], [], []
    for v in run.scenario.variants:
        if not v.moved_in:
            continue
        res = run.results[v.name]
        roles, areas, years = list(res.roles), list(res.areas), np.asarray(res.years)
        pop = _band_population(run, v.name)
        for m in v.moved_in:
            _check_roles(m, roles, t, v.source)
            arr = _arrays(run, v.name, m, pop)
            acts.append(_activity_frame(arr, areas, years, v.name, m.activity))
            sf = _staff_frame(arr, m, roles, areas, years, v.name)
            staff.append(sf)
            tr, rk = _training(run, v.name, m, sf, t)
            train.append(tr)
            kept.append(rk)
            totals.append(_totals(arr, tr, years, v.name, m))
    return MovedInResults(_cat(acts), _cat(staff), _cat(train), _cat(kept), _cat(totals))


def _training_by_year(tr: pd.DataFrame, years: np.ndarray) -> np.ndarray:
    """Training cost in the year each course starts (before the base year: the base year)."""
    if tr.empty:
        return np.zeros(len(years))
    y = tr["course_start_year"].clip(lower=int(years[0]))
    return tr.groupby(y)["cost_gbp"].sum().reindex(years, fill_value=0.0).to_numpy()


def _totals(
    arr: MovedInArrays, tr: pd.DataFrame, years: np.ndarray, scen: str, m: MovedIn
) -> pd.DataFrame:
    train = _training_by_year(tr, years)  # (T,)
    net = arr.net_cost_gbp.sum(axis=1)  # (D, T) over areas
    full = years.tolist().index(m.full_volume_year)
    return pd.DataFrame(
        {
            "scenario": scen,
            "activity": m.activity,
            "draw": np.arange(net.shape[0]),
            "net_cost_gbp": net.sum(axis=1) + train.sum(),
            "benefit_gbp_full_year": -net[:, full],
        }
    )


def _break_even(act: pd.DataFrame, tr: pd.DataFrame, years: np.ndarray) -> int | None:
    """First year the cumulative benefit (hospital avoided less all costs) reaches 0.

    A move that never costs more than it has saved breaks even in its first year with any
    money moving (``None`` is kept for a move that does not pay back within the years).
    """
    net = act.loc[act["measure"] == "net_cost_gbp"].groupby("year")["value"].sum()
    flows = -(net.reindex(years, fill_value=0.0).to_numpy() + _training_by_year(tr, years))
    cum = np.cumsum(flows)
    spent = np.flatnonzero(cum < 0)
    if spent.size == 0:
        moving = np.flatnonzero(flows != 0)
        return int(years[moving[0]]) if moving.size else None
    after = np.flatnonzero((cum >= 0) & (np.arange(len(years)) > spent[0]))
    return int(years[after[0]]) if after.size else None


def business_case(results: MovedInResults, run: ScenarioRun) -> pd.DataFrame:
    """Return the one-page business case of each proposal, as a tidy table.

    One row per (scenario, activity, item): ``value``, ``p10``, ``p90`` (items with draws)
    and ``unit``.  Items: special-interest practitioners to train and at full volume, staff
    at full volume (FTE by role), training cost, contacts moved in a year, hospital
    attendances and consultant hours avoided a year, hospital cost avoided a year,
    primary-care staff cost a year, benefit a year (hospital cost avoided less primary-care
    cost, at full volume), net cost of the move over the modelled years (primary-care and
    training cost less hospital cost avoided; negative is a saving) and the break-even year
    (``NaN``: not within the horizon).  Areas are summed; a year at full volume is the
    first one.
    """
    cols = ["scenario", "activity", "item", "value", "p10", "p90", "unit"]
    if results.activity.empty:
        return pd.DataFrame(columns=cols)
    rows: list[tuple[Any, ...]] = []
    for (scen, act), a in results.activity.groupby(["scenario", "activity"], sort=False):
        rows += [(scen, act, *r) for r in _case(results, run, str(scen), str(act), a)]
    return pd.DataFrame(rows, columns=cols)


def _of(df: pd.DataFrame, scen: str, act: str) -> pd.DataFrame:
    return df if df.empty else df.loc[(df["scenario"] == scen) & (df["activity"] == act)]


def _case(
    results: MovedInResults, run: ScenarioRun, scen: str, act: str, a: pd.DataFrame
) -> list[tuple[Any, ...]]:
    """Rows ``(item, value, p10, p90, unit)`` of one proposal's business case."""
    m = next(x for x in run.scenario.variant(scen).moved_in if x.activity == act)
    years = np.asarray(run.results[scen].years)
    fy = m.full_volume_year
    tr, st = _of(results.training, scen, act), _of(results.staff, scen, act)
    tot = _of(results.totals, scen, act)
    nan = np.nan
    at_full = st.loc[st["year"] == fy]
    si = at_full.loc[at_full["special_interest"] != ""]
    out: list[tuple[Any, ...]] = [
        ("special-interest practitioners to train", _sum(tr, "to_train_heads"), nan, nan, "people"),
        ("special-interest practitioners at full volume", si["practitioners"].sum(), nan, nan,
         "people"),
    ]  # fmt: skip
    labels = role_labels()
    for role, f in at_full.groupby("role", sort=False):
        out.append(
            (f"staff at full volume: {labels.get(str(role), str(role))}", f["fte"].sum(), f["fte_p10"].sum(),
             f["fte_p90"].sum(), "FTE")
        )  # fmt: skip
    out.append(("training cost", _sum(tr, "cost_gbp"), nan, nan, "GBP"))
    late = tr.loc[tr["too_late"], "to_train_heads"].sum() if "too_late" in tr else 0.0
    if late > 0:  # said, not hidden: the service cannot run as planned in its first years
        out.append(
            (f"practitioners whose course would start before {years[0]}", late, nan, nan,
             "people")
        )  # fmt: skip
    full = a.loc[a["year"] == fy].groupby("measure")[["value", "p10", "p90"]].sum()
    for meas, item, unit in (
        ("contacts", "activity moved in a year", "contacts a year"),
        ("attendances_avoided", "hospital attendances avoided a year", "attendances a year"),
        ("consultant_hours_avoided", "consultant hours avoided a year", "hours a year"),
        ("hospital_cost_avoided_gbp", "hospital cost avoided a year", "GBP a year"),
        ("primary_care_cost_gbp", "primary-care staff cost a year", "GBP a year"),
    ):
        r = full.loc[meas]
        out.append((item, r["value"], r["p10"], r["p90"], unit))
    b = tot["benefit_gbp_full_year"].to_numpy()
    out.append(("benefit a year", b[0], *_p10_p90(b), "GBP a year"))
    n = tot["net_cost_gbp"].to_numpy()
    out.append((f"net cost of the move, {years[0]}-{years[-1]}", n[0], *_p10_p90(n), "GBP"))
    be = _break_even(a, tr, years)
    out.append(("break-even year", nan if be is None else float(be), nan, nan, "year"))
    return out


def _sum(df: pd.DataFrame, col: str) -> float:
    return float(df[col].sum()) if col in df else 0.0


def _p10_p90(x: np.ndarray) -> tuple[float, float]:
    if len(x) <= 1:
        return float(x[0]), float(x[0])
    p = np.percentile(x[1:], [10, 90])
    return float(p[0]), float(p[1])


SPEC = register(
    Spec(
        "closer_to_home",
        "every bundled activity, and community dermatology moved in from hospital",
        variants,
        PARAMS,
        select=lambda table: table["activity"].notna(),
        attribute_supply=False,
    )
)
