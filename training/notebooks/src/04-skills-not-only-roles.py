# %% [markdown]
# # Lesson 04: skills, not only roles
#
# A change of who does what needs people trained. How many, and how many are still in post
# later?

# %%
import wfkit
from wfkit import skills
from wfkit.exercises import check
from wfkit.scenario import bundled_scenarios

run = wfkit.run_scenario(bundled_scenarios()["default"], draws=0)
future, today = run.results["future_model"], run.results["baseline"]
tables = skills.load_skills_tables()
rates = skills.role_rates_from_result(future)
plan = skills.training_plan(
    future.workload_by_activity(), rates, baseline=today.workload_by_activity(), tables=tables
)
plan.head()

# %% [markdown]
# ## 1. People to train for the future model
#
# The total of `to_train_heads` over every year, role and competency.

# %% [answer]
# solution
answer = plan["to_train_heads"].sum()

# %% [check]
_plan = skills.training_plan(
    future.workload_by_activity(), rates, baseline=today.workload_by_activity(), tables=tables
)
check(answer, _plan["to_train_heads"].sum(), tolerance=0.05, hint="plan['to_train_heads'].sum()")

# %% [markdown]
# ## 2. At half time, more or less than double?
#
# If each trained person spends half their time on the new work (`share_of_time=0.5`), is the
# number to train more than double, exactly double or less than double? Answer with one of
# `"more"`, `"double"`, `"less"`.

# %% [answer]
half = skills.training_plan(
    future.workload_by_activity(),
    rates,
    baseline=today.workload_by_activity(),
    tables=tables,
    share_of_time=0.5,
)
# solution
ratio = half["to_train_heads"].sum() / plan["to_train_heads"].sum()
answer = "more" if ratio > 2.001 else "less" if ratio < 1.999 else "double"

# %% [check]
_ratio = half["to_train_heads"].sum() / _plan["to_train_heads"].sum()
check(
    answer,
    "more" if _ratio > 2.001 else "less" if _ratio < 1.999 else "double",
    hint="compare half['to_train_heads'].sum() with twice plan's; staff already trained "
    "today do not double",
)
