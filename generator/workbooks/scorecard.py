"""The finished scorecard workbook: what managers, members and inspectors read.

`build_scorecard` writes the live workbook: Cover, Contents, Summary, one sheet per theme
laid out like seed 004, per-measure pages like seed 002 ("Measures"), Definitions, Risks
(when a register is given) and Notes. Every status, symbol, direction and risk score cell
is a native formula from `scorecard.formulas`, with the value the Python rules compute
stored as its cached result, so the file reads right in viewers that do not calculate and
stays live in Excel 2010+ and LibreOffice (change an actual and its status follows).

`generator.workbooks.publish.publish_scorecard` writes the values-only version for release, following the guidance on
releasing statistics in spreadsheets: cover, contents, notes, one table per sheet starting in
A1's sheet, no merged cells, no formulas, missing values as GSS shorthand, statuses as text.

Text from data (names, commentary, comparator names) always goes through `write_string`
(or a string-only API), so a comment starting with =, +, - or @ stays text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.workbooks.book import DEFAULT_TITLE, add_sheet, new_workbook, sheet_names
from generator.workbooks.data import Risk, ScorecardData
from generator.workbooks.front_matter import write_contents, write_cover, write_definitions, write_notes
from generator.workbooks.measure_pages import detail_page_rows, write_measure_pages
from generator.workbooks.risks import write_risks
from generator.workbooks.summary import write_summary
from generator.workbooks.themes import ThemeColumns, write_theme_sheet


def build_scorecard(
    data: ScorecardData,
    out: str | Path,
    *,
    risks: list[Risk] | None = None,
    title: str = DEFAULT_TITLE,
    contact: str = "",
    produced: dt.date | None = None,
    history: int = 5,
    measure_pages: bool = True,
) -> Path:
    """Write the live scorecard workbook for `data` to `out` and return its path."""
    out, workbook, formats = new_workbook(out, data, title, comments="Built by Scorecard")
    produced = produced or dt.date.today()
    names = sheet_names(data.themes())
    judged = {measure.id: data.judge(measure) for measure in data.measures}
    columns = ThemeColumns.for_data(data, history)
    cover = add_sheet(workbook, "Cover")
    contents = add_sheet(workbook, "Contents")
    summary = add_sheet(workbook, "Summary")
    theme_sheets = {theme: add_sheet(workbook, names[theme]) for theme in data.themes()}
    detail = add_sheet(workbook, "Measures") if measure_pages else None
    definitions = add_sheet(workbook, "Definitions")
    risk_sheet = add_sheet(workbook, "Risks") if risks else None
    notes = add_sheet(workbook, "Notes")

    locations: dict[str, tuple[str, int]] = {}  # indicator id -> (sheet name, row)
    detail_rows = detail_page_rows(data) if detail else {}
    for theme, sheet in theme_sheets.items():
        rows = write_theme_sheet(sheet, data, theme, columns, formats, title, detail_rows, judged)
        locations.update({measure.id: (sheet.name, row) for measure, row in rows})
    write_summary(workbook, summary, data, theme_sheets, columns, formats, title, judged)
    if detail:
        write_measure_pages(workbook, detail, data, columns, locations, detail_rows, formats, title,
                            judged)
    write_definitions(definitions, data, formats, title)
    if risk_sheet:
        write_risks(risk_sheet, risks, formats, title, data)
    write_notes(notes, formats, title, data)
    write_cover(cover, data, formats, title, contact, produced)
    write_contents(contents, workbook, formats, title, data, names)
    cover.activate()
    workbook.close()
    return out
