"""The national tables, in the same SQLite file as the collection store. Persistence only: what
to compare with what is worked out in `generator.national.comparators` by the core's rules.

Nothing is overwritten. Every file imported is a row of `national_files` (its name, sha256,
kind, edition, when); every value keeps the file it came from. A *series* is one measure and
one period label as published; it points at the file whose figures are current. A newer file
that holds a series supersedes the older file for that series only (series it does not hold
stay as they were); the older values stay in `national_values` as history.

Schema:
    national_files(id, kind, file, sha256, rows, edition, imported_at, notes)
    national_measures(file_id, code, measure, topics, chart_title, polarity, polarity_text, unit,
                      dps, year_type, no_quartile, description, methodology, hyperlinks,
                      table_status, discontinued)             current: the latest dictionary file
    national_areas(file_id, code, name, region, type)         current: the latest authority list
    national_editions(edition, published, file_id)            one row per statistical-neighbour edition
    national_neighbours(file_id, edition, authority, position, neighbour, closeness)
    national_series(id, measure, period, file_id)             file_id: the current figures
    national_values(series_id, file_id, area, value, code, raw)   code: GSS shorthand, raw: as published
    national_pins(period, edition, pinned_at)                 the edition a report period was built with
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from generator.collection.dialect import write_lock
from generator.collection.store import BUSY_ATTEMPTS, BUSY_SECONDS
from generator.national.areas import Area
from scorecard.errors import ScorecardError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS national_files(
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, file TEXT NOT NULL, sha256 TEXT NOT NULL,
    rows INTEGER NOT NULL, edition TEXT NOT NULL DEFAULT '', imported_at TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS national_measures(
    file_id INTEGER NOT NULL REFERENCES national_files(id), code TEXT NOT NULL, measure TEXT NOT NULL,
    topics TEXT NOT NULL, chart_title TEXT NOT NULL, polarity TEXT NOT NULL, polarity_text TEXT NOT NULL,
    unit TEXT NOT NULL, dps INTEGER, year_type TEXT NOT NULL, no_quartile INTEGER NOT NULL,
    description TEXT NOT NULL, methodology TEXT NOT NULL, hyperlinks TEXT NOT NULL,
    table_status TEXT NOT NULL, discontinued INTEGER NOT NULL, PRIMARY KEY(file_id, code));
CREATE TABLE IF NOT EXISTS national_areas(
    file_id INTEGER NOT NULL REFERENCES national_files(id), code INTEGER NOT NULL, name TEXT NOT NULL,
    region TEXT NOT NULL, type TEXT NOT NULL, PRIMARY KEY(file_id, code));
CREATE TABLE IF NOT EXISTS national_editions(
    edition TEXT PRIMARY KEY, published TEXT NOT NULL, file_id INTEGER NOT NULL REFERENCES national_files(id));
CREATE TABLE IF NOT EXISTS national_neighbours(
    file_id INTEGER NOT NULL REFERENCES national_files(id), edition TEXT NOT NULL, authority INTEGER NOT NULL,
    position INTEGER NOT NULL, neighbour INTEGER, closeness TEXT NOT NULL,
    PRIMARY KEY(file_id, authority, position));
CREATE TABLE IF NOT EXISTS national_series(
    id INTEGER PRIMARY KEY, measure TEXT NOT NULL, period TEXT NOT NULL,
    file_id INTEGER NOT NULL REFERENCES national_files(id), UNIQUE(measure, period));
CREATE TABLE IF NOT EXISTS national_values(
    series_id INTEGER NOT NULL, file_id INTEGER NOT NULL, area INTEGER NOT NULL, value REAL, code TEXT,
    raw TEXT, PRIMARY KEY(series_id, file_id, area)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS national_pins(
    period TEXT PRIMARY KEY, edition TEXT NOT NULL, pinned_at TEXT NOT NULL);
"""


_SQLITE = b"SQLite format 3\x00"
STORE_SUFFIXES = (".sqlite", ".sqlite3", ".db")


def _check_store_file(path: Path, create: bool) -> None:
    if not path.exists():
        if not create:
            raise ScorecardError(f"no store at {path}: run `scorecard import lait ...` first")
        if path.suffix.lower() not in STORE_SUFFIXES:
            raise ScorecardError(f"{path}: a new store is an SQLite file; name it with .sqlite (or .db), "
                                 f"e.g. {path.with_suffix('.sqlite').name}")
        if not path.parent.is_dir():  # else SQLite's own words: 'unable to open database file'
            raise ScorecardError(f"{path}: there is no folder {path.parent} to make the new store in")
        return
    if not path.is_file():
        raise ScorecardError(f"{path} is a folder, not a store file")
    with path.open("rb") as handle:
        head = handle.read(len(_SQLITE))
    if head != _SQLITE:
        what = "an empty file" if not head else "not an SQLite database"
        raise ScorecardError(f"{path} is {what}, not a Scorecard store; name a new file or an existing store")


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class NationalStore:
    """The national tables of one store file (created if they are not there yet)."""

    def __init__(self, path: Path | str, create: bool = True):
        """Open the store at `path`; a new file is made only with `create` (importing). An existing
        file must be an SQLite database: anything else is refused, never written to."""
        if str(path).lower().startswith(("postgresql:", "postgres:")):
            # Path() would mangle the URL into a file name and the message would talk of files.
            raise ScorecardError("national comparators are kept in an SQLite store (a .sqlite file); "
                                 "a PostgreSQL store holds returns but not national data yet")
        self.path = Path(path)
        _check_store_file(self.path, create)
        try:
            self.db = sqlite3.connect(str(self.path), timeout=BUSY_SECONDS, isolation_level=None)
            self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as error:
            raise ScorecardError(f"{self.path} is not a Scorecard store: {error}") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> NationalStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside is stored together or not at all. While another process writes to
        the file (a collect, another import) it waits, as the collection store does; a store
        that stays busy is a ScorecardError saying so, and nothing is written."""
        with write_lock(self.db, BUSY_ATTEMPTS, f"the store {self.path}"):
            yield

    # -- writing (inside a transaction) ---------------------------------------------------
    def find_file(self, kind: str, sha256: str) -> tuple[int, str, str] | None:
        """(id, file, imported_at) of the last import of this exact file, or None."""
        return self.db.execute("SELECT id, file, imported_at FROM national_files WHERE kind=? AND sha256=? "
                               "ORDER BY id DESC", (kind, sha256)).fetchone()

    def add_file(self, kind: str, name: str, sha256: str, rows: int, edition: str = "", notes: str = "",
                 imported_at: str | None = None) -> int:
        cursor = self.db.execute(
            "INSERT INTO national_files(kind, file, sha256, rows, edition, imported_at, notes) VALUES (?,?,?,?,?,?,?)",
            (kind, name, sha256, rows, edition, imported_at or now(), notes))
        return int(cursor.lastrowid)

    def add_measures(self, file_id: int, measures: pd.DataFrame) -> None:
        columns = ["code", "measure", "topics", "chart_title", "polarity", "polarity_text", "unit", "dps",
                   "year_type", "no_quartile", "description", "methodology", "hyperlinks", "table_status",
                   "discontinued"]
        rows = [(file_id, *(None if value is None or value != value else value for value in record))
                for record in measures[columns].astype(object).itertuples(index=False)]
        self.db.executemany(f"INSERT INTO national_measures(file_id, {', '.join(columns)}) VALUES "
                            f"({','.join('?' * (len(columns) + 1))})", rows)

    def add_areas(self, file_id: int, areas: pd.DataFrame) -> None:
        self.db.executemany("INSERT INTO national_areas VALUES (?,?,?,?,?)",
                            [(file_id, int(r.code), r.name, r.region, r.type) for r in areas.itertuples()])

    def add_edition(self, file_id: int, edition: str, published: str, neighbours: pd.DataFrame) -> None:
        self.db.execute("INSERT INTO national_editions VALUES (?,?,?) ON CONFLICT(edition) DO UPDATE SET "
                        "published=excluded.published, file_id=excluded.file_id", (edition, published, file_id))
        self.db.executemany("INSERT INTO national_neighbours VALUES (?,?,?,?,?,?)", [
            (file_id, edition, int(r.authority), int(r.position),
             None if r.neighbour is None or r.neighbour != r.neighbour else int(r.neighbour), r.closeness)
            for r in neighbours.itertuples()])

    def add_values(self, file_id: int, table: pd.DataFrame) -> tuple[int, int]:
        """Store the values of one data file; its series become current. Returns (series new,
        series superseded: their current figures came from an older file until now)."""
        series = table[["measure", "period"]].drop_duplicates()
        known = {(m, p): f for m, p, f in self.db.execute("SELECT measure, period, file_id FROM national_series")}
        pairs = list(series.itertuples(index=False, name=None))
        superseded = sum(1 for pair in pairs if pair in known)
        self.db.executemany("INSERT INTO national_series(measure, period, file_id) VALUES (?,?,?) "
                            "ON CONFLICT(measure, period) DO UPDATE SET file_id=excluded.file_id",
                            [(m, p, file_id) for m, p in pairs])
        ids = pd.DataFrame(self.db.execute("SELECT measure, period, id FROM national_series").fetchall(),
                           columns=["measure", "period", "series_id"])
        keyed = table.merge(ids, on=["measure", "period"], how="left", sort=False)
        keyed = keyed.sort_values(["series_id", "area"], kind="stable")
        self.db.executemany(
            "INSERT INTO national_values VALUES (?,?,?,?,?,?)",
            zip(keyed["series_id"].tolist(), [file_id] * len(keyed), keyed["area"].tolist(),
                keyed["value"].tolist(), keyed["code"].tolist(), keyed["raw"].tolist(), strict=True))
        return len(pairs) - superseded, superseded

    def pin(self, period: str, edition: str) -> None:
        with self.transaction():
            self.db.execute("INSERT INTO national_pins VALUES (?,?,?) ON CONFLICT(period) DO UPDATE SET "
                            "edition=excluded.edition, pinned_at=excluded.pinned_at", (period, edition, now()))

    # -- reading -----------------------------------------------------------------------------
    def files(self) -> pd.DataFrame:
        return pd.read_sql_query("SELECT * FROM national_files ORDER BY id", self.db)

    def _latest_file(self, kind: str) -> int | None:
        row = self.db.execute("SELECT MAX(id) FROM national_files WHERE kind=?", (kind,)).fetchone()
        return row[0]

    def measures(self) -> pd.DataFrame:
        """The current data dictionary, one row per measure code (empty before one is imported)."""
        file_id = self._latest_file("dictionary")
        frame = pd.read_sql_query("SELECT * FROM national_measures WHERE file_id=? ORDER BY rowid", self.db,
                                  params=(file_id if file_id is not None else -1,))
        frame["no_quartile"] = frame["no_quartile"].astype(bool)
        frame["discontinued"] = frame["discontinued"].astype(bool)
        return frame

    def areas(self) -> list[Area]:
        """The current authority list (England, regions and authorities)."""
        file_id = self._latest_file("authorities")
        rows = self.db.execute("SELECT code, name, region, type FROM national_areas WHERE file_id=? ORDER BY code",
                               (file_id if file_id is not None else -1,)).fetchall()
        return [Area(*row) for row in rows]

    def editions(self) -> pd.DataFrame:
        """edition, published, file, imported_at: oldest first."""
        return pd.read_sql_query(
            "SELECT e.edition, e.published, f.file, f.sha256, f.imported_at FROM national_editions e "
            "JOIN national_files f ON f.id = e.file_id ORDER BY e.published", self.db)

    def neighbours(self, edition: str) -> dict[int, list[int]]:
        """authority -> its neighbours in order (the edition's current file)."""
        rows = self.db.execute(
            "SELECT n.authority, n.neighbour FROM national_neighbours n JOIN national_editions e "
            "ON e.edition = n.edition AND e.file_id = n.file_id WHERE n.edition=? ORDER BY n.authority, n.position",
            (edition,)).fetchall()
        result: dict[int, list[int]] = {}
        for authority, neighbour in rows:
            result.setdefault(authority, [])
            if neighbour is not None:
                result[authority].append(neighbour)
        return result

    def pins(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT period, edition FROM national_pins"))

    def values(self, measures: Sequence[str] | None = None, areas: Sequence[int] | None = None) -> pd.DataFrame:
        """Current values: series (its id), measure and period (as published; categorical), area,
        value (NaN if none), code (GSS shorthand, '' when blank, None for a number), file_id."""
        series = pd.DataFrame(self.db.execute("SELECT id, measure, period, file_id FROM national_series").fetchall(),
                              columns=["series", "measure", "period", "file_id"])
        query = ("SELECT v.series_id, v.area, v.value, v.code FROM national_series s "
                 "JOIN national_values v ON v.series_id = s.id AND v.file_id = s.file_id")
        clauses, params = [], []
        if measures is not None:
            clauses.append(f"s.measure IN ({','.join('?' * len(measures))})")
            params += list(measures)
        if areas is not None:
            clauses.append(f"v.area IN ({','.join('?' * len(areas))})")
            params += [int(a) for a in areas]
        if clauses:
            query += " WHERE " + " AND ".join(clauses)
        rows = np.array(self.db.execute(query, params).fetchall() or np.empty((0, 4)), dtype=object).reshape(-1, 4)
        ids, area, code = rows[:, 0].astype(np.int64), rows[:, 1].astype(np.int64), rows[:, 3]
        value = np.array([np.nan if v is None else v for v in rows[:, 2].tolist()], dtype=float)
        position = pd.Index(series["series"]).get_indexer(ids)
        measure_codes, measure_names = pd.factorize(series["measure"])
        period_codes, period_names = pd.factorize(series["period"])
        return pd.DataFrame({
            "series": ids,
            "measure": pd.Categorical.from_codes(measure_codes[position], categories=measure_names.astype(object)),
            "period": pd.Categorical.from_codes(period_codes[position], categories=period_names.astype(object)),
            "area": area, "value": value, "code": code, "file_id": series["file_id"].to_numpy()[position]})

    def history(self, measure: str, period: str, area: int) -> pd.DataFrame:
        """Every stored figure for one measure, period and area, oldest file first, with its file."""
        frame = pd.read_sql_query(
            "SELECT f.id AS file_id, f.file, f.sha256, f.imported_at, v.value, v.code, v.raw, "
            "(s.file_id = v.file_id) AS current FROM national_series s JOIN national_values v ON v.series_id = s.id "
            "JOIN national_files f ON f.id = v.file_id WHERE s.measure=? AND s.period=? AND v.area=? ORDER BY f.id",
            self.db, params=(measure, period, int(area)))
        frame["value"] = frame["value"].astype(float)
        return frame

    def counts(self) -> dict[str, int]:
        """How much is stored: files, measures, areas, editions, series, current values, all values."""
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {"files": one("SELECT COUNT(*) FROM national_files"), "measures": len(self.measures()),
                "areas": len(self.areas()), "editions": one("SELECT COUNT(*) FROM national_editions"),
                "series": one("SELECT COUNT(*) FROM national_series"),
                "current values": one("SELECT COUNT(*) FROM national_series s JOIN national_values v "
                                      "ON v.series_id = s.id AND v.file_id = s.file_id"),
                "values": one("SELECT COUNT(*) FROM national_values")}
