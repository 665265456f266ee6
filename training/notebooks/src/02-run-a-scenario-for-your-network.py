# %% [markdown]
# # Lesson 02: running a scenario for your own network
#
# The bundled default scenario (North Southwark PCN, 2025 to 2035, 200 runs). Type each answer
# where a cell says `answer = ...`; the folded cell after it checks it.

# %%
import wfkit
from wfkit.exercises import check
from wfkit.scenario import bundled_scenarios

run = wfkit.run_scenario(bundled_scenarios()["default"])
results = run.to_frame()  # the same rows as results.csv
results.head()

# %% [markdown]
# ## 1. Practice nurses in 2030
#
# The required FTE for practice nurses in 2030 under the baseline (today's who-does-what).
# `results.query("...")` filters the rows as Excel's filter does.

# %% [answer]
# solution
row = results.query(
    "year == 2030 and scenario == 'baseline' and role == 'practice_nurse'"
    " and measure == 'required_fte'"
)
answer = row["value"].iloc[0]

# %% [check]
_expected = run.compare("required_fte", role="practice_nurse").set_index("year")
check(
    answer,
    _expected.loc[2030, "baseline"],
    tolerance=0.05,
    hint="filter year 2030, scenario baseline, role practice_nurse, measure required_fte; "
    "the value column is the central figure",
)

# %% [markdown]
# ## 2. Its P90
#
# The value 9 runs out of 10 fall below.

# %% [answer]
# solution
answer = row["p90"].iloc[0]

# %% [check]
_f = run.to_frame()
_nurse = _f[
    (_f.year == 2030)
    & (_f.scenario == "baseline")
    & (_f.role == "practice_nurse")
    & (_f.measure == "required_fte")
]
check(answer, _nurse["p90"].iloc[0], tolerance=0.05, hint="the same row, column p90")

# %% [markdown]
# ## 3. Roles to read with care
#
# In the base-year reconciliation, which roles did calibration have to scale outside 0.8-1.25
# (a non-empty `check` column)? Give a list of role names.

# %% [answer]
rec = run.reconciliation()
rec.head()
# solution
answer = list(rec.loc[rec["check"] != "", "role"])

# %% [check]
_rec = run.reconciliation()
check(
    answer,
    [r for r, c in zip(_rec.role, _rec.check, strict=True) if c],
    hint="rec[rec['check'] != '']['role'], as a list",
)
