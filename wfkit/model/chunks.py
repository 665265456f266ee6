"""Model inputs cut to a chunk of areas, for a national Monte Carlo run in bounded memory.

A national run can go a chunk at a time (or a chunk per task on a Dask cluster) with
bounded memory.

Every input with an area axis is cut; the rest is shared.  An area's results do not
depend on the chunk it is in: the engine works area by area, and the one drawn input
with an area axis (local prevalence) shares its draws across areas
(:attr:`~wfkit.model.uncertainty.Param.areas_share_draws`), so the chunk a run of
``draws`` draws gives for an area is the same as the run of every area at once.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..errors import InputError
from .engine import ModelInputs
from .uncertainty import Param

__all__ = ["slice_areas", "area_chunks"]


def area_chunks(n_areas: int, size: int) -> list[slice]:
    """Consecutive slices of at most ``size`` areas covering ``range(n_areas)``."""
    if size < 1:
        raise InputError(f"chunk of {size} areas; expected 1 or more", key="chunk_areas")
    return [slice(i, min(i + size, n_areas)) for i in range(0, n_areas, size)]


def _cut_param(p: Param, sl: slice, n_areas: int) -> Param:
    """``p`` cut to the areas ``sl`` if its first axis is areas; as it is if not."""
    v = np.asarray(p.value)
    if v.ndim == 0 or v.shape[0] != n_areas:
        return p  # no area axis (national prevalence is (1, K, G))
    if n_areas > 1 and p.uncertain and not p.areas_share_draws:
        # each area would draw its own numbers, which depend on the areas beside it
        raise InputError(
            "an uncertain input with an area axis does not share its draws across areas, "
            "so a run in chunks would draw different numbers; expected areas_share_draws",
            source="prevalence",
        )
    return replace(
        p,
        value=v[sl],
        lo=None if p.lo is None else np.asarray(p.lo)[sl],
        hi=None if p.hi is None else np.asarray(p.hi)[sl],
    )


def slice_areas(inputs: ModelInputs, sl: slice) -> ModelInputs:
    """Return the inputs of the areas ``inputs.areas[sl]`` (a consecutive chunk)."""
    n = len(inputs.areas)
    return replace(
        inputs,
        areas=list(inputs.areas)[sl],
        population=inputs.population[sl],
        prevalence=_cut_param(inputs.prevalence, sl, n),
        supply=inputs.supply[sl],
        growth=None if inputs.growth is None else inputs.growth[sl],
        demand_factor=None if inputs.demand_factor is None else inputs.demand_factor[sl],
        staff_factor=None if inputs.staff_factor is None else inputs.staff_factor[sl],
    )
