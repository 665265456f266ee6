"""Reading a user's input files safely: text and CSV files checked before and while reading.

A file must be a regular file below :data:`MAX_INPUT_BYTES` (a FIFO or ``/dev/zero`` never
ends); text must decode in its stated encoding; a CSV damaged by a spreadsheet (CR-only line
ends, semicolons, thousands separators, a stray quote making a huge field) gives one line
naming the file, row and column.  :func:`read_csv_checked` then checks the table against its
:class:`~wfkit.validation.TableSpec`.
"""

from __future__ import annotations

import csv
import errno
import io
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from .errors import InputError, short
from .validation import TableSpec, validate_table

__all__ = ["MAX_INPUT_BYTES", "check_input_file", "read_text_checked", "read_csv_checked"]

#: the largest input file (CSV or YAML) wfkit reads: bigger files are refused before reading
MAX_INPUT_BYTES = 500 * 1024 * 1024


def _check_file(path: Path, what: str) -> None:
    """Refuse a path that is not a regular file, or is larger than :data:`MAX_INPUT_BYTES`.

    Checked before reading any of it (a FIFO or ``/dev/zero`` never ends).
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(f"file not found; expected {what}", source=str(path)) from None
    except OSError as exc:
        loop = (
            "; it is a symbolic link that leads back to itself" if exc.errno == errno.ELOOP else ""
        )
        raise InputError(f"cannot be opened ({exc.strerror}){loop}", source=str(path)) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"is a folder; expected {what}", source=str(path))
    if not stat.S_ISREG(st.st_mode):
        raise InputError(
            f"is not a regular file (a FIFO, socket or device); expected {what}",
            source=str(path),
        )
    if st.st_size > MAX_INPUT_BYTES:
        raise InputError(
            f"is {st.st_size / 1e6:,.1f} MB; the limit for an input file is "
            f"{MAX_INPUT_BYTES / 1e6:,.1f} MB",
            source=str(path),
        )


def check_input_file(path: str | Path, what: str) -> None:
    """Refuse ``path`` unless it is a regular file below :data:`MAX_INPUT_BYTES`.

    Checked before reading any of it; ``what`` names the file expected.
    """
    _check_file(Path(path), what)


def read_text_checked(
    path: str | Path, what: str, encoding: str = "utf-8", hint: str | None = None
) -> str:
    """Return the text of an input file, checked.

    The file must be a regular file under the size limit, decoded with ``encoding``; a
    byte that does not decode names its line.  ``hint`` says how to give another encoding
    (only an option that exists for this kind of input).
    """
    path = Path(path)
    _check_file(path, what)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", source=str(path)) from None
    try:
        return data.decode(encoding)
    except LookupError:
        raise InputError(f"unknown encoding {short(encoding)}", source=str(path)) from None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start : exc.start + 1].hex()
        tip = f"; {hint}" if hint else f"; save it as {encoding}"
        raise InputError(
            f"not {encoding} text: byte 0x{byte} on line {line}{tip}", source=str(path)
        ) from None


_THOUSANDS = re.compile(r"^-?\d{1,3}$")
_GROUP = re.compile(r"^\d{3}(\.\d*)?$")


#: the longest field Python's csv module reads (its default limit, 128 KiB)
_FIELD_LIMIT = csv.field_size_limit()


def _records(text: str, source: str) -> Iterator[list[str]]:
    """Return the rows of a CSV text (``csv.reader``).

    A field longer than 128 KiB, almost always a stray double quote that runs on through
    the rest of the file, is one line naming the row and column where the quoted field
    starts.
    """
    reader = csv.reader(io.StringIO(text))
    last = 0  # the line the previous record ended on
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row = last + 1
            lines = text.split("\n", row)
            line = lines[row - 1] if len(lines) >= row else ""
            column = None
            if '"' in line:  # the field that opens the stray quote: commas before it
                column_index = line[: line.index('"')].count(",")
                header = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
                if column_index < len(header) and row > 1:
                    column = header[column_index]
            if "field larger than field limit" in str(exc):
                msg = (
                    f"a field runs on for more than {_FIELD_LIMIT // 1024} KB: most often a "
                    'stray double quote (") that opens a field never closed; check the quotes '
                    "in this row"
                )
            else:
                msg = f"not a valid CSV: {short(str(exc))}"
            raise InputError(msg, source=source, row=row, column=column) from None
        last = reader.line_num
        yield fields


def _check_separator(header: list[str], spec: TableSpec, source: str) -> None:
    """Refuse a file whose columns are separated by semicolons or tabs.

    Such a file is a spreadsheet saved with another list separator; it is refused before
    its columns are reported missing.
    """
    names = {c.name for c in spec.columns}
    if any(h.strip() in names for h in header):
        return
    for sep, what in ((";", "semicolons (;)"), ("\t", "tabs")):
        parts = [p.strip() for h in header for p in h.split(sep)]
        if len(parts) > len(header) and names & set(parts):
            raise InputError(
                f"the columns are separated by {what}; expected commas: save it as "
                "'CSV UTF-8 (Comma delimited)' (or set the list separator to a comma)",
                source=source,
                row=1,
            )


def _field_count_error(text: str, header: list[str], source: str) -> InputError | None:
    """Return the error for a row with more fields than the header.

    Most often a number written with a thousands separator (``1,627``) and not quoted.
    """
    for n, fields in enumerate(_records(text, source)):
        if n == 0 or len(fields) <= len(header):
            continue
        for j in range(min(len(fields) - 1, len(header))):
            if _THOUSANDS.match(fields[j].strip()) and _GROUP.match(fields[j + 1].strip()):
                num = f"{fields[j].strip()},{fields[j + 1].strip()}"
                return InputError(
                    f"{num[:40]} has a thousands separator, which splits the row; "
                    f"write {num[:40].replace(',', '')} or quote it",
                    source=source,
                    row=n + 1,
                    column=header[j],
                )
        return InputError(
            f"{len(fields)} fields but the header has {len(header)}; quote values that hold commas",
            source=source,
            row=n + 1,
        )
    return None


def read_csv_checked(
    path: str | Path,
    spec: TableSpec,
    encoding: str = "utf-8",
    hint: str | None = "pass encoding='cp1252' (or the file's encoding)",
) -> pd.DataFrame:
    """Read a CSV file and validate it against ``spec``.

    The path must be a regular file below :data:`MAX_INPUT_BYTES`; ``hint`` is the advice
    on another encoding shown when the file does not decode (the caller's own option).

    Raises
    ------
    InputError
        If the file is missing, not a file, too big, not in ``encoding``, not a CSV, or
        fails the schema.
    """
    path = Path(path)
    text = read_text_checked(path, f"a CSV for table '{spec.name}'", encoding, hint)
    if not text.strip():
        raise InputError("the file is empty; expected a header and rows", source=str(path))
    if "\r" in text:  # Windows (CR LF) and old Mac "CSV (Macintosh)" (CR only) line ends
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    header = next(_records(text, str(path)), [])
    _check_separator(header, spec, str(path))
    bad = _field_count_error(text, header, str(path))
    if bad is not None:
        raise bad
    try:
        df = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""], index_col=False
        )
    except pd.errors.ParserError as exc:
        raise InputError(f"not a valid CSV: {short(str(exc).strip())}", source=str(path)) from None
    except pd.errors.EmptyDataError:
        raise InputError(
            "the file is empty; expected a header and rows", source=str(path)
        ) from None
    return validate_table(df, spec, source=str(path))
