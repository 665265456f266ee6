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
    assert len(prac) == 6196
    assert prac.patients.sum() == 63_936_682
    for level in ("pcn", "sub_icb", "icb", "region"):
        assert wd.select_areas(level=level).patients.sum() == 63_936_682
    assert len(wd.select_areas(level="sub_icb")) == 106
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
    assert eng.population.sum() == pytest.approx(63_936_682)


def test_population_is_each_practices_own_age_profile(tmp_path):
    prac = wd.practices_in(wd.DEFAULT_AREA, "pcn").practice.iloc[0]
    own = wd.load("practice_age").query("practice == @prac").set_index("age_band").patients
    p = wd.population([prac], "practice").set_index("age_band").population
    assert p.to_dict() == pytest.approx(own.astype(float).to_dict())
    # a user's list replaces the total and keeps the practice's own shape
    lst = tmp_path / "l.csv"
    lst.write_text(f"practice,patients\n{prac},{2 * own.sum()}\n")
    p2 = wd.population([prac], "practice", practice_list=lst).set_index("age_band").population
    assert p2.to_dict() == pytest.approx((2 * own).astype(float).to_dict())


def test_growth_is_one_in_the_base_year():
    g = wd.growth([wd.DEFAULT_AREA], "pcn", base_year=2025, years=[2025, 2030])
    assert len(g) == 2 * 19
    assert g[g.year == 2025].factor.eq(1).all()
    old = g[(g.year == 2030) & (g.age_band == "70-74")].factor.iloc[0]
    assert 1.05 < old < 1.6
    with pytest.raises(InputError, match="2022-2047"):
        wd.growth([wd.DEFAULT_AREA], "pcn", base_year=2025, years=[2050])


def test_practice_growth_is_its_sub_icbs_projection():
    prac = wd.practices_in(wd.DEFAULT_AREA, "pcn").iloc[0]
    proj = wd.load("projection").query("area == @prac.sub_icb and age_band == '70-74'")
    by = proj.set_index("year").population
    g = wd.growth([prac.practice], "practice", base_year=2022, years=[2047])
    f = g.query("age_band == '70-74'").factor.iloc[0]
    assert f == pytest.approx(by[2047] / by[2022])


def test_supply_has_every_role():
    s = wd.supply([wd.DEFAULT_AREA], "pcn")
    assert list(s.role) == list(wd.ROLE_IDS)
    assert s.set_index("role").fte["gp"] > 30
    # practice-employed HCAs are counted without any option (wfkit.data.staff)
    assert s.set_index("role").fte["hca"] > 5


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
    ap = wd.load("appointments")
    mine = ap[ap.practice.isin(wd.practices_in(wd.DEFAULT_AREA, "pcn").practice)]
    assert s.same_day.iloc[0] == mine.same_day.sum()
    assert s.same_day_gp.iloc[0] + s.same_day_other.iloc[0] == s.same_day.iloc[0]


def _small_practice():
    """The practice with the smallest list in the default network (hand-worked figures)."""
    p = wd.practices_in(wd.DEFAULT_AREA, "pcn")
    return p.sort_values(["patients", "practice"]).iloc[0]


def test_prevalence_factor_of_one_practice_by_hand():
    # the practice's recorded diabetes register rate (17+ list) applied to its December 2025
    # list aged 17+, times the type 2 share, over the cohort the national fractions give it
    prac = _small_practice()
    q = wd.load("qof_practice").query("condition == 'DM' and register_2425.notna()")
    own = q[q.practice == prac.practice].iloc[0]
    assert own.list_type == "17OV"
    rate = own.register_2425 / own.list_2425
    mine = wd.load("practice_age").query("practice == @prac.practice").set_index("age_band")
    n17 = (
        mine.patients["15-19"] * 3 / 5 + mine.patients.drop(["0-4", "5-9", "10-14", "15-19"]).sum()
    )
    nat = wd.load("prevalence").query("activity == 't2d_hba1c' and age_band != 'all'")
    if "area" in nat.columns:
        nat = nat[nat.area.isna()]
    v = nat.set_index("age_band").value
    expected = (mine.patients * v.reindex(mine.index).fillna(0)).sum()
    factor = 0.9 * rate * n17 / expected
    pr = wd.prevalence([prac.practice], "practice").query("activity == 't2d_hba1c'")
    assert pr.notes.iloc[0].startswith(f"factor {factor:.4f}")
    band = pr.set_index("age_band").value
    assert band["60-64"] == pytest.approx(min(1.0, v["60-64"] * factor))
    cohort = (mine.patients * band.reindex(mine.index).fillna(0)).sum()
    assert cohort == pytest.approx(0.9 * rate * n17, rel=1e-9)


def test_englands_cohorts_are_its_recorded_registers():
    # the publisher's totals (QOF 2024/25): diabetes 17+ 4,109,134 (about 90% type 2),
    # hypertension 9,711,491; at December 2025 lists, within 1.5%
    regions = list(wd.select_areas(level="region").area)
    pop = wd.population(regions, "region")
    pr = wd.prevalence(regions, "region")
    for act, published in (
        ("t2d_annual_review", 0.9 * 4_109_134),
        ("hypertension_review", 9_711_491),
    ):
        m = pop.merge(pr[pr.activity == act], on=["area", "age_band"])
        assert (m.population * m.value).sum() == pytest.approx(published, rel=0.015)


def test_prevalence_falls_back_to_the_sub_icb_rate():
    sub = wd.prevalence([wd.DEFAULT_AREA], "pcn", source="sub_icb")
    assert sub.source.str.contains("practices' own for 0% of patients").all(), sub.source.iloc[0]
    with pytest.raises(InputError, match="unknown prevalence source"):
        wd.prevalence(["U06180"], "pcn", source="lsoa")
    own = wd.prevalence(["U06180", "U60094"], "pcn")
    f = own.drop_duplicates(["area", "activity"]).set_index(["area", "activity"]).notes
    assert f[("U06180", "t2d_hba1c")] != f[("U60094", "t2d_hba1c")]  # networks differ
    # a practice of the map with no 2024/25 register takes its sub-ICB's rate
    q = wd.load("qof_practice").query("register_2425.notna()")
    none = sorted(set(wd.load("areas").practice) - set(q.practice))
    assert none
    pr = wd.prevalence([none[0]], "practice")
    assert pr.source.str.contains("practices' own for 0% of patients").all()


def test_qof_trend_by_hand():
    prac = _small_practice()
    t = wd.qof_trend([prac.practice], "practice").set_index("condition")
    q = wd.load("qof_practice").query("practice == @prac.practice").set_index("condition")
    r = q.loc["HYP"]
    p23, p25 = r.register_2223 / r.list_2223, r.register_2425 / r.list_2425
    assert t.loc["HYP", "annual_change"] == pytest.approx((p25 / p23) ** 0.5 - 1)
    assert t.loc["HYP", "prevalence_2425"] == pytest.approx(p25)
    assert len(t) == 13
    lon = wd.qof_trend(["Y56"], "region").set_index("condition")
    assert lon.loc["DM", "annual_change"] > 0  # recorded diabetes rises


def test_appointments_by_area():
    a = wd.appointments([wd.DEFAULT_AREA], "pcn").iloc[0]
    assert a.total == a.gp + a.other_staff + a.unknown_staff
    assert a.practices + a.practices_missing == len(wd.practices_in(wd.DEFAULT_AREA, "pcn"))
    eng = wd.appointments(wd.select_areas(level="region").area, "region")
    assert eng.total.sum() == 31_098_559
    assert eng.practices.sum() == 6138


def test_seasonal_factor_of_one_practice_by_hand():
    prac = _small_practice()
    m = wd.load("appointments_monthly").query("sub_icb == @prac.sub_icb and staff_type == 'gp'")
    m = m.set_index("month").appointments
    year = m.loc["2024-12":"2025-11"]
    assert len(year) == 12
    expected = m["2025-11"] / year.sum() * 12
    s = wd.seasonal_factors([prac.practice], "practice").set_index("staff_type")
    assert s.loc["gp", "factor"] == pytest.approx(expected)
    assert s.loc["gp", "annual"] == pytest.approx(s.loc["gp", "november"] / expected * 12)
    # a network across sub-ICBs: the annual figure is the sum of its practices' estimates
    net = wd.seasonal_factors([wd.DEFAULT_AREA], "pcn").set_index("staff_type")
    prs = wd.seasonal_factors(wd.practices_in(wd.DEFAULT_AREA, "pcn").practice, "practice")
    assert net.loc["gp", "annual"] == pytest.approx(prs[prs.staff_type == "gp"].annual.sum())
    assert 0.8 < net.loc["gp", "factor"] < 1.2


def test_misspelt_name_suggests_the_right_one():
    with pytest.raises(InputError, match="NORTH SOUTHWARK PCN"):
        wd.select_areas(name="Southwak")
    with pytest.raises(InputError, match="'London'"):
        wd.select_areas(name="Londn", level="region")


@pytest.mark.parametrize("level", ["practice", "pcn", "sub_icb", "icb", "region"])
def test_area_names_are_select_areas_names(level):
    """``area_names`` (what outputs put beside codes) names every area as ``select_areas``."""
    every = wd.select_areas(level=level)
    want = dict(zip(every["area"], every["area_name"], strict=True))
    assert wd.area_names(list(want), level) == want
    some = list(want)[:3]
    assert wd.area_names([*some, "NOT-A-CODE"], level) == {c: want[c] for c in some}


def test_area_names_of_one_network_by_its_published_name():
    assert wd.area_names(["U06180"], "pcn") == {"U06180": "NORTH SOUTHWARK PCN"}


def test_selecting_every_code_is_selecting_the_level():
    every = wd.select_areas(level="practice")
    codes = [c.lower() if i % 2 else c for i, c in enumerate(every["area"])]  # any case
    by_code = wd.select_areas(code=codes[::-1], level="practice")  # in any order
    assert by_code.equals(every)
    with pytest.raises(InputError, match="NOSUCH"):
        wd.select_areas(code=[*codes[:5], "NOSUCH", "ALSO-NOT"], level="practice")
