"""Engine inputs built from a scenario's tables, one step per concept.

The concepts: population, growth, activities, prevalence, contacts, who does what,
minutes, capacity and costs, supply.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from .. import tables as T
from ..errors import InputError
from ..model.engine import ModelInputs
from ..model.uncertainty import Param
from ..settings import GROWTH_RATE, SKILL_MIX_MODELS
from ..validation import check_shares_sum
from .arrays import (
    by_parameter,
    check_known,
    expand_bands,
    grid,
    grids,
    param_grid,
    require_complete,
)
from .community import add_community_roles
from .policy import apply_supply_policy, policy_notes
from .records import VariantRecord
from .spec import AreaSelection, ScenarioSpec, Shift, VariantSpec
from .tables import TableLoader, apply_overrides, parse_number, read_tables

_REQUIRED_CAPACITY = tuple(T.CAPACITY_PARAMETERS)
#: draws of a parameter are clipped to its valid range (wfkit.tables.PARAMETER_RANGES)
_UPPER = {k: r.hi for k, r in T.PARAMETER_RANGES.items() if r.hi is not None}


def _check_growth_rate(v: VariantSpec, vals: tuple[float, ...]) -> None:
    """Check ``growth_rate`` (value, lo, hi) is within its declared range.

    The range is :data:`wfkit.settings.GROWTH_RATE`; a percentage written as a number (2
    for 2%) is refused with the fraction it meant.
    """
    rng = GROWTH_RATE
    for x in vals:
        if np.isnan(x) or not rng.outside(x):
            continue
        hint = ""
        if not rng.outside(x / 100):
            hint = f"; for {x:g}% write {x / 100:g}"
        raise InputError(
            f"{x:g} is outside the valid range {rng.range_text()} (a fraction a year){hint}",
            source=v.source,
            key=v.key("growth_rate"),
        )


@dataclass(slots=True)
class _Build:
    """What the steps of :func:`build_inputs` share.

    The variant's settings and tables, the labels found so far, the notes for the log, and
    what the run's variants share (``shared``, see :func:`build_inputs`).
    """

    v: VariantSpec
    tables: dict[str, tuple[pd.DataFrame, str]]
    selection: AreaSelection = "all"
    shared: dict[Any, Any] | None = None
    notes: list[str] = field(default_factory=list)
    all_areas: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    bands: list[str] = field(default_factory=lambda: list(T.AGE_BANDS))
    years: np.ndarray = field(default_factory=lambda: np.arange(0))
    activities: list[str] = field(default_factory=list)
    catalogue: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)

    @property
    def src(self) -> str:
        """The scenario file, as errors name it."""
        return self.v.source


def build_inputs(
    scenario: ScenarioSpec | VariantSpec,
    variant: str = "baseline",
    load_table: TableLoader | None = None,
    *,
    shared: dict[Any, Any] | None = None,
) -> tuple[ModelInputs, VariantRecord]:
    """Build engine inputs for one variant of a scenario, one step per concept.

    Parameters
    ----------
    scenario
        A loaded scenario (:func:`wfkit.scenario.load_scenario`), or one variant's settings.
    variant
        ``"baseline"`` or the name of a variant (when ``scenario`` is a whole scenario).
    load_table
        Loads the tables given as ``bundled`` (default
        :func:`wfkit.scenario.tables.load_bundled_table`, through :mod:`wfkit.data`).
    shared
        A dict the variants of one run pass in turn (:func:`wfkit.scenario.prepare_inputs`
        does): a variant whose tables come from the same settings as an earlier one's
        (inputs, areas, level, years, overrides, community roles) takes that variant's
        tables, and the steps that read only those tables (population, growth, capacity,
        costs, flows, supply) their results, rather than reading and working them out again.
        The inputs are the same either way.

    Returns
    -------
    (ModelInputs, VariantRecord)
        The inputs and what they came from (table origins and notes for the log).
    """
    v = scenario.variant(variant) if isinstance(scenario, ScenarioSpec) else scenario
    _check_transition(v)
    tables, selection, notes, added = _read_shared(v, load_table, shared)
    if notes and v.activities:  # their activities are modelled beside the scenario's
        v = replace(v, activities=(*v.activities, *added))
    b = _Build(v, dict(tables), selection, shared=shared)
    b.notes += notes
    if v.level_given and not any(o.startswith("bundled:") for _, o in tables.values()):
        b.notes.append(
            f"level: {v.level!r} is not used: every table is the scenario's own "
            "(level picks the areas of the bundled data)"
        )
    population = _step(b, ("population", repr(selection)), ["population"], _population)
    b.years = np.arange(v.years.start, v.years.stop)
    growth = _step(b, ("growth", v.base_year, v.horizon), ["growth"], _growth)
    trend = _activities(b)
    b.roles = sorted(set(tables["capacity"][0]["role"]))
    prevalence = _prevalence(b)
    contacts = _contacts(b, prevalence)
    s_cur, s_fut = _skill_mix(b)
    minutes = _minutes(b, s_cur, s_fut)
    prevalence, contacts, minutes = _draw_as_catalogue(b, prevalence, contacts, minutes)
    capacity, costs, flows = _step(
        b,
        ("capacity", tuple(b.roles), v.base_year, repr(v.supply_policy)),
        ["capacity", "costs", "flows"],
        _capacity_costs_flows,
    )
    inputs = ModelInputs(
        areas=b.areas,
        years=b.years,
        age_bands=b.bands,
        activities=b.activities,
        roles=b.roles,
        population=population,
        prevalence=prevalence,
        contacts=contacts,
        shares_current=s_cur,
        shares_future=s_fut,
        minutes=minutes,
        capacity=capacity,
        salary=costs["salary"],
        oncost_rate=costs["oncost_rate"],
        supply=_step(b, ("supply", tuple(b.roles)), ["supply"], _supply),
        joiner_rate=flows["joiner_rate"],
        leaver_rate=flows["leaver_rate"],
        trend_joiner_rate=flows.get("trend_joiner_rate"),
        growth=growth,
        growth_rate=_growth_rate(b),
        trend=trend,
        skill_mix_model=v.skill_mix.model,
        transition_start=v.skill_mix.transition_start,
        transition_years=v.skill_mix.transition_years,
    )
    inputs.check()
    record = VariantRecord({k: t[1] for k, t in tables.items()}, b.notes)
    return inputs, record


_T = TypeVar("_T")


def _step(b: _Build, key: tuple[Any, ...], names: list[str], step: Callable[[_Build], _T]) -> _T:
    """Run ``step(b)`` once for the variants of a run reading the same tables ``names``.

    With ``b.shared`` (see :func:`build_inputs`), the result is kept with the areas the step
    found and the notes it made, beside the tables it read, which are matched by identity
    (a variant reading the same settings is handed the same table objects); a variant
    handed them takes the areas and adds the notes as the step made them.
    """
    if b.shared is None:
        return step(b)
    frames = tuple(b.tables[n][0] for n in names if n in b.tables)
    full = (*key, *names, *(id(f) for f in frames))
    hit = b.shared.get(full)
    if hit is not None and all(x is y for x, y in zip(hit[0], frames, strict=True)):
        out, b.all_areas, b.areas, notes = hit[1]
        b.notes += notes
        return out
    start = len(b.notes)
    out = step(b)
    b.shared[full] = (frames, (out, b.all_areas, b.areas, b.notes[start:]))
    return out


def _table_settings(v: VariantSpec, areas: object) -> tuple[str, str]:
    """Every setting of ``v`` that its tables are read and changed by, as one text."""
    settings = (v.path, v.inputs, areas, v.level, v.base_year, v.horizon)
    return "tables", repr((*settings, v.overrides, v.community_roles))


def _read_shared(
    v: VariantSpec, load_table: TableLoader | None, shared: dict[Any, Any] | None
) -> tuple[dict[str, tuple[pd.DataFrame, str]], AreaSelection, list[str], list[str]]:
    """Return :func:`_read_for`'s tables, read once for the variants reading the same ones.

    They are kept under the variant's settings and, where its areas were resolved to codes,
    under those codes too: :func:`wfkit.scenario.prepare_inputs` hands a later variant the
    baseline's areas as codes.
    """
    if shared is None:
        return _read_for(v, load_table)
    key = _table_settings(v, v.areas)
    if key not in shared:
        got = _read_for(v, load_table)
        shared[key] = got
        if isinstance(got[1], list | tuple):
            shared.setdefault(_table_settings(v, tuple(got[1])), got)
    return shared[key]


def _read_for(
    v: VariantSpec, load_table: TableLoader | None
) -> tuple[dict[str, tuple[pd.DataFrame, str]], AreaSelection, list[str], list[str]]:
    """Read a variant's tables, add its community roles and apply its overrides.

    Returns the tables, the areas modelled, the notes, and the activities the community
    roles added.
    """
    tables, selection = read_tables(v, load_table)
    before = set(tables["activities"][0]["activity"])
    notes = _community(tables, v, selection)
    added = [a for a in tables["activities"][0]["activity"] if a not in before]
    apply_overrides(tables, v.overrides, v.source)
    return tables, selection, notes, added


def _community(
    tables: dict[str, tuple[pd.DataFrame, str]], v: VariantSpec, selection: AreaSelection
) -> list[str]:
    """Add the community roles a scenario names (:mod:`wfkit.scenario.community`)."""
    if not v.community_roles:
        return []
    if isinstance(selection, list | tuple):
        areas = list(selection)
    else:  # every area of the scenario's own population table
        areas = sorted(set(tables["population"][0]["area"]))
    return add_community_roles(tables, v, areas)


def _check_transition(v: VariantSpec) -> None:
    """Refuse a move to the future model that starts after the last year modelled.

    The run would silently be today's model (it once was).
    """
    start = v.skill_mix.transition_start
    if v.skill_mix.model != "future" or start is None:
        return
    first, last = v.years[0], v.years[-1]
    if int(start) <= last:
        return
    raise InputError(
        f"{start} is after the last year modelled ({last}), so the future model would never "
        f"start; expected a year from {first} to {last}, or a longer horizon",
        source=v.source,
        key=f"{v.key('skill_mix')}.transition_start",
    )


def _area_rows(df: pd.DataFrame, b: _Build) -> np.ndarray | None:
    """Return a mask of rows of ``df`` for the areas modelled, or None when every area is."""
    if len(b.areas) == len(b.all_areas):
        return None
    return df["area"].isin(b.areas).to_numpy()


def _of_areas(df: pd.DataFrame, b: _Build) -> pd.DataFrame:
    """Return the rows of ``df`` for the areas modelled (all of them when every area is)."""
    rows = _area_rows(df, b)
    return df if rows is None else df[rows]


def _population(b: _Build) -> np.ndarray:
    """Return the areas modelled and their base-year population ``(A, G)``."""
    pop_df, pop_src = b.tables["population"]
    b.all_areas = sorted(set(pop_df["area"].unique()))
    sel = b.selection
    if isinstance(sel, list | tuple):
        known = set(b.all_areas)
        unknown = [a for a in sel if a not in known]
        if unknown:
            raise InputError(
                f"unknown area(s) {unknown}; expected codes from {pop_src}",
                source=b.src,
                key="areas",
            )
        b.areas = sorted(set(sel))
    else:
        b.areas = b.all_areas
    dims = [("area", b.areas), ("age_band", b.bands)]
    pop = grid(_of_areas(pop_df, b), dims, "population")
    require_complete(pop, dims, pop_src, "every area to have all 19 age bands")
    if pop.sum() <= 0:
        raise InputError(
            "population is empty (all zero); expected at least one person", source=pop_src
        )
    return pop


def _growth(b: _Build) -> np.ndarray | None:
    """Growth factors ``(A, T, G)`` relative to the base year, if a growth table is given."""
    if "growth" not in b.tables:
        return None
    g_df, g_src = b.tables["growth"]
    # years outside the horizon and areas not modelled are left out by a row mask (the
    # national table has over a million rows: no copy of it, no year turned into text)
    keep = g_df["year"].isin(b.years).to_numpy()
    in_areas = _area_rows(g_df, b)
    if in_areas is not None:
        keep &= in_areas
    dims = [("area", b.areas), ("year", list(b.years)), ("age_band", b.bands)]
    growth = grid(g_df, dims, "factor", rows=keep)
    require_complete(
        growth,
        dims,
        g_src,
        f"a growth factor for every area, year {b.years[0]}-{b.years[-1]} and band",
    )
    return growth


def _activities(b: _Build) -> Param | None:
    """Choose the activities modelled, cut their tables, and return their annual trend.

    The activities are the scenario's ``activities:`` or all; their tables are cut to
    them.
    """
    act_df, _ = b.tables["activities"]
    b.catalogue = sorted(act_df["activity"])
    if b.v.activities:
        chosen = list(dict.fromkeys(b.v.activities))
        every = b.catalogue
        if not set(chosen) <= set(every):  # the first unknown one named, by its position
            check_known(pd.DataFrame({"activity": chosen}), "activity", every, b.src, "activity")
        left_out = sorted(set(every) - set(chosen))
        if left_out:
            b.notes.append(
                f"activities: modelling {len(chosen)} of {len(act_df)}; left out by the "
                f"scenario: {left_out}"
            )
        for t in ("prevalence", "contacts", "skill_mix", "minutes"):
            # a typo is refused before the rows of activities left out are dropped
            check_known(b.tables[t][0], "activity", every, b.tables[t][1], "activity")
        for t in ("activities", "prevalence", "contacts", "skill_mix", "minutes"):
            df_t, src_t = b.tables[t]
            b.tables[t] = (df_t[df_t["activity"].isin(chosen)].reset_index(drop=True), src_t)
        act_df = b.tables["activities"][0]
    b.activities = sorted(act_df["activity"])
    if "trend" not in act_df.columns:
        return None
    given = dict(zip(act_df["activity"], act_df["trend"].to_numpy(dtype=float), strict=True))
    trend = np.array([given.get(a, np.nan) for a in b.activities])
    return Param.point(np.where(np.isnan(trend), 1.0, trend))  # no trend given: 1


def _draw_as_catalogue(b: _Build, *params: Param) -> tuple[Param, ...]:
    """Mark activity-shaped inputs of a cut catalogue so their draws are the catalogue's.

    Prevalence ``(A, K, G)`` (activities on axis 1), contacts ``(K, G)`` and minutes
    ``(K, R)`` (axis 0): each activity then draws the same numbers whether a use case models
    it alone or the whole catalogue runs, so a draw's national calibration (solved on
    England's whole catalogue) applies to the same draw here.
    """
    if b.activities == b.catalogue:
        return params
    idx = tuple(b.catalogue.index(a) for a in b.activities)
    n = len(b.catalogue)
    axes = (1, 0, 0)
    return tuple(replace(p, subset=(axis, idx, n)) for p, axis in zip(params, axes, strict=True))


def _prevalence(b: _Build) -> Param:
    """Cohort fractions ``(1 or A, K, G)``: the national rows, refined by area rows."""
    pv_df, pv_src = b.tables["prevalence"]
    check_known(pv_df, "activity", b.activities, pv_src, "activity")
    no_prev = sorted(set(b.activities) - set(pv_df["activity"].unique()))
    if no_prev:
        raise InputError(
            f"activity {no_prev[0]!r} has no prevalence rows; expected its cohort by age band "
            "(1 with age band 'all' for a whole-population activity)",
            source=pv_src,
        )
    local_rows = (
        pv_df["area"].notna().to_numpy() if "area" in pv_df.columns else np.zeros(len(pv_df), bool)
    )
    nat = expand_bands(pv_df[~local_rows], pv_src)  # its area column (empty) is not read
    kg = [("activity", b.activities), ("age_band", b.bands)]
    base_p = param_grid(nat, kg, upper=1.0, origin=pv_src)
    unlisted = int(np.isnan(base_p.value).sum())
    if unlisted:
        b.notes.append(
            f"prevalence: {unlisted} activity-age band pair(s) not listed in {pv_src}; "
            "taken as 0 (outside the activity's cohort)"
        )
    prevalence = Param(
        np.nan_to_num(base_p.value)[None],
        None if base_p.lo is None else base_p.lo[None],
        None if base_p.hi is None else base_p.hi[None],
        0.0,
        1.0,
        areas_share_draws=True,  # one z per (activity, band) for every area
    )
    if not local_rows.any():
        return prevalence
    # the local rows (every practice's: over a million) are read through row masks on the
    # whole table, so their row numbers in an error are the table's own
    check_known(pv_df, "area", b.all_areas, pv_src, "area", rows=local_rows)
    area_dims = [("area", b.areas), *kg]
    if ((pv_df["age_band"] == "all").to_numpy() & local_rows).any():
        loc = expand_bands(pv_df[local_rows], pv_src, ("area",))
        lp = param_grid(_of_areas(loc, b), area_dims, upper=1.0, origin=pv_src)
    else:
        in_areas = _area_rows(pv_df, b)
        take = local_rows if in_areas is None else local_rows & in_areas
        lp = param_grid(pv_df, area_dims, upper=1.0, origin=pv_src, rows=take)
    national = np.isnan(lp.value)  # where no local row: the national fraction

    def pick(local: np.ndarray | None, nat_arr: np.ndarray | None) -> np.ndarray | None:
        if local is None and nat_arr is None:
            return None
        if local is None:
            local = np.full(lp.value.shape, np.nan)
        if nat_arr is not None:
            np.copyto(local, np.broadcast_to(nat_arr, local.shape), where=national)
        return local  # the arrays of lp, filled in place

    return Param(
        pick(lp.value, prevalence.value),
        pick(lp.lo, prevalence.lo),
        pick(lp.hi, prevalence.hi),
        0.0,
        1.0,
        areas_share_draws=True,  # a local row's uncertainty is the national fraction's
    )


def _contacts(b: _Build, prevalence: Param) -> Param:
    """Contacts per person in each activity's cohort ``(K, G)``.

    Every non-empty cohort needs a rate.
    """
    ct_df, ct_src = b.tables["contacts"]
    check_known(ct_df, "activity", b.activities, ct_src, "activity")
    dims = [("activity", b.activities), ("age_band", b.bands)]
    contacts = param_grid(expand_bands(ct_df, ct_src), dims, origin=ct_src)
    in_cohort = (prevalence.value > 0).any(axis=0)  # (K, G)
    lacking = in_cohort & np.isnan(contacts.value)
    if lacking.any():
        k, g = np.argwhere(lacking)[0]
        raise InputError(
            f"no contacts for activity {b.activities[k]!r}, age band {b.bands[g]!r}, where its "
            f"cohort is not empty ({int(lacking.sum())} such pairs); expected a row ('all' "
            "allowed)",
            source=ct_src,
        )
    return Param(np.nan_to_num(contacts.value), contacts.lo, contacts.hi)


def _skill_mix(b: _Build) -> tuple[np.ndarray, np.ndarray]:
    """Who does what today and in the future model ``(K, R)``.

    The scenario's shifts are applied to the future shares.
    """
    sm_df, sm_src = b.tables["skill_mix"]
    check_known(sm_df, "activity", b.activities, sm_src, "activity")
    check_known(sm_df, "role", b.roles, sm_src, "role")
    check_shares_sum(sm_df, "activity", list(SKILL_MIX_MODELS), sm_src)
    mixed = set(sm_df["activity"].unique())
    no_mix = [a for a in b.activities if a not in mixed]
    if no_mix:
        raise InputError(
            f"activity {no_mix[0]!r} has no who-does-what rows; expected shares summing to 1",
            source=sm_src,
        )
    dims = [("activity", b.activities), ("role", b.roles)]
    s_cur, s_fut = (np.nan_to_num(a) for a in grids(sm_df, dims, list(SKILL_MIX_MODELS)))
    for i, sh in enumerate(b.v.skill_mix.shifts):
        _apply_shift(b, s_fut, sh, f"skill_mix.shifts[{i}]")
    return s_cur, s_fut


def _apply_shift(b: _Build, s_fut: np.ndarray, sh: Shift, where: str) -> None:
    """Move ``fraction`` of the future share of ``from`` to the roles of ``to`` (in place)."""
    if sh.activity not in b.activities:
        raise InputError(
            f"unknown activity {sh.activity!r}; expected one of {b.activities}",
            source=b.src,
            key=where,
        )
    for r in [sh.from_role, *sh.to]:
        if r not in b.roles:
            raise InputError(
                f"unknown role {r!r}; expected one of {b.roles}", source=b.src, key=where
            )
    total = sum(sh.to.values())
    if abs(total - 1.0) > 1e-6:
        raise InputError(
            f"'to' parts sum to {total:.6g}; expected 1", source=b.src, key=f"{where}.to"
        )
    k, r0 = b.activities.index(sh.activity), b.roles.index(sh.from_role)
    moved = s_fut[k, r0] * sh.fraction
    s_fut[k, r0] -= moved
    for r, part in sh.to.items():
        s_fut[k, b.roles.index(r)] += moved * part


def _minutes(b: _Build, s_cur: np.ndarray, s_fut: np.ndarray) -> Param:
    """Minutes per contact ``(K, R)``; every role with a share of an activity needs a row."""
    mn_df, mn_src = b.tables["minutes"]
    check_known(mn_df, "activity", b.activities, mn_src, "activity")
    check_known(mn_df, "role", b.roles, mn_src, "role")
    minutes = param_grid(mn_df, [("activity", b.activities), ("role", b.roles)], origin=mn_src)
    needed = ((s_cur > 0) | (s_fut > 0)) & np.isnan(minutes.value)
    if needed.any():
        k, r = np.argwhere(needed)[0]
        raise InputError(
            f"no minutes per contact for activity {b.activities[k]!r} and role "
            f"{b.roles[r]!r}, which has a share of it; expected a row (or a minutes override)",
            source=mn_src,
        )
    return Param(np.nan_to_num(minutes.value), minutes.lo, minutes.hi)


def _capacity_costs_flows(b: _Build) -> tuple[dict[str, Param], dict[str, Param], dict[str, Param]]:
    """Working time and allowances, pay and on-costs, joiner and leaver rates, by role.

    With a supply policy in force the flows also hold ``trend_joiner_rate``, the joiner
    rates before the policy was added (:func:`wfkit.explain` splits the two).
    """
    cap_df, cap_src = b.tables["capacity"]
    T.check_working_year(cap_df, cap_src)
    capacity = by_parameter(cap_df, b.roles, list(_REQUIRED_CAPACITY), cap_src, _UPPER)
    cost_df, cost_src = b.tables["costs"]
    required = cost_df["parameter"].isin(T.REQUIRED_COST_PARAMETERS)
    costs = by_parameter(
        cost_df[required], b.roles, list(T.REQUIRED_COST_PARAMETERS), cost_src, _UPPER
    )
    check_known(cost_df[~required], "role", b.roles, cost_src, "role")
    costs["salary"] = _pay_awarded(b, cost_df[~required], costs["salary"])
    fl_df, fl_src = b.tables["flows"]
    flows = by_parameter(fl_df, b.roles, list(T.FLOW_PARAMETERS), fl_src, _UPPER)
    policy = b.v.supply_policy
    trend = flows["joiner_rate"]
    flows["joiner_rate"] = apply_supply_policy(trend, b.roles, policy)
    if flows["joiner_rate"] is not trend:  # kept so that explain can split the policy's part
        flows["trend_joiner_rate"] = trend
    b.notes.extend(policy_notes(b.roles, policy))
    return capacity, costs, flows


def _pay_awarded(b: _Build, awards: pd.DataFrame, salary: Param) -> Param:
    """Pay raised by each announced award whose first year is on or before the base year.

    ``costs`` rows ``pay_award_YYYY_YY`` (a fraction, optional per role: 0 without a row)
    raise ``salary`` (value and interval) for base years from their first year
    (:data:`wfkit.tables.PAY_AWARDS`); the on-cost rate is kept (docs/data.md, "Pay").
    """
    factor = np.ones(len(b.roles))
    applied = []
    for name, first in T.PAY_AWARDS.items():
        rows = awards[awards["parameter"] == name]
        if b.v.base_year < first or rows.empty:
            continue
        award = rows.set_index("role")["value"].reindex(b.roles).fillna(0.0).to_numpy(float)
        factor *= 1.0 + award
        shown = sorted({f"{a:.1%}" for a in award if a > 0})
        applied.append(f"{name.removeprefix('pay_award_').replace('_', '/')} ({', '.join(shown)})")
    if not applied:
        return salary
    b.notes.append(
        f"costs: pay raised by the awards for base year {b.v.base_year}: " + "; ".join(applied)
    )
    return replace(
        salary,
        value=salary.value * factor,
        lo=None if salary.lo is None else salary.lo * factor,
        hi=None if salary.hi is None else salary.hi * factor,
    )


def _supply(b: _Build) -> np.ndarray:
    """Base-year staff in post ``(A, R)`` (0 where the table has no row, noted)."""
    sup_df, sup_src = b.tables["supply"]
    check_known(sup_df, "area", b.all_areas, sup_src, "area")
    check_known(sup_df, "role", b.roles, sup_src, "role")
    sup = grid(_of_areas(sup_df, b), [("area", b.areas), ("role", b.roles)], "fte")
    n_missing = int(np.isnan(sup).sum())
    if n_missing:
        b.notes.append(
            f"supply: {n_missing} area-role pair(s) have no row in {sup_src}; taken as 0 FTE in post"
        )
    return np.nan_to_num(sup)


def _growth_rate(b: _Build) -> Param:
    """Return the scenario's annual growth rate on top of any growth table (point or interval)."""
    g = b.v.growth_rate
    given = list(g) if isinstance(g, tuple) else g
    gval, glo, ghi = parse_number(given, b.src, "growth_rate", None)  # type: ignore[arg-type]
    _check_growth_rate(b.v, (gval, glo, ghi))
    return Param(np.array(gval), np.array(glo), np.array(ghi), GROWTH_RATE.lo, GROWTH_RATE.hi)
