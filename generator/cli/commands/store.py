"""`scorecard store ...`: look inside the collection store (history, changes, comparators),
accept a quarantined return, and list or confirm data-quality queries (generator.cli.queries)."""

from __future__ import annotations

from pathlib import Path

from generator.cli.options import add_return_filters, add_store_option
from generator.cli.queries import add_store_actions
from generator.collection.lookup import existing_store, find_authority
from generator.inputs import load_catalogue, read_table
from generator.words import plural
from scorecard.errors import ScorecardError
from scorecard.periods import parse_period
from scorecard.values import Missing, parse_value

COMPARATOR_COLUMNS = ("period", "indicator_id", "area", "value")


def register(subparsers) -> None:
    parser = subparsers.add_parser("store", help="inspect the collection store")
    sub = parser.add_subparsers(dest="store_command", metavar="ACTION", required=True)
    history = sub.add_parser("history", help="every return stored, with versions")
    add_return_filters(history)
    changes = sub.add_parser("changes", help="what a resubmission changed")
    changes.add_argument("authority", help="code or name")
    changes.add_argument("period", help="any spelling (2024-25 Q1, 2024/25 Q1 ...)")
    changes.add_argument("--old", type=int, help="version to compare from (default: previous)")
    changes.add_argument("--new", type=int, help="version to compare to (default: latest)")
    accept = sub.add_parser(
        "accept", help="accept a quarantined return: store it again as the current version",
        description="A return with a submission-level error (wrong authority or period on the "
                    "cover, or a second return for the same authority and period in one "
                    "collection) is stored quarantined: kept and listed, never current. "
                    "Accepting it stores it again, unchanged, as the next version, which is "
                    "current; the quarantined version is kept as it was.")
    accept.add_argument("authority", help="code or name")
    accept.add_argument("period", help="any spelling")
    accept.add_argument("version", type=int, help="the quarantined version (see history)")
    comparators = sub.add_parser(
        "comparators", help="load region/England values: CSV or .xlsx period,indicator_id,area,value",
        description="Load region and England values for the benchmark and store-built scorecards. "
                    "Every indicator id must be in the catalogue and every period a period; "
                    "missing values (n/a, [x], [c] ...) are reported, not loaded.")
    comparators.add_argument("csv", help="the CSV or .xlsx file of comparator values")
    comparators.add_argument("--catalogue", help="catalogue CSV or .xlsx the ids are checked against "
                                                 "(default: the built-in one)")
    for p in (history, changes, accept, comparators):
        add_store_option(p)
        p.set_defaults(handler=run)
    add_store_actions(sub)  # queries, confirm, check: data-quality queries (generator.cli.queries)


def run(args) -> int:
    period = parse_period(args.period).label if getattr(args, "period", None) else None
    with existing_store(args.store) as store:
        code = find_authority(store, args.authority).code if getattr(args, "authority", None) else None
        if args.store_command == "history":
            table = store.submissions(code, period)
            if table.empty:
                print("no returns stored")
            else:
                table["quarantine"] = table["quarantine"].replace("", "-")
                print(table[["authority", "period", "version", "collected_at", "n_errors",
                             "n_warnings", "quarantine", "file"]].to_string(index=False))
        elif args.store_command == "changes":
            rows = store.changes(code, period, args.old, args.new)
            if not rows:
                print("no changes")
            for row in rows:
                print(f"{row['indicator_id']} {row['field']} {row['change']}: "
                      f"{_cell(row, 'old')} -> {_cell(row, 'new')}")
        elif args.store_command == "accept":
            version = store.accept(code, period, args.version)
            print(f"{code} {period} version {args.version} accepted: stored as "
                  f"version {version}, now current")
        else:
            rows, skipped = comparator_rows(Path(args.csv), load_catalogue(args.catalogue))
            print(f"loaded {plural(store.add_comparators(rows), 'value')}")
            if skipped:
                print(f"not loaded: {plural(len(skipped), 'missing value')} ("
                      + "; ".join(skipped[:10]) + (" ..." if len(skipped) > 10 else "") + ")")
    return 0


def _cell(row: dict, side: str) -> str:
    """One side of a change: raw text, status, formula, version and cell."""
    if row[f"{side}_raw"] is None:
        return f"(none in v{row[f'{side}_version']})"
    formula = f", formula {row[f'{side}_formula']}" if row[f"{side}_formula"] else ""
    return (f"{row[f'{side}_raw']!r} [{row[f'{side}_status']}{formula}] "
            f"(v{row[f'{side}_version']} {row[f'{side}_sheet']}!{row[f'{side}_cell']})")


def comparator_rows(path: Path, catalogue) -> tuple[list[tuple[str, str, str, float]], list[str]]:
    """(period, indicator_id, area, value) rows to load, and the missing values not loaded.

    An unknown indicator id, a period that is not one, a blank area or a value that is neither a
    number nor a missing-value code stops the load, naming file, line and column; nothing is
    loaded until the whole file reads.
    """
    table = read_table(path, "comparators")
    table.require(COMPARATOR_COLUMNS, "comparators: period, indicator_id, area, value")
    rows, skipped = [], []
    for index, row in enumerate(table.records()):
        indicator_id, area = row["indicator_id"].strip(), row["area"].strip()
        try:
            period = parse_period(row["period"]).label
        except ScorecardError as error:
            raise ScorecardError(f"{table.where(index, 'period')}: {error}") from None
        if indicator_id not in catalogue:
            near = catalogue.near_ids(indicator_id)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise ScorecardError(f"{table.where(index, 'indicator_id')}: {indicator_id!r} is not in the "
                                 f"{catalogue.source} catalogue{hint}")
        if not area:
            raise ScorecardError(f"{table.where(index, 'area')}: blank; 'England' or a region name")
        try:
            value = parse_value(row["value"])
        except ScorecardError as error:
            raise ScorecardError(f"{table.where(index, 'value')}: {error}") from None
        if isinstance(value, Missing):
            skipped.append(f"{table.where(index, 'value')}: {row['value'].strip() or 'blank'} "
                           f"({value.reason})")
            continue
        rows.append((period, indicator_id, area, value))
    return rows, skipped
