"""`scorecard template`: blank collection workbooks, one per authority, for one period."""

from __future__ import annotations

from generator.collection.store import Authority, load_authorities
from generator.collection.templates import DATASETS, select_indicators, write_templates
from generator.inputs import load_catalogue
from generator.words import plural
from scorecard.errors import ScorecardError
from scorecard.periods import parse_period


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "template", help="write blank collection templates (one per authority)",
        description="Write a blank collection workbook for each authority and a period.")
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--authority", action="append",
                     help="an authority code (e.g. E10000016); repeat for several")
    who.add_argument("--authorities", help="CSV or .xlsx of authorities: code,name,region,neighbours")
    parser.add_argument("--name", default="", help="authority name (with a single --authority)")
    parser.add_argument("--period", required=True,
                        help="the period collected, e.g. 2024-25 Q1 (any spelling; the template "
                             "shows the canonical one)")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--dataset", choices=sorted(DATASETS), default=None,
                      help="a named dataset (default: the whole catalogue)")
    what.add_argument("--theme", action="append", default=[],
                      help="a theme, or the start of one (repeatable)")
    what.add_argument("--indicators", help="comma-separated indicator ids")
    parser.add_argument("--catalogue", help="a catalogue CSV or .xlsx (default: the built-in one)")
    parser.add_argument("--deadline", default="", help="when the return is due")
    parser.add_argument("--contact", default="", help="who to contact with questions")
    parser.add_argument("--out", default="templates", help="output folder")
    parser.set_defaults(handler=run)


def run(args) -> int:
    period = parse_period(args.period).label
    catalogue = load_catalogue(args.catalogue)
    ids = [i.strip() for i in (args.indicators or "").split(",") if i.strip()]
    title, indicators = select_indicators(catalogue, dataset=args.dataset, themes=args.theme,
                                          ids=ids)
    if args.authorities:
        authorities = load_authorities(args.authorities)
    else:
        if args.name and len(args.authority) > 1:
            raise ScorecardError("--name names one authority: give it with a single --authority")
        authorities = [Authority(code.strip(), args.name) for code in args.authority]
    paths = write_templates(args.out, catalogue, authorities, period, indicators,
                            dataset_title=title, deadline=args.deadline, contact=args.contact)
    print(f"wrote {plural(len(paths), 'template')} for {period} with "
          f"{plural(len(indicators), 'indicator')} to {args.out}")
    return 0
