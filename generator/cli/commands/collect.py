"""`scorecard collect`: read many returns into the store, with an error report."""

from __future__ import annotations

import glob
from pathlib import Path

from generator.cli.progress import Progress
from generator.collection.collect import collect
from generator.collection.error_report import write_error_report
from generator.collection.store import Store, load_authorities
from generator.collection.xlsx import BACKENDS
from scorecard.catalogue import load_catalogue


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "collect", help="read filled returns into the store",
        description="Read, validate and store returns; write an error report (CSV and xlsx).")
    parser.add_argument("files", nargs="+", help="returns (.xlsx); folders and globs allowed")
    parser.add_argument("--store", default="scorecard-store.sqlite",
                        help="the store: an SQLite file or a postgresql:// URL (a shared hub's)")
    parser.add_argument("--period", help="the period being collected (others are flagged)")
    parser.add_argument("--authorities", help="CSV of authorities expected (others flagged)")
    parser.add_argument("--catalogue", help="a catalogue CSV (default: the built-in one)")
    parser.add_argument("--reader", choices=sorted(BACKENDS), default="calamine")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes for reading")
    parser.add_argument("--report", default="collection-problems",
                        help="error report path prefix (.csv and .xlsx are added)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=run)


def _expand(items) -> list[Path]:
    paths = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            paths += sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("~$"))
        elif any(ch in item for ch in "*?["):
            paths += [Path(p) for p in sorted(glob.glob(item))]
        else:
            paths.append(path)
    return paths


def run(args) -> int:
    catalogue = load_catalogue(args.catalogue)
    authorities = load_authorities(args.authorities) if args.authorities else None
    paths = _expand(args.files)
    with Store(args.store) as store:
        report = collect(paths, store, catalogue, expected_period=args.period,
                         authorities=authorities, backend=args.reader, jobs=args.jobs,
                         progress=None if args.quiet else Progress("collecting"))
        csv_path, xlsx_path = write_error_report(report.problems, args.report)
        stored = sum(v is not None for v in report.versions.values())
        errors = sum(p["severity"] == "error" for p in report.problems)
        warnings = sum(p["severity"] == "warning" for p in report.problems)
        print(f"{len(paths)} file(s): {stored} stored, {len(report.refused)} refused; "
              f"{errors} error(s), {warnings} warning(s); report {csv_path} and {xlsx_path}")
        for result in report.refused:
            print(f"  refused {result.file}: {result.problems[0]['message']}")
        for result in report.results:
            if result.submission is not None and result.submission.quarantine \
                    and report.versions.get(result.file) is not None:
                print(f"  quarantined (stored, not current) {result.file}: "
                      f"{result.submission.quarantine}; see `scorecard store accept`")
        if authorities and args.period:
            missing = store.missing_returns(args.period)
            if missing:
                print(f"  no return yet from: {', '.join(a.code for a in missing)}")
    return 1 if errors else 0
