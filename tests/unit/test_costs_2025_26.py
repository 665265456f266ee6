"""Pay and on-costs are 2025/26 (issue 21, item 6).

Independent checks: each Agenda for Change role's pay against the published 2025/26 pay
points (data/assumptions/afc_pay.csv, as transcribed from NHS Employers) and its on-cost
against employer National Insurance at 15% above the GBP 5,000 secondary threshold (from
6 April 2025) plus the 20.6% employer pension contribution, worked here by hand; the GP
figure against the cited GP Earnings and Expenses and workforce figures.
"""

from __future__ import annotations

import pytest

import wfkit.data as wd

#: role -> (low pay point, high pay point), the midpoint being the role's pay
AFC = {
    "practice_nurse": (("Band 6", "entry"), ("Band 6", "top")),
    "hca": (("Band 3", "entry"), ("Band 3", "top")),
    "pharmacist": (("Band 7", "entry"), ("Band 7", "top")),
    "receptionist": (("Band 2", "entry"), ("Band 3", "top")),
    "anp": (("Band 8a", "entry"), ("Band 8a", "top")),
}


@pytest.fixture(scope="module")
def costs():
    c = wd.load("costs")
    return c.set_index(["role", "parameter"])


def test_every_cost_row_is_2025_26_and_cites_its_source(costs):
    assert set(costs.source_year) == {"2025/26"}
    assert costs.source.str.len().gt(20).all()


@pytest.mark.parametrize("role", sorted(AFC))
def test_agenda_for_change_pay_and_on_costs_are_2025_26(costs, role):
    afc = wd.load("afc_pay")
    afc = afc[afc.year == "2025/26"].set_index(["band", "pay_point"]).annual_gbp
    lo, hi = (float(afc[p]) for p in AFC[role])
    pay = costs.loc[(role, "salary")]
    assert (pay.value, pay.lo, pay.hi) == pytest.approx(((lo + hi) / 2, lo, hi), abs=0.5)
    # employer NI 15% of pay above 5,000 (HMRC 2025/26) and 20.6% employer pension
    ni = 0.15 * (pay.value - 5000) / pay.value
    assert costs.loc[(role, "oncost_rate")].value == pytest.approx(0.206 + ni, abs=1e-4)


def test_band_6_on_cost_by_hand(costs):
    # 42,631 a year: NI 0.15 x 37,631 = 5,644.65 (13.24%), pension 20.6%
    assert costs.loc[("practice_nurse", "oncost_rate")].value == pytest.approx(0.3384, abs=1e-4)


def test_gp_cost_blends_partners_from_the_cited_earnings(costs):
    partner = 140_200 / (15_291.369 / 18_009) * 1.06 * 1.06 * 1.04  # a partner FTE, 2025/26
    salaried = (73_113 * 1.04 + 110_330 * 1.04) / 2
    share = 15_291.369 / 38_649.173
    assert costs.loc[("gp", "salary")].value == pytest.approx(
        share * partner + (1 - share) * salaried, abs=1
    )
    # partners carry the pension only (self-employed: no employer NI)
    on = costs.loc[("gp", "oncost_rate")].value
    ni = 0.15 * (salaried - 5000) / salaried
    blend = (share * partner * 0.206 + (1 - share) * salaried * (0.206 + ni)) / (
        share * partner + (1 - share) * salaried
    )
    assert on == pytest.approx(blend, abs=1e-4)
