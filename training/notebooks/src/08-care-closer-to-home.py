# %% [markdown]
# # Lesson 08: care closer to home
#
# The bundled community dermatology service for Blackheath and Charlton PCN, by hand and by
# wfkit. Type each answer where a cell says `answer = ...`; the folded cell after it checks it.

# %%
import wfkit
from wfkit import usecases
from wfkit.exercises import check

uc = usecases.build("closer_to_home", {"area": "U00254", "draws": 0})
run = uc.run()
moved = wfkit.moved_in_results(run)
case = wfkit.business_case(moved, run).set_index("item")
case[["value", "unit"]]

# %% [markdown]
# ## 1. Contacts a year by hand
#
# 51,381 patients, 9 contacts a year per 1,000 at full volume. How many contacts a year?

# %% [answer]
# solution
answer = 51381 * 9 / 1000

# %% [check]
check(answer, 462.4, tolerance=1, hint="patients x contacts per 1,000 / 1,000")

# %% [markdown]
# ## 2. GP hours
#
# GPs deliver 85% of those contacts at 20 minutes each. How many GP hours a year?

# %% [answer]
# solution
answer = 0.85 * 51381 * 9 / 1000 * 20 / 60

# %% [check]
check(answer, 131.0, tolerance=1, hint="contacts x 0.85 x 20 minutes / 60")

# %% [markdown]
# ## 3. The first course
#
# `moved.training` lists each cohort: `year` (first year in the service) and
# `course_start_year`. In which year must the first practitioners start their course?

# %% [answer]
# solution
answer = int(moved.training["course_start_year"].min())

# %% [check]
check(answer, 2026, hint="the smallest course_start_year: a year before the service starts")

# %% [markdown]
# ## 4. Break-even
#
# In which year does the move break even (`case.loc["break-even year", "value"]`)?

# %% [answer]
# solution
answer = int(case.loc["break-even year", "value"])

# %% [check]
_case = wfkit.business_case(wfkit.moved_in_results(run), run).set_index("item")
_year = int(_case.loc["break-even year", "value"])
check(answer, _year, hint='case.loc["break-even year", "value"]')
