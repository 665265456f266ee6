# Exercise 03 solution: add your own variant to my-network.yaml from exercise 02 (Hackney
# Marshes). Move 60% (not 30%) of the GPs' remaining same-day minor illness work, all of it
# to pharmacists, and compare with the future model.
import yaml

import wfkit
from wfkit.scenario import bundled_scenarios

settings = yaml.safe_load(bundled_scenarios()["default"].read_text())
settings["name"] = "Hackney Marshes PCN"  # as in exercise 02: the name heads every output
settings["areas"] = {"names": ["Hackney Marshes"]}
settings["variants"].append(
    {
        "name": "pharmacist_60",
        "description": "Future model, and 60% of GP same-day minor illness to pharmacists.",
        "skill_mix": {
            "model": "future",
            "transition_start": 2026,
            "transition_years": 5,
            "shifts": [
                {
                    "activity": "same_day_minor_illness",
                    "from": "gp",
                    "to": {"pharmacist": 1.0},
                    "fraction": 0.6,
                }
            ],
        },
    }
)

run = wfkit.run_scenario(settings, draws=0)
gp = run.compare("required_fte", role="gp").iloc[-1]
pharmacist = run.compare("required_fte", role="pharmacist").iloc[-1]
total = run.compare("required_fte", role="all").iloc[-1]
cost = run.compare("cost_gbp", role="all").iloc[-1]

print(f"AREA={run.summary()['scenario']}")
print(f"GP_FTE_FUTURE={gp['future_model']:.1f}")
print(f"GP_FTE_PHARMACIST_60={gp['pharmacist_60']:.1f}")
print(f"PHARMACIST_FTE_FUTURE={pharmacist['future_model']:.1f}")
print(f"PHARMACIST_FTE_PHARMACIST_60={pharmacist['pharmacist_60']:.1f}")
print(f"TOTAL_FTE_CHANGE={total['pharmacist_60'] - total['future_model']:.1f}")
print(f"COST_CHANGE_GBP={cost['pharmacist_60'] - cost['future_model']:,.0f}")
