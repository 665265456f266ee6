"""Schemas and provenance of every table bundled in ``data/``.

Each bundled table has a :class:`~wfkit.validation.TableSpec` (columns, types, units, ranges,
unique key) and a :class:`TableInfo` (file, period, publisher, licence, original file, how it
was derived).  The data dictionaries in ``data/dictionary/`` and ``data/provenance.csv`` are
written from these by ``wfkit data build``, so code and documentation cannot disagree.
"""

from __future__ import annotations

from .. import tables as T
from ..settings import LEVELS as _LEVELS
from ..validation import Column, TableSpec

__all__ = ["ROLE_IDS", "LEVELS", "PRACTICE_LIST", "WORKFORCE_EXTRACT"]

#: the 20 role ids of the model
ROLE_IDS: tuple[str, ...] = (
    "gp",
    "anp",
    "practice_nurse",
    "nursing_associate",
    "hca",
    "phlebotomist",
    "pharmacist",
    "pharmacy_technician",
    "physician_associate",
    "paramedic",
    "physiotherapist",
    "care_coordinator",
    "social_prescriber",
    "health_coach",
    "dietitian",
    "mental_health_practitioner",
    "practice_manager",
    "receptionist",
    "medical_secretary",
    "admin_other",
)
#: area levels, smallest first (declared once, as the scenario's ``level`` setting)
LEVELS: tuple[str, ...] = _LEVELS

#: time from booking to appointment, as published (appointments data), shortest first;
#: the files add an ``unknown`` band beside these
LEAD_TIMES: tuple[str, ...] = (
    "same_day",
    "days_1",
    "days_2_7",
    "days_8_14",
    "days_15_21",
    "days_22_28",
    "days_29_plus",
)

FY = frozenset({"2022/23", "2023/24", "2024/25"})


def _s(name: str, description: str = "", nullable: bool = False, **kw) -> Column:
    return Column(name, "str", description=description, nullable=nullable, **kw)


def _f(
    name: str,
    unit: str,
    description: str,
    lo: float | None = 0,
    hi: float | None = None,
    nullable: bool = False,
) -> Column:
    return Column(
        name, "float", min=lo, max=hi, unit=unit, description=description, nullable=nullable
    )


def _i(
    name: str,
    unit: str,
    description: str,
    lo: float | None = 0,
    hi: float | None = None,
    nullable: bool = False,
) -> Column:
    return Column(
        name, "int", min=lo, max=hi, unit=unit, description=description, nullable=nullable
    )


def _areas_spec(name: str, when: str, description: str) -> TableSpec:
    return TableSpec(
        name,
        (
            _s("practice", "GP practice code (ODS)"),
            _s("practice_name", f"practice name ({when})"),
            _s("postcode", "practice postcode"),
            _s(
                "pcn",
                f"primary care network code, {when}; U_<sub_icb> when the practice is in no "
                "network (published code U)",
            ),
            _s("pcn_name", "network name"),
            _s("sub_icb", "sub-ICB location code (ODS)"),
            _s("sub_icb_ons", "sub-ICB location code (ONS, E38...)"),
            _s("sub_icb_name", "sub-ICB location name"),
            _s("icb", "integrated care board code (ODS, Q..)"),
            _s("icb_ons", "integrated care board code (ONS, E54...)"),
            _s("icb_name", "integrated care board name ('Integrated Care Board' shortened to ICB)"),
            _s("region", "NHS England commissioning region code (Y..)"),
            _s("region_name", "NHS England commissioning region name"),
        ),
        key=("practice",),
        description=description,
    )


AREAS = _areas_spec(
    "areas",
    "1 December 2025",
    "Practice -> primary care network -> sub-ICB -> ICB -> region, 1 December 2025 "
    "(42 ICBs, before the 2026 mergers).",
)
AREAS_2026 = _areas_spec(
    "areas_2026",
    "1 July 2026",
    "Alternative map: practice -> network -> sub-ICB -> ICB -> region, 1 July 2026 "
    "(36 ICBs, after the 2026 mergers). Not used by the loaders.",
)

LIST_SIZE = TableSpec(
    "list_size",
    (
        _s("practice", "GP practice code"),
        _i("patients", "people", "registered patients, all ages, 1 December 2025", hi=200_000),
    ),
    key=("practice",),
    description="Registered patients by practice, 1 December 2025.",
)

PRACTICE_AGE = TableSpec(
    "practice_age",
    (
        _s("practice", "GP practice code"),
        _s(
            "age_band",
            "five-year age band (90-94 and 95+ summed into 90+)",
            allowed=frozenset(T.AGE_BANDS),
        ),
        _i("patients", "people", "registered patients, female + male, 1 December 2025", hi=50_000),
    ),
    key=("practice", "age_band"),
    description="Registered patients by practice and age band (persons), 1 December 2025; "
    "sums to list_size for every practice.",
)

PROJECTION = TableSpec(
    "projection",
    (
        _s(
            "area",
            "sub-ICB location code (ODS, as in the December 2025 map) or E92000001 for England",
        ),
        Column("year", "int", min=2022, max=2047, description="mid-year"),
        _s("age_band", "age band", allowed=frozenset(T.AGE_BANDS)),
        _i(
            "population",
            "people",
            "projected residents, persons, ONS 2022-based projection (migration-category variant)",
            hi=1e8,
        ),
    ),
    key=("area", "year", "age_band"),
    description="Projected residents by sub-ICB location (and England), year and age band, "
    "2022-2047 (ONS 2022-based, migration-category variant, 2023 sub-ICB boundaries).",
)

WORKFORCE = TableSpec(
    "workforce",
    (
        _s("practice", "GP practice code"),
        _s("year", "financial year", allowed=FY),
        _f("patients", "people", "mean registered patients over the months of the year", hi=2e5),
        _f(
            "gp_fte",
            "FTE",
            "GPs excluding locums and trainees (mean of monthly FTE)",
            hi=200,
            nullable=True,
        ),
        _f(
            "gp_hc",
            "people",
            "GPs excluding locums and trainees, headcount (mean)",
            hi=400,
            nullable=True,
        ),
        _f(
            "gp_locum_trainee_fte", "FTE", "locum and trainee GPs (mean FTE)", hi=200, nullable=True
        ),
        _f(
            "nurse_fte",
            "FTE",
            "nurses (practice nurses, advanced nurse practitioners, nurse "
            "specialists...) (mean FTE)",
            hi=200,
            nullable=True,
        ),
        _f("nurse_hc", "people", "nurses, headcount (mean)", hi=400, nullable=True),
        _f(
            "dpc_fte",
            "FTE",
            "practice-employed direct patient care staff (HCAs, phlebotomists, "
            "pharmacists, ...) (mean FTE)",
            hi=200,
            nullable=True,
        ),
        _f("dpc_hc", "people", "direct patient care, headcount (mean)", hi=400, nullable=True),
        _f("admin_fte", "FTE", "admin and non-clinical staff (mean FTE)", hi=500, nullable=True),
        _f(
            "admin_hc",
            "people",
            "admin and non-clinical staff, headcount (mean)",
            hi=800,
            nullable=True,
        ),
        _f(
            "gp_partner_fte",
            "FTE",
            "GP partners: senior + provisional partners (mean FTE); salaried and retainers = "
            "gp_fte - gp_partner_fte",
            hi=200,
            nullable=True,
        ),
    ),
    key=("practice", "year"),
    description="Practice-employed workforce in post by practice and financial year "
    "(means of monthly figures; 2024/25 is April-January). Empty cells: no figure published.",
)

PCN_ROLES = TableSpec(
    "pcn_roles",
    (
        _s("pcn", "primary care network code, November 2025 (as published)"),
        _s("sub_icb", "sub-ICB location code (ODS), as published"),
        _s("staff_group", "NWRS staff group, as published"),
        _s("staff_role", "NWRS staff role, as published"),
        _f("fte", "FTE", "full-time equivalent, 30 November 2025", hi=200),
        _i("headcount", "people", "distinct staff identifiers", hi=1000),
        _i("records", "records", "staff and contract records", hi=1000),
    ),
    key=("pcn", "staff_group", "staff_role"),
    description="Network-employed staff by network, staff group and role, November 2025 "
    "(every published group and role; no mapping to model roles).",
)

WORKFORCE_ROLES = TableSpec(
    "workforce_roles",
    (
        _s(
            "level",
            "england, region, icb, sub_icb or unknown (registrars not placed in a sub-ICB)",
            allowed=frozenset({"england", "region", "icb", "sub_icb", "unknown"}),
        ),
        _s("area", "area code (ODS; England, Unknown)"),
        _s(
            "staff_group",
            "gp, nurse, dpc (direct patient care) or admin",
            allowed=frozenset({"gp", "nurse", "dpc", "admin"}),
        ),
        _s("source_role", "published role column without its staff-group prefix"),
        _f("fte", "FTE", "practice-employed full-time equivalent, 31 October 2025", hi=1e5),
    ),
    key=("level", "area", "staff_group", "source_role"),
    description="Practice staff by detailed role, October 2025: England, regions, ICBs, "
    "sub-ICBs and the Unknown row (the 'All ...' totals left out; the roles sum to them).",
)

QOF_PRACTICE = TableSpec(
    "qof_practice",
    (
        _s("practice", "GP practice code (as published; some closed since)"),
        _s("condition", "QOF register group code"),
        _s("list_type", "PATIENT_LIST_TYPE: the denominator (TOTAL, 17OV, 18OV, 06OV...)"),
        _i(
            "register_2425",
            "people",
            "patients on the register, QOF 2024/25",
            hi=1e5,
            nullable=True,
        ),
        _i(
            "list_2425",
            "people",
            "list of the register's list type, QOF 2024/25",
            hi=2e5,
            nullable=True,
        ),
        _i(
            "register_2223",
            "people",
            "patients on the register, QOF 2022/23",
            hi=1e5,
            nullable=True,
        ),
        _i(
            "list_2223",
            "people",
            "list of the register's list type, QOF 2022/23",
            hi=2e5,
            nullable=True,
        ),
    ),
    key=("practice", "condition"),
    description="QOF registers and denominators per practice, 2024/25 and 2022/23 "
    "(13 registers; empty where a practice lacks the year).",
)

APPOINTMENTS = TableSpec(
    "appointments",
    (
        _s("practice", "GP practice code"),
        _i("list_size", "people", "registered patients (the file's list size)", hi=2e5),
        _i("total", "appointments", "appointments in November 2025", hi=1e6),
        _i("gp", "appointments", "with a GP (table 5)", hi=1e6),
        _i("other_staff", "appointments", "with other practice staff (table 5)", hi=1e6),
        _i("unknown_staff", "appointments", "staff type unknown (table 5)", hi=1e6),
        _i("same_day", "appointments", "booked and held the same day, all staff", hi=1e6),
        _i("days_1", "appointments", "1 day from booking", hi=1e6),
        _i("days_2_7", "appointments", "2 to 7 days", hi=1e6),
        _i("days_8_14", "appointments", "8 to 14 days", hi=1e6),
        _i("days_15_21", "appointments", "15 to 21 days", hi=1e6),
        _i("days_22_28", "appointments", "22 to 28 days", hi=1e6),
        _i("days_29_plus", "appointments", "more than 28 days", hi=1e6),
        _i("unknown", "appointments", "booking time unknown or data-quality issue", hi=1e6),
        _i("same_day_gp", "appointments", "same day, GP (table 2b)", hi=1e6),
        _i(
            "same_day_other", "appointments", "same day, other staff and unknown (table 2c)", hi=1e6
        ),
        _i("face_to_face", "appointments", "mode face to face (table 4)", hi=1e6),
        _i("home_visit", "appointments", "mode home visit", hi=1e6),
        _i("telephone", "appointments", "mode telephone", hi=1e6),
        _i("video_online", "appointments", "mode video / online", hi=1e6),
        _i("mode_unknown", "appointments", "mode unknown", hi=1e6),
    ),
    key=("practice",),
    description="Appointments by practice, November 2025: staff type, time from booking "
    "(all staff; same day by GP and other staff) and mode.",
)

APPOINTMENT_CATEGORIES = TableSpec(
    "appointment_categories",
    (
        _s("category", "national appointment category (unmapped and inconsistent_mapping kept)"),
        _s(
            "staff_type",
            "gp, or other (other practice staff and unknown)",
            allowed=frozenset({"gp", "other"}),
        ),
        _i("appointments", "appointments", "England, November 2025, summed over practices", hi=1e8),
    ),
    key=("category", "staff_type"),
    description="Appointments in England by national category and staff type, November 2025.",
)

APPOINTMENTS_MONTHLY = TableSpec(
    "appointments_monthly",
    (
        _s("sub_icb", "sub-ICB location code (ODS)"),
        _s("month", "appointment month, YYYY-MM (May 2023 to November 2025)"),
        _s(
            "staff_type",
            "gp, other (other practice staff) or unknown",
            allowed=frozenset({"gp", "other", "unknown"}),
        ),
        _i("appointments", "appointments", "appointments, all modes and statuses", hi=1e7),
    ),
    key=("sub_icb", "month", "staff_type"),
    description="Appointments by sub-ICB, month and staff type, May 2023 - November 2025.",
)

ROLES = TableSpec(
    "roles",
    (
        _s("role", "wfkit role id", allowed=frozenset(ROLE_IDS)),
        _s("label", "role name"),
        _s("staff_group", "NHS workforce staff group"),
        _s("pay_basis", "Agenda for Change band or contract the pay assumption uses"),
        _s(
            "practice_source",
            "column of the practice workforce table counted for this role",
            nullable=True,
        ),
        _s(
            "pcn_source",
            "NWRS STAFF_ROLE values (PCN file) counted for this role, ';'-separated",
            nullable=True,
        ),
        _s("notes", "what is and is not separable", nullable=True),
    ),
    key=("role",),
    description="The 15 roles of the model and how each maps to the workforce sources.",
)

ACTIVITY_USE_CASES = TableSpec(
    "activity_use_cases",
    (
        _s("activity", "activity id"),
        _s(
            "use_case",
            "use case the activity belongs to",
            allowed=frozenset({"same_day", "routine", "type2_diabetes", "nursing", "frailty"}),
        ),
        _s(
            "replaced_by",
            "for single-condition reviews: the whole-person activity that replaces "
            "them in the frailty model",
            nullable=True,
        ),
    ),
    key=("activity", "use_case"),
    description="Which use case each activity belongs to.",
)

CONDITION_MAP = TableSpec(
    "condition_activities",
    (
        _s("condition", "QOF register group code"),
        _s("activity", "activity whose cohort is the people on that register"),
        _f(
            "register_share",
            "fraction",
            "share of the register in the activity's cohort (type 2 diabetes: about 0.9 of "
            "the diabetes register)",
            hi=1,
        ),
        _s("source", "citation"),
    ),
    key=("condition", "activity"),
    description="Which local QOF register scales which activity's national prevalence "
    "(indirect standardisation, see wfkit.data.prevalence).",
)

PAY_POINTS = TableSpec(
    "afc_pay",
    (
        _s("year", "pay year", allowed=frozenset({"2023/24", "2024/25", "2025/26"})),
        _s("band", "Agenda for Change band"),
        _s("pay_point", "entry, intermediate or top"),
        _i("min_years_in_band", "years", "years in the band to reach the point", hi=10),
        _i("annual_gbp", "GBP per year", "full-time basic pay", lo=10_000, hi=200_000),
        _s(
            "status",
            "published, or derived (2023/24 x 1.055 where 2024/25 was not transcribed)",
            allowed=frozenset({"published", "derived"}),
        ),
        _s("source_id", "transcription source (see the raw SOURCE.md)"),
    ),
    key=("year", "band", "pay_point"),
    description="Agenda for Change pay points, England.",
)

#: a user's own practice list (same shape as list_size, with an optional name column)
PRACTICE_LIST = TableSpec(
    "practice list",
    (
        _s("practice", "GP practice code (must be in the bundled areas table)"),
        _f("patients", "people", "registered patients", hi=200_000),
        _s("practice_name", "practice name", required=False, nullable=True),
    ),
    key=("practice",),
    description="A user's own practice list.",
)

#: a user's own workforce extract (practice by role)
WORKFORCE_EXTRACT = TableSpec(
    "workforce extract",
    (
        _s("practice", "GP practice code (must be in the bundled areas table)"),
        _s("role", "wfkit role id", allowed=frozenset(ROLE_IDS)),
        _f("fte", "FTE", "full-time equivalent in post", hi=200),
        Column(
            "headcount",
            "float",
            required=False,
            nullable=True,
            min=0,
            max=400,
            unit="people",
            description="headcount",
        ),
    ),
    key=("practice", "role"),
    description="A user's own workforce extract: FTE by practice and role.",
)

# ----------------------------------------------------------------------------------------
# the supply definition and the appointments map (hand-written; wfkit.data.staff,
# wfkit.scenario.calibration)
# ----------------------------------------------------------------------------------------
STAFF_ROLES = TableSpec(
    "staff_roles",
    (
        _s(
            "source",
            "who employs the staff: practice (GP workforce statistics) or network (PCN "
            "workforce statistics)",
            allowed=frozenset({"practice", "network"}),
        ),
        _s("staff_group", "published staff group (practice: gp, nurse, dpc, admin)"),
        _s("source_role", "published detailed role, as in the source"),
        _s(
            "role",
            "wfkit role id the staff count under; empty: in post, not modelled",
            nullable=True,
            allowed=frozenset(ROLE_IDS),
        ),
        _f(
            "capacity_factor",
            "fraction",
            "share of one FTE's time that counts as capacity of the model role",
            hi=1,
        ),
        _f("lo", "fraction", "low end of an 80% interval for capacity_factor", nullable=True, hi=1),
        _f(
            "hi", "fraction", "high end of an 80% interval for capacity_factor", nullable=True, hi=1
        ),
        _s("citation", "source of the capacity factor"),
        _s("notes", "why a role is or is not modelled", nullable=True),
    ),
    key=("source", "staff_group", "source_role"),
    description="Every published staff role in post mapped to a wfkit role (or to none: in "
    "post, not modelled), with the share of its time that counts as capacity.",
)

APPOINTMENT_MAP = TableSpec(
    "appointment_map",
    (
        _s("activity", "activity id"),
        _f(
            "appointment_weight",
            "appointments per contact",
            "appointments a contact of this activity is recorded as in GP appointments data "
            "(0: not an appointment, e.g. admin work or a care process done inside another "
            "appointment)",
            hi=1,
        ),
        _s(
            "driver",
            "clinical (a clinical contact: set by local appointments), appointments (a "
            "workload per appointment booked: follows the area's appointments) or "
            "population (neither)",
            allowed=frozenset({"clinical", "appointments", "population"}),
        ),
        _s(
            "national_category",
            "GP appointments national category the activity falls in (empty: none)",
            nullable=True,
        ),
        _s("source", "citation or wfkit judgement"),
    ),
    key=("activity",),
    description="How each activity shows in GP appointments data: used by local "
    "calibration and the appointments back-test.",
)


WEIGHTED_LIST = TableSpec(
    "weighted_list",
    (
        _s("practice", "GP practice code (practices of the December 2025 map)"),
        _f(
            "registered",
            "people",
            "registered patients, last known figure of 2022/23 (a quarter's count)",
            hi=2e5,
        ),
        _f(
            "weighted",
            "people",
            "Global Sum (Carr-Hill) weighted patients, last known figure of 2022/23: the list "
            "adjusted for age and sex, additional needs, list turnover, market forces and rurality",
            hi=2e5,
        ),
    ),
    key=("practice",),
    description="Registered and Carr-Hill weighted patients by practice, 2022/23: weighted / "
    "registered is the official workload-need index (England 1.00).",
)

PRACTICE_IMD = TableSpec(
    "practice_imd",
    (
        _s("practice", "GP practice code (practices of the December 2025 map)"),
        _f(
            "imd_2019",
            "score",
            "Index of Multiple Deprivation 2019 score of the practice's registered population "
            "(higher = more deprived)",
            hi=100,
        ),
    ),
    key=("practice",),
    description="Deprivation (IMD 2019 score) of each practice's registered population.",
)

ONLINE_PRACTICE = TableSpec(
    "online_practice",
    (
        _s("practice", "GP practice code"),
        _i("patients", "people", "registered patients as the publisher counts them", hi=2e5),
        _i("participation", "flag", "1 if the practice takes part in the collection", hi=1),
        _i("online_total", "requests", "online consultation submissions, November 2025", hi=1e6),
        _i("online_clinical", "requests", "clinical submissions", hi=1e6),
        _i("online_admin", "requests", "administrative submissions", hi=1e6),
        _i("online_other", "requests", "other or unknown type submissions", hi=1e6),
    ),
    key=("practice",),
    description="Online consultation submissions by practice and type, November 2025.",
)

_PHONE_BANDS = {"lt1": "under 1 minute", "1_2": "1-2 minutes", "2_5": "2-5 minutes",
                "gt5": "over 5 minutes"}  # fmt: skip
TELEPHONY_PRACTICE = TableSpec(
    "telephony_practice",
    (
        _s("area", "GP practice code; for accounts not assigned to a practice, the area"),
        _s(
            "area_level",
            "practice, or the smallest area an unassigned account was mapped to",
            allowed=frozenset({"practice", "pcn", "sub_icb", "icb", "region", "england"}),
        ),
        _i("calls", "calls", "inbound calls, November 2025", hi=1e7),
        _i("answered", "calls", "answered", hi=1e7),
        _i("ivr_ended", "calls", "ended during the IVR stage", hi=1e7),
        _i("callback_requested", "calls", "call back requested", hi=1e7),
        _i("missed", "calls", "missed: the caller hung up before an answer", hi=1e7),
        _i("callback_made", "calls", "call backs made", hi=1e7),
        *(
            _i(f"answered_wait_{k}", "calls", f"answered after a wait of {v}", hi=1e7)
            for k, v in _PHONE_BANDS.items()
        ),
        *(
            _i(f"duration_{k}", "calls", f"answered calls lasting {v}", hi=1e7)
            for k, v in _PHONE_BANDS.items()
        ),
        *(
            _i(f"missed_wait_{k}", "calls", f"missed after the caller waited {v}", hi=1e7)
            for k, v in _PHONE_BANDS.items()
        ),
    ),
    key=("area", "area_level"),
    description="Cloud telephony calls by practice, November 2025: outcomes, time to answer, "
    "call duration and how long missed callers waited.",
)

ARRIVAL_PROFILE = TableSpec(
    "arrival_profile",
    (
        _s("channel", "telephone or online", allowed=frozenset({"telephone", "online"})),
        _s(
            "weekday",
            "day of the week",
            allowed=frozenset(
                {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
            ),
        ),
        _s("band", "time band as published, e.g. 08:00 - 09:59"),
        _f("start_hour", "hours", "start of the band, hours after midnight", hi=24),
        _f("end_hour", "hours", "end of the band, hours after midnight", hi=24),
        _i("days", "days", "days of this weekday in November 2025", lo=1, hi=5),
        _f("requests", "requests", "requests in this band over those days, England", hi=1e8),
        _f("requests_per_day", "requests", "average requests in this band on such a day", hi=1e8),
    ),
    key=("channel", "weekday", "band"),
    description="England's calls and online submissions by weekday and time band, November 2025.",
)
