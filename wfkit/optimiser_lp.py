"""The linear programme behind :func:`wfkit.optimise`: its arrays, limits, rows and words.

:func:`build_problem` takes the engine's own arrays from a scenario run (contacts in the
year, calibrated minutes, working time and allowances, cost per FTE, projected supply) and
the competency tables; :func:`apply_limits` checks the user's floors, ceilings and maxima;
:func:`programme` writes the programme for :func:`scipy.optimize.linprog` (HiGHS), each
inequality a :class:`Row` in words; :func:`infeasible_error` names the tightest limit when none
can be met (an elastic programme: a slack on every limit, the least total relative slack).
The method is in docs/optimise.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from .data import code_words, role_labels
from .errors import InputError, short
from .funding import stream_caps
from .model.capacity import individual_allowance_factor
from .scenario import ScenarioRun
from .skills import SkillsTables, pipeline_fte

__all__ = [
    "OBJECTIVES",
    "TRAINING_DAYS_A_YEAR",
    "Problem",
    "Row",
    "Programme",
    "competent",
    "build_problem",
    "apply_limits",
    "programme",
    "fte_rows",
    "solve",
    "infeasible_error",
    "stream_words",
    "tie_break",
    "objective_value",
    "role_words",
]

#: what :func:`wfkit.optimise` may minimise
OBJECTIVES = ("cost", "fte", "shortfall")
#: course days a member of staff can take a year beside their work, for "trained in time"
#: (about one day a week of study: wfkit judgement)
TRAINING_DAYS_A_YEAR = 40.0


@dataclass(slots=True)
class Problem:
    """The arrays of one optimisation, summed over the run's areas, in ``year``."""

    roles: list[str]
    activities: list[str]  # the activities optimised
    coef: np.ndarray  # (K, R) FTE for all of activity k done by role r
    allowed: np.ndarray  # (K, R)
    fixed: np.ndarray  # (R,) FTE of the other activities and individual allowances
    cpf: np.ndarray  # (R,) cost per FTE
    supply: np.ndarray  # (R,) projected supply in the year
    pipeline: np.ndarray  # (R,) FTE extra training places deliver by the year
    today: np.ndarray  # (K, R)
    future: np.ndarray  # (K, R)
    lo: np.ndarray  # (K, R)
    hi: np.ndarray  # (K, R)
    limited: np.ndarray  # (K, R) bool: a floor or ceiling the user gave
    max_fte: np.ndarray  # (R,) a maximum the user gave (inf: none)
    # area by area, as the engine counts them: hours for all of each activity optimised
    # (A, K, R), hours of the others (A, R), FTE per hour and individual allowances (R,)
    area_hours: np.ndarray
    fixed_hours: np.ndarray
    per_hour: np.ndarray
    iaf: np.ndarray
    notes: list[str] = field(default_factory=list)

    def fte(self, S: np.ndarray) -> np.ndarray:
        """Return each role's FTE ``(R,)`` under shares ``S`` ``(K, R)``, as the engine counts it.

        Individual allowances only in the areas where the role ends with work.
        """
        hours = self.fixed_hours + (self.area_hours * S[None]).sum(axis=1)  # (A, R)
        return (hours * self.per_hour + np.where(hours > 0, self.iaf, 0.0)).sum(axis=0)

    @property
    def cap(self) -> np.ndarray:
        """Each role's FTE limit: supply plus pipeline, or the user's maximum if lower."""
        return np.minimum(self.supply + self.pipeline, self.max_fte)


@dataclass(slots=True)
class Row:
    """One inequality of the programme, in words (for shadow prices and infeasibility)."""

    kind: str  # fte_limit | budget | stream | stream_cap | floor | ceiling
    what: str  # the limit in words
    limit: float
    role: str = ""
    activity: str = ""
    stream: str = ""


def competent(
    skills: SkillsTables, activities: list[str], roles: list[str], years_left: int
) -> tuple[np.ndarray, dict[tuple[int, int], str]]:
    """Which role may do which activity by its competencies, and why not where it may not.

    A role may if, for every competency the activity needs, it holds it as baseline, some
    of its staff hold it today, or it is eligible and the course fits in the years left
    (:data:`TRAINING_DAYS_A_YEAR`).  An activity that needs no listed competency needs
    only core skills.
    """
    ok = np.ones((len(activities), len(roles)), dtype=bool)
    why: dict[tuple[int, int], str] = {}
    ac = skills.activity_competencies
    rc = skills.role_competencies.set_index(["role", "competency"])
    days = skills.competencies.set_index("competency")["course_days"]
    for k, act in enumerate(activities):
        for comp in ac.loc[ac["activity"] == act, "competency"]:
            for r, role in enumerate(roles):
                if (role, comp) not in rc.index:
                    ok[k, r], why[(k, r)] = False, f"cannot hold {comp} (not in its scope)"
                    continue
                row = rc.loc[(role, comp)]
                d = row.get("course_days")
                d = days.get(comp, 0.0) if d is None or pd.isna(d) else d
                held = row["baseline"] == 1 or row["share_trained"] > 0
                if row["eligible"] != 1:
                    ok[k, r], why[(k, r)] = False, f"cannot hold {comp} (not in its scope)"
                elif not held and d > TRAINING_DAYS_A_YEAR * years_left:
                    ok[k, r], why[(k, r)] = False, f"cannot be trained in {comp} in time"
    return ok, why


def build_problem(
    run: ScenarioRun,
    t: int,
    chosen: list[str],
    skills: SkillsTables,
    places: Mapping[str, float] | None,
) -> Problem:
    """Return the programme's arrays from the engine's own inputs and results (central run)."""
    inp, res = run.inputs["baseline"], run.results["baseline"]
    roles, every = list(res.roles), list(res.activities)
    K = [every.index(a) for a in chosen]
    if res.staff_demand is not None and res.staff_class is not None:
        contacts = res.staff_demand[0][:, t][..., res.staff_class]  # (A, K, R)
    else:
        contacts = np.broadcast_to(
            res.demand[0][:, t][..., None], (*res.demand.shape[1:2], len(every), len(roles))
        )
    hours = contacts * inp.minutes.value[None] / 60.0  # (A, K, R) hours for all of k by r
    per_hour = res.caf[0] / res.awt_hours[0]  # (R,)
    mask = np.zeros(len(every), dtype=bool)
    mask[K] = True
    fixed_hours = (hours * np.where(mask[:, None], 0.0, inp.shares_current)[None]).sum(axis=1)
    minutes_ok = inp.minutes.value[K] > 0
    base = int(res.years[0])
    ok, why = competent(skills, chosen, roles, int(res.years[t]) - base)
    today, future = inp.shares_current[K], inp.shares_future[K]
    allowed = (minutes_ok & ok) | (today > 0)
    notes = [
        f"{code_words(chosen[k])}: {roles[r]} left out: it {why[(k, r)]}"
        for k, r in zip(*np.nonzero(minutes_ok & ~ok & (today <= 0)), strict=True)
    ]
    # individual allowances where a role may have work, area by area (exact with none)
    ias = inp.capacity.get("ias_hours")
    iaf = np.zeros(len(roles))
    if ias is not None:
        iaf = np.broadcast_to(individual_allowance_factor(ias.value, res.awt_hours[0]), iaf.shape)
    may_work = (fixed_hours > 0) | ((hours[:, K] > 0) & allowed[None]).any(axis=1)
    extra = np.zeros(len(roles))
    if places:
        unknown = [r for r in places if r not in roles]
        if unknown:
            raise InputError(f"unknown role {unknown[0]!r}; expected some of {roles}", key="places")
        got = pipeline_fte(dict(places), skills, int(res.years[t]), base + 1)
        extra = got.reindex(roles).fillna(0.0).to_numpy()
    return Problem(
        roles=roles,
        activities=chosen,
        coef=hours[:, K].sum(axis=0) * per_hour,
        allowed=allowed,
        fixed=(fixed_hours * per_hour).sum(axis=0) + (may_work * iaf).sum(axis=0),
        cpf=res.cost_per_fte[0].copy(),
        supply=res.supply_fte[0][:, t].sum(axis=0),
        pipeline=extra,
        today=today,
        future=future,
        lo=np.zeros(today.shape),
        hi=np.where(allowed, 1.0, 0.0),
        limited=np.zeros(today.shape, dtype=bool),
        max_fte=np.full(len(roles), np.inf),
        area_hours=np.ascontiguousarray(hours[:, K]),
        fixed_hours=fixed_hours,
        per_hour=per_hour,
        iaf=iaf,
        notes=notes,
    )


def apply_limits(p: Problem, limits: Any, max_fte: Mapping[str, float] | None) -> None:
    """Apply the user's floors and ceilings (and FTE maxima) to ``p``, checking each."""
    rows = limits.to_dict("records") if isinstance(limits, pd.DataFrame) else list(limits or [])
    seen: set[tuple[int, int]] = set()
    for i, row in enumerate(rows):
        key = f"limits[{i}]"
        if not isinstance(row, Mapping):
            raise InputError(
                f"{short(row)}; expected activity, role, min_share, max_share", key=key
            )
        bad = sorted(set(row) - {"activity", "role", "min_share", "max_share"})
        if bad:
            raise InputError(
                f"unknown key(s) {bad}; expected activity, role, min_share, max_share", key=key
            )
        act, role = row.get("activity"), row.get("role")
        if act not in p.activities:
            raise InputError(
                f"unknown activity {short(act)}; expected one of the activities optimised "
                f"{short(p.activities, 200)}",
                key=f"{key}.activity",
            )
        if role not in p.roles:
            raise InputError(
                f"unknown role {short(role)}; expected one of {short(p.roles, 200)}",
                key=f"{key}.role",
            )
        k, r = p.activities.index(act), p.roles.index(role)
        if (k, r) in seen:
            raise InputError(f"{act}, {role} given twice; expected each once", key=key)
        seen.add((k, r))
        lo, hi = (
            _share(row, c, f"{key}.{c}", d) for c, d in (("min_share", 0.0), ("max_share", 1.0))
        )
        if lo > hi:
            raise InputError(
                f"min_share {lo:g} is above max_share {hi:g}; expected min_share <= max_share",
                key=key,
            )
        if lo > 0 and not p.allowed[k, r]:
            raise InputError(
                f"{role} may not do {act} (no minutes for it, or not competent in time); a "
                "floor needs a role that may",
                key=f"{key}.min_share",
            )
        p.lo[k, r], p.hi[k, r] = lo, min(hi, p.hi[k, r])
        p.limited[k, r] = True
    for k, act in enumerate(p.activities):
        if p.lo[k].sum() > 1 + 1e-9:
            raise InputError(
                f"floors of {act} sum to {p.lo[k].sum():.4g}; expected at most 1", key="limits"
            )
        if p.hi[k].sum() < 1 - 1e-9:
            raise InputError(
                f"the roles that may do {act} can reach only {p.hi[k].sum():.4g} of it under "
                "their ceilings; expected ceilings that leave room for all of it",
                key="limits",
            )
    for role, v in (max_fte or {}).items():
        if role not in p.roles:
            raise InputError(
                f"unknown role {short(role)}; expected one of {p.roles}", key="max_fte"
            )
        if isinstance(v, bool) or not isinstance(v, int | float) or not v >= 0:
            raise InputError(f"{short(v)} for {role}; expected 0 FTE or more", key="max_fte")
        p.max_fte[p.roles.index(role)] = float(v)


def _share(row: Mapping, col: str, key: str, default: float) -> float:
    v = row.get(col, default)
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return default
    if isinstance(v, bool) or not isinstance(v, int | float | np.floating | np.integer):
        raise InputError(f"{short(v)} is not a number; expected a share from 0 to 1", key=key)
    if not 0.0 <= float(v) <= 1.0:
        raise InputError(f"{float(v):g} is outside [0, 1]; expected a share (50% is 0.5)", key=key)
    return float(v)


@dataclass(slots=True)
class Programme:
    """A linear programme for :func:`scipy.optimize.linprog`, with its rows in words."""

    c: np.ndarray
    a_ub: np.ndarray
    b_ub: np.ndarray
    a_eq: np.ndarray
    b_eq: np.ndarray
    bounds: list[tuple[float, float]]
    rows: list[Row]
    idx: list[tuple[int, int]]  # (k, r) of each share variable
    const: float  # the objective's part no share moves


def fte_rows(p: Problem, idx: list[tuple[int, int]], n: int) -> np.ndarray:
    """``(R, n)``: each role's FTE from the share variables (the first ``len(idx)`` columns)."""
    f = np.zeros((len(p.roles), n))
    for j, (k, r) in enumerate(idx):
        f[r, j] = p.coef[k, r]
    return f


def programme(p: Problem, objective: str, budget: Any, rules: Any, fyear: str) -> Programme:
    """Build the programme: variables shares, then shortfalls, then money by stream."""
    idx = [(int(k), int(r)) for k, r in zip(*np.nonzero(p.allowed), strict=True)]
    nx, R = len(idx), len(p.roles)
    has = np.zeros(R, dtype=bool)
    has[[r for _, r in idx]] = True
    short_r = [r for r in range(R) if has[r]] if objective == "shortfall" else []
    streams = list(budget) if isinstance(budget, Mapping) else []
    elig, caps = (
        stream_caps(rules, fyear, streams, p.roles) if streams else (np.zeros((0, R)), None)
    )
    money = [(s, r) for s in range(len(streams)) for r in range(R) if elig[s, r]]
    n = nx + len(short_r) + len(money)
    F = fte_rows(p, idx, n)
    ub: list[np.ndarray] = []
    b: list[float] = []
    rows: list[Row] = []
    labels = role_words(p.roles)
    soft = p.supply + p.pipeline
    for r in np.nonzero(has)[0]:
        cap = soft[r] if objective == "shortfall" else p.cap[r]
        if np.isfinite(cap):
            row = F[r].copy()
            if objective == "shortfall":
                row[nx + short_r.index(r)] = -1.0
            elif cap < p.fixed[r]:
                p.notes.append(
                    f"{labels[r]}: the activities left as they are already need "
                    f"{p.fixed[r]:,.1f} FTE, above its limit of {cap:,.1f}: it takes none of "
                    "the work optimised"
                )
            ub.append(row)
            b.append(cap - p.fixed[r] if objective == "shortfall" else max(0.0, cap - p.fixed[r]))
            rows.append(Row("fte_limit", _cap_words(p, r, labels[r], cap), cap, role=p.roles[r]))
        if objective == "shortfall" and np.isfinite(p.max_fte[r]):
            ub.append(F[r].copy())
            b.append(max(0.0, p.max_fte[r] - p.fixed[r]))
            rows.append(
                Row(
                    "fte_limit",
                    f"{labels[r]} FTE at most {p.max_fte[r]:,.1f} (the maximum given)",
                    p.max_fte[r],
                    role=p.roles[r],
                )
            )
    cost_rows = F * p.cpf[:, None]
    if budget is not None and not streams:
        B = float(budget)
        ub.append(cost_rows.sum(axis=0))
        b.append(B - float(p.cpf @ p.fixed))
        rows.append(Row("budget", f"a budget of £{B:,.0f} a year", B))
    eq = np.zeros((len(p.activities), n))
    for j, (k, _) in enumerate(idx):
        eq[k, j] = 1.0
    beq = list(np.ones(len(p.activities)))
    if streams:
        eq, beq = _streams(
            p,
            streams,
            money,
            elig,
            caps,
            cost_rows,
            F,
            nx + len(short_r),
            (ub, b, rows),
            (eq, beq),
            labels,
            budget,
        )
    c = np.zeros(n)
    const = 0.0
    if objective == "cost":
        c[:nx] = [p.cpf[r] * p.coef[k, r] for k, r in idx]
        const = float(p.cpf @ p.fixed)
    elif objective == "fte":
        c[:nx] = [p.coef[k, r] for k, r in idx]
        const = float(p.fixed.sum())
    else:
        c[nx : nx + len(short_r)] = 1.0
        const = float(np.maximum(0.0, p.fixed - soft)[~has].sum())
    bounds = [(float(p.lo[k, r]), float(p.hi[k, r])) for k, r in idx]
    bounds += [(0.0, None)] * (n - nx)  # type: ignore[list-item]
    return Programme(
        c=c,
        a_ub=np.array(ub).reshape(len(ub), n),
        b_ub=np.array(b),
        a_eq=np.asarray(eq),
        b_eq=np.asarray(beq, dtype=float),
        bounds=bounds,
        rows=rows,
        idx=idx,
        const=const,
    )


def _streams(
    p, streams, money, elig, caps, cost_rows, F, start, ub_parts, eq_parts, labels, budget
):
    """Add the money by stream: each role's cost paid by the streams that may pay it."""
    ub, b, rows = ub_parts
    eq, beq = eq_parts
    R = len(p.roles)
    n = F.shape[1]
    cost = cost_rows.sum(axis=1)  # any share: is there a cost to pay?
    bal = np.zeros((R, n))
    for j, (_, r) in enumerate(money):
        bal[r, start + j] = 1.0
    bal[:, :start] -= cost_rows[:, :start]
    need = (p.fixed > 0) | (cost > 0)
    for r in np.nonzero(need & ~elig.any(axis=0))[0]:
        # no stream may pay the role: it takes none of the work optimised, or is refused
        # when its other work (or a floor) needs it
        if p.fixed[r] > 0 or p.lo[:, r].any():
            raise InputError(
                f"no funding stream in the budget may pay for {labels[r]}, whose work needs "
                f"{p.fixed[r]:,.1f} FTE; expected a stream that may (core pays any role): "
                f"streams given {streams}",
                key="budget",
            )
        p.hi[:, r] = 0.0
        p.notes.append(f"{labels[r]}: no funding stream in the budget may pay for it")
    for si, s in enumerate(streams):
        row = np.zeros(n)
        for j, (s2, _) in enumerate(money):
            if s2 == si:
                row[start + j] = 1.0
        B = float(budget[s])
        ub.append(row)
        b.append(B)
        rows.append(Row("stream", f"{stream_words(s)} of £{B:,.0f} a year", B, stream=s))
        for j, (s2, r) in enumerate(money):
            if s2 == si and np.isfinite(caps[si, r]):
                row = -caps[si, r] * F[r]
                row[start + j] = 1.0
                ub.append(row)
                b.append(caps[si, r] * p.fixed[r])
                rows.append(
                    Row(
                        "stream_cap",
                        f"{stream_words(s)} pays at most £{caps[si, r]:,.0f} per {labels[r]} FTE",
                        caps[si, r],
                        role=p.roles[r],
                        stream=s,
                    )
                )
    eq = np.vstack([eq, bal[need]])
    beq = list(beq) + list((p.cpf * p.fixed)[need])
    return eq, beq


def stream_words(s: str) -> str:
    """Return a funding stream in words (``arrs`` -> ``ARRS funding``)."""
    return {"arrs": "ARRS funding", "core": "core practice funding"}.get(s, f"{s} funding")


def _cap_words(p: Problem, r: int, label: str, cap: float) -> str:
    if p.max_fte[r] <= p.supply[r] + p.pipeline[r]:
        return f"{label} FTE at most {cap:,.1f} (the maximum given)"
    extra = f" + {p.pipeline[r]:,.1f} from extra training places" if p.pipeline[r] else ""
    return f"{label} FTE at most {cap:,.1f} (supply {p.supply[r]:,.1f}{extra})"


def role_words(roles: list[str]) -> list[str]:
    """Return the roles in words for sentences (``practice_nurse`` -> ``practice nurse``)."""
    words = role_labels()
    return [words.get(r, r).lower() if r != "gp" else "GP" for r in roles]


def solve(lp: Programme) -> Any:
    """Solve the programme with HiGHS; return :func:`scipy.optimize.linprog`'s result."""
    return linprog(
        lp.c,
        A_ub=lp.a_ub if len(lp.b_ub) else None,
        b_ub=lp.b_ub if len(lp.b_ub) else None,
        A_eq=lp.a_eq,
        b_eq=lp.b_eq,
        bounds=lp.bounds,
        method="highs",
    )


def infeasible_error(p: Problem, lp: Programme, year: int) -> InputError:
    """Name the tightest limit: the elastic programme, a slack on every limit, least slack."""
    labels = role_words(p.roles)
    rows, a, b = list(lp.rows), [*lp.a_ub], [*lp.b_ub]
    bounds = list(lp.bounds)
    n = len(lp.c)
    for j, (k, r) in enumerate(lp.idx):
        if not p.limited[k, r]:
            continue
        bounds[j] = (0.0, 1.0)
        act = code_words(p.activities[k]).lower()
        if p.lo[k, r] > 0:
            row = np.zeros(n)
            row[j] = -1.0
            a.append(row)
            b.append(-p.lo[k, r])
            rows.append(
                Row(
                    "floor",
                    f"{labels[r]} doing at least {p.lo[k, r]:.0%} of {act}",
                    p.lo[k, r],
                    role=p.roles[r],
                    activity=p.activities[k],
                )
            )
        if p.hi[k, r] < 1:
            row = np.zeros(n)
            row[j] = 1.0
            a.append(row)
            b.append(p.hi[k, r])
            rows.append(
                Row(
                    "ceiling",
                    f"{labels[r]} doing at most {p.hi[k, r]:.0%} of {act}",
                    p.hi[k, r],
                    role=p.roles[r],
                    activity=p.activities[k],
                )
            )
    m = len(rows)
    A = np.hstack([np.array(a).reshape(m, n), -np.eye(m)])
    scale = np.array(
        [1.0 if r.kind in ("floor", "ceiling") else max(abs(r.limit), 1.0) for r in rows]
    )
    c = np.concatenate([np.zeros(n), 1.0 / scale])
    eq = np.hstack([lp.a_eq, np.zeros((lp.a_eq.shape[0], m))])
    res = linprog(
        c,
        A_ub=A,
        b_ub=np.array(b),
        A_eq=eq,
        b_eq=lp.b_eq,
        bounds=bounds + [(0.0, None)] * m,
        method="highs",
    )
    if res.status != 0:
        return InputError(f"no skill mix meets the limits in {year} ({res.message})", key="limits")
    slack = res.x[n:]
    order = np.argsort(-(slack / scale))
    over = [i for i in order if slack[i] / scale[i] > 1e-7]
    if not over:
        return InputError(f"no skill mix meets the limits in {year}", key="limits")

    def need(i: int) -> str:
        r = rows[i]
        if r.kind in ("floor", "ceiling"):
            return f"{r.what} (short by {slack[i]:.1%})"
        if r.kind == "fte_limit":
            return f"{r.what}: the work needs {r.limit + slack[i]:,.1f} FTE ({slack[i]:,.1f} over)"
        if r.kind == "stream_cap":
            return f"{r.what} (£{slack[i]:,.0f} a year over)"
        return f"{r.what}: the work needs £{r.limit + slack[i]:,.0f} (£{slack[i]:,.0f} over)"

    others = "; ".join(need(i) for i in over[1:4])
    also = f"; also {others}" if others else ""
    return InputError(
        f"no skill mix meets every limit in {year}. The tightest: {need(over[0])}{also}. Loosen "
        "it (more supply, training places or budget, or a wider floor or ceiling), or minimise "
        "the shortfall instead (objective='shortfall')",
        key="limits",
    )


def objective_value(p: Problem, S: np.ndarray, objective: str) -> float:
    """Return the objective of shares ``S`` ``(K, R)``: GBP a year, FTE, or FTE of shortfall.

    Every role's FTE is counted as the engine counts it (:meth:`Problem.fte`: individual
    allowances where the role ends with work); the shortfall is above supply plus training
    places.
    """
    fte = p.fte(S)
    if objective == "cost":
        return float(p.cpf @ fte)
    if objective == "fte":
        return float(fte.sum())
    return float(np.maximum(0.0, fte - (p.supply + p.pipeline)).sum())


def tie_break(p: Problem, lp: Programme, res: Any) -> np.ndarray:
    """Among the mixes with the least shortfall (or FTE), the cheapest one's variables.

    The first objective is held within a tolerance of its optimum (a row); without it, the
    mix would be any of many with the same shortfall.
    """
    n = len(lp.c)
    cost = np.zeros(n)
    cost[: len(lp.idx)] = [p.cpf[r] * p.coef[k, r] for k, r in lp.idx]
    tol = 1e-9 * max(1.0, abs(float(res.fun)))
    a = np.vstack([lp.a_ub.reshape(-1, n), lp.c[None, :]])
    b = np.concatenate([lp.b_ub, [float(res.fun) + tol]])
    second = linprog(
        cost, A_ub=a, b_ub=b, A_eq=lp.a_eq, b_eq=lp.b_eq, bounds=lp.bounds, method="highs"
    )
    return second.x if second.status == 0 else res.x
