"""The Summary sheet: status counts per theme (live COUNTIF formulas) and the chart.
"""

from __future__ import annotations

from xlsxwriter.utility import xl_col_to_name

from generator.workbooks.book import HEADER_ROW, STATUSES, quoted, write_title
from generator.workbooks.data import Judgement, Measure, ScorecardData
from generator.workbooks.styles import (
    Formats,
    house_style,
    set_print,
)
from generator.workbooks.themes import ThemeColumns
from scorecard.rag import Status


def write_summary(workbook, sheet, data: ScorecardData, theme_sheets: dict, columns: ThemeColumns,
                  formats: Formats, title: str, judged: dict[str, Judgement]) -> None:
    """Status counts per theme (COUNTIF over the theme sheets, so they stay live) and a chart."""
    write_title(sheet, formats, "Summary", f"{data.authority} · {data.period} · {title}")
    sheet.write_string(2, 0, "Number of measures at each status, by theme. Select a theme to "
                       "open its sheet.", formats.subtitle())
    style = house_style()["status"]
    headers = ["Theme"] + [f"{Status(s).symbol} {s}" for s in STATUSES] + ["Measures"]
    themes = list(theme_sheets)
    first, last = HEADER_ROW + 1, HEADER_ROW + len(themes)
    sheet.add_table(HEADER_ROW, 0, last + 1, len(headers) - 1, {
        "name": "tbl_Summary", "style": "Table Style Light 15", "total_row": True,
        "columns": [{"header": h, "header_format": formats.header(), "total_string": "Total"}
                    if i == 0 else {"header": h, "header_format": formats.header(),
                                    "total_function": "sum", "format": formats.centred()}
                    for i, h in enumerate(headers)]})
    status_letter = xl_col_to_name(columns.status)
    for row, theme in zip(range(first, last + 1), themes, strict=True):
        name = theme_sheets[theme].name
        sheet.write_url(row, 0, f"internal:{quoted(name)}!A1", formats.link(), string=theme)
        measures = data.by_theme(theme)
        span = (f"{quoted(name)}!${status_letter}${HEADER_ROW + 2}:"
                f"${status_letter}${HEADER_ROW + 1 + len(measures)}")
        counts = status_counts(measures, judged)
        for offset, (status, count) in enumerate(zip(STATUSES, counts, strict=True)):
            sheet.write_formula(row, 1 + offset, f'=COUNTIF({span},"{status}")',
                                formats.centred(), count)
        sheet.write_formula(row, len(headers) - 1, f"=COUNTA({span})", formats.centred(),
                            len(measures))
    # The table's total row: cached values so non-calculating viewers see the totals.
    for offset, total in enumerate(status_counts(data.measures, judged)):
        col = xl_col_to_name(1 + offset)
        sheet.write_formula(last + 1, 1 + offset,
                            f"=SUBTOTAL(109,{col}{first + 1}:{col}{last + 1})",
                            formats.centred(bold=True), total)
    col = xl_col_to_name(len(headers) - 1)
    sheet.write_formula(last + 1, len(headers) - 1, f"=SUBTOTAL(109,{col}{first + 1}:{col}{last + 1})",
                        formats.centred(bold=True), len(data.measures))
    sheet.set_column(0, 0, 38)
    sheet.set_column(1, len(headers) - 1, 14)
    sheet.set_row(HEADER_ROW, 30)
    chart = workbook.add_chart({"type": "bar", "subtype": "stacked"})
    for offset, status in enumerate(STATUSES):
        chart.add_series({
            "name": [sheet.name, HEADER_ROW, 1 + offset],
            "categories": [sheet.name, first, 0, last, 0],
            "values": [sheet.name, first, 1 + offset, last, 1 + offset],
            "fill": {"color": style[status]["fill"]},
            "border": {"color": style[status]["font"]},
            "data_labels": {"value": True, "num_format": "0;-0;;@",  # no label on an empty segment
                            "font": {"color": style[status]["font"]}},
        })
    chart.set_title({"name": "Measures by status and theme", "name_font": {"size": 11}})
    chart.set_y_axis({"reverse": True})
    chart.set_x_axis({"name": "Number of measures", "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 760, "height": 120 + 36 * len(themes)})
    sheet.insert_chart(last + 3, 0, chart)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    set_print(sheet, title, data.authority, data.period, HEADER_ROW)


def status_counts(measures: list[Measure], judged: dict[str, Judgement]) -> list[int]:
    """How many of `measures` are at each status, in STATUSES order."""
    statuses = [judged[measure.id].status.status.value for measure in measures]
    return [statuses.count(status) for status in STATUSES]
