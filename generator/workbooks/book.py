"""Shared pieces of the scorecard workbooks (live and published): the worksheet class, sheet
names, titles, missing values as cells, text tables.
"""

from __future__ import annotations

import re
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from generator.workbooks.data import ScorecardData
from generator.workbooks.styles import (
    Formats,
    house_style,
    row_height,
)
from scorecard.rag import Status
from scorecard.values import GSS_SHORTHAND, Missing

HEADER_ROW = 3  # theme sheets: title, subtitle, key, then the table header
STATUSES = [status.value for status in Status]
RESERVED_SHEETS = ("Cover", "Contents", "Summary", "Measures", "Definitions", "Risks", "Notes")
DEFAULT_TITLE = "Children's services performance scorecard"


# Names xlsxwriter (3.x) always rewrites with a _xlfn. prefix in Worksheet._prepare_formula
# before writing a formula. Our formulas use none of them (Excel 2010 functions only), so a
# formula that mentions none can skip the ~30 regular-expression passes xlsxwriter makes over
# every formula: about an eighth of the full-catalogue build time. A name matched here only
# sends the formula down xlsxwriter's own path, so a longer list is always safe; a shorter one
# is not: tests/test_scorecard_workbook.py checks this list against xlsxwriter's source.
_PREFIXED_FUNCTIONS = re.compile(
    r"(ANCHORARRAY|BYCOL|BYROW|CHOOSECOLS|CHOOSEROWS|DROP|EXPAND|FILTER|HSTACK|LAMBDA|"
    r"MAKEARRAY|MAP|RANDARRAY|REDUCE|SCAN|SINGLE|SEQUENCE|SORT|SORTBY|SWITCH|TAKE|TEXTSPLIT|"
    r"TOCOL|TOROW|UNIQUE|VSTACK|WRAPCOLS|WRAPROWS|XLOOKUP)\(")


class ScorecardWorksheet(Worksheet):
    """xlsxwriter's worksheet, with a fast path for formulas that need no _xlfn. prefixes.

    Overrides a private method (xlsxwriter has no option for this): anything unusual (future
    functions switched on, a name above, an array formula) goes to xlsxwriter's own code, and
    the fast path returns what it would (the formula without its leading =).
    """

    def _prepare_formula(self, formula, expand_future_functions=False):
        if self.use_future_functions or expand_future_functions or _PREFIXED_FUNCTIONS.search(
                formula) or formula.startswith("{"):
            return super()._prepare_formula(formula, expand_future_functions)
        return formula[1:] if formula.startswith("=") else formula

    def _prepare_tables(self, table_id, seen):
        # Table names come from sheet names, and two themes that differ only in punctuation
        # ("Early Help", "Early-Help") give the same one: number the later one, as Excel would
        # ask the user to, rather than fail the build (xlsxwriter raises DuplicateTableName).
        taken = set(seen)
        for table in self.tables:
            base = name = table.get("name")
            number = 2
            while name is not None and name.lower() in taken:
                name, number = f"{base}_{number}", number + 1
            if name is not None:
                table["name"] = name
                taken.add(name.lower())
        super()._prepare_tables(table_id, seen)


def add_sheet(workbook, name: str):
    return workbook.add_worksheet(name, worksheet_class=ScorecardWorksheet)


def unique_header(name: str, taken: list[str]) -> str:
    header, number = name, 2
    while header.casefold() in {h.casefold() for h in taken}:
        header, number = f"{name} ({number})", number + 1
    return header


def sheet_names(themes: list[str]) -> dict[str, str]:
    """A valid, unique worksheet name for each theme (31 characters, no []:*?/\\)."""
    taken = {name.casefold() for name in RESERVED_SHEETS}
    names = {}
    for theme in themes:
        base = re.sub(r"[\[\]:*?/\\]", "-", theme).strip("' ") or "Theme"
        name, number = base[:31], 2
        while name.casefold() in taken:
            suffix = f" ({number})"
            name, number = base[: 31 - len(suffix)] + suffix, number + 1
        taken.add(name.casefold())
        names[theme] = name
    return names


def table_name(sheet: str) -> str:
    return "tbl_" + re.sub(r"\W", "_", sheet, flags=re.ASCII)


def quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def cell_value(value: float | Missing) -> float | str | None:
    """What a live cell holds: the number, the shorthand typed (e.g. [c]), or nothing."""
    if isinstance(value, Missing):
        return value.code or None
    return value


def gss_code(value: Missing) -> str:
    """The GSS shorthand for a missing value, for the published version."""
    if value.code in GSS_SHORTHAND:
        return value.code
    if value.suppressed:
        return "[c]"
    return "[z]" if value.reason == "not applicable" else "[x]"


def write_value(sheet, row: int, col: int, value, fmt) -> None:
    """A number as a number, text as text, nothing as a formatted blank."""
    if value is None:
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        sheet.write_string(row, col, value, fmt)
    else:
        sheet.write_number(row, col, value, fmt)


def new_workbook(out: str | Path, data: ScorecardData, title: str, **properties
                 ) -> tuple[Path, xlsxwriter.Workbook, Formats]:
    """(path, workbook, formats) for a scorecard workbook at `out` (its folder made)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(out), {"strings_to_formulas": False,
                                               "strings_to_urls": False, "in_memory": True})
    workbook.set_properties({"title": f"{title}: {data.authority}, {data.period}",
                             "company": data.authority, **properties})
    return out, workbook, Formats(workbook)


def write_title(sheet, formats: Formats, title: str, subtitle: str) -> None:
    sheet.set_row(0, 24)
    sheet.write_string(0, 0, title, formats.title())
    sheet.write_string(1, 0, subtitle, formats.subtitle())


def status_key_text() -> str:
    style = house_style()["status"]
    return "Key: " + "   ".join(f"{Status(status).symbol} {status} {spec['meaning'].lower()}"
                                 for status, spec in style.items())


def write_text_table(sheet, top: int, headers: list[str], rows: list[list], formats: Formats,
                     name: str, widths: list[int]) -> None:
    """An Excel table of text (and numbers), every string written as a string."""
    sheet.add_table(top, 0, top + max(len(rows), 1), len(headers) - 1, {
        "name": name, "style": "Table Style Light 15",
        "columns": [{"header": h, "header_format": formats.header()} for h in headers]})
    wrapped = formats.text(wrap=True)
    for r, values in enumerate(rows, start=top + 1):
        for c, value in enumerate(values):
            write_value(sheet, r, c, value if value != "" else None, wrapped)
        # LibreOffice does not grow wrapped rows to fit on load: give long text its height.
        sheet.set_row(r, row_height([(str(value), width) for value, width
                                     in zip(values, widths, strict=False)]))
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width)
    sheet.set_row(top, 30)
    sheet.freeze_panes(top + 1, 0)
