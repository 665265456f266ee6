"""From the front door to the clinicians: same-day profile, triage, scenarios and their cost.

:mod:`wfkit.frontdoor` sizes the phone lines hour by hour.  This module follows the
requests on: the clinical ones are triaged by a clinician, some become appointments, and
the appointments' published booking times (November 2025, ``appointments``: same day,
next day, 2-7 days, later) say how many are same-day work, which is staffed session by
session as an Erlang C queue (:func:`wfkit.queueing.session_staffing`) over England's
real arrival profile by weekday and session (:func:`same_day_profile`).

:func:`front_door_scenarios` sets the scenarios a practice manager asks about side by side,
each with its cost: move phone requests online, stagger the 8 am release of appointments,
add call handlers between 8 and 10, and the 2026/27 standard (every clinically urgent
request answered the same day; online requests open through core hours).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import data as wd
from .data.areas import practices_in
from .errors import InputError
from .frontdoor import (
    WEEKDAYS,
    FrontDoor,
    area_requests,
    call_handlers,
    check_share,
    hourly_profile,
)
from .frontdoor import weekday_hours as _weekday_hours
from .queueing import erlang_a, session_staffing
from .settings import SAME_DAY_STANDARD
from .validation import check_numbers

__all__ = [
    "SESSIONS",
    "STANDARDS",
    "FrontDoorPlan",
    "session_shares",
    "same_day_profile",
    "booking_shares",
    "request_flow",
    "front_door_plan",
    "front_door_scenarios",
    "FrontDoorScenarios",
    "answer_curve",
]

#: the clinical sessions of a weekday, from and to o'clock (core hours 08:00-18:30)
SESSIONS = {"morning": (8.0, 13.0), "afternoon": (13.0, 18.5)}
#: the same-day standards a plan can follow (the setting ``same_day_standard``)
STANDARDS: tuple[str, ...] = SAME_DAY_STANDARD.choices  # type: ignore[assignment]
_PROFILE_SOURCE = "England's calls and online requests by weekday and time band, November 2025"


def _slot(hour_of_week: int) -> tuple[int, str]:
    """Return the weekday (0-4) and session in which a request arriving then is met.

    Core hours are split at 13:00 (the 18:00-18:59 hour counts to the afternoon); a request
    before 08:00 waits for that morning, one in the evening for the next weekday's morning,
    one at the weekend for Monday morning.
    """
    d, h = divmod(int(hour_of_week), 24)
    if d >= 5 or (d == 4 and h >= 19):
        return 0, "morning"
    if h >= 19:
        return d + 1, "morning"
    return d, "morning" if h < 13 else "afternoon"


def session_shares() -> pd.DataFrame:
    """Return England's share of a week's requests met in each weekday session.

    England's calls and online requests in an average week of November 2025
    (``arrival_profile``, spread over the hours by :func:`wfkit.frontdoor.hourly_profile`)
    are added and put into the session that meets them (requests out of core hours wait
    for the next weekday morning).

    Returns
    -------
    pandas.DataFrame
        ``weekday`` (Monday to Friday), ``session`` (``morning``, ``afternoon``),
        ``requests`` (England, an average week: calls and online requests) and ``share``
        (sums to 1).
    """
    prof = hourly_profile()
    week = wd.load("arrival_profile").groupby("channel").requests_per_day.sum()
    per_hour = np.zeros(7 * 24)
    for channel, g in prof.groupby("channel", sort=True):
        per_hour += g.share.to_numpy() * float(week[channel])
    slots = [_slot(h) for h in range(7 * 24)]
    frame = pd.DataFrame(
        {
            "day": [s[0] for s in slots],
            "session": [s[1] for s in slots],
            "requests": per_hour,
        }
    )
    frame["order"] = [list(SESSIONS).index(x) for x in frame.session]
    out = frame.groupby(["day", "order", "session"], sort=True).requests.sum().reset_index()
    out = out.drop(columns="order")
    out.insert(0, "weekday", [WEEKDAYS[d] for d in out.day])
    out = out.drop(columns="day")
    out["share"] = out.requests / out.requests.sum()
    return out


def same_day_profile(weekly_requests: float) -> pd.DataFrame:
    """Spread a week's same-day requests over weekday sessions with England's real profile.

    Parameters
    ----------
    weekly_requests
        Same-day requests in a week (>= 0).

    Returns
    -------
    pandas.DataFrame
        ``weekday``, ``session``, ``requests`` (for
        :func:`wfkit.queueing.session_staffing`) and ``source``.
    """
    n = float(check_numbers(weekly_requests, "weekly_requests"))
    s = session_shares()
    return pd.DataFrame(
        {
            "weekday": s.weekday,
            "session": s.session,
            "requests": n * s.share.to_numpy(),
            "source": _PROFILE_SOURCE,
        }
    )


def booking_shares(area: str, level: str = "pcn") -> pd.Series:
    """Return the area's appointments by time from booking, as shares (November 2025).

    Appointments with a known booking time of the area's practices (``appointments``):
    ``same_day``, ``next_day`` (1 day), ``within_week`` (2-7 days) and ``later`` (8 days
    or more); they sum to 1.
    """
    p = practices_in(area, level)
    a = wd.load("appointments")
    a = a[a.practice.isin(p.practice)]
    parts = {
        "same_day": a.same_day.sum(),
        "next_day": a.days_1.sum(),
        "within_week": a.days_2_7.sum(),
        "later": a[["days_8_14", "days_15_21", "days_22_28", "days_29_plus"]].sum().sum(),
    }
    s = pd.Series(parts, dtype=float)
    if s.sum() <= 0:
        raise InputError(f"no appointments with a booking time in {area}", column="area")
    return s / s.sum()


def _check_standard(standard: str) -> str:
    SAME_DAY_STANDARD.raise_problem(standard)
    return standard


def request_flow(
    front: FrontDoor,
    area: str,
    level: str = "pcn",
    *,
    standard: str = "2025/26",
    appointment_share: float = 0.6,
    urgent_share: float = 0.5,
    triage_minutes: float = 3.0,
) -> pd.DataFrame:
    """Follow a week's requests from the front door to appointments, by channel.

    Answered calls and online requests (``front.hourly``) -> the clinical ones (online:
    the area's published split of clinical and administrative submissions; phone: the same
    split, as no split of calls is published) -> triaged by a clinician
    (``triage_minutes`` each) -> ``appointment_share`` of them become appointments ->
    split by the area's booking times (:func:`booking_shares`).  Under the 2026/27
    standard every clinically urgent request (``urgent_share`` of the appointments) is
    seen the same day: the same-day share is at least ``urgent_share``.

    Parameters
    ----------
    front
        :func:`wfkit.frontdoor.call_handlers` for the area.
    area, level
        The area, as given to ``call_handlers``.
    standard
        ``2025/26`` (as practices book today) or ``2026/27`` (setting ``same_day_standard``).
    appointment_share, urgent_share, triage_minutes
        Share of clinical requests that become an appointment, share of those that are
        clinically urgent, and a clinician's minutes to triage one (wfkit judgement: no
        national figure is published).

    Returns
    -------
    pandas.DataFrame
        One row per channel (``telephone``, ``online``): ``requests`` (a week; answered
        calls), ``clinical_requests``, ``triage_hours``, ``appointments``,
        ``same_day``, ``next_day``, ``within_week``, ``later`` (appointments a week).
    """
    std = _check_standard(standard)
    conv = check_share(appointment_share, "appointment_share")
    urgent = check_share(urgent_share, "urgent_share")
    tri = float(check_numbers(triage_minutes, "triage_minutes"))
    req = area_requests(area, level).set_index("channel").requests
    clin = float(req["online_clinical"] / (req["online_clinical"] + req["online_admin"]))
    h = front.hourly
    answered = float((h.calls * (1 - h.abandoned)).sum())
    book = booking_shares(area, level)
    if std == "2026/27" and book["same_day"] < urgent:
        rest = book.drop("same_day")
        book = pd.concat([pd.Series({"same_day": urgent}), rest * (1 - urgent) / rest.sum()])
    rows = []
    for channel, n in (("telephone", answered), ("online", float(h.online_requests.sum()))):
        clinical = n * clin
        appts = clinical * conv
        rows.append(
            {
                "channel": channel,
                "requests": n,
                "clinical_requests": clinical,
                "triage_hours": clinical * tri / 60,
                "appointments": appts,
                **{k: appts * float(v) for k, v in book.items()},
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class FrontDoorPlan:
    """One scenario of the front door followed to the clinicians.

    Attributes
    ----------
    front
        The phone lines hour by hour (:class:`wfkit.frontdoor.FrontDoor`).
    flow
        Requests to appointments by channel (:func:`request_flow`).
    sessions
        Same-day clinicians per weekday session (:func:`wfkit.queueing.session_staffing`).
    summary
        One row: handlers, triage, same-day clinicians, their FTE and cost.
    """

    front: FrontDoor
    flow: pd.DataFrame
    sessions: pd.DataFrame
    summary: pd.DataFrame


def _cost_per_fte(role: str) -> float:
    c = wd.load("costs").query("role == @role").set_index("parameter").value
    return float(c["salary"] * (1 + c["oncost_rate"]))


def front_door_plan(
    area: str,
    level: str = "pcn",
    *,
    standard: str = "2025/26",
    same_day_level: float = 0.9,
    minutes_per_appointment: float | None = None,
    appointment_share: float = 0.6,
    urgent_share: float = 0.5,
    triage_minutes: float = 3.0,
    hours_per_fte: float = 37.5,
    available_share: float = 0.8,
    **handlers: object,
) -> FrontDoorPlan:
    """Size an area's front door and the same-day clinicians it feeds, and cost both.

    Parameters
    ----------
    area, level
        Area code and its level.
    standard
        ``2025/26`` or ``2026/27`` (:data:`wfkit.settings.SAME_DAY_STANDARD`).
    same_day_level
        Share of same-day appointments seen within their session (Erlang C per session).
    minutes_per_appointment
        Clinician minutes per same-day appointment; default the GP's minutes per urgent
        same-day contact in the bundled ``minutes`` table.
    appointment_share, urgent_share, triage_minutes
        As for :func:`request_flow`.
    hours_per_fte, available_share
        Paid hours of one FTE a week and the share of them available (as for call handlers).
    **handlers
        Passed to :func:`wfkit.frontdoor.call_handlers` (``move_online``, ``stagger``,
        ``add_handlers``, ``month``, the service level ...).

    Returns
    -------
    FrontDoorPlan
        The phone lines, the flow to appointments, the same-day sessions and a summary.
    """
    front = call_handlers(
        area, level, hours_per_fte=hours_per_fte, available_share=available_share, **handlers
    )  # type: ignore[arg-type]
    flow = request_flow(
        front,
        area,
        level,
        standard=standard,
        appointment_share=appointment_share,
        urgent_share=urgent_share,
        triage_minutes=triage_minutes,
    )
    if minutes_per_appointment is None:
        m = wd.load("minutes")
        minutes = float(m.query("activity == 'same_day_urgent' and role == 'gp'").value.iloc[0])
    else:
        minutes = float(check_numbers(minutes_per_appointment, "minutes_per_appointment"))
    same_day = float(flow.same_day.sum())
    hours = {k: b - a for k, (a, b) in SESSIONS.items()}
    sessions = session_staffing(same_day_profile(same_day), minutes, hours, None, same_day_level)
    s = front.summary.iloc[0]
    h = front.hourly
    rush = h.loc[_weekday_hours(8, 10), "handlers"]
    triage = float(flow.triage_hours.sum())
    clin_hours = float(sessions.clinician_hours.sum()) + triage
    clin_fte = clin_hours / (hours_per_fte * available_share)
    clin_cost = clin_fte * _cost_per_fte("gp")
    summary = pd.DataFrame(
        {
            "area": [area],
            "standard": standard,
            "calls_per_week": s.calls_per_week,
            "online_requests_per_week": s.online_requests_per_week,
            "peak_handlers_8_10": float(rush.max()),
            "handler_hours_8_10": float(rush.sum()),
            "handler_fte": s.handler_fte,
            "handler_cost_per_year": s.handler_cost_per_year,
            "answered_within_target": s.answered_within_target,
            "abandoned": s.abandoned,
            "triage_hours_per_week": triage,
            "same_day_appointments_per_week": same_day,
            "clinician_hours_per_week": clin_hours,
            "clinician_fte": clin_fte,
            "clinician_cost_per_year": clin_cost,
            "total_cost_per_year": s.handler_cost_per_year + clin_cost,
        }
    )
    return FrontDoorPlan(front, flow, sessions, summary)


#: the scenarios of :func:`front_door_scenarios`, in words
SCENARIO_WORDS = {
    "baseline": "As today",
    "move_online": "Move phone requests online",
    "stagger": "Stagger the 8 am release",
    "add_handlers": "Add call handlers 08:00-10:00",
    "standard_2026_27": "2026/27 same-day standard",
}


@dataclass(frozen=True)
class FrontDoorScenarios:
    """The front-door scenarios side by side.

    Attributes
    ----------
    costs
        One row per scenario: ``scenario``, ``scenario_name``, the columns of
        ``FrontDoorPlan.summary`` and ``cost_change_per_year`` (against the baseline).
    hourly
        Every scenario's ``FrontDoor.hourly``, with ``scenario`` and
        ``scenario_name`` columns.
    baseline
        The baseline's plan (its phone lines, flow and same-day sessions).
    """

    costs: pd.DataFrame
    hourly: pd.DataFrame
    baseline: FrontDoorPlan


def front_door_scenarios(
    area: str,
    level: str = "pcn",
    *,
    move_online: float = 0.2,
    stagger: float = 0.3,
    extra_handlers: int = 1,
    standard: str = "2025/26",
    **plan: object,
) -> FrontDoorScenarios:
    """Cost the front-door scenarios a practice manager asks about, side by side.

    ``baseline`` (the ``standard`` given); ``move_online`` (that share of phone requests
    made online); ``stagger`` (that share of the 08:00-09:59 calls spread over the day);
    ``add_handlers`` (``extra_handlers`` more on the phones each weekday hour 08:00-10:00,
    on top of those sized); ``standard_2026_27`` (every clinically urgent request seen the
    same day).  Every other setting is the baseline's.

    Parameters
    ----------
    area, level
        Area code and its level.
    move_online, stagger, extra_handlers, standard
        The scenarios' settings (:mod:`wfkit.settings`).
    **plan
        Passed to :func:`front_door_plan` for every scenario.

    Returns
    -------
    FrontDoorScenarios
        ``costs`` (one row per scenario) and ``hourly`` (every scenario's hours).
    """
    extra = int(check_numbers(extra_handlers, "extra_handlers", integer=True))
    runs: Mapping[str, dict[str, object]] = {
        "baseline": {},
        "move_online": {"move_online": move_online},
        "stagger": {"stagger": stagger},
        "add_handlers": {"add_handlers": {h: extra for h in _weekday_hours(8, 10)}},
        "standard_2026_27": {"standard": "2026/27"},
    }
    rows, hours, plans = [], [], {}
    for name, kw in runs.items():
        args = {"standard": standard, **plan, **kw}
        one = plans[name] = front_door_plan(area, level, **args)  # type: ignore[arg-type]
        rows.append(one.summary.assign(scenario=name, scenario_name=SCENARIO_WORDS[name]))
        hours.append(one.front.hourly.assign(scenario=name, scenario_name=SCENARIO_WORDS[name]))
    out = pd.concat(rows, ignore_index=True)
    out = out[
        [
            "scenario",
            "scenario_name",
            *[c for c in out.columns if c not in ("scenario", "scenario_name")],
        ]
    ]
    out["cost_change_per_year"] = out.total_cost_per_year - out.total_cost_per_year.iloc[0]
    return FrontDoorScenarios(out, pd.concat(hours, ignore_index=True), plans["baseline"])


def answer_curve(
    front: FrontDoor, target_wait_minutes: float = 2.0, max_handlers: int | None = None
) -> pd.DataFrame:
    """Return what 1, 2, ... call handlers achieve in the busiest hour and an average open hour.

    Erlang A (:func:`wfkit.queueing.erlang_a`) with the area's handling time and callers'
    patience (``front.inputs``), for the hour of the week with the most calls and for the
    mean calls of an open hour.

    Parameters
    ----------
    front
        :func:`wfkit.frontdoor.call_handlers` for the area.
    target_wait_minutes
        The wait counted as answered in time.
    max_handlers
        Up to this many handlers (default: the most the busiest hour needs, plus 3).

    Returns
    -------
    pandas.DataFrame
        ``area``, ``hour`` (words), ``calls_per_hour``, ``handlers``,
        ``answered_within_target`` (of all callers), ``abandoned``, ``mean_wait_minutes``.
    """
    h = front.hourly
    v = front.inputs.set_index("parameter").value
    wait = float(check_numbers(target_wait_minutes, "target_wait_minutes"))
    peak = h.loc[h.calls.idxmax()]
    open_calls = float(h.calls[h.open].mean())
    top = int(h.handlers_needed.max()) + 3 if max_handlers is None else int(max_handlers)
    n = np.arange(1, max(top, 1) + 1, dtype=float)
    rows = []
    for label, calls in (
        (f"Busiest hour ({peak.weekday} {int(peak.hour):02d}:00)", float(peak.calls)),
        ("Average open hour", open_calls),
    ):
        r = erlang_a(n, calls / 60, v["handle_minutes"], v["patience_minutes"], wait)
        rows.append(
            pd.DataFrame(
                {
                    "area": h.area.iloc[0],
                    "hour": label,
                    "calls_per_hour": calls,
                    "handlers": n.astype(int),
                    "answered_within_target": r.answered_within.to_numpy(),
                    "abandoned": r.p_abandon.to_numpy(),
                    "mean_wait_minutes": r.mean_wait.to_numpy(),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)
