# Lesson 05 extension: the front door. North Southwark PCN's calls and online requests hour
# by hour (November 2025), call handlers sized to answer 80% of callers within 2 minutes
# with under 5% hanging up, and what a staggered 8 am release and the 2026/27 standard change.
import wfkit

plans = wfkit.front_door_scenarios("U06180", stagger=0.3)
costs = plans.costs.set_index("scenario")
shown = ["calls_per_week", "peak_handlers_8_10", "handler_fte", "clinician_fte"]
print(costs[[*shown, "cost_change_per_year"]].round(1).to_string())

base, stagger, standard = (costs.loc[s] for s in ["baseline", "stagger", "standard_2026_27"])
print(f"CALLS_A_WEEK={base['calls_per_week']:,.0f}")
print(f"PEAK_HANDLERS={base['peak_handlers_8_10']:.0f}")
print(f"PEAK_HANDLERS_STAGGER={stagger['peak_handlers_8_10']:.0f}")
print(f"HANDLER_FTE={base['handler_fte']:.1f}")
print(f"HANDLER_FTE_STAGGER={stagger['handler_fte']:.1f}")
print(f"EXTRA_CLINICIAN_FTE_2026={standard['clinician_fte'] - base['clinician_fte']:.1f}")
print(f"EXTRA_COST_2026={standard['cost_change_per_year']:,.0f}")
