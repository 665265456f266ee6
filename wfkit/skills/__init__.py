"""Skills, not only roles: competencies, training needs, upskilling cost and the pipeline.

When a future model moves work from one role to another, someone must be trained to do it.
One concept a module; everything public is re-exported here, so ``from wfkit import skills;
skills.training_needs(...)`` works:

=====================  ===============================================================
:mod:`.tables`         the competency and pipeline tables: specs, :class:`SkillsTables`,
                       :func:`load_skills_tables`, :func:`make_skills_tables`, cross-checks
:mod:`.needs`          competency workload and **training needs** (:func:`training_needs`):
                       staff who must hold each competency, those already holding it, the
                       gap and the heads to train each year
:mod:`.cost`           **training time and cost** (:func:`training_cost`,
                       :func:`training_plan`): days off the rota, FTE lost, fees, backfill
:mod:`.pipeline`       **retention** (:func:`retained_capacity`) and the **pipeline of new
                       roles** (:func:`pipeline_plan`): places to commission, and when
:mod:`.placements`     the **placements** a plan needs each year (:func:`placements_needed`)
                       and whether the area's supervisors can host them (:func:`can_host`)
:mod:`.charts`         Altair charts of training needs and of places to commission
=====================  ===============================================================

Every function takes and returns tidy pandas DataFrames, never the engine object, so the
engine's ``workload_by_activity()`` output (``area, year, activity, role, hours, fte``) can
be passed straight in. The method, with a worked example, is in ``docs/skills.md``.
"""

from __future__ import annotations

from .charts import chart_pipeline, chart_training_needs
from .cost import (
    DEFAULT_AWT_HOURS,
    DEFAULT_HOURS_PER_DAY,
    role_rates_frame,
    role_rates_from_result,
    summarise_training,
    training_cost,
    training_plan,
)
from .needs import check_activities, competency_workload, training_needs
from .pipeline import (
    pipeline_fte,
    pipeline_inputs,
    pipeline_plan,
    retained_capacity,
    retention_curve,
)
from .placements import can_host, placements_needed
from .tables import (
    ACTIVITY_COMPETENCIES,
    COMPETENCIES,
    FTE_PER_HEAD,
    PIPELINE,
    ROLE_COMPETENCIES,
    ROLES,
    SKILLS_SPECS,
    SkillsTables,
    load_skills_tables,
    make_skills_tables,
    skills_data_dir,
)

__all__ = [
    "ROLES",
    "COMPETENCIES",
    "ACTIVITY_COMPETENCIES",
    "ROLE_COMPETENCIES",
    "PIPELINE",
    "FTE_PER_HEAD",
    "SKILLS_SPECS",
    "DEFAULT_HOURS_PER_DAY",
    "DEFAULT_AWT_HOURS",
    "SkillsTables",
    "skills_data_dir",
    "make_skills_tables",
    "load_skills_tables",
    "check_activities",
    "competency_workload",
    "training_needs",
    "role_rates_frame",
    "role_rates_from_result",
    "training_plan",
    "pipeline_inputs",
    "training_cost",
    "summarise_training",
    "retention_curve",
    "placements_needed",
    "can_host",
    "retained_capacity",
    "pipeline_plan",
    "pipeline_fte",
    "chart_training_needs",
    "chart_pipeline",
]
