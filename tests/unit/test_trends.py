"""Supply from observed trends (issue 21 item 3): the fitted flows and the policy settings.

Checked against hand-worked series and the publisher's totals, not against snapshots; the
committed flows.csv is recomputed from the committed role_trends (no raw files needed), and
role_trends from the raw files where they are beside the checkout.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import wfkit.data as wd
from wfkit import settings as S
from wfkit.data.paths import data_dir
from wfkit.data.trends import FLOWS_UNTIL, NETWORK_ROLES, WINDOW, Z80, fit_net, flows_table
from wfkit.model.uncertainty import Param
from wfkit.scenario.policy import POLICY_ROLES, apply_supply_policy

pytestmark = pytest.mark.unit

SOURCES = wd.sources_dir()
RAW = ("gp-workforce-roles-subicb-2025-10", "pcn-workforce-individual-2022-09")
needs_sources = pytest.mark.skipif(
    not all((SOURCES / d).is_dir() for d in RAW), reason=f"raw sources not found at {SOURCES}"
)


def _flows() -> pd.DataFrame:
    return pd.read_csv(data_dir() / "assumptions" / "flows.csv", dtype=str, keep_default_na=False)


def _series(role: str, values: list[float], start: int = 2015) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": "practice",
            "area": "England",
            "role": role,
            "month": [f"{start + i}-09" for i in range(len(values))],
            "fte": values,
        }
    )


def test_practice_role_hand_worked():
    # 6 Septembers, yearly changes x1.10, x1.00, x1.10, x1.00, x1.10 (log mean and sd by hand)
    t = _series("gp", [100.0, 110.0, 110.0, 121.0, 121.0, 133.1])
    f = fit_net(t, "2020-12").set_index("role").loc["gp"]
    logs = np.log([1.1, 1.0, 1.1, 1.0, 1.1])
    assert f.net == pytest.approx(np.expm1(logs.mean()))
    assert f.lo == pytest.approx(np.expm1(logs.mean() - Z80 * logs.std(ddof=1)))
    assert f.hi == pytest.approx(np.expm1(logs.mean() + Z80 * logs.std(ddof=1)))
    assert f.period == "2015-09 to 2020-09" and not f.judgement


def test_fit_uses_only_months_up_to_until():
    values = [100.0 * 1.02**i for i in range(WINDOW + 3)]
    t = _series("receptionist", values)
    early = fit_net(t, "2019-09").set_index("role").loc["receptionist"]
    # a wild value after 'until' changes nothing; one before it does
    late = t.copy()
    late.loc[late.month == "2021-09", "fte"] *= 3
    assert fit_net(late, "2019-09").set_index("role").loc["receptionist"].net == early.net
    assert fit_net(late, "2021-09").set_index("role").loc["receptionist"].net != early.net
    assert early.net == pytest.approx(0.02)


def test_network_role_held_with_the_census_growth_quoted():
    rows = [
        ("network", area, "pharmacist", m, f)
        for area, m, f in [
            ("England", "2022-09", 100.0),
            ("England", "2025-09", 200.0),
            ("Y56", "2022-09", 50.0),
            ("Y56", "2025-09", 100.0),
        ]
    ]
    t = pd.DataFrame(rows, columns=["source", "area", "role", "month", "fte"])
    f = fit_net(t, "2025-12").set_index("role").loc["pharmacist"]
    assert f.judgement and f.net == 0.0 and (f.lo, f.hi) == (-0.05, 0.05)
    assert f.observed == pytest.approx(2 ** (1 / 3) - 1)  # doubled in three years
    assert "+26.0% a year" in f.how and "arrs_growth" in f.how


def test_committed_flows_are_the_fit_of_the_committed_trends():
    flows = _flows()
    trends = wd.load("role_trends")
    fresh = flows_table(trends, flows[flows.parameter == "leaver_rate"], FLOWS_UNTIL)
    pd.testing.assert_frame_equal(
        flows.reset_index(drop=True),
        fresh.astype(str).replace({"nan": ""}).reset_index(drop=True),
        check_dtype=False,
    )


def test_every_flow_row_cites_a_figure_or_says_judgement():
    flows = _flows()
    for r in flows.itertuples():
        fitted = r.source.startswith("wfkit fit") and r.source_year[:4].isdigit()
        assert fitted or "wfkit judgement" in r.source, (r.role, r.parameter)
        # joiner minus leaver is the net change the row states
    j = flows[flows.parameter == "joiner_rate"].set_index("role")
    lv = flows[flows.parameter == "leaver_rate"].set_index("role")
    net = j.value.astype(float) - lv.value.astype(float)
    stated = j.notes.str.extract(r"net change a year ([+-][0-9.]+)")[0].astype(float)
    np.testing.assert_allclose(net, stated.clip(lower=-lv.value.astype(float)), atol=1e-4)
    # the network roles are held at today's staff by default; policy is a setting
    assert (net[list(NETWORK_ROLES)].abs() < 1e-9).all()


def test_gp_trend_against_the_published_total():
    # England, October 2025 (SOURCE.md of gp-workforce-roles-subicb-2025-10): all GPs 38,649
    # FTE of which 10,058 registrars, who count at capacity_factor 0.5 in role_trends
    t = wd.load("role_trends")
    gp = t[(t.source == "practice") & (t.role == "gp") & (t.month == "2025-10")].fte.sum()
    assert gp == pytest.approx(38_649 - 0.5 * 10_058, abs=2)
    # network staff, November 2025: every mapped role of pcn_roles (30,576 FTE in all)
    net = t[(t.source == "network") & (t.area == "England") & (t.month == "2025-11")].fte.sum()
    regions = t[(t.source == "network") & (t.area != "England") & (t.month == "2025-11")]
    assert regions.fte.sum() == pytest.approx(net, abs=0.05)
    assert 25_000 < net < 30_576


@needs_sources
def test_role_trends_recomputed_from_the_raw_files():
    from wfkit.data.build_trends import role_trends

    read = {"dtype": str, "keep_default_na": False, "na_values": [""]}
    maps = tuple(
        pd.read_csv(data_dir() / f"areas/{n}.csv", **read) for n in ("areas", "areas_2026")
    )
    staff_roles = pd.read_csv(data_dir() / "assumptions/staff_roles.csv", **read)
    fresh = role_trends(SOURCES, maps, staff_roles, [])
    committed = wd.load("role_trends")
    pd.testing.assert_frame_equal(
        fresh.reset_index(drop=True), committed.reset_index(drop=True), check_dtype=False
    )


def test_policy_settings_are_off_by_default_and_move_only_their_roles():
    assert all(s.default == 0 for s in S.SUPPLY_POLICY)
    roles = ["gp", "pharmacist", "receptionist"]
    j = Param(np.array([0.1, 0.2, 0.15]), np.array([0.05, 0.1, 0.1]), np.array([0.15, 0.3, 0.2]))
    assert apply_supply_policy(j, roles, {s.name: 0.0 for s in S.SUPPLY_POLICY}) is j
    moved = apply_supply_policy(j, roles, {"arrs_growth": 0.05, "gp_training_places": 0.01})
    np.testing.assert_allclose(moved.value, [0.11, 0.25, 0.15])
    np.testing.assert_allclose(moved.lo, [0.06, 0.15, 0.1])
    np.testing.assert_allclose(moved.hi, [0.16, 0.35, 0.2])
    assert set(POLICY_ROLES) == {s.name for s in S.SUPPLY_POLICY}


def test_a_scenario_with_arrs_growth_grows_only_the_network_roles():
    from wfkit.scenario import run_scenario
    from wfkit.tables import INPUT_TABLES

    run = run_scenario(
        {
            "name": "policy",
            "base_year": 2025,
            "horizon": 2,
            "inputs": {t: "bundled" for t in INPUT_TABLES if t != "growth"},
            "variants": [{"name": "arrs", "arrs_growth": 0.1, "gp_training_places": 0.02}],
        }
    )
    base, arrs = run.results["baseline"], run.results["arrs"]
    b, a = base.supply_fte[0, :, -1].sum(0), arrs.supply_fte[0, :, -1].sum(0)
    ratio = {r: a[i] / b[i] for i, r in enumerate(base.roles) if b[i] > 0}
    flows = _flows().set_index(["role", "parameter"]).value.astype(float)
    for role, r in ratio.items():
        net = flows[role, "joiner_rate"] - flows[role, "leaver_rate"]
        extra = 0.1 if role in NETWORK_ROLES else 0.02 if role == "gp" else 0.0
        assert r == pytest.approx(((1 + net + extra) / (1 + net)) ** 2, rel=1e-9), role
    assert any("supply policy: arrs_growth" in n for n in run.provenance["arrs"].notes)


def test_figures_quoted_in_the_scenarios_page_are_the_fit():
    import re

    text = (data_dir().parent / "docs" / "scenarios.md").read_text()
    fit = fit_net(wd.load("role_trends")).set_index("role")
    gp = re.search(r"GPs: ([+-][0-9.]+)% a year\s+\(range ([0-9.+-]+)% to ([+-][0-9.]+)%\)", text)
    assert gp is not None
    got = [float(x) for x in gp.groups()]
    want = [100 * fit.net["gp"], 100 * fit.lo["gp"], 100 * fit.hi["gp"]]
    np.testing.assert_allclose(got, want, atol=0.05)
    for role, words in (("receptionist", "receptionists"), ("practice_nurse", "practice nurses")):
        m = re.search(words + r" ([+-][0-9.]+)%", text)
        assert float(m[1]) == pytest.approx(100 * fit.net[role], abs=0.05)
    for role, words in (("pharmacist", "pharmacists"), ("care_coordinator", "care coordinators")):
        m = re.search(words + r" \+([0-9]+)% a year|" + words + r" \+([0-9]+)%\)", text)
        quoted = float(m[1] or m[2])
        assert quoted == pytest.approx(100 * fit.observed[role], abs=0.5)
