"""A scenario as typed, frozen records: every default resolved and every variant merged once.

:func:`wfkit.scenario.load_scenario` checks a scenario file against the schema (made from
the declarations in :mod:`wfkit.settings`) and returns a :class:`ScenarioSpec`: its
baseline and each variant as a :class:`VariantSpec` holding the variant's full settings
(the baseline's, with the variant's changes merged in), so the model reads
``variant.horizon`` or ``variant.skill_mix.transition_years`` and never a dict key with a
default of its own.  Defaults come from the declarations; the two that depend on other
settings are resolved here: ``calibration`` (``national`` on the bundled data, ``none``
for a scenario with its own tables) and ``areas`` (the default network on the bundled
data, every area of the population table otherwise).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .. import settings as S
from ..errors import InputError
from .moved_in import MovedIn, parse_moved_in

__all__ = [
    "values_by_area",
    "TableRef",
    "Shift",
    "SkillMixSpec",
    "VariantSpec",
    "ScenarioSpec",
    "spec_from_mapping",
    "CALIBRATED_TABLES",
    "by_area",
]

#: tables whose bundled form makes a scenario "on the bundled data" (national calibration
#: by default; docs/calibration.md)
CALIBRATED_TABLES = ("population", "minutes", "contacts", "skill_mix", "capacity", "supply")

#: an area selection as a scenario gives it: ``"all"``, codes, or ``{codes|names|within}``
AreaSelection = str | tuple[str, ...] | Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class TableRef:
    """Where an input table comes from: wfkit's bundled table or a CSV file.

    Attributes
    ----------
    path
        The CSV path as written (relative to the scenario file), or ``None`` for bundled.
    encoding
        The file's text encoding.
    """

    path: str | None = None
    encoding: str = "utf-8"

    @property
    def bundled(self) -> bool:
        """Whether this is wfkit's bundled table."""
        return self.path is None

    @classmethod
    def parse(cls, ref: Any) -> TableRef:
        """Parse a ``table_ref`` of the schema: ``"bundled"``, a path, or ``{path, encoding}``."""
        if ref == "bundled":
            return cls()
        if isinstance(ref, Mapping):
            return cls(str(ref["path"]), str(ref.get("encoding", "utf-8")))
        return cls(str(ref))


@dataclass(frozen=True, slots=True)
class Shift:
    """Move ``fraction`` of an activity's future share from one role to others.

    Attributes
    ----------
    activity, from_role
        The activity and the role whose share moves.
    to
        Receiving roles and the part of the moved work each takes (sums to 1).
    fraction
        Fraction of ``from_role``'s share that moves.
    """

    activity: str
    from_role: str
    to: Mapping[str, float]
    fraction: float


@dataclass(frozen=True, slots=True)
class SkillMixSpec:
    """Who does what: stay on today's model or move to the future one, and how.

    Attributes
    ----------
    model
        ``current`` or ``future`` (:data:`wfkit.settings.SKILL_MIX_MODEL`).
    transition_start
        Year the move begins (``None``: the base year + 1).
    transition_years
        Years to complete the move (0: at once).
    shifts
        Work moved between roles in the future model, in order.
    """

    model: str = S.SKILL_MIX_MODEL.default
    transition_start: int | None = S.TRANSITION_START.default
    transition_years: int = S.TRANSITION_YEARS.default
    shifts: tuple[Shift, ...] = ()


def _frozen(x: Any) -> Any:
    """Copy parsed YAML read-only and deep (mappings as read-only mappings, lists as tuples)."""
    if isinstance(x, Mapping):
        return MappingProxyType({k: _frozen(v) for k, v in x.items()})
    if isinstance(x, list | tuple):
        return tuple(_frozen(v) for v in x)
    return x


def thawed(x: Any) -> Any:
    """Plain ``dict``/``list`` copies of what :func:`_frozen` made (for YAML or JSON)."""
    if isinstance(x, Mapping):
        return {k: thawed(v) for k, v in x.items()}
    if isinstance(x, tuple):
        return [thawed(v) for v in x]
    return x


@dataclass(frozen=True, slots=True)
class VariantSpec:
    """One variant's full settings (the baseline's, with its own changes merged in).

    Attributes
    ----------
    name, description
        ``"baseline"`` or the variant's name, and what it is.
    index
        The variant's position in the file's ``variants`` (``None`` for the baseline).
    own
        The settings the variant itself gives (errors name ``variants[i].key`` for these).
    path
        The scenario file (``None`` if built in memory); table paths are relative to it.
    base_year, horizon, draws, seed, level
        As declared in :mod:`wfkit.settings`, defaults filled in.
    areas
        The areas as the file selects them (resolved against the data when tables are read).
    activities
        Only these activities, or ``None`` for every activity.
    inputs
        Where each table comes from.
    growth_rate
        A number, or an interval ``(lo, hi)`` / ``(lo, value, hi)``.
    skill_mix
        Who does what.
    overrides
        Row-level changes to input tables, by table (rows as the file gives them).
    calibration
        ``none``, ``national`` or ``local``, resolved (:attr:`calibration_given` says
        whether the file gave it).
    unmet_demand
        Per role, the share of extra staff England needs beyond those in post.
    level_given
        Whether the file gave ``level`` (with tables of its own only, it is not used, and
        the run log says so).
    community_roles
        Community roles added, each with its FTE in post: a number, or ``{area: fte}``
        (``{}``: none; docs/neighbourhoods.md).
    placements
        Learners hosted by kind: a number, or ``{area: learners}`` (``{}``: none).
    moved_in
        Work moved in from hospital (:mod:`wfkit.scenario.moved_in`); a variant's list
        replaces the baseline's.
    supply_policy
        The supply policy settings (:data:`wfkit.settings.SUPPLY_POLICY`) by name, each an
        annual rate added to the joiner rates of its roles (:mod:`wfkit.scenario.policy`).
    """

    name: str
    description: str
    index: int | None
    own: frozenset[str]
    path: Path | None
    base_year: int
    horizon: int
    draws: int
    seed: int
    level: str
    areas: AreaSelection
    activities: tuple[str, ...] | None
    inputs: Mapping[str, TableRef]
    growth_rate: float | tuple[float, ...]
    skill_mix: SkillMixSpec
    overrides: Mapping[str, tuple[Mapping[str, Any], ...]]
    calibration: str
    calibration_given: bool
    unmet_demand: Mapping[str, float]
    level_given: bool = False
    community_roles: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    placements: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    moved_in: tuple[MovedIn, ...] = ()
    supply_policy: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType({p.name: p.default for p in S.SUPPLY_POLICY})
    )

    @property
    def source(self) -> str:
        """The scenario file, as errors name it."""
        return str(self.path) if self.path else "scenario"

    @property
    def years(self) -> range:
        """The base year to the horizon year, inclusive."""
        return range(self.base_year, self.base_year + self.horizon + 1)

    def key(self, name: str) -> str:
        """Where the setting ``name`` of this variant is written in the file.

        ``name``, or ``variants[i].name`` when the variant gives it.
        """
        return f"variants[{self.index}].{name}" if name in self.own else name

    @property
    def on_bundled_data(self) -> bool:
        """Whether every table that sets the base year's level is wfkit's bundled one."""
        return all(t in self.inputs and self.inputs[t].bundled for t in CALIBRATED_TABLES)


@dataclass(frozen=True, slots=True)
class ScenarioSpec:
    """A validated scenario: its baseline and variants as typed, frozen records.

    Attributes
    ----------
    name, description
        The baseline scenario's name and description.
    path
        The file it came from (``None`` if built in memory).
    variants
        The baseline first, then each variant, each with its full settings.
    """

    name: str
    description: str
    path: Path | None
    variants: tuple[VariantSpec, ...]
    _mapping: Mapping[str, Any] = field(repr=False, compare=False)

    @property
    def source(self) -> str:
        """The scenario file, as errors name it."""
        return str(self.path) if self.path else "scenario"

    @property
    def variant_names(self) -> list[str]:
        """``"baseline"`` and each variant's name, in order."""
        return [v.name for v in self.variants]

    @property
    def baseline(self) -> VariantSpec:
        """The baseline's settings."""
        return self.variants[0]

    @property
    def draws(self) -> int:
        """Monte Carlo draws besides the central run."""
        return self.baseline.draws

    @property
    def seed(self) -> int:
        """Seed for the draws."""
        return self.baseline.seed

    def variant(self, name: str) -> VariantSpec:
        """One variant's full settings (``"baseline"`` or a variant's name).

        Raises
        ------
        InputError
            If there is no such variant.
        """
        for v in self.variants:
            if v.name == name:
                return v
        raise InputError(
            f"unknown variant {name!r}; expected one of {self.variant_names}", source=self.source
        )

    def to_mapping(self) -> dict[str, Any]:
        """Return the scenario as its file gives it (a plain, editable copy).

        For example to change a setting and load it again.
        """
        return thawed(self._mapping)


def _merge(base: dict[str, Any], over: Mapping[str, Any], top: bool = True) -> dict[str, Any]:
    """Deep-merge ``over`` into a copy of ``base``; ``overrides`` rows and ``shifts`` append.

    Only the top level's ``overrides`` and ``skill_mix`` are the settings of those names
    (``inputs`` names a table ``skill_mix`` too).
    """
    out = copy.deepcopy(base)
    for k, v in over.items():
        if top and k == "overrides":
            merged = copy.deepcopy(out.get("overrides", {}))
            for table, rows in v.items():
                merged[table] = [*merged.get(table, []), *copy.deepcopy(rows)]
            out["overrides"] = merged
        elif top and k == "skill_mix":
            sm = copy.deepcopy(out.get("skill_mix", {}))
            for kk, vv in v.items():
                sm[kk] = (
                    [*sm.get(kk, []), *copy.deepcopy(vv)] if kk == "shifts" else copy.deepcopy(vv)
                )
            out["skill_mix"] = sm
        elif isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = _merge(dict(out[k]), v, top=False)
        else:
            out[k] = copy.deepcopy(v)
    return out


def _skill_mix(cfg: Mapping[str, Any]) -> SkillMixSpec:
    sm = cfg.get("skill_mix", {})
    return SkillMixSpec(
        model=str(sm.get("model", S.SKILL_MIX_MODEL.default)),
        transition_start=sm.get("transition_start", S.TRANSITION_START.default),
        transition_years=int(sm.get("transition_years", S.TRANSITION_YEARS.default)),
        shifts=tuple(
            Shift(
                str(s["activity"]),
                str(s["from"]),
                MappingProxyType({str(r): float(p) for r, p in s["to"].items()}),
                float(s["fraction"]),
            )
            for s in sm.get("shifts", [])
        ),
    )


def values_by_area(value: Any, areas: list[str], noun: str, source: str, key: str) -> list[float]:
    """Return one value per area from a scenario's number or ``{area: value}``.

    A number stands for the one area modelled (0 for none in every area); with several
    areas modelled, each needs its own value.

    Parameters
    ----------
    value
        A number, or a mapping of every area modelled to its number.
    areas
        The areas modelled, in order.
    noun
        What the values are, for errors ("FTE", "learners").
    source, key
        For errors: the scenario file and its key.

    Raises
    ------
    InputError
        A non-zero number for several areas, an area missing or not modelled.
    """
    if not isinstance(value, Mapping):
        if len(areas) > 1 and float(value) != 0:
            raise InputError(
                f"one number for {len(areas)} areas; expected the {noun} of each area, "
                f"{{area: {noun.lower()}}}",
                source=source,
                key=key,
            )
        return [float(value)] * len(areas)
    missing = [a for a in areas if a not in value]
    extra = [a for a in value if a not in areas]
    if missing or extra:
        what = f"no {noun} for area {missing[0]!r}" if missing else f"{extra[0]!r} is not modelled"
        raise InputError(
            f"{what}; expected every area modelled: {areas[:5]}", source=source, key=key
        )
    return [float(value[a]) for a in areas]


def by_area(
    cfg: Mapping[str, Any],
    s: S.Setting,
    path: Path | None = None,
    index: int | None = None,
    own: frozenset[str] = frozenset(),
) -> Mapping[str, Any]:
    """Return ``cfg[s.name]`` (kind -> a number or ``{area: number}``), each number checked.

    Raises
    ------
    InputError
        Naming the key (``placements.gp_registrar`` or ``placements.gp_registrar.U06180``)
        and the valid range, for a number outside it (a negative count of learners, say).
    """
    given = cfg.get(s.name, {})
    key = f"variants[{index}].{s.name}" if s.name in own else s.name
    for kind, v in given.items():
        for where, x in (
            [(kind, v)]
            if not isinstance(v, Mapping)
            else [(f"{kind}.{a}", x) for a, x in v.items()]
        ):
            msg = s.problem(float(x))
            if msg:
                raise InputError(
                    f"{x!r}: {msg}", source=str(path) if path else "scenario", key=f"{key}.{where}"
                )
    return _frozen(given)


def _group_level(file: str, level_given: bool, path: Path | None) -> str:
    """Return the level of a grouping file (read and checked, relative to the scenario)."""
    src = str(path) if path else "scenario"
    if level_given:
        raise InputError(
            "level is given with areas.groups; expected one of them (the grouping file "
            "sets the level: each area is one of its groups)",
            source=src,
            key="level",
        )
    # lazy: wfkit.data loads only when a scenario reads data (here, its grouping file)
    from ..data.groups import as_level

    return as_level(file, path.parent if path else None)


def _variant(
    cfg: dict[str, Any], name: str, index: int | None, own: frozenset[str], path: Path | None
) -> VariantSpec:
    """One merged variant mapping (schema-valid) as a :class:`VariantSpec`, defaults filled."""
    inputs = {t: TableRef.parse(r) for t, r in cfg["inputs"].items()}
    on_bundled = all(t in inputs and inputs[t].bundled for t in CALIBRATED_TABLES)
    any_bundled = any(r.bundled for r in inputs.values())
    areas = cfg.get("areas")
    if areas is None:  # the default network on the bundled data, else the population table's
        areas = (S.AREA.default,) if any_bundled else "all"
    elif isinstance(areas, list):
        areas = tuple(str(a) for a in areas)
    else:
        areas = _frozen(areas)
    level = str(cfg.get("level", S.LEVEL.default))
    if isinstance(areas, Mapping) and "groups" in areas:
        level = _group_level(str(areas["groups"]), "level" in cfg, path)
    elif level not in S.LEVELS:  # a grouping file (or a grouping already read) is the level
        level = _group_level(level, False, path)
    given = "calibration" in cfg
    calibration = cfg.get("calibration") or ("national" if on_bundled else "none")
    growth = cfg.get("growth_rate", S.GROWTH_RATE.default)
    base_year, horizon = int(cfg["base_year"]), int(cfg["horizon"])
    moved_in = parse_moved_in(
        cfg.get("moved_in"),
        range(base_year, base_year + horizon + 1),
        str(path) if path else "scenario",
        f"variants[{index}]." if "moved_in" in own else "",
    )
    return VariantSpec(
        name=name,
        description=str(cfg.get("description", "")),
        index=index,
        own=own,
        path=path,
        base_year=base_year,
        horizon=horizon,
        draws=int(cfg.get("draws", S.DRAWS.default)),
        seed=int(cfg.get("seed", S.SEED.default)),
        level=level,
        areas=areas,
        activities=tuple(cfg["activities"]) if cfg.get("activities") else None,
        inputs=MappingProxyType(inputs),
        growth_rate=tuple(float(x) for x in growth) if isinstance(growth, list) else growth,
        skill_mix=_skill_mix(cfg),
        overrides=_frozen(cfg.get("overrides", {})),
        calibration=str(calibration),
        calibration_given=given,
        level_given="level" in cfg,
        community_roles=by_area(cfg, S.COMMUNITY_FTE, path, index, own),
        placements=by_area(cfg, S.PLACEMENT_LEARNERS, path, index, own),
        unmet_demand=MappingProxyType(
            {str(r): float(x) for r, x in cfg.get("unmet_demand", {}).items()}
        ),
        moved_in=moved_in,
        supply_policy=MappingProxyType(
            {p.name: float(cfg.get(p.name, p.default)) for p in S.SUPPLY_POLICY}
        ),
    )


def spec_from_mapping(config: Mapping[str, Any], path: Path | None = None) -> ScenarioSpec:
    """Turn a schema-valid scenario mapping into a :class:`ScenarioSpec`.

    The baseline and each variant are merged on it once, every default resolved.

    Raises
    ------
    InputError
        If two variants share a name.
    """
    src = str(path) if path else "scenario"
    names = [v["name"] for v in config.get("variants", [])]
    dups = sorted({n for n in names if names.count(n) > 1})
    if dups:
        raise InputError(
            f"duplicate variant name(s) {dups}; expected unique names", source=src, key="variants"
        )
    base = {k: v for k, v in config.items() if k != "variants"}
    variants = [_variant(copy.deepcopy(base), "baseline", None, frozenset(), path)]
    for j, v in enumerate(config.get("variants", [])):
        changes = {k: x for k, x in v.items() if k not in ("name", "description")}
        merged = _merge(base, changes)
        merged["description"] = v.get("description", "")
        variants.append(_variant(merged, str(v["name"]), j, frozenset(changes), path))
    if any(v.community_roles for v in variants):
        # every variant models the same roles: where one adds the community team, the
        # others have its roles and work too, with none in post (docs/neighbourhoods.md)
        none = MappingProxyType({r: 0.0 for r in S.COMMUNITY_ROLES})
        variants = [v if v.community_roles else replace(v, community_roles=none) for v in variants]
    return ScenarioSpec(
        name=str(config["name"]),
        description=str(config.get("description", "")),
        path=path,
        variants=tuple(variants),
        _mapping=_frozen(config),
    )
