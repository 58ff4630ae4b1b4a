"""The collection store: an embedded SQLite file (no server), or a PostgreSQL database when
shared (the regional hub), holding every collected value. generator.collection.dialect opens
either; the SQL here is written once for both.

Nothing is overwritten: each return read for an authority and period becomes a new
*submission* with the next version number, and every cell it held is kept (number, the raw
text as typed, missing-value code and reason, formula, file, sheet, cell, time collected).
"Current" means the latest version that is not quarantined: a return with a submission-level
error (wrong authority or period, or a second return for the same authority and period in one
collection) is stored with the reason in `quarantine` and is never current until `accept()`
stores it again as a new, usable version. `changes()` says what a resubmission changed;
`values_for()` gives a scorecard its data, trends and comparators.

Periods are stored under their canonical label (scorecard.periods: '2024/25 Q1' is stored as
'2024-25 Q1') and every method that takes a period reads it in any spelling. A store written
before that is normalised once, when it is opened (`_normalise_periods`): labels are rewritten to
the canonical one; where one authority had returns under two spellings of one period, its
versions are renumbered in the order they were stored; comparators loaded under two spellings
keep one value. A label that is not a period is left as it was and matches only itself.

Which version is current: the order of submission. Versions are numbered in the order the
returns were stored, and the current one is the highest version not quarantined. A file
already stored for its authority and period, under any version, is recognised by its bytes
(SHA-256) and never stored again, so collecting a folder a second time cannot make an older
return current again. (Inside one run of `collect`, two new returns for one authority and
period are stored in the order their workbooks were saved; see collect.py.)

Several processes may write to one store at once: every write is one transaction taken with
the write lock held from its start (`_write_transaction`: SQLite's `BEGIN IMMEDIATE`, a
PostgreSQL advisory lock; see dialect.write_lock), waiting while another process writes, so a
version number is read and used under the same lock, a return is stored whole or not at all
(also when the process is killed), and creating the schema cannot race.

Schema (see docs/collection.md):
    authorities(code, name, region, neighbours)        neighbours: ';'-separated codes
    submissions(id, authority, period, version, file, file_sha256, collected_at,
                template_version, catalogue_fingerprint, dataset, n_errors, n_warnings,
                quarantine)                       quarantine: why not current ('' if usable)
    cells(submission_id, authority, period, indicator_id, field, number, text, raw,
          missing_code, missing_reason, formula, status, file, sheet, cell, collected_at)
    problems(submission_id, file, sheet, cell, indicator_id, field, code, severity, message,
             raw, collected_at)
    comparators(period, indicator_id, area, value)     area: 'England' or a region name
    views current_submissions, current_cells
    queries(...)                   data-quality queries: generator.collection.query_store
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from generator.collection.dialect import (
    columns,
    connect,
    database_errors,
    is_postgres,
    relations,
    shown,
    statements,
    write_lock,
)
from generator.collection.layout import INPUT_FIELDS
from generator.collection.query_store import QUERY_SCHEMA, QueryMethods, _now
from scorecard.benchmarking import NO_BAND, quartile_bands, ranks
from scorecard.errors import ScorecardError
from scorecard.periods import lenient_label, order_periods
from scorecard.rates import percentage, rate
from scorecard.vocab import RATE_UNITS

SCHEMA_VERSION = "3"
BUSY_SECONDS = 60.0  # how long one attempt waits for another process's write to finish
BUSY_ATTEMPTS = 10  # attempts before a write gives up (the store stays as it was)
ENGLAND = "England"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS store_info(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS authorities(
    code TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', region TEXT NOT NULL DEFAULT '',
    neighbours TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS submissions(
    id INTEGER PRIMARY KEY, authority TEXT NOT NULL, period TEXT NOT NULL,
    version INTEGER NOT NULL, file TEXT NOT NULL, file_sha256 TEXT NOT NULL,
    collected_at TEXT NOT NULL, template_version TEXT, catalogue_fingerprint TEXT,
    dataset TEXT, n_errors INTEGER NOT NULL DEFAULT 0, n_warnings INTEGER NOT NULL DEFAULT 0,
    quarantine TEXT NOT NULL DEFAULT '', UNIQUE(authority, period, version));
CREATE TABLE IF NOT EXISTS cells(
    submission_id INTEGER NOT NULL REFERENCES submissions(id), authority TEXT NOT NULL,
    period TEXT NOT NULL, indicator_id TEXT NOT NULL, field TEXT NOT NULL, number REAL,
    text TEXT, raw TEXT NOT NULL, missing_code TEXT, missing_reason TEXT, formula TEXT,
    status TEXT NOT NULL, file TEXT NOT NULL, sheet TEXT NOT NULL, cell TEXT NOT NULL,
    collected_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS cells_by_submission ON cells(submission_id, indicator_id);
CREATE TABLE IF NOT EXISTS problems(
    id INTEGER PRIMARY KEY, submission_id INTEGER REFERENCES submissions(id), file TEXT NOT NULL,
    sheet TEXT NOT NULL DEFAULT '', cell TEXT NOT NULL DEFAULT '',
    indicator_id TEXT NOT NULL DEFAULT '', field TEXT NOT NULL DEFAULT '', code TEXT NOT NULL,
    severity TEXT NOT NULL, message TEXT NOT NULL, raw TEXT NOT NULL DEFAULT '',
    collected_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS comparators(
    period TEXT NOT NULL, indicator_id TEXT NOT NULL, area TEXT NOT NULL, value REAL,
    PRIMARY KEY(period, indicator_id, area));
CREATE INDEX IF NOT EXISTS submissions_by_file ON submissions(file_sha256);
"""
# Recreated on every open (a store from schema 1 gets the quarantine column first).
_VIEWS = """
DROP VIEW IF EXISTS current_cells;
DROP VIEW IF EXISTS current_submissions;
CREATE VIEW current_submissions AS
    SELECT s.* FROM submissions s
    WHERE s.quarantine = '' AND s.version = (
        SELECT MAX(version) FROM submissions t
        WHERE t.authority = s.authority AND t.period = s.period AND t.quarantine = '');
CREATE VIEW current_cells AS
    SELECT c.*, s.version FROM cells c JOIN current_submissions s ON s.id = c.submission_id;
"""
_TABLES = set(re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", _SCHEMA + QUERY_SCHEMA))
CELL_COLUMNS = ("indicator_id", "field", "number", "text", "raw", "missing_code",
                "missing_reason", "formula", "status", "file", "sheet", "cell")
PROBLEM_COLUMNS = ("file", "sheet", "cell", "indicator_id", "field", "code", "severity",
                   "message", "raw")


@dataclass(frozen=True)
class Authority:
    code: str
    name: str = ""
    region: str = ""
    neighbours: tuple[str, ...] = ()


def load_authorities(path: Path | str) -> list[Authority]:
    """Authorities from a CSV or .xlsx with columns code, name, region, neighbours (';'-separated).

    Read by generator.collection.lookup.read_authorities (any encoding Excel saves, or a sheet).
    """
    from generator.collection.lookup import read_authorities

    return read_authorities(path)


@dataclass
class Submission:
    """One return as read: the rows for the cells table and its problems."""

    authority: str
    period: str
    file: str
    file_sha256: str
    template_version: str = ""
    catalogue_fingerprint: str = ""
    dataset: str = ""
    cells: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    quarantine: str = ""  # why it must not become current ('' if it may)
    modified: str = ""  # the workbook's own saved time (docProps/core.xml), if any


class Store(QueryMethods):
    """A collection store: an SQLite file, or a PostgreSQL database (a postgresql:// URL)
    (data-quality queries: QueryMethods)."""

    def __init__(self, path: Path | str):
        # path: where messages say the store is (a PostgreSQL URL without its password)
        self.path = shown(path) if is_postgres(path) else Path(path)
        try:
            self.db = connect(path, busy_seconds=BUSY_SECONDS)
            if not self._schema_is_current():
                with self._write_transaction():  # one opener at a time creates or updates it
                    if not self._schema_is_current():
                        self._create_schema()
        except database_errors() as error:
            raise ScorecardError(f"{self.path} is not a Scorecard store: {error}") from None

    def _schema_is_current(self) -> bool:
        """The tables and views of this SCHEMA_VERSION are there and period labels are
        canonical (a read: opening a current store writes nothing, so many processes may
        open it at once)."""
        if not _TABLES <= relations(self.db, "table"):
            return False
        info = dict(self.db.execute("SELECT key, value FROM store_info").fetchall())
        return (info.get("schema_version") == SCHEMA_VERSION and "period_labels" in info
                and {"current_submissions", "current_cells"} <= relations(self.db, "view"))

    def _create_schema(self) -> None:
        for statement in statements(_SCHEMA + QUERY_SCHEMA):
            self.db.execute(statement)
        if "quarantine" not in columns(self.db, "submissions"):
            self.db.execute("ALTER TABLE submissions ADD COLUMN quarantine TEXT NOT NULL "
                            "DEFAULT ''")
        for statement in statements(_VIEWS):
            self.db.execute(statement)
        _normalise_periods(self.db)
        self.db.execute("INSERT INTO store_info VALUES ('schema_version', ?) ON CONFLICT(key) "
                        "DO UPDATE SET value=excluded.value", (SCHEMA_VERSION,))

    @contextmanager
    def _write_transaction(self) -> Iterator[None]:
        """One write transaction with the write lock held from its start, so what it reads
        (the next version, whether a file is stored) cannot change before it writes. Waits
        while another process writes (BUSY_SECONDS per attempt, BUSY_ATTEMPTS attempts),
        commits on success and rolls back on any error, so a write is whole or not at all.
        How each database locks is dialect.write_lock's business."""
        with write_lock(self.db, BUSY_ATTEMPTS, f"the store {self.path}"):
            yield

    def _frame(self, query: str, args: Sequence = ()) -> pd.DataFrame:
        """A query's rows as a DataFrame, on either database."""
        cursor = self.db.execute(query, tuple(args))
        names = [c[0] for c in cursor.description]
        return pd.DataFrame.from_records(cursor.fetchall(), columns=names, coerce_float=True)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------
    def add_authorities(self, authorities: Iterable[Authority]) -> None:
        with self._write_transaction():
            self.db.executemany(
                "INSERT INTO authorities VALUES (?,?,?,?) ON CONFLICT(code) DO UPDATE SET "
                "name=excluded.name, region=excluded.region, neighbours=excluded.neighbours",
                [(a.code, a.name, a.region, ";".join(a.neighbours)) for a in authorities])

    def authorities(self) -> list[Authority]:
        rows = self.db.execute("SELECT * FROM authorities ORDER BY code").fetchall()
        return [Authority(r["code"], r["name"], r["region"],
                          tuple(n for n in r["neighbours"].split(";") if n)) for r in rows]

    def add_comparators(self, rows: Iterable[tuple[str, str, str, float | None]]) -> int:
        """(period, indicator_id, area, value) rows; area is 'England' or a region name."""
        rows = [(lenient_label(period), *rest) for period, *rest in rows]
        with self._write_transaction():
            self.db.executemany("INSERT INTO comparators VALUES (?,?,?,?) ON CONFLICT(period, "
                                "indicator_id, area) DO UPDATE SET value=excluded.value", rows)
        return len(rows)

    def latest(self, authority: str, period: str):
        """The current (latest not quarantined) submission, or None."""
        return self.db.execute(
            "SELECT * FROM current_submissions WHERE authority=? AND period=?",
            (authority, lenient_label(period))).fetchone()

    def last_version(self, authority: str, period: str):
        """The last submission stored, quarantined or not, or None."""
        return self.db.execute(
            "SELECT * FROM submissions WHERE authority=? AND period=? ORDER BY version DESC "
            "LIMIT 1", (authority, lenient_label(period))).fetchone()

    def duplicate_of(self, submission: Submission):
        """The first stored version of its authority and period that came from a
        byte-identical file (any version, quarantined or not), else None."""
        return self.db.execute(
            "SELECT * FROM submissions WHERE file_sha256=? AND authority=? AND period=? "
            "ORDER BY version LIMIT 1",
            (submission.file_sha256, submission.authority, lenient_label(submission.period))
        ).fetchone()

    def add_submission(self, submission: Submission, collected_at: str | None = None) -> int:
        """Store a return as the next version of its authority and period; return the version.

        Earlier versions are kept; nothing is overwritten. A submission with a `quarantine`
        reason is stored but never current (see accept()). The version is allocated under
        the write lock, so processes storing returns at once never take the same one.
        """
        version = self._add(submission, collected_at, once=False)
        assert version is not None
        return version

    def add_submission_once(self, submission: Submission,
                            collected_at: str | None = None) -> int | None:
        """As add_submission, unless a byte-identical file is already stored for its
        authority and period under any version: then nothing is stored and None is returned
        (`duplicate_of` says which). Checked and stored in one transaction, so two processes
        collecting the same file store it once."""
        return self._add(submission, collected_at, once=True)

    def _add(self, submission: Submission, collected_at: str | None, once: bool) -> int | None:
        when = collected_at or _now()
        submission.period = lenient_label(submission.period)
        errors = sum(p["severity"] == "error" for p in submission.problems)
        warnings = sum(p["severity"] == "warning" for p in submission.problems)
        key = (submission.authority, submission.period)
        with self._write_transaction():
            if once and self.duplicate_of(submission) is not None:
                return None
            version = self.db.execute(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM submissions WHERE authority=? AND "
                "period=?", key).fetchone()[0]
            cursor = self.db.execute(
                "INSERT INTO submissions(authority, period, version, file, file_sha256, "
                "collected_at, template_version, catalogue_fingerprint, dataset, n_errors, "
                "n_warnings, quarantine) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                (*key, version, submission.file, submission.file_sha256, when,
                 submission.template_version, submission.catalogue_fingerprint,
                 submission.dataset, errors, warnings, submission.quarantine or ""))
            submission_id = cursor.fetchone()[0]
            self.db.executemany(
                "INSERT INTO cells(submission_id, authority, period, " + ", ".join(CELL_COLUMNS)
                + ", collected_at) VALUES (" + ",".join("?" * (len(CELL_COLUMNS) + 4)) + ")",
                [(submission_id, *key, *(_finite(c, k) for k in CELL_COLUMNS), when)
                 for c in submission.cells])
            self._insert_problems(submission.problems, submission_id, when)
        return version

    def add_problems(self, problems: Sequence[dict], submission_id: int | None = None,
                     collected_at: str | None = None) -> None:
        when = collected_at or _now()
        with self._write_transaction():
            self._insert_problems(problems, submission_id, when)

    def _insert_problems(self, problems, submission_id, when):
        self.db.executemany(
            "INSERT INTO problems(submission_id, " + ", ".join(PROBLEM_COLUMNS)
            + ", collected_at) VALUES (" + ",".join("?" * (len(PROBLEM_COLUMNS) + 2)) + ")",
            [(submission_id, *(p.get(k) or "" for k in PROBLEM_COLUMNS), when)
             for p in problems])

    # -- reading -------------------------------------------------------------------------
    def submissions(self, authority: str | None = None, period: str | None = None
                    ) -> pd.DataFrame:
        query, args = "SELECT * FROM submissions WHERE 1=1", []
        if authority:
            query, args = query + " AND authority=?", [*args, authority]
        if period:
            query, args = query + " AND period=?", [*args, lenient_label(period)]
        return self._frame(query + " ORDER BY authority, period, version", args)

    def cells(self, authority: str | None = None, period: str | None = None,
              version: int | None = None) -> pd.DataFrame:
        """Cells of the current version (or of `version`) as stored."""
        return self._frame(*self._cells_query(authority, period, version))

    def cell_records(self, authority: str | None = None, period: str | None = None,
                     version: int | None = None) -> list[dict]:
        """Store.cells as a list of dicts, NULL as None: for code that looks at every cell of a
        region, where building a DataFrame and turning it back into rows took most of the time."""
        cursor = self.db.execute(*self._cells_query(authority, period, version))
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    @staticmethod
    def _cells_query(authority: str | None, period: str | None,
                     version: int | None) -> tuple[str, tuple]:
        if version is None:
            query = "SELECT * FROM current_cells c WHERE 1=1"
        else:
            query = ("SELECT c.*, s.version FROM cells c JOIN submissions s "
                     "ON s.id=c.submission_id WHERE s.version=" + str(int(version)))
        args = []
        if authority:
            query, args = query + " AND c.authority=?", [*args, authority]
        if period:
            query, args = query + " AND c.period=?", [*args, lenient_label(period)]
        return query, tuple(args)

    def quarantined(self, period: str | None = None) -> pd.DataFrame:
        """Submissions stored but not usable until accepted, with the reason."""
        query, args = "SELECT * FROM submissions WHERE quarantine != ''", []
        if period:
            query, args = query + " AND period=?", [lenient_label(period)]
        return self._frame(query + " ORDER BY authority, period, version", args)

    def accept(self, authority: str, period: str, version: int,
               collected_at: str | None = None) -> int:
        """Accept a quarantined submission: store it again, unchanged, as the next version,
        which is usable (current). The quarantined one is kept as it was. Returns the new
        version."""
        period = lenient_label(period)
        row = self.db.execute("SELECT * FROM submissions WHERE authority=? AND period=? AND "
                              "version=?", (authority, period, version)).fetchone()
        if row is None:
            raise ScorecardError(f"{authority} {period} has no version {version}")
        if not row["quarantine"]:
            raise ScorecardError(f"{authority} {period} version {version} is not quarantined")
        when = collected_at or _now()
        with self._write_transaction():
            new = self.last_version(authority, period)["version"] + 1
            cursor = self.db.execute(
                "INSERT INTO submissions(authority, period, version, file, file_sha256, "
                "collected_at, template_version, catalogue_fingerprint, dataset, n_errors, "
                "n_warnings, quarantine) SELECT authority, period, ?, file, file_sha256, ?, "
                "template_version, catalogue_fingerprint, dataset, n_errors, n_warnings, '' "
                "FROM submissions WHERE id=? RETURNING id", (new, when, row["id"]))
            new_id = cursor.fetchone()[0]
            self.db.execute(
                "INSERT INTO cells(submission_id, authority, period, " + ", ".join(CELL_COLUMNS)
                + ", collected_at) SELECT ?, authority, period, " + ", ".join(CELL_COLUMNS)
                + ", ? FROM cells WHERE submission_id=?", (new_id, when, row["id"]))
            self.db.execute(
                "INSERT INTO problems(submission_id, " + ", ".join(PROBLEM_COLUMNS)
                + ", collected_at) SELECT ?, " + ", ".join(PROBLEM_COLUMNS)
                + ", ? FROM problems WHERE submission_id=?", (new_id, when, row["id"]))
            self._insert_problems([{
                "file": row["file"], "code": "accepted", "severity": "info",
                "message": f"version {version} (quarantined: {row['quarantine']}) accepted "
                           f"as version {new}"}], new_id, when)
        return new

    def problems(self, file: str | None = None) -> pd.DataFrame:
        query, args = "SELECT * FROM problems", []
        if file:
            query, args = query + " WHERE file=?", [file]
        return self._frame(query + " ORDER BY id", args)

    def periods(self) -> list[str]:
        """The periods with returns, oldest first."""
        return order_periods([r[0] for r in self.db.execute("SELECT DISTINCT period FROM submissions")],
                             lenient=True)

    def changes(self, authority: str, period: str, old: int | None = None,
                new: int | None = None) -> list[dict]:
        """What changed between two versions (default: the latest and the one before).

        Cells are matched by indicator, field, sheet and cell (so a duplicated row is two
        cells), then a cell left over on each side for the same indicator and field is
        paired as moved. One dict per difference: indicator_id, field, change (changed,
        typed, cleared, row deleted, row added, moved), old/new raw, status, formula, cell,
        version. Raw text, status and formula are compared.
        """
        period = lenient_label(period)
        versions = [r[0] for r in self.db.execute(
            "SELECT version FROM submissions WHERE authority=? AND period=? ORDER BY version",
            (authority, period))]
        if not versions:
            raise ScorecardError(f"no returns stored for {authority} {period}")
        new = versions[-1] if new is None else new
        if old is None:
            earlier = [v for v in versions if v < new]
            if not earlier:
                return []
            old = earlier[-1]
        for version in (old, new):
            if version not in versions:
                raise ScorecardError(f"{authority} {period} has no version {version}; "
                                     f"versions: {', '.join(map(str, versions))}")

        def cells_of(version):
            rows = self.db.execute(
                "SELECT c.indicator_id, c.field, c.raw, c.status, c.formula, c.sheet, c.cell "
                "FROM cells c JOIN submissions s ON s.id=c.submission_id "
                "WHERE s.authority=? AND s.period=? AND s.version=?",
                (authority, period, version)).fetchall()
            return {(r["indicator_id"], r["field"], r["sheet"], r["cell"]): dict(r)
                    for r in rows}

        def indicators(version, code):
            return {r[0] for r in self.db.execute(
                "SELECT p.indicator_id FROM problems p JOIN submissions s ON s.id="
                "p.submission_id WHERE s.authority=? AND s.period=? AND s.version=? AND "
                "p.code=?", (authority, period, version, code))}

        before, after = cells_of(old), cells_of(new)
        deleted_now, deleted_then = indicators(new, "deleted_row"), indicators(old, "deleted_row")
        gone = {k: before[k] for k in before.keys() - after.keys()}
        came = {k: after[k] for k in after.keys() - before.keys()}
        pairs = []
        for key in sorted(before.keys() & after.keys()):
            pairs.append(("changed", before[key], after[key]))
        for indicator_field in sorted({k[:2] for k in gone} & {k[:2] for k in came}):
            left = [k for k in gone if k[:2] == indicator_field]
            right = [k for k in came if k[:2] == indicator_field]
            if len(left) == 1 and len(right) == 1:
                pairs.append(("moved", gone.pop(left[0]), came.pop(right[0])))
        for row in gone.values():
            pairs.append(("row deleted" if row["indicator_id"] in deleted_now else "cleared",
                          row, None))
        for row in came.values():
            pairs.append(("row added" if row["indicator_id"] in deleted_then else "typed",
                          None, row))
        result = []
        for change, a, b in pairs:
            if change == "changed" and all(a[k] == b[k] for k in ("raw", "status", "formula")):
                continue
            a, b = a or {}, b or {}
            result.append({
                "indicator_id": (a or b)["indicator_id"], "field": (a or b)["field"],
                "change": change, "old_version": old, "new_version": new,
                "old_raw": a.get("raw"), "new_raw": b.get("raw"),
                "old_status": a.get("status"), "new_status": b.get("status"),
                "old_formula": a.get("formula"), "new_formula": b.get("formula"),
                "old_cell": a.get("cell", ""), "new_cell": b.get("cell", ""),
                "old_sheet": a.get("sheet", ""), "new_sheet": b.get("sheet", "")})
        result.sort(key=lambda r: (r["indicator_id"], r["field"], r["old_cell"] or "",
                                   r["new_cell"] or ""))
        return result

    def comparators(self, period: str | None = None) -> pd.DataFrame:
        query, args = "SELECT * FROM comparators", []
        if period:
            query, args = query + " WHERE period=?", [lenient_label(period)]
        return self._frame(query, args)

    # -- benchmarking --------------------------------------------------------------------
    def actuals(self, period: str, catalogue) -> pd.DataFrame:
        """One row per indicator and authority with a current return for `period`.

        actual = the value typed, or worked out from numerator and denominator; cells whose
        status is 'error' give no actual. Columns: indicator_id, authority, actual, numerator,
        denominator, target, commentary, missing_code, missing_reason.
        """
        records = [{"indicator_id": indicator_id, "authority": authority, **actual}
                   for (authority, indicator_id), actual in sorted(
                       actuals_of(self.cell_records(period=period), catalogue).items(),
                       key=lambda item: (item[0][1], item[0][0]))]
        columns = ["indicator_id", "authority", "actual", "numerator", "denominator", "target",
                   "commentary", "missing_code", "missing_reason"]
        frame = pd.DataFrame.from_records(records, columns=columns)
        for column in ("missing_code", "missing_reason"):  # None, not NaN (which is truthy)
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
        return frame

    def benchmark(self, period: str, catalogue) -> pd.DataFrame:
        """Every indicator x authority for `period` with rank, quartile band, neighbours'
        average, region and England values (where supplied).

        Polarity-aware via scorecard.benchmarking; ranks, bands and neighbours' averages are
        among authorities with a current (not quarantined) return that are on the authority
        list (all of them if the store has no list); the others get no rank.
        """
        actuals = self.actuals(period, catalogue)
        authorities = {a.code: a for a in self.authorities()}
        comparators = self.comparators(period)
        lookup = {(r.indicator_id, r.area): r.value for r in comparators.itertuples()}
        frames = []
        for indicator_id, group in actuals.groupby("indicator_id", sort=False):
            indicator = catalogue.get(indicator_id) if indicator_id in catalogue else None
            polarity = getattr(indicator, "polarity", None) if indicator else None
            listed = [not authorities or code in authorities for code in group["authority"]]
            every = [v if v is not None and not _nan(v) else None for v in group["actual"]]
            values = [v if ok else None for v, ok in zip(every, listed, strict=True)]
            group = group.copy()
            group["rank"] = ranks(values, polarity) if polarity is not None else None
            group["of"] = sum(v is not None for v in values)
            group["quartile_band"] = (quartile_bands(values, polarity) if polarity is not None
                                      else NO_BAND)
            by_authority = dict(zip(group["authority"], values, strict=True))
            averages, regions, england = [], [], []
            for code in group["authority"]:
                authority = authorities.get(code, Authority(code))
                neighbour_values = [by_authority[n] for n in authority.neighbours
                                    if by_authority.get(n) is not None]
                averages.append(sum(neighbour_values) / len(neighbour_values)
                                if neighbour_values else None)
                regions.append(lookup.get((indicator_id, authority.region)))
                england.append(lookup.get((indicator_id, ENGLAND)))
            group["neighbours_average"] = averages
            group["region_value"] = regions
            group["england_value"] = england
            frames.append(group)
        if not frames:
            return actuals.assign(rank=None, of=0, quartile_band=NO_BAND, neighbours_average=None,
                                  region_value=None, england_value=None)
        return pd.concat(frames, ignore_index=True)

    def missing_returns(self, period: str) -> list[Authority]:
        """Authorities on the list with no usable return for `period` (a quarantined return is
        not one: it is listed by `quarantined`)."""
        have = {r[0] for r in self.db.execute(
            "SELECT DISTINCT authority FROM submissions WHERE period=? AND quarantine=''",
            (lenient_label(period),))}
        return [a for a in self.authorities() if a.code not in have]

    def values_for(self, authority: str, periods: Sequence[str], catalogue=None) -> pd.DataFrame:
        """A scorecard's data from the store: one row per indicator and period.

        Columns: indicator_id, period, actual, target, commentary, numerator, denominator,
        missing_code, missing_reason, rank, of, quartile_band, neighbours_average,
        region_value, england_value.
        """
        if catalogue is None:
            from scorecard.catalogue import load_catalogue

            catalogue = load_catalogue()
        frames = []
        for period in map(lenient_label, periods):
            table = self.benchmark(period, catalogue)
            mine = table[table["authority"] == authority].drop(columns=["authority"])
            frames.append(mine.assign(period=period))
        columns = ["indicator_id", "period", "actual", "target", "commentary", "numerator",
                   "denominator", "missing_code", "missing_reason", "rank", "of",
                   "quartile_band", "neighbours_average", "region_value", "england_value"]
        if not frames:
            return pd.DataFrame(columns=columns)
        return pd.concat(frames, ignore_index=True)[columns]


def _finite(cell: dict, key: str):
    """A cell's value for the store; a number that is not finite is never stored as one (the
    reader gives none: this is the last guard)."""
    value = cell.get(key)
    if key == "number" and value is not None and not math.isfinite(value):
        raise ScorecardError(f"{cell.get('file')}, sheet {cell.get('sheet')}, cell "
                             f"{cell.get('cell')}: {value!r} is not a finite number and cannot "
                             "be stored as one")
    return value


def _normalise_periods(db) -> None:
    """Rewrite period labels to canonical ones, once per store (see the module docstring).
    Runs inside the caller's schema transaction (Store._create_schema)."""
    if db.execute("SELECT 1 FROM store_info WHERE key='period_labels'").fetchone():
        return
    rows = db.execute("SELECT id, authority, period, version FROM submissions ORDER BY id").fetchall()
    labels = {row["period"]: lenient_label(row["period"]) for row in rows}
    groups: dict[tuple[str, str], list] = {}
    for row in rows:
        groups.setdefault((row["authority"], labels[row["period"]]), []).append(row)
    for (_, label), members in groups.items():
        if len({row["period"] for row in members}) > 1:  # two spellings: one run of versions
            db.executemany("UPDATE submissions SET version=? WHERE id=?",
                           [(-row["id"], row["id"]) for row in members])
            db.executemany("UPDATE submissions SET period=?, version=? WHERE id=?",
                           [(label, number, row["id"]) for number, row in enumerate(members, 1)])
    for old, new in labels.items():
        if old != new:
            db.execute("UPDATE submissions SET period=? WHERE period=?", (new, old))
            db.execute("UPDATE cells SET period=? WHERE period=?", (new, old))
    for (old,) in db.execute("SELECT DISTINCT period FROM comparators").fetchall():
        new = lenient_label(old)
        if new != old:  # the old spelling's value wins, as UPDATE OR REPLACE would have it
            db.execute("DELETE FROM comparators WHERE period=? AND (indicator_id, area) IN "
                       "(SELECT indicator_id, area FROM comparators WHERE period=?)", (new, old))
            db.execute("UPDATE comparators SET period=? WHERE period=?", (new, old))
    db.execute("INSERT INTO store_info VALUES ('period_labels', 'canonical') ON CONFLICT(key) "
               "DO UPDATE SET value=excluded.value")


def _nan(value) -> bool:
    return isinstance(value, float) and math.isnan(value)


def actuals_of(cells: Iterable[dict], catalogue) -> dict[tuple[str, str], dict]:
    """(authority, indicator_id) -> its actual, numerator, denominator, target, commentary and
    missing code, from stored cell rows (Store.cell_records): the one rule for Store.actuals and
    the data-quality checks. One pass over the rows; a pandas groupby with a frame per group took
    13 s for a region of 150 returns."""
    fields: dict[tuple[str, str], dict] = {}
    for cell in cells:
        if cell["field"] in INPUT_FIELDS and cell["indicator_id"]:
            fields.setdefault((cell["authority"], cell["indicator_id"]), {})[cell["field"]] = \
                SimpleNamespace(**cell)
    return {key: _actual(by_field, catalogue.get(key[1]) if key[1] in catalogue else None)
            for key, by_field in fields.items()}


def _actual(by_field: dict, indicator) -> dict:
    def number(name):
        row = by_field.get(name)
        if row is None or row.status == "error" or row.number is None or _nan(row.number):
            return None
        if isinstance(row.missing_code, str) and row.missing_code:
            return None  # a figure flagged with shorthand ("12.3 [u]") is shown as flagged
        return float(row.number)

    value, numerator, denominator = number("value"), number("numerator"), number("denominator")
    actual = value
    if actual is None and numerator is not None and denominator and indicator is not None:
        unit = indicator.unit
        if unit == "percentage":
            actual = percentage(numerator, denominator)
        elif unit in RATE_UNITS:
            actual = rate(numerator, denominator, RATE_UNITS[unit])
    value_row = by_field.get("value")
    commentary = by_field.get("commentary")
    return {
        "actual": actual, "numerator": numerator, "denominator": denominator,
        "target": number("target"),
        "commentary": (commentary.text or "") if commentary is not None else "",
        "missing_code": value_row.missing_code if value_row is not None else None,
        "missing_reason": value_row.missing_reason if value_row is not None else None,
    }


def values_for(store_path: Path | str, authority: str, periods: Sequence[str],
               catalogue=None) -> pd.DataFrame:
    """Convenience: open the store at `store_path` and return Store.values_for(...)."""
    with Store(store_path) as store:
        return store.values_for(authority, periods, catalogue)
