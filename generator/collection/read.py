"""Reading one filled return: read_return(path, catalogue, ...) -> ReturnResult.

Guard (generator.collection.guard), then one lenient pass over every sheet
(generator.collection.xlsx): the metadata sheet, the cover and every theme sheet, read by the
layout (generator.collection.layout) and checked against what the template held as issued
(generator.collection.issued). A refused file is reported, never raised.

The invariant: every cell a person typed anywhere in a return is either stored (its value, or
its raw text kept whole) or named in the report by file, sheet and cell with the reason. A
non-finite number is never stored as a number, and a damaged cell costs that cell, not the
workbook. A return with a submission-level error (wrong authority or period) is stored
quarantined: never current until accepted (Store.accept).
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
from generator.collection.cells import read_row, report_damaged
from generator.collection.guard import DEFAULT_LIMITS, Limits, Refused, guard_file
from generator.collection.issued import Issued, cover_texts, read_metadata, theme_texts
from generator.collection.problems import ERROR, WARNING, Problems
from generator.collection.store import Authority, Submission
from generator.collection.xlsx import (
    COVER_ROWS,
    MAX_COLUMNS,
    MAX_EXTRA_CELLS,
    META_COLUMNS,
    META_ROWS,
    ROW_MARGIN,
    Cell,
    SheetScan,
    Workbook,
    scan_sheet,
)
from scorecard.periods import lenient_label


@dataclass(frozen=True)
class CatalogueView:
    """What the reader needs from the catalogue (small and picklable, for worker processes):
    units and decimals to check values; names, definitions, reporting bases and themes to
    tell a template's text from text typed over it."""

    fingerprint: str
    units: dict[str, str]
    decimals: dict[str, int]
    texts: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, catalogue) -> CatalogueView:
        return cls(catalogue.fingerprint(), {i.id: i.unit for i in catalogue},
                   {i.id: int(getattr(i, "decimal_places", 1) or 0) for i in catalogue},
                   {i.id: (i.name, i.definition or "", i.reporting_basis or "", i.theme)
                    for i in catalogue})


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
                authorities: Sequence[Authority] | None = None,
                limits: Limits = DEFAULT_LIMITS) -> ReturnResult:
    """Guard, read and validate one return. Never raises for a bad file: it is refused."""
    start = time.perf_counter()
    path = Path(path)
    view = catalogue if isinstance(catalogue, CatalogueView) else CatalogueView.of(catalogue)
    problems = Problems(str(path))
    try:
        data = guard_file(path, limits)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            submission = _Reader(archive, data, path, view, problems).read(expected_period,
                                                                           authorities)
    except Refused as error:
        code = "refused"
        if isinstance(error, _NotTemplate):
            code = "not_a_template"
        elif isinstance(error, _WrongVersion):
            code = "template_version"
        problems.items.clear()
        problems.add(code, str(error))
        submission = None
    except Exception as error:  # noqa: BLE001 - one bad file must never stop the others
        problems.items.clear()
        problems.add("reader_fault", "Scorecard could not read this workbook, because of a "
                     "fault in Scorecard rather than in your figures; nothing from it is "
                     "stored. Keep the file and send it to whoever runs the collection "
                     f"(detail for them: {type(error).__name__}: {str(error)[:200]})")
        submission = None
    if submission is not None:
        submission.problems = problems.items
    return ReturnResult(str(path), submission, problems.items, time.perf_counter() - start)


class _NotTemplate(Refused):
    pass


class _WrongVersion(Refused):
    pass


QUARANTINE_CODES = ("wrong_authority", "wrong_period")  # submission-level errors
_LOCKED = tuple(L.COLUMN_INDEX[f] for f in ("code", "name", "definition", "unit",
                                            "reporting_basis"))
_INPUT = {L.COLUMN_INDEX[f]: f for f in L.INPUT_FIELDS}
# cover cells that show a metadata value (as the template writer lays the cover out)
_COVER_KEYS = {(L.COVER_AUTHORITY[0] + n, 1): key for n, key in enumerate(
    ("authority", "period", "authority_name", "deadline", "contact"))} | {(1, 0): "dataset"}


def _modified(archive) -> str:
    """The workbook's own last-modified time (docProps/core.xml), or ''."""
    try:
        xml = archive.read("docProps/core.xml")
    except KeyError:
        return ""
    match = re.search(rb"<dcterms:modified\b[^>]*>([^<]*)</dcterms:modified>", xml)
    return match.group(1).decode("utf-8", "replace").strip() if match else ""


class _Reader:
    """Reads one return; `done` holds, per sheet, the cells already stored or reported, so
    that the last step can report every other typed cell (nothing typed goes unnamed)."""

    def __init__(self, archive, data, path, view, problems):
        self.archive, self.data, self.path = archive, data, path
        self.view, self.problems = view, problems
        self.book = Workbook(archive)
        self.done: dict[str, set[tuple[int, int]]] = {}
        self.submission: Submission | None = None

    def scan(self, name: str, max_rows: int, max_cols: int) -> SheetScan:
        xml = self.book.sheet_xml(name)
        if xml is None:
            return SheetScan()
        return scan_sheet(xml, self.book, max_rows=max_rows, max_cols=max_cols)

    def read(self, expected_period, authorities) -> Submission:
        names = list(self.book.sheets)
        if L.META_SHEET not in names:
            raise _NotTemplate("not a Scorecard collection template (its hidden metadata "
                               f"sheet {L.META_SHEET!r} is missing): fill the template that "
                               "was sent to you")
        meta_scan = self.scan(L.META_SHEET, META_ROWS, META_COLUMNS)
        issued = read_metadata(meta_scan)
        meta = _template_meta(issued)
        self.submission = submission = Submission(
            meta.get("authority", ""), lenient_label(meta.get("period", "")), str(self.path),
            hashlib.sha256(self.data).hexdigest(), meta["template_version"],
            meta.get("catalogue_fingerprint", ""), meta.get("dataset", ""))
        submission.modified = _modified(self.archive)
        self._check_submission(issued, expected_period, authorities)
        row_bound = max((r.row or 0 for r in issued.rows.values()),
                        default=L.FIRST_DATA_ROW) + ROW_MARGIN
        scans, read_as, extra_sheets = self._scan_sheets(names, meta_scan, issued, row_bound)
        self._read_cover(scans.get(L.COVER_SHEET, SheetScan()), issued)
        self._read_meta(meta_scan, issued)
        for sheet in issued.sheets:
            if sheet not in read_as.values():
                self.problems.add("missing_sheet", f"sheet {sheet!r} is missing (renamed or "
                                  "deleted) and no other sheet holds its indicator ids; its "
                                  "indicators are reported as deleted rows", sheet=sheet)
        seen: set[str] = set()
        self.repeated = _repeated_ids({name: scans[name] for name in read_as})
        for name, issued_name in read_as.items():
            self._read_theme(name, scans[name], issued, issued_name, seen)
        for indicator_id, row in issued.rows.items():
            if indicator_id not in seen:
                where = f"row {row.row}" if row.row else "a row"
                self.problems.add("deleted_row", f"indicator {indicator_id} (issued on "
                                  f"{row.sheet!r} {where}) is missing from the return",
                                  sheet=row.sheet, cell=f"A{row.row}" if row.row else "",
                                  indicator_id=indicator_id)
        for name, scan in scans.items():
            self._keep_the_rest(name, scan, name in extra_sheets,
                                None if name in (L.COVER_SHEET, L.META_SHEET) else row_bound)
        self._report_damage(scans)
        codes = sorted({p["code"] for p in self.problems.items} & set(QUARANTINE_CODES))
        submission.quarantine = ", ".join(codes)
        return submission

    def _scan_sheets(self, names, meta_scan, issued, row_bound):
        """Every sheet scanned within its bounds: (scans by name, theme sheets as found ->
        as issued, sheets not in the template). A theme sheet renamed is found by the hidden
        indicator ids in its column K."""
        scans = {L.META_SHEET: meta_scan}
        if L.COVER_SHEET in names:
            scans[L.COVER_SHEET] = self.scan(L.COVER_SHEET, COVER_ROWS, MAX_COLUMNS)
        read_as = {name: name for name in issued.sheets if name in names}
        extra_sheets = []
        for name in names:
            if name not in scans:
                scans[name] = self.scan(name, row_bound, MAX_COLUMNS)
            if name not in read_as and name not in (L.COVER_SHEET,
                                                                      L.META_SHEET):
                ids = {c.raw.strip() for (r, col), c in scans[name].cells.items()
                       if col == L.ID_COLUMN and r >= L.FIRST_DATA_ROW}
                lost = [s for s in issued.sheets if s not in names and s not in
                        read_as.values()]
                owner = next((s for s in lost if any(issued.rows[i].sheet == s
                                                     for i in ids if i in issued.rows)), None)
                if owner is None:
                    extra_sheets.append(name)
                    continue
                read_as[name] = owner
                self.problems.add("renamed_sheet", f"sheet {owner!r} was renamed {name!r}; "
                                  "its rows were found by their hidden indicator ids and read",
                                  sheet=name)
        for name in names:
            self.done.setdefault(name, set())
        return scans, read_as, extra_sheets

    def _report_damage(self, scans: dict[str, SheetScan]) -> None:
        """Cells whose style does not exist, and damaged parts of the workbook."""
        for name, scan in scans.items():
            for cell in [*scan.cells.values(), *scan.repeats, *scan.far]:
                if cell.lost_format is not None:
                    self.problems.add("damaged_format", f"{cell.ref}'s format is damaged (its "
                                      f"style {cell.lost_format[:20]!r} does not exist): what it "
                                      f"stores, {cell.raw[:40]!r}, is read without its format "
                                      "(a date, for one, would show as its day number)",
                                      sheet=name, cell=cell.ref, raw=cell.raw)
        for damage in self.book.damage:
            self.problems.add("damaged_part", f"the workbook is damaged: {damage}; the cells it "
                              "affects are reported one by one")

    # -- the submission ------------------------------------------------------------------
    def _check_submission(self, issued: Issued, expected_period, authorities) -> None:
        submission, problems = self.submission, self.problems
        if submission.catalogue_fingerprint != self.view.fingerprint:
            problems.add("catalogue_version",
                         f"template made from catalogue {submission.catalogue_fingerprint[:12]}, "
                         f"the store uses {self.view.fingerprint[:12]}: indicators are read by "
                         "id, and ids no longer in the catalogue are reported",
                         sheet=L.META_SHEET, cell=issued.key_cells["catalogue_fingerprint"])
        period, authority = submission.period, submission.authority
        if expected_period is not None and period != lenient_label(expected_period):
            problems.add("wrong_period", f"return is for period {period!r}, collecting "
                         f"{expected_period!r}; stored under {period!r}, quarantined",
                         sheet=L.COVER_SHEET, cell=L.cell_name(*L.COVER_PERIOD), raw=period)
        if authorities is not None and authority not in {a.code for a in authorities}:
            problems.add("wrong_authority", f"authority {authority!r} is not on the list of "
                         "authorities being collected; stored quarantined", sheet=L.COVER_SHEET,
                         cell=L.cell_name(*L.COVER_AUTHORITY), raw=authority)

    # -- storing what the layout does not read ---------------------------------------------
    def keep(self, sheet: str, cell: Cell, status: str, indicator_id: str = "") -> None:
        """Store a typed cell as raw text (field 'extra'), not used; mark it done."""
        self.submission.cells.append({
            "indicator_id": indicator_id, "field": "extra", "number": None, "text": cell.raw,
            "raw": cell.raw, "missing_code": None, "missing_reason": None,
            "formula": cell.formula, "status": status, "file": self.problems.file,
            "sheet": sheet, "cell": cell.ref})
        self.done.setdefault(sheet, set()).add((cell.row, cell.col))

    def report_damaged(self, sheet: str, cell: Cell, indicator_id: str = "",
                       field: str = "") -> str:
        return report_damaged(self.problems, sheet, cell, indicator_id, field)

    def _typed_over(self, sheet: str, cell: Cell, expected: str | None, what: str,
                    indicator_id: str = "") -> None:
        """A cell the template filled: nothing to do if it holds what was issued; else keep
        what was typed over it, with a template_text warning."""
        if cell.damaged is None and expected is not None and cell.raw == expected:
            self.done[sheet].add((cell.row, cell.col))
            return
        if cell.damaged is not None:
            self.report_damaged(sheet, cell, indicator_id)
        else:
            shown = f"{expected[:60]!r}" if expected else "nothing"
            self.problems.add("template_text", f"{cell.ref} ({what}) holds {cell.raw[:60]!r} "
                              f"where the template as issued had {shown}; what was typed is "
                              "kept as raw text, not used", sheet=sheet, cell=cell.ref,
                              indicator_id=indicator_id, field="extra", raw=cell.raw)
        self.keep(sheet, cell, WARNING if cell.damaged is None else ERROR, indicator_id)

    # -- the cover and the metadata ------------------------------------------------------
    def _read_cover(self, scan: SheetScan, issued: Issued) -> None:
        sheet = L.COVER_SHEET
        for (r, c), expected, code in ((L.COVER_AUTHORITY, self.submission.authority,
                                        "wrong_authority"),
                                       (L.COVER_PERIOD, self.submission.period, "wrong_period")):
            cell = scan.at(r, c)
            shown = "" if cell is None else cell.raw.strip()
            if cell is not None and cell.damaged:
                self.report_damaged(sheet, cell)
            same_period = code == "wrong_period" and lenient_label(shown) == expected
            if shown != expected and not same_period:
                self.problems.add(code, f"cover says {shown!r} but the template was issued "
                                  f"for {expected!r}; stored under {expected!r}, quarantined",
                                  sheet=sheet, cell=L.cell_name(r, c), raw=shown)
                if cell is not None:
                    self._disagrees(issued, (r, c), shown)
            self.done.setdefault(sheet, set()).add((r, c))
        texts = cover_texts(issued)
        for (r, c), cell in scan.cells.items():
            if (r, c) in self.done[sheet]:
                continue
            if (r, c) in texts:
                if cell.raw != texts[(r, c)]:
                    self._disagrees(issued, (r, c), cell.raw)
                self._typed_over(sheet, cell, texts[(r, c)], "the cover's text")

    def _disagrees(self, issued: Issued, where: tuple[int, int], shown: str) -> None:
        """A cover cell that shows a metadata value differs from it: either may have been
        typed over, so the metadata cell is named too."""
        key = _COVER_KEYS.get(where)
        if key is None or not issued.meta.get(key):
            return
        self.problems.add("template_text", f"the template's hidden metadata gives the {key} as "
                          f"{issued.meta[key][:60]!r}, but the cover shows {shown[:60]!r}: one "
                          "of them was changed", sheet=L.META_SHEET,
                          cell=issued.key_cells[key], raw=issued.meta[key])

    def _read_meta(self, scan: SheetScan, issued: Issued) -> None:
        for (r, c), cell in scan.cells.items():
            unit_of = issued.unit_cells.get((r, c))
            if unit_of in self.view.units and cell.raw.strip() != self.view.units[unit_of]:
                self._typed_over(L.META_SHEET, cell, self.view.units[unit_of],
                                 f"the unit issued for {unit_of}")
            elif (r, c) in issued.known and not cell.damaged:
                self.done[L.META_SHEET].add((r, c))
            else:
                self._typed_over(L.META_SHEET, cell, None, "the template's hidden metadata")

    # -- theme sheets --------------------------------------------------------------------
    def _read_theme(self, sheet: str, scan: SheetScan, issued: Issued, issued_name: str,
                    seen: set[str]) -> None:
        fixed, by_id = theme_texts(issued, issued_name, self.view)
        done = self.done[sheet]
        for (r, c), cell in list(scan.cells.items()):
            if r >= L.FIRST_DATA_ROW:
                continue
            if (r, c) in fixed:
                self._typed_over(sheet, cell, fixed[(r, c)], "a heading")
            elif (r, c) == (L.TITLE_ROW, 0) and cell.damaged is None:
                done.add((r, c))  # the title names a theme from another catalogue version
        for r in range(L.FIRST_DATA_ROW, scan.last_row + 1):
            row = {c: scan.at(r, c) for c in range(L.ID_COLUMN + 1)}
            if not any(cell is not None for cell in row.values()):
                continue
            self._read_row(sheet, r, row, issued, issued_name, seen, by_id)

    def _read_row(self, sheet, r, row, issued, issued_name, seen, by_id) -> None:
        problems, done = self.problems, self.done[sheet]

        def text(col):
            cell = row.get(col)
            return "" if cell is None or cell.damaged else cell.raw.strip()

        hidden, code = text(L.ID_COLUMN), text(L.CODE_COLUMN)
        indicator_id = hidden or code
        where = {"sheet": sheet, "cell": L.cell_name(r, L.CODE_COLUMN)}
        status, as_issued = "ok", False
        if not hidden:
            status = problems.add("inserted_row", f"row {r + 1} was not in the template as "
                                  "issued (no hidden indicator id); its cells are kept as raw "
                                  "text", indicator_id=code, raw=code, **where)
        elif hidden not in self.view.units:
            status = problems.add("unknown_indicator", f"indicator {hidden!r} on row {r + 1} "
                                  "is not in the catalogue; its cells are kept as raw text",
                                  indicator_id=hidden, raw=hidden, **where)
        elif hidden not in issued.rows:
            status = problems.add("inserted_row", f"row {r + 1} holds {hidden!r}, which was "
                                  "not in this template as issued; kept as raw text",
                                  indicator_id=hidden, raw=hidden, **where)
        elif hidden in self.repeated:
            places = ", ".join(f"{s!r} row {n}" for s, n in self.repeated[hidden])
            status = problems.add("duplicate_row", f"indicator {hidden!r} is on more than one "
                                  f"row ({places}); row {r + 1} is kept as raw text, and no "
                                  "row of it is used", indicator_id=hidden, **where)
        else:
            as_issued = True
            if code and code != hidden:
                status = problems.add("code_changed", f"row {r + 1}: the Code cell says "
                                      f"{code!r} but the row was issued for {hidden!r}; kept "
                                      "as raw text, not used", indicator_id=hidden, raw=code,
                                      **where)
            at = issued.rows[hidden]
            if (at.sheet, at.row) != (issued_name, r + 1):
                issued_where = f"row {at.row}" if at.row else "a row"
                problems.add("moved_row", f"indicator {hidden!r} was issued on {at.sheet!r} "
                             f"{issued_where} and found on row {r + 1}; read by its id",
                             indicator_id=hidden, **where)
        if hidden:
            seen.add(hidden)
        unit = self.view.units.get(hidden) if as_issued and status != ERROR else None
        read_row(sheet, r, {f: row.get(c) for c, f in _INPUT.items()}, indicator_id, unit,
                 self.view, self.submission, problems, row_status=status)
        done.update((r, c) for c in _INPUT)
        texts = by_id.get(hidden, {}) if as_issued else {}
        for col in (*_LOCKED, L.ID_COLUMN):
            cell = row.get(col)
            if cell is None:
                continue
            if not as_issued or (status == ERROR and col in (L.CODE_COLUMN, L.ID_COLUMN)):
                # a row not as issued keeps every cell; a changed code, both code and id
                if cell.damaged:
                    self.report_damaged(sheet, cell, indicator_id)
                self.keep(sheet, cell, ERROR, indicator_id)
            elif cell.damaged or col in texts and col != L.CODE_COLUMN:
                self._typed_over(sheet, cell, texts.get(col),
                                 f"{L.COLUMNS[col].heading} of {hidden}", hidden)
            else:  # the id the row is read by; a changed code is reported (code_changed);
                done.add((r, col))  # catalogue text from another catalogue version

    # -- everything else -----------------------------------------------------------------
    def _keep_the_rest(self, name: str, scan: SheetScan, is_extra: bool,
                       row_bound: int | None) -> None:
        """Typed cells the layout does not read: reported (extra_cell / extra_sheet, or
        damaged_cell) and stored as raw text, so nothing typed is lost. At most
        MAX_EXTRA_CELLS are stored one by one per sheet; the rest are named as a range."""
        done = self.done[name]
        rest = [cell for key, cell in scan.cells.items() if key not in done] + scan.far
        # damaged cells first, so that they are named one by one before any range
        rest = scan.repeats + [c for c in rest if c.damaged] + [c for c in rest if not c.damaged]
        if is_extra:
            self.problems.add("extra_sheet", f"sheet {name!r} is not part of the template; its "
                              f"{len(rest) + scan.n_far - len(scan.far):,} typed cell(s) are "
                              "kept as raw text, not used", sheet=name)
        limit = ((META_ROWS, META_COLUMNS) if name == L.META_SHEET
                 else (COVER_ROWS, MAX_COLUMNS) if name == L.COVER_SHEET
                 else (row_bound, MAX_COLUMNS))
        repeats = {id(cell) for cell in scan.repeats}
        stored = 0
        unstored: list[Cell] = []
        for cell in rest:
            if stored >= MAX_EXTRA_CELLS:
                unstored.append(cell)
                continue
            stored += 1
            row_id = self._row_id(scan, cell, row_bound)
            repeat = id(cell) in repeats
            if repeat:
                self.problems.add("damaged_cell", f"the file holds {cell.ref} twice; the first "
                                  f"is read, this one ({cell.raw[:60]!r}) is kept as raw text, "
                                  "not used", sheet=name, cell=cell.ref, indicator_id=row_id,
                                  raw=cell.raw)
            elif cell.damaged:
                self.report_damaged(name, cell, row_id)
            elif not is_extra:
                far = cell.row >= limit[0] or cell.col >= limit[1]
                place = ("far outside the template (the sheet is read only to "
                         f"{L.cell_name(limit[0] - 1, limit[1] - 1)})" if far
                         else "outside the template's input cells")
                self.problems.add("extra_cell", f"{cell.ref} holds {cell.raw[:60]!r}, {place}; "
                                  "kept as raw text, not used", sheet=name, cell=cell.ref,
                                  indicator_id=row_id, field="extra", raw=cell.raw)
            status = ERROR if repeat or cell.damaged else WARNING
            self.keep(name, cell, status, row_id)
        damaged = [c for c in unstored if c.damaged or id(c) in repeats]
        if damaged:
            box = _box(damaged, None)
            self.problems.add("damaged_cell", f"{len(damaged):,} more cell(s) on sheet {name!r}, "
                              f"in {box}, cannot be read as saved and were not stored: the "
                              "sheet is damaged; send the return again", sheet=name, cell=box)
        missing = len(unstored) - len(damaged) + scan.n_far - len(scan.far)
        if missing:
            box = _box([c for c in unstored if not (c.damaged or id(c) in repeats)],
                       scan.far_box if scan.n_far > len(scan.far) else None)
            self.problems.add("extra_cell", f"{missing:,} more typed cell(s) on sheet {name!r}, "
                              f"in {box}, were not stored: only the first {MAX_EXTRA_CELLS} "
                              "outside the template are kept; remove them and send the return "
                              "again", sheet=name, cell=box, severity=ERROR)

    @staticmethod
    def _row_id(scan: SheetScan, cell: Cell, row_bound: int | None) -> str:
        """The indicator id of the row a theme-sheet cell sits in, if any."""
        if row_bound is None or cell.row < L.FIRST_DATA_ROW or cell.row >= row_bound:
            return ""
        hidden = scan.at(cell.row, L.ID_COLUMN)
        return "" if hidden is None or hidden.damaged else hidden.raw.strip()


def _template_meta(issued: Issued) -> dict[str, str]:
    """The metadata's keys, once it is clear the workbook is a template this reader knows. A
    damaged marker or version cell costs only that cell when the other one says enough."""
    meta = issued.meta
    marker, version = meta.get("marker"), meta.get("template_version")
    if (marker and marker != L.TEMPLATE_MARKER) or not (marker or version):
        raise _NotTemplate("not a Scorecard collection template (metadata marker missing)")
    if version and version != L.TEMPLATE_VERSION:
        raise _WrongVersion(f"template layout version {version!r} is not this reader's "
                            f"({L.TEMPLATE_VERSION!r}): issue a new template")
    meta["template_version"] = L.TEMPLATE_VERSION
    return meta


def _repeated_ids(scans: dict[str, SheetScan]) -> dict[str, list[tuple[str, int]]]:
    """Hidden indicator ids found on more than one row: id -> (sheet, 1-based row) each."""
    places: dict[str, list[tuple[str, int]]] = {}
    for name, scan in scans.items():
        for (r, c), cell in sorted(scan.cells.items()):
            if c == L.ID_COLUMN and r >= L.FIRST_DATA_ROW and not cell.damaged \
                    and cell.raw.strip():
                places.setdefault(cell.raw.strip(), []).append((name, r + 1))
    return {i: where for i, where in places.items() if len(where) > 1}


def _box(cells: list[Cell], far_box) -> str:
    """The range spanning some cells (and a box (r0, c0, r1, c1)), as A1:B2."""
    boxes = [(c.row, c.col, c.row, c.col) for c in cells] + ([far_box] if far_box else [])
    top, left = min(b[0] for b in boxes), min(b[1] for b in boxes)
    bottom, right = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return f"{L.cell_name(top, left)}:{L.cell_name(bottom, right)}"
