"""The front door of a practice: phone calls and online requests, hour by hour.

Requests reach a practice by telephone and online.  This module takes an area's requests
per channel from the bundled November 2025 statistics (``telephony_practice``,
``online_practice``), spreads a week of them over the 168 hours of the week with England's
arrival profile (``arrival_profile``), and sizes the phone lines hour by hour as an Erlang A
queue (:func:`wfkit.queueing.handlers_needed`: callers who are not answered hang up, which
is what the published "missed" calls are).  Out come call handlers by hour, their FTE and
cost against the admin staff in post, and the workload of online requests.

The call-handling time and the callers' patience are estimated from the area's own
published bands (durations; answered and missed callers' waits): the mean handling time from
the duration bands, and the mean patience by the Erlang A identity
``P(abandon) = mean wait / mean patience`` applied to the answered and missed callers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import data as wd
from .data.areas import practices_in
from .errors import InputError
from .queueing import erlang_a, handlers_needed
from .validation import check_numbers

__all__ = [
    "BAND_MINUTES",
    "WEEKDAYS",
    "FrontDoor",
    "hourly_profile",
    "weekday_hours",
    "call_statistics",
    "area_requests",
    "call_handlers",
    "phone_backtest",
    "stagger_calls",
    "monthly_factors",
    "check_share",
]

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: minutes taken for each published band of waits and durations: the band's midpoint, and
#: 7.5 minutes for "longer than 5 minutes" (wfkit judgement: the band is open-ended)
BAND_MINUTES = {"lt1": 0.5, "1_2": 1.5, "2_5": 3.5, "gt5": 7.5}
_HOURS = 7 * 24


def hourly_profile() -> pd.DataFrame:
    """Return England's share of a week's requests in each hour of the week, by channel.

    Each published time band's requests on an average weekday are spread evenly over the
    hours it covers (``18:00 - 18:29`` puts its calls in the first half of 18:00-19:00).

    Returns
    -------
    pandas.DataFrame
        Columns ``channel`` (``telephone``, ``online``), ``hour_of_week`` (0 = Monday
        00:00-01:00 ... 167), ``weekday``, ``hour``, ``share`` (sums to 1 per channel) and
        ``weeks_per_month`` (November 2025's requests over an average week's).
    """
    p = wd.load("arrival_profile")
    rows = []
    for channel, g in p.groupby("channel", sort=True):
        week = np.zeros(_HOURS)
        for r in g.itertuples():
            d = WEEKDAYS.index(r.weekday)
            h = np.arange(24)
            overlap = np.clip(np.minimum(r.end_hour, h + 1) - np.maximum(r.start_hour, h), 0, 1)
            week[d * 24 : d * 24 + 24] += r.requests_per_day * overlap / (r.end_hour - r.start_hour)
        per_month = float(g.requests.sum()) / week.sum()
        rows.append(
            pd.DataFrame(
                {
                    "channel": channel,
                    "hour_of_week": np.arange(_HOURS),
                    "weekday": np.repeat(WEEKDAYS, 24),
                    "hour": np.tile(np.arange(24), 7),
                    "share": week / week.sum(),
                    "weeks_per_month": per_month,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def weekday_hours(start: float, end: float, days: tuple[str, ...] = WEEKDAYS[:5]) -> list[int]:
    """Return the hours of the week from ``start`` to ``end`` o'clock on ``days``.

    ``weekday_hours(8, 10)`` is Monday to Friday 08:00-10:00: ``[8, 9, 32, 33, ...]``.
    """
    s = float(check_numbers(start, "start"))
    e = float(check_numbers(end, "end"))
    if not 0 <= s < e <= 24:
        raise InputError(f"expected 0 <= start < end <= 24, got {s:g}-{e:g}", column="hours")
    bad = sorted(set(days) - set(WEEKDAYS))
    if bad:
        raise InputError(f"unknown weekday(s) {bad}", column="days")
    hours = range(int(np.floor(s)), int(np.ceil(e)))
    return [WEEKDAYS.index(d) * 24 + h for d in days for h in hours]


def stagger_calls(
    calls: np.ndarray, share: float, rush: tuple[float, float] = (8.0, 10.0), until: float = 18.5
) -> np.ndarray:
    """Spread ``share`` of each weekday's calls of the 8 am rush over the later open hours.

    Releasing appointments through the day instead of at 08:00 (a stagger) means fewer
    patients ring at 8: ``share`` of the calls of ``rush`` (08:00-09:59) on each weekday
    move to the hours from the end of the rush to ``until`` the same day, in proportion to
    the calls already there.  Every day keeps its calls.

    Parameters
    ----------
    calls
        168 numbers, calls in each hour of the week (0 = Monday 00:00-01:00).
    share
        Share of the rush's calls moved, in [0, 1].
    rush, until
        The rush (from, to o'clock) and the end of the later hours.

    Returns
    -------
    numpy.ndarray
        168 numbers, the calls after the stagger.
    """
    c = np.asarray(check_numbers(calls, "calls"), dtype=float)
    if c.shape != (_HOURS,):
        raise InputError(f"expected 168 numbers (one per hour), got {c.size}", column="calls")
    s = check_share(share, "stagger")
    out = c.copy()
    for day in WEEKDAYS[:5]:
        early = weekday_hours(*rush, days=(day,))
        late = weekday_hours(rush[1], until, days=(day,))
        moved = s * out[early]
        weight = out[late] if out[late].sum() > 0 else np.ones(len(late))
        out[early] -= moved
        out[late] += moved.sum() * weight / weight.sum()
    return out


def monthly_factors(sub_icbs: list[str] | None = None) -> pd.DataFrame:
    """Return each calendar month's appointments per weekday against November's.

    The front door's calls and online requests are published for one month (November
    2025).  Practices' appointments are published monthly (``appointments_monthly``), so
    a month's factor is its appointments per weekday (Monday to Friday, bank holidays not
    removed) over November 2025's, in the twelve months December 2024-November 2025;
    ``call_handlers(month=...)`` scales November's requests by it.

    Parameters
    ----------
    sub_icbs
        Sub-ICB codes to sum (None: England).

    Returns
    -------
    pandas.DataFrame
        ``month`` (1-12), ``period`` (YYYY-MM), ``appointments``, ``weekdays``,
        ``per_weekday`` and ``factor`` (1 for November).
    """
    a = wd.load("appointments_monthly")
    if sub_icbs is not None:
        a = a[a.sub_icb.isin(list(sub_icbs))]
    if a.empty:
        raise InputError("no monthly appointments for these sub-ICBs", column="sub_icbs")
    by = a.groupby("month", sort=True).appointments.sum().iloc[-12:]
    start = pd.PeriodIndex(by.index, freq="M")
    days = np.busday_count(
        start.to_timestamp().values.astype("datetime64[D]"),
        (start + 1).to_timestamp().values.astype("datetime64[D]"),
    )
    per_day = by.to_numpy(dtype=float) / days
    nov = per_day[start.month == 11]
    if len(by) < 12 or len(nov) != 1:
        raise InputError("expected twelve months ending in November", column="month")
    out = pd.DataFrame(
        {
            "month": start.month,
            "period": by.index,
            "appointments": by.to_numpy(),
            "weekdays": days,
            "per_weekday": per_day,
            "factor": per_day / nov[0],
        }
    )
    return out.sort_values("month").reset_index(drop=True)


def _month_factor(month: int, practices: pd.DataFrame) -> float:
    m = int(check_numbers(month, "month", integer=True))
    if not 1 <= m <= 12:
        raise InputError(f"expected a month 1 to 12, got {m}", column="month")
    if m == 11:
        return 1.0
    subs = sorted(set(practices.sub_icb)) if "sub_icb" in practices else None
    f = monthly_factors(subs)
    return float(f.factor[f.month == m].iloc[0])


def _band_mean(df: pd.DataFrame, prefix: str) -> float:
    counts = np.array([df[f"{prefix}{k}"].sum() for k in BAND_MINUTES], dtype=float)
    return float(counts @ np.array(list(BAND_MINUTES.values())) / counts.sum())


def call_statistics(practices: list[str] | None = None) -> dict[str, float]:
    """Summarise the published calls of ``practices`` (all of England if None).

    Returns
    -------
    dict
        ``calls`` (inbound, a month), ``queued`` (answered + missed: the calls that reached
        a queue), ``answered_share`` and ``missed_share`` (of queued calls),
        ``answered_within_1min`` (of answered calls), ``handle_minutes`` (mean duration),
        ``wait_minutes`` (mean wait of queued callers, missed ones included) and
        ``patience_minutes`` (``wait_minutes / missed_share``, the Erlang A identity).
    """
    t = wd.load("telephony_practice")
    if practices is not None:
        t = t[(t.area_level == "practice") & t.area.isin(practices)]
    if t.empty or int(t.answered.sum() + t.missed.sum()) == 0:
        raise InputError("no published calls for these practices", column="practices")
    answered, missed = float(t.answered.sum()), float(t.missed.sum())
    queued = answered + missed
    wait = answered * _band_mean(t, "answered_wait_") + missed * _band_mean(t, "missed_wait_")
    wait /= queued
    missed_share = missed / queued
    return {
        "calls": float(t.calls.sum()),
        "queued": queued,
        "answered_share": answered / queued,
        "missed_share": missed_share,
        "answered_within_1min": float(t.answered_wait_lt1.sum()) / answered,
        "handle_minutes": _band_mean(t, "duration_"),
        "wait_minutes": wait,
        "patience_minutes": wait / max(missed_share, 1e-6),
    }


def area_requests(area: str, level: str = "pcn") -> pd.DataFrame:
    """Return an area's requests a month by channel, per 1,000 patients and in total.

    The rate per 1,000 patients of the area's practices that report (telephony covers 81%
    of practices; online, those taking part) is applied to all the area's patients; an
    area with no reporting practice takes England's rate (``source`` says which).

    Returns
    -------
    pandas.DataFrame
        One row per channel (``telephone``: calls that reached a queue; ``online_clinical``;
        ``online_admin``, other or unknown submissions split as the typed ones):
        ``per_1000``, ``requests`` (a month, the area's whole list), ``patients``,
        ``covered_patients`` and ``source``.
    """
    p = practices_in(area, level)
    patients = float(p.patients.sum())
    t = wd.load("telephony_practice")
    t = t[t.area_level == "practice"].set_index("area")
    o = wd.load("online_practice")
    o = o[o.participation == 1].set_index("practice")
    lists = p.set_index("practice").patients
    admin_share = o.online_admin.sum() / (o.online_admin.sum() + o.online_clinical.sum())
    o = o.assign(
        clin=o.online_clinical + o.online_other * (1 - admin_share),
        adm=o.online_admin + o.online_other * admin_share,
    )
    tel = (t.answered + t.missed).rename("telephone")
    rows = []
    for channel, series in (
        ("telephone", tel),
        ("online_clinical", o.clin),
        ("online_admin", o.adm),
    ):
        here = series.index.intersection(lists.index)
        covered = float(lists.loc[here].sum())
        if covered > 0:
            rate, source = 1000 * float(series.loc[here].sum()) / covered, "the area's practices"
        else:
            england = wd.load("list_size").set_index("practice").patients
            both = series.index.intersection(england.index)
            rate = 1000 * float(series.loc[both].sum()) / float(england.loc[both].sum())
            source = "England (no practice of the area reports)"
        rows.append((channel, rate, rate * patients / 1000, patients, covered, source))
    cols = ["channel", "per_1000", "requests", "patients", "covered_patients", "source"]
    return pd.DataFrame(rows, columns=cols)


@dataclass(frozen=True)
class FrontDoor:
    """The front door sized hour by hour: frames for tables and charts.

    Attributes
    ----------
    hourly
        One row per hour of the week: calls and online requests per hour, handlers, and
        what they achieve (Erlang A).
    summary
        One row: calls and online requests a week, handler hours, FTE, cost, admin FTE in post.
    inputs
        The parameters used (estimated or given), one row each, with their source.
    """

    hourly: pd.DataFrame
    summary: pd.DataFrame
    inputs: pd.DataFrame = field(repr=False)


def _staffing(staffing, need: np.ndarray, open_: np.ndarray) -> np.ndarray:
    if staffing is None:
        return need.astype(float)
    s = check_numbers(staffing, "staffing", integer=True)
    if s.ndim == 0:
        return np.where(open_, float(s), 0.0)
    if s.shape != (_HOURS,):
        raise InputError(
            f"expected one number or 168 (one per hour), got {s.size}", column="staffing"
        )
    return s.astype(float)


def _add(handlers: np.ndarray, add_handlers: Mapping[int, float] | None) -> np.ndarray:
    out = handlers.copy()
    for h, n in (add_handlers or {}).items():
        if not isinstance(h, int | np.integer) or not 0 <= h < _HOURS:
            raise InputError(
                f"hour {h!r} is outside the week (0 = Monday 00:00 ... 167)", column="add_handlers"
            )
        out[h] = max(out[h] + float(check_numbers(n, "add_handlers", integer=True)), 0)
    return out


def check_share(x: float, name: str) -> float:
    """Return ``x`` as a share between 0 and 1, or raise one error naming ``name``."""
    v = float(check_numbers(x, name))
    if v > 1:
        raise InputError(f"expected a share between 0 and 1, got {v:g}", column=name)
    return v


def call_handlers(
    area: str,
    level: str = "pcn",
    *,
    target_level: float = 0.8,
    target_wait_minutes: float = 2.0,
    max_abandon: float = 0.05,
    handle_minutes: float | None = None,
    patience_minutes: float | None = None,
    move_online: float = 0.0,
    staffing: int | np.ndarray | None = None,
    add_handlers: Mapping[int, float] | None = None,
    stagger: float = 0.0,
    month: int = 11,
    open_hours: tuple[float, float] = (8.0, 18.5),
    hours_per_fte: float = 37.5,
    available_share: float = 0.8,
    online_admin_minutes: float = 4.0,
    triage_minutes: float = 3.0,
) -> FrontDoor:
    """Size the phone lines of an area hour by hour, and cost them.

    Parameters
    ----------
    area, level
        Area code and its level (``practice``, ``pcn``, ``sub_icb``, ``icb``, ``region``).
    target_level, target_wait_minutes, max_abandon
        The service level: e.g. 80% of callers answered within 2 minutes, under 5% hanging up.
    handle_minutes, patience_minutes
        Mean call-handling time and callers' mean patience; default: estimated from the
        area's published bands (:func:`call_statistics`; England's if none report).
    move_online
        Share of phone requests moved to online requests (scenario), in [0, 1].
    staffing
        None: the handlers needed in each open hour (sized).  A whole number: that many on
        the phones in every open hour; or 168 numbers, one per hour of the week.
    add_handlers
        ``{hour_of_week: n}`` added to the staffing (scenario), e.g.
        ``{h: 2 for h in weekday_hours(8, 10)}``.
    stagger
        Share of the 08:00-09:59 calls spread over the later hours of the same day
        (scenario: appointments released through the day; :func:`stagger_calls`).
    month
        Calendar month (1-12): November 2025's requests scaled by the area's monthly
        appointments (:func:`monthly_factors`; 11 = as published).
    open_hours
        The phones are staffed Monday to Friday from ``open_hours[0]`` to ``[1]`` o'clock.
    hours_per_fte, available_share
        Paid hours of one FTE a week, and the share of them on the phones (wfkit judgement:
        0.8 for breaks, training and leave).
    online_admin_minutes, triage_minutes
        Minutes of administrative staff per administrative online request and of a
        clinician per clinical online request (wfkit judgement).

    Returns
    -------
    FrontDoor
        ``hourly``, ``summary`` and ``inputs`` frames.
    """
    move = check_share(move_online, "move_online")
    p = practices_in(area, level)
    req = area_requests(area, level).set_index("channel")
    try:
        stats, stats_src = call_statistics(list(p.practice)), "the area's published calls"
    except InputError:
        stats, stats_src = call_statistics(None), "England's published calls"
    svc = float(
        check_numbers(
            stats["handle_minutes"] if handle_minutes is None else handle_minutes,
            "handle_minutes",
            positive=True,
        )
    )
    pat = float(
        check_numbers(
            stats["patience_minutes"] if patience_minutes is None else patience_minutes,
            "patience_minutes",
            positive=True,
        )
    )
    prof = hourly_profile()
    tel = prof[prof.channel == "telephone"].reset_index(drop=True)
    onl = prof[prof.channel == "online"].reset_index(drop=True)
    season = _month_factor(month, p)
    phone_week = season * req.loc["telephone", "requests"] / tel.weeks_per_month[0]
    calls = stagger_calls(phone_week * (1 - move) * tel.share.to_numpy(), stagger)
    moved = phone_week * move
    clin_share = (
        req.loc["online_clinical", "requests"]
        / req.loc[["online_clinical", "online_admin"], "requests"].sum()
    )
    online_week = (
        season
        * req.loc[["online_clinical", "online_admin"], "requests"].sum()
        / onl.weeks_per_month[0]
        + moved
    )
    start, end = (float(x) for x in open_hours)
    open_ = np.zeros(_HOURS, dtype=bool)
    open_[weekday_hours(start, end)] = True
    need = np.zeros(_HOURS)
    need[open_] = handlers_needed(
        calls[open_] / 60, svc, pat, target_wait_minutes, target_level, max_abandon
    )
    handlers = _add(_staffing(staffing, need, open_), add_handlers)
    perf = erlang_a(handlers, calls / 60, svc, pat, float(target_wait_minutes))
    within_1 = erlang_a(handlers, calls / 60, svc, pat, 1.0)
    hourly = pd.DataFrame(
        {
            "area": area,
            "hour_of_week": tel.hour_of_week,
            "weekday": tel.weekday,
            "hour": tel.hour,
            "open": open_,
            "calls": calls,
            "online_requests": online_week * onl.share.to_numpy(),
            "handlers_needed": need.astype(int),
            "handlers": handlers,
            "answered_within_target": perf.answered_within.to_numpy(),
            "abandoned": perf.p_abandon.to_numpy(),
            "mean_wait_minutes": perf.mean_wait.to_numpy(),
            "answered_within_1min_of_answered": within_1.answered_within_of_answered.to_numpy(),
        }
    )
    summary = _summary(hourly, p, area, hours_per_fte, available_share, clin_share,
                       online_admin_minutes, triage_minutes)  # fmt: skip
    inputs = pd.DataFrame(
        [
            ("handle_minutes", svc, "given" if handle_minutes is not None else stats_src),
            ("patience_minutes", pat, "given" if patience_minutes is not None else stats_src),
            ("published_answered_within_1min", stats["answered_within_1min"], stats_src),
            ("published_missed_share", stats["missed_share"], stats_src),
            (
                "phone_requests_per_1000_month",
                req.loc["telephone", "per_1000"],
                req.loc["telephone", "source"],
            ),
            ("move_online", move, "scenario"),
            ("stagger", float(stagger), "scenario"),
            ("month_factor", season, f"appointments per weekday, month {month} / November"),
            ("available_share", available_share, "wfkit judgement"),
        ],
        columns=["parameter", "value", "source"],
    )
    return FrontDoor(hourly, summary, inputs)


def _summary(
    hourly: pd.DataFrame,
    p: pd.DataFrame,
    area: str,
    hours_per_fte: float,
    available_share: float,
    clin_share: float,
    online_admin_minutes: float,
    triage_minutes: float,
) -> pd.DataFrame:
    fte_h = float(check_numbers(hours_per_fte, "hours_per_fte", positive=True))
    avail = check_share(available_share, "available_share")
    if avail == 0:
        raise InputError("expected a share above 0", column="available_share")
    costs = wd.load("costs").query("role == 'receptionist'").set_index("parameter").value
    cost_fte = float(costs["salary"] * (1 + costs["oncost_rate"]))
    w = wd.load("workforce")
    w = w[(w.year == w.year.max()) & w.practice.isin(p.practice)]
    handler_hours = float(hourly.handlers.sum())
    fte = handler_hours / (fte_h * avail)
    online = float(hourly.online_requests.sum())
    calls = float(hourly.calls.sum())
    open_calls = float(hourly.calls[hourly.open].sum())
    return pd.DataFrame(
        {
            "area": [area],
            "calls_per_week": calls,
            "calls_outside_open_hours": calls - open_calls,
            "online_requests_per_week": online,
            "handler_hours_per_week": handler_hours,
            "handler_fte": fte,
            "handler_cost_per_year": fte * cost_fte,
            "admin_fte_in_post": float(w.admin_fte.sum()),
            "handler_share_of_admin": fte / float(w.admin_fte.sum()) if len(w) else np.nan,
            "online_admin_hours_per_week": online * (1 - clin_share) * online_admin_minutes / 60,
            "triage_clinician_hours_per_week": online * clin_share * triage_minutes / 60,
            "answered_within_target": _weighted(hourly, "answered_within_target"),
            "abandoned": _weighted(hourly, "abandoned"),
        }
    )


def _weighted(hourly: pd.DataFrame, col: str) -> float:
    """Return ``col`` averaged over the open hours, weighted by calls."""
    h = hourly[hourly.open]
    return float((h[col] * h.calls).sum() / h.calls.sum()) if h.calls.sum() > 0 else np.nan


def _practice_phones(min_calls: int) -> pd.DataFrame:
    """Practices with published calls (at least ``min_calls`` queued) and admin FTE in post."""
    t = wd.load("telephony_practice")
    t = t[t.area_level == "practice"].assign(queued=lambda d: d.answered + d.missed)
    w = wd.load("workforce")
    w = w[(w.year == w.year.max()) & (w.admin_fte > 0)].set_index("practice").admin_fte
    t = t[t.area.isin(w.index) & (t.queued >= min_calls) & (t.answered > 0)].copy()
    t["admin_fte"] = w.reindex(t.area).to_numpy()
    bands = list(BAND_MINUTES)
    dur = t[[f"duration_{k}" for k in bands]].to_numpy(dtype=float)
    ans = t[[f"answered_wait_{k}" for k in bands]].to_numpy(dtype=float)
    t["handle_minutes"] = dur @ np.array(list(BAND_MINUTES.values())) / dur.sum(axis=1)
    t["observed_within_1min"] = ans[:, 0] / ans.sum(axis=1)
    t["observed_missed"] = t.missed / t.queued
    t = t[np.isfinite(t.handle_minutes) & np.isfinite(t.observed_within_1min)]
    return t.rename(columns={"area": "practice"}).reset_index(drop=True)


def _predict(t: pd.DataFrame, share: float, patience: float) -> tuple[np.ndarray, np.ndarray]:
    """Predicted share answered within 1 minute (of answered) and missed, per practice."""
    prof = hourly_profile().query("channel == 'telephone'").reset_index(drop=True)
    hours = weekday_hours(8, 18.5)
    lam = np.outer(t.queued / prof.weeks_per_month[0], prof.share.to_numpy()[hours]) / 60
    n = np.repeat(np.maximum(1, np.round(share * t.admin_fte.to_numpy()))[:, None], len(hours), 1)
    r = erlang_a(n, lam, t.handle_minutes.to_numpy()[:, None], patience, 1.0)
    ab = r.p_abandon.to_numpy().reshape(lam.shape)
    w1 = r.answered_within_of_answered.to_numpy().reshape(lam.shape)
    answered = (1 - ab) * lam
    return (w1 * answered).sum(1) / answered.sum(1), (ab * lam).sum(1) / lam.sum(1)


def phone_backtest(
    shares: tuple[float, ...] = (0.04, 0.06, 0.08, 0.1, 0.12, 0.15),
    min_calls: int = 500,
    practices: int | None = None,
    seed: int = 2025,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Back-test the phone model against what each practice reports (November 2025).

    For each practice with published calls and admin staff in post: its queued calls over
    the open hours with England's profile, its own mean call duration, England's callers'
    patience, and ``round(share x admin FTE)`` handlers (at least 1) in every open hour.
    ``share`` (staff on the phones per admin FTE) is fitted on a random half of the
    practices (least median absolute error of the missed share) and tested on the other.
    Staff on the phones at each hour are not published: this is the data's limit.

    Parameters
    ----------
    shares
        Candidate shares of admin FTE on the phones.
    min_calls
        Practices with fewer queued calls in the month are left out.
    practices
        Use a random sample of this many practices (None: all).
    seed
        Seed of the split (and sample).

    Returns
    -------
    tuple of pandas.DataFrame
        Per practice (``practice, half, admin_fte, queued, observed_within_1min,
        predicted_within_1min, observed_missed, predicted_missed``) and a summary per
        measure and half (``correlation``, ``median_error``, ``median_abs_error``,
        ``share``).
    """
    t = _practice_phones(int(check_numbers(min_calls, "min_calls", integer=True)))
    rng = np.random.default_rng(seed)
    if practices is not None:
        t = t.iloc[np.sort(rng.choice(len(t), size=min(practices, len(t)), replace=False))]
        t = t.reset_index(drop=True)
    t["half"] = np.where(rng.permutation(len(t)) < len(t) // 2, "fit", "test")
    patience = call_statistics()["patience_minutes"]
    fit = t[t.half == "fit"]
    errors = [
        np.median(np.abs(_predict(fit, s, patience)[1] - fit.observed_missed)) for s in shares
    ]
    best = float(shares[int(np.argmin(errors))])
    t["predicted_within_1min"], t["predicted_missed"] = _predict(t, best, patience)
    rows = []
    for half, g in t.groupby("half", sort=True):
        for m in ("within_1min", "missed"):
            e = g[f"predicted_{m}"] - g[f"observed_{m}"]
            r = np.corrcoef(g[f"predicted_{m}"], g[f"observed_{m}"])[0, 1]
            rows.append((m, half, len(g), r, e.median(), e.abs().median(), best))
    cols = ["measure", "half", "practices", "correlation", "median_error", "median_abs_error"]
    summary = pd.DataFrame(rows, columns=[*cols, "share"])
    keep = ["practice", "half", "admin_fte", "queued", "observed_within_1min"]
    return t[[*keep, "predicted_within_1min", "observed_missed", "predicted_missed"]], summary
