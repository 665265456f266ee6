"""The committed tables equal a fresh build, and they have not drifted from the sources."""

from __future__ import annotations

import filecmp

import pandas as pd
import pytest

import wfkit.data as wd
from wfkit.data.build import RAW_FILES, build
from wfkit.data.schemas import TABLES

pytestmark = pytest.mark.unit

SOURCES = wd.sources_dir()
needs_sources = pytest.mark.skipif(
    not all((SOURCES / rel).exists() for rel in RAW_FILES.values()),
    reason=f"raw sources not found at {SOURCES} (set WFKIT_DATA_SOURCES)",
)


@needs_sources
def test_committed_tables_equal_a_fresh_build(tmp_path):
    build(source=SOURCES, out=tmp_path)
    built = [i.file for i in TABLES.values() if i.built]
    docs = [f"dictionary/{n}.csv" for n in TABLES] + ["provenance.csv", "build_notes.csv"]
    for rel in built + docs:
        assert filecmp.cmp(tmp_path / rel, wd.data_dir() / rel, shallow=False), (
            f"data/{rel} differs from a fresh build; run 'wfkit data build' and review the diff"
        )


@needs_sources
def test_build_is_deterministic(tmp_path):
    build(source=SOURCES, out=tmp_path / "a")
    build(source=SOURCES, out=tmp_path / "b")
    for info in TABLES.values():
        if info.built:
            assert filecmp.cmp(tmp_path / "a" / info.file, tmp_path / "b" / info.file, False)


def test_practices_and_patients_may_2025():
    ls = wd.load("list_size")
    assert len(ls) == 6231
    assert int(ls.patients.sum()) == 63_773_098


def test_national_gp_fte_2024_25():
    wf = wd.load("workforce")
    fte = wf.loc[wf.year == "2024/25", "gp_fte"].sum()
    assert fte == pytest.approx(27_076.7, abs=0.05)  # SOURCE.md: about 27,077
    assert wf.loc[wf.year == "2024/25", "nurse_fte"].sum() == pytest.approx(16_575, abs=1)


def test_networks_september_2022():
    pr = wd.load("pcn_roles")
    assert pr.pcn.nunique() == 1105
    assert pr.loc[pr.region_name == "London", "pcn"].nunique() == 176
    lon = pr[(pr.region_name == "London") & (pr.staff_role == "Pharmacists")]
    assert lon.fte.sum() == pytest.approx(643, abs=2)  # SOURCE.md: about 643 FTE


def test_census_and_projection_totals():
    c = wd.load("census_age")
    la = wd.load("local_authorities")
    lon = c[c.la.isin(la.la[la.la.str.startswith("E09")])]
    # Census 2021 London total 8,799,725; the rounded band cells sum to 15 fewer
    assert lon.residents.sum() == pytest.approx(8_799_725, abs=50)
    proj = wd.load("projection")
    eng = proj[(proj.area == "E92000001") & (proj.year == 2018)]
    assert eng.population.sum() == 55_977_178
    icbs = proj[(proj.area != "E92000001") & (proj.year == 2018)].population.sum()
    assert icbs == pytest.approx(55_977_178, abs=50)


def test_age_profile_shares_sum_to_one():
    prof = wd.load("age_profile")
    assert prof.groupby("icb").share.sum().sub(1).abs().max() < 1e-6
    assert prof.icb.nunique() == 42


def test_qof_london_diabetes():
    q = wd.load("prevalence_la")
    lon = q[q.la.str.startswith("E09") & (q.condition == "DM")]
    assert lon.register.sum() / lon["list"].sum() == pytest.approx(0.0670, abs=0.0005)


def test_build_reports_what_it_leaves_out():
    notes = pd.read_csv(wd.data_dir() / "build_notes.csv").note
    assert notes.str.contains("Welsh").any()
    assert notes.str.contains("not in the May 2025 list").any()


def test_data_folder_is_small():
    total = sum(p.stat().st_size for p in wd.data_dir().rglob("*") if p.is_file())
    assert total < 8_000_000


def test_london_appointments_by_staff_type():
    a = wd.load("appointments_london")
    sep = a[a.month == "2019-09"]
    assert sep.appointments.sum() == 3_498_164  # SOURCE.md sanity check
    gp = sep.loc[sep.hcp_type == "gp", "appointments"].sum() / sep.appointments.sum()
    assert gp == pytest.approx(0.621, abs=0.001)
    assert a.month.nunique() == 30
    assert set(a.icb) == set(wd.select_areas(level="icb", within=("region", "London")).area)


def test_network_prevalence_reproduces_qof_2021_22():
    pp = wd.load("prevalence_pcn")
    dm = pp[pp.condition == "DM"]
    national = (dm.patients * dm.prevalence).sum() / dm.patients.sum()
    assert national == pytest.approx(0.0729, abs=0.0005)  # SOURCE.md: DM 7.29%
    assert pp.pcn.nunique() == 1263
