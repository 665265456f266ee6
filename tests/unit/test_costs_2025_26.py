"""Pay and on-costs are 2025/26, with the 2026/27 awards for later base years (issue 21, item 6).

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
    award = costs.index.get_level_values("parameter") == "pay_award_2026_27"
    assert set(costs.source_year[~award]) == {"2025/26"}
    assert set(costs.source_year[award]) == {"2026/27"}
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


# ---- 2026/27 awards ---------------------------------------------------------------------
def test_every_role_has_its_announced_2026_27_award(costs):
    award = costs.xs("pay_award_2026_27", level="parameter")
    assert set(award.index) == set(costs.index.get_level_values("role"))
    # DDRB 3.5% for GPs; Agenda for Change 3.3% (NHSPRB, accepted 12 February 2026) for the rest
    assert award.value.to_dict() == {r: (0.035 if r == "gp" else 0.033) for r in award.index}
    assert award.source.str.contains("2026").all()


def _build(base_year, overrides=None):
    from wfkit.scenario.config import load_scenario
    from wfkit.scenario.inputs import build_inputs
    from wfkit.tables import REQUIRED_TABLES

    m = {
        "name": "pay",
        "base_year": base_year,
        "horizon": 1,
        "level": "region",
        "areas": "all",
        "inputs": {t: "bundled" for t in REQUIRED_TABLES},
        "calibration": "none",
    }
    if overrides:
        m["overrides"] = overrides
    return build_inputs(load_scenario(m), "baseline")


def test_base_year_2026_costs_a_band_3_fte_at_the_2026_27_award_by_hand():
    from wfkit.model.engine import run_model

    inp25, _ = _build(2025)
    inp26, rec = _build(2026)
    r = list(inp26.roles).index("hca")
    # Band 3 midpoint 2025/26 (24,937 + 26,598) / 2 = 25,767.5 (costs.csv: 25,768),
    # x 1.033 = 26,618.34; with on-costs 32.69%: 35,319.88 a FTE
    assert inp26.salary.value[r] == pytest.approx(25_768 * 1.033, abs=0.01)
    assert inp26.salary.value[r] == pytest.approx(26_618.34, abs=0.01)
    assert (inp26.salary.lo[r], inp26.salary.hi[r]) == pytest.approx(
        (24_937 * 1.033, 26_598 * 1.033), abs=1
    )
    res = run_model(inp26, draws=0)
    assert res.cost_per_fte[0, r] == pytest.approx(26_618.34 * 1.3269, abs=0.05)
    assert res.cost_per_fte[0, r] == pytest.approx(35_319.87, abs=0.05)
    g = list(inp26.roles).index("gp")
    assert inp26.salary.value[g] == pytest.approx(133_988 * 1.035, abs=0.01)
    # base year 2025 is 2025/26 pay, untouched
    assert inp25.salary.value[r] == 25_768
    assert any("2026/27 (3.3%, 3.5%)" in n for n in rec.notes)


def test_an_award_of_zero_keeps_the_role_s_pay():
    # a zero award (as a role without a row gets) leaves its 2025/26 pay
    inp, _ = _build(
        2026, {"costs": [{"role": "hca", "parameter": "pay_award_2026_27", "value": 0}]}
    )
    assert inp.salary.value[list(inp.roles).index("hca")] == 25_768
