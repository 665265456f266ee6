"""The bundled default scenario as a plain mapping, for tests that change a few of its keys."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

import wfkit.data as wd

__all__ = ["DEFAULT", "default_scenario"]

#: the bundled default scenario file
DEFAULT = Path(wd.data_dir()).parent / "wfkit" / "scenarios" / "default.yaml"


def default_scenario(*drop: str, **changes: Any) -> dict[str, Any]:
    """Return a fresh copy of default.yaml without its variants and the keys in ``drop``.

    ``changes`` are then set on it (a baseline-only scenario, as the file states it).
    """
    base = yaml.safe_load(DEFAULT.read_text(encoding="utf-8"))
    for key in ("variants", *drop):
        base.pop(key)
    base.update(changes)
    return copy.deepcopy(base)
