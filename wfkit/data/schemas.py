"""Schemas and provenance of every table bundled in ``data/``.

Each bundled table has a :class:`~wfkit.validation.TableSpec` (columns, types, units, ranges,
unique key) and a :class:`TableInfo` (file, period, publisher, licence, original file, how it
was derived).  The data dictionaries in ``data/dictionary/`` and ``data/provenance.csv`` are
written from these by ``wfkit data build``, so code and documentation cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import tables as T
from ..validation import Column, TableSpec

__all__ = ["TableInfo", "TABLES", "ROLE_IDS", "LEVELS", "PRACTICE_LIST", "WORKFORCE_EXTRACT"]

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
#: area levels, smallest first
LEVELS: tuple[str, ...] = ("practice", "pcn", "sub_icb", "icb", "region")

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

OGL = "Open Government Licence v3.0"
OPL = "Open Parliament Licence v3.0"
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


@dataclass(frozen=True)
class TableInfo:
    """Where a bundled table lives and where it came from."""

    name: str
    file: str
    spec: TableSpec
    period: str
    publisher: str
    licence: str
    original_file: str
    derived: str
    refresh: str
    built: bool = True  # written by ``wfkit data build``; False for hand-written assumptions


AREAS = TableSpec(
    "areas",
    (
        _s("practice", "GP practice code (ODS)"),
        _s(
            "practice_name",
            "practice name (April 2025 appointments file; empty if absent)",
            nullable=True,
        ),
        _s("postcode", "practice postcode"),
        _s(
            "pcn",
            "primary care network code, April 2025; U_<sub_icb> when the practice is "
            "in no network or not in the April 2025 file",
        ),
        _s("pcn_name", "network name"),
        _s("sub_icb", "sub-ICB location code (ODS)"),
        _s("sub_icb_ons", "sub-ICB location code (ONS, E38...)"),
        _s("sub_icb_name", "sub-ICB location name"),
        _s("icb", "integrated care board code (ODS, Q..)"),
        _s("icb_ons", "integrated care board code (ONS, E54...)"),
        _s("icb_name", "integrated care board name"),
        _s("region", "NHS England commissioning region code (Y..)"),
        _s("region_name", "NHS England commissioning region name"),
    ),
    key=("practice",),
    description="Practice -> primary care network -> sub-ICB -> ICB -> region, with names and codes.",
)

LIST_SIZE = TableSpec(
    "list_size",
    (
        _s("practice", "GP practice code"),
        _i("patients", "people", "registered patients, all ages, 1 May 2025", hi=200_000),
    ),
    key=("practice",),
    description="Registered patients by practice, May 2025.",
)

LOCAL_AUTHORITIES = TableSpec(
    "local_authorities",
    (
        _s("la", "local authority code, April 2023 boundaries"),
        _s("la_name", "local authority name"),
        _s("icb_ons", "ICB (ONS code) the authority belongs to"),
        _s("icb", "ICB (ODS code)"),
        _s(
            "predecessors",
            "older codes merged into this authority (census 2021, QOF 2019/20)",
            nullable=True,
        ),
    ),
    key=("la",),
    description="Local authorities (England, April 2023) and the ICB each belongs to.",
)

CENSUS_AGE = TableSpec(
    "census_age",
    (
        _s("la", "local authority code, April 2023 boundaries (pre-2023 districts summed)"),
        _s(
            "age_band",
            "five-year age band; the census 85+ band is split into 85-89 and 90+",
            allowed=frozenset(T.AGE_BANDS),
        ),
        _f(
            "residents",
            "people",
            "usual residents, Census 2021 (85-89/90+ split by SNPP 2021 "
            "shares of the ICB, so not a whole number)",
            hi=2e6,
        ),
    ),
    key=("la", "age_band"),
    description="Usual residents by local authority and age band, Census 2021.",
)

AGE_PROFILE = TableSpec(
    "age_profile",
    (
        _s("icb", "ICB (ODS code)"),
        _s("age_band", "age band", allowed=frozenset(T.AGE_BANDS)),
        _f("share", "fraction", "share of the ICB's Census 2021 residents in the band", hi=1),
    ),
    key=("icb", "age_band"),
    description="Age profile applied to registered lists: Census 2021 residents of each ICB's "
    "local authorities, by age band, as shares summing to 1.",
)

PROJECTION = TableSpec(
    "projection",
    (
        _s("area", "ICB (ODS code) or E92000001 for England"),
        Column("year", "int", min=2018, max=2043, description="mid-year"),
        _s("age_band", "age band", allowed=frozenset(T.AGE_BANDS)),
        _i(
            "population",
            "people",
            "projected residents, ONS 2018-based principal projection",
            hi=1e8,
        ),
    ),
    key=("area", "year", "age_band"),
    description="Projected residents by ICB (and England), year and age band, 2018-2043.",
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
    ),
    key=("practice", "year"),
    description="Practice-employed workforce in post by practice and financial year "
    "(means of monthly figures; 2024/25 is April-January). Empty cells: no figure published.",
)

PCN_ROLES = TableSpec(
    "pcn_roles",
    (
        _s("pcn", "primary care network code, September 2022"),
        _s("pcn_name", "network name"),
        _s("sub_icb", "sub-ICB location code (ODS)"),
        _s("icb", "ICB (ODS code)"),
        _s("region", "region code"),
        _s("region_name", "region name"),
        _s("staff_group", "NWRS staff group"),
        _s("staff_role", "NWRS staff role as published"),
        _s(
            "role",
            "wfkit role id, empty when the staff role maps to none of the 15 roles",
            nullable=True,
            allowed=frozenset(ROLE_IDS),
        ),
        _f("fte", "FTE", "full-time equivalent, 30 September 2022", hi=100),
        _i("records", "records", "staff and contract records", hi=1000),
    ),
    key=("pcn", "staff_role"),
    description="Network-employed staff (mostly ARRS roles) by network and role, 30 September 2022.",
)

PREVALENCE_LA = TableSpec(
    "prevalence_la",
    (
        _s("la", "local authority code, April 2023 boundaries (older districts summed)"),
        _s("condition", "QOF register group code (DM diabetes 17+, HYP, AST, COPD, ...)"),
        _f("register", "people", "modelled patients on the register living in the area", hi=2e6),
        _f("list", "people", "modelled age-appropriate registered list (e.g. 17+ for DM)", hi=2e7),
        _f("prevalence", "fraction", "register / list", hi=1),
    ),
    key=("la", "condition"),
    description="QOF 2019/20 prevalence apportioned to local authorities (modelled estimates).",
)

PREVALENCE_PCN = TableSpec(
    "prevalence_pcn",
    (
        _s("pcn", "primary care network code (2022/23)"),
        _s("condition", "QOF register group code (DM diabetes 17+, HYP, AST, COPD, ...)"),
        _i("patients", "people", "registered patients of the network, October 2022", hi=1e6),
        _f("prevalence", "fraction", "QOF 2021/22 register / QOF age-appropriate list", hi=1),
    ),
    key=("pcn", "condition"),
    description="QOF 2021/22 prevalence by primary care network (21 registers).",
)

APPOINTMENTS = TableSpec(
    "appointments",
    (
        _s("practice", "GP practice code"),
        _s("month", "appointment month", allowed=frozenset({"2025-04"})),
        _i("same_day", "appointments", "booked and held the same day", hi=1e6),
        _i("days_1", "appointments", "1 day from booking", hi=1e6),
        _i("days_2_7", "appointments", "2 to 7 days", hi=1e6),
        _i("days_8_14", "appointments", "8 to 14 days", hi=1e6),
        _i("days_15_21", "appointments", "15 to 21 days", hi=1e6),
        _i("days_22_28", "appointments", "22 to 28 days", hi=1e6),
        _i("days_29_plus", "appointments", "more than 28 days", hi=1e6),
        _i("unknown", "appointments", "unknown or data-quality issue", hi=1e6),
    ),
    key=("practice",),
    description="Appointments by practice and time from booking to appointment, April 2025 "
    "(all staff types, modes and statuses).",
)

APPOINTMENTS_LONDON = TableSpec(
    "appointments_london",
    (
        _s("icb", "London ICB (ODS code; the CCG of the file, same footprint)"),
        _s("month", "appointment month, YYYY-MM (March 2019 to August 2021)"),
        _s(
            "hcp_type",
            "staff type: gp, other (other practice staff) or unknown",
            allowed=frozenset({"gp", "other", "unknown"}),
        ),
        _s(
            "booking",
            "time from booking to appointment",
            allowed=frozenset({*LEAD_TIMES, "unknown"}),
        ),
        _i("appointments", "appointments", "appointments, all statuses and modes", hi=5e6),
    ),
    key=("icb", "month", "hcp_type", "booking"),
    description="London appointments by ICB, month, staff type (GP / other) and time from "
    "booking, March 2019 - August 2021 (includes the COVID-19 period).",
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

_ASSUMPTION = "wfkit assumptions, citations per row"

TABLES: dict[str, TableInfo] = {
    t.name: t
    for t in (
        TableInfo(
            "areas",
            "areas/areas.csv",
            AREAS,
            "May 2025 (practices), April 2025 (networks), September 2022 (ICB and region codes)",
            "NHS Digital (NHS England)",
            OGL,
            "gp_practices_may2025.csv; gp_wait_times.csv; Primary Care Networks - September "
            "2022 Individual Level.csv",
            "wfkit build: practices of the May 2025 list; network from the April 2025 "
            "appointments file; ICB and region from the September 2022 PCN file by sub-ICB "
            "(or by the ICB name in the sub-ICB name)",
            "wfkit data update, then wfkit data build",
        ),
        TableInfo(
            "list_size",
            "population/list_size.csv",
            LIST_SIZE,
            "1 May 2025",
            "NHS Digital (NHS England), Patients Registered at a GP Practice",
            OGL,
            "gp-reg-pat-prac-all.csv (copy: gp_practices_may2025.csv)",
            "none (copied)",
            "wfkit data update, then wfkit data build",
        ),
        TableInfo(
            "local_authorities",
            "population/local_authorities.csv",
            LOCAL_AUTHORITIES,
            "April 2023 boundaries",
            "ONS; NHS England (ICB boundaries)",
            OGL,
            "snpp2018_principal_5yr.csv (codes and names); wfkit/data/_la_icb.py",
            "wfkit: ICB membership written by hand and checked against the projection's "
            "ICB totals at every build",
            "edit wfkit/data/_la_icb.py",
        ),
        TableInfo(
            "census_age",
            "population/census_age.csv",
            CENSUS_AGE,
            "Census day 21 March 2021",
            "Office for National Statistics, Census 2021 TS007A",
            OGL,
            "census2021-ts007a-ltla.csv",
            "wfkit build: pre-2023 districts summed into 2023 authorities; 85+ split into "
            "85-89 and 90+ using the ICB's 2021 SNPP shares",
            "wfkit data build",
        ),
        TableInfo(
            "age_profile",
            "population/age_profile.csv",
            AGE_PROFILE,
            "Census 2021",
            "Office for National Statistics",
            OGL,
            "census2021-ts007a-ltla.csv",
            "wfkit build: census_age summed to ICB, as shares",
            "wfkit data build",
        ),
        TableInfo(
            "projection",
            "population/projection.csv",
            PROJECTION,
            "2018-2043 (2018-based)",
            "Office for National Statistics, 2018-based subnational population projections "
            "(principal); extract via The Strategy Unit aging_pop_web_app",
            OGL,
            "snpp2018_principal_5yr.csv",
            "extract by the data-sources maintainers from The "
            "Strategy Unit's per-area files (see its SOURCE.md); wfkit renames ICB codes",
            "wfkit data build",
        ),
        TableInfo(
            "workforce",
            "workforce/workforce_practice.csv",
            WORKFORCE,
            "financial years 2022/23, 2023/24, 2024/25 (April-January)",
            "NHS Digital (NHS England), General Practice Workforce; aggregated by the Health "
            "Equity Evidence Centre",
            OGL + " (HEEC aggregation not separately licensed)",
            "workforce_year.csv (HEEC data/workforce)",
            "HEEC: financial-year means of monthly practice-level figures, rounded to 0.1; "
            "wfkit renames columns and years",
            "wfkit data update, then wfkit data build",
        ),
        TableInfo(
            "pcn_roles",
            "workforce/pcn_roles.csv",
            PCN_ROLES,
            "30 September 2022",
            "NHS Digital (NHS England), General Practice Workforce: PCN individual level",
            OGL,
            "Primary Care Networks - September 2022 Individual Level.csv (Windows-1252)",
            "wfkit build: FTE and records summed by network and staff role; role mapped to "
            "wfkit role ids",
            "wfkit data update, then wfkit data build",
        ),
        TableInfo(
            "prevalence_la",
            "prevalence/prevalence_la.csv",
            PREVALENCE_LA,
            "QOF 2019/20, registrations April 2020",
            "House of Commons Library, from NHS Digital QOF and ONS data",
            OPL + "; " + OGL,
            "outputs/output_lad_prevalence.csv",
            "House of Commons Library: practice registers apportioned to areas (modelled); "
            "wfkit sums pre-2023 districts into 2023 authorities and drops Welsh areas",
            "wfkit data build",
        ),
        TableInfo(
            "appointments",
            "appointments/appointments_practice.csv",
            APPOINTMENTS,
            "April 2025",
            "NHS Digital (NHS England), Appointments in General Practice",
            OGL,
            "practice-level CSV, pivoted by time from booking (copy: gp_wait_times.csv)",
            "pivot by the Healthcare-Postcode-Lottery repository author; wfkit renames columns",
            "wfkit data update, then wfkit data build",
        ),
        TableInfo(
            "prevalence_pcn",
            "prevalence/prevalence_pcn.csv",
            PREVALENCE_PCN,
            "QOF 2021/22, registrations October 2022",
            "NHS Digital QOF 2021/22; aggregated to networks by Richard Blackwell "
            "(display_nearest_neighbour_data)",
            OGL + "; aggregation BSD 3-Clause (c) 2022 Richard Blackwell",
            "pcn_data_matrix.csv (QOF_PREV_* and POPN_PERSON columns)",
            "Richard Blackwell: practice QOF registers summed to networks; wfkit keeps the 21 "
            "prevalence columns in long form and drops the no-network row",
            "wfkit data update, then wfkit data build",
        ),
        TableInfo(
            "appointments_london",
            "appointments/appointments_london_hcp.csv",
            APPOINTMENTS_LONDON,
            "March 2019 - August 2021",
            "NHS Digital, Appointments in General Practice (regional CSV)",
            OGL,
            "Regional_CSV_<STP>.csv (five London files, via markagreen/remote_GP_consultations)",
            "wfkit build: summed over status and mode (and over predecessor CCGs before April "
            "2021), never deduplicated",
            "wfkit data build",
        ),
        TableInfo(
            "afc_pay",
            "assumptions/afc_pay.csv",
            PAY_POINTS,
            "2023/24 to 2025/26",
            "NHS Employers for the NHS Staff Council (hand transcription)",
            OGL + " (facts)",
            "afc_pay_points.csv",
            "wfkit build: 2024/25 bands 7-9 derived as 2023/24 x 1.055 rounded to the pound",
            "wfkit data build",
        ),
        TableInfo(
            "roles",
            "assumptions/roles.csv",
            ROLES,
            "2025",
            "wfkit",
            "MIT",
            "hand-written",
            "wfkit judgement on the role mapping",
            "edit the file",
            built=False,
        ),
        TableInfo(
            "activity_use_cases",
            "assumptions/activity_use_cases.csv",
            ACTIVITY_USE_CASES,
            "2025",
            "wfkit",
            "MIT",
            "hand-written",
            "wfkit judgement",
            "edit the file",
            built=False,
        ),
        TableInfo(
            "condition_activities",
            "assumptions/condition_activities.csv",
            CONDITION_MAP,
            "2025",
            "wfkit",
            "MIT",
            "hand-written",
            "wfkit judgement with citations",
            "edit the file",
            built=False,
        ),
    )
}

# the engine's assumption tables, in wfkit.tables formats
for _name in T.ASSUMPTION_TABLES:
    TABLES[_name] = TableInfo(
        _name,
        f"assumptions/{_name}.csv",
        T.SPECS[_name],
        "see each row",
        "see each row",
        "MIT (wfkit); cited figures belong to their publishers",
        "hand-written from the cited publications",
        _ASSUMPTION,
        "edit the file",
        built=False,
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
