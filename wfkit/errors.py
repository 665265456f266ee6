"""Exceptions raised by wfkit.

Every error a user can cause carries *where* (file, row, column or key) and
*what was expected*, so the command line can print one readable line.
"""

from __future__ import annotations

import reprlib

__all__ = ["WfkitError", "InputError", "short", "clip", "MAX_SHOWN", "MAX_MESSAGE"]

#: the most characters of one value an error message shows
MAX_SHOWN = 80
#: the most characters of a whole error message
MAX_MESSAGE = 400

_repr = reprlib.Repr()
_repr.maxstring = MAX_SHOWN
_repr.maxother = MAX_SHOWN
_repr.maxlist = _repr.maxtuple = _repr.maxdict = _repr.maxset = 8
_repr.maxlevel = 3


def short(value: object, limit: int = MAX_SHOWN) -> str:
    """``repr(value)`` cut to ``limit`` characters.

    Without building the whole repr of a huge or deeply nested value (an expanded YAML
    alias can be gigabytes).
    """
    return clip(_repr.repr(value), limit)


def clip(text: str, limit: int = MAX_SHOWN) -> str:
    """``text`` cut to ``limit`` characters (``...`` marks the cut)."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


class WfkitError(Exception):
    """Base class for all wfkit errors."""


class InputError(WfkitError, ValueError):
    """Bad input: a table, parameter or scenario file that does not meet its schema.

    Parameters
    ----------
    message
        What was expected and what was found.
    source
        The file (or table name) the input came from.
    row
        Spreadsheet-style row number (the header is row 1), if the problem is in one row.
    column
        The column at fault.
    key
        The key (for example ``variants[0].skill_mix``) at fault in a scenario or parameter file.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        row: int | None = None,
        column: str | None = None,
        key: str | None = None,
    ) -> None:
        self.source = source
        self.key = key
        self.row = row
        self.column = column
        self.detail = message
        where = []
        if source is not None:
            where.append(str(source))
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        if key is not None:
            where.append(f"key '{key}'")
        prefix = ", ".join(where)
        text = f"{prefix}: {message}" if prefix else message
        if len(text) > MAX_MESSAGE:  # a last guard: every value shown is cut by short()
            text = text[: MAX_MESSAGE - 3] + "..."
        super().__init__(text)
