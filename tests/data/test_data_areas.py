"""Area selection and the engine-format tables built for areas."""

from __future__ import annotations

import pytest

import wfkit.data as wd
from wfkit import tables as T
from wfkit.errors import InputError

pytestmark = pytest.mark.unit


def test_default_area_is_a_london_network():
    a = wd.select_areas(code=wd.DEFAULT_AREA, level="pcn")
    assert len(a) == 1
    assert a.region.iloc[0] == "Y56"
    assert a.area_name.iloc[0] == "NORTH SOUTHWARK PCN"


def test_every_network_in_london():
    lon = wd.select_areas(level="pcn", within=("region", "london"))
    assert 170 <= len(lon) <= 220  # 2025 networks (176 reported staff in Sep 2022)
    assert set(lon.region) == {"Y56"}
    assert wd.DEFAULT_AREA in set(lon.area)
    same = wd.select_areas(level="pcn", within=("region", "Y56"))
    assert list(same.area) == list(lon.area)


def test_levels_nest():
    prac = wd.select_areas(level="practice")
    assert len(prac) == 6231
    assert prac.patients.sum() == 63_773_098
    for level in ("pcn", "sub_icb", "icb", "region"):
        assert wd.select_areas(level=level).patients.sum() == 63_773_098
    assert len(wd.select_areas(level="icb")) == 42
    assert len(wd.select_areas(level="region")) == 7


def test_select_by_name_is_case_insensitive():
    a = wd.select_areas(name="north southwark pcn")
    assert list(a.area) == [wd.DEFAULT_AREA]
    part = wd.select_areas(name="southwark")
    assert {"U06180", "U60094"} <= set(part.area)
    icb = wd.select_areas(name="NHS South East London ICB", level="icb")
    assert list(icb.area) == ["QKK"]


def test_unknown_code_lists_close_matches():
    with pytest.raises(InputError, match="close matches: \\['U06180'"):
        wd.select_areas(code="U0618")
    with pytest.raises(InputError, match="at level 'icb'"):
        wd.select_areas(code="QKK", level="pcn")
    with pytest.raises(InputError, match="unknown level"):
        wd.select_areas(level="ccg")
    with pytest.raises(InputError, match="unknown pcn code"):
        wd.population(["U99999X"], "pcn")


def test_population_is_the_list_split_by_age():
    p = wd.population([wd.DEFAULT_AREA], "pcn")
    assert list(p.age_band) == list(T.AGE_BANDS)
    patients = wd.select_areas(code=wd.DEFAULT_AREA).patients.iloc[0]
    assert p.population.sum() == pytest.approx(patients)
    eng = wd.population(wd.select_areas(level="region").area, "region")
    assert eng.population.sum() == pytest.approx(63_773_098)


def test_growth_is_one_in_the_base_year():
    g = wd.growth([wd.DEFAULT_AREA], "pcn", base_year=2025, years=[2025, 2030])
    assert len(g) == 2 * 19
    assert g[g.year == 2025].factor.eq(1).all()
    old = g[(g.year == 2030) & (g.age_band == "70-74")].factor.iloc[0]
    assert 1.05 < old < 1.6
    with pytest.raises(InputError, match="2018-2043"):
        wd.growth([wd.DEFAULT_AREA], "pcn", base_year=2025, years=[2050])


def test_supply_has_the_fifteen_roles():
    s = wd.supply([wd.DEFAULT_AREA], "pcn")
    assert list(s.role) == list(wd.ROLE_IDS)
    assert s.set_index("role").fte["gp"] > 30
    lon = wd.supply(["Y56"], "region").set_index("role").fte
    assert lon["pharmacist"] == pytest.approx(675.2, abs=1)  # incl. advanced pharmacists
    assert lon["physician_associate"] == pytest.approx(136, abs=1)
    with_dpc = wd.supply([wd.DEFAULT_AREA], "pcn", dpc_role="hca").set_index("role").fte
    assert with_dpc["hca"] > s.set_index("role").fte["hca"]


def test_practice_supply_adds_up_to_the_network():
    pcn = wd.supply([wd.DEFAULT_AREA], "pcn").set_index("role").fte
    prac = wd.practices_in(wd.DEFAULT_AREA, "pcn").practice
    ps = wd.supply(prac, "practice").groupby("role").fte.sum()
    assert ps["pharmacist"] == pytest.approx(pcn["pharmacist"])
    assert ps["gp"] == pytest.approx(pcn["gp"])


def test_local_prevalence_is_standardised():
    pr = wd.prevalence([wd.DEFAULT_AREA], "pcn")
    assert (pr.value <= 1).all()
    assert set(pr.area) == {wd.DEFAULT_AREA}
    assert {"t2d_hba1c", "hypertension_review", "copd_review"} <= set(pr.activity)
    # England as a whole reproduces the national fractions
    eng = wd.prevalence(wd.select_areas(level="region").area, "region")
    assert eng.notes.str.startswith("factor").all()


def test_same_day_share():
    s = wd.same_day_share([wd.DEFAULT_AREA], "pcn")
    assert 0.2 < s.share.iloc[0] < 0.7
    assert s.practices_missing.iloc[0] == 0


def test_network_prevalence_comes_from_qof_2021_22():
    pr = wd.prevalence(["U06180", "U60094"], "pcn", source="network")
    assert pr.source.str.contains("QOF 2021/22 by network for 100%").all()
    icb = wd.prevalence(["U06180", "U60094"], "pcn")
    assert icb.source.str.contains("QOF 2021/22 by network for 0%").all()
    with pytest.raises(InputError, match="unknown prevalence source"):
        wd.prevalence(["U06180"], "pcn", source="lsoa")
    f = pr.drop_duplicates(["area", "activity"]).set_index(["area", "activity"]).notes
    assert f[("U06180", "t2d_hba1c")] != f[("U60094", "t2d_hba1c")]  # networks differ


def test_misspelt_name_suggests_the_right_one():
    with pytest.raises(InputError, match="NORTH SOUTHWARK PCN"):
        wd.select_areas(name="Southwak")
    with pytest.raises(InputError, match="'London'"):
        wd.select_areas(name="Londn", level="region")
