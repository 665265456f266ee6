"""The workforce model engine: arrays in, arrays out.

The calculation chain (README.md, "The model"), vectorised over draw ``d``, area ``a``,
year ``t``, age band ``g``, activity ``k`` and role ``r``:

=========================  ====================================================================
population                 ``P[d,a,t,g] = P0[a,g] * growth[a,t,g] * (1 + rate[d]) ** (t - t0)``
cohort x contacts          ``D[d,a,t,k] = sum_g P * prevalence[d,a,k,g] * contacts[d,k,g] * trend[d,k] ** (t - t0) * m[a,k]``
                           (``m``: calibration of service use, 1 unless :mod:`wfkit.scenario.calibration` sets it)
who does what              ``S[t,k,r] = S_cur + w[t] * (S_fut - S_cur)``, ``w`` rising 0 -> 1 over the transition
workload (hours)           ``H[d,a,t,r] = sum_k D * S * minutes[d,k,r] / 60``
                           (``minutes[d]`` times the draw's own calibration factor, if solved)
available working time     ``AWT[d,r] = weeks * hours_per_week - absence_days * hours_per_week / days_per_week``
allowances (WISN)          ``CAF = 1 / (1 - cas_fraction)``, ``IAF = ias_hours / AWT``
FTE required               ``R = H / AWT * CAF + IAF`` (IAF only where the role has workload)
supply                     ``F[d,a,t,r] = F0[a,r] * (1 + joiners[d,r] - leavers[d,r]) ** (t - t0)``
gap, WISN ratio            ``F - R``, ``F / R``
cost                       ``R * salary * (1 + oncost_rate)``
=========================  ====================================================================

The engine knows nothing of files, YAML, charts or the command line: :mod:`wfkit.scenario`
builds :class:`ModelInputs` from tables.  Working time, CAF and IAF come from
:mod:`wfkit.model.capacity`, which classic WISN (:mod:`wfkit.wisn`) uses too.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..errors import InputError
from . import capacity as _capacity
from .products import hours_per_contact, population_and_demand, workload
from .supply import roll_forward
from .uncertainty import (
    Param,
    interpolate_neighbours,
    shared_cache,
    summarise_draws,
    summarise_together,
)

__all__ = [
    "ModelInputs",
    "ModelResult",
    "TidyColumns",
    "run_model",
    "transition_weights",
    "ROLE_MEASURES",
]

#: measures the model's results hold per role; the others are worked out from them
ADDITIVE = ("workload_hours", "required_fte", "supply_fte", "cost_gbp")
#: measures reported per role (and, summed or recomputed, for ``role == "all"``)
ROLE_MEASURES = (
    "workload_hours",
    "required_fte",
    "supply_fte",
    "gap_fte",
    "wisn_ratio",
    "cost_gbp",
    "cost_per_1000",
)


def transition_weights(years: np.ndarray, start: int, length: int, model: str) -> np.ndarray:
    """Weight of the future model in each year.

    0 before ``start``, rising linearly to 1 after ``length`` years (1 at
    ``start + length``); all zeros when ``model == "current"``.
    """
    years = np.asarray(years)
    if model == "current":
        return np.zeros(len(years))
    if model != "future":
        raise InputError(
            f"skill-mix model {model!r}; expected 'current' or 'future'", column="model"
        )
    if length <= 0:
        return (years >= start).astype(float)
    return np.clip((years - start) / float(length), 0.0, 1.0)


@dataclass(slots=True)
class ModelInputs:
    """Everything the engine needs, as labelled arrays.

    Shapes use ``A`` areas, ``T`` years, ``G`` age bands, ``K`` activities, ``R`` roles.
    Any :class:`~wfkit.model.uncertainty.Param` may carry 80% intervals.
    """

    areas: Sequence[str]
    years: np.ndarray
    age_bands: Sequence[str]
    activities: Sequence[str]
    roles: Sequence[str]
    population: np.ndarray  # (A, G) base-year population
    prevalence: Param  # (A or 1, K, G) fraction of population in each activity's cohort
    contacts: Param  # (K, G) contacts per person in cohort per year
    shares_current: np.ndarray  # (K, R)
    shares_future: np.ndarray  # (K, R)
    minutes: Param  # (K, R)
    capacity: Mapping[str, Param]  # each (R,)
    salary: Param  # (R,)
    oncost_rate: Param  # (R,)
    supply: np.ndarray  # (A, R) FTE in post in the base year
    joiner_rate: Param  # (R,)
    leaver_rate: Param  # (R,)
    growth: np.ndarray | None = None  # (A, T, G) factors relative to the base year
    growth_rate: Param = field(default_factory=lambda: Param.point(0.0, lower=-1.0))
    trend: Param | None = None  # (K,) annual prevalence multiplier
    demand_factor: np.ndarray | None = None  # (A, K) calibration of service use (1 = none)
    # (draws + 1, R) each draw's own minutes factor on top of ``minutes`` (row 0, the
    # central run, is 1): calibration solved draw by draw for ``draw_seed``
    minutes_draw_factor: np.ndarray | None = None
    draw_seed: int | None = None
    # an area's own use of each class of staff (local calibration): the work of the
    # activities ``staff_factor_activities`` (K,) done by roles of class ``staff_class``
    # (R,) scaled by ``staff_factor`` (A, C), as if the area's who-does-what leant that way
    staff_factor: np.ndarray | None = None
    staff_class: np.ndarray | None = None
    staff_factor_activities: np.ndarray | None = None
    skill_mix_model: str = "current"
    transition_start: int | None = None
    transition_years: int = 5
    # (R,) the joiner rates before the supply policy settings (wfkit.scenario.policy) were
    # added to ``joiner_rate``; None: no policy in force.  The engine never reads it:
    # wfkit.explain splits the policy's part of the supply change from trend joiners
    trend_joiner_rate: Param | None = None

    @property
    def base_year(self) -> int:
        """The base year: the first of ``years``."""
        return int(self.years[0])

    def shape(self) -> dict[str, int]:
        """Sizes of each dimension."""
        return {
            "areas": len(self.areas),
            "years": len(self.years),
            "age_bands": len(self.age_bands),
            "activities": len(self.activities),
            "roles": len(self.roles),
        }

    def shares(self) -> np.ndarray:
        """Who-does-what shares by year, shape ``(T, K, R)``."""
        start = self.base_year + 1 if self.transition_start is None else self.transition_start
        w = transition_weights(self.years, start, self.transition_years, self.skill_mix_model)
        s0, s1 = self.shares_current, self.shares_future
        return s0[None] + w[:, None, None] * (s1 - s0)[None]

    def check(self) -> None:
        """Check array shapes against the labels; raise :class:`InputError` if they disagree."""
        n = self.shape()
        expect = {
            "population": (self.population.shape, (n["areas"], n["age_bands"])),
            "contacts": (self.contacts.value.shape, (n["activities"], n["age_bands"])),
            "shares_current": (self.shares_current.shape, (n["activities"], n["roles"])),
            "shares_future": (self.shares_future.shape, (n["activities"], n["roles"])),
            "minutes": (self.minutes.value.shape, (n["activities"], n["roles"])),
            "supply": (self.supply.shape, (n["areas"], n["roles"])),
        }
        if self.demand_factor is not None:
            expect["demand_factor"] = (
                self.demand_factor.shape,
                (n["areas"], n["activities"]),
            )
        if self.staff_factor is not None:
            n_class = self.staff_factor.shape[1] if self.staff_factor.ndim == 2 else 0
            expect["staff_factor"] = (self.staff_factor.shape, (n["areas"], n_class))
            expect["staff_class"] = (np.shape(self.staff_class), (n["roles"],))
            expect["staff_factor_activities"] = (
                np.shape(self.staff_factor_activities),
                (n["activities"],),
            )
        for name, (got, want) in expect.items():
            if tuple(got) != want:
                raise InputError(f"array shape {tuple(got)}; expected {want}", source=name)
        if n["years"] < 2:
            raise InputError(
                "horizon must be at least 1 year after the base year", column="horizon"
            )
        if n["areas"] == 0 or float(self.population.sum()) <= 0:
            raise InputError(
                "population is empty; expected at least one person", source="population"
            )


@dataclass(frozen=True, slots=True)
class TidyColumns:
    """The columns of a tidy results frame (:meth:`ModelResult.to_frame`) as arrays.

    Attributes
    ----------
    codes, categories
        ``area``, ``role``, ``scenario`` and ``measure`` as category codes, and each one's
        categories (what the codes stand for).
    year
        The year of each row.
    stats, block
        The names of the numbers' columns (``value``, ``p10`` ...), and the numbers, one row
        of ``block`` per column.
    """

    codes: dict[str, np.ndarray]
    categories: dict[str, list[str]]
    year: np.ndarray
    stats: list[str]
    block: np.ndarray

    #: the columns in a frame's order before the numbers (``year`` holds values, not codes)
    KEYS = ("area", "year", "role", "scenario", "measure")

    def frame(self) -> pd.DataFrame:
        """Return the tidy frame: category columns, ``year``, then the numbers (one block)."""
        # the numbers become the frame's float block as they are (no copy, no consolidation)
        df = pd.DataFrame(self.block.T, columns=self.stats, copy=False)
        for key in reversed(self.KEYS):
            if key == "year":
                df.insert(0, key, self.year)
                continue
            dtype = _category_dtype(tuple(self.categories[key]))
            df.insert(0, key, pd.Categorical.from_codes(self.codes[key], dtype=dtype))
        return df


@dataclass(slots=True)
class ModelResult:
    """Arrays of one model run, with draws on the first axis (draw 0 is central).

    Additive arrays are stored; ratios are derived, so :meth:`aggregate` stays exact.
    """

    areas: list[str]
    years: np.ndarray
    activities: list[str]
    roles: list[str]
    population: np.ndarray  # (D, A, T)
    demand: np.ndarray  # (D, A, T, K) contacts per year
    workload_hours: np.ndarray  # (D, A, T, R)
    required_fte: np.ndarray  # (D, A, T, R)
    supply_fte: np.ndarray  # (D, A, T, R)
    cost_gbp: np.ndarray  # (D, A, T, R)
    awt_hours: np.ndarray  # (D, R)
    caf: np.ndarray  # (D, R)
    hours_per_contact: np.ndarray  # (1, T, K, R): central shares x minutes / 60, work by activity
    cost_per_fte: np.ndarray  # (D, R)
    n_draws: int = 0
    seed: int = 0
    # with a staff factor (local calibration): central contacts as each class of staff does
    # them, (1, A, T, K, C), and each role's class (R,); hours = staff_demand x hours_per_contact
    staff_demand: np.ndarray | None = None
    staff_class: np.ndarray | None = None

    # ----- derived measures (gap_fte, wisn_ratio, cost_per_1000: see measure()) -----------
    @staticmethod
    def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
        out = np.full(np.broadcast_shapes(num.shape, den.shape), np.nan)
        np.divide(num, den, out=out, where=den > 0)
        return out

    def measure(self, name: str, total: bool = False) -> np.ndarray:
        """Array of a measure, ``(D, A, T, R)``, or ``(D, A, T)`` summed over roles if ``total``.

        Inside :func:`~wfkit.model.uncertainty.shared_draws`, a measure worked out (a ratio,
        a difference or a sum over roles) is kept, read-only, for the variants' frames,
        which each set themselves beside the baseline's.
        """
        memo = shared_cache()
        if memo is None or (name in ADDITIVE and not total) or name == "population":
            return self._measure(name, total)
        key = f"measure {id(self)} {name} {total}"
        hit = memo.get(key)
        if hit is not None and hit[0] is self:
            return hit[1]
        arr = self._measure(name, total)
        arr.flags.writeable = False
        memo[key] = (self, arr)  # self held, so its id is no other result's meanwhile
        return arr

    def _measure(self, name: str, total: bool) -> np.ndarray:
        if name in ADDITIVE:
            arr = getattr(self, name)
            return arr.sum(axis=-1) if total else arr
        if name == "gap_fte":
            return self.measure("supply_fte", total) - self.measure("required_fte", total)
        if name == "wisn_ratio":
            return self._ratio(
                self.measure("supply_fte", total), self.measure("required_fte", total)
            )
        if name == "cost_per_1000":
            pop = self.population if total else self.population[..., None]
            return self._ratio(self.measure("cost_gbp", total) * 1000.0, pop)
        if name == "population":
            return self.population
        raise KeyError(name)

    # ----- tidy output -----------------------------------------------------------------
    def to_frame(
        self, scenario: str = "baseline", baseline: ModelResult | None = None
    ) -> pd.DataFrame:
        """Tidy long results: ``area, year, role, scenario, measure, value, p10, p50, p90``.

        ``role == "all"`` rows hold totals over roles (ratios recomputed from totals) and the
        population.  With ``baseline`` given, ``diff``, ``diff_p10``, ``diff_p50`` and
        ``diff_p90`` hold the difference from it, computed draw by draw.
        """
        return self.tidy_columns(scenario, baseline).frame()

    def tidy_columns(
        self, scenario: str = "baseline", baseline: ModelResult | None = None
    ) -> TidyColumns:
        """Return :meth:`to_frame`'s columns as arrays, before they become a frame.

        For a writer that needs no frame (a CSV is made straight from them).
        """
        A, T, R = len(self.areas), len(self.years), len(self.roles)
        measures = ["population", *ROLE_MEASURES]
        stats = ["value", "p10", "p50", "p90"]
        if baseline is not None:
            stats += ["diff", "diff_p10", "diff_p50", "diff_p90"]
        # (measure, total?) in row order: the population has only its total row
        parts = [(m, t) for m in measures for t in (False, True) if t or m != "population"]
        sizes = [A * T * (1 if t else R) for _, t in parts]
        n = sum(sizes)
        # every column is written once into its place: the numbers into one block that
        # becomes the frame's float block as it is (no concatenation, no consolidation)
        block = np.empty((len(stats), n))
        area = np.empty(n, dtype=np.int32)
        year = np.empty(n, dtype=np.int64)
        role = np.empty(n, dtype=np.int16 if R < 32_000 else np.int32)
        measure = np.empty(n, dtype=np.int8)
        start = 0
        for (m, is_total), size in zip(parts, sizes, strict=True):
            nr = 1 if is_total else R
            sl = slice(start, start + size)
            area[sl].reshape(A, T * nr)[...] = np.arange(A)[:, None]
            year[sl].reshape(A, T, nr)[...] = self.years[None, :, None]
            role[sl].reshape(A * T, nr)[...] = np.full(nr, R) if is_total else np.arange(R)
            measure[sl] = measures.index(m)
            start += size
        self._fill_summaries(block, parts, sizes, baseline)
        return TidyColumns(
            codes={
                "area": area,
                "role": role,
                "scenario": np.zeros(n, dtype=np.int8),
                "measure": measure,
            },
            categories={
                "area": list(self.areas),
                "role": [*self.roles, "all"],
                "scenario": [scenario],
                "measure": measures,
            },
            year=year,
            stats=stats,
            block=block,
        )

    def _fill_summaries(
        self,
        block: np.ndarray,
        parts: list[tuple[str, bool]],
        sizes: list[int],
        baseline: ModelResult | None,
    ) -> None:
        """Write each part's central value, P10, P50, P90 (and differences) into ``block``.

        Rows 0-3 of ``block`` take the part's own figures, rows 4-7 (with ``baseline``)
        those of its difference from the baseline, draw by draw.  The draws of many small
        parts are summarised together (:func:`~wfkit.model.uncertainty.summarise_together`:
        the same numbers as one part at a time).  Inside :func:`~wfkit.model.uncertainty.shared_draws`, the
        baseline's figures are kept for the variants: a variant whose draws of a part equal
        the baseline's (staff in post, which variants leave alone) takes them instead of
        sorting the same draws again, and the difference is 0 wherever it is defined.
        """
        memo = shared_cache()
        jobs: list[tuple[int, slice, np.ndarray | tuple[np.ndarray, np.ndarray]]] = []
        same_parts: list[slice] = []
        kept: list[tuple[str, slice]] = []
        # the cost per 1,000 people is a monotone function of the cost where the population
        # is the same in every draw: its percentiles come from the cost's sorted draws
        per_1000: dict[bool, slice] = {}
        cost_job: dict[bool, int] = {}
        pop_same = (
            self.population.shape[0] > 2
            and self.cost_gbp.shape[0] == self.population.shape[0]
            and bool(np.all(self.population[2:] == self.population[1]))
        )
        start = 0
        for (m, total), size in zip(parts, sizes, strict=True):
            sl = slice(start, start + size)
            start += size
            derive = pop_same and m == "cost_per_1000" and total in cost_job
            key = f"summaries {id(baseline)} {m} {total}"
            if derive and (baseline is None or baseline is self):  # its draws not needed
                per_1000[total] = sl
                if baseline is self:
                    same_parts.append(sl)
                    if memo is not None:
                        kept.append((key, sl))
                continue
            arr = self.measure(m, total)
            a2 = arr.reshape(arr.shape[0], size)
            base = None if baseline is None or baseline is self else baseline.measure(m, total)
            same = baseline is self or (
                base is not None and base.shape == arr.shape and np.array_equal(base, arr)
            )
            hit = memo.get(key) if memo is not None and same else None
            if hit is not None and hit[0] is baseline:
                block[:4, sl] = hit[1]
            elif derive:
                per_1000[total] = sl
            else:
                if m == "cost_gbp":
                    cost_job[total] = len(jobs)
                jobs.append((0, sl, a2))
                if memo is not None and baseline is self:
                    kept.append((key, sl))
            if same:
                same_parts.append(sl)
            elif base is not None:
                jobs.append((4, sl, (a2, base.reshape(base.shape[0], size))))
        neighbours: dict[int, np.ndarray | None] = {cost_job[t]: None for t in per_1000}
        figures = summarise_together([a for _, _, a in jobs], neighbours=neighbours)
        for (row, sl, _), fig in zip(jobs, figures, strict=True):
            block[row : row + 4, sl] = fig
        for total, sl in per_1000.items():
            block[:4, sl] = self._per_1000(neighbours[cost_job[total]], total)
        for sl in same_parts:  # the same draws as the baseline's: 0 wherever defined
            block[4:, sl] = np.where(np.isnan(block[:4, sl]), np.nan, 0.0)
        for key, sl in kept:  # kept (with the baseline) for the variants
            fig = block[:4, sl].copy()
            fig.flags.writeable = False
            memo[key] = (self, fig)

    def _per_1000(self, cost_nb: np.ndarray | None, total: bool) -> np.ndarray:
        """Return the cost per 1,000 people's central value, P10, P50 and P90, ``(4, m)``.

        With the population the same in every draw, ``cost x 1000 / population`` is a
        monotone increasing function of the cost, so its sorted draws are the cost's mapped:
        the same arithmetic on the cost's neighbours (``cost_nb``, from
        :func:`~wfkit.model.uncertainty.summarise_together`) gives the same numbers to the
        last bit as sorting the ratio's own draws.  A cost with an undefined draw has its
        ratio's draws summarised as they are.
        """
        A, T = len(self.areas), len(self.years)
        nr = 1 if total else len(self.roles)
        if cost_nb is None or np.isnan(cost_nb).any():
            arr = self.measure("cost_per_1000", total)
            return summarise_together([arr.reshape(arr.shape[0], -1)])[0]
        pop = self.population[:2].reshape(2, A, T, 1)
        cost0 = self.measure("cost_gbp", total)[:1].reshape(1, A, T, nr)
        central = self._ratio(cost0 * 1000.0, pop[:1])[0]
        nb = self._ratio(cost_nb.reshape(2, 3, A, T, nr) * 1000.0, pop[1])
        pct = interpolate_neighbours(nb, self.population.shape[0] - 1)
        return np.stack([central.ravel(), *(p.ravel() for p in pct)])

    def workload_by_activity(self) -> pd.DataFrame:
        """Central workload by activity and role: ``area, year, activity, role, contacts, hours, fte``.

        ``fte`` is hours / AWT x CAF (individual allowances are not split by activity).
        Rows where the role does none of the activity are left out.
        """
        hpc = self.hours_per_contact[0]  # (T, K, R)
        share_contacts = hpc > 0
        hours = self.activity_hours()  # (A, T, K, R)
        fte = hours / self.awt_hours[0] * self.caf[0]
        A, T, K, R = hours.shape
        idx = np.nonzero(np.broadcast_to(share_contacts[None], hours.shape))
        return pd.DataFrame(
            {
                "area": np.asarray(self.areas, dtype=object)[idx[0]],
                "year": self.years[idx[1]],
                "activity": np.asarray(self.activities, dtype=object)[idx[2]],
                "role": np.asarray(self.roles, dtype=object)[idx[3]],
                "hours": hours[idx],
                "fte": fte[idx],
            }
        )

    def activity_hours(self) -> np.ndarray:
        """Central workload hours by area, year, activity and role, ``(A, T, K, R)``.

        Contacts times hours per contact, with the area's own use of each class of staff
        where local calibration set one; summed over activities it is ``workload_hours``.
        """
        hpc = self.hours_per_contact[0][None]  # (1, T, K, R)
        if self.staff_demand is None or self.staff_class is None:
            return self.demand[0][..., None] * hpc
        return self.staff_demand[0][..., self.staff_class] * hpc

    def demand_frame(self) -> pd.DataFrame:
        """Contacts per year by area, year and activity (central, P10, P90)."""
        c, p10, _, p90 = summarise_draws(self.demand)
        A, T, K = c.shape
        return pd.DataFrame(
            {
                "area": np.repeat(np.asarray(self.areas, dtype=object), T * K),
                "year": np.tile(np.repeat(self.years, K), A),
                "activity": np.tile(np.asarray(self.activities, dtype=object), A * T),
                "contacts": c.ravel(),
                "p10": np.broadcast_to(p10, c.shape).ravel(),
                "p90": np.broadcast_to(p90, c.shape).ravel(),
            }
        )

    def aggregate(self, lookup: Mapping[str, str]) -> ModelResult:
        """Sum areas into groups (for example practices into networks) draw by draw.

        Every area must appear in ``lookup``; ratios are recomputed from the sums.
        """
        missing = [a for a in self.areas if a not in lookup]
        if missing:
            raise InputError(f"areas {missing[:5]} have no group in the lookup", source="lookup")
        groups = sorted(set(lookup[a] for a in self.areas))
        gi = {g: i for i, g in enumerate(groups)}
        ind = np.zeros((len(groups), len(self.areas)))
        ind[[gi[lookup[a]] for a in self.areas], np.arange(len(self.areas))] = 1.0

        def agg(x: np.ndarray) -> np.ndarray:
            if len(groups) == 1:  # a total: a plain sum (tensordot on small arrays can
                return x.sum(axis=1, keepdims=True)  # thrash two BLAS threads on busy cores)
            return np.moveaxis(np.tensordot(ind, x, axes=([1], [1])), 0, 1)

        return replace(
            self,
            areas=groups,
            population=agg(self.population),
            demand=agg(self.demand),
            workload_hours=agg(self.workload_hours),
            required_fte=agg(self.required_fte),
            supply_fte=agg(self.supply_fte),
            cost_gbp=agg(self.cost_gbp),
            staff_demand=None if self.staff_demand is None else agg(self.staff_demand),
        )


@functools.lru_cache(maxsize=64)
def _category_dtype(categories: tuple[str, ...]) -> pd.CategoricalDtype:
    """Return the category type of a frame's codes (made once: the variants' frames share it)."""
    return pd.CategoricalDtype(list(categories))


def _blas_limit():
    """Run the engine's matrix products on ``WFKIT_BLAS_THREADS`` BLAS threads (a context).

    Default 1: the products are small and many, and two OpenBLAS threads on two busy cores
    thrash (timings in benchmarks/README.md); set 0 to leave BLAS as it is.
    """
    n = int(os.environ.get("WFKIT_BLAS_THREADS", "1") or 0)
    if n <= 0:
        return contextlib.nullcontext()
    return _controller().limit(limits=n, user_api="blas")


@functools.lru_cache(maxsize=1)
def _controller():
    # lazy: threadpoolctl only when the model runs
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _minutes_draw_factor(inputs: ModelInputs, draws: int, seed: int) -> np.ndarray | None:
    """Each draw's minutes factor ``(draws + 1, R)``, or ``None`` with none to apply.

    A factor solved for other draws or another seed would calibrate draws it was not solved
    for, so it is refused.
    """
    f = inputs.minutes_draw_factor
    if f is None or draws == 0:
        return None
    if f.shape != (draws + 1, len(inputs.roles)) or inputs.draw_seed != seed:
        raise InputError(
            f"inputs calibrated draw by draw for {f.shape[0] - 1} draws with seed "
            f"{inputs.draw_seed}; run with {draws} draws and seed {seed} (calibrate again "
            "for these draws)",
            source="minutes_draw_factor",
        )
    return f


def run_model(inputs: ModelInputs, draws: int = 0, seed: int = 0) -> ModelResult:
    """Run the model for every area, year, role and draw at once.

    Parameters
    ----------
    inputs
        The model inputs.
    draws
        Number of Monte Carlo draws besides the central run (0 = deterministic).
    seed
        Seed for the draws.

    Returns
    -------
    ModelResult
        Arrays with ``draws + 1`` rows on the first axis (or 1 if nothing is uncertain).
    """
    with _blas_limit():
        return _run_model(inputs, draws, seed)


def _run_model(inputs: ModelInputs, draws: int, seed: int) -> ModelResult:
    inputs.check()
    if draws < 0:
        raise InputError(f"draws = {draws}; expected 0 or more", column="draws")
    n = (np.asarray(inputs.years) - inputs.base_year).astype(float)  # (T,)

    def d(p: Param, name: str) -> np.ndarray:
        return p.draws(draws, seed, name)

    pop, demand = population_and_demand(inputs, d, n)
    # who does what x minutes -> hours per contact (D, T, K, R)
    minutes = d(inputs.minutes, "minutes")  # (D, K, R)
    mdf = _minutes_draw_factor(inputs, draws, seed)
    if mdf is not None:
        minutes = minutes * mdf[:, None, :]
    per, inverse = hours_per_contact(inputs.shares(), minutes)
    # workload (D, A, T, R) via batched matmul over (D, T)
    hours, staff_demand = workload(inputs, demand, per, inverse)
    # available working time and allowances (D, R)
    cap = {k: d(p, f"capacity.{k}") for k, p in inputs.capacity.items()}
    awt = _capacity.available_working_time(cap)
    if np.any(awt <= 0):
        r = int(np.nonzero(np.any(np.atleast_2d(awt) <= 0, axis=0))[0][0])
        raise InputError(
            f"available working time of role {inputs.roles[r]!r} is not positive; "
            "absences exceed contracted time",
            source="capacity",
        )
    caf = _capacity.category_allowance_factor(cap.get("cas_fraction", np.zeros_like(awt)))
    iaf = _capacity.individual_allowance_factor(cap.get("ias_hours", np.zeros_like(awt)), awt)
    req = hours * (caf / awt)[:, None, None, :]
    if np.any(iaf):  # individual allowances only where the role has workload
        req = req + np.where(hours > 0, iaf[:, None, None, :], 0.0)
    # supply rolled forward (D, A, T, R)
    supply = roll_forward(
        inputs.supply, d(inputs.joiner_rate, "joiner_rate"), d(inputs.leaver_rate, "leaver_rate"), n
    )
    # cost
    cpf = d(inputs.salary, "salary") * (1.0 + d(inputs.oncost_rate, "oncost_rate"))  # (D, R)
    cost = req * cpf[:, None, None, :]
    Dall = max(x.shape[0] for x in (pop, demand, hours, req, supply, cost))

    def full(x: np.ndarray) -> np.ndarray:
        return np.broadcast_to(x, (Dall, *x.shape[1:])) if x.shape[0] != Dall else x

    return ModelResult(
        areas=list(inputs.areas),
        years=np.asarray(inputs.years),
        activities=list(inputs.activities),
        roles=list(inputs.roles),
        population=full(pop.sum(axis=-1)),
        demand=full(demand),
        workload_hours=full(hours),
        required_fte=full(req),
        supply_fte=full(supply),
        cost_gbp=full(cost),
        awt_hours=full(np.broadcast_to(awt, (awt.shape[0], len(inputs.roles)))),
        caf=full(np.broadcast_to(caf, (caf.shape[0], len(inputs.roles)))),
        hours_per_contact=per[:1, inverse],
        cost_per_fte=full(np.broadcast_to(cpf, (cpf.shape[0], len(inputs.roles)))),
        n_draws=draws,
        seed=seed,
        staff_demand=staff_demand,
        staff_class=None if staff_demand is None else np.asarray(inputs.staff_class, dtype=int),
    )
