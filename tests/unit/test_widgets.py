"""wfkit.widgets: the sliders' callback is a plain function; slider changes call it."""

from __future__ import annotations

import pytest

from wfkit import usecases, widgets
from wfkit.errors import InputError


@pytest.fixture(scope="module")
def uc():
    return usecases.build("type2_diabetes", {"area": "U78517", "draws": 5, "shift_fraction": 0.2})


def test_redraw_reruns_with_new_values(uc):
    run, chart, table = widgets.redraw(uc, {"shift_fraction": 0.8})
    assert chart.to_dict()
    # unrounded: a shift moves work between roles with different minutes, so the future
    # model's requirement changes while the baseline (today's who-does-what) does not
    new = usecases.headline(run).set_index("scenario").required_fte
    old = usecases.headline(uc.run()).set_index("scenario").required_fte
    assert new.iloc[0] == pytest.approx(old.iloc[0], rel=1e-12)
    assert abs(new.iloc[1] - old.iloc[1]) > 1e-6 * old.iloc[1]
    assert list(table["required_fte"]) == list(usecases.headline(run).required_fte.round(1))


def test_moving_a_slider_redraws(uc):
    box = widgets.explore(uc, ["shift_fraction", "growth_rate"])
    status = box.children[2]
    before = box.chart.to_dict()
    box.children[0].value = 0.5
    assert box.chart.to_dict() != before
    assert status.value == ""  # no status line of parameter codes


def test_a_failed_run_says_so_in_words_on_the_page(uc, monkeypatch):
    box = widgets.explore(uc, ["shift_fraction"])

    def fail(*a, **k):
        raise InputError("shift_fraction: expected a fraction between 0 and 1 <here>")

    monkeypatch.setattr(widgets, "redraw", fail)
    box.children[0].value = 0.4
    msg = box.children[1].value
    assert msg.startswith("<b>Could not run with these settings:</b>")
    assert "&lt;here&gt;" in msg and "Traceback" not in msg


def test_slider_labels_in_words_with_units_and_fractions_as_percentages():
    import re

    for name in widgets.SLIDERS:
        s = widgets.slider(name, widgets.slider_setting(name).lo)
        rule = widgets.slider_setting(name)
        assert s.description == widgets.slider_label(name)
        assert not re.search(r"[a-z]+_[a-z]+", s.description), s.description
        assert s.description[:1].isupper() and "(" in s.description  # a unit
        assert s.style.description_width == "initial"  # in full, never cut
        assert s.tooltip.startswith(rule.help[:1].upper())
        if rule.unit == "" and rule.hi == 1:
            assert s.readout_format.endswith("%") and s.description.endswith("(%)")
    assert widgets.slider_label("growth_rate") == "Extra population growth (% a year)"
    assert widgets.slider("growth_rate", 0.01).readout_format == ".2%"
    assert widgets.slider_label("supervision_hours") == "Nurse supervision (hours a week)"
    assert widgets.slider("supervision_hours", 1.0).readout_format == ".3g"


def test_unknown_slider_or_chart_is_named(uc):
    with pytest.raises(InputError, match="no slider"):
        widgets.slider("nope", 1.0)
    with pytest.raises(InputError, match="unknown chart"):
        widgets.redraw(uc, {}, chart="pie")


def test_chart_redraws_in_place_and_table_is_set_not_captured(uc, monkeypatch):
    """One chart widget, redrawn in place; the table set as outputs in one step, with no
    `with out:` capture (under papermill, capture made nbclient send on the shell channel
    mid-cell)."""
    import ipywidgets as w
    from altair import JupyterChart

    def no_capture(self):
        raise AssertionError("Output widget used as a capturing context manager")

    monkeypatch.setattr(w.Output, "__enter__", no_capture)
    box = widgets.explore(uc, ["shift_fraction"])
    chart_box, table = box.children[-2], box.children[-1]
    (jc,) = chart_box.children
    assert isinstance(jc, JupyterChart)
    before = jc.spec
    assert [o["output_type"] for o in table.outputs] == ["display_data"]
    assert "text/html" in table.outputs[0]["data"]  # the headline table
    first_table = table.outputs
    box.children[0].value = 0.6
    assert chart_box.children == (jc,) and jc.spec != before
    assert table.outputs != first_table


def test_a_failing_rerun_is_shown_and_keeps_the_last_chart(uc, monkeypatch):
    box = widgets.explore(uc, ["shift_fraction"])
    (jc,) = box.children[-2].children
    spec = jc.spec
    monkeypatch.setattr(widgets, "redraw", _boom)
    box.children[0].value = 0.9
    assert "Could not run" in box.children[1].value and jc.spec == spec


def _boom(*args, **kwargs):
    raise InputError("simulated failure")
