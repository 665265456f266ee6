"""Scenario files: the JSON Schema, bundled scenario names, loading YAML strictly
(duplicate keys, alias bombs and encodings refused by name), variants merged on the baseline."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import fastjsonschema
import yaml

from ..errors import InputError, clip, short
from ..validation import (
    read_text_checked,
)

#: the most nodes a scenario file may expand to through YAML aliases (``*ref``)
MAX_YAML_NODES = 10_000


class _StrictLoader(yaml.SafeLoader):
    """``yaml.safe_load`` semantics, but a key given twice in one mapping is an error (the
    last would win silently) and aliases may not expand the document beyond
    :data:`MAX_YAML_NODES` nodes (a few nested aliases can expand to gigabytes)."""

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        n = _expanded_nodes(node)
        if n > MAX_YAML_NODES:
            raise InputError(
                f"aliases expand the file to {min(n, 10**12):,}{'+' if n > 10**12 else ''} "
                f"values; the limit is {MAX_YAML_NODES:,}"
            )
        return self.construct_document(node)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:
                continue  # an unhashable key: SafeLoader reports it
            line = key_node.start_mark.line + 1
            if first is not None:
                raise InputError(
                    f"duplicate key {short(key)} (first on line {first}); each key may be "
                    "given once",
                    row=line,
                )
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


def _expanded_nodes(root: yaml.Node) -> int:
    """The number of nodes ``root`` stands for once every alias is expanded (each shared
    node counted once per use; memoised, so cheap however large the expansion)."""
    memo: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in memo:
            continue
        if isinstance(node, yaml.ScalarNode):
            memo[id(node)] = 1
            continue
        kids = (
            [c for kv in node.value for c in kv]
            if isinstance(node, yaml.MappingNode)
            else list(node.value)
        )
        if done:
            memo[id(node)] = 1 + sum(memo.get(id(c), 0) for c in kids)
            continue
        stack.append((node, True))
        stack += [(c, False) for c in kids if id(c) not in memo]
    return memo[id(root)]


@lru_cache(maxsize=1)
def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) scenario files are checked against."""
    text = resources.files("wfkit").joinpath("schemas/scenario.schema.json").read_text("utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _compiled_schema() -> Callable[[Any], Any]:
    # fastjsonschema compiles the schema once to Python code: fast to import and to run,
    # which keeps notebooks quick to start (jsonschema's import alone takes seconds here).
    return fastjsonschema.compile(scenario_schema())


def example_scenario_path() -> Path:
    """Path of the bundled example scenario (two illustrative networks, self-contained tables)."""
    return Path(str(resources.files("wfkit").joinpath("scenarios/example.yaml")))


def bundled_scenarios() -> dict[str, Path]:
    """Scenarios shipped with wfkit by short name: ``default`` (a real London network on the
    bundled data) and ``example``."""
    folder = Path(str(resources.files("wfkit").joinpath("scenarios")))
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def scenario_path(name_or_path: str | os.PathLike[str]) -> Path:
    """The file a scenario argument stands for: an existing file as given, else a bundled
    scenario by short name (``default``, ``example``: :func:`bundled_scenarios`), else the
    path as given (which :func:`load_scenario` reports as not found).  The command line and
    :func:`load_scenario` both resolve names here."""
    p = Path(name_or_path)
    if p.exists():
        return p
    return bundled_scenarios().get(str(name_or_path), p)


def _key_path(path: Any) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


def validate_scenario(config: Mapping[str, Any], source: str = "scenario") -> None:
    """Check a scenario mapping against the schema.

    Raises
    ------
    InputError
        Naming the file, the key path and what was expected (the first error found).
    """
    try:
        _compiled_schema()(dict(config))
    except fastjsonschema.JsonSchemaValueException as err:
        path = [int(p) if p.isdigit() else p for p in err.path[1:]]
        last = path[-1] if path else None
        if err.rule == "additionalProperties":
            allowed = sorted((err.definition or {}).get("properties", {}))
            extra = sorted(set(err.value) - set(allowed))
            msg = f"unknown key(s) {short(extra)}; expected one of {short(allowed, 200)}"
        elif err.value == [] and last in ("areas", "activities", "codes", "names"):
            msg = (
                "an empty list selects nothing; use 'all' or a list of area codes"
                if last != "activities"
                else "an empty list selects nothing; leave the key out for every activity"
            )
        elif err.rule == "not" and last == "name" and err.value == "baseline":
            msg = "'baseline' is reserved for the scenario itself; give the variant another name"
        elif err.rule in ("oneOf", "anyOf") and path and path[0] == "inputs":
            msg = f"{short(err.value)} is not valid; expected a CSV path, 'bundled' or {{path, encoding}}"
        elif err.rule in ("oneOf", "anyOf"):
            msg = (
                f"{short(err.value)} is not valid; expected a number, an interval [lo, hi] "
                "or the documented form"
            )
        else:
            msg = f"{short(err.value)} {clip(err.message.split(' ', 1)[1], 160)}"
        if err.rule in ("minimum", "maximum") and path and isinstance(err.value, (int, float)):
            lo = (err.definition or {}).get("minimum")
            hi = (err.definition or {}).get("maximum")
            msg += f" (valid range [{'-inf' if lo is None else lo}, {'inf' if hi is None else hi}])"
        raise InputError(msg, source=source, key=_key_path(path)) from None


@dataclass(slots=True)
class Scenario:
    """A validated scenario file.

    Attributes
    ----------
    config
        The parsed YAML (baseline plus ``variants``).
    path
        The file it came from (``None`` if built in memory); table paths are relative to it.
    """

    config: dict[str, Any]
    path: Path | None = None

    @property
    def name(self) -> str:
        return str(self.config["name"])

    @property
    def source(self) -> str:
        return str(self.path) if self.path else "scenario"

    @property
    def variant_names(self) -> list[str]:
        return ["baseline", *[v["name"] for v in self.config.get("variants", [])]]

    def variant_config(self, name: str) -> dict[str, Any]:
        """The full configuration of one variant: the baseline with the variant's overrides."""
        base = {k: v for k, v in self.config.items() if k != "variants"}
        if name == "baseline":
            return copy.deepcopy(base)
        for v in self.config.get("variants", []):
            if v["name"] == name:
                return _merge(
                    base, {k: x for k, x in v.items() if k not in ("name", "description")}
                )
        raise InputError(
            f"unknown variant {name!r}; expected one of {self.variant_names}", source=self.source
        )


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge ``over`` into a copy of ``base``; ``overrides`` rows and ``shifts`` append."""
    out = copy.deepcopy(base)
    for k, v in over.items():
        if k == "overrides":
            merged = copy.deepcopy(out.get("overrides", {}))
            for table, rows in v.items():
                merged[table] = [*merged.get(table, []), *copy.deepcopy(rows)]
            out["overrides"] = merged
        elif k == "skill_mix":
            sm = copy.deepcopy(out.get("skill_mix", {}))
            for kk, vv in v.items():
                sm[kk] = (
                    [*sm.get(kk, []), *copy.deepcopy(vv)] if kk == "shifts" else copy.deepcopy(vv)
                )
            out["skill_mix"] = sm
        elif isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = _merge(dict(out[k]), v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def load_scenario(path: str | os.PathLike[str] | Mapping[str, Any]) -> Scenario:
    """Read and validate a scenario: a YAML file path, the short name of a bundled scenario
    (``"default"``, ``"example"``; see :func:`scenario_path`) or an in-memory mapping.

    Raises
    ------
    InputError
        If the file is missing, is not YAML, or breaks the schema; variants are checked
        for unique names.
    """
    if isinstance(path, Mapping):
        config, p = copy.deepcopy(dict(path)), None
    else:
        p = scenario_path(path)
        if not p.exists():
            raise InputError(
                "scenario file not found; expected a YAML file or a bundled scenario name "
                f"({', '.join(bundled_scenarios())})",
                source=str(p),
            )
        text = read_text_checked(
            p, "a scenario YAML file", "utf-8", hint="save the scenario file as UTF-8"
        )
        try:
            config = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader
        except InputError as exc:
            raise InputError(exc.detail, source=str(p), row=exc.row) from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            row = mark.line + 1 if mark is not None else None
            raise InputError(
                f"not valid YAML: {clip(str(getattr(exc, 'problem', exc)), 160)}",
                source=str(p),
                row=row,
            ) from None
        except RecursionError:
            raise InputError("not valid YAML: nested too deeply", source=str(p)) from None
        if not isinstance(config, dict):
            raise InputError(
                "expected a mapping of scenario settings at the top level", source=str(p)
            )
    src = str(p) if p else "scenario"
    validate_scenario(config, src)
    names = [v["name"] for v in config.get("variants", [])]
    dups = sorted({n for n in names if names.count(n) > 1})
    if dups:
        raise InputError(
            f"duplicate variant name(s) {dups}; expected unique names",
            source=src,
            key="variants",
        )
    return Scenario(config, p)
