"""The catalogue of bundled tables (:class:`TableInfo`, :data:`TABLES`).

Each table's file, schema, period, publisher, licence, original file and how it was
derived.

``wfkit data build`` writes ``data/provenance.csv`` and the data dictionaries from it; the
column schemas themselves are in :mod:`wfkit.data.schemas`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import tables as T
from ..validation import TableSpec
from .practice_staff import PRACTICE_STAFF, STAFF_TRANSFERS
from .schemas import (
    ACTIVITY_USE_CASES,
    APPOINTMENT_CATEGORIES,
    APPOINTMENT_MAP,
    APPOINTMENTS,
    APPOINTMENTS_MONTHLY,
    AREAS,
    AREAS_2026,
    ARRIVAL_PROFILE,
    CONDITION_MAP,
    LIST_SIZE,
    ONLINE_PRACTICE,
    PAY_POINTS,
    PCN_ROLES,
    PRACTICE_AGE,
    PRACTICE_IMD,
    PROJECTION,
    QOF_PRACTICE,
    ROLES,
    STAFF_ROLES,
    TELEPHONY_PRACTICE,
    WEIGHTED_LIST,
    WORKFORCE,
    WORKFORCE_ROLES,
)
from .trends import PCN_ROLES_2022, ROLE_TRENDS

__all__ = ["TableInfo", "TABLES", "OGL"]

OGL = "Open Government Licence v3.0"


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


_ASSUMPTION = "wfkit assumptions, citations per row"

TABLES: dict[str, TableInfo] = {
    t.name: t
    for t in (
        TableInfo(
            "areas",
            "areas/areas.csv",
            AREAS,
            "1 December 2025 (ICB vintage: the 42 ICBs before the 2026 mergers)",
            "NHS England (NHS Digital), Patients Registered at a GP Practice",
            OGL,
            "gp-reg-pat-prac-map.csv, extract 2025-12-01 (copy: gp-reg-pat-prac-map_2025-12.csv)",
            "wfkit build: one row per practice as published; PCN code U (unallocated) becomes "
            "U_<sub-ICB>; 'Integrated Care Board' in ICB names shortened to 'ICB'. ICB vintage: "
            "the 42 pre-2026-merger ICBs (areas_2026 has the 36 merged ICBs)",
            "wfkit data build (new extract: change RAW_FILES['map'])",
        ),
        TableInfo(
            "areas_2026",
            "areas/areas_2026.csv",
            AREAS_2026,
            "1 July 2026 (ICB vintage: the 36 ICBs after the 2026 mergers)",
            "NHS England (NHS Digital), Patients Registered at a GP Practice",
            OGL,
            "gp-reg-pat-prac-map.csv, extract 2026-07-01 (copy: gp-reg-pat-prac-map_2026-07.csv)",
            "wfkit build: as areas; an alternative map for users who need the merged ICBs "
            "(the other tables and the loaders use the December 2025 map)",
            "wfkit data build",
        ),
        TableInfo(
            "list_size",
            "population/list_size.csv",
            LIST_SIZE,
            "1 December 2025",
            "NHS England (NHS Digital), Patients Registered at a GP Practice",
            OGL,
            "gp-reg-pat-prac-quin-age.csv, extract 2025-12-01 (copy: "
            "gp-reg-pat-prac-quin-age_2025-12_all-levels.csv.gz)",
            "wfkit build: the practice (ORG_TYPE GP) rows, sex ALL, age ALL",
            "wfkit data build",
        ),
        TableInfo(
            "practice_age",
            "population/practice_age.csv",
            PRACTICE_AGE,
            "1 December 2025",
            "NHS England (NHS Digital), Patients Registered at a GP Practice",
            OGL,
            "gp-reg-pat-prac-quin-age.csv, extract 2025-12-01 (copy: "
            "gp-reg-pat-prac-quin-age_2025-12_all-levels.csv.gz)",
            "wfkit build: persons = FEMALE + MALE rows (the ALL row has no bands); 90-94 and "
            "95+ summed into 90+; checked to sum to list_size for every practice",
            "wfkit data build",
        ),
        TableInfo(
            "projection",
            "population/projection.csv",
            PROJECTION,
            "2022-2047 (2022-based; migration-category variant; 2023 sub-ICB boundaries)",
            "Office for National Statistics, 2022-based subnational population projections "
            "(migration category variant), table 3 (sub-ICB locations), published 24 June 2025",
            OGL,
            "popprojsicb5yrmigcat22based.xls, sheet Persons (copy: "
            "snpp2022_migcat_subicb_icb_region_5yr_wide.csv)",
            "wfkit build: persons, long form; ONS sub-ICB codes (E38) replaced by the ODS "
            "codes of the December 2025 map (all 106 match); region rows left out. "
            "Migration-category variant, 2023 sub-ICB boundaries",
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
            "wfkit renames columns and years; gp_partner_fte = TOTAL_GP_SEN_PTNR_FTE + "
            "TOTAL_GP_PTNR_PROV_FTE",
            "wfkit data update, then wfkit data build",
        ),
        TableInfo(
            "pcn_roles",
            "workforce/pcn_roles.csv",
            PCN_ROLES,
            "30 November 2025",
            "NHS England (NHS Digital), Primary Care Network Workforce, individual level",
            OGL,
            "Primary Care Networks - November 2025 Individual Level.csv, summed by the "
            "data-sources maintainers (copy: pcn_staff_role_fte_headcount_Nov2025.csv)",
            "summed per network, staff group and role (FTE, distinct staff, records) by the "
            "data-sources maintainers; wfkit keeps every group and role as published",
            "wfkit data build",
        ),
        TableInfo(
            "workforce_roles",
            "workforce/workforce_roles.csv",
            WORKFORCE_ROLES,
            "31 October 2025",
            "NHS England, General Practice Workforce bulletin tables, table 6a",
            OGL,
            "GPW Bulletin Tables - October 2025.xlsx, table 6a (copy: table6a_role_fte_oct2025.csv)",
            "wfkit build: long form; the staff-group prefix removed from each role; the "
            "'All ...' total columns left out after checking that the roles sum to them",
            "wfkit data build",
        ),
        TableInfo(
            "practice_staff",
            "workforce/practice_staff.csv",
            PRACTICE_STAFF,
            "31 October 2025 (lists 1 December 2025)",
            "NHS Digital (NHS England), General Practice Workforce (practice 2024/25 means, "
            "aggregated by HEEC; bulletin table 6a, October 2025); Patients Registered at a GP "
            "Practice (lists March-December 2025); NHS Payments to General Practice 2022/23",
            OGL + " (HEEC aggregation not separately licensed)",
            "workforce_year.csv, table6a_role_fte_oct2025.csv, "
            "gp-reg-pat-prac-quin-age (2025 extracts), nhs-payments-general-practice-2022-23.csv",
            "wfkit build: each practice's 2024/25 mean FTE by pool of roles, plus the staff of "
            "closed or merged practices (staff_transfers), scaled in each sub-ICB and pool to "
            "the published October 2025 total (registrars the publisher left unplaced shared "
            "by sub-ICB); practices with a list under 500, a list fallen below half the one "
            "their staff were counted for, or no staff figures flagged as unreliable bases",
            "wfkit data build",
        ),
        TableInfo(
            "staff_transfers",
            "workforce/staff_transfers.csv",
            STAFF_TRANSFERS,
            "2024/25 practices closed or merged by 1 December 2025",
            "NHS Digital (NHS England), General Practice Workforce; Patients Registered at a GP "
            "Practice; NHS Payments to General Practice 2022/23",
            OGL,
            "workforce_year.csv, gp-reg-pat-prac-map_2025-12.csv, gp-reg-pat-prac-quin-age "
            "(2025 extracts), nhs-payments-general-practice-2022-23.csv",
            "wfkit build: a closed practice's staff go to the practice of the December 2025 "
            "map at its postcode (2025 lists, else Payments 2022/23); otherwise to the "
            "practices of its sub-ICB (Payments 2022/23; its ICB where none) in proportion to "
            "their list growth from the 2024/25 mean to December 2025",
            "wfkit data build",
        ),
        TableInfo(
            "qof_practice",
            "prevalence/qof_practice.csv",
            QOF_PRACTICE,
            "QOF 2024/25 and 2022/23",
            "NHS England (NHS Digital), Quality and Outcomes Framework",
            OGL,
            "PREVALENCE_2425.csv, PREVALENCE_2223.csv (QOF raw data)",
            "wfkit build: 13 registers (DM, HYP, AST, COPD, CHD, MH, AF, CKD, DEM, HF, STIA, "
            "CAN, DEP) of both years side by side; no other change",
            "wfkit data build",
        ),
        TableInfo(
            "appointments",
            "appointments/appointments_practice.csv",
            APPOINTMENTS,
            "November 2025",
            "NHS England, Appointments in General Practice, Annex 1 practice level breakdown "
            "(official statistics in development)",
            OGL,
            "GPAD_Annex1_Practice_Level_Breakdown_Nov2025 tables 1, 2a, 2b, 2c, 4, 5",
            "wfkit build: one row per practice from six sheets, columns renamed; checked that "
            "staff type, booking time and mode each sum to the total. Table 2d (unverified) "
            "not used",
            "wfkit data build",
        ),
        TableInfo(
            "appointment_categories",
            "appointments/appointment_categories.csv",
            APPOINTMENT_CATEGORIES,
            "November 2025",
            "NHS England, Appointments in General Practice, Annex 1 practice level breakdown",
            OGL,
            "GPAD_Annex1_Practice_Level_Breakdown_Nov2025 tables 3b (GP), 3c (other staff)",
            "wfkit build: summed over practices; category ids shortened",
            "wfkit data build",
        ),
        TableInfo(
            "appointments_monthly",
            "appointments/appointments_monthly.csv",
            APPOINTMENTS_MONTHLY,
            "May 2023 - November 2025",
            "NHS England, Appointments in General Practice, regional CSV files",
            OGL,
            "Regional CSV (42 ICB files), summed by the data-sources maintainers (copy: "
            "subicb_month_hcp_mode.csv)",
            "wfkit build: summed over mode",
            "wfkit data build",
        ),
        TableInfo(
            "weighted_list",
            "need/weighted_list.csv",
            WEIGHTED_LIST,
            "2022/23 (last known quarter)",
            "NHS Digital, NHS Payments to General Practice, England, 2022-23 (official statistics)",
            OGL,
            "nhs-payments-general-practice-2022-23.csv (columns Number of Registered / Weighted "
            "Patients (Last Known Figure))",
            "wfkit build: practices of the December 2025 map with a registered list; the "
            "payment lines are not kept",
            "wfkit data build",
        ),
        TableInfo(
            "practice_imd",
            "need/practice_imd.csv",
            PRACTICE_IMD,
            "IMD 2019 (conditions of 2015-2017)",
            "OHID Fingertips indicator 93553, Deprivation score (IMD 2019)",
            OGL,
            "practice-imd-fingertips-93553.csv (Year 2019)",
            "wfkit build: the 2019 score of practices of the December 2025 map",
            "wfkit data build",
        ),
        TableInfo(
            "online_practice",
            "frontdoor/online_practice.csv",
            ONLINE_PRACTICE,
            "November 2025",
            "NHS England, Submissions via Online Consultation Systems in General Practice "
            "(official statistics in development)",
            OGL,
            "Submissions via OC Systems in General Practice - November 2025.xlsx, table 2 "
            "(copy: submissions-via-online-consultation-systems-2025-11.xlsx)",
            "wfkit build: one row per practice as published; types checked to sum to each "
            "practice's total and the practices to England's total of table 1",
            "wfkit data build (new month: change RAW_FILES['online'])",
        ),
        TableInfo(
            "telephony_practice",
            "frontdoor/telephony_practice.csv",
            TELEPHONY_PRACTICE,
            "November 2025",
            "NHS England, Cloud Based Telephony data in General Practice (official statistics "
            "in development)",
            OGL,
            "Cloud Based Telephony Publication Summary November 2025.xlsx, tables 3-5 "
            "(copy: cloud-based-telephony-summary-2025-11.xlsx)",
            "wfkit build: tables 3, 4 and 5 joined by account; accounts not assigned to a "
            "practice summed by the smallest area they were mapped to; every column checked "
            "against the national total row; one blank count read as 0 (build notes)",
            "wfkit data build (new month: change RAW_FILES['telephony'])",
        ),
        TableInfo(
            "arrival_profile",
            "frontdoor/arrival_profile.csv",
            ARRIVAL_PROFILE,
            "November 2025",
            "NHS England, Cloud Based Telephony data (table 2) and Submissions via Online "
            "Consultation Systems (table 3) in General Practice",
            OGL,
            "the two workbooks above",
            "wfkit build: calls summed over the days of each weekday (every day checked to sum "
            "to its total); online weekday averages times the weekdays in the month",
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

TABLES["flows"] = TableInfo(
    "flows",
    "assumptions/flows.csv",
    T.SPECS["flows"],
    "see each row (fitted on data to November 2025)",
    "see each row",
    "MIT (wfkit); cited figures belong to their publishers",
    "role_trends (NHS England, General Practice Workforce table 1a; Primary Care Network "
    "Workforce censuses)",
    "make flows (wfkit.data.trends.write_flows): each joiner rate is the role's stated "
    "leaver rate (judgement, kept from the file) plus its net change a year fitted to "
    "role_trends on months to November 2025, with an 80% range from the year-to-year "
    "variation (practice roles) or the regions' spread (network roles); every row says which",
    "make flows after wfkit data build (edit a leaver rate in the file, then make flows)",
    built=False,
)
TABLES["role_trends"] = TableInfo(
    "role_trends",
    "workforce/role_trends.csv",
    ROLE_TRENDS,
    "September 2015 - October 2025 (practice staff); September 2022, November 2025, June 2026 "
    "(network staff)",
    "NHS England (NHS Digital), General Practice Workforce bulletin tables (table 1a); Primary "
    "Care Network Workforce, individual level",
    OGL,
    "GPW Bulletin Tables - October 2025.xlsx, table 1a (copy: "
    "table1a_national_role_fte_2015-09_2025-10.csv); Primary Care Networks - September 2022 "
    "Individual Level.csv; pcn_staff_role_fte_headcount_Nov2025.csv and _Jun2026.csv",
    "wfkit build: published roles mapped to model roles by assumptions/staff_roles.csv at "
    "their capacity_factor and summed (England for practice staff; England and each region "
    "for network staff)",
    "wfkit data build",
)
TABLES["pcn_roles_2022"] = TableInfo(
    "pcn_roles_2022",
    "workforce/pcn_roles_2022.csv",
    PCN_ROLES_2022,
    "30 September 2022",
    "NHS England (NHS Digital), General Practice Workforce, 30 September 2022 (networks)",
    OGL,
    "Primary Care Networks - September 2022 Individual Level.csv (copy: "
    "Primary_Care_Networks-September_2022-Individual_Level.csv, cp1252)",
    "wfkit build: summed per network, staff group and role (FTE with negative records set "
    "to 0, distinct staff identifiers, records), as pcn_roles for November 2025",
    "wfkit data build",
)
TABLES["staff_roles"] = TableInfo(
    "staff_roles",
    "assumptions/staff_roles.csv",
    STAFF_ROLES,
    "October 2025 (practice roles), November 2025 (network roles)",
    "wfkit",
    "MIT (wfkit); cited figures belong to their publishers",
    "hand-written from the published role lists",
    "wfkit judgement on the role mapping; registrar capacity cited",
    "edit the file; add a row for every new published role",
    built=False,
)
TABLES["appointment_map"] = TableInfo(
    "appointment_map",
    "assumptions/appointment_map.csv",
    APPOINTMENT_MAP,
    "2025",
    "wfkit",
    "MIT (wfkit); cited figures belong to their publishers",
    "hand-written",
    "wfkit judgement with citations",
    "edit the file",
    built=False,
)
