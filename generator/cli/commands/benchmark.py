"""`scorecard benchmark`: the benchmark workbook for one period, from the store."""

from __future__ import annotations

from pathlib import Path

from generator.collection.dialect import is_postgres
from generator.collection.store import Store
from generator.workbooks.benchmark import write_benchmark_workbook
from scorecard.catalogue import load_catalogue
from scorecard.errors import ScorecardError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "benchmark", help="benchmark workbook for a period, from the store",
        description="Every indicator across all authorities: region and England values, "
                    "statistical-neighbour average, quartile band, rank, missing returns.")
    parser.add_argument("--period", required=True)
    parser.add_argument("--store", default="scorecard-store.sqlite",
                        help="the store: an SQLite file or a postgresql:// URL")
    parser.add_argument("--highlight", help="authority code to highlight")
    parser.add_argument("--catalogue", help="a catalogue CSV (default: the built-in one)")
    parser.add_argument("--out", default=None, help="output .xlsx (default benchmark_PERIOD)")
    parser.set_defaults(handler=run)


def run(args) -> int:
    if not is_postgres(args.store) and not Path(args.store).exists():
        raise ScorecardError(f"no store at {args.store}: run `scorecard collect` first")
    catalogue = load_catalogue(args.catalogue)
    out = args.out or f"benchmark_{args.period.replace(' ', '_').replace('/', '-')}.xlsx"
    with Store(args.store) as store:
        path = write_benchmark_workbook(store, args.period, catalogue, out, args.highlight)
    print(f"wrote {path}")
    return 0
