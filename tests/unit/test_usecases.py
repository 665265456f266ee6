"""wfkit.usecases: scenario mappings from parameters, and the frames built from a run."""

from __future__ import annotations

import pandas as pd
import pytest

from wfkit import usecases as u
from wfkit.errors import InputError
from wfkit.scenario import ScenarioRun, validate_scenario

AREA = {"area": "U78517", "level": "pcn", "draws": 10, "seed": 1}


@pytest.fixture(scope="module")
def same_day():
    uc = u.build("same_day", {**AREA, "shift_fraction": 0.3})
    return uc, uc.run()


@pytest.mark.parametrize("name", list(u.USE_CASES))
def test_every_use_case_builds_a_valid_scenario(name):
    uc = u.build(name, AREA)
    validate_scenario(uc.mapping)
    assert uc.mapping["areas"] == ["U78517"] and set(uc.activities) <= set(u.activities_for("all"))


def test_unknown_parameter_is_named():
    with pytest.raises(InputError, match="unknown parameter"):
        u.build("same_day", {"shift_fractoin": 0.1})


def test_shift_moves_gp_work_to_new_roles(same_day):
    uc, run = same_day
    by_role = u.fte_by_role(run).set_index("role")
    assert by_role.loc["gp", "future_model"] < by_role.loc["gp", "baseline"]
    assert by_role.loc["pharmacist", "future_model"] > by_role.loc["pharmacist", "baseline"]
    shares = u.who_does_what(run)
    assert shares.groupby("model")["share"].sum().round(9).eq(1).all()


def test_queueing_needs_at_least_the_average(same_day):
    _, run = same_day
    summary, sessions = u.same_day_queueing(run)
    assert (summary["uplift"] >= 1).all()
    assert (sessions["servers"] >= sessions["offered_load"]).all()


def test_whole_person_removes_double_counted_reviews():
    run = u.build("frailty", AREA).run()
    ov = u.pathway_overlap(run).set_index("activity")
    assert ov.loc["total", "difference_contacts"] < 0
    assert ov.loc["frailty_holistic_review", "difference_contacts"] == 0
    head = u.headline(run).set_index("scenario")
    assert head.loc["whole_person", "required_fte"] < head.loc["baseline", "required_fte"]


def test_rerun_is_deterministic_and_responds(same_day):
    uc, run = same_day
    again = u.rerun(uc)
    assert u.headline(again).equals(u.headline(run))
    more = u.rerun(uc, growth_rate=0.02)
    assert u.headline(more)["population"].iloc[0] > u.headline(run)["population"].iloc[0]


def test_unchanged_rerun_reuses_the_seeded_run(same_day):
    uc, run = same_day
    assert uc.run() is run
    assert u.rerun(uc, shift_fraction=uc.params["shift_fraction"]) is run
    changed = u.rerun(uc, shift_fraction=0.6)
    assert changed is not run
    gp = u.fte_by_role(changed).set_index("role").loc["gp", "future_model"]
    assert gp < u.fte_by_role(run).set_index("role").loc["gp", "future_model"]


def test_results_frame_is_built_once_and_handed_out_as_copies(same_day):
    _, run = same_day
    first = u.results_frame(run)
    kept = first.copy()
    first["value"] = -1.0  # a caller changing its copy changes nothing for the next
    again = u.results_frame(run)
    pd.testing.assert_frame_equal(again, kept)
    fresh = ScenarioRun(run.scenario, run.results, run.inputs, run.provenance)
    pd.testing.assert_frame_equal(u.results_frame(fresh), again)
    assert "results_frame" in run.derived and run == fresh


@pytest.fixture(scope="module")
def diabetes():
    return u.build("type2_diabetes", {"area": "U06180", "draws": 20, "seed": 1}).run()


def test_diabetes_cohort_is_prevalence_times_the_list_not_contacts(diabetes):
    """By hand from the bundled tables: people = sum over age bands of the registered list
    x the local type 2 diabetes prevalence (no rows under 15: the QOF register is 17+)."""
    from wfkit import data

    pop = data.population("U06180", "pcn").set_index("age_band")["population"]
    prev = data.prevalence("U06180", "pcn")
    prev = prev[prev["activity"] == "t2d_annual_review"].set_index("age_band")["value"]
    assert {"0-4", "5-9", "10-14"}.isdisjoint(prev.index)
    by_hand = sum(float(pop[b]) * float(v) for b, v in prev.items())
    assert u.cohort_size(diabetes, "t2d_annual_review") == pytest.approx(by_hand, rel=1e-12)
    # HbA1c is checked twice a year: its contacts are twice the people, which is what the
    # notebook used to print as the cohort
    pp = u.per_person(diabetes, "t2d_annual_review").set_index("activity")
    assert pp.loc["t2d_hba1c", "contacts"] == pytest.approx(2 * by_hand, rel=1e-9)
    assert pp.loc["t2d_hba1c", "per_person"] == pytest.approx(2.0)
    assert pp.loc["t2d_annual_review", "per_person"] == pytest.approx(1.0)
    by_area = u.cohort_size(diabetes, "t2d_annual_review", by_area=True)
    assert list(by_area.index) == ["U06180"] and by_area.sum() == pytest.approx(by_hand)


def test_cohort_grows_with_the_population_in_later_years(diabetes):
    r = diabetes.results["baseline"]
    people = [u.cohort_size(diabetes, "t2d_annual_review", year=int(y)) for y in r.years]
    k = r.activities.index("t2d_annual_review")
    # the annual review is once a person: the engine's central demand is the cohort
    assert people == pytest.approx(list(r.demand[0, :, :, k].sum(axis=0)), rel=1e-9)
    with pytest.raises(InputError, match="not modelled"):
        u.cohort_size(diabetes, "t2d_annual_review", year=1990)
    with pytest.raises(InputError, match="unknown activity"):
        u.cohort_size(diabetes, "t2d_annual_reveiw")


def test_report_frames_show_p50_beside_the_central_run(diabetes):
    head = u.headline(diabetes)
    cols = list(head.columns)
    assert cols[cols.index("required_fte") :][:4] == [
        "required_fte",
        "required_p10",
        "required_p50",
        "required_p90",
    ]
    assert "gap_p50" in cols
    assert (head["required_p10"] <= head["required_p50"]).all()
    assert (head["required_p50"] <= head["required_p90"]).all()
    co = u.cohort_frame(diabetes)
    assert list(co.columns) == ["year", "activity", "contacts", "p10", "p50", "p90"]
    assert (co["p10"] <= co["p50"]).all() and (co["p50"] <= co["p90"]).all()


# ----------------------------------------------------------------------------------------
# the registry, the parameter declarations, the slots
# ----------------------------------------------------------------------------------------
def test_every_use_case_is_a_registered_module_with_its_own_parameters():
    assert list(u.REGISTRY) == list(u.USE_CASES)
    assert list(u.USE_CASES) == [
        "all",
        "type2_diabetes",
        "same_day",
        "nursing",
        "frailty",
        "closer_to_home",
    ]
    for name, s in u.REGISTRY.items():
        assert s.name == name and u.USE_CASES[name] == s.description
        assert u.EXTRA[name] == {p.name: p.default for p in s.params}
        assert s.variants.__module__.startswith("wfkit.usecases.")
    assert u.REGISTRY["all"].variants.__module__ == "wfkit.usecases.whole_practice"
    assert u.REGISTRY["frailty"].params[0].name == "frailty_overlap"
    with pytest.raises(InputError, match=r"unknown use case 'diabetes'.*'type2_diabetes'"):
        u.build("diabetes", AREA)


def test_a_registered_use_case_is_built_without_touching_build(monkeypatch):
    """build looks use cases up, so a new one needs only a module that registers it."""
    calls = []

    def variants(ctx):
        calls.append(dict(ctx.params))
        return [ctx.future_model()]

    monkeypatch.setitem(u.REGISTRY, "test_case", u.Spec("test_case", "a test", variants))
    monkeypatch.setattr("wfkit.usecases.base.activities_for", lambda name: ["t2d_annual_review"])
    uc = u.build("test_case", {**AREA, "minutes_change": 0.1})
    assert calls and calls[0]["minutes_change"] == 0.1
    (future,) = uc.mapping["variants"]
    assert future["name"] == "future_model" and future["overrides"]["minutes"]
    validate_scenario(uc.mapping)


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"shift_fraction": 1.5}, "shift_fraction = 1.5: expected a fraction between 0 and 1"),
        ({"pharmacist_part": -0.1}, "pharmacist_part = -0.1: expected a fraction"),
        ({"minutes_change": -0.9}, r"expected a relative change in \(-0.9, 3\]"),
        ({"level": "ward"}, "level = 'ward': expected one of"),
        ({"horizon": 99}, "1 to 50"),
        ({"pharmacist_minutes": 0}, r"expected minutes in \(0, 240\]"),
        ({"draws": "many"}, "expected a int"),
        ({"horizon": 2.5}, "expected a int"),
    ],
)
def test_build_checks_values_with_the_declared_rules(params, match):
    with pytest.raises(InputError, match=match):
        u.build("same_day", {**AREA, **params})


@pytest.mark.parametrize(
    "parts",
    [
        {"pharmacist_part": 0.8},  # 0.8 + 0.3 + 0.3: once silently rescaled to 0.57/0.21/0.21
        {"pharmacist_part": 0.2, "paramedic_part": 0.2, "physician_associate_part": 0.2},
        {"pharmacist_part": 0.0, "paramedic_part": 0.0, "physician_associate_part": 0.0},
    ],
)
def test_same_day_parts_must_sum_to_one(parts):
    """Parts that do not sum to 1 are refused with one line, as a scenario file's are."""
    with pytest.raises(InputError) as info:
        u.build("same_day", {**AREA, **parts})
    msg = str(info.value)
    assert "pharmacist_part + paramedic_part + physician_associate_part" in msg
    assert "expected 1" in msg and "\n" not in msg


def test_same_day_parts_summing_to_one_are_taken_as_given():
    uc = u.build(
        "same_day",
        {
            **AREA,
            "shift_fraction": 0.3,
            "pharmacist_part": 0.5,
            "paramedic_part": 0.5,
            "physician_associate_part": 0,
        },
    )
    (future,) = uc.mapping["variants"]
    both = 0
    for shift in future["skill_mix"]["shifts"]:
        assert set(shift["to"]) <= {"pharmacist", "paramedic"}
        if set(shift["to"]) == {"pharmacist", "paramedic"}:
            assert shift["to"] == {"pharmacist": 0.5, "paramedic": 0.5}
            both += 1
    assert both


def test_build_and_notebooks_read_one_declaration_per_parameter():
    from wfkit import notebook

    decl = u.params.declared()
    assert notebook.rules() == decl
    for s in u.REGISTRY.values():
        for p in s.known:
            assert decl[p.name] is p and p.help
            assert p.problem(p.default) is None, p.name  # every default is allowed
    for p in u.params.NOTEBOOK:
        assert decl[p.name] is p and p.name in u.NOTEBOOK_ONLY
    # a name means one thing everywhere: declaring it again differently is refused
    with pytest.raises(ValueError, match="declared twice"):
        u.params.declare(u.params.Setting("horizon", 5, int, "another horizon"))
    # the same rule refuses the same value in a notebook and in build
    ns = {"horizon": 99, "__annotations__": {"horizon": int}}
    with pytest.raises(InputError, match="horizon = 99: expected 1 to 50 years"):
        notebook.check_parameters(ns, injected=[])
    with pytest.raises(InputError, match="horizon = 99: expected 1 to 50 years"):
        u.build("all", {**AREA, "horizon": 99})


def test_build_coerces_numbers_as_a_slider_or_yaml_gives_them():
    uc = u.build("nursing", {**AREA, "horizon": 5.0, "supervision_hours": 2, "seed": 3})
    assert uc.params["horizon"] == 5 and isinstance(uc.params["horizon"], int)
    assert isinstance(uc.params["supervision_hours"], float)
    assert "output_dir" not in u.build("all", {**AREA, "output_dir": "x"}).params


def test_use_case_refuses_a_misspelt_attribute():
    uc = u.build("type2_diabetes", AREA)
    with pytest.raises(AttributeError):
        uc.activites = ["t2d_hba1c"]
    assert not hasattr(uc, "__dict__")
    uc.activities = list(uc.activities)  # declared attributes can still be set


def test_area_table_is_what_the_notebooks_showed():
    uc = u.build("same_day", {**AREA, "area": "U06180"})
    want = u.resolve_area("U06180", "pcn")[["area", "area_name", "level", "patients", "icb"]]
    pd.testing.assert_frame_equal(u.area_table(uc), want)


def test_notebook_tables_are_the_frames_the_cells_printed(same_day):
    _, run = same_day
    shares = u.who_does_what(run)
    pd.testing.assert_frame_equal(
        u.who_does_what_table(shares),
        shares.pivot_table(index="role", columns="model", values="share").round(3),
    )
    cols = ["label", "required_fte", "supply_fte", "gap_fte", "reason"]
    pd.testing.assert_frame_equal(u.base_year_table(run), u.base_year(run)[cols].round(1))
    training = u.training_summary(run)
    cols = ["role", "competency", "to_train_heads", "training_days", "cost_gbp"]
    pd.testing.assert_frame_equal(
        u.training_needs_table(training), training["needs"][cols].round(1)
    )
    out = u.output_tables(run, extra=shares)
    assert list(out) == ["headline", "base_year", "fte_by_role", "extra"]
    pd.testing.assert_frame_equal(out["headline"], u.headline(run))
    pd.testing.assert_frame_equal(out["fte_by_role"], u.fte_by_role(run))


def test_attributed_supply_from_the_disk_cache_equals_a_fresh_attribution():
    from wfkit.usecases import base

    args = (("U06180",), "pcn", 2025, tuple(u.activities_for("type2_diabetes")), "national")
    fresh = base._attribute(*args)
    base._attributed_supply.cache_clear()
    base._attributed_supply(*args)
    base._attributed_supply.cache_clear()
    assert base._attributed_supply(*args) == fresh
