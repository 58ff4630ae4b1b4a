"""`scorecard import lait` and `scorecard national ...`: DfE's published LAIT data in the store."""

from __future__ import annotations

import sys
from pathlib import Path

from generator.cli.options import STORE, add_store_option
from generator.cli.progress import Progress
from generator.words import plural
from generator.workbooks.book import DEFAULT_TITLE
from scorecard.errors import ScorecardError
from scorecard.periods import lenient_label

STORE_FILE_HELP = f"the store file (default {STORE})"  # an SQLite file: national data is not kept in PostgreSQL


def register(subparsers) -> None:
    importer = subparsers.add_parser(
        "import", help="import published data into the store (DfE's LAIT)",
        description="Import published national data into the store, next to the collected returns.")
    sources = importer.add_subparsers(dest="import_source", metavar="SOURCE", required=True)
    lait = sources.add_parser(
        "lait", help="LAIT's long data (CSV or parquet), data dictionary, authority list and "
                     "statistical-neighbour editions",
        description="Import LAIT's published files, in any order and mix: the long data "
                    "(bds_long_0.parquet or the same as CSV), the data dictionary "
                    "(lait_data_dictionary.csv), the authority list (la_code_list.xlsx) and "
                    "statistical-neighbour editions (sn_may_2025.xlsx ...). All the files of one "
                    "command go in one transaction: a bad file names its row and leaves the store "
                    "as it was. A file imported before changes nothing; a newer one supersedes the "
                    "older one's figures and keeps them as history. Parquet needs pyarrow "
                    "(pip install 'scorecard[parquet]').")
    lait.add_argument("paths", nargs="+", metavar="PATH", help="LAIT files (.parquet, .csv, .xlsx)")
    add_store_option(lait, STORE_FILE_HELP)
    lait.add_argument("--edition", help="the statistical-neighbour edition of the one SN file given, when its "
                                        "name does not say ('May 2025')")
    lait.set_defaults(handler=run_import)

    national = subparsers.add_parser("national", help="look at the national data in the store",
                                     description="The national (LAIT) data imported into the store.")
    actions = national.add_subparsers(dest="national_command", metavar="ACTION", required=True)
    summary = actions.add_parser("summary", help="what is imported: files, measures, areas, editions")
    editions = actions.add_parser(
        "editions", help="statistical-neighbour editions, and which report period uses which",
        description="Each report period is built with one statistical-neighbour edition: the latest "
                    "when it is first built, then the same one every time (so an old scorecard "
                    "rebuilt gives the same neighbours' average). `pin` changes it.")
    pin = actions.add_parser("pin", help="use a statistical-neighbour edition for a report period")
    pin.add_argument("period", help="the report period, as built (2024)")
    pin.add_argument("edition", help="the edition ('May 2025')")
    history = actions.add_parser("history", help="every imported figure for one measure, period and area")
    history.add_argument("measure", help="LAIT measure code (ReReferral)")
    history.add_argument("period", help="period label as LAIT publishes it (2024)")
    history.add_argument("area", help="the authority (name or LA number), a region or England")
    catalogue = actions.add_parser(
        "catalogue", help="write LAIT's measures as an extension catalogue CSV",
        description="Write the imported data dictionary's measures as a catalogue CSV, one row per "
                    "measure code (ids lait-...), for `--catalogue` or load_catalogue(extend=...). "
                    "The same file for the dictionary published with Scorecard ships as "
                    "scorecard/data/lait_catalogue.csv.")
    catalogue.add_argument("--out", required=True, help="the CSV to write")
    for parser in (summary, editions, pin, history, catalogue):
        add_store_option(parser, STORE_FILE_HELP)
        parser.set_defaults(handler=run_national)
    scorecard = actions.add_parser(
        "scorecard", help="an authority's scorecard from the national figures (or every authority's)",
        description="A scorecard from DfE's published figures alone: for each catalogue indicator with a "
                    "LAIT measure (catalogue column lait_code), the authority's figure over the last five "
                    "years, its statistical neighbours' average, region and England, quartile band and "
                    "rank. --authority all writes every current authority's scorecard into the --out "
                    "folder, on every core.")
    pack = actions.add_parser(
        "benchmark", help="an authority's LAIT-style benchmark pack (or every authority's)",
        description="A benchmark workbook for any authority in England, laid out like LAIT: the "
                    "authority against its statistical neighbours, region and England over the recent "
                    "years, with trend, quartile band, rank and a chart per measure; print-ready. "
                    "--authority all writes every current authority's pack into the --out folder.")
    for parser in (scorecard, pack):
        parser.add_argument("--authority", required=True, help="the authority (its name or LA number), or 'all'")
        parser.add_argument("--out", required=True, help="the .xlsx file to write (with --authority all: a folder)")
        add_store_option(parser, STORE_FILE_HELP)
        parser.add_argument("--period", help="the latest year to show (default: most measures' latest)")
        parser.add_argument("--sn-edition", help="statistical-neighbour edition ('May 2025'); default: the one "
                                                 "the year was built with before, else the latest")
        parser.add_argument("--catalogue", help="catalogue CSV or .xlsx: its indicators with a lait_code are shown "
                                                "(default: the built-in catalogue)")
        parser.add_argument("--jobs", type=int, help="with --authority all: processes (default: every core)")
    scorecard.add_argument("--title", default=DEFAULT_TITLE)
    scorecard.add_argument("--contact", default="")
    scorecard.add_argument("--publish", action="store_true", help="write the values-only version for release")
    scorecard.set_defaults(handler=run_scorecard)
    pack.set_defaults(handler=run_pack)


def run_import(args) -> int:
    from generator.national.importer import import_lait

    progress = Progress("read")
    report = import_lait(args.paths, args.store, edition=args.edition, progress=progress)
    for line in report.lines():
        print(line)
    print(f"imported into {args.store} in {report.seconds:.1f} s")
    return 0


def run_national(args) -> int:
    from generator.national.store import NationalStore

    with NationalStore(args.store, create=False) as national:
        if args.national_command == "summary":
            for name, count in national.counts().items():
                print(f"{name:>15}: {count:,}")
            files = national.files()
            if not files.empty:
                print(files[["id", "kind", "file", "rows", "edition", "imported_at"]].to_string(index=False))
        elif args.national_command == "editions":
            _editions(national)
        elif args.national_command == "pin":
            from generator.national.comparators import choose_edition

            edition = choose_edition(national, args.period, args.edition)
            print(f"report period {lenient_label(args.period)} uses the {edition} statistical neighbours")
        elif args.national_command == "history":
            _history(national, args)
        else:
            from generator.national.catalogue import write_lait_catalogue

            measures = national.measures()
            if measures.empty:
                raise ScorecardError(f"{args.store}: no data dictionary imported yet")
            print(f"wrote {write_lait_catalogue(measures, args.out)} ({plural(len(measures), 'measure')})")
    return 0


def run_scorecard(args) -> int:
    from generator.national.scorecards import load_national_data, scorecard_writer
    from generator.workbooks.publish import publish_scorecard
    from generator.workbooks.scorecard import build_scorecard

    context = _context(args)
    options = {"title": args.title, "contact": args.contact}
    if _every(args):
        return _batch(args, context, scorecard_writer(args.publish, **options), "scorecard")
    data = load_national_data(context, args.authority)
    path = (publish_scorecard if args.publish else build_scorecard)(data, _workbook(args.out), **options)
    print(f"wrote {path} ({plural(len(data.measures), 'measure')}, {context.period}, {context.edition} "
          "statistical neighbours)")
    return 0


def run_pack(args) -> int:
    from generator.national.packs import pack_writer

    context, write = _context(args), pack_writer()
    if _every(args):
        return _batch(args, context, write, "benchmark pack")
    area = context.authority(args.authority)
    path = write(context, area, _workbook(args.out))
    print(f"wrote {path} ({area.name}, {context.period}, {context.edition} statistical neighbours)")
    return 0


def _context(args):
    from generator.inputs import load_catalogue
    from generator.national.scorecards import NationalContext

    catalogue = load_catalogue(args.catalogue)
    return NationalContext.open(args.store, catalogue, period=args.period, edition=args.sn_edition)


def _every(args) -> bool:
    return args.authority.strip().lower() == "all"


def _workbook(out: str) -> Path:
    from generator.inputs import workbook_out

    return workbook_out(out)


def _batch(args, context, write, noun: str) -> int:
    from generator.national.batch import build_every_authority

    paths, problems = build_every_authority(context, args.out, write, jobs=args.jobs, progress=Progress("build"))
    for problem in problems:
        print(f"not built: {problem}", file=sys.stderr)
    print(f"wrote {plural(len(paths), noun)} for {context.period} ({context.edition} statistical neighbours) "
          f"into {args.out}")
    return 0 if paths else 2


def _editions(national) -> None:
    editions = national.editions()
    if editions.empty:
        print("no statistical-neighbour editions imported")
        return
    print(editions[["edition", "published", "file", "imported_at"]].to_string(index=False))
    pins = national.pins()
    for period, edition in sorted(pins.items()):
        print(f"report period {period}: {edition}")
    if not pins:
        print("no report period built yet: the latest edition is used, then kept")


def _history(national, args) -> None:
    from generator.national.areas import area_code

    code = area_code(national.areas(), args.area)
    table = national.history(args.measure, args.period, code)
    if table.empty:
        print(f"no figure for {args.measure} {args.period} area {code}", file=sys.stderr)
        return
    table["current"] = table["current"].map({1: "current", 0: "superseded"})
    print(table.to_string(index=False))
