# Exercise 02 solution: the default scenario for another network, picked by name.
# In a file you would copy default.yaml and change its `areas:` line; here we do the
# same to the settings in memory, and keep only the baseline.
import yaml

import wfkit
from wfkit.scenario import bundled_scenarios

settings = yaml.safe_load(bundled_scenarios()["default"].read_text())
settings["name"] = "Hackney Marshes PCN"
settings["areas"] = {"names": ["Hackney Marshes"]}
settings["variants"] = []  # the baseline only: today's who-does-what

run = wfkit.run_scenario(settings)
final = run.summary()["variants"]["baseline"]
print(f"AREAS={run.summary()['areas']}")
print(f"POPULATION_2035={final['population']['value']:,.0f}")
print(f"REQUIRED_FTE_2035={final['required_fte']['value']:.1f}")
print(f"REQUIRED_FTE_2035_P10={final['required_fte']['p10']:.1f}")
print(f"REQUIRED_FTE_2035_P90={final['required_fte']['p90']:.1f}")
print(f"GAP_FTE_2035={final['gap_fte']['value']:.1f}")

# Required FTE per 10,000 patients, to compare networks of different sizes
per_10k = final["required_fte"]["value"] / final["population"]["value"] * 10_000
print(f"REQUIRED_FTE_PER_10000={per_10k:.1f}")

# The base year reconciled (what `wfkit run` prints first): required against in post today
rec = run.reconciliation().set_index("role")
print(f"BASE_REQUIRED_FTE={rec.loc['all', 'required_fte']:.1f}")
print(f"BASE_IN_POST_FTE={rec.loc['all', 'supply_fte']:.1f}")
print(f"BASE_GAP_FTE={rec.loc['all', 'gap_fte']:+.1f}")
care = [r for r in rec.index if rec.loc[r, "check"]]  # minutes scaled outside 0.8-1.25
print(f"ROLES_READ_WITH_CARE_NAMES={', '.join(care) or 'none'}")
