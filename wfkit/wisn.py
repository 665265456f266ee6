"""Classic WISN: Workload Indicators of Staffing Need for one staff category in one facility.

Implements the calculation of the WHO *Workload indicators of staffing need: user's manual*
(WHO, 2010), step by step, and keeps every intermediate figure so a result can be checked
line by line against a published table:

1. available working time ``AWT`` = contract time less public holidays, annual leave,
   sickness, training and other absence (given as days, hours or % of contract time);
2. standard workload of each health-service activity = ``AWT / unit time``;
3. category allowance standards (CAS): work that all staff of the category do but that is
   not counted as activity, as % of working time or as time per year (``CAS% = time / AWT``);
   category allowance factor ``CAF = 1 / (1 - sum CAS%)``;
4. individual allowance standards (IAS): work only some staff do, as time per year per
   person times the number of staff doing it; individual allowance factor
   ``IAF = sum IAS / AWT`` (in staff);
5. staff required ``= sum_k (annual workload_k / standard workload_k) * CAF + IAF``;
6. WISN difference ``= actual - required``; WISN ratio ``= actual / required``.

AWT, CAF and IAF are computed by :mod:`wfkit.model.capacity`, the same functions the engine uses.
Nothing is rounded: round only for display (:meth:`WisnResult.summary`).

Example
-------
The HIV clinic in Western Kenya (Human Resources for Health 2017;15:9, Table 3):

>>> r = wisn(
...     [WisnActivity("HIV clinic appointments", 10_000 * 10, 0.25, unit="hours")],
...     AvailableWorkingTime(
...         4.5 * 52,
...         deductions={"public holidays": 10, "annual leave": 30, "sick leave": 15},
...     ),
...     category_allowances=[CategoryAllowance("training", time_per_year=10, unit="days")],
... )
>>> round(r.awt_days, 2), round(r.baseline_required, 2), round(r.caf, 4), round(r.required, 2)
(179.0, 17.46, 1.0592, 18.49)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from .errors import InputError
from .model import capacity as _capacity
from .validation import check_numbers

__all__ = [
    "TIME_UNITS",
    "WisnActivity",
    "Absence",
    "AvailableWorkingTime",
    "CategoryAllowance",
    "IndividualAllowance",
    "WisnResult",
    "wisn",
]

#: Units a time may be given in.  ``"days"`` converts to hours with ``hours_per_day``.
TIME_UNITS = ("minutes", "hours", "days")
_ABSENCE_UNITS = (*TIME_UNITS, "percent")


# --------------------------------------------------------------------------- helpers
def _number(value: object, name: str, *, positive: bool = False) -> float:
    """``value`` as one finite float >= 0 (> 0 if ``positive``), by :func:`check_numbers`."""
    a = check_numbers(value, name, positive=positive)
    if a.ndim:
        raise InputError(f"expected one number, got {a.size}", column=name)
    return float(a)


def _unit(value: object, name: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise InputError(f"expected one of {', '.join(allowed)}; got {value!r}", column=name)
    return str(value)


def _to_hours(amount: float, unit: str, hours_per_day: float) -> float:
    if unit == "hours":
        return amount
    if unit == "minutes":
        return amount / 60.0
    if unit == "days":
        return amount * hours_per_day
    raise InputError(f"expected one of {', '.join(TIME_UNITS)}; got {unit!r}", column="unit")


def _name(value: object, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"expected a non-empty name, got {value!r}", column=name)
    return value


# --------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class WisnActivity:
    """A health-service activity: how many times a year it is done and how long it takes.

    Parameters
    ----------
    name
        Activity name, e.g. ``"HIV clinic appointments"``.
    annual_workload
        Number of times the activity is done in a year (>= 0).
    unit_time
        Time one instance takes (> 0), in ``unit``.
    unit
        ``"minutes"``, ``"hours"`` or ``"days"``.
    """

    name: str
    annual_workload: float
    unit_time: float
    unit: str = "hours"

    def __post_init__(self) -> None:
        """Check the name, workload, unit time and unit; raise InputError naming the field."""
        _name(self.name, "activity name")
        _number(self.annual_workload, f"annual_workload of activity '{self.name}'")
        _number(self.unit_time, f"unit_time of activity '{self.name}'", positive=True)
        _unit(self.unit, f"unit of activity '{self.name}'", TIME_UNITS)


@dataclass(frozen=True)
class Absence:
    """One deduction from contract time (public holidays, leave, sickness, training, ...).

    Parameters
    ----------
    name
        What the time is lost to.
    amount
        Time per year (>= 0) in ``unit``; with ``unit="percent"``, % of contract time (0-100).
    unit
        ``"days"``, ``"hours"``, ``"minutes"`` or ``"percent"``.
    """

    name: str
    amount: float
    unit: str = "days"

    def __post_init__(self) -> None:
        """Check the name, amount and unit; a percentage must be in [0, 100]."""
        _name(self.name, "absence name")
        x = _number(self.amount, f"deduction '{self.name}'")
        _unit(self.unit, f"unit of deduction '{self.name}'", _ABSENCE_UNITS)
        if self.unit == "percent" and x > 100:
            raise InputError(
                f"expected a percentage of contract time in [0, 100], got {self.amount!r}",
                column=f"deduction '{self.name}'",
            )


@dataclass(frozen=True)
class AvailableWorkingTime:
    """Available working time of one staff member in a year: contract time less absence.

    Parameters
    ----------
    contract_time
        Working time per year under the contract (> 0) in ``contract_unit``, e.g.
        ``4.5 * 52`` days or ``37.5 * 52`` hours.
    contract_unit
        ``"days"`` or ``"hours"`` (or ``"minutes"``).
    deductions
        Time lost per year.  Either a mapping ``{name: amount}`` in ``deduction_unit``, or a
        sequence of :class:`Absence` (each with its own unit), e.g.
        ``{"public holidays": 10, "annual leave": 30, "sick leave": 15}``.
    deduction_unit
        Unit of the amounts in a ``deductions`` mapping: ``"days"``, ``"hours"``,
        ``"minutes"`` or ``"percent"`` (of contract time).

    Notes
    -----
    Converting between days and hours needs hours per working day; it is given once, to
    :func:`wisn` (or :meth:`breakdown`).
    """

    contract_time: float
    contract_unit: str = "days"
    deductions: Mapping[str, float] | Sequence[Absence] = field(default_factory=dict)
    deduction_unit: str = "days"

    def __post_init__(self) -> None:
        """Check the contract time and units, and every deduction."""
        _number(self.contract_time, "contract_time", positive=True)
        _unit(self.contract_unit, "contract_unit", TIME_UNITS)
        _unit(self.deduction_unit, "deduction_unit", _ABSENCE_UNITS)
        self.absences()  # validates

    @classmethod
    def weekly(
        cls,
        per_week: float,
        weeks_per_year: float = 52,
        *,
        unit: str = "days",
        deductions: Mapping[str, float] | Sequence[Absence] | None = None,
        deduction_unit: str = "days",
    ) -> AvailableWorkingTime:
        """Contract time given per week (e.g. 4.5 consulting days a week for 52 weeks)."""
        _number(per_week, "per_week", positive=True)
        _number(weeks_per_year, "weeks_per_year", positive=True)
        return cls(per_week * weeks_per_year, unit, deductions or {}, deduction_unit)

    def absences(self) -> list[Absence]:
        """Return the deductions as a list of :class:`Absence`."""
        d = self.deductions
        if isinstance(d, Mapping):
            return [Absence(str(k), v, self.deduction_unit) for k, v in d.items()]
        if isinstance(d, str) or not isinstance(d, Iterable):
            raise InputError(
                f"expected a mapping {{name: amount}} or a list of Absence, got {d!r}",
                column="deductions",
            )
        out = list(d)
        for a in out:
            if not isinstance(a, Absence):
                raise InputError(f"expected Absence items, got {a!r}", column="deductions")
        return out

    def breakdown(self, hours_per_day: float = 8) -> pd.DataFrame:
        """Contract time, each deduction and AWT, in days and hours (one row each).

        Raises
        ------
        InputError
            If the deductions leave no working time.
        """
        hpd = _number(hours_per_day, "hours_per_day", positive=True)
        contract_h = _to_hours(float(self.contract_time), self.contract_unit, hpd)
        rows = [
            ("contract time", "contract", float(self.contract_time), self.contract_unit, contract_h)
        ]
        for a in self.absences():
            if a.unit == "percent":
                hours = contract_h * float(a.amount) / 100.0
            else:
                hours = _to_hours(float(a.amount), a.unit, hpd)
            rows.append((a.name, "deduction", float(a.amount), a.unit, -hours))
        awt_h = float(_capacity.working_hours(contract_h, math.fsum(-r[4] for r in rows[1:])))
        if not awt_h > 1e-12 * contract_h:
            raise InputError(
                f"deductions ({-(awt_h - contract_h):g} h) leave no available working time "
                f"out of a contract time of {contract_h:g} h; expected AWT > 0",
                column="awt",
            )
        rows.append(("available working time", "AWT", awt_h, "hours", awt_h))
        df = pd.DataFrame(rows, columns=["item", "kind", "given", "given_unit", "hours"])
        df["days"] = df["hours"] / hpd
        return df

    def hours(self, hours_per_day: float = 8) -> float:
        """AWT in hours per year."""
        return float(self.breakdown(hours_per_day)["hours"].iloc[-1])

    def days(self, hours_per_day: float = 8) -> float:
        """AWT in working days per year."""
        return float(self.breakdown(hours_per_day)["days"].iloc[-1])


@dataclass(frozen=True)
class CategoryAllowance:
    """A category allowance standard (CAS): work all staff of the category do.

    Give exactly one of ``percent`` and ``time_per_year``.

    Parameters
    ----------
    name
        E.g. ``"training"``, ``"staff meetings"``.
    percent
        Share of working time, in % (0 <= percent < 100).
    time_per_year
        Time per staff member per year, in ``unit``; converted to a % of AWT.
    unit
        Unit of ``time_per_year``: ``"minutes"``, ``"hours"`` or ``"days"``.
    """

    name: str
    percent: float | None = None
    time_per_year: float | None = None
    unit: str = "hours"

    def __post_init__(self) -> None:
        """Check the name, and exactly one of ``percent`` (< 100) and ``time_per_year``."""
        _name(self.name, "category allowance name")
        label = f"category allowance '{self.name}'"
        if (self.percent is None) == (self.time_per_year is None):
            raise InputError("give exactly one of percent and time_per_year", column=label)
        if self.percent is not None:
            p = _number(self.percent, f"percent of {label}")
            if p >= 100:
                raise InputError(
                    f"expected a percentage < 100, got {p:g}", column=f"percent of {label}"
                )
        else:
            _number(self.time_per_year, f"time_per_year of {label}")
            _unit(self.unit, f"unit of {label}", TIME_UNITS)

    def fraction(self, awt_hours: float, hours_per_day: float = 8) -> float:
        """CAS as a fraction of AWT."""
        if self.percent is not None:
            return float(self.percent) / 100.0
        return _to_hours(float(self.time_per_year), self.unit, hours_per_day) / awt_hours


@dataclass(frozen=True)
class IndividualAllowance:
    """An individual allowance standard (IAS): work only some staff of the category do.

    Parameters
    ----------
    name
        E.g. ``"practice management"``.
    time_per_year
        Time per person per year, in ``unit`` (>= 0).
    staff
        Number of staff who do it (>= 0; may be fractional).
    unit
        ``"minutes"``, ``"hours"`` or ``"days"``.
    """

    name: str
    time_per_year: float
    staff: float = 1
    unit: str = "hours"

    def __post_init__(self) -> None:
        """Check the name, time per year, staff and unit."""
        _name(self.name, "individual allowance name")
        label = f"individual allowance '{self.name}'"
        _number(self.time_per_year, f"time_per_year of {label}")
        _number(self.staff, f"staff of {label}")
        _unit(self.unit, f"unit of {label}", TIME_UNITS)


# --------------------------------------------------------------------------- result
@dataclass(frozen=True)
class WisnResult:
    """Every figure of a WISN calculation, unrounded.

    Attributes
    ----------
    hours_per_day
        Hours per working day used to convert days and hours.
    awt_breakdown
        Contract time, each deduction and AWT (columns item, kind, given, given_unit,
        hours, days).
    awt_days, awt_hours
        Available working time per staff member per year.
    activities
        One row per activity: name, annual_workload, unit_time, unit, unit_time_hours,
        workload_hours, standard_workload (= AWT / unit time, per staff per year),
        required_staff (= annual workload / standard workload).
    baseline_required
        Sum of ``activities.required_staff``: staff for health-service activities only.
    category_allowances
        One row per CAS: name, given, given_unit, percent (of AWT), hours_per_year.
    cas_percent
        Sum of the CAS, in % of AWT.
    caf
        Category allowance factor ``1 / (1 - cas_percent / 100)``.
    individual_allowances
        One row per IAS: name, time_per_year, unit, staff, hours_per_year (all staff).
    ias_hours
        Sum of individual allowances, hours per year over all staff.
    iaf
        Individual allowance factor ``ias_hours / awt_hours`` (staff).
    required
        Staff required ``baseline_required * caf + iaf``.
    actual
        Staff in post (``nan`` if not given).
    difference
        WISN difference ``actual - required`` (negative = shortage).
    ratio
        WISN ratio ``actual / required`` (< 1 = shortage).
    """

    hours_per_day: float
    awt_breakdown: pd.DataFrame
    awt_days: float
    awt_hours: float
    activities: pd.DataFrame
    baseline_required: float
    category_allowances: pd.DataFrame
    cas_percent: float
    caf: float
    individual_allowances: pd.DataFrame
    ias_hours: float
    iaf: float
    required: float
    actual: float
    difference: float
    ratio: float

    def figures(self) -> dict[str, float]:
        """Return the headline scalar figures, in calculation order."""
        return {
            "awt_days": self.awt_days,
            "awt_hours": self.awt_hours,
            "workload_hours": float(self.activities["workload_hours"].sum()),
            "baseline_required": self.baseline_required,
            "cas_percent": self.cas_percent,
            "caf": self.caf,
            "ias_hours": self.ias_hours,
            "iaf": self.iaf,
            "required": self.required,
            "actual": self.actual,
            "difference": self.difference,
            "ratio": self.ratio,
        }

    def to_frame(self) -> pd.DataFrame:
        """Every figure in long format: columns ``section, item, quantity, value, unit``.

        Sections are ``awt``, ``activity``, ``category_allowance``,
        ``individual_allowance`` and ``result``, in calculation order.
        """
        rows: list[tuple[str, str, str, float, str]] = []
        for r in self.awt_breakdown.itertuples(index=False):
            rows.append(("awt", r.item, "days", float(r.days), "days/year"))
            rows.append(("awt", r.item, "hours", float(r.hours), "hours/year"))
        for r in self.activities.itertuples(index=False):
            rows += [
                ("activity", r.name, "annual_workload", float(r.annual_workload), "per year"),
                ("activity", r.name, "unit_time_hours", float(r.unit_time_hours), "hours"),
                ("activity", r.name, "workload_hours", float(r.workload_hours), "hours/year"),
                (
                    "activity",
                    r.name,
                    "standard_workload",
                    float(r.standard_workload),
                    "per staff/year",
                ),
                ("activity", r.name, "required_staff", float(r.required_staff), "staff"),
            ]
        for r in self.category_allowances.itertuples(index=False):
            rows.append(("category_allowance", r.name, "percent", float(r.percent), "% of AWT"))
            rows.append(
                (
                    "category_allowance",
                    r.name,
                    "hours_per_year",
                    float(r.hours_per_year),
                    "hours/year",
                )
            )
        for r in self.individual_allowances.itertuples(index=False):
            rows.append(("individual_allowance", r.name, "staff", float(r.staff), "staff"))
            rows.append(
                (
                    "individual_allowance",
                    r.name,
                    "hours_per_year",
                    float(r.hours_per_year),
                    "hours/year (all staff)",
                )
            )
        units = {
            "awt_days": "days/year",
            "awt_hours": "hours/year",
            "workload_hours": "hours/year",
            "baseline_required": "staff",
            "cas_percent": "% of AWT",
            "caf": "factor",
            "ias_hours": "hours/year",
            "iaf": "staff",
            "required": "staff",
            "actual": "staff",
            "difference": "staff",
            "ratio": "ratio",
        }
        for k, v in self.figures().items():
            rows.append(("result", "total", k, v, units[k]))
        return pd.DataFrame(rows, columns=["section", "item", "quantity", "value", "unit"])

    def summary(self, digits: int = 2) -> str:
        """Return a readable multi-line summary; figures rounded to ``digits`` only here."""
        f = self.figures()

        def n(x: float, d: int = digits) -> str:
            return "n/a" if math.isnan(x) else f"{x:,.{d}f}"

        lines = [
            f"Available working time: {n(self.awt_days)} days = {n(self.awt_hours)} hours per staff per year",
            "Activities:",
        ]
        for r in self.activities.itertuples(index=False):
            lines.append(
                f"  {r.name}: {n(r.annual_workload, 0)} x {n(r.unit_time_hours, 4)} h = "
                f"{n(r.workload_hours)} h; standard workload {n(r.standard_workload)}; "
                f"staff {n(r.required_staff)}"
            )
        lines.append(f"Staff for activities: {n(self.baseline_required)}")
        lines.append(f"Category allowances: {n(self.cas_percent)}% of AWT; CAF = {n(self.caf, 4)}")
        lines.append(f"Individual allowances: {n(self.ias_hours)} h; IAF = {n(self.iaf)}")
        lines.append(f"Required staff: {n(self.required)}")
        lines.append(
            f"Actual staff: {n(f['actual'])}; WISN difference {n(self.difference)}; "
            f"WISN ratio {n(self.ratio)}"
        )
        return "\n".join(lines)

    def __str__(self) -> str:
        """Return the readable multi-line summary (:meth:`summary`)."""
        return self.summary()


# --------------------------------------------------------------------------- calculation
def _listify(items: object, name: str, cls: type) -> list:
    if items is None:
        return []
    if isinstance(items, cls):
        return [items]
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        raise InputError(f"expected a list of {cls.__name__}, got {items!r}", column=name)
    out = list(items)
    for x in out:
        if not isinstance(x, cls):
            raise InputError(f"expected {cls.__name__} items, got {x!r}", column=name)
    return out


def wisn(
    activities: Sequence[WisnActivity] | WisnActivity,
    awt: AvailableWorkingTime,
    category_allowances: Sequence[CategoryAllowance] | None = None,
    individual_allowances: Sequence[IndividualAllowance] | None = None,
    actual_staff: float | None = None,
    hours_per_day: float = 8,
) -> WisnResult:
    """Classic WISN calculation for one staff category (WHO user's manual, 2010).

    Parameters
    ----------
    activities
        Health-service activities with annual workload and unit time (at least one).
    awt
        Available working time of one staff member.
    category_allowances
        Category allowance standards (as % of time or time per year).
    individual_allowances
        Individual allowance standards (time per person per year and number of staff).
    actual_staff
        Staff in post; if ``None`` the WISN difference and ratio are ``nan``.
    hours_per_day
        Hours in one working day, for converting days and hours (> 0).

    Returns
    -------
    WisnResult
        Every intermediate figure, unrounded.

    Raises
    ------
    InputError
        On negative or non-finite numbers, unknown units, AWT <= 0, category allowances
        summing to 100% or more, or no activities; the message names the argument.
    """
    hpd = _number(hours_per_day, "hours_per_day", positive=True)
    acts = _listify(activities, "activities", WisnActivity)
    if not acts:
        raise InputError("expected at least one WisnActivity", column="activities")
    if not isinstance(awt, AvailableWorkingTime):
        raise InputError(f"expected an AvailableWorkingTime, got {awt!r}", column="awt")
    cas = _listify(category_allowances, "category_allowances", CategoryAllowance)
    ias = _listify(individual_allowances, "individual_allowances", IndividualAllowance)
    actual = math.nan if actual_staff is None else _number(actual_staff, "actual_staff")

    bd = awt.breakdown(hpd)
    awt_h = float(bd["hours"].iloc[-1])
    awt_d = awt_h / hpd

    act = pd.DataFrame(
        {
            "name": [a.name for a in acts],
            "annual_workload": [float(a.annual_workload) for a in acts],
            "unit_time": [float(a.unit_time) for a in acts],
            "unit": [a.unit for a in acts],
            "unit_time_hours": [_to_hours(float(a.unit_time), a.unit, hpd) for a in acts],
        }
    )
    act["workload_hours"] = act["annual_workload"] * act["unit_time_hours"]
    act["standard_workload"] = awt_h / act["unit_time_hours"]
    act["required_staff"] = act["annual_workload"] / act["standard_workload"]
    baseline = float(act["required_staff"].sum())

    cas_frac = [c.fraction(awt_h, hpd) for c in cas]
    cas_df = pd.DataFrame(
        {
            "name": [c.name for c in cas],
            "given": [float(c.percent if c.percent is not None else c.time_per_year) for c in cas],
            "given_unit": ["percent" if c.percent is not None else c.unit for c in cas],
            "percent": [100.0 * f for f in cas_frac],
            "hours_per_year": [f * awt_h for f in cas_frac],
        },
        columns=["name", "given", "given_unit", "percent", "hours_per_year"],
    ).astype({"given": float, "percent": float, "hours_per_year": float})
    total_cas = math.fsum(cas_frac)
    if total_cas >= 1.0:
        raise InputError(
            f"category allowances sum to {100 * total_cas:.4g}% of available working time; "
            "expected less than 100%",
            column="category_allowances",
        )
    caf = float(_capacity.category_allowance_factor(total_cas))

    ias_df = pd.DataFrame(
        {
            "name": [i.name for i in ias],
            "time_per_year": [float(i.time_per_year) for i in ias],
            "unit": [i.unit for i in ias],
            "staff": [float(i.staff) for i in ias],
            "hours_per_year": [
                _to_hours(float(i.time_per_year), i.unit, hpd) * float(i.staff) for i in ias
            ],
        },
        columns=["name", "time_per_year", "unit", "staff", "hours_per_year"],
    ).astype({"time_per_year": float, "staff": float, "hours_per_year": float})
    ias_h = float(math.fsum(ias_df["hours_per_year"]))
    iaf = float(_capacity.individual_allowance_factor(ias_h, awt_h))

    required = baseline * caf + iaf
    difference = actual - required
    ratio = actual / required if required > 0 else math.nan
    return WisnResult(
        hours_per_day=hpd,
        awt_breakdown=bd,
        awt_days=awt_d,
        awt_hours=awt_h,
        activities=act,
        baseline_required=baseline,
        category_allowances=cas_df,
        cas_percent=100.0 * total_cas,
        caf=caf,
        individual_allowances=ias_df,
        ias_hours=ias_h,
        iaf=iaf,
        required=required,
        actual=actual,
        difference=difference,
        ratio=ratio,
    )
