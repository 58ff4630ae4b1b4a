"""Reading filled collection returns: hostile-file guards, reading, validation, collection.

    guard_file(path, limits) -> bytes          refuse a file before any parser sees it
    read_return(path, catalogue, ...) -> ReturnResult
    collect(paths, store, catalogue, ...) -> CollectReport

A refused file is reported and skipped; one bad file never stops the others. Every problem
names its file, sheet, cell, indicator and field; a value with a problem is stored as the raw
text that was typed (never dropped, never changed). The layout comes from template_layout.

Guards (all before parsing, so time and memory are bounded by `Limits`): file size; .xlsm and
VBA projects; legacy .xls and password-protected (OLE2) files; files that are not a zip or are
truncated; too many members, too large when uncompressed (checked by actually decompressing,
in bounded chunks, not by trusting the header), suspicious compression ratios; XML with a DTD
or entity declarations (entity expansion). XML the reader parses itself goes through defusedxml.
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

from generator import template_layout as L
from generator.store import Authority, Store, Submission
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
    "wrong_authority": (ERROR, "the authority is not the one expected or the cover was edited"),
    "wrong_period": (ERROR, "the period is not the one being collected or the cover was edited"),
    "text_in_number": (ERROR, "text that is not a number in a number cell; kept as raw text"),
    "out_of_range": (ERROR, "a number outside the unit's range; kept as typed"),
    "looks_like_fraction": (WARNING, "a percentage between 0 and 1: typed as a fraction?"),
    "percent_sign": (WARNING, "a percentage typed with a % sign; the number before it is used"),
    "percent_format": (INFO, "a per-cent formatted cell; the value shown (x100) is used"),
    "shorthand": (INFO, "GSS shorthand: accepted as missing, with its reason"),
    "placeholder": (WARNING, "a placeholder such as n/a or tbc: missing; use GSS shorthand"),
    "spreadsheet_error": (ERROR, "a spreadsheet error value such as #DIV/0!"),
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
    "missing_sheet": (ERROR, "a theme sheet of the template is missing or renamed"),
    "extra_sheet": (WARNING, "a sheet that is not part of the template; not read"),
    "duplicate_return": (WARNING, "more than one return for an authority and period"),
    "duplicate_file": (WARNING, "identical to a return already stored; not stored again"),
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
def _read_calamine(data: bytes, sheets: Sequence[str]) -> dict[str, list[list]]:
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # calamine raises its own error types
        raise Refused(f"the workbook cannot be read: {error}") from None
    with workbook:
        present = set(workbook.sheet_names)
        return {name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
                for name in sheets if name in present}


def _read_openpyxl(data: bytes, sheets: Sequence[str]) -> dict[str, list[list]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise Refused(f"the workbook cannot be read: {error}") from None
    try:
        result = {}
        for name in sheets:
            if name in workbook.sheetnames:
                result[name] = [list(row) for row in workbook[name].iter_rows(values_only=True)]
        return result
    finally:
        workbook.close()


BACKENDS: dict[str, Callable[[bytes, Sequence[str]], dict[str, list[list]]]] = {
    "calamine": _read_calamine,
    "openpyxl": _read_openpyxl,
}


def sheet_names(data: bytes) -> list[str]:
    """Sheet names in workbook order, from workbook.xml (parsed with defusedxml)."""
    return list(_sheet_parts(data))


def _sheet_parts(data: bytes) -> dict[str, str]:
    """Sheet name -> part name in the zip."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
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
_FORMULA = re.compile(rb"<(?:\w+:)?f\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_ATTR_R = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_ATTR_S = re.compile(rb'\bs="([0-9]+)"')


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


def cell_extras(data: bytes, sheets: Sequence[str]) -> dict[str, dict[str, dict]]:
    """Per sheet, per A1 cell: {'formula': text} and/or {'percent': True}.

    What the value readers do not give: formulas in cells and per-cent number formats.
    """
    parts = _sheet_parts(data)
    result: dict[str, dict[str, dict]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        percent = _percent_styles(archive)
        for name in sheets:
            part = parts.get(name)
            if part is None:
                continue
            try:
                xml = archive.read(part)
            except KeyError:
                continue
            found: dict[str, dict] = {}
            if b"<f" in xml or b":f" in xml or percent:
                for match in _CELL.finditer(xml):
                    attrs, inner = match.group(1), match.group(2) or b""
                    ref = _ATTR_R.search(attrs)
                    if ref is None:
                        continue
                    entry = {}
                    style = _ATTR_S.search(attrs)
                    if style is not None and style.group(1) in percent:
                        entry["percent"] = True
                    formula = _FORMULA.search(inner) if inner else None
                    if formula is not None:
                        text = html.unescape((formula.group(2) or b"").decode("utf-8", "replace"))
                        entry["formula"] = "=" + text if text else "(shared formula)"
                    if entry:
                        found[ref.group(1).decode()] = entry
            result[name] = found
    return result


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


class _Problems:
    def __init__(self, file: str):
        self.file = file
        self.items: list[dict] = []

    def add(self, code: str, message: str, *, sheet="", cell="", indicator_id="", field="",
            raw="", severity: str | None = None) -> str:
        severity = severity or PROBLEM_CODES[code][0]
        self.items.append({"file": self.file, "sheet": sheet, "cell": cell,
                           "indicator_id": indicator_id, "field": field, "code": code,
                           "severity": severity, "message": message, "raw": raw})
        return severity


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


def _read(data, path, view, problems, expected_period, authorities, backend) -> Submission:
    names = sheet_names(data)
    if L.META_SHEET not in names:
        raise _NotTemplate("not a Scorecard collection template (its hidden metadata sheet "
                           f"{L.META_SHEET!r} is missing): fill the template that was sent to you")
    reader = BACKENDS[backend]
    meta_rows = reader(data, [L.META_SHEET])[L.META_SHEET]
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
    if submission.catalogue_fingerprint != view.fingerprint:
        problems.add("catalogue_version",
                     f"template made from catalogue {submission.catalogue_fingerprint[:12]}, the "
                     f"store uses {view.fingerprint[:12]}: indicators are read by id, and ids no "
                     "longer in the catalogue are reported", sheet=L.META_SHEET)
    if expected_period is not None and period != expected_period:
        problems.add("wrong_period", f"return is for period {period!r}, collecting "
                     f"{expected_period!r}; stored under {period!r}", sheet=L.COVER_SHEET,
                     cell=L.cell_name(*L.COVER_PERIOD), raw=period)
    if authorities is not None and authority not in {a.code for a in authorities}:
        problems.add("wrong_authority", f"authority {authority!r} is not on the list of "
                     "authorities being collected", sheet=L.COVER_SHEET,
                     cell=L.cell_name(*L.COVER_AUTHORITY), raw=authority)
    for name in names:
        if name not in theme_sheets and name not in (L.COVER_SHEET, L.META_SHEET):
            problems.add("extra_sheet", f"sheet {name!r} is not part of the template; its "
                         "contents were not read", sheet=name)
    wanted = [L.COVER_SHEET, *[s for s in theme_sheets if s in names]]
    sheets = reader(data, wanted)
    extras = cell_extras(data, wanted)
    cover = sheets.get(L.COVER_SHEET, [])
    for (r, c), expected, code in ((L.COVER_AUTHORITY, authority, "wrong_authority"),
                                   (L.COVER_PERIOD, period, "wrong_period")):
        shown = L.raw_text(_at(cover, r, c)).strip()
        if shown != expected:
            problems.add(code, f"cover says {shown!r} but the template was issued for "
                         f"{expected!r}; stored under {expected!r}", sheet=L.COVER_SHEET,
                         cell=L.cell_name(r, c), raw=shown)
    seen: set[str] = set()
    for sheet in theme_sheets:
        if sheet not in sheets:
            problems.add("missing_sheet", f"sheet {sheet!r} is missing (renamed or deleted); "
                         "its indicators are reported as deleted rows", sheet=sheet)
            continue
        _read_sheet(sheet, sheets[sheet], extras.get(sheet, {}), issued, view, submission,
                    problems, seen)
    for indicator_id, (sheet, number) in issued.items():
        if indicator_id not in seen:
            problems.add("deleted_row", f"indicator {indicator_id} (issued on {sheet!r} row "
                         f"{number}) is missing from the return", sheet=sheet,
                         cell=f"A{number}", indicator_id=indicator_id)
    return submission


def _at(rows, r, c):
    if r < len(rows) and c < len(rows[r]):
        value = rows[r][c]
        return None if value == "" else value
    return None


def _read_sheet(sheet, rows, extras, issued, view, submission, problems, seen):
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
            if (issued_sheet, issued_row) != (sheet, r + 1):
                problems.add("moved_row", f"indicator {hidden!r} was issued on {issued_sheet!r} "
                             f"row {issued_row} and found on row {r + 1}; read by its id",
                             indicator_id=hidden, **where)
        if hidden in seen and status == "ok":
            status = ERROR
        if hidden:
            seen.add(hidden)
        unit = view.units.get(hidden) if status == "ok" or status in (WARNING, INFO) else None
        _read_row(sheet, r, cells, extras, indicator_id, unit, view, submission, problems,
                  row_status=status)


def _read_row(sheet, r, cells, extras, indicator_id, unit, view, submission, problems,
              row_status):
    applicable = L.input_fields(unit) if unit else ()
    numbers = {}
    for field_name in L.INPUT_FIELDS:
        col = L.COLUMN_INDEX[field_name]
        ref = L.cell_name(r, col)
        value = cells[field_name]
        extra = extras.get(ref, {})
        if value is None and "formula" not in extra:
            continue
        where = {"sheet": sheet, "cell": ref, "indicator_id": indicator_id, "field": field_name}
        record = {"indicator_id": indicator_id, "field": field_name, "number": None,
                  "text": None, "raw": L.raw_text(value), "missing_code": None,
                  "missing_reason": None, "formula": extra.get("formula"), "status": "ok",
                  "file": problems.file, "sheet": sheet, "cell": ref}
        severities = []
        if extra.get("formula"):
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
        if value is not None:
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
                if record["number"] is not None:
                    numbers[field_name] = record["number"]
        record["status"] = _worst(severities + [row_status])
        submission.cells.append(record)
    if unit in FRACTION_UNITS:
        _check_fraction(unit, numbers, view.decimals.get(indicator_id, 1), sheet, r,
                        indicator_id, submission, problems)


_RANK = {"ok": 0, INFO: 1, WARNING: 2, ERROR: 3}


def _worst(severities) -> str:
    worst = max((s for s in severities if s), key=lambda s: _RANK[s], default="ok")
    return worst


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
            number = float(f"{number * 100:.12g}")
            record["raw"] = raw = L.raw_text(number) + "%"
            from_percent = True
            severities.append(problems.add(
                "percent_format", f"cell is formatted as a percentage: read as {raw} "
                f"(stored {L.raw_text(float(value))} x 100)", raw=raw, **where))
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
            record.update(missing_code=parsed.code, missing_reason=parsed.reason, text=raw)
            if parsed.code in GSS_SHORTHAND:  # "12.3 [u]": a flagged figure
                return [problems.add("shorthand", f"{parsed.code}: missing ({parsed.reason})",
                                     raw=raw, **where)]
            return [problems.add("placeholder", f"{raw!r} read as missing ({parsed.reason}); "
                                 f"use GSS shorthand ({L.SHORTHAND_HELP})", raw=raw, **where)]
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
            f"scale (type {L.raw_text(float(f'{number * 100:.12g}'))} for "
            f"{L.raw_text(float(f'{number * 100:.12g}'))}%); kept as typed", raw=raw, **where))
    return severities


def _check_fraction(unit, numbers, decimals, sheet, r, indicator_id, submission, problems):
    numerator, denominator = numbers.get("numerator"), numbers.get("denominator")
    where = {"sheet": sheet, "indicator_id": indicator_id}
    records = {c["field"]: c for c in submission.cells[-5:]
               if c["indicator_id"] == indicator_id and c["sheet"] == sheet
               and c["cell"].endswith(str(r + 1))}

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
    seen_keys: dict[tuple[str, str], str] = {}
    for result in results:
        if result.submission is None:
            store.add_problems(result.problems, collected_at=collected_at)
            versions[result.file] = None
            continue
        key = (result.submission.authority, result.submission.period)
        earlier = store.duplicate_of(result.submission)
        if earlier is not None:
            problem = {
                "file": result.file, "sheet": "", "cell": "", "indicator_id": "", "field": "",
                "code": "duplicate_file", "severity": WARNING, "raw": "",
                "message": f"identical to version {earlier['version']} of {key[0]} {key[1]} "
                           f"already collected from {earlier['file']} at "
                           f"{earlier['collected_at']}; not stored again"}
            result.problems.append(problem)
            store.add_problems([problem], submission_id=earlier["id"], collected_at=collected_at)
            versions[result.file] = None
            continue
        if key in seen_keys:
            result.problems.append({
                "file": result.file, "sheet": "", "cell": "", "indicator_id": "", "field": "",
                "code": "duplicate_return", "severity": WARNING, "raw": "",
                "message": f"a second return for {key[0]} {key[1]} in this collection (also "
                           f"{seen_keys[key]}); stored as a later version, which supersedes it"})
        seen_keys[key] = result.file
        versions[result.file] = store.add_submission(result.submission, collected_at)
    problems = [p for r in results for p in r.problems]
    return CollectReport(results, versions, problems)
