"""Data-quality queries in the collection store: the `queries` table and the Store's methods
for it (a mixin of `generator.collection.store.Store`; the checks that raise queries are in
`generator.collection.quality`).

A query belongs to the return (submission) it was raised on and follows a figure across
versions while the figure stays the same:

- `add_queries(submission_id, queries)` stores what the checks raised on the current version
  of a return and settles the queries already held for that authority and period. A query
  raised again with the same value carries on (moved to the new version, its status and
  comment kept, so a confirmation is not asked for twice); an open query whose figure a
  resubmission changed becomes *corrected*; an open query the checks no longer raise with the
  figure unchanged (the region's funnel moved as more returns came in) is *withdrawn*. So no
  open query is left on a superseded version.
- `answer_query(id, 'confirmed', comment, by)` records the authority's answer (a comment is
  required); `answer_query(id, 'open', comment, by)` reopens a confirmed query (the hub lead
  is not satisfied). *corrected* is never set by hand: a corrected return is the answer.

Table (portable SQL: no SQLite-only types or functions):
    queries(id, submission_id, authority, period, indicator_id, field, check_code, message,
            sheet, cell, value, detail, status, comment, answered_by, answered_at, raised_at)
    status: open | confirmed | corrected | withdrawn; detail: JSON of the comparison.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace

import pandas as pd

from scorecard.errors import ScorecardError
from scorecard.periods import lenient_label

QUERY_SCHEMA = """
CREATE TABLE IF NOT EXISTS queries(
    id INTEGER PRIMARY KEY, submission_id INTEGER NOT NULL REFERENCES submissions(id),
    authority TEXT NOT NULL, period TEXT NOT NULL, indicator_id TEXT NOT NULL DEFAULT '',
    field TEXT NOT NULL DEFAULT '', check_code TEXT NOT NULL, message TEXT NOT NULL,
    sheet TEXT NOT NULL DEFAULT '', cell TEXT NOT NULL DEFAULT '',
    value TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'confirmed', 'corrected', 'withdrawn')),
    comment TEXT NOT NULL DEFAULT '', answered_by TEXT NOT NULL DEFAULT '',
    answered_at TEXT NOT NULL DEFAULT '', raised_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS queries_by_return ON queries(authority, period, status);
"""
QUERY_STATUSES = ("open", "confirmed", "corrected", "withdrawn")
LIVE = ("open", "confirmed")  # a query still about the figure as it stands
RESUBMISSION = "resubmission"  # answered_by when a new version settles a query
_COLUMNS = ("submission_id", "authority", "period", "indicator_id", "field", "check_code",
            "message", "sheet", "cell", "value", "detail", "status", "comment", "answered_by",
            "answered_at", "raised_at")


@dataclass(frozen=True)
class Query:
    """One data-quality query on a return: what was checked, where, the value, the comparison
    (`detail`: previous value, funnel limits ...) and what the authority should check.

    `value` is the figure as text (as stored).
    """

    authority: str
    period: str
    indicator_id: str
    field: str
    check_code: str
    message: str
    sheet: str = ""
    cell: str = ""
    value: str = ""
    detail: Mapping = field(default_factory=dict)
    status: str = "open"
    comment: str = ""
    answered_by: str = ""
    answered_at: str = ""
    raised_at: str = ""
    submission_id: int | None = None
    id: int | None = None

    @property
    def confirmable(self) -> bool:
        """False when the only answer is a corrected return (detail carries must_correct)."""
        return not self.detail.get("must_correct")

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """What makes two queries the same question: authority, period, indicator, field, check."""
        return (self.authority, self.period, self.indicator_id, self.field, self.check_code)

    def as_dict(self) -> dict:
        """Every field as a dict (for JSON, a web page or a DataFrame row)."""
        return asdict(self)


class QueryMethods:
    """Store methods for data-quality queries (Store mixes this in; `self.db` is its connection)."""

    def add_queries(self, submission_id: int, queries: Sequence[Query],
                    raised_at: str | None = None) -> list[Query]:
        """Store the queries the checks raised on a return (its current version) and settle
        those already held for its authority and period (see the module docstring). Returns the
        queries as stored, with ids and statuses (a carried-over confirmation stays confirmed)."""
        submission = self.db.execute("SELECT * FROM submissions WHERE id=?",
                                     (submission_id,)).fetchone()
        if submission is None:
            raise ScorecardError(f"no submission {submission_id} in the store")
        authority, period, version = (submission["authority"], submission["period"],
                                      submission["version"])
        for query in queries:
            if (query.authority, query.period) != (authority, period):
                raise ScorecardError(f"a query for {query.authority} {query.period} cannot be "
                                     f"added to submission {submission_id} ({authority} {period})")
        when = raised_at or _now()
        fresh = {q.key: q for q in queries}
        stored: dict[tuple, Query] = {}
        changed: dict[int, set[str]] = {}
        with self._write_transaction():
            # read under the write lock: two collects checking one return at once must not
            # both find no query held and both add it
            live = self.db.execute(
                "SELECT q.*, s.version FROM queries q JOIN submissions s ON s.id = q.submission_id "
                "WHERE q.authority=? AND q.period=? AND q.status IN (?, ?) ORDER BY q.id",
                (authority, period, *LIVE)).fetchall()
            for row in live:
                key = (authority, period, row["indicator_id"], row["field"], row["check_code"])
                query = fresh.get(key)
                if query is not None and query.value == row["value"] and key not in stored:
                    update = (submission_id, query.message, query.sheet, query.cell,
                              _json(query.detail))
                    if update != tuple(row[c] for c in ("submission_id", "message", "sheet",
                                                        "cell", "detail")):
                        self.db.execute("UPDATE queries SET submission_id=?, message=?, sheet=?, "
                                        "cell=?, detail=? WHERE id=?", (*update, row["id"]))
                    stored[key] = replace(query, id=row["id"], submission_id=submission_id,
                                          status=row["status"], comment=row["comment"],
                                          answered_by=row["answered_by"],
                                          answered_at=row["answered_at"],
                                          raised_at=row["raised_at"])
                elif row["status"] == "open":
                    if row["submission_id"] != submission_id and (
                            query is not None or self._figure_changed(row, version, changed)):
                        status, comment = "corrected", (
                            f"version {version} changed the figure (was {row['value'] or 'blank'})")
                    else:
                        status, comment = "withdrawn", (
                            f"no longer raised on version {version}: nothing to answer")
                    self.db.execute(
                        "UPDATE queries SET status=?, comment=?, answered_by=?, answered_at=? "
                        "WHERE id=?", (status, comment, RESUBMISSION, when, row["id"]))
            for key, query in fresh.items():
                if key in stored:
                    continue
                record = replace(query, submission_id=submission_id, status="open", comment="",
                                 answered_by="", answered_at="", raised_at=when)
                values = {**asdict(record), "detail": _json(record.detail)}
                cursor = self.db.execute(
                    f"INSERT INTO queries({', '.join(_COLUMNS)}) VALUES "
                    f"({', '.join('?' * len(_COLUMNS))}) RETURNING id", [values[c] for c in _COLUMNS])
                stored[key] = replace(record, id=cursor.fetchone()[0])
        return [stored[q.key] for q in queries]

    def _figure_changed(self, row, version: int, cache: dict[int, set[str]]) -> bool:
        """Did the version `version` change what an older query was about? For a query on an
        indicator: any of its cells; for a query on the whole return: the catalogue it came from."""
        if not row["indicator_id"]:
            fingerprints = self.db.execute(
                "SELECT version, catalogue_fingerprint FROM submissions WHERE authority=? AND "
                "period=? AND version IN (?, ?)", (row["authority"], row["period"],
                                                   row["version"], version)).fetchall()
            return len({r["catalogue_fingerprint"] for r in fingerprints}) > 1
        if row["version"] not in cache:
            cache[row["version"]] = {c["indicator_id"] for c in self.changes(
                row["authority"], row["period"], old=row["version"], new=version)}
        return row["indicator_id"] in cache[row["version"]]

    def queries(self, authority: str | None = None, period: str | None = None,
                status: str | None = None) -> pd.DataFrame:
        """Queries (every column of the table, plus the version of the return each is on), oldest
        first; filtered by authority, period (any spelling) and status when given."""
        if status is not None and status not in QUERY_STATUSES:
            raise ScorecardError(f"unknown query status {status!r}; choose from "
                                 f"{', '.join(QUERY_STATUSES)}")
        sql = ("SELECT q.*, s.version FROM queries q JOIN submissions s ON s.id = q.submission_id "
               "WHERE 1=1")
        args: list = []
        period = lenient_label(period) if period else period
        for column, value in (("authority", authority), ("period", period), ("status", status)):
            if value:
                sql, args = sql + f" AND q.{column}=?", [*args, value]
        return self._frame(sql + " ORDER BY q.id", args)

    def query(self, query_id: int) -> Query:
        """One stored query by its id."""
        row = self.db.execute("SELECT * FROM queries WHERE id=?", (int(query_id),)).fetchone()
        if row is None:
            raise ScorecardError(f"no query {query_id} in the store")
        values = {c: row[c] for c in _COLUMNS}
        return Query(**{**values, "detail": json.loads(values["detail"] or "{}")}, id=row["id"])

    def answer_query(self, query_id: int, status: str, comment: str, by: str,
                     answered_at: str | None = None) -> Query:
        """Answer a query: 'confirmed' (the figure is right; say why in `comment`) on an open
        query, or 'open' (reopen a confirmed one, saying why). A query is *corrected* only by a
        resubmission that changes the figure."""
        current = self.query(query_id)
        comment, by = (comment or "").strip(), (by or "").strip()
        if status == "corrected":
            raise ScorecardError(f"query {query_id}: 'corrected' is set when a resubmitted return "
                                 "changes the figure; send the corrected return instead")
        if status not in ("confirmed", "open"):
            raise ScorecardError(f"query {query_id}: answer 'confirmed' (or 'open' to reopen), "
                                 f"not {status!r}")
        if not comment:
            raise ScorecardError(f"query {query_id}: a comment is required saying why")
        if not by:
            raise ScorecardError(f"query {query_id}: say who is answering")
        needed = "open" if status == "confirmed" else "confirmed"
        if current.status != needed:
            raise ScorecardError(f"query {query_id} is {current.status}: only an {needed} query "
                                 f"can be {'confirmed' if status == 'confirmed' else 'reopened'}")
        if status == "confirmed" and not current.confirmable:
            raise ScorecardError(f"query {query_id}: {current.message} This cannot be confirmed; "
                                 "send a corrected return")
        with self._write_transaction():
            self.db.execute("UPDATE queries SET status=?, comment=?, answered_by=?, answered_at=? "
                            "WHERE id=?", (status, comment, by, answered_at or _now(), current.id))
        return self.query(current.id)

    def query_counts(self, period: str | None = None) -> pd.DataFrame:
        """Queries per authority (and period) by status: what the hub lead's dashboard shows.
        Columns: authority, period, open, confirmed, corrected, withdrawn."""
        sql, args = "SELECT authority, period, status, COUNT(*) AS n FROM queries", []
        if period:
            sql, args = sql + " WHERE period=?", [lenient_label(period)]
        rows = self._frame(sql + " GROUP BY authority, period, status", args)
        table = rows.pivot_table(index=["authority", "period"], columns="status", values="n",
                                 fill_value=0, aggfunc="sum")
        table = table.reindex(columns=list(QUERY_STATUSES), fill_value=0).reset_index()
        table.columns.name = None
        return table.astype({s: int for s in QUERY_STATUSES})


def _json(detail: Mapping) -> str:
    return json.dumps(dict(detail), sort_keys=True, default=str)


def _now() -> str:
    """Now, in UTC to the second: when a return was collected or a query raised or answered, if
    the caller gives no time."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
