"""wfkit.explorer and wfkit app: the dashboard's plain functions, its command and launcher."""

from __future__ import annotations

import io
import socket

import pandas as pd
import pytest

from wfkit import app, cli, explorer, usecases
from wfkit.errors import InputError


def test_areas_are_found_by_picker_text_code_or_name():
    choices = explorer.area_choices()
    levels = {level for _, level in choices.values()}
    assert levels == {"practice", "pcn", "sub_icb", "icb"}
    assert choices["Kentish Town South PCN (network, U78517)"] == ("U78517", "pcn")
    assert explorer.find_area("Kentish Town South PCN (network, U78517)") == ("U78517", "pcn")
    assert explorer.find_area("u78517") == ("U78517", "pcn")
    assert explorer.find_area("kentish town south pcn") == ("U78517", "pcn")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Nowhere at all", "No area called 'Nowhere at all'"),
        ("north", "matches"),
        ("", "Type the name"),
    ],
)
def test_an_unknown_or_unclear_area_is_said_in_words(typed, message):
    with pytest.raises(InputError, match=message):
        explorer.find_area(typed)


def test_key_figures_are_the_models_headline():
    result = explorer.compute("type2_diabetes", "U78517", {"shift_fraction": 0.3})
    assert result.params["draws"] == explorer.DRAWS and result.params["level"] == "pcn"
    figures = explorer.key_figures(result.run)
    head = usecases.headline(result.run)
    assert list(figures["gap_fte"]) == list(head["gap_fte"])
    base = head.loc[head["scenario"] == "baseline", "cost_per_1000"].iloc[0]
    assert list(figures["cost_change_per_1000"]) == list(head["cost_per_1000"] - base)
    # the same run as the use case built directly with the same values
    uc = usecases.build("type2_diabetes", result.params)
    assert usecases.headline(uc.run()).equals(head)


def test_downloads_open_as_what_they_say():
    result = explorer.compute("type2_diabetes", "U78517", {})
    files = explorer.downloads(result)
    assert set(files) == {"wfkit-results.csv", "wfkit-results.xlsx", "wfkit-report.html"}
    frame = pd.read_csv(io.BytesIO(files["wfkit-results.csv"]))
    assert frame.equals(
        pd.read_csv(io.StringIO(usecases.results_frame(result.run).to_csv(index=False)))
    )
    sheets = pd.read_excel(io.BytesIO(files["wfkit-results.xlsx"]), sheet_name=None)
    assert sheets
    page = files["wfkit-report.html"].decode()
    assert "Kentish Town South PCN" in page and "http://" not in page and "https://" not in page


def test_the_dashboard_shows_a_message_not_a_traceback(monkeypatch):
    board = explorer.Dashboard(area="U78517")
    first = board.figures.value
    assert "FTE required against" in first
    why = board.why.children[0].chart.to_dict()["title"]["text"]
    assert why.startswith("Why FTE gap") and "Kentish Town South PCN" in why
    board.area.value = "Nowhere at all"
    assert "No area called" in board.message.value and board.figures.value == first
    board.area.value = "U78517"
    assert board.message.value == ""
    board.make_files()
    assert 'download="wfkit-results.xlsx"' in board.files.value


def test_each_use_case_brings_its_own_who_does_what_sliders():
    assert explorer.own_sliders("type2_diabetes") == ("nurse_part",)
    assert explorer.own_sliders("same_day") == (
        "pharmacist_part",
        "paramedic_part",
        "physician_associate_part",
        "pharmacist_minutes",
        "paramedic_minutes",
        "physician_associate_minutes",
    )
    board = explorer.Dashboard(area="U78517")
    assert list(board.own_sliders) == ["nurse_part"]
    assert board.own.children == tuple(board.own_sliders.values())
    board.use_case.value = "same_day"
    assert list(board.own_sliders)[:3] == [
        "pharmacist_part",
        "paramedic_part",
        "physician_associate_part",
    ]
    assert board.message.value == "" and "FTE required against" in board.figures.value
    # the page's figures follow the model with the use case's own slider moved
    board.own_sliders["pharmacist_minutes"].value = 30.0
    values = {
        **{n: s.value for n, s in board.sliders.items()},
        **{n: s.value for n, s in board.own_sliders.items()},
    }
    want = explorer._sentence(
        explorer.key_figures(explorer.compute("same_day", "U78517", values).run)
    )
    assert want in board.figures.value


def test_an_impossible_share_is_said_in_words_on_the_page():
    board = explorer.Dashboard(area="U78517", use_case="same_day")
    first = board.figures.value
    board.own_sliders["pharmacist_part"].value = 0.9  # with paramedics 30%, PAs 30%: 150%
    assert "clinical pharmacists 90% + paramedics 30% + physician associates 30%" in (
        board.message.value
    )
    assert "add up to 150%, not 100%" in board.message.value
    assert "Traceback" not in board.message.value and board.figures.value == first
    board.own_sliders["pharmacist_part"].value = 0.4
    assert board.message.value == ""


def test_wfkit_app_serves_voila_on_loopback_with_the_offline_template():
    cmd = app.voila_command(9999)
    assert str(app.NOTEBOOK) in cmd and "--Voila.ip=127.0.0.1" in cmd and "--port=9999" in cmd
    assert "--template=wfkit" in cmd and "--no-browser" in cmd
    assert "--no-browser" not in app.voila_command(9999, open_browser=True)
    template = app.JUPYTER_PATH / "voila" / "templates" / "wfkit" / "index.html.j2"
    import re

    assert not re.search(r"""(?:href|src)=["']?(?:https?:)?//""", template.read_text())
    args = cli.build_parser().parse_args(["app", "--port", "8899"])
    assert args.port == 8899 and args.open is False


def test_a_port_in_use_is_refused_in_one_line():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert cli.main(["app", "--port", str(port)]) == 2
    with pytest.raises(InputError, match="expected a port"):
        app.serve(70000)


def test_the_windows_launcher_runs_wfkit_app():
    text = app.LAUNCHER.read_bytes().decode("ascii")
    assert "\r\n" in text  # Windows line ends
    assert "app --open" in text and "pause" in text
