"""What the back-test tests share: a page's marked tables, read back as strings."""

from __future__ import annotations

import re

import pandas as pd


def page_tables(text: str) -> dict[str, pd.DataFrame]:
    """Every ``<!-- table: name -->`` markdown table of a page, as strings."""
    out = {}
    for m in re.finditer(r"<!-- table: (\w+) -->\n((?:\|.*\|\n)+)", text):
        lines = [ln.strip().strip("|").split(" | ") for ln in m[2].strip().splitlines()]
        head, body = [c.strip() for c in lines[0]], lines[2:]
        out[m[1]] = pd.DataFrame([[c.strip() for c in r] for r in body], columns=head)
    return out
