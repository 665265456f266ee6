# Lesson 02: run the bundled default scenario (North Southwark PCN) and read its results.
# This does what `wfkit run default --out outputs/lesson02` does, then opens the files.
import json

import pandas as pd

import wfkit
from wfkit.scenario import bundled_scenarios

# [key]
run = wfkit.run_scenario(bundled_scenarios()["default"])  # 200 draws, as in `make demo`
folder = wfkit.write_outputs(run, "outputs/lesson02")

# results.csv: one row per area, year, role, scenario and measure
results = pd.read_csv(folder / "results.csv")
final = results[(results["year"] == 2035) & (results["scenario"] == "baseline")]
required = final[final["measure"] == "required_fte"].set_index("role")
in_post = final[final["measure"] == "supply_fte"].set_index("role")
# [/key]

print(f"ROWS={len(results)}")
print(f"POPULATION_2035={final[final['measure'] == 'population']['value'].iloc[0]:,.0f}")
print(f"REQUIRED_FTE_2035={required.loc['all', 'value']:.1f}")
print(f"REQUIRED_FTE_2035_P10={required.loc['all', 'p10']:.1f}")
print(f"REQUIRED_FTE_2035_P90={required.loc['all', 'p90']:.1f}")
print(f"GP_REQUIRED_FTE_2035={required.loc['gp', 'value']:.1f}")
print(f"GP_IN_POST_FTE_2035={in_post.loc['gp', 'value']:.1f}")
per_10k = required.loc["all", "value"] / final[final["measure"] == "population"]["value"].iloc[0]
print(f"REQUIRED_FTE_PER_10000={per_10k * 10_000:.1f}")
print(f"GAP_FTE_2035={in_post.loc['all', 'value'] - required.loc['all', 'value']:.1f}")

# Exercise 02, step 1: practice nurses in 2030 under the baseline, with the range
nurse = results.query(
    "year == 2030 and scenario == 'baseline' and role == 'practice_nurse'"
    " and measure == 'required_fte'"
).iloc[0]
for col, key in [("value", ""), ("p10", "_P10"), ("p50", "_P50"), ("p90", "_P90")]:
    print(f"NURSE_FTE_2030{key}={nurse[col]:.1f}")

# Roles the model gives work to but with nobody in post in this network
no_supply = sorted(
    r
    for r in required.index
    if r != "all" and required.loc[r, "value"] > 0 and in_post.loc[r, "value"] == 0
)
print(f"ROLES_NEEDED_NONE_IN_POST={len(no_supply)}")
print(f"ROLES_NEEDED_NONE_IN_POST_NAMES={', '.join(no_supply)}")

# summary.json: headline figures for the final year, and where every input came from
# [key]
summary = json.loads((folder / "summary.json").read_text())
base = summary["variants"]["baseline"]
print(f"SUMMARY_REQUIRED_FTE={base['required_fte']['value']:.1f}")
print(f"COST_PER_1000_2035={base['cost_per_1000']['value']:,.0f}")
# [/key]
print(f"DRAWS={summary['draws']}")

# The base year reconciled, as `wfkit run` prints it first: required against in post, by role
# [key]
base_year = summary["base_year"]
roles = pd.DataFrame(base_year["roles"]).set_index("role")
# [/key]
print(f"BASE_YEAR={base_year['year']}")
print(f"CALIBRATION={base_year['calibration']}")
# [key]
print(f"BASE_REQUIRED_FTE={roles.loc['all', 'required_fte']:.1f}")
print(f"BASE_IN_POST_FTE={roles.loc['all', 'supply_fte']:.1f}")
# [/key]
print(f"BASE_GAP_FTE={roles.loc['all', 'gap_fte']:+.1f}")
for role in ["gp", "paramedic"]:
    print(f"{role.upper()}_BASE_REQUIRED_FTE={roles.loc[role, 'required_fte']:.1f}")
    print(f"{role.upper()}_BASE_IN_POST_FTE={roles.loc[role, 'supply_fte']:.1f}")
    print(f"{role.upper()}_BASE_REASON={roles.loc[role, 'reason']}")
# Roles whose minutes calibration scaled outside 0.8-1.25: "read with care"
factor = base_year["minutes_factor"]
care = [r for r in roles.index if roles.loc[r, "check"]]
print(f"ROLES_READ_WITH_CARE={len(care)}")
print(f"ROLES_READ_WITH_CARE_NAMES={', '.join(f'{r} (x {factor[r]:.2f})' for r in care)}")
# Staff in post in roles no activity describes: counted, but not in the gap
not_modelled = roles[roles.index.str.startswith("not modelled")]
print(f"NOT_MODELLED_FTE={not_modelled['supply_fte'].sum():.1f}")
print(f"NOT_MODELLED_ROLES={len(not_modelled)}")
print(f"NOT_MODELLED_LARGEST={not_modelled['supply_fte'].idxmax().removeprefix('not modelled: ')}")

# How a GP registrar counts against a qualified GP (data/assumptions/staff_roles.csv)
staff_roles = wfkit.data.load("staff_roles")
registrar = staff_roles[staff_roles["source_role"] == "GPs in Training Grade"].iloc[0]
print(f"REGISTRAR_CAPACITY={registrar['capacity_factor']:g}")
print(f"REGISTRAR_CAPACITY_RANGE={registrar['lo']:g}-{registrar['hi']:g}")
