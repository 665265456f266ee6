# Lesson 03: change who does what. The default scenario has three versions side by side:
#   baseline          today's who-does-what, kept as it is
#   future_model      the bundled future who-does-what, reached over five years from 2026
#   future_plus_shift the future model, and 30% of the GPs' remaining same-day minor
#                     illness work moved to pharmacists and paramedics (half each)
import wfkit
from wfkit.scenario import bundled_scenarios

# Today's and the future shares of same-day minor illness, and minutes per contact, by role
shares = wfkit.data.load("skill_mix").set_index(["activity", "role"])
minutes = wfkit.data.load("minutes").set_index(["activity", "role"])
for role in ["gp", "pharmacist", "paramedic"]:
    key = ("same_day_minor_illness", role)
    print(f"{role.upper()}_SHARE_TODAY={shares.loc[key, 'current']:.0%}")
    print(f"{role.upper()}_SHARE_FUTURE={shares.loc[key, 'future']:.0%}")
    print(f"{role.upper()}_MINUTES={minutes.loc[key, 'value']:.0f}")

# [key]
run = wfkit.run_scenario(bundled_scenarios()["default"], draws=0)  # central figures only
results = run.to_frame()
final = results[results["year"] == 2035]
# [/key]


def fte(scenario, role):
    row = final[
        (final["scenario"] == scenario)
        & (final["role"] == role)
        & (final["measure"] == "required_fte")
    ]
    return row["value"].iloc[0]


def cost(scenario):
    row = final[
        (final["scenario"] == scenario)
        & (final["role"] == "all")
        & (final["measure"] == "cost_gbp")
    ]
    return row["value"].iloc[0]


# [key]
for name, label in [
    ("baseline", "BASE"),
    ("future_model", "FUTURE"),
    ("future_plus_shift", "SHIFT"),
]:
    print(f"{label}_GP_FTE={fte(name, 'gp'):.1f}")
    print(f"{label}_PHARMACIST_FTE={fte(name, 'pharmacist'):.1f}")
    print(f"{label}_PARAMEDIC_FTE={fte(name, 'paramedic'):.1f}")
    print(f"{label}_TOTAL_FTE={fte(name, 'all'):.1f}")
    print(f"{label}_COST_GBP_M={cost(name) / 1e6:.2f}")
# [/key]

# What the future model does to GPs against today's; what the extra 30% shift alone does
print(f"FUTURE_GP_CHANGE={fte('future_model', 'gp') - fte('baseline', 'gp'):.1f}")
print(f"SHIFT_GP_CHANGE={fte('future_plus_shift', 'gp') - fte('future_model', 'gp'):.1f}")
print(f"SHIFT_TOTAL_CHANGE={fte('future_plus_shift', 'all') - fte('future_model', 'all'):.1f}")
print(f"SHIFT_COST_CHANGE_GBP={cost('future_plus_shift') - cost('future_model'):,.0f}")
# What the future model does to the total and the cost against today's who-does-what
print(f"FUTURE_TOTAL_CHANGE={fte('future_model', 'all') - fte('baseline', 'all'):.1f}")
print(f"FUTURE_COST_CHANGE_GBP={cost('future_model') - cost('baseline'):,.0f}")
print(f"BASE_COST_PER_FTE_GBP={cost('baseline') / fte('baseline', 'all'):,.0f}")

# Calibration (national, the default) scales each role's minutes by one factor, so that
# England's base-year requirement equals England's staff in post; run.log lists them all
factors = run.calibration().minutes_factor
for role in ["gp", "pharmacist", "paramedic"]:
    print(f"{role.upper()}_MINUTES_FACTOR={factors[role]:.2f}")
# The role the future model adds most FTE to, and its minutes factor
rise = {r: fte("future_model", r) - fte("baseline", r) for r in factors}
top = max(rise, key=rise.get)
print(f"FUTURE_LARGEST_RISE_ROLE={top}")
print(f"FUTURE_LARGEST_RISE_FTE={rise[top]:.1f}")
print(f"FUTURE_LARGEST_RISE_MINUTES_FACTOR={factors[top]:.2f}")

# The side-by-side table wfkit makes for one role: one column per scenario, and differences
print(run.compare("required_fte", role="gp").tail(1).round(1).to_string(index=False))
