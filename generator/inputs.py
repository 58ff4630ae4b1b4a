"""Tables as officers have them: one reader for every file Scorecard takes as a table.

`read_table(path, what)` reads a CSV (UTF-8 with or without a BOM, Windows-1252 as Excel on Windows
saves it, UTF-16 "Unicode Text"; comma, tab or semicolon separated) or the first sheet of an .xlsx
laid out like the CSV (a header row, then one row per record), into a `Table` of text cells that
knows where each row came from (`file.csv, line 4, column actual`; `file.xlsx, sheet 'Data', row
4, column actual`). An encoding that was assumed, not marked, is said in `Table.notes` and as an
`InputNote` warning (the CLI prints it as a note).

Every problem with the file itself (missing, a folder, empty, binary, an encoding it is not, a
legacy or password-protected workbook) is a ScorecardError naming the file: never a traceback.
Loaders (scorecard data, risk registers, authorities, comparators, catalogues) check their own
columns.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from generator.collection.guard import OLE2_MAGIC, PASSWORD_PROTECTED, ZIP_MAGIC, is_password_protected
from generator.words import noun
from scorecard.catalogue import CatalogueRows
from scorecard.catalogue import load_catalogue as _load_catalogue
from scorecard.catalogue import validate_catalogue as _validate_catalogue
from scorecard.errors import ScorecardError
from scorecard.textfile import decode_text

MAX_BYTES = 200 * 1024 * 1024  # a table bigger than this is not one an officer typed
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


class InputNote(UserWarning):
    """Something assumed about an input file that the user should know (an encoding, a sheet)."""


@dataclass
class Table:
    """A table read from a file: its header and rows as text, and where each row came from."""

    name: str  # the path as given, for messages
    header: list[str]
    rows: list[list[str]]
    positions: list[int]  # the CSV line, or the sheet row, of each row
    sheet: str | None = None  # the sheet read, for an .xlsx
    notes: list[str] = field(default_factory=list)

    def where(self, index: int, column: str | None = None) -> str:
        """'data.csv, line 4, column actual' or "data.xlsx, sheet 'Data', row 4, column actual"."""
        if self.sheet is None:
            place = f"{self.name}, line {self.positions[index]}"
        else:
            place = f"{self.name}, sheet '{self.sheet}', row {self.positions[index]}"
        return f"{place}, column {column}" if column else place

    @property
    def header_place(self) -> str:
        """Where the header is: 'data.csv' or "data.xlsx, sheet 'Data'"."""
        return self.name if self.sheet is None else f"{self.name}, sheet '{self.sheet}'"

    def records(self) -> list[dict[str, str]]:
        """Each row as {header: text}; cells past the header are dropped, missing ones are ''."""
        return [{column: (row[i] if i < len(row) else "") for i, column in enumerate(self.header)}
                for row in self.rows]

    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame of text, one column per header cell (duplicates kept)."""
        width = len(self.header)
        rows = [(row + [""] * width)[:width] for row in self.rows]
        frame = pd.DataFrame(rows, columns=range(width), dtype=object)
        frame.columns = self.header
        return frame

    def require(self, columns: Iterable[str], what: str) -> None:
        """ScorecardError naming the file and the columns missing from its header."""
        missing = [column for column in columns if column not in self.header]
        if missing:
            found = ", ".join(h for h in self.header if h) or "none"
            raise ScorecardError(f"{self.header_place}: missing {noun(len(missing), 'column')} "
                                 f"{', '.join(missing)} (a table of {what}); found {found}")


def read_table(source: str | Path, what: str = "table") -> Table:
    """The table in a CSV or .xlsx file; ScorecardError naming the file if it cannot be read."""
    path = Path(source)
    data = _read_bytes(path, what)
    if data.startswith(OLE2_MAGIC):
        if is_password_protected(data, path.name):
            raise ScorecardError(f"{path}: {PASSWORD_PROTECTED}")
        raise ScorecardError(f"{path}: an Excel 97-2003 (.xls) workbook; save it as .xlsx (Excel "
                             "Workbook) or CSV and try again")
    if data.startswith(ZIP_MAGIC) or path.suffix.lower() in WORKBOOK_SUFFIXES:
        table = _read_workbook(path, data, what)
    else:
        table = _read_csv(path, data, what)
    for note in table.notes:
        warnings.warn(note, InputNote, stacklevel=2)
    return table


def _read_bytes(path: Path, what: str) -> bytes:
    if not path.exists():
        raise ScorecardError(f"{path}: no such file (the {what} file)")
    if path.is_dir():
        raise ScorecardError(f"{path}: is a folder; the {what} must be a CSV or .xlsx file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ScorecardError(f"{path}: {size:,} bytes is too big for a {what} table "
                                 f"(limit {MAX_BYTES:,})")
        data = path.read_bytes()
    except OSError as error:
        raise ScorecardError(f"{path}: cannot read it ({error.strerror or error})") from None
    if not data.strip():
        raise ScorecardError(f"{path}: the file is empty; a {what} table needs a header row and "
                             "at least one row")
    return data


def _read_csv(path: Path, data: bytes, what: str) -> Table:
    text, note = decode_text(data, str(path))
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = ","
    if "," not in first_line:
        delimiter = "\t" if "\t" in first_line else ";" if ";" in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, positions = [], []
    try:
        header = next(reader, None)
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append(row)
                positions.append(reader.line_num - row_lines(row) + 1)
    except csv.Error as error:
        raise ScorecardError(f"{path}, line {reader.line_num}: not readable as CSV ({error})") from None
    if header is None or not any(cell.strip() for cell in header):
        raise ScorecardError(f"{path}: the first line is blank; a {what} table starts with its "
                             "header row")
    header = [cell.strip().lstrip("\ufeff") for cell in header]
    return Table(str(path), header, rows, positions, notes=[note] if note else [])


def row_lines(row: list[str]) -> int:
    """How many physical lines a parsed CSV row took (quoted cells may hold newlines)."""
    return 1 + sum(cell.count("\n") for cell in row)


def _read_workbook(path: Path, data: bytes, what: str) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    from generator.collection.guard import Refused, guard_file

    try:
        guard_file(path)
    except Refused as refused:
        raise ScorecardError(f"{path}: {refused}") from None
    try:  # values as last saved, and the formulas, to catch a formula with no saved value
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ScorecardError(f"{path}: not a readable .xlsx workbook ({error}); save it from "
                             "Excel as .xlsx or CSV") from None
    try:
        sheets = [sheet for sheet in book.worksheets if sheet.sheet_state == "visible"] or book.worksheets
        if not sheets:
            raise ScorecardError(f"{path}: the workbook has no worksheets")
        sheet = sheets[0]
        notes = []
        if len(sheets) > 1:
            notes.append(f"{path}: read its first sheet, '{sheet.title}' (the workbook has "
                         f"{len(sheets)} sheets)")
        grid = []
        rows = zip(sheet.iter_rows(), formulas[sheet.title].iter_rows(), strict=False)
        for number, (row, written) in enumerate(rows, start=1):
            cells = [_cell_text(cell) for cell in row]
            for text, formula in zip(cells, written, strict=False):
                if not text and isinstance(formula.value, str) and formula.value.startswith("="):
                    raise ScorecardError(
                        f"{path}, sheet '{sheet.title}', cell {formula.coordinate}: a formula "
                        f"({formula.value[:40]}) with no saved value; open and save the file in "
                        "Excel, or paste the values")
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                grid.append((number, cells))
    finally:
        book.close()
        formulas.close()
    if not grid:
        raise ScorecardError(f"{path}, sheet '{sheet.title}': the sheet is empty; a {what} table "
                             "needs a header row and at least one row")
    (_, header), rest = grid[0], grid[1:]
    return Table(str(path), [cell.strip() for cell in header], [cells for _, cells in rest],
                 [number for number, _ in rest], sheet=sheet.title, notes=notes)


def _cell_text(cell) -> str:
    """A cell as the officer saw it: numbers without a spurious '.0', percentages with '%'."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if "%" in str(getattr(cell, "number_format", "") or ""):
            return number_text(value * 100) + "%"
        return number_text(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def number_text(value: float) -> str:
    """2023.0 -> '2023'; 0.876*100 -> '87.6' (float noise from the scaling rounded away)."""
    rounded = round(float(value), 10)
    if rounded.is_integer():
        return str(int(rounded))
    return repr(rounded)


# --------------------------------------------------------------------------- catalogues


def catalogue_source(path: str | Path) -> Path | CatalogueRows:
    """A catalogue file for scorecard.catalogue: CSV and .xlsx read here, one way for both."""
    table = read_table(path, "catalogue")
    return CatalogueRows(Path(table.name).name if table.sheet is None
                         else f"{Path(table.name).name} sheet '{table.sheet}'",
                         table.header, list(zip(table.positions, table.rows, strict=True)))


def load_catalogue(path: str | Path | None = None, extend: str | Path | Iterable[str | Path] | None = None):
    """scorecard.catalogue.load_catalogue, reading CSV or .xlsx files with `read_table`."""
    extensions = [] if extend is None else [extend] if isinstance(extend, str | Path) else list(extend)
    return _load_catalogue(None if path is None else catalogue_source(path),
                           extend=[catalogue_source(e) for e in extensions] or None,
                           source=None if path is None else str(path))


def validate_catalogue(path: str | Path):
    """scorecard.catalogue.validate_catalogue for a CSV or .xlsx file."""
    return _validate_catalogue(catalogue_source(path))


# --------------------------------------------------------------------------- outputs


def workbook_out(path: str | Path) -> Path:
    """The .xlsx path to write; ScorecardError for another spreadsheet name (x.xls would hold xlsx
    bytes that Excel calls damaged) or a folder."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix != ".xlsx":
        named = f"a {suffix} name" if suffix else "no .xlsx ending"
        raise ScorecardError(f"{path}: Scorecard writes Excel workbooks (.xlsx), and this has {named}; "
                             f"write it as {path.with_suffix('.xlsx').name if suffix else path.name + '.xlsx'}")
    if path.is_dir():
        raise ScorecardError(f"{path}: is a folder; give the .xlsx file to write")
    return path
