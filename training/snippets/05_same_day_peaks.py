# Lesson 05: same-day access peaks. 600 same-day requests a week, more on Mondays and in
# mornings; 10 minutes each; 4-hour sessions; 90% of requests seen within 1 hour.
import wfkit

# [key]
week = wfkit.weekly_profile(
    600,
    {"Monday": 0.26, "Tuesday": 0.2, "Wednesday": 0.19, "Thursday": 0.18, "Friday": 0.17},
    {"morning": 0.6, "afternoon": 0.4},
)
sessions = wfkit.session_staffing(
    week, minutes_per_contact=10, session_hours=4, target_wait_hours=1, target_level=0.9
)
print(
    sessions[["weekday", "session", "requests", "servers", "occupancy", "service_level"]].round(2)
)
# [/key]

monday_am = sessions[(sessions["weekday"] == "Monday") & (sessions["session"] == "morning")]
friday_pm = sessions[(sessions["weekday"] == "Friday") & (sessions["session"] == "afternoon")]
print(f"MONDAY_AM_REQUESTS={monday_am['requests'].iloc[0]:.1f}")
# On average: 93.6 requests x 10 minutes / 60 = 15.6 hours of work in a 4-hour session
print(f"MONDAY_AM_AVERAGE_CLINICIANS={monday_am['offered_load'].iloc[0]:.1f}")
print(f"MONDAY_AM_CLINICIANS={monday_am['servers'].iloc[0]}")
print(f"FRIDAY_PM_CLINICIANS={friday_pm['servers'].iloc[0]}")

whole_week = wfkit.peak_vs_average(week, 10, 4, 1, 0.9)
print(f"AVERAGE_HOURS={whole_week['average_hours'].iloc[0]:.0f}")
print(f"QUEUEING_HOURS={whole_week['queueing_hours'].iloc[0]:.0f}")
print(f"UPLIFT={whole_week['uplift'].iloc[0]:.2f}")
