"""Work moved in from hospital: contacts, primary-care FTE and cost, hospital activity avoided.

Arrays in, arrays out, over draw ``d``, area ``a``, year ``t``, age band ``g`` and role
``r`` (draw 0 is the central run; an array of one draw broadcasts):

===========================  ================================================================
ramp-up                      ``w[t] = min(1, (t - start + 1) / ramp_up_years)`` from the start
                             year, 0 before it
contacts                     ``C[d,a,t] = w[t] * sum_g P[d,a,t,g] * rate[d,g] / 1000`` (per
                             1,000 patients by age band), or ``w[t] * N[d] * list[a] / list``
                             (a count a year, shared by base-year registered list)
hours, by role               ``H[d,a,t,r] = C * share[r] * minutes[d] / 60``
FTE, by role                 ``F = H / AWT[d,r] * CAF[d,r]`` (the engine's working time and
                             category allowance; no individual allowance: the work is a few
                             sessions of people already in post)
primary-care cost            ``F * cost_per_fte[d,r]``
attendances avoided          ``C * replaces[d]``
consultant hours avoided     ``attendances * consultant_minutes[d] / 60``
hospital cost avoided        ``attendances * cost_per_attendance[d]``
===========================  ================================================================

Training for practitioners with special interests and the business case are in
:mod:`wfkit.usecases.closer_to_home`; the method in ``docs/closer-to-home.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import InputError

__all__ = ["ramp_weights", "MovedInArrays", "moved_in_arrays"]


def ramp_weights(years: np.ndarray, start_year: int, ramp_up_years: int) -> np.ndarray:
    """Share of full volume in each year: 0 before the start, ``1/n, 2/n, ... 1`` after.

    Parameters
    ----------
    years
        The modelled years.
    start_year
        First year of the service.
    ramp_up_years
        Years to full volume (1: full volume in the start year).

    Returns
    -------
    numpy.ndarray
        ``(T,)`` weights in ``[0, 1]``.
    """
    if ramp_up_years < 1:
        raise InputError(f"ramp_up_years = {ramp_up_years}; expected at least 1")
    t = np.asarray(years, dtype=float)
    return np.clip((t - start_year + 1.0) / float(ramp_up_years), 0.0, 1.0)


@dataclass(frozen=True)
class MovedInArrays:
    """One moved-in service's arrays, draws first (draw 0 central).

    Attributes
    ----------
    contacts
        ``(D, A, T)`` primary-care contacts a year.
    hours, fte, cost_gbp
        ``(D, A, T, R)`` clinician hours, FTE and pay cost by delivering role.
    attendances_avoided, consultant_hours_avoided, hospital_cost_avoided_gbp
        ``(D, A, T)`` on the hospital side.
    """

    contacts: np.ndarray
    hours: np.ndarray
    fte: np.ndarray
    cost_gbp: np.ndarray
    attendances_avoided: np.ndarray
    consultant_hours_avoided: np.ndarray
    hospital_cost_avoided_gbp: np.ndarray

    @property
    def net_cost_gbp(self) -> np.ndarray:
        """``(D, A, T)`` primary-care cost less hospital cost avoided (before training)."""
        return self.cost_gbp.sum(axis=-1) - self.hospital_cost_avoided_gbp


def _d(x: np.ndarray | float) -> np.ndarray:
    """Return a per-draw value as ``(D,)`` (a scalar as one draw)."""
    return np.atleast_1d(np.asarray(x, dtype=float))


def moved_in_arrays(
    population: np.ndarray,
    weights: np.ndarray,
    *,
    shares: np.ndarray,
    minutes: np.ndarray | float,
    awt_hours: np.ndarray,
    caf: np.ndarray,
    cost_per_fte: np.ndarray,
    replaces: np.ndarray | float,
    cost_per_attendance: np.ndarray | float,
    consultant_minutes: np.ndarray | float = 0.0,
    per_1000: np.ndarray | None = None,
    per_year: np.ndarray | float | None = None,
) -> MovedInArrays:
    """Compute one moved-in service's contacts, staff, cost and hospital activity avoided.

    Parameters
    ----------
    population
        ``(D, A, T, G)`` registered patients by age band (``D`` may be 1).
    weights
        ``(T,)`` ramp-up (:func:`ramp_weights`).
    shares
        ``(R,)`` share of contacts each role delivers (sums to 1).
    minutes
        Minutes per contact, ``(D,)`` or a scalar.
    awt_hours, caf, cost_per_fte
        ``(D, R)`` available working hours, category allowance factor and cost per FTE of
        each role (a model result's).
    replaces, cost_per_attendance, consultant_minutes
        Hospital attendances replaced per contact, GBP per attendance and consultant minutes
        per attendance, ``(D,)`` or scalars.
    per_1000
        ``(D, G)`` contacts a year per 1,000 patients by age band; or
    per_year
        ``(D,)`` contacts a year for all the areas, shared by the base-year list.

    Returns
    -------
    MovedInArrays
        The arrays, with as many draws as the inputs have (broadcast).
    """
    pop = np.asarray(population, dtype=float)
    w = np.asarray(weights, dtype=float)[None, None, :]
    if (per_1000 is None) == (per_year is None):
        raise InputError("expected exactly one of per_1000 or per_year")
    if per_1000 is not None:
        rate = np.atleast_2d(np.asarray(per_1000, dtype=float))
        n = max(pop.shape[0], rate.shape[0])  # one draw of either broadcasts
        full = np.einsum(
            "datg,dg->dat",
            np.broadcast_to(pop, (n, *pop.shape[1:])),
            np.broadcast_to(rate, (n, pop.shape[3])),
        )
        full = full / 1000.0
    else:
        base = pop[0, :, 0, :].sum(axis=-1)  # (A,) base-year list
        total = float(base.sum())
        share = base / total if total > 0 else np.zeros_like(base)
        full = _d(per_year)[:, None, None] * share[None, :, None] * np.ones(pop.shape[2])
    contacts = w * full  # (D, A, T)
    sh = np.asarray(shares, dtype=float)
    hours = contacts[..., None] * sh * _d(minutes)[:, None, None, None] / 60.0
    awt = np.asarray(awt_hours, dtype=float)[:, None, None, :]
    fte = hours / awt * np.asarray(caf, dtype=float)[:, None, None, :]
    cost = fte * np.asarray(cost_per_fte, dtype=float)[:, None, None, :]
    att = contacts * _d(replaces)[:, None, None]
    return MovedInArrays(
        contacts=contacts,
        hours=hours,
        fte=fte,
        cost_gbp=cost,
        attendances_avoided=att,
        consultant_hours_avoided=att * _d(consultant_minutes)[:, None, None] / 60.0,
        hospital_cost_avoided_gbp=att * _d(cost_per_attendance)[:, None, None],
    )
