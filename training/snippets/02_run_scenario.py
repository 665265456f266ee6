# Lesson 02: run the bundled default scenario (North Southwark PCN) and read its results.
# This does what `wfkit run default --out outputs/lesson02` does, then opens the files.
import json

import pandas as pd

import wfkit
from wfkit.scenario import bundled_scenarios

run = wfkit.run_scenario(bundled_scenarios()["default"])  # 200 draws, as in `make demo`
folder = wfkit.write_outputs(run, "outputs/lesson02")

# results.csv: one row per area, year, role, scenario and measure
results = pd.read_csv(folder / "results.csv")
final = results[(results["year"] == 2035) & (results["scenario"] == "baseline")]
required = final[final["measure"] == "required_fte"].set_index("role")
in_post = final[final["measure"] == "supply_fte"].set_index("role")

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

# Roles the model needs but the bundled workforce data show nobody in post
no_supply = sorted(
    r
    for r in required.index
    if r != "all" and required.loc[r, "value"] > 0 and in_post.loc[r, "value"] == 0
)
print(f"ROLES_NEEDED_NONE_IN_POST={len(no_supply)}")

# summary.json: headline figures for the final year, and where every input came from
summary = json.loads((folder / "summary.json").read_text())
base = summary["variants"]["baseline"]
print(f"SUMMARY_REQUIRED_FTE={base['required_fte']['value']:.1f}")
print(f"COST_PER_1000_2035={base['cost_per_1000']['value']:,.0f}")
print(f"DRAWS={summary['draws']}")
