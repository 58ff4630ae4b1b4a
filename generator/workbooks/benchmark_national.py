"""The national benchmark pack for one authority in England, laid out like LAIT's LA-level page:
the authority against its statistical neighbours, its region and England across the recent years,
with trend, quartile band, rank and a chart per measure. Print-ready: A4 landscape, one page wide,
header rows repeated, three measures a page.

Sheets:
- ``Cover``: what it is, for whom, which year and statistical-neighbour edition, and the contents.
- ``Summary``: one row per measure in the latest year: the authority, its previous figure, the
  direction of travel, the neighbours' average, region, England, quartile band and rank. Direction,
  band, rank and "of" are live formulas (`scorecard.formulas`) over the ``All authorities`` sheet,
  with the core's answers stored as their results.
- ``Measures``: a block per measure: the years across, the authority, its neighbours' average,
  region and England, then each neighbour; the change from the previous year; the quartiles; and a
  line chart.
- ``All authorities``: every current authority's figure in each measure's latest year (what the
  band and rank formulas read).
- ``Notes``: source and licence, the statistical neighbours, how bands, ranks and years work.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from generator.national.packs import Pack, PackMeasure
from generator.workbooks.book import add_sheet, quoted
from generator.workbooks.styles import Formats, row_height, set_print, unit_decimal_places, unit_label
from scorecard import formulas
from scorecard.direction import direction
from scorecard.values import BLANK

TITLE = "Benchmark pack"
HEADER_ROW = 3
SUMMARY = ("Code", "Indicator", "Polarity", "Unit", "Latest year", "{authority}", "Previous year",
           "Direction of travel", "Statistical neighbours' average", "Region", "England", "Quartile band",
           "Rank", "Of", "LAIT shows a band")
EVERYONE_FIRST = HEADER_ROW + 1  # first authority row on the All authorities sheet
BAND_COLOURS = {"A": ("#C6EFCE", "#006100"), "D": ("#FFC7CE", "#9C0006")}
BLOCKS_PER_PAGE = 3  # measures on a printed page of the Measures sheet
YEARS_SHOWN = 5


def write_national_benchmark(pack: Pack, out: Path | str, produced: dt.date | None = None) -> Path:
    """Write the benchmark pack workbook for `pack` (generator.national.packs.benchmark_pack)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(out), {"strings_to_formulas": False, "strings_to_urls": False,
                                              "in_memory": True})
    workbook.set_properties({"title": f"{TITLE}: {pack.authority.name}, {pack.period}",
                             "comments": "Built by Scorecard from DfE's published LAIT data"})
    formats = Formats(workbook)
    cover, summary, measures, everyone, notes = (add_sheet(workbook, name) for name in (
        "Cover", "Summary", "Measures", "All authorities", "Notes"))
    columns = write_everyone(everyone, pack, formats)
    write_summary(summary, pack, formats, columns)
    write_measures(workbook, measures, pack, formats)
    write_notes(notes, pack, formats)
    write_cover(cover, pack, formats, produced or dt.date.today())
    cover.activate()
    workbook.close()
    return out


def _title(sheet, formats: Formats, title: str, subtitle: str) -> None:
    sheet.set_row(0, 24)
    sheet.write_string(0, 0, title, formats.title())
    sheet.write_string(1, 0, subtitle, formats.subtitle())


def _write(sheet, row: int, col: int, value, fmt) -> None:
    """A figure as a number, shorthand as text, nothing as a formatted blank."""
    if isinstance(value, float):
        sheet.write_number(row, col, value, fmt)
    elif isinstance(value, str) and value:
        sheet.write_string(row, col, value, fmt)
    else:
        sheet.write_blank(row, col, None, fmt)


def _number_format(formats: Formats, measure: PackMeasure, bold: bool = False):
    indicator = measure.indicator
    return formats.number(indicator.unit, indicator.decimal_places, bold=bold)


def _subtitle(pack: Pack) -> str:
    return (f"{pack.authority.name} · {pack.period} · statistical neighbours: {pack.edition} edition · "
            "Source: DfE Local Authority Interactive Tool")


# --------------------------------------------------------------------------- All authorities


def write_everyone(sheet, pack: Pack, formats: Formats) -> dict[str, str]:
    """Every current authority's latest figure per measure; returns code -> its column's range."""
    _title(sheet, formats, "All authorities", "Each measure's latest year, for the 153 current authorities "
           "(what the Summary's quartile band and rank formulas read). " + _subtitle(pack))
    headers = ["LA number", "Authority", "Region"] + [f"{m.code} ({m.labels[m.latest]})" for m in pack.measures
                                                      if m.latest is not None]
    for col, header in enumerate(headers):
        sheet.write_string(HEADER_ROW, col, header, formats.header())
    text, mine = formats.text(), formats.text(bold=True)
    for offset, area in enumerate(pack.authorities):
        row = EVERYONE_FIRST + offset
        fmt = mine if area.code == pack.authority.code else text
        sheet.write_number(row, 0, area.code, fmt)
        sheet.write_string(row, 1, area.name, fmt)
        sheet.write_string(row, 2, area.region, fmt)
    ranges, col = {}, 3
    last = EVERYONE_FIRST + len(pack.authorities) - 1
    for measure in pack.measures:
        if measure.latest is None:
            continue
        fmt = _number_format(formats, measure)
        for offset, area in enumerate(pack.authorities):
            _write(sheet, EVERYONE_FIRST + offset, col, measure.everyone.get(area.code), fmt)
        letter = xl_col_to_name(col)
        ranges[measure.code] = f"{quoted(sheet.name)}!${letter}${EVERYONE_FIRST + 1}:${letter}${last + 1}"
        col += 1
    sheet.set_row(HEADER_ROW, 45)
    sheet.set_column(0, 0, 9)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 2, 22)
    sheet.set_column(3, max(col - 1, 3), 12)
    sheet.freeze_panes(EVERYONE_FIRST, 2)
    set_print(sheet, TITLE, pack.authority.name, pack.period, HEADER_ROW)
    return ranges


# --------------------------------------------------------------------------- Summary


def write_summary(sheet, pack: Pack, formats: Formats, ranges: dict[str, str]) -> None:
    _title(sheet, formats, f"Summary: {pack.authority.name}", "The latest year of each measure. " + _subtitle(pack))
    headers = [h.format(authority=pack.authority.name) for h in SUMMARY]
    for col, header in enumerate(headers):
        sheet.write_string(HEADER_ROW, col, header, formats.header())
    text, wrapped, centred = formats.text(), formats.text(wrap=True), formats.centred()
    row = HEADER_ROW
    for measure in pack.measures:
        if measure.latest is None:
            continue
        row += 1
        cell = lambda col, row=row: xl_rowcol_to_cell(row, col)  # noqa: E731
        indicator, latest = measure.indicator, measure.latest
        fmt = _number_format(formats, measure)
        polarity = measure.polarity.value
        sheet.write_string(row, 0, measure.code, text)
        sheet.write_string(row, 1, indicator.name, wrapped)
        sheet.set_row(row, row_height([(indicator.name, 44), (polarity, 16)]))
        sheet.write_string(row, 2, polarity, wrapped)
        sheet.write_string(row, 3, unit_label(indicator.unit), text)
        sheet.write_string(row, 4, measure.labels[latest], text)
        _write(sheet, row, 5, measure.own[latest], _number_format(formats, measure, bold=True))
        previous = measure.own[latest - 1] if latest > 0 else None
        _write(sheet, row, 6, previous, fmt)
        verdict = direction(_value(measure.own[latest]), _value(previous), polarity).value
        sheet.write_formula(row, 7, "=" + formulas.direction_formula(cell(5), cell(6), cell(2), "0", '""'),
                            centred, verdict)
        for col, series in ((8, measure.sn_average), (9, measure.region), (10, measure.england)):
            _write(sheet, row, col, series[latest], fmt)
        among = ranges[measure.code]
        sheet.write_string(row, 14, "Yes" if measure.banded else "No", centred)
        sheet.write_formula(row, 11, "=" + formulas.quartile_band_formula(cell(5), among, cell(2), f'{cell(14)}="Yes"'),
                            formats.centred(bold=True), measure.band)
        sheet.write_formula(row, 12, "=" + formulas.rank_formula(cell(5), among, cell(2)), centred,
                            measure.rank if measure.rank is not None else "-")
        sheet.write_formula(row, 13, f"=COUNT({among})", centred, measure.of)
    for band, (fill, font) in BAND_COLOURS.items():  # the letter stays: colour is not the only signal
        sheet.conditional_format(HEADER_ROW + 1, 11, max(row, HEADER_ROW + 1), 11, {
            "type": "cell", "criteria": "==", "value": f'"{band}"',
            "format": formats.workbook.add_format({"bg_color": fill, "font_color": font})})
    for col, width in enumerate((16, 44, 16, 10, 10, 12, 10, 13, 14, 12, 10, 9, 7, 6, 9)):
        sheet.set_column(col, col, width)
    sheet.set_row(HEADER_ROW, 45)
    sheet.freeze_panes(HEADER_ROW + 1, 2)
    sheet.autofilter(HEADER_ROW, 0, max(row, HEADER_ROW), len(headers) - 1)
    set_print(sheet, TITLE, pack.authority.name, pack.period, HEADER_ROW)


def _value(figure):
    return figure if isinstance(figure, float) else BLANK


# --------------------------------------------------------------------------- Measures


def write_measures(workbook, sheet, pack: Pack, formats: Formats) -> None:
    _title(sheet, formats, f"Measures: {pack.authority.name}", _subtitle(pack))
    header, text, bold = formats.header(), formats.text(), formats.text(bold=True)
    top, breaks = HEADER_ROW, []
    for number, measure in enumerate(pack.measures):
        if number and number % BLOCKS_PER_PAGE == 0:
            breaks.append(top)
        years = [str(year) for year in measure.years]
        indicator = measure.indicator
        sheet.write_string(top, 0, f"{indicator.name} ({measure.code})", formats.get(bold=True, font_size=12))
        sheet.write_string(top + 1, 0, _about(measure, pack), formats.subtitle())
        head = top + 2
        for col, label in enumerate(["Area", *years, "Change from previous year"]):
            sheet.write_string(head, col, label, header)
        rows = [(pack.authority.name, measure.own, True),
                (f"Statistical neighbours ({pack.edition})", measure.sn_average, False),
                (pack.region or "Region", measure.region, False), ("England", measure.england, False)]
        rows += [(area.name, values, False) for area, values in zip(pack.neighbours, measure.neighbours, strict=True)]
        for offset, (name, values, mine) in enumerate(rows, start=1):
            row = head + offset
            sheet.write_string(row, 0, name, bold if mine else text)
            fmt = _number_format(formats, measure, bold=mine)
            for index, value in enumerate(values):
                _write(sheet, row, 1 + index, value, fmt)
            now, before = xl_rowcol_to_cell(row, len(years)), xl_rowcol_to_cell(row, len(years) - 1)
            change = (values[-1] - values[-2] if len(values) > 1 and isinstance(values[-1], float)
                      and isinstance(values[-2], float) else "")
            sheet.write_formula(row, len(years) + 1, f'=IF(AND(ISNUMBER({now}),ISNUMBER({before})),{now}-{before},"")',
                                fmt, change)
        sheet.set_row(head, 27)
        stats = head + len(rows) + 1
        sheet.write_string(stats, 0, _stats(measure), formats.plain(text_wrap=False))
        _chart(workbook, sheet, measure, head, len(years))
        top = max(stats + 2, head + 18)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, YEARS_SHOWN, 10)
    sheet.set_column(YEARS_SHOWN + 1, YEARS_SHOWN + 1, 13)
    sheet.set_h_pagebreaks(breaks)
    set_print(sheet, TITLE, pack.authority.name, pack.period, 0)


def _about(measure: PackMeasure, pack: Pack) -> str:
    indicator = measure.indicator
    renamed = [f"{year} is LAIT's {label}" for year, label in zip(measure.years, measure.labels, strict=True)
               if label != str(year)]
    return f"{measure.polarity.value} · {unit_label(indicator.unit)} · {measure.year_type}" + (
        ": " + ", ".join(renamed) if renamed else "")


def _stats(measure: PackMeasure) -> str:
    if measure.latest is None:
        return "No figures in these years."
    label = measure.labels[measure.latest]
    rank = f"rank {measure.rank} of {measure.of}" if measure.rank is not None else "not ranked"
    band = f"quartile band {measure.band}" if measure.band != "-" else "no quartile band"
    cuts = ""
    if measure.cuts and measure.banded:
        places = unit_decimal_places(measure.indicator.unit, measure.indicator.decimal_places) + 1
        q1, q2, q3 = (f"{round(cut, places):g}" for cut in measure.cuts)
        cuts = f"; quartiles {q1}, {q2}, {q3} (lower quartile, median, upper quartile)"
    return f"{label}: {band}, {rank}{cuts}."


def _chart(workbook, sheet, measure: PackMeasure, head: int, count: int) -> None:
    chart = workbook.add_chart({"type": "line"})
    categories = [sheet.name, head, 1, head, count]
    colours = ("#1F3864", "#ED7D31", "#70AD47", "#7F7F7F")
    for offset, colour in enumerate(colours, start=1):
        chart.add_series({"name": [sheet.name, head + offset, 0], "categories": categories,
                          "values": [sheet.name, head + offset, 1, head + offset, count],
                          "line": {"color": colour, "width": 2.25 if offset == 1 else 1.5},
                          "marker": {"type": "circle", "size": 5, "fill": {"color": colour},
                                     "border": {"color": colour}}})
    chart.set_title({"name": f"{measure.indicator.short_name} ({unit_label(measure.indicator.unit)})",
                     "name_font": {"size": 10}})
    chart.set_legend({"position": "bottom", "font": {"size": 8}})
    chart.show_blanks_as("gap")
    chart.set_size({"width": 520, "height": 300})
    sheet.insert_chart(head, YEARS_SHOWN + 3, chart, {"x_offset": 10, "y_offset": 0})


# --------------------------------------------------------------------------- Notes and cover


def write_notes(sheet, pack: Pack, formats: Formats) -> None:
    _title(sheet, formats, "Notes", "Where the figures come from and how the pack works them out.")
    rows = [("Authority", f"{pack.authority.name} (LA number {pack.authority.code})"),
            ("Statistical neighbours", f"{pack.edition} edition: " + ", ".join(a.name for a in pack.neighbours)),
            *pack.notes,
            ("Direction of travel", "Improving or Declining compares the latest year with the year before, "
             "given the polarity; No change when equal; Not comparable without both figures or a polarity."),
            ("Live formulas", "Direction of travel, quartile band, rank and Of on the Summary are formulas over "
             "the All authorities sheet: change a figure there and they follow."),
            ("Missing figures", "[x] not available, [c] confidential, [z] not applicable, [u] low reliability, "
             "[low] rounds to zero; a blank cell: no figure published."),
            ("Files", pack.files)]
    sheet.write_string(HEADER_ROW, 0, "Term", formats.header())
    sheet.write_string(HEADER_ROW, 1, "Meaning", formats.header())
    for offset, (term, meaning) in enumerate(rows, start=1):
        sheet.write_string(HEADER_ROW + offset, 0, term, formats.text(bold=True))
        sheet.write_string(HEADER_ROW + offset, 1, meaning, formats.text(wrap=True))
        sheet.set_row(HEADER_ROW + offset, 13 * (1 + len(meaning) // 110))
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 120)
    set_print(sheet, TITLE, pack.authority.name, pack.period, HEADER_ROW)


def write_cover(sheet, pack: Pack, formats: Formats, produced: dt.date) -> None:
    sheet.write_string(0, 0, f"{TITLE}: {pack.authority.name}", formats.get(bold=True, font_size=20,
                                                                            font_color=formats.colour("title")))
    lines = [("Authority", f"{pack.authority.name} ({pack.region})"), ("Latest year", pack.period),
             ("Years shown", f"each measure's latest {YEARS_SHOWN} years, to {pack.period} at the latest"),
             ("Statistical neighbours", f"{pack.edition} edition"),
             ("Measures", str(sum(m.latest is not None for m in pack.measures))),
             ("Date produced", produced.strftime("%d %B %Y").lstrip("0")),
             ("Source", "Department for Education, Local Authority Interactive Tool (LAIT); Open Government "
                        "Licence v3.0")]
    for row, (label, value) in enumerate(lines, start=2):
        sheet.write_string(row, 0, label, formats.plain(bold=True))
        sheet.write_string(row, 1, value, formats.plain(text_wrap=True))
    row = len(lines) + 3
    sheet.write_string(row, 0, "Contents", formats.plain(bold=True))
    for offset, (name, what) in enumerate((
            ("Summary", "Each measure's latest year: value, trend, neighbours, region, England, band, rank"),
            ("Measures", f"{BLOCKS_PER_PAGE} measures a page: five years, the neighbours one by one, "
                         "and a chart each"),
            ("All authorities", "Every authority's latest figure (the band and rank formulas read it)"),
            ("Notes", "Source, statistical neighbours, method")), start=1):
        sheet.write_url(row + offset, 0, f"internal:{quoted(name)}!A1", formats.link(), string=name)
        sheet.write_string(row + offset, 1, what, formats.plain())
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 100)
    sheet.hide_gridlines(2)
    set_print(sheet, TITLE, pack.authority.name, pack.period, None)
