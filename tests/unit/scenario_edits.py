"""Edit a writable copy of the example scenario in place (the ``example_copy`` fixture):
one table's CSV, or the YAML file.  Shared by the bad-input tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml


def edit_csv(scenario: Path, table: str, fn) -> Path:
    path = scenario.parent / "example" / f"{table}.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    fn(df).to_csv(path, index=False)
    return path


def edit_yaml(scenario: Path, fn) -> None:
    cfg = yaml.safe_load(scenario.read_text())
    fn(cfg)
    scenario.write_text(yaml.safe_dump(cfg, sort_keys=False))
