# Lesson 06: the P10-P90 band of North Southwark's 2035 requirement, read against the central
# run, the P50, the base year and the number of draws.
import yaml

import wfkit
from wfkit.scenario import bundled_scenarios

# [key]
settings = yaml.safe_load(bundled_scenarios()["default"].read_text())
settings["variants"] = []  # the baseline: today's who-does-what
run = wfkit.run_scenario(settings)  # 200 draws, seed 20251123, as the scenario file says
fte = run.to_frame().query("measure == 'required_fte' and role == 'all'").set_index("year")
# [/key]

for year in [2025, 2035]:
    row = fte.loc[year]
    print(f"CENTRAL_{year}={row['value']:.1f}")
    print(f"P10_{year}={row['p10']:.1f}")
    print(f"P50_{year}={row['p50']:.1f}")
    print(f"P90_{year}={row['p90']:.1f}")
    print(f"WIDTH_{year}={row['p90'] - row['p10']:.1f}")

# How lopsided the band is: room above the central run against room below it
final = fte.loc[2035]
print(f"ABOVE_CENTRAL_2035={final['p90'] - final['value']:.1f}")
print(f"BELOW_CENTRAL_2035={final['value'] - final['p10']:.1f}")

# [key]
# More draws: the band's edges settle; the central run never moves
more = wfkit.run_scenario(settings, draws=1000).summary()["variants"]["baseline"]["required_fte"]
# [/key]
print(f"P10_2035_1000_DRAWS={more['p10']:.1f}")
print(f"P90_2035_1000_DRAWS={more['p90']:.1f}")
print(f"CENTRAL_2035_1000_DRAWS={more['value']:.1f}")
