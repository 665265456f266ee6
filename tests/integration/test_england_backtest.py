"""The back-test in docs/backtest.md: its figures equal a fresh computation, and the data
behind it equal the publishers' totals (checks the code did not write)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wfkit.data as wd
from docs.build_backtest import render
from tests.integration.doc_tables import page_tables
from wfkit.backtest import STAFF_GROUPS, compute
from wfkit.data.staff import supply_coverage

DOC = Path(__file__).resolve().parents[2] / "docs" / "backtest.md"
IMG = DOC.parent / "img"


@pytest.fixture(scope="module")
def bt():
    return compute()


def _num(s: pd.Series) -> np.ndarray:
    return s.str.replace(",", "").astype(float).to_numpy()


@pytest.fixture(scope="module")
def doc():
    return page_tables(DOC.read_text())


def _close(shown, fresh, decimals):
    np.testing.assert_allclose(
        _num(shown), np.asarray(fresh, float), atol=0.5 * 10**-decimals + 1e-9
    )


def test_page_is_the_fresh_computation(bt, doc):
    fresh = page_tables(render(bt))
    assert (
        set(doc) == set(fresh) >= {"appointments", "fte", "national_roles", "supply", "categories"}
    )
    a = doc["appointments"]
    st = bt.appointment_stats
    assert len(a) == len(st) == 6
    _close(a["Pearson r, per patient"], st.pearson_r, 2)
    _close(a["median modelled / actual"], st["median"], 2)
    _close(a["P10"], st.p10, 2)
    _close(a["P90"], st.p90, 2)
    _close(a["number"], st.areas, 0)
    f = doc["fte"]
    _close(f["median in post / required"], bt.fte_stats["median"], 2)
    _close(f["P10"], bt.fte_stats.p10, 2)
    _close(f["P90"], bt.fte_stats.p90, 2)
    n = doc["national_roles"].set_index("role")
    nat = bt.national.set_index("label").loc[n.index]
    _close(n["in post, capacity FTE"], nat.in_post_fte, 0)
    _close(n["required, calibration none"], nat.required_none, 0)
    _close(n["minutes factor (national)"], nat.minutes_factor, 2)
    c = doc["categories"].set_index("national category")
    cat = bt.categories.set_index("category").loc[c.index]
    _close(c["GP, actual"], cat.actual_gp / 1e6, 2)
    _close(c["other staff, modelled"], cat.modelled_other / 1e6, 2)
    for name, t in fresh.items():  # and every other cell, text included
        pd.testing.assert_frame_equal(doc[name], t, obj=name)
    for png in ("appointments", "fte", "minutes-factor", "categories"):
        assert (IMG / f"backtest-{png}.png").stat().st_size > 10_000
        assert f"img/backtest-{png}.png" in DOC.read_text()


def test_appointments_equal_the_published_november_total(bt):
    # NHS England, Appointments in General Practice, November 2025: 31,098,559 appointments
    assert int(wd.load("appointments").total.sum()) == 31_098_559
    for lv in ("practice", "pcn"):
        assert int(bt.appointments[lv].november.sum()) == 31_098_559
    # categories (every category, unmapped and inconsistent kept) add up to the same month
    assert int(wd.load("appointment_categories").appointments.sum()) == 31_098_559
    # made annual, England is the published 373.3 million for December 2024 - November 2025
    assert bt.appointments["pcn"].actual_all.sum() == pytest.approx(373.3e6, rel=0.005)


def test_staff_in_post_equal_the_publishers_totals(bt):
    # NHS England GP Workforce, October 2025 (practice; SOURCE.md of
    # gp-workforce-roles-subicb-2025-10) and PCN Workforce, November 2025 (network)
    cov = supply_coverage().set_index(["source", "staff_group"])
    pub = cov.published
    assert pub["practice", "gp"] == pytest.approx(38_649, abs=0.5)
    assert pub["practice", "nurse"] == pytest.approx(16_715, abs=0.5)
    assert pub["practice", "dpc"] == pytest.approx(17_614, abs=0.5)
    assert pub["practice", "admin"] == pytest.approx(76_397, abs=0.5)
    assert pub["network", "all"] == pytest.approx(30_576, abs=0.5)
    assert cov.unplaced.abs().max() < 0.05  # staff of closed practices follow their patients
    # each FTE counted once or reported: published = unplaced + not modelled + modelled
    s = bt.supply
    np.testing.assert_allclose(s.published, s.unplaced + s.not_modelled + s.modelled, atol=0.01)
    # the model's supply is the modelled FTE with registrars at their capacity factor
    assert s.capacity.sum() == pytest.approx(bt.national.in_post_fte.sum(), rel=1e-6)
    assert (s.capacity <= s.modelled + 1e-6).all()


def test_national_calibration_equals_england_in_post(bt):
    # by construction: required under national = capacity in post, role by role, and the
    # practice run places every modelled FTE
    n = bt.national
    np.testing.assert_allclose(n.required_national, n.in_post_fte, rtol=1e-5)
    np.testing.assert_allclose(n.in_post_practices, n.in_post_fte, rtol=1e-6)
    # with no individual allowance the factor is in post / required under none
    gp = n.set_index("role").loc["gp"]
    assert gp.minutes_factor == pytest.approx(gp.in_post_fte / gp.required_none, rel=0.02)


def test_sanity_bounds(bt):
    a = bt.appointment_stats.set_index(["level", "staff"])
    assert a.loc[("pcn", "all"), "pearson_r"] > 0
    assert a.loc[("practice", "all"), "pearson_r"] > 0
    for key in a.index:
        assert 0.5 <= a.loc[key, "median"] <= 2, key
        assert a.loc[key, "p10"] < a.loc[key, "median"] < a.loc[key, "p90"], key
    f = bt.fte_stats.set_index(["level", "staff_group"])
    for g in STAFF_GROUPS:
        assert 0.5 <= f.loc[("pcn", g), "median"] <= 2, g
    # modelled appointments come only from clinical activities with a weight
    pa = bt.per_activity
    assert (pa.loc[pa.driver.ne("clinical"), ["modelled_gp", "modelled_other"]] == 0).all().all()


def test_a_hand_worked_network(bt):
    """One network by hand from the raw appointments tables: November x 12 / factor."""
    d = bt.appointments["pcn"].set_index("area")
    code = d[d.included].index[0]
    ap = wd.load("appointments")
    p = wd.practices_in([code], "pcn")
    nov = ap[ap.practice.isin(p.practice)]
    f = wd.seasonal_factors([code], "pcn").set_index("staff_type").factor
    gp_share = nov.gp.sum() / (nov.gp.sum() + nov.other_staff.sum())
    annual_gp = 12 * (nov.gp.sum() / f["gp"] + nov.unknown_staff.sum() * gp_share / f["unknown"])
    assert d.loc[code, "actual_gp"] == pytest.approx(annual_gp, rel=1e-9)
    assert d.loc[code, "list_size"] == nov.list_size.sum()


def test_phone_section_is_the_fresh_computation(doc):
    from wfkit.frontdoor import phone_backtest

    _per, s = phone_backtest()
    shown = doc["phones"]
    assert len(shown) == len(s) == 4
    _close(shown["Pearson r"], s.correlation, 2)
    _close(shown["median error"].str.replace("+", ""), s.median_error, 3)
    _close(shown["median absolute error"], s.median_abs_error, 3)
    _close(shown["practices"], s.practices, 0)
