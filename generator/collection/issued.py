"""What a return's template held when it was issued, worked out again.

- `read_metadata`: the hidden metadata sheet (keys, then the sheet, row, id and unit of every
  indicator row as issued). A damaged or edited row costs that row; every cell of the sheet
  the template did not put there is left for the reader to report.
- `cover_texts`, `theme_texts`: the text of every cell the template writer filled (titles,
  headings, indicator names, the cover), so the reader can tell a cell typed over from one
  left as issued. They come from the writer itself (generator.collection.templates) run
  against a recorder instead of a worksheet, so reader and writer cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

from generator.collection import layout as L
from generator.collection import templates
from generator.collection.store import Authority
from generator.collection.xlsx import SheetScan


@dataclass(frozen=True)
class IssuedRow:
    sheet: str
    row: int | None  # 1-based; None when the metadata's row number is damaged
    indicator_id: str
    unit: str


@dataclass
class Issued:
    meta: dict[str, str] = field(default_factory=dict)
    rows: dict[str, IssuedRow] = field(default_factory=dict)  # by indicator id
    sheets: list[str] = field(default_factory=list)  # theme sheets, in issued order
    known: set[tuple[int, int]] = field(default_factory=set)  # metadata cells as issued
    unit_cells: dict[tuple[int, int], str] = field(default_factory=dict)  # -> indicator id
    key_cells: dict[str, str] = field(default_factory=dict)  # key -> its value's cell (B4)

    def on_sheet(self, sheet: str) -> list[IssuedRow]:
        return [row for row in self.rows.values() if row.sheet == sheet]


def _text(scan: SheetScan, row: int, col: int) -> str:
    """A metadata cell's text; '' for a formula (the template writes none there) or damage."""
    cell = scan.at(row, col)
    return "" if cell is None or cell.damaged or cell.formula else cell.raw.strip()


def _row_number(scan: SheetScan, row: int) -> int | None:
    cell = scan.at(row, 1)
    if cell is None or cell.damaged or cell.formula:
        return None
    value = cell.value
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            return None
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if value != int(value) or not L.FIRST_DATA_ROW < value <= 1_048_576:
        return None
    return int(value)


def read_metadata(scan: SheetScan) -> Issued:
    """The metadata sheet as issued; cells it does not explain are left out of `known`."""
    issued = Issued()
    for r, key in enumerate(L.META_KEYS):  # by position, as written: a damaged key costs
        if _text(scan, r, 0) == key:       # only its own cell
            issued.known.add((r, 0))
        issued.meta[key] = _text(scan, r, 1)
        issued.key_cells[key] = L.cell_name(r, 1)
        if issued.meta[key]:
            issued.known.add((r, 1))
    for col, heading in enumerate(L.META_TABLE_HEADER):
        if _text(scan, L.META_TABLE_ROW, col) == heading:
            issued.known.add((L.META_TABLE_ROW, col))
    for r in range(L.META_TABLE_ROW + 1, scan.last_row + 1):
        if not any(scan.at(r, c) for c in range(len(L.META_TABLE_HEADER))):
            break  # the table as written has no gaps: what lies below a gap was typed
        sheet, indicator_id = _text(scan, r, 0), _text(scan, r, 2)
        if not sheet or not indicator_id or indicator_id in issued.rows:
            continue
        number = _row_number(scan, r)
        issued.rows[indicator_id] = IssuedRow(sheet, number, indicator_id, _text(scan, r, 3))
        issued.known |= {(r, 0), (r, 2), (r, 3)} | ({(r, 1)} if number is not None else set())
        issued.unit_cells[(r, 3)] = indicator_id
        if sheet not in issued.sheets:
            issued.sheets.append(sheet)
    return issued


class _Recorder:
    """Stands in for an xlsxwriter worksheet: keeps the text written to each cell."""

    def __init__(self):
        self.texts: dict[tuple[int, int], str] = {}

    def write_string(self, row, col, text, *args):
        self.texts[(row, col)] = str(text)

    def write_number(self, row, col, number, *args):
        self.texts[(row, col)] = L.raw_text(number)

    def __getattr__(self, name):  # formats, widths, protection, printing: not cell text
        return lambda *args, **kwargs: None


_FORMATS = defaultdict(lambda: None)


def _authority(issued: Issued) -> Authority:
    return Authority(issued.meta.get("authority", ""), issued.meta.get("authority_name", ""))


def cover_texts(issued: Issued) -> dict[tuple[int, int], str]:
    """(row, col) -> the text the template writer put on the cover."""
    sheet = _Recorder()
    templates._write_cover(sheet, _authority(issued), issued.meta.get("period", ""),
                           issued.meta.get("dataset", ""), issued.meta.get("deadline", ""),
                           issued.meta.get("contact", ""), issued.sheets, len(issued.rows),
                           _FORMATS)
    return sheet.texts


def theme_texts(issued: Issued, sheet: str, view
                ) -> tuple[dict[tuple[int, int], str], dict[str, dict[int, str]]]:
    """What the template writer put on a theme sheet: (the title, note and heading cells by
    (row, col); per indicator id, its row's locked cells by column). Text that comes from
    the catalogue (the title's theme, names, definitions, reporting basis) is known only when
    the return was made from the same catalogue as `view`; otherwise it is left out."""
    rows = sorted(issued.on_sheet(sheet), key=lambda row: row.row or 0)
    same = issued.meta.get("catalogue_fingerprint") == view.fingerprint
    members = []
    for row in rows:
        name, definition, basis, theme = view.texts.get(row.indicator_id, ("", "", "", ""))
        members.append(SimpleNamespace(id=row.indicator_id, name=name, definition=definition,
                                       reporting_basis=basis, unit=row.unit, theme=theme))
    theme = members[0].theme if members and same else ""
    recorder = _Recorder()
    templates._write_theme(recorder, theme, members, _authority(issued),
                           issued.meta.get("period", ""), _FORMATS)
    fixed = {k: v for k, v in recorder.texts.items() if k[0] < L.FIRST_DATA_ROW}
    if not same or not members or any(m.id not in view.texts for m in members):
        fixed.pop((L.TITLE_ROW, 0), None)
    by_id: dict[str, dict[int, str]] = {}
    catalogue_columns = {L.COLUMN_INDEX[f] for f in ("name", "definition", "reporting_basis")}
    for offset, member in enumerate(members):
        texts = {c: t for (r, c), t in recorder.texts.items() if r == L.FIRST_DATA_ROW + offset}
        if not same or member.id not in view.texts:
            texts = {c: t for c, t in texts.items() if c not in catalogue_columns}
        by_id[member.id] = texts
    return fixed, by_id
