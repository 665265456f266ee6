"""What a run records beside its results, as typed records, not string-keyed dicts.

Per variant: where each table came from, the notes for the log and what the calibration
did.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Calibration", "VariantRecord"]


@dataclass(slots=True)
class Calibration:
    """What a calibration did, for the log, the summary and the reconciliation.

    Attributes
    ----------
    method
        ``"none"``, ``"national"`` or ``"local"``.
    minutes_factor
        Factor applied to each role's minutes (1 where not calibrated).
    england
        England's base-year required and in-post FTE per role before the minutes factor
        (``role, required_fte, supply_fte, unmet_demand``).
    local
        Per area (local only): modelled and actual annual appointments by staff type and the
        factors ``m_gp``, ``m_other``.
    notes
        Plain-words notes for the log.
    draw_factor
        With draws: each draw's minutes factor per role on top of ``minutes_factor`` (one
        row per draw, row 0 the central run, 1), solved so that every draw's England
        base-year requirement equals its target.
    """

    method: str
    minutes_factor: dict[str, float] = field(default_factory=dict)
    england: pd.DataFrame | None = None
    local: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    draw_factor: pd.DataFrame | None = None


@dataclass(slots=True)
class VariantRecord:
    """Where one variant's inputs came from and what was done to them.

    Attributes
    ----------
    tables
        Each input table's origin: ``bundled:<name>`` or the CSV file's path.
    notes
        Plain-words notes for the log (tables, activities, calibration).
    calibration
        What the calibration did (``None`` until the inputs are calibrated).
    """

    tables: dict[str, str]
    notes: list[str] = field(default_factory=list)
    calibration: Calibration | None = None
