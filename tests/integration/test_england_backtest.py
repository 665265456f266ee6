"""The England GP back-test in docs/ matches what the model and the bundled data give today."""

from __future__ import annotations

from pathlib import Path

from wfkit.backtest import england_gp_backtest

DOC = Path(__file__).resolve().parents[2] / "docs" / "backtest-england.md"


def test_backtest_figures_match_the_doc():
    df = england_gp_backtest().set_index("item")["value"]
    text = DOC.read_text()
    required = df["required GP FTE (model)"]
    assert f"| required GP FTE, model, 2025 | {round(required, -2):,.0f} |" in text
    assert (
        f"| GP FTE in post 2024/25, excluding locums and trainees | {df['GP FTE in post, excluding locums and trainees']:,.0f} |"
        in text
    )
    assert f"| registered patients (May 2025) | {df['registered patients']:,.0f} |" in text
    r1 = df["required / in post excluding locums and trainees"]
    r2 = df["required / in post including locums and trainees"]
    assert f"| {r1:.2f} |" in text and f"| {r2:.2f} |" in text
    # the claim of the page: the requirement lies between the two measures of supply
    assert df["GP FTE in post, excluding locums and trainees"] < required
    assert required < df["GP FTE in post, including locums and trainees"]
