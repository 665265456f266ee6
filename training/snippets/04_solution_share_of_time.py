# Exercise 04 solution: (a) if a trained person spends only half their time on the new work,
# how many people must be trained? (b) of everyone trained, how much capacity is still in
# post in 2035, after commitment periods end and some leave?
import wfkit
from wfkit import skills
from wfkit.scenario import bundled_scenarios

run = wfkit.run_scenario(bundled_scenarios()["default"], draws=0)
future, today = run.results["future_model"], run.results["baseline"]
tables = skills.load_skills_tables()
rates = skills.role_rates_from_result(future)

full_time = skills.training_plan(
    future.workload_by_activity(), rates, baseline=today.workload_by_activity(), tables=tables
)
half_time = skills.training_plan(
    future.workload_by_activity(),
    rates,
    baseline=today.workload_by_activity(),
    tables=tables,
    share_of_time=0.5,
)
print(f"HEADS_FULL_TIME={full_time['to_train_heads'].sum():.1f}")
print(f"HEADS_HALF_TIME={half_time['to_train_heads'].sum():.1f}")
print(f"DOUBLE_FULL_TIME={2 * full_time['to_train_heads'].sum():.1f}")
# to train = needed - already trained: halving the time doubles "needed", not "already trained"
print(f"NEED_FULL_TIME={full_time.query('year == 2035')['need_heads'].sum():.1f}")
print(f"NEED_HALF_TIME={half_time.query('year == 2035')['need_heads'].sum():.1f}")
print(f"COST_FULL_TIME_GBP={full_time['cost_gbp'].sum():,.0f}")
print(f"COST_HALF_TIME_GBP={half_time['cost_gbp'].sum():,.0f}")

kept = skills.retained_capacity(full_time, tables, heads_col="to_train_heads", horizon=2035)
in_2035 = kept[kept["year"] == 2035]
share = in_2035["retained_heads"].sum() / in_2035["trained_heads"].sum()
print(f"TRAINED_BY_2035={in_2035['trained_heads'].sum():.1f}")
print(f"RETAINED_2035={in_2035['retained_heads'].sum():.1f}")
print(f"RETAINED_SHARE_2035={share:.0%}")
