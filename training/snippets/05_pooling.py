# Lesson 05: why notebook 02 shows an uplift near 1 and this lesson 1.40. The same week's
# shape and the same promise (90% seen within 1 hour), for more and more requests a week:
# the bigger the pool of requests and clinicians, the smaller the peak allowance.
import wfkit

for requests in [600, 2_400, 9_600]:
    week = wfkit.weekly_profile(
        requests,
        {"Monday": 0.26, "Tuesday": 0.2, "Wednesday": 0.19, "Thursday": 0.18, "Friday": 0.17},
        {"morning": 0.6, "afternoon": 0.4},
    )
    result = wfkit.peak_vs_average(week, 10, 4, 1, 0.9)
    print(f"UPLIFT_{requests}={result['uplift'].iloc[0]:.2f}")
