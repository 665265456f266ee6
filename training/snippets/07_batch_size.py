# Lesson 07: how many reports a batch for every network in North Southwark's ICB makes, and
# the parameters a report can set (papermill reads the notebook's cell tagged "parameters").
from pathlib import Path

import papermill as pm

import wfkit
import wfkit.data

areas = wfkit.data.load("areas")
icb = areas.loc[areas["pcn"] == "U06180", ["icb", "icb_name"]].iloc[0]
print(f"ICB_CODE={icb['icb']}")
print(f"ICB_NAME={icb['icb_name']}")
print(f"ICB_NETWORKS={areas.loc[areas['icb'] == icb['icb'], 'pcn'].nunique()}")

notebook = Path(wfkit.__file__).parents[1] / "notebooks" / "01-type2-diabetes.ipynb"
params = pm.inspect_notebook(str(notebook))
print(f"PARAMETERS={', '.join(params)}")
print(f"DEFAULT_DRAWS={params['draws']['default']}")
