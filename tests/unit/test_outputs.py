"""wfkit.outputs: wfkit never loses a user's file (issue 11).

Each test is a bug that happened (or could): a writer that replaced the whole target folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from wfkit import notebook, outputs
from wfkit.cli import main
from wfkit.errors import InputError
from wfkit.outputs import MANIFEST, TMP_MARKER, check_output_dir, output_folder
from wfkit.scenario import run_scenario, write_outputs

# the example models two areas: areas.csv too (issue 20)
RUN_FILES = {"results.csv", "demand.csv", "areas.csv", "summary.json", "run.log"}


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` with its bytes (hidden files too)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def user_folder(folder: Path) -> dict[str, bytes]:
    """A user's folder: a board paper and last year's CSV in a subfolder."""
    (folder / "2024").mkdir(parents=True)
    (folder / "board_paper.docx").write_bytes(b"PK\x03\x04 the board paper " + os.urandom(64))
    (folder / "2024" / "old.csv").write_text("year,fte\n2024,12.5\n")
    return tree(folder)


def write(out, files: dict[str, str], **kw) -> Path:
    """Write ``files`` ({name: text}) through the safe writer."""
    with output_folder(out, **kw) as tmp:
        for name, text in files.items():
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_text(text)
    return check_output_dir(out, allow_existing=True).path


def no_model(monkeypatch):
    """Make any model run fail the test: refusals must come before model time is spent."""

    def boom(*a, **k):
        raise AssertionError("the model ran before the output folder was checked")

    monkeypatch.setattr("wfkit.scenario.run_scenario", boom)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from tests.conftest import _copy_example

    return run_scenario(_copy_example(tmp_path_factory.mktemp("example")), draws=5)


# ----------------------------------------------------------------------------------------
# a folder wfkit did not make
# ----------------------------------------------------------------------------------------
def test_users_folder_is_refused_and_every_file_survives(run, tmp_path):
    reports = tmp_path / "reports"
    before = user_folder(reports)
    with pytest.raises(InputError, match=r"output folder .*reports: holds files wfkit did not"):
        write_outputs(run, reports)
    assert tree(reports) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]  # no litter beside it


def test_cli_refuses_users_folder_in_one_line_before_the_model(
    example_copy, tmp_path, monkeypatch, capsys
):
    reports = tmp_path / "reports"
    before = user_folder(reports)
    no_model(monkeypatch)
    assert main(["run", str(example_copy), "--out", str(reports)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("wfkit: error: output folder ")
    assert str(reports) in err[0] and "board_paper.docx" in err[0] and "--allow-existing" in err[0]
    assert tree(reports) == before


def test_out_dot_beside_the_scenario_is_refused(example_copy, monkeypatch, capsys):
    folder = example_copy.parent
    before = tree(folder)
    monkeypatch.chdir(folder)
    no_model(monkeypatch)
    for extra in ([], ["--allow-existing"]):
        assert main(["run", example_copy.name, "--out", ".", *extra]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"wfkit: error: output folder {folder}: ") and err.count("\n") == 1
        assert "example.yaml" in err
    assert tree(folder) == before


def test_scenario_folder_and_folders_above_it_are_refused(run, tmp_path):
    scenario = Path(run.scenario.path)
    for folder in (scenario.parent, scenario.parent.parent):
        with pytest.raises(InputError, match="choose a folder of its own"):
            write_outputs(run, folder, allow_existing=True)


def test_home_root_checkout_and_system_folders_are_refused(tmp_path, monkeypatch):
    home = tmp_path / "home" / "me"
    home.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    top = Path(outputs.__file__).resolve().parents[1]
    for folder, why in [
        (home, "your home folder"),
        ("~", "your home folder"),
        (tmp_path / "home", "holds your home folder"),
        ("/", "filesystem root"),
        (top, "holds wfkit itself"),
        (top / "wfkit" / "scenarios" / "out", "inside wfkit's own package"),
        ("/proc/self/out", "system folder"),
        ("/sys/out", "system folder"),
        ("/dev/shm/out", "system folder"),
    ]:
        with pytest.raises(InputError, match=why):
            check_output_dir(folder, allow_existing=True)
    assert check_output_dir(home / "results").path == home / "results"


def test_current_folder_with_other_files_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "workbook.ipynb").write_text("{}")
    with pytest.raises(InputError, match="is the current folder and holds files"):
        check_output_dir(".", allow_existing=True)
    assert (tmp_path / "workbook.ipynb").read_text() == "{}"


def test_current_folder_holding_only_wfkit_output_is_rewritten_in_place(tmp_path, monkeypatch):
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    write(".", {"a.csv": "1\n"})
    write(".", {"b.csv": "2\n"})
    assert Path.cwd() == here and here.is_dir()  # the folder we stand in was not swapped away
    assert sorted(tree(here)) == [MANIFEST, "b.csv"]


# ----------------------------------------------------------------------------------------
# --allow-existing and wfkit's own folders
# ----------------------------------------------------------------------------------------
def test_allow_existing_keeps_users_files_and_writes_wfkits(example_copy, tmp_path, capsys):
    reports = tmp_path / "reports"
    before = user_folder(reports)
    args = ["run", str(example_copy), "--out", str(reports), "--draws", "5", "--allow-existing"]
    assert main(args) == 0
    assert f"results written to {reports}" in capsys.readouterr().out
    now = tree(reports)
    assert {k: now[k] for k in before} == before
    m = json.loads(now[MANIFEST])
    assert set(m["files"]) == RUN_FILES and m["complete"] is True
    # a second run replaces wfkit's files only; the user's stay
    (reports / "notes.txt").write_text("mine")
    assert main([*args[:-2], "7", "--allow-existing"]) == 0
    again = tree(reports)
    assert {k: again[k] for k in before} == before and again["notes.txt"] == b"mine"
    assert json.loads(again[MANIFEST])["run_id"] != m["run_id"]
    assert again["results.csv"] != now["results.csv"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_allow_existing_never_overwrites_a_users_file_of_the_same_name(run, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "results.csv").write_text("my own results")
    (out / "keep.txt").write_text("keep")
    before = tree(out)
    with pytest.raises(InputError, match=r"holds results.csv that wfkit did not write"):
        write_outputs(run, out, allow_existing=True)
    assert tree(out) == before


def test_second_run_replaces_only_wfkits_files_and_the_manifest(tmp_path):
    out = tmp_path / "out"
    write(out, {"results.csv": "one", "run.log": "log one", "sub/extra.csv": "x"})
    first = json.loads((out / MANIFEST).read_text())
    write(out, {"results.csv": "two", "run.log": "log two"})
    assert tree(out).keys() == {MANIFEST, "results.csv", "run.log"}
    assert (out / "results.csv").read_text() == "two"
    second = json.loads((out / MANIFEST).read_text())
    assert second["run_id"] != first["run_id"] and set(second["files"]) == {
        "results.csv",
        "run.log",
    }
    assert not [p for p in tmp_path.iterdir() if p.name != "out"]


def test_owned_folder_with_a_users_file_added_is_refused(tmp_path):
    out = tmp_path / "out"
    write(out, {"results.csv": "one"})
    (out / "my_chart.png").write_bytes(b"png")
    with pytest.raises(InputError, match=r"holds files wfkit did not write \(my_chart.png\)"):
        write(out, {"results.csv": "two"})
    write(out, {"results.csv": "two"}, allow_existing=True)
    assert (out / "my_chart.png").read_bytes() == b"png"


def test_a_wfkit_file_the_user_edited_is_theirs(tmp_path):
    out = tmp_path / "out"
    write(out, {"results.csv": "one"})
    (out / "results.csv").write_text("one, with my corrections")
    with pytest.raises(InputError, match=r"results.csv"):
        write(out, {"results.csv": "two"})
    with pytest.raises(InputError, match=r"holds results.csv that wfkit did not write"):
        write(out, {"results.csv": "two"}, allow_existing=True)
    assert (out / "results.csv").read_text() == "one, with my corrections"


def test_manifest_lists_every_file_with_its_sha256_and_run_log(run, tmp_path):
    out = write_outputs(run, tmp_path / "out")
    m = json.loads((out / MANIFEST).read_text())
    files = {p.name for p in out.iterdir()} - {MANIFEST}
    assert set(m["files"]) == files == RUN_FILES
    for name, sha in m["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == sha
    assert m["wfkit_version"] and m["written"] and m["kind"] == "wfkit output folder"
    assert f"output folder: {out}" in (out / "run.log").read_text()


def test_an_empty_existing_folder_is_used(tmp_path):
    (tmp_path / "out").mkdir()
    write(tmp_path / "out", {"a.csv": "1"})
    assert sorted(tree(tmp_path / "out")) == [MANIFEST, "a.csv"]


def test_failure_leaves_an_owned_folder_as_it_was(tmp_path):
    out = tmp_path / "out"
    write(out, {"a.csv": "1"})
    before = tree(out)
    with pytest.raises(RuntimeError), output_folder(out) as tmp:
        (tmp / "a.csv").write_text("half")
        raise RuntimeError("disk full")
    assert tree(out) == before and sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# ----------------------------------------------------------------------------------------
# a run killed part-way
# ----------------------------------------------------------------------------------------
def test_leftovers_of_a_killed_run_are_cleaned_and_the_folder_restored(tmp_path):
    out = tmp_path / "out"
    write(out, {"results.csv": "one"})
    # killed while writing: a temporary folder with wfkit's marker
    tmp = tmp_path / ".out.tmp-a1b2c3d4e5f6"
    tmp.mkdir()
    (tmp / TMP_MARKER).write_text(json.dumps({"target": str(out), "pid": 1}))
    (tmp / "results.csv").write_text("half")
    # killed between the two renames: the target is gone, its old self beside it
    out.rename(tmp_path / ".out.old-a1b2c3d4e5f6")
    target = check_output_dir(out)  # the check sees the folder that will come back
    assert (
        target.seen
        == json.loads((tmp_path / ".out.old-a1b2c3d4e5f6" / MANIFEST).read_text())["run_id"]
    )
    assert not out.exists()  # checking changes nothing
    with output_folder(target) as new:
        assert (out / "results.csv").read_text() == "one"  # restored before writing
        assert not tmp.exists()
        (new / "results.csv").write_text("two")
    assert (out / "results.csv").read_text() == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_foreign_folder_that_looks_like_a_leftover_is_left_alone(tmp_path):
    out = tmp_path / "out"
    fakes = {}
    for name in (".out.tmp-x", ".out.old-y"):
        fake = tmp_path / name
        fake.mkdir()
        (fake / "thesis.tex").write_text("years of work")
        fakes[name] = tree(fake)
    marked_elsewhere = tmp_path / ".out.tmp-a1b2c3d4e5f6"  # wfkit's marker, another target
    marked_elsewhere.mkdir()
    (marked_elsewhere / TMP_MARKER).write_text(json.dumps({"target": "/elsewhere/out"}))
    # wfkit's marker for this target, but not a name wfkit gives its temporary folders
    misnamed = tmp_path / ".out.tmp-backup"
    misnamed.mkdir()
    (misnamed / TMP_MARKER).write_text(json.dumps({"target": str(out)}))
    (misnamed / "thesis.tex").write_text("years of work")
    fakes[misnamed.name] = tree(misnamed)
    write(out, {"a.csv": "1"})
    write(out, {"a.csv": "2"})
    for name, before in fakes.items():
        assert tree(tmp_path / name) == before
    assert marked_elsewhere.exists()
    assert (out / "a.csv").read_text() == "2"


def test_a_kill_after_the_swap_leaves_an_old_folder_that_is_cleaned(tmp_path):
    out = tmp_path / "out"
    write(out, {"a.csv": "1"})
    old = tmp_path / ".out.old-0123456789ab"
    write(old, {"a.csv": "0"})  # what the swap left beside it
    (old / "a.csv").unlink()  # half removed when the run was killed
    write(out, {"a.csv": "2"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# ----------------------------------------------------------------------------------------
# two runs on one folder
# ----------------------------------------------------------------------------------------
WRITER = textwrap.dedent(
    """
    import sys, time
    from wfkit.errors import InputError
    from wfkit.outputs import check_output_dir, output_folder
    out, name, start = sys.argv[1], sys.argv[2], float(sys.argv[3])
    target = check_output_dir(out)  # before the 'model' runs
    time.sleep(max(0.0, start - time.time()))
    try:
        with output_folder(target) as tmp:
            for i in range(20):
                (tmp / f"part{i}.csv").write_text(name)
                time.sleep(0.02)
    except InputError as exc:
        print(f"refused: {exc}")
        sys.exit(2)
    print(f"results written by {name}")
    """
)


def test_two_concurrent_writers_one_wins_whole_and_the_other_says_so(tmp_path):
    out = tmp_path / "out"
    start = time.time() + 1.5
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(out), name, str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    results = [(p.wait(timeout=60), *p.communicate()) for p in procs]
    assert sorted(rc for rc, _, _ in results) == [0, 2], results
    assert all("Traceback" not in err for _, _, err in results), results
    (winner,) = [o.split()[-1] for rc, o, _ in results if rc == 0]
    (loser,) = [o for rc, o, _ in results if rc == 2]
    assert "written by another wfkit run" in loser and str(out) in loser
    files = tree(out)
    assert set(files) == {MANIFEST, *(f"part{i}.csv" for i in range(20))}
    assert {v for k, v in files.items() if k != MANIFEST} == {winner.encode()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_held_lock_makes_a_writer_wait_then_fail_clearly(tmp_path):
    out = tmp_path / "out"
    with outputs._locked(out, timeout=1):
        t0 = time.monotonic()
        with pytest.raises(InputError, match=r"being written by another wfkit run.*waited 0.3 s"):
            write(out, {"a.csv": "1"}, lock_timeout=0.3)
        assert time.monotonic() - t0 >= 0.3
    write(out, {"a.csv": "1"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # the lock file goes too


# ----------------------------------------------------------------------------------------
# checked before the model runs
# ----------------------------------------------------------------------------------------
def test_output_below_a_file_is_refused_before_the_model_runs(
    example_copy, tmp_path, monkeypatch, capsys
):
    (tmp_path / "report.txt").write_text("a file")
    no_model(monkeypatch)
    t0 = time.perf_counter()
    assert main(["run", str(example_copy), "--out", str(tmp_path / "report.txt" / "out")]) == 2
    assert time.perf_counter() - t0 < 1
    cap = capsys.readouterr()
    assert cap.err.count("\n") == 1 and "which is a file, not a folder" in cap.err
    assert "model time" not in cap.out + cap.err and cap.out == ""
    assert (tmp_path / "report.txt").read_text() == "a file"


def test_output_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "out").write_text("x")
    with pytest.raises(InputError, match="is a file, not a folder"):
        check_output_dir(tmp_path / "out", allow_existing=True)


def test_read_only_parent_is_refused(tmp_path):
    """A folder this user cannot write.  Root may write any 0o555 folder, so as root the
    folder is made immutable (``chattr +i``), which root cannot write into either."""
    ro = tmp_path / "ro"
    ro.mkdir()
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if as_root:
        made = subprocess.run(["chattr", "+i", str(ro)], capture_output=True, text=True)
        if made.returncode != 0:
            pytest.skip(f"root, and no immutable folders here: {made.stderr.strip()}")
    else:
        ro.chmod(0o555)
    try:
        with pytest.raises(InputError, match="is read-only for you"):
            check_output_dir(ro / "sub" / "out")
        assert list(ro.iterdir()) == []
    finally:
        if as_root:
            subprocess.run(["chattr", "-i", str(ro)], check=True)
        ro.chmod(0o755)


def test_read_only_parent_message_even_as_root(tmp_path, monkeypatch):
    """The same refusal as above, with the permission check answered 'no' (root passes
    any chmod, so this is the only way to see it there)."""
    monkeypatch.setattr(outputs.os, "access", lambda p, mode: Path(p) != tmp_path)
    with pytest.raises(InputError, match=f"cannot be written: {tmp_path} is read-only"):
        check_output_dir(tmp_path / "out")


def test_read_only_output_folder_is_refused_before_the_model(tmp_path, monkeypatch, capsys):
    """An existing output folder (or a folder inside it holding wfkit's files) that cannot
    be written is refused before the model runs; it once passed the check and ended after
    the model in a PermissionError traceback."""
    out = write(tmp_path / "out", {"a.csv": "1\n", "sub/b.csv": "2\n"})
    for ro in (out, out / "sub"):
        monkeypatch.setattr(outputs.os, "access", lambda p, mode, ro=ro: Path(p) != ro)
        with pytest.raises(InputError, match=f"cannot be written: {ro} is read-only"):
            check_output_dir(out)
        no_model(monkeypatch)
        from tests.conftest import _copy_example

        scenario = _copy_example(tmp_path / f"sc-{ro.name}")
        assert main(["run", str(scenario), "--out", str(out)]) == 2
        cap = capsys.readouterr()
        assert cap.err.count("\n") == 1 and "is read-only for you" in cap.err, cap.err
        assert "model time" not in cap.out + cap.err


def test_an_old_file_that_cannot_be_removed(tmp_path):
    """The old results swapped out hold a file that cannot be removed (immutable): one
    line saying the new results are in place and where the old ones are; no traceback;
    the next write removes them once it can."""
    out = write(tmp_path / "out", {"a.csv": "old\n", "b.csv": "old\n"})
    made = subprocess.run(["chattr", "+i", str(out / "a.csv")], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"no immutable files here: {made.stderr.strip()}")
    try:
        with pytest.raises(InputError) as info:
            write(out, {"a.csv": "new\n"})
        msg = str(info.value)
        assert "holds the new results" in msg and "the old ones could not all be removed" in msg
        assert "\n" not in msg
        assert (out / "a.csv").read_text() == "new\n"
        (old,) = outputs._siblings(out, "old")
        assert old.name in msg and (old / "a.csv").exists()
        write(out, {"a.csv": "newer\n"})  # still undeletable: kept, no error
        assert old.exists()
    finally:
        for p in tmp_path.rglob("a.csv"):
            subprocess.run(["chattr", "-i", str(p)], capture_output=True)
    write(out, {"a.csv": "newest\n"})
    assert outputs._siblings(out, "old") == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# ----------------------------------------------------------------------------------------
# notebooks
# ----------------------------------------------------------------------------------------
def test_notebook_output_dir_dot_is_refused_before_anything_is_deleted(tmp_path, monkeypatch):
    monkeypatch.delenv("WFKIT_OUTPUT_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my-workbook.ipynb").write_text("{}")
    (tmp_path / "out.ipynb").write_text("{}")  # papermill's output notebook
    before = tree(tmp_path)
    ns = {"output_dir": ".", "__annotations__": {"output_dir": str}}
    with pytest.raises(InputError, match=r"output_dir = '.': output folder .* current folder"):
        notebook.check_parameters(ns)  # the cell after the parameters: before the model runs
    with pytest.raises(InputError, match="current folder"):
        notebook.save_outputs(".", tables={"a": pd.DataFrame({"x": [1]})})
    assert tree(tmp_path) == before


def test_notebook_outputs_follow_the_same_rules_under_wfkit_output_root(tmp_path, monkeypatch):
    monkeypatch.setenv("WFKIT_OUTPUT_ROOT", str(tmp_path))
    before = user_folder(tmp_path / "reports")
    with pytest.raises(InputError, match="holds files wfkit did not write"):
        notebook.save_outputs("reports", tables={"a": pd.DataFrame({"x": [1]})})
    assert tree(tmp_path / "reports") == before
    written = notebook.save_outputs(
        "reports", tables={"a": pd.DataFrame({"x": [1]})}, allow_existing=True
    )
    assert written == ["a.csv", "run.log"]
    assert {k: v for k, v in tree(tmp_path / "reports").items() if k in before} == before
    m = json.loads((tmp_path / "reports" / MANIFEST).read_text())
    assert set(m["files"]) == {"a.csv", "run.log"}
    assert notebook.output_path("new") == tmp_path / "new"
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="which is a file"):
        notebook.output_path("file/out")


def test_write_csv_gives_pandas_bytes(tmp_path):
    """wfkit's CSV writer against pandas' own ``float_format="%.10g"`` (the second
    implementation): missing values, infinities, -0.0, tiny and huge numbers, integers,
    categories, text with commas and quotes, a non-default index (not written)."""
    from wfkit.outputs import write_csv

    df = pd.DataFrame(
        {
            "area": pd.Categorical(["U1", "U2", "U1", "U3", "U2", "U1"]),
            "text": ["a, b", 'say "hi"', "", None, "plain", "x\ny"],
            "n": [1, 2, 3, 4, 5, 6],
            "value": [1 / 3, float("nan"), float("inf"), -0.0, 1e-12, 123456789012.5],
            "p90": [-float("inf"), 2.5, 1e300, 5e-324, 0.1 + 0.2, 7.0],
        },
        index=[10, 11, 12, 13, 14, 15],
    )
    df["f32"] = pd.Series([0.1, 0.2, float("nan"), 1, 2, 3], dtype="float32", index=df.index)
    ours, theirs = tmp_path / "ours.csv", tmp_path / "theirs.csv"
    write_csv(df, ours)
    df.to_csv(theirs, index=False, float_format="%.10g")
    assert ours.read_bytes() == theirs.read_bytes()
