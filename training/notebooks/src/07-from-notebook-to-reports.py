# %% [markdown]
# # Lesson 07: from notebook to reports
#
# Before making reports for many areas: what a report can be given, and how many a batch
# makes. Type each answer where a cell says `answer = ...`; the folded cell after it checks it.

# %%
from pathlib import Path

import papermill as pm

import wfkit
import wfkit.data
from wfkit.exercises import check

areas = wfkit.data.load("areas")
notebooks = Path(wfkit.__file__).parents[1] / "notebooks"
areas.head()

# %% [markdown]
# ## 1. Networks in North Southwark's ICB
#
# North Southwark PCN's code is U06180. How many networks (`pcn`) share its ICB (`icb`)? That
# is how many reports `wfkit batch ... --areas icb:CODE` makes.

# %% [answer]
# solution
code = areas.loc[areas["pcn"] == "U06180", "icb"].iloc[0]
answer = areas.loc[areas["icb"] == code, "pcn"].nunique()

# %% [check]
_icb = areas[areas.pcn == "U06180"].icb.iloc[0]
check(
    answer,
    len(set(areas[areas.icb == _icb].pcn)),
    hint="find the icb of pcn U06180, then count the distinct pcn codes with that icb",
)

# %% [markdown]
# ## 2. The parameter that picks the area
#
# `pm.inspect_notebook(notebooks / "02-same-day-access.ipynb")` lists a notebook's parameters.
# Which one do `wfkit report --area` and papermill's `-p` set to choose the area?

# %% [answer]
params = pm.inspect_notebook(str(notebooks / "02-same-day-access.ipynb"))
list(params)
# solution
answer = "area"

# %% [check]
check(answer, "area", hint="the first parameter in the list; --area sets it")

# %% [markdown]
# ## 3. Its default number of draws
#
# How many draws does the same-day notebook run unless told otherwise?

# %% [answer]
# solution
answer = int(params["draws"]["default"])

# %% [check]
_p = pm.inspect_notebook(str(notebooks / "02-same-day-access.ipynb"))
check(answer, int(_p["draws"]["default"]), hint="params['draws']['default']")
