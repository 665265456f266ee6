# %% [markdown]
# # Lesson 01: the model in one page
#
# Population x service use x who does what x time per contact, then the allowances: the
# diabetes reviews of exercise 01, worked step by step. Type your answer where a cell says
# `answer = ...` and run it; the cell after it checks your answer (its code is folded away:
# try without unfolding it) and gives a hint when it is not right yet.

# %%
import wfkit
from wfkit.exercises import check

patients = 30_000
prevalence = 0.07  # 7% have type 2 diabetes
reviews_per_person = 2  # reviews a year
minutes_per_review = 20
nurse_hours_a_year = 1_500  # available working time of one full-time nurse
non_patient_share = 0.20  # time on letters, results, meetings

# %% [markdown]
# ## 1. How many reviews a year?
#
# Service use: the people with the condition, times the reviews each needs.

# %% [answer]
# solution
answer = patients * prevalence * reviews_per_person

# %% [check]
check(answer, 30_000 * 0.07 * 2, tolerance=0.5, hint="patients x prevalence x reviews a person")

# %% [markdown]
# ## 2. The category allowance factor (CAF)
#
# A fifth of a nurse's time goes on non-patient work. The CAF scales patient time up to
# whole working time: 1 / (1 - share of non-patient time).

# %% [answer]
# solution
answer = 1 / (1 - non_patient_share)

# %% [check]
_wisn = wfkit.classic_wisn(
    activities=[wfkit.WisnActivity("review", 4_200, 20, "minutes")],
    awt=wfkit.AvailableWorkingTime(1_500, contract_unit="hours"),
    category_allowances=[wfkit.CategoryAllowance("non-patient work", percent=20)],
    hours_per_day=7.5,
)
check(answer, _wisn.caf, tolerance=0.005, hint="1 / (1 - 0.20), not 1 + 0.20")

# %% [markdown]
# ## 3. Nurse FTE
#
# Hours of reviews a year, divided by one nurse's available hours, times the CAF.

# %% [answer]
reviews = patients * prevalence * reviews_per_person
# solution
answer = reviews * minutes_per_review / 60 / nurse_hours_a_year / (1 - non_patient_share)

# %% [check]
check(
    answer,
    _wisn.required,
    tolerance=0.01,
    hint="reviews x 20 minutes / 60 gives hours; divide by 1,500 hours; multiply by the CAF",
)
