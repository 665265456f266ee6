"""Local calibration: each area's own appointments set its use of GPs and of other staff.

November 2025's GP and other-staff appointments, made annual with the area's sub-ICB
seasonal pattern (``annual = November x 12 / factor``), against the model's base-year
appointments by staff type.  Two ratios per area, ``m_gp = actual / modelled`` GP
appointments and ``m_other`` likewise, each within :data:`LOCAL_BOUNDS`: every
appointment-driven activity's contacts scale with all the area's appointments
(``total``), and the work GPs and other staff do in clinical activities by their own
ratio over that (the engine's ``staff_factor``), as if the area's who-does-what leant its
own way.  The problem is diagonal, so it is always well posed; why in
``docs/calibration.md``.  :mod:`wfkit.scenario.calibration` uses it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..errors import InputError
from ..model.engine import ModelInputs, run_model

__all__ = [
    "GP_ROLE",
    "LOCAL_BOUNDS",
    "LocalFit",
    "annual_appointments",
    "apply_local",
    "appointment_map",
    "base_year_appointments",
    "fit_local",
    "local_factors",
    "local_notes",
]

#: the role whose appointments count as "GP" in the appointments data
GP_ROLE = "gp"


def annual_appointments(appts: pd.DataFrame, seas: pd.DataFrame) -> pd.DataFrame:
    """Annual GP and other-staff appointments per area.

    November x 12 / seasonal factor, appointments by unknown staff shared pro rata, scaled
    up for practices missing from the file by list size.
    """
    a = appts.set_index("area")
    s = seas.pivot_table(index="area", columns="staff_type", values="factor", observed=True)
    known = a.gp + a.other_staff
    share_gp = np.where(known > 0, a.gp / known.where(known > 0, 1), 0.5)
    gp_nov = a.gp + a.unknown_staff * share_gp
    oth_nov = a.other_staff + a.unknown_staff * (1 - share_gp)
    cover = np.ones(len(a))
    if "patients" in a.columns and "list_size" in a.columns:
        cover = np.where(a.list_size > 0, a.patients / a.list_size.where(a.list_size > 0, 1), 1.0)
    out = pd.DataFrame(index=a.index)
    out["nov_gp"] = gp_nov
    out["nov_other"] = oth_nov
    out["factor_gp"] = s["gp"].reindex(a.index).to_numpy()
    out["factor_other"] = s["other"].reindex(a.index).to_numpy()
    out["gp"] = gp_nov * 12.0 / out.factor_gp * cover
    out["other"] = oth_nov * 12.0 / out.factor_other * cover
    return out


def base_year_appointments(inputs: ModelInputs, amap: pd.DataFrame) -> dict[str, np.ndarray]:
    """Modelled base-year appointments per area, by the staff who do them.

    ``gp`` and ``other`` (uncalibrated service use: contacts x appointments per contact x
    the GP's share of each clinical activity), and per activity whether it is clinical
    (booked with a clinician) or per appointment (booking work, scaled with all
    appointments).
    """
    acts = list(inputs.activities)
    m = amap.set_index("activity").reindex(acts)
    w = m.appointment_weight.fillna(0.0).to_numpy()
    clinical = m.driver.fillna("population").eq("clinical").to_numpy()
    w = np.where(clinical, w, 0.0)
    roles = list(inputs.roles)
    s_gp = (
        inputs.shares_current[:, roles.index(GP_ROLE)] if GP_ROLE in roles else np.zeros(len(acts))
    )
    res = run_model(replace(inputs, demand_factor=None, staff_factor=None), draws=0)
    dw = res.demand[0, :, 0, :] * w  # (A, K) base-year appointments
    return {
        "gp": (dw * s_gp).sum(axis=1),
        "other": (dw * (1 - s_gp)).sum(axis=1),
        "clinical": clinical,
        "per_appointment": m.driver.fillna("population").eq("appointments").to_numpy(),
    }


#: the bounds of a local factor: an area's use of GPs, or of other staff, between a fifth
#: and five times the model's.  99.3% of practices with appointments and every network but
#: a handful lie inside (a third to three times holds only 96.4% of practices); beyond them
#: the area's figures are taken as a recording quirk, not its service use (docs/calibration.md)
LOCAL_BOUNDS = (0.2, 5.0)


@dataclass(frozen=True, slots=True)
class LocalFit:
    """Per area: service-use factors for GP and other staff, and how well they fit."""

    m_gp: np.ndarray
    m_other: np.ndarray
    total: np.ndarray
    residual_gp: np.ndarray
    residual_other: np.ndarray
    bound_gp: np.ndarray
    bound_other: np.ndarray


def _ratio_in_bounds(y: np.ndarray, mod: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``y / mod`` kept within :data:`LOCAL_BOUNDS`, its residual and the bound it reached.

    Where nothing is modelled the factor is 1 (nothing to scale; the residual says so);
    ``bound`` is ``"lower"``, ``"upper"`` or ``""``.
    """
    lo, hi = LOCAL_BOUNDS
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(mod > 0, y / np.where(mod > 0, mod, 1.0), 1.0)
        m = np.clip(raw, lo, hi)
        resid = np.where(y > 0, m * mod / np.where(y > 0, y, 1.0) - 1.0, np.nan)
    bound = np.where(raw < lo, "lower", np.where(raw > hi, "upper", ""))
    return m, resid, bound


def fit_local(mod: dict[str, np.ndarray], y_gp: np.ndarray, y_oth: np.ndarray) -> LocalFit:
    """Per-area factors for GP and other-staff service use, within :data:`LOCAL_BOUNDS`.

    GP appointments are modelled as ``m_gp x`` the model's and other staff's as
    ``m_other x`` theirs: two separate ratios, each the unique least-squares answer
    within its bounds (the problem is diagonal, so it is always well posed), exact
    wherever the ratio lies within the bounds.
    """
    m_gp, r_gp, b_gp = _ratio_in_bounds(y_gp, mod["gp"])
    m_oth, r_oth, b_oth = _ratio_in_bounds(y_oth, mod["other"])
    both = mod["gp"] + mod["other"]
    with np.errstate(divide="ignore", invalid="ignore"):
        total = np.where(
            both > 0, (m_gp * mod["gp"] + m_oth * mod["other"]) / np.where(both > 0, both, 1), 1.0
        )
    return LocalFit(m_gp, m_oth, total, r_gp, r_oth, b_gp, b_oth)


def apply_local(
    inputs: ModelInputs, mod: dict[str, np.ndarray], fit: LocalFit, idx: list[int] | None = None
) -> ModelInputs:
    """Return inputs with an area's own service use: the fit on the whole catalogue, cut to ``idx``.

    Every appointment-driven activity's contacts scale with all the area's appointments
    (``total``), and the work GPs and other staff do in clinical activities by their own
    factor over that (``m_gp / total``, ``m_other / total``): the area's split between GPs
    and others is set through who does what, not through which activities it needs.
    """
    k = slice(None) if idx is None else idx
    booked = (mod["clinical"] | mod["per_appointment"])[k]
    demand = np.where(booked[None, :], fit.total[:, None], 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        staff = np.column_stack([fit.m_gp / fit.total, fit.m_other / fit.total])
    staff_class = np.array([0 if r == GP_ROLE else 1 for r in inputs.roles])
    return replace(
        inputs,
        demand_factor=demand,
        staff_factor=staff,
        staff_class=staff_class,
        staff_factor_activities=mod["clinical"][k].copy(),
    )


def appointment_map() -> pd.DataFrame:
    """Return the bundled appointment map (how each activity shows in appointments)."""
    # lazy: wfkit.data loads only when a run reads bundled tables
    from .. import data as wd

    return wd.load("appointment_map")


def local_factors(
    inputs: ModelInputs, level: str, apply_to: ModelInputs | None = None
) -> tuple[ModelInputs, pd.DataFrame]:
    """Each area's own service use, fitted to its base-year appointments by staff type.

    Parameters
    ----------
    inputs
        The areas with the whole catalogue of activities (all appointments are compared).
    level
        Their area level (for the appointments data).
    apply_to
        The inputs to calibrate: the same areas, the catalogue or some of its activities
        (default ``inputs``).

    Returns
    -------
    (ModelInputs, pandas.DataFrame)
        ``apply_to`` with the demand and staff factors set (see :func:`calibrate`), and per
        area the modelled and actual annual appointments, the factors ``m_gp`` and
        ``m_other``, the fitted appointments' ``residual_gp`` and ``residual_other``
        (fitted / actual - 1) and ``bound_gp``, ``bound_other`` (``"lower"``, ``"upper"``
        or empty: the bound of :data:`LOCAL_BOUNDS` a factor reached).
    """
    # lazy: wfkit.data loads only when a run reads bundled tables
    from .. import data as wd

    amap = appointment_map()
    areas = list(inputs.areas)
    y = annual_appointments(wd.appointments(areas, level), wd.seasonal_factors(areas, level))
    y = y.reindex(areas)
    if y.gp.isna().any():
        bad = y.index[y.gp.isna()][0]
        raise InputError(
            f"no November 2025 appointments for area {bad!r}; local calibration needs them "
            "(use calibration: national)",
            source="data/appointments",
            key="calibration",
        )
    mod = base_year_appointments(inputs, amap)
    fit = fit_local(mod, y.gp.to_numpy(), y.other.to_numpy())
    table = pd.DataFrame(
        {
            "area": areas,
            "modelled_gp": mod["gp"],
            "modelled_other": mod["other"],
            "actual_gp": y.gp.to_numpy(),
            "actual_other": y.other.to_numpy(),
            "november_gp": y.nov_gp.to_numpy(),
            "november_other": y.nov_other.to_numpy(),
            "seasonal_gp": y.factor_gp.to_numpy(),
            "seasonal_other": y.factor_other.to_numpy(),
            "m_gp": fit.m_gp,
            "m_other": fit.m_other,
            "residual_gp": fit.residual_gp,
            "residual_other": fit.residual_other,
            "bound_gp": fit.bound_gp,
            "bound_other": fit.bound_other,
        }
    )
    target = inputs if apply_to is None else apply_to
    idx = [list(inputs.activities).index(a) for a in target.activities]
    return apply_local(target, mod, fit, idx), table


def local_notes(table: pd.DataFrame) -> list[str]:
    """Say what the local fit left: areas off their appointments, and bounds reached."""
    notes = []
    for who, col in (("GP", "gp"), ("other-staff", "other")):
        at = table[table[f"bound_{col}"] != ""]
        if len(at):
            res = at[f"residual_{col}"]
            worst = at.loc[res.abs().fillna(np.inf).idxmax()]
            off = worst[f"residual_{col}"]
            how = "none recorded" if pd.isna(off) else f"{off:+.0%}"
            notes.append(
                f"local calibration: {len(at)} area(s) reached a bound of the {who} factor "
                f"[{LOCAL_BOUNDS[0]:g}, {LOCAL_BOUNDS[1]:g}], so their modelled {who} "
                f"appointments differ from their own (most: {worst.area}, {how})"
            )
    return notes
