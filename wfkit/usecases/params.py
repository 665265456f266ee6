"""Parameters of the use cases and their notebooks, declared once.

Each parameter is a :class:`wfkit.settings.Setting` (its default, type, valid values and
help text).  Those a scenario file has too (``level``, ``base_year``, ``horizon``,
``growth_rate``, ``transition_years``, ``draws``, ``seed``, ``calibration``) are the
scenario's own declarations (:mod:`wfkit.settings`), with a use case's default where it
differs, so a range is never written twice.  :func:`wfkit.usecases.build` checks the
parameters it is given with them (coercing, as a scenario file's values are), and
:func:`wfkit.notebook.check_parameters` checks a notebook's ``parameters`` cell with the
same rules (strictly typed there: papermill passes literals).  The parameters every use
case takes are :data:`COMMON`; each use case module declares its own; :data:`NOTEBOOK` are
read by notebooks only (``build`` accepts and ignores them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .. import settings as S
from ..errors import InputError
from ..outputs import output_path
from ..settings import Setting, declare, declared, fraction, setting

__all__ = [
    "Setting",
    "COMMON",
    "SUPPLY_POLICY",
    "NOTEBOOK",
    "LEVELS",
    "declare",
    "declared",
    "fraction",
    "setting",
    "check",
]

#: the supply policy settings (wfkit.settings.SUPPLY_POLICY), each a use case parameter
SUPPLY_POLICY = S.SUPPLY_POLICY

#: area levels, smallest first (the scenario's ``level`` choices)
LEVELS = S.LEVELS


def _output_dir_problem(output_dir: str) -> str | None:
    """Why ``output_dir`` cannot take a notebook's results, or ``None``.

    Checked with the parameters, before the model runs.
    """
    if not output_dir.strip():
        return "expected a folder name"
    try:
        output_path(output_dir)
    except InputError as exc:
        return str(exc)
    return None


#: the parameters every use case takes (the scenario's own settings where it has them)
COMMON: tuple[Setting, ...] = declare(
    S.AREA,
    S.LEVEL,
    S.BASE_YEAR,
    S.HORIZON,
    S.GROWTH_RATE,
    *S.SUPPLY_POLICY,
    S.TRANSITION_YEARS,
    S.SHIFT_FRACTION.renamed(
        "shift_fraction",
        0.0,
        "fraction of a role's future share moved to other roles",
        "skill-mix shift: future work moved to other roles",
    ),
    Setting(
        "minutes_change",
        0.0,
        float,
        "relative change of minutes per contact in the future model (e.g. -0.1)",
        -0.9,
        3.0,
        open_lo=True,
        unit="a relative change",
        label="change in minutes per contact",
    ),
    S.DRAWS.with_default(200),
    S.SEED.with_default(42),
    S.CALIBRATION.with_default("national"),
)


def _role_problem(role: str) -> str | None:
    """Why ``role`` names no bundled role (``all`` is every role), or ``None``."""
    if role == "all":
        return None
    # lazy: wfkit.data loads only when a run reads bundled tables
    from ..data import role_labels

    roles = sorted(role_labels())
    return None if role in roles else f"expected all or a role code: {', '.join(roles)}"


def _power_of_two_problem(n: int) -> str | None:
    """Why ``n`` is no power of 2 (Sobol' samples come in powers of 2), or ``None``."""
    return None if n >= 2 and not n & (n - 1) else "expected a power of 2 (64, 128, 256, ...)"


#: parameters notebooks read that are not the model's (accepted and ignored by ``build``)
NOTEBOOK: tuple[Setting, ...] = declare(
    Setting(
        "output_dir",
        "outputs",
        str,
        "results folder: new or wfkit's own, never yours",
        rule=_output_dir_problem,
    ),
    Setting(
        "role",
        "all",
        str,
        "role to explain: a role code (gp, practice_nurse, ...) or all for every role",
        rule=_role_problem,
        label="role",
    ),
    Setting(
        "sobol_samples",
        512,
        int,
        "base samples of the Sobol estimate (a power of 2; estimated at n and again at 2n)",
        2,
        65536,
        unit="samples",
        rule=_power_of_two_problem,
        label="Sobol samples",
    ),
    Setting(
        "target_level",
        0.9,
        float,
        "share of same-day requests seen within the session",
        0.0,
        1.0,
        open_lo=True,
        open_hi=True,
        unit="a level",
    ),
    Setting(
        "session_hours",
        4.0,
        float,
        "length of a session (hours)",
        0.0,
        12.0,
        open_lo=True,
        unit="hours",
    ),
    Setting(
        "target_wait_hours",
        None,
        float,
        "wait within which same-day requests are seen (hours; default the session)",
        0.0,
        40.0,
        unit="hours",
    ),
    *S.FRONT_DOOR_SETTINGS,
)


def check(params: Mapping[str, Any], known: Iterable[Setting], context: str = "") -> dict[str, Any]:
    """``params`` checked against ``known`` (defaults filled in, values coerced).

    Names in :data:`NOTEBOOK` are accepted and dropped.

    Raises
    ------
    InputError
        Naming an unknown parameter (with the allowed ones) or a bad value (with what is
        allowed).
    """
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
