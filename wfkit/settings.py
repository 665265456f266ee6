"""Every setting a user can give, declared once: its type, default, choices or range, words.

A :class:`Setting` is the one declaration of a scenario setting (``horizon``, ``draws``,
``calibration`` ...), a use-case parameter (``shift_fraction``) or a notebook parameter
(``output_dir``).  Every front door derives from it:

- the scenario JSON Schema (``wfkit/schemas/scenario.schema.json``, generated from these
  declarations by :mod:`wfkit.scenario.schema`; a test checks it is fresh);
- the use cases' parameters (:mod:`wfkit.usecases.params`) and the notebooks' parameter
  check (:func:`wfkit.notebook.check_parameters`), which use the same objects;
- the command line (``--draws``, ``--seed``) and the sliders, which may only narrow a
  range through :meth:`Setting.narrow` (so the narrowed range names the shared one).

The module holds declarations only and imports nothing heavy, so every layer may read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from .errors import InputError

__all__ = [
    "Setting",
    "fraction",
    "declare",
    "declared",
    "setting",
    "AREA",
    "LEVEL",
    "LEVELS",
    "GROUP_PREFIX",
    "BASE_YEAR",
    "HORIZON",
    "DRAWS",
    "SEED",
    "GROWTH_RATE",
    "CALIBRATION",
    "CALIBRATIONS",
    "SKILL_MIX_MODEL",
    "SKILL_MIX_MODELS",
    "TRANSITION_START",
    "TRANSITION_YEARS",
    "SHIFT_FRACTION",
    "SHIFT_PART",
    "UNMET_DEMAND",
    "GP_TRAINING_PLACES",
    "ARRS_GROWTH",
    "ARRS_GPS",
    "SUPPLY_POLICY",
    "SCENARIO_SETTINGS",
    "SAME_DAY_STANDARD",
    "MOVE_ONLINE",
    "STAGGER_SHARE",
    "EXTRA_HANDLERS",
    "FRONT_DOOR_SETTINGS",
    "COMMUNITY_ROLES",
    "COMMUNITY_FTE",
    "LEARNERS",
    "PLACEMENT_LEARNERS",
]


def _fmt(x: float) -> str:
    """Format a bound in words: ``100000`` -> ``100,000``, ``2025`` and ``0.1`` as they are."""
    if float(x).is_integer() and abs(x) >= 10_000:
        return f"{int(x):,}"
    return f"{x:g}"


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: its name, default, type, valid values and words.

    Parameters
    ----------
    name
        The key in a scenario file, a parameter's name in a notebook or use case.
    default
        The value used when the setting is not given (``None``: resolved at load, as
        ``calibration`` is, or optional).
    kind
        ``int``, ``float``, ``str`` or ``bool``.
    help
        What it means, in a sentence (the schema's description, a slider's tooltip).
    lo, hi
        Bounds of a number (``open_lo``/``open_hi`` exclude them).
    choices
        The allowed values, when they are a list.
    unit
        What the number counts, in words (``years``, ``draws``, ``an annual rate``,
        ``hours``), for messages and labels.
    label
        Short words for a slider or a spreadsheet column.
    interval
        A scenario file may give an 80% interval ``[lo, hi]`` (or ``[lo, value, hi]``).
    rule
        Any further check: returns a message or ``None``.
    parent
        The shared setting this one narrows (:meth:`narrow`), or ``None``.
    beyond
        Whether a value outside ``choices`` is allowed all the same (``level``: a grouping
        file), or ``None``.
    """

    name: str
    default: Any
    kind: type
    help: str
    lo: float | None = None
    hi: float | None = None
    open_lo: bool = False
    open_hi: bool = False
    choices: tuple[Any, ...] | None = None
    unit: str = ""
    label: str = ""
    interval: bool = False
    rule: Callable[[Any], str | None] | None = field(default=None, compare=False)
    parent: Setting | None = field(default=None, compare=False, repr=False)
    beyond: Callable[[Any], bool] | None = field(default=None, compare=False)

    @property
    def expected(self) -> str:
        """What is allowed, in words (the end of an error message), made from the range."""
        if self.choices is not None:
            more = ", or a grouping file (.csv)" if self.beyond is _is_grouping else ""
            return "expected one of " + ", ".join(str(c) for c in self.choices) + more
        if self.lo is None and self.hi is None:
            return f"expected a {self.kind.__name__}"
        if self.lo == 0 and self.hi == 1 and not (self.open_lo or self.open_hi):
            return "expected a fraction between 0 and 1"
        if self.hi is None:
            op = ">" if self.open_lo else ">="
            return f"expected {self.unit or 'a value'} {op} {_fmt(self.lo)}"  # type: ignore[arg-type]
        if self.kind is int and self.lo is not None and not (self.open_lo or self.open_hi):
            return f"expected {_fmt(self.lo)} to {_fmt(self.hi)}" + (
                f" {self.unit}" if self.unit else ""
            )
        return f"expected {self.unit or 'a number'} in {self.range_text()}"

    def range_text(self) -> str:
        """Return the valid range as ``[lo, hi]`` (``-inf``/``inf`` for an open end)."""
        lo = "-inf" if self.lo is None else _fmt(self.lo)
        hi = "inf" if self.hi is None else _fmt(self.hi)
        return f"{'(' if self.open_lo else '['}{lo}, {hi}{')' if self.open_hi else ']'}"

    def outside(self, x: float) -> bool:
        """Whether the number ``x`` lies outside the range."""
        if self.lo is not None and (x <= self.lo if self.open_lo else x < self.lo):
            return True
        return self.hi is not None and (x >= self.hi if self.open_hi else x > self.hi)

    def problem(self, value: Any) -> str | None:
        """Why ``value`` (of the right type) is not allowed, or ``None``."""
        if value is None and self.default is None:
            return None
        if self.choices is not None and value not in self.choices:
            if self.beyond is None or not self.beyond(value):
                return self.expected
        if isinstance(value, int | float) and not isinstance(value, bool) and self.outside(value):
            return self.expected
        return self.rule(value) if self.rule is not None else None

    def typed(self, value: Any, kind: Any = None) -> tuple[bool, Any]:
        """Whether ``value`` is of ``kind``; the value to use.

        ``kind`` defaults to this setting's type; ints pass as floats, bools never as
        numbers.
        """
        kind = self.kind if kind is None else kind
        if value is None and self.default is None:
            return True, value
        if kind is float:
            if isinstance(value, int | float) and not isinstance(value, bool):
                return True, float(value)
            return False, value
        if kind is int:
            return isinstance(value, int) and not isinstance(value, bool), value
        if isinstance(kind, type):
            return isinstance(value, kind), value
        return True, value

    def coerce(self, value: Any) -> Any:
        """``value`` converted to this setting's type and checked.

        Numbers from sliders, YAML or the command line; raises :class:`InputError` naming
        the setting.
        """
        try:
            if self.kind is bool:
                ok = isinstance(value, bool | int) and value in (0, 1)
                out = bool(value) if ok else value
            elif self.kind in (int, float) and isinstance(value, str | bytes | bool):
                ok, out = False, value
            else:
                out, ok = self.kind(value), True
        except (TypeError, ValueError, OverflowError):
            ok, out = False, value
        if not ok or (self.kind is int and isinstance(value, float) and value != out):
            raise InputError(
                f"{self.name} = {value!r} is a {type(value).__name__}; "
                f"expected a {self.kind.__name__}",
                column=self.name,
            )
        self.raise_problem(out)
        return out

    def raise_problem(self, value: Any) -> None:
        """Raise :class:`InputError` if :meth:`problem` finds one."""
        msg = self.problem(value)
        if msg:
            raise InputError(f"{self.name} = {value!r}: {msg}", column=self.name)

    def narrow(self, lo: float | None = None, hi: float | None = None) -> Setting:
        """Narrow the range of this setting (a slider's), naming this one as its parent.

        Raises
        ------
        ValueError
            If the new range is not inside this one.
        """
        lo = self.lo if lo is None else lo
        hi = self.hi if hi is None else hi
        for x in (lo, hi):
            if x is not None and self.outside(x):
                raise ValueError(f"{self.name}: {x} is outside {self.range_text()}")
        return replace(self, lo=lo, hi=hi, parent=self)

    def with_default(self, default: Any) -> Setting:
        """Return the same setting with another default (a use case's), naming this one."""
        return replace(self, default=default, parent=self)

    def renamed(self, name: str, default: Any = None, help: str = "", label: str = "") -> Setting:
        """Return the same type and range under another name (a use case's own parameter)."""
        return replace(
            self,
            name=name,
            default=self.default if default is None else default,
            help=help or self.help,
            label=label or self.label,
            parent=self,
        )

    def json_schema(self) -> dict[str, Any]:
        """Return the setting as a JSON Schema (draft-07) fragment."""
        if self.choices is not None:
            out: dict[str, Any] = {"enum": list(self.choices)}
        else:
            out = {
                "type": {int: "integer", float: "number", str: "string", bool: "boolean"}[self.kind]
            }
        if self.kind in (int, float):
            for key, x in (
                ("exclusiveMinimum" if self.open_lo else "minimum", self.lo),
                ("exclusiveMaximum" if self.open_hi else "maximum", self.hi),
            ):
                if x is not None:
                    out[key] = int(x) if float(x).is_integer() else x
        if self.interval:
            number = dict(out)
            out = {
                "oneOf": [
                    number,
                    {
                        "type": "array",
                        "items": number,
                        "minItems": 2,
                        "maxItems": 3,
                        "description": "80% interval [lo, hi] (the value is its midpoint), or "
                        "[lo, value, hi]: the value is the median, lo and hi the 10th and "
                        "90th percentiles (lo <= value <= hi)",
                    },
                ]
            }
        out["description"] = self.help
        return out


def fraction(name: str, default: float, help: str, label: str = "") -> Setting:
    """Declare a setting that is a fraction in [0, 1]."""
    return Setting(name, default, float, help, 0.0, 1.0, label=label)


#: every setting declared, by name (filled by :func:`declare`)
_DECLARED: dict[str, Setting] = {}


def declare(*settings: Setting) -> tuple[Setting, ...]:
    """Declare settings (a use case module's own); a name means one thing everywhere.

    Raises
    ------
    ValueError
        If a name is declared twice, differently.
    """
    for s in settings:
        if _DECLARED.setdefault(s.name, s) != s:
            raise ValueError(f"setting {s.name!r} declared twice, differently")
    return settings


def declared() -> dict[str, Setting]:
    """Every declared setting, by name."""
    return dict(_DECLARED)


def setting(name: str) -> Setting | None:
    """Return the declaration of ``name``, or ``None``."""
    return _DECLARED.get(name)


# ----------------------------------------------------------------------------------------
# the scenario's settings (docs/scenarios.md)
# ----------------------------------------------------------------------------------------
#: the area modelled when none is named: North Southwark PCN (South East London), a real
#: network on the bundled data
AREA = Setting(
    "area",
    "U06180",
    str,
    "area code or name at `level`",
    rule=lambda v: None if v.strip() else "expected an area code or name",
    label="area",
)
#: the published area levels, smallest first
LEVELS: tuple[str, ...] = ("practice", "pcn", "sub_icb", "icb", "region")
#: what a level made from a grouping file starts with (``groups:<digest>``; wfkit.data.groups)
GROUP_PREFIX = "groups:"


def _is_grouping(value: Any) -> bool:
    """Whether ``value`` names a grouping: a CSV file of groups, or one already read."""
    v = str(value).strip()
    return v.lower().endswith(".csv") or v.startswith(GROUP_PREFIX)


LEVEL = Setting(
    "level",
    "pcn",
    str,
    "For bundled data: the level of the areas modelled (each area is one row of results): "
    "practice, pcn, sub_icb, icb, region, or a CSV file of groups you draw, such as "
    "neighbourhoods (columns group, group_name, and pcn or practice; relative to the "
    "scenario file; docs/neighbourhoods.md).",
    choices=LEVELS,
    beyond=_is_grouping,
    label="area level",
)

BASE_YEAR = Setting(
    "base_year",
    2025,
    int,
    "First modelled year; the population and supply tables describe this year.",
    2000,
    2100,
    label="base year",
)
HORIZON = Setting(
    "horizon",
    10,
    int,
    "Number of years modelled after the base year.",
    1,
    50,
    unit="years",
    label="years ahead",
)
DRAWS = Setting(
    "draws",
    0,
    int,
    "Monte Carlo draws besides the central run (0 = deterministic).",
    0,
    100_000,
    unit="draws",
    label="Monte Carlo draws",
)
SEED = Setting("seed", 0, int, "Seed for the draws.", 0, unit="a seed", label="random seed")
GROWTH_RATE = Setting(
    "growth_rate",
    0.0,
    float,
    "Annual population growth on top of any growth table, e.g. 0.01 or [0.005, 0.015].",
    -0.1,
    0.1,
    unit="an annual rate",
    label="extra population growth",
    interval=True,
)
#: the calibration settings a scenario may name (docs/calibration.md)
CALIBRATION = Setting(
    "calibration",
    None,
    str,
    "Base-year calibration (docs/calibration.md): none (bundled rates as they are), national "
    "(each role's minutes scaled so England's base-year requirement equals its staff in post, "
    "plus unmet_demand) or local (each area's own November 2025 appointments set its service "
    "use; minutes calibrated nationally). Default: national on the bundled data, none for a "
    "scenario with its own tables.",
    choices=("none", "national", "local"),
    label="base-year calibration",
)
CALIBRATIONS: tuple[str, ...] = CALIBRATION.choices  # type: ignore[assignment]
SKILL_MIX_MODEL = Setting(
    "model",
    "current",
    str,
    "Stay on today's who-does-what, or move to the future model.",
    choices=("current", "future"),
    label="who does what",
)
#: the who-does-what models, each a column of the skill-mix table
SKILL_MIX_MODELS: tuple[str, ...] = SKILL_MIX_MODEL.choices  # type: ignore[assignment]
TRANSITION_START = Setting(
    "transition_start",
    None,
    int,
    "Year the move begins (default: base year + 1).",
    2000,
    2100,
    label="move begins",
)
TRANSITION_YEARS = Setting(
    "transition_years",
    5,
    int,
    "Years to complete the move (0 = at once).",
    0,
    50,
    unit="years",
    label="years to move to the future model",
)
SHIFT_FRACTION = fraction(
    "fraction", 0.0, "Fraction of the 'from' role's share that moves.", "share moved"
)
SHIFT_PART = fraction("part", 0.0, "Part of the moved work a receiving role takes.")
UNMET_DEMAND = fraction(
    "unmet_demand",
    0.0,
    "Per role, the share of extra staff England needs beyond those in post (0.05 = 5%), for "
    "national or local calibration; for example from vacancy rates.",
    "unmet demand",
)

# ----------------------------------------------------------------------------------------
# the front door (wfkit.frontdoor, wfkit.frontdoor_flow; docs/queueing.md)
# ----------------------------------------------------------------------------------------
#: which same-day standard a practice works to: as practices book today (the November 2025
#: appointments' booking times), or the GP contract 2026/27's (every clinically urgent
#: request answered the same day; online requests open through core hours, required since
#: October 2025 and so already in the November 2025 data)
SAME_DAY_STANDARD = Setting(
    "same_day_standard",
    "2025/26",
    str,
    "Same-day standard: 2025/26 (appointments booked as the November 2025 booking times "
    "show) or 2026/27 (every clinically urgent request answered the same day; online "
    "requests open through core hours).",
    choices=("2025/26", "2026/27"),
    label="same-day standard",
)
MOVE_ONLINE = fraction(
    "move_online",
    0.2,
    "Scenario: share of phone requests made online instead.",
    "phone requests moved online",
)
STAGGER_SHARE = fraction(
    "stagger_share",
    0.3,
    "Scenario: share of the 08:00-09:59 calls spread over the rest of the day when "
    "appointments are released through the day instead of at 8 am.",
    "8 am calls spread through the day",
)
EXTRA_HANDLERS = Setting(
    "extra_handlers",
    1,
    int,
    "Scenario: call handlers added on the phones each weekday hour 08:00-10:00.",
    0,
    50,
    unit="call handlers",
    label="extra call handlers 08:00-10:00",
)
#: the front door's settings (notebook parameters of the same-day notebook)
FRONT_DOOR_SETTINGS: tuple[Setting, ...] = (
    SAME_DAY_STANDARD,
    MOVE_ONLINE,
    STAGGER_SHARE,
    EXTRA_HANDLERS,
)

# ----------------------------------------------------------------------------------------
# care closer to home (docs/neighbourhoods.md)
# ----------------------------------------------------------------------------------------
#: roles beyond the practice a scenario may add (``community_roles:``): id -> words.  Not in
#: the default run; their working time, pay, activities and minutes are bundled in
#: ``data/neighbourhood/`` and their colours are fixed in :data:`wfkit.charts.ROLE_COLOURS`
COMMUNITY_ROLES: dict[str, str] = {
    "district_nurse": "District nurse",
    "community_staff_nurse": "Community staff nurse",
    "community_matron": "Community matron",
    "community_hca": "Community healthcare assistant",
}
COMMUNITY_FTE = Setting(
    "community_roles",
    0.0,
    float,
    "FTE in post of a community role in the area (no public practice- or neighbourhood-level "
    "source exists: give your provider's figure).",
    0.0,
    10_000.0,
    unit="FTE",
    label="community FTE in post",
)
#: learners an area may host (``placements:``): id -> words
LEARNERS: dict[str, str] = {
    "gp_registrar": "GP registrar",
    "student_nurse": "Student nurse",
    "trainee_pharmacist": "Trainee pharmacist",
    "pa_student": "Physician associate student",
    "paramedic_student": "Paramedic student",
}
PLACEMENT_LEARNERS = Setting(
    "placements",
    0.0,
    float,
    "Learners of a kind hosted in the area at once, a year (whole-time equivalents; 0 or more).",
    0.0,
    10_000.0,
    unit="learners",
    label="learners hosted",
)

# supply policy (docs/scenarios.md, "Supply: trends and policy"): each is added to the joiner
# rate of the roles it names (wfkit.scenario.policy), on top of the observed trends of
# assumptions/flows.csv; each is off (0) by default, so a policy is always a stated choice
GP_TRAINING_PLACES = Setting(
    "gp_training_places",
    0.0,
    float,
    "Extra GPs joining a year from more GP training places, as a share of GPs in post "
    "(0.01 = 1% a year), on top of GPs' observed trend. The NHS Long Term Workforce Plan "
    "(NHS England, June 2023) plans GP specialty training places rising by half, to 6,000 a "
    "year by 2031/32; the default (0) is the trend alone.",
    0.0,
    0.1,
    unit="an annual rate",
    label="extra GPs from training places",
)
ARRS_GROWTH = Setting(
    "arrs_growth",
    0.0,
    float,
    "Growth a year of the network roles the Additional Roles Reimbursement Scheme funds "
    "(pharmacists, care coordinators, social prescribers, paramedics ...; 0.05 = 5% a year; "
    "negative for a shrinking budget). The default (0) holds them at today's staff: their "
    "growth between the September 2022 and November 2025 network censuses (quoted in "
    "assumptions/flows.csv, for example pharmacists +13% a year) followed the scheme's budget.",
    -0.2,
    0.5,
    unit="an annual rate",
    label="growth of network (ARRS) roles",
)
ARRS_GPS = Setting(
    "arrs_gps",
    0.0,
    float,
    "GPs employed by networks through the reimbursement scheme (the ARRS GP route, from "
    "October 2024, and its 2026/27 terms as the user reads them): extra GPs a year as a share "
    "of GPs in post (0.01 = 1% a year), on top of GPs' observed trend. Default 0.",
    0.0,
    0.1,
    unit="an annual rate",
    label="extra GPs through the network scheme",
)
#: the supply policy settings, in the order the docs and the workbook show them
SUPPLY_POLICY: tuple[Setting, ...] = (GP_TRAINING_PLACES, ARRS_GROWTH, ARRS_GPS)

#: the scalar settings of a scenario file (top level, and a variant's where it may change them)
SCENARIO_SETTINGS: tuple[Setting, ...] = (
    BASE_YEAR,
    HORIZON,
    DRAWS,
    SEED,
    LEVEL,
    GROWTH_RATE,
    CALIBRATION,
    *SUPPLY_POLICY,
)
