"""Build the bundled tables in ``data/`` from the raw published files.

``wfkit data build [--source DIR] [--out DIR]`` runs :func:`build`.  The build is
deterministic (same raw files, same bytes out), and every row it cannot place is reported
in the returned notes rather than silently dropped.

Base: practices, networks and list sizes of 1 December 2025 (42 pre-2026-merger ICBs),
QOF 2024/25 (and 2022/23), appointments November 2025, network staff November 2025,
practice staff by role October 2025, ONS 2022-based projection by sub-ICB; for the need
check, Carr-Hill weighted lists 2022/23 and IMD 2019 by practice; online consultation
submissions and cloud telephony calls by practice, November 2025 (the front door).
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path

import numpy as np
import pandas as pd

from .. import tables as T
from ..errors import InputError
from ..outputs import check_output_dir, output_folder
from ..validation import validate_table
from . import build_appointments as appointments
from . import build_frontdoor as frontdoor
from . import build_trends as trends
from .catalogue import TABLES
from .paths import BUILD_SWAPPING, BUILD_TMP_MARK, BUILD_TMP_PREFIX, data_dir, sources_dir
from .practice_staff import practice_staff
from .raw import RAW_FILES
from .raw import raw_int as _int
from .raw import read_raw as _read

__all__ = ["RAW_FILES", "build", "build_tables", "write_docs", "QOF_CONDITIONS"]

#: QOF registers kept: those of condition_activities.csv plus the multimorbidity set
QOF_CONDITIONS: tuple[str, ...] = (
    "AF", "AST", "CAN", "CHD", "CKD", "COPD", "DEM", "DEP", "DM", "HF", "HYP", "MH", "STIA",
)  # fmt: skip

_FY = {"2023": "2022/23", "2024": "2023/24", "2025": "2024/25"}
_ROLE_PREFIX = {"GP: ": "gp", "Nurse: ": "nurse", "DPC: ": "dpc", "Admin: ": "admin"}
_ROLE_TOTAL = {
    "gp": "All GPs",
    "nurse": "All Nurses",
    "dpc": "All Direct Patient Care",
    "admin": "All Admin/Non-Clinical",
}
_ROLE_LEVEL = {
    "England": "england",
    "Region": "region",
    "ICB": "icb",
    "SubICB": "sub_icb",
    "Unknown": "unknown",
}


def _icb_name(name: pd.Series) -> pd.Series:
    return name.str.replace(r"\s+Integrated Care Board$", " ICB", regex=True)


def _map(src: Path, key: str, notes: list[str], label: str) -> pd.DataFrame:
    m = _read(src, key)
    a = pd.DataFrame(
        {
            "practice": m.PRACTICE_CODE,
            "practice_name": m.PRACTICE_NAME,
            "postcode": m.PRACTICE_POSTCODE,
            "pcn": m.PCN_CODE,
            "pcn_name": m.PCN_NAME,
            "sub_icb": m.SUB_ICB_LOCATION_CODE,
            "sub_icb_ons": m.ONS_SUB_ICB_LOCATION_CODE,
            "sub_icb_name": m.SUB_ICB_LOCATION_NAME,
            "icb": m.ICB_CODE,
            "icb_ons": m.ONS_ICB_CODE,
            "icb_name": _icb_name(m.ICB_NAME),
            "region": m.COMM_REGION_CODE,
            "region_name": m.COMM_REGION_NAME,
        }
    )
    if a.practice.duplicated().any():
        raise InputError("a practice appears twice", source=RAW_FILES[key], column="PRACTICE_CODE")
    u = a.pcn.eq("U")
    notes.append(
        f"{label}: {int(u.sum())} practices with PCN code U (unallocated) kept under network "
        f"U_<sub-ICB> ({a.sub_icb[u].nunique()} such networks)"
    )
    a.loc[u, "pcn"] = "U_" + a.loc[u, "sub_icb"]
    a.loc[u, "pcn_name"] = "No network (" + a.loc[u, "sub_icb"] + ")"
    notes.append(f"{label}: ICB names shortened from '... Integrated Care Board' to '... ICB'")
    notes.append(
        f"{label}: {len(a)} practices, {a.pcn.nunique()} networks (incl. U_), "
        f"{a.sub_icb.nunique()} sub-ICBs, {a.icb.nunique()} ICBs, {a.region.nunique()} regions"
    )
    cols = [c.name for c in TABLES["areas"].spec.columns]
    return a[cols].sort_values("practice").reset_index(drop=True)


def _practice_age(src: Path, areas: pd.DataFrame, notes: list[str]):
    a = _read(src, "age")
    a = a[a.ORG_TYPE == "GP"].copy()
    a["n"] = _int(a.NUMBER_OF_PATIENTS, "age", "NUMBER_OF_PATIENTS")
    tot = a[(a.SEX == "ALL") & (a.AGE_GROUP_5 == "ALL")].set_index("ORG_CODE").n
    b = a[a.SEX.isin(["FEMALE", "MALE"]) & (a.AGE_GROUP_5 != "ALL")].copy()
    band = {f"{lo}_{lo + 4}": f"{lo}-{lo + 4}" for lo in range(0, 90, 5)}
    band.update({"90_94": "90+", "95+": "90+"})
    unknown = sorted(set(b.AGE_GROUP_5) - set(band))
    if unknown:
        raise InputError(f"unexpected age groups {unknown}", source=RAW_FILES["age"])
    b["age_band"] = b.AGE_GROUP_5.map(band)
    g = b.groupby(["ORG_CODE", "age_band"]).n.sum()
    s = g.groupby(level=0).sum()
    bad = s.reindex(tot.index).fillna(0).ne(tot)
    if bad.any():
        raise InputError(
            f"female + male bands do not sum to the total for {list(tot.index[bad][:5])}",
            source=RAW_FILES["age"],
        )
    notes.append(
        "practice_age: persons = FEMALE + MALE rows (the ALL row has no bands); "
        "90-94 and 95+ summed into 90+"
    )
    grid = pd.MultiIndex.from_product([sorted(tot.index), T.AGE_BANDS])
    pa = g.reindex(grid, fill_value=0).rename("patients").rename_axis(["practice", "age_band"])
    pa = pa.reset_index()
    ls = tot.sort_index().rename_axis("practice").rename("patients").reset_index()
    missing = sorted(set(areas.practice) ^ set(ls.practice))
    if missing:
        raise InputError(
            f"practices of the age file and the December 2025 map differ: {missing[:5]}",
            source=RAW_FILES["age"],
        )
    notes.append(f"list_size: {len(ls)} practices, {int(ls.patients.sum())} patients, 1 Dec 2025")
    return ls, pa


def _qof(src: Path, areas: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    frames = {}
    for yr in ("2425", "2223"):
        q = _read(src, f"qof_{yr}")
        q = q[q.GROUP_CODE.isin(QOF_CONDITIONS)]
        frames[yr] = pd.DataFrame(
            {
                "practice": q.PRACTICE_CODE,
                "condition": q.GROUP_CODE,
                f"list_type_{yr}": q.PATIENT_LIST_TYPE,
                f"register_{yr}": _int(q.REGISTER, f"qof_{yr}", "REGISTER"),
                f"list_{yr}": _int(q.PRACTICE_LIST_SIZE, f"qof_{yr}", "PRACTICE_LIST_SIZE"),
            }
        )
    m = frames["2425"].merge(frames["2223"], on=["practice", "condition"], how="outer")
    differ = m.list_type_2425.notna() & m.list_type_2223.notna()
    differ &= m.list_type_2425.ne(m.list_type_2223)
    if differ.any():
        raise InputError("PATIENT_LIST_TYPE differs between years", source=RAW_FILES["qof_2425"])
    m["list_type"] = m.list_type_2425.fillna(m.list_type_2223)
    for c in ("register_2425", "list_2425", "register_2223", "list_2223"):
        m[c] = m[c].astype("Int64")
    p25, p23 = set(frames["2425"].practice), set(frames["2223"].practice)
    known = set(areas.practice)
    notes.append(
        f"qof_practice: {len(p25)} practices in 2024/25, {len(p23)} in 2022/23 "
        f"({len(p23 - p25)} only in 2022/23, {len(p25 - p23)} only in 2024/25: their other "
        "year is empty); all kept"
    )
    notes.append(
        f"qof_practice: {len((p25 | p23) - known)} practices are not in the December 2025 map "
        f"(closed or merged; kept, in no area); {len(known - p25)} practices of the map have "
        "no 2024/25 register (the prevalence loader gives them their sub-ICB's rate)"
    )
    cols = [c.name for c in TABLES["qof_practice"].spec.columns]
    return m[cols].sort_values(["practice", "condition"]).reset_index(drop=True)


def _projection(src: Path, areas: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    s = _read(src, "snpp")
    s = s[(s.sex == "persons") & (s.age_group != "All ages")]
    subs = areas.drop_duplicates("sub_icb").set_index("sub_icb_ons").sub_icb
    keep = s.code.isin(subs.index) | s.code.eq("E92000001")
    sub_rows = s.code.str.startswith("E38")
    unmatched = sorted(set(s.code[sub_rows]) - set(subs.index))
    if unmatched or set(subs.index) - set(s.code):
        raise InputError(
            f"sub-ICB codes of the projection and the December 2025 map differ: {unmatched}",
            source=RAW_FILES["snpp"],
            column="code",
        )
    notes.append(
        f"projection: the {subs.size} sub-ICB codes (ONS E38) all match the December 2025 map "
        "and are written as its ODS codes; the 7 NHS region rows are left out"
    )
    s = s[keep].copy()
    s["area"] = s.code.map(subs).fillna(s.code)
    years = [c for c in s.columns if re.fullmatch(r"\d{4}", c)]
    long = s.melt(["area", "age_group"], value_vars=years, var_name="year", value_name="p")
    unknown = sorted(set(long.age_group) - set(T.AGE_BANDS))
    if unknown:
        raise InputError(f"unexpected age groups {unknown}", source=RAW_FILES["snpp"])
    out = pd.DataFrame(
        {
            "area": long.area,
            "year": long.year.astype(int),
            "age_band": pd.Categorical(long.age_group, categories=T.AGE_BANDS, ordered=True),
            "population": _int(long.p, "snpp", "year columns"),
        }
    )
    out = out.sort_values(["area", "year", "age_band"]).reset_index(drop=True)
    out["age_band"] = out.age_band.astype(str)
    eng = out[(out.area == "E92000001")].groupby("year").population.sum()
    subs_sum = out[(out.area != "E92000001")].groupby("year").population.sum()
    notes.append(
        f"projection: sub-ICBs sum to England within {int((eng - subs_sum).abs().max())} "
        "people in every year 2022-2047"
    )
    return out


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
    partners = ["TOTAL_GP_SEN_PTNR_FTE", "TOTAL_GP_PTNR_PROV_FTE"]
    pt = w[partners].apply(pd.to_numeric)
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
    # partners = senior partners + provisional partners; empty only if both are empty
    w["gp_partner_fte"] = pt.sum(axis=1, min_count=1).round(4)
    num.append("gp_partner_fte")
    notes.append(
        "workforce: gp_partner_fte = TOTAL_GP_SEN_PTNR_FTE + TOTAL_GP_PTNR_PROV_FTE "
        "(salaried and retainers = gp_fte - gp_partner_fte)"
    )
    notes.append(
        "workforce: empty cells (no figure published) per column: "
        + ", ".join(f"{c} {int(w[c].isna().sum())}" for c in num if w[c].isna().any())
    )
    gone = ~w.practice.isin(set(areas.practice))
    last = gone & w.year.eq("2024/25")
    notes.append(
        f"workforce: {w.practice[gone].nunique()} practices are not in the December 2025 map "
        f"(closed or merged); their rows are kept but belong to no area (2024/25: "
        f"{int(last.sum())} practices, {w.gp_fte[last].sum():.1f} GP FTE)"
    )
    return w.sort_values(["practice", "year"]).reset_index(drop=True)


def _pcn_roles(src: Path, areas: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    pc = _read(src, "pcn")
    r = pd.DataFrame(
        {
            "pcn": pc.PCN_CODE,
            "sub_icb": pc.SUB_ICB_CODE,
            "staff_group": pc.STAFF_GROUP,
            "staff_role": pc.STAFF_ROLE,
            "fte": pd.to_numeric(pc.FTE).round(4),
            "headcount": _int(pc.HEADCOUNT, "pcn", "HEADCOUNT"),
            "records": _int(pc.RECORDS, "pcn", "RECORDS"),
        }
    )
    neg = r.fte < 0
    if neg.any():
        notes.append(f"pcn_roles: {int(neg.sum())} negative network/role FTE sums set to 0")
        r.loc[neg, "fte"] = 0.0
    outside = ~r.pcn.isin(set(areas.pcn))
    notes.append(
        f"pcn_roles: {r.pcn.nunique()} networks, {r.fte.sum():.1f} FTE, November 2025; "
        f"{r.pcn[outside].nunique()} network codes are not in the December 2025 map "
        f"({r.fte[outside].sum():.1f} FTE), kept"
    )
    return r.sort_values(["pcn", "staff_group", "staff_role"]).reset_index(drop=True)


def _workforce_roles(src: Path, areas: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    t = _read(src, "roles")
    unknown = sorted(set(t.level) - set(_ROLE_LEVEL))
    if unknown:
        raise InputError(f"unexpected levels {unknown}", source=RAW_FILES["roles"], column="level")
    rows = []
    for prefix, group in _ROLE_PREFIX.items():
        cols = [c for c in t.columns if c.startswith(prefix)]
        total = prefix + _ROLE_TOTAL[group]
        if total not in cols:
            raise InputError(f"no column {total!r}", source=RAW_FILES["roles"])
        parts = [c for c in cols if c != total]
        x = t[parts].apply(pd.to_numeric)
        diff = (x.sum(axis=1) - pd.to_numeric(t[total])).abs().max()
        if diff > 0.01:
            raise InputError(
                f"{group} roles do not sum to {total!r} (off by {diff:.3f})",
                source=RAW_FILES["roles"],
            )
        for c in parts:
            rows.append(
                pd.DataFrame(
                    {
                        "level": t.level.map(_ROLE_LEVEL),
                        "area": t.code,
                        "staff_group": group,
                        "source_role": c.removeprefix(prefix),
                        "fte": x[c].round(4),
                    }
                )
            )
        notes.append(
            f"workforce_roles: {len(parts)} {group} roles sum to {total!r} in every row "
            f"(within {diff:.4f} FTE); the total column is left out"
        )
    r = pd.concat(rows, ignore_index=True)
    subs = set(r.area[r.level == "sub_icb"])
    if subs != set(areas.sub_icb):
        raise InputError(
            "sub-ICB codes differ from the December 2025 map", source=RAW_FILES["roles"]
        )
    order = {v: i for i, v in enumerate(_ROLE_LEVEL.values())}
    r["_l"] = r.level.map(order)
    r = r.sort_values(["_l", "area", "staff_group", "source_role"]).drop(columns="_l")
    return r.reset_index(drop=True)


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


def _weighted_list(src: Path, areas: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    d = _read(src, "payments", encoding="utf-8-sig")
    num = {
        "registered": "Number of Registered Patients (Last Known Figure)",
        "weighted": "Number of Weighted Patients (Last Known Figure)",
    }
    out = pd.DataFrame({"practice": d["Practice Code"].str.strip()})
    for name, col in num.items():
        x = pd.to_numeric(d[col].str.replace(",", "", regex=False), errors="coerce")
        if x.isna().any():
            raise InputError("expected numbers", source=RAW_FILES["payments"], column=col)
        out[name] = x.round(2)
    if out.practice.duplicated().any():
        raise InputError("a practice appears twice", source=RAW_FILES["payments"])
    notes.append(
        f"weighted_list: {len(out)} practices in 2022/23, registered {out.registered.sum():,.0f}, "
        f"weighted {out.weighted.sum():,.0f}"
    )
    empty = out.registered <= 0
    here = out.practice.isin(areas.practice)
    notes.append(
        f"weighted_list: {int(empty.sum())} practices with no registered list (closed) and "
        f"{int((~here & ~empty).sum())} not in the December 2025 map left out; "
        f"{int(areas.practice.isin(out.practice[~empty]).sum())} of {len(areas)} practices "
        "of the map have a weighted list"
    )
    out = out[here & ~empty]
    return out.sort_values("practice").reset_index(drop=True)


def _practice_imd(src: Path, areas: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    d = _read(src, "imd", encoding="utf-8-sig")
    d = d[d.Year == "2019"]
    out = pd.DataFrame(
        {"practice": d.AreaCode.str.strip(), "imd_2019": pd.to_numeric(d.Value).round(4)}
    )
    if out.practice.duplicated().any():
        raise InputError("a practice appears twice in 2019", source=RAW_FILES["imd"])
    here = out.practice.isin(areas.practice)
    notes.append(
        f"practice_imd: {len(out)} practices scored for 2019; {int(here.sum())} of "
        f"{len(areas)} practices of the December 2025 map (those opened since have no score)"
    )
    return out[here].sort_values("practice").reset_index(drop=True)


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
    areas = _map(src, "map", notes, "areas")
    areas_2026 = _map(src, "map_2026", notes, "areas_2026")
    list_size, practice_age = _practice_age(src, areas, notes)
    workforce = _workforce(src, areas, notes)
    roles = _workforce_roles(src, areas, notes)
    staff, transfers = practice_staff(src, areas, list_size, workforce, roles, notes)
    out = {
        "areas": areas,
        "areas_2026": areas_2026,
        "list_size": list_size,
        "practice_age": practice_age,
        "projection": _projection(src, areas, notes),
        "workforce": workforce,
        "pcn_roles": _pcn_roles(src, areas, notes),
        "workforce_roles": roles,
        "practice_staff": staff,
        "staff_transfers": transfers,
        "qof_practice": _qof(src, areas, notes),
        "appointments": appointments.appointments(src, areas, notes),
        "appointment_categories": appointments.appointment_categories(src, notes),
        "appointments_monthly": appointments.appointments_monthly(src, areas, notes),
        "afc_pay": _afc(src, notes),
        "weighted_list": _weighted_list(src, areas, notes),
        "practice_imd": _practice_imd(src, areas, notes),
        "online_practice": frontdoor.online_practice(src, areas, notes),
        "telephony_practice": frontdoor.telephony_practice(src, areas, notes),
        "arrival_profile": frontdoor.arrival_profile(src, notes),
    }
    out |= _trends(src, (areas, areas_2026), notes)
    for name, df in out.items():
        validate_table(df, TABLES[name].spec, source=f"built table {name}")
    return out, notes


def _trends(
    src: Path, maps: tuple[pd.DataFrame, pd.DataFrame], notes: list[str]
) -> dict[str, pd.DataFrame]:
    """Build staff in post over time and the September 2022 network census.

    ``make flows`` fits ``assumptions/flows.csv`` to the first.
    """
    read = {"dtype": str, "keep_default_na": False, "na_values": [""]}
    staff_roles = pd.read_csv(data_dir() / TABLES["staff_roles"].file, **read)
    return {
        "role_trends": trends.role_trends(src, maps, staff_roles, notes),
        "pcn_roles_2022": trends.pcn_roles_2022(src, notes),
    }


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

    Nothing is ever left half-written: every table is built and checked in memory, then
    written to a temporary folder, and only then moved into place.

    - ``out`` not given (or the bundled ``data/`` folder itself): each file is written into
      a hidden ``.build-tmp-*`` folder inside ``data/``, and once every file is written,
      each replaces its old copy with an atomic rename (``os.replace``): a kill or a full
      disk leaves every table old or new and whole, never cut.  A leftover temporary folder
      of a killed build is removed by the next build.
    - another ``out``: written through wfkit's safe output writer (:mod:`wfkit.outputs`,
      as ``wfkit run``): a new or empty folder, or one holding only an earlier build, is
      swapped in whole; a folder holding anyone else's files is refused before the build.

    Parameters
    ----------
    source
        Folder of raw files laid out as in :data:`RAW_FILES` (default: :func:`sources_dir`).
    out
        The folder to write (default: :func:`data_dir`, the bundled ``data/``).

    Returns
    -------
    list of str
        Notes on everything the build left out, split or derived.

    Raises
    ------
    InputError
        A raw file is missing or wrong, or ``out`` is a folder wfkit may not write.
    """
    bundled = data_dir()
    in_place = out is None or Path(out).expanduser().resolve() == bundled.resolve()
    target = None if in_place else check_output_dir(out)  # refused before the build
    tables, notes = build_tables(source)
    if target is not None:
        with output_folder(target) as tmp:
            _write_all(tables, notes, tmp)
        return notes
    _replace_in_place(tables, notes, bundled)
    return notes


def _write_all(tables: dict[str, pd.DataFrame], notes: list[str], dest: Path) -> None:
    for name, df in tables.items():
        _write(df, dest / TABLES[name].file)
    write_docs(dest)
    _write(pd.DataFrame({"note": notes}), dest / "build_notes.csv")


def _replace_in_place(tables: dict[str, pd.DataFrame], notes: list[str], dest: Path) -> None:
    """Write every file into ``dest/.build-tmp-*`` first, then move each into place."""
    for old in dest.glob(BUILD_TMP_PREFIX + "*"):  # a killed build's leftovers (ours only)
        if old.is_dir() and not old.is_symlink() and (old / BUILD_TMP_MARK).is_file():
            shutil.rmtree(old, ignore_errors=True)
    tmp = dest / f"{BUILD_TMP_PREFIX}{uuid.uuid4().hex[:12]}"
    tmp.mkdir()
    try:
        (tmp / BUILD_TMP_MARK).write_text("wfkit data build\n", encoding="utf-8")
        _write_all(tables, notes, tmp)
        files = [
            p.relative_to(tmp)
            for p in sorted(tmp.rglob("*"))
            if p.is_file() and p.name != BUILD_TMP_MARK
        ]
        for rel in files:  # every file whole on disk before any is moved
            with (tmp / rel).open("rb") as fh:
                os.fsync(fh.fileno())
        # from here until every file is moved, readers refuse the mixed tables
        # (paths.check_build_complete); the folder goes once the last is moved
        (tmp / BUILD_SWAPPING).write_text("moving the new tables into place\n", encoding="utf-8")
        for rel in files:
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp / rel, dest / rel)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
