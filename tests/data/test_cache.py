"""The on-disk cache of validated bundled tables (wfkit.cache, wfkit.data.loader)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest

import wfkit.data as wd
from wfkit import cache
from wfkit.data import loader
from wfkit.errors import InputError


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty cache folder, and no tables held in memory."""
    monkeypatch.setenv("WFKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("WFKIT_CACHE", raising=False)
    loader._load_cached.cache_clear()
    loader._fingerprint.cache_clear()
    yield tmp_path / "cache"
    loader._load_cached.cache_clear()
    loader._fingerprint.cache_clear()


def _entries(folder):
    return sorted(p.name for p in (folder / "tables").glob("*/*.pkl"))


@pytest.mark.parametrize("name", sorted(wd.TABLES))
def test_cached_table_equals_a_fresh_read(name, fresh_cache, monkeypatch):
    first = wd.load(name)  # read, checked and written to the cache
    assert f"{name}.pkl" in _entries(fresh_cache)
    loader._load_cached.cache_clear()
    cached = wd.load(name)  # from the cache
    monkeypatch.setenv("WFKIT_CACHE", "0")
    loader._load_cached.cache_clear()
    fresh = wd.load(name)
    pd.testing.assert_frame_equal(cached, fresh)
    pd.testing.assert_frame_equal(first, fresh)


def test_a_new_kernel_reads_the_cache(fresh_cache):
    wd.load("areas")
    code = (
        "import wfkit.data as wd, wfkit.data.loader as L\n"
        "L._read_and_check = None  # reading the CSV again would fail\n"
        "assert len(wd.load('areas')) == 6196\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_cache_off_writes_nothing(fresh_cache, monkeypatch):
    monkeypatch.setenv("WFKIT_CACHE", "off")
    assert not cache.enabled()
    wd.load("activities")
    assert not fresh_cache.exists()


def test_damaged_entry_is_a_miss_and_is_rewritten(fresh_cache):
    wd.load("activities")
    (entry,) = (fresh_cache / "tables").glob("*/activities.pkl")
    entry.write_bytes(b"not a pickle")
    loader._load_cached.cache_clear()
    pd.testing.assert_frame_equal(wd.load("activities"), wd.load("activities"))
    assert isinstance(cache.read_pickle(entry), pd.DataFrame)


def test_changed_file_is_checked_again_not_served_from_the_cache(
    fresh_cache, tmp_path, monkeypatch
):
    shutil.copytree(wd.data_dir(), tmp_path / "data", ignore=shutil.ignore_patterns("skills"))
    monkeypatch.setenv("WFKIT_DATA_DIR", str(tmp_path / "data"))
    assert len(wd.load("minutes")) > 0  # cached under the copy's fingerprint
    path = tmp_path / "data" / "assumptions" / "minutes.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[1, "value"] = "-3"
    df.to_csv(path, index=False)
    loader._load_cached.cache_clear()
    loader._fingerprint.cache_clear()
    with pytest.raises(InputError) as e:
        wd.load("minutes")
    assert (e.value.row, e.value.column) == (3, "value")
    assert len(list((fresh_cache / "tables").iterdir())) == 1  # the failed read cached nothing


def test_prune_keeps_the_newest(tmp_path):
    import os

    for i in range(6):
        d = tmp_path / f"fp{i}"
        d.mkdir()
        os.utime(d, (1_000_000 + i, 1_000_000 + i))
    cache.prune(tmp_path, keep=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fp4", "fp5"]


def test_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("WFKIT_CACHE_DIR", str(blocker / "cache"))
    loader._load_cached.cache_clear()
    try:
        assert len(wd.load("activities")) > 0
    finally:
        loader._load_cached.cache_clear()


def test_entries_are_private_and_others_writable_ones_are_not_loaded(fresh_cache):
    import os
    import stat

    wd.load("activities")
    (entry,) = (fresh_cache / "tables").glob("*/activities.pkl")
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert isinstance(cache.read_pickle(entry), pd.DataFrame)
    os.chmod(entry, 0o666)  # anyone could have replaced it: never unpickled
    assert cache.read_pickle(entry) is None
    loader._load_cached.cache_clear()
    assert len(wd.load("activities")) > 0  # read and checked again, and rewritten private
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
