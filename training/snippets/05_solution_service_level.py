# Exercise 05 solution: how do the clinician hours a week change with the promise made to
# patients? The same week as the lesson, with three targets.
import wfkit

week = wfkit.weekly_profile(
    600,
    {"Monday": 0.26, "Tuesday": 0.2, "Wednesday": 0.19, "Thursday": 0.18, "Friday": 0.17},
    {"morning": 0.6, "afternoon": 0.4},
)
hours = []
for label, wait_hours, level in [
    ("80_WITHIN_1H", 1, 0.8),
    ("90_WITHIN_1H", 1, 0.9),
    ("90_WITHIN_30MIN", 0.5, 0.9),
]:
    result = wfkit.peak_vs_average(week, 10, 4, wait_hours, level)
    hours.append(result["queueing_hours"].iloc[0])
    print(f"HOURS_{label}={hours[-1]:.0f}")
    print(f"UPLIFT_{label}={result['uplift'].iloc[0]:.2f}")
# what each tightening adds, in clinician hours a week
print(f"STEP_1_HOURS={hours[1] - hours[0]:+.0f}")
print(f"STEP_2_HOURS={hours[2] - hours[1]:+.0f}")
