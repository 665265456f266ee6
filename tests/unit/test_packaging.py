"""pyproject.toml and environment.yml list the same dependencies; the public API is exported."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

import wfkit

ROOT = Path(__file__).resolve().parents[2]


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[]", req, maxsplit=1)[0].strip().lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    py = {_name(r): r for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {
        _name(d): d
        for d in env["dependencies"]
        if isinstance(d, str) and not d.startswith(("python", "pip"))
    }
    assert sorted(py) == sorted(conda), "pyproject.toml and environment.yml list different packages"
    for name, req in py.items():
        assert req.replace(" ", "") == conda[name].replace(" ", ""), (
            f"version bounds differ for {name}"
        )


def test_public_api_is_exported():
    for name in wfkit.__all__:
        assert hasattr(wfkit, name), name
    assert (
        wfkit.__version__
        == tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    )


def test_changelog_mentions_version():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert f"## {version}" in (ROOT / "CHANGELOG.md").read_text()


def test_docs_tables_is_up_to_date():
    from wfkit.tables import describe_markdown

    assert (ROOT / "docs" / "tables.md").read_text() == describe_markdown(), (
        "docs/tables.md is stale: run python -m wfkit.tables > docs/tables.md"
    )


def test_docs_scenario_example_is_valid_yaml_for_the_schema():
    from wfkit.scenario import validate_scenario

    text = (ROOT / "docs" / "scenarios.md").read_text()
    block = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    validate_scenario(yaml.safe_load(block), "docs/scenarios.md")


def test_every_bundled_data_file_is_in_the_wheel():
    """pyproject's data-files globs cover every file of data/, so `pip install .` ships them."""
    import fnmatch

    globs = [
        g
        for pats in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
            "data-files"
        ].values()
        for g in pats
    ]
    files = [p.relative_to(ROOT).as_posix() for p in (ROOT / "data").rglob("*") if p.is_file()]
    missing = [
        f
        for f in files
        if not any(fnmatch.fnmatchcase(f, g) and f.count("/") == g.count("/") for g in globs)
    ]
    assert files and not missing, f"add to [tool.setuptools.data-files]: {missing}"


def test_data_dir_falls_back_to_the_installed_copy(tmp_path, monkeypatch):
    from wfkit.data import paths

    monkeypatch.delenv("WFKIT_DATA_DIR", raising=False)
    monkeypatch.setattr(paths, "REPO_ROOT", tmp_path / "site-packages")
    monkeypatch.setattr(paths, "INSTALLED_DATA", tmp_path / "share" / "wfkit" / "data")
    paths.INSTALLED_DATA.mkdir(parents=True)
    assert paths.data_dir() == paths.INSTALLED_DATA
