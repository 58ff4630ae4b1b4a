"""Measure pages, like seed 002's "performance details": one printed page per measure with its
figures, status, direction, trend chart (actual and target) and commentary.

The chart reads the theme sheet's hidden chart data (numbers, with blanks for missing values)
so a suppressed value is a gap, not a zero. Its vertical axis starts at zero for counts,
percentages, rates, durations, FTE and money, as readers expect, unless the values differ by
less than a fifth of the largest (a zero-based line would look flat): then it starts just
below the lowest value, and the page says so under the chart.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

from xlsxwriter.utility import xl_rowcol_to_cell

from generator.workbooks.book import HEADER_ROW, quoted
from generator.workbooks.data import Judgement, Measure, ScorecardData
from generator.workbooks.front_matter import override_text
from generator.workbooks.styles import (
    Formats,
    house_style,
    number_format,
    set_print,
    unit_decimal_places,
    unit_label,
)
from generator.workbooks.themes import ThemeColumns, add_direction_formats, add_status_formats
from scorecard import formulas
from scorecard.values import Missing

LAST_PRINTED_COL = 12  # A:M; one A4 landscape page wide at 100%
TITLE_WIDTH = 75  # characters of a 16-point title line that fit the page
TEXT_WIDTH = 120  # characters of a 10-point line of commentary across the page
CHART_ROWS = 15  # rows the trend chart covers (280 pixels)
# Units whose zero means "none", so a chart of them starts at zero (scores, ratios and
# percentage points can be negative or have no natural zero).
ZERO_BASED_UNITS = frozenset({"percentage", "count", "rate per 10,000", "rate per 1,000",
                              "rate per 100,000", "days", "weeks", "months", "FTE", "currency"})
TINY_SPREAD = 0.2  # below this share of the largest value, a zero-based axis looks flat


@dataclass(frozen=True)
class PageLayout:
    """Row offsets (from the page's first row) of one measure's page."""

    title_lines: list[str]
    figures: int  # rows of figures (target, latest, status ... comparators)
    details: list[str]  # commentary lines, or the line saying there is none
    override: list[str]  # lines explaining an override (none without one)

    @property
    def subtitle(self) -> int:
        return len(self.title_lines)

    @property
    def first_figure(self) -> int:
        return self.subtitle + 2

    @property
    def axis_note(self) -> int:
        return self.first_figure + CHART_ROWS

    @property
    def override_row(self) -> int:
        return max(self.first_figure + self.figures, self.axis_note) + 2

    @property
    def details_row(self) -> int:
        return self.override_row + (len(self.override) + 2 if self.override else 0)

    @property
    def height(self) -> int:
        return self.details_row + 1 + len(self.details) + 2


def wrapped(text: str, width: int) -> list[str]:
    lines = []
    for paragraph in text.splitlines():
        lines += textwrap.wrap(paragraph, width) or [""]
    return lines


def page_layout(data: ScorecardData, measure: Measure, overrides: bool) -> PageLayout:
    commentary = measure.commentary.get(data.period, "")
    details = (wrapped(commentary, TEXT_WIDTH) if commentary
               else [f"No commentary was given for {data.period}."])
    return PageLayout(
        title_lines=wrapped(measure.name, TITLE_WIDTH) or [measure.id],
        figures=5 + (2 if overrides else 0) + len(data.comparator_names),
        details=details,
        override=wrapped(override_text(data, measure), TEXT_WIDTH),
    )


def detail_page_rows(data: ScorecardData) -> dict[str, int]:
    """First row of each measure's page on the Measures sheet."""
    rows, row = {}, 0
    for measure in data.measures:
        rows[measure.id] = row
        row += page_layout(data, measure, data.has_overrides).height
    return rows


def write_measure_pages(workbook, sheet, data: ScorecardData, columns: ThemeColumns,
                        locations: dict[str, tuple[str, int]], page_rows: dict[str, int],
                        formats: Formats, title: str, judged: dict[str, Judgement]) -> None:
    """One page per measure, as 002: target, latest, status, direction, period, trend, details."""
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, 2, 5)
    sheet.set_column(3, 3, 3)
    sheet.set_column(4, LAST_PRINTED_COL, 10)
    last = 0
    for measure in data.measures:
        layout = page_layout(data, measure, columns.overrides)
        top = page_rows[measure.id]
        write_measure_page(workbook, sheet, data, measure, layout, top, columns,
                           locations[measure.id], formats, judged[measure.id])
        last = top + layout.height - 1
    # One set of rules for the whole sheet: only status and direction words match them.
    add_status_formats(sheet, formats, 0, last, 1, 2)
    add_direction_formats(sheet, formats, 0, last, 1)
    sheet.set_h_pagebreaks([row for row in page_rows.values() if row][:1023])  # Excel's limit
    sheet.hide_gridlines(2)
    set_print(sheet, title, data.authority, data.period, None, LAST_PRINTED_COL, last)


def write_measure_page(workbook, sheet, data: ScorecardData, measure: Measure, layout: PageLayout,
                       top: int, columns: ThemeColumns, location: tuple[str, int],
                       formats: Formats, judgement: Judgement) -> None:
    source_sheet, source_row = location

    def ref(col: int) -> str:
        return f"{quoted(source_sheet)}!{xl_rowcol_to_cell(source_row, col, True, True)}"

    for offset, line in enumerate(layout.title_lines):
        sheet.write_string(top + offset, 0, line, formats.title())
        sheet.set_row(top + offset, 22)
    about = [measure.id, measure.theme, measure.section, measure.polarity.value,
             measure.reporting_basis, unit_label(measure.unit)]
    sheet.write_string(top + layout.subtitle, 0, " · ".join(part for part in about if part),
                       formats.subtitle())
    number = formats.number(measure.unit, measure.decimal_places, bold=True)
    status = judgement.status
    rows = [
        ("Target", ref(columns.target), display(measure.target(data.period)), number),
        ("Latest performance", ref(columns.actual), display(measure.value(data.period)), number),
        ("Status", ref(columns.status), status.status.value, formats.centred(bold=True)),
    ]
    if columns.overrides:
        rows += [("Reported status", ref(columns.reported), judgement.reported.value,
                  formats.centred(bold=True)),
                 ("Judgement", ref(columns.judgement), judgement.basis, formats.centred())]
    rows.append(("Direction of travel", ref(columns.direction), judgement.direction.value,
                 formats.centred()))
    label = formats.text(bold=True)
    first = top + layout.first_figure
    for offset, (name, source, cached, fmt) in enumerate(rows):
        sheet.write_string(first + offset, 0, name, label)
        sheet.write_formula(first + offset, 1, shown_formula(source), fmt, cached)
    symbols = [(first + 2, status.symbol)]  # the rule's status, and the reported one
    if columns.overrides:
        symbols.append((first + 3, judgement.reported.symbol))
    for row, symbol in symbols:
        sheet.write_formula(row, 2, "=" + formulas.rag_symbol_formula(xl_rowcol_to_cell(row, 1)),
                            formats.centred(), symbol)
    direction_row = first + len(rows) - 1
    sheet.write_formula(direction_row, 2, f"={ref(columns.arrow)}", formats.centred(),
                        judgement.arrow)
    sheet.write_string(direction_row + 1, 0, "Data period", label)
    sheet.write_string(direction_row + 1, 1, data.period, formats.centred())
    for offset, name in enumerate(data.comparator_names):
        row = direction_row + 2 + offset
        sheet.write_string(row, 0, name, label)
        sheet.write_formula(row, 1, shown_formula(ref(columns.first_comparator + offset)),
                            formats.number(measure.unit, measure.decimal_places),
                            display(measure.comparator(name, data.period)))
    note = insert_trend_chart(workbook, sheet, first, 4, measure, data, columns, location)
    if note:
        sheet.write_string(top + layout.axis_note, 4, note, formats.plain(
            italic=True, font_size=8, font_color=formats.colour("muted")))
    for offset, line in enumerate(layout.override):
        if not offset:
            sheet.write_string(top + layout.override_row, 0, "Officer's judgement",
                               formats.plain(bold=True))
        sheet.write_string(top + layout.override_row + 1 + offset, 0, line)
    sheet.write_string(top + layout.details_row, 0, "Performance details",
                       formats.plain(bold=True))
    muted = formats.plain(italic=True, font_color=formats.colour("muted"))
    for offset, line in enumerate(layout.details):
        sheet.write_string(top + layout.details_row + 1 + offset, 0, line,
                           None if measure.commentary.get(data.period) else muted)


def shown_formula(source: str) -> str:
    """Show a theme-sheet cell here, with a dash rather than 0 when it is empty."""
    return f'=IF(ISBLANK({source}),"–",{source})'


def display(value: float | Missing) -> float | str:
    if isinstance(value, Missing):
        return value.code or "–"
    return value


def nice_step(size: float) -> float:
    """The smallest of 1, 2, 2.5, 5 (times a power of ten) at least `size`."""
    power = 10 ** math.floor(math.log10(size))
    return next(power * m for m in (1, 2, 2.5, 5, 10) if power * m >= size)


def axis_start(unit: str, numbers: list[float]) -> int | float | None:
    """Where the trend chart's vertical axis starts: 0 for a zero-based unit unless the values
    differ by less than TINY_SPREAD of the largest; then a round number below the lowest.
    None (the chart decides) for other units, negative values or no values."""
    if unit not in ZERO_BASED_UNITS or not numbers or min(numbers) < 0:
        return None
    low, high = min(numbers), max(numbers)
    if high <= 0 or high - low >= TINY_SPREAD * high:
        return 0
    step = nice_step(max(high - low, high / 100) / 4)
    start = math.floor(low / step) * step
    start = round(max(start - step if start >= low else start, 0.0), 10)
    return int(start) if start == int(start) else start  # 75, not 75.0, in the chart's XML


def figure_text(value: float, unit: str, decimal_places: int | None = None) -> str:
    """A figure as text, in its unit: 80.0%, £1,500, 400 days, 512.3 per 10,000."""
    text = f"{value:,.{unit_decimal_places(unit, decimal_places)}f}"
    if unit == "percentage":
        return text + "%"
    if unit == "currency":
        return "£" + text
    if unit in ("days", "weeks", "months", "FTE") or unit.startswith("rate per"):
        return f"{text} {unit_label(unit)}"
    if unit == "percentage points":
        return f"{text} points"
    return text


def insert_trend_chart(workbook, sheet, row: int, col: int, measure: Measure,
                       data: ScorecardData, columns: ThemeColumns,
                       location: tuple[str, int]) -> str:
    """The trend chart (actual, and target where there is one); returns the note to print
    under it when its axis does not start at zero ('' otherwise)."""
    source_sheet, source_row = location
    colours = house_style()["colours"]
    unit_format = number_format(measure.unit, measure.decimal_places)
    categories = [source_sheet, HEADER_ROW, columns.first_period, HEADER_ROW, columns.actual]
    chart = workbook.add_chart({"type": "line"})
    chart.add_series({
        "name": "Actual", "categories": categories,
        "values": [source_sheet, source_row, columns.chart_values[0], source_row,
                   columns.chart_values[-1]],
        "line": {"color": colours["chart_line"], "width": 2.25},
        "marker": {"type": "circle", "size": 6, "fill": {"color": colours["chart_line"]},
                   "border": {"color": colours["chart_line"]}},
        "data_labels": {"value": True, "position": "above", "num_format": unit_format},
    })
    values = [v for v in (measure.value(p) for p in columns.periods) if isinstance(v, float)]
    targets = [t for t in (measure.target(p) for p in columns.periods) if isinstance(t, float)]
    if targets:
        chart.add_series({
            "name": "Target", "categories": categories,
            "values": [source_sheet, source_row, columns.chart_targets[0], source_row,
                       columns.chart_targets[-1]],
            "line": {"color": colours["chart_target"], "width": 1.5, "dash_type": "dash"},
            "marker": {"type": "none"},
        })
        chart.set_legend({"position": "bottom"})
    else:
        chart.set_legend({"none": True})
    start = axis_start(measure.unit, values + targets)
    axis = {"num_format": unit_format,
            "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}}
    if start is not None:
        axis["min"] = start
    chart.set_y_axis(axis)
    chart.set_title({"name": "Trend" + (" against target" if targets else ""),
                     "name_font": {"size": 10}})
    chart.show_blanks_as("gap")
    chart.show_hidden_data()  # the chart data columns are hidden
    chart.set_size({"width": 600, "height": 280})
    sheet.insert_chart(row, col, chart)
    if not start:
        return ""
    return (f"The vertical axis starts at {figure_text(start, measure.unit, measure.decimal_places)}"
            ", not zero: the values "
            "differ by less than a fifth of the largest, so from zero the line would look flat.")
