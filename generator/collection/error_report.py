"""The collection error report: every problem by file, sheet, cell, indicator, field.

Written as CSV (for scripts) and xlsx (for people: a filter on every column, errors first).
`scorecard collect` adds the open data-quality queries as rows of severity 'query'.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter

from generator.collection.problems import PROBLEM_CODES
from generator.collection.quality import CHECKS
from generator.workbooks.styles import row_height, set_print

COLUMNS = ("file", "sheet", "cell", "indicator_id", "field", "severity", "code", "message", "raw")
_ORDER = {"error": 0, "warning": 1, "query": 2, "info": 3}  # query: data-quality (quality.py)


def sorted_problems(problems: Sequence[dict]) -> list[dict]:
    return sorted(problems, key=lambda p: (_ORDER.get(p["severity"], 3), p["file"],
                                           p.get("sheet", ""), p.get("cell", "")))


def write_error_report(problems: Sequence[dict], prefix: Path | str) -> tuple[Path, Path]:
    """Write PREFIX.csv and PREFIX.xlsx; return both paths."""
    prefix = Path(prefix)
    prefix.parent.mkdir(parents=True, exist_ok=True)
    rows = sorted_problems(problems)
    csv_path = prefix.with_suffix(".csv")
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([_safe(row.get(c, "")) for c in COLUMNS])
    xlsx_path = prefix.with_suffix(".xlsx")
    workbook = xlsxwriter.Workbook(str(xlsx_path), {"strings_to_formulas": False,
                                                    "strings_to_numbers": False,
                                                    "strings_to_urls": False})
    head = workbook.add_format({"bold": True, "bg_color": "#1F4E79", "font_color": "#FFFFFF"})
    # Wrapped, so a long file path or message is shown whole on screen and on paper.
    wrap = {"text_wrap": True, "valign": "top"}
    colours = {"error": workbook.add_format({"bg_color": "#F8CBAD", **wrap}),
               "warning": workbook.add_format({"bg_color": "#FFE699", **wrap}),
               "query": workbook.add_format({"bg_color": "#DDEBF7", **wrap}),
               "info": workbook.add_format(wrap)}
    sheet = workbook.add_worksheet("Problems")
    widths = {"file": 40, "sheet": 18, "cell": 7, "indicator_id": 24, "field": 12,
              "severity": 9, "code": 18, "message": 60, "raw": 16}
    for col, name in enumerate(COLUMNS):
        sheet.write_string(0, col, name, head)
        sheet.set_column(col, col, widths[name])
    for r, row in enumerate(rows, start=1):
        fmt = colours.get(row["severity"], colours["info"])
        texts = [str(row.get(name, "") or "") for name in COLUMNS]
        for col, text in enumerate(texts):
            sheet.write_string(r, col, text, fmt)
        sheet.set_row(r, row_height([(text.replace("/", "/ "), widths[name])
                                     for text, name in zip(texts, COLUMNS, strict=True)]))
    sheet.autofilter(0, 0, max(len(rows), 1), len(COLUMNS) - 1)
    sheet.freeze_panes(1, 0)
    set_print(sheet, "Collection problems", repeat_row=0)
    codes = workbook.add_worksheet("Problem codes")
    for col, name in enumerate(("code", "severity", "meaning")):
        codes.write_string(0, col, name, head)
    codes_and_checks = {**PROBLEM_CODES, **{code: ("query", meaning) for code, meaning in CHECKS.items()}}
    for r, (code, (severity, meaning)) in enumerate(codes_and_checks.items(), start=1):
        codes.write_string(r, 0, code)
        codes.write_string(r, 1, severity)
        codes.write_string(r, 2, meaning)
    codes.set_column(0, 0, 22)
    codes.set_column(2, 2, 80)
    set_print(codes, "Collection problems", repeat_row=0)
    workbook.close()
    return csv_path, xlsx_path


def _safe(value) -> str:
    """Text that a spreadsheet opening the CSV will not run as a formula."""
    text = str(value or "")
    return ("'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text)
            else text)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
