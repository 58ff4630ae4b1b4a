"""Reading filled collection returns: hostile-file guards, reading, validation, collection.

    guard_file(path, limits) -> bytes          refuse a file before any parser sees it
    read_return(path, catalogue, ...) -> ReturnResult
    collect(paths, store, catalogue, ...) -> CollectReport

A refused file is reported and skipped; one bad file never stops the others. Every problem
names its file, sheet, cell, indicator and field; a value with a problem is stored as the raw
text that was typed (never dropped, never changed). The layout comes from generator.collection.layout.

Guards (all before parsing, so time and memory are bounded by `Limits`): file size; .xlsm and
VBA projects; legacy .xls and password-protected (OLE2) files; files that are not a zip or are
truncated; too many members, too large when uncompressed (checked by actually decompressing,
in bounded chunks, not by trusting the header), suspicious compression ratios; XML with a DTD
or entity declarations (entity expansion). XML the reader parses itself goes through defusedxml.
Then one pass over each sheet's XML (scan_sheet) cuts off cells far beyond the layout (a value
reader would allocate the whole rectangle up to them) and reports them, and finds what the
value readers do not give: formulas, per-cent formats, error values, typed cells outside the
template's input cells (stored as raw text, field 'extra') and renamed theme sheets.

A return with a submission-level error (wrong authority or period, or a second return for the
same authority and period in one collection) is stored quarantined: never current until
accepted (Store.accept).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import re
import time
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from generator.collection import layout as L
from generator.collection.store import Authority, Store, Submission
from scorecard.errors import ScorecardError
from scorecard.values import EXCEL_ERRORS, GSS_SHORTHAND, Missing, parse_value
from scorecard.vocab import FRACTION_UNITS, RATE_UNITS

ERROR, WARNING, INFO = "error", "warning", "info"

# Problem codes: code -> (severity, what it means). docs/collection.md lists the same table.
PROBLEM_CODES: dict[str, tuple[str, str]] = {
    "refused": (ERROR, "the file was refused before reading (see message)"),
    "not_a_template": (ERROR, "the workbook is not a Scorecard collection template"),
    "template_version": (ERROR, "the template layout version is not one this reader knows"),
    "catalogue_version": (WARNING, "the template was made from another catalogue version"),
    "wrong_authority": (ERROR, "the authority is not the one expected or the cover was edited; "
                               "the return is stored quarantined (not current)"),
    "wrong_period": (ERROR, "the period is not the one being collected or the cover was edited; "
                            "the return is stored quarantined (not current)"),
    "text_in_number": (ERROR, "text that is not a number in a number cell; kept as raw text"),
    "out_of_range": (ERROR, "a number outside the unit's range; kept as typed"),
    "looks_like_fraction": (WARNING, "a percentage between 0 and 1: typed as a fraction?"),
    "percent_sign": (WARNING, "a percentage typed with a % sign; the number before it is used"),
    "percent_format": (INFO, "a per-cent formatted percentage cell; the value shown (x100) is "
                             "used, the number stored kept as raw"),
    "percent_format_unscaled": (WARNING, "a per-cent formatted cell that is not a percentage; "
                                         "the number stored is used, not x100"),
    "shorthand": (INFO, "GSS shorthand: accepted as missing, with its reason"),
    "placeholder": (WARNING, "a placeholder such as n/a or tbc: missing; use GSS shorthand"),
    "spreadsheet_error": (ERROR, "a spreadsheet error value such as #DIV/0! (typed, or a "
                                 "formula's saved result); kept as raw text"),
    "not_in_list": (ERROR, "a value not in the cell's list (Yes/No)"),
    "not_a_date": (ERROR, "a date cell that does not hold a date"),
    "not_applicable_cell": (ERROR, "a value in a cell that does not apply to the unit"),
    "value_mismatch": (WARNING, "the value typed disagrees with numerator/denominator"),
    "formula": (WARNING, "a formula in an input cell: its saved value used, formula recorded"),
    "formula_no_value": (ERROR, "a formula with no saved value"),
    "unknown_indicator": (ERROR, "an indicator id not in the catalogue"),
    "code_changed": (ERROR, "the visible code differs from the row's hidden indicator id"),
    "moved_row": (INFO, "an indicator row found away from where it was issued; read by id"),
    "deleted_row": (ERROR, "an issued indicator row is missing from the return"),
    "inserted_row": (ERROR, "a row that was not in the template as issued; kept as raw text"),
    "duplicate_row": (ERROR, "the same indicator twice in one return; both kept"),
    "missing_sheet": (ERROR, "a theme sheet of the template is missing, and no other sheet "
                             "holds its indicator ids"),
    "renamed_sheet": (WARNING, "a theme sheet was renamed; its rows were found by their hidden "
                               "ids and read"),
    "extra_sheet": (WARNING, "a sheet that is not part of the template; its cells are kept as "
                             "raw text, not used"),
    "extra_cell": (WARNING, "a typed cell outside the template's input cells (or far beyond "
                            "the sheet's rows and columns); kept as raw text, not used"),
    "duplicate_return": (ERROR, "two returns for one authority and period in one collection; "
                                "both kept, the one not used is quarantined"),
    "accepted": (INFO, "a quarantined return accepted (scorecard store accept): stored again "
                       "as the current version"),
    "duplicate_file": (WARNING, "identical to the last return stored for its authority and "
                                "period, or to another file in the collection; not stored "
                                "again"),
    "text_too_long": (WARNING, "commentary longer than the template allows; kept in full"),
}


@dataclass(frozen=True)
class Limits:
    """What a return may be before it is refused (bounded time and memory)."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_members: int = 500
    max_member_bytes: int = 100 * 1024 * 1024
    max_total_bytes: int = 200 * 1024 * 1024
    max_ratio: float = 200.0  # uncompressed/compressed, for members over ratio_floor bytes
    ratio_floor: int = 1024 * 1024


class Refused(ScorecardError):
    """A file refused before reading: the message says why."""


OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ENTITY_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")


def guard_file(path: Path | str, limits: Limits = Limits()) -> bytes:
    """Return the file's bytes if it is safe to parse; raise Refused saying why not."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsm":
        raise Refused("macro-enabled workbook (.xlsm) refused: save it as .xlsx "
                      "(Excel Workbook) and send that")
    try:
        size = path.stat().st_size
    except OSError as error:
        raise Refused(f"cannot read the file: {error.strerror or error}") from None
    if size > limits.max_file_bytes:
        raise Refused(f"file is {size:,} bytes, over the {limits.max_file_bytes:,}-byte limit")
    if size == 0:
        raise Refused("file is empty (0 bytes)")
    data = path.read_bytes()
    if data.startswith(OLE2_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data or b"EncryptedPackage" in data \
                or "EncryptedPackage".encode("utf-16-le") in data:
            raise Refused("password-protected (encrypted) workbook refused: remove the "
                          "password to open (File > Info > Protect Workbook) and send again")
        raise Refused("legacy Excel 97-2003 (.xls) workbook refused: fill the .xlsx template "
                      "that was sent to you")
    if not data.startswith(ZIP_MAGIC):
        raise Refused("not an Excel .xlsx workbook (it is not a zip file): fill the .xlsx "
                      "template that was sent to you")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        raise Refused("damaged or truncated workbook (the zip cannot be read): "
                      "send the file again") from None
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_members:
            raise Refused(f"workbook has {len(members):,} parts, over the limit of "
                          f"{limits.max_members:,} (possible zip bomb)")
        names = {m.filename.lower() for m in members}
        if any(n.endswith("vbaproject.bin") for n in names):
            raise Refused("workbook contains macros (a VBA project) refused: save it as "
                          ".xlsx without macros")
        declared = sum(m.file_size for m in members)
        if declared > limits.max_total_bytes:
            raise Refused(f"workbook would be {declared:,} bytes uncompressed, over the limit "
                          f"of {limits.max_total_bytes:,} (possible zip bomb)")
        total = 0
        for member in members:
            if member.flag_bits & 0x1:
                raise Refused("workbook has encrypted parts: remove the password and send again")
            if (member.file_size > limits.ratio_floor
                    and member.file_size > limits.max_ratio * max(member.compress_size, 1)):
                raise Refused(f"part {member.filename} compresses {member.file_size:,} bytes "
                              f"into {member.compress_size:,} (over {limits.max_ratio:.0f}:1; "
                              "possible zip bomb)")
            total += _check_member(archive, member, limits, total)
        content_types = _read_member(archive, "[Content_Types].xml", limits)
        if content_types is not None and b"macroEnabled" in content_types:
            raise Refused("macro-enabled workbook refused: save it as .xlsx (Excel Workbook)")
    return data


def _check_member(archive, member, limits, total_so_far) -> int:
    """Decompress one member in bounded chunks (never trusting its header); return its size."""
    size = 0
    tail = b""
    is_xml = member.filename.lower().endswith((".xml", ".rels", ".vml"))
    try:
        with archive.open(member) as handle:
            while chunk := handle.read(1 << 20):
                size += len(chunk)
                if size > limits.max_member_bytes or total_so_far + size > limits.max_total_bytes:
                    raise Refused(f"part {member.filename} is over the size limit when "
                                  "uncompressed (possible zip bomb)")
                if is_xml:
                    window = tail + chunk
                    if any(marker in window for marker in _ENTITY_MARKERS):
                        raise Refused(f"part {member.filename} declares a DTD or XML entities "
                                      "(possible entity-expansion attack); refused")
                    tail = chunk[-16:]
    except Refused:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as error:
        raise Refused(f"damaged or truncated workbook (part {member.filename}: {error})") from None
    return size


def _read_member(archive, name, limits) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > limits.max_member_bytes:
        raise Refused(f"part {name} is over the size limit")
    return archive.read(info)


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
    return list(_sheet_parts(data))


def _sheet_parts(data: bytes) -> dict[str, str]:
    """Sheet name -> part name in the zip."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return _archive_sheet_parts(archive)


def _archive_sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
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


def _column_number(letters: bytes) -> int:
    """'A' -> 0, 'XFD' -> 16383."""
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number - 1


def _percent_styles(archive) -> set[bytes]:
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


class _SharedStrings:
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


def _cell_text(attrs: bytes, inner: bytes, strings: _SharedStrings) -> tuple[str, str | None]:
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
               percent: set[bytes], strings: _SharedStrings) -> SheetScan:
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
            col = _column_number(ref.group(1)) if ref else col + 1
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


def _replace_members(data: bytes, replacements: dict[str, bytes]) -> bytes:
    """The workbook's bytes with some zip members replaced (the far cells cut off)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            target.writestr(info, replacements.get(info.filename, source.read(info)))
    return buffer.getvalue()


# -- validating -------------------------------------------------------------------------------
@dataclass(frozen=True)
class CatalogueView:
    """What the reader needs from the catalogue (small and picklable, for worker processes)."""

    fingerprint: str
    units: dict[str, str]
    decimals: dict[str, int]

    @classmethod
    def of(cls, catalogue) -> CatalogueView:
        return cls(catalogue.fingerprint(), {i.id: i.unit for i in catalogue},
                   {i.id: int(getattr(i, "decimal_places", 1) or 0) for i in catalogue})


@dataclass
class ReturnResult:
    file: str
    submission: Submission | None
    problems: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def refused(self) -> bool:
        return self.submission is None


def _problem(file: str, code: str, message: str, *, sheet="", cell="", indicator_id="",
             field="", raw="", severity: str | None = None) -> dict:
    """One problem as reported and stored; severity from PROBLEM_CODES unless given."""
    return {"file": file, "sheet": sheet, "cell": cell, "indicator_id": indicator_id,
            "field": field, "code": code, "severity": severity or PROBLEM_CODES[code][0],
            "message": message, "raw": raw}


class _Problems:
    def __init__(self, file: str):
        self.file = file
        self.items: list[dict] = []

    def add(self, code: str, message: str, **where) -> str:
        """Record a problem (where: sheet, cell, indicator_id, field, raw, severity); return
        its severity."""
        problem = _problem(self.file, code, message, **where)
        self.items.append(problem)
        return problem["severity"]


def read_return(path: Path | str, catalogue, *, expected_period: str | None = None,
                authorities: Sequence[Authority] | None = None, backend: str = "calamine",
                limits: Limits = Limits()) -> ReturnResult:
    """Guard, read and validate one return. Never raises for a bad file: it is refused."""
    start = time.perf_counter()
    path = Path(path)
    view = catalogue if isinstance(catalogue, CatalogueView) else CatalogueView.of(catalogue)
    problems = _Problems(str(path))
    try:
        data = guard_file(path, limits)
        submission = _read(data, path, view, problems, expected_period, authorities, backend)
    except Refused as error:
        code = "refused"
        message = str(error)
        if isinstance(error, _NotTemplate):
            code = "not_a_template"
        elif isinstance(error, _WrongVersion):
            code = "template_version"
        problems.add(code, message)
        submission = None
    except Exception as error:  # noqa: BLE001 - one bad file must never stop the others
        problems.add("refused", f"the workbook cannot be read: {type(error).__name__}: {error}")
        submission = None
    if submission is not None:
        submission.problems = problems.items
    return ReturnResult(str(path), submission, problems.items, time.perf_counter() - start)


class _NotTemplate(Refused):
    pass


class _WrongVersion(Refused):
    pass


QUARANTINE_CODES = ("wrong_authority", "wrong_period")  # submission-level errors


def _theme_area(r: int, c: int) -> bool:
    """Cells of a theme sheet the layout reads or writes: the title and note (A1, A2), the
    headings (row 3) and columns A-K of the indicator rows."""
    if r >= L.FIRST_DATA_ROW:
        return c <= L.ID_COLUMN
    return c == 0 or (r == L.HEADER_ROW and c <= L.ID_COLUMN)


def _read(data, path, view, problems, expected_period, authorities, backend) -> Submission:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return _read_archive(archive, data, path, view, problems, expected_period, authorities,
                             backend)


def _read_archive(archive, data, path, view, problems, expected_period, authorities,
                  backend) -> Submission:
    parts = _archive_sheet_parts(archive)
    names = list(parts)
    if L.META_SHEET not in names:
        raise _NotTemplate("not a Scorecard collection template (its hidden metadata sheet "
                           f"{L.META_SHEET!r} is missing): fill the template that was sent to you")
    reader = BACKENDS[backend]
    percent = _percent_styles(archive)
    strings = _SharedStrings(archive)

    def scan(name, max_rows, max_cols, area):
        try:
            xml = archive.read(parts[name])
        except KeyError:
            return SheetScan()
        return scan_sheet(xml, max_rows=max_rows, max_cols=max_cols, area=area,
                          percent=percent, strings=strings)

    meta_scan = scan(L.META_SHEET, META_ROWS, META_COLUMNS, lambda r, c: True)
    meta_data = data if meta_scan.trimmed is None else _replace_members(
        data, {parts[L.META_SHEET]: meta_scan.trimmed})
    meta_rows = reader(meta_data, [L.META_SHEET], META_COLUMNS)[L.META_SHEET]
    meta = {}
    for row in meta_rows[: len(L.META_KEYS)]:
        if len(row) >= 2 and row[0]:
            meta[str(row[0])] = L.raw_text(row[1])
    if meta.get("marker") != L.TEMPLATE_MARKER:
        raise _NotTemplate("not a Scorecard collection template (metadata marker missing)")
    if meta.get("template_version") != L.TEMPLATE_VERSION:
        raise _WrongVersion(f"template layout version {meta.get('template_version')!r} is not "
                            f"this reader's ({L.TEMPLATE_VERSION!r}): issue a new template")
    issued: dict[str, tuple[str, int]] = {}  # indicator id -> (sheet, 1-based row)
    theme_sheets: list[str] = []
    for row in meta_rows[L.META_TABLE_ROW + 1:]:
        if len(row) < 3 or not row[0]:
            continue
        sheet, number, indicator_id = str(row[0]), int(float(row[1])), L.raw_text(row[2])
        issued[indicator_id] = (sheet, number)
        if sheet not in theme_sheets:
            theme_sheets.append(sheet)
    authority, period = meta.get("authority", ""), meta.get("period", "")
    submission = Submission(authority, period, str(path), hashlib.sha256(data).hexdigest(),
                            meta.get("template_version", ""),
                            meta.get("catalogue_fingerprint", ""), meta.get("dataset", ""))
    submission.modified = _modified(archive)
    if submission.catalogue_fingerprint != view.fingerprint:
        problems.add("catalogue_version",
                     f"template made from catalogue {submission.catalogue_fingerprint[:12]}, the "
                     f"store uses {view.fingerprint[:12]}: indicators are read by id, and ids no "
                     "longer in the catalogue are reported", sheet=L.META_SHEET)
    if expected_period is not None and period != expected_period:
        problems.add("wrong_period", f"return is for period {period!r}, collecting "
                     f"{expected_period!r}; stored under {period!r}, quarantined",
                     sheet=L.COVER_SHEET, cell=L.cell_name(*L.COVER_PERIOD), raw=period)
    if authorities is not None and authority not in {a.code for a in authorities}:
        problems.add("wrong_authority", f"authority {authority!r} is not on the list of "
                     "authorities being collected; stored quarantined", sheet=L.COVER_SHEET,
                     cell=L.cell_name(*L.COVER_AUTHORITY), raw=authority)

    row_bound = max((n for _, n in issued.values()), default=L.FIRST_DATA_ROW) + ROW_MARGIN
    scans = {L.META_SHEET: meta_scan}
    if L.COVER_SHEET in parts:
        scans[L.COVER_SHEET] = scan(L.COVER_SHEET, COVER_ROWS, MAX_COLUMNS, lambda r, c: True)
    for name in theme_sheets:
        if name in parts:
            scans[name] = scan(name, row_bound, MAX_COLUMNS, _theme_area)
    # a theme sheet renamed: find its issued ids in the hidden column of another sheet
    read_as: dict[str, str] = {name: name for name in theme_sheets if name in parts}
    extra_sheets = []
    for name in names:
        if name in scans:
            continue
        found = scan(name, row_bound, MAX_COLUMNS, lambda r, c: False)
        lost = [s for s in theme_sheets if s not in parts and s not in read_as.values()]
        owner = next((s for s in lost if any(issued.get(i, ("",))[0] == s
                                             for i in found.ids.values())), None)
        if owner is None:
            scans[name] = found
            extra_sheets.append(name)
            continue
        scans[name] = scan(name, row_bound, MAX_COLUMNS, _theme_area)
        read_as[name] = owner
        problems.add("renamed_sheet", f"sheet {owner!r} was renamed {name!r}; its rows were "
                     "found by their hidden indicator ids and read", sheet=name)
    wanted = [L.COVER_SHEET, *read_as]
    trims = {parts[n]: scans[n].trimmed for n in wanted
             if n in scans and scans[n].trimmed is not None}
    readable = data if not trims else _replace_members(data, trims)
    sheets = reader(readable, wanted, MAX_COLUMNS)
    cover = sheets.get(L.COVER_SHEET, [])
    for (r, c), expected, code in ((L.COVER_AUTHORITY, authority, "wrong_authority"),
                                   (L.COVER_PERIOD, period, "wrong_period")):
        shown = L.raw_text(_at(cover, r, c)).strip()
        if shown != expected:
            problems.add(code, f"cover says {shown!r} but the template was issued for "
                         f"{expected!r}; stored under {expected!r}, quarantined",
                         sheet=L.COVER_SHEET, cell=L.cell_name(r, c), raw=shown)
    seen: set[str] = set()
    for sheet in theme_sheets:
        if sheet not in read_as.values():
            problems.add("missing_sheet", f"sheet {sheet!r} is missing (renamed or deleted) "
                         "and no other sheet holds its indicator ids; its indicators are "
                         "reported as deleted rows", sheet=sheet)
    for name, issued_name in read_as.items():
        _read_sheet(name, sheets.get(name, []), scans[name].extras, issued, view, submission,
                    problems, seen, issued_name)
    for indicator_id, (sheet, number) in issued.items():
        if indicator_id not in seen:
            problems.add("deleted_row", f"indicator {indicator_id} (issued on {sheet!r} row "
                         f"{number}) is missing from the return", sheet=sheet,
                         cell=f"A{number}", indicator_id=indicator_id)
    for name in names:
        result = scans.get(name)
        if result is None:
            continue
        rows = sheets.get(name, [])
        _keep_outside(name, result, rows, name in extra_sheets, name in read_as, row_bound,
                      submission, problems)
    if any(p["code"] in QUARANTINE_CODES for p in problems.items):
        submission.quarantine = ", ".join(sorted({p["code"] for p in problems.items
                                                  if p["code"] in QUARANTINE_CODES}))
    return submission


def _modified(archive) -> str:
    """The workbook's own last-modified time (docProps/core.xml), or ''."""
    try:
        xml = archive.read("docProps/core.xml")
    except KeyError:
        return ""
    match = re.search(rb"<dcterms:modified\b[^>]*>([^<]*)</dcterms:modified>", xml)
    return match.group(1).decode("utf-8", "replace").strip() if match else ""


def _keep_outside(name, scan, rows, is_extra, is_theme, row_bound, submission, problems):
    """Typed cells the layout does not read: reported (extra_cell / extra_sheet) and stored
    as raw text (field 'extra'), so nothing typed is lost."""
    if is_extra:
        problems.add("extra_sheet", f"sheet {name!r} is not part of the template; its "
                     f"{scan.n_outside:,} typed cell(s) are kept as raw text, not used",
                     sheet=name)
    for r, c, ref, text in scan.outside:
        indicator_id = ""
        if is_theme and r >= L.FIRST_DATA_ROW:
            indicator_id = L.raw_text(_at(rows, r, L.ID_COLUMN)).strip()
        if not is_extra:
            far = r >= row_bound or c >= MAX_COLUMNS
            where = ("far outside the template (the sheet is read only to "
                     f"{L.cell_name(row_bound - 1, MAX_COLUMNS - 1)})" if far
                     else "outside the template's input cells")
            problems.add("extra_cell", f"{ref} holds {text[:60]!r}, {where}; kept as raw text, "
                         "not used", sheet=name, cell=ref, indicator_id=indicator_id,
                         field="extra", raw=text)
        submission.cells.append({
            "indicator_id": indicator_id, "field": "extra", "number": None, "text": text,
            "raw": text, "missing_code": None, "missing_reason": None, "formula": None,
            "status": WARNING, "file": problems.file, "sheet": name, "cell": ref})
    if scan.n_outside > len(scan.outside):
        problems.add("extra_cell", f"{scan.n_outside - len(scan.outside):,} more typed cell(s) "
                     f"outside the template on sheet {name!r} (the farthest "
                     f"{scan.farthest or 'unknown'}) were not stored: only the first "
                     f"{MAX_EXTRA_CELLS} are kept; remove them and send the return again",
                     sheet=name, cell=scan.farthest, severity=ERROR)


def _at(rows, r, c):
    if r < len(rows) and c < len(rows[r]):
        value = rows[r][c]
        return None if value == "" else value
    return None


def _read_sheet(sheet, rows, extras, issued, view, submission, problems, seen,
                issued_name=None):
    """Read the indicator rows of one theme sheet (issued as `issued_name` if renamed)."""
    issued_name = issued_name or sheet
    for r in range(L.FIRST_DATA_ROW, len(rows)):
        row = rows[r]
        cells = {f: _at(rows, r, L.COLUMN_INDEX[f]) for f in L.INPUT_FIELDS}
        hidden = L.raw_text(_at(rows, r, L.ID_COLUMN)).strip()
        code = L.raw_text(_at(rows, r, L.CODE_COLUMN)).strip()
        has_input = any(v is not None for v in cells.values())
        if not hidden and not code and not has_input and not any(
                v not in ("", None) for v in row):
            continue
        indicator_id = hidden or code
        where = {"sheet": sheet, "cell": L.cell_name(r, L.CODE_COLUMN)}
        status = "ok"
        if not hidden:
            status = problems.add("inserted_row", f"row {r + 1} was not in the template as "
                                  "issued (no hidden indicator id); its cells are kept as raw "
                                  "text", indicator_id=code, raw=code, **where)
        elif code and code != hidden:
            status = problems.add("code_changed", f"row {r + 1}: the Code cell says {code!r} but "
                                  f"the row was issued for {hidden!r}; read as {hidden!r}",
                                  indicator_id=hidden, raw=code, **where)
        if hidden and hidden not in view.units:
            status = problems.add("unknown_indicator", f"indicator {hidden!r} on row {r + 1} is "
                                  "not in the catalogue; its cells are kept as raw text",
                                  indicator_id=hidden, raw=hidden, **where)
        elif hidden and hidden not in issued:
            status = problems.add("inserted_row", f"row {r + 1} holds {hidden!r}, which was not "
                                  "in this template as issued; kept as raw text",
                                  indicator_id=hidden, raw=hidden, **where)
        elif hidden and hidden in seen:
            status = problems.add("duplicate_row", f"indicator {hidden!r} appears again on row "
                                  f"{r + 1}; both rows are kept, neither is used",
                                  indicator_id=hidden, **where)
        elif hidden:
            issued_sheet, issued_row = issued[hidden]
            if (issued_sheet, issued_row) != (issued_name, r + 1):
                problems.add("moved_row", f"indicator {hidden!r} was issued on {issued_sheet!r} "
                             f"row {issued_row} and found on row {r + 1}; read by its id",
                             indicator_id=hidden, **where)
        if hidden:
            seen.add(hidden)
        unit = view.units.get(hidden) if status != ERROR else None
        _read_row(sheet, r, cells, extras, indicator_id, unit, view, submission, problems,
                  row_status=status)


def _read_row(sheet, r, cells, extras, indicator_id, unit, view, submission, problems,
              row_status):
    applicable = L.input_fields(unit) if unit else ()
    numbers = {}
    records = {}  # field -> the cell record stored for this row
    for field_name in L.INPUT_FIELDS:
        col = L.COLUMN_INDEX[field_name]
        ref = L.cell_name(r, col)
        value = cells[field_name]
        extra = extras.get(ref, {})
        error = extra.get("error")
        if error is not None:  # calamine gives '' for an error cell, openpyxl its text
            value = error
        if value is None and "formula" not in extra:
            continue
        where = {"sheet": sheet, "cell": ref, "indicator_id": indicator_id, "field": field_name}
        record = {"indicator_id": indicator_id, "field": field_name, "number": None,
                  "text": None, "raw": L.raw_text(value), "missing_code": None,
                  "missing_reason": None, "formula": extra.get("formula"), "status": "ok",
                  "file": problems.file, "sheet": sheet, "cell": ref}
        severities = []
        if error is not None:
            record["text"] = error
            made = f" by formula {extra['formula']}" if extra.get("formula") else ""
            severities.append(problems.add(
                "spreadsheet_error", f"spreadsheet error {error}{made}: no value; fix the "
                "cell or use GSS shorthand", raw=error, **where))
        elif extra.get("formula"):
            if value is None:
                severities.append(problems.add(
                    "formula_no_value", f"formula {extra['formula']} has no saved value "
                    "(the file was not recalculated); type the value instead",
                    raw=extra["formula"], **where))
            else:
                severities.append(problems.add(
                    "formula", f"formula {extra['formula']} in an input cell: its saved value "
                    f"{L.raw_text(value)} is used and the formula recorded", raw=record["raw"],
                    **where))
        if value is not None and error is None:
            if unit is None:
                record["text"] = record["raw"]
                severities.append(row_status)
            elif field_name not in applicable:
                severities.append(problems.add(
                    "not_applicable_cell", f"{field_name} does not apply to a {unit} "
                    "indicator; kept as raw text, not used", raw=record["raw"], **where))
                record["text"] = record["raw"]
            else:
                severities += _read_cell(field_name, unit, value, extra, record, problems, where)
                if record["number"] is not None and not record["missing_code"]:
                    numbers[field_name] = record["number"]
        record["status"] = _worst(severities + [row_status])
        submission.cells.append(record)
        records[field_name] = record
    if unit in FRACTION_UNITS:
        _check_fraction(unit, numbers, records, view.decimals.get(indicator_id, 1), sheet, r,
                        indicator_id, problems)


_RANK = {"ok": 0, INFO: 1, WARNING: 2, ERROR: 3}


def _worst(severities) -> str:
    return max((s for s in severities if s), key=lambda s: _RANK[s], default="ok")


_FLAGGED = re.compile(r"^\s*(\S+?)\s*(\[\w+\])\s*$")  # a figure with GSS shorthand: 12.3 [u]


def _read_cell(field_name, unit, value, extra, record, problems, where) -> list[str]:
    rule = L.rule_for(field_name, unit)
    raw = record["raw"]
    if rule.kind == "text":
        record["text"] = raw
        if len(raw) > L.MAX_TEXT:
            return [problems.add("text_too_long", f"{len(raw):,} characters, over the "
                                 f"{L.MAX_TEXT:,} the template allows; kept in full", **where)]
        return []
    if isinstance(value, str) and value.strip().lower() in GSS_SHORTHAND:
        missing = parse_value(value)
        record.update(missing_code=missing.code, missing_reason=missing.reason)
        return [problems.add("shorthand", f"{missing.code}: missing ({missing.reason})",
                             raw=raw, **where)]
    if rule.kind == "date":
        if isinstance(value, dt.datetime | dt.date):
            record["text"] = raw
            return []
        text = raw.strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                record["text"] = dt.datetime.strptime(text, fmt).date().isoformat()
                return []
            except ValueError:
                pass
        record["text"] = raw
        return [problems.add("not_a_date", f"{raw!r} is not a date (dd/mm/yyyy)", raw=raw,
                             **where)]
    if rule.kind == "list":
        choices = {c.lower(): c for c in rule.choices}
        record["text"] = raw
        if raw.strip().lower() in choices:
            record["text"] = choices[raw.strip().lower()]
            return []
        return [problems.add("not_in_list", f"{raw!r} is not one of {', '.join(rule.choices)}",
                             raw=raw, **where)]
    # numbers
    if isinstance(value, bool) or isinstance(value, dt.date | dt.time | dt.timedelta):
        record["text"] = raw
        return [problems.add("text_in_number", f"{raw!r} is not a number ({rule.description}); "
                             "kept as raw text", raw=raw, **where)]
    severities = []
    percent_unit = unit == "percentage" and field_name in ("value", "target")
    from_percent = False
    if isinstance(value, int | float):
        number = float(value)
        if extra.get("percent"):
            shown = L.raw_text(_times_100(number)) + "%"
            if percent_unit:
                number = _times_100(number)
                from_percent = True
                severities.append(problems.add(
                    "percent_format", f"cell is formatted as a percentage: shown as {shown}, "
                    f"read as {L.raw_text(number)} (the cell stores {raw})", raw=raw, **where))
            else:
                severities.append(problems.add(
                    "percent_format_unscaled", f"cell is formatted as a percentage and shows "
                    f"{shown}, but the {field_name} of a {unit} indicator is not a percentage: "
                    f"the number the cell stores, {raw}, is used", raw=raw, **where))
    else:
        text = str(value)
        if text.strip().upper() in EXCEL_ERRORS:
            record["text"] = raw
            return [problems.add("spreadsheet_error", f"spreadsheet error {text.strip()}: no "
                                 "value; fix the cell or use GSS shorthand", raw=raw, **where)]
        try:
            parsed = parse_value(text)
        except ScorecardError:
            record["text"] = raw
            return [problems.add("text_in_number", f"{raw!r} is not a number "
                                 f"({rule.description}); kept as raw text", raw=raw, **where)]
        if isinstance(parsed, Missing):
            return [_read_missing(text, raw, parsed, record, problems, where)]
        number = parsed
        if text.strip().endswith("%"):
            from_percent = True
            if percent_unit:
                severities.append(problems.add(
                    "percent_sign", f"{raw!r} typed with a % sign: read as "
                    f"{L.raw_text(number)} (percentages are on the 0-100 scale)", raw=raw,
                    **where))
            else:
                record["text"] = raw
                return [problems.add("text_in_number", f"{raw!r}: a % sign in a "
                                     f"{field_name} cell of a {unit} indicator; kept as raw "
                                     "text", raw=raw, **where)]
    record["number"] = number
    trouble = L.range_problem(number, rule)
    if trouble:
        severities.append(problems.add("out_of_range", f"{trouble}; kept as typed", raw=raw,
                                       **where))
    elif percent_unit and 0 < number <= 1 and not from_percent:
        severities.append(problems.add(
            "looks_like_fraction", f"{raw} looks like a fraction: percentages are on the 0-100 "
            f"scale (type {L.raw_text(_times_100(number))} for "
            f"{L.raw_text(_times_100(number))}%); kept as typed", raw=raw, **where))
    return severities


def _read_missing(text, raw, missing, record, problems, where) -> str:
    """Shorthand or a placeholder typed in a number cell; a figure flagged with shorthand
    ("12.3 [u]") keeps its number. Returns the severity."""
    record.update(missing_code=missing.code, missing_reason=missing.reason, text=raw)
    if missing.code not in GSS_SHORTHAND:
        return problems.add("placeholder", f"{raw!r} read as missing ({missing.reason}); "
                            f"use GSS shorthand ({L.SHORTHAND_HELP})", raw=raw, **where)
    flagged = _FLAGGED.match(text)
    try:
        figure = parse_value(flagged.group(1)) if flagged else None
    except ScorecardError:
        figure = None
    if isinstance(figure, float | int):
        record["number"] = float(figure)
        return problems.add("shorthand", f"{L.raw_text(float(figure))} flagged {missing.code} "
                            f"({missing.reason}): the figure is kept, shown as flagged",
                            raw=raw, **where)
    return problems.add("shorthand", f"{missing.code}: missing ({missing.reason})", raw=raw,
                        **where)


def _times_100(number: float) -> float:
    """A fraction as a percentage, without binary noise (0.865 -> 86.5, not 86.49999...)."""
    return float(f"{number * 100:.12g}")


def _check_fraction(unit, numbers, records, decimals, sheet, r, indicator_id, problems):
    numerator, denominator = numbers.get("numerator"), numbers.get("denominator")
    where = {"sheet": sheet, "indicator_id": indicator_id}

    def flag(field_name, severity):
        record = records.get(field_name)
        if record is not None:
            record["status"] = _worst([record["status"], severity])

    if numerator is None or denominator is None:
        return
    den_ref = L.cell_name(r, L.COLUMN_INDEX["denominator"])
    if denominator == 0:
        flag("denominator", problems.add("out_of_range", "denominator is 0: no rate or "
                                         "percentage can be formed", cell=den_ref,
                                         field="denominator", raw="0", **where))
        return
    if unit == "percentage" and numerator > denominator:
        flag("numerator", problems.add(
            "out_of_range", f"numerator {L.raw_text(numerator)} is more than denominator "
            f"{L.raw_text(denominator)}: a percentage cannot be over 100",
            cell=L.cell_name(r, L.COLUMN_INDEX["numerator"]), field="numerator",
            raw=L.raw_text(numerator), **where))
        return
    value = numbers.get("value")
    if value is None:
        return
    per = 100 if unit == "percentage" else RATE_UNITS[unit]
    computed = numerator / denominator * per
    if abs(computed - value) > 0.5 * 10 ** -max(decimals, 0) + 1e-9:
        flag("value", problems.add(
            "value_mismatch", f"value {L.raw_text(value)} but numerator/denominator give "
            f"{computed:.{max(decimals, 0) + 2}f}; the value typed is kept",
            cell=L.cell_name(r, L.COLUMN_INDEX["value"]), field="value",
            raw=L.raw_text(value), **where))


# -- collecting many returns -------------------------------------------------------------------
@dataclass
class CollectReport:
    results: list[ReturnResult]
    versions: dict[str, int | None]  # file -> version stored (None: not stored)
    problems: list[dict]

    @property
    def refused(self) -> list[ReturnResult]:
        return [r for r in self.results if r.refused]


def _read_one(args):
    path, view, expected_period, authorities, backend, limits = args
    return read_return(path, view, expected_period=expected_period, authorities=authorities,
                       backend=backend, limits=limits)


def _settle_duplicates(key, group, store) -> list[ReturnResult]:
    """Two or more returns for one authority and period in one collection: never guess.

    All are stored. If a return is already current for the key it stays current and every new
    one is quarantined; otherwise the one whose workbook was saved last (docProps/core.xml
    modified time) is used, and the rest are quarantined. If the saved times do not tell,
    all are quarantined. Each quarantined one gets a duplicate_return error naming the files.
    Returns the group in the order to store it (the one used last, so its version is highest).
    """
    group = sorted(group, key=lambda r: (r.submission.modified or "", r.file))
    names = ", ".join(r.file for r in group)
    current = store.latest(*key)
    usable = [r for r in group if not r.submission.quarantine]
    winner = None
    if current is not None:
        why = (f"version {current['version']} already collected (from {current['file']}) "
               "stays current")
    elif usable and usable[-1].submission.modified and all(
            r.submission.modified != usable[-1].submission.modified for r in usable[:-1]):
        winner = usable[-1]
        why = (f"{winner.file} is used, as its workbook was saved last "
               f"({winner.submission.modified}, from its properties)")
    else:
        why = "the workbooks' saved times do not tell which is later, so neither is used"
    for result in group:
        if result is winner:
            continue
        result.submission.quarantine = ", ".join(
            filter(None, (result.submission.quarantine, "duplicate_return")))
        result.problems.append(_problem(
            result.file, "duplicate_return",
            f"{len(group)} returns for {key[0]} {key[1]} in this collection ({names}): {why}; "
            f"this one is stored quarantined (accept it with `scorecard store accept {key[0]} "
            f"\"{key[1]}\" VERSION` if it is the right one)"))
    return [r for r in group if r is not winner] + ([winner] if winner else [])


def collect(paths: Sequence[Path | str], store: Store, catalogue, *,
            expected_period: str | None = None, authorities: Sequence[Authority] | None = None,
            backend: str = "calamine", limits: Limits = Limits(), jobs: int = 1,
            progress: Callable[[int, int, str], None] | None = None,
            collected_at: str | None = None) -> CollectReport:
    """Read, validate and store many returns; refused files are reported, never fatal."""
    if backend not in BACKENDS:
        raise ScorecardError(f"unknown reader {backend!r}; choose from {', '.join(BACKENDS)}")
    view = CatalogueView.of(catalogue)
    if authorities:
        store.add_authorities(authorities)
    tasks = [(str(p), view, expected_period, tuple(authorities) if authorities else None,
              backend, limits) for p in paths]
    results: list[ReturnResult] = []
    if jobs > 1 and len(tasks) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for index, result in enumerate(pool.map(_read_one, tasks, chunksize=4), start=1):
                results.append(result)
                if progress:
                    progress(index, len(tasks), result.file)
    else:
        for index, task in enumerate(tasks, start=1):
            results.append(_read_one(task))
            if progress:
                progress(index, len(tasks), task[0])
    versions: dict[str, int | None] = {}
    groups: dict[tuple[str, str], list[ReturnResult]] = {}
    batch_files: dict[str, str] = {}  # sha256 -> file, for copies inside this collection
    for result in results:
        if result.submission is None:
            store.add_problems(result.problems, collected_at=collected_at)
            versions[result.file] = None
            continue
        key = (result.submission.authority, result.submission.period)
        earlier = store.duplicate_of(result.submission)
        copy_of = batch_files.get(result.submission.file_sha256)
        if earlier is not None or copy_of is not None:
            what = (f"version {earlier['version']} of {key[0]} {key[1]} already collected from "
                    f"{earlier['file']} at {earlier['collected_at']}" if earlier is not None
                    else f"{copy_of}, in this collection")
            problem = _problem(result.file, "duplicate_file",
                               f"identical to {what}; not stored again")
            result.problems.append(problem)
            store.add_problems([problem], submission_id=earlier["id"] if earlier else None,
                               collected_at=collected_at)
            versions[result.file] = None
            continue
        batch_files[result.submission.file_sha256] = result.file
        groups.setdefault(key, []).append(result)
    for key, group in groups.items():
        if len(group) > 1:
            group = _settle_duplicates(key, group, store)
        for result in group:
            versions[result.file] = store.add_submission(result.submission, collected_at)
    problems = [p for r in results for p in r.problems]
    return CollectReport(results, versions, problems)
