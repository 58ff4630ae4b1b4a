"""The values-only publication version of a scorecard, following the guidance on releasing
statistics in spreadsheets: cover, contents, notes, one table per sheet, no merged cells, no
formulas, missing values as GSS shorthand, statuses as text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from generator.workbooks.book import (
    DEFAULT_TITLE,
    add_sheet,
    gss_code,
    new_workbook,
    quoted,
    sheet_names,
    table_name,
    unique_header,
    write_value,
)
from generator.workbooks.data import Judgement, Measure, Risk, ScorecardData
from generator.workbooks.front_matter import (
    CONTEXT_MEASURES,
    NOT_COMPARABLE,
    REPORTED_STATUS,
    definition_row,
    override_notes,
)
from generator.workbooks.styles import (
    PAGE_CHARACTERS,
    Formats,
    fit_widths,
    house_style,
    number_format,
    row_height,
    set_print,
    unit_decimal_places,
    unit_label,
)
from generator.workbooks.summary import (
    COUNT_COLUMNS,
    OVERRIDE_HEADERS,
    override_counts,
    overrides_sentence,
    summary_counts,
)
from scorecard.polarity import Polarity
from scorecard.rag import Status
from scorecard.risk import IMPACTS, LIKELIHOODS
from scorecard.values import GSS_SHORTHAND, Missing
from scorecard.vocab import REPORTING_BASES

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
    tables: list[PublishedTable] = []
    tables.append(PublishedTable(
        "Summary", f"Measures at each reported status, by theme: {data.authority}, "
        f"{data.period}", summary_headers(data, note), summary_rows(data, judged),
        summary_note(data, judged, note)))
    for theme in data.themes():
        headers, rows = published_theme_table(data, theme, periods, judged, note)
        tables.append(PublishedTable(names[theme], f"{theme}: performance against target, "
                                     f"{data.authority}, {data.period}", headers, rows))
    tables.append(PublishedTable(
        "Definitions", "Definitions of the measures",
        ["Code", "Indicator", "Theme", "Definition", "Unit", f"Polarity {note['polarity']}",
         f"Reporting basis {note['basis']}", "Frequency", "Source",
         f"Tolerance {note['tolerance']}", "References"],
        [[cell or NOT_STATED for cell in definition_row(m)] for m in data.measures]))
    if risks:
        tables.append(PublishedTable(
            "Risks", "Risk register", ["ID", "Risk", "Owner", "Impact", "Likelihood",
                                       f"Score {note['risk']}", f"Level {note['risk']}",
                                       f"Previous score {note['missing']}",
                                       f"Change {note['risk']}", f"Controls {note['text']}"],
            [[r.id, r.risk, r.owner or NOT_STATED, r.impact, r.likelihood, r.score, r.level,
              r.previous_score if r.previous_score is not None else "[x]",
              r.change or NO_PREVIOUS_SCORE, r.controls or NONE_RECORDED] for r in risks]))
        tables.append(PublishedTable(
            "Risk matrix", "Risk rating matrix: score for each impact and likelihood",
            ["Likelihood", *[f"Impact {i} {n}" for i, n in IMPACTS.items()]],
            [[f"{LIKELIHOODS[lk]} ({lk})", *[i * lk for i in IMPACTS]]
             for lk in sorted(LIKELIHOODS, reverse=True)]))
    notes = [[f"Note {n}", term, meaning] for n, (_, term, meaning) in
             enumerate(published_notes(data, bool(risks)), start=1)]
    page = PageHeader(title, data.authority, data.period)
    cover = add_sheet(workbook, "Cover")
    contents = add_sheet(workbook, "Contents")
    notes_sheet = add_sheet(workbook, "Notes")
    write_published_cover(cover, data, formats, title, contact, produced)
    write_published_table(notes_sheet, PublishedTable(
        "Notes", "Notes used in this workbook", ["Note number", "Term", "Note text"], notes),
        formats, page)
    contents_rows = [["Notes", "Notes used in this workbook"]]
    for table in tables:
        sheet = add_sheet(workbook, table.sheet)
        write_published_table(sheet, table, formats, page)
        contents_rows.append([table.sheet, table.title])
    write_published_table(contents, PublishedTable(
        "Contents", "Table of contents", ["Sheet name", "Table title"], contents_rows),
        formats, page, links=True)
    workbook.close()
    return out


@dataclass(frozen=True)
class PublishedTable:
    """One sheet of the release: its name, the table's title, headers, rows and a line under
    the title (after "This worksheet contains one table.")."""

    sheet: str
    title: str
    headers: list[str]
    rows: list[list]
    note: str = ""


@dataclass(frozen=True)
class PageHeader:
    """What the printed pages' header says: the workbook's title, authority and period."""

    title: str
    authority: str = ""
    period: str = ""


def summary_headers(data: ScorecardData, note: dict[str, str]) -> list[str]:
    headers = ["Theme", *(f"{header.split(' ', 1)[1]} {note['status']}"
                          for _, header in COUNT_COLUMNS), "Measures"]
    if data.has_overrides:
        headers += [f"{header} {note['reported']}" for header in OVERRIDE_HEADERS]
    return headers


def summary_note(data: ScorecardData, judged: dict[str, Judgement], note: dict[str, str]) -> str:
    """The Summary's line saying how many reported statuses are officers' judgements."""
    if not data.has_overrides:
        return ""
    overrides, differ = override_counts(data.measures, judged)
    return overrides_sentence(overrides, differ, len(data.measures),
                              f"{note['reported']} and the notes after it give each reason")


def summary_rows(data: ScorecardData, judged: dict[str, Judgement]) -> list[list]:
    """A row per theme and a total row: counts by reported status (NO STATUS split into
    context measures and missing data), measures, and overrides when there are any."""
    rows = []
    for theme in [*data.themes(), None]:
        measures = data.by_theme(theme) if theme else data.measures
        row = [theme or "All themes", *summary_counts(measures, judged), len(measures)]
        if data.has_overrides:
            row += override_counts(measures, judged)
        rows.append(row)
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
         f"Not comparable: {NOT_COMPARABLE[0].lower()}{NOT_COMPARABLE[1:]}"),
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
    if data.benchmarked:
        notes.append(("benchmark", "Quartile band and rank", "Quartile band A is the best quarter of "
                      "the authorities compared, D the worst, given the polarity; rank 1 is the best "
                      "(12 of 153: twelfth of the 153 authorities with a figure). \"-\": none."))
    notes += [(f"extra {number}", term, meaning) for number, (term, meaning) in enumerate(data.notes)]
    notes.insert(1, ("context", "Context measures", CONTEXT_MEASURES))
    if data.has_overrides:
        notes.insert(2, ("reported", "Reported status", REPORTED_STATUS.replace(
            "these notes", "the notes that follow")))
        notes[3:3] = [(f"override {n}", term, text)
                      for n, (term, text) in enumerate(override_notes(data), start=1)]
    if with_risks:
        notes.append(("risk", "Risk rating", "Risk score = impact x likelihood (each 1 to 5). "
                      "Level: Low 1-6, Moderate 7-12, High 13-25. Change compares the score with "
                      f"the previous score (\"{NO_PREVIOUS_SCORE}\" when there is none)."))
    if data.problems:  # built with allow_problems: each is also flagged on its measure's row
        notes.append(("problems", "Data problems", "This workbook was built with problems in its "
                      "data, flagged \"DATA PROBLEM\" in the commentary of each measure: " + "; ".join(
                          f"{p.indicator_id or 'all measures'}: {p.message} ({p.where})" for p in data.problems)))
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
               f"Target {periods[-1]}", "Status", f"Status symbol {note['status']}"]
    if data.has_overrides:
        headers += [f"Reported status {note['reported']}", f"Judgement {note['reported']}"]
    headers.append(f"Direction of travel {note['direction']}")
    for name in data.comparator_names:
        headers.append(unique_header(f"{name} {note['comparator']}", headers))
    if data.benchmarked:
        headers += [f"Quartile band {note['benchmark']}", f"Rank {note['benchmark']}"]
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
            *([judgement.reported.value, judgement.basis] if data.has_overrides else []),
            judgement.direction.value,
            *[published_value(measure.comparator(n, data.period), measure)
              for n in data.comparator_names],
            *([measure.band(data.period), measure.rank_text(data.period)] if data.benchmarked else []),
            measure.commentary.get(data.period, "") or NO_COMMENTARY,
        ])
    return headers, rows


COVER_WIDTH = 110  # characters: column A of the cover, one landscape page wide


def write_published_cover(sheet, data: ScorecardData, formats: Formats, title: str, contact: str,
                          produced: dt.date) -> None:
    heading, text = formats.get(bold=True, font_size=12), formats.get(text_wrap=True)
    lines = [
        (title, formats.get(bold=True, font_size=16)),
        (f"{data.authority}, {data.period}", text),
        ("This workbook gives performance against target for children's services measures. "
         "It contains values only: statuses and directions of travel are shown as words.",
         text),
        ("Date produced", heading),
        (produced.strftime("%d %B %Y").lstrip("0"), text),
        ("Source", heading),
        (data.source or "Not stated", text),
        ("Missing values", heading),
        ("Missing values are shown as GSS shorthand: " + "; ".join(
            f"{code} {meaning}" for code, meaning in GSS_SHORTHAND.items()), text),
        ("Contact", heading),
        (contact or "Not stated", text),
    ]
    for row, (line, fmt) in enumerate(lines):
        sheet.write_string(row, 0, line, fmt)
        if fmt is text:
            sheet.set_row(row, row_height([(line, COVER_WIDTH)]))
    sheet.set_column(0, 0, COVER_WIDTH)
    set_print(sheet, title, data.authority, data.period, None, 0, len(lines) - 1)


TITLE_CHARACTERS = 1.5  # column-width characters one character of a 14-point bold title takes
DEFAULT_WIDTH = 8.43  # Excel's default column width, in characters


def published_widths(table: PublishedTable) -> list[float]:
    """Widths that fit the page where they can. A column is as wide as its longest value (its
    header wraps, so only the header's longest word counts), at most 60; to fit the page,
    long text (over 30 characters) may narrow to 24 and phrases to their longest word."""
    natural, floors, wants = [], [], []
    for c, header in enumerate(table.headers):
        values = [str(row[c]) for row in table.rows]
        header_word = max(len(part) for part in header.split())
        longest = max([0] + [len(value) for value in values])
        word = max([header_word] + [len(part) for value in values for part in value.split()])
        natural.append(min(max(header_word, longest, 8) + 1, 60))
        floors.append(24 if longest > 30 else max(word + 1, 10))
        wants.append(longest + 1)
    return fit_widths(natural, PAGE_CHARACTERS["landscape"], floors, wants)


def write_published_table(sheet, table: PublishedTable, formats: Formats, page: PageHeader,
                          links: bool = False) -> None:
    """Title in A1, a line saying what the sheet holds, then the one table from A3; printed
    one page wide, the table's header repeated on every page."""
    sheet.write_string(0, 0, table.title, formats.get(bold=True, font_size=14))
    sheet.write_string(1, 0, " ".join(filter(None, ["This worksheet contains one table.",
                                                    table.note])), formats.plain())
    top = 2
    headers, rows = table.headers, table.rows
    sheet.add_table(top, 0, top + max(len(rows), 1), len(headers) - 1, {
        "name": table_name(table.sheet), "style": "Table Style Light 1", "autofilter": False,
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
    widths = published_widths(table)
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width)
    # LibreOffice does not grow wrapped rows to fit on load: give long text its height.
    sheet.set_row(top, row_height([(h, w) for h, w in zip(headers, widths, strict=True)]))
    for r, values in enumerate(rows, start=top + 1):
        height = row_height([(str(v), w) for v, w in zip(values, widths, strict=True)])
        if height > 15:
            sheet.set_row(r, height)
    sheet.freeze_panes(top + 1, 0)
    # The title overflows into the cells to its right: print as many columns as it needs, so
    # it is never cut at the edge of the table.
    last_col, covered = len(headers) - 1, sum(widths)
    while covered < len(table.title) * TITLE_CHARACTERS:
        last_col, covered = last_col + 1, covered + DEFAULT_WIDTH
    set_print(sheet, page.title, page.authority, page.period, top, last_col,
              top + max(len(rows), 1))
