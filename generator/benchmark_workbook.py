"""The benchmark workbook for one period, from the store.

Sheets:
- ``Benchmark``: one row per indicator; region and England values (where supplied), then every
  authority's value; then the highlighted authority's value, statistical-neighbour average,
  quartile band (A best) and rank (1 best, polarity-aware; "-" with no polarity).
- ``Detail``: the same as one row per indicator and authority (for filters and pivots).
- ``Missing returns``: authorities on the list with no return for the period.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import xlsxwriter

from generator.store import Store
from scorecard.errors import ScorecardError

FIXED = ("Indicator id", "Indicator", "Unit", "Polarity", "Region", "England")
HIGHLIGHT = ("Value", "Neighbours' average", "Quartile band", "Rank", "Of")


def write_benchmark_workbook(store: Store, period: str, catalogue, out: Path | str,
                             highlight: str | None = None) -> Path:
    """Write the benchmark workbook for `period`; `highlight` is an authority code."""
    table = store.benchmark(period, catalogue)
    if table.empty:
        known = ", ".join(store.periods()) or "none"
        raise ScorecardError(f"no returns stored for period {period!r}; periods stored: {known}")
    authorities = {a.code: a for a in store.authorities()}
    codes = sorted(set(table["authority"]))
    if highlight is not None and highlight not in codes:
        raise ScorecardError(f"authority {highlight!r} has no return for {period}; returns "
                             f"from: {', '.join(codes)}")
    out = Path(out)
    workbook = xlsxwriter.Workbook(str(out), {"strings_to_formulas": False,
                                              "strings_to_numbers": False,
                                              "nan_inf_to_errors": True})
    head = workbook.add_format({"bold": True, "bg_color": "#1F4E79", "font_color": "#FFFFFF",
                                "text_wrap": True, "valign": "top", "border": 1})
    mark = workbook.add_format({"bold": True, "bg_color": "#FFE699", "border": 1,
                                "text_wrap": True, "valign": "top"})
    number = workbook.add_format({"num_format": "#,##0.0#"})
    marked_number = workbook.add_format({"num_format": "#,##0.0#", "bg_color": "#FFF2CC",
                                         "bold": True})
    marked = workbook.add_format({"bg_color": "#FFF2CC", "bold": True})
    title = workbook.add_format({"bold": True, "font_size": 14})

    sheet = workbook.add_worksheet("Benchmark")
    sheet.write_string(0, 0, f"Benchmark, {period}" + (f": {highlight} highlighted"
                                                      if highlight else ""), title)
    headings = list(FIXED) + [_label(code, authorities) for code in codes]
    if highlight:
        headings += [f"{highlight}: {h}" for h in HIGHLIGHT]
    for col, text in enumerate(headings):
        is_mark = highlight and (col >= len(FIXED) + len(codes)
                                 or (len(FIXED) <= col < len(FIXED) + len(codes)
                                     and codes[col - len(FIXED)] == highlight))
        sheet.write_string(2, col, text, mark if is_mark else head)
    sheet.set_row(2, 45)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 50)
    sheet.set_column(2, 3, 14)
    sheet.set_column(4, len(headings), 11)
    sheet.freeze_panes(3, 2)
    row = 3
    for indicator_id, group in table.groupby("indicator_id", sort=False):
        indicator = catalogue.get(indicator_id) if indicator_id in catalogue else None
        by_code = {r.authority: r for r in group.itertuples()}
        first = group.iloc[0]
        fixed = [indicator_id, indicator.name if indicator else "(not in catalogue)",
                 indicator.unit if indicator else "", str(indicator.polarity) if indicator else ""]
        for col, text in enumerate(fixed):
            sheet.write_string(row, col, text)
        _num(sheet, row, 4, first["region_value"], number)
        _num(sheet, row, 5, first["england_value"], number)
        for offset, code in enumerate(codes):
            record = by_code.get(code)
            value = record.actual if record is not None else None
            if record is not None and _blank(value) and record.missing_code:
                sheet.write_string(row, len(FIXED) + offset, record.missing_code,
                                   marked if code == highlight else None)
            else:
                _num(sheet, row, len(FIXED) + offset, value,
                     marked_number if code == highlight else number)
        if highlight:
            record = by_code.get(highlight)
            col = len(FIXED) + len(codes)
            if record is not None:
                _num(sheet, row, col, record.actual, marked_number)
                _num(sheet, row, col + 1, record.neighbours_average, marked_number)
                sheet.write_string(row, col + 2, str(record.quartile_band), marked)
                rank = record.rank
                if _blank(rank):
                    sheet.write_string(row, col + 3, "-", marked)
                else:
                    sheet.write_number(row, col + 3, int(rank), marked)
                sheet.write_number(row, col + 4, int(record.of), marked)
        row += 1

    detail = workbook.add_worksheet("Detail")
    columns = ["indicator_id", "authority", "actual", "numerator", "denominator", "target",
               "missing_code", "missing_reason", "rank", "of", "quartile_band",
               "neighbours_average", "region_value", "england_value", "commentary"]
    for col, name in enumerate(columns):
        detail.write_string(0, col, name, head)
    for r, record in enumerate(table[columns].itertuples(index=False), start=1):
        for col, value in enumerate(record):
            if isinstance(value, int | float) and not isinstance(value, bool):
                _num(detail, r, col, value, None)
            elif not _blank(value):
                detail.write_string(r, col, str(value), marked if record[1] == highlight
                                    else None)
    detail.autofilter(0, 0, len(table), len(columns) - 1)
    detail.freeze_panes(1, 0)

    missing = workbook.add_worksheet("Missing returns")
    absent = store.missing_returns(period)
    missing.write_string(0, 0, f"Authorities with no return for {period}", title)
    for col, name in enumerate(("code", "name", "region")):
        missing.write_string(2, col, name, head)
    for r, authority in enumerate(absent, start=3):
        missing.write_string(r, 0, authority.code)
        missing.write_string(r, 1, authority.name)
        missing.write_string(r, 2, authority.region)
    if not absent:
        missing.write_string(3, 0, "none: every listed authority has made a return"
                             if authorities else "no list of authorities in the store")
    missing.set_column(0, 2, 24)
    workbook.close()
    return out


def _label(code, authorities) -> str:
    authority = authorities.get(code)
    return f"{authority.name} ({code})" if authority and authority.name else code


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA


def _num(sheet, row, col, value, fmt) -> None:
    if not _blank(value):
        sheet.write_number(row, col, float(value), fmt)
