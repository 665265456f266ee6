"""Write the back-test page of the bundled data: docs/backtest.md and its charts.

    python docs/build_backtest.py --write docs/     # make backtest-docs
    python docs/build_backtest.py                   # the page's markdown to stdout

The charts go to ``img/backtest-*.png`` beside the page.  The computation is the package's
(:func:`wfkit.backtest.compute`); this script only writes it up: the page's prose, tables
and charts.  ``tests/integration/test_england_backtest.py`` fails if the committed page
differs from a fresh render.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
import vl_convert as vlc

from wfkit.backtest import CATEGORY_ALIASES, MIN_LIST, STAFF, STAFF_GROUPS, Backtest, compute
from wfkit.frontdoor import phone_backtest

try:
    from docs.build_hindcast import section as hindcast_section
except ModuleNotFoundError:  # run as a script: docs/ itself is on the path
    from build_hindcast import section as hindcast_section

_STAFF_WORDS = {"all": "All staff", "gp": "GP", "other": "Other staff"}
_LEVEL_WORDS = {"practice": "practices", "pcn": "networks"}


#: one colour per staff group in every chart of the page
GROUP_COLOURS = {
    "GPs": "#1f77b4",
    "Nurses": "#2ca02c",
    "Other direct patient care": "#ff7f0e",
    "Admin and non-clinical": "#9467bd",
}
_STAFF_COLOURS = {"All staff": "#444444", "GP": "#1f77b4", "Other staff": "#ff7f0e"}


def _n(x: float, d: int = 0) -> str:
    return f"{x:,.{d}f}"


def _table(name: str, header: list[str], rows: list[list[str]]) -> list[str]:
    out = [f"<!-- table: {name} -->", "| " + " | ".join(header) + " |"]
    out.append("|" + "|".join("---" for _ in header) + "|")
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]


def chart_appointments(b: Backtest):
    """Per network: appointments per patient a year, actual against modelled, by staff type."""
    d = b.appointments["pcn"]
    d = d[d.included]
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "network": d.area,
                    "staff": _STAFF_WORDS[s],
                    "actual": d[f"actual_{s}_pp"].round(3),
                    "modelled": d[f"modelled_{s}_pp"].round(3),
                }
            )
            for s in STAFF
        ],
        ignore_index=True,
    )
    top = float(np.ceil(max(long.actual.quantile(0.995), long.modelled.quantile(0.995))))
    long = long[(long.actual <= top) & (long.modelled <= top)]
    ax = alt.Scale(domain=[0, top], clamp=True)
    panels = []
    for s in STAFF:
        w = _STAFF_WORDS[s]
        st = b.appointment_stats.set_index(["level", "staff"]).loc[("pcn", s)]
        pts = (
            alt.Chart(long[long.staff == w])
            .mark_circle(size=14, opacity=0.45, color=_STAFF_COLOURS[w])
            .encode(
                x=alt.X(
                    "actual:Q",
                    scale=ax,
                    title="Appointments per patient a year, actual (Nov 2025 x 12 / seasonal factor)",
                ),
                y=alt.Y("modelled:Q", scale=ax, title="Appointments per patient a year, modelled"),
            )
        )
        line = (
            alt.Chart(pd.DataFrame({"actual": [0, top], "modelled": [0, top]}))
            .mark_line(color="black", strokeDash=[4, 3])
            .encode(x="actual:Q", y="modelled:Q")
        )
        panels.append(
            alt.layer(pts, line).properties(
                width=260,
                height=260,
                title=f"{w}: r = {st.pearson_r:.2f}, median modelled/actual {st['median']:.2f}",
            )
        )
    return alt.hconcat(*panels).properties(
        title=alt.TitleParams(
            "Modelled against actual appointments per patient, each network in England, 2025 "
            "(dashed: modelled = actual)",
            fontSize=15,
        )
    )


def chart_fte(b: Backtest):
    """Per network: staff in post / FTE required by staff group, with P10-P90 and median."""
    d = b.fte["pcn"]
    d = d[d.included].assign(ratio=lambda x: x.ratio.clip(upper=3.0).round(3))
    st = b.fte_stats[b.fte_stats.level == "pcn"]
    colour = alt.Color(
        "staff_group:N",
        scale=alt.Scale(domain=list(GROUP_COLOURS), range=list(GROUP_COLOURS.values())),
        title="Staff group",
        legend=None,
    )
    y = alt.Y("staff_group:N", sort=list(STAFF_GROUPS), title=None)
    x_title = "Staff in post / FTE required, base year 2025 (1 = staffed at England's level)"
    pts = (
        alt.Chart(d[["staff_group", "ratio"]])
        .mark_tick(opacity=0.25, thickness=1, size=18)
        .encode(
            x=alt.X("ratio:Q", title=x_title, scale=alt.Scale(domain=[0, 3])), y=y, color=colour
        )
    )
    band = alt.Chart(st).mark_rule(strokeWidth=3, color="black").encode(x="p10:Q", x2="p90:Q", y=y)
    med = (
        alt.Chart(st)
        .mark_point(shape="diamond", size=120, filled=True, color="black")
        .encode(x="median:Q", y=y)
    )
    one = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(strokeDash=[4, 3]).encode(x="x:Q")
    return alt.layer(pts, band, med, one).properties(
        width=620,
        height=220,
        title=alt.TitleParams(
            "Staff in post against FTE required by staff group, each network in England, 2025",
            subtitle="ticks: networks (above 3 shown at 3); black line: P10 to P90; diamond: median",
        ),
    )


def chart_minutes_factor(b: Backtest):
    """England: the minutes factor national calibration needed per role."""
    d = b.national[["label", "staff_group", "minutes_factor"]].copy()
    d["minutes_factor"] = d.minutes_factor.round(3)
    d["one"] = 1.0
    d["_g"] = d.staff_group.map({g: i for i, g in enumerate(STAFF_GROUPS)})
    order = list(d.sort_values(["_g", "minutes_factor"]).label)
    d = d.drop(columns="_g")
    bars = (
        alt.Chart(d)
        .mark_bar()
        .encode(
            x=alt.X(
                "minutes_factor:Q",
                scale=alt.Scale(type="log", domain=[0.25, 8]),
                title="Minutes factor national calibration needed (log scale; 1 = bundled minutes as cited)",
            ),
            x2="one:Q",
            y=alt.Y("label:N", sort=order, title=None),
            color=alt.Color(
                "staff_group:N",
                scale=alt.Scale(domain=list(GROUP_COLOURS), range=list(GROUP_COLOURS.values())),
                title="Staff group",
            ),
        )
    )
    one = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(strokeDash=[4, 3]).encode(x="x:Q")
    return alt.layer(bars, one).properties(
        width=520,
        height=420,
        title="How far the bundled minutes were from what today's staff deliver, England, 2025",
    )


def chart_categories(b: Backtest):
    """England: national appointment categories against the model, GP and other staff."""
    c = b.categories
    c = c[(c.modelled_gp + c.modelled_other) > 0]
    rows = []
    for s, w in (("gp", "GP"), ("other", "Other staff")):
        for what in ("actual", "modelled"):
            rows.append(
                pd.DataFrame(
                    {
                        "category": c.category.str.replace("_", " "),
                        "staff": w,
                        "source": "Actual (Nov 2025 x 12 / seasonal factor)"
                        if what == "actual"
                        else "Modelled, base year 2025",
                        "millions": (c[f"{what}_{s}"] / 1e6).round(3),
                    }
                )
            )
    d = pd.concat(rows, ignore_index=True)
    return (
        alt.Chart(d)
        .mark_bar()
        .encode(
            x=alt.X("millions:Q", title="Appointments a year, millions"),
            y=alt.Y("source:N", title=None, axis=None),
            row=alt.Row(
                "category:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")
            ),
            column=alt.Column("staff:N", title=None),
            color=alt.Color(
                "source:N",
                scale=alt.Scale(range=["#7f7f7f", "#1f77b4"]),
                title=None,
                legend=alt.Legend(orient="bottom", labelLimit=400),
            ),
        )
        .properties(width=260, height=28)
        .properties(title="National appointment categories against the model, England, 2025")
    )


CHARTS = {
    "backtest-appointments.png": chart_appointments,
    "backtest-fte.png": chart_fte,
    "backtest-minutes-factor.png": chart_minutes_factor,
    "backtest-categories.png": chart_categories,
}


def render(b: Backtest) -> str:
    """The markdown of ``docs/backtest.md``."""
    a = b.appointment_stats.set_index(["level", "staff"])
    f = b.fte_stats.set_index(["level", "staff_group"])
    pa, pp = b.appointments["practice"], b.appointments["pcn"]
    n_all = int(pa.november.sum())
    L: list[str] = [
        "# Back-test: the model against England's appointments and staff, 2025",
        "",
        "Does the model, on the bundled data, describe what England's practices do and who",
        "does it? Five tests on the base year 2025 with today's who-does-what, and a hindcast",
        "from a 2022 base to 2025 (section 6). This page is",
        "written by `docs/build_backtest.py` (`make backtest-docs`) from `wfkit.backtest` and",
        "`tests/integration/test_england_backtest.py` fails if its figures drift from a fresh",
        "computation or from the publishers' totals.",
        "",
        "## 1. Appointments: is the demand model right area by area?",
        "",
        "For every practice and every network, the model's base-year appointments (modelled",
        "contacts x `appointment_weight` for the clinical activities of",
        "`data/assumptions/appointment_map.csv`, GP and other staff split by today's",
        "who-does-what) against the area's own November 2025 appointments made annual with its",
        "seasonal factor (`November x 12 / factor`; appointments by unknown staff shared",
        "pro rata). The model runs under `calibration: national`, which scales minutes only and",
        "never demand, so this is a test of the demand model: each area's December 2025 age",
        "bands, its recorded QOF 2024/25 prevalence and the bundled national contact rates.",
        f"England's {_n(n_all)} November 2025 appointments make {_n(pa.actual_all.sum() / 1e6, 1)}",
        "million a year. Per patient: actual appointments over the appointments file's list, modelled",
        "over the December 2025 list.",
        f"Practices with a list under {_n(MIN_LIST)} or no November appointments are left out",
        f"({_n(len(pa) - pa.included.sum())} of {_n(len(pa))} practices, "
        f"{_n(len(pp) - pp.included.sum())} of {_n(len(pp))} networks).",
        "",
    ]
    rows = []
    for lv in ("practice", "pcn"):
        for s in STAFF:
            x = a.loc[(lv, s)]
            rows.append(
                [
                    _LEVEL_WORDS[lv],
                    _STAFF_WORDS[s],
                    _n(x.areas),
                    f"{x.pearson_r:.2f}",
                    f"{x['median']:.2f}",
                    f"{x.p10:.2f}",
                    f"{x.p90:.2f}",
                    f"{x.modelled_pp:.2f}",
                    f"{x.actual_pp:.2f}",
                ]
            )
    L += _table(
        "appointments",
        [
            "areas",
            "staff",
            "number",
            "Pearson r, per patient",
            "median modelled / actual",
            "P10",
            "P90",
            "modelled per patient a year",
            "actual per patient a year",
        ],
        rows,
    )
    r_now = a.loc[("pcn", "all"), "pearson_r"]
    inc = pp[pp.included]
    cv_a = float(inc.actual_all_pp.std() / inc.actual_all_pp.mean())
    cv_m = float(inc.modelled_all_pp.std() / inc.modelled_all_pp.mean())
    L += [
        f"Across networks the correlation of appointments per patient is **r = {r_now:.2f}**",
        f"for all staff, {a.loc[('pcn', 'gp'), 'pearson_r']:.2f} for GP and "
        f"{a.loc[('pcn', 'other'), 'pearson_r']:.2f} for other staff appointments.",
        f"England as a whole: the model gives {a.loc[('pcn', 'all'), 'modelled_pp']:.2f} "
        f"appointments per patient a year against {a.loc[('pcn', 'all'), 'actual_pp']:.2f}; it "
        f"gives GPs {a.loc[('pcn', 'gp'), 'modelled_pp']:.2f} against "
        f"{a.loc[('pcn', 'gp'), 'actual_pp']:.2f} and other staff "
        f"{a.loc[('pcn', 'other'), 'modelled_pp']:.2f} against "
        f"{a.loc[('pcn', 'other'), 'actual_pp']:.2f}: today's who-does-what gives GPs more of",
        "the work than practices book with GPs. Across networks actual appointments per patient",
        f"vary {cv_a:.0%} about their mean (coefficient of variation), the model's {cv_m:.0%}: most",
        "of what differs between areas is not their age or recorded prevalence but how much a",
        "practice books (access and triage models, continuity, deprivation, unrecorded need).",
        "Local calibration (`calibration: local`) sets each area's demand to its own appointments.",
        "",
        "![Modelled against actual appointments per patient, each network](img/backtest-appointments.png)",
        "",
        "## 2. Staff in post against FTE required, by staff group",
        "",
        "Base-year required FTE against staff in post (capacity FTE: practice staff October 2025,",
        "network staff November 2025, GP registrars at half a qualified GP) for each practice and",
        "network,",
        "by the staff groups of `data/assumptions/roles.csv`, under national calibration: England",
        "is staffed at its own level by construction (ratio 1 overall), so the spread is how far",
        "each area's staff differ from what its list, age and recorded prevalence would give at",
        "England's level. Network staff are shared between a network's practices by list size.",
        "",
    ]
    rows = []
    for lv in ("practice", "pcn"):
        for g in STAFF_GROUPS:
            x = f.loc[(lv, g)]
            rows.append(
                [
                    _LEVEL_WORDS[lv],
                    g,
                    _n(x.areas),
                    f"{x['median']:.2f}",
                    f"{x.p10:.2f}",
                    f"{x.p90:.2f}",
                    _n(x.no_staff),
                ]
            )
    L += _table(
        "fte",
        [
            "areas",
            "staff group",
            "number",
            "median in post / required",
            "P10",
            "P90",
            "areas with none in post",
        ],
        rows,
    )
    L += [
        "Practices spread wider than networks: network staff (pharmacists, paramedics, social",
        "prescribers) are shared by list size, and a practice's own nurses or GPs may work for",
        "its neighbours. An area well below 1 is short of staff for its need at England's level,",
        "or delivers the work with another group.",
        "",
        "![Staff in post against FTE required by staff group, each network](img/backtest-fte.png)",
        "",
        "## 3. England, role by role: the bundled assumptions as they are",
        "",
        "Required FTE under `calibration: none` (bundled contact rates, minutes and allowances as",
        "cited) against capacity FTE in post, and the minutes factor `calibration: national`",
        "needed for each role (under national calibration required equals in post by",
        "construction: the factor is how far the bundled minutes and contacts were from what",
        "today's staff deliver).",
        "",
    ]
    rows = [
        [
            r.label,
            r.staff_group,
            _n(r.in_post_fte),
            _n(r.required_none),
            f"{r.ratio_none:.2f}",
            f"{r.minutes_factor:.2f}",
            r.explanation,
        ]
        for r in b.national.sort_values(["staff_group", "role"]).itertuples()
    ]
    L += _table(
        "national_roles",
        [
            "role",
            "staff group",
            "in post, capacity FTE",
            "required, calibration none",
            "in post / required",
            "minutes factor (national)",
            "why",
        ],
        rows,
    )
    rows = [
        [
            r.staff_group,
            _n(r.in_post_fte),
            _n(r.required_none),
            f"{r.ratio_none:.2f}",
            _n(r.required_national),
        ]
        for r in b.national_groups.itertuples()
    ]
    L += _table(
        "national_groups",
        [
            "staff group",
            "in post, capacity FTE",
            "required, calibration none",
            "in post / required",
            "required, calibration national (sum over practices)",
        ],
        rows,
    )
    L += [
        "![Minutes factor national calibration needed, by role](img/backtest-minutes-factor.png)",
        "",
        "### From the publishers' totals to the model's staff in post",
        "",
        "Every FTE the publishers count is either in the model's supply or accounted for here",
        "(practice staff: NHS England *General Practice Workforce*, October 2025, the practice",
        "figures brought to each sub-ICB's published totals; network staff: *Primary Care Network",
        "Workforce*, November 2025).",
        "",
    ]
    words = {
        "gp": "GPs (incl. locums and registrars)",
        "nurse": "Nurses",
        "dpc": "Direct patient care",
        "admin": "Admin and non-clinical",
        "all": "All network staff",
    }
    rows = [
        [
            r.source,
            words.get(r.staff_group, r.staff_group),
            _n(r.published),
            _n(0.0 if abs(r.unplaced) < 0.5 else r.unplaced),
            _n(r.not_modelled),
            _n(r.modelled - r.capacity),
            _n(r.capacity),
        ]
        for r in b.supply.itertuples()
    ]
    s = b.supply
    L += _table(
        "supply",
        [
            "source",
            "staff group",
            "published FTE",
            "not placed (rounding)",
            "in post, not modelled",
            "registrars' capacity below a qualified GP",
            "model's staff in post, capacity FTE",
        ],
        rows,
    )
    L += [
        "What the residuals rest on:",
        "",
        f"- **Registrars at half capacity.** {_n(s.modelled.iloc[0] - s.capacity.iloc[0])} GP FTE",
        "  of practice registrars do not count as qualified GP capacity (`staff_roles.csv`,",
        "  capacity factor 0.5, range 0.4-0.7).",
        "- **Practices closed since.** None lost: the staff of practices with no December 2025",
        "  code (closed or merged into another practice) follow their patients to the practice at",
        "  the same postcode or, by list growth, to their sub-ICB's practices (`staff_transfers`,",
        f"  docs/data.md); what is left unplaced is rounding ({_n(s.unplaced.sum())} FTE).",
        f"- **Staff in post not modelled.** {_n(s.not_modelled.sum())} FTE (dispensers, podiatrists,",
        "  talking-therapies therapists, apprentices, estates, network directors) do work no",
        "  activity of the model describes; they are listed in every run's reconciliation.",
        "- **Network staff not placed.** "
        + (
            "none: every network's staff fall in a region."
            if s.unplaced.iloc[-1] < 0.5
            else f"{_n(s.unplaced.iloc[-1])} FTE of networks in no region."
        ),
        "- **Roles whose work the model under-describes** need a minutes factor well above 1",
        "  (the table: today's staff deliver more than the bundled activities give them);",
        "  a factor below 1 means the bundled rates or minutes give the role more work than",
        "  its staff deliver, or work that other roles do in practice.",
        "",
        "## 4. National appointment categories against the model",
        "",
        "England's November 2025 appointments by national category (NHS England, *Appointments in",
        "General Practice*) made annual with England's seasonal factor, against the model's",
        "base-year appointments mapped to those categories (`appointment_map.national_category`),",
        "by GP and other staff (other includes unknown staff). Millions of appointments a year.",
        "",
    ]
    rows = [
        [
            r.category,
            f"{r.actual_gp / 1e6:.2f}",
            f"{r.modelled_gp / 1e6:.2f}",
            f"{r.actual_other / 1e6:.2f}",
            f"{r.modelled_other / 1e6:.2f}",
            r.activities or "none",
        ]
        for r in b.categories.itertuples()
    ]
    L += _table(
        "categories",
        [
            "national category",
            "GP, actual",
            "GP, modelled",
            "other staff, actual",
            "other staff, modelled",
            "model activities",
        ],
        rows,
    )
    c = b.categories.set_index("category")
    unm = c[c.activities == ""]
    mp = c[c.activities != ""]
    aliased = [k for k, v in CATEGORY_ALIASES.items() if v in set(c.index)]
    L += [
        f"In the mapped categories together the model gives {mp.modelled_gp.sum() / 1e6:.1f} "
        f"million GP appointments a year against {mp.actual_gp.sum() / 1e6:.1f} million booked, and "
        f"{mp.modelled_other.sum() / 1e6:.1f} million other-staff appointments against "
        f"{mp.actual_other.sum() / 1e6:.1f} million.",
        f"{(unm.actual_gp + unm.actual_other).sum() / 1e6:.1f} million appointments a year fall in",
        "categories no activity maps to (triage, inconsistent or unmapped, unplanned, care-home",
        "rounds and visits, external organisations, group consultations, walk-in): the model's",
        "same-day and routine activities carry that demand under other names, so categories are",
        "best compared in total, and the split between acute, routine and triage is not a test",
        "of the model.",
        "",
        *(
            [
                "The appointment map's category "
                + ", ".join(f"`{k}`" for k in aliased)
                + " is spelled "
                + ", ".join(f"`{CATEGORY_ALIASES[k]}`" for k in aliased)
                + " in the national table; the back-test reads it so.",
                "",
            ]
            if aliased
            else []
        ),
        "![National appointment categories against the model](img/backtest-categories.png)",
        "",
        "Activities the categories cannot inform:",
        "",
    ]
    L += _table(
        "uninformed",
        ["activity", "why"],
        [[r.activity, r.why] for r in b.uninformed.itertuples()],
    )
    if b.notes:
        L += ["Notes of the national calibration:", ""] + [f"- {n}" for n in b.notes] + [""]
    L += _phones()
    L += hindcast_section()
    return "\n".join(L)


def _phones() -> list[str]:
    """Section 5: the phone lines (Erlang A) against what each practice reports."""
    per, summary = phone_backtest()
    share = summary.share.iloc[0]
    words = {"within_1min": "answered within 1 minute (of answered)", "missed": "missed"}
    L = [
        "## 5. Phone lines: answered within a minute and missed calls, practice by practice",
        "",
        f"For each of the {_n(len(per))} practices with published calls in November 2025 (at",
        "least 500 answered or missed) and admin staff in post (`wfkit.frontdoor.phone_backtest`):",
        "the calls that reached a queue spread over Monday-Friday 08:00-18:30 with England's",
        "published profile, the practice's own mean call duration, England's callers' mean",
        "patience (from the published waits, `P(abandon) = mean wait / mean patience`), and",
        "`round(share x admin FTE)` call handlers (at least one) in every open hour, as an",
        "Erlang A queue. The share of admin FTE on the phones was fitted on a random half of",
        f"the practices (least median error of the missed share): **{share:g}**; the other half",
        "tests it.",
        "",
    ]
    L += _table(
        "phones",
        ["measure", "half", "practices", "Pearson r", "median error", "median absolute error"],
        [
            [
                words[r.measure],
                r.half,
                _n(r.practices),
                f"{r.correlation:.2f}",
                f"{r.median_error:+.3f}",
                f"{r.median_abs_error:.3f}",
            ]  # fmt: skip
            for r in summary.itertuples()
        ],
    )
    L += [
        "What the data cannot tell: how many staff are on the phones at each hour is not",
        "published, so a fixed share of all admin staff stands in for it in every open hour;",
        "one caller can make several calls; call-back and IVR flows differ by supplier. The",
        "model answers calls faster than practices report (the median error of the share",
        "answered within a minute is positive) and its practice-to-practice agreement is weak:",
        "the rota, not the number of admin staff, decides the wait, and the rota is not",
        "published.",
        "",
    ]
    return L


def write(folder: str | Path = "docs") -> list[Path]:
    """Write ``backtest.md`` and its charts (``img/backtest-*.png``) into ``folder``."""
    folder = Path(folder)
    (folder / "img").mkdir(parents=True, exist_ok=True)
    b = compute()
    written = []
    with alt.data_transformers.enable("default", max_rows=None):
        for name, make in CHARTS.items():
            p = folder / "img" / name
            p.write_bytes(vlc.vegalite_to_png(make(b).to_json(), scale=1.5))
            written.append(p)
    md = folder / "backtest.md"
    md.write_text(render(b))
    return [md, *written]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python docs/build_backtest.py", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--write", metavar="FOLDER", help="write backtest.md and img/*.png there")
    args = ap.parse_args(argv)
    if args.write:
        for p in write(args.write):
            print(p)
    else:
        print(render(compute()))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
