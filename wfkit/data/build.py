"""Build the bundled tables in ``data/`` from the raw published files.

``wfkit data build [--source DIR] [--out DIR]`` runs :func:`build`.  The build is
deterministic (same raw files, same bytes out), and every row it cannot place is reported
in the returned notes rather than silently dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .. import tables as T
from ..errors import InputError
from ..validation import validate_table
from ._la_icb import ICB_LAS
from .paths import data_dir, sources_dir
from .schemas import TABLES

__all__ = ["RAW_FILES", "build", "write_docs", "PREDECESSORS", "STAFF_ROLE_MAP"]

#: the raw files the build reads, relative to the sources folder
RAW_FILES: dict[str, str] = {
    "practices": "gp-practice-2025-04-05/gp_practices_may2025.csv",
    "appointments": "gp-practice-2025-04-05/gp_wait_times.csv",
    "pcn": "pcn-workforce-individual-2022-09/"
    "Primary_Care_Networks-September_2022-Individual_Level.csv",
    "workforce": "gp-workforce-practice-annual-fy2023-fy2025/workforce_year.csv",
    "census": "census2021-ts007a-age/census2021-ts007a-ltla.csv",
    "snpp": "snpp-2018-principal-la-icb/snpp2018_principal_5yr.csv",
    "qof_la": "qof-prevalence-modelled-2019-20/output_lad_prevalence.csv",
    "afc": "afc-pay-scales-england/afc_pay_points.csv",
    "qof_pcn": "pcn-profile-qof-2021-22-blackwell/pcn_data_matrix.csv",
}
_LONDON = ("ELondonHCP", "NLondonPHC", "NWLondonHCP", "OurHealthierSELondon", "SWLondonHCP")
#: London appointments by staff type (five files, one per STP)
RAW_FILES.update(
    {f"london_{n}": f"appointments-hcp-mode-london-2019-2021/Regional_CSV_{n}.csv" for n in _LONDON}
)

#: April 2023 authorities and the older district codes they replaced
PREDECESSORS: dict[str, tuple[str, ...]] = {
    "E06000061": ("E07000150", "E07000152", "E07000153", "E07000156"),  # North Northamptonshire
    "E06000062": ("E07000151", "E07000154", "E07000155"),  # West Northamptonshire
    "E06000063": ("E07000026", "E07000028", "E07000029"),  # Cumberland
    "E06000064": ("E07000027", "E07000030", "E07000031"),  # Westmorland and Furness
    "E06000065": tuple(f"E07000{n}" for n in range(163, 170)),  # North Yorkshire
    "E06000066": ("E07000187", "E07000188", "E07000189", "E07000246"),  # Somerset
}
_OLD_TO_NEW = {old: new for new, olds in PREDECESSORS.items() for old in olds}

#: NWRS STAFF_ROLE (PCN file) -> wfkit role id; roles not listed map to none
STAFF_ROLE_MAP: dict[str, str] = {
    "Pharmacists": "pharmacist",
    "Advanced Pharmacist Practitioners": "pharmacist",
    "Pharmacy Technicians": "pharmacy_technician",
    "Physician Associates": "physician_associate",
    "Paramedics": "paramedic",
    "Advanced Paramedic Practitioners": "paramedic",
    "Physiotherapists": "physiotherapist",
    "Advanced Physiotherapist Practitioners": "physiotherapist",
    "Care Coordinators": "care_coordinator",
    "Social Prescribing Link Workers": "social_prescriber",
    "Health and Wellbeing Coaches": "health_coach",
    "Dieticians": "dietitian",
    "Advanced Dietician Practitioners": "dietitian",
    "Nursing Associates": "nursing_associate",
    "Trainee Nursing Associates": "nursing_associate",
    "Health Support Workers": "hca",
}

_CENSUS_BANDS = T.AGE_BANDS[:17] + ("85+",)
_SNPP_BANDS = [f"age_{a}_{a + 4}" for a in range(0, 90, 5)] + ["age_90_plus"]
#: published booking lead-time labels -> wfkit ids (LEAD_TIMES); the two appointments files
#: differ only in how they label the unknown band
_LEAD_TIME_LABELS = {
    "Same Day": "same_day",
    "1 Day": "days_1",
    "2 to 7 Days": "days_2_7",
    "8  to 14 Days": "days_8_14",
    "15  to 21 Days": "days_15_21",
    "22  to 28 Days": "days_22_28",
    "More than 28 Days": "days_29_plus",
}
_APPT_COLS = {**_LEAD_TIME_LABELS, "Unknown / Data Quality": "unknown"}
_FY = {"2023": "2022/23", "2024": "2023/24", "2025": "2024/25"}


def _read(src: Path, key: str, encoding: str = "utf-8") -> pd.DataFrame:
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


def _norm(name: str) -> str:
    n = re.sub(r"^nhs\s+", "", str(name).strip().lower())
    return re.sub(r"\s+icb$", "", n)


def _areas(src: Path, notes: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    pl = _read(src, "practices")
    wt = _read(src, "appointments")
    pc = _read(src, "pcn", encoding="cp1252")
    snpp = _read(src, "snpp")

    geo = (
        pc[
            [
                "SUB_ICB_CODE",
                "SUB_ICB_NAME",
                "ICB_CODE",
                "ICB_NAME",
                "COMM_REGION_CODE",
                "COMM_REGION_NAME",
            ]
        ]
        .drop_duplicates("SUB_ICB_CODE")
        .set_index("SUB_ICB_CODE")
    )
    icbs = pc[["ICB_CODE", "ICB_NAME", "COMM_REGION_CODE", "COMM_REGION_NAME"]].drop_duplicates(
        "ICB_CODE"
    )
    icb_by_name = {_norm(n): c for c, n in zip(icbs.ICB_CODE, icbs.ICB_NAME, strict=True)}
    icb_info = icbs.set_index("ICB_CODE")
    sub_names = wt.drop_duplicates("SUB_ICB_LOCATION_CODE").set_index("SUB_ICB_LOCATION_CODE")[
        "SUB_ICB_LOCATION_NAME"
    ]

    snpp_icb = snpp[snpp.area_type == "ICB"].drop_duplicates("area_code")
    ons_by_name = {_norm(n): c for c, n in zip(snpp_icb.area_code, snpp_icb.area_name, strict=True)}
    icb_ons = {}
    for code, name in zip(icbs.ICB_CODE, icbs.ICB_NAME, strict=True):
        if _norm(name) not in ons_by_name:
            raise InputError(
                f"ICB {code} {name!r} has no match in the projection file", source=RAW_FILES["snpp"]
            )
        icb_ons[code] = ons_by_name[_norm(name)]

    rows = []
    for sub in sorted(pl.SUB_ICB_LOCATION_CODE.unique()):
        if sub in geo.index:
            g = geo.loc[sub]
            rows.append((sub, g.SUB_ICB_NAME, g.ICB_CODE))
            continue
        name = sub_names.get(sub)
        icb = icb_by_name.get(_norm(str(name).rsplit(" - ", 1)[0])) if name else None
        if icb is None:
            raise InputError(
                f"sub-ICB location {sub} is in neither the PCN file nor the appointments file",
                source=RAW_FILES["practices"],
                column="SUB_ICB_LOCATION_CODE",
            )
        notes.append(
            f"areas: sub-ICB {sub} ({name}) is not in the September 2022 PCN file; "
            f"its ICB {icb} was taken from its name"
        )
        rows.append((sub, name, icb))
    subs = pd.DataFrame(rows, columns=["sub_icb", "sub_icb_name", "icb"])
    subs["icb_ons"] = subs.icb.map(icb_ons)
    subs["icb_name"] = subs.icb.map(icb_info.ICB_NAME)
    subs["region"] = subs.icb.map(icb_info.COMM_REGION_CODE)
    subs["region_name"] = subs.icb.map(icb_info.COMM_REGION_NAME)

    w = wt.set_index("GP_CODE")
    a = pd.DataFrame(
        {
            "practice": pl.CODE,
            "postcode": pl.POSTCODE,
            "sub_icb": pl.SUB_ICB_LOCATION_CODE,
            "sub_icb_ons": pl.ONS_SUB_ICB_LOCATION_CODE,
        }
    )
    a["practice_name"] = a.practice.map(w.GP_NAME)
    a["pcn"] = a.practice.map(w.PCN_CODE)
    a["pcn_name"] = a.practice.map(w.PCN_NAME)
    absent = a.pcn.isna()
    no_pcn = a.pcn.eq("U")
    notes.append(
        f"areas: {int(absent.sum())} practices of the May 2025 list are not in the "
        f"April 2025 appointments file and {int(no_pcn.sum())} are in no network; "
        "both are kept, in a network code U_<sub-ICB>"
    )
    u = absent | no_pcn
    a.loc[u, "pcn"] = "U_" + a.loc[u, "sub_icb"]
    a.loc[u, "pcn_name"] = "No network (" + a.loc[u, "sub_icb"] + ")"
    a = a.merge(subs, on="sub_icb", how="left", validate="many_to_one")
    cols = [c.name for c in TABLES["areas"].spec.columns]
    a = a[cols].sort_values("practice").reset_index(drop=True)

    ls = pd.DataFrame({"practice": pl.CODE, "patients": pl.NUMBER_OF_PATIENTS.astype(np.int64)})
    ls = ls.sort_values("practice").reset_index(drop=True)
    return a, ls, pc


def _local_authorities(src: Path, areas: pd.DataFrame, notes: list[str]):
    snpp = _read(src, "snpp")
    num = _SNPP_BANDS + ["all_ages"]
    snpp[num] = snpp[num].astype(np.int64)
    snpp["year"] = snpp.year.astype(int)
    las = snpp[snpp.area_type.isin(["UA", "LAD", "MD", "LB"])]
    la_names = las.drop_duplicates("area_code")[["area_code", "area_name"]]
    member = {n: icb for icb, names in ICB_LAS.items() for n in names}
    unknown = sorted(set(la_names.area_name) - set(member))
    if unknown:
        raise InputError(
            f"local authorities with no ICB in wfkit/data/_la_icb.py: {unknown}",
            source=RAW_FILES["snpp"],
            column="area_name",
        )
    ons_to_ods = areas.drop_duplicates("icb").set_index("icb_ons")["icb"]
    la = pd.DataFrame({"la": la_names.area_code, "la_name": la_names.area_name})
    la["icb_ons"] = la.la_name.map(member)
    la["icb"] = la.icb_ons.map(ons_to_ods)
    la["predecessors"] = la.la.map(lambda c: ";".join(PREDECESSORS.get(c, ())) or None)
    la = la.sort_values("la").reset_index(drop=True)
    # check: the ICB rows of the projection equal the sums of their authorities
    tot = las.assign(icb=las.area_name.map(member)).groupby(["icb", "year"]).all_ages.sum()
    icb_rows = snpp[snpp.area_type == "ICB"].set_index(["area_code", "year"]).all_ages
    diff = (tot - icb_rows).abs()
    if diff.isna().any() or diff.max() > 50:
        bad = diff.idxmax()
        raise InputError(
            f"ICB {bad[0]} in {bad[1]}: its local authorities sum to {tot[bad]}, "
            f"the file says {icb_rows[bad]}; fix wfkit/data/_la_icb.py",
            source=RAW_FILES["snpp"],
        )
    notes.append(
        f"local_authorities: ICB totals reproduced within {int(diff.max())} people "
        "in every year 2018-2043"
    )
    return la, snpp


def _census(src: Path, la: pd.DataFrame, snpp: pd.DataFrame, notes: list[str]):
    c = _read(src, "census")
    code = c["geography code"]
    wales = code.str.startswith("W")
    notes.append(f"census_age: {int(wales.sum())} Welsh authorities left out (England only)")
    c = c[~wales].copy()
    c["la"] = c["geography code"].map(lambda x: _OLD_TO_NEW.get(x, x))
    band_cols = [col for col in c.columns if col.startswith("Age: Aged")]
    if len(band_cols) != 18:
        raise InputError(
            f"expected 18 age-band columns, found {len(band_cols)}", source=RAW_FILES["census"]
        )
    c[band_cols] = c[band_cols].astype(np.int64)
    wide = c.groupby("la")[band_cols].sum()
    wide.columns = list(_CENSUS_BANDS)
    missing = sorted(set(la.la) - set(wide.index))
    extra = sorted(set(wide.index) - set(la.la))
    if missing or extra:
        raise InputError(
            f"census authorities do not match the 2023 list: missing {missing}, unknown {extra}",
            source=RAW_FILES["census"],
        )
    s21 = snpp[snpp.year == 2021].set_index("area_code")
    share90 = s21.age_90_plus / (s21.age_85_89 + s21.age_90_plus)
    wide["85-89"] = wide["85+"] * (1 - share90.reindex(wide.index))
    wide["90+"] = wide["85+"] * share90.reindex(wide.index)
    wide = wide.drop(columns="85+")[list(T.AGE_BANDS)]
    long = (
        wide.rename_axis("la").reset_index().melt("la", var_name="age_band", value_name="residents")
    )
    long["residents"] = long.residents.astype(float).round(2)
    long["age_band"] = pd.Categorical(long.age_band, categories=T.AGE_BANDS, ordered=True)
    long = long.sort_values(["la", "age_band"]).reset_index(drop=True)
    long["age_band"] = long.age_band.astype(str)
    prof = (
        long.merge(la[["la", "icb"]], on="la")
        .groupby(["icb", "age_band"], sort=False)["residents"]
        .sum()
        .reset_index()
    )
    prof["share"] = (prof.residents / prof.groupby("icb").residents.transform("sum")).round(8)
    prof["age_band"] = pd.Categorical(prof.age_band, categories=T.AGE_BANDS, ordered=True)
    prof = prof.sort_values(["icb", "age_band"]).reset_index(drop=True)
    prof["age_band"] = prof.age_band.astype(str)
    return long, prof[["icb", "age_band", "share"]]


def _projection(snpp: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    ons_to_ods = areas.drop_duplicates("icb").set_index("icb_ons")["icb"].to_dict()
    ons_to_ods["E92000001"] = "E92000001"
    p = snpp[snpp.area_code.isin(ons_to_ods)].copy()
    p["area"] = p.area_code.map(ons_to_ods)
    long = p.melt(["area", "year"], value_vars=_SNPP_BANDS, var_name="col", value_name="population")
    long["age_band"] = long.col.map(dict(zip(_SNPP_BANDS, T.AGE_BANDS, strict=True)))
    long["age_band"] = pd.Categorical(long.age_band, categories=T.AGE_BANDS, ordered=True)
    long = long.sort_values(["area", "year", "age_band"]).reset_index(drop=True)
    long["age_band"] = long.age_band.astype(str)
    return long[["area", "year", "age_band", "population"]]


def _workforce(src: Path, areas: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    w = _read(src, "workforce")
    ren = {
        "Practice.Code": "practice",
        "Year": "year",
        "TOTAL_PATIENTS": "patients",
        "TOTAL_GP_EXTGL_FTE": "gp_fte",
        "TOTAL_GP_EXTGL_HC": "gp_hc",
        "TOTAL_LOCUUM_TRN_FTE": "gp_locum_trainee_fte",
        "TOTAL_NURSES_FTE": "nurse_fte",
        "TOTAL_NURSES_HC": "nurse_hc",
        "TOTAL_DPC_FTE": "dpc_fte",
        "TOTAL_DPC_HC": "dpc_hc",
        "TOTAL_ADMIN_FTE": "admin_fte",
        "TOTAL_ADMIN_HC": "admin_hc",
    }
    w = w[list(ren)].rename(columns=ren)
    unknown_years = sorted(set(w.year) - set(_FY))
    if unknown_years:
        raise InputError(
            f"unexpected years {unknown_years}", source=RAW_FILES["workforce"], column="Year"
        )
    w["year"] = w.year.map(_FY)
    num = [c for c in w.columns if c not in ("practice", "year")]
    for c in num:
        w[c] = pd.to_numeric(w[c]).round(4)
    notes.append(
        "workforce: empty cells (no figure published) per column: "
        + ", ".join(f"{c} {int(w[c].isna().sum())}" for c in num if w[c].isna().any())
    )
    gone = ~w.practice.isin(set(areas.practice))
    last = gone & w.year.eq("2024/25")
    notes.append(
        f"workforce: {w.practice[gone].nunique()} practices are not in the May 2025 list "
        f"(closed or merged); their rows are kept but belong to no area (2024/25: "
        f"{int(last.sum())} practices, {w.gp_fte[last].sum():.1f} GP FTE)"
    )
    return w.sort_values(["practice", "year"]).reset_index(drop=True)


def _pcn_roles(pc: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    pc = pc.copy()
    pc["fte"] = pd.to_numeric(pc.FTE)
    neg = pc.fte < 0
    if neg.any():
        notes.append(
            f"pcn_roles: {int(neg.sum())} records with negative FTE in the source "
            f"(sum {pc.fte[neg].sum():.4f}) are kept in the sums as published"
        )
    keys = ["PCN_CODE", "STAFF_ROLE"]
    first = pc.groupby(keys, sort=True)[
        [
            "PCN_NAME",
            "SUB_ICB_CODE",
            "ICB_CODE",
            "COMM_REGION_CODE",
            "COMM_REGION_NAME",
            "STAFF_GROUP",
        ]
    ].first()
    agg = pc.groupby(keys, sort=True).agg(fte=("fte", "sum"), records=("fte", "size"))
    r = first.join(agg).reset_index()
    r.columns = [
        "pcn",
        "staff_role",
        "pcn_name",
        "sub_icb",
        "icb",
        "region",
        "region_name",
        "staff_group",
        "fte",
        "records",
    ]
    r["fte"] = r.fte.round(4)
    low = r.fte < 0
    if low.any():
        notes.append(f"pcn_roles: {int(low.sum())} network/role sums are negative and set to 0")
        r.loc[low, "fte"] = 0.0
    r["role"] = r.staff_role.map(STAFF_ROLE_MAP)
    cols = [c.name for c in TABLES["pcn_roles"].spec.columns]
    return r[cols]


def _prevalence(src: Path, la: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    q = _read(src, "qof_la")
    wales = q.lad_code.str.startswith("W")
    notes.append(f"prevalence_la: {q.lad_code[wales].nunique()} Welsh areas left out")
    q = q[~wales].copy()
    q["la"] = q.lad_code.map(lambda x: _OLD_TO_NEW.get(x, x))
    unknown = sorted(set(q.la) - set(la.la))
    if unknown:
        raise InputError(
            f"unknown local authorities {unknown}", source=RAW_FILES["qof_la"], column="lad_code"
        )
    q["register"] = pd.to_numeric(q.register)
    q["list"] = pd.to_numeric(q["list"])
    g = q.groupby(["la", "group_code"], sort=True)[["register", "list"]].sum().reset_index()
    g = g.rename(columns={"group_code": "condition"})
    g["prevalence"] = (g.register / g["list"]).round(8)
    g["register"] = g.register.round(2)
    g["list"] = g["list"].round(2)
    return g


def _prevalence_pcn(src: Path, notes: list[str]) -> pd.DataFrame:
    d = _read(src, "qof_pcn")
    cols = [c for c in d.columns if c.startswith("QOF_PREV_")]
    none = d.PCN_CODE.eq("U")
    notes.append(
        f"prevalence_pcn: the row of practices in no network (PCN_CODE U, "
        f"{int(pd.to_numeric(d.POPN_PERSON[none]).sum())} patients) left out"
    )
    d = d[~none]
    long = d.melt(["PCN_CODE", "POPN_PERSON"], value_vars=cols, var_name="c", value_name="p")
    out = pd.DataFrame(
        {
            "pcn": long.PCN_CODE,
            "condition": long.c.str.removeprefix("QOF_PREV_"),
            "patients": pd.to_numeric(long.POPN_PERSON).astype(np.int64),
            "prevalence": pd.to_numeric(long.p).round(8),
        }
    )
    return out.sort_values(["pcn", "condition"]).reset_index(drop=True)


def _appointments(src: Path, areas: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    wt = _read(src, "appointments")
    gone = sorted(set(wt.GP_CODE) - set(areas.practice))
    if gone:
        notes.append(
            f"appointments: {len(gone)} practices not in the May 2025 list left out: "
            + ", ".join(gone)
        )
        wt = wt[~wt.GP_CODE.isin(gone)]
    a = wt[["GP_CODE", *_APPT_COLS]].rename(columns={"GP_CODE": "practice", **_APPT_COLS})
    months = set(wt["Appointment Month Start Date"])
    if months != {"Apr-25"}:
        raise InputError(
            f"expected month Apr-25 only, found {sorted(months)}",
            source=RAW_FILES["appointments"],
            column="Appointment Month Start Date",
        )
    a.insert(1, "month", "2025-04")
    for c in _APPT_COLS.values():
        a[c] = a[c].astype(np.int64)
    return a.sort_values("practice").reset_index(drop=True)


_BOOKING = {**_LEAD_TIME_LABELS, "Unknown / Data Issue": "unknown"}
_HCP = {"GP": "gp", "Other Practice staff": "other", "Unknown": "unknown"}


def _appointments_london(src: Path, areas: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    frames = []
    for n in _LONDON:
        frames.append(_read(src, f"london_{n}"))
    d = pd.concat(frames, ignore_index=True)
    for col, m in (("TIME_BETWEEN_BOOK_AND_APPT", _BOOKING), ("HCP_TYPE", _HCP)):
        unknown = sorted(set(d[col]) - set(m))
        if unknown:
            raise InputError(
                f"unexpected values {unknown}", source=RAW_FILES["london_ELondonHCP"], column=col
            )
    sub_to_icb = areas.drop_duplicates("sub_icb").set_index("sub_icb").icb
    d["icb"] = d.CCG_CODE.map(sub_to_icb)
    if d.icb.isna().any():
        raise InputError(
            f"CCG codes with no ICB: {sorted(set(d.CCG_CODE[d.icb.isna()]))}",
            source=RAW_FILES["london_ELondonHCP"],
            column="CCG_CODE",
        )
    d["month"] = pd.to_datetime(d.Appointment_Month, format="%b%Y").dt.strftime("%Y-%m")
    d["hcp_type"] = d.HCP_TYPE.map(_HCP)
    d["booking"] = d.TIME_BETWEEN_BOOK_AND_APPT.map(_BOOKING)
    d["appointments"] = d.COUNT_OF_APPOINTMENTS.astype(np.int64)
    # rows repeat once per predecessor CCG before April 2021: always sum, never deduplicate
    g = d.groupby(["icb", "month", "hcp_type", "booking"], sort=True).appointments.sum()
    notes.append(
        f"appointments_london: {len(d)} rows summed over status and mode into {len(g)} "
        "(predecessor-CCG rows summed, not deduplicated)"
    )
    return g.reset_index()


def _afc(src: Path, notes: list[str]) -> pd.DataFrame:
    p = _read(src, "afc")
    p["status"] = "published"
    have = set(zip(p.year, p.band, p.pay_point, strict=True))
    base = p[p.year == "2023/24"]
    add = []
    for _, r in base.iterrows():
        if ("2024/25", r.band, r.pay_point) not in have:
            add.append(
                {
                    **r.to_dict(),
                    "year": "2024/25",
                    "status": "derived",
                    "annual_gbp": str(int(np.floor(int(r.annual_gbp) * 1.055 + 0.5))),
                    "source_id": "2023/24 x 1.055",
                }
            )
    if add:
        notes.append(f"afc_pay: {len(add)} 2024/25 pay points derived as 2023/24 x 1.055")
        p = pd.concat([p, pd.DataFrame(add)], ignore_index=True)
    p = p[["year", "band", "pay_point", "min_years_in_band", "annual_gbp", "status", "source_id"]]
    order = {"entry": 0, "intermediate": 1, "top": 2}
    p = p.assign(_o=p.pay_point.map(order)).sort_values(["year", "band", "_o"])
    return p.drop(columns="_o").reset_index(drop=True)


def _write(df: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, lineterminator="\n")


def build_tables(source: Path | None = None) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Build every derived table in memory; return them and the build notes."""
    src = Path(source) if source is not None else sources_dir()
    if not src.is_dir():
        raise InputError(
            "raw sources folder not found; set WFKIT_DATA_SOURCES or pass --source", source=str(src)
        )
    notes: list[str] = []
    areas, list_size, pc = _areas(src, notes)
    la, snpp = _local_authorities(src, areas, notes)
    census, profile = _census(src, la, snpp, notes)
    out = {
        "areas": areas,
        "list_size": list_size,
        "local_authorities": la,
        "census_age": census,
        "age_profile": profile,
        "projection": _projection(snpp, areas),
        "workforce": _workforce(src, areas, notes),
        "pcn_roles": _pcn_roles(pc, notes),
        "prevalence_la": _prevalence(src, la, notes),
        "prevalence_pcn": _prevalence_pcn(src, notes),
        "appointments": _appointments(src, areas, notes),
        "appointments_london": _appointments_london(src, areas, notes),
        "afc_pay": _afc(src, notes),
    }
    for name, df in out.items():
        validate_table(df, TABLES[name].spec, source=f"built table {name}")
    return out, notes


_FALLBACK = {
    "area": "area code (practice, network, sub-ICB, ICB or region code)",
    "activity": "activity id (see assumptions/activities.csv)",
    "role": "wfkit role id (see assumptions/roles.csv)",
    "age_band": "five-year age band 0-4 ... 85-89, 90+, or 'all' for every band",
    "parameter": "parameter name (see the allowed values and wfkit.tables)",
    "unit": "unit of value, lo and hi",
    "source": "citation; 'wfkit judgement' where the figure is our judgement",
    "source_year": "year or period of the cited source",
    "notes": "notes",
    "year": "year",
}


def write_docs(out: Path) -> None:
    """Write ``dictionary/<table>.csv`` for every table and ``provenance.csv``."""
    for info in TABLES.values():
        rows = []
        for c in info.spec.columns:
            desc = c.description or _FALLBACK.get(c.name, "")
            if c.allowed is not None:
                rng = "; ".join(sorted(c.allowed)) if len(c.allowed) <= 20 else "see the spec"
            elif c.dtype == "str":
                rng = "text"
            else:
                lo = "" if c.min is None else f"{c.min:g}"
                hi = "" if c.max is None else f"{c.max:g}"
                rng = f"{lo} to {hi}" if lo and hi else (f">= {lo}" if lo else f"<= {hi}")
                rng = "any number" if not lo and not hi else rng
            rows.append(
                {
                    "column": c.name,
                    "type": c.dtype,
                    "unit": c.unit,
                    "description": desc,
                    "allowed": rng,
                    "required": "yes" if c.required else "no",
                    "empty_allowed": "yes" if c.nullable else "no",
                }
            )
        _write(pd.DataFrame(rows), out / "dictionary" / f"{info.name}.csv")
    prov = pd.DataFrame(
        [
            {
                "table": i.name,
                "file": i.file,
                "description": i.spec.description,
                "period": i.period,
                "publisher": i.publisher,
                "licence": i.licence,
                "original_file": i.original_file,
                "derived": i.derived,
                "refresh": i.refresh,
                "built_by": "wfkit data build" if i.built else "hand-written",
            }
            for i in TABLES.values()
        ]
    )
    _write(prov, out / "provenance.csv")


def build(source: Path | None = None, out: Path | None = None) -> list[str]:
    """Regenerate every derived table, the dictionaries and the provenance file.

    Parameters
    ----------
    source
        Folder of raw files laid out as in :data:`RAW_FILES` (default: :func:`sources_dir`).
    out
        The ``data/`` folder to write (default: :func:`data_dir`).

    Returns
    -------
    list of str
        Notes on everything the build left out, split or derived.
    """
    dest = Path(out) if out is not None else data_dir()
    tables, notes = build_tables(source)
    for name, df in tables.items():
        _write(df, dest / TABLES[name].file)
    write_docs(dest)
    _write(pd.DataFrame({"note": notes}), dest / "build_notes.csv")
    return notes
