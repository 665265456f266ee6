"""Supply policy: named scenario settings on top of the observed trends.

The default flows (``assumptions/flows.csv``, :mod:`wfkit.data.trends`) are each role's
observed net change, with the network roles held at today's staff.  A policy is a stated
choice, never buried in them: each setting of :data:`wfkit.settings.SUPPLY_POLICY` is an
annual rate added to the joiner rate (central, low and high alike) of the roles it names
in :data:`POLICY_ROLES`:

- ``gp_training_places``: GPs (more GP specialty training places);
- ``arrs_growth``: the network roles of the Additional Roles Reimbursement Scheme
  (:data:`wfkit.data.trends.NETWORK_ROLES`);
- ``arrs_gps``: GPs (GPs employed by networks through the scheme).

All three default to 0, so a run without them is the trend alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np

from .. import settings as S
from ..data.trends import NETWORK_ROLES
from ..model.uncertainty import Param

__all__ = ["POLICY_ROLES", "apply_supply_policy", "policy_notes"]

#: each supply policy setting -> the model roles whose joiner rate it raises
POLICY_ROLES: dict[str, tuple[str, ...]] = {
    S.GP_TRAINING_PLACES.name: ("gp",),
    S.ARRS_GROWTH.name: NETWORK_ROLES,
    S.ARRS_GPS.name: ("gp",),
}


def _shift(roles: list[str], policy: Mapping[str, float]) -> np.ndarray:
    """Return the annual rate each role's joiner rate rises by ``(R,)``."""
    add = np.zeros(len(roles))
    for name, rate in policy.items():
        if rate:
            for role in POLICY_ROLES[name]:
                if role in roles:
                    add[roles.index(role)] += rate
    return add


def apply_supply_policy(joiner: Param, roles: list[str], policy: Mapping[str, float]) -> Param:
    """Add each supply policy's rate to the joiner rates of its roles.

    Parameters
    ----------
    joiner
        Joiner rates by role (``(R,)`` value, optional lo/hi).
    roles
        The role ids, in the order of ``joiner``.
    policy
        Setting name -> annual rate (the names of :data:`POLICY_ROLES`).

    Returns
    -------
    Param
        ``joiner`` itself when every rate is 0; otherwise a copy with value, lo and hi
        raised (a negative ``arrs_growth`` lowers them; never below 0).
    """
    add = _shift(roles, policy)
    if not add.any():
        return joiner

    def moved(x: np.ndarray | None) -> np.ndarray | None:
        return None if x is None else np.maximum(np.asarray(x, float) + add, 0.0)

    return replace(joiner, value=moved(joiner.value), lo=moved(joiner.lo), hi=moved(joiner.hi))


def policy_notes(roles: list[str], policy: Mapping[str, float]) -> list[str]:
    """One line for the run log per supply policy in force."""
    out = []
    for name, rate in policy.items():
        if rate:
            hit = [r for r in POLICY_ROLES[name] if r in roles]
            out.append(
                f"supply policy: {name} = {rate:+g} a year added to the joiner rate of "
                f"{', '.join(hit) or 'no modelled role'}"
            )
    return out
