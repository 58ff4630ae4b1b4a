"""Measure pages, like seed 002's "performance details": one block per measure with its
figures, status, direction, commentary and trend chart.
"""

from __future__ import annotations

import textwrap

from xlsxwriter.utility import xl_rowcol_to_cell

from generator.workbooks.book import HEADER_ROW, quoted
from generator.workbooks.data import Judgement, Measure, ScorecardData
from generator.workbooks.styles import (
    Formats,
    house_style,
    number_format,
    set_print,
    unit_label,
)
from generator.workbooks.themes import ThemeColumns, add_direction_formats, add_status_formats
from scorecard import formulas
from scorecard.values import Missing


def detail_page_rows(data: ScorecardData) -> dict[str, int]:
    """First row of each measure's page on the Measures sheet."""
    rows, row = {}, 0
    for measure in data.measures:
        rows[measure.id] = row
        row += measure_page_height(data, measure)
    return rows


def measure_page_height(data: ScorecardData, measure: Measure) -> int:
    commentary_lines = len(commentary_lines_for(measure.commentary.get(data.period, "")))
    return max(20, 11 + len(data.comparator_names) + commentary_lines + 2)


def commentary_lines_for(text: str) -> list[str]:
    lines = []
    for paragraph in text.splitlines() or [""]:
        lines += textwrap.wrap(paragraph, 120) or [""]
    return lines if text else []


def write_measure_pages(workbook, sheet, data: ScorecardData, columns: ThemeColumns,
                        locations: dict[str, tuple[str, int]], page_rows: dict[str, int],
                        formats: Formats, title: str, judged: dict[str, Judgement]) -> None:
    """One page per measure, as 002: target, latest, status, direction, period, trend, details."""
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, 2, 5)
    sheet.set_column(3, 3, 3)
    sheet.set_column(4, 12, 10)
    label = formats.text(bold=True)
    breaks = []
    for measure in data.measures:
        top = page_rows[measure.id]
        if top:
            breaks.append(top)
        source_sheet, source_row = locations[measure.id]
        ref = lambda col: f"{quoted(source_sheet)}!{xl_rowcol_to_cell(source_row, col, True, True)}"  # noqa: E731,B023
        number = formats.number(measure.unit, measure.decimal_places, bold=True)
        sheet.write_string(top, 0, measure.name, formats.title())
        sheet.set_row(top, 24)
        about = [measure.id, measure.theme, measure.section, measure.polarity.value,
                 measure.reporting_basis, unit_label(measure.unit)]
        sheet.write_string(top + 1, 0, " · ".join(part for part in about if part),
                           formats.subtitle())
        judgement = judged[measure.id]
        status = judgement.status
        rows = [
            ("Target", ref(columns.target), display(measure.target(data.period)), number),
            ("Latest performance", ref(columns.actual), display(measure.value(data.period)),
             number),
            ("Status", ref(columns.status), status.status.value, formats.centred(bold=True)),
            ("Direction of travel", ref(columns.direction), judgement.direction.value,
             formats.centred()),
        ]
        for offset, (name, source, cached, fmt) in enumerate(rows):
            sheet.write_string(top + 3 + offset, 0, name, label)
            sheet.write_formula(top + 3 + offset, 1, shown_formula(source), fmt, cached)
        sheet.write_formula(top + 5, 2, "=" + formulas.rag_symbol_formula(
            xl_rowcol_to_cell(top + 5, 1)), formats.centred(), status.symbol)
        sheet.write_formula(top + 6, 2, f"={ref(columns.arrow)}", formats.centred(),
                            judgement.arrow)
        sheet.write_string(top + 7, 0, "Data period", label)
        sheet.write_string(top + 7, 1, data.period, formats.centred())
        for offset, name in enumerate(data.comparator_names):
            sheet.write_string(top + 8 + offset, 0, name, label)
            comparator = measure.comparator(name, data.period)
            sheet.write_formula(top + 8 + offset, 1,
                                shown_formula(ref(columns.first_comparator + offset)),
                                formats.number(measure.unit, measure.decimal_places),
                                display(comparator))
        insert_trend_chart(workbook, sheet, top + 2, 4, measure, columns, source_sheet,
                           source_row)
        details_row = top + 9 + len(data.comparator_names)
        details_row = max(details_row, top + 17)
        sheet.write_string(details_row, 0, "Performance details", formats.plain(bold=True))
        for offset, line in enumerate(commentary_lines_for(measure.commentary.get(data.period,
                                                                                  ""))):
            sheet.write_string(details_row + 1 + offset, 0, line)
    # One set of rules for the whole sheet: only status and direction words match them.
    last = max(page_rows.values()) + measure_page_height(data, data.measures[-1])
    add_status_formats(sheet, formats, 0, last, 1, 2)
    add_direction_formats(sheet, formats, 0, last, 1)
    sheet.set_h_pagebreaks(breaks[:1023])  # Excel's limit on manual page breaks
    sheet.hide_gridlines(2)
    set_print(sheet, title, data.authority, data.period, None)


def shown_formula(source: str) -> str:
    """Show a theme-sheet cell here, with a dash rather than 0 when it is empty."""
    return f'=IF(ISBLANK({source}),"–",{source})'


def display(value: float | Missing) -> float | str:
    if isinstance(value, Missing):
        return value.code or "–"
    return value


def insert_trend_chart(workbook, sheet, row: int, col: int, measure: Measure,
                       columns: ThemeColumns, source_sheet: str, source_row: int) -> None:
    chart = workbook.add_chart({"type": "line"})
    chart.add_series({
        "name": "Actual",
        "categories": [source_sheet, HEADER_ROW, columns.first_period, HEADER_ROW, columns.actual],
        "values": [source_sheet, source_row, columns.first_period, source_row, columns.actual],
        "line": {"color": house_style()["colours"]["chart_line"], "width": 2.25},
        "marker": {"type": "circle", "size": 6,
                   "fill": {"color": house_style()["colours"]["chart_line"]}},
        "data_labels": {"value": True, "position": "above",
                        "num_format": number_format(measure.unit, measure.decimal_places)},
    })
    chart.set_title({"name": "Trend", "name_font": {"size": 10}})
    chart.set_legend({"none": True})
    chart.set_y_axis({"num_format": number_format(measure.unit, measure.decimal_places),
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.show_blanks_as("gap")
    chart.set_size({"width": 560, "height": 260})
    sheet.insert_chart(row, col, chart)
