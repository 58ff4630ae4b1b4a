"""The Summary sheet: status counts per theme (live COUNTIF formulas) and the chart.

NO STATUS is counted in two columns: context measures (no polarity: never judged against a
target) and the rest (a value or target missing, or an officer's judgement of NO STATUS).
When some statuses are officers' judgements, two more columns count them (all, and those that
differ from the rule) and a sentence under the table says how many there are.
"""

from __future__ import annotations

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from generator.workbooks.book import HEADER_ROW, quoted, write_title
from generator.workbooks.data import BASIS_DIFFERS, BASIS_JUDGEMENT, Judgement, Measure, ScorecardData
from generator.workbooks.styles import (
    Formats,
    house_style,
    set_print,
)
from generator.workbooks.themes import ThemeColumns
from scorecard.polarity import Polarity
from scorecard.rag import Status

CONTEXT, MISSING = "context", "missing"
# (key, header) of the count columns, in order; the keys are status words or the two kinds of
# NO STATUS.
COUNT_COLUMNS = (
    (Status.GREEN.value, f"{Status.GREEN.symbol} GREEN"),
    (Status.AMBER.value, f"{Status.AMBER.symbol} AMBER"),
    (Status.RED.value, f"{Status.RED.symbol} RED"),
    (CONTEXT, f"{Status.NO_STATUS.symbol} Context measure (no polarity)"),
    (MISSING, f"{Status.NO_STATUS.symbol} NO STATUS (missing data)"),
)
OVERRIDE_HEADERS = ("Overrides (officers' judgements)", "Overrides that differ from the rule")


def summary_counts(measures: list[Measure], judged: dict[str, Judgement]) -> list[int]:
    """How many of `measures` are in each COUNT_COLUMNS column, by their reported status."""
    counts = dict.fromkeys([key for key, _ in COUNT_COLUMNS], 0)
    for measure in measures:
        reported = judged[measure.id].reported
        if reported is Status.NO_STATUS:
            counts[CONTEXT if measure.polarity is Polarity.NONE else MISSING] += 1
        else:
            counts[reported.value] += 1
    return list(counts.values())


def override_counts(measures: list[Measure], judged: dict[str, Judgement]) -> list[int]:
    """[overrides, overrides that differ from the rule] among `measures`."""
    bases = [judged[measure.id].basis for measure in measures]
    return [bases.count(BASIS_JUDGEMENT) + bases.count(BASIS_DIFFERS), bases.count(BASIS_DIFFERS)]


def overrides_sentence(overrides: int, differ: int, measures: int,
                       reasons: str = "the Notes sheet gives each reason") -> str:
    """What the Summary says under its total row (the live one is this, as a formula)."""
    verb = "is an officer's judgement" if overrides == 1 else "are officers' judgements"
    return (f"{overrides} of {measures} reported statuses {verb} ({differ} "
            f"{'differs' if differ == 1 else 'differ'} from the rule's status); {reasons}.")


def count_formulas(span: str, polarity_span: str, judgement_span: str | None) -> list[str]:
    """COUNTIF formulas for one theme, in COUNT_COLUMNS order, then Measures (and overrides)."""
    context = f'COUNTIFS({span},"NO STATUS",{polarity_span},"{Polarity.NONE.value}")'
    found = [f'=COUNTIF({span},"{key}")' for key, _ in COUNT_COLUMNS[:3]]
    found += [f"={context}", f'=COUNTIF({span},"NO STATUS")-{context}', f"=COUNTA({span})"]
    if judgement_span:
        found += [f'=COUNTIF({judgement_span},"{BASIS_JUDGEMENT}")'
                  f'+COUNTIF({judgement_span},"{BASIS_DIFFERS}")',
                  f'=COUNTIF({judgement_span},"{BASIS_DIFFERS}")']
    return found


def write_summary(workbook, sheet, data: ScorecardData, theme_sheets: dict, columns: ThemeColumns,
                  formats: Formats, title: str, judged: dict[str, Judgement]) -> None:
    """Status counts per theme (COUNTIF over the theme sheets, so they stay live) and a chart."""
    write_title(sheet, formats, "Summary", f"{data.authority} · {data.period} · {title}")
    sheet.write_string(2, 0, "Number of measures at each reported status, by theme. Select a "
                       "theme to open its sheet.", formats.subtitle())
    headers = ["Theme", *(header for _, header in COUNT_COLUMNS), "Measures"]
    if columns.overrides:
        headers += OVERRIDE_HEADERS
    themes = list(theme_sheets)
    first, last = HEADER_ROW + 1, HEADER_ROW + len(themes)
    sheet.add_table(HEADER_ROW, 0, last + 1, len(headers) - 1, {
        "name": "tbl_Summary", "style": "Table Style Light 15", "total_row": True,
        "columns": [{"header": h, "header_format": formats.header(), "total_string": "Total"}
                    if i == 0 else {"header": h, "header_format": formats.header(),
                                    "total_function": "sum", "format": formats.centred()}
                    for i, h in enumerate(headers)]})

    def span(sheet_name: str, col: int | None, count: int) -> str | None:
        if col is None:
            return None
        letter = xl_col_to_name(col)
        return (f"{quoted(sheet_name)}!${letter}${HEADER_ROW + 2}:"
                f"${letter}${HEADER_ROW + 1 + count}")

    totals = [0] * (len(headers) - 1)
    for row, theme in zip(range(first, last + 1), themes, strict=True):
        name = theme_sheets[theme].name
        sheet.write_url(row, 0, f"internal:{quoted(name)}!A1", formats.link(), string=theme)
        measures = data.by_theme(theme)
        counts = summary_counts(measures, judged) + [len(measures)]
        if columns.overrides:
            counts += override_counts(measures, judged)
        found = count_formulas(span(name, columns.reported, len(measures)),
                               span(name, columns.polarity, len(measures)),
                               span(name, columns.judgement, len(measures)))
        for offset, (formula, count) in enumerate(zip(found, counts, strict=True)):
            sheet.write_formula(row, 1 + offset, formula, formats.centred(), count)
            totals[offset] += count
    # The table's total row: cached values so non-calculating viewers see the totals.
    for offset, total in enumerate(totals):
        col = xl_col_to_name(1 + offset)
        sheet.write_formula(last + 1, 1 + offset,
                            f"=SUBTOTAL(109,{col}{first + 1}:{col}{last + 1})",
                            formats.centred(bold=True), total)
    chart_row = last + 3
    if columns.overrides:
        measures_total, overrides_total, differ_total = (
            xl_rowcol_to_cell(last + 1, len(headers) - offset) for offset in (3, 2, 1))
        sheet.write_formula(
            last + 2, 0, f'={overrides_total}&" of "&{measures_total}&" reported statuses "&IF('
            f'{overrides_total}=1,"is an officer\'s judgement","are officers\' judgements")&" ("&'
            f'{differ_total}&IF({differ_total}=1," differs"," differ")&" from the rule\'s status); '
            'the Notes sheet gives each reason."', formats.plain(bold=True),
            overrides_sentence(totals[-2], totals[-1], totals[-3]))
        chart_row += 1
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, len(headers) - 1, 13)
    sheet.set_row(HEADER_ROW, 45)
    insert_summary_chart(workbook, sheet, first, last, len(themes), chart_row, formats)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    # One page: the chart is not split, and no repeated header prints over it.
    set_print(sheet, title, data.authority, data.period, HEADER_ROW, fit_height=1)


def insert_summary_chart(workbook, sheet, first: int, last: int, themes: int, row: int,
                         formats: Formats) -> None:
    """Stacked bars of the counts per theme, one series per count column."""
    style = house_style()["status"]
    colours = {**{key: style[key] for key in ("GREEN", "AMBER", "RED")},
               CONTEXT: {"fill": formats.colour("context_fill"),
                         "font": formats.colour("context_font")},
               MISSING: style[Status.NO_STATUS.value]}
    chart = workbook.add_chart({"type": "bar", "subtype": "stacked"})
    for offset, (key, _) in enumerate(COUNT_COLUMNS):
        chart.add_series({
            "name": [sheet.name, HEADER_ROW, 1 + offset],
            "categories": [sheet.name, first, 0, last, 0],
            "values": [sheet.name, first, 1 + offset, last, 1 + offset],
            "fill": {"color": colours[key]["fill"]},
            "border": {"color": colours[key]["font"]},
            "data_labels": {"value": True, "num_format": "0;-0;;@",  # no label on an empty segment
                            "font": {"color": colours[key]["font"]}},
        })
    chart.set_title({"name": "Measures by reported status and theme", "name_font": {"size": 11}})
    chart.set_y_axis({"reverse": True})
    chart.set_x_axis({"name": "Number of measures", "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 900, "height": 130 + 24 * themes})
    sheet.insert_chart(row, 0, chart)
