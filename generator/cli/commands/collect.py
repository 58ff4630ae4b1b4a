"""`scorecard collect`: read many returns into the store, with an error report."""

from __future__ import annotations

import glob
from pathlib import Path

from generator.cli.options import STORE_HELP, add_store_option
from generator.cli.progress import Progress
from generator.cli.queries import check_collected, report_rows, summary_lines
from generator.collection.collect import collect
from generator.collection.error_report import write_error_report
from generator.collection.store import Store, load_authorities
from generator.inputs import load_catalogue
from generator.words import plural
from scorecard.errors import ScorecardError
from scorecard.periods import parse_period


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "collect", help="read filled returns into the store",
        description="Read, validate and store returns; write an error report (CSV and xlsx). "
                    "Then run the data-quality checks on every current return in the store and "
                    "add the open queries to the report (severity 'query').")
    parser.add_argument("files", nargs="+", help="returns (.xlsx); folders and globs allowed")
    add_store_option(parser, STORE_HELP + " (a shared hub's)")
    parser.add_argument("--period", help="the period being collected, in any spelling (others are flagged)")
    parser.add_argument("--authorities", help="CSV or .xlsx of authorities expected (others flagged)")
    parser.add_argument("--catalogue", help="a catalogue CSV or .xlsx (default: the built-in one)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes for reading")
    parser.add_argument("--report", default="collection-problems",
                        help="error report path prefix (.csv and .xlsx are added)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=run)


def _expand(items) -> list[Path]:
    """The files named: folders give the files in them, globs their matches. A path that is not
    there, a glob matching nothing, or a folder with no files is an error: nothing to collect is
    never '0 stored'."""
    paths = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("~$"))
            if not found:
                raise ScorecardError(f"{item}: the folder has no files to collect")
        elif any(ch in item for ch in "*?["):
            found = [Path(p) for p in sorted(glob.glob(item)) if Path(p).is_file()]
            if not found:
                raise ScorecardError(f"{item}: no files match")
        elif not path.exists():
            raise ScorecardError(f"{item}: no such file")
        else:
            found = [path]
        paths += found
    return paths


def run(args) -> int:
    period = parse_period(args.period).label if args.period else None
    paths = _expand(args.files)
    catalogue = load_catalogue(args.catalogue)
    authorities = load_authorities(args.authorities) if args.authorities else None
    with Store(args.store) as store:
        report = collect(paths, store, catalogue, expected_period=period,
                         authorities=authorities, jobs=args.jobs,
                         progress=None if args.quiet else Progress("collecting"))
        queries = check_collected(store, catalogue)  # data-quality queries on every return
        csv_path, xlsx_path = write_error_report(report.problems + report_rows(queries, store),
                                                 args.report)
        stored = sum(v is not None for v in report.versions.values())
        errors = sum(p["severity"] == "error" for p in report.problems)
        warnings = sum(p["severity"] == "warning" for p in report.problems)
        print(f"{plural(len(paths), 'file')}: {stored} stored, {len(report.refused)} refused; "
              f"{plural(errors, 'error')}, {plural(warnings, 'warning')}; report {csv_path} and {xlsx_path}")
        for result in report.refused:
            print(f"  refused {result.file}: {result.problems[0]['message']}")
        for result in report.results:
            if result.submission is not None and result.submission.quarantine \
                    and report.versions.get(result.file) is not None:
                print(f"  quarantined (stored, not current) {result.file}: "
                      f"{result.submission.quarantine}; see `scorecard store accept`")
        if authorities and period:
            missing = store.missing_returns(period)
            if missing:
                print(f"  no return yet from: {', '.join(a.code for a in missing)}")
        print("\n".join(summary_lines(queries)))
    return 1 if errors else 0
