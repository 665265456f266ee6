"""Roles beyond the practice: the neighbourhood team's community roles, added by a scenario.

``community_roles:`` in a scenario (docs/neighbourhoods.md) adds district nurses, community
staff nurses, community matrons and community healthcare assistants
(:data:`wfkit.settings.COMMUNITY_ROLES`) with their own working time, pay and flows, and the
activities they take (housebound reviews, frailty case management, wound care at home), from
the bundled tables ``data/neighbourhood/community_*.csv``; each role's FTE in post is the
user's (no public practice- or neighbourhood-level source exists).  Without the key nothing
is added, so the default run is unchanged.

The rows join the variant's tables before its overrides, so an override can change them
(``overrides: {minutes: [{activity: wound_care_at_home, role: community_hca, value: 25}]}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from .. import settings as S
from .. import tables as T
from ..errors import InputError
from ..input_files import read_csv_checked
from .spec import VariantSpec, values_by_area

__all__ = ["COMMUNITY_TABLES", "community_tables", "add_community_roles", "community_supply"]

#: the tables a community team adds rows to (``data/neighbourhood/community_<name>.csv``):
#: every assumption table
COMMUNITY_TABLES = T.ASSUMPTION_TABLES


def community_tables() -> dict[str, pd.DataFrame]:
    """Return the bundled community rows of each table, checked against its engine spec."""
    # lazy: wfkit.data loads only when a run reads bundled tables
    from ..data.paths import data_dir

    folder = data_dir() / "neighbourhood"
    return {
        name: read_csv_checked(folder / f"community_{name}.csv", T.SPECS[name])
        for name in COMMUNITY_TABLES
    }


def community_supply(
    given: Mapping[str, Any], areas: list[str], source: str, key: str = "community_roles"
) -> pd.DataFrame:
    """Return the SUPPLY rows of the community roles: ``area, role, fte``, every area and role.

    Parameters
    ----------
    given
        Role -> FTE in post: a number (one area modelled; 0 is none in every area) or
        ``{area: fte}`` (every area).
    areas
        The areas modelled.
    source, key
        For errors: the scenario file and its key.

    Raises
    ------
    InputError
        A number for several areas, an area missing or not modelled.
    """
    rows = []
    for role in S.COMMUNITY_ROLES:
        fte = values_by_area(given.get(role, 0.0), areas, "FTE", source, f"{key}.{role}")
        rows += [(a, role, f) for a, f in zip(areas, fte, strict=True)]
    return pd.DataFrame(rows, columns=["area", "role", "fte"])


def add_community_roles(
    tables: dict[str, tuple[pd.DataFrame, str]], v: VariantSpec, areas: list[str]
) -> list[str]:
    """Add the community roles and their activities to a variant's tables (in place).

    Nothing happens without ``community_roles``.  Returns notes for the run log.

    Raises
    ------
    InputError
        If a table of the scenario already has a community role or activity (it would be
        counted twice), or the FTE in post does not fit the areas.
    """
    if not v.community_roles:
        return []
    extra = community_tables()
    for name, df in extra.items():
        own, origin = tables[name]
        key = "activity" if "activity" in df.columns and name != "capacity" else "role"
        clash = sorted(set(own[key]) & set(df[key])) if key in own.columns else []
        if clash and name in ("activities", "capacity"):
            raise InputError(
                f"{key} {clash[0]!r} is in the scenario's {name} table and added by "
                "community_roles; expected it once (drop the row, or the key)",
                source=origin,
                column=key,
            )
        tables[name] = (pd.concat([own, df], ignore_index=True), f"{origin} + community")
    sup, origin = tables["supply"]
    add = community_supply(v.community_roles, areas, v.source, v.key("community_roles"))
    tables["supply"] = (pd.concat([sup, add], ignore_index=True), f"{origin} + community")
    none = [r for r in S.COMMUNITY_ROLES if r not in v.community_roles]
    notes = [
        "community_roles: added "
        + ", ".join(S.COMMUNITY_ROLES[r].lower() for r in S.COMMUNITY_ROLES)
        + " and their activities (housebound reviews, frailty case management, wound care at "
        "home; data/neighbourhood/); FTE in post as the scenario gives it"
    ]
    if none:
        notes.append(f"community_roles: no FTE in post given for {none} (counted as 0)")
    if v.activities:
        notes.append(
            "community_roles: their activities are modelled beside the scenario's activities"
        )
    return notes
