"""The type of one declared setting, and :func:`fraction` for a setting in [0, 1].

:class:`Setting` holds its name, default, type, range, choices and words.

:mod:`wfkit.settings` declares every setting with it; this module holds the type alone so the
declarations stay one readable page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from .errors import InputError

__all__ = ["Setting", "fraction"]


def _fmt(x: float) -> str:
    """Format a bound in words: ``100000`` -> ``100,000``, ``2025`` and ``0.1`` as they are."""
    if float(x).is_integer() and abs(x) >= 10_000:
        return f"{int(x):,}"
    return f"{x:g}"


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: its name, default, type, valid values and words.

    Parameters
    ----------
    name
        The key in a scenario file, a parameter's name in a notebook or use case.
    default
        The value used when the setting is not given (``None``: resolved at load, as
        ``calibration`` is, or optional).
    kind
        ``int``, ``float``, ``str`` or ``bool``.
    help
        What it means, in a sentence (the schema's description, a slider's tooltip).
    lo, hi
        Bounds of a number (``open_lo``/``open_hi`` exclude them).
    choices
        The allowed values, when they are a list.
    unit
        What the number counts, in words (``years``, ``draws``, ``an annual rate``,
        ``hours``), for messages and labels.
    label
        Short words for a slider or a spreadsheet column.
    interval
        A scenario file may give an 80% interval ``[lo, hi]`` (or ``[lo, value, hi]``).
    rule
        Any further check: returns a message or ``None``.
    parent
        The shared setting this one narrows (:meth:`narrow`), or ``None``.
    beyond
        Whether a value outside ``choices`` is allowed all the same (``level``: a grouping
        file), or ``None``.
    beyond_words
        Those other values in words, for the end of an error message ("a grouping file").
    """

    name: str
    default: Any
    kind: type
    help: str
    lo: float | None = None
    hi: float | None = None
    open_lo: bool = False
    open_hi: bool = False
    choices: tuple[Any, ...] | None = None
    unit: str = ""
    label: str = ""
    interval: bool = False
    rule: Callable[[Any], str | None] | None = field(default=None, compare=False)
    parent: Setting | None = field(default=None, compare=False, repr=False)
    beyond: Callable[[Any], bool] | None = field(default=None, compare=False)
    beyond_words: str = ""

    @property
    def expected(self) -> str:
        """What is allowed, in words (the end of an error message), made from the range."""
        if self.choices is not None:
            more = f", or {self.beyond_words}" if self.beyond_words else ""
            return "expected one of " + ", ".join(str(c) for c in self.choices) + more
        if self.lo is None and self.hi is None:
            return f"expected a {self.kind.__name__}"
        if self.lo == 0 and self.hi == 1 and not (self.open_lo or self.open_hi):
            return "expected a fraction between 0 and 1"
        if self.hi is None:
            op = ">" if self.open_lo else ">="
            return f"expected {self.unit or 'a value'} {op} {_fmt(self.lo)}"  # type: ignore[arg-type]
        if self.kind is int and self.lo is not None and not (self.open_lo or self.open_hi):
            return f"expected {_fmt(self.lo)} to {_fmt(self.hi)}" + (
                f" {self.unit}" if self.unit else ""
            )
        return f"expected {self.unit or 'a number'} in {self.range_text()}"

    def range_text(self) -> str:
        """Return the valid range as ``[lo, hi]`` (``-inf``/``inf`` for an open end)."""
        lo = "-inf" if self.lo is None else _fmt(self.lo)
        hi = "inf" if self.hi is None else _fmt(self.hi)
        return f"{'(' if self.open_lo else '['}{lo}, {hi}{')' if self.open_hi else ']'}"

    def outside(self, x: float) -> bool:
        """Whether the number ``x`` lies outside the range."""
        if self.lo is not None and (x <= self.lo if self.open_lo else x < self.lo):
            return True
        return self.hi is not None and (x >= self.hi if self.open_hi else x > self.hi)

    def problem(self, value: Any) -> str | None:
        """Why ``value`` (of the right type) is not allowed, or ``None``."""
        if value is None and self.default is None:
            return None
        if self.choices is not None and value not in self.choices:
            if self.beyond is None or not self.beyond(value):
                return self.expected
        if isinstance(value, int | float) and not isinstance(value, bool) and self.outside(value):
            return self.expected
        return self.rule(value) if self.rule is not None else None

    def typed(self, value: Any, kind: Any = None) -> tuple[bool, Any]:
        """Whether ``value`` is of ``kind``; the value to use.

        ``kind`` defaults to this setting's type; ints pass as floats, bools never as
        numbers.
        """
        kind = self.kind if kind is None else kind
        if value is None and self.default is None:
            return True, value
        if kind is float:
            if isinstance(value, int | float) and not isinstance(value, bool):
                return True, float(value)
            return False, value
        if kind is int:
            return isinstance(value, int) and not isinstance(value, bool), value
        if isinstance(kind, type):
            return isinstance(value, kind), value
        return True, value

    def coerce(self, value: Any) -> Any:
        """``value`` converted to this setting's type and checked.

        Numbers from sliders, YAML or the command line; raises :class:`InputError` naming
        the setting.
        """
        try:
            if self.kind is bool:
                ok = isinstance(value, bool | int) and value in (0, 1)
                out = bool(value) if ok else value
            elif self.kind in (int, float) and isinstance(value, str | bytes | bool):
                ok, out = False, value
            else:
                out, ok = self.kind(value), True
        except (TypeError, ValueError, OverflowError):
            ok, out = False, value
        if not ok or (self.kind is int and isinstance(value, float) and value != out):
            raise InputError(
                f"{self.name} = {value!r} is a {type(value).__name__}; "
                f"expected a {self.kind.__name__}",
                column=self.name,
            )
        self.raise_problem(out)
        return out

    def raise_problem(self, value: Any) -> None:
        """Raise :class:`InputError` if :meth:`problem` finds one."""
        msg = self.problem(value)
        if msg:
            raise InputError(f"{self.name} = {value!r}: {msg}", column=self.name)

    def narrow(self, lo: float | None = None, hi: float | None = None) -> Setting:
        """Narrow the range of this setting (a slider's), naming this one as its parent.

        Raises
        ------
        ValueError
            If the new range is not inside this one.
        """
        lo = self.lo if lo is None else lo
        hi = self.hi if hi is None else hi
        for x in (lo, hi):
            if x is not None and self.outside(x):
                raise ValueError(f"{self.name}: {x} is outside {self.range_text()}")
        return replace(self, lo=lo, hi=hi, parent=self)

    def with_default(self, default: Any) -> Setting:
        """Return the same setting with another default (a use case's), naming this one."""
        return replace(self, default=default, parent=self)

    def renamed(self, name: str, default: Any = None, help: str = "", label: str = "") -> Setting:
        """Return the same type and range under another name (a use case's own parameter)."""
        return replace(
            self,
            name=name,
            default=self.default if default is None else default,
            help=help or self.help,
            label=label or self.label,
            parent=self,
        )

    def json_schema(self) -> dict[str, Any]:
        """Return the setting as a JSON Schema (draft-07) fragment."""
        if self.choices is not None:
            out: dict[str, Any] = {"enum": list(self.choices)}
        else:
            out = {
                "type": {int: "integer", float: "number", str: "string", bool: "boolean"}[self.kind]
            }
        if self.kind in (int, float):
            for key, x in (
                ("exclusiveMinimum" if self.open_lo else "minimum", self.lo),
                ("exclusiveMaximum" if self.open_hi else "maximum", self.hi),
            ):
                if x is not None:
                    out[key] = int(x) if float(x).is_integer() else x
        if self.interval:
            number = dict(out)
            out = {
                "oneOf": [
                    number,
                    {
                        "type": "array",
                        "items": number,
                        "minItems": 2,
                        "maxItems": 3,
                        "description": "80% interval [lo, hi] (the value is its midpoint), or "
                        "[lo, value, hi]: the value is the median, lo and hi the 10th and "
                        "90th percentiles (lo <= value <= hi)",
                    },
                ]
            }
        out["description"] = self.help
        return out


def fraction(name: str, default: float, help: str, label: str = "") -> Setting:
    """Declare a setting that is a fraction in [0, 1]."""
    return Setting(name, default, float, help, 0.0, 1.0, label=label)
