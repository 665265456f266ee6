"""Engine inputs built from a scenario's tables, one step per concept (population, growth,
activities, prevalence, contacts, who does what, minutes, capacity and costs, supply)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import tables as T
from ..errors import InputError
from ..model.engine import ModelInputs
from ..model.uncertainty import Param
from ..validation import (
    check_shares_sum,
    check_working_year,
)
from .config import Scenario
from .tables import (
    _REQUIRED_CAPACITY,
    _UPPER,
    TableLoader,
    _apply_overrides,
    _by_parameter,
    _check_known,
    _expand_bands,
    _grid,
    _grids,
    _param,
    _parse_number,
    _read_tables,
    _require_complete,
)


def _check_growth_rate(scenario: Scenario, variant: str, vals: tuple[float, ...]) -> None:
    """``growth_rate`` (value, lo, hi) within :data:`wfkit.tables.GROWTH_RATE_RANGE`; a
    percentage written as a number (2 for 2%) is refused with the fraction it meant."""
    rng = T.GROWTH_RATE_RANGE
    key = "growth_rate"
    for j, v in enumerate(scenario.config.get("variants", [])):
        if v["name"] == variant and "growth_rate" in v:
            key = f"variants[{j}].growth_rate"
    for x in vals:
        if np.isnan(x) or not rng.outside(np.array([x]))[0]:
            continue
        hint = ""
        if not rng.outside(np.array([x / 100]))[0]:
            hint = f"; for {x:g}% write {x / 100:g}"
        raise InputError(
            f"{x:g} is outside the valid range {rng.text()} (a fraction a year){hint}",
            source=scenario.source,
            key=key,
        )


def build_inputs(
    scenario: Scenario, variant: str = "baseline", bundled: TableLoader | None = None
) -> tuple[ModelInputs, dict[str, Any]]:
    """Build engine inputs for one variant of a scenario.

    Parameters
    ----------
    scenario
        A loaded scenario.
    variant
        ``"baseline"`` or the name of a variant.
    bundled
        Loader for tables given as ``bundled`` (defaults to :mod:`wfkit.data`).

    Returns
    -------
    (ModelInputs, dict)
        The inputs and a provenance record (table origins and notes for the log).
    """
    cfg = scenario.variant_config(variant)
    src = scenario.source
    tables = _read_tables(scenario, cfg, bundled)
    _apply_overrides(tables, cfg.get("overrides", {}), src)
    notes: list[str] = []
    pop_df, pop_src = tables["population"]
    all_areas = sorted(set(pop_df["area"]))
    sel = cfg.get("areas")
    if isinstance(sel, list):
        unknown = [a for a in sel if a not in all_areas]
        if unknown:
            raise InputError(
                f"unknown area(s) {unknown}; expected codes from {pop_src}",
                source=src,
                key="areas",
            )
        areas = sorted(set(sel))
    else:
        areas = all_areas
    bands = list(T.AGE_BANDS)
    pop_sel = pop_df[pop_df["area"].isin(areas)]
    pop = _grid(pop_sel, [("area", areas), ("age_band", bands)], "population")
    _require_complete(
        pop, [("area", areas), ("age_band", bands)], pop_src, "every area to have all 19 age bands"
    )
    if pop.sum() <= 0:
        raise InputError(
            "population is empty (all zero); expected at least one person", source=pop_src
        )
    base_year, horizon = int(cfg["base_year"]), int(cfg["horizon"])
    years = np.arange(base_year, base_year + horizon + 1)
    growth = None
    if "growth" in tables:
        g_df, g_src = tables["growth"]
        g_df = g_df[g_df["area"].isin(areas) & g_df["year"].isin(years)]
        dims = [("area", areas), ("year", [str(y) for y in years]), ("age_band", bands)]
        growth = _grid(g_df.assign(year=g_df["year"].astype(str)), dims, "factor")
        _require_complete(
            growth,
            dims,
            g_src,
            f"a growth factor for every area, year {base_year}-{years[-1]} and band",
        )

    act_df, act_src = tables["activities"]
    if cfg.get("activities"):
        chosen = list(dict.fromkeys(cfg["activities"]))
        _check_known(
            pd.DataFrame({"activity": chosen}),
            "activity",
            sorted(act_df["activity"]),
            src,
            "activity",
        )
        left_out = sorted(set(act_df["activity"]) - set(chosen))
        if left_out:
            notes.append(
                f"activities: modelling {len(chosen)} of {len(act_df)}; left out by the scenario: {left_out}"
            )
        every = sorted(act_df["activity"])
        for t in ("prevalence", "contacts", "skill_mix", "minutes"):
            # a typo is refused before the rows of activities left out are dropped
            _check_known(tables[t][0], "activity", every, tables[t][1], "activity")
        for t in ("activities", "prevalence", "contacts", "skill_mix", "minutes"):
            df_t, src_t = tables[t]
            tables[t] = (df_t[df_t["activity"].isin(chosen)].reset_index(drop=True), src_t)
        act_df = tables["activities"][0]
    activities = sorted(act_df["activity"])
    trend = None
    if "trend" in act_df.columns:
        trend = Param.point(
            act_df.set_index("activity")["trend"]
            .reindex(activities)
            .fillna(1.0)
            .to_numpy(dtype=float)
        )

    roles = sorted(set(tables["capacity"][0]["role"]))
    # prevalence: national rows, optionally refined by area-specific rows
    pv_df, pv_src = tables["prevalence"]
    _check_known(pv_df, "activity", activities, pv_src, "activity")
    no_prev = sorted(set(activities) - set(pv_df["activity"]))
    if no_prev:
        raise InputError(
            f"activity {no_prev[0]!r} has no prevalence rows; expected its cohort by age band "
            "(1 with age band 'all' for a whole-population activity)",
            source=pv_src,
        )
    local_rows = (
        pv_df["area"].notna() if "area" in pv_df.columns else pd.Series(False, index=pv_df.index)
    )
    nat = _expand_bands(pv_df[~local_rows].drop(columns="area", errors="ignore"), pv_src)
    kg = [("activity", activities), ("age_band", bands)]
    base_p = _param(nat, kg, upper=1.0, origin=pv_src)
    unlisted = int(np.isnan(base_p.value).sum())
    if unlisted:
        notes.append(
            f"prevalence: {unlisted} activity-age band pair(s) not listed in {pv_src}; "
            "taken as 0 (outside the activity's cohort)"
        )
    prevalence = Param(
        np.nan_to_num(base_p.value)[None],
        None if base_p.lo is None else base_p.lo[None],
        None if base_p.hi is None else base_p.hi[None],
        0.0,
        1.0,
    )
    if local_rows.any():
        loc = pv_df[local_rows]
        _check_known(loc, "area", all_areas, pv_src, "area")
        loc = _expand_bands(loc, pv_src, ("area",))
        lp = _param(loc[loc["area"].isin(areas)], [("area", areas), *kg], upper=1.0, origin=pv_src)
        has = ~np.isnan(lp.value)

        def pick(local: np.ndarray | None, national: np.ndarray | None) -> np.ndarray | None:
            if local is None and national is None:
                return None
            shape = lp.value.shape
            local = np.full(shape, np.nan) if local is None else local
            national = (
                np.full(shape, np.nan) if national is None else np.broadcast_to(national, shape)
            )
            return np.where(has, local, national)

        prevalence = Param(
            pick(lp.value, prevalence.value),
            pick(lp.lo, prevalence.lo),
            pick(lp.hi, prevalence.hi),
            0.0,
            1.0,
        )
    ct_df, ct_src = tables["contacts"]
    _check_known(ct_df, "activity", activities, ct_src, "activity")
    dims = [("activity", activities), ("age_band", bands)]
    contacts = _param(_expand_bands(ct_df, ct_src), dims, origin=ct_src)
    in_cohort = (prevalence.value > 0).any(axis=0)  # (K, G)
    lacking = in_cohort & np.isnan(contacts.value)
    if lacking.any():
        k, g = np.argwhere(lacking)[0]
        raise InputError(
            f"no contacts for activity {activities[k]!r}, age band {bands[g]!r}, where its cohort is not "
            f"empty ({int(lacking.sum())} such pairs); expected a row ('all' allowed)",
            source=ct_src,
        )
    contacts = Param(np.nan_to_num(contacts.value), contacts.lo, contacts.hi)

    # who does what
    sm_df, sm_src = tables["skill_mix"]
    _check_known(sm_df, "activity", activities, sm_src, "activity")
    _check_known(sm_df, "role", roles, sm_src, "role")
    check_shares_sum(sm_df, "activity", ["current", "future"], sm_src)
    no_mix = [a for a in activities if a not in set(sm_df["activity"])]
    if no_mix:
        raise InputError(
            f"activity {no_mix[0]!r} has no who-does-what rows; expected shares summing to 1",
            source=sm_src,
        )
    dims = [("activity", activities), ("role", roles)]
    s_cur, s_fut = (np.nan_to_num(a) for a in _grids(sm_df, dims, ["current", "future"]))
    sm_cfg = cfg.get("skill_mix", {})
    for i, sh in enumerate(sm_cfg.get("shifts", [])):
        where = f"skill_mix.shifts[{i}]"
        if sh["activity"] not in activities:
            raise InputError(
                f"unknown activity {sh['activity']!r}; expected one of {activities}",
                source=src,
                key=where,
            )
        for r in [sh["from"], *sh["to"]]:
            if r not in roles:
                raise InputError(
                    f"unknown role {r!r}; expected one of {roles}", source=src, key=where
                )
        total = sum(sh["to"].values())
        if abs(total - 1.0) > 1e-6:
            raise InputError(
                f"'to' parts sum to {total:.6g}; expected 1", source=src, key=f"{where}.to"
            )
        k, r0 = activities.index(sh["activity"]), roles.index(sh["from"])
        moved = s_fut[k, r0] * float(sh["fraction"])
        s_fut[k, r0] -= moved
        for r, part in sh["to"].items():
            s_fut[k, roles.index(r)] += moved * float(part)
    mn_df, mn_src = tables["minutes"]
    _check_known(mn_df, "activity", activities, mn_src, "activity")
    _check_known(mn_df, "role", roles, mn_src, "role")
    minutes = _param(mn_df, dims, origin=mn_src)
    needed = ((s_cur > 0) | (s_fut > 0)) & np.isnan(minutes.value)
    if needed.any():
        k, r = np.argwhere(needed)[0]
        raise InputError(
            f"no minutes per contact for activity {activities[k]!r} and role {roles[r]!r}, which has a share of it; "
            "expected a row (or a minutes override)",
            source=mn_src,
        )
    minutes = Param(
        np.nan_to_num(minutes.value),
        minutes.lo,
        minutes.hi,
    )

    cap_df, cap_src = tables["capacity"]
    check_working_year(cap_df, cap_src)
    capacity = _by_parameter(cap_df, roles, list(_REQUIRED_CAPACITY), cap_src, _UPPER)
    cost_df, cost_src = tables["costs"]
    costs = _by_parameter(cost_df, roles, list(T.COST_PARAMETERS), cost_src, _UPPER)
    fl_df, fl_src = tables["flows"]
    flows = _by_parameter(fl_df, roles, list(T.FLOW_PARAMETERS), fl_src, _UPPER)

    sup_df, sup_src = tables["supply"]
    _check_known(sup_df, "area", all_areas, sup_src, "area")
    _check_known(sup_df, "role", roles, sup_src, "role")
    sup = _grid(sup_df[sup_df["area"].isin(areas)], [("area", areas), ("role", roles)], "fte")
    n_missing = int(np.isnan(sup).sum())
    if n_missing:
        notes.append(
            f"supply: {n_missing} area-role pair(s) have no row in {sup_src}; taken as 0 FTE in post"
        )
    supply = np.nan_to_num(sup)

    gr = cfg.get("growth_rate", 0.0)
    gval, glo, ghi = _parse_number(gr, src, "growth_rate", None)  # type: ignore[arg-type]
    _check_growth_rate(scenario, variant, (gval, glo, ghi))
    rng = T.GROWTH_RATE_RANGE
    growth_rate = Param(np.array(gval), np.array(glo), np.array(ghi), rng.lo, rng.hi)
    inputs = ModelInputs(
        areas=areas,
        years=years,
        age_bands=bands,
        activities=activities,
        roles=roles,
        population=pop,
        prevalence=prevalence,
        contacts=contacts,
        shares_current=s_cur,
        shares_future=s_fut,
        minutes=minutes,
        capacity=capacity,
        salary=costs["salary"],
        oncost_rate=costs["oncost_rate"],
        supply=supply,
        joiner_rate=flows["joiner_rate"],
        leaver_rate=flows["leaver_rate"],
        growth=growth,
        growth_rate=growth_rate,
        trend=trend,
        skill_mix_model=sm_cfg.get("model", "current"),
        transition_start=sm_cfg.get("transition_start"),
        transition_years=int(sm_cfg.get("transition_years", 5)),
    )
    inputs.check()
    record = {"tables": {k: v[1] for k, v in tables.items()}, "notes": notes}
    return inputs, record
