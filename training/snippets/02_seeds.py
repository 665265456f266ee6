# Lesson 02: the seed. The default scenario with its own seed (20251123) and with notebook
# 00's (42): the central run is the same, the P10-P90 band moves a little, because 200 draws
# are a sample; more draws make the band steadier.
import yaml

import wfkit
from wfkit.scenario import bundled_scenarios

settings = yaml.safe_load(bundled_scenarios()["default"].read_text())
settings["variants"] = []
for seed in [20251123, 42]:
    final = wfkit.run_scenario(settings, seed=seed).summary()["variants"]["baseline"]
    fte = final["required_fte"]
    print(f"SEED_{seed}_CENTRAL={fte['value']:.1f}")
    print(f"SEED_{seed}_P10={fte['p10']:.1f}")
    print(f"SEED_{seed}_P90={fte['p90']:.1f}")
