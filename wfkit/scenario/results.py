"""The results of a scenario run.

Every variant's engine results, inputs and provenance, with the frames, reconciliation
and summary built from them.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from .._version import __version__
from ..model.engine import ModelInputs, ModelResult
from ..model.uncertainty import summarise_together
from .calibration import reconcile
from .records import Calibration, VariantRecord
from .spec import ScenarioSpec

__all__ = ["ScenarioRun"]

#: the measures of each variant's final year in :meth:`ScenarioRun.summary`, in order
_SUMMARY_MEASURES = (
    "population",
    "required_fte",
    "supply_fte",
    "gap_fte",
    "cost_gbp",
    "cost_per_1000",
)


@dataclass(slots=True)
class ScenarioRun:
    """Results of every variant of a scenario.

    Attributes
    ----------
    scenario
        The scenario that was run.
    results
        Engine results by variant name (``"baseline"`` first).
    inputs
        Engine inputs by variant name.
    provenance
        By variant name: table origins, notes and the calibration (:class:`VariantRecord`).
    """

    scenario: ScenarioSpec
    results: dict[str, ModelResult]
    inputs: dict[str, ModelInputs]
    provenance: dict[str, VariantRecord] = field(default_factory=dict)
    #: frames derived from the results, kept so tables, charts and sliders that all start
    #: from the same frame build it once (see :func:`wfkit.usecases.results_frame`)
    derived: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def to_frame(self) -> pd.DataFrame:
        """Tidy results of all variants, with the draw-by-draw difference from baseline."""
        base = self.results["baseline"]
        frames = [r.to_frame(name, baseline=base) for name, r in self.results.items()]
        df = pd.concat(frames, ignore_index=True)
        for c in ("area", "role", "scenario", "measure"):
            df[c] = df[c].astype("category")
        return df

    def calibration(self, variant: str = "baseline") -> Calibration:
        """Return what the calibration of a variant did."""
        cal = self.provenance[variant].calibration
        if cal is None:  # pragma: no cover - every run calibrates its inputs
            raise ValueError(f"variant {variant!r} was not calibrated")
        return cal

    def reconciliation(self, variant: str = "baseline") -> pd.DataFrame:
        """Base-year required against in post per role and in total, with the main reasons.

        Also the staff in post the model does not cover (see
        :func:`wfkit.scenario.calibration.reconcile`).
        """
        key = f"reconciliation:{variant}"
        if key not in self.derived:
            nm = weak = None
            v = self.scenario.variant(variant)
            chosen = v.activities
            bundled_sup = self.provenance[variant].tables.get("supply") == "bundled:supply"
            if bundled_sup:
                # lazy: wfkit.data loads only when a run reads bundled tables
                from .. import data as wd

                every = set(wd.load("activities")["activity"])
            if bundled_sup and (not chosen or set(chosen) >= every):
                res = self.results[variant]
                nm = wd.not_modelled(list(res.areas), v.level)
            if bundled_sup:
                weak = wd.unreliable_bases(list(self.results[variant].areas), v.level)
            self.derived[key] = reconcile(
                self.results[variant], self.calibration(variant), nm, weak
            )
        return self.derived[key].copy()

    def draw_totals(self, variant: str = "baseline") -> ModelResult:
        """Return a variant's result summed over its areas, draw by draw (one area ``"total"``)."""
        r = self.results[variant]
        return r.aggregate({a: "total" for a in r.areas})

    def base_year_band(self, variant: str = "baseline") -> pd.DataFrame:
        """Base-year required FTE per role and in total, over the draws.

        Returns
        -------
        pandas.DataFrame
            ``role, value, p10, p50, p90`` (central run and percentiles over the draws,
            summed over areas draw by draw; a row ``all`` for the total).  Calibration
            holds in every draw, so for England under ``national`` the band is a few FTE
            wide; an area's band is how England's work splits between areas and roles.
        """
        key = f"base_year_band:{variant}"
        if key not in self.derived:
            tot = self.draw_totals(variant)
            arr = tot.required_fte[:, 0, 0, :]
            # every role and the total over roles summarised at once (the same numbers)
            both = np.concatenate([arr, arr.sum(axis=-1)[:, None]], axis=1)
            (fig,) = summarise_together([both])
            band = pd.DataFrame(fig.T, columns=["value", "p10", "p50", "p90"])
            band.insert(0, "role", [*tot.roles, "all"])
            self.derived[key] = band
        return self.derived[key].copy()

    def compare(self, measure: str = "required_fte", role: str = "all") -> pd.DataFrame:
        """Side by side: one column per scenario (central value) and its difference from baseline."""
        df = self.to_frame()
        df = df[(df["measure"] == measure) & (df["role"] == role)]
        wide = df.pivot_table(
            index=["area", "year"], columns="scenario", values="value", observed=True
        )
        wide = wide[list(self.results)]
        for name in list(self.results)[1:]:
            wide[f"{name} - baseline"] = wide[name] - wide["baseline"]
        wide.columns.name = None
        return wide.reset_index()

    def summary(self) -> dict[str, Any]:
        """Headline figures for the final year (totals over areas and roles).

        For each measure the central value and P10, P50 and P90 over the draws.
        """
        base = self.scenario.baseline
        out: dict[str, Any] = {
            "wfkit_version": __version__,
            "scenario": self.scenario.name,
            "file": self.scenario.source,
            "base_year": base.base_year,
            "horizon": base.horizon,
            "draws": self.results["baseline"].n_draws,
            "seed": self.results["baseline"].seed,
            "areas": len(self.results["baseline"].areas),
            "variants": {},
        }
        if "summary_variants" not in self.derived:
            self.derived["summary_variants"] = self._final_year()
        out["variants"] = copy.deepcopy(self.derived["summary_variants"])
        return out

    def _final_year(self) -> dict[str, Any]:
        """Each variant's headline figures in its final year (:meth:`summary`'s ``variants``)."""
        out = {}
        for name, r in self.results.items():
            tot = _final_year_of(r).aggregate({a: "total" for a in r.areas})
            # the measures summarised at once (the same numbers as one at a time)
            arrays = [tot.measure(m, total=True)[:, 0, -1:] for m in _SUMMARY_MEASURES]
            final = {}
            for m, fig in zip(_SUMMARY_MEASURES, summarise_together(arrays), strict=True):
                c, p10, p50, p90 = (float(x) for x in fig[:, 0])
                final[m] = {
                    "value": round(c, 6),
                    "p10": round(p10, 6),
                    "p50": round(p50, 6),
                    "p90": round(p90, 6),
                }
            out[name] = {"final_year": int(r.years[-1]), **final}
        return out


def _final_year_of(r: ModelResult) -> ModelResult:
    """Return ``r`` cut to its final year (what :meth:`ScenarioRun.summary` sums over areas).

    Every sum over areas and roles is the same, number for number, as over the whole run's;
    the other years are not added up.
    """
    last = slice(len(r.years) - 1, None)
    return replace(
        r,
        years=r.years[last],
        population=r.population[:, :, last],
        demand=r.demand[:, :, last],
        workload_hours=r.workload_hours[:, :, last],
        required_fte=r.required_fte[:, :, last],
        supply_fte=r.supply_fte[:, :, last],
        cost_gbp=r.cost_gbp[:, :, last],
        staff_demand=None if r.staff_demand is None else r.staff_demand[:, :, last],
    )
