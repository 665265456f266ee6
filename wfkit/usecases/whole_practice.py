"""Use case ``all`` (getting started): every bundled activity.

Today's who-does-what against the future model, compared with every member of staff in
post.
"""

from __future__ import annotations

from typing import Any

from .base import Context, Spec, register


def variants(ctx: Context) -> list[dict[str, Any]]:
    """``future_model``: the future who-does-what (and ``minutes_change``)."""
    return [ctx.future_model()]


SPEC = register(
    Spec(
        "all",
        "every bundled activity (getting started)",
        variants,
        select=lambda table: table["activity"].notna(),
        attribute_supply=False,
    )
)
