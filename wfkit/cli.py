"""The ``wfkit`` command line.

Subcommands: ``validate``, ``run`` (scenario files) and ``data`` (bundled data).
Errors a user can cause print one readable line to stderr and exit with status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__
from .errors import WfkitError

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="wfkit",
        description="Plan the NHS primary-care workforce: population x service use x who does what "
        "x time per activity -> FTE by role, gap against supply and cost.",
    )
    parser.add_argument("--version", action="version", version=f"wfkit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_scenario_commands(sub)
    try:
        from .data.cli import add_subparser as add_data
    except ImportError:  # pragma: no cover - the data package is optional while it is built
        add_data = None
    if add_data is not None:
        add_data(sub)
    return parser


def _add_scenario_commands(sub: argparse._SubParsersAction) -> None:
    """Placeholder until the scenario module lands."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``wfkit`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except WfkitError as exc:
        print(f"wfkit: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
