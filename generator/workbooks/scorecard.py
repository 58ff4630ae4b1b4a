"""The finished scorecard workbook: what managers, members and inspectors read.

`build_scorecard` writes the live workbook: Cover, Contents, Summary, one sheet per theme
laid out like seed 004, per-measure pages like seed 002 ("Measures"), Definitions, Risks
(when a register is given) and Notes. Every status, symbol, direction and risk score cell
is a native formula from `scorecard.formulas`, with the value the Python rules compute
stored as its cached result, so the file reads right in viewers that do not calculate and
stays live in Excel 2010+ and LibreOffice (change an actual and its status follows).

`publish_scorecard` writes the values-only version for release, following the guidance on
releasing statistics in spreadsheets: cover, contents, notes, one table per sheet starting in
A1's sheet, no merged cells, no formulas, missing values as GSS shorthand, statuses as text.

Text from data (names, commentary, comparator names) always goes through `write_string`
(or a string-only API), so a comment starting with =, +, - or @ stays text.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from generator.workbooks.data import Judgement, Measure, Risk, ScorecardData
from generator.workbooks.styles import (
    Formats,
    house_style,
    number_format,
    row_height,
    set_print,
    unit_decimal_places,
    unit_label,
)
from scorecard import formulas
from scorecard.polarity import Polarity
from scorecard.rag import Status
from scorecard.risk import IMPACTS, LIKELIHOODS, risk_level
from scorecard.values import GSS_SHORTHAND, Missing
from scorecard.vocab import REPORTING_BASES

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


def add_sheet(workbook, name: str):
    return workbook.add_worksheet(name, worksheet_class=ScorecardWorksheet)


@dataclass
class ThemeColumns:
    """Column positions on a theme sheet (0-based), so formulas and tests agree."""

    periods: list[str]
    comparators: list[str]

    def __post_init__(self) -> None:
        self.headers = ["Section", "Code", "Indicator", "Polarity", "Reporting basis"]
        self.first_period = len(self.headers)
        self.headers += self.periods[:-1] + [f"Actual {self.periods[-1]}"]
        self.actual = len(self.headers) - 1
        self.previous = self.actual - 1 if len(self.periods) > 1 else None
        self.target = self.add(f"Target {self.periods[-1]}")
        self.status = self.add("Status")
        self.symbol = self.add("Key")
        self.direction = self.add("Direction of travel")
        self.arrow = self.add("Move")
        self.trend = self.add("Trend")
        self.first_comparator = len(self.headers)
        for name in self.comparators:
            self.add(unique_header(name, self.headers))
        self.commentary = self.add("Commentary")
        self.tolerance_kind = self.add("Tolerance type")
        self.tolerance = self.add("Tolerance")
        self.threshold = self.add("No-change threshold")

    def add(self, header: str) -> int:
        self.headers.append(header)
        return len(self.headers) - 1


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


# ============================================================================ live workbook


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
    columns = ThemeColumns(data.shown_periods(history), data.comparator_names)
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


def detail_page_rows(data: ScorecardData) -> dict[str, int]:
    """First row of each measure's page on the Measures sheet."""
    rows, row = {}, 0
    for measure in data.measures:
        rows[measure.id] = row
        row += measure_page_height(data, measure)
    return rows


def write_title(sheet, formats: Formats, title: str, subtitle: str) -> None:
    sheet.set_row(0, 24)
    sheet.write_string(0, 0, title, formats.title())
    sheet.write_string(1, 0, subtitle, formats.subtitle())


def status_key_text() -> str:
    style = house_style()["status"]
    return "Key: " + "   ".join(f"{Status(status).symbol} {status} {spec['meaning'].lower()}"
                                 for status, spec in style.items())


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
    sheet.set_row(HEADER_ROW, row_height([(header, widths.get(col, 10) * 0.9) for col, header
                                          in enumerate(columns.headers)]))
    placed = []
    for row, measure in zip(range(first, last + 1), measures, strict=True):
        write_theme_row(sheet, row, measure, data, columns, formats, detail_rows, widths,
                        judged[measure.id])
        placed.append((measure, row))
    add_status_formats(sheet, formats, first, last, columns.status, columns.symbol)
    add_direction_formats(sheet, formats, first, last, columns.direction)
    add_trend_sparklines(sheet, formats, first, last, columns)
    set_theme_widths(sheet, widths, measures)
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
    sheet.write_string(row, columns.commentary, measure.commentary.get(data.period, ""), wrapped)
    sheet.set_row(row, row_height([
        (measure.section, widths[0]), (measure.name, widths[2]), (measure.polarity.value, widths[3]),
        (measure.reporting_basis, widths[4]),
        (measure.commentary.get(data.period, ""), widths[columns.commentary])]))
    sheet.write_string(row, columns.tolerance_kind, measure.tolerance.kind, text)
    sheet.write_number(row, columns.tolerance, measure.tolerance.amount, text)
    sheet.write_number(row, columns.threshold, measure.no_change_threshold, text)


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
    if columns.previous is None:
        previous = '""'  # one period only: nothing to compare with
    else:
        previous = cell(columns.previous)
    sheet.write_formula(row, columns.direction, "=" + formulas.direction_formula(
        actual, previous, polarity, cell(columns.threshold), target),
        formats.centred(), judgement.direction.value)
    sheet.write_formula(row, columns.arrow, "=" + formulas.arrow_formula(
        actual, previous, cell(columns.threshold)), formats.centred(), judgement.arrow)


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
    """One sparkline group for the sheet (one call: xlsxwriter styles each call afresh)."""
    rows = range(first, last + 1)
    sheet.add_sparkline(first, columns.trend, {
        "location": [xl_rowcol_to_cell(row, columns.trend) for row in rows],
        "range": [f"{quoted(sheet.name)}!{xl_rowcol_to_cell(row, columns.first_period)}:"
                  f"{xl_rowcol_to_cell(row, columns.actual)}" for row in rows],
        "markers": True, "series_color": formats.colour("chart_line"), "empty_cells": "gaps"})


def add_direction_formats(sheet, formats: Formats, first: int, last: int, col: int) -> None:
    for word in house_style()["direction"]:
        sheet.conditional_format(first, col, last, col + 1, {
            "type": "formula", "criteria": f'=${xl_col_to_name(col)}{first + 1}="{word}"',
            "format": formats.direction_font(word)})


THEME_WIDTHS = {"section": 13, "code": 8, "indicator": 34, "polarity": 10, "basis": 10,
                "period": 8.5, "target": 8.5, "status": 10, "symbol": 4, "direction": 11,
                "arrow": 5, "trend": 10, "comparator": 10, "commentary": 34, "helper": 10}


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
    return widths


def set_theme_widths(sheet, widths: dict[int, float], measures: list[Measure]) -> None:
    """Column widths from theme_widths, the Code column fitted to the longest code."""
    widths = {**widths, 1: min(max([8] + [len(measure.id) + 1 for measure in measures]), 30)}
    for col, width in widths.items():
        sheet.set_column(col, col, width)


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


def write_definitions(sheet, data: ScorecardData, formats: Formats, title: str) -> None:
    write_title(sheet, formats, "Definitions", "What each measure counts, from the catalogue.")
    headers = ["Code", "Indicator", "Theme", "Definition", "Unit", "Polarity", "Reporting basis",
               "Frequency", "Source", "Tolerance", "References"]
    rows = [definition_row(measure) for measure in data.measures]
    write_text_table(sheet, HEADER_ROW, headers, rows, formats, "tbl_Definitions",
                     [9, 36, 18, 60, 12, 14, 13, 11, 16, 12, 18])
    set_print(sheet, title, data.authority, data.period, HEADER_ROW)


def definition_row(measure: Measure) -> list[str]:
    tolerance = measure.tolerance
    amount = f"{tolerance.amount:g}" + ("%" if tolerance.kind == "relative" else " points")
    return [measure.id, measure.name, measure.theme, measure.definition,
            unit_label(measure.unit), measure.polarity.value, measure.reporting_basis,
            measure.frequency, measure.source, f"{amount} ({tolerance.kind})",
            measure.references]


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
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width)
    sheet.set_row(top, 30)
    sheet.freeze_panes(top + 1, 0)


RISK_HEADERS = ["ID", "Impact", "Likelihood", "Score", "Level", "Change", "Previous score",
                "Risk", "Owner", "Controls"]
RISK_WIDTHS = [18, 12, 12, 12, 12, 12, 12, 44, 22, 44]


def write_risks(sheet, risks: list[Risk], formats: Formats, title: str, data: ScorecardData):
    """004's 5x5 matrix as a heat map, a count of register risks per cell, then the register."""
    write_title(sheet, formats, "Risks", "Risk rating = impact x likelihood. Low 1-6, Moderate "
                "7-12, High 13-25. Colour shows the level; the number and the Level column say it.")
    header = formats.header()
    register_top = HEADER_ROW + 16
    first, last = register_top + 1, register_top + len(risks)
    levels = house_style()["risk_levels"]
    for block, heading in enumerate(("Risk score", "Risks in each cell")):
        top = HEADER_ROW + block * 8
        sheet.write_string(top, 0, heading, header)
        for impact, name in IMPACTS.items():
            sheet.write_string(top, impact, f"{impact} {name}", header)
        for offset, likelihood in enumerate(sorted(LIKELIHOODS, reverse=True)):
            row = top + 1 + offset
            sheet.write_string(row, 0, f"{LIKELIHOODS[likelihood]} ({likelihood})", header)
            for impact in IMPACTS:
                level = levels[risk_level(impact * likelihood)]
                fmt = formats.get(align="center", border=1, bold=block == 0,
                                  bg_color=level["fill"], font_color=level["font"])
                if block == 0:
                    sheet.write_number(row, impact, impact * likelihood, fmt)
                    continue
                count = sum(r.impact == impact and r.likelihood == likelihood for r in risks)
                sheet.write_formula(
                    row, impact, f"=COUNTIFS($B${first + 1}:$B${last + 1},{impact},"
                    f"$C${first + 1}:$C${last + 1},{likelihood})", fmt, count)
        sheet.write_string(top + 6, 0, "Rows: likelihood. Columns: impact.", formats.subtitle())
    sheet.add_table(register_top, 0, last, len(RISK_HEADERS) - 1, {
        "name": "tbl_Risks", "style": "Table Style Light 15",
        "columns": [{"header": h, "header_format": header} for h in RISK_HEADERS]})
    text, wrapped, centred = formats.text(), formats.text(wrap=True), formats.centred()
    for row, risk in zip(range(first, last + 1), risks, strict=True):
        impact, likelihood = xl_rowcol_to_cell(row, 1), xl_rowcol_to_cell(row, 2)
        score, previous = xl_rowcol_to_cell(row, 3), xl_rowcol_to_cell(row, 6)
        sheet.write_string(row, 0, risk.id, text)
        sheet.write_number(row, 1, risk.impact, centred)
        sheet.write_number(row, 2, risk.likelihood, centred)
        sheet.write_formula(row, 3, "=" + formulas.risk_score_formula(impact, likelihood),
                            centred, risk.score)
        sheet.write_formula(row, 4, "=" + formulas.risk_level_formula(score), centred,
                            risk.level)
        sheet.write_formula(row, 5, "=" + formulas.risk_change_formula(score, previous), centred,
                            risk.change)
        write_value(sheet, row, 6, risk.previous_score, centred)
        sheet.write_string(row, 7, risk.risk, wrapped)
        sheet.write_string(row, 8, risk.owner, wrapped)
        sheet.write_string(row, 9, risk.controls, wrapped)
        sheet.set_row(row, row_height([(risk.risk, RISK_WIDTHS[7]), (risk.owner, RISK_WIDTHS[8]),
                                       (risk.controls, RISK_WIDTHS[9])]))
    for level in levels:
        sheet.conditional_format(first, 4, last, 4, {
            "type": "cell", "criteria": "==", "value": f'"{level}"',
            "format": formats.level_fill(level)})
    for col, width in enumerate(RISK_WIDTHS):
        sheet.set_column(col, col, width)
    sheet.set_row(register_top, 30)
    set_print(sheet, title, data.authority, data.period, register_top)


def notes_rows(data: ScorecardData) -> list[list[str]]:
    style = house_style()["status"]
    rows = [[f"Status {status} {Status(status).symbol}", spec["meaning"]] for status, spec in
            style.items()]
    rows += [
        ["Tolerance", "A measure worse than target by no more than its tolerance is AMBER; "
         "further away is RED. Relative tolerance is a per cent of the target; absolute "
         "tolerance is in the measure's own units. Plan is Best: GREEN within the tolerance "
         "either side of the target, AMBER within twice it."],
        ["Direction of travel", "Improving or Declining compares the latest value with the "
         "period before, given the polarity (Plan is Best: closer to the target is Improving). "
         "A change no bigger than the no-change threshold is No change. The Move arrow shows "
         "which way the value moved, whatever the polarity."],
        ["Live formulas", "Status, Key, Direction of travel, Move, the Summary counts and risk "
         "scores are spreadsheet formulas: change an actual, target, polarity or tolerance "
         "and they follow. No macros or add-ins are used."],
        ["Percentages", "Percentages are held as numbers from 0 to 100 (86.5 means 86.5%)."],
    ]
    rows += [[polarity.value, meaning] for polarity, meaning in (
        (Polarity.BIGGER, "A bigger value for this measure is good"),
        (Polarity.SMALLER, "A smaller value for this measure is good"),
        (Polarity.PLAN, "It is better to be on target than above or below"),
        (Polarity.NONE, "A context measure: no status is given"))]
    rows += [[f"Reporting basis: {basis}", meaning] for basis, meaning in REPORTING_BASES.items()]
    rows += [[code, f"Missing value: {meaning}"] for code, meaning in GSS_SHORTHAND.items()]
    rows += [["Source", data.source or "Not stated"]]
    return rows


def write_notes(sheet, formats: Formats, title: str, data: ScorecardData) -> None:
    write_title(sheet, formats, "Notes", "Key to symbols, terms and missing values.")
    write_text_table(sheet, HEADER_ROW, ["Term", "Meaning"], notes_rows(data),
                     formats, "tbl_Notes", [34, 110])
    set_print(sheet, title, data.authority, data.period, HEADER_ROW)


def write_cover(sheet, data: ScorecardData, formats: Formats, title: str, contact: str,
                produced: dt.date) -> None:
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 90)
    sheet.set_row(0, 30)
    sheet.write_string(0, 0, title, formats.get(bold=True, font_size=20,
                                                font_color=formats.colour("title")))
    label, value = formats.plain(bold=True), formats.plain(text_wrap=True)
    rows = [("Authority", data.authority), ("Period", data.period),
            ("Date produced", produced.strftime("%d %B %Y").lstrip("0")),
            ("Source", data.source or "Not stated"), ("Contact", contact or "Not stated"),
            ("Measures", f"{len(data.measures)} in {len(data.themes())} themes"),
            ("About", "Statuses and directions of travel are live spreadsheet formulas, with "
             "the values Scorecard's rules computed stored as their results. Colour is never "
             "the only signal: every status also has a word and a symbol.")]
    for row, (name, text) in enumerate(rows, start=2):
        sheet.write_string(row, 0, name, label)
        sheet.write_string(row, 1, text, value)
    sheet.hide_gridlines(2)
    set_print(sheet, title, data.authority, data.period, None)


def write_contents(sheet, workbook, formats: Formats, title: str, data: ScorecardData,
                   names: dict[str, str]) -> None:
    write_title(sheet, formats, "Contents", "Select a sheet name to go to it.")
    descriptions = {"Cover": "Title, authority, period, date produced, source and contact",
                    "Contents": "This list", "Summary": "Status counts per theme, with a chart",
                    "Measures": "One page per measure: target, latest, status, trend, details",
                    "Definitions": "What each measure counts, from the catalogue",
                    "Risks": "Risk matrix (heat map) and register",
                    "Notes": "Key to symbols, terms and missing values"}
    themes_by_sheet = {name: theme for theme, name in names.items()}
    rows = []
    for worksheet in workbook.worksheets():
        theme = themes_by_sheet.get(worksheet.name)
        if theme is not None:
            rows.append((worksheet.name, f"{len(data.by_theme(theme))} measures: values, "
                         "target, status, direction of travel, comparators, commentary"))
        else:
            rows.append((worksheet.name, descriptions.get(worksheet.name, "")))
    sheet.add_table(HEADER_ROW, 0, HEADER_ROW + len(rows), 1, {
        "name": "tbl_Contents", "style": "Table Style Light 15",
        "columns": [{"header": "Sheet", "header_format": formats.header()},
                    {"header": "What it shows", "header_format": formats.header()}]})
    for row, (name, description) in enumerate(rows, start=HEADER_ROW + 1):
        sheet.write_url(row, 0, f"internal:{quoted(name)}!A1", formats.link(), string=name)
        sheet.write_string(row, 1, description, formats.text())
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 70)
    set_print(sheet, title, data.authority, data.period, HEADER_ROW)



# ============================================================================ published version


def publish_scorecard(
    data: ScorecardData,
    out: str | Path,
    *,
    risks: list[Risk] | None = None,
    title: str = DEFAULT_TITLE,
    contact: str = "",
    produced: dt.date | None = None,
    history: int = 5,
) -> Path:
    """Write the values-only version for release and return its path.

    Follows the guidance on releasing statistics in spreadsheets: a cover sheet, a table of
    contents, a notes table, one table per sheet (with the title in A1 and no blank rows or
    merged cells), no formulas, statuses as words, missing values as GSS shorthand.
    """
    out, workbook, formats = new_workbook(out, data, title)
    produced = produced or dt.date.today()
    names = sheet_names(data.themes())
    periods = data.shown_periods(history)
    judged = {measure.id: data.judge(measure) for measure in data.measures}
    note = published_note_numbers(data, bool(risks))
    tables: list[tuple[str, str, list[str], list[list]]] = []  # sheet, title, headers, rows
    tables.append(("Summary", f"Measures at each status, by theme: {data.authority}, "
                   f"{data.period}", ["Theme", *[f"{s} {note['status']}" for s in STATUSES],
                                      "Measures"], summary_rows(data, judged)))
    for theme in data.themes():
        headers, rows = published_theme_table(data, theme, periods, judged, note)
        tables.append((names[theme], f"{theme}: performance against target, {data.authority}, "
                       f"{data.period}", headers, rows))
    tables.append(("Definitions", "Definitions of the measures",
                   ["Code", "Indicator", "Theme", "Definition", "Unit", f"Polarity {note['polarity']}",
                    f"Reporting basis {note['basis']}", "Frequency", "Source",
                    f"Tolerance {note['tolerance']}", "References"],
                   [[cell or NOT_STATED for cell in definition_row(m)] for m in data.measures]))
    if risks:
        tables.append(("Risks", "Risk register", ["ID", "Risk", "Owner", "Impact", "Likelihood",
                       f"Score {note['risk']}", f"Level {note['risk']}",
                       f"Previous score {note['missing']}", f"Change {note['risk']}",
                       f"Controls {note['text']}"],
                       [[r.id, r.risk, r.owner or NOT_STATED, r.impact, r.likelihood, r.score,
                         r.level, r.previous_score if r.previous_score is not None else "[x]",
                         r.change or NO_PREVIOUS_SCORE, r.controls or NONE_RECORDED]
                        for r in risks]))
        tables.append(("Risk matrix", "Risk rating matrix: score for each impact and likelihood",
                       ["Likelihood", *[f"Impact {i} {n}" for i, n in IMPACTS.items()]],
                       [[f"{LIKELIHOODS[lk]} ({lk})", *[i * lk for i in IMPACTS]]
                        for lk in sorted(LIKELIHOODS, reverse=True)]))
    notes = [[f"Note {n}", term, meaning] for n, (_, term, meaning) in
             enumerate(published_notes(data, bool(risks)), start=1)]
    cover = add_sheet(workbook, "Cover")
    contents = add_sheet(workbook, "Contents")
    notes_sheet = add_sheet(workbook, "Notes")
    write_published_cover(cover, data, formats, title, contact, produced)
    write_published_table(notes_sheet, "Notes", "Notes used in this workbook",
                          ["Note number", "Term", "Note text"], notes, formats)
    contents_rows = [["Notes", "Notes used in this workbook"]]
    for sheet_name, table_title, headers, rows in tables:
        sheet = add_sheet(workbook, sheet_name)
        write_published_table(sheet, sheet_name, table_title, headers, rows, formats)
        contents_rows.append([sheet_name, table_title])
    write_published_table(contents, "Contents", "Table of contents",
                          ["Sheet name", "Table title"], contents_rows, formats,
                          links=True)
    workbook.close()
    return out


def summary_rows(data: ScorecardData, judged: dict[str, Judgement]) -> list[list]:
    rows = []
    for theme in data.themes():
        measures = data.by_theme(theme)
        rows.append([theme, *status_counts(measures, judged), len(measures)])
    return rows


# Words for empty text fields in the published tables: shorthand such as [x] is for missing
# figures only (published note "Text columns" says so).
NO_SECTION = "No section"
NOT_STATED = "Not stated"
NO_COMMENTARY = "No commentary"
NO_PREVIOUS_SCORE = "No previous score"
NONE_RECORDED = "None recorded"


@dataclass(frozen=True)
class Figure:
    """A number for the published version, already rounded, with its Excel number format."""

    value: float
    num_format: str

    def __str__(self) -> str:
        return f"{self.value:,}"


def round_half_away(value: float, places: int) -> float:
    """`value` rounded to `places` decimals as Excel's ROUND does: halves away from zero.

    Python's round() rounds halves to even and works on the binary value (2.675 -> 2.67); a
    spreadsheet shows and rounds the value to 15 significant digits, so round that decimal
    (2.675 -> 2.68; 111.64999999999999, shown as 111.65, -> 111.7).
    """
    quantum = Decimal(1).scaleb(-int(places))
    return float(Decimal(f"{float(value):.15g}").quantize(quantum, rounding=ROUND_HALF_UP))


def published_value(value: float | Missing, measure: Measure) -> Figure | str:
    """GSS shorthand for a missing value; a number rounded to the measure's decimal places, in
    its unit's number format."""
    if isinstance(value, Missing):
        return gss_code(value)
    places = unit_decimal_places(measure.unit, measure.decimal_places)
    return Figure(round_half_away(value, places),
                  number_format(measure.unit, measure.decimal_places))


def published_target(measure: Measure, period: str) -> Figure | str:
    """The target; a measure with no polarity is not judged, so a blank target is [z]."""
    target = measure.target(period)
    if (measure.polarity == Polarity.NONE and isinstance(target, Missing)
            and target.code not in GSS_SHORTHAND):
        return "[z]"
    return published_value(target, measure)


def published_notes(data: ScorecardData, with_risks: bool = False) -> list[tuple[str, str, str]]:
    """(key, term, note text) for the published Notes table, in note-number order.

    Unlike the live Notes sheet this says nothing about formulas: the release holds values only.
    """
    style = house_style()["status"]
    shorthand = "; ".join(f"{code} {meaning}" for code, meaning in GSS_SHORTHAND.items())
    notes = [
        ("status", "Status", "Status compares the latest value with its target, given the "
         "measure's polarity and tolerance: " + "; ".join(
             f"{status} ({Status(status).symbol}) {spec['meaning'][0].lower()}{spec['meaning'][1:]}"
             for status, spec in style.items()) + ". The status symbol repeats the status as "
         "the symbol used in the live scorecard."),
        ("tolerance", "Tolerance", "A measure worse than target by no more than its tolerance "
         "is AMBER; further away is RED. Relative tolerance is a per cent of the target; "
         "absolute tolerance is in the measure's own units. Plan is Best: GREEN within the "
         "tolerance either side of the target, AMBER within twice it."),
        ("direction", "Direction of travel", "Improving or Declining compares the latest value "
         "with the period before, given the polarity (Plan is Best: closer to the target is "
         "Improving). A change no bigger than the measure's no-change threshold is No change. "
         "Not comparable: there is no value for one of the two periods."),
        ("polarity", "Polarity", "; ".join(f"{polarity.value}: {meaning}" for polarity, meaning in (
            (Polarity.BIGGER, "a bigger value is good"),
            (Polarity.SMALLER, "a smaller value is good"),
            (Polarity.PLAN, "it is better to be on target than above or below"),
            (Polarity.NONE, "a context measure, with no target and no status"))) + "."),
        ("basis", "Reporting basis", "; ".join(f"{basis}: {meaning[0].lower()}{meaning[1:]}"
                                                for basis, meaning in REPORTING_BASES.items())
         + ". Where none is given the cell says \"Not stated\"."),
        ("comparator", "Comparators", "Comparator columns give the same measure for other areas "
         "in the report period, as supplied with the data: for example the average of the "
         "authority's statistical neighbours, its region, or England."),
        ("missing", "Missing values", "Missing figures are shown as GSS shorthand: "
         + shorthand + ". A measure with no polarity is not judged against a target, so its "
         "target is [z] unless one was given."),
        ("rounding", "Rounding and units", "Figures are rounded to each measure's decimal "
         "places (halves rounded away from zero) and shown in its unit. Percentages are held "
         "as numbers from 0 to 100 (86.5 means 86.5%)."),
        ("text", "Text columns", f"Section, reporting basis, commentary and the other text "
         f"columns are words, not figures, so they do not use shorthand: where there is "
         f"nothing to show they say \"{NO_SECTION}\", \"{NOT_STATED}\", \"{NO_COMMENTARY}\" "
         f"or \"{NONE_RECORDED}\"."),
        ("values", "Values only", "This version holds values only, with no formulas: statuses, "
         "directions of travel and the summary counts were worked out by Scorecard's rules when "
         "the workbook was produced."),
    ]
    if with_risks:
        notes.append(("risk", "Risk rating", "Risk score = impact x likelihood (each 1 to 5). "
                      "Level: Low 1-6, Moderate 7-12, High 13-25. Change compares the score with "
                      f"the previous score (\"{NO_PREVIOUS_SCORE}\" when there is none)."))
    notes.append(("source", "Source", data.source or "Not stated"))
    return notes


def published_note_numbers(data: ScorecardData, with_risks: bool = False) -> dict[str, str]:
    """Header markers ("[note 1]" ...) keyed as published_notes."""
    return {key: f"[note {n}]" for n, (key, _, _) in
            enumerate(published_notes(data, with_risks), start=1)}


def published_theme_table(data: ScorecardData, theme: str, periods: list[str],
                          judged: dict[str, Judgement], note: dict[str, str] | None = None):
    note = note or published_note_numbers(data)
    # "Status", "Actual <period>" and "Target <period>" keep their plain names: other tools
    # (tests/test_store_to_scorecard.py) look the columns up by them.
    headers = ["Section", "Code", "Indicator", "Unit", f"Polarity {note['polarity']}",
               f"Reporting basis {note['basis']}", *periods[:-1], f"Actual {periods[-1]}",
               f"Target {periods[-1]}", "Status", f"Status symbol {note['status']}",
               f"Direction of travel {note['direction']}"]
    for name in data.comparator_names:
        headers.append(unique_header(f"{name} {note['comparator']}", headers))
    headers.append(f"Commentary {note['text']}")
    rows = []
    for measure in data.by_theme(theme):
        judgement = judged[measure.id]
        status = judgement.status
        rows.append([
            measure.section or NO_SECTION, measure.id, measure.name, unit_label(measure.unit),
            measure.polarity.value, measure.reporting_basis or NOT_STATED,
            *[published_value(measure.value(p), measure) for p in periods],
            published_target(measure, data.period), status.status.value, status.symbol,
            judgement.direction.value,
            *[published_value(measure.comparator(n, data.period), measure)
              for n in data.comparator_names],
            measure.commentary.get(data.period, "") or NO_COMMENTARY,
        ])
    return headers, rows


def write_published_cover(sheet, data: ScorecardData, formats: Formats, title: str, contact: str,
                          produced: dt.date) -> None:
    lines = [
        (title, formats.get(bold=True, font_size=16)),
        (f"{data.authority}, {data.period}", formats.plain()),
        ("This workbook gives performance against target for children's services measures. "
         "It contains values only: statuses and directions of travel are shown as words.",
         formats.plain()),
        ("Date produced", formats.get(bold=True, font_size=12)),
        (produced.strftime("%d %B %Y").lstrip("0"), formats.plain()),
        ("Source", formats.get(bold=True, font_size=12)),
        (data.source or "Not stated", formats.plain()),
        ("Missing values", formats.get(bold=True, font_size=12)),
        ("Missing values are shown as GSS shorthand: " + "; ".join(
            f"{code} {meaning}" for code, meaning in GSS_SHORTHAND.items()), formats.plain()),
        ("Contact", formats.get(bold=True, font_size=12)),
        (contact or "Not stated", formats.plain()),
    ]
    for row, (text, fmt) in enumerate(lines):
        sheet.write_string(row, 0, text, fmt)
    sheet.set_column(0, 0, 120)


def write_published_table(sheet, sheet_name: str, table_title: str, headers: list[str],
                          rows: list[list], formats: Formats, links: bool = False) -> None:
    """Title in A1, a line saying what the sheet holds, then the one table from A3."""
    sheet.write_string(0, 0, table_title, formats.get(bold=True, font_size=14))
    sheet.write_string(1, 0, "This worksheet contains one table.", formats.plain())
    top = 2
    sheet.add_table(top, 0, top + max(len(rows), 1), len(headers) - 1, {
        "name": table_name(sheet_name), "style": "Table Style Light 1", "autofilter": False,
        "columns": [{"header": h, "header_format": formats.get(bold=True, text_wrap=True)}
                    for h in headers]})
    for r, values in enumerate(rows, start=top + 1):
        for c, value in enumerate(values):
            if links and c == 0:
                sheet.write_url(r, c, f"internal:{quoted(value)}!A1", formats.link(), string=value)
            elif isinstance(value, Figure):
                sheet.write_number(r, c, value.value, formats.get(text_wrap=True,
                                                                  num_format=value.num_format))
            else:
                write_value(sheet, r, c, value, formats.get(text_wrap=True))
    widths = []
    for c, header in enumerate(headers):
        longest = max([len(header)] + [len(str(row[c])) for row in rows])
        widths.append(min(max(longest + 2, 10), 60))
        sheet.set_column(c, c, widths[-1])
    # LibreOffice does not grow wrapped rows to fit on load: give long text its height.
    for r, values in enumerate(rows, start=top + 1):
        height = row_height([(str(v), w) for v, w in zip(values, widths, strict=True)])
        if height > 15:
            sheet.set_row(r, height)
    sheet.freeze_panes(top + 1, 0)
