"""Charts of the front door (wfkit.frontdoor_charts): titled with the area, axes in words,
role colours for staff, drawn statically offline, no Vega-Lite warnings."""

from __future__ import annotations

import json

import pytest

from wfkit import chart_display, frontdoor_charts
from wfkit.charts import ROLE_COLOURS
from wfkit.frontdoor_flow import answer_curve, front_door_scenarios

pytestmark = pytest.mark.unit

AREA = "U06180"  # North Southwark PCN


@pytest.fixture(scope="module")
def made():
    s = front_door_scenarios(AREA)
    base = s.hourly[s.hourly.scenario == "baseline"]
    from wfkit.frontdoor import call_handlers

    curve = answer_curve(call_handlers(AREA))
    return {
        "arrivals": frontdoor_charts.arrivals_by_hour(base),
        "answers": frontdoor_charts.answer_time(curve),
        "handlers": frontdoor_charts.handlers_by_hour(s.hourly, ("baseline", "stagger")),
        "costs": frontdoor_charts.scenario_costs(s.costs),
    }


def test_titles_name_the_area_in_words(made):
    for name, ch in made.items():
        spec = ch.to_dict()
        title = spec["title"] if isinstance(spec["title"], str) else spec["title"]["text"]
        assert title.endswith("in North Southwark PCN"), (name, title)
        assert "U06180" not in json.dumps(spec["title"])


def test_staff_in_role_colours_and_shares_stop_at_100_percent(made):
    text = json.dumps(made["costs"].to_dict())
    assert ROLE_COLOURS["receptionist"] in text and ROLE_COLOURS["gp"] in text
    answers = made["answers"].to_dict()
    assert answers["layer"][0]["encoding"]["y"]["scale"]["domain"] == [0, 1]
    assert "+1,0" in text or "a year" in text  # the change written beside each bar


def test_charts_draw_statically_without_warnings(made, capfd):
    import vl_convert as vlc

    for ch in made.values():
        vlc.vegalite_to_vega(ch.to_dict(), show_warnings=True)
        assert "<svg" in chart_display.static_svg(ch)
    out, err = capfd.readouterr()
    assert "WARN" not in out + err


def test_handlers_chart_keeps_the_scenarios_asked(made):
    data = made["handlers"].to_dict()
    rows = next(iter(data["datasets"].values()))
    assert {r["scenario_name"] for r in rows} == {"As today", "Stagger the 8 am release"}
    assert len(rows) == 2 * 168
