"""Bundled real data: areas, populations, workforce, prevalence, appointments, assumptions.

Every table is documented in ``data/dictionary/`` and ``data/provenance.csv``.  Loading is
lazy and cached: importing :mod:`wfkit.data` reads nothing.

>>> import wfkit.data as wd
>>> wd.select_areas(level="pcn", within=("region", "London"))   # every London network
>>> wd.population([wd.DEFAULT_AREA], "pcn")                       # POPULATION table
"""

from __future__ import annotations

from .areas import (
    DEFAULT_AREA,
    growth,
    population,
    practices_in,
    prevalence,
    same_day_share,
    select_areas,
    supply,
)
from .loader import (
    dictionary,
    list_tables,
    load,
    read_practice_list,
    read_workforce_extract,
    table_path,
)
from .paths import data_dir, sources_dir
from .schemas import LEVELS, ROLE_IDS, TABLES

__all__ = [
    "DEFAULT_AREA",
    "LEVELS",
    "ROLE_IDS",
    "TABLES",
    "data_dir",
    "dictionary",
    "growth",
    "list_tables",
    "load",
    "population",
    "practices_in",
    "prevalence",
    "read_practice_list",
    "read_workforce_extract",
    "same_day_share",
    "select_areas",
    "sources_dir",
    "supply",
    "table_path",
]
