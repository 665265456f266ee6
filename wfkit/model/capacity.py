"""Working time and WISN allowances: one definition for the engine and for classic WISN.

Everything here works on numbers or numpy arrays alike (any shapes that broadcast), so the
engine calls it with ``(draws, roles)`` arrays and :mod:`wfkit.wisn` with plain floats:

=========================  ===============================================================
available working time     ``AWT = contract hours - absence hours`` (hours a year), where
                           from a capacity table ``contract = weeks_per_year x
                           hours_per_week`` and ``absence = (annual leave + bank holidays +
                           sickness + training + other days) x hours_per_week /
                           days_per_week``
category allowance factor  ``CAF = 1 / (1 - CAS)``, CAS the share of working time spent on
                           work all staff of the category do that is not activity
individual allowance       ``IAF = IAS hours / AWT`` (staff): work only some staff do
=========================  ===============================================================

The WHO *Workload indicators of staffing need: user's manual* (2010) defines all three;
staff required are then ``workload hours / AWT x CAF + IAF``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

__all__ = [
    "ABSENCES",
    "absence_days",
    "working_hours",
    "available_working_time",
    "category_allowance_factor",
    "individual_allowance_factor",
]

#: the capacity measures (days a year) deducted from contracted time
ABSENCES = (
    "annual_leave_days",
    "bank_holiday_days",
    "sickness_days",
    "training_days",
    "other_days",
)


def absence_days(capacity: Mapping[str, object]):
    """Days a year lost to every absence in :data:`ABSENCES` (a missing one counts as 0)."""
    total = 0.0
    for k in ABSENCES:
        total = total + np.asarray(capacity.get(k, 0.0), dtype=float)
    return total


def working_hours(contract_hours, absence_hours):
    """Available working time in hours: contracted hours less hours of absence."""
    return np.asarray(contract_hours, dtype=float) - np.asarray(absence_hours, dtype=float)


def available_working_time(capacity: Mapping[str, object]):
    """Available working time in hours a year from capacity measures.

    The measures are ``weeks_per_year``, ``hours_per_week``, ``days_per_week`` and the
    absences of :data:`ABSENCES` in days.
    """
    hpw = np.asarray(capacity["hours_per_week"], dtype=float)
    contract = np.asarray(capacity["weeks_per_year"], dtype=float) * hpw
    hours_per_day = hpw / np.asarray(capacity["days_per_week"], dtype=float)
    return working_hours(contract, absence_days(capacity) * hours_per_day)


def category_allowance_factor(cas_fraction):
    """``CAF = 1 / (1 - CAS)``, CAS as a fraction of available working time (< 1)."""
    return 1.0 / (1.0 - np.asarray(cas_fraction, dtype=float))


def individual_allowance_factor(ias_hours, awt_hours):
    """``IAF = IAS hours / AWT``: staff taken up by individual allowances."""
    return np.asarray(ias_hours, dtype=float) / np.asarray(awt_hours, dtype=float)
