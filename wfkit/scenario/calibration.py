"""Base-year calibration and reconciliation: what a gap rests on, stated.

A scenario says ``calibration: none | national | local`` (default ``national``; why in
``docs/calibration.md``):

``none``
    The bundled national contact rates, minutes and allowances as they are.
``national``
    Each role's minutes per contact are scaled by one factor ``c[r]`` so that **England's**
    base-year requirement equals its staff in post, plus any stated unmet demand
    (``unmet_demand: {gp: 0.05}`` means England needs 5% more GPs than it has)::

        c[r] = (in_post[r] x (1 + unmet[r]) - IAF[r]) / (H[r] / AWT[r] x CAF[r])

    ``H`` is England's base-year workload (hours) under today's who-does-what with the whole
    bundled activity catalogue, so a use case that models only some activities is scaled by
    the same factors as the whole practice.
``local``
    Each area's own appointments set its service use (:mod:`wfkit.scenario.local_fit`):
    GP and other-staff appointments per area, made annual, against the model's; each
    ratio within ``LOCAL_BOUNDS`` scales the work that class of staff does in clinical
    activities, and all appointments scale the contacts.  Minutes are then calibrated as
    above on every area of England at the run's level, each with its own fit, so England
    summed at that level still equals its staff in post.

With draws, each draw gets its own minutes factor per role on top of the central one,
solved on England's regions run with the same draws and seed, so the calibration holds in
every draw (:attr:`wfkit.model.engine.ModelInputs.minutes_draw_factor`).

The engine sees only the result: scaled minutes (and each draw's factor), an
``(area, activity)`` demand factor and an ``(area, class of staff)`` staff factor
(:attr:`wfkit.model.engine.ModelInputs.demand_factor`, ``staff_factor``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from .. import cache
from .. import settings as S
from ..errors import InputError
from ..model.engine import ModelInputs, ModelResult, run_model
from ..model.uncertainty import Param
from ..tables import REQUIRED_TABLES
from .config import load_scenario
from .inputs import build_inputs
from .local_fit import (
    LOCAL_BOUNDS,
    annual_appointments,
    apply_local,
    appointment_map,
    base_year_appointments,
    fit_local,
    local_factors,
    local_notes,
)
from .records import Calibration
from .spec import ScenarioSpec
from .tables import TableLoader

__all__ = [
    "CALIBRATIONS",
    "Calibration",
    "FACTOR_FLAG",
    "factor_check",
    "flag_notes",
    "calibrate",
    "national_factors",
    "england_calibrated",
    "core_and_iaf",
    "local_factors",
    "reconcile",
    "LOCAL_BOUNDS",
]

#: the calibration settings a scenario may name (declared in :mod:`wfkit.settings`)
CALIBRATIONS = S.CALIBRATIONS


def _check_method(method: str, source: str) -> str:
    if method not in CALIBRATIONS:
        raise InputError(
            f"calibration {method!r}; expected one of {list(CALIBRATIONS)}",
            source=source,
            key="calibration",
        )
    return method


def _check_unmet(unmet: Mapping[str, Any] | None, roles: list[str], source: str) -> dict:
    out: dict[str, float] = {}
    for role, v in (unmet or {}).items():
        if role not in roles:
            raise InputError(
                f"unknown role {role!r}; expected one of {roles}",
                source=source,
                key=f"unmet_demand.{role}",
            )
        x = float(v)
        if not (0.0 <= x <= 1.0) or not np.isfinite(x):
            raise InputError(
                f"unmet demand {v!r} for {role}; expected a fraction 0-1 (0.05 = 5% more "
                "staff needed than in post)",
                source=source,
                key=f"unmet_demand.{role}",
            )
        out[role] = x
    return out


#: national minutes factors outside these bounds are flagged in the log and in the
#: reconciliation's ``check`` column: the activities then describe much less (above) or more
#: (below) of the role's work than its staff in post deliver (docs/calibration.md)
FACTOR_FLAG = (0.8, 1.25)


def factor_check(f: float) -> str:
    """Return the words flagging a national minutes factor outside :data:`FACTOR_FLAG`.

    Parameters
    ----------
    f
        A role's national minutes factor.

    Returns
    -------
    str
        Empty when ``f`` lies within the bounds; otherwise what the factor means.
    """
    lo, hi = FACTOR_FLAG
    if lo <= f <= hi:
        return ""
    what = (
        "the activities describe less of this role's work than its staff deliver"
        if f > hi
        else "the activities give this role more work than its staff deliver (or work other "
        "roles do)"
    )
    return f"minutes scaled x {f:.2f} to match England (outside {lo}-{hi}): {what}; read with care"


def flag_notes(factors: Mapping[str, float]) -> list[str]:
    """Return the log's lines on the national factors outside :data:`FACTOR_FLAG`.

    Parameters
    ----------
    factors
        Minutes factor per role.

    Returns
    -------
    list of str
        One line naming the roles above the bounds and one for those below (none if all
        lie within).
    """
    lo, hi = FACTOR_FLAG
    out = []
    for side, roles in (
        ("above", {r: f for r, f in factors.items() if f > hi}),
        ("below", {r: f for r, f in factors.items() if f < lo}),
    ):
        if not roles:
            continue
        named = ", ".join(f"{r} x {f:.2f}" for r, f in sorted(roles.items()))
        why = (
            "the bundled activities describe less of these roles' work than their staff in "
            "post deliver"
            if side == "above"
            else "the bundled activities give these roles more work than their staff in post "
            "deliver, or work other roles do"
        )
        out.append(
            f"national calibration: minutes scaled outside {lo}-{hi} for {named} ({why}: "
            "read their figures with care; docs/calibration.md says why for each)"
        )
    return out


# ----------------------------------------------------------------------------------------
# England's base year on the whole bundled catalogue
# ----------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=4)
def _england_inputs(folder: str, level: str = "region") -> tuple[ModelInputs, pd.DataFrame]:
    """England as every area of ``level`` (its seven regions) on the bundled tables.

    Also their appointments.  Each area's own age bands and recorded prevalence, today's
    who does what, every activity, and their appointments by staff type: England's base
    year is the sum over the areas, as any area's run would give.
    """
    # lazy: wfkit.data loads only when a run reads bundled tables
    from .. import data as wd

    regions = list(wd.select_areas(level=level).area)
    mapping = {
        "name": "England base year (calibration)",
        "base_year": 2025,
        "horizon": 1,
        "level": level,
        "areas": "all",
        "inputs": {t: "bundled" for t in REQUIRED_TABLES},
        "skill_mix": {"model": "current"},
    }
    inputs, _ = build_inputs(load_scenario(mapping), "baseline")
    appts = wd.appointments(regions, level)
    seas = wd.seasonal_factors(regions, level)
    per_region = annual_appointments(appts, seas).reindex(list(inputs.areas))
    return inputs, per_region


@functools.lru_cache(maxsize=4)
def _england_service_use(
    folder: str, method: str, level: str = "region"
) -> tuple[ModelInputs, tuple[str, ...]]:
    """England's areas with their service use as the method sets it (minutes as bundled).

    Under ``local`` each area of ``level`` has its service use fitted to its own
    appointments (the same fit as a run's); under ``national`` and ``none`` the inputs are
    as bundled.
    """
    inputs, eng_appts = _england_inputs(folder, level)
    if method != "local":
        return inputs, ()
    mod = base_year_appointments(inputs, appointment_map())
    fit = fit_local(mod, eng_appts.gp.to_numpy(), eng_appts.other.to_numpy())
    inputs = apply_local(inputs, mod, fit)
    note = (
        f"each {level}'s modelled appointments set to its own: GP x "
        f"{fit.m_gp.min():.3f}-{fit.m_gp.max():.3f}, other staff x "
        f"{fit.m_other.min():.3f}-{fit.m_other.max():.3f}"
    )
    return inputs, (note,)


def core_and_iaf(res: ModelResult) -> tuple[np.ndarray, np.ndarray]:
    """England's base-year FTE per draw and role: the part minutes scale, and the rest.

    ``core[d, r] = sum_a H / AWT x CAF`` scales with role ``r``'s minutes; the individual
    allowances (``required - core``) do not.
    """
    hours = res.workload_hours[:, :, 0, :]  # (D, regions, R)
    req = res.required_fte[:, :, 0, :].sum(axis=1)
    core = (hours / res.awt_hours[:, None, :] * res.caf[:, None, :]).sum(axis=1)
    return core, req - core


def _target(inputs: ModelInputs, unmet: Mapping[str, float]) -> np.ndarray:
    """England's base-year requirement per role the calibration aims at.

    Staff in post times ``1 + unmet demand``.
    """
    sup = inputs.supply.sum(axis=0)
    return sup * (1.0 + np.array([unmet.get(r, 0.0) for r in inputs.roles]))


def _scaled_minutes(mn: Param, c: np.ndarray) -> Param:
    """Minutes (value and interval) times a factor per role, everything else kept."""
    return replace(
        mn,
        value=mn.value * c[None, :],
        lo=None if mn.lo is None else mn.lo * c[None, :],
        hi=None if mn.hi is None else mn.hi * c[None, :],
    )


@functools.lru_cache(maxsize=8)
def _draw_factors(
    folder: str, method: str, unmet_items: tuple, draws: int, seed: int
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Each draw's minutes factor per role, on top of the central factor (row 0 is 1).

    England's regions run with ``draws`` draws under ``seed`` (the same random numbers an
    area's run draws for the same inputs), minutes already scaled by the central factors;
    each draw's factor then makes that draw's England base-year requirement equal the
    target, exactly as the central factor does for the central run; also, per role, how
    many draws clip all its modelled work to nothing (those draws cannot be scaled).  From
    memory, else the on-disk cache, else computed.
    """
    # lazy: wfkit.data loads only when a run reads bundled tables
    from ..data.loader import fingerprint

    def compute() -> dict[str, Any]:
        factors, _, _ = _national(folder, method, unmet_items)
        inputs, _ = _england_service_use(folder, method)
        c = np.array([factors.get(r, 1.0) for r in inputs.roles])
        inputs = replace(inputs, minutes=_scaled_minutes(inputs.minutes, c))
        res = run_model(inputs, draws=draws, seed=seed)
        core, iaf = core_and_iaf(res)
        target = _target(inputs, dict(unmet_items))[None, :]
        ok = (core > 0) & (target > iaf)
        with np.errstate(divide="ignore", invalid="ignore"):
            f = np.where(ok, (target - iaf) / np.where(ok, core, 1.0), 1.0)
        f = np.broadcast_to(f, (draws + 1, len(inputs.roles))).copy()
        f[0] = 1.0  # the central run is calibrated by the central factor itself
        # a draw that clips a role's only work to nothing cannot be scaled back to its staff
        lost = (np.broadcast_to(core, f.shape)[1:] <= 0) & (target > 0) & (c[None, :] != 1.0)
        missed = {r: int(n) for r, n in zip(inputs.roles, lost.sum(axis=0), strict=True) if n}
        return {"draws": pd.DataFrame(f, columns=list(inputs.roles)), "missed.json": missed}

    parts = cache.read_through(
        "calibration_draws",
        lambda: cache.key(
            fingerprint(), "calibration_draws", folder, method, unmet_items, draws, seed
        ),
        ["draws", "missed.json"],
        compute,
    )
    return parts["draws"], dict(parts["missed.json"])


@functools.lru_cache(maxsize=8)
def _national(
    folder: str, method: str, unmet_items: tuple, level: str = "region"
) -> tuple[dict, pd.DataFrame, list]:
    """England's calibration factors, from memory, else the on-disk cache, else computed.

    The cache is keyed by the data files' fingerprint, wfkit's source and the settings: a
    new kernel would otherwise rebuild and run England before its first calibrated run.
    """
    # lazy: wfkit.data loads only when a run reads bundled tables
    from ..data.loader import fingerprint

    def compute() -> dict[str, Any]:
        _, eng, notes = _compute_national(folder, method, unmet_items, level)
        return {"england": eng, "notes.json": notes}

    parts = cache.read_through(
        "calibration",
        lambda: cache.key(fingerprint(), "calibration", folder, method, unmet_items, level),
        ["england", "notes.json"],
        compute,
    )
    eng = parts["england"]
    factors = dict(zip(eng["role"], eng["minutes_factor"].astype(float), strict=True))
    return factors, eng, list(parts["notes.json"])


def _compute_national(
    folder: str, method: str, unmet_items: tuple, level: str = "region"
) -> tuple[dict, pd.DataFrame, list]:
    inputs, notes = _england_service_use(folder, method, level)
    notes = list(notes)
    res = run_model(inputs, draws=0)
    unmet = dict(unmet_items)
    roles = list(inputs.roles)
    req = res.required_fte[0, :, 0, :].sum(axis=0)
    core, iaf = core_and_iaf(res)
    core, iaf = core[0], iaf[0]
    sup = inputs.supply.sum(axis=0)
    target = _target(inputs, unmet)
    factors: dict[str, float] = {}
    for i, r in enumerate(roles):
        if core[i] > 0 and target[i] > iaf[i]:
            factors[r] = float((target[i] - iaf[i]) / core[i])
        else:
            factors[r] = 1.0
            why = "no staff in post in England" if target[i] <= 0 else "no modelled work"
            notes.append(f"national calibration: {r} not calibrated ({why})")
    notes += flag_notes(factors)
    eng = pd.DataFrame(
        {
            "role": roles,
            "required_fte": req,
            "supply_fte": sup,
            "unmet_demand": [unmet.get(r, 0.0) for r in roles],
            "minutes_factor": [factors[r] for r in roles],
        }
    )
    return factors, eng, notes


def national_factors(
    method: str = "national", unmet_demand: Mapping[str, float] | None = None
) -> tuple[dict[str, float], pd.DataFrame]:
    """Minutes factor per role that makes England's base-year requirement its staff in post.

    Equal to its staff in post times ``1 + unmet_demand``; also England's uncalibrated
    base year per role.
    """
    f, eng, _ = _national(_folder(), method, tuple(sorted((unmet_demand or {}).items())))
    return dict(f), eng.copy()


def england_calibrated(method: str, unmet: Mapping[str, float]) -> tuple[ModelInputs, np.ndarray]:
    """Return England's regions with minutes at the central factors, and the target per role."""
    unmet_items = tuple(sorted(unmet.items()))
    factors, _, _ = _national(_folder(), method, unmet_items)
    inputs, _ = _england_service_use(_folder(), method)
    c = np.array([factors.get(r, 1.0) for r in inputs.roles])
    inputs = replace(inputs, minutes=_scaled_minutes(inputs.minutes, c))
    return inputs, _target(inputs, dict(unmet_items))


def calibrate(
    inputs: ModelInputs,
    method: str = "national",
    unmet_demand: Mapping[str, float] | None = None,
    level: str = "pcn",
    source: str = "scenario",
    full: ModelInputs | None = None,
    draws: int = 0,
    seed: int = 0,
) -> tuple[ModelInputs, Calibration]:
    """Apply a calibration to engine inputs.

    Parameters
    ----------
    inputs
        Inputs of one variant.
    method
        ``"none"``, ``"national"`` or ``"local"``.
    unmet_demand
        Per role, the fraction of extra staff England needs beyond those in post.
    level
        Area level of ``inputs.areas`` (for local appointments).
    full
        The same areas with every bundled activity (local calibration needs the whole
        catalogue to compare with all appointments); ``inputs`` itself when ``None``.
    draws, seed
        The draws the inputs will run with: with ``draws > 0`` each draw gets its own minutes
        factors (:attr:`~wfkit.model.engine.ModelInputs.minutes_draw_factor`), solved on
        England's regions with the same random numbers, so England's base-year requirement
        equals its target in every draw, not only in the central run.

    Returns
    -------
    (ModelInputs, Calibration)
    """
    _check_method(method, source)
    roles = list(inputs.roles)
    unmet = _check_unmet(unmet_demand, roles, source)
    if method == "none":
        if unmet:
            raise InputError(
                "unmet_demand needs calibration: national or local",
                source=source,
                key="unmet_demand",
            )
        return inputs, Calibration("none", {r: 1.0 for r in roles})
    # under local, minutes are calibrated on every area of England at the run's level, each
    # with its own fitted service use, so England summed at that level still reconciles
    at = level if method == "local" and level in S.LEVELS else "region"
    factors, eng, n_notes = _national(_folder(), method, tuple(sorted(unmet.items())), at)
    missing = [r for r in roles if r not in factors]
    cal = Calibration(method, {r: factors.get(r, 1.0) for r in roles}, eng.copy())
    if missing:
        cal.notes.append(f"national calibration: roles {missing} are not bundled; not scaled")
    cal.notes += n_notes
    c = np.array([cal.minutes_factor[r] for r in roles])
    out = replace(inputs, minutes=_scaled_minutes(inputs.minutes, c))
    if draws > 0:
        per_draw, missed = _draw_factors(
            _folder(), method, tuple(sorted(unmet.items())), draws, seed
        )
        cal.notes += [
            f"calibration by draw: {n} of {draws} draws give {r} no modelled work in England "
            "(an interval reaching zero), so those draws cannot be scaled to its staff in post"
            for r, n in missed.items()
            if r in roles
        ]
        f = np.column_stack(
            [per_draw[r].to_numpy() if r in per_draw else np.ones(draws + 1) for r in roles]
        )
        out = replace(out, minutes_draw_factor=f, draw_seed=seed)
        cal.draw_factor = per_draw
    if method == "local":
        ref = full if full is not None else inputs
        out, table = local_factors(ref, level, apply_to=out)
        cal.local = table
        cal.notes += local_notes(table)
        nat, _, _ = _national(_folder(), "national", tuple(sorted(unmet.items())))
        moved = ", ".join(
            f"{r} x {factors[r]:.3f} (national x {nat[r]:.3f})"
            for r in roles
            if r in factors and r in nat and abs(factors[r] / nat[r] - 1) > 0.01
        )
        cal.notes.append(
            f"local calibration: minutes calibrated on every {at} of England, each with its "
            "own fitted service use, so England summed at this level still equals its staff "
            "in post; the areas' own appointments weight the work differently from England's "
            "mix, which moves the minutes factors" + (f": {moved}" if moved else " by under 1%")
        )
    return out, cal


def _folder() -> str:
    # lazy: wfkit.data loads only when a run reads bundled tables
    from ..data.paths import data_dir

    return str(data_dir())


# ----------------------------------------------------------------------------------------
# reconciliation
# ----------------------------------------------------------------------------------------
#: staffing beyond this many times England's for the same need gets no percentage (a
#: shortfall's percentage cannot pass 100%; a surplus's can run to millions)
COMPARABLE = 4.0
#: how the ``all`` row's reason begins when practices of the run are unreliable bases
UNRELIABLE = "unreliable staff base"
#: share of a run's patients or staff in flagged practices worth a warning
MATERIAL = 0.02


def reconcile(
    result: ModelResult,
    cal: Calibration,
    not_modelled: pd.DataFrame | None = None,
    unreliable: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Base-year required against in post, per role and in total, with the main reasons.

    Parameters
    ----------
    result, cal
        A variant's engine result and its calibration.
    not_modelled
        Staff in post the model does not cover (:func:`wfkit.data.not_modelled`).
    unreliable
        Practices of the areas whose staff per patient is no base to compare
        (:func:`wfkit.data.unreliable_bases`, with ``area_share``: the practice's share of
        its area's list).  Where such practices hold half or more of every area's list,
        each role reads "not comparable" with the reason; where they hold at least
        :data:`MATERIAL` of the run's patients or staff, the ``all`` row's ``reason`` names
        them first (beginning :data:`UNRELIABLE`).

    Returns
    -------
    pandas.DataFrame
        ``role, required_fte, supply_fte, gap_fte, ratio, reason, check`` (central values,
        summed over areas): ``reason`` says in a few words why required and in post differ
        (no percentage where staffing is over :data:`COMPARABLE` times England's for the
        same need), ``check`` flags a role whose figures rest on a large
        calibration factor.  A row ``all`` holds the total and what the calibration means;
        one row per published role in post that the model does not cover follows (``role =
        "not modelled: <role>"``).
    """
    req = result.required_fte[0, :, 0, :].sum(axis=0)
    sup = result.supply_fte[0, :, 0, :].sum(axis=0)
    eng = cal.england.set_index("role") if cal.england is not None else None
    patients = float(result.population[0, :, 0].sum())
    base_words, base_check = _base_words(unreliable, list(result.areas), patients, float(sup.sum()))
    rows = []
    for i, r in enumerate(result.roles):
        reason, check = _reason(r, float(req[i]), float(sup[i]), cal, eng)
        if base_words and (req[i] > 0 or sup[i] > 0):
            reason = f"not comparable: {base_words}"
        rows.append(
            {
                "role": r,
                "required_fte": float(req[i]),
                "supply_fte": float(sup[i]),
                "reason": reason,
                "check": check,
            }
        )
    rows.append(
        {
            "role": "all",
            "required_fte": float(req.sum()),
            "supply_fte": float(sup.sum()),
            "reason": "; ".join(x for x in (base_check, _total_reason(cal)) if x),
            "check": "",
        }
    )
    out = pd.DataFrame(rows)
    if not_modelled is not None and len(not_modelled):
        nm = not_modelled.groupby("source_role", sort=True).fte.sum()
        extra = pd.DataFrame(
            {
                "role": "not modelled: " + nm.index,
                "required_fte": np.nan,
                "supply_fte": nm.to_numpy(),
                "reason": "in post, not modelled (no activity describes this work)",
                "check": "",
            }
        )
        out = pd.concat([out, extra], ignore_index=True)
    out["gap_fte"] = out.supply_fte - out.required_fte
    with np.errstate(divide="ignore", invalid="ignore"):
        out["ratio"] = np.where(out.required_fte > 0, out.supply_fte / out.required_fte, np.nan)
    return out[["role", "required_fte", "supply_fte", "gap_fte", "ratio", "reason", "check"]]


def _base_words(
    unreliable: pd.DataFrame | None, areas: list[str], patients: float, staff: float
) -> tuple[str, str]:
    """Return the words for a run resting on unreliable bases, and the total's warning.

    Flagged practices holding under :data:`MATERIAL` of the run's patients and of its staff
    in post are not worth a warning (a network with one small practice).
    """
    if unreliable is None or not len(unreliable):
        return "", ""
    if unreliable.patients.sum() < MATERIAL * patients and unreliable.fte.sum() < MATERIAL * staff:
        return "", ""
    short = {
        "tiny list": lambda r: f"list of {r.patients:,.0f} patient{'' if r.patients == 1 else 's'}",
        "list collapsed": lambda r: f"list collapsed to {r.patients:,.0f} patients",
        "staff figures missing": lambda r: "staff figures missing (estimated)",
    }
    said = [f"{r.practice}: {short[r.base](r)}" for r in unreliable.itertuples()]
    share = unreliable.groupby("area").area_share.sum()
    check = (
        f"{UNRELIABLE} in {len(said)} practice{'s' if len(said) > 1 else ''} "
        f"({', '.join(said[:3])}{', ...' if len(said) > 3 else ''}): staff per patient there "
        "is no base to compare"
    )
    if set(areas) <= set(share.index[share >= 0.5]):
        first = unreliable.sort_values("area_share").iloc[-1]
        return short[first.base](first), check
    return "", check


def _total_reason(cal: Calibration) -> str:
    return {
        "none": "uncalibrated: the cited national contact rates and minutes as they are",
        "national": "calibrated nationally: England's base-year requirement equals its staff "
        "in post per role (plus any stated unmet demand), so an area differs by its list, "
        "age profile, recorded prevalence and its staffing relative to England",
        "local": "calibrated locally: the area's own November 2025 appointments (made annual) "
        "set its service use; minutes calibrated nationally",
    }[cal.method]


def _reason(
    role: str, req: float, sup: float, cal: Calibration, eng: pd.DataFrame | None
) -> tuple[str, str]:
    """Give a few words on why a role's base-year required and in post differ, and a check."""
    if req <= 0 and sup <= 0:
        return "no modelled work and no staff in post", ""
    if req <= 0:
        return "staff in post, no modelled work here", ""
    if sup <= 0:
        return "work modelled, no staff in post here", ""
    if eng is None or role not in eng.index or not eng.loc[role, "supply_fte"] > 0:
        return f"{sup:.1f} FTE in post against {req:.1f} required", ""
    e = eng.loc[role]
    check = ""
    if cal.method == "none":
        e_ratio = e.supply_fte / e.required_fte if e.required_fte > 0 else np.nan
        rel = (sup / req) / e_ratio - 1
        lead = f"uncalibrated (England needs {1 / e_ratio:.0%} of its staff); "
    else:
        u = float(e.unmet_demand)
        rel = (sup / req) * (1 + u) - 1
        lead = f"with {u:.0%} unmet demand in England; " if u > 0 else ""
        check = factor_check(float(e.minutes_factor))
    if 1 + rel > COMPARABLE:
        return (
            lead + f"not comparable: {1 + rel:.2g} times England's staffing for this need "
            "(check the area's list and staff figures)",
            check,
        )
    if abs(rel) < 0.005:
        return lead + "at England's staffing for this need", check
    word = "more" if rel >= 0 else "fewer"
    return lead + f"{abs(rel):.0%} {word} staff than England for this need", check


def calibrate_variant(
    sc: ScenarioSpec,
    name: str,
    inp: ModelInputs,
    load_table: TableLoader | None,
    draws: int = 0,
    seed: int | None = None,
) -> tuple[ModelInputs, Calibration]:
    """Calibrate one variant's inputs as the scenario says (see :mod:`wfkit.scenario.calibration`)."""
    v = sc.variant(name)
    full = None
    if v.calibration == "local" and v.activities:
        full, _ = build_inputs(replace(v, activities=None), load_table=load_table)
    out, cal = calibrate(
        inp,
        v.calibration,
        v.unmet_demand,
        level=v.level,
        source=sc.source,
        full=full,
        draws=draws,
        seed=sc.seed if seed is None else seed,
    )
    if not v.calibration_given:
        cal.notes.insert(
            0,
            f"calibration: {v.calibration} (the default for a scenario "
            + ("on the bundled data)" if v.calibration == "national" else "with its own tables)"),
        )
    return out, cal
