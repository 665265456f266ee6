# Lesson 08: the business case for community dermatology in Blackheath and Charlton PCN, the
# bundled example of work moved in from hospital (wfkit/scenarios/closer-to-home.yaml).
import wfkit
from wfkit import usecases

# [key]
uc = usecases.build("closer_to_home", {"area": "U00254", "draws": 200, "seed": 42})
run = uc.run()
moved = wfkit.moved_in_results(run)
case = wfkit.business_case(moved, run).set_index("item")
# [/key]

patients = run.results["baseline"].population[0, 0, 0]
print(f"PATIENTS_2025={patients:,.0f}")
print(f"CONTACTS_FULL={case.loc['activity moved in a year', 'value']:,.0f}")
print(f"GP_FTE_FULL={case.loc['staff at full volume: General practitioner', 'value']:.2f}")
print(f"PRACTITIONERS={case.loc['special-interest practitioners at full volume', 'value']:.1f}")
print(f"TO_TRAIN={case.loc['special-interest practitioners to train', 'value']:.2f}")
print(f"TRAINING_COST={case.loc['training cost', 'value']:,.0f}")
print(f"HOSPITAL_AVOIDED={case.loc['hospital cost avoided a year', 'value']:,.0f}")
print(f"STAFF_COST={case.loc['primary-care staff cost a year', 'value']:,.0f}")
print(f"BENEFIT={case.loc['benefit a year', 'value']:,.0f}")
# [key]
net = case.loc["net cost of the move, 2025-2035"]
print(f"NET_COST={net['value']:,.0f}")
print(f"NET_P10={net['p10']:,.0f}")
print(f"NET_P90={net['p90']:,.0f}")
print(f"BREAK_EVEN={case.loc['break-even year', 'value']:.0f}")
# [/key]

# [key]
# The first cohort: who starts the course, and when
first = moved.training.sort_values("year").iloc[0]
print(f"FIRST_COURSE_STARTS={first['course_start_year']}")
# [/key]
print(f"FIRST_COHORT={first['to_train_heads']:.2f}")
