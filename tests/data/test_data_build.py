"""The committed tables equal a fresh build, and they have not drifted from the sources."""

from __future__ import annotations

import filecmp

import pandas as pd
import pytest

import wfkit.data as wd
from wfkit import tables as T
from wfkit.data.build import RAW_FILES, build
from wfkit.data.catalogue import TABLES

pytestmark = pytest.mark.unit

SOURCES = wd.sources_dir()
needs_sources = pytest.mark.skipif(
    not all((SOURCES / rel).exists() for rel in RAW_FILES.values()),
    reason=f"raw sources not found at {SOURCES} (set WFKIT_DATA_SOURCES)",
)


def test_sources_are_found_beside_the_checkout(monkeypatch):
    from wfkit.data.paths import REPO_ROOT, sources_dir

    monkeypatch.delenv("WFKIT_DATA_SOURCES", raising=False)
    beside = REPO_ROOT.parent / "shared" / "data-sources"
    if beside.is_dir():  # e.g. /work/main beside /work/shared/data-sources
        assert sources_dir() == beside
    monkeypatch.setenv("WFKIT_DATA_SOURCES", "/elsewhere")
    assert str(sources_dir()) == "/elsewhere"


@needs_sources
def test_committed_tables_equal_a_fresh_build(tmp_path):
    build(source=SOURCES, out=tmp_path)
    built = [i.file for i in TABLES.values() if i.built]
    docs = [f"dictionary/{n}.csv" for n in TABLES] + ["provenance.csv", "build_notes.csv"]
    for rel in built + docs:
        assert filecmp.cmp(tmp_path / rel, wd.data_dir() / rel, shallow=False), (
            f"data/{rel} differs from a fresh build; run 'wfkit data build' and review the diff"
        )


@needs_sources
def test_build_is_deterministic(tmp_path):
    build(source=SOURCES, out=tmp_path / "a")
    build(source=SOURCES, out=tmp_path / "b")
    for info in TABLES.values():
        if info.built:
            assert filecmp.cmp(tmp_path / "a" / info.file, tmp_path / "b" / info.file, False)


def test_practices_and_patients_december_2025():
    ls = wd.load("list_size")
    assert len(ls) == 6196
    assert int(ls.patients.sum()) == 63_936_682
    a = wd.load("areas")
    assert len(a) == 6196
    assert (a.sub_icb.nunique(), a.icb.nunique(), a.region.nunique()) == (106, 42, 7)
    real = a.pcn[~a.pcn.str.startswith("U_")].nunique()
    assert real + 1 == 1298  # the published count includes the unallocated code U
    assert wd.load("areas_2026").icb.nunique() == 36


def test_practice_age_sums_to_the_list():
    pa = wd.load("practice_age")
    assert set(pa.age_band) == set(T.AGE_BANDS)
    assert pa.groupby("practice").size().eq(19).all()
    tot = pa.groupby("practice").patients.sum()
    ls = wd.load("list_size").set_index("practice").patients
    assert tot.reindex(ls.index).eq(ls).all()


def test_national_gp_fte_2024_25():
    wf = wd.load("workforce")
    last = wf[wf.year == "2024/25"]
    assert last.gp_fte.sum() == pytest.approx(27_076.7, abs=0.05)  # SOURCE.md: about 27,077
    assert last.nurse_fte.sum() == pytest.approx(16_575, abs=1)
    assert (last.gp_partner_fte <= last.gp_fte + 0.2).all() | last.gp_fte.isna().any()
    assert 0.4 < last.gp_partner_fte.sum() / last.gp_fte.sum() < 0.7


def test_network_staff_november_2025():
    pr = wd.load("pcn_roles")
    assert pr.pcn.nunique() == 1273
    assert pr.fte.sum() == pytest.approx(30_576.0, abs=0.1)
    assert {"Other GPs", "Other Nurses", "Directors"} <= set(pr.staff_group)


def test_practice_roles_october_2025():
    wr = wd.load("workforce_roles")
    eng = wr[wr.level == "england"].groupby("staff_group").fte.sum()
    assert eng["gp"] == pytest.approx(38_649, abs=0.5)
    assert eng["nurse"] == pytest.approx(16_715, abs=0.5)
    assert eng["dpc"] == pytest.approx(17_614, abs=0.5)
    assert eng["admin"] == pytest.approx(76_397, abs=0.5)
    one = wr[wr.level == "england"].set_index("source_role").fte
    assert one["GP Partners"] == pytest.approx(15_291, abs=0.5)
    assert one["Receptionists"] == pytest.approx(41_281, abs=0.5)
    # the 106 sub-ICBs and the Unknown row sum to England, role by role
    parts = wr[wr.level.isin(["sub_icb", "unknown"])].groupby(["staff_group", "source_role"])
    whole = wr[wr.level == "england"].set_index(["staff_group", "source_role"]).fte
    assert (parts.fte.sum() - whole).abs().max() < 0.01
    assert wr[wr.level == "unknown"].fte.sum() == pytest.approx(1_070, abs=1)


def test_qof_totals():
    q = wd.load("qof_practice")
    t = q.groupby("condition").register_2425.sum()
    assert t["HYP"] == 9_711_491
    assert t["DM"] == 4_109_134
    assert q.groupby("condition").register_2223.sum()["HYP"] == 8_996_512
    assert q.practice[q.register_2425.notna()].nunique() == 6188
    assert q.practice[q.register_2223.notna()].nunique() == 6378
    assert set(q.condition) >= set(wd.load("condition_activities").condition)


def test_projection_totals():
    proj = wd.load("projection")
    eng = proj[(proj.area == "E92000001") & (proj.year == 2022)]
    assert eng.population.sum() == 57_112_542
    subs = proj[(proj.area != "E92000001") & (proj.year == 2022)]
    assert subs.area.nunique() == 106
    assert set(subs.area) == set(wd.load("areas").sub_icb)
    assert subs.population.sum() == pytest.approx(57_112_542, abs=100)
    assert (proj.year.min(), proj.year.max()) == (2022, 2047)


def test_appointments_november_2025():
    a = wd.load("appointments")
    assert a.total.sum() == 31_098_559
    assert len(a) == 6138
    assert (a.gp + a.other_staff + a.unknown_staff).eq(a.total).all()
    assert a.gp.sum() == 13_673_365
    m = wd.load("appointments_monthly")
    assert m[m.month == "2025-11"].appointments.sum() == 31_098_559
    assert (m.month.min(), m.month.max(), m.month.nunique()) == ("2023-05", "2025-11", 31)
    c = wd.load("appointment_categories")
    assert c.appointments.sum() == 31_098_559
    assert c[c.staff_type == "gp"].appointments.sum() == 13_673_365


def test_build_reports_what_it_leaves_out():
    notes = pd.read_csv(wd.data_dir() / "build_notes.csv").note
    assert notes.str.contains("PCN code U").any()
    assert notes.str.contains("not in the December 2025 map").any()
    assert notes.str.contains("table 2d").any()


def test_data_folder_is_small():
    total = sum(p.stat().st_size for p in wd.data_dir().rglob("*") if p.is_file())
    assert total < 15_000_000


# ---------------------------------------------------------------------------------------
# the build writes nothing half: a user's folder refused, data/ replaced file by file whole
# ---------------------------------------------------------------------------------------
def _snapshot(folder):
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_build_out_refuses_a_users_folder(tmp_path, capsys):
    """``--out`` into a folder holding someone's files is refused before the build, and
    their ``provenance.csv`` and ``dictionary/areas.csv`` stay as they were."""
    from wfkit.cli import main
    from wfkit.errors import InputError

    mine = tmp_path / "mine"
    (mine / "dictionary").mkdir(parents=True)
    (mine / "provenance.csv").write_text("my own notes\n")
    (mine / "dictionary" / "areas.csv").write_text("mine too\n")
    before = _snapshot(mine)
    with pytest.raises(InputError, match="holds files wfkit did not write"):
        build(source=tmp_path / "no-sources", out=mine)
    assert main(["data", "build", "--source", str(tmp_path), "--out", str(mine)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "provenance.csv" in err, err
    assert _snapshot(mine) == before


@needs_sources
def test_build_out_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    import wfkit.data.build as B

    out = tmp_path / "built"
    build(source=SOURCES, out=out)
    before = _snapshot(out)
    assert ".wfkit-manifest.json" in before  # wfkit's own: a rebuild may replace it
    real, calls = B._write, []

    def failing(df, path):
        calls.append(path)
        if len(calls) > 1:
            raise OSError(28, "No space left on device")
        real(df, path)

    monkeypatch.setattr(B, "_write", failing)
    with pytest.raises(OSError):
        build(source=SOURCES, out=out)
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["built"]  # no temporary left


@needs_sources
def test_in_place_build_failing_part_way_changes_nothing(tmp_path, monkeypatch):
    """A build of ``data/`` that fails after its first file leaves every table as it was."""
    import shutil

    import wfkit.data.build as B

    data = tmp_path / "data"
    shutil.copytree(wd.data_dir(), data)
    for info in TABLES.values():
        if info.built:
            (data / info.file).write_text("old\n")
    monkeypatch.setenv("WFKIT_DATA_DIR", str(data))
    before = _snapshot(data)
    real, calls = B._write, []

    def failing(df, path):
        calls.append(path)
        if len(calls) > 1:
            raise OSError(28, "No space left on device")
        real(df, path)

    monkeypatch.setattr(B, "_write", failing)
    with pytest.raises(OSError):
        build(source=SOURCES)
    assert _snapshot(data) == before
    monkeypatch.setattr(B, "_write", real)
    build(source=SOURCES)  # and a good build replaces them
    assert filecmp.cmp(
        data / "population" / "list_size.csv",
        wd.paths.REPO_ROOT / "data" / "population" / "list_size.csv",
        shallow=False,
    )
    assert not list(data.glob(".build-tmp-*"))


@needs_sources
def test_in_place_build_killed_leaves_every_table_old_or_new_and_whole(tmp_path):
    """A process killed while it moves the new tables into ``data/`` leaves each file old
    or new and whole; the next build removes its temporary folder."""
    import os
    import shutil
    import subprocess
    import sys

    data = tmp_path / "data"
    shutil.copytree(wd.data_dir(), data)
    new = _snapshot(data)
    for info in TABLES.values():
        if info.built:
            (data / info.file).write_text("old\n")
    old = _snapshot(data)
    code = (
        "import os, wfkit.data.build as B\n"
        "real, n = os.replace, [0]\n"
        "def replace(a, b):\n"
        "    n[0] += 1\n"
        "    if n[0] == 4: os._exit(9)\n"
        "    real(a, b)\n"
        "os.replace = replace\n"
        f"B.build(source={str(SOURCES)!r})\n"
    )
    env = {**os.environ, "WFKIT_DATA_DIR": str(data)}
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=240)
    assert r.returncode == 9, r.stderr.decode()
    after = {k: v for k, v in _snapshot(data).items() if not k.startswith(".build-tmp-")}
    assert set(after) == set(old)
    assert all(after[k] in (old[k], new[k]) for k in after)
    assert sum(after[k] != old[k] for k in after) == 3  # three files moved before the kill
    assert list(data.glob(".build-tmp-*"))
    # until the build is run again, reading the mixed tables is refused with one line
    read = subprocess.run(
        [sys.executable, "-m", "wfkit.cli", "data", "show", "areas"],
        env={**env, "WFKIT_CACHE_DIR": str(tmp_path / "cache")},
        capture_output=True,
        timeout=240,
    )
    err = read.stderr.decode()
    assert read.returncode == 2 and "run 'wfkit data build' again" in err, err
    assert len(err.strip().splitlines()) == 1
    env_ok = subprocess.run(
        [sys.executable, "-c", f"import wfkit.data.build as B; B.build(source={str(SOURCES)!r})"],
        env=env,
        capture_output=True,
        timeout=240,
    )
    assert env_ok.returncode == 0, env_ok.stderr.decode()
    assert _snapshot(data) == new
