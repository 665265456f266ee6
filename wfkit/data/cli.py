"""``wfkit data list | show TABLE | build | update``."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from .loader import list_tables, load, table_path
from .paths import data_dir

__all__ = ["add_subparser"]


def _list(args: argparse.Namespace) -> int:
    t = list_tables()[["table", "period", "source", "licence"]]
    with pd.option_context("display.max_colwidth", 60, "display.width", 200):
        print(t.to_string(index=False))
    return 0


def _show(args: argparse.Namespace) -> int:
    info = (
        list_tables().set_index("table").loc[args.table]
        if args.table in set(list_tables().table)
        else None
    )
    df = load(args.table)  # raises InputError naming the known tables
    print(f"{args.table}: {info['description']}")
    print(f"file: {table_path(args.table)}  rows: {len(df)}")
    print(f"period: {info['period']}\nsource: {info['source']}\nlicence: {info['licence']}\n")
    dic = pd.read_csv(data_dir() / "dictionary" / f"{args.table}.csv", keep_default_na=False)
    with pd.option_context("display.max_colwidth", 70, "display.width", 200):
        print(dic[["column", "type", "unit", "description"]].to_string(index=False))
        print()
        print(df.head(args.rows).to_string(index=False))
    return 0


def _build(args: argparse.Namespace) -> int:
    # lazy: the builders of the bundled data load only for `wfkit data build` and `update`
    from .build import build

    notes = build(source=args.source, out=args.out)
    for n in notes:
        print(n)
    print("built", args.out or "data/")
    return 0


def _update(args: argparse.Namespace) -> int:
    # lazy: the downloader and the builders load only for `wfkit data update`
    from .update import default_cache, update

    cache = args.cache or default_cache()
    status = update(cache=cache, base_url=args.base_url)
    for k, v in status.items():
        print(f"{k}: {v}")
    if "missing" in status.values():
        print("some raw files are missing; not rebuilding")
        return 1
    if not args.no_build:
        from .build import build  # lazy: the builders, as above

        for n in build(source=cache, out=args.out):
            print(n)
    return 0


def add_subparser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``data`` and its subcommands to the ``wfkit`` parser."""
    p = subparsers.add_parser("data", help="bundled data: list, show, build, update")
    sub = p.add_subparsers(dest="data_command", required=True, metavar="SUBCOMMAND")

    s = sub.add_parser("list", help="every bundled table with period, source and licence")
    s.set_defaults(func=_list)

    s = sub.add_parser("show", help="a table's dictionary and first rows")
    s.add_argument("table")
    s.add_argument("--rows", type=int, default=10)
    s.set_defaults(func=_show)

    s = sub.add_parser("build", help="regenerate data/ from the raw published files")
    s.add_argument(
        "--source",
        type=Path,
        default=None,
        help="raw files folder (default ../shared/data-sources or WFKIT_DATA_SOURCES)",
    )
    s.add_argument("--out", type=Path, default=None, help="output folder (default data/)")
    s.set_defaults(func=_build)

    s = sub.add_parser("update", help="download the raw files (checksums, cache), then build")
    s.add_argument("--cache", type=Path, default=None, help="download cache folder")
    s.add_argument("--base-url", default=None, help="mirror to download from instead")
    s.add_argument("--out", type=Path, default=None, help="output folder (default data/)")
    s.add_argument("--no-build", action="store_true", help="download only")
    s.set_defaults(func=_update)
    return p
