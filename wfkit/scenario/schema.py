"""The scenario JSON Schema, made from the one declaration of each setting.

:func:`build_schema` assembles the schema (draft-07) from :mod:`wfkit.settings` (each
setting's type, choices, range and description) and :mod:`wfkit.tables` (the table names),
so nothing about a setting is written here.  ``make regen-schema`` writes it to
``wfkit/schemas/scenario.schema.json`` (published for editors and other tools) and compiles
it to ``_scenario_validator.py``; ``tests/unit/test_compiled_schema.py`` checks both are
fresh.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import settings as S
from ..tables import INPUT_TABLES, OVERRIDE_TABLES
from .moved_in import moved_in_schema

__all__ = ["build_schema", "schema_text", "SCHEMA_FILE", "VARIANT_KEYS"]

#: where the generated schema is committed
SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schemas" / "scenario.schema.json"

#: the settings a variant may change (the others hold for the whole scenario)
VARIANT_KEYS: tuple[str, ...] = (
    "inputs",
    "growth_rate",
    "skill_mix",
    "overrides",
    "activities",
    "calibration",
    "unmet_demand",
    "community_roles",
    "placements",
    "moved_in",
    *(s.name for s in S.SUPPLY_POLICY),
)

_INTERVAL = {
    "oneOf": [
        {"type": "number"},
        {
            "type": "array",
            "items": {"type": "number"},
            "minItems": 2,
            "maxItems": 3,
            "description": "80% interval [lo, hi] (the value is its midpoint), or [lo, value, "
            "hi]: the value is the median, lo and hi the 10th and 90th percentiles (lo <= "
            "value <= hi)",
        },
    ]
}


def _setting(s: S.Setting) -> dict[str, Any]:
    """Return a setting's schema.

    A number or interval (its range checked on load, with a hint for a percentage written
    as a number), or its type with choices and range.
    """
    if s.interval:
        return {
            "$ref": "#/definitions/number_or_interval",
            "description": f"{s.help} Valid range {s.range_text()}.",
        }
    return s.json_schema()


def _per_role(s: S.Setting) -> dict[str, Any]:
    frag = s.json_schema()
    return {
        "type": "object",
        "description": frag.pop("description"),
        "additionalProperties": frag,
    }


def _level() -> dict[str, Any]:
    """``level``: a published level, or a grouping file (or a grouping already read)."""
    return {
        "anyOf": [
            {"enum": list(S.LEVELS)},
            {"type": "string", "pattern": "\\.[cC][sS][vV]$"},
            {"type": "string", "pattern": "^" + S.GROUP_PREFIX + "[0-9a-f]+$"},
        ],
        "description": S.LEVEL.help,
    }


def _activities() -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "minItems": 1,
        "description": "Model only these activities (ids of the activities table); the "
        "others are left out and the run log says so.",
    }


def _areas() -> dict[str, Any]:
    strings = {"type": "array", "items": {"type": "string"}, "minItems": 1}
    return {
        "description": "Which areas to model: a list of area codes, 'all' (every area at the "
        "level, or every area of the population table), or a selection from the bundled data.",
        "oneOf": [
            {
                "const": "all",
                "description": "Every area at 'level' in the bundled data, or every area of a "
                "population table of your own.",
            },
            {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
            {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "groups": {
                        "type": "string",
                        "minLength": 1,
                        "description": "A CSV file (relative to the scenario file) mapping "
                        "practices or networks to groups the user draws, e.g. "
                        "neighbourhoods: columns group, group_name, and pcn or practice "
                        "(one member a row; docs/neighbourhoods.md). Each area is a group; "
                        "'codes' or 'names' pick some of them. Sets the level (give no "
                        "'level').",
                    },
                    "codes": strings,
                    "names": strings,
                    "within": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["level"],
                        "properties": {
                            "level": {"enum": list(S.LEVELS)},
                            "code": {"type": "string"},
                            "name": {"type": "string"},
                        },
                    },
                },
            },
        ],
    }


def _table_ref() -> dict[str, Any]:
    return {
        "description": "A CSV path relative to the scenario file, 'bundled' for wfkit's "
        "bundled table, or {path, encoding} for a CSV file in another encoding than UTF-8.",
        "oneOf": [
            {"type": "string", "minLength": 1},
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["path"],
                "properties": {
                    "path": {
                        "type": "string",
                        "minLength": 1,
                        "description": "A CSV path relative to the scenario file.",
                    },
                    "encoding": {
                        "type": "string",
                        "minLength": 1,
                        "description": "The file's text encoding, e.g. cp1252 or latin-1 "
                        "(default utf-8).",
                    },
                },
            },
        ],
    }


def _skill_mix() -> dict[str, Any]:
    shift = {
        "type": "object",
        "additionalProperties": False,
        "required": ["activity", "from", "to", "fraction"],
        "description": "Move a fraction of an activity's future-model share from one role to "
        "others.",
        "properties": {
            "activity": {"type": "string"},
            "from": {"type": "string"},
            "to": {
                "type": "object",
                "minProperties": 1,
                "additionalProperties": {
                    k: v for k, v in S.SHIFT_PART.json_schema().items() if k != "description"
                },
                "description": "Receiving roles and the part of the moved work each takes "
                "(sums to 1).",
            },
            "fraction": S.SHIFT_FRACTION.json_schema(),
        },
    }
    return {
        "shift": shift,
        "skill_mix": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "model": S.SKILL_MIX_MODEL.json_schema(),
                "transition_start": S.TRANSITION_START.json_schema(),
                "transition_years": S.TRANSITION_YEARS.json_schema(),
                "shifts": {"type": "array", "items": {"$ref": "#/definitions/shift"}},
            },
        },
    }


def _overrides() -> dict[str, Any]:
    rows = {"type": "array", "items": {"$ref": "#/definitions/override_row"}}
    return {
        "override_row": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {
                "oneOf": [{"type": "string"}, {"$ref": "#/definitions/number_or_interval"}]
            },
        },
        "overrides": {
            "type": "object",
            "additionalProperties": False,
            "description": "Row-level changes to input tables: each row names the table's key "
            "columns and the new value (a number or [lo, hi]).",
            "properties": {t: rows for t in OVERRIDE_TABLES},
        },
    }


def _shared() -> dict[str, Any]:
    """Return the properties a scenario and its variants both have (one dict for both)."""
    return {
        "inputs": {"$ref": "#/definitions/inputs"},
        "growth_rate": _setting(S.GROWTH_RATE),
        "skill_mix": {"$ref": "#/definitions/skill_mix"},
        "overrides": {"$ref": "#/definitions/overrides"},
        "activities": _activities(),
        "calibration": _setting(S.CALIBRATION),
        "unmet_demand": _per_role(S.UNMET_DEMAND),
        "community_roles": _community_roles(),
        "placements": _placements(),
        "moved_in": {"$ref": "#/definitions/moved_in"},
        **{s.name: _setting(s) for s in S.SUPPLY_POLICY},
    }


def _by_area(s: S.Setting) -> dict[str, Any]:
    """Return a number (one area modelled), or a number for each area by code.

    The range is checked on load (:func:`wfkit.scenario.spec.by_area`), so the error says
    it in words.
    """
    number = {"type": "number", "description": f"{s.help} Valid range {s.range_text()}."}
    return {
        "oneOf": [number, {"type": "object", "minProperties": 1, "additionalProperties": number}]
    }


def _community_roles() -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "minProperties": 1,
        "description": "Add the neighbourhood team's community roles (district and community "
        "nurses, community matrons, community healthcare assistants) with their own working "
        "time, pay and activities (housebound reviews, frailty case management, wound care "
        "at home; data/neighbourhood/), and give each role's FTE in post: a number (one area "
        "modelled) or {area: fte}. A role not named has none in post. "
        + S.COMMUNITY_FTE.help
        + " docs/neighbourhoods.md.",
        "properties": {r: _by_area(S.COMMUNITY_FTE) for r in S.COMMUNITY_ROLES},
    }


def _placements() -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "minProperties": 1,
        "description": "Learners the area hosts, by kind: a number (one area modelled) or "
        "{area: learners}. Each takes supervision hours from named roles (data/neighbourhood/"
        "placements.csv), counted against their available capacity in results_placements. "
        + S.PLACEMENT_LEARNERS.help
        + " docs/neighbourhoods.md.",
        "properties": {r: _by_area(S.PLACEMENT_LEARNERS) for r in S.LEARNERS},
    }


def build_schema() -> dict[str, Any]:
    """Build the scenario JSON Schema (draft-07) from the declarations of every setting."""
    shared = _shared()
    assert set(shared) == set(VARIANT_KEYS)  # the two lists are one
    props: dict[str, Any] = {
        "name": {"type": "string", "minLength": 1, "description": "Name of the baseline scenario."},
        "description": {"type": "string"},
        **{s.name: _setting(s) for s in (S.BASE_YEAR, S.HORIZON, S.DRAWS, S.SEED)},
        "areas": {"$ref": "#/definitions/areas"},
        "level": _level(),
        **shared,
        "variants": {
            "type": "array",
            "description": "Named variants of the baseline; each overrides some of its settings.",
            "items": {"$ref": "#/definitions/variant"},
        },
    }
    variant = {
        "type": "object",
        "additionalProperties": False,
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "minLength": 1, "not": {"const": "baseline"}},
            "description": {"type": "string"},
            **shared,
        },
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://github.com/wfkit/wfkit/schemas/scenario.schema.json",
        "title": "wfkit scenario",
        "description": "A workforce model scenario: where the input tables are, which areas "
        "and years to model, the skill-mix model, row-level overrides and named variants. See "
        "docs/scenarios.md.",
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "base_year", "horizon", "inputs"],
        "properties": props,
        "definitions": {
            "number_or_interval": _INTERVAL,
            "areas": _areas(),
            "table_ref": _table_ref(),
            "inputs": {
                "type": "object",
                "additionalProperties": False,
                "description": "Where each input table comes from.",
                "properties": {t: {"$ref": "#/definitions/table_ref"} for t in _INPUTS_ORDER},
            },
            **_skill_mix(),
            **_overrides(),
            **moved_in_schema(),
            "variant": variant,
        },
    }


#: the input tables in the order the schema lists them
_INPUTS_ORDER = (
    "population",
    "growth",
    *[t for t in INPUT_TABLES if t not in ("population", "growth")],
)


def schema_text() -> str:
    """Return the schema as the committed file holds it (2-space JSON, a final newline)."""
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema() -> list[Path]:
    """Write the schema file and its compiled module (``make regen-schema``)."""
    from .config import write_compiled_schema  # lazy: config reads the file written here

    SCHEMA_FILE.write_text(schema_text(), "utf-8")
    return [SCHEMA_FILE, write_compiled_schema()]


if __name__ == "__main__":  # pragma: no cover - make regen-schema
    for p in write_schema():
        print(p)
