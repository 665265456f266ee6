"""Scenario files: the JSON Schema, bundled scenario names, loading YAML strictly.

YAML is loaded strictly (duplicate keys, alias bombs and encodings refused by name) into
typed records (:mod:`wfkit.scenario.spec`).
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
from collections.abc import Callable, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import fastjsonschema
import yaml

from ..errors import InputError, clip, short
from ..input_files import read_text_checked
from .spec import ScenarioSpec, spec_from_mapping

#: the most nodes a scenario file may expand to through YAML aliases (``*ref``)
MAX_YAML_NODES = 10_000


class _Strict:
    """``yaml.safe_load`` semantics, refusing duplicate keys and alias bombs.

    A key given twice in one mapping is an error (the last would win silently) and
    aliases may not expand the document beyond :data:`MAX_YAML_NODES` nodes (a few nested
    aliases can expand to gigabytes).  Mixed into a loader class below.
    """

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
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]


class _StrictLoader(_Strict, yaml.SafeLoader):
    """The strict loader on PyYAML's own parser: it words every error a file can have."""


#: the strict loader on libyaml's parser where PyYAML was built with it (the same
#: documents, read several times faster); a file it refuses is read again by
#: :class:`_StrictLoader`, so an error reads the same either way
_FastLoader: type = (
    type("_FastLoader", (_Strict, yaml.CSafeLoader), {})
    if getattr(yaml, "__with_libyaml__", False)
    else _StrictLoader
)


def _read_yaml(text: str) -> Any:
    """Read a scenario's YAML text with the strict loader: libyaml's parser, else PyYAML's.

    A text libyaml's parser refuses is read again by PyYAML's, whose error (and line) is
    the one raised, as if only PyYAML's were used.
    """
    try:
        return yaml.load(text, Loader=_FastLoader)  # a SafeLoader
    except yaml.YAMLError:
        if _FastLoader is _StrictLoader:
            raise
    return yaml.load(text, Loader=_StrictLoader)


def _expanded_nodes(root: yaml.Node) -> int:
    """Count the nodes ``root`` stands for once every alias is expanded.

    Each shared node is counted once per use; memoised, so cheap however large the
    expansion.
    """
    memo: dict[int, int] = {}
    open_: set[int] = set()  # the nodes on the current path (a depth-first walk)
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
            open_.discard(id(node))
            continue
        if id(node) in open_:  # an alias inside the value it names: endless
            raise InputError(
                "an alias refers to the value that holds it, so the value never ends; "
                "write the value out in full",
                row=node.start_mark.line + 1,
            )
        open_.add(id(node))
        stack.append((node, True))
        stack += [(c, False) for c in kids if id(c) not in memo]
    return memo[id(root)]


@lru_cache(maxsize=1)
def scenario_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft-07) scenario files are checked against."""
    text = resources.files("wfkit").joinpath("schemas/scenario.schema.json").read_text("utf-8")
    return json.loads(text)


#: the module :func:`write_compiled_schema` writes, beside this one
_GENERATED = Path(__file__).with_name("_scenario_validator.py")


def _schema_digest() -> str:
    text = resources.files("wfkit").joinpath("schemas/scenario.schema.json").read_bytes()
    return hashlib.sha256(text).hexdigest()


def write_compiled_schema(path: Path = _GENERATED) -> Path:
    """Write the scenario schema compiled to Python as a module of the package.

    Compiled with ``fastjsonschema.compile_to_code``, with the digest of the schema it was
    made from.

    Run by ``make regen-schema`` (:func:`wfkit.scenario.schema.write_schema`); until then
    :func:`validate_scenario` compiles the schema in every process instead.  The module is
    part of the source, so it is byte-compiled like any other: a kernel imports it in less
    time than compiling the schema takes.
    """
    code = fastjsonschema.compile_to_code(scenario_schema())
    head = (
        "# Generated by wfkit.scenario.config.write_compiled_schema from\n"
        "# wfkit/schemas/scenario.schema.json: do not edit; run `make regen-schema`.\n"
        "# (excluded from ruff in pyproject.toml)\n"
        f"SCHEMA_SHA256 = {_schema_digest()!r}\n"
    )
    path.write_text(head + code + f"\n\nvalidate = {_entry(code)}\n", "utf-8")
    return path


def _entry(code: str) -> str:
    """Return the name of the compiled schema's top-level function (the first one defined)."""
    start = code.index("\ndef ") + 5
    return code[start : code.index("(", start)]


@lru_cache(maxsize=1)
def _compiled_schema() -> Callable[[Any], Any]:
    """Return the scenario schema as a Python function.

    The generated module when it was made from this schema, else compiled now
    (fastjsonschema: fast to run, and no import of jsonschema, which is slow to import).
    """
    try:
        # lazy: generated code, loaded at the first check; may be absent
        from . import _scenario_validator as generated
    except ImportError:  # pragma: no cover - a source tree without the generated module
        generated = None
    if generated is not None and generated.SCHEMA_SHA256 == _schema_digest():
        return generated.validate
    return fastjsonschema.compile(scenario_schema())


def example_scenario_path() -> Path:
    """Path of the bundled example scenario (two illustrative networks, self-contained tables)."""
    return Path(str(resources.files("wfkit").joinpath("scenarios/example.yaml")))


def bundled_scenarios() -> dict[str, Path]:
    """Return the scenarios shipped with wfkit by short name.

    ``default`` (a real London network on the bundled data) and ``example``.
    """
    folder = Path(str(resources.files("wfkit").joinpath("scenarios")))
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def scenario_path(name_or_path: str | os.PathLike[str]) -> Path:
    """Return the file a scenario argument stands for.

    An existing file as given, else a bundled scenario by short name (``default``,
    ``example``: :func:`bundled_scenarios`), else the path as given (which
    :func:`load_scenario` reports as not found).  The command line and
    :func:`load_scenario` both resolve names here.
    """
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


def load_scenario(path: str | os.PathLike[str] | Mapping[str, Any]) -> ScenarioSpec:
    """Read and validate a scenario.

    A YAML file path, a workbook made by ``wfkit template`` (``.xlsx``, read by
    :func:`wfkit.scenario.workbook.read_workbook` into the mapping a YAML file gives), the
    short name of a bundled scenario (``"default"``, ``"example"``;
    see :func:`scenario_path`) or an in-memory mapping.

    Returns
    -------
    ScenarioSpec
        Typed, frozen records of the baseline and every variant, each variant merged on
        the baseline once and every default resolved (:mod:`wfkit.scenario.spec`).

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
                f"({', '.join(bundled_scenarios())}), or a workbook (.xlsx)",
                source=str(p),
            )
        if p.suffix.lower() in (".xlsx", ".xlsm"):  # a workbook from `wfkit template`
            # lazy: openpyxl loads only when a scenario is a workbook
            from .workbook import read_workbook

            config = read_workbook(p)
            validate_scenario(config, str(p))
            return spec_from_mapping(config, p)
        text = read_text_checked(
            p, "a scenario YAML file", "utf-8", hint="save the scenario file as UTF-8"
        )
        try:
            config = _read_yaml(text)
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
    validate_scenario(config, str(p) if p else "scenario")
    return spec_from_mapping(config, p)
