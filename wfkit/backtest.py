"""Back-test the bundled assumptions against reality: required GP FTE for England beside GPs in post.

See ``docs/backtest-england.md`` for the figures and what explains the difference.
"""

from __future__ import annotations

import pandas as pd

from .scenario import REQUIRED_TABLES, run_scenario

__all__ = ["england_gp_backtest"]

#: every input table, bundled
_TABLES = ("growth", *REQUIRED_TABLES)


def england_gp_backtest(base_year: int = 2025, workforce_year: str = "2024/25") -> pd.DataFrame:
    """Required GP FTE for every region of England (bundled data, today's who-does-what) beside
    GP FTE in post.

    Returns
    -------
    pandas.DataFrame
        ``item``, ``value`` and ``note``: registered patients, required GP FTE, GP FTE in post
        (excluding locums and trainees), locum and trainee FTE, and the ratios.
    """
    from . import data  # noqa: PLC0415

    regions = list(data.select_areas(level="region")["area"])
    cfg = {
        "name": "England GP back-test",
        "base_year": base_year,
        "horizon": 1,
        "draws": 0,
        "level": "region",
        "areas": {"codes": regions},
        "inputs": {t: "bundled" for t in _TABLES},
    }
    run = run_scenario(cfg)
    r = run.results["baseline"]
    gp = r.roles.index("gp")
    required = float(r.required_fte[0, :, 0, gp].sum())
    patients = float(r.population[0, :, 0].sum())
    wf = data.load("workforce")
    wf = wf[wf["year"] == workforce_year]
    in_post = float(wf["gp_fte"].sum())
    locum = float(wf["gp_locum_trainee_fte"].sum())
    rows = [
        ("registered patients", patients, "May 2025 list sizes, all practices in a region"),
        (
            "required GP FTE (model)",
            required,
            f"{base_year}, bundled assumptions, current who-does-what",
        ),
        (
            "GP FTE in post, excluding locums and trainees",
            in_post,
            f"{workforce_year} mean, all practices",
        ),
        ("GP locum and trainee FTE", locum, f"{workforce_year} mean, all practices"),
        ("GP FTE in post, including locums and trainees", in_post + locum, "sum of the two"),
        ("required / in post excluding locums and trainees", required / in_post, "ratio"),
        ("required / in post including locums and trainees", required / (in_post + locum), "ratio"),
    ]
    return pd.DataFrame(rows, columns=["item", "value", "note"])


if __name__ == "__main__":  # pragma: no cover
    print(england_gp_backtest().to_string(index=False))
