"""What a report says, gathered once from a run.

The headline in words, the tables in words, the base-year reconciliation and the
provenance.

The HTML report, the workbook and the batch index all read a :class:`Facts`; every figure
in it comes from wfkit's own functions (:func:`wfkit.usecases.headline`,
:func:`wfkit.usecases.results_frame`, :func:`wfkit.usecases.base_year`,
:meth:`wfkit.scenario.ScenarioRun.summary`, :func:`wfkit.tornado`), never recomputed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from .. import __version__, usecases
from ..scenario.run import level_words
from ..sensitivity import tornado
from ..usecases.closer_to_home import business_case, moved_in_results
from . import labels as L

__all__ = ["Facts", "gather", "headline_sentences", "headline_row"]


@dataclass(slots=True)
class Facts:
    """Everything a report shows, in words and numbers.

    Attributes
    ----------
    title
        ``What <area> needs: <use case>``.
    areas
        Area codes to names, in the run's order.
    level
        The area level (``pcn``, ...) for bundled areas, else ``None``.
    headline
        :func:`wfkit.usecases.headline` of the horizon year, with ``label`` (scenario in words).
    base_headline
        The same for the base year.
    results
        :func:`wfkit.usecases.results_frame` (totals over areas), with ``role_label`` and
        ``scenario_label``.
    base_year
        :func:`wfkit.usecases.base_year` (required against in post per role, with reasons).
    calibration
        The calibration the base year rests on (``none``, ``national``, ``local``).
    provenance
        ``(item, value)`` pairs: wfkit version, when it ran, scenario, parameters, seed,
        draws, calibration.
    tables
        The bundled tables the run read: ``table, period, source, licence`` (empty for a
        run on the user's own tables only), then any own files.
    business_case
        :func:`wfkit.business_case` of the work moved in from hospital (empty when no
        variant moves work in).
    swings
        :func:`wfkit.tornado` of the baseline's horizon year, over the run's areas and
        roles: each uncertain input alone at its P10 and its P90.
    """

    title: str
    areas: dict[str, str]
    level: str | None
    use_case: str | None
    headline: pd.DataFrame
    base_headline: pd.DataFrame
    results: pd.DataFrame
    base_year: pd.DataFrame
    calibration: str
    provenance: list[tuple[str, str]]
    tables: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)
    business_case: pd.DataFrame = field(default_factory=pd.DataFrame)
    swings: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def area_words(self) -> str:
        """The areas in words: one name, or ``N areas (first, second, ...)``."""
        names = list(self.areas.values())
        if len(names) == 1:
            return names[0]
        shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
        return f"{len(names)} areas ({shown})"

    @property
    def base(self) -> int:
        """The base year."""
        return int(self.base_headline["year"].iloc[0])

    @property
    def horizon_year(self) -> int:
        """The last year modelled."""
        return int(self.headline["year"].iloc[0])


def _level(run: Any) -> str | None:
    """Return the area level of a run on bundled population data, else ``None``."""
    base = run.provenance.get("baseline")
    origin = str(base.tables.get("population", "")) if base is not None else ""
    return str(run.scenario.baseline.level) if origin.startswith("bundled") else None


def gather(
    run: Any,
    params: Mapping[str, Any] | None = None,
    use_case: str | None = None,
    when: datetime | None = None,
) -> Facts:
    """Gather the :class:`Facts` of a :class:`~wfkit.scenario.ScenarioRun`.

    Parameters
    ----------
    run
        The run.
    params
        The parameters it was made from (a use case's or notebook's), for the provenance.
    use_case
        The use case's name, if it came from one.
    when
        When it ran (default now, UTC).
    """
    # lazy: the bundled data's table list is read only for the provenance
    from .. import data

    level = _level(run)
    codes = [str(a) for a in run.results["baseline"].areas]
    areas = L.area_names(codes, level)
    head = usecases.headline(run)
    base_head = usecases.headline(run, int(run.results["baseline"].years[0]))
    for h in (head, base_head):
        h.insert(1, "label", [L.scenario_label(s) for s in h["scenario"]])
    res = usecases.results_frame(run)
    res["role_label"] = [L.role_label(r) for r in res["role"]]
    res["scenario_label"] = [L.scenario_label(s) for s in res["scenario"]]
    rec = usecases.base_year(run)
    rec["label"] = [L.role_label(r) if r != "all" else "All roles" for r in rec["role"]]
    cal = run.calibration().method
    s = run.summary()
    what = usecases.USE_CASES.get(use_case or "", "") if use_case else ""
    when = when or datetime.now(UTC)
    prov: list[tuple[str, str]] = [
        ("wfkit version", __version__),
        ("ran at", when.strftime("%Y-%m-%d %H:%M UTC")),
        ("scenario", str(s["scenario"])),
    ]
    if use_case:
        prov.append(("use case", f"{use_case}" + (f" ({what})" if what else "")))
    if s.get("file"):
        prov.append(("scenario file", str(s["file"])))
    prov += [
        ("areas", ", ".join(f"{n} ({c})" if n != c else c for c, n in areas.items())),
        ("area level", level_words(level) if level else "own tables"),
        ("base year", str(s["base_year"])),
        ("horizon", f"{s['horizon']} years (to {s['base_year'] + s['horizon']})"),
        ("Monte Carlo draws", f"{s['draws']:,}"),
        ("seed", str(s["seed"])),
        ("calibration", cal),
        ("scenarios", ", ".join(L.scenario_label(v) for v in run.results)),
    ]
    for k, v in (params or {}).items():
        prov.append((f"parameter {k}", "" if v is None else str(v)))
    origins = sorted({o for rec_ in run.provenance.values() for o in rec_.tables.values()})
    tabs = pd.DataFrame(columns=["table", "period", "source", "licence"])
    if any(o.startswith("bundled") for o in origins):
        tabs = data.list_tables()[["table", "period", "source", "licence"]]
    own = [o for o in origins if not o.startswith("bundled")]
    if own:
        extra = pd.DataFrame({"table": own, "period": "", "source": "your own file", "licence": ""})
        tabs = pd.concat([tabs, extra], ignore_index=True)
    area_text = L.area_names(codes, level)
    title_area = next(iter(area_text.values())) if len(area_text) == 1 else f"{len(codes)} areas"
    title = f"What {title_area} needs" + (f": {what}" if what else "")
    return Facts(
        title=title,
        areas=areas,
        level=level,
        use_case=use_case,
        headline=head,
        base_headline=base_head,
        results=res,
        base_year=rec,
        calibration=cal,
        provenance=prov,
        tables=tabs.reset_index(drop=True),
        params=dict(params or {}),
        business_case=(
            business_case(moved_in_results(run), run)
            if any(v.moved_in for v in run.scenario.variants)
            else pd.DataFrame()
        ),
        swings=tornado(run),
    )


def headline_row(f: Facts, scenario: str | None = None) -> pd.Series:
    """Return the horizon year's headline of one scenario (default the last, the future one)."""
    h = f.headline.set_index("scenario")
    return h.loc[scenario if scenario is not None else h.index[-1]]


def headline_sentences(f: Facts) -> list[str]:
    """Return the first paragraph of a report in plain English, as sentences.

    What the area needs in the horizon year under each scenario with its P10-P90 and P50,
    against the staff in post, and what the gap means.
    """
    out = []
    base = f.base_year[f.base_year["role"] == "all"].iloc[0]
    for i, row in enumerate(f.headline.itertuples(index=False)):
        needs = (
            f"In {row.year}, {f.area_words} needs {L.fte(row.required_fte)} FTE staff"
            if i == 0
            else f"Under the {row.label.lower()} scenario it needs {L.fte(row.required_fte)} FTE"
        )
        if i == 0:
            needs += f" under the {row.label.lower()} scenario"
        out.append(
            f"{needs} (central run; {L.band(row.required_p10, row.required_p50, row.required_p90)}) "
            f"against {L.fte(row.in_post_fte)} FTE expected in post: "
            f"{L.gap_words(row.gap_fte)} (at the P50, {L.gap_words(row.gap_p50)})."
        )
    out.append(
        f"In the base year {f.base} the model needs {L.fte(base.required_fte)} FTE against "
        f"{L.fte(base.supply_fte)} in post ({L.gap_words(base.gap_fte)}; calibration: "
        f"{f.calibration})."
    )
    out.append(L.GAP_MEANING)
    return out
