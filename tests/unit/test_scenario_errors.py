"""Every kind of bad input is a clear InputError naming file, row or key, column and what was expected."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from scenario_edits import edit_csv, edit_yaml

from wfkit.cli import main
from wfkit.errors import InputError
from wfkit.outputs import MANIFEST
from wfkit.scenario import build_inputs, load_scenario, run_scenario, write_outputs


def build(scenario: Path, variant: str = "baseline"):
    return build_inputs(load_scenario(scenario), variant)


def raises(scenario: Path, *fragments: str) -> InputError:
    with pytest.raises(InputError) as info:
        sc = load_scenario(scenario)
        for v in sc.variant_names:
            build_inputs(sc, v)
    msg = str(info.value)
    for f in fragments:
        assert f in msg, f"{f!r} not in {msg!r}"
    return info.value


def test_example_is_valid(example_copy):
    inputs, record = build(example_copy)
    assert inputs.roles == ["gp", "hca", "paramedic", "pharmacist", "practice_nurse"]
    assert record.notes == []


def test_missing_column(example_copy):
    edit_csv(example_copy, "minutes", lambda d: d.drop(columns="value"))
    raises(example_copy, "minutes.csv", "missing column(s) ['value']")


def test_extra_column(example_copy):
    edit_csv(example_copy, "costs", lambda d: d.assign(colour="red"))
    raises(example_copy, "costs.csv", "unexpected column(s) ['colour']")


def test_unknown_role(example_copy):
    def f(d):
        d.loc[3, "role"] = "wizard"
        return d

    edit_csv(example_copy, "minutes", f)
    e = raises(example_copy, "minutes.csv", "row 5", "column 'role'", "unknown role 'wizard'")
    assert e.row == 5 and e.column == "role"


def test_unknown_activity(example_copy):
    def f(d):
        d.loc[0, "activity"] = "juggling"
        return d

    edit_csv(example_copy, "skill_mix", f)
    raises(
        example_copy, "skill_mix.csv", "row 2", "column 'activity'", "unknown activity 'juggling'"
    )


def test_unknown_area(example_copy):
    def f(d):
        d.loc[0, "area"] = "NOPE"
        return d

    edit_csv(example_copy, "supply", f)
    raises(example_copy, "supply.csv", "row 2", "unknown area 'NOPE'")
    edit_yaml(example_copy, lambda c: c.update(areas=["EX001", "ZZZ"]))
    edit_csv(example_copy, "supply", lambda d: d.replace("NOPE", "EX001"))
    raises(example_copy, "unknown area(s) ['ZZZ']", "key 'areas'")


def test_shares_must_sum_to_one(example_copy):
    def f(d):
        d.loc[0, "current"] = "0.8"
        return d

    edit_csv(example_copy, "skill_mix", f)
    raises(
        example_copy,
        "skill_mix.csv",
        "column 'current'",
        "'gp_consultation'",
        "sum to 0.95",
        "expected 1",
    )


def test_shares_within_tolerance_pass(example_copy):
    def f(d):
        d.loc[0, "current"] = "0.8500000001"
        return d

    edit_csv(example_copy, "skill_mix", f)
    build(example_copy)


def test_negative_value(example_copy):
    def f(d):
        d.loc[2, "value"] = "-3"
        return d

    edit_csv(example_copy, "contacts", f)
    raises(example_copy, "contacts.csv", "row 4", "column 'value'", "below the minimum 0")


def test_non_numeric_value(example_copy):
    def f(d):
        d.loc[1, "fte"] = "lots"
        return d

    edit_csv(example_copy, "supply", f)
    raises(example_copy, "supply.csv", "row 3", "column 'fte'", "non-numeric value 'lots'")


@pytest.mark.parametrize("bad", ["", "NaN", "nan"])
def test_nan_value(example_copy, bad):
    def f(d):
        d.loc[0, "population"] = bad
        return d

    edit_csv(example_copy, "population", f)
    raises(example_copy, "population.csv", "row 2", "column 'population'", "expected a number")


def test_duplicate_key(example_copy):
    edit_csv(example_copy, "costs", lambda d: pd.concat([d, d.iloc[[1]]], ignore_index=True))
    raises(example_copy, "costs.csv", "row 12", "duplicate key")


def test_lo_above_hi(example_copy):
    def f(d):
        d.loc[0, "lo"], d.loc[0, "hi"] = "12", "9"
        return d

    edit_csv(example_copy, "minutes", f)
    raises(example_copy, "minutes.csv", "row 2", "lo=12 > hi=9")


def test_lo_above_hi_in_yaml(example_copy):
    edit_yaml(example_copy, lambda c: c.update(growth_rate=[0.02, 0.01]))
    raises(example_copy, "growth_rate", "lo=0.02 > hi=0.01")


def test_unknown_key_in_scenario(example_copy):
    edit_yaml(example_copy, lambda c: c.update(horizn=5))
    raises(example_copy, "unknown key(s) ['horizn']", "key '(top level)'")
    edit_yaml(
        example_copy, lambda c: (c.pop("horizn"), c["variants"][0]["skill_mix"].update(modle="x"))
    )
    raises(example_copy, "unknown key(s) ['modle']", "key 'variants[0].skill_mix'")


def test_empty_population(example_copy):
    edit_csv(example_copy, "population", lambda d: d.iloc[0:0])
    raises(example_copy, "population.csv", "empty")
    edit_csv(example_copy, "population", lambda d: d)  # still empty


def test_all_zero_population(example_copy):
    edit_csv(example_copy, "population", lambda d: d.assign(population="0"))
    raises(example_copy, "population.csv", "population is empty")


def test_horizon_zero(example_copy):
    edit_yaml(example_copy, lambda c: c.update(horizon=0))
    raises(example_copy, "key 'horizon'", "0 must be bigger than or equal to 1")


def test_missing_age_band_is_not_silently_filled(example_copy):
    edit_csv(example_copy, "population", lambda d: d.iloc[1:])
    raises(example_copy, "population.csv", "no row for {'area': 'EX001', 'age_band': '0-4'}")


def test_role_with_share_needs_minutes(example_copy):
    edit_csv(
        example_copy,
        "minutes",
        lambda d: d[~((d.activity == "same_day") & (d.role == "paramedic"))],
    )
    raises(example_copy, "no minutes per contact for activity 'same_day' and role 'paramedic'")


def test_shift_to_unknown_role_and_bad_parts(example_copy):
    def f(c):
        c["variants"][1]["skill_mix"]["shifts"][0]["to"] = {"wizard": 1.0}

    edit_yaml(example_copy, f)
    raises(example_copy, "unknown role 'wizard'", "skill_mix.shifts[0]")

    def g(c):
        c["variants"][1]["skill_mix"]["shifts"][0]["to"] = {"pharmacist": 0.5}

    edit_yaml(example_copy, g)
    raises(example_copy, "'to' parts sum to 0.5")


def test_wrong_encoding(example_copy):
    path = example_copy.parent / "example" / "activities.csv"
    path.write_bytes(path.read_bytes().replace(b"Routine", "R\u00f6utine".encode("cp1252")))
    e = raises(example_copy, "activities.csv", "not utf-8 text: byte 0xf6 on line 2")
    assert "inputs.activities.encoding" in str(e) and len(str(e)) < 300


def test_overrides_upsert_and_reject_unknown_keys(example_copy):
    def f(c):
        c["overrides"] = {"minutes": [{"activity": "same_day", "role": "gp", "value": [9, 13]}]}

    edit_yaml(example_copy, f)
    inputs, _ = build(example_copy)
    k, r = inputs.activities.index("same_day"), inputs.roles.index("gp")
    assert inputs.minutes.value[k, r] == 11 and inputs.minutes.lo[k, r] == 9

    def g(c):
        c["overrides"] = {"minutes": [{"activity": "same_day", "rolle": "gp", "value": 9}]}

    edit_yaml(example_copy, g)
    raises(example_copy, "overrides.minutes", "row 1", "unknown key(s) ['rolle']")


def test_cli_prints_one_line_and_exits_2(example_copy, capsys):
    edit_yaml(example_copy, lambda c: c.update(horizon=0))
    assert main(["validate", str(example_copy)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("wfkit: error: ") and "horizon" in err[0]


def test_cli_validate_ok(example_copy, capsys):
    assert main(["validate", str(example_copy)]) == 0
    assert "valid (3 scenario(s)" in capsys.readouterr().out


def test_cli_help_is_complete(capsys):
    expected = {
        (): ["validate", "run"],
        ("run",): ["--out", "--draws", "--seed", "whole or not at all"],
        ("validate",): ["JSON Schema", "Exits 0"],
    }
    for cmd, words in expected.items():
        with pytest.raises(SystemExit):
            main([*cmd, "--help"])
        out = " ".join(capsys.readouterr().out.split())
        assert "usage: wfkit" in out
        for w in words:
            assert w in out, (cmd, w)


def test_outputs_whole_or_not_at_all(example_copy, tmp_path, monkeypatch):
    run = run_scenario(example_copy, draws=5)
    out = tmp_path / "out"
    write_outputs(run, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(before) == {
        "results.csv",
        "demand.csv",
        "areas.csv",
        "summary.json",
        "run.log",
        MANIFEST,
    }

    def boom(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(type(run), "summary", boom)
    with pytest.raises(RuntimeError):
        write_outputs(run, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []
    fresh = tmp_path / "fresh"
    with pytest.raises(RuntimeError):
        write_outputs(run, fresh)
    assert not fresh.exists()


def test_value_outside_its_interval(example_copy):
    def f(d):
        d.loc[0, "value"], d.loc[0, "lo"], d.loc[0, "hi"] = "20", "9", "12"
        return d

    edit_csv(example_copy, "minutes", f)
    raises(example_copy, "minutes.csv", "row 2", "column 'value'", "outside its interval [9, 12]")


def test_activity_subset_is_logged_not_silent(example_copy):
    edit_yaml(example_copy, lambda c: c.update(activities=["same_day", "t2d_review"]))
    inputs, record = build(example_copy)
    assert inputs.activities == ["same_day", "t2d_review"]
    assert any(
        "left out by the scenario: ['gp_consultation', 'immunisation']" in n for n in record.notes
    )
    edit_yaml(example_copy, lambda c: c.update(activities=["same_day", "juggling"]))
    raises(example_copy, "unknown activity 'juggling'")


def test_schema_is_valid_draft_07_and_rejects_a_bad_value():
    import jsonschema

    from wfkit.scenario import scenario_schema

    jsonschema.Draft7Validator.check_schema(scenario_schema())
    with pytest.raises(InputError, match="growth_rate"):
        load_scenario(
            {"name": "x", "base_year": 2025, "horizon": 1, "inputs": {}, "growth_rate": "fast"}
        )


def test_interval_value_outside_in_yaml(example_copy):
    edit_yaml(example_copy, lambda c: c.update(growth_rate=[0.0, 0.03, 0.02]))
    raises(example_copy, "column 'growth_rate'", "value 0.03 lies outside its interval [0, 0.02]")

    def g(c):
        c["growth_rate"] = 0.0
        c["overrides"] = {"minutes": [{"activity": "same_day", "role": "gp", "value": [8, 7, 12]}]}

    edit_yaml(example_copy, g)
    raises(example_copy, "key 'overrides.minutes[0].value'", "value 7 lies outside")


def test_interval_with_its_value_in_yaml_keeps_the_value(example_copy):
    def g(c):
        c["growth_rate"] = [0.0, 0.005, 0.02]
        c["overrides"] = {"minutes": [{"activity": "same_day", "role": "gp", "value": [8, 9, 15]}]}

    edit_yaml(example_copy, g)
    inputs, _ = build(example_copy)
    assert float(inputs.growth_rate.value) == 0.005
    assert (float(inputs.growth_rate.lo), float(inputs.growth_rate.hi)) == (0.0, 0.02)
    k, r = inputs.activities.index("same_day"), inputs.roles.index("gp")
    assert (inputs.minutes.value[k, r], inputs.minutes.lo[k, r], inputs.minutes.hi[k, r]) == (
        9,
        8,
        15,
    )


def test_an_interval_that_slips_past_the_tables_is_caught_with_its_keys():
    """Tables are checked row by row on reading; the engine inputs are checked again."""
    from wfkit.scenario.arrays import param_grid

    df = pd.DataFrame(
        {"activity": ["a", "b"], "role": ["gp", "gp"], "value": [5.0, 5.0], "lo": [4, 6.0]}
    ).assign(hi=[6.0, 9.0])
    with pytest.raises(InputError) as info:
        param_grid(df, [("activity", ["a", "b"]), ("role", ["gp"])], origin="minutes.csv")
    msg = str(info.value)
    assert "minutes.csv" in msg and "'activity': 'b'" in msg and "column 'value'" in msg
    assert "[6, 9] does not contain the value 5" in msg


def _with_local_prevalence(d: pd.DataFrame, area: str = "EX002") -> pd.DataFrame:
    """National rows, then local rows of t2d_review for one area at twice the national."""
    local = d[d["activity"] == "t2d_review"].assign(area=area)
    local["value"] = (local["value"].astype(float) * 2).clip(upper=1.0).astype(str)
    return pd.concat([d.assign(area=""), local], ignore_index=True)


def test_local_prevalence_refines_its_area_only(example_copy):
    """Hand-worked: a local row replaces the national fraction in its own area and nowhere
    else, whether every area or a subset is modelled (the row-mask path)."""
    edit_csv(example_copy, "prevalence", _with_local_prevalence)
    national = pd.read_csv(example_copy.parent / "example" / "prevalence.csv")
    nat = national[national["area"].isna() & (national["activity"] == "t2d_review")]
    want = nat.set_index("age_band")["value"]
    assert len(nat) == 19 and national["area"].eq("EX002").sum() == 19
    for areas in (None, ["EX002"]):
        if areas:
            edit_yaml(example_copy, lambda c, a=areas: c.update(areas=a))
        inputs, _ = build(example_copy)
        k = inputs.activities.index("t2d_review")
        for a, area in enumerate(inputs.areas):
            got = pd.Series(inputs.prevalence.value[a, k], index=inputs.age_bands)
            factor = 2.0 if area == "EX002" else 1.0
            expect = (want.reindex(inputs.age_bands) * factor).clip(upper=1.0)
            pd.testing.assert_series_equal(got, expect, check_names=False)
        g = inputs.activities.index("gp_consultation")
        assert (inputs.prevalence.value[:, g] == 1.0).all()  # national rows elsewhere


def test_unknown_local_prevalence_area_names_its_row_in_the_file(example_copy):
    def f(d):
        d = _with_local_prevalence(d)
        d.loc[len(d) - 3, "area"] = "NOPE"
        return d

    edit_csv(example_copy, "prevalence", f)
    n = len(pd.read_csv(example_copy.parent / "example" / "prevalence.csv"))
    e = raises(example_copy, "prevalence.csv", "unknown area 'NOPE'")
    assert e.row == n - 3 + 2 and e.column == "area"  # header is row 1


# ---------------------------------------------------------------------------------------
# the last tracebacks and silent acceptances (issue 19, class 11)
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("call", "key", "fragment"),
    [
        (lambda p: run_scenario(p, draws=2.5), "draws", "2.5: expected a whole number"),
        (lambda p: run_scenario(p, draws="5"), "draws", "'5': expected a whole number"),
        (lambda p: run_scenario(p, seed=1.0), "seed", "expected a whole number"),
        (lambda p: run_scenario(p, draws=True), "draws", "expected a whole number"),
        (lambda p: run_scenario(p, chunk_areas=0.5), "chunk_areas", "is a float"),
        (lambda p: run_scenario(123), "scenario", "123 is a int"),
    ],
)
def test_run_scenario_arguments_are_checked(example_copy, call, key, fragment):
    """2.5 draws once ran 2, '5' was taken as 5, and run_scenario(123) was a TypeError."""
    with pytest.raises(InputError) as info:
        call(example_copy)
    assert info.value.key == key and fragment in str(info.value)


def test_transition_start_after_the_horizon_is_refused(example_copy):
    """The future model would never start: the variant was silently today's model."""
    edit_yaml(example_copy, lambda c: c["variants"][0]["skill_mix"].update(transition_start=2040))
    e = raises(example_copy, "2040 is after the last year modelled (2035)")
    assert e.key == "variants[0].skill_mix.transition_start"

    def base(c):
        c["skill_mix"] = {"model": "future", "transition_start": 2036}
        del c["variants"]

    edit_yaml(example_copy, base)
    e = raises(example_copy, "never start")
    assert e.key == "skill_mix.transition_start"
    edit_yaml(example_copy, lambda c: c["skill_mix"].update(transition_start=2035))
    build(example_copy)  # the last year: it starts


def test_level_with_own_tables_is_noted(example_copy):
    edit_yaml(example_copy, lambda c: c.update(level="practice"))
    _, record = build(example_copy)
    assert any("level: 'practice' is not used" in n for n in record.notes)
    run = run_scenario(example_copy, draws=0)
    out = write_outputs(run, example_copy.parent.parent / "out-level")
    assert "level: 'practice' is not used" in (out / "run.log").read_text()


def test_an_input_that_is_a_symlink_loop(example_copy):
    link = example_copy.parent / "example" / "loop.csv"
    link.symlink_to(link.name)
    edit_yaml(example_copy, lambda c: c["inputs"].update(minutes="example/loop.csv"))
    e = raises(example_copy, "leads back to itself")
    assert e.key == "inputs.minutes" and str(e.source).endswith("loop.csv")
    a, b = example_copy.parent / "example" / "a.csv", example_copy.parent / "example" / "b.csv"
    a.symlink_to(b.name)
    b.symlink_to(a.name)
    import wfkit.data as wd

    with pytest.raises(InputError, match="leads back to itself"):
        wd.read_practice_list(a)


def test_a_planted_lock_link_is_refused_before_the_model(example_copy, tmp_path, capsys):
    out = tmp_path / "out"
    lock = tmp_path / ".out.lock"
    lock.symlink_to(lock.name)
    assert main(["run", str(example_copy), "--out", str(out), "--draws", "2"]) == 2
    cap = capsys.readouterr()
    assert cap.err.count("\n") == 1 and "not wfkit's lock file" in cap.err, cap.err
    assert "model time" not in cap.out and not out.exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "{scenario}", "--out", "{out}", "--draws", "2"],
        ["data", "show", "practice_age", "--rows", "20000"],
    ],
)
def test_a_closed_pipe_ends_quietly(example_copy, tmp_path, argv):
    """``wfkit run ... | head -1``: no BrokenPipeError traceback, status 141 as other tools."""
    import os
    import subprocess
    import sys

    args = [a.format(scenario=example_copy, out=tmp_path / "out") for a in argv]
    code = "import sys; from wfkit.cli import main; sys.exit(main(sys.argv[1:]))"
    read, write = os.pipe()
    os.close(read)  # the reader has gone (as head has after its line): every write fails
    try:
        p = subprocess.run(
            [sys.executable, "-c", code, *args],
            stdout=write,
            stderr=subprocess.PIPE,
            timeout=120,
        )
    finally:
        os.close(write)
    err = p.stderr.decode()
    assert p.returncode == 141, err
    assert "Traceback" not in err and "BrokenPipe" not in err, err
