# %% [markdown]
# # Lesson 05: same-day access peaks
#
# 600 same-day requests a week, more on Mondays and in mornings, 10 minutes each, 4-hour
# sessions, 90% seen within an hour.

# %%
import wfkit
from wfkit.exercises import check

week = wfkit.weekly_profile(
    600,
    {"Monday": 0.26, "Tuesday": 0.2, "Wednesday": 0.19, "Thursday": 0.18, "Friday": 0.17},
    {"morning": 0.6, "afternoon": 0.4},
)
sessions = wfkit.session_staffing(
    week, minutes_per_contact=10, session_hours=4, target_wait_hours=1, target_level=0.9
)
sessions[["weekday", "session", "requests", "offered_load", "servers"]].round(1)

# %% [markdown]
# ## 1. Clinicians on Monday morning
#
# How many clinicians does Monday morning need to see 90% within the hour (`servers`)?

# %% [answer]
# solution
answer = int(sessions.query("weekday == 'Monday' and session == 'morning'")["servers"].iloc[0])

# %% [check]
_s = wfkit.session_staffing(week, 10, 4, 1, 0.9)
check(
    answer,
    int(_s[(_s.weekday == "Monday") & (_s.session == "morning")]["servers"].iloc[0]),
    hint="the Monday morning row, column servers (not offered_load, the average)",
)

# %% [markdown]
# ## 2. The uplift for a whole network
#
# Notebook 02 sizes a whole network's same-day work. Make the week 10 times bigger (6,000
# requests, same shape) and give the uplift `wfkit.peak_vs_average(...)` reports.

# %% [answer]
big = wfkit.weekly_profile(
    6_000,
    {"Monday": 0.26, "Tuesday": 0.2, "Wednesday": 0.19, "Thursday": 0.18, "Friday": 0.17},
    {"morning": 0.6, "afternoon": 0.4},
)
# solution
answer = wfkit.peak_vs_average(big, 10, 4, 1, 0.9)["uplift"].iloc[0]

# %% [check]
check(
    answer,
    wfkit.peak_vs_average(big, 10, 4, 1, 0.9)["uplift"].iloc[0],
    tolerance=0.005,
    hint="wfkit.peak_vs_average(big, 10, 4, 1, 0.9)['uplift']: bigger pools need less slack",
)
