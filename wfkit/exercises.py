"""Self-checking exercises for the training notebooks (``training/notebooks/``).

A learner's notebook asks for a figure (``answer = ...``), and the next cell calls
:func:`check` with the figure the model gives, a tolerance and a hint. It prints one line: a
tick, or what was given and the hint (never the answer), never a traceback, so a wrong answer is part of the
lesson and the notebook still runs to the end::

    from wfkit.exercises import check
    check(answer, expected=final["required_fte"]["value"], tolerance=0.1,
          hint="Look at the 2035 row of the baseline, measure required_fte.")
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

__all__ = ["check"]


def _words(value: Any) -> str:
    return " ".join(str(value).lower().replace("_", " ").split())


def _show(value: Any) -> str:
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return f"{float(value):,.6g}"
    if isinstance(value, (set, frozenset)):
        return ", ".join(sorted(map(str, value)))
    return repr(value)


def _matches(answer: Any, expected: Any, tolerance: float) -> bool:
    if isinstance(expected, bool) or isinstance(answer, bool):  # True is not the number 1
        return isinstance(expected, bool) and isinstance(answer, bool) and answer is expected
    if isinstance(expected, numbers.Real):
        if isinstance(answer, str):
            try:
                answer = float(answer.replace(",", "").replace("£", ""))
            except ValueError:
                return False
        if not isinstance(answer, numbers.Real) or math.isnan(float(answer)):
            return False
        # the edge counts: 31.16 against 31.06 is 0.1 away, though 0.10000000000000142 in floats
        slack = 1e-9 * max(1.0, abs(float(expected)))
        return abs(float(answer) - float(expected)) <= tolerance + slack
    if isinstance(expected, str):
        return _words(answer) == _words(expected)
    if isinstance(expected, Iterable):
        if isinstance(answer, str) or not isinstance(answer, Iterable):
            return False
        return {_words(a) for a in answer} == {_words(e) for e in expected}
    return answer == expected


def check(
    answer: Any,
    expected: Any,
    *,
    tolerance: float = 0.0,
    hint: str = "",
    show: bool = True,
) -> bool:
    """Check a learner's answer; print a tick, or what was given and a hint.

    Parameters
    ----------
    answer
        What the learner wrote; ``...`` (the blank the notebook gives) means not answered yet.
    expected
        The right answer: a number, a word (compared ignoring case, spaces and underscores) or
        a collection of words (compared as a set, in any order).
    tolerance
        How far a number may be from ``expected`` and still count (``0.1`` for a figure
        rounded to one decimal place). Must not be negative.
    hint
        Printed when the answer is wrong: where to look, not the answer.
    show
        Print the message (``False`` only returns it).

    Returns
    -------
    bool
        Whether the answer is right (so ``check(...)`` in an ``if`` or a test works); the
        line is printed, not returned.

    Raises
    ------
    ValueError
        If ``tolerance`` is negative or not a number.
    """
    if not isinstance(tolerance, numbers.Real) or not tolerance >= 0:
        raise ValueError(f"tolerance = {tolerance!r}; expected a number of 0 or more")
    if answer is ... or answer is None:
        correct, message = (
            False,
            "Not answered yet: replace ... with your answer, then run the cell.",
        )
    elif _matches(answer, expected, float(tolerance)):
        correct, message = True, f"✓ Correct: {_show(answer)}."
    else:
        wanted = "a number" if isinstance(expected, numbers.Real) else "something else"
        if isinstance(expected, numbers.Real) and _is_number(answer):
            wanted = "a different number"
        message = f"✗ Not yet: you gave {_show(answer)}, the model gives {wanted}."
        correct, message = False, message + (f" Hint: {hint}" if hint else "")
    if show:
        print(message)
    return correct


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)
