"""wfkit.exercises.check: the self-checking exercises of the training notebooks."""

from __future__ import annotations

import numpy as np
import pytest

from wfkit.exercises import check

pytestmark = pytest.mark.unit


def test_a_number_within_the_tolerance_is_right(capsys):
    assert check(31.1, 31.06, tolerance=0.05) is True
    assert capsys.readouterr().out.startswith("✓ Correct: 31.1")
    assert check(np.float64(31.1), 31.06, tolerance=0.05)
    assert check("1,234", 1234.0)
    assert check("£-22,528", -22528.4, tolerance=1)


def test_a_number_outside_the_tolerance_prints_the_hint_not_the_answer(capsys):
    assert check(31.2, 31.06, tolerance=0.1, hint="Look at 2030.") is False
    out = capsys.readouterr().out
    assert out.startswith("✗ Not yet: you gave 31.2") and "Hint: Look at 2030." in out
    assert "31.06" not in out and "31.1" not in out
    # the tolerance is the edge, not beyond it (a loosened check would pass this)
    assert not check(31.17, 31.06, tolerance=0.1, show=False)
    assert check(31.16, 31.06, tolerance=0.1, show=False)
    assert not check(float("nan"), 1.0, tolerance=10, show=False)
    assert not check("many", 1.0, show=False)
    assert not check(True, 1.0, show=False)


def test_a_blank_says_not_answered(capsys):
    assert check(..., 5) is False
    assert capsys.readouterr().out.startswith("Not answered yet")
    assert not check(None, "gp", show=False)


def test_words_ignore_case_spaces_and_underscores():
    assert check("Practice Nurse", "practice_nurse", show=False)
    assert check("  practice   nurse ", "practice_nurse", show=False)
    assert not check("nurse", "practice_nurse", show=False)


def test_collections_compare_as_sets_of_words():
    expected = ["nursing_associate", "social_prescriber"]
    assert check(["Social prescriber", "nursing associate"], expected, show=False)
    assert not check(["social prescriber"], expected, show=False)
    assert not check("social_prescriber nursing_associate", expected, show=False)


def test_a_bad_tolerance_is_refused():
    with pytest.raises(ValueError, match="tolerance"):
        check(1, 1, tolerance=-0.1)
    with pytest.raises(ValueError, match="tolerance"):
        check(1, 1, tolerance=float("nan"))
