"""`scorecard demo`: print seed 004's scorecard with our statuses, build the workbooks, then run
the collection loop on example data."""

from __future__ import annotations

from pathlib import Path

from generator.demo import build_demo_workbooks, collection_demo, print_seed004


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo", help="print seed 004's scorecard and build the demo workbooks",
        description="Print seed 004's Q4 2023/24 scorecard (values, targets, our status and "
                    "direction next to the published symbol), then build it and a multi-period "
                    "sample with commentary and risks into --out; then run the collection loop "
                    "on example data into --out/collection (templates, filled returns, the "
                    "store, the error report, the benchmark workbook and a scorecard built "
                    "from the store).")
    parser.add_argument("--out", default="out", help="folder for the workbooks (default: out)")
    parser.set_defaults(handler=run)


def run(args) -> int:
    print_seed004()
    for path in build_demo_workbooks(Path(args.out)):
        print(f"wrote {path}")
    print()
    collection_demo(Path(args.out) / "collection")
    return 0
