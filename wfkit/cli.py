"""The ``wfkit`` command line.

Subcommands: ``validate``, ``run`` (scenario files or workbooks), ``template`` (an editable
scenario workbook), ``report`` and ``batch`` (use-case reports, :mod:`wfkit.report`) and
``data`` (bundled data).
Errors a user can cause print one readable line to stderr and exit with status 2.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import logging
import os
import sys
import textwrap
import threading
import time
from collections.abc import Sequence
from typing import Any

from ._version import __version__
from .errors import InputError, WfkitError
from .outputs import check_output_dir
from .settings import DRAWS, SEED

__all__ = ["main", "entry", "build_parser", "areas_line"]


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
    _add_template_command(sub)
    add_app, add_data, add_reports = _command_modules()
    add_reports(sub)
    add_data(sub)
    add_app(sub)
    return parser


def _command_modules() -> tuple[Any, Any, Any]:
    """Import the modules of the app, data and report commands; return their parser makers.

    Every command loads them (and pandas, numpy and pyarrow with them) to build its parser.
    """
    # lazy: wfkit --help and --version start without loading the model
    from .app import add_subparser as add_app
    from .data.cli import add_subparser as add_data
    from .report.cli import add_subparsers as add_reports

    return add_app, add_data, add_reports


def _add_scenario_commands(sub: argparse._SubParsersAction) -> None:
    v = sub.add_parser(
        "validate",
        help="check a scenario file and its input tables",
        description="Check a scenario YAML file against the published JSON Schema and make every "
        "check 'run' makes before the model runs: build and calibrate the model inputs of every "
        "variant (tables, keys, shares, ranges) and check the run fits in memory. Exits 0 if "
        "valid, 2 with one line naming the file, row or key and what was expected if not.",
    )
    v.add_argument(
        "file",
        help="scenario YAML file (see docs/scenarios.md), a workbook made by 'wfkit template' "
        "(.xlsx), or 'default' / 'example'",
    )
    v.set_defaults(func=_cmd_validate)
    r = sub.add_parser(
        "run",
        help="run a scenario and write tidy results",
        description="Run the baseline and every variant of a scenario and write results.csv "
        "(tidy: area, year, role, scenario, measure, value, p10, p50, p90 and the difference "
        "from baseline), demand.csv, summary.json and run.log to the output folder. The folder is "
        "written whole or not at all, and only if wfkit created it or it holds only wfkit's "
        "earlier output (listed in its .wfkit-manifest.json); any other folder is refused before "
        "the model runs, and no file wfkit did not write is ever deleted.",
    )
    r.add_argument(
        "file",
        help="scenario YAML file, a workbook made by 'wfkit template' (.xlsx), or a bundled "
        "scenario: 'default' (a real London network on the bundled data) or 'example' (two "
        "illustrative networks)",
    )
    r.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help="output folder: new, empty or holding only wfkit's earlier output (replaced whole)",
    )
    r.add_argument(
        "--allow-existing",
        action="store_true",
        help="write into a folder holding other files: they are left as they are and only "
        "wfkit's own files (those in its manifest) are replaced",
    )
    r.add_argument("--draws", type=int, default=None, help="Monte Carlo draws (overrides the file)")
    r.add_argument("--seed", type=int, default=None, help="random seed (overrides the file)")
    r.add_argument(
        "--chunk-areas",
        type=int,
        default=None,
        metavar="N",
        help="run the areas N at a time, each chunk reduced to percentiles before the next "
        "(bounded memory for Monte Carlo over many areas, the same results; 0 = as many as "
        "fit in memory); see docs/scenarios.md",
    )
    r.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="run the chunks as tasks on a Dask distributed cluster at ADDRESS (e.g. "
        "tcp://127.0.0.1:8786; start its workers with OPENBLAS_NUM_THREADS=1); the same "
        "results as the local run",
    )
    r.add_argument(
        "--format",
        choices=["csv", "parquet", "xlsx"],
        default="csv",
        help="results and demand as CSV (default) or Parquet (results.parquet, demand.parquet); "
        "xlsx: the CSVs and results.xlsx, a workbook in words (summary, FTE by role by year "
        "with P10/P50/P90, base year, costs, notes) for a run within Excel's limits",
    )
    r.add_argument(
        "--layout",
        choices=["long", "wide", "auto"],
        default="long",
        help="results layout: long (the default; tidy: one row per measure, with P10/P50/P90 "
        "and diff columns, the same columns with or without draws, P10/P50/P90 empty with "
        "none), wide (one row per area, year, role and scenario, a column per measure; no "
        "draws only) or auto (wide with no draws, long with draws); see docs/scenarios.md",
    )
    r.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="processes running chunks of areas at once (default 2; 1 runs them one after "
        "another); the same results whatever N",
    )
    r.set_defaults(func=_cmd_run)


def _add_template_command(sub: argparse._SubParsersAction) -> None:
    # lazy: wfkit --help and --version start without loading the settings
    from .settings import LEVELS

    t = sub.add_parser(
        "template",
        help="write an editable scenario workbook (Excel) to fill in and run",
        description="Write an Excel workbook holding a scenario on the bundled data, ready to "
        "edit: settings, areas, who does what today and in the future, minutes per contact, "
        "working time, costs and variants, pre-filled with the bundled values and their "
        "sources, with drop-down lists and the valid ranges. Then 'wfkit validate FILE.xlsx' "
        "and 'wfkit run FILE.xlsx --out DIR'. An existing file is never replaced. See "
        "docs/scenarios.md, 'Excel template'.",
    )
    t.add_argument("file", help="the workbook to write (.xlsx); it must not exist")
    t.add_argument(
        "--area",
        action="append",
        default=None,
        metavar="NAME_OR_CODE",
        help="an area to model, by code or name at --level (repeat for more; default: the "
        "default scenario's network)",
    )
    t.add_argument(
        "--level",
        choices=list(LEVELS),
        default=None,
        help="the level of the areas (default: the default scenario's, pcn)",
    )
    t.set_defaults(func=_cmd_template)


def _cmd_template(args: argparse.Namespace) -> int:
    # lazy: wfkit --help and --version start without loading the model
    from .scenario.template import write_template

    path = write_template(args.file, areas=args.area, level=args.level)
    print(f"scenario workbook written to {path}")
    print(f"  next: edit it, then 'wfkit validate {path}' and 'wfkit run {path} --out DIR'")
    return 0


def _scenario_arg(value: str) -> str:
    # lazy: wfkit --help and --version start without loading the model
    from .scenario import scenario_path

    return str(scenario_path(value))


def _check_run_options(args: argparse.Namespace) -> None:
    """Check ``--draws`` and ``--seed`` against the ranges declared for the file's settings.

    The ranges are those of ``draws`` and ``seed`` in :mod:`wfkit.settings`.
    """
    for setting in (DRAWS, SEED):
        value = getattr(args, setting.name, None)
        if value is not None and setting.problem(value):
            raise InputError(
                f"{value:,} is out of range; {setting.expected}", key=f"--{setting.name}"
            )


def _cmd_validate(args: argparse.Namespace) -> int:
    # lazy: wfkit --help and --version start without loading the model
    from .scenario import load_scenario, prepare_inputs

    sc = load_scenario(_scenario_arg(args.file))
    # every check `run` makes before the model runs (inputs and calibration of every
    # variant, and whether one area's arrays fit in memory: more run in chunks)
    prepare_inputs(sc, sc.draws, chunk_areas=1)
    _check_moved_in(sc)
    print(
        f"{args.file}: valid ({len(sc.variant_names)} scenario(s): {', '.join(sc.variant_names)})"
    )
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    _check_run_options(args)

    # lazy: wfkit --help and --version start without loading the model
    from .scenario import load_scenario, run_scenario, write_outputs

    lines: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(f"{record.levelname.lower()}: {record.getMessage()}")

    logger = logging.getLogger("wfkit")
    handler = _Collect()
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    moved: dict[str, Any] = {}
    try:
        t0 = time.perf_counter()
        path = _scenario_arg(args.file)
        # refuse an output folder we may not write before any model time is spent
        target = check_output_dir(args.out, allow_existing=args.allow_existing, protect=[path])
        lines.append(f"wfkit {__version__} run {path}")
        if args.chunk_areas is not None and args.chunk_areas < 0:
            raise InputError(f"{args.chunk_areas} areas; expected 0 or more", key="--chunk-areas")
        if args.workers is not None and args.workers < 1:
            raise InputError(f"{args.workers} processes; expected 1 or more", key="--workers")
        scenario = load_scenario(path)  # read and checked once, for the run too
        _check_moved_in(scenario)  # before any model time is spent
        run = run_scenario(
            scenario,
            draws=args.draws,
            seed=args.seed,
            chunk_areas=args.chunk_areas,
            scheduler=args.scheduler,
            workers=args.workers,
        )
        lines.append(f"model time {time.perf_counter() - t0:.2f} s")
        if args.format == "xlsx":
            # lazy: openpyxl and the report's words load only for a workbook
            from .report.excel import write_run_outputs

            out = write_run_outputs(
                run, target, lines, allow_existing=args.allow_existing, layout=args.layout
            )
        else:
            moved = moved_in_tables(run)
            out = write_outputs(
                run,
                target,
                lines,
                allow_existing=args.allow_existing,
                fmt=args.format,
                layout=args.layout,
                tables=moved,
            )
    finally:
        logger.removeHandler(handler)
    for line in summary_lines(run, out, args.format):
        print(line)
    for line in moved_in_lines(moved.get("business_case") if args.format != "xlsx" else None):
        print(line)
    return 0


def _check_moved_in(scenario: Any) -> None:
    """Check a scenario's special interests against the skills tables (if it moves work in)."""
    if any(v.moved_in for v in scenario.variants):
        # lazy: the skills tables load only for a scenario that moves work in
        from .usecases.closer_to_home import check_moved_in

        check_moved_in(scenario)


def moved_in_tables(run: Any) -> dict[str, Any]:
    """Return the tables of the work a run moves in from hospital (none if it moves none).

    ``business_case``, ``moved_in`` (activity and hospital side), ``moved_in_staff`` and
    ``training`` (docs/closer-to-home.md).
    """
    if not any(v.moved_in for v in run.scenario.variants):
        return {}
    # lazy: wfkit --help and --version start without loading the model
    from .usecases.closer_to_home import business_case, moved_in_results

    res = moved_in_results(run)
    return {
        "business_case": business_case(res, run),
        "moved_in": res.activity,
        "moved_in_staff": res.staff,
        "training": res.training,
    }


def moved_in_lines(case: Any) -> list[str]:
    """Return a line per proposal moving work in: its net cost with P10-P90 and break-even."""
    if case is None or case.empty:
        return []
    out = []
    for (scen, act), one in case.groupby(["scenario", "activity"], sort=False):
        c = one.set_index("item")
        net = c.loc[c.index.str.startswith("net cost of the move")].iloc[0]
        be = c.loc["break-even year", "value"]
        out += _wrap(
            f"  {act} moved in ({scen}): net cost GBP {net['value']:,.0f} "
            f"(P10-P90 {net['p10']:,.0f} to {net['p90']:,.0f}; negative is a saving), "
            + ("no break-even in the modelled years" if be != be else f"breaks even {be:.0f}")
            + "; business_case.csv (its staff, beside the FTE required: moved_in_staff.csv)"
        )
    return out


#: the widest line the run summary prints (fits a terminal of 100 columns)
WIDTH = 99
#: what the sign of a gap means, as the summary says it
GAP_SIGN = "gap = in post minus required: negative is a shortfall"


def _fit(line: str, width: int = WIDTH) -> str:
    """Return ``line`` cut to ``width`` characters, ending ``...`` where cut (run.log has it)."""
    return line if len(line) <= width else line[: width - 3].rstrip() + "..."


def _wrap(line: str) -> list[str]:
    """Return ``line`` wrapped at spaces to :data:`WIDTH` (a path or name is never cut)."""
    return textwrap.wrap(
        line, WIDTH, subsequent_indent="      ", break_long_words=False, break_on_hyphens=False
    )


def summary_lines(run: Any, out: Any, fmt: str = "csv", top: int = 5) -> list[str]:
    """Return the run summary the CLI prints: what ran, the base year, each scenario's horizon.

    Then the areas with the largest shortfalls (with more than one area), what the sign
    of the gap means and what to open next; role and scenario names in words, every line
    at most :data:`WIDTH` characters.
    """
    # lazy: wfkit --help and --version start without loading the model
    from .scenario.run import output_labels, scenario_label

    s = run.summary()
    n = len(s["variants"])
    lines = [
        f"{s['scenario']}: {s['base_year']}-{s['base_year'] + s['horizon']}, "
        f"{n} scenario{'s' if n != 1 else ''}, {s['draws']} draws",
    ]
    lines = [_fit(x) for x in lines]
    lines += _wrap(f"  areas: {areas_line(run)}")
    body = [f"  {line}" for line in base_year_lines(run)]
    final = next(iter(s["variants"].values()))["final_year"]
    body.append(f"  in {final}, all roles and areas ({GAP_SIGN}):")
    for name, v in s["variants"].items():
        r, g = v["required_fte"], v["gap_fte"]
        body.append(
            f"    {_fit(scenario_label(name), 20):<20} required {r['value']:9,.1f} FTE "
            f"(P50 {r['p50']:,.1f}, P10-P90 {r['p10']:,.1f}-{r['p90']:,.1f}); "
            f"gap {g['value']:+,.1f}"
        )
    areas, _ = output_labels(run)
    if len(areas) > 1:
        body += _shortfall_lines(run, areas, top)
    body.append("  value = central run (every input at its stated value); P10-P90 over the draws")
    lines += [_fit(x) for x in body]
    ext = "parquet" if fmt == "parquet" else "csv"
    book = "results.xlsx (the workbook in words), " if fmt == "xlsx" else ""
    lines += _wrap(f"results written to {out}")
    lines += _wrap(
        f"  next: open {book}{'areas.' + ext + ' (one row per area), ' if len(areas) > 1 else ''}"
        f"results.{ext} (every figure by year, role and scenario)"
        + (f", placements.{ext}, supervision.{ext}" if _has_placements(run) else "")
        + " and run.log (how it ran)"
    )
    return lines


def _has_placements(run: Any) -> bool:
    """Whether a run wrote placements and supervision files (its scenario hosts learners)."""
    return any(v.placements for v in run.scenario.variants)


def _shortfall_lines(run: Any, areas: dict[str, str], top: int) -> list[str]:
    """Return the ``top`` areas by shortfall in the baseline's horizon year (central run)."""
    base = run.results["baseline"]
    gap = base.measure("gap_fte", total=True)[0, :, -1]
    req = base.measure("required_fte", total=True)[0, :, -1]
    order = [i for i in sorted(range(len(gap)), key=lambda i: gap[i]) if gap[i] < 0][:top]
    year = int(base.years[-1])
    if not order:
        return [f"  no area is short of staff in {year} (baseline, central run)"]
    out = [
        f"  largest shortfalls in {year} (baseline, central run; all {len(gap):,} in areas.csv):"
    ]
    for i in order:
        code = str(base.areas[i])
        name = areas.get(code, "")
        out.append(
            f"    {code:<9} {_fit(name, 36):<36} gap {gap[i]:+9,.1f} FTE of {req[i]:,.1f} required"
        )
    return out


def base_year_lines(run: Any) -> list[str]:
    """Return the base-year reconciliation as the CLI prints it, line by line.

    The total, then each role's required against in post with its main reason, then the
    staff in post not modelled; roles in words.
    """
    # lazy: wfkit --help and --version start without loading the model
    from .scenario.calibration import UNRELIABLE
    from .scenario.run import output_labels

    _, labels = output_labels(run)
    rec = run.reconciliation()
    cal = run.calibration()
    year = int(run.results["baseline"].years[0])
    rows = list(rec.itertuples())  # the rows once (a frame's filters cost more here)
    tot = next(r for r in rows if r.role == "all")
    band = next(b for b in run.base_year_band().itertuples() if b.role == "all")
    draws = run.results["baseline"].n_draws
    out = [
        f"base year {year} (calibration: {cal.method}): required {tot.required_fte:,.1f} FTE, "
        f"in post {tot.supply_fte:,.1f} FTE (gap {tot.gap_fte:+,.1f})",
        *(
            [
                f"  band over {draws} draws: P10 {band.p10:,.1f}, P50 {band.p50:,.1f}, "
                f"P90 {band.p90:,.1f} FTE required (calibrated in every draw)"
            ]
            if draws
            else []
        ),
        *(
            textwrap.wrap(
                f"warning: {tot.reason.split('; ')[0]}",
                WIDTH - 4,
                initial_indent="  ",
                subsequent_indent="    ",
                break_long_words=False,
            )
            if tot.reason.startswith(UNRELIABLE)
            else []
        ),
        f"  {'role':<28}{'required':>9}{'in post':>8}{'gap':>7}  main reason",
    ]
    for r in rows:
        if r.role == "all" or r.role.startswith("not modelled"):
            continue
        why = r.reason + (f" ({r.check})" if r.check else "")
        label = _fit(labels.get(r.role, r.role), 27)
        out.append(
            _fit(
                f"  {label:<28}{r.required_fte:9.1f}{r.supply_fte:8.1f}{r.gap_fte:+7.1f}  {why}",
                WIDTH - 2,
            )
        )
    if any(r.role.startswith("not modelled") for r in rows):
        nm = rec[rec.role.str.startswith("not modelled")]
        nm = nm.sort_values("supply_fte", ascending=False)
        top = ", ".join(
            f"{r.role.removeprefix('not modelled: ')} {r.supply_fte:.1f}"
            for r in nm.head(4).itertuples()
        )
        out.append(_fit(f"  in post, not modelled: {nm.supply_fte.sum():.1f} FTE ({top}...)", 97))
    return out


def areas_line(run: Any, shown: int = 3) -> str:
    """Return the areas a run modelled, as the header shows them.

    How many, at which level (for bundled data), and the first ``shown`` codes with their
    names, e.g. ``1 area at level pcn: U06180 North Southwark PCN``.
    """
    codes = list(run.results["baseline"].areas)
    base = run.provenance.get("baseline")
    origin = str(base.tables.get("population", "")) if base is not None else ""
    names: dict[str, str] = {}
    where = ""
    if origin.startswith("bundled"):
        level = run.scenario.baseline.level
        try:
            # lazy: wfkit --help and --version start without loading tables
            from .scenario.run import level_words, output_labels

            where = f" at level {level_words(level)}"
            names = {c: n for c, n in output_labels(run)[0].items() if n}
        except (WfkitError, ImportError, KeyError):  # names are a courtesy, not a must
            names = {}
    else:
        where = f" of {origin}" if origin else ""
    first = ", ".join(f"{c} {names[c]}" if c in names else c for c in codes[:shown])
    more = f", ... ({len(codes) - shown} more)" if len(codes) > shown else ""
    return f"{len(codes)} area{'s' if len(codes) != 1 else ''}{where}: {first}{more}"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``wfkit`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except WfkitError as exc:
        print(f"wfkit: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader stopped reading (``| head -1``): stop quietly, as other command-line
        # tools do, with their status (killed by SIGPIPE); what is left to print goes nowhere
        _quiet_stdout()
        return 141


def entry() -> None:
    """Run the ``wfkit`` console script: :func:`main`, then end the process at once.

    A short command's process would spend a good part of its time after its work tearing
    down every module it loaded (pandas, numpy, pyarrow).  By then every output is written
    and closed, so the script finishes what an exit must (the output flushed, the exit
    handlers run: logging, temporary folders) and ends the process without the teardown.
    While any other non-daemon thread still runs, it exits as Python does, which waits for
    it.  (Measured: benchmarks/README.md, PACE-HRH side by side.)
    """
    # The start imports pandas, numpy and pyarrow: hundreds of thousands of objects that live
    # as long as the process, which the cyclic collector would scan again and again.  It is
    # off while the commands' modules load; they are then frozen (never scanned again) and
    # collection goes on as usual for the command's own objects.
    gc.disable()
    try:
        _command_modules()
    finally:
        gc.freeze()
        gc.enable()
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can go there
            _quiet_stdout()
    others = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon]
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if others or run_exit_handlers is None:
        sys.exit(code)
    run_exit_handlers()
    os._exit(code)


def _quiet_stdout() -> None:
    """Point standard output at the null device.

    Python's flush at exit then does not report the broken pipe again.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real stdout (captured, closed)
        pass


if __name__ == "__main__":  # pragma: no cover
    entry()
