"""`scorecard benchmark`: the benchmark workbook for one period, from the store."""

from __future__ import annotations

from generator.cli.options import add_store_option
from generator.collection.lookup import existing_store, find_authority
from generator.inputs import load_catalogue, workbook_out
from generator.workbooks.benchmark import write_benchmark_workbook
from scorecard.periods import file_label, parse_period


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "benchmark", help="benchmark workbook for a period, from the store",
        description="Every indicator across all authorities: region and England values, "
                    "statistical-neighbour average, quartile band, rank, missing returns.")
    parser.add_argument("--period", required=True, help="the period, in any spelling (2024-25 Q1, 2024/25 Q1 ...)")
    add_store_option(parser)
    parser.add_argument("--highlight", help="authority to highlight: its code or name")
    parser.add_argument("--catalogue", help="a catalogue CSV or .xlsx (default: the built-in one)")
    parser.add_argument("--out", default=None, help="output .xlsx (default benchmark_PERIOD.xlsx)")
    parser.set_defaults(handler=run)


def run(args) -> int:
    period = parse_period(args.period).label
    out = workbook_out(args.out or f"benchmark_{file_label(period)}.xlsx")
    catalogue = load_catalogue(args.catalogue)
    with existing_store(args.store) as store:
        highlight = find_authority(store, args.highlight).code if args.highlight else None
        path = write_benchmark_workbook(store, period, catalogue, out, highlight)
    print(f"wrote {path}")
    return 0
