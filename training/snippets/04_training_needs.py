# Lesson 04: skills, not only roles. The future model gives pharmacists, paramedics and
# physiotherapists work that needs competencies they may not hold yet. How many people must be
# trained, what does it cost, and how many training places must be commissioned, and when?
import wfkit
from wfkit import skills
from wfkit.scenario import bundled_scenarios

# [key]
run = wfkit.run_scenario(bundled_scenarios()["default"], draws=0)
future, today = run.results["future_model"], run.results["baseline"]

# 1. Training needs: who must learn what, and the time and cost of training them
plan = skills.training_plan(
    future.workload_by_activity(),  # who does what in the future model
    skills.role_rates_from_result(future),  # cost per hour and working time by role
    baseline=today.workload_by_activity(),  # today's who-does-what for the same demand
)
totals = skills.summarise_training(plan)
# [/key]
top = totals.iloc[0]
print(f"HEADS_TO_TRAIN={totals['to_train_heads'].sum():.1f}")
print(f"TRAINING_DAYS={totals['training_days'].sum():.0f}")
print(f"TRAINING_COST_GBP={totals['cost_gbp'].sum():,.0f}")
print(f"BACKFILL_SHARE={totals['backfill_gbp'].sum() / totals['cost_gbp'].sum():.0%}")
print(f"TOP_NEED={top['role']}:{top['competency']}")
print(f"TOP_NEED_HEADS={top['to_train_heads']:.1f}")

# 2. The pipeline of new roles: training places to commission for each role's gap
# [key]
places = skills.pipeline_plan(
    skills.pipeline_inputs(run.to_frame(), scenario="future_model"), skills.load_skills_tables()
)
paramedics = places[places["role"] == "paramedic"].set_index("year")
# [/key]
print(f"PARAMEDIC_GAP_FTE_2035={paramedics.loc[2035, 'shortfall_fte']:.1f}")
print(f"PARAMEDIC_PLACES={paramedics['places'].sum():.1f}")
# Years whose gap comes too soon for anyone starting training now: recruit, or change the plan
too_soon = paramedics[paramedics["cannot_meet"]]
print(f"PARAMEDIC_YEARS_TOO_SOON={len(too_soon)}")
print(
    f"PARAMEDIC_FIRST_YEAR_FILLED_BY_TRAINING={paramedics.index[~paramedics['cannot_meet']].min()}"
)
print(f"ROLES_WITH_GAPS_TOO_SOON_TO_TRAIN={places.loc[places['cannot_meet'], 'role'].nunique()}")
