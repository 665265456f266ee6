"""Erlang-C sizing of same-day access: clinicians per session to meet a service level.

Averages under-staff peaks.  Same-day requests arrive unevenly over the week (Mondays and
mornings are busier), and a session staffed for its average workload makes patients wait
whenever requests bunch up.  This module treats each session as an M/M/s queue (Erlang C):
requests arrive at random at ``lambda`` per hour, each contact takes on average ``T`` hours,
``s`` clinicians work in parallel.  Then

* offered load ``A = lambda * T`` (Erlangs: clinicians kept busy on average);
* probability a request waits ``C(s, A)`` (Erlang C), stable only if ``A < s``;
* service level ``P(wait <= t) = 1 - C(s, A) * exp(-(s - A) * t / T)``;
* ``servers_needed`` is the least ``s`` whose service level reaches the target.

Everything is vectorised with numpy across sessions (and any other broadcast axis); the
only Python loop runs over candidate server counts ``n = 1, 2, ...`` (the Erlang-B
recursion), shared by all sessions at once.

The steady-state queue is an approximation for a session of a few hours; it is the
standard one for contact centres and same-day access and errs towards realistic peaks
rather than averages.  "Seen the same day" is modelled as "seen within ``target_wait``".
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .errors import InputError
from .validation import Column, TableSpec, check_numbers, validate_table

__all__ = [
    "DEFAULT_WEEKDAYS",
    "DEFAULT_SESSIONS",
    "PROFILE_SPEC",
    "erlang_b",
    "erlang_c",
    "service_level",
    "servers_needed",
    "erlang_a",
    "handlers_needed",
    "weekly_profile",
    "session_staffing",
    "peak_vs_average",
]

DEFAULT_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
DEFAULT_SESSIONS = ("morning", "afternoon")

#: Schema of a weekday/session demand profile (extra columns are kept).
PROFILE_SPEC = TableSpec(
    name="same-day demand profile",
    columns=(
        Column("weekday", "str", description="day of the week"),
        Column("session", "str", description="session of the day, e.g. morning"),
        Column(
            "requests", "float", min=0, unit="requests per session", description="same-day requests"
        ),
    ),
    key=("weekday", "session"),
    allow_extra=True,
    description="Same-day requests by weekday and session (one row per session in a week).",
)


# --------------------------------------------------------------------------- validation
_arr = check_numbers


def _out(a: np.ndarray):
    """0-d arrays come back as numpy scalars, others as arrays."""
    return a[()] if a.ndim == 0 else a


# --------------------------------------------------------------------------- core
def _erlang_b_table(servers: np.ndarray, load: np.ndarray) -> np.ndarray:
    """Erlang B at ``servers`` by the stable recursion B(n) = A B(n-1) / (n + A B(n-1))."""
    b = np.ones_like(load)
    out = np.ones_like(load)  # servers == 0 -> B = 1
    smax = int(servers.max(initial=0))
    for n in range(1, smax + 1):
        b = load * b / (n + load * b)
        np.copyto(out, b, where=servers == n)
    return out


def _c_from_b(n: np.ndarray | int, load: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Erlang C from Erlang B; 1 where the queue is unstable (``load >= n``)."""
    stable = load < n
    with np.errstate(divide="ignore", invalid="ignore"):
        c = n * b / (n - load * (1.0 - b))
    return np.where(stable, c, 1.0)


def _sl(n, load, c, service, wait) -> np.ndarray:
    stable = load < n
    with np.errstate(over="ignore", invalid="ignore"):
        sl = 1.0 - c * np.exp(-(n - load) * wait / service)
    return np.where(stable, sl, 0.0)


def erlang_b(servers, offered_load):
    """Erlang B: probability that all ``servers`` are busy in a loss system.

    Parameters
    ----------
    servers
        Number of servers (whole numbers >= 0), array-like.
    offered_load
        Offered load in Erlangs (>= 0), array-like; broadcasts with ``servers``.

    Returns
    -------
    numpy.ndarray or numpy scalar
        Blocking probability, shape of the broadcast inputs.
    """
    s = _arr(servers, "servers", integer=True)
    a = _arr(offered_load, "offered_load")
    s, a = np.broadcast_arrays(s, a)
    return _out(_erlang_b_table(s, a.astype(float, copy=True)))


def erlang_c(servers, offered_load):
    """Erlang C: probability that an arriving request has to wait (M/M/s queue).

    Computed from the Erlang-B recursion, which is numerically stable for any number of
    servers (no factorials or powers), vectorised across the broadcast inputs.

    Parameters
    ----------
    servers
        Number of servers (whole numbers >= 0), array-like.
    offered_load
        Offered load ``A = arrival rate x mean service time`` in Erlangs (>= 0).

    Returns
    -------
    numpy.ndarray or numpy scalar
        ``C(s, A) = s B / (s - A (1 - B))`` where ``A < s``; 1 where ``A >= s`` (the queue
        grows without bound, everyone waits).

    Examples
    --------
    >>> round(float(erlang_c(11, 10.0)), 4)
    0.6821
    """
    s = _arr(servers, "servers", integer=True)
    a = _arr(offered_load, "offered_load")
    s, a = np.broadcast_arrays(s, a)
    b = _erlang_b_table(s, a.astype(float, copy=True))
    return _out(_c_from_b(s, a, b))


def service_level(servers, arrival_rate, mean_service_time, target_wait):
    """Share of requests that wait no longer than ``target_wait`` (M/M/s queue).

    ``SL = 1 - C(s, A) exp(-(s mu - lambda) t)`` with ``A = lambda / mu``, ``mu = 1 / T``.

    Parameters
    ----------
    servers
        Servers (clinicians) working in parallel, whole numbers >= 0.
    arrival_rate
        Requests per unit time ``lambda`` (>= 0).
    mean_service_time
        Mean time per contact ``T`` (> 0), same time unit as ``arrival_rate``.
    target_wait
        Acceptable wait ``t`` (>= 0), same time unit.

    Returns
    -------
    numpy.ndarray or numpy scalar
        Service level in [0, 1]; 0 where the queue is unstable (``A >= s``) and 1 where
        there are no arrivals.
    """
    s = _arr(servers, "servers", integer=True)
    lam = _arr(arrival_rate, "arrival_rate")
    svc = _arr(mean_service_time, "mean_service_time", positive=True)
    t = _arr(target_wait, "target_wait")
    s, lam, svc, t = np.broadcast_arrays(s, lam, svc, t)
    a = lam * svc
    c = _c_from_b(s, a, _erlang_b_table(s, a.copy()))
    sl = np.where(lam == 0, 1.0, _sl(s, a, c, svc, t))
    return _out(np.clip(sl, 0.0, 1.0))


def servers_needed(
    arrival_rate,
    mean_service_time,
    target_wait,
    target_level,
    max_servers: int = 10_000,
):
    """Least number of servers whose service level reaches ``target_level``.

    Vectorised across the broadcast inputs (e.g. one element per session): a single
    Erlang-B recursion over ``n = 1, 2, ...`` serves all elements and stops as soon as every
    element has met its target.

    Parameters
    ----------
    arrival_rate
        Requests per unit time (>= 0).
    mean_service_time
        Mean time per contact (> 0), same time unit.
    target_wait
        Acceptable wait (>= 0), same time unit.
    target_level
        Share of requests to be served within ``target_wait``, strictly between 0 and 1.
    max_servers
        Search bound.

    Returns
    -------
    numpy.ndarray or numpy scalar of int64
        Servers needed; 0 where there are no arrivals.

    Raises
    ------
    InputError
        On bad input, or if some element needs more than ``max_servers``.
    """
    lam = _arr(arrival_rate, "arrival_rate")
    svc = _arr(mean_service_time, "mean_service_time", positive=True)
    t = _arr(target_wait, "target_wait")
    lvl = _arr(target_level, "target_level", open_unit=True)
    mx = _arr(max_servers, "max_servers", integer=True, positive=True)
    if mx.ndim != 0:
        raise InputError("expected a single whole number", column="max_servers")
    mx = int(mx)
    lam, svc, t, lvl = np.broadcast_arrays(lam, svc, t, lvl)
    a = lam * svc
    need = np.zeros(a.shape, dtype=np.int64)
    todo = lam > 0
    if np.any(a[todo] >= mx):
        raise InputError(
            f"offered load up to {a.max():g} Erlangs needs more than max_servers={mx}",
            column="max_servers",
        )
    b = np.ones_like(a)
    n = 0
    while np.any(todo):
        n += 1
        if n > mx:
            raise InputError(
                f"target service level not reached with max_servers={mx}; raise it",
                column="max_servers",
            )
        b = a * b / (n + a * b)
        c = _c_from_b(n, a, b)
        met = todo & (_sl(n, a, c, svc, t) >= lvl)
        need[met] = n
        todo &= ~met
    return _out(need)


# --------------------------------------------------------------------------- Erlang A
# M/M/n+M: callers arrive at rate lam, are handled at rate mu = 1/T by n handlers, and
# hang up after an exponential patience of mean 1/theta if not yet answered.  The
# number of callers in the system is a birth-death chain; relative to the Erlang-B
# (loss) distribution, state n+j (j callers queued) has weight B q_j with
# q_j = prod_{i<=j} lam / (n mu + i theta), and states below n keep weight 1 - B.
# A caller arriving with j ahead (PASTA) is answered with probability
# n mu / (n mu + (j+1) theta), after a time whose law given answered is a sum of
# exponentials with rates n mu + k theta, k = 1..j+1: exp(-theta T) ~ Beta(c+1, j+1)
# with c = n mu / theta, so P(T > t) = x^(c+1) sum_{k<=j} (c+1)_k/k! (1-x)^k, x = e^-theta t.
_RESCALE = 1e200
_MAX_QUEUE = 200_000


def _erlang_a_core(n, lam, mu, theta, t):
    """Erlang-A metrics for 1-d float arrays of equal length (see :func:`erlang_a`)."""
    b = _erlang_b_table(n, lam / mu)
    nmu = n * mu
    c = nmu / theta
    log_x_c1 = -(nmu + theta) * t  # log of x^(c+1)
    log_1mx = _log_1mx(theta * t)
    base = 1.0 - b  # weight of "answered at once"
    q = b.copy()  # weight of state n + j, here j = 0
    s = np.zeros_like(lam)  # sum of q: P(wait) numerator
    qlen = np.zeros_like(lam)  # sum of j q: E[queue] numerator
    ans = np.zeros_like(lam)  # sum of q p_j: answered after waiting
    ans_t = np.zeros_like(lam)  # sum of q p_j P(T <= t): answered after waiting, within t
    log_r = np.zeros_like(lam)  # log of (c+1)_k/k! (1-x)^k, k = j
    log_tail = np.full_like(lam, -np.inf)  # log P(T > t | j ahead), built up over j
    j = 0
    while True:
        log_tail = np.logaddexp(log_tail, log_x_c1 + log_r)
        p = nmu / (nmu + (j + 1) * theta)
        s += q
        qlen += j * q
        ans += q * p
        ans_t += q * p * -np.expm1(np.minimum(log_tail, 0.0))
        j += 1
        q = q * lam / (nmu + j * theta)
        log_r = log_r + np.log((c + j) / j) + log_1mx
        big = q > _RESCALE
        if np.any(big):
            for acc in (base, q, s, qlen, ans, ans_t):
                acc[big] /= _RESCALE
        past_peak = lam <= nmu + j * theta
        if np.all(past_peak & (q * (j + 1) <= 1e-16 * (base + s))):
            break
        if j > _MAX_QUEUE:
            raise InputError(
                f"queue longer than {_MAX_QUEUE} callers: patience too long for the load "
                "(use erlang_c for callers who never hang up)",
                column="mean_patience",
            )
    z = base + s
    none = lam == 0  # no calls: nobody waits (as for service_level)
    return {
        "p_wait": np.where(none, 0.0, s / z),
        "p_abandon": np.where(none, 0.0, (s - ans) / z),
        "answered_within": np.where(none, 1.0, (base + ans_t) / z),
        "mean_queue": np.where(none, 0.0, qlen / z),
    }


def _log_1mx(theta_t: np.ndarray) -> np.ndarray:
    """``log(1 - exp(-theta t))``, -inf where ``t`` is 0."""
    with np.errstate(divide="ignore"):
        return np.log(-np.expm1(-theta_t))


def erlang_a(servers, arrival_rate, mean_service_time, mean_patience, target_wait):
    """Erlang A (M/M/n+M): a queue whose callers hang up if not answered in time.

    Callers arrive at random at ``arrival_rate``; each call takes on average
    ``mean_service_time``; ``servers`` call handlers answer in parallel; a caller not yet
    answered hangs up after a random (exponential) patience of mean ``mean_patience``.
    Unlike Erlang C the queue is always stable: when too few handlers answer, callers
    abandon.  Computed exactly from the stationary distribution of the birth-death chain,
    vectorised across the broadcast inputs (e.g. practices x hours of the week).

    Parameters
    ----------
    servers
        Call handlers answering in parallel (whole numbers >= 0).
    arrival_rate
        Calls per unit time (>= 0).
    mean_service_time
        Mean handling time per answered call (> 0), same time unit.
    mean_patience
        Mean time a caller waits before hanging up (> 0), same time unit; a very large
        patience gives Erlang C.
    target_wait
        Time within which a call counts as answered promptly (>= 0), same time unit.

    Returns
    -------
    pandas.DataFrame
        One row per broadcast element (in C order): ``p_wait`` (share of callers who
        wait at all), ``p_abandon`` (share who hang up before being answered),
        ``answered_within`` (share of *all* callers answered within ``target_wait``),
        ``answered_within_of_answered`` (the same as a share of answered calls, as the
        telephony statistics report it), ``mean_wait`` (mean time in the queue over all
        callers, abandoning ones included, by Little's law) and ``mean_queue`` (callers
        waiting on average).  Where there are no calls nobody waits: ``answered_within``
        is 1 and the other shares 0, as for :func:`service_level`.

    Examples
    --------
    >>> r = erlang_a(11, 10.0, 1.0, 1e9, 0.0)
    >>> round(float(r["p_wait"].iloc[0]), 4)  # Erlang C when nobody hangs up
    0.6821
    """
    s = _arr(servers, "servers", integer=True)
    lam = _arr(arrival_rate, "arrival_rate")
    svc = _arr(mean_service_time, "mean_service_time", positive=True)
    pat = _arr(mean_patience, "mean_patience", positive=True)
    t = _arr(target_wait, "target_wait")
    arrays = [a.astype(float).ravel() for a in np.broadcast_arrays(s, lam, svc, pat, t)]
    n, lam, svc, pat, t = arrays
    out = _erlang_a_core(n, lam, 1.0 / svc, 1.0 / pat, t)
    answered = 1.0 - out["p_abandon"]
    with np.errstate(divide="ignore", invalid="ignore"):
        of_answered = np.where(answered > 0, out["answered_within"] / answered, 0.0)
        mean_wait = np.where(lam > 0, out["mean_queue"] / lam, 0.0)
    return pd.DataFrame(
        {
            "p_wait": out["p_wait"],
            "p_abandon": out["p_abandon"],
            "answered_within": np.clip(out["answered_within"], 0.0, 1.0),
            "answered_within_of_answered": np.clip(of_answered, 0.0, 1.0),
            "mean_wait": mean_wait,
            "mean_queue": out["mean_queue"],
        }
    )


def handlers_needed(
    arrival_rate,
    mean_service_time,
    mean_patience,
    target_wait,
    target_level,
    max_abandon,
    max_servers: int = 10_000,
):
    """Least number of call handlers meeting a service level under Erlang A.

    The level is met when at least ``target_level`` of all callers are answered within
    ``target_wait`` and at most ``max_abandon`` hang up ("80% answered within 2 minutes,
    under 5% abandoning": ``target_level=0.8, target_wait=2, max_abandon=0.05`` in
    minutes).  Both shares improve with every extra handler, so the search stops at the
    first count meeting both, element by element.

    Parameters
    ----------
    arrival_rate, mean_service_time, mean_patience, target_wait
        As for :func:`erlang_a` (one time unit throughout); broadcast together.
    target_level
        Share of all callers to be answered within ``target_wait``, strictly in (0, 1).
    max_abandon
        Largest acceptable share of callers hanging up, strictly in (0, 1).
    max_servers
        Search bound.

    Returns
    -------
    numpy.ndarray or numpy scalar of int64
        Handlers needed, shape of the broadcast inputs; 0 where there are no calls.

    Raises
    ------
    InputError
        On bad input, or if some element needs more than ``max_servers``.
    """
    lam = _arr(arrival_rate, "arrival_rate")
    svc = _arr(mean_service_time, "mean_service_time", positive=True)
    pat = _arr(mean_patience, "mean_patience", positive=True)
    t = _arr(target_wait, "target_wait")
    lvl = _arr(target_level, "target_level", open_unit=True)
    ab = _arr(max_abandon, "max_abandon", open_unit=True)
    mx = int(_arr(max_servers, "max_servers", integer=True, positive=True).max())
    b = np.broadcast_arrays(lam, svc, pat, t, lvl, ab)
    shape = b[0].shape
    lam, svc, pat, t, lvl, ab = (a.astype(float).ravel() for a in b)
    need = np.zeros(lam.shape, dtype=np.int64)
    todo = np.flatnonzero(lam > 0)
    # throughput is at most n/T, so P(abandon) >= 1 - n/A: fewer handlers cannot meet max_abandon
    n = np.floor(lam * svc * (1.0 - ab))
    while todo.size:
        if np.any(n[todo] > mx):
            raise InputError(
                f"target service level not reached with max_servers={mx}; raise it",
                column="max_servers",
            )
        r = _erlang_a_core(n[todo], lam[todo], 1.0 / svc[todo], 1.0 / pat[todo], t[todo])
        met = (r["answered_within"] >= lvl[todo]) & (r["p_abandon"] <= ab[todo])
        need[todo[met]] = n[todo[met]]
        todo = todo[~met]
        n[todo] += 1
    return _out(need.reshape(shape))


# --------------------------------------------------------------------------- profiles
def _weights(w: Mapping[str, float] | None, default: tuple[str, ...], name: str) -> pd.Series:
    if w is None:
        return pd.Series(1.0 / len(default), index=list(default))
    if not isinstance(w, Mapping) or len(w) == 0:
        raise InputError(f"expected a non-empty mapping {{label: weight}}, got {w!r}", column=name)
    s = pd.Series(_arr(list(w.values()), name), index=[str(k) for k in w])
    if not np.isclose(s.sum(), 1.0, rtol=0, atol=1e-9):
        raise InputError(f"weights must sum to 1, got {s.sum():.12g}", column=name)
    return s


def weekly_profile(
    weekly_requests: float,
    weekday_weights: Mapping[str, float] | None = None,
    session_weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Spread a week's same-day requests over weekdays and sessions.

    ``requests[d, s] = weekly_requests x weekday_weights[d] x session_weights[s]``.

    Parameters
    ----------
    weekly_requests
        Same-day requests in a week (>= 0).
    weekday_weights
        ``{weekday: share}`` summing to 1 (typically Monday heaviest).  Default: equal
        shares Monday to Friday.
    session_weights
        ``{session: share}`` summing to 1 (typically mornings heavier).  Default: equal
        shares of morning and afternoon.

    Returns
    -------
    pandas.DataFrame
        Columns ``weekday, session, requests``; one row per weekday and session, in the
        order given.
    """
    total = float(_arr(weekly_requests, "weekly_requests"))
    wd = _weights(weekday_weights, DEFAULT_WEEKDAYS, "weekday_weights")
    ss = _weights(session_weights, DEFAULT_SESSIONS, "session_weights")
    return pd.DataFrame(
        {
            "weekday": np.repeat(wd.index.to_numpy(dtype=object), len(ss)),
            "session": np.tile(ss.index.to_numpy(dtype=object), len(wd)),
            "requests": total * np.outer(wd.to_numpy(), ss.to_numpy()).ravel(),
        }
    )


def _session_hours(profile: pd.DataFrame, session_hours) -> np.ndarray:
    if isinstance(session_hours, Mapping):
        missing = sorted(set(profile["session"]) - set(map(str, session_hours)))
        if missing:
            raise InputError(
                f"no hours for session(s) {missing}; expected a key for every session",
                column="session_hours",
            )
        hours = profile["session"].map({str(k): v for k, v in session_hours.items()})
        return _arr(hours.to_numpy(dtype=float), "session_hours", positive=True)
    h = _arr(session_hours, "session_hours", positive=True)
    if h.ndim != 0:
        raise InputError(
            "expected one number or a mapping {session: hours}", column="session_hours"
        )
    return np.full(len(profile), float(h))


def session_staffing(
    profile: pd.DataFrame,
    minutes_per_contact: float,
    session_hours: float | Mapping[str, float],
    target_wait_hours: float | None = None,
    target_level: float = 0.9,
    max_servers: int = 10_000,
) -> pd.DataFrame:
    """Clinicians needed in each session to meet a same-day service level.

    Parameters
    ----------
    profile
        Columns ``weekday``, ``session``, ``requests`` (same-day requests in that session of
        a typical week); one row per weekday and session.  Extra columns are kept.
    minutes_per_contact
        Mean clinician minutes per same-day contact (> 0).
    session_hours
        Length of a session in hours (> 0), or ``{session: hours}``.
    target_wait_hours
        Acceptable wait in hours (>= 0).  Default: the session length ("seen in the same
        session").
    target_level
        Share of requests to be seen within the target wait, in (0, 1), e.g. 0.9.
    max_servers
        Search bound for :func:`servers_needed`.

    Returns
    -------
    pandas.DataFrame
        The profile plus ``session_hours``, ``arrival_rate`` (requests per hour),
        ``offered_load`` (Erlangs), ``servers`` (clinicians needed), ``occupancy``
        (offered load / servers), ``service_level`` (achieved), ``clinician_hours``
        (servers x session hours) and ``average_hours`` (requests x minutes / 60, the
        average-based workload).
    """
    if not isinstance(profile, pd.DataFrame):
        raise InputError(f"expected a DataFrame, got {type(profile).__name__}", column="profile")
    df = validate_table(profile, PROFILE_SPEC, source="profile")
    minutes = float(_arr(minutes_per_contact, "minutes_per_contact", positive=True))
    hours = _session_hours(df, session_hours)
    if target_wait_hours is None:
        wait = hours
    else:
        wait = _arr(target_wait_hours, "target_wait_hours")
        if wait.ndim != 0:
            raise InputError("expected one number of hours", column="target_wait_hours")
        wait = np.full(len(df), float(wait))
    level = float(_arr(target_level, "target_level", open_unit=True))

    requests = df["requests"].to_numpy(dtype=float)
    svc = minutes / 60.0
    lam = requests / hours
    load = lam * svc
    servers = np.asarray(servers_needed(lam, svc, wait, level, max_servers=max_servers))
    with np.errstate(divide="ignore", invalid="ignore"):
        occupancy = np.where(servers > 0, load / servers, 0.0)
    achieved = np.asarray(service_level(servers, lam, svc, wait))

    df["session_hours"] = hours
    df["arrival_rate"] = lam
    df["offered_load"] = load
    df["servers"] = servers
    df["occupancy"] = occupancy
    df["service_level"] = achieved
    df["clinician_hours"] = servers * hours
    df["average_hours"] = requests * minutes / 60.0
    return df


def peak_vs_average(
    profile: pd.DataFrame,
    minutes_per_contact: float,
    session_hours: float | Mapping[str, float],
    target_wait_hours: float | None = None,
    target_level: float = 0.9,
    by: str | list[str] | None = None,
    max_servers: int = 10_000,
) -> pd.DataFrame:
    """Queueing-based clinician hours against average-based hours: the uplift for peaks.

    Parameters
    ----------
    profile, minutes_per_contact, session_hours, target_wait_hours, target_level, max_servers
        As for :func:`session_staffing`.
    by
        Optional column(s) to break the comparison down by (e.g. ``"weekday"``); by
        default one row for the week.

    Returns
    -------
    pandas.DataFrame
        Columns (``by`` and) ``requests``, ``average_hours`` (requests x minutes / 60),
        ``queueing_hours`` (sum of servers x session hours), ``uplift``
        (queueing / average hours; NaN where there is no demand) and
        ``extra_hours`` (queueing - average hours).
    """
    st = session_staffing(
        profile,
        minutes_per_contact,
        session_hours,
        target_wait_hours,
        target_level,
        max_servers=max_servers,
    )
    cols = {
        "requests": "requests",
        "average_hours": "average_hours",
        "clinician_hours": "queueing_hours",
    }
    if by is None:
        out = st[list(cols)].sum().to_frame().T.rename(columns=cols)
    else:
        keys = [by] if isinstance(by, str) else list(by)
        missing = [k for k in keys if k not in st.columns]
        if missing:
            raise InputError(f"no column(s) {missing} in the profile", column="by")
        out = st.groupby(keys, sort=False)[list(cols)].sum().rename(columns=cols).reset_index()
    avg = out["average_hours"].to_numpy(dtype=float)
    q = out["queueing_hours"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["uplift"] = np.where(avg > 0, q / avg, np.nan)
    out["extra_hours"] = q - avg
    return out
