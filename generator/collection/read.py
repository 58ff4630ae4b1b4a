"""Reading one filled return: read_return(path, catalogue, ...) -> ReturnResult.

Guard (generator.collection.guard), then the metadata sheet, the cover and every theme sheet
(the layout comes from generator.collection.layout). A refused file is reported, never raised.
Every problem names its file, sheet, cell, indicator and field. A return with a
submission-level error (wrong authority or period) is stored quarantined: never current until
accepted (Store.accept).
"""

from __future__ import annotations

import hashlib
import io
import re
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.collection import layout as L
from generator.collection.cells import read_row
from generator.collection.guard import DEFAULT_LIMITS, Limits, Refused, guard_file
from generator.collection.problems import ERROR, WARNING, Problems
from generator.collection.store import Authority, Submission
from generator.collection.xlsx import (
    BACKENDS,
    COVER_ROWS,
    MAX_COLUMNS,
    MAX_EXTRA_CELLS,
    META_COLUMNS,
    META_ROWS,
    ROW_MARGIN,
    SharedStrings,
    SheetScan,
    archive_sheet_parts,
    percent_styles,
    replace_members,
    scan_sheet,
)
from scorecard.periods import lenient_label


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


def read_return(path: Path | str, catalogue, *, expected_period: str | None = None,
                authorities: Sequence[Authority] | None = None, backend: str = "calamine",
                limits: Limits = DEFAULT_LIMITS) -> ReturnResult:
    """Guard, read and validate one return. Never raises for a bad file: it is refused."""
    start = time.perf_counter()
    path = Path(path)
    view = catalogue if isinstance(catalogue, CatalogueView) else CatalogueView.of(catalogue)
    problems = Problems(str(path))
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
    parts = archive_sheet_parts(archive)
    names = list(parts)
    if L.META_SHEET not in names:
        raise _NotTemplate("not a Scorecard collection template (its hidden metadata sheet "
                           f"{L.META_SHEET!r} is missing): fill the template that was sent to you")
    reader = BACKENDS[backend]
    percent = percent_styles(archive)
    strings = SharedStrings(archive)

    def scan(name, max_rows, max_cols, area):
        try:
            xml = archive.read(parts[name])
        except KeyError:
            return SheetScan()
        return scan_sheet(xml, max_rows=max_rows, max_cols=max_cols, area=area,
                          percent=percent, strings=strings)

    meta_scan = scan(L.META_SHEET, META_ROWS, META_COLUMNS, lambda r, c: True)
    meta_data = data if meta_scan.trimmed is None else replace_members(
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
    submission = Submission(authority, lenient_label(period), str(path), hashlib.sha256(data).hexdigest(),
                            meta.get("template_version", ""),
                            meta.get("catalogue_fingerprint", ""), meta.get("dataset", ""))
    submission.modified = _modified(archive)
    if submission.catalogue_fingerprint != view.fingerprint:
        problems.add("catalogue_version",
                     f"template made from catalogue {submission.catalogue_fingerprint[:12]}, the "
                     f"store uses {view.fingerprint[:12]}: indicators are read by id, and ids no "
                     "longer in the catalogue are reported", sheet=L.META_SHEET)
    if expected_period is not None and lenient_label(period) != lenient_label(expected_period):
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
    readable = data if not trims else replace_members(data, trims)
    sheets = reader(readable, wanted, MAX_COLUMNS)
    cover = sheets.get(L.COVER_SHEET, [])
    for (r, c), expected, code in ((L.COVER_AUTHORITY, authority, "wrong_authority"),
                                   (L.COVER_PERIOD, period, "wrong_period")):
        shown = L.raw_text(_at(cover, r, c)).strip()
        if shown != expected and not (code == "wrong_period" and lenient_label(shown) == lenient_label(expected)):
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
        read_row(sheet, r, cells, extras, indicator_id, unit, view, submission, problems,
                  row_status=status)
