"""wfkit: plan the NHS primary-care workforce.

Population x service use x who does what x time per activity -> FTE by role, year by year,
with the gap against supply and the cost of each model.  Start with :func:`run_scenario`.

Every public name is imported on first use (``__getattr__`` below), so ``import wfkit`` loads
no pandas, charts, widgets, Jupyter or Dask until a name that needs them is asked for.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

#: the module each public name comes from; a name is imported when first asked for
_EXPORTS: dict[str, tuple[str, ...]] = {
    "._version": ("__version__",),
    ".backtest": ("england_gp_backtest",),
    ".data": (
        "group_level",
        "not_modelled",
        "read_groups",
        "staff_in_post",
        "supply",
        "supply_coverage",
        "unreliable_bases",
    ),
    ".drivers": ("explain",),
    ".errors": ("InputError", "WfkitError"),
    ".frontdoor": ("call_handlers",),
    ".frontdoor_flow": ("front_door_plan", "front_door_scenarios"),
    ".model.engine": ("ModelInputs", "ModelResult", "run_model", "transition_weights"),
    ".model.uncertainty": ("Param", "summarise_draws"),
    ".optimiser": ("Optimised", "optimise"),
    ".outputs": ("output_folder",),
    ".sensitivity": ("SobolResult", "sobol", "tornado"),
    ".queueing": (
        "erlang_c",
        "peak_vs_average",
        "servers_needed",
        "service_level",
        "session_staffing",
        "weekly_profile",
    ),
    ".scenario": (
        "Calibration",
        "ScenarioRun",
        "ScenarioSpec",
        "build_inputs",
        "calibrate",
        "example_scenario_path",
        "load_scenario",
        "national_factors",
        "placements_frames",
        "reconcile",
        "run_scenario",
        "validate_scenario",
        "write_outputs",
    ),
    ".skills": (
        "can_host",
        "load_skills_tables",
        "pipeline_plan",
        "placements_needed",
        "retained_capacity",
        "training_cost",
        "training_needs",
        "training_plan",
    ),
    ".tables": ("AGE_BANDS",),
    ".usecases.need": ("NeedCheck", "need_check"),
    ".usecases.closer_to_home": ("MovedInResults", "moved_in_results", "business_case"),
    ".wisn": (
        "AvailableWorkingTime",
        "CategoryAllowance",
        "IndividualAllowance",
        "WisnActivity",
        "WisnResult",
    ),
}
#: public names given under another name than their module's: name -> (module, attribute)
_RENAMED = {"classic_wisn": (".wisn", "wisn")}
_WHERE = {
    **{name: (module, name) for module, names in _EXPORTS.items() for name in names},
    **_RENAMED,
}

if TYPE_CHECKING:  # the same names, for type checkers and editors (tested to agree)
    from . import data, model, scenario, skills, usecases
    from ._version import __version__
    from .backtest import england_gp_backtest
    from .data import (
        group_level,
        not_modelled,
        read_groups,
        staff_in_post,
        supply,
        supply_coverage,
        unreliable_bases,
    )
    from .drivers import explain
    from .errors import InputError, WfkitError
    from .frontdoor import call_handlers
    from .frontdoor_flow import front_door_plan, front_door_scenarios
    from .model.engine import ModelInputs, ModelResult, run_model, transition_weights
    from .model.uncertainty import Param, summarise_draws
    from .optimiser import Optimised, optimise
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
        placements_frames,
        reconcile,
        run_scenario,
        validate_scenario,
        write_outputs,
    )
    from .sensitivity import SobolResult, sobol, tornado
    from .skills import (
        can_host,
        load_skills_tables,
        pipeline_plan,
        placements_needed,
        retained_capacity,
        training_cost,
        training_needs,
        training_plan,
    )
    from .tables import AGE_BANDS
    from .usecases.closer_to_home import MovedInResults, business_case, moved_in_results
    from .usecases.need import NeedCheck, need_check
    from .wisn import (
        AvailableWorkingTime,
        CategoryAllowance,
        IndividualAllowance,
        WisnActivity,
        WisnResult,
    )
    from .wisn import wisn as classic_wisn


def __getattr__(name: str) -> Any:
    """Import a public name or a submodule when first asked for, and keep it.

    The names include the version; a submodule is for example ``wfkit.queueing``.
    """
    if name in _WHERE:
        module, attr = _WHERE[name]
        value = getattr(importlib.import_module(module, __name__), attr)
    elif not name.startswith("__") and importlib.util.find_spec(f"{__name__}.{name}"):
        value = importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "AGE_BANDS",
    "AvailableWorkingTime",
    "CategoryAllowance",
    "IndividualAllowance",
    "InputError",
    "ModelInputs",
    "ModelResult",
    "Optimised",
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
    "unreliable_bases",
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
    "NeedCheck",
    "need_check",
    "call_handlers",
    "front_door_plan",
    "front_door_scenarios",
    "optimise",
    "group_level",
    "read_groups",
    "placements_frames",
    "placements_needed",
    "can_host",
    "MovedInResults",
    "moved_in_results",
    "business_case",
    "explain",
    "tornado",
    "sobol",
    "SobolResult",
]
