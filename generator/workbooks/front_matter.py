"""Cover, contents, definitions and notes of the live scorecard.
"""

from __future__ import annotations

import datetime as dt

from generator.words import plural
from generator.workbooks.book import HEADER_ROW, quoted, write_text_table, write_title
from generator.workbooks.data import Measure, ScorecardData
from generator.workbooks.styles import (
    PAGE_CHARACTERS,
    Formats,
    fit_widths,
    house_style,
    set_print,
    unit_label,
)
from scorecard.polarity import Polarity
from scorecard.rag import Status
from scorecard.values import GSS_SHORTHAND
from scorecard.vocab import REPORTING_BASES


def write_definitions(sheet, data: ScorecardData, formats: Formats, title: str) -> None:
    write_title(sheet, formats, "Definitions", "What each measure counts, from the catalogue.")
    headers = ["Code", "Indicator", "Theme", "Definition", "Unit", "Polarity", "Reporting basis",
               "Frequency", "Source", "Tolerance", "References"]
    rows = [definition_row(measure) for measure in data.measures]
    code = min(max([9] + [len(measure.id) + 1 for measure in data.measures]), 24)
    widths = fit_widths([code, 36, 18, 60, 12, 14, 13, 11, 16, 12, 18],
                        PAGE_CHARACTERS["landscape"], [code, 24, 12, 30, 10, 10, 10, 10, 12, 12, 14])
    write_text_table(sheet, HEADER_ROW, headers, rows, formats, "tbl_Definitions", widths)
    set_print(sheet, title, data.authority, data.period, HEADER_ROW)


def definition_row(measure: Measure) -> list[str]:
    tolerance = measure.tolerance
    amount = f"{tolerance.amount:g}" + ("%" if tolerance.kind == "relative" else " points")
    return [measure.id, measure.name, measure.theme, measure.definition,
            unit_label(measure.unit), measure.polarity.value, measure.reporting_basis,
            measure.frequency, measure.source, f"{amount} ({tolerance.kind})",
            measure.references]


NOT_COMPARABLE = (
    "The direction of travel cannot be worked out: the latest or the previous value is "
    "missing or suppressed, the measure has no polarity (a context measure is not judged "
    "better or worse), or, for Plan is Best, there is no target to measure closeness against.")
CONTEXT_MEASURES = (
    "A measure with no polarity is reported for information and not judged against a target, "
    "so its status is NO STATUS. The Summary counts these context measures apart from the "
    "measures with NO STATUS because a value or target is missing.")
REPORTED_STATUS = (
    "Where an officer has judged a measure's status (an override, as some councils publish "
    "RAGs), the Reported status is the officer's and the Status column keeps the rule's. "
    "Judgement says which: Rule, Judgement (the same status as the rule) or Judgement ≠ rule "
    "(they differ). Each override and its reason is listed in these notes; the Summary counts "
    "reported statuses.")


def override_text(data: ScorecardData, measure: Measure) -> str:
    """What a measure's override says, in words ('' when it has none)."""
    override = measure.overrides.get(data.period)
    if override is None:
        return ""
    rule = data.status(measure).status.value
    gives = ("the rule gives the same status" if rule == override.status.value
             else f"the rule gives {rule}")
    return (f"Reported as {override.status.value} by an officer's judgement ({gives}). "
            f"Reason: {override.reason}")


def judgements(count: int) -> str:
    """'1 status is an officer's judgement' / '2 statuses are officers' judgements'."""
    return (f"{count} status is an officer's judgement" if count == 1
            else f"{count:,} statuses are officers' judgements")


def override_notes(data: ScorecardData) -> list[tuple[str, str]]:
    """(term, text) for every override in the report period, in measure order."""
    return [(f"Override: {measure.id}", f"{measure.name}. {override_text(data, measure)}")
            for measure in data.measures if data.period in measure.overrides]


def notes_rows(data: ScorecardData) -> list[list[str]]:
    style = house_style()["status"]
    rows = [[f"Status {status} {Status(status).symbol}", spec["meaning"]] for status, spec in
            style.items()]
    rows += [["Context measure", CONTEXT_MEASURES]]
    if data.has_overrides:
        rows += [["Reported status", REPORTED_STATUS]]
        rows += [list(note) for note in override_notes(data)]
    rows += [
        ["Tolerance", "A measure worse than target by no more than its tolerance is AMBER; "
         "further away is RED. Relative tolerance is a per cent of the target; absolute "
         "tolerance is in the measure's own units. Plan is Best: GREEN within the tolerance "
         "either side of the target, AMBER within twice it."],
        ["Direction of travel", "Improving or Declining compares the latest value with the "
         "period before, given the polarity (Plan is Best: closer to the target is Improving). "
         "A change no bigger than the no-change threshold is No change. The Move arrow shows "
         "which way the value moved, whatever the polarity."],
        ["Not comparable", NOT_COMPARABLE + " The Move arrow is blank when either value is "
         "missing."],
        ["Live formulas", "Status, Key, Reported status, Judgement, Direction of travel, Move, the "
         "Summary counts and risk scores are spreadsheet formulas: change an actual, target, "
         "polarity, tolerance or override and they follow. No macros or add-ins are used."],
        ["Percentages", "Percentages are held as numbers from 0 to 100 (86.5 means 86.5%)."],
    ]
    rows += [[polarity.value, meaning] for polarity, meaning in (
        (Polarity.BIGGER, "A bigger value for this measure is good"),
        (Polarity.SMALLER, "A smaller value for this measure is good"),
        (Polarity.PLAN, "It is better to be on target than above or below"),
        (Polarity.NONE, "A context measure: no status is given"))]
    rows += [[f"Reporting basis: {basis}", meaning] for basis, meaning in REPORTING_BASES.items()]
    rows += [[code, f"Missing value: {meaning}"] for code, meaning in GSS_SHORTHAND.items()]
    rows += [[term, meaning] for term, meaning in data.notes]
    rows += [[f"Data problem: {p.indicator_id or 'all measures'}", f"{p.message} ({p.where})"]
             for p in data.problems]
    rows += [["Source", data.source or "Not stated"]]
    return rows


def write_notes(sheet, formats: Formats, title: str, data: ScorecardData) -> None:
    write_title(sheet, formats, "Notes", "Key to symbols, terms, overrides and missing values.")
    write_text_table(sheet, HEADER_ROW, ["Term", "Meaning"], notes_rows(data), formats,
                     "tbl_Notes", [34, 104])
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
            ("Measures", f"{len(data.measures)} in {plural(len(data.themes()), 'theme')}"
             + (f"; {judgements(len(override_notes(data)))} (the Notes sheet gives each reason)"
                if data.has_overrides else "")),
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
            rows.append((worksheet.name, f"{plural(len(data.by_theme(theme)), 'measure')}: values, "
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
