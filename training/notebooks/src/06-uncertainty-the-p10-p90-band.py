# %% [markdown]
# # Lesson 06: reading and explaining the P10-P90 band
#
# North Southwark under today's who-does-what, 200 draws. Type each answer where a cell says
# `answer = ...`; the folded cell after it checks it.

# %%
import yaml

import wfkit
from wfkit.exercises import check
from wfkit.scenario import bundled_scenarios

settings = yaml.safe_load(bundled_scenarios()["default"].read_text())
settings["variants"] = []
run = wfkit.run_scenario(settings)
fte = run.to_frame().query("measure == 'required_fte' and role == 'all'").set_index("year")
fte.loc[[2025, 2030, 2035], ["value", "p10", "p50", "p90"]].round(1)

# %% [markdown]
# ## 1. The band's width in 2035
#
# P90 minus P10, all roles, 2035.

# %% [answer]
# solution
answer = fte.loc[2035, "p90"] - fte.loc[2035, "p10"]

# %% [check]
_final = run.summary()["variants"]["baseline"]["required_fte"]
check(answer, _final["p90"] - _final["p10"], tolerance=0.1, hint="fte.loc[2035, 'p90'] minus p10")

# %% [markdown]
# ## 2. Which way does it lean?
#
# Is the central run (`value`) nearer the P10 or the P90 in 2035? Answer `"P10"` or `"P90"`.

# %% [answer]
# solution
row = fte.loc[2035]
answer = "P10" if row["value"] - row["p10"] < row["p90"] - row["value"] else "P90"

# %% [check]
check(
    answer,
    "P10" if _final["value"] - _final["p10"] < _final["p90"] - _final["value"] else "P90",
    hint="compare value - p10 with p90 - value",
)

# %% [markdown]
# ## 3. Another seed
#
# Rerun with `seed=42`. What is the 2035 central run now?

# %% [answer]
again = wfkit.run_scenario(settings, seed=42)
# solution
answer = again.summary()["variants"]["baseline"]["required_fte"]["value"]

# %% [check]
check(
    answer,
    _final["value"],
    tolerance=0.05,
    hint="the seed changes the sample of draws, not the central run (draw 0)",
)
