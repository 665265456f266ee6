"""The central run lies inside its own P10-P90 band in the bundled default scenario.

Each input's stated value is the median of its draws (a split normal, see
wfkit.model.uncertainty), so the central run is the model at every input's median.  That does not
make it the median of every output: outputs add up many inputs drawn independently from
skewed intervals (most bundled intervals have a longer upper tail) and divide by working
time, so the outputs' P50 sits above the central run.  The central run must still lie
within P10-P90 in every row, for every measure and for the differences from baseline;
before the split normal it did not (the future model's FTE required fell below its P10).
"""

from __future__ import annotations

import numpy as np
import pytest

from wfkit.scenario import bundled_scenarios, run_scenario

#: rows where nothing is uncertain have p10 == p90 == value up to rounding
TOL = 1e-9


@pytest.fixture(scope="module")
def default_run():
    return run_scenario(bundled_scenarios()["default"])


def test_the_default_scenario_has_draws(default_run):
    assert default_run.results["baseline"].n_draws == 200


@pytest.mark.parametrize(
    ("value", "lo", "hi"),
    [("value", "p10", "p90"), ("diff", "diff_p10", "diff_p90")],
    ids=["results", "difference from baseline"],
)
def test_central_run_lies_within_p10_p90_in_every_row(default_run, value, lo, hi):
    df = default_run.to_frame()
    assert set(df["measure"]) >= {"required_fte", "gap_fte", "wisn_ratio", "cost_per_1000"}
    v, p10, p90 = (df[c].to_numpy(dtype=float) for c in (value, lo, hi))
    ok = np.isnan(v) | ((p10 - TOL <= v) & (v <= p90 + TOL))
    bad = df.loc[~ok, ["area", "year", "role", "scenario", "measure", value, lo, hi]]
    assert bad.empty, f"central run outside P10-P90 in {len(bad)} row(s):\n{bad.head(10)}"


def test_summary_gives_p10_p50_p90_around_the_central_run(default_run):
    s = default_run.summary()
    for v in s["variants"].values():
        for m in ("required_fte", "supply_fte", "gap_fte", "cost_gbp", "cost_per_1000"):
            f = v[m]
            assert f["p10"] <= f["p50"] <= f["p90"], m
            assert f["p10"] - 1e-6 <= f["value"] <= f["p90"] + 1e-6, m


def test_summary_and_base_year_band_are_each_measures_own_summaries(default_run):
    """Summarised together, made once a run: the numbers of summarise_draws one measure (or
    role) at a time, and a caller changing what it was given changes nothing kept."""
    from wfkit.model.uncertainty import summarise_draws

    s = default_run.summary()
    for name, r in default_run.results.items():
        tot = r.aggregate({a: "total" for a in r.areas})
        for m, f in s["variants"][name].items():
            if m == "final_year":
                continue
            c, p10, p50, p90 = (float(x) for x in summarise_draws(tot.measure(m, True)[:, 0, -1]))
            assert f == {
                "value": round(c, 6),
                "p10": round(p10, 6),
                "p50": round(p50, 6),
                "p90": round(p90, 6),
            }
    s["variants"]["baseline"]["required_fte"]["value"] = -1.0
    assert default_run.summary()["variants"]["baseline"]["required_fte"]["value"] > 0
    band = default_run.base_year_band()
    req = default_run.draw_totals().required_fte[:, 0, 0, :]
    for i, row in enumerate(band.itertuples()):
        arr = req.sum(axis=-1) if row.role == "all" else req[:, i]
        assert [row.value, row.p10, row.p50, row.p90] == [float(x) for x in summarise_draws(arr)]
    assert list(band.role) == [*default_run.results["baseline"].roles, "all"]
    band.loc[0, "p10"] = -1.0
    assert default_run.base_year_band().loc[0, "p10"] != -1.0
