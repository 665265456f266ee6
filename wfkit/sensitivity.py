"""What moves the answer: one input at a time (a tornado), and Sobol indices over them all.

The uncertain inputs are the engine's :class:`~wfkit.model.uncertainty.Param` arrays that
carry an 80% interval (population growth rate, prevalence, contacts, minutes, each
working-time and allowance input, pay and on-costs, joiner and leaver rates, prevalence
trends).  Each is moved *as a whole*: every element with an interval to its own P10 (or
P90), the elements fully correlated, which is the question a board asks ("what if minutes
per contact are at the low end of their range?").

* :func:`tornado`: each input at its P10 and at its P90 with every other at its stated
  value; the swing (P90 run minus P10 run) in required FTE, the gap and cost for an area,
  year and role, ranked by size.
* :func:`sobol`: variance-based first-order and total indices (Saltelli's sampling and
  Jansen's estimators, through SALib) over the same inputs, each drawn from its own
  split normal (the draw distribution of the Monte Carlo runs) through one standard-normal
  quantile per input; computed at ``n`` and ``2 n`` base samples, so a reader sees whether
  the indices have settled, with the run time.
* :func:`sobol_indices`: the same estimate for any vectorised function of independent
  uniform inputs (tested on the Ishigami function, whose indices are known exactly).

Calibration factors are held at their central values: an input moved here does not
re-solve the base-year calibration, so a swing says how much the answer depends on the
input *given* today's calibrated workload (under national calibration, the Monte Carlo
draws re-solve it draw by draw and their band is narrower; docs/explain.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from statistics import NormalDist

import numpy as np
import pandas as pd

from .drivers import MEASURE_UNITS, area_inputs, area_label, pick, two_years
from .errors import InputError
from .model.engine import ModelInputs, ModelResult, run_model
from .model.uncertainty import Z80, Param
from .scenario.calibration import core_and_iaf, england_calibrated
from .scenario.results import ScenarioRun

__all__ = [
    "INPUT_WORDS",
    "SWING_MEASURES",
    "SAMPLE_AREAS",
    "SobolResult",
    "convergence_table",
    "index_table",
    "swing_table",
    "factors_to_target",
    "uncertain_inputs",
    "with_input",
    "tornado",
    "sobol",
    "sobol_indices",
]

#: samples times areas run through the engine at a time by :func:`sobol`
SAMPLE_AREAS = 150_000
#: the measures whose swing is reported
SWING_MEASURES = ("required_fte", "gap_fte", "cost_gbp")
#: each engine input in words
INPUT_WORDS = {
    "growth_rate": "annual population growth rate",
    "prevalence": "prevalence",
    "trend": "prevalence trend",
    "contacts": "contacts per person",
    "minutes": "minutes per contact",
    "salary": "salary",
    "oncost_rate": "employer on-costs",
    "joiner_rate": "joiner rate",
    "leaver_rate": "leaver rate",
    "capacity.hours_per_week": "contracted hours a week",
    "capacity.days_per_week": "working days a week",
    "capacity.weeks_per_year": "weeks a year",
    "capacity.annual_leave_days": "annual leave",
    "capacity.bank_holiday_days": "bank holidays",
    "capacity.sickness_days": "sickness absence",
    "capacity.training_days": "training days",
    "capacity.other_days": "other absence",
    "capacity.cas_fraction": "non-patient time (category allowances)",
    "capacity.ias_hours": "individual allowances",
}
_TOP = ("growth_rate", "prevalence", "trend", "contacts", "minutes", "salary", "oncost_rate")
_SUPPLY = ("joiner_rate", "leaver_rate")


def uncertain_inputs(inputs: ModelInputs) -> dict[str, Param]:
    """Return the inputs that carry an 80% interval, by name (``capacity.<key>`` for working time)."""
    out: dict[str, Param] = {}
    for name in (*_TOP, *_SUPPLY):
        p = getattr(inputs, name)
        if p is not None and p.uncertain:
            out[name] = p
    for key, p in inputs.capacity.items():
        if p.uncertain:
            out[f"capacity.{key}"] = p
    return out


def with_input(inputs: ModelInputs, name: str, p: Param) -> ModelInputs:
    """Return ``inputs`` with the input ``name`` (as :func:`uncertain_inputs` names it) replaced."""
    if name.startswith("capacity."):
        cap = dict(inputs.capacity)
        cap[name.split(".", 1)[1]] = p
        return replace(inputs, capacity=cap)
    return replace(inputs, **{name: p})


def _quantile(p: Param, z: np.ndarray) -> np.ndarray:
    """Values ``(S, *shape)`` of ``p`` at standard normals ``z`` ``(S,)`` (split normal, clipped).

    One ``z`` moves every element of the input together; ``z = -1.2816`` is each element's
    P10, ``+1.2816`` its P90, 0 its stated value.
    """
    v = np.asarray(p.value, dtype=float)
    if p.lo is None or p.hi is None:
        return np.broadcast_to(v, (len(z), *v.shape))
    lo = np.broadcast_to(np.asarray(p.lo, dtype=float), v.shape)
    hi = np.broadcast_to(np.asarray(p.hi, dtype=float), v.shape)
    has = ~np.isnan(lo)
    sd_lo = np.where(has, (v - lo) / Z80, 0.0)
    sd_hi = np.where(has, (hi - v) / Z80, 0.0)
    zz = np.asarray(z, dtype=float).reshape(-1, *([1] * v.ndim))
    return np.clip(v + zz * np.where(zz < 0, sd_lo, sd_hi), p.lower, p.upper)


#: the standard normal's quantile, element by element
_normal_quantile = np.vectorize(NormalDist().inv_cdf, otypes=[float])


@dataclass(frozen=True)
class _Given(Param):
    """An input whose draws are given (row 0 the stated value): many settings in one run."""

    rows: np.ndarray = field(default_factory=lambda: np.zeros(1))

    def draws(self, n_draws: int, seed: int, name: str) -> np.ndarray:
        """Return the given rows (the engine's draws)."""
        return self.rows


def factors_to_target(res: ModelResult, target: np.ndarray) -> np.ndarray:
    """Return each run's minutes factor per role that makes England's base year its target.

    ``res`` is a run of :func:`wfkit.scenario.calibration.england_calibrated`'s inputs (England's
    regions with minutes at the central factors; one row per draw or setting), ``target`` its
    target per role.  The same solution as each Monte Carlo draw's (1 in the central run), so
    an input moved here holds the calibration as a draw does.  Returns ``(D, R)``: 1 where a
    role has no modelled work or no target above its individual allowances.
    """
    core, iaf = core_and_iaf(res)
    tgt = np.asarray(target, dtype=float)[None, :]
    ok = (core > 0) & (tgt > iaf)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ok, (tgt - iaf) / np.where(ok, core, 1.0), 1.0)


def _points(inputs: ModelInputs) -> ModelInputs:
    """Every uncertain input at its stated value (a point), so nothing is drawn at random."""
    for name, p in uncertain_inputs(inputs).items():
        inputs = with_input(inputs, name, Param.point(p.value, p.lower, p.upper))
    return inputs


def _settings(inputs: ModelInputs, params: dict[str, Param], z: np.ndarray) -> ModelInputs:
    """Return inputs whose draws are the settings ``z`` ``(S, P)``.

    Row 0 the stated values, then one row per setting, each input ``j`` at its quantile
    ``z[:, j]`` (inputs it lacks left out).
    """
    out = _points(inputs)
    own = uncertain_inputs(inputs)
    for j, name in enumerate(params):
        p = own.get(name)
        if p is None:
            continue
        rows = np.concatenate([np.asarray(p.value, float)[None], _quantile(p, z[:, j])])
        out = with_input(out, name, _Given(p.value, p.lo, p.hi, p.lower, p.upper, rows=rows))
    return out


@dataclass(frozen=True)
class _Setup:
    """One area's two-year inputs and what the settings are read from."""

    inputs: ModelInputs
    params: dict[str, Param]
    role: int | None
    area: int | None
    year_index: int
    england: ModelInputs | None  # England's regions when calibration is re-solved
    target: np.ndarray | None
    role_map: np.ndarray | None  # the area's roles' columns in England's (-1: none)


def _prepare(
    run: ScenarioRun, area: str | None, year: int | None, role: str | None, variant: str
) -> _Setup:
    """One area's two-year inputs, the indices asked for, and England for calibration."""
    if variant not in run.inputs:
        raise InputError(
            f"variant {variant!r} is not in the run; expected one of {list(run.inputs)}",
            column="variant",
        )
    inputs = run.inputs[variant]
    years = [int(y) for y in inputs.years]
    year = years[-1] if year is None else int(year)
    if year not in years:
        raise InputError(f"year {year} is not modelled; expected one of {years}", column="year")
    cut = area_inputs(inputs, area)
    cut = replace(
        two_years(cut, max(years.index(year), 1)), minutes_draw_factor=None, draw_seed=None
    )
    ai = list(cut.areas).index(area) if area is not None and len(cut.areas) > 1 else None
    roles = list(inputs.roles)
    if role not in (None, "all") and role not in roles:
        raise InputError(f"role {role!r} is not modelled; expected one of {roles}", column="role")
    ri = None if role in (None, "all") else roles.index(role)
    england = target = role_map = None
    method = run.calibration(variant).method if variant in run.provenance else "none"
    if method != "none":
        england, target = england_calibrated(
            method, dict(run.scenario.variant(variant).unmet_demand or {})
        )
        eng_roles = list(england.roles)
        role_map = np.array([eng_roles.index(r) if r in eng_roles else -1 for r in roles])
    return _Setup(
        cut, uncertain_inputs(cut), ri, ai, 0 if year == years[0] else 1, england, target, role_map
    )


def _evaluate(setup: _Setup, z: np.ndarray) -> dict[str, np.ndarray]:
    """Return required FTE, gap and cost ``(S + 1,)`` at the stated values (row 0) and each setting.

    Under calibration, each setting's minutes factors are solved again on England's regions
    moved the same way, so England's base year equals its target in every setting.
    """
    n = len(z)
    inp = _settings(setup.inputs, setup.params, z)
    if setup.england is not None and setup.role_map is not None:
        eng = run_model(_settings(setup.england, setup.params, z), n, 0)
        f = factors_to_target(eng, np.asarray(setup.target))
        f = np.broadcast_to(f, (n + 1, f.shape[1])).copy()
        f[0] = 1.0  # the central run is calibrated by the central factors themselves
        got = np.where(setup.role_map >= 0, f[:, np.maximum(setup.role_map, 0)], 1.0)
        inp = replace(inp, minutes_draw_factor=got, draw_seed=0)
    r = run_model(inp, n, 0)
    return {
        m: np.broadcast_to(pick(r, m, setup.year_index, setup.role, setup.area), (n + 1,))
        for m in SWING_MEASURES
    }


def tornado(
    run: ScenarioRun,
    area: str | None = None,
    year: int | None = None,
    role: str | None = None,
    *,
    variant: str = "baseline",
) -> pd.DataFrame:
    """Each uncertain input at its P10 and its P90, the rest at their stated values.

    Parameters
    ----------
    run
        A scenario run.
    area
        An area code of the run, or ``None`` for the total over its areas.
    year
        The year; default the last modelled.
    role
        A role code, or ``None`` for the total over roles.
    variant
        The variant whose inputs are moved.

    Returns
    -------
    pandas.DataFrame
        ``area, role, scenario, year, measure, input, words, central, at_p10, at_p90,
        swing, rank, unit``: ``swing`` is ``at_p90 - at_p10`` (its sign says which way the
        input pushes), ``rank`` 1 for the largest absolute swing of each measure.  Under
        national or local calibration each setting re-solves the minutes factors, as every
        Monte Carlo draw does.
    """
    setup = _prepare(run, area, year, role, variant)
    names = list(setup.params)
    cols = ["area", "role", "scenario", "year", "measure", "input", "words", "central"]
    cols += ["at_p10", "at_p90", "swing", "rank", "unit"]
    if not names:
        return pd.DataFrame(columns=cols)
    p = len(names)
    z = np.zeros((2 * p, p))  # input j at its P10 in row 2j, at its P90 in row 2j + 1
    z[2 * np.arange(p), np.arange(p)] = -Z80
    z[2 * np.arange(p) + 1, np.arange(p)] = Z80
    got = _evaluate(setup, z)
    rows = [
        {
            "area": area_label(run.inputs[variant].areas, area),
            "role": role or "all",
            "scenario": variant,
            "year": int(setup.inputs.years[setup.year_index]),
            "measure": m,
            "input": name,
            "words": INPUT_WORDS.get(name, name),
            "central": float(got[m][0]),
            "at_p10": float(got[m][1 + 2 * j]),
            "at_p90": float(got[m][2 + 2 * j]),
            "unit": MEASURE_UNITS[m],
        }
        for m in SWING_MEASURES
        for j, name in enumerate(names)
    ]
    df = pd.DataFrame(rows)
    df["swing"] = df["at_p90"] - df["at_p10"]
    df["rank"] = (
        df["swing"].abs().groupby(df["measure"]).rank(ascending=False, method="first").astype(int)
    )
    df = df.sort_values(["measure", "rank"], key=_measure_order).reset_index(drop=True)
    return df[cols]


def _measure_order(s: pd.Series) -> pd.Series:
    if s.name == "measure":
        return s.map({m: i for i, m in enumerate(SWING_MEASURES)})
    return s


def sobol_indices(
    func: Callable[[np.ndarray], np.ndarray],
    names: Sequence[str],
    bounds: Sequence[tuple[float, float]],
    n: int,
    seed: int = 0,
    outputs: Sequence[str] = ("y",),
) -> pd.DataFrame:
    """First-order and total Sobol indices of a vectorised function, through SALib.

    Parameters
    ----------
    func
        Maps samples ``(S, P)`` to outputs ``(S,)`` or ``(S, len(outputs))``.
    names, bounds
        Each input's name and the bounds of its uniform distribution.
    n
        Base sample size (a power of 2); ``func`` is evaluated ``n * (P + 2)`` times.
    seed
        Seed of the (scrambled Sobol') sample.
    outputs
        Names of the outputs.

    Returns
    -------
    pandas.DataFrame
        ``output, input, S1, S1_conf, ST, ST_conf, n``: the confidence columns are the
        half-widths of SALib's 95% bootstrap intervals.
    """
    # lazy: SALib only when indices are asked for
    from SALib.analyze import sobol as analyse
    from SALib.sample import sobol as sample

    if n < 2 or n & (n - 1):
        raise InputError(f"n = {n}; expected a power of 2 (64, 128, 256, ...)", column="n")
    problem = {"num_vars": len(names), "names": list(names), "bounds": [list(b) for b in bounds]}
    x = sample.sample(problem, n, calc_second_order=False, seed=seed)
    y = np.asarray(func(x), dtype=float).reshape(len(x), -1)
    rows = []
    for j, out in enumerate(outputs):
        yj = y[:, j]
        if np.ptp(yj) == 0:  # an output no input moves: every index is 0
            si = {k: np.zeros(len(names)) for k in ("S1", "S1_conf", "ST", "ST_conf")}
        else:
            si = analyse.analyze(problem, yj, calc_second_order=False, seed=seed)
        for i, name in enumerate(names):
            rows.append(
                {
                    "output": out,
                    "input": name,
                    **{k: float(si[k][i]) for k in ("S1", "S1_conf", "ST", "ST_conf")},
                    "n": n,
                }
            )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class SobolResult:
    """Sobol indices of one area's answer, with their convergence check and run time.

    Attributes
    ----------
    indices
        At ``2 n``: ``area, role, scenario, year, measure, input, words, S1, S1_conf, ST,
        ST_conf, n``.
    convergence
        Per measure: the largest change of any first-order or total index between ``n``
        and ``2 n`` base samples, and whether it is within the tolerance (``stable``).
    seconds
        Wall time of both estimates.
    runs
        Model evaluations made.
    """

    indices: pd.DataFrame
    convergence: pd.DataFrame
    seconds: float
    runs: int

    def __repr__(self) -> str:
        """Say how many inputs and runs, the time, and whether the indices settled."""
        ok = bool(self.convergence["stable"].all()) if len(self.convergence) else True
        return (
            f"SobolResult({self.indices['input'].nunique()} inputs, {self.runs:,} model runs "
            f"in {self.seconds:.1f} s; indices {'stable' if ok else 'NOT yet stable'} as the "
            "sample doubled)"
        )


def sobol(
    run: ScenarioRun,
    area: str | None = None,
    year: int | None = None,
    role: str | None = None,
    *,
    variant: str = "baseline",
    n: int = 512,
    seed: int = 0,
    tolerance: float = 0.05,
    block: int = 512,
) -> SobolResult:
    """Sobol first-order and total indices of required FTE, the gap and cost over the inputs.

    Parameters
    ----------
    run
        A scenario run.
    area, year, role, variant
        As :func:`tornado`.
    n
        Base sample size (a power of 2); estimated at ``n`` and again at ``2 n``.
    seed
        Seed of the samples.
    tolerance
        Largest change of an index between ``n`` and ``2 n`` still called stable.
    block
        Samples run through the engine at a time (bounds memory; fewer when the run has
        many areas, so that samples times areas stay within :data:`SAMPLE_AREAS`).  The
        indices are meant for one area or a few: every area of England would take hours.

    Returns
    -------
    SobolResult
        The indices at ``2 n``, the convergence check and the run time.
    """
    setup = _prepare(run, area, year, role, variant)
    names = list(setup.params)
    if not names:
        raise InputError("no input of the run has an interval; nothing to vary", column="n")

    # samples x areas per engine run bounded (about 2 KB each for the bundled catalogue)
    step = max(1, min(block, SAMPLE_AREAS // len(setup.inputs.areas)))

    def model(u: np.ndarray) -> np.ndarray:
        z = _normal_quantile(np.clip(u, 1e-9, 1 - 1e-9))
        out = np.empty((len(u), len(SWING_MEASURES)))
        for s in range(0, len(u), step):
            got = _evaluate(setup, z[s : s + step])
            out[s : s + step] = np.column_stack([got[m][1:] for m in SWING_MEASURES])
        return out

    t0 = time.perf_counter()
    bounds = [(0.0, 1.0)] * len(names)
    est = {
        k: sobol_indices(model, names, bounds, k, seed, outputs=SWING_MEASURES) for k in (n, 2 * n)
    }
    seconds = time.perf_counter() - t0
    a, b = est[n], est[2 * n]
    change = np.maximum((a["S1"] - b["S1"]).abs(), (a["ST"] - b["ST"]).abs())
    conv = (
        pd.DataFrame({"measure": b["output"], "change": change})
        .groupby("measure", sort=False)["change"]
        .max()
        .rename("largest_change")
        .reset_index()
    )
    conv["n"], conv["n_doubled"] = n, 2 * n
    conv["stable"] = conv["largest_change"] <= tolerance
    idx = b.rename(columns={"output": "measure"})
    idx.insert(0, "year", int(setup.inputs.years[setup.year_index]))
    idx.insert(0, "scenario", variant)
    idx.insert(0, "role", role or "all")
    idx.insert(0, "area", area_label(run.inputs[variant].areas, area))
    idx.insert(idx.columns.get_loc("input") + 1, "words", idx["input"].map(INPUT_WORDS))
    runs = 3 * n * (len(names) + 2)
    return SobolResult(idx, conv, seconds, runs)


#: measures in words, for the tables people read
_MEASURE_WORDS = {
    "required_fte": "FTE required",
    "gap_fte": "Gap (FTE in post - required)",
    "cost_gbp": "Cost (GBP a year)",
}


def swing_table(frame: pd.DataFrame, measure: str = "gap_fte", top: int = 6) -> pd.DataFrame:
    """Return the largest swings of one measure, with headers in words (for ``readable``).

    Parameters
    ----------
    frame
        :func:`tornado`'s frame.
    measure
        ``required_fte``, ``gap_fte`` or ``cost_gbp``.
    top
        How many inputs (ranked by the size of their swing).
    """
    d = frame[(frame["measure"] == measure) & (frame["rank"] <= top)]
    unit = MEASURE_UNITS[measure]
    return pd.DataFrame(
        {
            "Input": d["words"],
            f"Central run ({unit})": d["central"],
            "Input at its P10": d["at_p10"],
            "Input at its P90": d["at_p90"],
            "Swing (P90 - P10)": d["swing"],
        }
    ).reset_index(drop=True)


def index_table(result: SobolResult, measure: str = "gap_fte", top: int = 5) -> pd.DataFrame:
    """Return the inputs with the largest total Sobol index of one measure, headers in words.

    The ``±`` columns are half-widths of SALib's 95% bootstrap intervals; an estimate a
    little below 0 (sampling noise around an index of 0) is shown as 0.
    """
    d = result.indices[result.indices["measure"] == measure].nlargest(top, "ST")
    return pd.DataFrame(
        {
            "Input": d["words"],
            "First order (alone)": d["S1"].clip(lower=0.0),
            "First order ±": d["S1_conf"],
            "Total (with interactions)": d["ST"].clip(lower=0.0),
            "Total ±": d["ST_conf"],
        }
    ).reset_index(drop=True)


def convergence_table(result: SobolResult) -> pd.DataFrame:
    """Return the convergence check in words: each measure, the largest change, stable or not."""
    c = result.convergence
    return pd.DataFrame(
        {
            "Measure": c["measure"].map(_MEASURE_WORDS),
            "Samples compared": [
                f"{a:,} and {b:,}" for a, b in zip(c["n"], c["n_doubled"], strict=True)
            ],
            "Largest change of an index": c["largest_change"],
            "Stable (within the tolerance)": c["stable"],
        }
    )
