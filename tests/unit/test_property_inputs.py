"""Generated scenario tables, edge cases included: wfkit runs them or refuses them with its
own InputError; never another exception, and never inf or NaN in an additive result.

Scenarios are the bundled example cut to 1-2 areas and 1-4 activities (same_day always,
which a variant's shift names), with a few cells of any table set to an edge value: 0,
huge, tiny, negative, NaN written several ways, infinity, empty, text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wfkit.errors import InputError
from wfkit.scenario import run_scenario

EDGE = ["0", "-0", "1e308", "1e-300", "-1", "-1e9", "nan", "NaN", "NA", "", " ", "inf", "-inf",
        "abc", "1,5", "0.5", "3"]  # fmt: skip
TABLES = ["activities", "capacity", "contacts", "costs", "flows", "minutes", "population",
          "prevalence", "skill_mix", "supply"]  # fmt: skip
ADDITIVE = ("population", "demand", "workload_hours", "required_fte", "supply_fte", "cost_gbp")

edits = st.lists(
    st.tuples(
        st.sampled_from(TABLES), st.integers(0, 10_000), st.integers(0, 10), st.sampled_from(EDGE)
    ),
    max_size=3,
)


def _cut(scenario, n_areas, acts, changes):
    folder = scenario.parent / "example"
    frames = {t: pd.read_csv(folder / f"{t}.csv", dtype=str, keep_default_na=False) for t in TABLES}
    areas = sorted(set(frames["population"]["area"]))[:n_areas]
    for t in ("population", "supply"):
        frames[t] = frames[t][frames[t]["area"].isin(areas)]
    for t in ("activities", "prevalence", "contacts", "skill_mix", "minutes"):
        frames[t] = frames[t][frames[t]["activity"].isin(acts)]
    for t, row, col, value in changes:
        df = frames[t]
        if len(df):
            df.iloc[row % len(df), col % df.shape[1]] = value
    for t, df in frames.items():
        df.to_csv(folder / f"{t}.csv", index=False)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    n_areas=st.integers(1, 2),
    extra=st.sets(st.sampled_from(["gp_consultation", "t2d_review", "immunisation"]), max_size=3),
    changes=edits,
)
def test_generated_tables_run_or_fail_with_input_error(
    example_copy_factory, n_areas, extra, changes
):
    scenario = example_copy_factory()
    _cut(scenario, n_areas, {"same_day", *extra}, changes)
    try:
        run = run_scenario(scenario, draws=3)
    except InputError:
        return
    for name, res in run.results.items():
        for m in ADDITIVE:
            arr = np.asarray(getattr(res, m))
            bad = ~np.isfinite(arr)
            if bad.any():
                raise AssertionError(
                    f"{name}.{m} has {int(bad.sum())} non-finite values without an InputError "
                    f"(edits {changes})"
                )
