"""The hindcast of docs/backtest.md section 6 (issue 21 item 4): the page equals a fresh
computation, its inputs equal the publishers' totals and hand-worked figures, the rates
are fitted out of sample, and a planted error in a flow rate moves the hindcast error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wfkit.data as wd
from docs.build_hindcast import STAFF_HEADER, staff_rows
from tests.integration.doc_tables import page_tables
from wfkit.hindcast import FIT_UNTIL, PRACTICE_BASE, hindcast, working_days

DOC = Path(__file__).resolve().parents[2] / "docs" / "backtest.md"


@pytest.fixture(scope="module")
def h():
    return hindcast()


def _num(s: pd.Series) -> np.ndarray:
    t = s.str.replace(",", "").str.replace("%", "").str.replace("+", "").replace("-", "nan")
    return t.astype(float).to_numpy()


@pytest.fixture(scope="module")
def doc():
    return page_tables(DOC.read_text())


def test_page_is_the_fresh_computation(h, doc):
    shown = doc["hindcast_staff"]
    assert list(shown.columns) == STAFF_HEADER
    assert shown.values.tolist() == staff_rows(h)
    s = h.staff
    np.testing.assert_allclose(_num(shown["England base FTE"]), s.england_base, atol=0.5)
    np.testing.assert_allclose(_num(shown["England error"]), 100 * s.england_error, atol=0.05)
    np.testing.assert_allclose(_num(shown["sub-ICB MAPE"]), 100 * s.sub_icb_mape, atol=0.05)
    np.testing.assert_allclose(_num(shown["network MAPE"]), 100 * s.pcn_mape, atol=0.05)
    d, dd = doc["hindcast_demand"].iloc[0], h.demand_stats.iloc[0]
    assert float(d["England, modelled"].strip("%+")) == pytest.approx(
        100 * dd.england_modelled, abs=0.05
    )
    assert float(d["Pearson r across sub-ICBs"]) == pytest.approx(dd.pearson_r, abs=0.005)
    rates = doc["hindcast_rates"]
    np.testing.assert_allclose(_num(rates["net change a year"]), 100 * h.rates.net, atol=0.05)


def test_a_planted_error_in_a_flow_rate_moves_the_hindcast_error(h):
    planted = hindcast({"gp": 0.05})
    gp = (h.staff.staff_group == "GPs") & (h.staff.source == "practice")
    before, after = h.staff[gp], planted.staff[gp]
    # GPs grow 5 points a year faster: two years on, England's error moves by about 10 points
    moved = after.england_error.to_numpy() - before.england_error.to_numpy()
    assert moved[-1] == pytest.approx(
        (1 + h.rates.set_index("role").net["gp"] + 0.05) ** 2
        / (1 + h.rates.set_index("role").net["gp"]) ** 2
        * (1 + before.england_error.iloc[-1])
        - 1
        - before.england_error.iloc[-1],
        rel=1e-9,
    )
    assert (after.sub_icb_mape.to_numpy() > before.sub_icb_mape.to_numpy()).all()
    assert staff_rows(planted) != staff_rows(h)  # the page's figures would no longer match
    other = ~gp
    pd.testing.assert_frame_equal(h.staff[other], planted.staff[other])


def test_rates_fitted_out_of_sample(h):
    periods = h.rates.period.str[-7:]
    assert (periods <= FIT_UNTIL).all()
    # a figure after the base changes nothing
    trends = wd.load("role_trends")
    from wfkit.data.trends import fit_net

    late = trends.copy()
    late.loc[late.month > FIT_UNTIL, "fte"] *= 2
    pd.testing.assert_frame_equal(fit_net(late, FIT_UNTIL), fit_net(trends, FIT_UNTIL))


def test_england_figures_against_the_published_totals(h):
    # HEEC means of NHS Digital practice workforce, 2024/25 (SOURCE.md of
    # gp-workforce-practice-annual-fy2023-fy2025): nurses 16,575, DPC 17,043, admin 75,967
    s = h.staff[(h.staff.source == "practice") & (h.staff.when == "2024/25")]
    actual = s.set_index("staff_group").england_actual
    assert actual["Nurses"] == pytest.approx(16_575, abs=1)
    assert actual["Other direct patient care"] == pytest.approx(17_043, abs=1)
    assert actual["Admin and non-clinical"] == pytest.approx(75_967, abs=1)
    wf = wd.load("workforce")
    base = wf[wf.year == PRACTICE_BASE]
    assert s.set_index("staff_group").england_base["GPs"] == pytest.approx(
        base.gp_fte.sum() + base.gp_locum_trainee_fte.sum(), abs=0.01
    )


def test_gp_projection_hand_worked(h):
    # the GP group holds one model role: base x (1 + net)^years
    net = h.rates.set_index("role").net["gp"]
    for r in h.staff[(h.staff.source == "practice") & (h.staff.staff_group == "GPs")].itertuples():
        assert r.england_projected == pytest.approx(r.england_base * (1 + net) ** r.years)


def test_demand_growth_hand_worked(h):
    assert (working_days("2023-11"), working_days("2025-11")) == (22, 20)
    a = wd.load("appointments_monthly")
    n0 = a[a.month == "2023-11"].appointments.sum()
    n1 = a[a.month == "2025-11"].appointments.sum()
    d = h.demand_stats.iloc[0]
    assert d.england_actual == pytest.approx(n1 / n0 - 1)
    assert d.england_actual_per_day == pytest.approx((n1 / 20) / (n0 / 22) - 1)
    assert n1 == 31_098_559  # SOURCE.md of appointments-subicb-2023-05-2025-11
    assert d.sub_icbs == 106
