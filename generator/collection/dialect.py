"""The store's two databases: an SQLite file (embedded, the default) or PostgreSQL (shared).

`connect(location)` opens either and returns a connection the store uses the same way: the
SQL is written once, in the dialect both understand (`?` placeholders, `ON CONFLICT ... DO
UPDATE` upserts, `RETURNING id`), and the few differences are here:

- placeholders: `?` becomes `%s` for psycopg;
- schema: `INTEGER PRIMARY KEY` is an identity column, `REAL` is `DOUBLE PRECISION` (PostgreSQL's
  REAL is single precision and would round stored figures);
- scripts: a script's statements run one by one (`statements`), on both;
- rows: both give rows readable by name and by position (`row["version"]`, `row[0]`);
- transactions: `with connection:` is one transaction on both (psycopg's own `with` would
  close the connection); outside one, PostgreSQL statements autocommit, so a long-lived
  connection (one per hub worker thread) never sits idle in a transaction holding locks;
- writes (`write_lock`): every write, schema creation included, is one transaction taken with
  the store's write lock held from its start (SQLite: BEGIN IMMEDIATE, waiting while another
  process writes; PostgreSQL: a transaction-scoped advisory lock), so processes and hub workers
  writing at once never race to create the schema or to take the same version number.

A location is a path (SQLite) or a ``postgresql://user:password@host:port/database`` URL.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from scorecard.errors import ScorecardError

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
DatabaseError: tuple[type[Exception], ...] = (sqlite3.DatabaseError,)


def is_postgres(location: object) -> bool:
    return isinstance(location, str) and location.startswith(POSTGRES_SCHEMES)


def shown(location: object) -> str:
    """The location for messages: a URL without its password."""
    if not is_postgres(location):
        return str(location)
    parts = urlsplit(location)
    if parts.password is None:
        return location
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def connect(location, busy_seconds: float = 30.0):
    """An open connection to the store at `location` (a path, or a postgresql:// URL). SQLite
    waits up to `busy_seconds` for another process's lock; statements outside `write_lock`
    autocommit (reads take no lasting lock)."""
    if is_postgres(location):
        return PostgresConnection(location)
    db = sqlite3.connect(str(location), timeout=busy_seconds, isolation_level=None)
    db.row_factory = sqlite3.Row
    return db


def database_errors() -> tuple[type[Exception], ...]:
    """The exceptions that mean 'this is not a usable store' for either database."""
    try:
        import psycopg
    except ImportError:
        return DatabaseError
    return (*DatabaseError, psycopg.Error)


def columns(db, table: str) -> set[str]:
    """The column names of `table`."""
    if isinstance(db, PostgresConnection):
        return {r[0] for r in db.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "AND table_schema = current_schema()", (table,))}
    return {r[1] for r in db.execute(f"PRAGMA table_info({table})")}


def relations(db, kind: str) -> set[str]:
    """The names of the tables (kind 'table') or views ('view') in the store's schema."""
    if isinstance(db, PostgresConnection):
        source = "tables WHERE table_type = 'BASE TABLE' AND" if kind == "table" else "views WHERE"
        return {r[0] for r in db.execute(f"SELECT table_name FROM information_schema.{source} "
                                         "table_schema = current_schema()")}
    return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type=?", (kind,))}


def statements(script: str) -> list[str]:
    """A script's statements (the store's scripts hold no ';' inside a statement)."""
    return [s.strip() for s in script.split(";") if s.strip()]


@contextmanager
def write_lock(db, attempts: int, what: str) -> Iterator[None]:
    """One write transaction with the store's write lock held from its start: committed when
    the block ends, rolled back on any error (so a write is whole or not at all). `what` names
    the store in the message when it stays busy for `attempts` waits."""
    if isinstance(db, PostgresConnection):
        with db:
            db.lock_writes()
            yield
        return
    busy = (f"{what} stayed busy (another process was writing to it); nothing was written: "
            "run the command again")
    for attempt in range(attempts):
        try:
            db.execute("BEGIN IMMEDIATE")
            break
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                raise
            if attempt == attempts - 1:
                raise ScorecardError(busy) from None
            time.sleep(0.05 * (attempt + 1))
    try:
        yield
        db.execute("COMMIT")  # waits, too, for readers to finish
    except BaseException as error:
        if db.in_transaction:
            db.execute("ROLLBACK")
        if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
            raise ScorecardError(busy) from None
        raise


class Row(tuple):
    """A row readable by position and by column name, like sqlite3.Row."""

    _names: tuple[str, ...] = ()

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names.index(key))
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor):
    names = tuple(c.name for c in cursor.description or ())

    def make(values: Sequence) -> Row:
        row = Row(values)
        row._names = names
        return row
    return make


_PLACEHOLDER = re.compile(r"\?")


def _pg(sql: str) -> str:
    """SQL in the shared dialect (`?` placeholders), for PostgreSQL."""
    sql = _PLACEHOLDER.sub("%s", sql.replace("%", "%%"))
    sql = re.sub(r"\bINTEGER PRIMARY KEY\b", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                 sql)
    return re.sub(r"\bREAL\b", "DOUBLE PRECISION", sql)


class PostgresConnection:
    """psycopg 3 behind the few sqlite3 methods the store uses."""

    def __init__(self, location: str):
        import psycopg

        self.location = location
        self.raw = psycopg.connect(location, autocommit=True, row_factory=_row_factory)
        self._transactions: list = []

    def execute(self, sql: str, params: Sequence = ()):
        return self.raw.execute(_pg(sql), tuple(params))

    def executemany(self, sql: str, rows: Iterable[Sequence]):
        rows = [tuple(r) for r in rows]
        cursor = self.raw.cursor()
        if rows:
            cursor.executemany(_pg(sql), rows)
        return cursor

    def close(self) -> None:
        self.raw.close()

    def lock_writes(self) -> None:
        """Inside a transaction: wait for any other process writing to the store (held until
        the transaction ends)."""
        self.raw.execute("SELECT pg_advisory_xact_lock(hashtext('scorecard store write'))")

    def __enter__(self) -> PostgresConnection:
        transaction = self.raw.transaction()
        transaction.__enter__()
        self._transactions.append(transaction)
        return self

    def __exit__(self, *exc) -> None:
        self._transactions.pop().__exit__(*exc)
