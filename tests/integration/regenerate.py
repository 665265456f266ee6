"""Regenerate the committed expected results on purpose: ``make regen``, then review the diff.

python -m tests.integration.regenerate
"""

from __future__ import annotations

from pathlib import Path

from wfkit.scenario import example_scenario_path, run_scenario

EXPECTED = Path(__file__).parent / "expected"
#: scenario runs back-tested against committed results: name -> (scenario path, draws)
CASES = {"example": (example_scenario_path(), 200)}


def expected_frame(name: str):
    """Run a back-test case and return its tidy results, rounded for a stable text diff."""
    path, draws = CASES[name]
    df = run_scenario(path, draws=draws).to_frame()
    return df


def main() -> None:
    EXPECTED.mkdir(exist_ok=True)
    for name in CASES:
        out = EXPECTED / f"{name}_results.csv"
        expected_frame(name).to_csv(out, index=False, float_format="%.10g")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
