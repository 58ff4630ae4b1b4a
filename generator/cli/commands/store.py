"""`scorecard store ...`: look inside the collection store (history, changes, comparators) and
accept a quarantined return."""

from __future__ import annotations

import csv
from pathlib import Path

from generator.collection.dialect import is_postgres
from generator.collection.store import Store
from scorecard.errors import ScorecardError
from scorecard.values import Missing, parse_value


def register(subparsers) -> None:
    parser = subparsers.add_parser("store", help="inspect the collection store")
    sub = parser.add_subparsers(dest="store_command", metavar="ACTION", required=True)
    history = sub.add_parser("history", help="every return stored, with versions")
    history.add_argument("--authority")
    history.add_argument("--period")
    changes = sub.add_parser("changes", help="what a resubmission changed")
    changes.add_argument("authority")
    changes.add_argument("period")
    changes.add_argument("--old", type=int, help="version to compare from (default: previous)")
    changes.add_argument("--new", type=int, help="version to compare to (default: latest)")
    accept = sub.add_parser(
        "accept", help="accept a quarantined return: store it again as the current version",
        description="A return with a submission-level error (wrong authority or period on the "
                    "cover, or a second return for the same authority and period in one "
                    "collection) is stored quarantined: kept and listed, never current. "
                    "Accepting it stores it again, unchanged, as the next version, which is "
                    "current; the quarantined version is kept as it was.")
    accept.add_argument("authority")
    accept.add_argument("period")
    accept.add_argument("version", type=int, help="the quarantined version (see history)")
    comparators = sub.add_parser(
        "comparators", help="load region/England values: CSV period,indicator_id,area,value")
    comparators.add_argument("csv")
    for p in (history, changes, accept, comparators):
        p.add_argument("--store", default="scorecard-store.sqlite",
                       help="the store: an SQLite file or a postgresql:// URL")
        p.set_defaults(handler=run)


def run(args) -> int:
    if not is_postgres(args.store) and not Path(args.store).exists():
        raise ScorecardError(f"no store at {args.store}")
    with Store(args.store) as store:
        if args.store_command == "history":
            table = store.submissions(args.authority, args.period)
            if table.empty:
                print("no returns stored")
            else:
                table["quarantine"] = table["quarantine"].replace("", "-")
                print(table[["authority", "period", "version", "collected_at", "n_errors",
                             "n_warnings", "quarantine", "file"]].to_string(index=False))
        elif args.store_command == "changes":
            rows = store.changes(args.authority, args.period, args.old, args.new)
            if not rows:
                print("no changes")
            for row in rows:
                print(f"{row['indicator_id']} {row['field']} {row['change']}: "
                      f"{_cell(row, 'old')} -> {_cell(row, 'new')}")
        elif args.store_command == "accept":
            version = store.accept(args.authority, args.period, args.version)
            print(f"{args.authority} {args.period} version {args.version} accepted: stored as "
                  f"version {version}, now current")
        else:
            print(f"loaded {store.add_comparators(_comparators(Path(args.csv)))} value(s)")
    return 0


def _cell(row: dict, side: str) -> str:
    """One side of a change: raw text, status, formula, version and cell."""
    if row[f"{side}_raw"] is None:
        return f"(none in v{row[f'{side}_version']})"
    formula = f", formula {row[f'{side}_formula']}" if row[f"{side}_formula"] else ""
    return (f"{row[f'{side}_raw']!r} [{row[f'{side}_status']}{formula}] "
            f"(v{row[f'{side}_version']} {row[f'{side}_sheet']}!{row[f'{side}_cell']})")


def _comparators(path: Path):
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        need = {"period", "indicator_id", "area", "value"}
        if not need <= set(reader.fieldnames or ()):
            raise ScorecardError(f"{path}: needs columns {', '.join(sorted(need))}")
        for line, row in enumerate(reader, start=2):
            try:
                value = parse_value(row["value"])
            except ScorecardError as error:
                raise ScorecardError(f"{path}, row {line}, field value: {error}") from None
            yield (row["period"].strip(), row["indicator_id"].strip(), row["area"].strip(),
                   None if isinstance(value, Missing) else value)
