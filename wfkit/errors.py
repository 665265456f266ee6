"""Exceptions raised by wfkit.

Every error a user can cause carries *where* (file, row, column or key) and
*what was expected*, so the command line can print one readable line.
"""

from __future__ import annotations

__all__ = ["WfkitError", "InputError"]


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
        super().__init__(f"{prefix}: {message}" if prefix else message)
