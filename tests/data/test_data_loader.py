"""Every bundled table loads validated; assumption tables are in the engine's formats."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import wfkit.data as wd
from wfkit import tables as T
from wfkit.data import loader
from wfkit.errors import InputError
from wfkit.validation import check_shares_sum, validate_table

pytestmark = pytest.mark.unit

ENGINE = T.ASSUMPTION_TABLES


@pytest.mark.parametrize("name", sorted(wd.TABLES))
def test_every_table_loads(name):
    df = wd.load(name)
    assert len(df) > 0
    assert (wd.data_dir() / "dictionary" / f"{name}.csv").exists()


@pytest.mark.parametrize("name", ENGINE)
def test_assumption_tables_are_engine_format(name):
    df = pd.read_csv(wd.table_path(name), dtype=str, keep_default_na=False, na_values=[""])
    validate_table(df, T.SPECS[name], source=name)
    assert df.source.notna().all(), f"{name}: every row needs a source"


def test_list_tables_has_period_source_licence():
    t = wd.list_tables()
    assert {"table", "description", "period", "source", "licence", "file"} <= set(t.columns)
    assert set(t.table) == set(wd.TABLES)
    prov = pd.read_csv(wd.data_dir() / "provenance.csv")
    assert set(prov.table) == set(wd.TABLES)


def test_roles_are_the_fifteen():
    roles = wd.load("roles")
    assert tuple(roles.role) == wd.ROLE_IDS
    for name in ("capacity", "costs", "flows"):
        assert set(wd.load(name).role) == set(wd.ROLE_IDS)
    cap = wd.load("capacity")
    assert cap.groupby("role").parameter.nunique().eq(len(T.CAPACITY_PARAMETERS)).all()


def test_activities_are_complete():
    acts = set(wd.load("activities").activity)
    assert 20 <= len(acts) <= 60  # 48 since issue 21 (item 6)
    uses = wd.load("activity_use_cases")
    assert set(uses.activity) == acts
    assert set(uses.use_case) == {"same_day", "routine", "type2_diabetes", "nursing", "frailty"}
    for name in ("prevalence", "contacts", "skill_mix", "minutes"):
        assert set(wd.load(name).activity) == acts, name
    sm = wd.load("skill_mix")
    check_shares_sum(sm, "activity", ("current", "future"), "skill_mix")
    mins = wd.load("minutes")
    assert set(zip(sm.activity, sm.role, strict=True)) == set(
        zip(mins.activity, mins.role, strict=True)
    )
    # whole-person case: single-condition reviews say which review replaces them
    rep = uses[uses.replaced_by.notna()]
    assert {
        "hypertension_review",
        "asthma_review",
        "copd_review",
        "chd_review",
        "t2d_annual_review",
    } <= set(rep.activity)
    assert set(rep.replaced_by) == {"frailty_holistic_review"}


def test_type2_diabetes_care_processes():
    acts = set(wd.load("activities").activity)
    for p in (
        "hba1c",
        "blood_pressure",
        "cholesterol",
        "serum_creatinine",
        "urine_albumin",
        "foot_check",
        "bmi",
        "smoking",
        "eye_screening_referral",
        "annual_review",
        "structured_education",
    ):
        assert f"t2d_{p}" in acts


def test_load_returns_a_copy():
    a = wd.load("areas")
    a.loc[0, "practice"] = "XXXXX"
    assert wd.load("areas").loc[0, "practice"] != "XXXXX"


def test_unknown_table():
    with pytest.raises(InputError, match="unknown table 'nope'"):
        wd.load("nope")


def test_corrupted_bundled_table_names_file_row_column(tmp_path, monkeypatch):
    shutil.copytree(wd.data_dir(), tmp_path / "data", ignore=shutil.ignore_patterns("skills"))
    path = tmp_path / "data" / "workforce" / "workforce_practice.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[4, "gp_fte"] = "-1"
    df.to_csv(path, index=False)
    monkeypatch.setenv("WFKIT_DATA_DIR", str(tmp_path / "data"))
    loader._load_cached.cache_clear()
    try:
        with pytest.raises(InputError) as e:
            wd.load("workforce")
        assert e.value.row == 6 and e.value.column == "gp_fte"
        assert "workforce_practice.csv" in str(e.value)
    finally:
        loader._load_cached.cache_clear()


def test_skill_mix_that_does_not_sum_is_refused(tmp_path, monkeypatch):
    shutil.copytree(wd.data_dir(), tmp_path / "data", ignore=shutil.ignore_patterns("skills"))
    path = tmp_path / "data" / "assumptions" / "skill_mix.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[0, "current"] = "0.99"
    df.to_csv(path, index=False)
    monkeypatch.setenv("WFKIT_DATA_DIR", str(tmp_path / "data"))
    loader._load_cached.cache_clear()
    try:
        with pytest.raises(InputError, match="sum to"):
            wd.load("skill_mix")
    finally:
        loader._load_cached.cache_clear()


def test_importing_reads_no_data():
    import subprocess
    import sys

    code = (
        "import wfkit.data as wd, wfkit.data.loader as L; "
        "assert L._load_cached.cache_info().currsize == 0"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_lookup_that_does_not_resolve_is_refused(tmp_path, monkeypatch):
    shutil.copytree(wd.data_dir(), tmp_path / "data", ignore=shutil.ignore_patterns("skills"))
    path = tmp_path / "data" / "appointments" / "appointments_monthly.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[2, "sub_icb"] = "ZZZ"
    df.to_csv(path, index=False)
    monkeypatch.setenv("WFKIT_DATA_DIR", str(tmp_path / "data"))
    loader._load_cached.cache_clear()
    try:
        with pytest.raises(InputError, match="unknown sub-ICB code 'ZZZ'") as e:
            wd.load("appointments_monthly")
        assert (e.value.row, e.value.column) == (4, "sub_icb")
    finally:
        loader._load_cached.cache_clear()


@pytest.mark.parametrize(
    "name", ["prevalence", "contacts", "minutes", "capacity", "costs", "flows"]
)
def test_central_value_lies_in_its_interval(name):
    df = wd.load(name)
    has = df.lo.notna()
    assert (df.lo[has] <= df.value[has]).all() and (df.value[has] <= df.hi[has]).all()
    assert df.unit.notna().all()
    assert df.source_year.notna().all()


def test_pay_matches_the_agenda_for_change_points():
    every = wd.load("afc_pay")
    pay = every[every.year == "2025/26"]  # the year of the costs table
    roles = wd.load("roles").set_index("role")
    sal = wd.load("costs").query("parameter == 'salary'").set_index("role")
    for role, basis in roles.pay_basis.items():
        if not basis.startswith("Band"):
            continue
        band = pay[pay.band == basis].annual_gbp
        assert sal.lo[role] == band.min() and sal.hi[role] == band.max(), role
    # published 2024/25 Band 5 entry point (NHS Employers)
    old = every[every.year == "2024/25"]
    assert old.query("band == 'Band 5' and pay_point == 'entry'").annual_gbp.iloc[0] == 29970


def test_working_time_is_plausible():
    cap = wd.load("capacity").pivot(index="role", columns="parameter", values="value")
    days = cap[
        ["annual_leave_days", "bank_holiday_days", "sickness_days", "training_days", "other_days"]
    ].sum(axis=1)
    awt = cap.weeks_per_year * cap.hours_per_week - days * cap.hours_per_week / cap.days_per_week
    assert awt.between(1400, 1700).all()
