"""Use case ``nursing``: practice and community nursing.

Practice nurse work moved to nursing associates and HCAs, the supervision it takes and
the associates' training time.
"""

from __future__ import annotations

from typing import Any

from .. import data as wd
from .base import Context, Spec, register
from .params import Setting, fraction

PARAMS = (
    fraction(
        "associate_part",
        0.5,
        "part of the moved work going to nursing associates (rest to HCAs)",
        "share of moved work to nursing associates",
    ),
    Setting(
        "supervision_hours",
        default=1.5,
        kind=float,
        help="hours a week each practice nurse spends supervising (future model)",
        unit="hours a week",
        label="nurse supervision",
        lo=0.0,
        hi=40.0,
    ),
    Setting(
        "training_days",
        default=5.0,
        kind=float,
        help="extra training days a year for each nursing associate and HCA",
        unit="days a year",
        lo=0.0,
        hi=60.0,
    ),
)


def variants(ctx: Context) -> list[dict[str, Any]]:
    """Make ``future_model``: practice nurse work moved to nursing associates and HCAs.

    The future who-does-what, then ``shift_fraction`` of the practice nurse's share to
    nursing associates and HCAs (``associate_part`` to associates), with
    ``supervision_hours`` a week per practice nurse and ``training_days`` a year for each
    nursing associate and HCA.
    """
    p = ctx.params
    na = float(p["associate_part"])
    shifts, mins = ctx.shifts("practice_nurse", {"nursing_associate": na, "hca": 1 - na})
    capacity = _capacity(float(p["supervision_hours"]), float(p["training_days"]))
    return [ctx.future_model(shifts, mins, {"capacity": capacity})]


def _capacity(supervision_hours: float, training_days: float) -> list[dict[str, Any]]:
    """Capacity rows for the future nursing model.

    Supervision time of practice nurses as a non-patient (category) allowance, and extra
    training days for associates and HCAs.
    """
    cap = wd.load("capacity").set_index(["role", "parameter"])["value"]
    rows: list[dict[str, Any]] = []
    if supervision_hours > 0:
        hpw = float(cap[("practice_nurse", "hours_per_week")])
        cas = float(cap.get(("practice_nurse", "cas_fraction"), 0.0))
        rows.append(
            {
                "role": "practice_nurse",
                "parameter": "cas_fraction",
                "value": round(min(0.85, cas + supervision_hours / hpw), 6),
            }
        )
    if training_days > 0:
        for role in ("nursing_associate", "hca"):
            days = float(cap.get((role, "training_days"), 0.0))
            rows.append({"role": role, "parameter": "training_days", "value": days + training_days})
    return rows


SPEC = register(
    Spec(
        "nursing",
        "practice and community nursing: reviews, immunisation, wound care, cytology, visits",
        variants,
        PARAMS,
    )
)
