"""Neighbourhoods the user draws (issue 25, part 1): a grouping file is an area level.

Checked against the bundled areas and list sizes (what the grouping code did not write) and
against runs of the same practices at practice level: a neighbourhood's results are the
sum of its practices'.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

import wfkit.data as wd
from tests.default_scenario import default_scenario
from wfkit.data.build_groups import london_neighbourhoods
from wfkit.errors import InputError
from wfkit.scenario import load_scenario, run_scenario
from wfkit.scenario.run import areas_table

NETWORK = "U06180"  # North Southwark PCN
OTHER = "U00254"  # Blackheath and Charlton PCN
NATIONAL_PREVALENCE = Path(wd.data_dir()) / "assumptions" / "prevalence.csv"


def _write(tmp_path: Path, text: str, name: str = "groups.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _practices(network: str) -> list[str]:
    return sorted(wd.practices_in([network], "pcn").practice)


def _scenario(**changes) -> dict:
    return default_scenario("level", **{"draws": 0, "horizon": 3, **changes})


# ----------------------------------------------------------------------------------------
# reading a grouping file
# ----------------------------------------------------------------------------------------
def test_networks_expand_to_their_practices_and_practices_join_alone(tmp_path):
    mine, other = _practices(NETWORK), _practices(OTHER)
    f = _write(tmp_path, f"group,group_name,pcn,practice\nA,North,{NETWORK},\nB,,,{other[0]}\n")
    g = wd.read_groups(f)
    assert sorted(g[g.group == "A"].practice) == mine
    assert list(g[g.group == "B"].practice) == [other[0]]
    assert set(g[g.group == "B"].group_name) == {"B"}  # no name: its code


def test_a_practice_in_two_neighbourhoods_is_one_clear_error(tmp_path):
    p = _practices(NETWORK)[0]
    f = _write(tmp_path, f"group,practice\nA,{p}\nB,{p}\n")
    with pytest.raises(InputError) as e:
        wd.read_groups(f)
    assert (e.value.source, e.value.row, e.value.column) == (str(f), 3, "practice")
    assert f"practice {p} is in group 'A' (row 2) and again in group 'B'" in str(e.value)


def test_a_network_in_two_neighbourhoods_is_named(tmp_path):
    f = _write(tmp_path, f"group,pcn\nA,{NETWORK}\nB,{OTHER}\nC,{NETWORK}\n")
    with pytest.raises(InputError) as e:
        wd.read_groups(f)
    assert (e.value.row, e.value.column) == (4, "pcn")
    assert f"network {NETWORK} is in group 'A' (row 2) and again in group 'C'" in str(e.value)


def test_a_practice_through_its_network_and_on_its_own_is_refused(tmp_path):
    p = _practices(NETWORK)[2]
    f = _write(tmp_path, f"group,pcn,practice\nA,,{p}\nB,{NETWORK},\n")
    with pytest.raises(InputError) as e:
        wd.read_groups(f)
    assert (e.value.row, e.value.column) == (3, "pcn")
    assert f"through network {NETWORK}" in str(e.value)


def test_unknown_codes_are_named_with_close_matches(tmp_path):
    f = _write(tmp_path, f"group,pcn\nA,{NETWORK[:-1]}9\n")
    with pytest.raises(InputError) as e:
        wd.read_groups(f)
    assert (e.value.row, e.value.column) == (2, "pcn")
    assert "unknown network code 'U06189'" in str(e.value)
    assert NETWORK in str(e.value).split("close matches:")[1]
    p = _practices(NETWORK)[0]
    f = _write(tmp_path, f"group,practice\nA,{p}\nA,{p.lower()}x\n", "p.csv")
    with pytest.raises(InputError, match="unknown practice code.*close matches") as e:
        wd.read_groups(f)
    assert (e.value.row, e.value.column) == (3, "practice")


@pytest.mark.parametrize(
    "text, row, column, words",
    [
        ("group,pcn,practice\nA,U06180,F84001\n", 2, "practice", "both a network and a practice"),
        ("group,pcn,practice\nA,,\n", 2, "pcn", "names no member"),
        ("group,group_name,pcn\nA,One,U06180\nA,Two,U00254\n", 3, "group_name", "one name"),
        ("group,pcn\n ,U06180\n", 2, "group", "empty group code"),
    ],
)
def test_bad_rows_name_file_row_and_column(tmp_path, text, row, column, words):
    f = _write(tmp_path, text)
    with pytest.raises(InputError, match=words) as e:
        wd.read_groups(f)
    assert (e.value.source, e.value.row, e.value.column) == (str(f), row, column)


def test_a_file_with_no_member_column_is_refused(tmp_path):
    with pytest.raises(InputError, match="no member column"):
        wd.read_groups(_write(tmp_path, "group,group_name\nA,B\n"))


# ----------------------------------------------------------------------------------------
# the level: every area function, through one lookup
# ----------------------------------------------------------------------------------------
def test_a_group_sums_its_practices_in_every_area_table(tmp_path):
    mine, other = _practices(NETWORK), _practices(OTHER)
    f = _write(tmp_path, f"group,pcn,practice\nN,{NETWORK},\nN,,{other[0]}\nN,,{other[1]}\n")
    level = wd.group_level(f)
    members = [*mine, other[0], other[1]]
    listed = wd.load("list_size").set_index("practice").patients
    sel = wd.select_areas(level=level)
    assert list(sel.area) == ["N"]
    assert int(sel.patients.iloc[0]) == int(listed[members].sum())  # from the bundled lists
    pop_g = wd.population(["N"], level).groupby("age_band").population.sum()
    pop_p = wd.population(members, "practice").groupby("age_band").population.sum()
    pd.testing.assert_series_equal(pop_g, pop_p, rtol=1e-12)
    sup_g = wd.supply(["N"], level).groupby("role").fte.sum()
    sup_p = wd.supply(members, "practice").groupby("role").fte.sum()
    pd.testing.assert_series_equal(sup_g, sup_p, atol=1e-5)
    ap_g = wd.appointments(["N"], level)
    ap_p = wd.appointments(members, "practice")
    assert int(ap_g.total.iloc[0]) == int(ap_p.total.sum())


def test_a_group_holding_one_whole_network_is_that_network(tmp_path):
    level = wd.group_level(_write(tmp_path, f"group,pcn\nN,{NETWORK}\n"))
    sup = wd.supply(["N"], level).set_index("role").fte
    net = wd.supply([NETWORK], "pcn").set_index("role").fte
    pd.testing.assert_series_equal(sup, net, atol=1e-5, check_names=False)


def test_levels_of_different_files_never_share_a_cache_entry(tmp_path):
    a = wd.group_level(_write(tmp_path, f"group,pcn\nN,{NETWORK}\n", "a.csv"))
    b = wd.group_level(_write(tmp_path, f"group,pcn\nN,{OTHER}\n", "b.csv"))
    assert a != b and a.startswith("groups:") and b.startswith("groups:")
    assert wd.select_areas(level=a).patients.iloc[0] != wd.select_areas(level=b).patients.iloc[0]


def test_an_unread_grouping_level_is_refused():
    with pytest.raises(InputError, match="unknown grouping"):
        wd.select_areas(level="groups:0123456789ab")


# ----------------------------------------------------------------------------------------
# runs: a neighbourhood's results are the sum of its practices'
# ----------------------------------------------------------------------------------------
ADDITIVE = ["population", "workload_hours", "required_fte", "supply_fte", "gap_fte", "cost_gbp"]


def _sums(frame: pd.DataFrame) -> pd.Series:
    keep = (frame.scenario == "baseline") & frame.measure.isin(ADDITIVE)
    return frame[keep].groupby(["year", "role", "measure"], observed=True).value.sum()


@pytest.mark.parametrize("calibration", ["none", "national"])
def test_a_neighbourhood_equals_the_sum_of_its_practices(tmp_path, calibration):
    # national prevalence (the local one standardises each area's register as a whole, so
    # its age split is not additive), deterministic, the same practices both ways
    other = _practices(OTHER)[:2]
    f = _write(tmp_path, f"group,pcn,practice\nN,{NETWORK},\nN,,{other[0]}\nN,,{other[1]}\n")
    inputs = _scenario()["inputs"] | {"prevalence": str(NATIONAL_PREVALENCE)}
    g = run_scenario(
        _scenario(areas={"groups": str(f)}, inputs=inputs, calibration=calibration)
    ).to_frame()
    p = run_scenario(
        _scenario(
            level="practice",
            areas=[*_practices(NETWORK), *other],
            inputs=inputs,
            calibration=calibration,
        )
    ).to_frame()
    assert list(g.area.unique()) == ["N"]
    a, b = _sums(g), _sums(p)
    assert len(a) == len(b) > 100
    pd.testing.assert_series_equal(a, b, rtol=1e-9, atol=1e-4)


def test_bundled_local_prevalence_keeps_the_sum_within_a_rounding(tmp_path):
    # with each area's own QOF registers the cohort totals add up; only their split by age
    # band (and so the contacts' age gradient) differs slightly
    other = _practices(OTHER)[:2]
    f = _write(tmp_path, f"group,pcn,practice\nN,{NETWORK},\nN,,{other[0]}\nN,,{other[1]}\n")
    g = _sums(run_scenario(_scenario(areas={"groups": str(f)})).to_frame())
    p = _sums(
        run_scenario(_scenario(level="practice", areas=[*_practices(NETWORK), *other])).to_frame()
    )
    rel = ((g - p).abs() / p.abs().clip(lower=1.0)).groupby(level="measure").max()
    assert rel["population"] < 1e-12
    assert rel["required_fte"] < 1e-3


# ----------------------------------------------------------------------------------------
# scenario files, use cases, outputs
# ----------------------------------------------------------------------------------------
def test_the_grouping_file_is_relative_to_the_scenario_and_is_its_level(tmp_path):
    _write(tmp_path, f"group,group_name,pcn\nN1,First,{NETWORK}\nN2,Second,{OTHER}\n")
    sc = _scenario(areas={"groups": "groups.csv", "names": ["Second"]})
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(sc), encoding="utf-8")
    spec = load_scenario(path)
    assert spec.baseline.level.startswith("groups:")
    run = run_scenario(spec)
    assert [str(a) for a in run.results["baseline"].areas] == ["N2"]
    t = areas_table(run)
    assert t.area_name.tolist() == ["Second"] and t.level.tolist() == ["groups (groups.csv)"]
    # the same as level: FILE.csv with its areas picked by name
    sc2 = _scenario(level="groups.csv", areas={"names": ["Second"]})
    path.write_text(yaml.safe_dump(sc2), encoding="utf-8")
    assert load_scenario(path).baseline.level == spec.baseline.level


def test_level_and_areas_groups_together_are_refused(tmp_path):
    _write(tmp_path, f"group,pcn\nN1,{NETWORK}\n")
    path = tmp_path / "s.yaml"
    path.write_text(
        yaml.safe_dump(_scenario(level="pcn", areas={"groups": "groups.csv"})), encoding="utf-8"
    )
    with pytest.raises(InputError, match="level is given with areas.groups") as e:
        load_scenario(path)
    assert e.value.key == "level"


def test_a_scenario_names_the_grouping_files_bad_row(tmp_path):
    _write(tmp_path, f"group,pcn\nN1,{NETWORK}\nN2,{NETWORK}\n")
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(_scenario(areas={"groups": "groups.csv"})), encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_scenario(path)
    assert (e.value.source, e.value.row) == (str(tmp_path / "groups.csv"), 3)


def test_a_use_case_takes_a_grouping_file_as_its_level():
    from wfkit.usecases import build

    uc = build(
        "type2_diabetes",
        {"area": "South East London neighbourhood 1", "level": str(wd.example_groups_path())},
    )
    assert uc.mapping["level"].startswith("groups:")
    assert uc.mapping["areas"] == ["QKK-N01"]


# ----------------------------------------------------------------------------------------
# the bundled example
# ----------------------------------------------------------------------------------------
def test_the_bundled_example_is_what_its_build_script_makes():
    bundled = pd.read_csv(wd.example_groups_path(), dtype={"patients": "int64"})
    pd.testing.assert_frame_equal(bundled, london_neighbourhoods(), check_dtype=False)


def test_the_bundled_example_groups_every_london_network_once():
    ex = pd.read_csv(wd.example_groups_path())
    p = wd.practices_at("pcn")
    london = set(p[p.region_name.str.upper().eq("LONDON") & ~p.pcn.str.startswith("U_")].pcn)
    assert sorted(ex.pcn) == sorted(london)
    level = wd.group_level(wd.example_groups_path())  # passes every check
    sizes = wd.select_areas(level=level).set_index("area").patients
    # no practice lost or counted twice: the bundled lists of those networks' practices
    assert int(sizes.sum()) == int(p[p.pcn.isin(london)].patients.sum())
    assert 40_000 <= sizes.median() <= 60_000  # about 50,000 patients


def test_the_explorer_lists_the_neighbourhoods_of_its_grouping_file(monkeypatch, tmp_path):
    from wfkit import app, explorer

    f = _write(tmp_path, f"group,group_name,pcn\nN1,Bankside and Borough,{NETWORK}\n")
    monkeypatch.setenv(explorer.GROUPS_ENV, str(f))
    explorer.area_choices.cache_clear()
    try:
        code, level = explorer.find_area("Bankside and Borough")
        assert code == "N1" and level == wd.group_level(f)
        assert "Bankside And Borough (neighbourhood, N1)" in explorer.area_choices() or any(
            k.endswith("(neighbourhood, N1)") for k in explorer.area_choices()
        )
        result = explorer.compute("type2_diabetes", "Bankside and Borough", {})
        assert [str(a) for a in result.run.results["baseline"].areas] == ["N1"]
    finally:
        monkeypatch.delenv(explorer.GROUPS_ENV)
        explorer.area_choices.cache_clear()
    # wfkit app --groups checks the file before any server starts
    bad = _write(tmp_path, f"group,pcn\nA,{NETWORK}\nB,{NETWORK}\n", "bad.csv")
    with pytest.raises(InputError, match="again in group 'B'"):
        app.serve(port=1, groups=str(bad))


def test_a_reports_key_follows_the_grouping_files_content(tmp_path):
    from wfkit.report.make import report_key

    f = _write(tmp_path, f"group,pcn\nN1,{NETWORK}\n")
    params = {"area": "N1", "level": str(f)}
    before = report_key("type2_diabetes", params)
    _write(tmp_path, f"group,pcn\nN1,{OTHER}\n")
    assert report_key("type2_diabetes", params) != before


def test_a_notebooks_level_parameter_takes_a_grouping_file():
    from wfkit.notebook import check_parameters

    ns = {"area": "Bankside and Borough", "level": "my-neighbourhoods.csv"}
    decl = {"area": str, "level": str}
    assert check_parameters(ns, decl, injected=["level"])["level"] == "my-neighbourhoods.csv"
    with pytest.raises(InputError, match="or a grouping file"):
        check_parameters({**ns, "level": "ward"}, decl, injected=["level"])


def test_a_batch_selects_the_neighbourhoods_of_a_grouping_file(tmp_path):
    from wfkit.report.batch import select

    f = _write(tmp_path, f"group,group_name,pcn\nN1,First,{NETWORK}\nN2,Second,{OTHER}\n")
    assert select("all", str(f)).to_dict("list") == {
        "area": ["N1", "N2"],
        "area_name": ["First", "Second"],
    }
    assert select("N2", str(f)).area_name.tolist() == ["Second"]
