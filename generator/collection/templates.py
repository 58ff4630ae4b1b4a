"""Blank collection templates: one workbook per authority and period (layout: generator.collection.layout).

    write_template(path, catalogue, indicators, authority, period, ...)
    write_templates(out_dir, catalogue, authorities, period, ...) -> [paths]
    select_indicators(catalogue, dataset=..., themes=..., ids=...)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import xlsxwriter

from generator.collection import layout as L
from generator.collection.store import Authority
from generator.workbooks.styles import row_height, set_print
from scorecard.errors import ScorecardError
from scorecard.periods import file_label, parse_period
from scorecard.values import GSS_SHORTHAND
from scorecard.vocab import FRACTION_UNITS, UNITS

# Named datasets: name -> (title, which catalogue rows belong).
DATASETS = {
    "all": ("Whole catalogue", lambda indicator: True),
    "performance-dataset": (
        "Performance Dataset (source document 000)",
        lambda indicator: "000" in tuple(getattr(indicator, "documents", ()) or ()),
    ),
}


def select_indicators(catalogue, *, dataset: str | None = None, themes: Sequence[str] = (),
                      ids: Sequence[str] = ()) -> tuple[str, list]:
    """(dataset title, indicators) for a named dataset, some themes or a list of ids."""
    indicators = list(catalogue)
    if ids:
        return f"Indicators {', '.join(ids)}", [catalogue.get(i) for i in ids]
    if themes:
        # each by its name or a prefix only it has, any case (Catalogue.find_theme suggests near
        # misses); in the order given, not a set's
        wanted = list(dict.fromkeys(catalogue.find_theme(t) for t in themes))
        return (f"Themes: {', '.join(wanted)}", [i for i in indicators if i.theme in wanted])
    name = dataset or "all"
    if name not in DATASETS:
        raise ScorecardError(f"unknown dataset {name!r}; choose from {', '.join(DATASETS)}")
    title, keep = DATASETS[name]
    chosen = [i for i in indicators if keep(i)]
    if not chosen:
        raise ScorecardError(f"dataset {name!r} has no indicators in this catalogue")
    return title, chosen


def template_filename(authority: Authority, period: str) -> str:
    """'return_E10000016_2024-25_Q1.xlsx': the period as every file name spells it (file_label)."""
    code = re.sub(r"[^A-Za-z0-9]+", "-", authority.code).strip("-")
    return f"return_{code}_{file_label(period)}.xlsx"


def write_templates(out_dir: Path | str, catalogue, authorities: Iterable[Authority], period: str,
                    indicators: Sequence, *, dataset_title: str, deadline: str = "",
                    contact: str = "", issued_at: dt.datetime | None = None) -> list[Path]:
    """One template per authority in `out_dir`; returns the paths written."""
    period = parse_period(period).label
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return [
        write_template(out / template_filename(authority, period), catalogue, indicators,
                       authority, period, dataset_title=dataset_title, deadline=deadline,
                       contact=contact, issued_at=issued_at)
        for authority in authorities
    ]


def write_template(path: Path | str, catalogue, indicators: Sequence, authority: Authority,
                   period: str, *, dataset_title: str = "", deadline: str = "",
                   contact: str = "", issued_at: dt.datetime | None = None) -> Path:
    """Write one blank collection workbook; see generator.collection.layout for what goes where.

    `period` may be written any way scorecard.periods reads; the cover and metadata hold its
    canonical label. A label that is not a period is refused.
    """
    period = parse_period(period).label
    if not indicators:
        raise ScorecardError("no indicators chosen: a template needs at least one")
    for indicator in indicators:
        if indicator.unit not in UNITS:
            raise ScorecardError(f"indicator {indicator.id}: unknown unit {indicator.unit!r}")
    path = Path(path)
    issued = (issued_at or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                               "strings_to_numbers": False,
                                               "strings_to_urls": False})
    formats = _formats(workbook)
    themes: dict[str, list] = {}
    for indicator in indicators:
        themes.setdefault(indicator.theme, []).append(indicator)

    cover = workbook.add_worksheet(L.COVER_SHEET)
    issued_rows: list[tuple[str, int, str, str]] = []
    taken: set[str] = set()
    sheet_names = []
    for theme, members in themes.items():
        name = L.theme_sheet_name(theme, taken)
        taken.add(name)
        sheet_names.append(name)
        sheet = workbook.add_worksheet(name)
        _write_theme(sheet, theme, members, authority, period, formats)
        issued_rows += [(name, L.FIRST_DATA_ROW + i + 1, ind.id, ind.unit)
                        for i, ind in enumerate(members)]
    _write_cover(cover, authority, period, dataset_title, deadline, contact, sheet_names,
                 len(indicators), formats)
    meta = workbook.add_worksheet(L.META_SHEET)
    values = {
        "marker": L.TEMPLATE_MARKER, "template_version": L.TEMPLATE_VERSION,
        "catalogue_fingerprint": catalogue.fingerprint(), "authority": authority.code,
        "authority_name": authority.name, "period": period, "dataset": dataset_title,
        "deadline": deadline, "contact": contact, "issued_at": issued.isoformat(),
    }
    for row, key in enumerate(L.META_KEYS):
        meta.write_string(row, 0, key)
        meta.write_string(row, 1, str(values[key]))
    for col, heading in enumerate(L.META_TABLE_HEADER):
        meta.write_string(L.META_TABLE_ROW, col, heading)
    for offset, (sheet_name, row, indicator_id, unit) in enumerate(issued_rows, start=1):
        meta.write_string(L.META_TABLE_ROW + offset, 0, sheet_name)
        meta.write_number(L.META_TABLE_ROW + offset, 1, row)
        meta.write_string(L.META_TABLE_ROW + offset, 2, indicator_id)
        meta.write_string(L.META_TABLE_ROW + offset, 3, unit)
    meta.protect()
    meta.very_hidden()
    cover.activate()
    workbook.close()
    return path


def _formats(workbook):
    return {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "bold": workbook.add_format({"bold": True, "valign": "top"}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
        "head": workbook.add_format({"bold": True, "bg_color": "#1F4E79", "font_color": "#FFFFFF",
                                     "text_wrap": True, "valign": "top", "border": 1}),
        "locked": workbook.add_format({"text_wrap": True, "valign": "top", "border": 1}),
        "grey": workbook.add_format({"bg_color": "#D9D9D9", "border": 1}),
        "input": workbook.add_format({"locked": False, "bg_color": "#FFF2CC", "border": 1,
                                      "valign": "top"}),
        "input_text": workbook.add_format({"locked": False, "bg_color": "#FFF2CC", "border": 1,
                                           "text_wrap": True, "valign": "top"}),
        "input_date": workbook.add_format({"locked": False, "bg_color": "#FFF2CC", "border": 1,
                                           "num_format": "dd/mm/yyyy", "valign": "top"}),
    }


def _write_cover(sheet, authority, period, dataset_title, deadline, contact, sheet_names,
                 count, formats):
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 90)
    sheet.write_string(0, 0, "Performance data collection return", formats["title"])
    sheet.write_string(1, 0, dataset_title or "", formats["bold"])
    rows = [
        ("Authority", f"{authority.code}"),
        ("Period", period),
        ("Authority name", authority.name),
        ("Return by", deadline or "(see the covering e-mail)"),
        ("Contact", contact or "(see the covering e-mail)"),
        ("Indicators", f"{count} on sheets: {', '.join(sheet_names)}"),
    ]
    for offset, (label, value) in enumerate(rows):
        sheet.write_string(L.COVER_AUTHORITY[0] + offset, 0, label, formats["bold"])
        sheet.write_string(L.COVER_AUTHORITY[0] + offset, 1, value, formats["wrap"])
        sheet.set_row(L.COVER_AUTHORITY[0] + offset, row_height([(value, 90)]))
    row = L.COVER_AUTHORITY[0] + len(rows) + 1
    instructions = [
        "Fill only the yellow cells. Everything else is protected (no password is needed to view).",
        "Rates and percentages: give the numerator and the denominator; the value is worked out "
        "from them. If you only have the published figure, type it in Value instead.",
        "Percentages are on the 0-100 scale: type 86.5 for 86.5%, not 0.865.",
        "Counts are whole numbers, 0 or more. Dates as dd/mm/yyyy. Yes/No from the list.",
        "Target and commentary are optional.",
        "Do not add, delete, move or sort rows, and do not rename sheets: the return is read by "
        "indicator, and changes are reported back to you.",
        "Type values, not formulas. Do not change the Authority or Period above.",
        "If a figure is missing, write GSS shorthand instead of leaving it blank:",
    ]
    sheet.write_string(row, 0, "How to fill this in", formats["bold"])
    for text in instructions:
        sheet.write_string(row, 1, text, formats["wrap"])
        sheet.set_row(row, row_height([(text, 90)]))
        row += 1
    for code, reason in GSS_SHORTHAND.items():
        sheet.write_string(row, 0, code, formats["bold"])
        sheet.write_string(row, 1, reason)
        row += 1
    set_print(sheet, "Performance data collection return", authority.code, period, None)
    sheet.protect()


def _write_theme(sheet, theme, members, authority, period, formats):
    for col, column in enumerate(L.COLUMNS):
        options = {"hidden": True} if column.hidden else {}
        sheet.set_column(col, col, column.width, None, options)
    sheet.write_string(L.TITLE_ROW, 0, f"{theme}: {authority.name or authority.code}, {period}",
                       formats["title"])
    sheet.write_string(L.NOTE_ROW, 0, "Fill the yellow cells. Missing values: "
                       + L.SHORTHAND_HELP)
    for col, column in enumerate(L.COLUMNS):
        sheet.write_string(L.HEADER_ROW, col, column.heading, formats["head"])
    sheet.set_row(L.HEADER_ROW, row_height([(c.heading, c.width) for c in L.COLUMNS if not c.hidden]))
    sheet.freeze_panes(L.FIRST_DATA_ROW, 2)
    for offset, indicator in enumerate(members):
        row = L.FIRST_DATA_ROW + offset
        describe = {
            "code": indicator.id,
            "name": indicator.name,
            "definition": indicator.definition or "",
            "unit": indicator.unit,
            "reporting_basis": indicator.reporting_basis or "",
            "indicator_id": indicator.id,
        }
        for field, text in describe.items():
            sheet.write_string(row, L.COLUMN_INDEX[field], str(text), formats["locked"])
        # LibreOffice does not grow rows to fit wrapped text, and a printed return must be legible.
        sheet.set_row(row, row_height([(str(describe[field]), L.COLUMNS[L.COLUMN_INDEX[field]].width)
                                       for field in ("code", "name", "definition")]))
        fields = L.input_fields(indicator.unit)
        for field in L.INPUT_FIELDS:
            col = L.COLUMN_INDEX[field]
            if field not in fields:
                sheet.write_blank(row, col, None, formats["grey"])
                continue
            rule = L.rule_for(field, indicator.unit)
            style = {"text": "input_text", "date": "input_date"}.get(rule.kind, "input")
            sheet.write_blank(row, col, None, formats[style])
            _validate(sheet, row, col, field, indicator, rule)
    last_visible = max(index for index, column in enumerate(L.COLUMNS) if not column.hidden)
    set_print(sheet, theme, authority.code, period, L.HEADER_ROW,
              last_col=last_visible, last_row=L.FIRST_DATA_ROW + len(members) - 1)
    sheet.protect("", {"format_columns": True, "format_rows": True})


def _validate(sheet, row, col, field, indicator, rule):
    ref = L.cell_name(row, col)
    shorthand = list(GSS_SHORTHAND)
    title = f"{indicator.id} {field}"[:32]
    message = rule.description
    if field in ("numerator", "denominator") and indicator.unit in FRACTION_UNITS:
        message = f"{field} of the {indicator.unit}: {rule.description}"
    if rule.kind in ("number", "date"):
        options = {"validate": "custom", "value": L.validation_formula(ref, rule)}
        message += "; or GSS shorthand " + " ".join(shorthand)
    elif rule.kind == "list":
        options = {"validate": "list", "source": [*rule.choices, *shorthand]}
    else:
        options = {"validate": "length", "criteria": "<=", "value": L.MAX_TEXT}
        message = f"text, at most {L.MAX_TEXT} characters"
    options.update({"input_title": title, "input_message": message[:255],
                    "error_title": "Not allowed here", "error_message": message[:255],
                    "error_type": "stop", "ignore_blank": True})
    sheet.data_validation(row, col, row, col, options)


def fill_template(template: Path | str, out: Path | str, entries: dict[str, dict[str, object]],
                  ) -> Path:
    """Fill a template by code, as a person would type it (for tests, demos and benchmarks).

    `entries` maps indicator id -> {field: value}; fields are layout.INPUT_FIELDS.
    Rows are found by their hidden indicator id, so this works on sorted sheets too.
    """
    import openpyxl

    workbook = openpyxl.load_workbook(template)
    remaining = dict(entries)
    for sheet in workbook.worksheets:
        if sheet.title in (L.COVER_SHEET, L.META_SHEET):
            continue
        for row in range(L.FIRST_DATA_ROW + 1, sheet.max_row + 1):
            indicator_id = sheet.cell(row, L.ID_COLUMN + 1).value
            if indicator_id in remaining:
                for field, value in remaining.pop(indicator_id).items():
                    if field not in L.INPUT_FIELDS:
                        raise ScorecardError(f"{field!r} is not an input field")
                    sheet.cell(row, L.COLUMN_INDEX[field] + 1).value = value
    if remaining:
        raise ScorecardError(f"not in the template: {', '.join(sorted(remaining))}")
    workbook.save(out)
    return Path(out)
