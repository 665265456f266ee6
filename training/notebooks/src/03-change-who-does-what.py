# %% [markdown]
# # Lesson 03: changing who does what
#
# The default scenario's three versions: today's who-does-what (`baseline`), the bundled future
# model, and the future model with 30% more of the GPs' same-day minor illness moved on.

# %%
import wfkit
from wfkit.exercises import check
from wfkit.scenario import bundled_scenarios

run = wfkit.run_scenario(bundled_scenarios()["default"], draws=0)
gp = run.compare("required_fte", role="gp")
gp.tail(3).round(1)

# %% [markdown]
# ## 1. GP FTE freed by the future model in 2035
#
# The GP FTE under `future_model` minus under `baseline`, in 2035 (negative: fewer GPs needed).

# %% [answer]
# solution
answer = gp.set_index("year").loc[2035, "future_model - baseline"]

# %% [check]
_gp = run.compare("required_fte", role="gp").set_index("year")
check(
    answer,
    _gp.loc[2035, "future_model"] - _gp.loc[2035, "baseline"],
    tolerance=0.05,
    hint="the 2035 row of run.compare('required_fte', role='gp'), future_model minus baseline",
)

# %% [markdown]
# ## 2. The yearly cost of the further shift
#
# `future_plus_shift` against `future_model`, all roles, 2035, in pounds.

# %% [answer]
cost = run.compare("cost_gbp", role="all").set_index("year")
# solution
answer = cost.loc[2035, "future_plus_shift"] - cost.loc[2035, "future_model"]

# %% [check]
_cost = run.compare("cost_gbp", role="all").set_index("year")
check(
    answer,
    _cost.loc[2035, "future_plus_shift"] - _cost.loc[2035, "future_model"],
    tolerance=1,
    hint="the 2035 row; future_plus_shift minus future_model (not minus baseline)",
)
