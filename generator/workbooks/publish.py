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
    STATUSES,
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
from generator.workbooks.front_matter import definition_row
from generator.workbooks.styles import (
    Formats,
    house_style,
    number_format,
    row_height,
    unit_decimal_places,
    unit_label,
)
from generator.workbooks.summary import status_counts
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
