"""Names in words for what reports show: roles, scenarios, areas, the sign of a gap.

Role labels come from the bundled roles table (:func:`wfkit.data.role_labels`, the same
words the charts use), scenario labels follow the charts' rule (``future_model`` ->
``Future model``), and area names from the bundled area tables: declared once, used by
the HTML report, the workbooks and the batch index alike.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from .. import charts
from ..errors import WfkitError

__all__ = [
    "GAP_MEANING",
    "role_label",
    "role_labels",
    "scenario_label",
    "area_names",
    "tidy_name",
    "gap_words",
    "fte",
    "band",
    "params_words",
]

#: what the sign of a gap means, in one sentence (every report and workbook says it)
GAP_MEANING = (
    "Gap = FTE in post minus FTE required: a negative gap is a shortfall, "
    "a positive one more staff than the model needs."
)


@functools.cache
def role_labels() -> dict[str, str]:
    """Map role ids to words (``practice_nurse`` -> ``Practice nurse``), ``all`` to ``All roles``.

    From the bundled roles table, as the charts label roles.
    """
    return {**charts.role_labels(), "all": "All roles"}


def role_label(role: str) -> str:
    """One role in words; a role outside the bundled table in words from its id."""
    text = str(role)
    if text.startswith("not modelled: "):
        return f"{text.removeprefix('not modelled: ')} (in post, not modelled)"
    return role_labels().get(text, charts.words(text))


def scenario_label(scenario: str) -> str:
    """Return a scenario in words, as the charts' legends name it.

    ``future_model`` -> ``Future model``.
    """
    return charts.words(scenario)


def area_names(codes: Iterable[str], level: str | None) -> dict[str, str]:
    """Return the names of bundled areas by code at ``level`` (title case as published).

    Codes that are not bundled areas (a user's own tables) keep their code.
    """
    codes = [str(c) for c in codes]
    names: dict[str, str] = {}
    if level:
        try:
            # lazy: the bundled area tables are read only when a report names areas
            from .. import data

            names = data.area_names(codes, level)  # an unknown code is left out
        except (WfkitError, KeyError, ValueError):  # not a level of the bundled data
            names = {}
    return {c: tidy_name(names[c]) if c in names else c for c in codes}


def tidy_name(name: str) -> str:
    """Return a published name in capitals for reading.

    The charts' titles' rule, :func:`wfkit.charts.tidy_name`.
    """
    return charts.tidy_name(name)


def fte(value: float, digits: int = 1) -> str:
    """Format an FTE figure for reading: ``1,234.5``."""
    return f"{value:,.{digits}f}"


def band(p10: float, p50: float, p90: float, digits: int = 1) -> str:
    """Format the P10-P90 band with the P50 beside it: ``P10-P90 480.0-568.4, P50 527.5``."""
    return f"P10-P90 {fte(p10, digits)}-{fte(p90, digits)}, P50 {fte(p50, digits)}"


def gap_words(gap: float, digits: int = 1, unit: str = "FTE") -> str:
    """Put the gap (in post minus required) in words.

    ``a shortfall of 12.3 FTE``, ``12.3 FTE more than needed`` or ``about what is needed``
    (when it rounds to zero).
    """
    shown = round(abs(float(gap)), digits)
    if shown == 0:
        return "about what is needed"
    if gap < 0:
        return f"a shortfall of {shown:,.{digits}f} {unit}"
    return f"{shown:,.{digits}f} {unit} more than needed"


def params_words(params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Parameters as ``(name, value)`` pairs in words for a provenance block."""
    return [(str(k), "" if v is None else str(v)) for k, v in params.items()]
