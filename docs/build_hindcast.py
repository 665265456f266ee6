"""Section 6 of docs/backtest.md: the hindcast from 2022 to 2025 (``wfkit.hindcast``).

Imported by ``docs/build_backtest.py``, which writes the whole page; the computation is the
package's (:func:`wfkit.hindcast.hindcast`), this module only writes it up.
"""

from __future__ import annotations

from wfkit.hindcast import (
    DEMAND_MONTHS,
    FIT_UNTIL,
    NETWORK_BASE,
    PRACTICE_BASE,
    Hindcast,
    hindcast,
)

_SOURCE = {"practice": "practice staff", "network": "network staff"}
_WHEN = {
    "2023/24": "2023/24 (mean)",
    "2024/25": "2024/25 (mean)",
    "2025-11": "November 2025",
    "2026-06": "June 2026",
}


def _n(x: float, d: int = 0) -> str:
    return f"{x:,.{d}f}"


def _pct(x: float, signed: bool = True) -> str:
    return "-" if x != x else (f"{x:+.1%}" if signed else f"{x:.1%}")


def _table(name: str, header: list[str], rows: list[list[str]]) -> list[str]:
    out = [f"<!-- table: {name} -->", "| " + " | ".join(header) + " |"]
    out.append("|" + "|".join("---" for _ in header) + "|")
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]


STAFF_HEADER = [
    "staff",
    "staff group",
    "compared with",
    "years on",
    "England base FTE",
    "England projected",
    "England actual",
    "England error",
    "England error, no change",
    "sub-ICBs",
    "sub-ICB MAPE",
    "sub-ICB MAPE, no change",
    "networks",
    "network MAPE",
    "network MAPE, no change",
]


def staff_rows(h: Hindcast) -> list[list[str]]:
    """The rows of the ``hindcast_staff`` table."""
    return [
        [
            _SOURCE[r.source],
            r.staff_group,
            _WHEN[r.when],
            f"{r.years:.2f}",
            _n(r.england_base),
            _n(r.england_projected),
            _n(r.england_actual),
            _pct(r.england_error),
            _pct(r.england_error_no_change),
            _n(r.sub_icb_n),
            _pct(r.sub_icb_mape, False),
            _pct(r.sub_icb_mape_no_change, False),
            _n(r.pcn_n),
            _pct(r.pcn_mape, False),
            _pct(r.pcn_mape_no_change, False),
        ]
        for r in h.staff.itertuples()
    ]


def section(h: Hindcast | None = None) -> list[str]:
    """Section 6 of the back-test page, as markdown lines."""
    h = hindcast() if h is None else h
    d = h.demand_stats.iloc[0]
    ex = h.excluded.set_index("source").share_of_base
    (m0, _), (m1, _) = DEMAND_MONTHS
    L = [
        "## 6. Hindcast: had we run the model in 2022, how far off would 2025 have been?",
        "",
        f"The model's supply run from the earliest base the bundled data allow (practice staff "
        f"{PRACTICE_BASE}, the financial-year mean; network staff of the {NETWORK_BASE} census, "
        "`pcn_roles_2022`) forward with each role's net change a year fitted by "
        f"`wfkit.data.trends.fit_net` on data up to {FIT_UNTIL} only (out of sample: nothing "
        "after the base is used), against the staff in post since (`wfkit.hindcast`). A practice "
        "staff group grows as its roles do, weighted by England's role mix in the group at the "
        "base; network staff grow role by role. MAPE is the median absolute percentage error "
        "across areas; 'no change' is the error of assuming today's staff stay as they are, the "
        "forecast to beat. Areas: the December 2025 map; practices in every year and in that map "
        f"(others leave out {_pct(ex['practice'], False)} of the base FTE), networks in both "
        f"censuses (others leave out {_pct(ex['network'], False)}). England's rows count every "
        "practice and network.",
        "",
        "The rates fitted on data to the base (the bundled flows are the same fit on data to "
        "November 2025):",
        "",
    ]
    L += _table(
        "hindcast_rates",
        ["role", "net change a year", "fitted on", "how"],
        [
            [
                r.role,
                _pct(r.net),
                r.period,
                "judgement (held)" if r.judgement else "England practice series",
            ]
            for r in h.rates.itertuples()
        ],
    )
    L += _table("hindcast_staff", STAFF_HEADER, staff_rows(h))
    L += [
        "Practice staff: the trends of 2017-2022 carried to 2025 miss England's totals by a few "
        "per cent, mostly better than 'no change' for England and about as well across areas: "
        "an area's own staff move for local reasons a national rate cannot know. Network staff: "
        "the default holds the network (ARRS) roles at the base's staff, and they nearly "
        "doubled as the scheme's budget grew; that growth is policy, the `arrs_growth` setting, "
        "not a trend the data before 2022 could give (the network roles' rows of "
        "`assumptions/flows.csv` quote their growth between the censuses).",
        "",
        f"Demand: the model's appointments per sub-ICB (contacts x `appointment_weight` of the "
        f"clinical activities; the ONS 2022-based projection by age and the model's activity "
        f"trends) grew {_pct(d.england_modelled)} in England from {DEMAND_MONTHS[0][1]} to "
        f"{DEMAND_MONTHS[1][1]}; booked appointments from {m0} to {m1} changed "
        f"{_pct(d.england_actual)}, or {_pct(d.england_actual_per_day)} per working day "
        f"({d.working_days_start:.0f} Monday-Friday days in November 2023, "
        f"{d.working_days_end:.0f} in November 2025).",
        "",
    ]
    L += _table(
        "hindcast_demand",
        [
            "sub-ICBs",
            "England, modelled",
            "England, booked per working day",
            "median modelled",
            "median booked per working day",
            "Pearson r across sub-ICBs",
            "median absolute difference",
        ],
        [
            [
                _n(d.sub_icbs),
                _pct(d.england_modelled),
                _pct(d.england_actual_per_day),
                _pct(d.median_modelled),
                _pct(d.median_actual_per_day),
                f"{d.pearson_r:.2f}",
                _pct(d.median_abs_difference, False),
            ]
        ],
    )
    L += [
        "Bookings grew faster than the population's need as the model describes it (age, "
        "recorded prevalence, activity trends), and where they grew is unrelated to where the "
        "population grew (r near 0): access (more staff, online requests, triage models) drives "
        "bookings more than demography does over two years. A requirement grown with the model's "
        "demand is a need-based figure, not a forecast of bookings.",
        "",
    ]
    return L
