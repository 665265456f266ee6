"""Build the bundled example grouping: London's networks in neighbourhoods of about 50,000.

An illustrative grouping made by wfkit, not a published one: no national list of
neighbourhoods exists.  It is made from real lists (the bundled ``areas`` map and
``list_size``, 1 December 2025) by one rule, so anyone can make it again::

    python -m wfkit.data.build_groups            # writes data/neighbourhood/neighbourhoods-london-example.csv

Within each of London's five ICBs the networks (not the practices no network holds) are
taken in order of their code and cut into ``k = max(1, round(patients / 50,000))`` runs of
about equal size: a network joins the run its cumulative list midpoint falls in.  A
neighbourhood is named after its ICB and numbered.  Networks are never split, so a
neighbourhood is one or more whole networks, and a network larger than about 75,000 is a
neighbourhood on its own.  The bundled tables hold no geography finer than the ICB in
London (its sub-ICB locations are the ICBs), so networks are put together in code order,
not by place: an illustration of the file and of a run, not a plan.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from .areas import all_practices
from .groups import EXAMPLE_GROUPS
from .paths import data_dir

__all__ = ["TARGET", "london_neighbourhoods", "main"]

#: the neighbourhood size aimed at (registered patients; the 10 Year Health Plan's
#: neighbourhoods are about 30,000-50,000 people)
TARGET = 50_000


def london_neighbourhoods(target: int = TARGET) -> pd.DataFrame:
    """Group London's networks into neighbourhoods of about ``target`` registered patients.

    Returns
    -------
    pandas.DataFrame
        ``group, group_name, pcn, pcn_name, patients`` (the network's list, 1 December
        2025), one row a network, sorted by group.
    """
    p = all_practices()
    london = p[p.region_name.str.upper().eq("LONDON") & ~p.pcn.str.startswith("U_")]
    # a network with a practice in London, whole (a few hold a practice across the edge);
    # its ICB is its London practices' first
    n = p[p.pcn.isin(set(london.pcn))].groupby(["pcn", "pcn_name"], sort=True).patients.sum()
    icb = london.groupby("pcn", sort=True)[["icb", "icb_name"]].first()
    n = n.reset_index().merge(icb, on="pcn", validate="one_to_one")
    rows = []
    for (icb, icb_name), g in n.groupby(["icb", "icb_name"], sort=True):
        total = float(g.patients.sum())
        k = max(1, int(round(total / target)))
        mid = g.patients.cumsum().to_numpy() - g.patients.to_numpy() / 2
        bins = np.minimum((mid / total * k).astype(int), k - 1)
        # number the runs in order (a run no network fell into is skipped)
        number = {b: i + 1 for i, b in enumerate(sorted(set(bins)))}
        place = str(icb_name).replace("NHS ", "").replace(" ICB", "")
        for (_, r), b in zip(g.iterrows(), bins, strict=True):
            rows.append(
                {
                    "group": f"{icb}-N{number[b]:02d}",
                    "group_name": f"{place} neighbourhood {number[b]}",
                    "pcn": r.pcn,
                    "pcn_name": r.pcn_name,
                    "patients": int(r.patients),
                }
            )
    return pd.DataFrame(rows).sort_values(["group", "pcn"]).reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    """Write the example grouping (``--out FILE``, default the bundled file)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=data_dir() / EXAMPLE_GROUPS)
    args = ap.parse_args(argv)
    df = london_neighbourhoods()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(args.out, index=False, lineterminator="\n")
    print(f"{args.out}: {df.group.nunique()} neighbourhoods from {len(df)} networks")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
