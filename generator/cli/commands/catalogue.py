"""`scorecard catalogue`: list, show, validate and export the indicator catalogue."""

from __future__ import annotations

import sys
import textwrap

from generator.inputs import load_catalogue, validate_catalogue, workbook_out
from generator.words import plural
from scorecard.catalogue import CATALOGUE_COLUMNS, CatalogueError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "catalogue", help="list, show, validate or export the indicator catalogue",
        description="The indicator catalogue: one row per distinct indicator.")
    parser.add_argument("--catalogue", metavar="PATH",
                        help="use this catalogue CSV or .xlsx instead of the built-in one")
    parser.add_argument("--extend", metavar="PATH", action="append",
                        help="add the indicators in this CSV or .xlsx (may be repeated)")
    parser.set_defaults(handler=lambda args: (parser.print_help(), 0)[1])
    actions = parser.add_subparsers(dest="catalogue_command", metavar="ACTION")

    listing = actions.add_parser("list", help="one line per indicator: id, unit, short name")
    listing.add_argument("--theme", help="only this theme (or the start of its name, any case)")
    listing.add_argument("--search", metavar="TEXT", help="only indicators matching every word")
    listing.set_defaults(handler=_list)

    show = actions.add_parser("show", help="every field of one indicator")
    show.add_argument("id")
    show.set_defaults(handler=_show)

    validate = actions.add_parser("validate", help="check a catalogue CSV, listing every problem")
    validate.add_argument("path", nargs="?", help="the CSV or .xlsx to check (default: the catalogue in use)")
    validate.set_defaults(handler=_validate)

    export = actions.add_parser("export", help="write the catalogue as csv, xlsx or json")
    export.add_argument("--format", choices=("csv", "xlsx", "json"), default="csv")
    export.add_argument("--out", metavar="PATH", help="output file (default: catalogue.FORMAT)")
    export.set_defaults(handler=_export)


def _load(args):
    return load_catalogue(args.catalogue, extend=args.extend)


def _list(args) -> int:
    catalogue = _load(args)
    indicators = catalogue.by_theme(args.theme) if args.theme else catalogue.indicators
    if args.search:
        wanted = {i.id for i in catalogue.search(args.search)}
        indicators = [i for i in indicators if i.id in wanted]
    theme = None
    for indicator in indicators:
        if indicator.theme != theme:
            theme = indicator.theme
            print(f"# {theme}")
        print(f"{indicator.id:<42} {indicator.unit:<16} {indicator.short_name}")
    print(f"{len(indicators)} of {plural(len(catalogue), 'indicator')}", file=sys.stderr)
    return 0


def _show(args) -> int:
    record = _load(args).get(args.id).to_record()
    width = max(len(c) for c in CATALOGUE_COLUMNS)
    for column in CATALOGUE_COLUMNS:
        value = record[column]
        if not value:
            continue
        lines = textwrap.wrap(value, 88) or [""]
        print(f"{column:<{width}}  {lines[0]}")
        for line in lines[1:]:
            print(f"{'':<{width}}  {line}")
    return 0


def _validate(args) -> int:
    if args.path:
        problems = validate_catalogue(args.path)
        label = args.path
    else:
        try:
            catalogue = _load(args)
        except CatalogueError as error:  # its message lists every problem
            print(error)
            return 1
        print(f"{catalogue.source}: {plural(len(catalogue), 'indicator')}, no problems "
              f"(fingerprint {catalogue.fingerprint()[:12]})")
        return 0
    for problem in problems:
        print(problem)
    if problems:
        print(f"{label}: {plural(len(problems), 'problem')}", file=sys.stderr)
        return 1
    print(f"{label}: no problems")
    return 0


def _export(args) -> int:
    from generator.workbooks.catalogue_export import export_catalogue

    out = args.out or f"catalogue.{args.format}"
    if args.format == "xlsx":
        out = workbook_out(out)
    catalogue = _load(args)
    out = export_catalogue(catalogue, args.format, out)
    print(f"wrote {plural(len(catalogue), 'indicator')} to {out}")
    return 0

