r"""What every use case shares: the registry, :class:`UseCase`, :func:`build`, :func:`rerun`.

Also the bundled tables (cached) and the helpers use cases build their variants with.

A use case module declares a :class:`Spec` (its parameters, the activities it models and a
function giving its variants) and :func:`register`\ s it; :func:`build` looks it up in
:data:`REGISTRY`, checks the parameters (:mod:`wfkit.usecases.params`), builds the baseline
and asks the use case for its variants.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .. import cache
from .. import data as wd
from .. import tables as T
from ..data.loader import fingerprint
from ..errors import InputError
from ..scenario import REQUIRED_TABLES, VALIDATED, ScenarioRun, load_bundled_table, run_scenario
from ..validation import validate_table
from . import params as P


# ----------------------------------------------------------------------------------------
# the registry
# ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Context:
    """What a use case's ``variants`` function gets.

    The checked parameters, the activities, their bundled skill-mix and minutes tables,
    and the baseline mapping (which a use case may adjust, as frailty does).
    """

    params: Mapping[str, Any]
    activities: list[str]
    skill_mix: pd.DataFrame
    minutes: pd.DataFrame
    base: dict[str, Any]

    def future_skill_mix(self) -> dict[str, Any]:
        """Return the future who-does-what, reached over ``transition_years`` from next year."""
        return {
            "model": "future",
            "transition_start": int(self.params["base_year"]) + 1,
            "transition_years": int(self.params["transition_years"]),
        }

    def shifts(
        self,
        from_role: str,
        to: Mapping[str, float],
        to_minutes: Mapping[str, float] | None = None,
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Move ``shift_fraction`` of ``from_role``'s future share to ``to``.

        See :func:`_shifts`.
        """
        return _shifts(
            self.skill_mix,
            self.minutes,
            self.activities,
            from_role,
            to,
            float(self.params["shift_fraction"]),
            to_minutes,
        )

    def minute_rows(self, given: list[dict[str, Any]] = ()) -> list[dict[str, Any]]:
        """Minutes rows of the future model.

        Every minute scaled by ``minutes_change``, then the rows ``given`` (minutes of the
        roles work moves to) on top.
        """
        scaled = _scaled_minutes(
            self.minutes, self.activities, float(self.params["minutes_change"])
        )
        return _merge_minutes(scaled, list(given))

    def future_model(
        self,
        shifts: list[dict[str, Any]] = (),
        minutes: list[dict[str, Any]] = (),
        overrides: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Make the ``future_model`` variant.

        The future who-does-what with ``shifts``, the minutes of :meth:`minute_rows` and
        any further ``overrides``.
        """
        future: dict[str, Any] = {"name": "future_model", "skill_mix": self.future_skill_mix()}
        if shifts:
            future["skill_mix"]["shifts"] = list(shifts)
        over = dict(overrides or {})
        rows = self.minute_rows(minutes)
        if rows:
            over["minutes"] = rows
        if over:
            future["overrides"] = over
        return future


@dataclass(frozen=True, slots=True)
class Spec:
    """A use case and what it models.

    Its name, what it models, its own parameters (beyond
    :data:`wfkit.usecases.params.COMMON`), which activities it models and its variants.

    ``select`` picks its rows of ``data/assumptions/activity_use_cases.csv`` (default: the
    rows whose ``use_case`` is ``name``); ``variants`` turns a :class:`Context` into the
    variant mappings; ``attribute_supply`` compares the use case with its share of staff
    in post rather than every member of staff.
    """

    name: str
    description: str
    variants: Callable[[Context], list[dict[str, Any]]]
    params: tuple[P.Setting, ...] = ()
    select: Callable[[pd.DataFrame], pd.Series] | None = None
    attribute_supply: bool = True

    @property
    def known(self) -> tuple[P.Setting, ...]:
        """Every parameter it takes: the common ones, then its own."""
        return (*P.COMMON, *self.params)


#: use cases by name, in the order their modules register them
REGISTRY: dict[str, Spec] = {}
#: use cases and what each models; ``all`` models every bundled activity
USE_CASES: dict[str, str] = {}
#: the parameters every use case understands, with their defaults
DEFAULTS: dict[str, Any] = {p.name: p.default for p in P.COMMON}
#: parameters specific to some use cases (default values)
EXTRA: dict[str, dict[str, Any]] = {}
#: notebook parameters that are not the model's (accepted and ignored by :func:`build`)
NOTEBOOK_ONLY: tuple[str, ...] = tuple(p.name for p in P.NOTEBOOK)


def register(s: Spec) -> Spec:
    """Add a use case to :data:`REGISTRY` (and declare its parameters)."""
    P.declare(*s.params)
    REGISTRY[s.name] = s
    USE_CASES[s.name] = s.description
    EXTRA[s.name] = {p.name: p.default for p in s.params}
    return s


def spec(use_case: str) -> Spec:
    """Return the registered use case ``use_case``; :class:`InputError` naming the known ones."""
    try:
        return REGISTRY[use_case]
    except (KeyError, TypeError):
        raise InputError(
            f"unknown use case {use_case!r}; expected one of {list(REGISTRY)}",
            column="use_case",
        ) from None


# ----------------------------------------------------------------------------------------
# areas and bundled tables
# ----------------------------------------------------------------------------------------
def activities_for(use_case: str) -> list[str]:
    """Activity ids a use case models (from ``data/assumptions/activity_use_cases.csv``).

    ``frailty`` includes the single-condition reviews the whole-person review replaces.
    """
    s = spec(use_case)
    uc = wd.load("activity_use_cases")
    keep = uc["use_case"].eq(s.name) if s.select is None else s.select(uc)
    return sorted(uc.loc[keep, "activity"])


def resolve_area(area: str, level: str = "pcn") -> pd.DataFrame:
    """Find the area(s) a code or name stands for at ``level``: ``area, area_name, patients, ...``.

    Raises
    ------
    InputError
        If nothing matches; the message lists close matches.
    """
    return _resolved(str(area), wd.as_level(level), str(wd.data_dir())).copy()


def area_table(use_case: UseCase) -> pd.DataFrame:
    """Return the areas a use case models, as a notebook shows them.

    Columns ``area, area_name, level, patients, icb``.
    """
    p = use_case.params
    return resolve_area(p["area"], p["level"])[["area", "area_name", "level", "patients", "icb"]]


@functools.lru_cache(maxsize=64)
def _resolved(area: str, level: str, folder: str) -> pd.DataFrame:
    try:
        return wd.select_areas(code=area, level=level)
    except InputError:
        return wd.select_areas(name=area, level=level)


@functools.lru_cache(maxsize=64)
def _bundled_table(
    name: str,
    areas: tuple[str, ...],
    level: str,
    base_year: int,
    years: tuple[int, ...],
) -> pd.DataFrame:
    context = {
        "areas": list(areas),
        "level": level,
        "base_year": base_year,
        "years": list(years),
    }
    df = load_bundled_table(name, context)
    # checked once (here, or by the area table's builder), not again by every run that
    # reuses it (copies keep attrs)
    if df.attrs.get(VALIDATED) != name:
        df = validate_table(df, T.SPECS[name], source=f"bundled:{name}")
        df.attrs[VALIDATED] = name
    return df


def bundled_loader() -> Callable[[str, dict[str, Any]], pd.DataFrame]:
    """Return a cached loader of bundled tables for :func:`wfkit.scenario.run_scenario`.

    The default loader, cached (so sliders rerun fast).  Staff in post come from the one
    supply definition, :func:`wfkit.data.supply`, as in every run.
    """

    def load(name: str, context: dict[str, Any]) -> pd.DataFrame:
        # only growth depends on the years: other tables are shared by runs of any horizon
        # (the attribution run and the use case's own run, say)
        timed = name == "growth"
        df = _bundled_table(
            name,
            tuple(context["areas"]),
            str(context["level"]),
            int(context["base_year"]) if timed else 0,
            tuple(int(y) for y in context["years"]) if timed else (),
        )
        return df.copy()

    return load


# ----------------------------------------------------------------------------------------
# building scenarios
# ----------------------------------------------------------------------------------------
@dataclass(slots=True)
class UseCase:
    """A use case ready to run: a scenario mapping and the activities it models.

    Setting an attribute it does not have (``uc.activites = ...``) raises
    :class:`AttributeError`.

    Attributes
    ----------
    use_case
        One of :data:`USE_CASES`.
    params
        The parameters it was built from (defaults filled in).
    mapping
        A scenario mapping (the YAML format), with the baseline and its variants.
    activities
        The activity ids modelled.
    """

    use_case: str
    params: dict[str, Any]
    mapping: dict[str, Any]
    activities: list[str]
    area_names: dict[str, str] = field(default_factory=dict)
    _run: ScenarioRun | None = field(default=None, init=False, repr=False, compare=False)

    def run(self) -> ScenarioRun:
        """Run the baseline and every variant on the bundled data, once.

        The run is seeded, so the same use case gives the same results, and later calls
        reuse it.
        """
        if self._run is None:
            self._run = run_scenario(self.mapping, load_table=bundled_loader())
        return self._run


def _tables(activities: list[str]) -> dict[str, pd.DataFrame]:
    return {
        n: wd.load(n).loc[lambda d: d["activity"].isin(activities)]
        for n in ("skill_mix", "minutes")
    }


def _shifts(
    skill_mix: pd.DataFrame,
    minutes: pd.DataFrame,
    activities: list[str],
    from_role: str,
    to: Mapping[str, float],
    fraction: float,
    to_minutes: Mapping[str, float] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Shift rows (and minutes rows) moving ``from_role``'s future share to other roles.

    One set for each activity whose future model gives ``from_role`` a share.  Work moves
    only to receiving roles that the bundled minutes table lists for the activity (roles
    that do it somewhere today); ``to_minutes`` sets their minutes per contact.
    """
    to = {r: float(p) for r, p in to.items() if float(p) > 0}
    if fraction <= 0 or not to:
        return [], []
    shifts, mins = [], []
    fut = skill_mix.set_index(["activity", "role"])["future"]
    mn = minutes.set_index(["activity", "role"])["value"]
    for act in activities:
        if fut.get((act, from_role), 0.0) <= 0:
            continue
        ok = {r: p for r, p in to.items() if (act, r) in mn.index}
        total = sum(ok.values())
        if total <= 0:
            continue
        ok = {r: round(p / total, 12) for r, p in ok.items()}
        shifts.append({"activity": act, "from": from_role, "to": ok, "fraction": fraction})
        for r in ok:
            given = (to_minutes or {}).get(r)
            if given is not None:
                mins.append({"activity": act, "role": r, "value": float(given)})
    return shifts, mins


def scaled(row: Any, factor: float) -> Any:
    """Scale a table row's value by ``factor``, as a scenario override gives it.

    The value, or ``[lo, hi]`` scaled when the row has an interval.
    """
    if pd.notna(row.lo) and pd.notna(row.hi):
        return [round(float(row.lo) * factor, 6), round(float(row.hi) * factor, 6)]
    return round(float(row.value) * factor, 6)


def _scaled_minutes(
    minutes: pd.DataFrame, activities: list[str], change: float
) -> list[dict[str, Any]]:
    if change == 0:
        return []
    return [
        {"activity": row.activity, "role": row.role, "value": scaled(row, 1 + change)}
        for row in minutes[minutes["activity"].isin(activities)].itertuples(index=False)
    ]


def _merge_minutes(*groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Later rows win for the same (activity, role)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for g in groups:
        for r in g:
            out[(r["activity"], r["role"])] = r
    return list(out.values())


def build(use_case: str, params: Mapping[str, Any] | None = None) -> UseCase:
    """Build a use case's scenario from parameters.

    Parameters
    ----------
    use_case
        One of :data:`USE_CASES` (the names in :data:`REGISTRY`).
    params
        Any of the common parameters (:data:`wfkit.usecases.params.COMMON`) and the use
        case's own (``REGISTRY[use_case].params``); the notebooks' own parameters
        (``output_dir`` and :data:`NOTEBOOK_ONLY`) are accepted and ignored.  Missing ones
        take their defaults; each is checked against its declaration.

    Common parameters: ``area`` (code or name at ``level``), ``level`` (``practice``,
    ``pcn``, ``sub_icb``, ``icb`` or ``region``), ``base_year``, ``horizon`` (years ahead),
    ``growth_rate`` (annual growth on top of the ONS projection), ``transition_years``
    (years to move to the future model), ``shift_fraction`` (fraction of a role's
    future share moved to other roles), ``minutes_change`` (relative change of minutes
    per contact in the future model, e.g. -0.1), ``draws``, ``seed``.

    Returns
    -------
    UseCase
        With the variants its module describes (``future_model`` for most;
        ``whole_person`` for ``frailty``).
    """
    s = spec(use_case)
    p = P.check(params or {}, s.known, f" for use case {use_case!r}")
    level = wd.as_level(str(p["level"]))  # a grouping file is read once, here
    found = resolve_area(str(p["area"]), level)
    areas = sorted(found["area"])
    activities = activities_for(use_case)
    tabs = _tables(activities)
    base: dict[str, Any] = {
        "name": f"{use_case}: {', '.join(found['area_name'].head(3))}"
        + (" ..." if len(found) > 3 else ""),
        "description": s.description,
        "base_year": int(p["base_year"]),
        "horizon": int(p["horizon"]),
        "draws": int(p["draws"]),
        "seed": int(p["seed"]),
        "areas": areas,
        "level": level,
        "activities": activities,
        "growth_rate": float(p["growth_rate"]),
        **{s.name: float(p[s.name]) for s in P.SUPPLY_POLICY},
        "calibration": str(p["calibration"]),
        "inputs": {t: "bundled" for t in T.INPUT_TABLES},
        "skill_mix": {"model": "current"},
    }
    ctx = Context(p, activities, tabs["skill_mix"], tabs["minutes"], base)
    base["variants"] = s.variants(ctx)
    if s.attribute_supply:
        # in-post FTE of a use case: attributed by its share of each role's workload today
        base["overrides"] = {
            "supply": _attributed_supply(
                tuple(areas), level, int(p["base_year"]), tuple(activities), str(p["calibration"])
            )
        }
    names = dict(zip(found["area"], found["area_name"], strict=True))
    return UseCase(use_case, p, base, activities, names)


@functools.lru_cache(maxsize=32)
def _attributed_supply(
    areas: tuple[str, ...],
    level: str,
    base_year: int,
    activities: tuple[str, ...],
    calibration: str = "national",
) -> list[dict[str, Any]]:
    """FTE in post attributed to a use case.

    Each role's staff in post times the use case's share of that role's base-year workload
    over every bundled activity (today's model).  Without it a single use case would be
    compared with every member of staff.

    Kept in the on-disk cache (keyed by the data files, wfkit's source and the request): it
    runs every activity for the areas, which every new kernel would otherwise redo.
    """
    df = cache.read_through(
        "areas",
        lambda: cache.key(
            fingerprint(), "attributed_supply", areas, level, base_year, activities, calibration
        ),
        ["attributed_supply"],
        lambda: {
            "attributed_supply": pd.DataFrame(
                _attribute(areas, level, base_year, activities, calibration),
                columns=["area", "role", "fte"],
            )
        },
    )["attributed_supply"]
    return df.to_dict("records")


def _attribute(
    areas: tuple[str, ...],
    level: str,
    base_year: int,
    activities: tuple[str, ...],
    calibration: str,
) -> list[dict[str, Any]]:
    mapping = {
        "name": "all activities, for attribution",
        "base_year": base_year,
        "horizon": 1,
        "areas": list(areas),
        "level": level,
        "inputs": {t: "bundled" for t in REQUIRED_TABLES},
        "calibration": calibration,
    }
    run = run_scenario(mapping, load_table=bundled_loader(), draws=0, seed=0)
    r = run.results["baseline"]
    w = r.workload_by_activity()
    w = w[w["year"] == base_year]
    mine = w[w["activity"].isin(activities)].groupby(["area", "role"])["hours"].sum()
    every = w.groupby(["area", "role"])["hours"].sum()
    share = (mine / every).fillna(0.0)
    rows = []
    for a, area in enumerate(r.areas):
        for k, role in enumerate(r.roles):
            fte = float(r.supply_fte[0, a, 0, k])
            part = float(share.get((area, role), 0.0))
            rows.append({"area": area, "role": role, "fte": round(fte * part, 6)})
    return rows


def rerun(use_case: UseCase | str, params: Mapping[str, Any] | None = None, **changes: Any):
    """Rebuild and rerun a use case with some parameters changed (what the sliders call).

    ``rerun(uc, shift_fraction=0.5)`` or ``rerun("same_day", params, growth_rate=0.01)``.
    """
    if isinstance(use_case, UseCase):
        if all(use_case.params.get(k) == v for k, v in changes.items()):
            return use_case.run()  # nothing changed: the seeded run is the same
        name, base = use_case.use_case, dict(use_case.params)
    else:
        name, base = use_case, dict(params or {})
    base.update(changes)
    return build(name, base).run()
