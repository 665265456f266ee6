"""Select areas and build the engine's input tables for them from the bundled data.

Every function returns a DataFrame in a :mod:`wfkit.tables` format, validated.  Areas are
rows: a practice, a primary care network (``pcn``), a sub-ICB location, an ICB or a region;
building any level is a groupby of practices over the ``areas`` lookup.

Every practice carries its own figures: its registered list by age band (1 December 2025),
its recorded QOF 2024/25 registers and its November 2025 appointments; growth comes from the
ONS 2022-based projection of its sub-ICB location, seasonality from its sub-ICB's monthly
appointments.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .. import tables as T
from ..errors import InputError
from ..settings import AREA
from ..validation import TableSpec, first_bad_row, validate_table
from .groups import group_lookup, is_group_level
from .loader import check_codes, check_user_table, load, read_practice_list
from .paths import data_dir
from .schemas import LEAD_TIMES, LEVELS, PRACTICE_LIST

__all__ = [
    "DEFAULT_AREA",
    "area_names",
    "select_areas",
    "population",
    "growth",
    "prevalence",
    "same_day_share",
    "practices_in",
    "practices_at",
    "qof_trend",
    "appointments",
    "seasonal_factors",
]

#: the default demo area: North Southwark PCN (NHS South East London ICB), a London network
DEFAULT_AREA: str = AREA.default

_NAME = {lvl: f"{lvl}_name" for lvl in LEVELS}


def _name(level: str) -> str:
    """Return the column of ``level``'s names in :func:`practices_at`."""
    return _NAME.get(level, f"{level}_name")


def _check_level(level: str) -> str:
    if level not in LEVELS and not is_group_level(level):
        raise InputError(
            f"unknown level {level!r}; expected one of {list(LEVELS)} or a grouping "
            "(wfkit.data.group_level)",
            source="wfkit.data",
            column="level",
        )
    return level


def practices_at(level: str) -> pd.DataFrame:
    """Every practice with its area codes, list size and a column for ``level``.

    For a published level, :func:`all_practices`; for a grouping (a level from
    :func:`wfkit.data.group_level`), the practices of its groups with columns ``level``
    (the group's code) and ``level + "_name"`` (its name): practices in no group are left
    out.  Every area function selects and sums practices over this one lookup.
    """
    _check_level(level)
    p = all_practices()
    if not is_group_level(level):
        return p
    g = group_lookup(level).rename(columns={"group": level, "group_name": _name(level)})
    return p.merge(g, on="practice", how="inner", validate="one_to_one")


def all_practices() -> pd.DataFrame:
    """Every practice with its area codes and list size (a fresh copy each call)."""
    return _all_practices(str(data_dir())).copy()


# England-wide frames every area's tables start from, built once per data folder
@functools.lru_cache(maxsize=4)
def _all_practices(folder: str) -> pd.DataFrame:
    a = load("areas")
    # one row a practice in each: both tables are keyed by practice, checked when read
    return a.merge(load("list_size"), on="practice", how="left")


@functools.lru_cache(maxsize=4)
def _england_by_band(folder: str) -> pd.Series:
    """England's registered population by age band, split as :func:`population` splits it."""
    return _banded(all_practices().assign(area="E")).groupby("age_band").population.sum()


@functools.lru_cache(maxsize=4)
def _qof_2425(folder: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Compute QOF 2024/25 prevalence by condition for practices, sub-ICBs and England.

    Each practice's prevalence (register / list of its list type), each sub-ICB's (its
    practices summed) and England's, by condition.
    """
    q = load("qof_practice")
    q = q[q.register_2425.notna() & (q.list_2425 > 0)]
    q = q.assign(prev=q.register_2425 / q.list_2425)
    sub = load("areas")[["practice", "sub_icb"]]
    s = (
        q.merge(sub, on="practice")
        .groupby(["sub_icb", "condition"])[["register_2425", "list_2425"]]
        .sum()
    )
    s["prev_sub"] = s.register_2425 / s.list_2425
    e = q.groupby("condition")[["register_2425", "list_2425"]].sum()
    eng = e.register_2425 / e.list_2425
    return q[["practice", "condition", "prev"]], s[["prev_sub"]].reset_index(), eng


def _match(df: pd.DataFrame, level: str, value: str, what: str) -> pd.Series:
    """Rows of ``df`` whose ``level`` code or name matches ``value`` (case-insensitive)."""
    v = str(value).strip().lower()
    code = df[level].str.lower()
    name = df[_name(level)].fillna("").str.lower()
    hit = code.eq(v) | name.eq(v)
    if not hit.any():
        hit = name.str.contains(v, regex=False) if len(v) >= 3 else hit
    if not hit.any():
        pool = sorted(set(df[level]) | set(df[_name(level)].dropna()))
        lower = {x.lower(): x for x in pool}
        close = [lower[c] for c in difflib.get_close_matches(v, list(lower), n=5, cutoff=0.5)]
        if not close:  # a misspelt word inside a longer name, e.g. 'southwak'
            words = {w: x for x in pool for w in x.lower().split()}
            near = difflib.get_close_matches(v, list(words), n=5, cutoff=0.75)
            close = list(dict.fromkeys(words[w] for w in near))
        hint = f"; close matches: {close}" if close else ""
        other = [lv for lv in LEVELS if lv != level and _any_match(df, lv, v)]
        if other:
            hint += f"; it is a code or name at level {other[0]!r}"
        raise InputError(
            f"no {level} with code or name {value!r}{hint}", source="wfkit.data", column=what
        )
    return hit


def _any_match(df: pd.DataFrame, level: str, v: str) -> bool:
    return bool((df[level].str.lower().eq(v) | df[_NAME[level]].fillna("").str.lower().eq(v)).any())


def select_areas(
    code: str | Sequence[str] | None = None,
    name: str | None = None,
    level: str = "pcn",
    within: tuple[str, str] | None = None,
) -> pd.DataFrame:
    """Select areas by code, name or level, optionally within a larger area.

    Parameters
    ----------
    code
        One code or a list of codes at ``level`` (case-insensitive).
    name
        A name at ``level``: an exact (case-insensitive) match, else every name containing it.
    level
        ``"practice"``, ``"pcn"``, ``"sub_icb"``, ``"icb"`` or ``"region"``.
    within
        ``(level, code_or_name)``, e.g. ``("region", "London")`` for every network in London.

    Returns
    -------
    pandas.DataFrame
        ``area``, ``area_name``, ``level``, ``patients`` (1 December 2025), ``icb``, ``region``.

    Raises
    ------
    InputError
        For an unknown level, code or name; the message lists close matches.
    """
    p = practices_at(level)
    if within is not None:
        wlevel, wvalue = within
        _check_level(wlevel)
        p = p[_match(p, wlevel, wvalue, "within").to_numpy()]
    if code is not None:
        codes = [code] if isinstance(code, str) else list(code)
        # every code looked up at once (a loop over codes was 2 s for every practice)
        lowered = p[level].str.lower()
        keep = lowered.isin({str(c).strip().lower() for c in codes}).to_numpy()
        found = set(lowered[keep])
        for c in codes:
            if str(c).strip().lower() not in found:
                _match(p, level, c, "code")  # raises with close matches
                raise InputError(f"no {level} with code {c!r}", source="wfkit.data", column="code")
        p = p[keep]
    if name is not None:
        p = p[_match(p, level, name, "name").to_numpy()]
    g = p.groupby(level, sort=True)
    first = g[[_name(level), "icb", "region"]].first()  # each column's first non-missing
    out = pd.DataFrame(
        {
            "area": first.index.to_numpy(),
            "area_name": first[_name(level)].to_numpy(),
            "level": level,
            "patients": g["patients"].sum().to_numpy(),
            "icb": first["icb"].to_numpy(),
            "region": first["region"].to_numpy(),
        }
    )
    if level == "region":
        out["icb"] = None  # a region has many ICBs
    elif is_group_level(level):  # a group drawn across an ICB boundary has no one ICB
        spans = p.groupby(level, sort=True).icb.nunique().to_numpy() > 1
        out["icb"] = out.icb.where(~spans, None)
    out["area_name"] = out.area_name.fillna(out.area)
    return out.reset_index(drop=True)


def area_names(codes: Iterable[str], level: str = "pcn") -> dict[str, str]:
    """Return the name of each of ``codes`` at ``level``, as :func:`select_areas` names it.

    A code whose practices carry no name is named by its code; a code not at ``level`` is
    left out.  Only the practices of ``codes`` are grouped, so naming the one area of a
    run does not group all of England's.
    """
    p = practices_at(level)
    col = _name(level)
    sub = p.loc[p[level].isin({str(c) for c in codes}), [level, col]]
    first = sub.groupby(level, sort=False)[col].first()
    return {str(c): str(c) if pd.isna(n) else str(n) for c, n in first.items()}


def practices_in(areas: Iterable[str] | str, level: str) -> pd.DataFrame:
    """Return the practices of ``areas`` with their list size and an ``area`` column."""
    wanted = [areas] if isinstance(areas, str) else list(areas)
    p = practices_at(level)
    keep = p[level].isin(wanted).to_numpy()
    # only the codes found are gathered (a set of every practice's code costs more)
    unknown = sorted(set(wanted) - set(p.loc[keep, level]))
    if unknown:
        pool = sorted(set(p[level].dropna()))
        close = difflib.get_close_matches(unknown[0], pool, n=5, cutoff=0.5)
        raise InputError(
            f"unknown {level} code(s) {unknown}" + (f"; close matches: {close}" if close else ""),
            source="wfkit.data",
            column="area",
        )
    p = p[keep].copy()
    p["area"] = p[level]
    return p


def _banded(p: pd.DataFrame) -> pd.DataFrame:
    """Split each practice's list into the 19 age bands with its own age profile.

    The profile is the practice's December 2025 one (``practice_age``); a changed
    ``patients`` total keeps the practice's shape.
    """
    pa = _practice_shares(str(data_dir()))
    x = p[["area", "practice", "sub_icb", "icb", "patients"]].merge(pa, on="practice", how="left")
    if x.share.isna().any():
        bad = x.loc[x.share.isna(), "practice"].iloc[0]
        raise InputError(
            f"no age profile for practice {bad}", source="data/population/practice_age.csv"
        )
    x["population"] = x.patients * x.share
    return x


@functools.lru_cache(maxsize=4)
def _practice_shares(folder: str) -> pd.DataFrame:
    pa = load("practice_age")
    tot = pa.groupby("practice").patients.transform("sum")
    n = pa.groupby("practice").age_band.transform("size")
    # a practice with no registered patients gets an even split (never used for weights)
    pa["share"] = np.where(tot > 0, pa.patients / tot.where(tot > 0, 1), 1 / n)
    return pa[["practice", "age_band", "share"]]


def user_table(obj, reader, spec, what: str) -> pd.DataFrame:
    """Read a user's table given as a path (read and checked) or a DataFrame (checked)."""
    if isinstance(obj, pd.DataFrame):
        df = validate_table(obj, spec, source=what)
        check_codes(df, "practice", set(load("areas").practice), what, "practice code")
        return check_user_table(df, what)
    return reader(obj)


def _check_selected(user: pd.DataFrame, p: pd.DataFrame, obj: object, what: str) -> None:
    """Refuse a row of a user's table for a practice outside the selected areas.

    Such a row would be ignored; the error names it.
    """
    source = what if isinstance(obj, pd.DataFrame) else str(obj)
    inside = set(p.practice)
    first_bad_row(
        ~user.practice.isin(inside).to_numpy(),
        lambda i: (
            f"practice {user.practice.iloc[i]!r} is not in the selected areas; expected "
            "only practices of the areas modelled"
        ),
        source,
        "practice",
    )


def population(
    areas: Iterable[str] | str,
    level: str = "pcn",
    practice_list: str | Path | pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return registered population (1 December 2025) by area and age band: POPULATION.

    This is the POPULATION table.  Each practice's own registered patients by age band
    (``practice_age``, female + male), summed to ``level``.  ``practice_list`` (a CSV path
    or DataFrame with ``practice``, ``patients``) replaces the total of every practice it
    names, keeping that practice's own age shape; it is validated like the bundled tables.
    """
    p = practices_in(areas, level)
    if practice_list is not None:
        user = user_table(practice_list, read_practice_list, PRACTICE_LIST, "practice list")
        _check_selected(user, p, practice_list, "practice list")
        own = user.set_index("practice").patients
        hit = p.practice.isin(own.index)
        p.loc[hit, "patients"] = p.loc[hit, "practice"].map(own).to_numpy()
    x = _banded(p)
    out = x.groupby(["area", "age_band"], sort=False).population.sum().reset_index()
    out = _order(out, ["area"])
    return validate_table(out, T.POPULATION, source="wfkit.data.population")


def _order(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    df = df.copy()
    df["_b"] = df.age_band.map({b: i for i, b in enumerate(T.AGE_BANDS)})
    return df.sort_values([*keys, "_b"]).drop(columns="_b").reset_index(drop=True)


def growth(
    areas: Iterable[str] | str,
    level: str = "pcn",
    base_year: int = 2025,
    years: Iterable[int] | None = None,
) -> pd.DataFrame:
    """Growth factors by area, year and age band (1 in ``base_year``): the GROWTH table.

    From the ONS 2022-based projection (migration-category variant) of each practice's
    sub-ICB location: ``projection[year] / projection[base_year]`` per band, weighted by the
    area's registered patients from each sub-ICB in that band.  Years must lie in 2022-2047.
    """
    years = list(range(base_year, base_year + 11)) if years is None else [int(y) for y in years]
    if not (_Y0 <= base_year <= _Y1) or any(not _Y0 <= y <= _Y1 for y in years):
        raise InputError(
            f"years must lie in {_Y0}-{_Y1} (the projection); got base {base_year}, "
            f"years {years[0]}-{years[-1]}",
            source="wfkit.data.growth",
            column="year",
        )
    x = _banded(practices_in(areas, level))
    w = x.groupby(["area", "sub_icb", "age_band"]).population.sum().reset_index()
    proj = load("projection").rename(columns={"area": "sub_icb"})
    proj = proj[proj.year.isin(set(years) | {base_year})]
    base = proj[proj.year == base_year][["sub_icb", "age_band", "population"]].rename(
        columns={"population": "base"}
    )
    r = proj.merge(base, on=["sub_icb", "age_band"])
    r["ratio"] = np.where(r.base > 0, r.population / r.base.where(r.base > 0, 1), 1.0)
    m = w.merge(r[["sub_icb", "year", "age_band", "ratio"]], on=["sub_icb", "age_band"])
    m = m[m.year.isin(years)]
    m["wr"] = m.population * m.ratio
    g = m.groupby(["area", "year", "age_band"]).agg(wr=("wr", "sum"), w=("population", "sum"))
    # a band with no patients takes the unweighted mean ratio of its sub-ICBs
    mean = m.groupby(["area", "year", "age_band"]).ratio.mean()
    g["factor"] = np.where(g.w > 0, g.wr / g.w.where(g.w > 0, 1), mean.reindex(g.index))
    out = _order(g.reset_index()[["area", "year", "age_band", "factor"]], ["area", "year"])
    return validate_table(out, T.GROWTH, source="wfkit.data.growth")


#: the years of the bundled projection
_Y0, _Y1 = 2022, 2047


def _practice_ratios(p: pd.DataFrame, source: str, conditions) -> pd.DataFrame:
    """Each practice's QOF 2024/25 prevalence relative to England's, by condition.

    From the practice's own register (register / list of its list type) where it has one;
    for a practice with no 2024/25 register (new, or not in QOF), or every practice with
    ``source="sub_icb"``, from its sub-ICB's practices summed.
    """
    own, sub, eng = _qof_2425(str(data_dir()))
    grid = p[["area", "practice", "sub_icb", "patients"]].merge(
        pd.DataFrame({"condition": list(conditions)}), how="cross"
    )
    x = grid.merge(own, on=["practice", "condition"], how="left")
    x = x.merge(sub, on=["sub_icb", "condition"], how="left")
    if source == "sub_icb":
        x["prev"] = np.nan
    x["recorded"] = x.prev.notna().astype(float)
    x["ratio"] = x.prev.fillna(x.prev_sub) / x.condition.map(eng)
    if x.ratio.isna().any():
        bad = x[x.ratio.isna()].iloc[0]
        raise InputError(
            f"no QOF 2024/25 figure for practice {bad.practice}, condition {bad.condition}",
            source="data/prevalence/qof_practice.csv",
        )
    return x


def prevalence(areas: Iterable[str] | str, level: str = "pcn", source: str = "qof") -> pd.DataFrame:
    """Local cohort fractions by area, activity and age band (PREVALENCE format + ``area``).

    For each activity in ``condition_activities.csv`` (diabetes, hypertension, asthma, COPD,
    CHD, serious mental illness, depression), the national age-specific fractions of
    ``prevalence.csv`` are scaled by indirect standardisation to the area's **recorded**
    register::

        factor = register_share x sum_p rate[p] x eligible[p] / sum_p sum_g P[p,g] x f[g]

    ``rate`` is each practice's recorded QOF 2024/25 prevalence (register / list of the
    register's list type, e.g. 17+ for diabetes); a practice with no 2024/25 register (new,
    or not in QOF), or every practice with ``source="sub_icb"``, takes its sub-ICB's rate.
    ``eligible`` is the practice's December 2025 list of that age (from its own age bands,
    a band split evenly across its five years), ``P`` its list by band and ``f`` the national
    fractions, so the area's cohort is its recorded register at December 2025 list size,
    spread across age bands as the national fractions spread it.  ``register_share`` is the
    share of the register in the activity's cohort (type 2: about 0.9 of the diabetes
    register).  Values are capped at 1.
    """
    if source not in ("qof", "sub_icb"):
        raise InputError(
            f"unknown prevalence source {source!r}; expected 'qof' or 'sub_icb'",
            source="wfkit.data.prevalence",
            column="source",
        )
    p = practices_in(areas, level)
    cmap = load("condition_activities")
    conditions = sorted(set(cmap.condition))
    x = _practice_ratios(p, source, conditions)
    x["rate"] = x.prev.fillna(x.prev_sub)
    nat = load("prevalence")
    nat = nat[nat.activity.isin(cmap.activity) & nat.age_band.ne("all")]
    if "area" in nat.columns:
        nat = nat[nat.area.isna()].drop(columns="area")

    banded = _banded(p)[["area", "practice", "age_band", "population"]]
    # eligible list of each practice for each condition's list type (TOTAL or NNOV)
    types = load("qof_practice").groupby("condition").list_type.first().reindex(conditions)
    min_age = types.map(lambda t: 0 if t == "TOTAL" else int(str(t)[:2])).fillna(0)
    start = banded.age_band.map(lambda b: int(b.split("-")[0].rstrip("+")))
    elig = []
    for cond, m in min_age.items():
        w = np.clip((start + 5 - m) / 5.0, 0.0, 1.0)
        elig.append(
            banded.assign(condition=cond, e=banded.population * w)
            .groupby(["practice", "condition"])
            .e.sum()
        )
    x = x.merge(pd.concat(elig).rename("eligible").reset_index(), on=["practice", "condition"])
    x["recorded_cohort"] = x.rate * x.eligible
    x["w_rec"] = x.patients * x.recorded
    obs = x.groupby(["area", "condition"]).agg(
        cohort=("recorded_cohort", "sum"),
        w_rec=("w_rec", "sum"),
        w=("patients", "sum"),
        n=("recorded", "sum"),
        practices=("practice", "size"),
    )
    obs["recorded_share"] = np.where(obs.w > 0, obs.w_rec / obs.w.where(obs.w > 0, 1), 0.0)
    obs = obs.reset_index()

    nv = nat[["activity", "age_band", "value"]]
    pa = (
        banded.groupby(["area", "age_band"]).population.sum().reset_index().merge(nv, on="age_band")
    )
    pa["pv"] = pa.population * pa.value
    expected = pa.groupby(["area", "activity"]).pv.sum().rename("expected").reset_index()

    f = expected.merge(cmap[["activity", "condition", "register_share"]], on="activity")
    f = f.merge(obs, on=["area", "condition"])
    if f.empty:
        raise InputError("no local prevalence for these areas", source="wfkit.data.prevalence")
    f["factor"] = np.where(
        f.expected > 0,
        f.register_share * f.cohort / f.expected.where(f.expected > 0, 1.0),
        1.0,
    )
    pct = (100 * f.recorded_share).round(0).astype(int).astype(str)
    f["source"] = (
        "national fraction x local factor (indirectly standardised to the recorded register): "
        + f.condition
        + " QOF 2024/25 registers at December 2025 lists, practices' own for "
        + pct
        + "% of patients, the sub-ICB rate (no register) for the rest"
    )
    f["notes"] = (
        "factor "
        + f.factor.map(lambda v: f"{v:.4f}")
        + "; recorded for "
        + f.n.astype(int).astype(str)
        + " of "
        + f.practices.astype(int).astype(str)
        + " practices; register share "
        + f.register_share.map(lambda v: f"{v:g}")
    )
    nat = nat.drop(columns=[c for c in ("source", "notes") if c in nat.columns])
    out = f[["area", "activity", "factor", "source", "notes"]].merge(nat, on="activity")
    for c in ("value", "lo", "hi"):
        out[c] = (out[c] * out.factor).clip(upper=1.0)
    out["_a"] = out.activity.map({a: i for i, a in enumerate(cmap.activity)})
    out["_b"] = out.age_band.map({b: i for i, b in enumerate(T.AGE_BANDS)})
    out = out.sort_values(["area", "_a", "_b"]).reset_index(drop=True)
    cols = list(dict.fromkeys(["area", *[c.name for c in T.PREVALENCE.columns]]))
    out = out[[c for c in cols if c in out.columns]]
    spec = TableSpec(
        "prevalence",
        T.PREVALENCE.columns,
        key=("area", "activity", "age_band"),
        extra_ok=frozenset({"area"}),
    )
    return validate_table(out, spec, source="wfkit.data.prevalence")


def qof_trend(areas: Iterable[str] | str, level: str = "pcn") -> pd.DataFrame:
    """Return recorded prevalence 2022/23 -> 2024/25 by area and QOF register, for a trend.

    Over the area's practices with a register and list in both years: ``prevalence_2223``
    and ``prevalence_2425`` (registers / lists summed), and ``annual_change``, the
    annualised relative change ``(prevalence_2425 / prevalence_2223) ** (1 / 2) - 1``.
    Also ``practices`` (with both years) and ``practices_missing``.
    """
    p = practices_in(areas, level)
    q = load("qof_practice")
    both = q[["register_2425", "list_2425", "register_2223", "list_2223"]].notna().all(axis=1)
    q = q[both & (q.list_2425 > 0) & (q.list_2223 > 0)]
    m = p[["practice", "area"]].merge(q, on="practice")
    g = m.groupby(["area", "condition"], sort=True).agg(
        register_2223=("register_2223", "sum"),
        list_2223=("list_2223", "sum"),
        register_2425=("register_2425", "sum"),
        list_2425=("list_2425", "sum"),
        practices=("practice", "size"),
    )
    if g.empty:
        raise InputError("no practice of these areas is in both QOF years", source="wfkit.data")
    n = p.groupby("area").size()
    g["practices_missing"] = g.index.get_level_values("area").map(n).to_numpy() - g.practices
    g["prevalence_2223"] = g.register_2223 / g.list_2223
    g["prevalence_2425"] = g.register_2425 / g.list_2425
    ok = g.prevalence_2223 > 0
    g["annual_change"] = np.where(
        ok, (g.prevalence_2425 / g.prevalence_2223.where(ok, 1)) ** 0.5 - 1, np.nan
    )
    cols = ["prevalence_2223", "prevalence_2425", "annual_change", "practices", "practices_missing"]
    return g[cols].reset_index()


def same_day_share(areas: Iterable[str] | str, level: str = "pcn") -> pd.DataFrame:
    """Share of appointments booked and held the same day, November 2025, by area.

    Returns ``area``, ``same_day``, ``appointments`` (with a known booking time),
    ``unknown`` and ``share`` (same_day / appointments), plus ``same_day_gp`` and
    ``same_day_other`` (the same-day appointments by staff type).  Practices missing from
    the appointments file count as zero and are listed in ``practices_missing``.
    """
    p = practices_in(areas, level)
    ap = load("appointments")
    known_cols = list(LEAD_TIMES)
    num = [*known_cols, "unknown", "same_day_gp", "same_day_other"]
    m = p[["practice", "area"]].merge(ap, on="practice", how="left", indicator=True)
    m["missing"] = (m._merge == "left_only").astype(int)
    m[num] = m[num].fillna(0)
    m["known"] = m[known_cols].sum(axis=1)
    g = (
        m.groupby("area", sort=True)
        .agg(
            same_day=("same_day", "sum"),
            appointments=("known", "sum"),
            unknown=("unknown", "sum"),
            same_day_gp=("same_day_gp", "sum"),
            same_day_other=("same_day_other", "sum"),
            practices_missing=("missing", "sum"),
        )
        .reset_index()
    )
    g["share"] = np.where(
        g.appointments > 0, g.same_day / g.appointments.where(g.appointments > 0, 1), np.nan
    )
    return g


_APPT_NUM = ("total", "gp", "other_staff", "unknown_staff", "list_size")


def appointments(areas: Iterable[str] | str, level: str = "pcn") -> pd.DataFrame:
    """Appointments in November 2025 by area (practices' own figures summed).

    Returns ``area``, ``total``, ``gp``, ``other_staff``, ``unknown_staff``, ``list_size``
    (the appointments file's list size of the practices covered), ``patients`` (1 December
    2025, every practice), ``practices`` (covered) and ``practices_missing`` (in the area but
    not in the November 2025 file; counted as zero).
    """
    p = practices_in(areas, level)
    ap = load("appointments")[["practice", *_APPT_NUM]]
    m = p[["practice", "area", "patients"]].merge(ap, on="practice", how="left", indicator=True)
    m["covered"] = (m._merge == "both").astype(int)
    m["missing"] = 1 - m.covered
    m[list(_APPT_NUM)] = m[list(_APPT_NUM)].fillna(0)
    aggs = {c: (c, "sum") for c in (*_APPT_NUM, "patients")}
    g = m.groupby("area", sort=True).agg(
        **aggs, practices=("covered", "sum"), practices_missing=("missing", "sum")
    )
    for c in (*_APPT_NUM, "patients"):
        g[c] = g[c].astype(np.int64)
    return g.reset_index()


#: the twelve months seasonal factors are measured over (ending in the base month)
SEASON_MONTHS = ("2024-12", *(f"2025-{m:02d}" for m in range(1, 12)))
_STAFF = {"gp": "gp", "other": "other_staff", "unknown": "unknown_staff"}


def seasonal_factors(areas: Iterable[str] | str, level: str = "pcn") -> pd.DataFrame:
    """November 2025's share of its year, times 12, by area and staff type.

    For each sub-ICB and staff type (``gp``, ``other``, ``unknown``)::

        factor = appointments(November 2025) / appointments(December 2024 - November 2025) x 12

    so an annual figure is ``November / factor x 12``.  An area takes its practices'
    sub-ICBs weighted by their November 2025 appointments of that staff type (harmonically,
    so that ``annual`` is the sum of the sub-ICBs' annual estimates; by registered patients
    when the area has no November appointments).  Returns ``area``, ``staff_type``,
    ``factor``, ``november`` and ``annual`` (= november / factor x 12).
    """
    p = practices_in(areas, level)
    mon = load("appointments_monthly")
    mon = mon[mon.month.isin(SEASON_MONTHS)]
    yr = mon.groupby(["sub_icb", "staff_type"]).appointments.sum()
    nov = mon[mon.month == SEASON_MONTHS[-1]].groupby(["sub_icb", "staff_type"]).appointments.sum()
    f = (nov / yr * 12).rename("f").reset_index()
    ap = load("appointments")
    m = p[["practice", "area", "sub_icb", "patients"]].merge(ap, on="practice", how="left")
    rows = []
    for staff, col in _STAFF.items():
        w = m.groupby(["area", "sub_icb"]).agg(n=(col, "sum"), pat=("patients", "sum"))
        w = w.reset_index().merge(f[f.staff_type == staff], on="sub_icb", how="left")
        if w.f.isna().any():
            raise InputError(
                f"no {staff} appointments for sub-ICB {w.sub_icb[w.f.isna()].iloc[0]}",
                source="data/appointments/appointments_monthly.csv",
            )
        has = w.groupby("area").n.transform("sum") > 0
        w["wt"] = np.where(has, w.n, w.pat)
        w["inv"] = w.wt / w.f
        g = w.groupby("area").agg(wt=("wt", "sum"), inv=("inv", "sum"), november=("n", "sum"))
        g["factor"] = g.wt / g.inv
        g["staff_type"] = staff
        rows.append(g.reset_index())
    out = pd.concat(rows, ignore_index=True)
    out["annual"] = out.november / out.factor * 12
    order = {s: i for i, s in enumerate(_STAFF)}
    out = out.assign(_s=out.staff_type.map(order)).sort_values(["area", "_s"])
    return out[["area", "staff_type", "factor", "november", "annual"]].reset_index(drop=True)
