"""pyproject.toml and environment.yml list the same dependencies; the public API is exported."""

from __future__ import annotations

import importlib.metadata
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
    # declared once in wfkit/_version.py; the installed metadata took it from there
    assert wfkit.__version__ == importlib.metadata.version("wfkit")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "wfkit._version.__version__"
    }


def test_changelog_mentions_version():
    version = wfkit.__version__
    assert f"## {version}" in (ROOT / "CHANGELOG.md").read_text()
    assert f"Version {version} (declared once" in (ROOT / "README.md").read_text()


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


LOCK = ROOT / "requirements" / "lock.txt"


def _lock_entries() -> list[tuple[str, str, str, list[str], int]]:
    """``(name, version, marker, via, hashes)`` for each pinned line of the lock file."""
    entries: list[tuple[str, str, str, list[str], int]] = []
    for line in LOCK.read_text().splitlines():
        if m := re.match(r"^([A-Za-z0-9._-]+)==([^ ;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$", line):
            entries.append((_name(m[1]), m[2], (m[3] or "").strip(), [], 0))
        elif line.strip().startswith("--hash=sha256:"):
            name, version, marker, via, n = entries[-1]
            entries[-1] = (name, version, marker, via, n + 1)
        elif entries and (m := re.match(r"^\s+#\s+(?:via\s+)?(\S.*)$", line)):
            entries[-1][3].append(m[1].strip())
    return entries


def test_lock_file_pins_every_dependency_within_pyproject_and_environment_bounds():
    """The lock file (``make lock``) pins every dependency pyproject.toml and environment.yml
    name, the build backend and pip included, at a version their bounds allow, with
    hashes; each pyproject dependency is in it because of pyproject (not left from an older
    list), and ``make setup`` installs from it."""
    from packaging.requirements import Requirement

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    project = pyproject["project"]
    direct = [
        Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]
    ]
    # the training pack's site tools (make training): locked too, not in environment.yml
    training = [Requirement(r) for r in project["optional-dependencies"]["training"]]
    build = [Requirement(r) for r in [*pyproject["build-system"]["requires"], "pip"]]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {
        _name(d): d
        for d in env["dependencies"]
        if isinstance(d, str) and _name(d) not in ("python", "pip")
    }
    entries = _lock_entries()
    pinned: dict[str, list[tuple[str, list[str]]]] = {}
    for name, version, _marker, via, hashes in entries:
        assert hashes > 0, f"{name}=={version} has no hash in {LOCK.name}"
        pinned.setdefault(name, []).append((version, via))
    assert len(entries) > 50
    for req in direct + training + build:
        name = _name(req.name)
        assert name in pinned, f"{name} is not in {LOCK.name}: run make lock"
        for version, via in pinned[name]:
            assert req.specifier.contains(version, prereleases=True), (
                f"{LOCK.name} pins {name}=={version}, outside {req.specifier}: run make lock"
            )
            if req in direct + training:
                assert "wfkit (pyproject.toml)" in via, f"{name} is not pinned for pyproject"
            if req in direct:
                assert conda[name].replace(" ", "") == str(req).replace(" ", "")
    from_pyproject = {n for n, _, _, via, _ in entries if "wfkit (pyproject.toml)" in via}
    assert from_pyproject == {_name(r.name) for r in direct + training}, "run make lock"
    make = (ROOT / "Makefile").read_text()
    assert "LOCK   := requirements/lock.txt" in make
    assert (
        "pip install --quiet -r $(LOCK)" in make and "--no-deps --no-build-isolation -e ." in make
    )
