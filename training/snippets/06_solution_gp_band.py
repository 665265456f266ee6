# Exercise 06 solution: North Southwark's GP requirement in 2035 under the baseline, with its
# band (the same run as lesson 02: 200 draws, seed 20251123).
import wfkit
from wfkit.scenario import bundled_scenarios

run = wfkit.run_scenario(bundled_scenarios()["default"])
gp = (
    run.to_frame()
    .query("year == 2035 and scenario == 'baseline' and role == 'gp' and measure == 'required_fte'")
    .iloc[0]
)
print(f"GP_CENTRAL_2035={gp['value']:.1f}")
for col in ["p10", "p50", "p90"]:
    print(f"GP_{col.upper()}_2035={gp[col]:.1f}")
nearer = "P10" if gp["value"] - gp["p10"] < gp["p90"] - gp["value"] else "P90"
print(f"GP_CENTRAL_NEARER={nearer}")
