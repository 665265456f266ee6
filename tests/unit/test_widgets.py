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
    base = usecases.headline(uc.run())
    assert not table["required_fte"].equals(base["required_fte"].round(1))


def test_moving_a_slider_redraws(uc):
    box = widgets.explore(uc, ["shift_fraction", "growth_rate"])
    status = box.children[2]
    box.children[0].value = 0.5
    assert "shift_fraction = 0.5" in status.value


def test_unknown_slider_or_chart_is_named(uc):
    with pytest.raises(InputError, match="no slider"):
        widgets.slider("nope", 1.0)
    with pytest.raises(InputError, match="unknown chart"):
        widgets.redraw(uc, {}, chart="pie")


def test_chart_and_table_are_set_as_outputs_not_captured(uc, monkeypatch):
    """The redraw sets the Output widget's outputs in one step: no `with out:` capture
    (under papermill, capture made nbclient send on the shell channel mid-cell)."""
    import ipywidgets as w

    def no_capture(self):
        raise AssertionError("Output widget used as a capturing context manager")

    monkeypatch.setattr(w.Output, "__enter__", no_capture)
    box = widgets.explore(uc, ["shift_fraction"])
    out = box.children[-1]
    first = out.outputs
    assert [o["output_type"] for o in first] == ["display_data", "display_data"]
    assert "text/html" in first[1]["data"]  # the headline table
    box.children[0].value = 0.6
    assert len(out.outputs) == 2 and out.outputs != first
