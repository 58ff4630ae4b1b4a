"""The benchmark workbook for one period, from the store.

Sheets:
- ``Benchmark``: one row per indicator; region and England values (where supplied), then every
  authority's value; then the highlighted authority's value, statistical-neighbour average,
  quartile band (A best) and rank (1 best, polarity-aware; "-" with no polarity).
- ``Detail``: the same as one row per indicator and authority (for filters and pivots).
- ``Missing returns``: authorities on the list with no return for the period.

Every sheet prints A4 landscape, one page wide, with its header row repeated on each page.
For one authority against its neighbours, region and England over the years, as LAIT shows it,
see `generator.workbooks.benchmark_national` (scorecard national benchmark).

Figures use the house style's number format for the indicator's unit. A figure that is not
there is marked, never left blank: the shorthand the authority typed ([c] ...), or [x] (not
available) for a cell with an error in the collection (the error report has it), for an
authority whose return has nothing for the indicator, and for a whole row when no authority
returned the indicator. Which indicators were asked for comes from the dataset named in the
returns (generator.collection.templates.DATASETS, by title); returns naming a dataset that is not one of
those (a custom selection) give only the indicators someone returned.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import xlsxwriter

from generator.collection.store import Store
from generator.collection.templates import DATASETS, select_indicators
from generator.workbooks.styles import number_format, set_print
from scorecard.errors import ScorecardError

FIXED = ("Indicator id", "Indicator", "Unit", "Polarity", "Region", "England")
HIGHLIGHT = ("Value", "Neighbours' average", "Quartile band", "Rank", "Of")
NOT_AVAILABLE = "[x]"
KEY = ("[x] not available: an error in the return (see the error report), no value returned, "
       "or no authority returned the indicator. [c] confidential, [z] not applicable, "
       "[u] low reliability, [low] rounds to zero: as the authority typed it. Region and "
       "England are blank where no comparator was supplied; text, date and Yes/No answers have "
       "no figure.")
VALUE_FIELDS = ("value", "numerator", "denominator")


def write_benchmark_workbook(store: Store, period: str, catalogue, out: Path | str,
                             highlight: str | None = None) -> Path:
    """Write the benchmark workbook for `period`; `highlight` is an authority code."""
    table = store.benchmark(period, catalogue)
    if table.empty:
        if period in store.periods():
            raise ScorecardError(f"the returns stored for period {period!r} hold no figures yet: "
                                 "nothing to benchmark")
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
    marked = workbook.add_format({"bg_color": "#FFF2CC", "bold": True})
    title = workbook.add_format({"bold": True, "font_size": 14})
    unit_formats: dict[tuple[str, bool], object] = {}

    def number(indicator, is_marked: bool = False):
        """The house style's format for the indicator's unit (made once per format)."""
        code = (number_format(indicator.unit, indicator.decimal_places) if indicator
                else "#,##0.0#")
        key = (code, is_marked)
        if key not in unit_formats:
            unit_formats[key] = workbook.add_format(
                {"num_format": code, **({"bg_color": "#FFF2CC", "bold": True}
                                        if is_marked else {})})
        return unit_formats[key]

    errors = _error_cells(store, period)
    asked = _asked_for(store, period, catalogue)

    def highlighted(col: int) -> bool:
        """The highlighted authority's own column, or one of the highlight columns after."""
        return bool(highlight) and (col >= len(FIXED) + len(codes) or (
            col >= len(FIXED) and codes[col - len(FIXED)] == highlight))

    def figure(row, col, record, indicator, numeric, is_marked):
        """An authority's figure: the shorthand it typed, [x] for an error or no return
        (record None), else the number (nothing for an answer that is not a figure)."""
        value = record.actual if record is not None else None
        if record is not None and _blank(value) and record.missing_code:
            sheet.write_string(row, col, record.missing_code, marked if is_marked else None)
        elif _blank(value) and numeric and (record is None
                                            or (record.indicator_id, record.authority) in errors):
            sheet.write_string(row, col, NOT_AVAILABLE, marked if is_marked else None)
        else:
            _num(sheet, row, col, value, number(indicator, is_marked))

    sheet = workbook.add_worksheet("Benchmark")
    sheet.write_string(0, 0, f"Benchmark, {period}" + (f": {highlight} highlighted"
                                                      if highlight else ""), title)
    sheet.write_string(1, 0, KEY)
    headings = list(FIXED) + [_label(code, authorities) for code in codes]
    if highlight:
        headings += [f"{highlight}: {h}" for h in HIGHLIGHT]
    for col, text in enumerate(headings):
        sheet.write_string(2, col, text, mark if highlighted(col) else head)
    sheet.set_row(2, 45)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 50)
    sheet.set_column(2, 3, 14)
    sheet.set_column(4, len(headings), 11)
    sheet.freeze_panes(3, 2)
    sheet.repeat_columns(0, 1)  # the indicator id and name on every printed page
    row = 3
    groups = dict(list(table.groupby("indicator_id", sort=False)))
    returned = list(groups)
    unreturned = [i for i in asked if i not in groups]
    for indicator_id in returned + unreturned:
        indicator = catalogue.get(indicator_id) if indicator_id in catalogue else None
        group = groups.get(indicator_id)
        fixed = [indicator_id, indicator.name if indicator else "(not in catalogue)",
                 indicator.unit if indicator else "", str(indicator.polarity) if indicator else ""]
        for col, text in enumerate(fixed):
            sheet.write_string(row, col, text)
        if group is None:  # asked for, returned by nobody
            for col in range(len(FIXED) - 2, len(headings)):
                sheet.write_string(row, col, NOT_AVAILABLE, marked if highlighted(col) else None)
            row += 1
            continue
        by_code = {r.authority: r for r in group.itertuples()}
        first = group.iloc[0]
        _num(sheet, row, 4, first["region_value"], number(indicator))
        _num(sheet, row, 5, first["england_value"], number(indicator))
        numeric = indicator is None or indicator.unit not in ANSWER_UNITS
        for offset, code in enumerate(codes):
            figure(row, len(FIXED) + offset, by_code.get(code), indicator, numeric,
                   code == highlight)
        if highlight:
            record = by_code.get(highlight)
            col = len(FIXED) + len(codes)
            if record is not None:
                figure(row, col, record, indicator, numeric, True)
                _num(sheet, row, col + 1, record.neighbours_average, number(indicator, True))
                sheet.write_string(row, col + 2, str(record.quartile_band), marked)
                rank = record.rank
                if _blank(rank):
                    sheet.write_string(row, col + 3, "-", marked)
                else:
                    sheet.write_number(row, col + 3, int(rank), marked)
                sheet.write_number(row, col + 4, int(record.of), marked)
            else:
                for offset in range(len(HIGHLIGHT)):
                    sheet.write_string(row, col + offset, NOT_AVAILABLE, marked)
        row += 1

    detail = workbook.add_worksheet("Detail")
    columns = ["indicator_id", "authority", "actual", "numerator", "denominator", "target",
               "missing_code", "missing_reason", "rank", "of", "quartile_band",
               "neighbours_average", "region_value", "england_value", "commentary"]
    for col, name in enumerate(columns):
        detail.write_string(0, col, name, head)
    in_unit = {"actual", "target", "neighbours_average", "region_value", "england_value"}
    for r, record in enumerate(table[columns].itertuples(index=False), start=1):
        indicator = catalogue.get(record[0]) if record[0] in catalogue else None
        for col, value in enumerate(record):
            if isinstance(value, int | float) and not isinstance(value, bool):
                _num(detail, r, col, value, number(indicator) if columns[col] in in_unit
                     else None)
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
    for printed, header_row in ((sheet, 2), (detail, 0), (missing, 2)):
        set_print(printed, "Benchmark workbook", highlight or "", period, header_row)
    workbook.close()
    return out


ANSWER_UNITS = ("text", "date", "yes/no")  # answers, not figures: no value to benchmark


def _error_cells(store: Store, period: str) -> set[tuple[str, str]]:
    """(indicator, authority) pairs whose value, numerator or denominator has an error."""
    cells = store.cells(period=period)
    bad = cells[(cells["status"] == "error") & cells["field"].isin(VALUE_FIELDS)]
    return set(zip(bad["indicator_id"], bad["authority"], strict=True))


def _asked_for(store: Store, period: str, catalogue) -> list[str]:
    """Indicator ids of the datasets the period's returns were made for (by dataset title);
    none when a return names a dataset that is not a known one (a custom selection)."""
    titles = {title: name for name, (title, _) in DATASETS.items()}
    datasets = set(store.submissions(period=period)["dataset"].fillna(""))
    if not datasets or any(title not in titles for title in datasets):
        return []
    ids: list[str] = []
    for title in sorted(datasets):
        try:
            chosen = select_indicators(catalogue, dataset=titles[title])[1]
        except ScorecardError:  # the dataset has no indicators in this catalogue
            continue
        for indicator in chosen:
            if indicator.id not in ids:
                ids.append(indicator.id)
    return ids


def _label(code, authorities) -> str:
    authority = authorities.get(code)
    return f"{authority.name} ({code})" if authority and authority.name else code


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA


def _num(sheet, row, col, value, fmt) -> None:
    if not _blank(value):
        sheet.write_number(row, col, float(value), fmt)
