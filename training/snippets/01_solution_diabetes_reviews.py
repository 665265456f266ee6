# Exercise 01 solution: nurse time for diabetes reviews in a network of 30,000 patients,
# the whole chain by hand (population x service use x who does what x time), then checked
# with wfkit's WISN calculator.
import wfkit

patients = 30_000
prevalence = 0.07  # 7% have type 2 diabetes
reviews_per_person = 2  # reviews a year
nurse_share = 1.0  # the nurse does every review
minutes_per_review = 20
nurse_hours_a_year = 1_500  # available working time of one full-time nurse
non_patient_share = 0.20  # time on letters, results, meetings (category allowance)

reviews = patients * prevalence * reviews_per_person * nurse_share
hours = reviews * minutes_per_review / 60
caf = 1 / (1 - non_patient_share)
fte = hours / nurse_hours_a_year * caf
print(f"REVIEWS={reviews:.0f}")
print(f"HOURS={hours:.0f}")
print(f"CAF={caf:.2f}")
print(f"NURSE_FTE={fte:.2f}")

# Half the reviews moved to a healthcare assistant: the nurse's need halves.
print(f"NURSE_FTE_HALF_SHARE={fte * 0.5:.2f}")

# The same with wfkit's WISN calculator (available working time given in hours).
result = wfkit.classic_wisn(
    activities=[wfkit.WisnActivity("diabetes review", reviews, minutes_per_review, "minutes")],
    awt=wfkit.AvailableWorkingTime(nurse_hours_a_year, contract_unit="hours"),
    category_allowances=[wfkit.CategoryAllowance("non-patient work", percent=20)],
    hours_per_day=7.5,
)
print(f"WFKIT_NURSE_FTE={result.required:.2f}")
