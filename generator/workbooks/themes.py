"""Theme sheets of the live scorecard, laid out like seed 004: one row per measure with its
periods, target, status formula, symbol, direction and trend sparkline.

Beyond the printed columns are the formula inputs (tolerance, threshold) and, hidden, the
chart data: each period's value where it is a number (blank where it is missing, so charts and
sparklines leave a gap rather than plot shorthand such as [c] as zero, as LibreOffice does)
and each period's target. The sparklines and the measure pages' charts read those.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from generator.workbooks.book import (
    HEADER_ROW,
    STATUSES,
    cell_value,
    quoted,
    status_key_text,
    table_name,
    unique_header,
    write_title,
    write_value,
)
from generator.workbooks.data import (
    BASIS_DIFFERS,
    BASIS_JUDGEMENT,
    BASIS_RULE,
    Judgement,
    Measure,
    ScorecardData,
)
from generator.workbooks.styles import (
    Formats,
    house_style,
    row_height,
    set_print,
)
from scorecard import formulas


@dataclass
class ThemeColumns:
    """Column positions on a theme sheet (0-based), so formulas and tests agree.

    With `overrides` (some status is an officer's judgement) the rule's Status and Key are
    followed by Override (the judgement typed), Reported status and Judgement (Rule,
    Judgement, or Judgement ≠ rule).
    """

    periods: list[str]
    comparators: list[str]
    overrides: bool = False
    benchmarked: bool = False  # quartile band and rank columns after the comparators

    def __post_init__(self) -> None:
        self.headers = ["Section", "Code", "Indicator", "Polarity", "Reporting basis"]
        self.polarity = 3
        self.first_period = len(self.headers)
        self.headers += self.periods[:-1] + [f"Actual {self.periods[-1]}"]
        self.actual = len(self.headers) - 1
        self.previous = self.actual - 1 if len(self.periods) > 1 else None
        self.target = self.add(f"Target {self.periods[-1]}")
        self.status = self.add("Status")
        self.symbol = self.add("Key")
        self.override = self.judgement = None
        self.reported = self.status
        if self.overrides:
            self.override = self.add("Override")
            self.reported = self.add("Reported status")
            self.judgement = self.add("Judgement")
        self.direction = self.add("Direction of travel")
        self.arrow = self.add("Move")
        self.trend = self.add("Trend")
        self.first_comparator = len(self.headers)
        for name in self.comparators:
            self.add(unique_header(name, self.headers))
        self.band = self.add("Quartile band") if self.benchmarked else None
        self.rank = self.add("Rank") if self.benchmarked else None
        self.commentary = self.add("Commentary")
        self.tolerance_kind = self.add("Tolerance type")
        self.tolerance = self.add("Tolerance")
        self.threshold = self.add("No-change threshold")
        self.chart_values = [self.add(f"Chart value {period}") for period in self.periods]
        self.chart_targets = [self.add(f"Chart target {period}") for period in self.periods]

    def add(self, header: str) -> int:
        self.headers.append(header)
        return len(self.headers) - 1

    @classmethod
    def for_data(cls, data: ScorecardData, history: int) -> ThemeColumns:
        return cls(data.shown_periods(history), data.comparator_names, overrides=data.has_overrides,
                   benchmarked=data.benchmarked)


def write_theme_sheet(sheet, data: ScorecardData, theme: str, columns: ThemeColumns,
                      formats: Formats, title: str, detail_rows: dict[str, int],
                      judged: dict[str, Judgement]):
    """One theme, laid out like 004; returns [(measure, row)] for cross-references."""
    measures = data.by_theme(theme)
    write_title(sheet, formats, theme, f"{data.authority} · {data.period} · {title}")
    sheet.write_string(2, 0, status_key_text(), formats.plain(font_size=8,
                                                              font_color=formats.colour("muted")))
    first, last = HEADER_ROW + 1, HEADER_ROW + len(measures)
    sheet.add_table(HEADER_ROW, 0, last, len(columns.headers) - 1, {
        "name": table_name(sheet.name), "style": "Table Style Light 15",
        "columns": [{"header": header, "header_format": formats.header()}
                    for header in columns.headers],
    })
    widths = theme_widths(columns)
    printed = columns.headers[:columns.commentary + 1]  # hidden chart data does not count
    sheet.set_row(HEADER_ROW, row_height([(header, widths.get(col, 10) * 0.9) for col, header
                                          in enumerate(printed)]))
    placed = []
    for row, measure in zip(range(first, last + 1), measures, strict=True):
        write_theme_row(sheet, row, measure, data, columns, formats, detail_rows, widths,
                        judged[measure.id])
        placed.append((measure, row))
    add_status_formats(sheet, formats, first, last, columns.status, columns.symbol)
    if columns.overrides:
        add_override_validation(sheet, first, last, columns.override)
        for col in (columns.override, columns.reported):
            add_status_formats(sheet, formats, first, last, col, col)
    add_direction_formats(sheet, formats, first, last, columns.direction)
    add_trend_sparklines(sheet, formats, first, last, columns)
    set_theme_widths(sheet, widths, measures)
    hide_chart_data(sheet, columns)
    sheet.freeze_panes(first, 3)
    set_print(sheet, title, data.authority, data.period, HEADER_ROW, columns.commentary, last)
    return placed


def write_theme_row(sheet, row: int, measure: Measure, data: ScorecardData,
                    columns: ThemeColumns, formats: Formats, detail_rows: dict[str, int],
                    widths: dict[int, float], judgement: Judgement) -> None:
    text, wrapped = formats.text(), formats.text(wrap=True)
    number = formats.number(measure.unit, measure.decimal_places)
    sheet.write_string(row, 0, measure.section, wrapped)
    if measure.id in detail_rows:
        sheet.write_url(row, 1, f"internal:'Measures'!A{detail_rows[measure.id] + 1}",
                        formats.get(font_color=formats.colour("link"), underline=1, border=1,
                                    border_color=formats.colour("border")),
                        string=measure.id, tip="Open this measure's page")
    else:
        sheet.write_string(row, 1, measure.id, text)
    sheet.write_string(row, 2, measure.name, wrapped)
    sheet.write_string(row, 3, measure.polarity.value, wrapped)
    sheet.write_string(row, 4, measure.reporting_basis, wrapped)
    for offset, period in enumerate(columns.periods):
        write_value(sheet, row, columns.first_period + offset,
                    cell_value(measure.value(period)), number)
    write_value(sheet, row, columns.target, cell_value(measure.target(data.period)), number)
    write_status_cells(sheet, row, columns, formats, judgement)
    sheet.write_blank(row, columns.trend, None, text)
    for offset, name in enumerate(data.comparator_names):
        write_value(sheet, row, columns.first_comparator + offset,
                    cell_value(measure.comparator(name, data.period)), number)
    if columns.benchmarked:
        sheet.write_string(row, columns.band, measure.band(data.period), formats.centred())
        sheet.write_string(row, columns.rank, measure.rank_text(data.period), formats.centred())
    sheet.write_string(row, columns.commentary, measure.commentary.get(data.period, ""), wrapped)
    sheet.set_row(row, row_height([
        (measure.section, widths[0]), (measure.name, widths[2]), (measure.polarity.value, widths[3]),
        (measure.reporting_basis, widths[4]),
        (measure.commentary.get(data.period, ""), widths[columns.commentary])]))
    sheet.write_string(row, columns.tolerance_kind, measure.tolerance.kind, text)
    sheet.write_number(row, columns.tolerance, measure.tolerance.amount, text)
    sheet.write_number(row, columns.threshold, measure.no_change_threshold, text)
    write_chart_data(sheet, row, measure, data, columns, number)


def write_chart_data(sheet, row: int, measure: Measure, data: ScorecardData,
                     columns: ThemeColumns, number) -> None:
    """The hidden chart data: each period's value as a live formula where it is a number and a
    blank where it is missing; each period's target (the report period's follows its cell)."""
    for offset, period in enumerate(columns.periods):
        value = measure.value(period)
        if isinstance(value, float):
            source = xl_rowcol_to_cell(row, columns.first_period + offset)
            sheet.write_formula(row, columns.chart_values[offset],
                                f"=IF(ISNUMBER({source}),{source},NA())", number, value)
        target = measure.target(period)
        if not isinstance(target, float):
            continue
        if period == data.period:
            source = xl_rowcol_to_cell(row, columns.target)
            sheet.write_formula(row, columns.chart_targets[offset],
                                f"=IF(ISNUMBER({source}),{source},NA())", number, target)
        else:
            sheet.write_number(row, columns.chart_targets[offset], target, number)


def write_status_cells(sheet, row: int, columns: ThemeColumns, formats: Formats,
                       judgement: Judgement) -> None:
    """Status, key symbol, direction and arrow: formulas with the Python answers cached."""
    cell = lambda col: xl_rowcol_to_cell(row, col)  # noqa: E731 - reads better than a def here
    actual, target, polarity = cell(columns.actual), cell(columns.target), cell(3)
    status = judgement.status
    sheet.write_formula(row, columns.status, "=" + formulas.rag_formula(
        actual, target, polarity, cell(columns.tolerance_kind), cell(columns.tolerance)),
        formats.centred(bold=True), status.status.value)
    sheet.write_formula(row, columns.symbol, "=" + formulas.rag_symbol_formula(
        cell(columns.status)), formats.centred(), status.symbol)
    if columns.overrides:
        write_override_cells(sheet, row, columns, formats, judgement)
    if columns.previous is None:
        previous = '""'  # one period only: nothing to compare with
    else:
        previous = cell(columns.previous)
    sheet.write_formula(row, columns.direction, "=" + formulas.direction_formula(
        actual, previous, polarity, cell(columns.threshold), target),
        formats.centred(), judgement.direction.value)
    sheet.write_formula(row, columns.arrow, "=" + formulas.arrow_formula(
        actual, previous, cell(columns.threshold)), formats.centred(), judgement.arrow)


def write_override_cells(sheet, row: int, columns: ThemeColumns, formats: Formats,
                         judgement: Judgement) -> None:
    """Override (the officer's judgement, typed), Reported status (the override where given,
    else the rule's Status) and Judgement (where the status comes from, in words)."""
    status, override = xl_rowcol_to_cell(row, columns.status), xl_rowcol_to_cell(row, columns.override)
    if judgement.override:
        sheet.write_string(row, columns.override, judgement.override.status.value,
                           formats.centred(bold=True))
    else:
        sheet.write_blank(row, columns.override, None, formats.centred(bold=True))
    typed = f"TRIM({override})"
    sheet.write_formula(row, columns.reported, f'=IF({typed}="",{status},UPPER({typed}))',
                        formats.centred(bold=True), judgement.reported.value)
    sheet.write_formula(row, columns.judgement, f'=IF({typed}="","{BASIS_RULE}",IF(UPPER({typed})='
                        f'{status},"{BASIS_JUDGEMENT}","{BASIS_DIFFERS}"))',
                        formats.centred(), judgement.basis)


def add_override_validation(sheet, first: int, last: int, col: int) -> None:
    """Only the four status words (or nothing) in the Override column."""
    sheet.data_validation(first, col, last, col, {
        "validate": "list", "source": STATUSES, "ignore_blank": True,
        "input_title": "Override", "input_message": "An officer's judgement of the status; "
        "give the reason in the data (override_reason) and it is listed on the Notes sheet.",
        "error_title": "Not a status", "error_message": "Use GREEN, AMBER, RED or NO STATUS, "
        "or leave blank for the rule's status."})


def add_status_formats(sheet, formats: Formats, first: int, last: int, status_col: int,
                       symbol_col: int) -> None:
    """Colour keyed on the status text (the word and symbol stay, so colour is not alone)."""
    anchor = f"${xl_col_to_name(status_col)}{first + 1}"
    for status in STATUSES:
        sheet.conditional_format(first, status_col, last, symbol_col, {
            "type": "formula", "criteria": f'={anchor}="{status}"',
            "format": formats.status_fill(status)})


def add_trend_sparklines(sheet, formats: Formats, first: int, last: int,
                         columns: ThemeColumns) -> None:
    """One sparkline group for the sheet (one call: xlsxwriter styles each call afresh), over
    the hidden chart data, so a missing value is a gap (show_hidden: the columns are hidden)."""
    rows = range(first, last + 1)
    sheet.add_sparkline(first, columns.trend, {
        "location": [xl_rowcol_to_cell(row, columns.trend) for row in rows],
        "range": [f"{quoted(sheet.name)}!{xl_rowcol_to_cell(row, columns.chart_values[0])}:"
                  f"{xl_rowcol_to_cell(row, columns.chart_values[-1])}" for row in rows],
        "markers": True, "series_color": formats.colour("chart_line"), "empty_cells": "gaps",
        "show_hidden": True})


def add_direction_formats(sheet, formats: Formats, first: int, last: int, col: int) -> None:
    for word in house_style()["direction"]:
        sheet.conditional_format(first, col, last, col + 1, {
            "type": "formula", "criteria": f'=${xl_col_to_name(col)}{first + 1}="{word}"',
            "format": formats.direction_font(word)})


THEME_WIDTHS = {"section": 13, "code": 8, "indicator": 30, "polarity": 10, "basis": 10,
                "period": 8.5, "target": 8.5, "status": 10, "symbol": 4, "override": 10,
                "judgement": 16, "direction": 11, "arrow": 5, "trend": 10, "comparator": 10,
                "commentary": 34, "helper": 10}


def theme_widths(columns: ThemeColumns) -> dict[int, float]:
    w = THEME_WIDTHS
    widths = {0: w["section"], 1: w["code"], 2: w["indicator"], 3: w["polarity"], 4: w["basis"],
              columns.target: w["target"], columns.status: w["status"],
              columns.symbol: w["symbol"], columns.direction: w["direction"],
              columns.arrow: w["arrow"], columns.trend: w["trend"],
              columns.commentary: w["commentary"], columns.tolerance_kind: w["helper"],
              columns.tolerance: w["helper"], columns.threshold: w["helper"]}
    for col in range(columns.first_period, columns.actual + 1):
        widths[col] = w["period"]
    for col in range(columns.first_comparator, columns.commentary):
        widths[col] = w["comparator"]
    if columns.overrides:
        widths.update({columns.override: w["override"], columns.reported: w["status"],
                       columns.judgement: w["judgement"]})
    return widths


def set_theme_widths(sheet, widths: dict[int, float], measures: list[Measure]) -> None:
    """Column widths from theme_widths, the Code column fitted to the longest code."""
    widths = {**widths, 1: min(max([8] + [len(measure.id) + 1 for measure in measures]), 30)}
    for col, width in widths.items():
        sheet.set_column(col, col, width)


def hide_chart_data(sheet, columns: ThemeColumns) -> None:
    """The chart data columns are for charts and sparklines, not for reading."""
    first, last = columns.chart_values[0], columns.chart_targets[-1]
    sheet.set_column(first, last, 10, None, {"hidden": True})
