"""The on-disk cache of validated bundled tables (wfkit.cache, wfkit.data.loader)."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import warnings
from pathlib import Path

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
    return sorted(p.name for p in (folder / "tables").glob(f"*/*{cache.FRAME_SUFFIX}"))


def _entry(folder, name):
    (entry,) = (folder / "tables").glob(f"*/{name}{cache.FRAME_SUFFIX}")
    return entry


@pytest.mark.parametrize("name", sorted(wd.TABLES))
def test_cached_table_equals_a_fresh_read(name, fresh_cache):
    """Every bundled table comes back from the cache exactly as read and checked: same
    values, dtypes (str, float, int), index and column order."""
    first = wd.load(name)  # read, checked and written to the cache
    assert f"{name}{cache.FRAME_SUFFIX}" in _entries(fresh_cache)
    loader._load_cached.cache_clear()
    cached = loader._load_cached(name, str(wd.data_dir()))
    assert cached is not None
    fresh = loader._read_and_check(name, str(wd.data_dir()))
    pd.testing.assert_frame_equal(cached, fresh)
    pd.testing.assert_frame_equal(first, fresh)
    assert cache.read_frame(_entry(fresh_cache, name)) is not None  # it was a cache hit


def test_round_trip_keeps_categoricals_nullable_and_index(fresh_cache):
    df = pd.DataFrame(
        {
            "cat": pd.Categorical(["b", "a", None, "b"], categories=["b", "a", "z"]),
            "ordered": pd.Categorical(["lo", "hi", "lo", "hi"], ["lo", "hi"], ordered=True),
            "s": pd.array(["x", None, "", "y"], dtype="string"),
            "st": pd.Series(["p", None, "q", "r"], dtype="str"),
            "i": pd.array([1, None, 3, -(2**62)], dtype="Int64"),
            "f": [0.1, float("nan"), float("inf"), -0.0],
            "b": pd.array([True, None, False, True], dtype="boolean"),
            "n": [1, 2, 3, 4],
        },
        index=pd.Index([10, 20, 30, 40], name="row"),
    )
    path = fresh_cache / "tables" / "fp" / "t.arrow"
    cache.write_frame(path, df)
    pd.testing.assert_frame_equal(cache.read_frame(path), df)


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
    entry = _entry(fresh_cache, "activities")
    entry.write_bytes(b"not an Arrow file")
    assert cache.read_frame(entry) is None
    loader._load_cached.cache_clear()
    pd.testing.assert_frame_equal(wd.load("activities"), wd.load("activities"))
    assert isinstance(cache.read_frame(entry), pd.DataFrame)


def _edit_minutes(folder: Path, row: int, column: str, text: str) -> None:
    """Write ``text`` into one cell of a data folder's minutes table; forget what was read."""
    path = folder / "assumptions" / "minutes.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[row, column] = text
    df.to_csv(path, index=False)
    loader._load_cached.cache_clear()
    loader._fingerprint.cache_clear()


def test_changed_file_is_checked_again_not_served_from_the_cache(
    fresh_cache, tmp_path, monkeypatch
):
    shutil.copytree(wd.data_dir(), tmp_path / "data", ignore=shutil.ignore_patterns("skills"))
    monkeypatch.setenv("WFKIT_DATA_DIR", str(tmp_path / "data"))
    assert len(wd.load("minutes")) > 0  # cached under the copy's fingerprint
    _edit_minutes(tmp_path / "data", 1, "value", "-3")
    with pytest.raises(InputError) as e:
        wd.load("minutes")
    assert (e.value.row, e.value.column) == (3, "value")
    assert len(list((fresh_cache / "tables").iterdir())) == 1  # the failed read cached nothing


def test_read_through_computes_once_and_reads_every_part_back(fresh_cache):
    """The one read-through helper: a miss computes and writes every part (frames as
    Arrow, ``.json`` parts as JSON text), a hit computes nothing, a missing part is a miss,
    frames over ``max_rows`` are not kept, and an entry key of ``None`` never touches disk."""
    calls = []
    frame = pd.DataFrame({"role": ["gp", "nurse"], "x": [1.5, 2.0]})

    def compute():
        calls.append(1)
        return {"t": frame, "notes.json": ["a", "b"]}

    key = cache.key("data", "probe", (1, 2))
    assert key == cache.key("data", "probe", (1, 2)) != cache.key("data", "probe", (1, 3))
    first = cache.read_through("probe", lambda: key, ["t", "notes.json"], compute)
    entry = fresh_cache / "probe" / key
    assert sorted(p.name for p in entry.iterdir()) == ["notes.json", f"t{cache.FRAME_SUFFIX}"]
    again = cache.read_through("probe", lambda: key, ["t", "notes.json"], compute)
    assert len(calls) == 1  # the second was read from disk
    pd.testing.assert_frame_equal(again["t"], frame)
    assert again["notes.json"] == first["notes.json"] == ["a", "b"]
    (entry / "notes.json").unlink()
    cache.read_through("probe", lambda: key, ["t", "notes.json"], compute)
    assert len(calls) == 2 and (entry / "notes.json").is_file()  # a part missing: recomputed
    big = cache.key("data", "big")
    cache.read_through("probe", lambda: big, ["t", "notes.json"], compute, max_rows=1)
    assert not (fresh_cache / "probe" / big).exists()
    cache.read_through("probe", lambda: None, ["t", "notes.json"], compute)
    assert len(calls) == 4


def test_read_through_prunes_its_kind(fresh_cache, monkeypatch):
    monkeypatch.setitem(cache.KEEP, "probe", 2)
    frame = pd.DataFrame({"x": [1]})
    for i in range(4):
        k = cache.key("data", i)
        cache.read_through("probe", lambda k=k: k, ["t"], lambda: {"t": frame})
        os.utime(fresh_cache / "probe" / k, (1_000_000 + i, 1_000_000 + i))
    assert len(list((fresh_cache / "probe").iterdir())) == 2


def test_prune_keeps_the_newest(fresh_cache):
    store = fresh_cache / "tables"
    assert cache.usable(store)
    names = [f"{i:024x}" for i in range(6)]
    for i, name in enumerate(names):
        d = store / name
        d.mkdir()
        os.utime(d, (1_000_000 + i, 1_000_000 + i))
    mine = store / "notes-of-my-own"  # not a name wfkit gives an entry: never removed
    mine.mkdir()
    os.utime(mine, (1, 1))
    cache.prune(store, keep=2)
    assert sorted(p.name for p in store.iterdir()) == sorted([*names[4:], mine.name])


def test_prune_removes_only_what_wfkit_writes_in_an_entry(fresh_cache):
    """An old entry goes with its tables, notes and temporary files; anything else in it
    (a file of another kind, a symlink, a folder) stays, and so does the entry."""
    store = fresh_cache / "areas"
    assert cache.usable(store)
    old, kept, new = (store / f"{i:024x}" for i in range(3))
    for d in (old, kept, new):
        d.mkdir()
        (d / "prevalence.arrow").write_bytes(b"x")
        (d / "growth.parquet").write_bytes(b"x")  # written by wfkit 0.3.0 and before
        (d / "notes.json").write_text("[]")
        (d / ".growth.parquet.abc123.tmp").write_bytes(b"x")
    (kept / "thesis.tex").write_text("years of work")
    (kept / "link.parquet").symlink_to(fresh_cache / "elsewhere.parquet")
    (kept / "sub").mkdir()
    for i, d in enumerate((old, kept, new)):
        os.utime(d, (1_000_000 + i, 1_000_000 + i))
    cache.prune(store, keep=1)
    assert not old.exists()
    assert sorted(p.name for p in kept.iterdir()) == ["link.parquet", "sub", "thesis.tex"]
    assert sorted(p.name for p in new.iterdir()) == [
        ".growth.parquet.abc123.tmp",
        "growth.parquet",
        "notes.json",
        "prevalence.arrow",
    ]


def test_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("WFKIT_CACHE_DIR", str(blocker / "cache"))
    loader._load_cached.cache_clear()
    try:
        assert len(wd.load("activities")) > 0
    finally:
        loader._load_cached.cache_clear()


# ------------------------------------------------------------------ planted files
def test_entries_are_private_and_others_writable_ones_are_not_read(fresh_cache):
    wd.load("activities")
    entry = _entry(fresh_cache, "activities")
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert isinstance(cache.read_frame(entry), pd.DataFrame)
    os.chmod(entry, 0o666)  # anyone could have replaced it: never read
    assert cache.read_frame(entry) is None
    loader._load_cached.cache_clear()
    assert len(wd.load("activities")) > 0  # read and checked again, and rewritten private
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert not [p for p in entry.parent.iterdir() if p.name.endswith(".tmp")]


def test_no_pickle_anywhere_in_the_package():
    """Nothing in wfkit can unpickle: a planted pickle cannot run code through wfkit."""
    import wfkit

    pkg = Path(wfkit.__file__).parent
    offenders = [
        str(p.relative_to(pkg))
        for p in pkg.rglob("*.py")
        if re.search(r"\bpickle\b|\bread_pickle\b|\bjoblib\b|\bdill\b", p.read_text())
    ]
    assert offenders == []


class _Boom:
    def __reduce__(self):
        return (_planted_ran, ())


def _planted_ran():  # pragma: no cover - running it is the failure
    raise AssertionError("a planted pickle was unpickled")


def test_a_planted_pickle_is_never_unpickled(fresh_cache, monkeypatch):
    import pickle

    wd.load("activities")
    entry = _entry(fresh_cache, "activities")
    payload = pickle.dumps(_Boom())
    for planted in (entry, entry.with_suffix(".pkl")):  # the entry itself, and the old name
        planted.write_bytes(payload)
        os.chmod(planted, 0o600)
    monkeypatch.setattr(pickle, "load", lambda *a, **k: _planted_ran())
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: _planted_ran())
    loader._load_cached.cache_clear()
    assert cache.read_frame(entry) is None  # not Parquet: a miss
    assert len(wd.load("activities")) == len(
        loader._read_and_check("activities", str(wd.data_dir()))
    )


def test_a_symlink_at_the_entry_is_not_followed(fresh_cache, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    wd.load("activities")
    entry = _entry(fresh_cache, "activities")
    entry.unlink()
    entry.symlink_to(victim)
    assert cache.read_bytes(entry) is None  # O_NOFOLLOW: not read through
    assert not cache.trusted(entry)
    loader._load_cached.cache_clear()
    assert len(wd.load("activities")) > 0  # rewritten: the link is replaced, not written through
    assert victim.read_text() == "precious"
    assert not entry.is_symlink() and isinstance(cache.read_frame(entry), pd.DataFrame)


def test_a_symlink_planted_at_a_predictable_temporary_name_is_not_followed(fresh_cache, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    folder = fresh_cache / "vega"
    assert cache.usable(folder)
    path = folder / "bundle.js"
    for name in (f".{path.name}.tmp-{os.getpid()}", f".{path.name}.tmp"):  # the old names
        (folder / name).symlink_to(victim)
    cache.write_text(path, "export default 1;")
    assert victim.read_text() == "precious"
    assert cache.read_text(path) == "export default 1;"
    assert stat.S_IMODE(path.lstat().st_mode) == 0o600


@pytest.mark.timeout(30)  # opening a FIFO to read it would block for ever
def test_a_fifo_or_folder_at_the_entry_is_a_miss_not_a_hang(fresh_cache):
    folder = fresh_cache / "vega"
    assert cache.usable(folder)
    os.mkfifo(folder / "fifo.js", 0o600)
    (folder / "dir.js").mkdir(mode=0o700)
    assert cache.read_text(folder / "fifo.js") is None
    assert cache.read_text(folder / "dir.js") is None


@pytest.mark.parametrize("mode", [0o770, 0o707, 0o777, 0o1777])
def test_a_folder_writable_by_group_or_others_is_refused(fresh_cache, mode):
    wd.load("activities")
    entry = _entry(fresh_cache, "activities")
    os.chmod(fresh_cache, mode)
    try:
        cache._warned.clear()
        with pytest.warns(cache.CacheWarning, match="group or others"):
            assert cache.read_frame(entry) is None
        loader._load_cached.cache_clear()
        before = entry.stat().st_mtime_ns
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", cache.CacheWarning)
            assert len(wd.load("activities")) > 0  # read from the CSV, not the cache
        assert entry.stat().st_mtime_ns == before  # and nothing written there
    finally:
        os.chmod(fresh_cache, 0o700)


def test_a_writable_subfolder_is_refused(fresh_cache):
    wd.load("activities")
    entry = _entry(fresh_cache, "activities")
    os.chmod(entry.parent, 0o777)
    cache._warned.clear()
    with pytest.warns(cache.CacheWarning):
        assert cache.read_frame(entry) is None


def test_a_symlinked_subfolder_is_refused(fresh_cache, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    assert cache.usable(fresh_cache)
    (fresh_cache / "vega").symlink_to(elsewhere, target_is_directory=True)
    cache._warned.clear()
    with pytest.warns(cache.CacheWarning, match="not a folder"):
        cache.write_text(fresh_cache / "vega" / "b.js", "x")
    assert list(elsewhere.iterdir()) == []


@pytest.mark.skipif(os.getuid() != 0, reason="changing a folder's owner needs root")
def test_a_folder_owned_by_someone_else_is_refused(fresh_cache):
    wd.load("activities")
    entry = _entry(fresh_cache, "activities")
    os.chown(fresh_cache, 65534, -1)  # nobody
    try:
        cache._warned.clear()
        with pytest.warns(cache.CacheWarning, match="another user"):
            assert cache.read_frame(entry) is None
    finally:
        os.chown(fresh_cache, os.getuid(), -1)


def test_an_entry_owned_by_someone_else_is_not_read(fresh_cache, monkeypatch):
    wd.load("activities")
    entry = _entry(fresh_cache, "activities")
    real = os.fstat

    def fstat(fd):
        st = real(fd)
        return os.stat_result(
            (st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid + 1, *tuple(st)[5:10])
        )

    monkeypatch.setattr(os, "fstat", fstat)
    assert cache.read_frame(entry) is None


def test_area_tables_from_the_disk_cache_equal_a_fresh_build(fresh_cache):
    # every area table a scenario builds, read back from the on-disk cache (not from the
    # memo of this process), is the frame a fresh build gives (values, dtypes, text as
    # Python strings and the notes in attrs)
    from wfkit.data import not_modelled
    from wfkit.scenario import tables as st

    ctx = {"areas": ["U06180"], "level": "pcn", "base_year": 2025, "years": [2025, 2026]}
    for name in st.AREA_TABLES:
        fresh = st._build_bundled(name, ctx)
        st._MEMO.clear()
        st.load_bundled_table(name, ctx)  # built and stored
        st._MEMO.clear()
        (entry,) = (fresh_cache / "areas").glob(f"*/{name}{cache.FRAME_SUFFIX}")
        cached = st.load_bundled_table(name, ctx)  # read back from the entry
        pd.testing.assert_frame_equal(cached, fresh)
        assert cached.attrs == fresh.attrs
        text = [c for c in fresh.columns if fresh[c].dtype == object]
        assert all(isinstance(v, str) or v is None for c in text for v in cached[c])
    st._MEMO.clear()
    first = not_modelled(["U06180"], "pcn")
    pd.testing.assert_frame_equal(not_modelled(["U06180"], "pcn"), first)


def test_entries_are_arrow_files_of_data_only(fresh_cache):
    """A cached table is an Arrow IPC file (read back by pyarrow with no wfkit code, and
    holding no pickled objects): its schema is plain columns and pandas' JSON metadata."""
    import json

    import pyarrow as pa

    wd.load("roles")
    data = _entry(fresh_cache, "roles").read_bytes()
    assert data[:6] == b"ARROW1"
    with pa.ipc.open_file(pa.BufferReader(data)) as reader:
        table = reader.read_all()
    meta = table.schema.metadata
    assert set(meta) == {b"pandas"}
    json.loads(meta[b"pandas"])  # JSON, not a pickle
    assert not any(isinstance(f.type, pa.ExtensionType) for f in table.schema)
    pd.testing.assert_frame_equal(table.to_pandas(), wd.load("roles"))


def test_skills_tables_come_back_from_the_cache_as_read_and_checked(fresh_cache, monkeypatch):
    from wfkit.skills import tables as sk

    first = sk.load_skills_tables()  # read, checked and cached
    assert len(list((fresh_cache / "skills").glob(f"*/*{cache.FRAME_SUFFIX}"))) == 5
    read = sk.read_csv_checked
    monkeypatch.setattr(sk, "read_csv_checked", None)  # a second read must not touch the CSVs
    again = sk.load_skills_tables()
    monkeypatch.setattr(sk, "read_csv_checked", read)
    monkeypatch.setenv("WFKIT_CACHE", "0")
    fresh = sk.load_skills_tables()
    for name in sk.SKILLS_SPECS:
        pd.testing.assert_frame_equal(getattr(again, name), getattr(fresh, name))
        pd.testing.assert_frame_equal(getattr(first, name), getattr(fresh, name))


def test_text_as_codes_round_trip(fresh_cache):
    """``codes=True`` keeps each distinct text once: object text (with missing values) comes
    back as the same Python strings, other columns as they were, and the file is small."""
    n = 50_000
    df = pd.DataFrame(
        {
            "area": pd.Categorical([f"P{i % 7}" for i in range(n)]),
            "notes": pd.Series(
                [
                    None if i % 11 == 0 else f"a long note about source {i % 3} " * 4
                    for i in range(n)
                ],
                dtype=object,
            ),
            "value": [i / 7 for i in range(n)],
            "s": pd.Series([f"x{i % 5}" for i in range(n)], dtype="str"),
        }
    )
    plain, coded = fresh_cache / "t" / "plain.arrow", fresh_cache / "t" / "coded.arrow"
    cache.write_frame(plain, df)
    cache.write_frame(coded, df, codes=True)
    back = cache.read_frame(coded)
    pd.testing.assert_frame_equal(back, df)
    assert back["notes"].dtype == object and back["notes"].iloc[0] is None
    assert coded.stat().st_size < plain.stat().st_size / 4


def test_fingerprint_memo_never_hides_a_changed_file(fresh_cache, tmp_path, monkeypatch):
    """The data digest is kept under the files' stat, and equals the digest of the bytes; a
    file changed to the same size with its old modification time set back is hashed again
    (its change time moved)."""
    shutil.copytree(wd.data_dir(), tmp_path / "data", ignore=shutil.ignore_patterns("skills"))
    folder = str(tmp_path / "data")
    first = loader._fingerprint(folder)
    assert len(list((fresh_cache / "fingerprints").iterdir())) == 1
    loader._fingerprint.cache_clear()
    monkeypatch.setenv("WFKIT_CACHE", "0")
    assert loader._fingerprint(folder) == first  # the memo holds the bytes' digest
    monkeypatch.delenv("WFKIT_CACHE")
    path = tmp_path / "data" / "assumptions" / "minutes.csv"
    st = path.stat()
    text = path.read_bytes()
    i = text.index(b"\n", text.index(b"\n") + 1) - 1  # the last byte of the first data row
    path.write_bytes(text[:i] + (b"8" if text[i : i + 1] != b"8" else b"9") + text[i + 1 :])
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    loader._fingerprint.cache_clear()
    assert loader._fingerprint(folder) != first
    loader._fingerprint.cache_clear()


def test_source_digest_is_the_digest_of_wfkits_source_and_its_memo_holds_it(fresh_cache):
    """The source digest in every cache key is the digest of each source file's name and
    bytes (worked out here on its own), with the memo under the files' stat or without."""
    import hashlib

    pkg = Path(cache.__file__).resolve().parent
    h = hashlib.blake2b(digest_size=12)
    for src in sorted(pkg.rglob("*.py")):
        h.update(str(src.relative_to(pkg)).encode() + b"\0" + src.read_bytes())
    cache._source_digest.cache_clear()
    try:
        assert cache._source_digest() == h.digest()
        assert len(list((fresh_cache / "sources").iterdir())) == 1
        cache._source_digest.cache_clear()
        assert cache._source_digest() == h.digest()  # read from the memo
    finally:
        cache._source_digest.cache_clear()


def test_a_runs_national_tables_follow_the_data_files(fresh_cache, tmp_path, monkeypatch):
    """The national tables a run reads are kept once a process as Python strings, under the
    data files' fingerprint: a data file changed (and read again) is a new table."""
    from wfkit.scenario import tables as st

    shutil.copytree(wd.data_dir(), tmp_path / "data", ignore=shutil.ignore_patterns("skills"))
    monkeypatch.setenv("WFKIT_DATA_DIR", str(tmp_path / "data"))
    ctx = {"areas": ["U06180"], "level": "pcn", "base_year": 2025, "years": [2025]}
    first = st.load_bundled_table("minutes", ctx)
    assert first["activity"].dtype == object
    _edit_minutes(tmp_path / "data", 0, "notes", "changed for the test")
    again = st.load_bundled_table("minutes", ctx)
    assert again.loc[0, "notes"] == "changed for the test" != first.loc[0, "notes"]
