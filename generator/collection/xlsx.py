"""The workbook as XML: sheet parts, the value readers (calamine, openpyxl) and one pass over
each sheet's XML (scan_sheet).

scan_sheet cuts off cells far beyond the layout (a value reader would allocate the whole
rectangle up to them) and reports them, and finds what the value readers do not give:
formulas, per-cent formats, error values, typed cells outside the template's input cells and
the hidden ids that find a renamed theme sheet. XML the reader parses itself goes through
defusedxml.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from generator.collection import layout as L
from generator.collection.guard import Refused


# -- reading cells ----------------------------------------------------------------------------
def _read_calamine(data: bytes, sheets: Sequence[str], max_cols: int | None = None
                   ) -> dict[str, list[list]]:
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # calamine raises its own error types
        raise Refused(f"the workbook cannot be read: {error}") from None
    with workbook:
        present = set(workbook.sheet_names)
        return {name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
                for name in sheets if name in present}


def _read_openpyxl(data: bytes, sheets: Sequence[str], max_cols: int | None = None
                   ) -> dict[str, list[list]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise Refused(f"the workbook cannot be read: {error}") from None
    try:
        result = {}
        for name in sheets:
            if name in workbook.sheetnames:
                sheet = workbook[name]
                sheet.reset_dimensions()  # never trust <dimension>: it may claim XFD1048576
                result[name] = [list(row) for row in sheet.iter_rows(
                    max_col=max_cols or MAX_COLUMNS, values_only=True)]
        return result
    finally:
        workbook.close()


# reader(data, sheets, max_cols=None) -> {sheet: rows of values}; the sheets handed to a reader
# have had any cell beyond their bound cut off first (scan_sheet), so memory stays bounded.
BACKENDS: dict[str, Callable[..., dict[str, list[list]]]] = {
    "calamine": _read_calamine,
    "openpyxl": _read_openpyxl,
}


def sheet_names(data: bytes) -> list[str]:
    """Sheet names in workbook order, from workbook.xml (parsed with defusedxml)."""
    return list(sheet_parts(data))


def sheet_parts(data: bytes) -> dict[str, str]:
    """Sheet name -> part name in the zip."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive_sheet_parts(archive)


def archive_sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    try:
        book = SafeET.fromstring(archive.read("xl/workbook.xml"))
        rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        raise Refused("not an Excel workbook (no xl/workbook.xml)") from None
    except (DefusedXmlException, SafeET.ParseError) as error:
        raise Refused(f"the workbook's XML is unsafe or damaged: {error}") from None
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    result = {}
    for sheet in book.iter():
        if sheet.tag.endswith("}sheet") or sheet.tag == "sheet":
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            target = targets.get(rid, "")
            part = target.lstrip("/") if target.startswith("/") else str(
                PurePosixPath("xl") / target)
            result[sheet.get("name")] = part
    return result


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?v>)", re.S)
_TEXT = re.compile(rb"<(?:\w+:)?t\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?t>)", re.S)
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?/>")
_ATTR_R = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_ATTR_ROW = re.compile(rb'\br="([0-9]+)"')
_ATTR_S = re.compile(rb'\bs="([0-9]+)"')
_ATTR_T = re.compile(rb'\bt="(\w+)"')

# How far a sheet may reach before the cells beyond are cut off (not handed to a value
# reader, which would allocate the whole rectangle up to the farthest cell): columns A-Z, and
# rows up to the last issued row plus ROW_MARGIN. Cells beyond are reported with their text.
MAX_COLUMNS = 26
ROW_MARGIN = 1000
COVER_ROWS = 1000
META_ROWS = 20_000
META_COLUMNS = 4
MAX_EXTRA_CELLS = 500  # cells outside the template stored and reported one by one, per sheet


def column_number(letters: bytes) -> int:
    """'A' -> 0, 'XFD' -> 16383."""
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number - 1


def percent_styles(archive) -> set[bytes]:
    """Style indices (as in s="N") whose number format shows a per-cent value."""
    try:
        styles = SafeET.fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return set()
    except (DefusedXmlException, SafeET.ParseError) as error:
        raise Refused(f"the workbook's styles are unsafe or damaged: {error}") from None
    custom = {}
    for element in styles.iter():
        if element.tag.endswith("numFmt"):
            code = re.sub(r'"[^"]*"|\\.', "", element.get("formatCode", ""))
            custom[element.get("numFmtId")] = "%" in code
    percent = set()
    for element in styles.iter():
        if element.tag.endswith("cellXfs"):
            for index, xf in enumerate(x for x in element if x.tag.endswith("xf")):
                fmt = xf.get("numFmtId", "0")
                if fmt in ("9", "10") or custom.get(fmt):
                    percent.add(str(index).encode())
    return percent


class SharedStrings:
    """The workbook's shared strings, parsed (with defusedxml) only when a cell needs one."""

    def __init__(self, archive):
        self.archive = archive
        self.items: list[str] | None = None

    def __getitem__(self, index: int) -> str:
        if self.items is None:
            self.items = []
            name = next((n for n in self.archive.namelist()
                         if n.lower() == "xl/sharedstrings.xml"), None)
            if name is not None:
                try:
                    root = SafeET.fromstring(self.archive.read(name))
                except (DefusedXmlException, SafeET.ParseError) as error:
                    raise Refused(f"the workbook's shared strings are unsafe or damaged: "
                                  f"{error}") from None
                for si in root:
                    parts = []
                    for child in si:  # <t>, or rich-text runs <r><t>; not phonetic <rPh>
                        if child.tag.endswith("}t"):
                            parts.append(child.text or "")
                        elif child.tag.endswith("}r"):
                            parts += [t.text or "" for t in child if t.tag.endswith("}t")]
                    self.items.append("".join(parts))
        return self.items[index] if 0 <= index < len(self.items) else ""


def _xml_text(raw: bytes | None) -> str:
    """Text between XML tags, entities resolved."""
    return html.unescape((raw or b"").decode("utf-8", "replace"))


def _cell_text(attrs: bytes, inner: bytes, strings: SharedStrings) -> tuple[str, str | None]:
    """(raw text, error value or None) of one cell from its XML, as the person saw it typed."""
    kind = _ATTR_T.search(attrs)
    kind = kind.group(1) if kind else b"n"
    if kind == b"inlineStr":
        return _xml_text(b"".join(m.group(1) or b"" for m in _TEXT.finditer(inner))), None
    value = _VALUE.search(inner)
    text = _xml_text(value.group(1)) if value else ""
    if kind == b"s":
        try:
            return strings[int(text)], None
        except ValueError:
            return text, None
    if kind == b"e":
        return text, text
    if kind == b"b":
        return ("TRUE" if text.strip() == "1" else "FALSE") if text else "", None
    if kind == b"n" and text:
        try:
            return L.raw_text(float(text)), None
        except ValueError:
            return text, None
    return text, None


@dataclass
class SheetScan:
    """What the sheet XML says that the value readers do not (or cannot safely) give.

    extras: per A1 cell read by the layout, {'formula': text, 'percent': True, 'error': '#N/A'}.
    outside: (0-based row, 0-based col, A1, raw text) of typed cells outside the cells the
    layout reads (at most MAX_EXTRA_CELLS; n_outside counts them all); far: how many of them
    lie beyond the sheet's bound (cut off before reading); ids: column-K text by 0-based row
    (to find a renamed sheet); trimmed: the sheet XML without the far cells, or None.
    """

    extras: dict[str, dict] = field(default_factory=dict)
    outside: list[tuple[int, int, str, str]] = field(default_factory=list)
    n_outside: int = 0
    far: int = 0
    farthest: str = ""
    ids: dict[int, str] = field(default_factory=dict)
    trimmed: bytes | None = None


def scan_sheet(xml: bytes, *, max_rows: int, max_cols: int, area: Callable[[int, int], bool],
               percent: set[bytes], strings: SharedStrings) -> SheetScan:
    """One pass over a sheet's XML: extras for cells in `area`, typed cells outside it, and
    the XML cut to `max_rows` x `max_cols` if any cell lies beyond (bounded memory: nothing
    beyond the bound is kept except a count and the first MAX_EXTRA_CELLS texts)."""
    scan = SheetScan()
    cut: list[tuple[int, int]] = []  # byte spans to drop from the XML
    row_number = 0
    for row_match in _ROW.finditer(xml):
        found = _ATTR_ROW.search(row_match.group(1))
        row_number = int(found.group(1)) if found else row_number + 1
        r = row_number - 1
        body = row_match.group(2) or b""
        if r >= max_rows:
            cut.append(row_match.span())
        col = -1
        for match in _CELL.finditer(body):
            attrs, inner = match.group(1), match.group(2) or b""
            ref = _ATTR_R.search(attrs)
            col = column_number(ref.group(1)) if ref else col + 1
            if ref and int(ref.group(2)) != row_number:
                r = int(ref.group(2)) - 1
            beyond = r >= max_rows or col >= max_cols
            if beyond and r < max_rows:
                start = row_match.start(2)
                cut.append((start + match.start(), start + match.end()))
            formula = _FORMULA.search(inner) if inner else None
            typed = bool(_VALUE.search(inner) or _TEXT.search(inner) or formula)
            a1 = L.cell_name(r, col)
            if not beyond and area(r, col):
                entry = {}
                style = _ATTR_S.search(attrs)
                if style is not None and style.group(1) in percent:
                    entry["percent"] = True
                if formula is not None:
                    text = _xml_text(formula.group(2))
                    entry["formula"] = "=" + text if text else "(shared formula)"
                kind = _ATTR_T.search(attrs)
                if kind is not None and kind.group(1) == b"e":
                    entry["error"] = _cell_text(attrs, inner, strings)[1] or "#VALUE!"
                if entry:
                    scan.extras[a1] = entry
                continue
            if col == L.ID_COLUMN and r >= L.FIRST_DATA_ROW and typed \
                    and len(scan.ids) < 100_000:
                scan.ids[r] = _cell_text(attrs, inner, strings)[0].strip()
            if not typed:
                continue
            scan.n_outside += 1
            if beyond:
                scan.far += 1
                scan.farthest = a1
            if len(scan.outside) < MAX_EXTRA_CELLS:
                text = _cell_text(attrs, inner, strings)[0]
                if not text and formula is not None:
                    text = "=" + _xml_text(formula.group(2))
                scan.outside.append((r, col, a1, text))
    if cut:
        pieces, last = [], 0
        for start, end in sorted(cut):
            if start < last:
                continue
            pieces.append(xml[last:start])
            last = end
        pieces.append(xml[last:])
        trimmed = b"".join(pieces)
        scan.trimmed = _DIMENSION.sub(b"", trimmed, count=1)
    return scan


def replace_members(data: bytes, replacements: dict[str, bytes]) -> bytes:
    """The workbook's bytes with some zip members replaced (the far cells cut off)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            target.writestr(info, replacements.get(info.filename, source.read(info)))
    return buffer.getvalue()
