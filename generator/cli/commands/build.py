"""`scorecard build`: the finished scorecard workbook for one authority and period."""

from __future__ import annotations

import sys
from pathlib import Path

from generator.cli.progress import Progress
from generator.national.batch import build_every_authority
from generator.national.scorecards import (
    NationalContext,
    add_national,
    has_national_data,
    load_national_data,
    scorecard_writer,
)
from generator.workbooks.book import DEFAULT_TITLE
from generator.workbooks.data_csv import load_scorecard_data
from generator.workbooks.data_store import load_store_data
from generator.workbooks.publish import publish_scorecard
from generator.workbooks.risks_data import load_risks
from generator.workbooks.scorecard import build_scorecard
from scorecard.errors import ScorecardError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "build", help="build the scorecard workbook (.xlsx) from data for one authority",
        description="Build the scorecard workbook for one authority and report period from a long "
                    "CSV (indicator_id, period, actual, target, commentary, comparator...) or from "
                    "the collection store (the period and the periods before it, with "
                    "neighbours', region and England comparators), or from DfE's national data "
                    "alone (--national without --data or --store; --authority all builds every "
                    "authority in England). With --national, England, region and statistical-"
                    "neighbour figures, quartile band and national rank come from the imported LAIT "
                    "data wherever the data does not give them.")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--data", help="CSV of values (see docs/scorecard-workbook.md)")
    source.add_argument("--store", help="the collection store (.sqlite) written by `scorecard collect`")
    parser.add_argument("--authority", required=True,
                        help="the authority the scorecard is for (with --store: its code or name; with "
                             "--national alone: its name or LA number, or 'all')")
    parser.add_argument("--period", help="report period, as in the data (Mar-24); with --national alone a year "
                                         "(default: the latest with national figures)")
    parser.add_argument("--national", help="a store with LAIT data imported (scorecard import lait); default: "
                                           "the --store file when it holds LAIT data")
    parser.add_argument("--sn-edition", help="statistical-neighbour edition ('May 2025'); default: the one the "
                                             "report period was built with before, else the latest")
    parser.add_argument("--jobs", type=int, help="with --authority all: processes to build with (default: every core)")
    parser.add_argument("--catalogue", help="catalogue CSV (default: the built-in catalogue)")
    parser.add_argument("--risks", help="risk register CSV (risk_id, risk, owner, impact, likelihood)")
    parser.add_argument("--title", default=DEFAULT_TITLE)
    parser.add_argument("--contact", default="")
    parser.add_argument("--publish", action="store_true",
                        help="write the values-only version for release instead")
    parser.add_argument("--out", required=True, help="the .xlsx file to write (with --authority all: a folder)")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from scorecard.catalogue import load_catalogue

    catalogue = load_catalogue(args.catalogue)  # the built-in one unless a path is given
    if not (args.data or args.store):
        if not args.national:
            raise ScorecardError("give the data: --data CSV, --store STORE, or --national STORE (national figures)")
        return national_build(args, catalogue)
    if not args.period:
        raise ScorecardError("give --period: the report period, as in the data (Mar-24)")
    if args.store:
        data = load_store_data(args.store, args.authority, args.period, catalogue)
    else:
        data = load_scorecard_data(args.data, args.authority, args.period, catalogue)
    if args.national:
        context = NationalContext.open(args.national, catalogue, pin_for=args.period, edition=args.sn_edition)
        add_national(data, context, args.authority)
    elif args.store and has_national_data(args.store):  # the store holds LAIT data too: use it if it can be
        try:
            context = NationalContext.open(args.store, catalogue, pin_for=args.period, edition=args.sn_edition)
            add_national(data, context, _lait_name(args.authority, data))
        except ScorecardError as error:
            data.warnings.append(f"no national comparators: {error}")
    risks = load_risks(args.risks) if args.risks else None
    write = publish_scorecard if args.publish else build_scorecard
    path = write(data, Path(args.out), risks=risks, title=args.title, contact=args.contact)
    for warning in data.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"wrote {path} ({len(data.measures)} measures, {len(data.themes())} themes)")
    return 0


def national_build(args, catalogue) -> int:
    """--national alone: one authority's scorecard from the national figures, or every authority's."""
    context = NationalContext.open(args.national, catalogue, period=args.period, edition=args.sn_edition)
    options = {"title": args.title, "contact": args.contact}
    if args.authority.strip().lower() == "all":
        paths, problems = build_every_authority(context, args.out, scorecard_writer(args.publish, **options),
                                                jobs=args.jobs, progress=Progress("build"))
        for problem in problems:
            print(f"not built: {problem}", file=sys.stderr)
        print(f"wrote {len(paths)} scorecards for {context.period} ({context.edition} statistical neighbours) "
              f"into {args.out}")
        return 0 if paths else 2
    data = load_national_data(context, args.authority)
    write = publish_scorecard if args.publish else build_scorecard
    path = write(data, Path(args.out), **options)
    print(f"wrote {path} ({len(data.measures)} measures, {context.period}, {context.edition} statistical neighbours)")
    return 0


def _lait_name(authority: str, data) -> str:
    """The store's authority as LAIT knows it: its name ('Barnsley (370)' -> 'Barnsley')."""
    return data.authority.rsplit(" (", 1)[0] if data.authority.endswith(")") else authority
