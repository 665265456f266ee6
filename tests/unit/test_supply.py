"""The supply definition: every staff group in post counted once (wfkit.data.staff).

Checked against the publishers' totals and hand-worked splits, not against snapshots.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import wfkit.data as wd
from wfkit.data.staff import GP_POOLS, supply_coverage

YEAR = "2024/25"


@pytest.fixture(scope="module")
def england() -> pd.DataFrame:
    regions = list(wd.select_areas(level="region").area)
    return wd.staff_in_post(regions, "region", YEAR)


def test_publishers_totals_of_each_staff_group():
    # NHS Digital practice workforce 2024/25 (HEEC means; SOURCE.md of
    # gp-workforce-practice-annual-fy2023-fy2025) and PCN workforce November 2025
    wf = wd.load("workforce")
    wf = wf[wf.year == YEAR]
    assert wf.gp_fte.sum() == pytest.approx(27_077, abs=1)
    assert wf.nurse_fte.sum() == pytest.approx(16_575, abs=1)
    assert wf.dpc_fte.sum() == pytest.approx(17_043, abs=1)
    assert wf.admin_fte.sum() == pytest.approx(75_967, abs=1)
    assert wd.load("pcn_roles").fte.sum() == pytest.approx(30_576.0, abs=0.1)


def test_every_fte_counted_once_or_reported():
    cov = supply_coverage(YEAR)
    np.testing.assert_allclose(cov.counted + cov.unplaced, cov.published, rtol=1e-9)
    # what cannot be placed (practices closed or merged since) is small
    assert (cov.unplaced / cov.published).max() < 0.025
    net = cov[cov.source == "network"].iloc[0]
    assert net.counted == pytest.approx(30_576.0, abs=0.1)


def test_sum_over_roles_equals_each_practices_published_total():
    p = wd.practices_in(["U06180", "U00070"], "pcn")
    s = wd.staff_in_post(list(p.practice), "practice", YEAR)
    prac = s[s.source == "practice"]
    got = prac.groupby(["area", "staff_group"]).fte.sum().unstack()
    wf = wd.load("workforce")
    wf = wf[(wf.year == YEAR) & wf.practice.isin(p.practice)].set_index("practice")
    want = pd.DataFrame(
        {
            "gp": wf.gp_fte + wf.gp_locum_trainee_fte,
            "nurse": wf.nurse_fte,
            "dpc": wf.dpc_fte,
            "admin": wf.admin_fte,
        }
    )
    got = got.reindex(want.index)[want.columns]
    np.testing.assert_allclose(got.to_numpy(), want.fillna(0).to_numpy(), rtol=1e-9, atol=1e-9)


def test_network_staff_shared_by_list_size_add_up_to_the_network():
    code = "U06180"
    pr = wd.load("pcn_roles")
    want = pr[pr.pcn == code].fte.sum()
    p = wd.practices_in([code], "pcn")
    s = wd.staff_in_post(list(p.practice), "practice", YEAR)
    assert s[s.source == "network"].fte.sum() == pytest.approx(want, rel=1e-9)
    s_pcn = wd.staff_in_post([code], "pcn", YEAR)
    assert s_pcn[s_pcn.source == "network"].fte.sum() == pytest.approx(want, rel=1e-9)


def test_practice_nurses_split_by_their_sub_icbs_october_2025_mix():
    wf = wd.load("workforce")
    wf = wf[(wf.year == YEAR) & (wf.nurse_fte > 0)]
    p = wd.practices_in(["U06180"], "pcn")
    p = p[p.practice.isin(wf.practice)].iloc[0]
    s = wd.staff_in_post([p.practice], "practice", YEAR)
    nurses = wf[wf.practice == p.practice].nurse_fte.iloc[0]
    wr = wd.load("workforce_roles")
    mix = wr[(wr.level == "sub_icb") & (wr.area == p.sub_icb) & (wr.staff_group == "nurse")]
    share = mix.set_index("source_role").fte / mix.fte.sum()
    got = s[(s.staff_group == "nurse")].set_index("source_role").fte
    anp = "Advanced Nurse Practitioners"
    assert got[anp] == pytest.approx(nurses * share[anp], rel=1e-9)
    assert bool(s[s.staff_group == "nurse"].derived.all())


def test_registrars_count_at_the_cited_capacity_factor():
    m = wd.load("staff_roles")
    reg = m[(m.source == "practice") & (m.source_role == "GPs in Training Grade")].iloc[0]
    assert reg.role == "gp" and 0 < reg.capacity_factor < 1
    assert "session" in reg.citation  # cited, not bare
    code = "U06180"
    s = wd.staff_in_post([code], "pcn", YEAR)
    gp = s[s.role == "gp"]
    trainee = gp[gp.source_role == "GPs in Training Grade"].fte.sum()
    others = gp[gp.source_role != "GPs in Training Grade"].fte.sum()
    sup = wd.supply([code], "pcn", YEAR).set_index("role").fte
    assert sup["gp"] == pytest.approx(others + reg.capacity_factor * trainee, rel=1e-6)
    assert set(GP_POOLS["gp_locum_trainee"]) == {"GPs in Training Grade", "GP Regular Locums"}


def test_every_published_role_is_mapped_or_declared_not_modelled():
    m = wd.load("staff_roles")
    keys = set(zip(m.source, m.staff_group, m.source_role, strict=True))
    wr = wd.load("workforce_roles")
    for g, r in set(zip(wr.staff_group, wr.source_role, strict=True)):
        assert ("practice", g, r) in keys, (g, r)
    pr = wd.load("pcn_roles")
    for g, r in set(zip(pr.staff_group, pr.staff_role, strict=True)):
        assert ("network", g, r) in keys, (g, r)
    # a role left unmapped says why
    assert m[m.role.isna()].notes.notna().all()


def test_not_modelled_staff_are_listed_with_their_fte(england):
    nm = wd.not_modelled(["U06180"], "pcn", YEAR)
    assert len(nm) and (nm.fte > 0).all()
    assert "General Practice Assistants" in set(nm.source_role)
    s = wd.staff_in_post(["U06180"], "pcn", YEAR)
    # modelled + not modelled = everyone in post
    sup = wd.supply(["U06180"], "pcn", YEAR)
    counted = (s.fte * s.capacity_factor)[s.role.notna()].sum()
    assert sup.fte.sum() == pytest.approx(counted, rel=1e-6)
    assert s.fte.sum() == pytest.approx(s[s.role.notna()].fte.sum() + nm.fte.sum(), rel=1e-9)


def test_practice_level_sums_to_the_network():
    code = "U06180"
    p = wd.practices_in([code], "pcn")
    by_practice = wd.supply(list(p.practice), "practice", YEAR).groupby("role").fte.sum()
    by_network = wd.supply([code], "pcn", YEAR).set_index("role").fte
    np.testing.assert_allclose(by_practice[by_network.index], by_network, atol=1e-4)


def test_a_workforce_extract_replaces_only_the_practices_and_roles_it_names():
    code = "U06180"
    p = wd.practices_in([code], "pcn")
    one = p.practice.iloc[0]
    before = wd.staff_in_post([code], "pcn", YEAR)
    ext = pd.DataFrame({"practice": [one], "role": ["gp"], "fte": [3.0]})
    after = wd.staff_in_post([code], "pcn", YEAR, extract=ext)
    # other roles and other practices unchanged
    for role in ("practice_nurse", "receptionist", "pharmacist"):
        assert after[after.role == role].fte.sum() == pytest.approx(
            before[before.role == role].fte.sum(), rel=1e-9
        )
    single = wd.staff_in_post([one], "practice", YEAR)
    prac_gp = single[(single.source == "practice") & (single.role == "gp")].fte.sum()
    diff = after[after.role == "gp"].fte.sum() - before[before.role == "gp"].fte.sum()
    assert diff == pytest.approx(3.0 - prac_gp, abs=1e-6)
    assert any("workforce extract" in n for n in after.attrs["notes"])


def test_every_role_with_staff_in_post_nationally_has_modelled_work(england):
    from wfkit.scenario.calibration import national_factors

    _, eng = national_factors("none")
    in_post = england[england.role.notna()].groupby("role").fte.sum()
    work = eng.set_index("role").required_fte
    for role, fte in in_post.items():
        if fte > 0:
            assert work[role] > 0, f"{role} has {fte:.0f} FTE in post but no modelled work"
