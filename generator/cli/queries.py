"""Data-quality queries on the command line: `scorecard store queries`, `store confirm` and
`store check` (registered by the `store` command), and what `scorecard collect` prints and reports
after it runs the checks (generator.collection.quality)."""

from __future__ import annotations

import getpass
from collections import Counter

from generator.cli.options import add_return_filters, add_store_option
from generator.collection.lookup import existing_store, find_authority
from generator.collection.quality import CHECKS, check_returns, current_returns
from generator.collection.query_store import QUERY_STATUSES, Query
from generator.inputs import load_catalogue
from generator.words import plural
from scorecard.periods import parse_period


def add_store_actions(sub) -> None:
    """Add `queries`, `confirm` and `check` to the `scorecard store` sub-commands."""
    listing = sub.add_parser(
        "queries", help="data-quality queries raised on returns (collect raises them)",
        description="List the data-quality queries on stored returns (moved, "
                    "numerator_over_denominator, outside_funnel, series_break; see "
                    "docs/collection.md), then the number open per authority and period.")
    add_return_filters(listing)
    listing.add_argument("--status", choices=QUERY_STATUSES)
    confirm = sub.add_parser(
        "confirm", help="confirm a query: the figure is right, and the comment says why",
        description="Confirm an open query (the figure is right); a comment saying why is "
                    "required. A query is corrected by collecting a corrected return, not here.")
    confirm.add_argument("query_id", type=int, help="the query's number as listed (#12 is 12)")
    confirm.add_argument("--comment", required=True, help="why the figure is right")
    confirm.add_argument("--by", help="who confirms (default: your user name)")
    check = sub.add_parser(
        "check", help="run the data-quality checks again on the current returns",
        description="Run the data-quality checks on every current return (or one authority's, "
                    "or one period's) and settle the queries, as collect does: useful after "
                    "`store accept` or a new authority list.")
    add_return_filters(check)
    check.add_argument("--catalogue", help="catalogue CSV or .xlsx (default: the built-in one)")
    for parser, handler in ((listing, _list), (confirm, _confirm), (check, _check)):
        add_store_option(parser)
        parser.set_defaults(handler=handler)


def _list(args) -> int:
    with existing_store(args.store) as store:
        authority, period = _return(store, args)
        table = store.queries(authority, period, args.status)
        if table.empty:
            print("no queries")
            return 0
        for row in table.to_dict("records"):
            where = f"{row['sheet']}!{row['cell']}" if row["cell"] else row["sheet"] or "-"
            print(f"#{row['id']} {row['status']} {row['authority']} {row['period']} "
                  f"v{row['version']} {row['check_code']} {where}: {row['message']}")
            if row["comment"]:
                print(f"    {row['status']} by {row['answered_by']} at {row['answered_at']}: "
                      f"{row['comment']}")
        counts = store.query_counts(period)
        counts = counts[counts["open"] > 0]
        if authority:
            counts = counts[counts["authority"] == authority]
        for row in counts.to_dict("records"):
            print(f"open: {row['authority']} {row['period']}: {row['open']}")
    return 0


def _confirm(args) -> int:
    with existing_store(args.store) as store:
        query = store.answer_query(args.query_id, "confirmed", args.comment, args.by or _user())
        print(f"query {query.id} ({query.authority} {query.period} {query.check_code}) confirmed "
              f"by {query.answered_by}: {query.comment}")
    return 0


def _check(args) -> int:
    with existing_store(args.store) as store:
        queries = check_collected(store, load_catalogue(args.catalogue), *_return(store, args))
        print("\n".join(summary_lines(queries)))
    return 0


def check_collected(store, catalogue, authority: str | None = None,
                    period: str | None = None) -> list[Query]:
    """Run the checks on every current return in the store (or one authority's or period's);
    the open queries, sorted by authority and period."""
    found = check_returns(store, catalogue, current_returns(store, authority, period))
    return [q for key in sorted(found) for q in found[key] if q.status == "open"]


def summary_lines(queries: list[Query]) -> list[str]:
    """What `collect` prints: the open queries by check, then per return."""
    if not queries:
        return ["data-quality queries: none open"]
    by_check = Counter(q.check_code for q in queries)
    returns = Counter((q.authority, q.period) for q in queries)
    lines = [f"data-quality queries: {len(queries)} open on {plural(len(returns), 'return')} ("
             + ", ".join(f"{code} {by_check[code]}" for code in CHECKS if by_check[code])
             + "); list them with `scorecard store queries --status open`"]
    for (authority, period), count in sorted(returns.items()):
        lines.append(f"  {authority} {period}: {count} open")
    return lines


def report_rows(queries: list[Query], store) -> list[dict]:
    """Open queries as rows of the collection report (severity 'query'), each naming its file."""
    submissions = store.submissions()  # once: another collect may store returns meanwhile
    files = dict(zip(submissions["id"], submissions["file"], strict=True))
    return [{"file": files.get(q.submission_id, ""), "sheet": q.sheet, "cell": q.cell,
             "indicator_id": q.indicator_id, "field": q.field, "code": q.check_code,
             "severity": "query", "message": f"query {q.id}: {q.message}", "raw": q.value}
            for q in queries]


def _return(store, args) -> tuple[str | None, str | None]:
    """--authority (code or name) and --period (any spelling) as the store holds them."""
    authority = find_authority(store, args.authority).code if args.authority else None
    return authority, parse_period(args.period).label if args.period else None


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
