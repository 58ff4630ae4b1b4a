"""The workbook as XML, read leniently one cell at a time: the returns' only cell reader.

A value reader that parses the whole workbook strictly (calamine, openpyxl) refuses all of
it for one damaged cell (`t="n"` holding `NaN`, a shared-text index out of range, a bad
style index), or reads `<v>NaN</v>` as a number. So each part is read here, in one pass
that costs time in proportion to its size whatever it holds (no regular expression that
can backtrack): every cell becomes a `Cell` holding the value as saved, its text, formula,
per-cent and date formats and error value; a cell that cannot be read as saved keeps its
text and says why (`Cell.damaged`), and the rest of the sheet is read as usual. Cells far
beyond the layout are counted and a bounded number kept, never allocated as a grid.

XML rules kept (generator.collection.xmltext): single- or double-quoted attributes,
namespace prefixes, CDATA, comments, the five predefined entities and character references
(nothing else is expanded: the guard refuses any DTD), end-of-line normalisation, the
declared encoding, and Excel's `_xHHHH_` escapes in text.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from generator.collection import layout as L
from generator.collection.guard import Refused
from generator.collection.xmltext import (
    CDATA,
    END,
    START,
    TEXT,
    attributes,
    excel_unescape,
    fast_tokens,
    joined_text,
    tokens,
    utf8,
)

# How far a sheet may reach before the cells beyond are only counted (a reader that allocated
# the rectangle up to the farthest cell would need 512 GB for one cell at XFD1048576):
# columns A-Z, rows up to the last issued row plus ROW_MARGIN; the cover to COVER_ROWS, the
# hidden metadata sheet to META_COLUMNS x META_ROWS.
MAX_COLUMNS = 26
ROW_MARGIN = 1000
COVER_ROWS = 1000
META_ROWS = 20_000
META_COLUMNS = 4
MAX_EXTRA_CELLS = 500  # cells outside the template stored one by one, per sheet
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384


# -- workbook parts ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Style:
    percent: bool = False
    date: bool = False


_PLAIN = Style()
_DATE_FORMATS = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|_.|\*.|\[(?![hms]+\])[^\]]*\]', re.I)


def _style_of(format_id: int, code: str | None) -> Style:
    if code is None:
        return Style(percent=format_id in (9, 10), date=format_id in _DATE_FORMATS)
    bare = _FORMAT_NOISE.sub("", code.split(";")[0]).lower()
    return Style(percent="%" in bare, date=bool(re.search(r"[dmyhs]", bare)))


class Workbook:
    """The parts of one return that the reader needs: sheets, shared text, styles.

    A damaged styles or shared-text part is read as far as it goes; what it cost is in
    `damage` (for the report), and a cell whose shared text is lost is damaged, not the
    workbook. Only a workbook whose list of sheets cannot be read is refused."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.names = {name.lower(): name for name in archive.namelist()}
        self.damage: list[str] = []
        book = self._part("xl/workbook.xml")
        rels = self._part("xl/_rels/workbook.xml.rels")
        if book is None or rels is None:
            raise Refused("not an Excel workbook (it has no list of sheets, xl/workbook.xml)")
        targets = {}
        for kind, name, attrs, _ in tokens(rels):
            if kind == START and name == b"Relationship":
                found = attributes(attrs)
                targets[found.get(b"Id")] = found.get(b"Target", "")
        self.sheets: dict[str, str] = {}
        self.date1904 = False
        for kind, name, attrs, _ in tokens(book):
            if kind != START:
                continue
            if name == b"workbookPr":
                self.date1904 = attributes(attrs).get(b"date1904", "").lower() in ("1", "true")
            elif name == b"sheet":
                found = attributes(attrs)
                target = targets.get(found.get(b"id"), "")
                part = target.lstrip("/") if target.startswith("/") else str(
                    PurePosixPath("xl") / target)
                if b"name" in found and target:
                    self.sheets.setdefault(found[b"name"], part)
        if not self.sheets:
            raise Refused("the workbook's list of sheets is damaged or empty: open it in Excel, "
                          "save it again and send that")
        self._strings: list[str] | None = None
        self._styles: list[Style] | None = None

    def _part(self, name: str) -> bytes | None:
        actual = self.names.get(name.lower())
        if actual is None:
            return None
        try:
            return utf8(self.archive.read(actual))
        except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError):
            return None

    def sheet_xml(self, sheet: str) -> bytes | None:
        part = self.sheets.get(sheet)
        return None if part is None else self._part(part)

    @property
    def strings(self) -> list[str]:
        """The shared text, item by item (rich-text runs joined, phonetic guides left out)."""
        if self._strings is None:
            self._strings = []
            xml = self._part("xl/sharedStrings.xml")
            if xml is not None:
                self._read_strings(xml)
        return self._strings

    def _read_strings(self, xml: bytes) -> None:
        parts: list[tuple[bytes, bool]] | None = None
        capture = phonetic = False
        items, valid = self._strings, True
        for kind, name, _, self_closing in tokens(xml):
            if kind in (TEXT, CDATA):
                if capture and not phonetic and parts is not None:
                    parts.append((name, kind == CDATA))
            elif name == b"si":
                if kind == START and not self_closing:
                    parts = []
                else:
                    text, ok = joined_text(parts or [])
                    valid &= ok
                    items.append(excel_unescape(text))
                    parts = None
            elif name == b"rPh":
                phonetic = kind == START and not self_closing
            elif name == b"t":
                capture = kind == START and not self_closing
        if parts is not None:
            self.damage.append("its shared text is cut short (the last item is incomplete)")
        if not valid:
            self.damage.append("some of its shared text is not valid UTF-8 (shown with �)")

    def style(self, index: str | None) -> Style | None:
        """The style at `index` (plain when there is none); None if it does not exist."""
        if self._styles is None:
            self._styles = self._read_styles()
        if index is None:
            return _PLAIN
        number = index.strip()
        if not number.isdigit() or int(number) >= max(len(self._styles), 1):
            return None
        return self._styles[int(number)] if self._styles else _PLAIN

    def _read_styles(self) -> list[Style]:
        xml = self._part("xl/styles.xml")
        if xml is None:
            return []
        codes: dict[int, str] = {}
        result: list[Style] = []
        in_xfs = False
        for kind, name, attrs, self_closing in tokens(xml):
            if name == b"numFmt" and kind == START:
                found = attributes(attrs)
                try:
                    codes[int(found.get(b"numFmtId", ""))] = found.get(b"formatCode", "")
                except ValueError:
                    pass
            elif name == b"cellXfs":
                in_xfs = kind == START and not self_closing
            elif name == b"xf" and kind == START and in_xfs:
                try:
                    format_id = int(attributes(attrs).get(b"numFmtId", "0"))
                except ValueError:
                    format_id = 0
                result.append(_style_of(format_id, codes.get(format_id)))
        return result


def open_workbook(data: bytes) -> Workbook:
    return Workbook(zipfile.ZipFile(io.BytesIO(data)))


def sheet_names(data: bytes) -> list[str]:
    """Sheet names in workbook order."""
    return list(sheet_parts(data))


def sheet_parts(data: bytes) -> dict[str, str]:
    """Sheet name -> part name in the zip."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return dict(Workbook(archive).sheets)


# -- cells -------------------------------------------------------------------------------------
@dataclass(slots=True)
class Cell:
    """One cell as saved. value: float, str, bool, date/datetime/time or None; raw: its text
    as saved (shared text resolved); damaged: why it cannot be read as saved, or None."""

    row: int  # 0-based
    col: int
    value: object = None
    raw: str = ""
    formula: str | None = None
    percent: bool = False
    error: str | None = None
    damaged: str | None = None
    lost_format: str | None = None  # a style index that does not exist (the value is read)

    @property
    def ref(self) -> str:
        return L.cell_name(self.row, self.col)

    @property
    def typed(self) -> bool:
        return (self.value is not None or self.formula is not None or self.error is not None
                or self.damaged is not None)


_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")
_XML_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
_MAX_SERIAL = 2_958_466  # 10000-01-01


def parse_ref(ref: str) -> tuple[int, int] | None:
    """'H4' -> (3, 7), 0-based; None unless a cell reference inside Excel's grid."""
    match = _REF.match(ref.strip())
    if not match:
        return None
    col = 0
    for ch in match.group(1).upper():
        col = col * 26 + ord(ch) - 64
    row = int(match.group(2))
    if not (1 <= row <= EXCEL_ROWS and 1 <= col <= EXCEL_COLUMNS):
        return None
    return row - 1, col - 1


def xml_number(text: str) -> float | None:
    """A number as the file format writes one, finite; None for anything else (NaN, INF)."""
    text = text.strip()
    if not _XML_NUMBER.match(text):
        return None
    number = float(text)
    return number if math.isfinite(number) else None


def _from_serial(serial: float, date1904: bool):
    """A date-formatted number as the date (or, under 1, the time of day) it shows; None if
    it shows no real date. Milliseconds, as spreadsheets keep them; the 1900 system's day
    numbers below 60 are shifted for Excel's phantom 29 February 1900."""
    if not 0 <= serial < _MAX_SERIAL:
        return None
    day, fraction = divmod(serial, 1)
    moment = dt.timedelta(milliseconds=round(fraction * 86_400_000))
    if serial < 1 and moment.days == 0:
        return (dt.datetime.min + moment).time()
    if 0 < serial < 60 and not date1904:
        day += 1
    return (dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)) \
        + dt.timedelta(days=day) + moment


class _Open:
    """A cell being read: its attributes and the text of its children so far."""

    __slots__ = ("attrs", "row", "col", "bad_ref", "v", "f", "f_seen", "inline", "seen_is")

    def __init__(self, attrs, row, col, bad_ref):
        self.attrs, self.row, self.col, self.bad_ref = attrs, row, col, bad_ref
        self.v: list | None = None
        self.f: list | None = None
        self.f_seen = False
        self.inline: list = []
        self.seen_is = False


def _finish(open_cell: _Open, book: Workbook) -> Cell:
    attrs = open_cell.attrs
    cell = Cell(open_cell.row, open_cell.col)
    style = book.style(attrs.get(b"s"))
    if style is None:  # a damaged style index costs the cell its format, not its value
        cell.lost_format, style = attrs.get(b"s"), _PLAIN
    cell.percent = style.percent
    kind = attrs.get(b"t", "n").strip() or "n"
    if open_cell.f_seen:
        formula, _ = joined_text(open_cell.f or [])
        cell.formula = "=" + formula if formula.strip() else "(shared formula)"
    valid = True
    if open_cell.seen_is:
        text, valid = joined_text(open_cell.inline)
    else:
        text, valid = joined_text(open_cell.v or [])
    damaged = None
    if kind == "inlineStr" or (open_cell.seen_is and kind in ("n", "str")):
        cell.value = excel_unescape(text) or None
    elif kind == "str":
        cell.value = excel_unescape(text) or None  # a formula's text result
    elif not text.strip():
        cell.value = None  # an empty value: a blank cell (or a formula with no saved value)
    elif kind == "n":
        number = xml_number(text)
        if number is None:
            damaged = (f"it is saved as a number but holds {text.strip()[:40]!r}, which is not "
                       "one (the file was damaged or written by faulty software)")
        elif style.date and (moment := _from_serial(number, book.date1904)) is not None:
            cell.value = moment
        else:
            cell.value = number
    elif kind == "s":
        try:
            cell.value = book.strings[int(text.strip())]
        except (ValueError, IndexError):
            damaged = (f"its text is kept in the workbook's shared text as item "
                       f"{text.strip()[:20]!r}, which the file does not hold (the file was "
                       "damaged)")
        else:
            if not cell.value:
                cell.value = None
    elif kind == "b":
        flag = text.strip().lower()
        if flag in ("1", "true", "0", "false"):
            cell.value = flag in ("1", "true")
        else:
            damaged = f"it is saved as TRUE/FALSE but holds {text.strip()[:40]!r}"
    elif kind == "e":
        cell.error = text.strip() or "#VALUE!"
    elif kind == "d":
        try:
            moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        except ValueError:
            damaged = f"it is saved as a date but holds {text.strip()[:40]!r}, which is not one"
        else:
            cell.value = moment.replace(tzinfo=None)
    else:
        damaged = f"it is saved with an unknown type ({kind[:20]!r})"
    if open_cell.bad_ref is not None:
        damaged = (f"its cell reference in the file, {open_cell.bad_ref[:20]!r}, is damaged; it "
                   f"was found where {L.cell_name(cell.row, cell.col)} would be")
    if not valid and damaged is None:
        damaged = "its text is not valid UTF-8 (unreadable characters are shown as �)"
    if damaged is not None:
        cell.damaged = damaged
        cell.value = None
    cell.raw = (cell.error if cell.error is not None
                else L.raw_text(cell.value) if cell.value is not None
                else text if text or damaged else cell.formula or "")
    return cell


@dataclass
class SheetScan:
    """Every typed cell of one sheet within its bounds, by (row, col) 0-based; `repeats`: a
    second cell at a position already read (the file holds two); `far`: the first
    MAX_EXTRA_CELLS cells beyond the bounds (n_far counts them all, far_box spans them)."""

    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    repeats: list[Cell] = field(default_factory=list)
    far: list[Cell] = field(default_factory=list)
    n_far: int = 0
    far_box: tuple[int, int, int, int] | None = None

    def at(self, row: int, col: int) -> Cell | None:
        return self.cells.get((row, col))

    @property
    def last_row(self) -> int:
        return max((r for r, _ in self.cells), default=-1)

    def add_far(self, cell: Cell) -> None:
        self.n_far += 1
        box = self.far_box or (cell.row, cell.col, cell.row, cell.col)
        self.far_box = (min(box[0], cell.row), min(box[1], cell.col), max(box[2], cell.row),
                        max(box[3], cell.col))
        if len(self.far) < MAX_EXTRA_CELLS:
            self.far.append(cell)


_SHEET_DATA = re.compile(rb"<(?:[\w.-]+:)?sheetData\b")


def scan_sheet(xml: bytes, book: Workbook, *, max_rows: int, max_cols: int) -> SheetScan:
    """Every typed cell of a sheet's XML; cells beyond max_rows x max_cols only counted."""
    scan = SheetScan()
    start = _SHEET_DATA.search(xml)
    if start is not None:
        xml = xml[start.start():]
    row_number, col = 0, -1
    cell: _Open | None = None
    capture: list | None = None
    in_is = phonetic = False
    far_seen: set[tuple[int, int]] = set()  # of the far cells kept (a bounded number)

    def close():
        nonlocal cell
        if cell is None:
            return
        done = _finish(cell, book)
        cell = None
        if not done.typed:
            return
        if done.row >= max_rows or done.col >= max_cols:
            if len(scan.far) < MAX_EXTRA_CELLS and (done.row, done.col) in far_seen:
                scan.repeats.append(done)
                return
            if len(scan.far) < MAX_EXTRA_CELLS:
                far_seen.add((done.row, done.col))
            scan.add_far(done)
        elif (done.row, done.col) in scan.cells:
            scan.repeats.append(done)
        else:
            scan.cells[(done.row, done.col)] = done

    for kind, name, attrs, self_closing in fast_tokens(xml):
        if kind in (TEXT, CDATA):
            if capture is not None and not phonetic:
                capture.append((name, kind == CDATA))
            continue
        if kind == END:
            if name == b"c":
                close()
                capture = None
            elif name in (b"v", b"f", b"t"):
                capture = None
            elif name == b"is":
                in_is = False
            elif name == b"rPh":
                phonetic = False
            elif name == b"sheetData":
                break
            continue
        if name == b"c":
            close()
            capture = None
            found = attributes(attrs)
            ref = found.get(b"r")
            where = parse_ref(ref) if ref is not None else None
            bad_ref = ref if ref is not None and where is None else None
            if where is None:
                col += 1
                where = (max(row_number - 1, 0), col)
            row, col = where
            cell = _Open(found, row, col, bad_ref)
            if self_closing:
                close()
        elif name == b"row":
            close()
            number = attributes(attrs).get(b"r", "").strip()
            row_number = int(number) if number.isdigit() and 0 < int(number) <= EXCEL_ROWS \
                else row_number + 1
            col = -1
        elif cell is None:
            continue
        elif name == b"v":
            cell.v = []
            capture = None if self_closing else cell.v
        elif name == b"f":
            cell.f_seen = True
            cell.f = []
            capture = None if self_closing else cell.f
        elif name == b"is":
            cell.seen_is = in_is = not self_closing
        elif name == b"rPh":
            phonetic = not self_closing
        elif name == b"t" and in_is:
            capture = None if self_closing else cell.inline
    close()
    return scan
