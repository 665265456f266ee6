"""One period for staff and patients (issue 21, item 5): practice staff at October 2025.

Independent checks: England's counted FTE per staff group against the October 2025
publication's own totals (``tests/data/published/practice_staff_2025_10.csv``, the "All ..."
columns the build leaves out, checked against the raw table when ``../shared`` is there);
every closed or merged practice's 2024/25 FTE recomputed from the ``workforce`` table and
found again in its successor or its sub-ICB; the flags against the December 2025 lists.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wfkit.data as wd
from wfkit.data.practice_staff import (
    COLLAPSED,
    POOL_COLUMNS,
    STAFF_PERIOD,
    TINY_LIST,
    placed_role_totals,
    pool_of,
)
from wfkit.data.raw import RAW_FILES, read_raw
from wfkit.data.staff import supply_coverage

pytestmark = pytest.mark.unit

PUBLISHED = Path(__file__).parent / "published" / "practice_staff_2025_10.csv"
SOURCES = wd.sources_dir()
needs_sources = pytest.mark.skipif(
    not all((SOURCES / RAW_FILES[k]).exists() for k in ("roles", "payments", "age_2025")),
    reason=f"raw sources not found at {SOURCES} (../shared absent)",
)
_GROUP = {"GP: ": "gp", "Nurse: ": "nurse", "DPC: ": "dpc", "Admin: ": "admin"}


@pytest.fixture(scope="module")
def england() -> pd.DataFrame:
    regions = list(wd.select_areas(level="region").area)
    s = wd.staff_in_post(regions, "region")
    return s[s.source == "practice"]


@pytest.fixture(scope="module")
def given() -> pd.DataFrame:
    """Each practice's 2024/25 FTE (every staff group), straight from ``workforce``."""
    wf = wd.load("workforce")
    wf = wf[wf.year == "2024/25"].set_index("practice")
    cols = ["gp_fte", "gp_locum_trainee_fte", "nurse_fte", "dpc_fte", "admin_fte"]
    return wf[cols].fillna(0.0).sum(axis=1)


def test_counted_fte_equals_the_october_2025_publication_per_staff_group(england):
    pub = pd.read_csv(PUBLISHED).set_index("staff_group").fte
    got = england.groupby("staff_group").fte.sum()
    for g in ("gp", "nurse", "dpc", "admin"):
        assert got[g] == pytest.approx(pub[g], abs=0.05), g
    cov = supply_coverage().set_index(["source", "staff_group"])
    for g in pub.index:
        assert cov.loc[("practice", g), "published"] == pytest.approx(pub[g], abs=0.05)
        assert abs(cov.loc[("practice", g), "unplaced"]) < 0.05
    assert STAFF_PERIOD == "2025-10"


@needs_sources
def test_the_published_totals_are_the_raw_tables_england_row():
    t = read_raw(SOURCES, "roles")
    row = t[t.level == "England"].iloc[0]
    pub = pd.read_csv(PUBLISHED).set_index("staff_group").fte
    for prefix, g in _GROUP.items():
        total = [c for c in t.columns if c.startswith(prefix + "All ")]
        assert len(total) == 1
        assert pub[g] == pytest.approx(float(row[total[0]]), abs=0.0001), g


def test_every_role_counts_as_published(england):
    wr = wd.load("workforce_roles")
    want = wr[wr.level == "england"].set_index(["staff_group", "source_role"]).fte
    got = england.groupby(["staff_group", "source_role"]).fte.sum().reindex(want.index)
    assert (got - want).abs().max() < 0.05
    # GP registrars the publisher did not place in a sub-ICB are counted too
    placed = placed_role_totals(wr).groupby("source_role").fte.sum()
    assert placed["GPs in Training Grade"] == pytest.approx(want["gp", "GPs in Training Grade"])


def test_each_sub_icbs_practices_sum_to_its_published_totals():
    ps = wd.load("practice_staff")
    wr = wd.load("workforce_roles")
    sub = wr[wr.level == "sub_icb"]
    for group, col in (("nurse", "nurse_fte"), ("dpc", "dpc_fte"), ("admin", "admin_fte")):
        want = sub[sub.staff_group == group].groupby("area").fte.sum()
        got = ps.groupby("sub_icb")[col].sum().reindex(want.index)
        assert (got - want).abs().max() < 0.05, group
    partners = sub[sub.source_role == "GP Partners"].set_index("area").fte
    got = ps.groupby("sub_icb").gp_partner_fte.sum().reindex(partners.index)
    assert (got - partners).abs().max() < 0.05
    assert {pool_of("gp", "Salaried GPs"), pool_of("nurse", "Practice Nurses")} == {
        "gp_qualified_other",
        "nurse",
    }


def test_closed_practices_staff_appear_in_their_successor_or_sub_icb(given):
    areas = wd.load("areas").set_index("practice")
    tr = wd.load("staff_transfers")
    ps = wd.load("practice_staff").set_index("practice")
    closed = given[~given.index.isin(areas.index) & (given > 0)]
    assert len(closed) > 100  # 131 practices closed or merged, 1,541.6 FTE (issue 21)
    assert closed.sum() == pytest.approx(1_541.6, abs=0.1)
    share = tr[tr.why == "closed or merged"].groupby("from_practice").share.sum()
    np.testing.assert_allclose(share.reindex(closed.index).fillna(0), 1.0, atol=1e-4)
    # a receiver of list growth is in the closed practice's sub-ICB, and its list grew
    grow = tr[tr.how == "list growth in sub-ICB"]
    assert (areas.sub_icb.reindex(grow.to_practice).to_numpy() == grow.sub_icb.to_numpy()).all()
    rec = ps.reindex(grow.to_practice)
    assert (rec.patients.to_numpy() > rec.patients_counted.fillna(0).to_numpy()).all()
    # the FTE is conserved: what the receivers inherit is what the givers had
    moved = (tr.share * tr.from_practice.map(given)).groupby(tr.to_practice).sum()
    got = ps.inherited_fte.reindex(moved.index)
    np.testing.assert_allclose(got, moved, atol=0.01)
    assert ps.inherited_fte.sum() == pytest.approx(closed.sum() + ps.passed_fte.sum(), abs=0.5)


def test_a_collapsed_list_passes_on_the_share_it_lost(given):
    ps = wd.load("practice_staff").set_index("practice")
    tr = wd.load("staff_transfers")
    fell = ps[ps.patients < COLLAPSED * ps.patients_counted]
    fell = fell[fell.index.map(given).fillna(0) > 0]
    assert len(fell) >= 10
    share = tr[tr.why == "list collapsed"].groupby("from_practice").share.sum()
    lost = 1 - fell.patients / fell.patients_counted
    np.testing.assert_allclose(share.reindex(fell.index), lost, atol=1e-4)
    np.testing.assert_allclose(fell.passed_fte, lost * fell.index.map(given), atol=0.01)


def test_unreliable_bases_are_flagged_in_words():
    ps = wd.load("practice_staff").set_index("practice")
    m = ps.loc["M85069"]  # 1 patient, 33.6 FTE in the 2024/25 figures (issue 21)
    assert m.patients == 1 and m.base != "reliable"
    assert "to 1 on 1 December 2025" in m.base_note and "passed on" in m.base_note
    tiny = ps[ps.patients < TINY_LIST]
    assert (tiny.base == "tiny list").all() and len(tiny) > 10
    flagged = ps[ps.base != "reliable"]
    assert flagged.base_note.notna().all() and ps[ps.base == "reliable"].base_note.isna().all()
    weak = wd.unreliable_bases(["M85069", "A81001"], "practice")
    assert list(weak.practice) == ["M85069"] and weak.area_share.iloc[0] == 1.0
    cols = list(POOL_COLUMNS.values())
    # a practice with staff figures missing is estimated, not left empty
    est = ps[ps.base == "staff figures missing"]
    assert len(est) and (est[cols].sum(axis=1) > 0).all()


@needs_sources
def test_same_postcode_successors_share_the_closed_practices_postcode():
    tr = wd.load("staff_transfers")
    tr = tr[(tr.how == "same postcode") & (tr.why == "closed or merged")]
    wide = read_raw(SOURCES, "age_2025")
    wide = wide[wide.sex == "ALL"].sort_values("extract_date")
    post = wide.drop_duplicates("org_code", keep="last").set_index("org_code").postcode
    pay = read_raw(SOURCES, "payments", encoding="utf-8-sig")
    pay = pay.set_index(pay["Practice Code"].str.strip())["Practice Postcode"].str.strip()
    areas = wd.load("areas").set_index("practice").postcode
    for r in tr.itertuples():
        want = post.get(r.from_practice, pay.get(r.from_practice))
        assert areas[r.to_practice] == want, r
    assert tr.from_practice.nunique() >= 10
