"""Work moved in from hospital (``moved_in:``): typed, frozen records and their checks.

A scenario (or a variant) may list services moving from hospital outpatients into primary
care.  Each entry names the activity, its volume (per 1,000 registered patients by age
band, or a count a year), the year it starts and its ramp-up, who delivers it (roles with
shares; a special interest is a role attribute: a GP spending some sessions a week in
dermatology), the minutes per contact and the share of hospital attendances it replaces,
with the hospital's cost per attendance and its source.  Every setting is declared once in
:mod:`wfkit.settings` (``MOVED_IN_SETTINGS``, ``DELIVERY_SETTINGS``); the schema checks
the shape and this module the rest, each error naming the file and the key with its list
index (``moved_in[0].replaces``).  The calculation is :mod:`wfkit.model.moved_in`; the
frames and the business case :mod:`wfkit.usecases.closer_to_home`; the method
``docs/closer-to-home.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .. import settings as S
from ..errors import InputError, short
from ..tables import AGE_BANDS

__all__ = ["Uncertain", "Delivery", "MovedIn", "parse_moved_in", "moved_in_schema"]

#: a number as a scenario gives it, read as ``(value, lo, hi)``; ``lo``/``hi`` ``None``
#: for a point
Uncertain = tuple[float, float | None, float | None]


@dataclass(frozen=True, slots=True)
class Delivery:
    """One role delivering moved-in work.

    Attributes
    ----------
    role
        Role id (``data/assumptions/roles.csv``).
    share
        Share of the contacts it delivers (the shares of an entry sum to 1).
    special_interest
        Competency id (``data/skills/competencies.csv``) the practitioner trains for, or
        ``None`` for the role's core skills.
    sessions_per_week
        Sessions a week each special-interest practitioner gives to the specialty (of
        :data:`wfkit.settings.SESSIONS_PER_FTE`), or ``None``.
    commitment_years
        Years committed to the service after the course (retained capacity).
    course_years
        Years from starting the course to practising.
    """

    role: str
    share: float
    special_interest: str | None = None
    sessions_per_week: float | None = None
    commitment_years: int = S.DELIVERY_COMMITMENT.default
    course_years: int = S.DELIVERY_COURSE_YEARS.default


@dataclass(frozen=True, slots=True)
class MovedIn:
    """One service moved in from hospital, with its volume, staff and hospital side.

    Attributes
    ----------
    index
        Position in the file's ``moved_in`` list.
    key
        Where it is written (``moved_in[0]`` or ``variants[1].moved_in[0]``).
    activity, kind, description
        What moves in (free text id), ``clinic``, ``procedure`` or ``follow_up``.
    per_1000
        Contacts a year per 1,000 patients by age band (``all`` expanded to every band not
        named beside it), or ``None``.
    per_year
        Contacts a year for the run, or ``None``.
    start_year, ramp_up_years
        First year in primary care; years to full volume.
    minutes_per_contact, replaces, cost_per_attendance, consultant_minutes
        Numbers with their 80% intervals (``(value, lo, hi)``).
    consultant_cost_per_hour
        GBP a consultant hour.
    cost_source
        The citation of the hospital cost (or ``wfkit judgement``).
    delivered_by
        Who delivers it.
    """

    index: int
    key: str
    activity: str
    kind: str
    description: str
    per_1000: Mapping[str, Uncertain] | None
    per_year: Uncertain | None
    start_year: int
    ramp_up_years: int
    minutes_per_contact: Uncertain
    replaces: Uncertain
    cost_per_attendance: Uncertain
    consultant_minutes: Uncertain
    consultant_cost_per_hour: float
    cost_source: str
    delivered_by: tuple[Delivery, ...]

    @property
    def full_volume_year(self) -> int:
        """The first year at full volume."""
        return self.start_year + self.ramp_up_years - 1


def _uncertain(x: Any, s: S.Setting, src: str, key: str) -> Uncertain:
    """``x`` (a number, ``[lo, hi]`` or ``[lo, value, hi]``) as ``(value, lo, hi)``, checked."""
    if isinstance(x, list | tuple):
        lo, hi = float(x[0]), float(x[-1])
        v = (lo + hi) / 2 if len(x) == 2 else float(x[1])
        if not lo <= v <= hi:
            raise InputError(
                f"{short(list(x))}: expected lo <= value <= hi (an 80% interval)",
                source=src,
                key=key,
            )
        out: Uncertain = (v, lo, hi)
    else:
        out = (float(x), None, None)
    for y in (z for z in out if z is not None):
        msg = s.problem(y)
        if msg:
            raise InputError(f"{short(x)}: {msg}", source=src, key=key)
    return out


def _checked(entry: Mapping[str, Any], s: S.Setting, src: str, key: str) -> Any:
    """Return the entry's value of the setting ``s`` (its default if absent), range checked."""
    x = entry.get(s.name, s.default)
    if s.interval and x is not None:
        return _uncertain(x, s, src, f"{key}.{s.name}")
    msg = s.problem(x) if x is not None else None
    if msg:
        raise InputError(f"{short(x)}: {msg}", source=src, key=f"{key}.{s.name}")
    return x


def _delivery(d: Mapping[str, Any], src: str, key: str) -> Delivery:
    vals = {s.name: _checked(d, s, src, key) for s in S.DELIVERY_SETTINGS}
    si = d.get("special_interest")
    if vals["sessions_per_week"] is not None and si is None:
        raise InputError(
            "sessions_per_week without special_interest; name the competency the "
            "practitioner trains for (data/skills/competencies.csv)",
            source=src,
            key=f"{key}.sessions_per_week",
        )
    if si is not None and vals["sessions_per_week"] is None:
        raise InputError(
            "special_interest without sessions_per_week; say how many sessions a week each "
            f"practitioner gives to it (of {S.SESSIONS_PER_FTE})",
            source=src,
            key=f"{key}.special_interest",
        )
    return Delivery(
        role=str(d["role"]),
        share=float(vals["share"]),
        special_interest=None if si is None else str(si),
        sessions_per_week=None if si is None else float(vals["sessions_per_week"]),
        commitment_years=int(vals["commitment_years"]),
        course_years=int(vals["course_years"]),
    )


def _volume(entry: Mapping[str, Any], src: str, key: str):
    given = [k for k in ("per_1000", "per_year") if entry.get(k) is not None]
    if len(given) != 1:
        raise InputError(
            f"gives {given or 'no volume'}; expected exactly one of per_1000 (by age band) "
            "or per_year",
            source=src,
            key=key,
        )
    if given == ["per_year"]:
        return None, _checked(entry, S.MOVED_IN_PER_YEAR, src, key)
    rates: dict[str, Uncertain] = {}
    # 'all' first, so a band named beside it keeps its own rate whatever the key order
    given_rates = sorted(entry["per_1000"].items(), key=lambda kv: kv[0] != "all")
    for band, x in given_rates:
        if band != "all" and band not in AGE_BANDS:
            raise InputError(
                f"unknown age band {band!r}; expected 'all' or one of {', '.join(AGE_BANDS)}",
                source=src,
                key=f"{key}.per_1000",
            )
        v = _uncertain(x, S.MOVED_IN_PER_1000, src, f"{key}.per_1000.{band}")
        for b in AGE_BANDS if band == "all" else (band,):
            rates[b] = v
    return MappingProxyType(rates), None


def _entry(entry: Mapping[str, Any], i: int, years: range, src: str, prefix: str) -> MovedIn:
    key = f"{prefix}moved_in[{i}]"
    per_1000, per_year = _volume(entry, src, key)
    start = int(_checked(entry, S.MOVED_IN_START_YEAR, src, key))
    ramp = int(_checked(entry, S.MOVED_IN_RAMP, src, key))
    if not years[0] < start <= years[-1]:
        raise InputError(
            f"{start} is outside the modelled years; expected {years[0] + 1} to {years[-1]} "
            "(after the base year, within the horizon)",
            source=src,
            key=f"{key}.start_year",
        )
    if start + ramp - 1 > years[-1]:
        raise InputError(
            f"{ramp} years from {start} reach full volume in {start + ramp - 1}, past the "
            f"horizon year {years[-1]}; expected at most {years[-1] - start + 1}",
            source=src,
            key=f"{key}.ramp_up_years",
        )
    dels = tuple(
        _delivery(d, src, f"{key}.delivered_by[{j}]") for j, d in enumerate(entry["delivered_by"])
    )
    roles = [d.role for d in dels]
    if len(set(roles)) != len(roles):
        raise InputError(
            f"role(s) {sorted({r for r in roles if roles.count(r) > 1})} named twice; expected "
            "each role once",
            source=src,
            key=f"{key}.delivered_by",
        )
    total = sum(d.share for d in dels)
    if abs(total - 1.0) > 1e-6:
        raise InputError(
            f"shares sum to {total:g}; expected 1", source=src, key=f"{key}.delivered_by"
        )
    return MovedIn(
        index=i,
        key=key,
        activity=str(entry["activity"]),
        kind=str(_checked(entry, S.MOVED_IN_KIND, src, key)),
        description=str(entry.get("description", "")),
        per_1000=per_1000,
        per_year=per_year,
        start_year=start,
        ramp_up_years=ramp,
        minutes_per_contact=_checked(entry, S.MOVED_IN_MINUTES, src, key),
        replaces=_checked(entry, S.MOVED_IN_REPLACES, src, key),
        cost_per_attendance=_checked(entry, S.MOVED_IN_UNIT_COST, src, key),
        consultant_minutes=_checked(entry, S.MOVED_IN_CONSULTANT_MINUTES, src, key),
        consultant_cost_per_hour=float(_checked(entry, S.MOVED_IN_CONSULTANT_COST, src, key)),
        cost_source=str(entry["cost_source"]),
        delivered_by=dels,
    )


def parse_moved_in(
    entries: Any, years: range, source: str = "scenario", prefix: str = ""
) -> tuple[MovedIn, ...]:
    """Read a schema-valid ``moved_in`` list into :class:`MovedIn` records, checked.

    Parameters
    ----------
    entries
        The list as the file gives it (``None`` or empty: nothing moves in).
    years
        The modelled years (base year to horizon year).
    source
        The scenario file, as errors name it.
    prefix
        ``variants[i].`` when a variant gives the list.

    Raises
    ------
    InputError
        Naming the file and the key with its list index: a share replaced or a number
        outside its declared range (:data:`wfkit.settings.MOVED_IN_SETTINGS`), a start
        outside the modelled years or a ramp-up past the horizon, no volume or two, an
        unknown age band, shares that do not sum to 1, a role named twice, sessions without
        a special interest or the reverse, or two entries with one activity.
    """
    out = tuple(_entry(e, i, years, source, prefix) for i, e in enumerate(entries or ()))
    names = [m.activity for m in out]
    for m in out:
        if names.count(m.activity) > 1:
            raise InputError(
                f"activity {m.activity!r} moves in twice; expected each activity once",
                source=source,
                key=f"{m.key}.activity",
            )
    return out


def _item(s: S.Setting) -> dict[str, Any]:
    if s.interval:
        return {
            "$ref": "#/definitions/number_or_interval",
            "description": f"{s.help} Valid range {s.range_text()}.",
        }
    return s.json_schema()


def moved_in_schema() -> dict[str, Any]:
    """Return the JSON Schema definitions of ``moved_in`` and ``delivery`` (draft-07)."""
    delivery = {
        "type": "object",
        "additionalProperties": False,
        "required": ["role"],
        "description": "A role delivering the moved-in work, optionally as a practitioner "
        "with a special interest.",
        "properties": {
            "role": {"type": "string", "minLength": 1, "description": "Role id."},
            "special_interest": {
                "type": "string",
                "minLength": 1,
                "description": "Competency id the practitioner trains for "
                "(data/skills/competencies.csv); the role must be eligible for it.",
            },
            **{s.name: _item(s) for s in S.DELIVERY_SETTINGS},
        },
    }
    per_1000 = _item(S.MOVED_IN_PER_1000)
    entry = {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "activity",
            "start_year",
            "minutes_per_contact",
            "cost_per_attendance",
            "cost_source",
            "delivered_by",
        ],
        "description": "A service moved in from hospital outpatients (docs/closer-to-home.md).",
        "properties": {
            "activity": {"type": "string", "minLength": 1, "description": "Activity id."},
            "description": {"type": "string"},
            **{s.name: _item(s) for s in S.MOVED_IN_SETTINGS if s.name != "per_1000"},
            "per_1000": {
                "type": "object",
                "minProperties": 1,
                "additionalProperties": {"$ref": "#/definitions/number_or_interval"},
                "description": per_1000["description"],
            },
            "cost_source": {
                "type": "string",
                "minLength": 1,
                "description": "Where cost_per_attendance comes from, or 'wfkit judgement'.",
            },
            "delivered_by": {
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/definitions/delivery"},
            },
        },
    }
    return {
        "delivery": delivery,
        "moved_in_entry": entry,
        "moved_in": {
            "type": "array",
            "description": "Work moved in from hospital (a variant's list replaces the "
            "baseline's).",
            "items": {"$ref": "#/definitions/moved_in_entry"},
        },
    }
