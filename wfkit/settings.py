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

from typing import Any

from .setting import Setting, fraction

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
    "SESSIONS_PER_FTE",
    "MOVED_IN_KINDS",
    "MOVED_IN_SETTINGS",
    "DELIVERY_SETTINGS",
]


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
    beyond_words="a grouping file (.csv)",
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


# ----------------------------------------------------------------------------------------
# work moved in from hospital (``moved_in:``, docs/closer-to-home.md)
# ----------------------------------------------------------------------------------------
#: sessions in a full-time week: the BMA model salaried GP contract's 37.5 hours are
#: 9 sessions of 4 hours 10 minutes (data/assumptions/capacity.csv cites it)
SESSIONS_PER_FTE = 9
#: what moves in: a specialty clinic, a procedure or a follow-up
MOVED_IN_KINDS: tuple[str, ...] = ("clinic", "procedure", "follow_up")

MOVED_IN_KIND = Setting(
    "kind",
    "clinic",
    str,
    "What moves in from hospital: a specialty clinic, a procedure or a follow-up.",
    choices=MOVED_IN_KINDS,
    label="kind of work",
)
MOVED_IN_PER_1000 = Setting(
    "per_1000",
    None,
    float,
    "Contacts a year per 1,000 registered patients, by age band (five-year bands, and 'all' "
    "for every band not named); a number or an 80% interval each. Give this or per_year.",
    0.0,
    10_000.0,
    unit="contacts a year per 1,000 patients",
    label="contacts per 1,000 patients",
    interval=True,
)
MOVED_IN_PER_YEAR = Setting(
    "per_year",
    None,
    float,
    "Contacts a year at full volume for the whole run, shared between areas by registered "
    "list; a number or an 80% interval. Give this or per_1000.",
    0.0,
    10_000_000.0,
    unit="contacts a year",
    label="contacts a year",
    interval=True,
)
MOVED_IN_START_YEAR = Setting(
    "start_year",
    None,
    int,
    "Year the service starts in primary care (after the base year, within the horizon).",
    2000,
    2100,
    label="service starts",
)
MOVED_IN_RAMP = Setting(
    "ramp_up_years",
    1,
    int,
    "Years to full volume: 1/n of it in the start year, 2/n the next, ... (1 = full volume "
    "at once); the last ramp-up year must fall within the horizon.",
    1,
    20,
    unit="years",
    label="years to full volume",
)
MOVED_IN_MINUTES = Setting(
    "minutes_per_contact",
    None,
    float,
    "Minutes of the primary-care clinician's time per contact (a number or an 80% interval).",
    0.0,
    600.0,
    open_lo=True,
    unit="minutes",
    label="minutes per contact",
    interval=True,
)
MOVED_IN_REPLACES = Setting(
    "replaces",
    1.0,
    float,
    "Hospital outpatient attendances one primary-care contact replaces (0.8 = 80%; never "
    "above 1: some contacts would never have reached hospital, some are referred on).",
    0.0,
    1.0,
    unit="a share",
    label="share of hospital attendances replaced",
    interval=True,
)
MOVED_IN_UNIT_COST = Setting(
    "cost_per_attendance",
    None,
    float,
    "Hospital cost of one outpatient attendance avoided, GBP (a number or an 80% interval); "
    "cite it in cost_source (National Cost Collection, PSSRU) or say it is judgement.",
    0.0,
    100_000.0,
    unit="GBP per attendance",
    label="hospital cost per attendance",
    interval=True,
)
MOVED_IN_CONSULTANT_MINUTES = Setting(
    "consultant_minutes",
    0.0,
    float,
    "Consultant minutes one hospital attendance takes (for the consultant time avoided).",
    0.0,
    600.0,
    unit="minutes",
    label="consultant minutes per attendance",
    interval=True,
)
MOVED_IN_CONSULTANT_COST = Setting(
    "consultant_cost_per_hour",
    0.0,
    float,
    "Cost of a consultant's working hour, GBP (for the value of consultant time avoided, "
    "already inside cost_per_attendance and never added to it).",
    0.0,
    10_000.0,
    unit="GBP per hour",
    label="consultant cost per hour",
)
DELIVERY_SHARE = fraction(
    "share",
    1.0,
    "Share of the moved-in contacts this role delivers (the shares sum to 1).",
    "share delivered",
)
DELIVERY_SESSIONS = Setting(
    "sessions_per_week",
    None,
    float,
    f"Sessions a week each special-interest practitioner spends in the specialty (a full-time "
    f"week is {SESSIONS_PER_FTE} sessions); needs special_interest.",
    0.0,
    float(SESSIONS_PER_FTE),
    open_lo=True,
    unit="sessions a week",
    label="specialty sessions a week",
)
DELIVERY_COMMITMENT = Setting(
    "commitment_years",
    2,
    int,
    "Financial years a practitioner commits to deliver the service after the accredited "
    "course (typically 2-3); counted in retained capacity.",
    0,
    10,
    unit="years",
    label="commitment after training",
)
DELIVERY_COURSE_YEARS = Setting(
    "course_years",
    1,
    int,
    "Years the accredited course takes from starting to practising (whole years).",
    0,
    5,
    unit="years",
    label="course length",
)

#: the settings of one ``moved_in`` entry (besides ``activity``, ``cost_source`` and
#: ``delivered_by``)
MOVED_IN_SETTINGS: tuple[Setting, ...] = (
    MOVED_IN_KIND,
    MOVED_IN_PER_1000,
    MOVED_IN_PER_YEAR,
    MOVED_IN_START_YEAR,
    MOVED_IN_RAMP,
    MOVED_IN_MINUTES,
    MOVED_IN_REPLACES,
    MOVED_IN_UNIT_COST,
    MOVED_IN_CONSULTANT_MINUTES,
    MOVED_IN_CONSULTANT_COST,
)
#: the settings of one role delivering moved-in work (besides ``role`` and
#: ``special_interest``, a competency id of data/skills/competencies.csv)
DELIVERY_SETTINGS: tuple[Setting, ...] = (
    DELIVERY_SHARE,
    DELIVERY_SESSIONS,
    DELIVERY_COMMITMENT,
    DELIVERY_COURSE_YEARS,
)
