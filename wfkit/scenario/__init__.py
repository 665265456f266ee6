"""Scenarios: from a YAML file (a workbook, or a mapping) to calibrated engine inputs, runs and outputs.

=================  ==================================================================
``config``         bundled scenario names, strict YAML loading, checking against the
                   schema (:func:`load_scenario`)
``schema``         the JSON Schema, made from the settings' declarations (wfkit.settings)
``spec``           the typed, frozen scenario (:class:`ScenarioSpec`, :class:`VariantSpec`):
                   defaults resolved, variants merged once
``records``        what a run records per variant (:class:`VariantRecord`, :class:`Calibration`)
``tables``         the input tables: bundled or the user's CSVs, and overrides
``arrays``         long tables turned into labelled arrays and uncertain values
``inputs``         engine inputs built step by step (:func:`build_inputs`)
``calibration``    base-year calibration (none, national, local) and the reconciliation
``prepare``        every check before a run, each variant's calibrated inputs
``results``        :class:`ScenarioRun`: the results of every variant
``run``            :func:`run_scenario`, writing the outputs
``chunked``        Monte Carlo in chunks of areas, locally or on Dask (:class:`ChunkedRun`)
``workbook``       a scenario workbook's layout, and reading one (:func:`read_workbook`)
``template``       writing the editable Excel scenario template (:func:`write_template`)
=================  ==================================================================

The layers below (``wfkit.model``, ``wfkit.data``) know nothing of scenarios.
"""

from typing import TYPE_CHECKING, Any

from ..tables import REQUIRED_TABLES
from .calibration import (
    CALIBRATIONS,
    calibrate,
    calibrate_variant,
    local_factors,
    national_factors,
    reconcile,
)
from .chunked import ChunkedRun, local_cluster, run_chunked
from .config import (
    MAX_YAML_NODES,
    bundled_scenarios,
    example_scenario_path,
    load_scenario,
    scenario_path,
    scenario_schema,
    validate_scenario,
)
from .inputs import build_inputs
from .placements import placements_frames
from .prepare import prepare_inputs
from .records import Calibration, VariantRecord
from .results import ScenarioRun
from .run import (
    reconciliation_lines,
    run_scenario,
    write_outputs,
    write_run_files,
)
from .spec import ScenarioSpec, Shift, SkillMixSpec, TableRef, VariantSpec
from .tables import VALIDATED, TableLoader, load_bundled_table, resolve_areas

if TYPE_CHECKING:
    from .template import write_template
    from .workbook import read_workbook

__all__ = [
    "CALIBRATIONS",
    "Calibration",
    "ChunkedRun",
    "MAX_YAML_NODES",
    "REQUIRED_TABLES",
    "ScenarioSpec",
    "VariantSpec",
    "VariantRecord",
    "SkillMixSpec",
    "Shift",
    "TableRef",
    "ScenarioRun",
    "TableLoader",
    "VALIDATED",
    "build_inputs",
    "bundled_scenarios",
    "calibrate",
    "calibrate_variant",
    "example_scenario_path",
    "load_bundled_table",
    "load_scenario",
    "local_cluster",
    "local_factors",
    "national_factors",
    "placements_frames",
    "prepare_inputs",
    "read_workbook",
    "reconcile",
    "reconciliation_lines",
    "resolve_areas",
    "run_chunked",
    "run_scenario",
    "scenario_path",
    "scenario_schema",
    "validate_scenario",
    "write_outputs",
    "write_run_files",
    "write_template",
]


def __getattr__(name: str) -> Any:
    """Load the workbook parts on first use: a run from a YAML file never reads Excel."""
    if name == "write_template":
        # lazy: the Excel template's writer, for `wfkit template` and its callers only
        from .template import write_template

        return write_template
    if name == "read_workbook":
        # lazy: the workbook reader, for a scenario given as a workbook only
        from .workbook import read_workbook

        return read_workbook
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
