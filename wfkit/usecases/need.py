"""An independent need check: the model's requirement against the official need index.

The Global Sum (Carr-Hill) weighted list is NHS England's own measure of a practice's
workload need: the registered list adjusted for age and sex, additional needs (morbidity and
mortality), list turnover, market forces and rurality.  Weighted / registered is the need
index (England 1.00).  The model's own need per patient comes from age bands and recorded
prevalence; the two were made independently, so their agreement across practices and
networks (Pearson ``r``) says how far the model's need follows the official one.

The need-weighted view puts staff in post per 1,000 *weighted* patients by deprivation
(practice IMD 2019 quintile): if staff followed need, every quintile would have about the
same; the inverse care law shows as fewer staff per unit of need where deprivation is
highest.

Sources (``wfkit.data``): ``weighted_list`` (NHS Payments to General Practice 2022/23) and
``practice_imd`` (OHID Fingertips, IMD 2019).  The weighted list is of 2022/23; its index is
applied to the December 2025 list (``weighted = patients x index``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import data as wd
from ..errors import InputError
from ..scenario import run_scenario
from ..tables import REQUIRED_TABLES
from .base import bundled_loader

__all__ = ["NeedCheck", "need_check", "MIN_LIST"]

#: practices with fewer registered patients are left out of the correlations (a tiny or
#: collapsing list makes any per-patient figure meaningless)
MIN_LIST = 1000

#: IMD quintile labels, least deprived first (cut over England's practices)
QUINTILES = (
    "1 least deprived",
    "2",
    "3",
    "4",
    "5 most deprived",
)


@dataclass(frozen=True, slots=True)
class NeedCheck:
    """The frames of :func:`need_check`.

    Attributes
    ----------
    practices
        One row per practice of England: ``practice, pcn, patients, need_index, weighted,
        required_fte, in_post_fte, model_index, in_post_index, imd_2019, imd_quintile``
        (``model_index``: the model's base-year requirement per patient over England's;
        ``in_post_index``: staff in post per patient over England's).
    networks
        The same summed over each network's practices (``need_index`` = weighted /
        patients; ``imd_2019`` the patient-weighted mean).
    correlation
        ``level, x, y, r, n``: Pearson correlation across practices and networks (with at
        least :data:`MIN_LIST` patients and a weighted list) of the official need
        index with the model's requirement per patient, and with staff in post per patient.
    by_quintile
        ``scope, imd_quintile, practices, patients, weighted, in_post_fte, required_fte,
        in_post_per_1000_weighted, required_per_1000_weighted, in_post_per_1000`` for England
        and for the area asked about (England's quintile cut points).
    """

    practices: pd.DataFrame
    networks: pd.DataFrame
    correlation: pd.DataFrame
    by_quintile: pd.DataFrame


def _practice_base_year(base_year: int) -> pd.DataFrame:
    """Every practice's base-year requirement and staff in post (national calibration)."""
    mapping = {
        "name": "need check: every practice, base year",
        "base_year": base_year,
        "horizon": 1,
        "level": "practice",
        "areas": "all",
        "inputs": {t: "bundled" for t in REQUIRED_TABLES},
        "calibration": "national",
    }
    run = run_scenario(mapping, load_table=bundled_loader(), draws=0, seed=0)
    r = run.results["baseline"]
    return pd.DataFrame(
        {
            "practice": list(r.areas),
            "patients": r.population[0, :, 0],
            "required_fte": r.required_fte[0, :, 0, :].sum(axis=-1),
            "in_post_fte": r.supply_fte[0, :, 0, :].sum(axis=-1),
        }
    )


def _index(num: pd.Series, den: pd.Series) -> pd.Series:
    """Per patient over England's per patient (1 = England's rate)."""
    return (num / den) / (num.sum() / den.sum())


def _practices(base_year: int) -> pd.DataFrame:
    p = _practice_base_year(base_year)
    areas = wd.load("areas")[["practice", "pcn"]]
    wl = wd.load("weighted_list")
    wl["need_index"] = wl.weighted / wl.registered
    imd = wd.load("practice_imd")
    p = p.merge(areas, on="practice", how="left")
    p = p.merge(wl[["practice", "need_index"]], on="practice", how="left")
    p = p.merge(imd, on="practice", how="left")
    p["weighted"] = p.patients * p.need_index
    have = p.need_index.notna() & (p.patients > 0)
    p["model_index"] = np.nan
    p["in_post_index"] = np.nan
    p.loc[have, "model_index"] = _index(p.required_fte[have], p.patients[have])
    p.loc[have, "in_post_index"] = _index(p.in_post_fte[have], p.patients[have])
    scored = p.imd_2019.notna()
    p["imd_quintile"] = pd.Series(pd.NA, index=p.index, dtype="object")
    p.loc[scored, "imd_quintile"] = pd.qcut(p.imd_2019[scored], 5, labels=list(QUINTILES)).astype(
        str
    )
    cols = [
        "practice",
        "pcn",
        "patients",
        "need_index",
        "weighted",
        "required_fte",
        "in_post_fte",
        "model_index",
        "in_post_index",
        "imd_2019",
        "imd_quintile",
    ]
    return p[cols]


def _networks(p: pd.DataFrame) -> pd.DataFrame:
    q = p[p.need_index.notna()].assign(imd_x=lambda d: d.imd_2019 * d.patients)
    q = q.assign(imd_n=np.where(q.imd_2019.notna(), q.patients, 0.0))
    g = q.groupby("pcn", sort=True)[
        ["patients", "weighted", "required_fte", "in_post_fte", "imd_x", "imd_n"]
    ].sum()
    g["need_index"] = g.weighted / g.patients
    g["model_index"] = _index(g.required_fte, g.patients)
    g["in_post_index"] = _index(g.in_post_fte, g.patients)
    g["imd_2019"] = (g.imd_x / g.imd_n.where(g.imd_n > 0)).astype(float)
    cols = ["patients", "need_index", "weighted", "required_fte", "in_post_fte"]
    return g[[*cols, "model_index", "in_post_index", "imd_2019"]].reset_index()


def _correlation(p: pd.DataFrame, n: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for level, d in (("practice", p[p.patients >= MIN_LIST]), ("pcn", n[n.patients >= MIN_LIST])):
        d = d[d.need_index.notna()]
        for y in ("model_index", "in_post_index"):
            ok = d[y].notna()
            r = float(np.corrcoef(d.need_index[ok], d[y][ok])[0, 1])
            rows.append({"level": level, "x": "need_index", "y": y, "r": r, "n": int(ok.sum())})
    return pd.DataFrame(rows)


def _by_quintile(p: pd.DataFrame, scope: str) -> pd.DataFrame:
    d = p[p.imd_quintile.notna() & p.need_index.notna()]
    g = d.groupby("imd_quintile", sort=True).agg(
        practices=("practice", "size"),
        patients=("patients", "sum"),
        weighted=("weighted", "sum"),
        in_post_fte=("in_post_fte", "sum"),
        required_fte=("required_fte", "sum"),
    )
    g = g.reindex(list(QUINTILES))
    g["in_post_per_1000_weighted"] = 1000 * g.in_post_fte / g.weighted
    g["required_per_1000_weighted"] = 1000 * g.required_fte / g.weighted
    g["in_post_per_1000"] = 1000 * g.in_post_fte / g.patients
    g = g.reset_index().rename(columns={"index": "imd_quintile"})
    g.insert(0, "scope", scope)
    return g


def need_check(area: str | None = None, level: str = "pcn", base_year: int = 2025) -> NeedCheck:
    """Check the model's need against the official Carr-Hill need index, and staff by deprivation.

    Parameters
    ----------
    area
        An area code at ``level`` whose practices get their own need-weighted view beside
        England's (``None``: England only).
    level
        The level of ``area`` (``practice``, ``pcn``, ``sub_icb``, ``icb`` or ``region``).
    base_year
        The base year of the model run (every practice, national calibration).

    Returns
    -------
    NeedCheck
        Tidy frames: per practice and per network, the correlations (``r``) and the
        need-weighted view by IMD quintile.

    Raises
    ------
    InputError
        If ``area`` is not a code at ``level``.
    """
    p = _practices(base_year)
    n = _networks(p)
    views = [_by_quintile(p, "England")]
    if area is not None:
        mine = wd.practices_in([area], level).practice
        if not len(mine):
            raise InputError(f"no practices in {level} {area!r}", key="area")
        views.append(_by_quintile(p[p.practice.isin(mine)], area))
    return NeedCheck(p, n, _correlation(p, n), pd.concat(views, ignore_index=True))
