"""Use cases: scenario mappings built from a notebook's parameters, run on the bundled data.

Each use case (getting started, type 2 diabetes, same-day access, nursing services,
integrated care) is a scenario: a baseline (today's who-does-what) and one or more
variants (a future model, a shift of work between roles, a person-centred care model).
Each lives in its own module, holding its parameters, its activities and its variants,
and registers itself in :data:`REGISTRY`:

=====================  ==========================================================
``all``                :mod:`wfkit.usecases.whole_practice`
``type2_diabetes``     :mod:`wfkit.usecases.type2_diabetes`
``same_day``           :mod:`wfkit.usecases.same_day`
``nursing``            :mod:`wfkit.usecases.nursing`
``frailty``            :mod:`wfkit.usecases.frailty`
=====================  ==========================================================

:func:`build` (in :mod:`wfkit.usecases.base`, with :class:`UseCase`, :func:`rerun` and the
bundled tables) turns plain parameters (area, level, base year, horizon, growth, skill-mix
shift, minutes per contact, draws, seed; declared once in :mod:`wfkit.usecases.params`,
which the notebooks' parameter check reads too) into a :class:`UseCase` holding an
ordinary scenario mapping (the same format as a YAML scenario file, see
``wfkit/schemas/scenario.schema.json``) and the activities it models; :meth:`UseCase.run`
runs it with :func:`wfkit.scenario.run_scenario`.  :mod:`wfkit.usecases.reports` turns the
run into the small tidy frames notebooks show.

>>> uc = build("type2_diabetes", {"area": "U78517", "level": "pcn", "draws": 50})
>>> run = uc.run()
>>> headline(run)
"""

from __future__ import annotations

# the use cases register themselves in REGISTRY, in this order (the notebooks' order)
# isort: off
from . import whole_practice, type2_diabetes, same_day, nursing, frailty, closer_to_home  # noqa: F401

# isort: on
from . import params
from .base import (
    DEFAULTS,
    EXTRA,
    NOTEBOOK_ONLY,
    REGISTRY,
    USE_CASES,
    Context,
    Spec,
    UseCase,
    activities_for,
    area_table,
    build,
    bundled_loader,
    register,
    rerun,
    resolve_area,
    spec,
)
from .params import Setting
from .reports import (
    base_year,
    base_year_note,
    base_year_table,
    cohort_frame,
    cohort_size,
    front_door,
    fte_by_role,
    headline,
    output_tables,
    pathway_overlap,
    per_person,
    results_frame,
    same_day_demand_check,
    same_day_queueing,
    totals,
    training_needs_table,
    training_summary,
    who_does_what,
    who_does_what_table,
)
from .same_day import SESSION_WEIGHTS, WEEKDAY_WEIGHTS

__all__ = [
    "REGISTRY",
    "USE_CASES",
    "DEFAULTS",
    "EXTRA",
    "NOTEBOOK_ONLY",
    "WEEKDAY_WEIGHTS",
    "SESSION_WEIGHTS",
    "Setting",
    "Spec",
    "Context",
    "UseCase",
    "params",
    "register",
    "spec",
    "activities_for",
    "resolve_area",
    "area_table",
    "bundled_loader",
    "build",
    "rerun",
    "totals",
    "results_frame",
    "headline",
    "fte_by_role",
    "who_does_what",
    "who_does_what_table",
    "cohort_frame",
    "base_year",
    "base_year_table",
    "base_year_note",
    "cohort_size",
    "per_person",
    "same_day_demand_check",
    "same_day_queueing",
    "front_door",
    "pathway_overlap",
    "training_summary",
    "training_needs_table",
    "output_tables",
]
