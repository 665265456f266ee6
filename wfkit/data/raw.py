"""The raw published files ``wfkit data build`` reads, and reading them strictly.

:data:`RAW_FILES` names each file relative to the sources folder
(:func:`wfkit.data.paths.sources_dir`); :func:`read_raw` reads one as text columns and
:func:`raw_int` turns a published count into whole numbers, refusing anything else.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError

__all__ = ["RAW_FILES", "APPOINTMENTS_PREFIX", "read_raw", "raw_int"]

APPOINTMENTS_PREFIX = (
    "appointments-practice-breakdown-2025-11/GPAD_Annex1_Practice_Level_Breakdown_Nov2025_table_"
)
#: the raw files the build reads, relative to the sources folder
RAW_FILES: dict[str, str] = {
    "map": "gp-practice-map-2025-2026/gp-reg-pat-prac-map_2025-12.csv",
    "map_2026": "gp-practice-map-2025-2026/gp-reg-pat-prac-map_2026-07.csv",
    "age": "gp-registered-age-practice-2025-2026/gp-reg-pat-prac-quin-age_2025-12_all-levels.csv.gz",
    "age_2025": "gp-registered-age-practice-2025-2026/"
    "gp-reg-pat-prac-quin-age_2025-03_to_2025-12_practice_wide.csv.gz",
    "qof_2425": "qof-prevalence-practice-2022-23-2024-25/PREVALENCE_2425.csv",
    "qof_2223": "qof-prevalence-practice-2022-23-2024-25/PREVALENCE_2223.csv",
    "snpp": "snpp-2022-based-subicb/snpp2022_migcat_subicb_icb_region_5yr_wide.csv",
    "pcn": "pcn-workforce-individual-2025-11-2026-06/pcn_staff_role_fte_headcount_Nov2025.csv",
    "workforce": "gp-workforce-practice-annual-fy2023-fy2025/workforce_year.csv",
    "roles": "gp-workforce-roles-subicb-2025-10/table6a_role_fte_oct2025.csv",
    "roles_series": "gp-workforce-roles-subicb-2025-10/table1a_national_role_fte_2015-09_2025-10.csv",
    "pcn_2022": "pcn-workforce-individual-2022-09/"
    "Primary_Care_Networks-September_2022-Individual_Level.csv",
    "pcn_2026": "pcn-workforce-individual-2025-11-2026-06/pcn_staff_role_fte_headcount_Jun2026.csv",
    **{
        f"appt_{t}": f"{APPOINTMENTS_PREFIX}{t}.csv"
        for t in ("1", "2a", "2b", "2c", "3b", "3c", "4", "5")
    },
    "appt_monthly": "appointments-subicb-2023-05-2025-11/subicb_month_hcp_mode.csv",
    "afc": "afc-pay-scales-england/afc_pay_points.csv",
    "payments": "gp-payments-practice-2022-23/nhs-payments-general-practice-2022-23.csv",
    "imd": "practice-imd-fingertips-2010-2019/practice-imd-fingertips-93553.csv",
    "online": "online-consultations-practice-2025-11/"
    "submissions-via-online-consultation-systems-2025-11.xlsx",
    "telephony": "cloud-telephony-practice-2025-11/cloud-based-telephony-summary-2025-11.xlsx",
}


def read_raw(src: Path, key: str, encoding: str = "utf-8") -> pd.DataFrame:
    """Read the raw file ``RAW_FILES[key]`` below ``src`` as text columns (empty and NA missing)."""
    path = src / RAW_FILES[key]
    if not path.exists():
        raise InputError(
            "raw file not found; run 'wfkit data update' or pass --source", source=str(path)
        )
    try:
        return pd.read_csv(
            path, dtype=str, encoding=encoding, keep_default_na=False, na_values=["", "NA"]
        )
    except UnicodeDecodeError as exc:
        raise InputError(
            f"cannot be read as {encoding} (byte {exc.start})", source=str(path)
        ) from None


def raw_int(s: pd.Series, key: str, column: str) -> pd.Series:
    """Whole numbers published as text (``"12"`` or ``"12.0"``) as int64; anything else raises."""
    x = pd.to_numeric(s)
    if x.isna().any() or (x != np.round(x)).any():
        raise InputError("expected whole numbers", source=RAW_FILES[key], column=column)
    return x.astype(np.int64)
