"""wfkit.charts: every chart builds from a small tidy frame."""

from __future__ import annotations

import altair as alt
import pytest

from wfkit import charts, usecases


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

    cached = tmp_path / "bundle.js"
    monkeypatch.setattr(charts, "_bundle_cache", lambda: cached)
    monkeypatch.setattr(JupyterChart, "_is_offline", False)
    monkeypatch.setattr(JupyterChart, "_esm", JupyterChart._esm)
    charts.enable_offline()  # builds with vl-convert and writes the cache
    built = JupyterChart._esm
    assert cached.read_text(encoding="utf-8") == built and len(built) > 100_000
    JupyterChart._is_offline = False
    JupyterChart._esm = ""
    charts.enable_offline()  # reads the cache
    assert JupyterChart._esm == built and JupyterChart._is_offline
    assert alt.renderers.active == "jupyter"
