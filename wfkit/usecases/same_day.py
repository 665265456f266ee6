"""Use case ``same_day``: same-day access, with GP work moved to other roles.

Same-day access (minor illness, urgent, first-contact MSK, acute home visits), with GP
work moved to pharmacists, paramedics and physician associates, each at its own minutes
per contact.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..errors import InputError, WfkitError
from ..frontdoor_flow import same_day_profile
from ..queueing import weekly_profile
from .base import Context, Spec, register
from .params import Setting, fraction

#: the roles same-day work moves to in the future model
ROLES = ("pharmacist", "paramedic", "physician_associate")

#: FALLBACK ONLY (:func:`request_profile` uses England's published arrivals): same-day
#: requests by weekday (Mondays busiest) -- wfkit judgement from practice reports
WEEKDAY_WEIGHTS = {
    "Monday": 0.24,
    "Tuesday": 0.20,
    "Wednesday": 0.19,
    "Thursday": 0.19,
    "Friday": 0.18,
}
#: FALLBACK ONLY: same-day requests by session (mornings busier) -- wfkit judgement
SESSION_WEIGHTS = {"morning": 0.6, "afternoon": 0.4}

_LABELS = {
    "pharmacist": "clinical pharmacists",
    "paramedic": "paramedics",
    "physician_associate": "physician associates",
}
_PARTS = {"pharmacist": 0.4, "paramedic": 0.3, "physician_associate": 0.3}
_MINUTES = {"pharmacist": 20.0, "paramedic": 20.0, "physician_associate": 15.0}
_SHORT = {
    "pharmacist": "pharmacist",
    "paramedic": "paramedic",
    "physician_associate": "physician associate",
}

#: what :func:`request_profile` says when it falls back on the judgement weights
FALLBACK_SOURCE = "wfkit judgement weights (fallback: England's arrival profile unreadable: {})"


def request_profile(weekly_requests: float) -> pd.DataFrame:
    """Spread a week's same-day requests over weekday sessions.

    With England's calls and online requests by weekday and time band (November 2025,
    :func:`wfkit.frontdoor_flow.same_day_profile`); only if that table cannot be read, with
    the judgement weights :data:`WEEKDAY_WEIGHTS` x :data:`SESSION_WEIGHTS`, and the
    ``source`` column says so.

    Returns
    -------
    pandas.DataFrame
        ``weekday``, ``session``, ``requests``, ``source``.
    """
    try:
        return same_day_profile(weekly_requests)
    except (WfkitError, OSError) as exc:
        prof = weekly_profile(weekly_requests, WEEKDAY_WEIGHTS, SESSION_WEIGHTS)
        return prof.assign(source=FALLBACK_SOURCE.format(exc))


PARAMS = tuple(
    fraction(f"{r}_part", _PARTS[r], f"part of the moved work going to {_LABELS[r]}") for r in ROLES
) + tuple(
    Setting(
        f"{r}_minutes",
        default=_MINUTES[r],
        kind=float,
        help=f"{_LABELS[r]}' minutes per same-day contact",
        unit="minutes",
        label=f"{_SHORT[r]} minutes per same-day contact",
        lo=0.0,
        hi=240.0,
        open_lo=True,
    )
    for r in ROLES
)


def check_parts(params: Mapping[str, Any]) -> dict[str, float]:
    """Return the parts of the moved work by role (``*_part``), refused unless they sum to 1.

    Refused as the ``to`` parts of a scenario file's shift are (they were once silently
    rescaled).

    Raises
    ------
    InputError
        Naming the parameters, their sum and what was expected.
    """
    parts = {r: float(params.get(f"{r}_part", _PARTS[r])) for r in ROLES}
    total = sum(parts.values())
    if abs(total - 1.0) > 1e-6:
        names = " + ".join(f"{r}_part" for r in ROLES)
        words = " + ".join(f"{_LABELS[r]} {parts[r]:.0%}" for r in ROLES)
        raise InputError(
            f"{names} = {total:.6g}; expected 1: the parts of the moved work ({words}) "
            f"add up to {total:.0%}, not 100%; change them so they add up to 1",
            column=f"{ROLES[0]}_part",
        )
    return parts


def variants(ctx: Context) -> list[dict[str, Any]]:
    """Make ``future_model``: part of the GP's same-day work moved to three other roles.

    The future who-does-what, then ``shift_fraction`` of the GP's share to pharmacists,
    paramedics and physician associates (``*_part``, summing to 1), each with its own
    minutes (``*_minutes``).
    """
    p = ctx.params
    parts = check_parts(p)
    shifts, mins = ctx.shifts("gp", parts, {r: float(p[f"{r}_minutes"]) for r in ROLES})
    return [ctx.future_model(shifts, mins)]


SPEC = register(
    Spec(
        "same_day",
        "same-day access: minor illness, urgent, first-contact MSK, acute home visits",
        variants,
        PARAMS,
    )
)
