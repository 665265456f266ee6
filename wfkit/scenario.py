"""Scenario files: load, validate against the JSON Schema, build engine inputs, run, write.

A scenario is a YAML file naming its input tables, the areas and years, the skill-mix
model, row-level overrides and named *variants* (overrides of the baseline).  See
``docs/scenarios.md`` for the format and a complete commented example.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import fastjsonschema
import numpy as np
import pandas as pd
import yaml

from . import tables as T
from .errors import InputError, clip, short
from .model.engine import ModelInputs, ModelResult, run_model
from .model.uncertainty import Param, check_interval, summarise_draws
from .validation import (
    check_finite_results,
    check_run_memory,
    check_shares_sum,
    check_working_year,
    range_error,
    read_csv_checked,
    read_text_checked,
    validate_table,
)

__all__ = [
    "Scenario",
    "ScenarioRun",
    "load_scenario",
    "validate_scenario",
    "build_inputs",
    "run_scenario",
    "write_outputs",
    "write_run_files",
    "example_scenario_path",
    "bundled_scenarios",
    "scenario_path",
    "resolve_areas",
    "scenario_schema",
]

log = logging.getLogger("wfkit")

#: tables every scenario needs (``growth`` is optional)
REQUIRED_TABLES = (
    "population",
    "activities",
    "prevalence",
    "contacts",
    "skill_mix",
    "minutes",
    "capacity",
    "costs",
    "supply",
    "flows",
)
_REQUIRED_CAPACITY = tuple(T.CAPACITY_PARAMETERS)
#: draws of a parameter are clipped to its valid range (wfkit.tables.PARAMETER_RANGES)
_UPPER = {k: r.hi for k, r in T.PARAMETER_RANGES.items() if r.hi is not None}
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


@dataclass
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


# ----------------------------------------------------------------------------------------
# tables
# ----------------------------------------------------------------------------------------
TableLoader = Callable[[str, dict[str, Any]], pd.DataFrame]
"""A loader for ``bundled`` tables: ``(table name, {areas, level, base_year, years}) -> DataFrame``."""

#: ``DataFrame.attrs`` key by which a loader says a table was already checked against the
#: engine spec of that name (``df.attrs[VALIDATED] = "supply"``), so it is not checked again
VALIDATED = "wfkit_validated_as"


def _default_bundled(name: str, context: dict[str, Any]) -> pd.DataFrame:
    """Load a bundled table through :mod:`wfkit.data` (imported lazily) for the selected areas."""
    from . import data  # noqa: PLC0415 - only scenarios that use bundled data pay for it

    areas, level = context["areas"], context["level"]
    if name == "population":
        return data.population(areas, level)
    if name == "growth":
        return data.growth(areas, level, context["base_year"], context["years"])
    if name == "supply":
        return data.supply(areas, level)
    if name == "prevalence":
        national = data.load("prevalence")
        local = data.prevalence(areas, level)
        return pd.concat([national, local], ignore_index=True)
    return data.load(name)


def resolve_areas(config: Mapping[str, Any], source: str = "scenario") -> list[str] | None:
    """Area codes a scenario selects: a list as given, ``all`` (every bundled area at the
    scenario's ``level``) or an ``{codes|names|within}`` selection resolved against the
    bundled areas (``None`` when the scenario names no areas)."""
    sel = config.get("areas")
    if sel is None or isinstance(sel, list):
        return None if sel is None else list(sel)
    from . import data  # noqa: PLC0415

    level = config.get("level", "pcn")
    if sel == "all":
        return sorted(set(data.select_areas(level=level)["area"]))
    within = sel.get("within")
    within_t = None
    if within is not None:
        ref = within.get("code") or within.get("name")
        if not ref:
            raise InputError("'within' needs a code or a name", source=source, key="areas.within")
        within_t = (within["level"], ref)
    codes: list[str] = []
    if "codes" in sel:
        codes += list(data.select_areas(code=sel["codes"], level=level, within=within_t)["area"])
    for name in sel.get("names", []):
        codes += list(data.select_areas(name=name, level=level, within=within_t)["area"])
    if "codes" not in sel and "names" not in sel:
        codes = list(data.select_areas(level=level, within=within_t)["area"])
    return sorted(set(codes))


def _read_tables(
    scenario: Scenario, config: dict[str, Any], bundled: TableLoader | None
) -> dict[str, tuple[pd.DataFrame, str]]:
    inputs = config["inputs"]
    missing = [t for t in REQUIRED_TABLES if t not in inputs]
    if missing:
        raise InputError(
            f"no input given for table(s) {missing}", source=scenario.source, key="inputs"
        )
    out: dict[str, tuple[pd.DataFrame, str]] = {}
    base = scenario.path.parent if scenario.path else Path.cwd()
    context: dict[str, Any] | None = None
    for name, ref in inputs.items():
        spec = T.SPECS[name]
        if ref == "bundled":
            if context is None:
                codes = resolve_areas(config, scenario.source)
                if codes is None:
                    from .data import DEFAULT_AREA  # noqa: PLC0415

                    codes = [DEFAULT_AREA]
                    config["areas"] = codes
                else:
                    config["areas"] = codes
                y0 = int(config["base_year"])
                context = {
                    "areas": codes,
                    "level": config.get("level", "pcn"),
                    "base_year": y0,
                    "years": list(range(y0, y0 + int(config["horizon"]) + 1)),
                }
            df = (bundled or _default_bundled)(name, context)
            if df.attrs.get(VALIDATED) != name:
                df = validate_table(df, spec, source=f"bundled:{name}")
            out[name] = (df, f"bundled:{name}")
        else:
            rel, encoding = (
                (ref["path"], ref.get("encoding", "utf-8"))
                if isinstance(ref, Mapping)
                else (ref, "utf-8")
            )
            path = (base / rel).resolve()
            hint = (
                f"set inputs.{name}.encoding in the scenario (e.g. {{path: ..., encoding: cp1252}})"
            )
            out[name] = (read_csv_checked(path, spec, encoding=encoding, hint=hint), str(path))
            if encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
                log.info("table %s read from %s as %s", name, path, encoding)
    if context is None and isinstance(config.get("areas"), dict):
        config["areas"] = resolve_areas(config, scenario.source)
    # with tables of its own, ``areas: all`` stays: every area of the population table
    return out


def _parse_number(v: Any, where: str, column: str, row: int) -> tuple[float, float, float]:
    """``(value, lo, hi)`` of a number, an 80% interval ``[lo, hi]`` (value its midpoint)
    or ``[lo, value, hi]``; refuses an interval that does not hold its value."""
    if isinstance(v, list):
        lo, hi = float(v[0]), float(v[-1])
        value = float(v[1]) if len(v) == 3 else (lo + hi) / 2.0
        if not np.isfinite([lo, value, hi]).all():
            raise InputError(
                f"interval {short(v)} is not finite; expected numbers",
                source=where,
                row=row,
                column=column,
            )
        if lo > hi:
            raise InputError(
                f"interval lo={lo:g} > hi={hi:g}; expected lo <= hi",
                source=where,
                row=row,
                column=column,
            )
        if not lo <= value <= hi:
            raise InputError(
                f"value {value:g} lies outside its interval [{lo:g}, {hi:g}]; "
                "expected [lo, value, hi] with lo <= value <= hi",
                source=where,
                row=row,
                column=column,
            )
        return value, lo, hi
    if isinstance(v, str):
        raise InputError(
            f"value {short(v)} is not a number; expected a number or [lo, hi]",
            source=where,
            row=row,
            column=column,
        )
    if not np.isfinite(float(v)):
        raise InputError(
            f"value {float(v):g} is not finite; expected a number",
            source=where,
            row=row,
            column=column,
        )
    return float(v), np.nan, np.nan


def _apply_overrides(
    tables: dict[str, tuple[pd.DataFrame, str]], overrides: Mapping[str, list], src: str
) -> None:
    """Upsert override rows into the tables (in place), checking keys and values."""
    value_col = {"population": "population", "supply": "fte"}
    for name, rows in overrides.items():
        df, origin = tables[name]
        spec = T.SPECS[name]
        keys = list(spec.key)
        where = f"{src}: overrides.{name}"
        numeric = ["current", "future"] if name == "skill_mix" else [value_col.get(name, "value")]
        df = df.copy()
        for i, row in enumerate(rows):
            bad = sorted(set(row) - set(keys) - set(numeric))
            if bad:
                raise InputError(
                    f"unknown key(s) {bad}; expected {keys + numeric}", source=where, row=i + 1
                )
            lacking = [k for k in keys if k not in row]
            if lacking:
                raise InputError(
                    f"missing key(s) {lacking}; expected {keys}", source=where, row=i + 1
                )
            mask = np.ones(len(df), dtype=bool)
            for k in keys:
                mask &= (df[k].astype(str) == str(row[k])).to_numpy()
            if not mask.any():
                new = {k: str(row[k]) for k in keys}
                df = pd.concat([df, pd.DataFrame([new])], ignore_index=True)
                mask = np.zeros(len(df), dtype=bool)
                mask[-1] = True
            for col in numeric:
                if col not in row:
                    continue
                val, lo, hi = _parse_number(row[col], where, col, i + 1)
                param = str(row["parameter"]) if "parameter" in row else None
                for x in (val, lo, hi):
                    msg = None if np.isnan(x) else range_error(spec, col, x, param)
                    if msg is not None:
                        raise InputError(msg, source=src, key=f"overrides.{name}[{i}].{col}")
                df.loc[mask, col] = val
                if col == "value":
                    df.loc[mask, "lo"] = lo
                    df.loc[mask, "hi"] = hi
                    df.loc[mask, "source"] = f"scenario override ({src})"
        tables[name] = (validate_table(df, spec, source=f"{origin} + overrides"), origin)


def _expand_bands(df: pd.DataFrame, origin: str, extra_keys: tuple[str, ...] = ()) -> pd.DataFrame:
    """Replace age band ``all`` by one row per band; refuse a table with both for one key."""
    keys = ["activity", *extra_keys]
    is_all = (df["age_band"] == "all").to_numpy()
    if is_all.any() and (~is_all).any():
        both = set(map(tuple, df.loc[is_all, keys].to_numpy())) & set(
            map(tuple, df.loc[~is_all, keys].to_numpy())
        )
        if both:
            k = sorted(both)[0]
            i = int(np.flatnonzero(is_all & (df[keys].apply(tuple, axis=1) == k).to_numpy())[0])
            raise InputError(
                f"{dict(zip(keys, k, strict=True))} has rows for both 'all' and single age bands; expected one or the other",
                source=origin,
                row=i + 2,
                column="age_band",
            )
    bands = pd.DataFrame({"age_band": list(T.AGE_BANDS)})
    expanded = df.loc[is_all].drop(columns="age_band").merge(bands, how="cross")
    return pd.concat([df.loc[~is_all], expanded], ignore_index=True)


def _check_known(df: pd.DataFrame, col: str, known: list[str], origin: str, what: str) -> None:
    bad = ~df[col].isin(known).to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        shown = known if len(known) <= 20 else [*known[:20], "..."]
        raise InputError(
            f"unknown {what} {df[col].iloc[i]!r}; expected one of {shown}",
            source=origin,
            row=i + 2,
            column=col,
        )


def _grids(
    df: pd.DataFrame, dims: list[tuple[str, list[str]]], cols: list[str]
) -> list[np.ndarray]:
    """Scatter each of ``cols`` into an array indexed by the given (column, labels) dims
    (NaN where absent).  Every label must be known: callers check with :func:`_check_known`
    or filter first."""
    shape = tuple(len(lab) for _, lab in dims)
    idx = tuple(pd.Index(lab).get_indexer(df[c]) for c, lab in dims)
    if any((i < 0).any() for i in idx):
        raise ValueError("_grids: a label outside the dims (a caller skipped its check)")
    out = []
    for col in cols:
        arr = np.full(shape, np.nan)
        arr[idx] = df[col].to_numpy(dtype=float)
        out.append(arr)
    return out


def _grid(df: pd.DataFrame, dims: list[tuple[str, list[str]]], col: str) -> np.ndarray:
    """Scatter ``df[col]`` into an array indexed by the given (column, labels) dims (NaN where absent)."""
    return _grids(df, dims, [col])[0]


def _param(
    df: pd.DataFrame,
    dims: list[tuple[str, list[str]]],
    lower: float = 0.0,
    upper: float = np.inf,
    origin: str = "input table",
) -> Param:
    cols = ["value", *(c for c in ("lo", "hi") if c in df.columns)]
    arrs = dict(zip(cols, _grids(df, dims, cols), strict=True))
    p = Param(arrs["value"], arrs.get("lo"), arrs.get("hi"), lower, upper)
    at = check_interval(p.value, p.lo, p.hi, origin)
    if at is not None:  # tables are checked row by row on reading; this guards the rest
        # (the row is named by its keys: rows here may be expanded or filtered)
        labels = {d: lab[j] for (d, lab), j in zip(dims, at, strict=True)}
        lo, hi, v = (float(a[at]) for a in (p.lo, p.hi, p.value))
        raise InputError(
            f"row {labels}: interval [{lo:g}, {hi:g}] does not contain the value {v:g}; "
            "expected lo <= value <= hi",
            source=origin,
            column="value",
        )
    return p


def _require_complete(
    arr: np.ndarray, dims: list[tuple[str, list[str]]], origin: str, what: str
) -> None:
    missing = np.argwhere(np.isnan(arr))
    if len(missing):
        first = {d[0]: d[1][j] for d, j in zip(dims, missing[0], strict=True)}
        raise InputError(
            f"no row for {first} ({len(missing)} missing in all); expected {what}", source=origin
        )


def _by_parameter(
    df: pd.DataFrame, roles: list[str], params: list[str], origin: str, upper: Mapping[str, float]
) -> dict[str, Param]:
    dims = [("role", roles), ("parameter", params)]
    _check_known(df, "role", roles, origin, "role")
    p = _param(df, dims, origin=origin)
    _require_complete(p.value, dims, origin, f"every role to have {params}")
    out = {}
    for j, name in enumerate(params):
        lo = p.lo[:, j] if p.lo is not None else None
        hi = p.hi[:, j] if p.hi is not None else None
        out[name] = Param(p.value[:, j], lo, hi, 0.0, upper.get(name, np.inf))
    return out


def _check_growth_rate(scenario: Scenario, variant: str, vals: tuple[float, ...]) -> None:
    """``growth_rate`` (value, lo, hi) within :data:`wfkit.tables.GROWTH_RATE_RANGE`; a
    percentage written as a number (2 for 2%) is refused with the fraction it meant."""
    rng = T.GROWTH_RATE_RANGE
    key = "growth_rate"
    for j, v in enumerate(scenario.config.get("variants", [])):
        if v["name"] == variant and "growth_rate" in v:
            key = f"variants[{j}].growth_rate"
    for x in vals:
        if np.isnan(x) or not rng.outside(np.array([x]))[0]:
            continue
        hint = ""
        if not rng.outside(np.array([x / 100]))[0]:
            hint = f"; for {x:g}% write {x / 100:g}"
        raise InputError(
            f"{x:g} is outside the valid range {rng.text()} (a fraction a year){hint}",
            source=scenario.source,
            key=key,
        )


def build_inputs(
    scenario: Scenario, variant: str = "baseline", bundled: TableLoader | None = None
) -> tuple[ModelInputs, dict[str, Any]]:
    """Build engine inputs for one variant of a scenario.

    Parameters
    ----------
    scenario
        A loaded scenario.
    variant
        ``"baseline"`` or the name of a variant.
    bundled
        Loader for tables given as ``bundled`` (defaults to :mod:`wfkit.data`).

    Returns
    -------
    (ModelInputs, dict)
        The inputs and a provenance record (table origins and notes for the log).
    """
    cfg = scenario.variant_config(variant)
    src = scenario.source
    tables = _read_tables(scenario, cfg, bundled)
    _apply_overrides(tables, cfg.get("overrides", {}), src)
    notes: list[str] = []
    pop_df, pop_src = tables["population"]
    all_areas = sorted(set(pop_df["area"]))
    sel = cfg.get("areas")
    if isinstance(sel, list):
        unknown = [a for a in sel if a not in all_areas]
        if unknown:
            raise InputError(
                f"unknown area(s) {unknown}; expected codes from {pop_src}",
                source=src,
                key="areas",
            )
        areas = sorted(set(sel))
    else:
        areas = all_areas
    bands = list(T.AGE_BANDS)
    pop_sel = pop_df[pop_df["area"].isin(areas)]
    pop = _grid(pop_sel, [("area", areas), ("age_band", bands)], "population")
    _require_complete(
        pop, [("area", areas), ("age_band", bands)], pop_src, "every area to have all 19 age bands"
    )
    if pop.sum() <= 0:
        raise InputError(
            "population is empty (all zero); expected at least one person", source=pop_src
        )
    base_year, horizon = int(cfg["base_year"]), int(cfg["horizon"])
    years = np.arange(base_year, base_year + horizon + 1)
    growth = None
    if "growth" in tables:
        g_df, g_src = tables["growth"]
        g_df = g_df[g_df["area"].isin(areas) & g_df["year"].isin(years)]
        dims = [("area", areas), ("year", [str(y) for y in years]), ("age_band", bands)]
        growth = _grid(g_df.assign(year=g_df["year"].astype(str)), dims, "factor")
        _require_complete(
            growth,
            dims,
            g_src,
            f"a growth factor for every area, year {base_year}-{years[-1]} and band",
        )

    act_df, act_src = tables["activities"]
    if cfg.get("activities"):
        chosen = list(dict.fromkeys(cfg["activities"]))
        _check_known(
            pd.DataFrame({"activity": chosen}),
            "activity",
            sorted(act_df["activity"]),
            src,
            "activity",
        )
        left_out = sorted(set(act_df["activity"]) - set(chosen))
        if left_out:
            notes.append(
                f"activities: modelling {len(chosen)} of {len(act_df)}; left out by the scenario: {left_out}"
            )
        every = sorted(act_df["activity"])
        for t in ("prevalence", "contacts", "skill_mix", "minutes"):
            # a typo is refused before the rows of activities left out are dropped
            _check_known(tables[t][0], "activity", every, tables[t][1], "activity")
        for t in ("activities", "prevalence", "contacts", "skill_mix", "minutes"):
            df_t, src_t = tables[t]
            tables[t] = (df_t[df_t["activity"].isin(chosen)].reset_index(drop=True), src_t)
        act_df = tables["activities"][0]
    activities = sorted(act_df["activity"])
    trend = None
    if "trend" in act_df.columns:
        trend = Param.point(
            act_df.set_index("activity")["trend"]
            .reindex(activities)
            .fillna(1.0)
            .to_numpy(dtype=float)
        )

    roles = sorted(set(tables["capacity"][0]["role"]))
    # prevalence: national rows, optionally refined by area-specific rows
    pv_df, pv_src = tables["prevalence"]
    _check_known(pv_df, "activity", activities, pv_src, "activity")
    no_prev = sorted(set(activities) - set(pv_df["activity"]))
    if no_prev:
        raise InputError(
            f"activity {no_prev[0]!r} has no prevalence rows; expected its cohort by age band "
            "(1 with age band 'all' for a whole-population activity)",
            source=pv_src,
        )
    local_rows = (
        pv_df["area"].notna() if "area" in pv_df.columns else pd.Series(False, index=pv_df.index)
    )
    nat = _expand_bands(pv_df[~local_rows].drop(columns="area", errors="ignore"), pv_src)
    kg = [("activity", activities), ("age_band", bands)]
    base_p = _param(nat, kg, upper=1.0, origin=pv_src)
    unlisted = int(np.isnan(base_p.value).sum())
    if unlisted:
        notes.append(
            f"prevalence: {unlisted} activity-age band pair(s) not listed in {pv_src}; "
            "taken as 0 (outside the activity's cohort)"
        )
    prevalence = Param(
        np.nan_to_num(base_p.value)[None],
        None if base_p.lo is None else base_p.lo[None],
        None if base_p.hi is None else base_p.hi[None],
        0.0,
        1.0,
    )
    if local_rows.any():
        loc = pv_df[local_rows]
        _check_known(loc, "area", all_areas, pv_src, "area")
        loc = _expand_bands(loc, pv_src, ("area",))
        lp = _param(loc[loc["area"].isin(areas)], [("area", areas), *kg], upper=1.0, origin=pv_src)
        has = ~np.isnan(lp.value)

        def pick(local: np.ndarray | None, national: np.ndarray | None) -> np.ndarray | None:
            if local is None and national is None:
                return None
            shape = lp.value.shape
            local = np.full(shape, np.nan) if local is None else local
            national = (
                np.full(shape, np.nan) if national is None else np.broadcast_to(national, shape)
            )
            return np.where(has, local, national)

        prevalence = Param(
            pick(lp.value, prevalence.value),
            pick(lp.lo, prevalence.lo),
            pick(lp.hi, prevalence.hi),
            0.0,
            1.0,
        )
    ct_df, ct_src = tables["contacts"]
    _check_known(ct_df, "activity", activities, ct_src, "activity")
    dims = [("activity", activities), ("age_band", bands)]
    contacts = _param(_expand_bands(ct_df, ct_src), dims, origin=ct_src)
    in_cohort = (prevalence.value > 0).any(axis=0)  # (K, G)
    lacking = in_cohort & np.isnan(contacts.value)
    if lacking.any():
        k, g = np.argwhere(lacking)[0]
        raise InputError(
            f"no contacts for activity {activities[k]!r}, age band {bands[g]!r}, where its cohort is not "
            f"empty ({int(lacking.sum())} such pairs); expected a row ('all' allowed)",
            source=ct_src,
        )
    contacts = Param(np.nan_to_num(contacts.value), contacts.lo, contacts.hi)

    # who does what
    sm_df, sm_src = tables["skill_mix"]
    _check_known(sm_df, "activity", activities, sm_src, "activity")
    _check_known(sm_df, "role", roles, sm_src, "role")
    check_shares_sum(sm_df, "activity", ["current", "future"], sm_src)
    no_mix = [a for a in activities if a not in set(sm_df["activity"])]
    if no_mix:
        raise InputError(
            f"activity {no_mix[0]!r} has no who-does-what rows; expected shares summing to 1",
            source=sm_src,
        )
    dims = [("activity", activities), ("role", roles)]
    s_cur, s_fut = (np.nan_to_num(a) for a in _grids(sm_df, dims, ["current", "future"]))
    sm_cfg = cfg.get("skill_mix", {})
    for i, sh in enumerate(sm_cfg.get("shifts", [])):
        where = f"skill_mix.shifts[{i}]"
        if sh["activity"] not in activities:
            raise InputError(
                f"unknown activity {sh['activity']!r}; expected one of {activities}",
                source=src,
                key=where,
            )
        for r in [sh["from"], *sh["to"]]:
            if r not in roles:
                raise InputError(
                    f"unknown role {r!r}; expected one of {roles}", source=src, key=where
                )
        total = sum(sh["to"].values())
        if abs(total - 1.0) > 1e-6:
            raise InputError(
                f"'to' parts sum to {total:.6g}; expected 1", source=src, key=f"{where}.to"
            )
        k, r0 = activities.index(sh["activity"]), roles.index(sh["from"])
        moved = s_fut[k, r0] * float(sh["fraction"])
        s_fut[k, r0] -= moved
        for r, part in sh["to"].items():
            s_fut[k, roles.index(r)] += moved * float(part)
    mn_df, mn_src = tables["minutes"]
    _check_known(mn_df, "activity", activities, mn_src, "activity")
    _check_known(mn_df, "role", roles, mn_src, "role")
    minutes = _param(mn_df, dims, origin=mn_src)
    needed = ((s_cur > 0) | (s_fut > 0)) & np.isnan(minutes.value)
    if needed.any():
        k, r = np.argwhere(needed)[0]
        raise InputError(
            f"no minutes per contact for activity {activities[k]!r} and role {roles[r]!r}, which has a share of it; "
            "expected a row (or a minutes override)",
            source=mn_src,
        )
    minutes = Param(
        np.nan_to_num(minutes.value),
        minutes.lo,
        minutes.hi,
    )

    cap_df, cap_src = tables["capacity"]
    check_working_year(cap_df, cap_src)
    capacity = _by_parameter(cap_df, roles, list(_REQUIRED_CAPACITY), cap_src, _UPPER)
    cost_df, cost_src = tables["costs"]
    costs = _by_parameter(cost_df, roles, list(T.COST_PARAMETERS), cost_src, _UPPER)
    fl_df, fl_src = tables["flows"]
    flows = _by_parameter(fl_df, roles, list(T.FLOW_PARAMETERS), fl_src, _UPPER)

    sup_df, sup_src = tables["supply"]
    _check_known(sup_df, "area", all_areas, sup_src, "area")
    _check_known(sup_df, "role", roles, sup_src, "role")
    sup = _grid(sup_df[sup_df["area"].isin(areas)], [("area", areas), ("role", roles)], "fte")
    n_missing = int(np.isnan(sup).sum())
    if n_missing:
        notes.append(
            f"supply: {n_missing} area-role pair(s) have no row in {sup_src}; taken as 0 FTE in post"
        )
    supply = np.nan_to_num(sup)

    gr = cfg.get("growth_rate", 0.0)
    gval, glo, ghi = _parse_number(gr, src, "growth_rate", None)  # type: ignore[arg-type]
    _check_growth_rate(scenario, variant, (gval, glo, ghi))
    rng = T.GROWTH_RATE_RANGE
    growth_rate = Param(np.array(gval), np.array(glo), np.array(ghi), rng.lo, rng.hi)
    inputs = ModelInputs(
        areas=areas,
        years=years,
        age_bands=bands,
        activities=activities,
        roles=roles,
        population=pop,
        prevalence=prevalence,
        contacts=contacts,
        shares_current=s_cur,
        shares_future=s_fut,
        minutes=minutes,
        capacity=capacity,
        salary=costs["salary"],
        oncost_rate=costs["oncost_rate"],
        supply=supply,
        joiner_rate=flows["joiner_rate"],
        leaver_rate=flows["leaver_rate"],
        growth=growth,
        growth_rate=growth_rate,
        trend=trend,
        skill_mix_model=sm_cfg.get("model", "current"),
        transition_start=sm_cfg.get("transition_start"),
        transition_years=int(sm_cfg.get("transition_years", 5)),
    )
    inputs.check()
    record = {"tables": {k: v[1] for k, v in tables.items()}, "notes": notes}
    return inputs, record


# ----------------------------------------------------------------------------------------
# running
# ----------------------------------------------------------------------------------------
@dataclass
class ScenarioRun:
    """Results of every variant of a scenario.

    Attributes
    ----------
    scenario
        The scenario that was run.
    results
        Engine results by variant name (``"baseline"`` first).
    inputs
        Engine inputs by variant name.
    provenance
        Table origins and notes by variant name.
    """

    scenario: Scenario
    results: dict[str, ModelResult]
    inputs: dict[str, ModelInputs]
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: frames derived from the results, kept so tables, charts and sliders that all start
    #: from the same frame build it once (see :func:`wfkit.usecases.results_frame`)
    derived: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def to_frame(self) -> pd.DataFrame:
        """Tidy results of all variants, with the draw-by-draw difference from baseline."""
        base = self.results["baseline"]
        frames = [r.to_frame(name, baseline=base) for name, r in self.results.items()]
        df = pd.concat(frames, ignore_index=True)
        for c in ("area", "role", "scenario", "measure"):
            df[c] = df[c].astype("category")
        return df

    def calibration(self, variant: str = "baseline") -> Any:
        """What the calibration of a variant did (a :class:`wfkit.calibration.Calibration`)."""
        return self.provenance[variant]["calibration"]

    def reconciliation(self, variant: str = "baseline") -> pd.DataFrame:
        """Base-year required against in post per role and in total, with the main reasons,
        and the staff in post the model does not cover (see :func:`wfkit.calibration.reconcile`)."""
        from .calibration import reconcile  # noqa: PLC0415

        key = f"reconciliation:{variant}"
        if key not in self.derived:
            nm = None
            chosen = self.scenario.variant_config(variant).get("activities")
            bundled_sup = self.provenance[variant]["tables"].get("supply") == "bundled:supply"
            if bundled_sup:
                from . import data as wd  # noqa: PLC0415

                every = set(wd.load("activities")["activity"])
            if bundled_sup and (not chosen or set(chosen) >= every):
                res = self.results[variant]
                level = str(self.scenario.config.get("level", "pcn"))
                nm = wd.not_modelled(list(res.areas), level)
            self.derived[key] = reconcile(self.results[variant], self.calibration(variant), nm)
        return self.derived[key].copy()

    def compare(self, measure: str = "required_fte", role: str = "all") -> pd.DataFrame:
        """Side by side: one column per scenario (central value) and its difference from baseline."""
        df = self.to_frame()
        df = df[(df["measure"] == measure) & (df["role"] == role)]
        wide = df.pivot_table(
            index=["area", "year"], columns="scenario", values="value", observed=True
        )
        wide = wide[list(self.results)]
        for name in list(self.results)[1:]:
            wide[f"{name} - baseline"] = wide[name] - wide["baseline"]
        wide.columns.name = None
        return wide.reset_index()

    def summary(self) -> dict[str, Any]:
        """Headline figures for the final year (totals over areas and roles): for each
        measure the central value and P10, P50 and P90 over the draws."""
        from . import __version__

        cfg = self.scenario.config
        out: dict[str, Any] = {
            "wfkit_version": __version__,
            "scenario": self.scenario.name,
            "file": self.scenario.source,
            "base_year": cfg["base_year"],
            "horizon": cfg["horizon"],
            "draws": self.results["baseline"].n_draws,
            "seed": self.results["baseline"].seed,
            "areas": len(self.results["baseline"].areas),
            "variants": {},
        }
        for name, r in self.results.items():
            tot = r.aggregate({a: "total" for a in r.areas})
            final = {}
            for m in (
                "population",
                "required_fte",
                "supply_fte",
                "gap_fte",
                "cost_gbp",
                "cost_per_1000",
            ):
                arr = tot.measure(m, total=True)[:, 0, -1]
                c, p10, p50, p90 = (float(x) for x in summarise_draws(arr))
                final[m] = {
                    "value": round(c, 6),
                    "p10": round(p10, 6),
                    "p50": round(p50, 6),
                    "p90": round(p90, 6),
                }
            out["variants"][name] = {"final_year": int(r.years[-1]), **final}
        return out


#: tables whose bundled form makes a scenario "on bundled data" (national calibration by default)
_CALIBRATED_TABLES = ("population", "minutes", "contacts", "skill_mix", "capacity", "supply")


def calibration_method(config: Mapping[str, Any]) -> str:
    """The scenario's ``calibration``: as given, else ``national`` for a scenario on the
    bundled data and ``none`` for one with its own tables (docs/calibration.md)."""
    if "calibration" in config:
        return str(config["calibration"])
    ins = config.get("inputs", {})
    on_bundled = all(ins.get(t) == "bundled" for t in _CALIBRATED_TABLES)
    return "national" if on_bundled else "none"


def _calibrate(
    sc: Scenario, name: str, inp: ModelInputs, bundled: TableLoader | None
) -> tuple[ModelInputs, Any]:
    """Calibrate one variant's inputs as the scenario says (see :mod:`wfkit.calibration`)."""
    from .calibration import calibrate  # noqa: PLC0415

    cfg = sc.variant_config(name)
    method = calibration_method(cfg)
    full = None
    if method == "local" and cfg.get("activities"):
        whole = {**cfg, "activities": None, "variants": []}
        whole.pop("activities")
        full, _ = build_inputs(Scenario(whole, sc.path), "baseline", bundled)
    out, cal = calibrate(
        inp,
        method,
        cfg.get("unmet_demand"),
        level=str(cfg.get("level", "pcn")),
        source=sc.source,
        full=full,
    )
    if "calibration" not in cfg:
        cal.notes.insert(
            0,
            f"calibration: {method} (the default for a scenario "
            + ("on the bundled data)" if method == "national" else "with its own tables)"),
        )
    return out, cal


def run_scenario(
    scenario: Scenario | str | os.PathLike[str] | Mapping[str, Any],
    bundled: TableLoader | None = None,
    draws: int | None = None,
    seed: int | None = None,
) -> ScenarioRun:
    """Run the baseline and every variant of a scenario.

    Parameters
    ----------
    scenario
        A :class:`Scenario`, a YAML path, a bundled scenario's name (``"default"``) or a
        mapping.
    bundled
        Loader for ``bundled`` tables (defaults to :mod:`wfkit.data`).
    draws, seed
        Override the scenario's ``draws`` and ``seed``.
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    n = int(sc.config.get("draws", 0) if draws is None else draws)
    s = int(sc.config.get("seed", 0) if seed is None else seed)
    for key, val in (("draws", n), ("seed", s)):
        validate_scenario({**sc.config, key: val}, sc.source)
    results, inputs, prov = {}, {}, {}
    for name in sc.variant_names:
        inp, record = build_inputs(sc, name, bundled)
        if not results:  # before anything runs: will every variant's arrays fit in memory?
            check_run_memory(
                n,
                len(inp.areas),
                len(inp.years),
                len(inp.roles),
                len(inp.activities),
                len(sc.variant_names),
                source=sc.source,
            )
        inp, record["calibration"] = _calibrate(sc, name, inp, bundled)
        record["notes"] += record["calibration"].notes
        for note in record["notes"]:
            log.info("%s: %s", name, note)
        results[name] = run_model(inp, draws=n, seed=s)
        check_finite_results(results[name], sc.source, name)
        inputs[name] = inp
        prov[name] = record
        log.info(
            "ran %s: %d areas x %d years x %d roles, %d draws",
            name,
            len(inp.areas),
            len(inp.years),
            len(inp.roles),
            n,
        )
    return ScenarioRun(sc, results, inputs, prov)


def _sha256(path: str) -> str | None:
    p = Path(path)
    if not p.is_file():
        return None
    return hashlib.sha256(p.read_bytes()).hexdigest()


def write_run_files(run: ScenarioRun, folder: Path, log_lines: list[str] | None = None) -> None:
    """Write ``results.csv``, ``demand.csv``, ``summary.json`` and ``run.log`` into ``folder``
    (an existing folder; use :func:`write_outputs` for a whole-or-nothing output folder)."""
    run.to_frame().to_csv(folder / "results.csv", index=False, float_format="%.10g")
    demand = pd.concat(
        [r.demand_frame().assign(scenario=name) for name, r in run.results.items()],
        ignore_index=True,
    )
    demand.to_csv(folder / "demand.csv", index=False, float_format="%.10g")
    summary = run.summary()
    summary["inputs"] = {
        name: {t: {"origin": o, "sha256": _sha256(o)} for t, o in rec["tables"].items()}
        for name, rec in run.provenance.items()
    }
    summary["scenario_sha256"] = _sha256(run.scenario.source)
    recon = run.reconciliation()
    summary["base_year"] = {
        "year": int(run.results["baseline"].years[0]),
        "calibration": run.calibration().method,
        "minutes_factor": {k: round(v, 6) for k, v in run.calibration().minutes_factor.items()},
        "roles": [
            {
                "role": r.role,
                "required_fte": None if pd.isna(r.required_fte) else round(r.required_fte, 6),
                "supply_fte": round(r.supply_fte, 6),
                "gap_fte": None if pd.isna(r.gap_fte) else round(r.gap_fte, 6),
                "reason": r.reason,
                "check": r.check,
            }
            for r in recon.itertuples()
        ],
    }
    (folder / "summary.json").write_text(
        json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    lines = list(log_lines or [])
    for name, rec in run.provenance.items():
        lines += [f"{name}: table {t} from {o}" for t, o in rec["tables"].items()]
        lines += [f"{name}: {n}" for n in rec["notes"]]
    lines += [f"base year: {line}" for line in reconciliation_lines(recon)]
    lines.append("wrote results.csv, demand.csv, summary.json")
    (folder / "run.log").write_text("\n".join(lines) + "\n", encoding="utf-8")


def reconciliation_lines(rec: pd.DataFrame) -> list[str]:
    """The base-year reconciliation as plain lines (for the CLI, the log and notebooks)."""
    out = []
    for r in rec.itertuples():
        if pd.isna(r.required_fte):
            out.append(f"{r.role}: {r.supply_fte:.1f} FTE in post")
            continue
        out.append(
            f"{r.role}: required {r.required_fte:.1f} FTE, in post {r.supply_fte:.1f} "
            f"(gap {r.gap_fte:+.1f}); {r.reason}" + (f"; {r.check}" if r.check else "")
        )
    return out


def write_outputs(
    run: ScenarioRun,
    out_dir: str | os.PathLike[str],
    log_lines: list[str] | None = None,
    *,
    allow_existing: bool = False,
) -> Path:
    """Write ``results.csv``, ``demand.csv``, ``summary.json`` and ``run.log`` to ``out_dir``.

    Written safely by :func:`wfkit.outputs.output_folder`: into a new or empty folder, or
    one holding only wfkit's earlier output (its ``.wfkit-manifest.json``), replaced whole
    or not at all; any other folder is refused (:class:`InputError`), as are the scenario's
    own folder, the home folder and the root.  ``allow_existing=True`` writes beside other
    files, replacing only wfkit's own.  ``out_dir`` may be an
    :class:`~wfkit.outputs.OutputTarget` checked before the model ran.
    """
    from .outputs import output_folder  # noqa: PLC0415

    out = Path(os.fspath(out_dir)).expanduser().resolve()
    with output_folder(out_dir, allow_existing=allow_existing, protect=[run.scenario.path]) as tmp:
        write_run_files(run, tmp, [*(log_lines or []), f"output folder: {out}"])
    return out
