"""``wfkit report`` and ``wfkit batch``: the command line of :mod:`wfkit.report`."""

from __future__ import annotations

import argparse
from typing import Any

from ..errors import InputError

__all__ = ["add_subparsers"]

#: the use cases with a notebook: wfkit.report.notebook_run.NOTEBOOKS's names, written out so
#: ``wfkit --help`` loads no data (a test keeps the two the same)
_USE_CASES = ["all", "type2_diabetes", "same_day", "nursing", "frailty", "closer_to_home"]


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "use_case",
        metavar="USECASE",
        choices=_USE_CASES,
        help=f"the use case (its notebook is run): one of {', '.join(_USE_CASES)}",
    )
    p.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="a notebook parameter (repeatable): -p horizon 5 -p draws 100; see "
        "papermill --help-notebook notebooks/NN-*.ipynb",
    )
    p.add_argument(
        "-f",
        "--parameters-file",
        metavar="FILE",
        default=None,
        help="a YAML file of notebook parameters (as notebooks/params/*.yaml); -p wins",
    )
    p.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help="output folder: new, empty or holding only wfkit's earlier output (replaced whole)",
    )
    p.add_argument("--no-pdf", action="store_true", help="do not print report.pdf")


def add_subparsers(sub: argparse._SubParsersAction) -> None:
    """Add ``report`` and ``batch`` to the ``wfkit`` command line."""
    r = sub.add_parser(
        "report",
        help="a report of one area: HTML, PDF, Excel and CSV",
        description="Run the use case's notebook for one area with papermill and write, "
        "whole or not at all: the executed notebook; report.html (one self-contained page: "
        "code hidden, charts drawn with no network, the headline in words, the base year "
        "reconciled, the provenance); report.pdf (printed by Debian's Chromium where "
        "installed); results.xlsx; the CSVs. See docs/reports.md.",
    )
    _common(r)
    r.add_argument(
        "--area", required=True, metavar="NAME_OR_CODE", help="the area (at -p level, default pcn)"
    )
    r.add_argument(
        "--allow-existing",
        action="store_true",
        help="write beside files wfkit did not write (they are left as they are)",
    )
    r.set_defaults(func=_cmd_report)
    b = sub.add_parser(
        "batch",
        help="a report for every selected area, in parallel, with an index",
        description="Make the use case's report for every area of a selection, in parallel "
        "(local processes, or a Dask cluster with --scheduler), and write index.html (every "
        "area's headline, sortable, linking its report), summary.xlsx and summary.csv. A "
        "failing area is listed with its error (exit status 1); a re-run keeps areas whose "
        "inputs, parameters and wfkit version are unchanged. See docs/reports.md.",
    )
    _common(b)
    b.add_argument(
        "--areas",
        required=True,
        metavar="SELECTION",
        help="'all' (every area at --level), LEVEL:NAME_OR_CODE (every area within one: "
        "icb:QMJ, region:London) or codes/names separated by commas",
    )
    b.add_argument("--level", default="pcn", help="level of the areas (default pcn)")
    b.add_argument(
        "--workers", type=int, default=None, metavar="N", help="local worker processes (default 2)"
    )
    b.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="run the reports on a Dask distributed cluster at ADDRESS (tcp://HOST:PORT); "
        "its workers must see --out",
    )
    b.set_defaults(func=_cmd_batch)


def _params(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if args.parameters_file:
        # lazy: YAML is read only when a parameters file is given
        import yaml

        try:
            with open(args.parameters_file, encoding="utf-8") as fh:
                loaded = yaml.safe_load(fh) or {}
        except OSError as exc:
            raise InputError(
                f"cannot read it: {exc.strerror}", source=args.parameters_file
            ) from None
        if not isinstance(loaded, dict):
            raise InputError("expected NAME: VALUE lines", source=args.parameters_file)
        out.update(loaded)
    for name, value in args.parameter:
        out[name] = value
    return out


def _cmd_report(args: argparse.Namespace) -> int:
    # lazy: the report's machinery loads only when a report is made (wfkit --help stays fast)
    from .make import make_report
    from .notebook_run import skip_iri_checks

    skip_iri_checks()  # before papermill loads jsonschema (about 1 s)
    rep = make_report(
        args.use_case,
        args.area,
        args.out,
        _params(args),
        allow_existing=args.allow_existing,
        pdf=not args.no_pdf,
    )
    h = rep.headline
    names = ", ".join(h["areas"].values())
    print(f"{args.use_case} report for {names}, {h['base_year']}-{h['horizon_year']}:")
    # lazy: as above
    from . import labels as L

    for s in h["scenarios"]:
        print(
            f"  {s['label']}: {s['required_fte']:,.1f} FTE required in {s['year']} "
            f"(P10-P90 {s['required_p10']:,.1f}-{s['required_p90']:,.1f}, P50 "
            f"{s['required_p50']:,.1f}), {s['in_post_fte']:,.1f} in post: "
            f"{L.gap_words(s['gap_fte'])}"
        )
    for n in rep.notes:
        print(f"  note: {n}")
    print(f"wrote {len(rep.files)} files to {rep.folder}")
    print(f"next: open {rep.folder / 'report.html'} (or results.xlsx in Excel)")
    return 0


def _cmd_batch(args: argparse.Namespace) -> int:
    # lazy: the report's machinery loads only when a batch is made (wfkit --help stays fast)
    from .batch import run_batch

    res = run_batch(
        args.use_case,
        args.areas,
        args.out,
        level=args.level,
        params=_params(args),
        workers=args.workers,
        scheduler=args.scheduler,
        pdf=not args.no_pdf,
    )
    print(
        f"{len(res.rows)} areas: {len(res.made)} reports made, {len(res.skipped)} unchanged "
        f"(kept), {len(res.failed)} failed"
    )
    for code, err in res.failed.items():
        print(f"  failed: {code}: {err}")
    print(f"next: open {res.folder / 'index.html'} (or summary.xlsx)")
    return 1 if res.failed else 0
