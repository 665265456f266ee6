"""Parameters of the use cases and their notebooks, declared once.

Each :class:`Param` names a parameter's default, type, valid values and help text.
:func:`wfkit.usecases.build` checks the parameters it is given with them (coercing, as a
scenario file's values are), and :func:`wfkit.notebook.check_parameters` checks a
notebook's ``parameters`` cell with the same rules (strictly typed there: papermill passes
literals).  The parameters every use case takes are :data:`COMMON`; each use case module
declares its own; :data:`NOTEBOOK` are read by notebooks only (``build`` accepts and
ignores them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import InputError

__all__ = [
    "Param",
    "COMMON",
    "NOTEBOOK",
    "LEVELS",
    "declare",
    "declared",
    "fraction",
    "param",
    "check",
]

LEVELS = ("practice", "pcn", "sub_icb", "icb", "region")


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter: its default, type, valid values and help text.

    ``lo``/``hi`` bound a number (``open_lo``/``open_hi`` exclude the bound), ``choices``
    list the allowed values, ``rule`` is any further check (returns a message or
    ``None``); ``expected`` says in words what is allowed (the error message's end).
    """

    name: str
    default: Any
    kind: type
    help: str
    expected: str = ""
    lo: float | None = None
    hi: float | None = None
    open_lo: bool = False
    open_hi: bool = False
    choices: tuple[Any, ...] | None = None
    rule: Callable[[Any], str | None] | None = None

    def problem(self, value: Any) -> str | None:
        """Why ``value`` (of the right type) is not allowed, or ``None``."""
        if self.choices is not None and value not in self.choices:
            return self.expected or f"expected one of {list(self.choices)}"
        if self.lo is not None and (value <= self.lo if self.open_lo else value < self.lo):
            return self.expected
        if self.hi is not None and (value >= self.hi if self.open_hi else value > self.hi):
            return self.expected
        return self.rule(value) if self.rule is not None else None

    def typed(self, value: Any, kind: Any = None) -> tuple[bool, Any]:
        """Whether ``value`` is of ``kind`` (default this parameter's type; ints pass as
        floats, bools never as numbers); the value to use."""
        kind = self.kind if kind is None else kind
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
        """``value`` converted to this parameter's type (as :func:`build` takes numbers
        from sliders, YAML or the command line) and checked; raises :class:`InputError`."""
        try:
            if self.kind is bool:
                ok = isinstance(value, bool | int) and value in (0, 1)
                out = bool(value) if ok else value
            elif self.kind in (int, float) and isinstance(value, str | bytes):
                ok, out = False, value
            else:
                out, ok = self.kind(value), True
        except (TypeError, ValueError):
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
        msg = self.problem(value)
        if msg:
            raise InputError(f"{self.name} = {value!r}: {msg}", column=self.name)


def fraction(name: str, default: float, help: str) -> Param:
    """A parameter that is a fraction in [0, 1]."""
    return Param(name, default, float, help, "expected a fraction between 0 and 1", 0.0, 1.0)


def _output_dir_problem(output_dir: str) -> str | None:
    """Why ``output_dir`` cannot take a notebook's results (checked with the parameters,
    before the model runs), or ``None``."""
    from ..notebook import output_path  # noqa: PLC0415

    if not output_dir.strip():
        return "expected a folder name"
    try:
        output_path(output_dir)
    except InputError as exc:
        return str(exc)
    return None


#: every parameter declared, by name (filled by :func:`declare`)
_DECLARED: dict[str, Param] = {}


def declare(*params: Param) -> tuple[Param, ...]:
    """Declare parameters (a use case module's own); a name means one thing everywhere."""
    for p in params:
        if _DECLARED.setdefault(p.name, p) != p:
            raise ValueError(f"parameter {p.name!r} declared twice, differently")
    return params


def declared() -> dict[str, Param]:
    """Every declared parameter, by name."""
    return dict(_DECLARED)


def param(name: str) -> Param | None:
    """The declaration of ``name``, or ``None``."""
    return _DECLARED.get(name)


#: the parameters every use case takes
COMMON: tuple[Param, ...] = declare(
    Param(
        "area",
        "U06180",  # wfkit.data.DEFAULT_AREA: North Southwark PCN (South East London)
        str,
        "area code or name at `level`",
        rule=lambda v: None if v.strip() else "expected an area code or name",
    ),
    Param("level", "pcn", str, "practice, pcn, sub_icb, icb or region", choices=LEVELS),
    Param(
        "base_year",
        2025,
        int,
        "population and staff in post describe this year",
        "expected a year in 2018-2040",
        2018,
        2040,
    ),
    Param(
        "horizon", 10, int, "years modelled after the base year", "expected 1 to 25 years", 1, 25
    ),
    Param(
        "growth_rate",
        0.0,
        float,
        "annual population growth on top of the ONS projection",
        "expected an annual rate in [-0.05, 0.1]",
        -0.05,
        0.1,
    ),
    Param(
        "transition_years",
        5,
        int,
        "years to move to the future model",
        "expected 0 to 25 years",
        0,
        25,
    ),
    fraction("shift_fraction", 0.0, "fraction of a role's future share moved to other roles"),
    Param(
        "minutes_change",
        0.0,
        float,
        "relative change of minutes per contact in the future model (e.g. -0.1)",
        "expected a relative change in (-0.9, 3]",
        -0.9,
        3.0,
        open_lo=True,
    ),
    Param(
        "draws",
        200,
        int,
        "Monte Carlo draws for the P10-P90 band; 0 for the central run only",
        "expected 0 to 5000 draws",
        0,
        5000,
    ),
    Param("seed", 42, int, "same seed, same results", "expected a seed >= 0", 0),
    Param(
        "calibration",
        "national",
        str,
        "base-year calibration: none, national or local",
        "expected none, national or local",
        choices=("none", "national", "local"),
    ),
)

#: parameters notebooks read that are not the model's (accepted and ignored by ``build``)
NOTEBOOK: tuple[Param, ...] = declare(
    Param(
        "output_dir",
        "outputs",
        str,
        "results folder: new or wfkit's own, never yours",
        rule=_output_dir_problem,
    ),
    Param(
        "target_level",
        0.9,
        float,
        "share of same-day requests seen within the session",
        "expected a level strictly between 0 and 1",
        0.0,
        1.0,
        open_lo=True,
        open_hi=True,
    ),
    Param(
        "session_hours",
        4.0,
        float,
        "length of a session (hours)",
        "expected hours in (0, 12]",
        0.0,
        12.0,
        open_lo=True,
    ),
    Param(
        "target_wait_hours",
        None,
        float,
        "wait within which same-day requests are seen (hours; default the session)",
        "expected hours in [0, 40]",
        0.0,
        40.0,
    ),
)


def check(params: Mapping[str, Any], known: Iterable[Param], context: str = "") -> dict[str, Any]:
    """``params`` checked against ``known`` (defaults filled in, values coerced); names in
    :data:`NOTEBOOK` are accepted and dropped.  Raises :class:`InputError` naming an
    unknown parameter (with the allowed ones) or a bad value (with what is allowed)."""
    known = {p.name: p for p in known}
    ignored = {p.name for p in NOTEBOOK}
    unknown = sorted(set(params) - set(known) - ignored)
    if unknown:
        raise InputError(
            f"unknown parameter(s) {unknown}{context}; expected some of {sorted(known)}",
            column="params",
        )
    out = {n: p.default for n, p in known.items()}
    for name, value in params.items():
        if name in known:
            out[name] = known[name].coerce(value)
    return out
