"""wfkit: plan the NHS primary-care workforce.

Population x service use x who does what x time per activity -> FTE by role, year by year,
with the gap against supply and the cost of each model.  Start with :func:`run_scenario`.
"""

from . import data, model, scenario, skills, usecases
from ._version import __version__
from .backtest import england_gp_backtest
from .data import not_modelled, staff_in_post, supply, supply_coverage
from .errors import InputError, WfkitError
from .model.engine import ModelInputs, ModelResult, run_model, transition_weights
from .model.uncertainty import Param, summarise_draws
from .outputs import output_folder
from .queueing import (
    erlang_c,
    peak_vs_average,
    servers_needed,
    service_level,
    session_staffing,
    weekly_profile,
)
from .scenario import (
    Calibration,
    ScenarioRun,
    ScenarioSpec,
    build_inputs,
    calibrate,
    example_scenario_path,
    load_scenario,
    national_factors,
    reconcile,
    run_scenario,
    validate_scenario,
    write_outputs,
)
from .skills import (
    load_skills_tables,
    pipeline_plan,
    retained_capacity,
    training_cost,
    training_needs,
    training_plan,
)
from .tables import AGE_BANDS
from .wisn import (
    AvailableWorkingTime,
    CategoryAllowance,
    IndividualAllowance,
    WisnActivity,
    WisnResult,
)
from .wisn import wisn as classic_wisn

__all__ = [
    "AGE_BANDS",
    "AvailableWorkingTime",
    "CategoryAllowance",
    "IndividualAllowance",
    "InputError",
    "ModelInputs",
    "ModelResult",
    "Param",
    "ScenarioSpec",
    "ScenarioRun",
    "WfkitError",
    "WisnActivity",
    "WisnResult",
    "__version__",
    "build_inputs",
    "classic_wisn",
    "data",
    "model",
    "scenario",
    "skills",
    "usecases",
    "Calibration",
    "calibrate",
    "national_factors",
    "reconcile",
    "staff_in_post",
    "supply",
    "supply_coverage",
    "not_modelled",
    "output_folder",
    "load_skills_tables",
    "pipeline_plan",
    "retained_capacity",
    "training_cost",
    "training_needs",
    "training_plan",
    "england_gp_backtest",
    "erlang_c",
    "example_scenario_path",
    "load_scenario",
    "peak_vs_average",
    "run_model",
    "run_scenario",
    "servers_needed",
    "service_level",
    "session_staffing",
    "summarise_draws",
    "transition_weights",
    "validate_scenario",
    "weekly_profile",
    "write_outputs",
]
