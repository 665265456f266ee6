"""Charts of why (wfkit.driver_charts): titles in words, bars where the parts put them."""

from __future__ import annotations

import pytest

import wfkit
from wfkit import driver_charts, usecases
from wfkit.chart_display import static_svg

AREA = "U78517"


@pytest.fixture(scope="module")
def run():
    return usecases.build("all", {"area": AREA, "draws": 10, "seed": 5}).run()


@pytest.fixture(scope="module")
def frames(run):
    return (
        wfkit.explain(run, year=2035),
        wfkit.tornado(run, year=2035),
        wfkit.sobol(run, year=2035, n=16).indices,
    )


def _layer_data(chart, i=0):
    spec = chart.to_dict()
    data = spec["layer"][i].get("data") or spec["data"]  # altair hoists shared data
    name = data["name"]
    return spec["datasets"][name]


def test_waterfall_bars_run_from_start_to_end(frames):
    why = frames[0]
    ch = driver_charts.waterfall(why, "gap_fte")
    rows = _layer_data(ch)
    gap = why[why["measure"] == "gap_fte"]
    start, end = gap["value"].iloc[0], gap["value"].iloc[-1]
    assert rows[0]["bottom"] == 0 and rows[0]["top"] == pytest.approx(start)
    assert rows[-1]["top"] == pytest.approx(end)
    # each change starts where the one before ends
    for before, this in zip(rows[:-2], rows[1:-1], strict=True):
        assert this["bottom"] == pytest.approx(before["top"])
        assert this["top"] - this["bottom"] == pytest.approx(this["value"])
    assert rows[-2]["top"] == pytest.approx(end)
    # drivers that never move are left out (contacts stay as they are within a variant)
    assert "minutes per contact" not in {r["driver"] for r in rows}
    assert len(driver_charts.waterfall(why, "gap_fte", hide_zero=False).to_dict()) > 0


def test_titles_name_the_area_and_axes_the_units(frames):
    why, swings, indices = frames
    for ch in (
        driver_charts.waterfall(why, "required_fte"),
        driver_charts.tornado_chart(swings, "gap_fte"),
        driver_charts.sobol_chart(indices, "cost_gbp"),
    ):
        spec = ch.to_dict()
        assert "Kentish Town South PCN" in spec["title"]["text"]
        assert AREA not in spec["title"]["text"]
        titles = [lay["encoding"].get("x", {}).get("title") for lay in spec["layer"]]
        titles += [lay["encoding"].get("y", {}).get("title") for lay in spec["layer"]]
        assert any(t and ("FTE" in t or "variance" in t or "GBP" in t) for t in titles)
        assert "<svg" in static_svg(ch)


def test_one_role_in_words(run):
    why = wfkit.explain(run, year=2030, role="practice_nurse")
    title = driver_charts.waterfall(why, "required_fte").to_dict()["title"]["text"]
    assert title.endswith("Kentish Town South PCN, Practice nurse")


def test_tornado_and_indices_are_largest_first(frames):
    _, swings, indices = frames
    rows = _layer_data(driver_charts.tornado_chart(swings, "gap_fte", top=3))
    words = list(dict.fromkeys(r["words"] for r in rows))
    top = swings[swings["measure"] == "gap_fte"].head(3)["words"].tolist()
    assert words == top
    rows = _layer_data(driver_charts.sobol_chart(indices, "gap_fte", top=4))
    total = [r["value"] for r in rows if r["index"].startswith("total")]
    assert total == sorted(total, reverse=True) and len(total) == 4


def test_no_chart_makes_vega_lite_warn(frames, capfd):
    import vl_convert as vlc

    why, swings, indices = frames
    for ch in (
        driver_charts.waterfall(why),
        driver_charts.tornado_chart(swings),
        driver_charts.sobol_chart(indices),
    ):
        vlc.vegalite_to_vega(ch.to_dict(), show_warnings=True)
    out, err = capfd.readouterr()
    assert "WARN" not in out + err


def test_bad_frames_say_what_is_missing(frames):
    why = frames[0]
    with pytest.raises(ValueError, match="frame lacks column"):
        driver_charts.waterfall(why.drop(columns="kind"))
    with pytest.raises(ValueError, match="no rows for measure 'wisn_ratio'"):
        driver_charts.waterfall(why, "wisn_ratio")
    with pytest.raises(ValueError, match="no rows for measure"):
        driver_charts.tornado_chart(frames[1], "supply_fte")


def test_axis_is_cut_only_when_the_changes_are_small_beside_the_levels(frames):
    why = frames[0]
    req = driver_charts.waterfall(why, "required_fte").to_dict()
    scale = req["layer"][0]["encoding"]["y"]["scale"]
    levels = why[(why["measure"] == "required_fte") & (why["kind"] != "change")]["value"]
    assert scale["zero"] is False and 0 < scale["domain"][0] < levels.min()
    assert "does not start at 0" in req["title"]["subtitle"]
    gap = driver_charts.waterfall(why, "gap_fte").to_dict()
    assert gap["layer"][0]["encoding"]["y"]["scale"] == {"zero": True}
    assert "does not start at 0" not in gap["title"]["subtitle"]
