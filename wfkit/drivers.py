"""Explain the change: the move from the base year to a later year, split into its drivers.

The change in required FTE, supply, the gap and cost between the base year ``t0`` and a
year ``t`` is split by *sequential substitution* (step by step): starting from the inputs
as they stand in the base year, the drivers are switched from their base-year state to their
state in year ``t`` one at a time, in a fixed order, and the engine
(:func:`wfkit.model.engine.run_model`) is run again after each switch.  A driver's part is
the difference between the run after its switch and the run before it, so the parts add up
exactly to the whole change (the sum telescopes), in the central run and in every draw.

The order (:data:`DRIVERS`):

1. population growth: the total population grows to year ``t``'s, each age band by the same
   factor (the projection's growth and the annual growth rate);
2. ageing: the age mix moves to year ``t``'s at that constant total;
3. prevalence trend: each activity's cohort grows or shrinks by its annual trend (and a
   variant's own prevalence table);
4. service use per person: contacts per person and the calibration of service use;
5. who does what: the skill-mix shares move along the transition to the future model (and
   an area's own use of each class of staff, under local calibration);
6. minutes per contact (with the calibration's factors on them);
7. working time and allowances: available working time, CAF and IAF;
8. pay per FTE: salary and on-costs (cost only);
9. staff in post in the base year, then joiners and leavers at the trend rates, then the
   policy additions: the supply side.  Joiners are counted as the flow they are, year by
   year (each year's trend joiner rate times the staff in post at the year's start, summed
   to year ``t``), and leavers as the rest of the trend's change (the same count with the
   leaver rate, unless the staff ran out).  Switching a compounding joiner rate on alone,
   with no leavers, would credit joiners with a counterfactual (1,370 FTE over ten years in
   North Southwark PCN) that nobody would recognise.  The policy additions are supply with
   the supply policy settings in force (:mod:`wfkit.scenario.policy`: the rates they add to
   the joiner rates of their roles) minus supply on the trend alone: the policy's joiners,
   and what they compound to, net of the leavers among them.  With no policy in force the
   part is exactly 0.

Within one variant, service use per person, minutes per contact, working time, pay and staff
in post are the same in every year, so their parts are 0; comparing a variant's year ``t``
with the baseline's base year (``start_variant="baseline"``) gives them their parts.  The
model's supply (:mod:`wfkit.model.supply`) is staff in post rolled forward by joiners and
leavers; the supply policy settings are kept apart from the trend joiner rates
(:attr:`wfkit.model.engine.ModelInputs.trend_joiner_rate`) so that their part can be told.

A sequential split depends on its order (an interaction between two drivers falls to the
later one); the order is fixed and documented so that the same question always gets the
same answer (docs/explain.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .errors import InputError
from .model.chunks import slice_areas
from .model.engine import ModelInputs, ModelResult, run_model
from .model.supply import roll_forward
from .model.uncertainty import Param, shared_draws, summarise_draws
from .scenario.results import ScenarioRun

__all__ = [
    "DRIVERS",
    "DRIVER_WORDS",
    "MEASURE_UNITS",
    "Decomposition",
    "decompose",
    "area_inputs",
    "area_label",
    "explain",
    "frame",
    "pick",
    "two_years",
]

#: the drivers in the order they are switched: (key, words, side)
DRIVERS: tuple[tuple[str, str, str], ...] = (
    ("population_growth", "population growth", "requirement"),
    ("ageing", "ageing (age mix at constant total)", "requirement"),
    ("prevalence_trend", "prevalence trend", "requirement"),
    ("service_use", "service use per person", "requirement"),
    ("who_does_what", "who does what", "requirement"),
    ("minutes", "minutes per contact", "requirement"),
    ("working_time", "working time and allowances", "requirement"),
    ("pay", "pay and on-costs per FTE", "cost"),
    ("staff_in_post", "staff in post in the base year", "supply"),
    ("joiners", "joiners", "supply"),
    ("leavers", "leavers", "supply"),
    ("policy", "policy additions", "supply"),
)
#: the row of :attr:`Decomposition.levels` after joiners are counted
JOINERS_STEP = 1 + [k for k, _, _ in DRIVERS].index("joiners")
#: driver key -> words
DRIVER_WORDS = {k: w for k, w, _ in DRIVERS}
#: the measures explained and their units
MEASURE_UNITS = {
    "required_fte": "FTE",
    "supply_fte": "FTE",
    "gap_fte": "FTE, in post - required",
    "cost_gbp": "GBP a year",
}


def pick(
    result: ModelResult, measure: str, year_index: int, role: int | None, area: int | None = None
) -> np.ndarray:
    """Return one measure of a result for one year, an area's and a role's, over the draws.

    Summed over areas if ``area`` is None, over roles if ``role`` is None; shape ``(D,)``.
    """
    arr = result.measure(measure)[:, :, year_index, :]  # (D, A, R)
    arr = arr.sum(axis=1) if area is None else arr[:, area]
    return arr.sum(axis=-1) if role is None else arr[:, role]


def two_years(inputs: ModelInputs, it: int) -> ModelInputs:
    """Return the inputs of the base year and year index ``it`` only (growth cut the same way).

    The engine's results for those two years are the same as in the run of every year.
    """
    growth = None if inputs.growth is None else inputs.growth[:, [0, it], :]
    return replace(inputs, years=np.asarray(inputs.years)[[0, it]], growth=growth)


def _trend_joiners(inputs: ModelInputs) -> Param:
    """Return the joiner rates before the supply policy settings (the rates if none is in force)."""
    return inputs.joiner_rate if inputs.trend_joiner_rate is None else inputs.trend_joiner_rate


def _zero(p: Param) -> Param:
    return Param.point(np.zeros_like(np.asarray(p.value, dtype=float)), lower=-1.0)


def _state(a: ModelInputs, b: ModelInputs, on: set[str]) -> ModelInputs:
    """Return two-year inputs, the second year with the drivers ``on`` switched.

    Drivers ``on`` are at ``b``'s year ``t``, the rest at ``a``'s base year.  ``a`` and ``b`` are two-year inputs (base year, year ``t``).  With nothing on, the second
    year equals ``a``'s base year; with everything on, ``b``'s year ``t``.
    """
    ga = np.ones((len(a.areas), 2, len(a.age_bands))) if a.growth is None else a.growth
    gb = np.ones((len(b.areas), 2, len(b.age_bands))) if b.growth is None else b.growth
    population, rate = a.population, _zero(a.growth_rate)
    growth = np.stack([ga[:, 0], ga[:, 0]], axis=1)
    if "ageing" in on:
        population, rate, growth = b.population, b.growth_rate, gb
    elif "population_growth" in on:  # year t's total with the base year's age mix
        tot_a = (a.population * ga[:, 0]).sum(axis=-1)
        tot_b = (b.population * gb[:, 1]).sum(axis=-1)
        factor = np.divide(tot_b, tot_a, out=np.ones_like(tot_a), where=tot_a > 0)
        growth = np.stack([ga[:, 0], ga[:, 0] * factor[:, None]], axis=1)
        rate = b.growth_rate
    src = {k: (b if k in on else a) for k, _, _ in DRIVERS}
    shares_from = a.shares()[0]
    shares_to = b.shares()[1] if "who_does_what" in on else shares_from
    who, mins = src["who_does_what"], src["minutes"]
    return replace(
        b,
        population=population,
        growth=growth,
        growth_rate=rate,
        prevalence=src["prevalence_trend"].prevalence,
        trend=b.trend if "prevalence_trend" in on else None,
        contacts=src["service_use"].contacts,
        demand_factor=src["service_use"].demand_factor,
        shares_current=shares_from,
        shares_future=shares_to,
        skill_mix_model="future",
        transition_start=int(b.years[1]),
        transition_years=0,
        staff_factor=who.staff_factor,
        staff_class=who.staff_class,
        staff_factor_activities=who.staff_factor_activities,
        minutes=mins.minutes,
        minutes_draw_factor=mins.minutes_draw_factor,
        draw_seed=mins.draw_seed,
        capacity=src["working_time"].capacity,
        salary=src["pay"].salary,
        oncost_rate=src["pay"].oncost_rate,
        supply=src["staff_in_post"].supply,
        joiner_rate=_joiner_rate(b, on),
        leaver_rate=b.leaver_rate if "leavers" in on else _zero(b.leaver_rate),
    )


def _joiner_rate(b: ModelInputs, on: set[str]) -> Param:
    """Joiner rates: none, then the trend's, then with the supply policy added."""
    if "policy" in on:
        return b.joiner_rate
    if "joiners" in on:
        return _trend_joiners(b)
    return _zero(b.joiner_rate)


@dataclass(frozen=True)
class Decomposition:
    """Each measure's level after each step of the decomposition, draw by draw.

    Attributes
    ----------
    levels
        ``{measure: (S + 1, D)}``: row 0 is the start (base year), row ``i`` the state
        after the ``i``-th driver of :data:`DRIVERS` is switched, the last row year ``t``.
    year_from, year
        The base year and the year explained.
    """

    levels: dict[str, np.ndarray]
    year_from: int
    year: int

    def parts(self, measure: str) -> np.ndarray:
        """Each driver's part of the change, ``(S, D)``; they sum to the whole change."""
        return np.diff(self.levels[measure], axis=0)


def area_inputs(inputs: ModelInputs, area: str | None) -> ModelInputs:
    """Return the inputs of one area.

    All of them if ``area`` is None, or if the area's draws depend on the areas beside it.

    Raises
    ------
    InputError
        If ``area`` is not an area of the inputs.
    """
    if area is None:
        return inputs
    areas = list(inputs.areas)
    if area not in areas:
        raise InputError(
            f"area {area!r} is not in the run; expected one of {areas[:10]}", column="area"
        )
    i = areas.index(area)
    try:
        return slice_areas(inputs, slice(i, i + 1))
    except InputError:  # draws that depend on the areas beside it: run them all
        return inputs


def decompose(
    start: ModelInputs,
    end: ModelInputs,
    year: int,
    *,
    area: str | None = None,
    role: str | None = None,
    draws: int = 0,
    seed: int = 0,
) -> Decomposition:
    """Split the change from ``start``'s base year to ``end``'s ``year`` into the drivers.

    Parameters
    ----------
    start, end
        Engine inputs of the start (its base year) and of the end (year ``year``); the
        same inputs to explain one variant's change over time.  Both must have the same
        areas, years, age bands, activities and roles.
    year
        The year explained (a year of ``end.years`` after the base year).
    area
        An area of the inputs, or ``None`` for the total over all areas.
    role
        A role of the inputs, or ``None`` for the total over roles.
    draws, seed
        Monte Carlo draws (0: the central run only) and their seed, as the run used.

    Returns
    -------
    Decomposition
        Levels after each step for required FTE, supply, gap and cost.
    """
    _same_shape(start, end)
    years = [int(y) for y in end.years]
    if year not in years[1:]:
        raise InputError(
            f"year {year} is not modelled after the base year; expected one of {years[1:]}",
            column="year",
        )
    ri = _role_index(end, role)
    it = years.index(year)
    a = two_years(area_inputs(start, area), it)
    b = two_years(area_inputs(end, area), it)
    if area is not None:
        ai = list(a.areas).index(area) if len(a.areas) > 1 else None
        levels = _levels(a, b, ri, ai, year - years[0], draws, seed)
    else:  # every area, a chunk at a time (bounded memory), summed
        levels = {}
        for ca, cb in _chunks(a, b):
            lv = _levels(ca, cb, ri, None, year - years[0], draws, seed)
            levels = {m: levels[m] + v for m, v in lv.items()} if levels else lv
    return Decomposition({m: levels[m] for m in MEASURE_UNITS}, years[0], int(year))


#: areas run through the engine at a time when a decomposition covers every area
CHUNK_AREAS = 256


def _chunks(a: ModelInputs, b: ModelInputs) -> list[tuple[ModelInputs, ModelInputs]]:
    """Both inputs cut into the same chunks of areas (whole if they cannot be cut)."""
    n = len(a.areas)
    if n <= CHUNK_AREAS:
        return [(a, b)]
    try:
        return [
            (slice_areas(a, sl), slice_areas(b, sl))
            for sl in (slice(i, min(i + CHUNK_AREAS, n)) for i in range(0, n, CHUNK_AREAS))
        ]
    except InputError:  # draws that depend on the areas beside them: all at once
        return [(a, b)]


def _levels(
    a: ModelInputs,
    b: ModelInputs,
    ri: int | None,
    ai: int | None,
    n: int,
    draws: int,
    seed: int,
) -> dict[str, np.ndarray]:
    """Each measure's level ``(S + 1, D)`` after each step, for two-year inputs ``a``, ``b``."""
    on: set[str] = set()
    # the steps switch one driver at a time: every other input is drawn as in the step
    # before (the same parameter, interval and seed), so each is drawn once
    with shared_draws():
        runs = [run_model(_state(a, b, on), draws, seed)]
        for key, _, _ in DRIVERS:
            on.add(key)
            runs.append(run_model(_state(a, b, on), draws, seed))
    d = max(r.required_fte.shape[0] for r in runs)
    levels = {
        m: np.stack([np.broadcast_to(pick(r, m, 1, ri, ai), (d,)) for r in runs])
        for m in ("required_fte", "supply_fte", "cost_gbp")
    }
    # joiners as a flow: those who join year by year (trend rate x staff at the year's
    # start); leavers are the rest of the trend's change, so the two add up to it exactly
    j = JOINERS_STEP
    levels["supply_fte"][j] = levels["supply_fte"][j - 1] + _joined(b, n, ri, ai, d, draws, seed)
    levels["gap_fte"] = levels["supply_fte"] - levels["required_fte"]
    return levels


def _joined(
    b: ModelInputs, n: int, ri: int | None, ai: int | None, d: int, draws: int, seed: int
) -> np.ndarray:
    """FTE joining over ``n`` years at the trend rates, draw by draw: ``sum_y j x F(y)``, ``y < n``.

    ``j`` is the trend joiner rate and ``F`` the staff in post rolled forward on the trend
    (no supply policy): the policy's joiners are the policy additions' part.
    """
    jr = _trend_joiners(b).draws(draws, seed, "joiner_rate")
    lr = b.leaver_rate.draws(draws, seed, "leaver_rate")
    f = roll_forward(b.supply, jr, lr, np.arange(n, dtype=float))  # (D, A, n, R)
    joined = f.sum(axis=2) * jr[:, None, :]  # (D, A, R)
    joined = joined.sum(axis=1) if ai is None else joined[:, ai]
    return np.broadcast_to(joined.sum(axis=-1) if ri is None else joined[:, ri], (d,))


def _role_index(inputs: ModelInputs, role: str | None) -> int | None:
    if role is None or role == "all":
        return None
    roles = list(inputs.roles)
    if role not in roles:
        raise InputError(f"role {role!r} is not modelled; expected one of {roles}", column="role")
    return roles.index(role)


def _same_shape(a: ModelInputs, b: ModelInputs) -> None:
    for what in ("areas", "years", "age_bands", "activities", "roles"):
        if list(getattr(a, what)) != list(getattr(b, what)):
            raise InputError(
                f"the start and end inputs have different {what}; expected the same",
                column=what,
            )


def explain(
    run: ScenarioRun,
    area: str | None = None,
    year: int | None = None,
    role: str | None = None,
    *,
    variant: str = "baseline",
    start_variant: str | None = None,
) -> pd.DataFrame:
    """Why the answer changed from the base year to ``year``: each driver's part, in a tidy frame.

    Parameters
    ----------
    run
        A scenario run (``wfkit.run_scenario`` or a use case's ``run()``).
    area
        An area code of the run, or ``None`` for the total over the run's areas.
    year
        The year explained; default the last year modelled.
    role
        A role code, or ``None`` (or ``"all"``) for the total over roles.
    variant
        The variant whose year ``year`` is explained.
    start_variant
        The variant whose base year the change starts from; default ``variant`` itself.
        ``"baseline"`` with ``variant="future_model"`` explains the future model's year
        ``year`` against today's base year.

    Returns
    -------
    pandas.DataFrame
        One row per measure (required FTE, supply, gap, cost) and step: ``kind`` ``start``
        (the base year), ``change`` (a driver's part; ``step`` gives the order) or ``end``
        (year ``year``); ``value`` the central run, ``p10``/``p50``/``p90`` over the draws
        (of the level, or of the part draw by draw), ``unit`` in words.  The changes of a
        measure add up to end minus start, in the central run and in every draw.
    """
    for v in {variant, start_variant or variant}:
        if v not in run.inputs:
            raise InputError(
                f"variant {v!r} is not in the run; expected one of {list(run.inputs)}",
                column="variant",
            )
    res = run.results[variant]
    year = int(res.years[-1]) if year is None else int(year)
    dec = decompose(
        run.inputs[start_variant or variant],
        run.inputs[variant],
        year,
        area=area,
        role=role,
        draws=res.n_draws,
        seed=res.seed,
    )
    return frame(dec, area=area_label(res.areas, area), role=role or "all", variant=variant)


def area_label(areas: Sequence[str], area: str | None) -> str:
    """Return the area a frame names: ``area``, the run's only area, or ``"total"``."""
    if area is not None:
        return area
    return str(areas[0]) if len(areas) == 1 else "total"


def frame(dec: Decomposition, area: str, role: str, variant: str) -> pd.DataFrame:
    """Return the tidy frame of a :class:`Decomposition` (see :func:`explain`)."""
    rows = []
    for m, unit in MEASURE_UNITS.items():
        lv = dec.levels[m]
        parts = dec.parts(m)
        entries: Sequence[tuple[str, int, str, str, np.ndarray]] = [
            ("start", 0, f"base year {dec.year_from}", "", lv[0]),
            *[
                ("change", i + 1, words, side, parts[i])
                for i, (_, words, side) in enumerate(DRIVERS)
                if _applies(m, side)
            ],
            ("end", len(DRIVERS) + 1, f"year {dec.year}", "", lv[-1]),
        ]
        for kind, step, driver, side, arr in entries:
            c, p10, p50, p90 = (float(x) for x in summarise_draws(arr))
            rows.append(
                {
                    "area": area,
                    "role": role,
                    "scenario": variant,
                    "year_from": dec.year_from,
                    "year": dec.year,
                    "measure": m,
                    "kind": kind,
                    "step": step,
                    "driver": driver,
                    "side": side,
                    "value": c,
                    "p10": p10,
                    "p50": p50,
                    "p90": p90,
                    "unit": unit,
                }
            )
    return pd.DataFrame(rows)


def _applies(measure: str, side: str) -> bool:
    """Whether a driver of ``side`` can move ``measure`` (others are 0 by construction)."""
    if measure == "required_fte":
        return side == "requirement"
    if measure == "supply_fte":
        return side == "supply"
    if measure == "cost_gbp":
        return side in ("requirement", "cost")
    return side in ("requirement", "supply")
