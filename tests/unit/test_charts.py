"""wfkit.charts: every chart builds from a small tidy frame."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from wfkit import chart_display, charts, usecases


@pytest.fixture(scope="module")
def run():
    return usecases.build("same_day", {"area": "U78517", "draws": 10, "shift_fraction": 0.2}).run()


def test_charts_embed_only_aggregated_rows(run):
    res = usecases.results_frame(run)
    for ch in (
        charts.fte_by_role(res),
        charts.required_vs_in_post(res),
        charts.cost_per_1000(res),
        charts.who_does_what(usecases.who_does_what(run)),
        charts.session_staffing(usecases.same_day_queueing(run)[1]),
    ):
        spec = ch.to_dict()
        rows = sum(len(v) for v in spec.get("datasets", {}).values())
        assert 0 < rows < 500


def test_missing_columns_are_named():
    import pandas as pd

    with pytest.raises(ValueError, match="lacks column"):
        charts.who_does_what(pd.DataFrame({"x": [1]}))


def test_offline_bundle_cache_gives_altairs_own_bundle(tmp_path, monkeypatch):
    from altair.jupyter import JupyterChart

    from wfkit import charts

    monkeypatch.setenv("WFKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("WFKIT_CACHE", raising=False)
    cached = tmp_path / "cache" / "vega" / "bundle.js"
    monkeypatch.setattr(chart_display, "_bundle_cache", lambda: cached)
    monkeypatch.setattr(JupyterChart, "_is_offline", False)
    monkeypatch.setattr(JupyterChart, "_esm", JupyterChart._esm)
    charts.enable_offline()  # builds with vl-convert and writes the cache
    built = JupyterChart._esm
    assert cached.read_text(encoding="utf-8") == built and len(built) > 100_000
    JupyterChart._is_offline = False
    JupyterChart._esm = ""
    charts.enable_offline()  # reads the cache
    assert JupyterChart._esm == built and JupyterChart._is_offline
    assert alt.renderers.active == chart_display.RENDERER


def _all_charts(run):
    res = usecases.results_frame(run)
    return [
        charts.fte_by_role(res),
        charts.required_vs_in_post(res),
        charts.cost_per_1000(res),
        charts.who_does_what(usecases.who_does_what(run)),
        charts.session_staffing(usecases.same_day_queueing(run)[1]),
        charts.fte_by_role(res).properties(title="a").interactive(),
        alt.hconcat(charts.cost_per_1000(res), charts.required_vs_in_post(res)),
    ]


def test_renderer_draws_what_altairs_own_would(run):
    """The wfkit renderer skips altair's second schema check, not anything it draws."""
    from altair.jupyter import JupyterChart

    for ch in _all_charts(run):
        spec = ch.to_dict(context={"pre_transform": False})
        ours = chart_display._widget(spec)
        theirs = JupyterChart(chart=alt.Chart.from_dict(spec))
        assert ours.spec == theirs.spec == ch.to_dict()


def test_renderer_gives_a_widget_view(run, monkeypatch):
    from altair.jupyter import JupyterChart

    monkeypatch.setattr(JupyterChart, "_is_offline", JupyterChart._is_offline)
    monkeypatch.setattr(JupyterChart, "_esm", JupyterChart._esm)
    with alt.renderers.enable(chart_display.RENDERER, offline=False):
        data, _ = charts.fte_by_role(usecases.results_frame(run))._repr_mimebundle_()
    assert "model_id" in data["application/vnd.jupyter.widget-view+json"]


def test_renderer_falls_back_to_altairs_checked_path(monkeypatch):
    import pandas as pd

    spec = alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(x="x:Q").to_dict()
    monkeypatch.setattr(alt.Chart, "from_dict", _fails_unchecked(alt.Chart.from_dict))
    assert chart_display._widget(spec).spec == spec


def _fails_unchecked(real):
    def from_dict(dct, validate=True):
        if not validate:
            raise ValueError("simulated failure of the unchecked path")
        return real(dct, validate=validate)

    return from_dict


def test_charts_display_as_widgets_of_their_own_spec(run, monkeypatch):
    """wfkit's charts hand themselves to the widget: same spec, same classes as altair's."""
    from altair.jupyter import JupyterChart

    made = []
    real_init = JupyterChart.__init__

    def spy(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(JupyterChart, "__init__", spy)
    monkeypatch.setattr(JupyterChart, "_is_offline", JupyterChart._is_offline)
    monkeypatch.setattr(JupyterChart, "_esm", JupyterChart._esm)
    with alt.renderers.enable(chart_display.RENDERER, offline=False):
        for ch in _all_charts(run)[:5]:
            assert type(ch) in (
                chart_display.Chart,
                chart_display.LayerChart,
                chart_display.FacetChart,
            )
            assert isinstance(ch, (alt.Chart, alt.LayerChart, alt.FacetChart))
            data, _ = ch._repr_mimebundle_()
            assert made[-1].chart is ch and made[-1].spec == ch.to_dict()
            assert data["application/vnd.jupyter.widget-view+json"]["model_id"]


def test_charts_keep_their_class_when_changed(run):
    ch = charts.fte_by_role(usecases.results_frame(run))
    assert type(ch.properties(title="t")) is chart_display.FacetChart
    plain = alt.FacetChart.from_dict(ch.to_dict())
    assert chart_display.shown(plain).to_dict() == plain.to_dict()


def test_other_renderers_are_altairs_own(run):
    ch = charts.cost_per_1000(usecases.results_frame(run))
    with alt.renderers.enable("json"):
        data = ch._repr_mimebundle_()
    assert "application/json" in (data[0] if isinstance(data, tuple) else data)


def _layers(spec):
    """Every unit layer of a (faceted, layered) spec."""
    if "spec" in spec:
        return _layers(spec["spec"])
    if "layer" in spec:
        return [u for layer in spec["layer"] for u in _layers(layer)]
    return [spec]


def _mark(layer):
    m = layer.get("mark")
    return m["type"] if isinstance(m, dict) else m


@pytest.mark.parametrize("name", ["fte_by_role", "required_vs_in_post"])
def test_band_charts_draw_p10_p90_band_p50_and_central_run_apart(run, name):
    spec = getattr(charts, name)(usecases.results_frame(run)).to_dict()
    layers = _layers(spec)
    bands = [u for u in layers if _mark(u) == "area"]
    assert len(bands) == 1
    enc = bands[0]["encoding"]
    assert enc["y"]["field"] == "p10" and enc["y2"]["field"] == "p90"
    lines = {
        u["encoding"]["y"]["field"]: u
        for u in layers
        if _mark(u) == "line" and "strokeDash" in u["encoding"]  # not the in-post line
    }
    assert "p50" in lines and "value" in lines
    # the legend tells them apart: one band entry, two line styles with different dashes
    assert enc["opacity"]["scale"]["domain"] == [charts.BAND]
    dash = lines["p50"]["encoding"]["strokeDash"]["scale"]
    assert dash["domain"] == [charts.CENTRAL, charts.P50]
    assert dash["range"][0] != dash["range"][1]
    calc = {f: [t["calculate"] for t in u.get("transform", [])] for f, u in lines.items()}
    assert calc["p50"] == [f"'{charts.P50}'"] and calc["value"] == [f"'{charts.CENTRAL}'"]
    assert spec.get("title")


def test_band_chart_roles_in_words_with_one_colour_each_everywhere(run):
    res = usecases.results_frame(run)
    spec = charts.fte_by_role(res).to_dict()
    colour = _layers(spec)[0]["encoding"]["color"]
    labels = charts.role_labels()
    domain = colour["scale"]["domain"]
    assert "gp" not in domain and labels.get("gp", "Gp") in domain
    # the mapping is fixed: the same role has the same colour whatever roles are drawn
    fewer = charts.fte_by_role(res, top=2).to_dict()
    scale2 = _layers(fewer)[0]["encoding"]["color"]["scale"]
    assert scale2 == colour["scale"]


def test_cost_chart_has_a_p50_tick(run):
    layers = _layers(charts.cost_per_1000(usecases.results_frame(run)).to_dict())
    ticks = [u for u in layers if _mark(u) == "tick"]
    assert ticks and ticks[0]["encoding"]["y"]["field"] == "p50"


def test_cost_chart_rule_runs_from_p10_to_p90(run):
    layers = _layers(charts.cost_per_1000(usecases.results_frame(run)).to_dict())
    rules = [u for u in layers if _mark(u) == "rule"]
    assert len(rules) == 1
    enc = rules[0]["encoding"]
    assert enc["y"]["field"] == "p10" and enc["y2"]["field"] == "p90"


@pytest.mark.parametrize("name", ["fte_by_role", "required_vs_in_post", "cost_per_1000"])
def test_band_edges_hold_the_drawn_figures(run, name):
    """In the data each chart embeds, the field the band's upper edge is drawn from is the
    P90, at or above the P50 and the lower edge (not the central value by another name)."""
    res = usecases.results_frame(run)
    spec = getattr(charts, name)(res).to_dict()
    rows = [r for v in spec["datasets"].values() for r in v]
    banded = [u for u in _layers(spec) if "y2" in u.get("encoding", {})]
    assert banded
    for u in banded:
        lo, hi = u["encoding"]["y"]["field"], u["encoding"]["y2"]["field"]
        assert (lo, hi) == ("p10", "p90")
        for r in rows:
            if r.get(hi) is not None and r.get("p50") is not None:
                assert r[lo] <= r["p50"] + 1e-9 <= r[hi] + 2e-9
    # the source frame has real spread, so a band collapsed to one value would show
    req = res[(res["measure"] == "required_fte") & (res["role"] == "all")]
    assert (req["p90"] - req["p10"] > 0).any()


def _made_here(run) -> list:
    """One chart from every public chart function of wfkit.charts."""
    overlap = usecases.pathway_overlap(
        usecases.build("frailty", {"area": "U78517", "draws": 0}).run()
    )
    res = usecases.results_frame(run)
    made = {
        "fte_by_role": charts.fte_by_role(res),
        "required_vs_in_post": charts.required_vs_in_post(res),
        "cost_per_1000": charts.cost_per_1000(res),
        "who_does_what": charts.who_does_what(usecases.who_does_what(run)),
        "session_staffing": charts.session_staffing(usecases.same_day_queueing(run)[1]),
        "pathway_difference": charts.pathway_difference(overlap),
    }
    others = set(charts.__all__) - {
        "enable_offline",
        "chart_widget",
        "showing",
        "role_labels",
        "static_svg",
        "words",
        "area_name",
        "tidy_name",
    }
    assert set(made) == others, "a new chart function: add it here"
    return list(made.values())


def _count_checks(monkeypatch) -> list:
    from altair.utils import schemapi

    seen: list = []
    real = schemapi.validate_jsonschema

    def spy(spec, schema, *args, **kwargs):
        if str(schema.get("$ref", "")).startswith("#/definitions/TopLevel"):  # a whole chart
            seen.append(spec)
        return real(spec, schema, *args, **kwargs)

    monkeypatch.setattr(schemapi, "validate_jsonschema", spy)
    return seen


def test_every_chart_function_makes_a_spec_the_schema_accepts(run):
    """What lets display skip the schema check of a chart made here (the check itself)."""
    for ch in _made_here(run):
        assert ch.__dict__.get(chart_display._MADE_HERE)
        ch.to_dict(validate=True)  # raises on a spec the Vega-Lite schema refuses


def test_display_checks_a_chart_made_here_once_less_and_a_changed_one_as_altair(run, monkeypatch):
    from altair.jupyter import JupyterChart

    monkeypatch.setattr(JupyterChart, "_is_offline", JupyterChart._is_offline)
    monkeypatch.setattr(JupyterChart, "_esm", JupyterChart._esm)
    seen = _count_checks(monkeypatch)
    ch = charts.fte_by_role(usecases.results_frame(run))
    with alt.renderers.enable(chart_display.RENDERER, offline=False):
        ch._repr_mimebundle_()
        assert seen == []  # made here, shown as made: no second schema check
        ch.to_dict()
        assert len(seen) == 1  # outside display, to_dict checks as altair's does
        changed = ch.properties(title="Changed by the analyst")
        assert not changed.__dict__.get(chart_display._MADE_HERE)
        changed._repr_mimebundle_()
        assert len(seen) == 2  # a changed chart is checked at display
        broken = ch.properties(width="very wide")  # not a width Vega-Lite accepts
        assert broken._repr_mimebundle_() == {}  # altair shows its schema error, no chart
        assert len(seen) >= 3


def test_the_explorer_hands_its_charts_over_unchecked_and_draws_the_same_spec(monkeypatch):
    from wfkit import widgets

    uc = usecases.build("same_day", {"area": "U78517", "draws": 0})
    seen = _count_checks(monkeypatch)
    box = widgets.explore(uc, ["growth_rate"])
    slider, chart_widget = box.children[0], box.children[2].children[0]
    slider.value = 0.02  # a rerun replaces the widget's chart in place
    assert seen == []
    want = widgets.redraw(uc, {"growth_rate": 0.02}, "fte_by_role")[1]
    assert chart_widget.spec == want.to_dict()  # checked here, outside display
    assert len(seen) == 1


def test_offline_charts_share_one_copy_of_the_vega_scripts(run, monkeypatch):
    """Offline, each chart widget's page code is a short loader; the scripts (about 1 MB)
    go to the page once, in one bundle widget per kernel, made again if it was closed."""
    from altair.jupyter import JupyterChart

    monkeypatch.setattr(JupyterChart, "_is_offline", JupyterChart._is_offline)
    monkeypatch.setattr(JupyterChart, "_esm", JupyterChart._esm)
    charts.enable_offline()
    res = usecases.results_frame(run)
    with alt.renderers.enable(chart_display.RENDERER, offline=True):
        made = [
            charts.chart_widget(ch) for ch in (charts.fte_by_role(res), charts.cost_per_1000(res))
        ]
        bundle = chart_display._SHARED["bundle"]
        assert bundle.code is JupyterChart._esm and len(bundle.code) > 100_000
        for w in made:
            assert isinstance(w, JupyterChart) and len(w._esm) < 2_000
            assert w._vega_bundle == bundle.model_id and w._vega_key == made[0]._vega_key
            assert "widget_manager.get_model" in w._esm and '"_vega_bundle"' in w._esm
        assert made[0].spec == charts.fte_by_role(res).to_dict()
        first_id = bundle.model_id
        bundle.close()
        again = charts.chart_widget(charts.cost_per_1000(res))
        assert chart_display._SHARED["bundle"] is not bundle and again._vega_bundle != first_id
    with alt.renderers.enable(chart_display.RENDERER, offline=False):  # online: altair's own
        w = charts.chart_widget(charts.cost_per_1000(res))
        assert type(w).__name__ == "JupyterChart"  # not the shared-bundle chart


# ----------------------------------------------------------------------------------------
# charts a commissioner can read (issue 22 part 2): tested on the specs themselves
# ----------------------------------------------------------------------------------------
def _role_scales(spec):
    """Every colour scale over the field ``role`` in a spec."""
    return [
        u["encoding"]["color"]["scale"]
        for u in _layers(spec)
        if u.get("encoding", {}).get("color", {}).get("field") == "role"
    ]


def test_every_role_has_its_own_fixed_colour():
    from wfkit.data.schemas import ROLE_IDS
    from wfkit.settings import COMMUNITY_ROLES

    assert set(charts.ROLE_COLOURS) == set(ROLE_IDS) | set(COMMUNITY_ROLES)
    colours = [c.lower() for c in charts.ROLE_COLOURS.values()]
    assert len(set(colours)) == len(colours) == len(ROLE_IDS) + len(COMMUNITY_ROLES)
    assert not set(colours) & {c.lower() for c in charts._SPARE}
    scale = charts.role_scale()
    labels = charts.role_labels()
    assert (
        dict(zip(scale.domain, scale.range, strict=True))[labels["gp"]] == charts.ROLE_COLOURS["gp"]
    )


def test_role_colour_scale_is_the_same_in_every_chart_that_draws_roles(run):
    res = usecases.results_frame(run)
    scales = [
        *_role_scales(charts.fte_by_role(res).to_dict()),
        *_role_scales(charts.fte_by_role(res, top=2).to_dict()),
        *_role_scales(charts.fte_by_role(res, measure="supply_fte", top=None).to_dict()),
        *_role_scales(charts.who_does_what(usecases.who_does_what(run)).to_dict()),
    ]
    assert len(scales) >= 4
    want = charts.role_scale().to_dict()
    assert all(s == want for s in scales)


def test_fte_by_role_says_which_roles_are_left_out_and_can_show_all(run):
    res = usecases.results_frame(run)
    n = res.loc[(res["measure"] == "required_fte") & (res["role"] != "all"), "role"].nunique()
    spec = charts.fte_by_role(res, top=3).to_dict()
    assert spec["title"]["subtitle"].startswith(f"Top 3 roles of {n} shown")
    shown_roles = {r for d in spec["datasets"].values() for r in (x["role"] for x in d)}
    assert len(shown_roles) == 3
    every = charts.fte_by_role(res, top=None).to_dict()
    assert every["title"]["subtitle"] == f"All {n} roles shown"
    assert len({x["role"] for d in every["datasets"].values() for x in d}) == n
    assert "Kentish Town South PCN" in spec["title"]["text"]


def test_bands_are_light_and_band_charts_keep_p50_and_band_fields(run):
    res = usecases.results_frame(run)
    for ch in (charts.fte_by_role(res), charts.required_vs_in_post(res)):
        layers = _layers(ch.to_dict())
        band = next(u for u in layers if _mark(u) == "area")
        assert max(band["encoding"]["opacity"]["scale"]["range"]) <= 0.15
        assert {band["encoding"]["y"]["field"], band["encoding"]["y2"]["field"]} == {"p10", "p90"}
        assert any(u["encoding"]["y"]["field"] == "p50" for u in layers if _mark(u) == "line")


def test_who_does_what_shares_stop_at_100_percent_in_words(run):
    spec = charts.who_does_what(usecases.who_does_what(run)).to_dict()
    enc = spec["encoding"]
    assert enc["x"]["scale"]["domain"] == [0, 1] and enc["x"]["scale"]["nice"] is False
    rows = next(iter(spec["datasets"].values()))
    assert {r["model"] for r in rows} == set(charts.MODELS.values())
    assert "General practitioner" in {r["role"] for r in rows}
    assert enc["order"]["type"] == "quantitative"


def test_session_staffing_is_titled_in_words_and_draws_the_shortfall(run):
    spec = charts.session_staffing(usecases.same_day_queueing(run)[1]).to_dict()
    assert spec["title"]["text"].startswith("Clinicians per same-day session")
    rows = next(iter(spec["datasets"].values()))
    assert {r["scenario"] for r in rows} == {"Baseline", "Future model"}
    assert "Monday morning" in {r["slot"] for r in rows}
    layers = _layers(spec)
    gap = [u for u in layers if "y2" in u.get("encoding", {})]
    assert gap and gap[0]["encoding"]["y"]["field"] == "offered_load"
    assert gap[0]["encoding"]["y2"]["field"] == "servers"
    legend = layers[0]["encoding"]["color"]["legend"]["title"]
    assert legend == "clinicians needed"


def _texts(spec):
    """Every title, axis title, legend title and string data value of a spec."""
    out = []

    def walk(node, key=None):
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("field", "calculate", "type", "mark", "format", "name", "$schema"):
                    continue
                if k == "datasets":
                    for rows in v.values():
                        out.extend(x for r in rows for x in r.values() if isinstance(x, str))
                    continue
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in ("title", "text", "subtitle", "domain", "values"):
            out.append(node)

    walk(spec)
    return out


def test_no_chart_shows_a_code_like_label(run):
    import re

    res = usecases.results_frame(run)
    overlap = pd.DataFrame(
        {
            "activity": ["t2d_annual_review", "total"],
            "sum_of_pathways_hours": [10.0, 10.0],
            "whole_person_hours": [8.0, 8.0],
        }
    )
    specs = [
        charts.fte_by_role(res),
        charts.required_vs_in_post(res),
        charts.cost_per_1000(res),
        charts.who_does_what(usecases.who_does_what(run)),
        charts.session_staffing(usecases.same_day_queueing(run)[1]),
        charts.pathway_difference(overlap),
    ]
    snake = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")
    for ch in specs:
        texts = _texts(ch.to_dict())
        assert texts
        bad = [t for t in texts if snake.search(t) and not t.startswith("#")]
        assert not bad, bad


def test_no_chart_makes_vega_lite_warn(run, capfd):
    import vl_convert as vlc

    res = usecases.results_frame(run)
    for ch in (
        charts.fte_by_role(res),
        charts.required_vs_in_post(res),
        charts.cost_per_1000(res),
        charts.who_does_what(usecases.who_does_what(run)),
        charts.session_staffing(usecases.same_day_queueing(run)[1]),
    ):
        vlc.vegalite_to_vega(ch.to_dict(), show_warnings=True)
    out, err = capfd.readouterr()
    assert "WARN" not in out + err


def test_the_warning_check_sees_a_warning(capfd):
    """The check above is not blind: a nominal order channel is caught."""
    import vl_convert as vlc

    bad = alt.Chart(pd.DataFrame({"a": ["x"], "b": [1]})).mark_bar().encode(x="b:Q", order="a:N")
    vlc.vegalite_to_vega(bad.to_dict(), show_warnings=True)
    out, err = capfd.readouterr()
    assert "WARN" in out + err
