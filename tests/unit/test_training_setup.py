"""The learner set-up works on the day: the pages, the check they end with, the offline
wheelhouse (its logic on a fake folder: the real download is recorded in training/CHECKED.md,
tests never download), the Windows launcher, and the pack's tolerance of editor litter."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "training"
SETUP_PAGES = {name: PACK / "setup" / f"{name}.md" for name in ("windows", "macos", "linux")}

pytestmark = pytest.mark.unit


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"training_{name}", PACK / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


wheelhouse = _load("wheelhouse")
sync = _load("sync")


# ---------------------------------------------------------------- the five-minute check


def test_check_install_prints_what_the_model_gives_for_north_southwark():
    """EXPECTED in the check is what run_scenario gives today, worked out here separately."""
    import wfkit
    from wfkit.scenario import bundled_scenarios

    done = subprocess.run(
        [sys.executable, str(PACK / "check_install.py")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    printed = sync.parse_figures(done.stdout)
    assert printed["CHECK"].startswith("wfkit is working")

    run = wfkit.run_scenario(bundled_scenarios()["default"], draws=0)
    assert run.summary()["areas"] == 1
    rec = run.reconciliation().set_index("role")
    frame = run.to_frame()
    pop = frame[
        (frame.year == 2025)
        & (frame.measure == "population")
        & (frame.role == "all")
        & (frame.scenario == "baseline")
    ]["value"]
    assert printed["BASE_YEAR"] == "2025"
    assert printed["PATIENTS"] == f"{pop.iloc[0]:,.0f}"
    assert float(printed["REQUIRED_FTE"]) == pytest.approx(rec.loc["all", "required_fte"], abs=0.05)
    assert float(printed["IN_POST_FTE"]) == pytest.approx(rec.loc["all", "supply_fte"], abs=0.05)
    assert float(printed["GAP_FTE"]) == pytest.approx(rec.loc["all", "gap_fte"], abs=0.05)
    assert float(printed["GP_REQUIRED_FTE"]) == pytest.approx(
        rec.loc["gp", "required_fte"], abs=0.05
    )
    # the gap is in post minus required (its sign is what the pages explain)
    assert float(printed["GAP_FTE"]) == pytest.approx(
        float(printed["IN_POST_FTE"]) - float(printed["REQUIRED_FTE"]), abs=0.11
    )


def test_check_install_fails_loudly_when_the_figures_differ(tmp_path):
    """A planted wrong expectation makes the check exit non-zero and name the figure."""
    text = (PACK / "check_install.py").read_text(encoding="utf-8")
    planted = tmp_path / "check_install.py"
    planted.write_text(re.sub(r'"GAP_FTE": "[^"]+"', '"GAP_FTE": "+9.9"', text), "utf-8")
    done = subprocess.run(
        [sys.executable, str(planted)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode != 0
    assert "NOT AS EXPECTED: GAP_FTE" in done.stderr
    assert "CHECK=" not in done.stdout


@pytest.mark.parametrize("name", sorted(SETUP_PAGES))
def test_each_setup_page_has_every_route_and_ends_with_the_check(name):
    text = SETUP_PAGES[name].read_text(encoding="utf-8")
    assert "environment.yml" in text and "conda env create -f environment.yml" in text
    assert "requirements" in text and "lock.txt" in text
    # the offline command is the one wheelhouse.py declares
    assert f"python -m pip {wheelhouse.INSTALL_ARGS}" in text
    assert re.search(r"no admin rights", text, re.IGNORECASE)
    assert re.search(r"with admin rights", text, re.IGNORECASE)
    last = text.rsplit("\n## ", 1)[1]
    assert last.startswith("Is it working?"), f"{name}.md does not end with the check"
    assert "python training/check_install.py" in last
    quoted = {m["key"] for m in sync.FIG_RE.finditer(last) if m["snippet"] == "check_install"}
    assert quoted >= {"PATIENTS", "REQUIRED_FTE", "IN_POST_FTE", "GAP_FTE"}
    assert "jupyter lab" in last


def test_windows_page_uses_windows_commands():
    text = SETUP_PAGES["windows"].read_text(encoding="utf-8")
    assert "py -3.11 -m venv .venv" in text
    assert ".venv\\Scripts\\activate" in text
    assert "training\\windows\\start-jupyterlab.bat" in text
    assert ".venv/bin" not in text


def test_windows_launcher_opens_jupyterlab_in_the_repository_root():
    bat = (PACK / "windows" / "start-jupyterlab.bat").read_bytes()
    assert b"\r\n" in bat and b"\n" not in bat.replace(b"\r\n", b""), "use CRLF line endings"
    text = bat.decode("ascii")
    # the launcher sits in training\windows\: two folders up is the repository root
    assert 'cd /d "%~dp0..\\.."' in text
    assert (PACK / "windows" / ".." / ".." / "README.md").resolve() == ROOT / "README.md"
    assert '".venv\\Scripts\\python.exe" -m jupyter lab' in text
    assert "conda activate wfkit" in text
    assert "notebooks" not in text.split("jupyter lab")[1].splitlines()[0]


# ---------------------------------------------------------------- the offline wheelhouse


def test_make_wheelhouse_runs_the_script_and_pages_quote_its_install_command():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    target = re.search(r"^wheelhouse:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert target, "no wheelhouse target in the Makefile"
    assert "training/wheelhouse.py" in target[1]
    readme = (PACK / "setup" / "README.md").read_text(encoding="utf-8")
    assert f"python -m pip {wheelhouse.INSTALL_ARGS}" in readme
    assert "--no-index" in wheelhouse.INSTALL_ARGS and "wheelhouse" in wheelhouse.INSTALL_ARGS
    assert "wheelhouse/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()


def test_download_command_asks_pip_for_wheels_only_for_each_platform(tmp_path):
    for platform in wheelhouse.PLATFORMS:
        cmd = wheelhouse.download_command(platform, tmp_path / "r.txt", tmp_path)
        assert "--only-binary=:all:" in cmd and "--no-deps" in cmd
        assert cmd[cmd.index("--python-version") + 1].startswith("3.11")
        given = [cmd[i + 1] for i, word in enumerate(cmd) if word == "--platform"]
        assert given == list(platform.platforms)
    names = {p.name for p in wheelhouse.PLATFORMS}
    assert names == {"windows", "macos-arm64", "macos-intel", "linux"}


def test_the_lock_is_read_with_each_platforms_markers():
    pins = wheelhouse.read_lock()
    by = {p.name: wheelhouse.PLATFORMS[i] for i, p in enumerate(wheelhouse.PLATFORMS)}
    win, linux, mac = by["windows"], by["linux"], by["macos-arm64"]
    named = {}
    for pin in pins:
        named.setdefault(pin.name, []).append(pin)
    assert len(named) > 100
    assert named["pywinpty"][0].applies(win) and not named["pywinpty"][0].applies(linux)
    assert named["appnope"][0].applies(mac) and not named["appnope"][0].applies(win)
    assert not named["aiohttp"][0].applies(linux), "pinned for Python 3.12 only"
    # numpy has one pin for 3.11 and one for 3.12 and later: 3.11 takes exactly one
    assert len(named["numpy"]) == 2
    assert len([p for p in named["numpy"] if p.applies(linux)]) == 1
    assert all("--hash=sha256:" in p.text for p in pins), "pip checks every download's hash"


def _fake_wheels(folder: Path, pins, platform_tag: str) -> None:
    for pin in pins:
        (folder / f"{pin.name.replace('-', '_')}-{pin.version}-py3-none-{platform_tag}.whl").touch()


def test_missing_finds_what_a_fake_wheelhouse_lacks_per_platform(tmp_path):
    pins = [p for p in wheelhouse.read_lock() if p.name in {"pyyaml", "pywinpty", "appnope"}]
    assert {p.name for p in pins} == {"pyyaml", "pywinpty", "appnope"}
    version = wheelhouse.wfkit_version()
    (tmp_path / f"wfkit-{version}-py3-none-any.whl").touch()
    yaml_pin = next(p for p in pins if p.name == "pyyaml")
    # pyyaml for Windows and Linux only, as compiled wheels
    (tmp_path / f"pyyaml-{yaml_pin.version}-cp311-cp311-win_amd64.whl").touch()
    (tmp_path / f"pyyaml-{yaml_pin.version}-cp311-cp311-manylinux_2_17_x86_64.whl").touch()
    (tmp_path / f"pyyaml-{yaml_pin.version}-cp312-cp312-macosx_11_0_arm64.whl").touch()  # 3.12
    gaps = wheelhouse.missing(tmp_path, pins)
    yaml_name = f"pyyaml=={yaml_pin.version}"
    assert yaml_name not in gaps["windows"] and yaml_name not in gaps["linux"]
    assert yaml_name in gaps["macos-arm64"] and yaml_name in gaps["macos-intel"]
    win = next(p for p in pins if p.name == "pywinpty")
    assert f"pywinpty=={win.version}" in gaps["windows"]
    assert not any("pywinpty" in g for g in gaps["linux"]), (
        "a Windows-only pin is not asked of Linux"
    )
    # a pure-Python wheel of the right version serves every platform; a wrong version none
    _fake_wheels(tmp_path, pins, "any")
    gaps = wheelhouse.missing(tmp_path, pins)
    assert gaps["windows"] == [] and gaps["linux"] == []
    assert gaps["macos-arm64"] == [] and gaps["macos-intel"] == []
    (tmp_path / f"wfkit-{version}-py3-none-any.whl").unlink()
    (tmp_path / "wfkit-0.0.1-py3-none-any.whl").touch()
    assert all(f"wfkit=={version}" in g for g in wheelhouse.missing(tmp_path, pins).values())


def test_check_mode_reports_a_gap_and_fails_without_the_network(tmp_path, capsys):
    assert wheelhouse.main(["--check", "--out", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    for platform in wheelhouse.PLATFORMS:
        assert f": {platform.name}: missing" in out
    assert f"python -m pip {wheelhouse.INSTALL_ARGS}" in out


def test_platform_tags_accept_the_wheels_pip_would_pick():
    from packaging.tags import Tag

    by = {p.name: p.supported() for p in wheelhouse.PLATFORMS}
    assert Tag("cp311", "cp311", "win_amd64") in by["windows"]
    assert Tag("cp311", "cp311", "manylinux_2_17_x86_64") in by["linux"]
    assert Tag("cp311", "cp311", "macosx_11_0_arm64") in by["macos-arm64"]
    assert Tag("cp311", "cp311", "macosx_10_9_universal2") in by["macos-intel"]
    assert Tag("cp311", "abi3", "win_amd64") in by["windows"]
    assert Tag("py3", "none", "any") in by["linux"]
    assert Tag("cp312", "cp312", "win_amd64") not in by["windows"]
    assert Tag("cp311", "cp311", "win32") not in by["windows"]
    assert Tag("cp311", "cp311", "macosx_14_0_arm64") not in by["macos-arm64"], "macOS 12 too"


# ---------------------------------------------------------------- editor litter


def test_markdown_files_leave_out_checkpoints_and_editor_litter(tmp_path, monkeypatch):
    (tmp_path / "lessons" / ".ipynb_checkpoints").mkdir(parents=True)
    page = tmp_path / "lessons" / "01-x.md"
    page.write_text("[x](02-y.md)\n")
    litter = [
        tmp_path / "lessons" / ".ipynb_checkpoints" / "01-x-checkpoint.md",
        tmp_path / "lessons" / "~$01-x.md",
        tmp_path / "lessons" / ".01-x.md.swp",
        tmp_path / "lessons" / "01-x.md.swp",
        tmp_path / ".DS_Store",
        tmp_path / "lessons" / ".~lock.01-x.md#",
        tmp_path / "lessons" / "01-x.md~",
    ]
    for path in litter:
        path.write_text("[broken](nowhere.md)\n")
    (tmp_path / "lessons" / "~$02-y.md").write_text("owner file")
    monkeypatch.setattr(sync, "PACK", tmp_path)
    assert sync.markdown_files() == [page]
    for path in litter:
        assert sync.is_litter(path.relative_to(tmp_path)), path.name
    assert not sync.is_litter(Path("lessons/01-x.md"))
    assert not sync.is_litter(Path("setup/windows.md"))


def test_the_real_pack_after_opening_a_page_in_jupyterlab(tmp_path, monkeypatch):
    """JupyterLab's Markdown Preview writes a checkpoint copy beside a lesson; the pack's own
    page list and link check ignore it."""
    import shutil

    copy = tmp_path / "training"
    shutil.copytree(PACK, copy, ignore=shutil.ignore_patterns("__pycache__"))
    ckpt = copy / "lessons" / ".ipynb_checkpoints"
    ckpt.mkdir()
    lesson = sorted((copy / "lessons").glob("01-*.md"))[0]
    (ckpt / f"{lesson.stem}-checkpoint.md").write_text(lesson.read_text("utf-8"), "utf-8")
    monkeypatch.setattr(sync, "PACK", copy)
    pages = sync.markdown_files()
    assert pages and not any(".ipynb_checkpoints" in p.parts for p in pages)
    assert len(pages) == len(list(copy.rglob("*.md"))) - 1


# ---------------------------------------------------------------- one JupyterLab command


def test_jupyterlab_is_started_the_same_way_everywhere():
    """From the repository root with no folder argument, so training/ and outputs/ show."""
    pages = [ROOT / "README.md", ROOT / "notebooks" / "README.md", *sync.markdown_files()]
    seen = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for m in re.finditer(r"jupyter[ -]lab\b([^\n`]*)", text):
            rest = m[1].strip()
            assert not re.match(r"[\w./\\-]+/", rest), f"{page.name}: `jupyter lab {rest}`"
            assert not rest.startswith("notebooks"), f"{page.name}: `jupyter lab {rest}`"
            seen += 1
    assert seen >= 6
    assert "jupyter lab notebooks" not in (ROOT / "README.md").read_text(encoding="utf-8")


def test_download_lines_carry_no_marker_pip_would_judge_by_this_machine():
    """pip skips a line whose marker does not match the machine running it: colorama
    (win32) was missing from the first wheelhouse built on Linux."""
    pins = {p.name: p for p in wheelhouse.read_lock()}
    line = pins["colorama"].line()
    assert line.startswith(f"colorama=={pins['colorama'].version} --hash=sha256:")
    assert ";" not in line and "sys_platform" not in line
    assert line.count("--hash=") == pins["colorama"].text.count("--hash=") >= 1
