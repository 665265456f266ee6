"""An independent check of the committed example results (expected/example_results.csv):
one area, year and role worked from the scenario's CSV files with plain pandas, not wfkit."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import wfkit

EXAMPLE = Path(wfkit.__file__).parent / "scenarios" / "example"
EXPECTED = Path(__file__).parent / "expected" / "example_results.csv"


def _hand_gp_fte(area: str = "EX001") -> float:
    """Base-year GP FTE required in ``area`` under today's who-does-what: for each activity
    and age band, people x prevalence x contacts; x the GP's current share x GP minutes / 60;
    over available working time (52.14 weeks x 37.5 h less 53 days of 7.5 h) x CAF
    1 / (1 - 0.25); the GP's individual allowance is 0 h."""
    pop = pd.read_csv(EXAMPLE / "population.csv")
    pop = pop[pop.area == area].set_index("age_band")["population"]
    prev = pd.read_csv(EXAMPLE / "prevalence.csv")
    cont = pd.read_csv(EXAMPLE / "contacts.csv")
    mix = pd.read_csv(EXAMPLE / "skill_mix.csv")
    mins = pd.read_csv(EXAMPLE / "minutes.csv")
    cap = pd.read_csv(EXAMPLE / "capacity.csv")
    cap = cap[cap.role == "gp"].set_index("parameter")["value"]

    def by_band(df, activity):
        rows = df[df.activity == activity].set_index("age_band")["value"]
        return pd.Series(rows["all"], index=pop.index) if "all" in rows else rows[pop.index]

    hours = 0.0
    for act in pd.read_csv(EXAMPLE / "activities.csv").activity:
        share = mix[(mix.activity == act) & (mix.role == "gp")]["current"].sum()
        if share == 0:
            continue
        contacts = (pop * by_band(prev, act) * by_band(cont, act)).sum()
        minutes = mins[(mins.activity == act) & (mins.role == "gp")]["value"].iloc[0]
        hours += contacts * share * minutes / 60
    absence = sum(cap[k] for k in ("annual_leave_days", "bank_holiday_days", "sickness_days",
                                   "training_days", "other_days"))  # fmt: skip
    hpd = cap["hours_per_week"] / cap["days_per_week"]
    awt = cap["weeks_per_year"] * cap["hours_per_week"] - absence * hpd
    assert awt == pytest.approx(52.14 * 37.5 - 53 * 7.5)
    return hours / awt / (1 - cap["cas_fraction"]) + (cap["ias_hours"] / awt if hours else 0)


def test_committed_example_gp_figure_equals_the_hand_worked_one():
    exp = pd.read_csv(EXPECTED)
    row = exp[
        (exp.area == "EX001")
        & (exp.year == 2025)
        & (exp.role == "gp")
        & (exp.scenario == "baseline")
        & (exp.measure == "required_fte")
    ]
    assert len(row) == 1
    assert row["value"].iloc[0] == pytest.approx(_hand_gp_fte(), rel=1e-8)
