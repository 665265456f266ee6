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


# ---------------------------------------------------------------------------------------
# overrides of every table, files a spreadsheet damaged, self-referencing aliases
# ---------------------------------------------------------------------------------------
ROLES = ["gp", "hca", "paramedic", "pharmacist", "practice_nurse", "nobody"]
ACTS = ["same_day", "gp_consultation", "t2d_review", "immunisation", "no_such"]
BANDS = ["all", "0-4", "40-44", "90+", "0-3"]
PARAMS = {
    "capacity": ["hours_per_week", "days_per_week", "weeks_per_year", "sickness_days",
                 "cas_fraction", "ias_hours", "no_such"],
    "costs": ["salary", "oncost_rate", "no_such"],
    "flows": ["joiner_rate", "leaver_rate", "no_such"],
}  # fmt: skip
NUMBERS = st.one_of(
    st.sampled_from([0, 1, 0.5, 3, 37.5, -1, 1e-300, 1e308, 2000, "abc"]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.floats(-10, 100), min_size=2, max_size=3),
)
AREAS = st.sampled_from(["EX001", "EX002", "", "EX999"])


def _override_row(table: str):
    """Rows naming the table's key columns (sometimes a wrong label) and a new value."""
    keys = {
        "population": {"area": AREAS, "age_band": st.sampled_from(BANDS[1:])},
        "prevalence": {
            "area": AREAS,
            "activity": st.sampled_from(ACTS),
            "age_band": st.sampled_from(BANDS),
        },
        "contacts": {"activity": st.sampled_from(ACTS), "age_band": st.sampled_from(BANDS)},
        "skill_mix": {"activity": st.sampled_from(ACTS), "role": st.sampled_from(ROLES)},
        "minutes": {"activity": st.sampled_from(ACTS), "role": st.sampled_from(ROLES)},
        "supply": {"area": AREAS, "role": st.sampled_from(ROLES)},
        **{
            t: {"role": st.sampled_from(ROLES), "parameter": st.sampled_from(p)}
            for t, p in PARAMS.items()
        },
    }[table]
    value = {"population": "population", "supply": "fte"}.get(table, "value")
    values = {"current": NUMBERS, "future": NUMBERS} if table == "skill_mix" else {value: NUMBERS}
    row = st.fixed_dictionaries(keys, optional=values)
    if table == "prevalence":  # the national row: area left out
        row = st.one_of(row, row.map(lambda r: {k: v for k, v in r.items() if k != "area"}))
    return row


OVERRIDES = st.dictionaries(
    st.sampled_from(
        [
            "population",
            "prevalence",
            "contacts",
            "skill_mix",
            "minutes",
            "capacity",
            "costs",
            "supply",
            "flows",
        ]
    ),  # fmt: skip
    st.integers(1, 3),
    min_size=1,
    max_size=3,
).flatmap(
    lambda counts: st.fixed_dictionaries(
        {t: st.lists(_override_row(t), min_size=n, max_size=n) for t, n in counts.items()}
    )
)


def _finite_outputs(run) -> None:
    """What the files would hold: every additive array and every output measure."""
    from wfkit.validation import check_finite_frame

    for name, res in run.results.items():
        for m in ADDITIVE:
            assert np.isfinite(np.asarray(getattr(res, m))).all(), f"{name}.{m} is not finite"
    check_finite_frame(run.to_frame())


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(overrides=OVERRIDES)
def test_generated_overrides_of_every_table_run_or_fail_with_input_error(
    example_copy_factory, overrides
):
    """Any override row of any table: a run with finite outputs, or wfkit's own one-line
    InputError naming the scenario file (prevalence rows once ended in KeyError 'area')."""
    import yaml

    scenario = example_copy_factory()
    cfg = yaml.safe_load(scenario.read_text())
    cfg["overrides"] = overrides
    scenario.write_text(yaml.safe_dump(cfg, sort_keys=False))
    try:
        run = run_scenario(scenario, draws=2)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    _finite_outputs(run)


def _damage(text: str, how: str, cell: int) -> str:
    """A CSV as a spreadsheet may save it."""
    if how == "cr_only":
        return text.replace("\n", "\r")
    if how == "crlf":
        return text.replace("\n", "\r\n")
    if how == "semicolons":
        return text.replace(",", ";")
    lines = text.split("\n")
    i = 1 + cell % max(len(lines) - 2, 1)
    fields = lines[i].split(",")
    j = cell % len(fields)
    if how == "quoted_thousands":
        fields[j] = '"1,234"'
    elif how == "unquoted_thousands":
        fields[j] = "1,234"
    elif how == "stray_quote":
        fields[j] = '"' + fields[j]
        lines += ["x" * 1000] * 140  # more than 128 KB after the quote
    elif how == "long_field":
        fields[j] = '"' + "x" * 140_000 + '"'
    lines[i] = ",".join(fields)
    return "\n".join(lines)


DAMAGE = ["cr_only", "crlf", "semicolons", "quoted_thousands", "unquoted_thousands",
          "stray_quote", "long_field"]  # fmt: skip


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    damage=st.lists(
        st.tuples(st.sampled_from(TABLES), st.sampled_from(DAMAGE), st.integers(0, 10_000)),
        min_size=1,
        max_size=2,
    )
)
def test_files_a_spreadsheet_damaged_run_or_fail_with_input_error(example_copy_factory, damage):
    """CR-only line ends, semicolons, thousands separators, long fields: a run, or one
    line naming the file (never a csv or pandas traceback)."""
    scenario = example_copy_factory()
    folder = scenario.parent / "example"
    for table, how, cell in damage:
        path = folder / f"{table}.csv"
        path.write_bytes(_damage(path.read_text(), how, cell).encode())
    try:
        run = run_scenario(scenario, draws=2)
    except InputError as exc:
        msg = str(exc)
        assert "\n" not in msg and ".csv" in msg, msg
        return
    _finite_outputs(run)


@st.composite
def _self_referencing(draw) -> str:
    """YAML where an anchored value holds an alias to itself, at some depth and shape."""
    depth = draw(st.integers(0, 4))
    inner = "*r"
    for _ in range(depth):
        inner = draw(
            st.sampled_from(
                [f"[{inner}]", f"[1, {inner}]", f"{{k: {inner}}}", f"{{a: 1, b: {inner}}}"]
            )
        )
    opener = draw(st.sampled_from(["[", "{x: "]))
    closer = "]" if opener == "[" else "}"
    key = draw(st.sampled_from(["rec", "x_rec", "growth_rate", "inputs"]))
    return f"name: x\n{key}: &r {opener}{inner}{closer}\n"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=_self_referencing())
def test_generated_self_referencing_aliases_are_refused_at_once(tmp_path_factory, text):
    import time

    from wfkit.scenario import load_scenario

    p = tmp_path_factory.mktemp("alias") / "rec.yaml"
    p.write_text(text)
    t0 = time.perf_counter()
    try:
        load_scenario(p)
    except InputError as exc:
        assert "refers to the value that holds it" in str(exc), (text, str(exc))
    else:
        raise AssertionError(f"accepted {text!r}")
    assert time.perf_counter() - t0 < 2
