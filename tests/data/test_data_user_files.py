"""A user's own practice list and workforce extract get clear errors: file, row, column."""

from __future__ import annotations

import pytest

import wfkit.data as wd
from wfkit.errors import InputError

pytestmark = pytest.mark.unit


def _write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_good_practice_list(tmp_path):
    p = _write(tmp_path, "list.csv", "practice,patients\nG85019,12000\nG85029,9000\n")
    df = wd.read_practice_list(p)
    assert list(df.practice) == ["G85019", "G85029"]


def test_wrong_encoding(tmp_path):
    p = _write(
        tmp_path,
        "list.csv",
        "practice,patients,practice_name\nG85019,1,Caf\u00e9\n",
        encoding="cp1252",
    )
    with pytest.raises(InputError, match="utf-8") as e:
        wd.read_practice_list(p)
    assert "list.csv" in str(e.value)
    assert len(wd.read_practice_list(p, encoding="cp1252")) == 1


def test_missing_column(tmp_path):
    p = _write(tmp_path, "list.csv", "practice,list\nG85019,1\n")
    with pytest.raises(InputError, match="missing column") as e:
        wd.read_practice_list(p)
    assert "patients" in str(e.value) and "list.csv" in str(e.value)


def test_unknown_practice_code(tmp_path):
    p = _write(tmp_path, "list.csv", "practice,patients\nG85019,10\nZZZ999,20\n")
    with pytest.raises(InputError) as e:
        wd.read_practice_list(p)
    assert (e.value.row, e.value.column) == (3, "practice")
    assert "ZZZ999" in str(e.value) and "list.csv" in str(e.value)


def test_duplicate_practice(tmp_path):
    p = _write(tmp_path, "list.csv", "practice,patients\nG85019,10\nG85029,5\nG85019,20\n")
    with pytest.raises(InputError, match="duplicate") as e:
        wd.read_practice_list(p)
    assert (e.value.row, e.value.column) == (4, "practice")


def test_negative_fte(tmp_path):
    p = _write(tmp_path, "wf.csv", "practice,role,fte\nG85019,gp,2.5\nG85019,pharmacist,-1\n")
    with pytest.raises(InputError, match="below the minimum") as e:
        wd.read_workforce_extract(p)
    assert (e.value.row, e.value.column) == (3, "fte")
    assert "wf.csv" in str(e.value)


def test_unknown_role_and_text_fte(tmp_path):
    p = _write(tmp_path, "wf.csv", "practice,role,fte\nG85019,doctor,1\n")
    with pytest.raises(InputError, match="unknown value 'doctor'") as e:
        wd.read_workforce_extract(p)
    assert (e.value.row, e.value.column) == (2, "role")
    p = _write(tmp_path, "wf2.csv", "practice,role,fte\nG85019,gp,two\n")
    with pytest.raises(InputError, match="non-numeric") as e:
        wd.read_workforce_extract(p)
    assert (e.value.row, e.value.column) == (2, "fte")


def test_good_workforce_extract_aggregates(tmp_path):
    p = _write(tmp_path, "wf.csv", "practice,role,fte\nG85019,gp,2.5\nG85029,gp,1.5\n")
    df = wd.read_workforce_extract(p)
    assert df.fte.sum() == 4.0


def test_own_list_and_extract_feed_the_engine_tables(tmp_path):
    prac = wd.practices_in(wd.DEFAULT_AREA, "pcn").practice.iloc[:2].tolist()
    lst = _write(tmp_path, "list.csv", f"practice,patients\n{prac[0]},1000\n{prac[1]},2000\n")
    base = wd.population([wd.DEFAULT_AREA], "pcn").population.sum()
    bundled = wd.select_areas(code=prac, level="practice").set_index("area").patients
    own = wd.population([wd.DEFAULT_AREA], "pcn", practice_list=lst).population.sum()
    assert own == pytest.approx(base - bundled.sum() + 3000)


def test_own_extract_feeds_supply(tmp_path):
    prac = wd.practices_in(wd.DEFAULT_AREA, "pcn").practice.iloc[:2].tolist()
    ext = _write(
        tmp_path, "wf.csv", f"practice,role,fte\n{prac[0]},paramedic,1.5\n{prac[1]},paramedic,0.5\n"
    )
    before = wd.supply([wd.DEFAULT_AREA], "pcn").set_index("role").fte
    own = wd.staff_in_post(prac, "practice")
    theirs = own[(own.source == "practice") & (own.role == "paramedic")].fte.sum()
    s = wd.supply([wd.DEFAULT_AREA], "pcn", extract=ext).set_index("role").fte
    # the extract replaces those two practices' own paramedics, nothing else
    assert s["paramedic"] == pytest.approx(before["paramedic"] - theirs + 2.0, abs=1e-6)
    assert s["gp"] == pytest.approx(before["gp"])
    with pytest.raises(InputError, match="not in the selected areas"):
        wd.supply(
            ["QKK"], "icb", extract=_write(tmp_path, "x.csv", "practice,role,fte\nA81001,gp,1\n")
        )
    icb = wd.select_areas(code=[wd.DEFAULT_AREA], level="pcn").icb.iloc[0]
    assert wd.supply([icb], "icb", extract=ext).fte.sum() > 0


def test_templates_are_valid():
    assert len(wd.read_practice_list(wd.data_dir() / "templates" / "practice_list.csv")) == 2
    wf = wd.read_workforce_extract(wd.data_dir() / "templates" / "workforce_extract.csv")
    assert set(wf.role) <= set(wd.ROLE_IDS)


def test_fractional_patients_and_folder(tmp_path):
    p = _write(tmp_path, "list.csv", "practice,patients\nG85019,1200.5\n")
    with pytest.raises(InputError, match="must be a whole number") as e:
        wd.read_practice_list(p)
    assert (e.value.row, e.value.column) == (2, "patients")
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(InputError, match="is a folder"):
        wd.read_workforce_extract(tmp_path / "dir.csv")


def test_fractional_patients_through_the_python_api():
    """A DataFrame is checked as a file is (it once ended in a pandas TypeError)."""
    import pandas as pd

    prac = wd.practices_in(wd.DEFAULT_AREA, "pcn").practice.iloc[0]
    df = pd.DataFrame({"practice": [prac], "patients": [1000.5]})
    with pytest.raises(InputError, match="must be a whole number") as e:
        wd.population([wd.DEFAULT_AREA], "pcn", practice_list=df)
    assert (e.value.row, e.value.column) == (2, "patients")


def test_practice_list_row_outside_the_selected_areas_is_refused(tmp_path):
    """Like the workforce extract: a row that would be ignored is refused, naming its row."""
    import pandas as pd

    prac = wd.practices_in(wd.DEFAULT_AREA, "pcn").practice.iloc[0]
    lst = _write(tmp_path, "list.csv", f"practice,patients\n{prac},1000\nA81001,5\n")
    with pytest.raises(InputError, match="'A81001' is not in the selected areas") as e:
        wd.population([wd.DEFAULT_AREA], "pcn", practice_list=lst)
    assert (e.value.source, e.value.row, e.value.column) == (str(lst), 3, "practice")
    df = pd.DataFrame({"practice": ["A81001"], "patients": [5]})
    with pytest.raises(InputError, match="not in the selected areas"):
        wd.population([wd.DEFAULT_AREA], "pcn", practice_list=df)


def test_headcount_below_fte_is_refused(tmp_path):
    import pandas as pd

    p = _write(
        tmp_path, "wf.csv", "practice,role,fte,headcount\nG85019,gp,2.5,3\nG85029,gp,2.5,2\n"
    )
    with pytest.raises(InputError, match="headcount 2 is below the FTE 2.5") as e:
        wd.read_workforce_extract(p)
    assert (e.value.row, e.value.column) == (3, "headcount")
    prac = wd.practices_in(wd.DEFAULT_AREA, "pcn").practice.iloc[0]
    df = pd.DataFrame({"practice": [prac], "role": ["gp"], "fte": [2.0], "headcount": [1.0]})
    with pytest.raises(InputError, match="below the FTE"):
        wd.supply([wd.DEFAULT_AREA], "pcn", extract=df)
    ok = _write(tmp_path, "ok.csv", "practice,role,fte,headcount\nG85019,gp,2.5,3\nG85029,gp,1,\n")
    assert len(wd.read_workforce_extract(ok)) == 2
