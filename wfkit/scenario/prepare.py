"""Every check a run makes before the model runs, and the calibrated inputs of each variant.

Used by the whole run, the chunked run and ``wfkit validate``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..model.engine import ModelInputs
from ..validation import check_run_memory
from .calibration import calibrate_variant
from .inputs import build_inputs
from .records import VariantRecord
from .spec import ScenarioSpec
from .tables import TableLoader

__all__ = ["prepare_inputs"]


def prepare_inputs(
    sc: ScenarioSpec,
    draws: int,
    load_table: TableLoader | None = None,
    chunk_areas: int | None = None,
    seed: int | None = None,
) -> dict[str, tuple[ModelInputs, VariantRecord]]:
    """Make every check a run makes before the model runs, and return the inputs it runs on.

    Each variant's inputs built and calibrated, and (on the first) whether the run's
    arrays fit in memory (of one chunk's run, with ``chunk_areas``).  ``wfkit validate``
    calls it too, so it passes exactly what ``run`` accepts.  ``draws`` and ``seed`` (the
    scenario's seed when ``None``) are those the run will use: calibration solves each
    draw's factors for them.
    """
    out: dict[str, tuple[ModelInputs, VariantRecord]] = {}
    shared: dict[Any, Any] = {}  # tables and their steps, read once for the variants
    base = sc.baseline
    for v in sc.variants:
        name = v.name
        if out and not isinstance(v.areas, tuple) and dict(v.inputs) == dict(base.inputs):
            # the areas are a setting of the whole scenario: a variant reading the same
            # tables models the baseline's areas, resolved once against the data
            v = replace(v, areas=tuple(out["baseline"][0].areas))
        inp, record = build_inputs(v, load_table=load_table, shared=shared)
        if not out:  # before anything runs: will every variant's arrays fit in memory?
            check_run_memory(
                draws,
                min(len(inp.areas), chunk_areas or len(inp.areas)),
                len(inp.years),
                len(inp.roles),
                len(inp.activities),
                len(sc.variant_names),
                source=sc.source,
            )
        inp, record.calibration = calibrate_variant(sc, name, inp, load_table, draws, seed)
        record.notes += record.calibration.notes
        out[name] = (inp, record)
    return out
