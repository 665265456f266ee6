"""The best who-does-what under limits, and the money it must come from (:func:`optimise`).

Workload is linear in the shares ``S[k, r]`` of activity ``k`` done by role ``r`` (the
engine's chain, :mod:`wfkit.model.engine`)::

    FTE[r] = sum_k c[k, r] S[k, r] + a[r]        c[k, r] = sum_a D[a, k] minutes[k, r] / 60 x CAF[r] / AWT[r]

(``D``: the year's contacts, by the class of staff doing them where local calibration set
one; ``a``: the work of the activities left as they are, and individual allowances), so the
best mix is a linear programme, solved by HiGHS (:func:`scipy.optimize.linprog`):

- minimise cost ``sum_r cost_per_fte[r] FTE[r]``, or FTE ``sum_r FTE[r]``, or the
  shortfall ``sum_r max(0, FTE[r] - limit[r])``;
- each activity's shares sum to 1; a share only where the role has minutes for the work and
  holds its competencies, or can be trained for them in time (:mod:`wfkit.skills`), or does
  it today; floors and ceilings per activity and role;
- each role's FTE at most its projected supply plus what extra training places deliver by the
  year (:func:`wfkit.skills.pipeline_fte`), and any stated maximum;
- an optional budget, in total or by funding stream (:mod:`wfkit.funding`: core funding pays
  any role; the ARRS pays its roles up to a maximum per FTE).

The shadow prices of the limits that bind are put in words; limits no mix can meet are
named, the tightest first (an elastic programme with a slack on every limit).  The arrays
are the engine's own (:class:`wfkit.scenario.ScenarioRun` inputs and results), and the
answer is run back through the engine as a scenario (docs/optimise.md).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .data import code_words
from .errors import InputError, short
from .funding import funding_rules
from .optimiser_lp import (
    OBJECTIVES,
    Problem,
    Programme,
    Row,
    apply_limits,
    build_problem,
    fte_rows,
    infeasible_error,
    objective_value,
    programme,
    role_words,
    solve,
    stream_words,
    tie_break,
)
from .scenario import ScenarioRun, ScenarioSpec, load_scenario, run_scenario
from .skills import SkillsTables, load_skills_tables

__all__ = ["OBJECTIVES", "Optimised", "optimise"]

#: shares below this are written as 0
_TINY = 1e-9


@dataclass(slots=True)
class Optimised:
    """The best skill mix found by :func:`optimise`, run through the engine.

    Attributes
    ----------
    objective
        ``cost``, ``fte`` or ``shortfall``.
    year
        The year optimised.
    value
        The optimum: GBP a year, FTE, or FTE of shortfall (every role, every area).
    shares
        ``activity, role, today, future_model, optimised`` for the activities optimised
        (rows where any is above 0).
    overrides
        The ``overrides.skill_mix`` rows of a scenario file that give this mix (every
        activity's ``future`` shares: the optimised ones, and today's for the others).
    scenario
        The whole scenario: baseline today's mix, variants ``future_model`` and
        ``optimised``, each complete by ``year`` (write it with ``yaml.safe_dump``).
    run
        That scenario run (:class:`wfkit.scenario.ScenarioRun`).
    comparison
        ``model, role, required_fte, supply_fte, gap_fte, cost_gbp`` in ``year`` for today's
        mix, the bundled future model and the optimised mix (``role == "all"``: totals).
    limits
        Every limit of the programme: ``kind, limit, role, activity, stream, bound, value,
        binding, shadow_price, words``.
    notes
        What the optimisation assumed (roles left out of activities and why, rules used).
    """

    objective: str
    year: int
    value: float
    shares: pd.DataFrame
    overrides: list[dict[str, Any]]
    scenario: dict[str, Any]
    run: ScenarioRun
    comparison: pd.DataFrame
    limits: pd.DataFrame
    notes: list[str]

    def table(self) -> Any:
        """Return the comparison as a table people read (a pandas Styler).

        One row per role (in words) and the total: FTE required on today's mix, the future
        model and the optimised mix, the FTE projected in post, and each model's cost in
        £ million a year (:func:`wfkit.tables_display.readable`).
        """
        # lazy: the display helpers (pandas' Styler) only when a table is shown
        from .tables_display import readable

        c = self.comparison
        fte = c.pivot(index="role", columns="model", values="required_fte")
        cost = c.pivot(index="role", columns="model", values="cost_gbp") / 1e6
        models = ["today", "future_model", "optimised"]
        wide = pd.concat(
            [
                fte[models].add_prefix("fte_"),
                c[c["model"] == "today"].set_index("role")["supply_fte"],
                cost[models].add_prefix("cost_"),
            ],
            axis=1,
        ).reindex(list(dict.fromkeys(c["role"])))
        words = {"today": "today", "future_model": "future model", "optimised": "optimised"}
        headers = {f"fte_{m}": f"FTE required, {w}" for m, w in words.items()}
        headers |= {f"cost_{m}": f"Cost, {w} (£ million a year)" for m, w in words.items()}
        return readable(
            wide.rename_axis("role"),
            headers=headers,
            caption=f"{self.scenario.get('name', '')} (least {self.objective}): FTE and cost "
            "on today's mix, the future model and the best mix",
        )

    def binding(self) -> list[str]:
        """Return the limits that bind, with their shadow prices in words (largest first)."""
        b = self.limits[self.limits["binding"] & (self.limits["kind"] != "activity")]
        b = b.reindex(b["shadow_price"].abs().sort_values(ascending=False).index)
        return [w for w in b["words"] if w]


# ----------------------------------------------------------------------------------------
# inputs
# ----------------------------------------------------------------------------------------
def _as_run(area: Any, draws: int) -> ScenarioRun:
    """Return the scenario run to optimise (running a scenario given another way)."""
    if isinstance(area, ScenarioRun):
        return area
    if not isinstance(area, ScenarioSpec | str | os.PathLike | Mapping):
        raise InputError(
            f"{short(area)} is a {type(area).__name__}; expected a scenario run, a scenario "
            "(ScenarioSpec), a scenario file path, a bundled scenario name or a mapping",
            key="area",
        )
    sc = area if isinstance(area, ScenarioSpec) else load_scenario(area)
    return run_scenario(sc, draws=draws)


def _year_index(run: ScenarioRun, year: int | None) -> int:
    years = [int(y) for y in run.results["baseline"].years]
    if year is None:
        return len(years) - 1
    if isinstance(year, bool) or not isinstance(year, int | np.integer) or int(year) not in years:
        raise InputError(
            f"year {short(year)} is not modelled; expected a year from {years[1]} to {years[-1]} "
            "(a longer horizon models later years)",
            key="year",
        )
    if int(year) == years[0]:
        raise InputError(
            f"year {year} is the base year: who does what there is today's; expected a year "
            f"from {years[1]} to {years[-1]}",
            key="year",
        )
    return years.index(int(year))


def _chosen(run: ScenarioRun, activities: Sequence[str] | None) -> list[str]:
    """Return the activities optimised, in the run's order (all of them by default)."""
    every = list(run.results["baseline"].activities)
    if activities is None:
        return every
    if isinstance(activities, str):
        activities = [activities]
    activities = list(activities)
    unknown = [a for a in activities if a not in every]
    if unknown or not activities:
        what = f"unknown activity {short(unknown[0])}" if unknown else "no activities given"
        raise InputError(f"{what}; expected some of {short(every, 200)}", key="activities")
    return [a for a in every if a in set(activities)]


def _amount(objective: str, v: float) -> str:
    """Return an objective's change in words: pounds a year, FTE, or FTE of shortfall."""
    if objective == "cost":
        return f"£{v:,.2f} a year" if abs(v) < 10 else f"£{v:,.0f} a year"
    return f"{v:,.3f} FTE" + (" of shortfall" if objective == "shortfall" else "")


def _shadow_words(row: Row, m: float, objective: str, fte: float) -> str:
    """Return a binding limit's shadow price in words (``m``: the objective's change per unit)."""
    save = "saves" if objective != "shortfall" else "cuts the shortfall by"
    amt = _amount(objective, -m) if objective != "shortfall" else f"{-m:,.3f} FTE"
    if row.kind == "fte_limit":
        return f"one more {row.what.split(' FTE')[0]} FTE {save} {amt} ({row.what})"
    if row.kind == "budget":
        return f"£1,000 more budget {save} {_amount(objective, -m * 1000)} ({row.what})"
    if row.kind == "stream":  # per pound of cost; per £1,000 when it buys FTE
        per = 1.0 if objective == "cost" else 1000.0
        got = _amount(objective, -m * per) if objective != "shortfall" else f"{-m * per:,.3f} FTE"
        return f"£{per:,.0f} more of {stream_words(row.stream)} {save} {got} ({row.what})"
    if row.kind == "stream_cap":
        return (
            f"£1,000 more {stream_words(row.stream)} per FTE for {row.role} {save} "
            f"{_amount(objective, -m * 1000 * fte)} ({row.what})"
        )
    return ""


def _limits_frame(
    p: Problem, lp: Programme, res: Any, objective: str, x: np.ndarray
) -> pd.DataFrame:
    """Every limit with its value at the optimum, whether it binds, its shadow price, in words."""
    F = fte_rows(p, lp.idx, len(lp.c))
    fte = F[:, : len(lp.idx)] @ x[: len(lp.idx)] + p.fixed
    out = []
    ineq = res.ineqlin.marginals if len(lp.b_ub) else []
    for i, row in enumerate(lp.rows):
        m = float(ineq[i])
        val = float(lp.a_ub[i] @ x)
        binding = bool(abs(m) > 1e-9 or abs(val - lp.b_ub[i]) <= 1e-7 * max(1.0, abs(lp.b_ub[i])))
        r = p.roles.index(row.role) if row.role else -1
        words = _shadow_words(row, m, objective, fte[r] if r >= 0 else 0.0) if abs(m) > 1e-9 else ""
        out.append(
            dict(
                kind=row.kind,
                limit=row.what,
                role=row.role,
                activity="",
                stream=row.stream,
                bound=row.limit,
                # how much of the limit the optimum uses (FTE, GBP); a cap per FTE has none
                value=np.nan if row.kind == "stream_cap" else row.limit - (lp.b_ub[i] - val),
                binding=binding,
                shadow_price=m,
                words=words,
            )
        )
    labels = role_words(p.roles)
    for j, (k, r) in enumerate(lp.idx):
        if not p.limited[k, r]:
            continue
        act = code_words(p.activities[k]).lower()
        for kind, bound, m in (
            ("floor", p.lo[k, r], res.lower.marginals[j]),
            ("ceiling", p.hi[k, r], res.upper.marginals[j]),
        ):
            if (kind == "floor" and bound <= 0) or (kind == "ceiling" and bound >= 1):
                continue
            word = "at least" if kind == "floor" else "at most"
            what = f"{labels[r]} doing {word} {bound:.0%} of {act}"
            per = abs(float(m)) * 0.01
            words = (
                f"{what} costs {_amount(objective, per)} for each percentage point"
                if abs(m) > 1e-9
                else ""
            )
            out.append(
                dict(
                    kind=kind,
                    limit=what,
                    role=p.roles[r],
                    activity=p.activities[k],
                    stream="",
                    bound=bound,
                    value=float(x[j]),
                    binding=abs(x[j] - bound) <= 1e-9,
                    shadow_price=float(m),
                    words=words,
                )
            )
    for k, act in enumerate(p.activities):
        m = float(res.eqlin.marginals[k])
        name = code_words(act).lower()
        out.append(
            dict(
                kind="activity",
                limit=f"all of {name} done",
                role="",
                activity=act,
                stream="",
                bound=1.0,
                value=1.0,
                binding=True,
                shadow_price=m,
                words=f"each 1% more {name} work costs {_amount(objective, m * 0.01)} at the margin"
                if abs(m) > 1e-9
                else "",
            )
        )
    return pd.DataFrame(out)


# ----------------------------------------------------------------------------------------
# the answer, as a scenario, run
# ----------------------------------------------------------------------------------------
def _clean_shares(p: Problem, lp: Programme, x: np.ndarray) -> np.ndarray:
    """Return the optimum as shares ``(K, R)``: tiny values 0, each activity summing to 1 exactly."""
    S = np.zeros(p.today.shape)
    for j, (k, r) in enumerate(lp.idx):
        S[k, r] = x[j]
    S = np.clip(S, 0.0, 1.0)
    S[S < _TINY] = 0.0
    return S / S.sum(axis=1, keepdims=True)


def _override_rows(run: ScenarioRun, p: Problem, S: np.ndarray) -> list[dict[str, Any]]:
    """``overrides.skill_mix`` rows giving every activity's future share.

    The optimised activities take ``S``, the others today's shares; a pair with no share
    today or in the future model also sets ``current: 0`` (so a row the table lacks is
    added whole).
    """
    inp = run.inputs["baseline"]
    every = list(run.results["baseline"].activities)
    rows: list[dict[str, Any]] = []
    for ka, act in enumerate(every):
        opt = act in p.activities
        new = S[p.activities.index(act)] if opt else inp.shares_current[ka]
        for r, role in enumerate(p.roles):
            cur, fut = inp.shares_current[ka, r], inp.shares_future[ka, r]
            if new[r] <= 0 and cur <= 0 and fut <= 0:
                continue
            row: dict[str, Any] = {"activity": act, "role": role, "future": float(new[r])}
            if cur <= 0 and fut <= 0:
                row["current"] = 0.0
            rows.append(row)
    return rows


def _absolute_inputs(sc: ScenarioSpec, mapping: dict[str, Any]) -> None:
    """Make a scenario's own input paths absolute, so the mapping runs from anywhere."""
    base = sc.path.parent if sc.path is not None else Path.cwd()
    for name, ref in dict(mapping.get("inputs", {})).items():
        if isinstance(ref, str) and ref != "bundled":
            mapping["inputs"][name] = str((base / ref).resolve())
        elif isinstance(ref, Mapping):
            mapping["inputs"][name] = {**ref, "path": str((base / ref["path"]).resolve())}


def _scenario(
    run: ScenarioRun, year: int, rows: list[dict[str, Any]], draws: int
) -> dict[str, Any]:
    """Return the scenario of the answer: today's mix, the future model and the optimised mix."""
    sc = run.scenario
    m = sc.to_mapping()
    _absolute_inputs(sc, m)
    base = int(sc.baseline.base_year)
    move = {"model": "future", "transition_start": base + 1, "transition_years": year - base - 1}
    m.update(
        name=f"{sc.name}: best skill mix for {year}",
        description=f"Today's who-does-what, the bundled future model and the optimised mix "
        f"(wfkit.optimise), each complete by {year}.",
        draws=int(draws),
        skill_mix={"model": "current"},
        variants=[
            {
                "name": "future_model",
                "description": f"The future model, complete by {year}.",
                "skill_mix": dict(move),
            },
            {
                "name": "optimised",
                "description": f"The optimised mix, complete by {year}.",
                "skill_mix": dict(move),
                "overrides": {"skill_mix": rows},
            },
        ],
    )
    return m


def _comparison(run: ScenarioRun, t: int) -> pd.DataFrame:
    """Return required and supplied FTE and cost in the year, by role and in total, for each model."""
    names = {"baseline": "today", "future_model": "future_model", "optimised": "optimised"}
    out = []
    for var, model in names.items():
        res = run.results[var]
        req = res.required_fte[0][:, t].sum(axis=0)
        sup = res.supply_fte[0][:, t].sum(axis=0)
        cost = res.cost_gbp[0][:, t].sum(axis=0)
        for i, role in enumerate([*res.roles, "all"]):
            pick = slice(None) if role == "all" else i
            r_, s_, c_ = (float(np.sum(v[pick])) for v in (req, sup, cost))
            out.append(
                dict(
                    model=model,
                    role=role,
                    required_fte=r_,
                    supply_fte=s_,
                    gap_fte=s_ - r_,
                    cost_gbp=c_,
                )
            )
    return pd.DataFrame(out)


def _shares_frame(p: Problem, S: np.ndarray) -> pd.DataFrame:
    k, r = np.nonzero((S > 0) | (p.today > 0) | (p.future > 0))
    return pd.DataFrame(
        {
            "activity": np.asarray(p.activities, dtype=object)[k],
            "role": np.asarray(p.roles, dtype=object)[r],
            "today": p.today[k, r],
            "future_model": p.future[k, r],
            "optimised": S[k, r],
        }
    )


def _funding_year(rules: pd.DataFrame, year: int, given: str | None, notes: list[str]) -> str:
    """Return the funding rules' year: the one given, else the year's own, else the latest held."""
    held = sorted(set(rules["year"]))
    if given is not None:
        return str(given)
    own = f"{year}/{(year + 1) % 100:02d}"
    if own in held:
        return own
    last = held[-1]
    notes.append(f"funding: {own} rules not held; the {last} rules used (data/funding/arrs.csv)")
    return last


def optimise(
    area: ScenarioRun | ScenarioSpec | str | os.PathLike[str] | Mapping[str, Any],
    year: int | None = None,
    activities: Sequence[str] | None = None,
    objective: str = "cost",
    *,
    limits: pd.DataFrame | Sequence[Mapping[str, Any]] | None = None,
    max_fte: Mapping[str, float] | None = None,
    places: Mapping[str, float] | None = None,
    budget: float | Mapping[str, float] | None = None,
    funding: pd.DataFrame | str | os.PathLike[str] | None = None,
    funding_year: str | None = None,
    skills: SkillsTables | None = None,
    draws: int = 0,
) -> Optimised:
    """Find the who-does-what that minimises cost, FTE or the shortfall under limits.

    Parameters
    ----------
    area
        A scenario run, or a scenario (spec, file, bundled name or mapping) to run: its
        baseline's areas, tables and calibration (summed over its areas).
    year
        The year to optimise (default the last modelled).
    activities
        The activities whose shares may change (default all); the others keep today's.
    objective
        ``"cost"`` (GBP a year), ``"fte"`` or ``"shortfall"`` (FTE needed above each
        role's supply plus training places; that limit is then soft).
    limits
        Floors and ceilings: rows of ``activity, role, min_share, max_share``
        (``{"activity": "complex_review", "role": "gp", "min_share": 0.5}``).
    max_fte
        A maximum FTE per role, beside supply.
    places
        Extra training places commissioned a year from the year after the base year, by
        role (``inf``: as many as needed); what they deliver by ``year`` adds to supply
        (:func:`wfkit.skills.pipeline_fte`).
    budget
        GBP a year for the whole workforce modelled: a number, or one per funding stream
        (``{"core": 9e6, "arrs": 1.5e6}``: :mod:`wfkit.funding`).
    funding, funding_year
        The funding rules (default ``data/funding/arrs.csv``) and their year (default the
        year's own financial year, else the latest held).
    skills
        The competency and pipeline tables (default the bundled ones).
    draws
        Draws of the resulting run (its central run is the optimum's).

    Returns
    -------
    Optimised
        The shares, the scenario rows that give them, the run and the comparison with
        today's mix and the future model, and every limit with its shadow price.

    Raises
    ------
    InputError
        On a bad limit (naming it), or when no mix meets every limit (naming the tightest).
    """
    if objective not in OBJECTIVES:
        raise InputError(
            f"objective {short(objective)}; expected one of {list(OBJECTIVES)}", key="objective"
        )
    run = _as_run(area, 0)
    t = _year_index(run, year)
    yr = int(run.results["baseline"].years[t])
    tables = load_skills_tables() if skills is None else skills
    p = build_problem(run, t, _chosen(run, activities), tables, places)
    apply_limits(p, limits, max_fte)
    rules = funding_rules(funding) if isinstance(budget, Mapping) else None
    fyear = _funding_year(rules, yr, funding_year, p.notes) if rules is not None else ""
    _check_budget(budget)
    lp = programme(p, objective, budget, rules, fyear)
    res = solve(lp)
    if res.status == 2:
        raise infeasible_error(p, lp, yr)
    if res.status != 0:
        raise InputError(f"the optimisation did not finish: {res.message}", key="limits")
    x = res.x if objective == "cost" else tie_break(p, lp, res)
    S = _clean_shares(p, lp, x)
    limits_df = _limits_frame(p, lp, res, objective, x)
    rows = _override_rows(run, p, S)
    scenario = _scenario(run, yr, rows, draws)
    out_run = run_scenario(load_scenario(scenario), draws=draws)
    value = objective_value(p, S, objective)
    return Optimised(
        objective=objective,
        year=yr,
        value=value,
        shares=_shares_frame(p, S),
        overrides=rows,
        scenario=scenario,
        run=out_run,
        comparison=_comparison(out_run, t),
        limits=limits_df,
        notes=p.notes,
    )


def _check_budget(budget: Any) -> None:
    items = budget.items() if isinstance(budget, Mapping) else [("budget", budget)]
    for k, v in items:
        if v is None and not isinstance(budget, Mapping):
            return
        if (
            isinstance(v, bool)
            or not isinstance(v, int | float | np.integer | np.floating)
            or not v >= 0
        ):
            raise InputError(f"{short(v)} for {k}; expected GBP a year, 0 or more", key="budget")
