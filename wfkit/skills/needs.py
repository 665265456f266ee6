"""Competency workload and training needs: who must hold each competency, who already does.

For area ``a``, year ``t``, role ``r`` and competency ``c``, with ``fph[r]`` the FTE per head:

=====================  ===============================================================
FTE on c-work          ``W[a,t,r,c] = sum of fte over activities that need c``
heads needing c        ``N = min(W / share_of_time, role FTE) / fph``
already covered        ``K = max(heads today x share_trained, N under today's model)``
                       (all of ``N`` when the competency is baseline for the role)
gap                    ``G = max(0, N - K)``
trained by programme   ``C[t] = max(G[t0..t])`` (trained staff stay trained)
to train in year t     ``X[t] = C[t] - C[t-1]``
=====================  ===============================================================

The workload is the engine's :meth:`~wfkit.model.engine.ModelResult.workload_by_activity`
output (``area, year, activity, role, hours, fte``); it is checked and turned into dense
(area, year, role-competency pair) arrays once, however long it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from ..settings import SKILL_MIX_MODELS
from ..validation import Column, TableSpec, first_bad_row, spreadsheet_row, validate_table
from .tables import SkillsTables, require_roles

__all__ = ["check_activities", "competency_workload", "training_needs"]


def check_activities(tables: SkillsTables, activities: pd.DataFrame | list[str]) -> None:
    """Check that every activity in ``activity_competencies`` is a known activity id.

    Parameters
    ----------
    activities
        The activities table (with an ``activity`` column) or a list of activity ids.
    """
    ids = set(activities["activity"] if isinstance(activities, pd.DataFrame) else activities)
    ac = tables.activity_competencies
    first_bad_row(
        (~ac["activity"].isin(ids)).to_numpy(),
        lambda i: (
            f"unknown activity {ac['activity'].iloc[i]!r}; expected an id of the activities table"
        ),
        source="activity_competencies",
        column="activity",
    )


def _check_eligible_shares(skill_mix: pd.DataFrame, tables: SkillsTables) -> None:
    """Check a role given a future share of an activity is eligible for its competencies."""
    sm = validate_table(
        skill_mix,
        TableSpec(
            "skill_mix",
            (
                Column("activity", "str"),
                Column("role", "str"),
                Column("current", "float", min=0, max=1),
                Column("future", "float", min=0, max=1),
            ),
            allow_extra=True,
        ),
        source="skill_mix",
    )
    sm["_row"] = np.arange(len(sm)) + 2
    m = sm.merge(tables.activity_competencies[["activity", "competency"]], on="activity")
    m = m.merge(
        tables.role_competencies[["role", "competency", "eligible"]],
        on=["role", "competency"],
        how="left",
    )
    for col in reversed(SKILL_MIX_MODELS):  # the future model first
        bad = (m[col] > 0) & (m["eligible"].fillna(0) != 1)
        if bad.any():
            r = m.loc[bad].sort_values("_row").iloc[0]
            raise InputError(
                f"role {r['role']!r} has a {col} share {r[col]:g} of activity {r['activity']!r}, "
                f"which needs competency {r['competency']!r}, but the role can never hold it "
                "(role_competencies eligible = 0 or no row); move the share to an eligible role",
                source="skill_mix",
                row=int(r["_row"]),
                column=col,
            )


def _check_workload(df: pd.DataFrame, source: str) -> pd.DataFrame:
    """Fast checks of a (possibly very long) workload frame; rows with the same key add up."""
    need = ["area", "year", "activity", "role", "fte"]
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise InputError(f"missing column(s) {missing}; expected columns {need}", source=source)
    if len(df) == 0:
        raise InputError("the table is empty; expected at least one row", source=source)
    for c in ("area", "activity", "role"):
        first_bad_row(
            df[c].isna().to_numpy(),
            "empty value; expected text",
            source=source,
            column=c,
        )
    for c, lo in (("fte", 0.0), ("year", 1900.0)):
        v = pd.to_numeric(df[c], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(v) | (v < lo)
        if c == "year":
            bad |= np.isfinite(v) & (v != np.round(v))
        what = "a whole year" if c == "year" else "a finite number >= 0"
        first_bad_row(
            bad,
            lambda i, c=c, what=what: f"value {df[c].iloc[i]!r}; expected {what}",
            source=source,
            column=c,
        )
    return df


@dataclass
class _Dense:
    """Workload needing each (role, competency) pair ``j`` as arrays over (area, year, j)."""

    areas: np.ndarray  # (A,)
    years: np.ndarray  # (T,)
    roles: np.ndarray  # (R,)
    pair_role: np.ndarray  # (J,) role code of pair j
    pair_comp: np.ndarray  # (J,) competency name of pair j
    comp_fte: list[np.ndarray]  # per frame: (A, T, J) FTE on work needing the competency
    role_fte: list[np.ndarray]  # per frame: (A, T, R)
    present: np.ndarray  # (A, J): the area has work needing the pair in some frame and year


def _dense(frames: list[tuple[pd.DataFrame, str]], tables: SkillsTables) -> _Dense:
    frames = [(_check_workload(df, src), src) for df, src in frames]
    cat = {
        c: pd.Index(pd.unique(np.concatenate([df[c].astype(str).to_numpy() for df, _ in frames])))
        for c in ("area", "activity", "role")
    }
    cat = {c: ix.sort_values() for c, ix in cat.items()}
    years = np.sort(
        pd.unique(np.concatenate([pd.to_numeric(df["year"]).to_numpy() for df, _ in frames]))
    )
    years = years.astype(np.int64)
    A, T, R, K = len(cat["area"]), len(years), len(cat["role"]), len(cat["activity"])
    # (role, activity) -> (role, competency) pairs
    ac = tables.activity_competencies[["activity", "competency"]]
    acts = pd.DataFrame({"activity": np.asarray(cat["activity"]), "k": np.arange(K)})
    link = acts.merge(ac, on="activity")  # k, competency
    codes = []
    for df, _ in frames:
        codes.append(
            (
                cat["area"].get_indexer(df["area"].astype(str)),
                np.searchsorted(years, pd.to_numeric(df["year"]).to_numpy().astype(np.int64)),
                cat["role"].get_indexer(df["role"].astype(str)),
                cat["activity"].get_indexer(df["activity"].astype(str)),
                pd.to_numeric(df["fte"]).to_numpy(dtype=float),
            )
        )
    rk = np.unique(np.concatenate([r * K + k for _, _, r, k, _ in codes]))
    rk = pd.DataFrame({"rk": rk, "r": rk // K, "k": rk % K}).merge(link, on="k")
    rk["role"] = np.asarray(cat["role"])[rk["r"].to_numpy()]
    pairs = rk[["role", "competency"]].drop_duplicates().sort_values(["role", "competency"])
    pairs = pairs.reset_index(drop=True)
    J = len(pairs)
    rk = rk.merge(pairs.reset_index().rename(columns={"index": "j"}), on=["role", "competency"])
    # eligibility of every pair that carries work
    el = pairs.merge(tables.role_competencies[["role", "competency", "eligible"]], how="left")
    ok = el["eligible"].fillna(0).to_numpy() == 1
    # sparse (role-activity) x pair matrix as index arrays, sorted by role-activity code
    order = np.argsort(rk["rk"].to_numpy(), kind="stable")
    srt = rk["rk"].to_numpy()[order]
    srt_j = rk["j"].to_numpy()[order]
    comp_fte, role_fte, present = [], [], np.zeros((A, J), dtype=bool)
    for (a, t, r, k, f), (df, src) in zip(codes, frames, strict=True):
        role_fte.append(
            np.bincount((a * T + t) * R + r, weights=f, minlength=A * T * R).reshape(A, T, R)
        )
        row_rk = r * K + k
        # rows of (role, activity) that need competencies: expand to their pairs
        lo = np.searchsorted(srt, row_rk, side="left")
        hi = np.searchsorted(srt, row_rk, side="right")
        n = hi - lo
        rows = np.repeat(np.arange(len(a)), n)
        off = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
        jj = srt_j[np.repeat(lo, n) + off]
        bad = (f[rows] > 0) & ~ok[jj]
        if bad.any():
            i = int(rows[np.flatnonzero(bad)[0]])
            j = int(jj[np.flatnonzero(bad)[0]])
            raise InputError(
                f"role {df['role'].iloc[i]!r} does {f[i]:.3g} FTE of activity "
                f"{df['activity'].iloc[i]!r} in {df['area'].iloc[i]} {int(years[t[i]])}, which needs "
                f"competency {pairs['competency'].iloc[j]!r}, but the role can never hold it "
                "(eligible = 0 or no row in role_competencies)",
                source=src,
                row=spreadsheet_row(i),
                column="role",
            )
        flat = (a[rows] * T + t[rows]) * J + jj
        comp_fte.append(np.bincount(flat, weights=f[rows], minlength=A * T * J).reshape(A, T, J))
        present[a[rows], jj] = True
    return _Dense(
        areas=np.asarray(cat["area"], dtype=object),
        years=years,
        roles=np.asarray(cat["role"], dtype=object),
        pair_role=cat["role"].get_indexer(pairs["role"]),
        pair_comp=pairs["competency"].to_numpy(dtype=object),
        comp_fte=comp_fte,
        role_fte=role_fte,
        present=present,
    )


def _tidy(d: _Dense, cols: dict[str, np.ndarray]) -> pd.DataFrame:
    """Rows (area, year, pair) where the pair is present, from (A, T, J) arrays."""
    A, T, J = len(d.areas), len(d.years), len(d.pair_role)
    ia, ij = np.nonzero(d.present)  # sorted by area then pair
    n = len(ia)
    a = np.repeat(ia, T).reshape(n, T).T.ravel()  # order: area, year, pair
    t = np.repeat(np.arange(T), n)
    j = np.tile(ij, T)
    # reorder to area, year, pair
    order = np.lexsort((j, t, a))
    a, t, j = a[order], t[order], j[order]
    out = pd.DataFrame(
        {
            "area": d.areas[a],
            "year": d.years[t],
            "role": d.roles[d.pair_role[j]],
            "competency": d.pair_comp[j],
        }
    )
    for name, arr in cols.items():
        out[name] = np.broadcast_to(arr, (A, T, J))[a, t, j]
    return out


def competency_workload(workload: pd.DataFrame, tables: SkillsTables) -> pd.DataFrame:
    """FTE of each role spent on activities needing each competency.

    Parameters
    ----------
    workload
        ``area, year, activity, role, fte`` (the engine's workload by activity); rows with
        the same key add up.
    tables
        The skills tables.

    Returns
    -------
    pandas.DataFrame
        ``area, year, role, competency, fte`` (an activity needing two competencies counts
        towards both), and ``role_fte``, the role's FTE over all activities.

    Raises
    ------
    InputError
        If a role does work needing a competency it can never hold.
    """
    d = _dense([(workload, "workload")], tables)
    return _tidy(d, {"fte": d.comp_fte[0], "role_fte": d.role_fte[0][:, :, d.pair_role]})


def training_needs(
    workload: pd.DataFrame,
    tables: SkillsTables,
    *,
    baseline: pd.DataFrame | None = None,
    skill_mix: pd.DataFrame | None = None,
    current_fte: pd.DataFrame | None = None,
    share_of_time: float = 1.0,
) -> pd.DataFrame:
    """Training needs analysis: staff who must hold each competency, already trained, gap.

    Parameters
    ----------
    workload
        The scenario's workload by activity and role: ``area, year, activity, role, fte``.
        Its first year is the base year.
    tables
        The skills tables (:func:`~wfkit.skills.load_skills_tables`).
    baseline
        Workload under today's who-does-what for the same demand (same columns). Staff that
        today's model would need are taken as already trained (recruited or trained as
        business as usual), so only the change of skill mix creates a training need. If not
        given, the base year of ``workload`` stands for today's model, held flat.
    skill_mix
        Optional skill-mix table (``activity, role, current, future``), checked so that no
        role is given a share of an activity needing a competency it can never hold.
    current_fte
        Staff in post in the base year (``area, role, fte``); by default the base-year FTE of
        each role in ``workload``.
    share_of_time
        Share of a trained person's time spent on work needing the competency (0-1]; 1 gives
        the fewest heads, 0.5 doubles them. Heads are capped at the role's headcount.

    Returns
    -------
    pandas.DataFrame
        One row per ``area, year, role, competency``: ``need_heads``, ``need_fte`` (staff who
        must hold the competency), ``trained_heads``, ``trained_fte`` (already holding it:
        today's trained staff or today's model's need), ``shortfall_heads``, ``shortfall_fte``
        (``max(0, need - trained)``), ``to_train_heads`` (trained in the year; trained staff
        stay trained, so the sum over years is the largest gap) and ``cum_trained_heads``.

    Raises
    ------
    InputError
        On a malformed workload, a role without FTE per head, a role given work needing a
        competency it can never hold, or ``share_of_time`` outside (0, 1].
    """
    if not (0 < share_of_time <= 1):
        raise InputError(
            f"share_of_time = {share_of_time:g}; expected a value in (0, 1]",
            column="share_of_time",
        )
    if skill_mix is not None:
        _check_eligible_shares(skill_mix, tables)
    frames = [(workload, "workload")]
    if baseline is not None:
        frames.append((baseline, "baseline"))
    d = _dense(frames, tables)
    fph = tables.fph()
    require_roles(d.roles, fph.index, "FTE per head", "fte_per_head")
    f_r = fph.reindex(d.roles).to_numpy(dtype=float)  # (R,)
    f_j = f_r[d.pair_role]  # (J,)

    def heads(i: int) -> np.ndarray:
        cap = d.role_fte[i][:, :, d.pair_role]
        return np.minimum(d.comp_fte[i] / share_of_time, cap) / f_j

    need = heads(0)  # (A, T, J)
    base = heads(1) if baseline is not None else need[:, :1, :]
    # staff in post today by area and role
    if current_fte is None:
        cur = d.role_fte[0][:, 0, :]  # (A, R): base year of the scenario
    else:
        cf = validate_table(
            current_fte,
            TableSpec(
                "current_fte",
                (Column("area", "str"), Column("role", "str"), Column("fte", "float", min=0)),
                key=("area", "role"),
                allow_extra=True,
            ),
            source="current_fte",
        )
        cur = np.zeros((len(d.areas), len(d.roles)))
        ia = pd.Index(d.areas).get_indexer(cf["area"])
        ir = pd.Index(d.roles).get_indexer(cf["role"])
        keep = (ia >= 0) & (ir >= 0)
        cur[ia[keep], ir[keep]] = cf["fte"].to_numpy()[keep]
    rc = pd.DataFrame({"role": d.roles[d.pair_role], "competency": d.pair_comp}).merge(
        tables.role_competencies[["role", "competency", "baseline", "share_trained"]],
        how="left",
    )
    share = rc["share_trained"].fillna(0.0).to_numpy()
    is_base = rc["baseline"].fillna(0).to_numpy() == 1
    stock = cur[:, d.pair_role] / f_j * share  # (A, J)
    covered = np.maximum(stock[:, None, :], base)
    covered = np.where(is_base, np.maximum(covered, need), covered)
    gap = np.maximum(need - covered, 0.0)
    cum = np.maximum.accumulate(gap, axis=1)
    to_train = np.diff(cum, axis=1, prepend=0.0)
    return _tidy(
        d,
        {
            "need_heads": need,
            "need_fte": need * f_j,
            "trained_heads": covered,
            "trained_fte": covered * f_j,
            "shortfall_heads": gap,
            "shortfall_fte": gap * f_j,
            "to_train_heads": to_train,
            "cum_trained_heads": cum,
        },
    )
