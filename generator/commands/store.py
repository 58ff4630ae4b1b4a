"""`scorecard store ...`: look inside the collection store (history, changes, comparators)."""

from __future__ import annotations

import csv
from pathlib import Path

from generator.store import Store
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
    comparators = sub.add_parser(
        "comparators", help="load region/England values: CSV period,indicator_id,area,value")
    comparators.add_argument("csv")
    for p in (history, changes, comparators):
        p.add_argument("--store", default="scorecard-store.sqlite")
        p.set_defaults(handler=run)


def run(args) -> int:
    if not Path(args.store).exists():
        raise ScorecardError(f"no store at {args.store}")
    with Store(args.store) as store:
        if args.store_command == "history":
            table = store.submissions(args.authority, args.period)
            if table.empty:
                print("no returns stored")
            else:
                print(table[["authority", "period", "version", "collected_at", "n_errors",
                             "n_warnings", "file"]].to_string(index=False))
        elif args.store_command == "changes":
            rows = store.changes(args.authority, args.period, args.old, args.new)
            if not rows:
                print("no changes")
            for row in rows:
                print(f"{row['indicator_id']} {row['field']}: {row['old_raw']!r} "
                      f"(v{row['old_version']} {row['old_cell']}) -> {row['new_raw']!r} "
                      f"(v{row['new_version']} {row['new_cell']})")
        else:
            print(f"loaded {store.add_comparators(_comparators(Path(args.csv)))} value(s)")
    return 0


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
