"""Bundled real data: areas, populations, workforce, prevalence, appointments, assumptions.

The 2025 base: lists December 2025, practice staff October 2025, QOF 2024/25, appointments
November 2025.

Every table is documented in ``data/dictionary/`` and ``data/provenance.csv``.  Loading is
lazy and cached: importing :mod:`wfkit.data` reads nothing.

>>> import wfkit.data as wd
>>> wd.select_areas(level="pcn", within=("region", "London"))   # every London network
>>> wd.population([wd.DEFAULT_AREA], "pcn")                       # POPULATION table
"""

from __future__ import annotations

from .areas import (
    DEFAULT_AREA,
    appointments,
    area_names,
    growth,
    population,
    practices_at,
    practices_in,
    prevalence,
    qof_trend,
    same_day_share,
    seasonal_factors,
    select_areas,
)
from .catalogue import TABLES
from .groups import (
    as_level,
    example_groups_path,
    group_level,
    group_lookup,
    group_source,
    is_group_level,
    read_groups,
)
from .loader import (
    code_words,
    dictionary,
    list_tables,
    load,
    read_practice_list,
    read_workforce_extract,
    role_labels,
    table_path,
)
from .paths import data_dir, sources_dir
from .practice_staff import STAFF_PERIOD
from .schemas import LEVELS, ROLE_IDS
from .staff import not_modelled, staff_in_post, supply, supply_coverage, unreliable_bases

__all__ = [
    "DEFAULT_AREA",
    "appointments",
    "LEVELS",
    "ROLE_IDS",
    "TABLES",
    "code_words",
    "data_dir",
    "dictionary",
    "growth",
    "as_level",
    "group_level",
    "group_lookup",
    "group_source",
    "is_group_level",
    "read_groups",
    "example_groups_path",
    "list_tables",
    "load",
    "population",
    "practices_at",
    "practices_in",
    "prevalence",
    "qof_trend",
    "read_practice_list",
    "read_workforce_extract",
    "role_labels",
    "same_day_share",
    "seasonal_factors",
    "area_names",
    "select_areas",
    "sources_dir",
    "supply",
    "staff_in_post",
    "not_modelled",
    "supply_coverage",
    "unreliable_bases",
    "STAFF_PERIOD",
    "table_path",
]
