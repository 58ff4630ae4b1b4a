"""Benchmark: the full-catalogue scorecard workbook, against bare xlsxwriter, and a batch.

1. Builds the scorecard for every indicator in the built-in catalogue (five quarters each),
   and in the same run writes the same cells (values, text, the same status and direction
   formulas) with the same formats using bare xlsxwriter: the floor. Prints the ratio; the
   target is at most 2x. The floor has no charts, sparklines, tables or conditional formats,
   so the ratio also prices those.
2. Builds a batch of 150 authorities' scorecards with a progress bar and reports peak memory.

Run: .venv/bin/python benchmarks/bench_scorecard_workbook.py [--authorities 150]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from generator.cli.progress import Progress
from generator.workbooks.book import HEADER_ROW, sheet_names
from generator.workbooks.data import ScorecardData
from generator.workbooks.data_csv import load_scorecard_data
from generator.workbooks.scorecard import build_scorecard
from generator.workbooks.styles import number_format
from generator.workbooks.themes import ThemeColumns
from scorecard import formulas
from scorecard.catalogue import load_catalogue

PERIODS = ["2023/24 Q1", "2023/24 Q2", "2023/24 Q3", "2023/24 Q4", "2024/25 Q1"]
TARGET_RATIO = 2.0


def catalogue_frame(catalogue, seed: int) -> pd.DataFrame:
    """Plausible values for every catalogue indicator over five quarters, with commentary."""
    rng = np.random.default_rng(seed)
    rows = []
    for indicator in catalogue:
        level = 60.0 if indicator.unit == "percentage" else float(rng.uniform(5, 800))
        target = round(level * float(rng.uniform(0.9, 1.1)), 1)
        for index, period in enumerate(PERIODS):
            value = round(level * float(rng.uniform(0.85, 1.15)), 1)
            actual = "[c]" if rng.random() < 0.03 else value
            latest = index == len(PERIODS) - 1
            rows.append({"indicator_id": indicator.id, "period": period, "actual": actual,
                         "target": target if latest else "",
                         "comparator_england": round(level, 1) if latest else "",
                         "commentary": "Performance reviewed at the monthly board." if latest
                         else ""})
    return pd.DataFrame(rows)


def floor_workbook(data: ScorecardData, path: Path) -> None:
    """The same theme-sheet, measure-page and definition cells, with bare xlsxwriter."""
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                               "in_memory": True})
    text = workbook.add_format({"border": 1, "text_wrap": True})
    number_formats = {}
    columns = ThemeColumns(data.shown_periods(), data.comparator_names)
    names = sheet_names(data.themes())
    for theme in data.themes():
        sheet = workbook.add_worksheet(names[theme])
        for col, header in enumerate(columns.headers):
            sheet.write_string(HEADER_ROW, col, header, text)
        for row, measure in enumerate(data.by_theme(theme), start=HEADER_ROW + 1):
            key = (measure.unit, measure.decimal_places)
            if key not in number_formats:
                number_formats[key] = workbook.add_format(
                    {"border": 1, "num_format": number_format(*key)})
            fmt = number_formats[key]
            for col, value in enumerate([measure.section, measure.id, measure.name,
                                         measure.polarity.value, measure.reporting_basis]):
                sheet.write_string(row, col, value, text)
            for offset, period in enumerate(columns.periods):
                value = measure.value(period)
                if isinstance(value, float):
                    sheet.write_number(row, columns.first_period + offset, value, fmt)
                    source = xl_rowcol_to_cell(row, columns.first_period + offset)
                    sheet.write_formula(row, columns.chart_values[offset],
                                        f"=IF(ISNUMBER({source}),{source},NA())", fmt, value)
                elif value.code:
                    sheet.write_string(row, columns.first_period + offset, value.code, fmt)
                target = measure.target(period)
                if isinstance(target, float):
                    sheet.write_number(row, columns.chart_targets[offset], target, fmt)
            cell = lambda col, row=row: xl_rowcol_to_cell(row, col)  # noqa: E731
            judgement = data.judge(measure)
            target = measure.target(data.period)
            if isinstance(target, float):
                sheet.write_number(row, columns.target, target, fmt)
            sheet.write_formula(row, columns.status, "=" + formulas.rag_formula(
                cell(columns.actual), cell(columns.target), cell(3), cell(columns.tolerance_kind),
                cell(columns.tolerance)), text, judgement.status.status.value)
            sheet.write_formula(row, columns.symbol, "=" + formulas.rag_symbol_formula(
                cell(columns.status)), text, judgement.status.symbol)
            sheet.write_formula(row, columns.direction, "=" + formulas.direction_formula(
                cell(columns.actual), cell(columns.previous), cell(3), cell(columns.threshold),
                cell(columns.target)), text, judgement.direction.value)
            sheet.write_formula(row, columns.arrow, "=" + formulas.arrow_formula(
                cell(columns.actual), cell(columns.previous), cell(columns.threshold)), text,
                judgement.arrow)
            sheet.write_string(row, columns.commentary, measure.commentary.get(data.period, ""),
                               text)
            sheet.write_string(row, columns.tolerance_kind, measure.tolerance.kind, text)
            sheet.write_number(row, columns.tolerance, measure.tolerance.amount, text)
            sheet.write_number(row, columns.threshold, measure.no_change_threshold, text)
    pages = workbook.add_worksheet("Measures")
    definitions = workbook.add_worksheet("Definitions")
    for index, measure in enumerate(data.measures):
        top = index * 20
        pages.write_string(top, 0, measure.name, text)
        for offset, label in enumerate(["Target", "Latest performance", "Status",
                                        "Direction of travel", "Data period"]):
            pages.write_string(top + 3 + offset, 0, label, text)
            pages.write_formula(top + 3 + offset, 1, f"='{measure.theme}'!A1", text, "")
        definitions.write_row(index + HEADER_ROW + 1, 0, [
            measure.id, measure.name, measure.theme, measure.definition, measure.unit,
            measure.polarity.value, measure.reporting_basis, measure.frequency, measure.source,
            str(measure.tolerance.amount), measure.references], text)
    workbook.close()


def best_of(runs: int, action) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--authorities", type=int, default=150)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    catalogue = load_catalogue()
    frame = catalogue_frame(catalogue, seed=1)
    data = load_scorecard_data(frame, "Benchmark", PERIODS[-1], catalogue)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ours = best_of(args.runs, lambda: build_scorecard(data, folder / "ours.xlsx"))
        floor = best_of(args.runs, lambda: floor_workbook(data, folder / "floor.xlsx"))
        ratio = ours / floor
        print(f"full catalogue: {len(data.measures)} measures, {len(data.themes())} themes")
        print(f"  scorecard build    {ours:6.2f} s  ({(folder / 'ours.xlsx').stat().st_size:,} "
              "bytes; with charts, sparklines, tables, conditional formats)")
        print(f"  bare xlsxwriter    {floor:6.2f} s  (the same cells and formats)")
        print(f"  ratio              {ratio:6.2f}x  (target at most {TARGET_RATIO:.0f}x)"
              f"  {'OK' if ratio <= TARGET_RATIO else 'OVER TARGET'}")

        # A batch: each authority's values differ; loading is part of the work.
        started = time.perf_counter()
        progress = Progress("batch")
        for number in range(args.authorities):
            authority_frame = catalogue_frame(catalogue, seed=100 + number)
            authority = load_scorecard_data(authority_frame, f"Authority {number + 1}",
                                            PERIODS[-1], catalogue)
            build_scorecard(authority, folder / f"authority_{number + 1:03d}.xlsx")
            (folder / f"authority_{number + 1:03d}.xlsx").unlink()
            progress(number + 1, args.authorities)
        total = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"batch: {args.authorities} authorities in {total:.1f} s "
              f"({total / args.authorities:.2f} s each); peak memory (max RSS) {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
