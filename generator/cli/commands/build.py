"""`scorecard build`: the finished scorecard workbook for one authority and period."""

from __future__ import annotations

import sys
from pathlib import Path

from generator.workbooks.book import DEFAULT_TITLE
from generator.workbooks.data_csv import load_scorecard_data
from generator.workbooks.data_store import load_store_data
from generator.workbooks.publish import publish_scorecard
from generator.workbooks.risks_data import load_risks
from generator.workbooks.scorecard import build_scorecard


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "build", help="build the scorecard workbook (.xlsx) from data for one authority",
        description="Build the scorecard workbook for one authority and report period from a long "
                    "CSV (indicator_id, period, actual, target, commentary, comparator...) or from "
                    "the collection store (the period and the periods before it, with "
                    "neighbours', region and England comparators).")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", help="CSV of values (see docs/scorecard-workbook.md)")
    source.add_argument("--store", help="the collection store (.sqlite) written by `scorecard collect`")
    parser.add_argument("--authority", required=True,
                        help="the authority the scorecard is for (with --store: its code or name)")
    parser.add_argument("--period", required=True, help="report period, as in the data (Mar-24)")
    parser.add_argument("--catalogue", help="catalogue CSV (default: the built-in catalogue)")
    parser.add_argument("--risks", help="risk register CSV (risk_id, risk, owner, impact, likelihood)")
    parser.add_argument("--title", default=DEFAULT_TITLE)
    parser.add_argument("--contact", default="")
    parser.add_argument("--publish", action="store_true",
                        help="write the values-only version for release instead")
    parser.add_argument("--out", required=True, help="the .xlsx file to write")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from scorecard.catalogue import load_catalogue

    catalogue = load_catalogue(args.catalogue)  # the built-in one unless a path is given
    if args.store:
        data = load_store_data(args.store, args.authority, args.period, catalogue)
    else:
        data = load_scorecard_data(args.data, args.authority, args.period, catalogue)
    risks = load_risks(args.risks) if args.risks else None
    write = publish_scorecard if args.publish else build_scorecard
    path = write(data, Path(args.out), risks=risks, title=args.title, contact=args.contact)
    for warning in data.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"wrote {path} ({len(data.measures)} measures, {len(data.themes())} themes)")
    return 0
