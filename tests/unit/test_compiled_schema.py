"""The scenario schema compiled to Python and committed (``make regen-schema``) is the
schema as it stands, and checks scenarios exactly as compiling the schema afresh does."""

from __future__ import annotations

import copy

import fastjsonschema
import pytest
import yaml

from wfkit.scenario import config
from wfkit.scenario.config import bundled_scenarios, scenario_schema


def _outcome(fn, cfg):
    try:
        fn(copy.deepcopy(cfg))
    except fastjsonschema.JsonSchemaValueException as err:
        return (err.message, err.path, err.rule, repr(err.value))
    return None


def _configs() -> list[dict]:
    good = [yaml.safe_load(p.read_text()) for p in bundled_scenarios().values()]
    base = good[0]
    bad = [
        {**base, "horizon": 0},
        {**base, "horizon": "ten"},
        {**base, "draws": 10**9},
        {**base, "growth_rate": [0.01]},
        {**base, "areas": []},
        {**base, "colour": "red"},
        {**base, "variants": [{"name": "baseline"}]},
        {**base, "inputs": {"population": 3}},
        {**base, "seed": -1},
        {k: v for k, v in base.items() if k != "name"},
    ]
    return good + bad


def test_the_committed_module_is_the_schema_as_it_stands():
    from wfkit.scenario import _scenario_validator as generated

    assert generated.SCHEMA_SHA256 == config._schema_digest(), (
        "wfkit/schemas/scenario.schema.json changed: run `make regen-schema`"
    )
    config._compiled_schema.cache_clear()
    assert config._compiled_schema() is generated.validate


@pytest.mark.parametrize("i", range(len(_configs())))
def test_it_checks_as_a_fresh_compile_does(i):
    from wfkit.scenario import _scenario_validator as generated

    cfg = _configs()[i]
    fresh = fastjsonschema.compile(scenario_schema())
    got, want = _outcome(generated.validate, cfg), _outcome(fresh, cfg)
    if generated.VERSION != fastjsonschema.VERSION:  # wording may move between versions
        got, want = (None if o is None else o[1:] for o in (got, want))
    assert got == want
    assert (want is None) == (i < len(bundled_scenarios()))  # good ones pass, bad ones fail


def test_a_stale_module_is_not_used(monkeypatch):
    """After an edit of the schema without a regeneration, the schema is compiled afresh."""
    monkeypatch.setattr(config, "_schema_digest", lambda: "not the committed digest")
    config._compiled_schema.cache_clear()
    try:
        fn = config._compiled_schema()
        assert fn.__module__ != "wfkit.scenario._scenario_validator"
        assert _outcome(fn, {"name": 3}) is not None
    finally:
        config._compiled_schema.cache_clear()


def test_regenerating_writes_a_module_that_imports(tmp_path):
    path = config.write_compiled_schema(tmp_path / "gen.py")
    ns: dict = {}
    exec(compile(path.read_text(), str(path), "exec"), ns)  # our own output
    assert ns["SCHEMA_SHA256"] == config._schema_digest()
    assert _outcome(ns["validate"], {"name": 3}) is not None


def test_the_committed_schema_is_made_from_the_declarations():
    """The published JSON Schema is generated from :mod:`wfkit.settings` (one declaration per
    setting): a setting changed there without `make regen-schema` fails here."""
    from wfkit.scenario.schema import SCHEMA_FILE, schema_text

    assert SCHEMA_FILE.read_text("utf-8") == schema_text(), (
        "wfkit/schemas/scenario.schema.json is not what wfkit/settings.py declares: run "
        "`make regen-schema`"
    )


def test_a_changed_declaration_changes_the_schema(monkeypatch):
    """A planted change of a declared range reaches the schema (and so every front door)."""
    from dataclasses import replace

    from wfkit import settings
    from wfkit.scenario import schema

    monkeypatch.setattr(settings, "HORIZON", replace(settings.HORIZON, hi=7))
    assert schema.build_schema()["properties"]["horizon"]["maximum"] == 7
