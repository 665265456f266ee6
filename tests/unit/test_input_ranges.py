"""Issue 11: every slip in an input gets a named, one-line error before the model runs.

Each test asserts the exact file, row, column or key named, and that the message is short.
"""

from __future__ import annotations

import logging
import os
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scenario_edits import edit_csv, edit_yaml

import wfkit.data as wd
import wfkit.validation as V
from wfkit import input_files
from wfkit import tables as T
from wfkit.cli import main
from wfkit.data.catalogue import TABLES
from wfkit.data.schemas import PRACTICE_LIST, WORKFORCE_EXTRACT
from wfkit.errors import InputError
from wfkit.model.engine import run_model
from wfkit.scenario import build_inputs, load_scenario, run_scenario

SHORT = 300


def refused(scenario, **where) -> InputError:
    """Load and build every variant; the InputError must name ``where`` and be short."""
    with pytest.raises(InputError) as info:
        sc = load_scenario(scenario)
        for v in sc.variant_names:
            build_inputs(sc, v)
    e = info.value
    for attr, want in where.items():
        got = getattr(e, attr)
        if attr == "source":
            assert str(got).endswith(want), (got, want, str(e))
        else:
            assert got == want, (attr, got, want, str(e))
    assert len(str(e)) < SHORT and "\n" not in str(e), str(e)
    return e


def set_param(table: str, role: str, parameter: str, value: str):
    def f(d):
        m = (d.role == role) & (d.parameter == parameter)
        d.loc[m, "value"] = value
        d.loc[m, ["lo", "hi"]] = ""
        return d

    return table, f


def row_of(scenario: Path, table: str, **keys) -> int:
    d = pd.read_csv(scenario.parent / "example" / f"{table}.csv", dtype=str)
    m = np.ones(len(d), dtype=bool)
    for k, v in keys.items():
        m &= (d[k] == v).to_numpy()
    return int(np.flatnonzero(m)[0]) + 2


# ---- 1. ranges on the stated value, lo and hi -------------------------------------------
@pytest.mark.parametrize(
    ("table", "role", "parameter", "value", "rng"),
    [
        ("capacity", "gp", "cas_fraction", "1.0", "[0, 0.9]"),
        ("capacity", "gp", "cas_fraction", "1.2", "[0, 0.9]"),
        ("capacity", "gp", "cas_fraction", "0.95", "[0, 0.9]"),
        ("capacity", "gp", "days_per_week", "0", "[0.5, 7]"),
        ("capacity", "hca", "hours_per_week", "100", "[1, 80]"),
        ("flows", "gp", "leaver_rate", "1.5", "[0, 1]"),
        ("costs", "gp", "oncost_rate", "5", "[0, 1]"),
    ],
)
def test_parameter_out_of_range_names_file_row_column(
    example_copy, table, role, parameter, value, rng
):
    edit_csv(example_copy, table, set_param(table, role, parameter, value)[1])
    e = refused(
        example_copy,
        source=f"{table}.csv",
        row=row_of(example_copy, table, role=role, parameter=parameter),
        column="value",
    )
    assert parameter in str(e) and rng in str(e)


def test_interval_end_out_of_range_is_refused(example_copy):
    def f(d):
        m = (d.role == "gp") & (d.parameter == "cas_fraction")
        d.loc[m, ["value", "lo", "hi"]] = ["0.5", "0.2", "0.95"]
        return d

    edit_csv(example_copy, "capacity", f)
    e = refused(example_copy, source="capacity.csv", column="hi")
    assert "[0, 0.9]" in str(e)


@pytest.mark.parametrize(
    ("table", "column", "value", "rng"),
    [
        ("prevalence", "value", "1.5", "[0, 1]"),
        ("contacts", "value", "5000", "[0, 1000]"),
        ("minutes", "value", "0", "(0, 1440]"),
        ("population", "population", "1e308", "[0, 1e+08]"),
        ("supply", "fte", "2e6", "[0, 1e+06]"),
    ],
)
def test_table_value_out_of_range(example_copy, table, column, value, rng):
    def f(d):
        d.loc[0, column] = value
        if "lo" in d:
            d.loc[0, ["lo", "hi"]] = ""
        return d

    edit_csv(example_copy, table, f)
    e = refused(example_copy, source=f"{table}.csv", row=2, column=column)
    assert rng in str(e)


def test_absence_days_must_leave_working_days(example_copy):
    _, f = set_param("capacity", "gp", "sickness_days", "300")
    edit_csv(example_copy, "capacity", f)
    e = refused(example_copy, source="capacity.csv", column="value")
    assert "role 'gp'" in str(e) and "working days" in str(e)


@pytest.mark.parametrize(
    ("rate", "hint"),
    [(2, "for 2% write 0.02"), (-2, "write -0.02"), (0.5, "write 0.005"), (50, None)],
)
def test_growth_rate_range_with_percent_hint(example_copy, rate, hint):
    edit_yaml(example_copy, lambda c: c.update(growth_rate=rate))
    e = refused(example_copy, key="growth_rate")
    assert "[-0.1, 0.1]" in str(e)
    assert (hint in str(e)) if hint else ("write" not in str(e))


def test_growth_rate_of_a_variant_names_the_variant(example_copy):
    edit_yaml(example_copy, lambda c: c["variants"][1].update(growth_rate=[0.01, 3]))
    refused(example_copy, key="variants[1].growth_rate")


def test_override_out_of_range_names_the_key(example_copy):
    def f(c):
        c["overrides"] = {
            "capacity": [{"role": "gp", "parameter": "cas_fraction", "value": [0.1, 0.2, 1.0]}]
        }

    edit_yaml(example_copy, f)
    e = refused(example_copy, key="overrides.capacity[0].value")
    assert "cas_fraction" in str(e) and "[0, 0.9]" in str(e) and "example.yaml" in str(e)

    def g(c):
        c["overrides"] = {"minutes": [{"activity": "same_day", "role": "gp", "value": 2000}]}

    edit_yaml(example_copy, g)
    refused(example_copy, key="overrides.minutes[0].value")


def test_a_non_finite_result_is_an_error(example_copy):
    sc = load_scenario(example_copy)
    inp, _ = build_inputs(sc)
    res = run_model(inp, draws=0)
    V.check_finite_results(res, "x.yaml", "baseline")
    res.required_fte[0, 1, 3, inp.roles.index("gp")] = np.inf
    with pytest.raises(InputError) as info:
        V.check_finite_results(res, "x.yaml", "baseline")
    msg = str(info.value)
    assert "required_fte is inf" in msg and f"area {inp.areas[1]}" in msg
    assert f"year {inp.years[3]}" in msg and "role gp" in msg and len(msg) < SHORT


@pytest.mark.parametrize(
    ("parameter", "value"),
    [("hours_per_week", 1.0e-300), ("days_per_week", 1e-9), ("weeks_per_year", 1e-300)],
)
def test_extreme_working_time_is_out_of_range(example_copy, parameter, value):
    """In range once, these made 1e300 FTE and infinite costs with exit 0: a real contract
    is at least an hour, half a day a week and a week a year."""

    def f(c):
        c["overrides"] = {"capacity": [{"role": "gp", "parameter": parameter, "value": value}]}

    edit_yaml(example_copy, f)
    e = refused(example_copy, key="overrides.capacity[0].value")
    assert parameter in str(e) and "below the minimum" in str(e)


def _frame_with(run, measure, stat, value):
    f = run.to_frame().copy()
    i = int(
        np.flatnonzero((f["measure"] == measure).to_numpy() & (f["role"] == "gp").to_numpy())[3]
    )
    f.iloc[i, f.columns.get_loc(stat)] = value
    return f, f.iloc[i]


@pytest.mark.parametrize(
    ("measure", "stat", "value"),
    [
        ("cost_per_1000", "value", np.inf),
        ("wisn_ratio", "p90", -np.inf),
        ("required_fte", "p50", np.nan),
        ("gap_fte", "diff", np.nan),
    ],
)
def test_every_output_measure_is_checked_before_writing(
    example_copy, tmp_path, monkeypatch, measure, stat, value
):
    """Not only the additive arrays: ratios and totals made for the files too (inf in
    cost_per_1000 and NaN percentiles once reached results.csv and summary.json)."""
    from wfkit.scenario import run as R
    from wfkit.scenario import write_outputs

    run = run_scenario(example_copy, draws=3)
    bad, row = _frame_with(run, measure, stat, value)
    # the results are written variant by variant (issue 20): each frame checked first
    monkeypatch.setattr(R, "_result_frames", lambda run, layout: iter([("baseline", bad)]))
    with pytest.raises(InputError) as info:
        write_outputs(run, tmp_path / "out")
    msg = str(info.value)
    assert msg.count(measure) == 1 and f"area {row['area']}" in msg and "role gp" in msg
    assert f"year {row['year']}" in msg and len(msg) < SHORT
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("measure", "stat", "value"),
    [
        ("cost_per_1000", "value", np.inf),
        ("required_fte", "p50", np.nan),
        ("gap_fte", "diff", -np.inf),
    ],
)
def test_the_columns_of_a_frame_are_checked_before_writing(
    example_copy, tmp_path, monkeypatch, measure, stat, value
):
    """A variant's CSV is made from its frame's columns (no frame): they are checked as the
    frame would be, naming the row, and nothing is written."""
    from wfkit.model.engine import ModelResult
    from wfkit.scenario import write_outputs

    run = run_scenario(example_copy, draws=3)
    real = ModelResult.tidy_columns
    planted = {}

    def tidy_columns(self, scenario="baseline", baseline=None):
        cols = real(self, scenario, baseline)
        if scenario == list(run.results)[-1]:
            gp = cols.categories["role"].index("gp")
            m = cols.categories["measure"].index(measure)
            i = np.flatnonzero((cols.codes["measure"] == m) & (cols.codes["role"] == gp))[3]
            cols.block[cols.stats.index(stat), i] = value
            planted["row"] = cols.frame().iloc[i]
        return cols

    monkeypatch.setattr(ModelResult, "tidy_columns", tidy_columns)
    with pytest.raises(InputError) as info:
        write_outputs(run, tmp_path / "out")
    msg, row = str(info.value), planted["row"]
    assert msg.count(measure) == 1 and f"area {row['area']}" in msg and "role gp" in msg
    assert f"scenario {row['scenario']}" in msg and len(msg) < SHORT
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("column", "value"), [("contacts", np.inf), ("p10", np.nan)])
def test_every_demand_figure_is_checked_before_writing(
    example_copy, tmp_path, monkeypatch, column, value
):
    """The demand table is looked over whole before it is written: an infinite or missing
    figure is refused naming its row, and nothing is written."""
    from wfkit.scenario import run as R
    from wfkit.scenario import write_outputs

    run = run_scenario(example_copy, draws=3)
    bad = run.results["baseline"].demand_frame()
    bad.loc[5, column] = value
    monkeypatch.setattr(R, "_demand_parts", lambda run: iter([bad]))
    with pytest.raises(InputError) as info:
        write_outputs(run, tmp_path / "out")
    msg = str(info.value)
    assert column.removesuffix("_p10") in msg and f"activity {bad.loc[5, 'activity']}" in msg
    assert f"year {bad.loc[5, 'year']}" in msg and len(msg) < SHORT
    assert not (tmp_path / "out").exists()


def test_nan_by_design_is_written(example_copy, tmp_path):
    """wisn_ratio where nothing is required, population on role rows: NaN as before."""
    from wfkit.scenario import write_outputs

    run = run_scenario(example_copy, draws=0)
    f = run.to_frame()
    assert f.loc[f.measure == "wisn_ratio", "value"].isna().any()
    write_outputs(run, tmp_path / "out")
    V.check_finite_frame(f)
    with pytest.raises(InputError, match="cost_gbp.value is inf"):
        V.check_finite_summary({"baseline": {"cost_gbp": {"value": float("inf")}}})
    V.check_finite_summary({"baseline": {"wisn_ratio": {"p10": float("nan")}}})


def _numeric(spec):
    return [c for c in spec.columns if c.dtype in ("int", "float")]


def test_every_numeric_column_has_a_documented_range():
    specs = [
        *T.SPECS.values(),
        *(i.spec for i in TABLES.values()),
        PRACTICE_LIST,
        WORKFORCE_EXTRACT,
    ]
    for spec in specs:
        for c in _numeric(spec):
            assert c.min is not None and c.max is not None, (spec.name, c.name)
        if "parameter" in [c.name for c in spec.columns] and spec.name in T.SPECS:
            params = spec.column("parameter").allowed
            assert params and all(spec.param_range(p) for p in params), spec.name
    docs = (Path(__file__).resolve().parents[2] / "docs" / "tables.md").read_text()
    for p, r in T.PARAMETER_RANGES.items():
        assert f"| `{p}` | {r.text()} |" in docs


# ---- 2. duplicate keys ------------------------------------------------------------------
def test_duplicate_yaml_key_is_refused_with_its_line(example_copy):
    text = example_copy.read_text()
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("horizon:"))
    lines.insert(at + 1, "horizon: 3")
    example_copy.write_text("\n".join(lines) + "\n")
    e = refused(example_copy, source="example.yaml", row=at + 2)
    assert f"duplicate key 'horizon' (first on line {at + 1})" in str(e)


def test_duplicate_key_in_a_nested_mapping(example_copy):
    example_copy.write_text(
        example_copy.read_text().replace(
            "skill_mix:\n  model: current", "skill_mix:\n  model: current\n  model: future"
        )
    )
    e = refused(example_copy, source="example.yaml")
    assert "duplicate key 'model'" in str(e) and e.row is not None


# ---- 3. typos in the activity column when activities: is set -----------------------------
def test_activity_typo_refused_when_activities_are_chosen(example_copy):
    edit_yaml(example_copy, lambda c: c.update(activities=["same_day"]))

    def f(d):
        d.loc[d.index[d.activity == "same_day"][0], "activity"] = "same_dya"
        return d

    edit_csv(example_copy, "contacts", f)
    d = pd.read_csv(example_copy.parent / "example" / "contacts.csv", dtype=str)
    row = int(np.flatnonzero((d.activity == "same_dya").to_numpy())[0]) + 2
    e = refused(example_copy, source="contacts.csv", row=row, column="activity")
    assert "unknown activity 'same_dya'" in str(e)


def test_known_activities_left_out_are_dropped_and_noted(example_copy):
    edit_yaml(example_copy, lambda c: c.update(activities=["same_day"]))
    inputs, record = build_inputs(load_scenario(example_copy))
    assert inputs.activities == ["same_day"]
    assert any("left out by the scenario" in n for n in record.notes)


# ---- 4. validate checks what run checks, and memory ------------------------------------
def test_validate_refuses_what_run_refuses(example_copy, capsys):
    def f(c):
        c["overrides"] = {"capacity": [{"role": "gp", "parameter": "days_per_week", "value": 0}]}

    edit_yaml(example_copy, f)
    assert main(["validate", str(example_copy)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "key 'overrides.capacity[0].value'" in err[0]
    assert "[0.5, 7]" in err[0] and len(err[0]) < SHORT


def test_a_run_too_big_for_memory_is_refused_before_it_starts(example_copy, capsys, monkeypatch):
    monkeypatch.setattr(V, "available_memory", lambda: 2**30)  # a 1 GiB machine
    edit_yaml(example_copy, lambda c: c.update(draws=100000))
    assert main(["validate", str(example_copy)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "key 'draws'" in err[0] and "GiB" in err[0]
    assert "use at most" in err[0] and len(err[0]) < SHORT
    with pytest.raises(InputError, match="use at most"):
        run_scenario(example_copy)
    run_scenario(example_copy, draws=20)  # fits


def test_memory_estimate_is_honest(example_copy):
    """The estimate covers the measured peak of one run of the model, not far above it."""
    sc = load_scenario(example_copy)
    inp, _ = build_inputs(sc)
    draws = 300
    tracemalloc.start()
    run_model(inp, draws=draws, seed=1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    est = V.estimate_run_bytes(
        draws, len(inp.areas), len(inp.years), len(inp.roles), len(inp.activities)
    )
    assert peak <= est <= 4 * peak, (peak, est)


# ---- 5. one-line errors before the model runs -------------------------------------------
def test_input_path_that_is_a_folder(example_copy):
    (example_copy.parent / "example" / "folder.csv").mkdir()
    edit_yaml(example_copy, lambda c: c["inputs"].update(minutes="example/folder.csv"))
    e = refused(example_copy, source="folder.csv")
    assert "is a folder" in str(e)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.timeout(30)  # opening a FIFO to read it would block for ever
def test_input_path_that_is_a_fifo(example_copy):
    os.mkfifo(example_copy.parent / "example" / "pipe.csv")
    edit_yaml(example_copy, lambda c: c["inputs"].update(minutes="example/pipe.csv"))
    e = refused(example_copy, source="pipe.csv")
    assert "not a regular file" in str(e)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_scenario_that_is_a_device():
    with pytest.raises(InputError, match="not a regular file") as info:
        load_scenario("/dev/zero")
    assert info.value.source == "/dev/zero" and len(str(info.value)) < SHORT


def test_input_file_over_the_size_cap(example_copy, monkeypatch):
    path = example_copy.parent / "example" / "population.csv"
    path.write_text(path.read_text() + "\n" * 20_000)
    monkeypatch.setattr(input_files, "MAX_INPUT_BYTES", 10_000)
    e = refused(example_copy, source="population.csv")
    assert "MB; the limit" in str(e)


@pytest.mark.parametrize(
    ("argv", "key"),
    [
        (["--seed", "-1"], "--seed"),
        (["--draws", "1000000"], "--draws"),
        (["--draws", "-3"], "--draws"),
    ],
)
def test_cli_overrides_obey_the_schema_limits(example_copy, tmp_path, capsys, argv, key):
    assert main(["run", str(example_copy), "--out", str(tmp_path / "o"), *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("wfkit: error: ") and f"key '{key}'" in err[0]
    assert not (tmp_path / "o").exists()


def test_python_overrides_obey_the_schema_limits(example_copy):
    with pytest.raises(InputError) as info:
        run_scenario(example_copy, seed=-1)
    assert info.value.key == "seed"


def test_fractional_patients(tmp_path):
    p = tmp_path / "list.csv"
    p.write_text("practice,patients\nG85019,12000\nG85029,9000.5\n")
    with pytest.raises(InputError) as info:
        wd.read_practice_list(p)
    e = info.value
    assert (e.row, e.column) == (3, "patients") and "whole number" in str(e)
    assert len(str(e)) < SHORT


def test_cp1252_yaml_names_the_line(example_copy):
    raw = example_copy.read_bytes().replace(
        b"A small worked", "A sm\u00e4ll worked".encode("cp1252")
    )
    example_copy.write_bytes(raw)
    line = raw[: raw.index(b"\xe4")].count(b"\n") + 1
    e = refused(example_copy, source="example.yaml")
    assert f"byte 0xe4 on line {line}" in str(e) and "save the scenario file as UTF-8" in str(e)
    assert "encoding:" not in str(e)  # no such option for the scenario file itself


def test_cp1252_csv_with_the_encoding_option(example_copy, caplog):
    path = example_copy.parent / "example" / "activities.csv"
    path.write_bytes(path.read_bytes().replace(b"Routine", "R\u00f6utine".encode("cp1252")))
    e = refused(example_copy, source="activities.csv")
    assert "on line 2" in str(e) and "inputs.activities.encoding" in str(e)
    edit_yaml(
        example_copy,
        lambda c: c["inputs"].update(
            activities={"path": "example/activities.csv", "encoding": "cp1252"}
        ),
    )
    with caplog.at_level(logging.INFO, logger="wfkit"):
        inputs, _ = build_inputs(load_scenario(example_copy))
    assert "same_day" in inputs.activities
    assert any("as cp1252" in r.getMessage() for r in caplog.records)


def test_cp1252_user_file_suggests_its_own_option(tmp_path):
    p = tmp_path / "list.csv"
    p.write_bytes("practice,patients,practice_name\nG85019,1,Caf\u00e9\n".encode("cp1252"))
    with pytest.raises(InputError) as info:
        wd.read_practice_list(p)
    assert "on line 2" in str(info.value) and "encoding='cp1252'" in str(info.value)


def test_alias_bomb_is_refused_and_short(example_copy):
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i, n in enumerate("bcdefgh"):
        prev = "abcdefgh"[i]
        bomb.append(f"{n}: &{n} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
    bomb.append("name: *h")
    example_copy.write_text(
        example_copy.read_text().replace("name: Example networks\n", "")
        + "\n".join(["x_bomb:", *("  " + line for line in bomb)])
        + "\n"
    )
    e = refused(example_copy, source="example.yaml")
    assert "aliases expand" in str(e) and "10,000" in str(e)


@pytest.mark.parametrize(
    "text",
    [
        "name: x\nrec: &r [*r]\n",
        "name: x\nrec: &r {a: [1, {b: *r}]}\n",
        "name: &n [a, &m [b, *n]]\n",
    ],
)
def test_self_referencing_alias_is_refused_at_once(tmp_path, text):
    """An alias inside the value it names expands for ever: one line, in well under a
    second (it once hung while memory grew to gigabytes)."""
    import time

    p = tmp_path / "rec.yaml"
    p.write_text(text)
    t0 = time.perf_counter()
    e = refused(p, source="rec.yaml")
    assert time.perf_counter() - t0 < 2
    assert "refers to the value that holds it" in str(e) and e.row is not None
    assert "\n" not in str(e)


def test_self_referencing_alias_on_the_command_line(tmp_path, capsys):
    from wfkit.cli import main

    p = tmp_path / "rec.yaml"
    p.write_text("name: x\nrec: &r [*r]\n")
    for argv in (["validate", str(p)], ["run", str(p), "--out", str(tmp_path / "o")]):
        assert main(argv) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and "rec.yaml, row 2" in err, err
    assert not (tmp_path / "o").exists()


def test_shared_aliases_are_not_cycles(tmp_path):
    """The same anchor used twice side by side is fine (no cycle)."""
    p = tmp_path / "ok.yaml"
    p.write_text("name: x\nx_a: &a [1, 2]\nx_b: [*a, *a, [*a]]\n")
    with pytest.raises(InputError) as info:
        load_scenario(p)
    assert "refers to" not in str(info.value) and "must contain" in str(info.value)


def test_long_values_are_cut_in_messages(example_copy):
    edit_yaml(example_copy, lambda c: c.update(growth_rate="x" * 5000))
    e = refused(example_copy, key="growth_rate")
    assert "..." in str(e)


def test_thousands_separator(example_copy):
    path = example_copy.parent / "example" / "population.csv"
    path.write_text(path.read_text().replace("EX001,0-4,1627", "EX001,0-4,1,627"))
    e = refused(example_copy, source="population.csv", row=2, column="population")
    assert "thousands separator" in str(e) and "write 1627 or quote it" in str(e)


def test_quoted_thousands_are_read_as_the_advice_says(example_copy):
    """The advice for an unquoted 1,627 is 'quote it': a quoted "1,627" is then 1627."""
    path = example_copy.parent / "example" / "population.csv"
    want = build_inputs(load_scenario(example_copy), "baseline")[0].population
    path.write_text(path.read_text().replace("EX001,0-4,1627", 'EX001,0-4,"1,627"'))
    got = build_inputs(load_scenario(example_copy), "baseline")[0].population
    np.testing.assert_array_equal(got, want)
    for bad in ('"1,62"', '"1,6270"', '"12,34,567"', '"1.627,5"'):
        path.write_text(path.read_text().replace('EX001,0-4,"1,627"', f"EX001,0-4,{bad}"))
        e = refused(example_copy, source="population.csv", row=2, column="population")
        assert "non-numeric value" in str(e)
        path.write_text(path.read_text().replace(f"EX001,0-4,{bad}", 'EX001,0-4,"1,627"'))


def _all_inputs(scenario):
    sc = load_scenario(scenario)
    return [build_inputs(sc, v)[0] for v in sc.variant_names]


@pytest.mark.parametrize("table", ["minutes", "population"])
def test_cr_only_line_ends_are_read(example_copy, table):
    """Excel's 'CSV (Macintosh)' ends lines with CR alone; CR LF too: both read as LF."""
    path = example_copy.parent / "example" / f"{table}.csv"
    want = _all_inputs(example_copy)
    text = path.read_text()
    for ending in ("\r", "\r\n"):
        path.write_bytes(text.replace("\n", ending).encode())
        got = _all_inputs(example_copy)
        for a, b in zip(got, want, strict=True):
            np.testing.assert_array_equal(a.population, b.population)
            np.testing.assert_array_equal(a.minutes.value, b.minutes.value)


def test_cr_only_line_ends_keep_row_numbers(example_copy):
    path = example_copy.parent / "example" / "minutes.csv"
    lines = path.read_text().splitlines()
    lines[4] = lines[4].replace("minutes per contact", "minutes per contact,extra")
    path.write_bytes("\r".join(lines).encode() + b"\r")
    e = refused(example_copy, source="minutes.csv", row=5)
    assert "fields but the header has" in str(e)


@pytest.mark.parametrize(("sep", "what"), [(";", "semicolons"), ("\t", "tabs")])
def test_other_separators_are_named(example_copy, sep, what):
    path = example_copy.parent / "example" / "supply.csv"
    path.write_text(path.read_text().replace(",", sep))
    e = refused(example_copy, source="supply.csv", row=1)
    assert f"separated by {what}" in str(e) and "expected commas" in str(e)
    assert "missing column" not in str(e)


def test_a_stray_quote_in_a_long_table_names_its_row(example_copy):
    """A stray double quote runs a field on to the end of the file: over 128 KB it was a
    '_csv.Error: field larger than field limit' traceback."""
    path = example_copy.parent / "example" / "population.csv"
    lines = path.read_text().splitlines()
    lines[3] = '"' + lines[3]
    extra = [f"EX003,{b},{i}" for i in range(800) for b in T.AGE_BANDS]
    path.write_text("\n".join(lines + extra) + "\n")
    assert path.stat().st_size > 128 * 1024
    e = refused(example_copy, source="population.csv", row=4, column="area")
    assert "stray double quote" in str(e) and "128 KB" in str(e)


def test_a_long_field_through_the_practice_list_reader(tmp_path):
    p = tmp_path / "list.csv"
    p.write_text('practice,patients\nG85019,"' + "x" * 200_000 + "\n")
    with pytest.raises(InputError) as info:
        wd.read_practice_list(p)
    e = info.value
    assert e.row == 2 and e.column == "patients" and "stray double quote" in str(e)


def test_empty_area_list(example_copy):
    edit_yaml(example_copy, lambda c: c.update(areas=[]))
    e = refused(example_copy, key="areas")
    assert "an empty list selects nothing" in str(e) and "'all'" in str(e)


def test_variant_named_baseline(example_copy):
    edit_yaml(example_copy, lambda c: c["variants"][0].update(name="baseline"))
    e = refused(example_copy, key="variants[0].name")
    assert "reserved" in str(e)


def test_param_refuses_a_stated_value_outside_its_range():
    from wfkit.model.uncertainty import Param

    p = Param(np.array([0.2, 0.95]), np.array([0.1, 0.9]), np.array([0.3, 0.99]), 0.0, 0.9)
    with pytest.raises(InputError) as info:
        p.draws(10, seed=1, name="cas_fraction")
    assert info.value.source == "cas_fraction[1]" and "[0, 0.9]" in str(info.value)
