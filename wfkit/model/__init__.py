"""The model: arrays in, arrays out.

It knows nothing of files, YAML, tables, charts, widgets or the command line
(``tests/unit/test_architecture.py`` keeps it so).

==================  ===================================================================
``engine``          the calculation chain (population -> demand -> who does what ->
                    workload -> FTE required, supply, gap, cost): :func:`run_model`
``capacity``        working time, CAF and IAF: one definition for the engine and classic
                    WISN (:mod:`wfkit.wisn`)
``uncertainty``     inputs as points or 80% intervals, split-normal draws, percentiles
``supply``          staff in post rolled forward by joiner and leaver rates
``moved_in``        work moved in from hospital: contacts, FTE, cost, hospital side
==================  ===================================================================
"""

from . import capacity
from .engine import ROLE_MEASURES, ModelInputs, ModelResult, run_model, transition_weights
from .moved_in import MovedInArrays, moved_in_arrays, ramp_weights
from .supply import roll_forward
from .uncertainty import Param, check_interval, rng_for, summarise_draws

__all__ = [
    "ROLE_MEASURES",
    "ModelInputs",
    "ModelResult",
    "MovedInArrays",
    "Param",
    "capacity",
    "check_interval",
    "moved_in_arrays",
    "ramp_weights",
    "rng_for",
    "roll_forward",
    "run_model",
    "summarise_draws",
    "transition_weights",
]
