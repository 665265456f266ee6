# Is wfkit working? The five-minute check at the end of every set-up page
# (training/setup/*.md). Run it from the wfkit folder:
#     python training/check_install.py
# It runs the bundled default scenario (North Southwark PCN, central run only) and prints
# the network's base-year figures; the set-up pages quote the same figures, and a test
# (tests/unit/test_training_setup.py) checks EXPECTED against what the model gives.
import sys

if sys.version_info < (3, 11):  # noqa: UP036 (a learner may have an older Python)
    sys.exit(f"Python {sys.version.split()[0]}: wfkit needs Python 3.11 or later")

import wfkit
from wfkit.scenario import bundled_scenarios

#: North Southwark PCN in the base year, rounded as printed below
EXPECTED = {
    "BASE_YEAR": "2025",
    "PATIENTS": "205,899",
    "REQUIRED_FTE": "483.7",
    "IN_POST_FTE": "484.2",
    "GAP_FTE": "+0.5",
    "GP_REQUIRED_FTE": "97.7",
}

run = wfkit.run_scenario(bundled_scenarios()["default"], draws=0)
rec = run.reconciliation().set_index("role")
base_year = run.summary()["base_year"]
results = run.to_frame()
population = results.query(
    "year == @base_year and measure == 'population' and scenario == 'baseline' and role == 'all'"
)["value"].iloc[0]
found = {
    "BASE_YEAR": str(base_year),
    "PATIENTS": f"{population:,.0f}",
    "REQUIRED_FTE": f"{rec.loc['all', 'required_fte']:.1f}",
    "IN_POST_FTE": f"{rec.loc['all', 'supply_fte']:.1f}",
    "GAP_FTE": f"{rec.loc['all', 'gap_fte']:+.1f}",
    "GP_REQUIRED_FTE": f"{rec.loc['gp', 'required_fte']:.1f}",
}
print(f"WFKIT_VERSION={wfkit.__version__}")
for key, value in found.items():
    print(f"{key}={value}")
wrong = [k for k in EXPECTED if found[k] != EXPECTED[k]]
if wrong:
    sys.exit(
        "NOT AS EXPECTED: " + ", ".join(f"{k} {found[k]} (pack: {EXPECTED[k]})" for k in wrong)
    )
print("CHECK=wfkit is working: North Southwark's base-year figures match the training pack")
