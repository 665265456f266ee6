# Lesson 01: the WISN calculation for an HIV clinic in Western Kenya (docs/wisn.md),
# first by hand, then with wfkit. Both must give the same answer.
import wfkit

# --- by hand ------------------------------------------------------------------
# [key]
appointments = 10_000 * 10  # 10,000 patients, 10 appointments each a year
hours_per_appointment = 0.25  # 15 minutes
hours_per_day = 8
working_days = 4.5 * 52 - (10 + 30 + 15)  # contract days less holidays, leave, sickness
available_hours = working_days * hours_per_day
standard_workload = available_hours / hours_per_appointment  # appointments one person can do
staff_for_appointments = appointments / standard_workload
training_share = 10 / working_days  # 10 days' training a year, as a share of working time
caf = 1 / (1 - training_share)  # category allowance factor
required = staff_for_appointments * caf
# [/key]
print(f"BY_HAND_REQUIRED={required:.2f}")

# --- with wfkit ---------------------------------------------------------------
# [key]
result = wfkit.classic_wisn(
    activities=[wfkit.WisnActivity("HIV clinic appointments", appointments, 0.25, unit="hours")],
    awt=wfkit.AvailableWorkingTime.weekly(
        4.5, 52, deductions={"public holidays": 10, "annual leave": 30, "sick leave": 15}
    ),
    category_allowances=[wfkit.CategoryAllowance("training", time_per_year=10, unit="days")],
    actual_staff=10,
    hours_per_day=hours_per_day,
)
# [/key]
print(f"AWT_DAYS={result.awt_days:.0f}")
print(f"AWT_HOURS={result.awt_hours:.0f}")
print(f"STANDARD_WORKLOAD={standard_workload:.0f}")
print(f"STAFF_FOR_ACTIVITIES={result.baseline_required:.2f}")
print(f"CAF={result.caf:.4f}")
print(f"REQUIRED={result.required:.2f}")
print(f"WISN_DIFFERENCE={result.difference:.2f}")
print(f"WISN_RATIO={result.ratio:.2f}")
