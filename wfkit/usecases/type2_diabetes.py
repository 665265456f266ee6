"""Use case ``type2_diabetes``: care processes and reviews of people with type 2 diabetes.

GP work is moved to practice nurses and HCAs in the future model.
"""

from __future__ import annotations

from typing import Any

from .base import Context, Spec, register
from .params import fraction

PARAMS = (
    fraction(
        "nurse_part",
        0.5,
        "part of the moved work going to practice nurses (rest to HCAs)",
        "share of moved work to practice nurses",
    ),
)


def variants(ctx: Context) -> list[dict[str, Any]]:
    """Make ``future_model``: GP work on care processes and reviews moved to nurses and HCAs.

    The future who-does-what, then ``shift_fraction`` of the GP's share of care processes
    and reviews to practice nurses and HCAs (``nurse_part`` to nurses).
    """
    nurse = float(ctx.params["nurse_part"])
    shifts, mins = ctx.shifts("gp", {"practice_nurse": nurse, "hca": 1 - nurse})
    return [ctx.future_model(shifts, mins)]


SPEC = register(
    Spec("type2_diabetes", "type 2 diabetes care processes and reviews", variants, PARAMS)
)
