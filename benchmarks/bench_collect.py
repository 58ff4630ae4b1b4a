"""Benchmark: collect 150 filled returns (issues 5 and 13).

Reports wall time and peak memory (tracemalloc, Python allocations) of `collect` into a fresh
store, and, in the same run, the read step alone: Scorecard's own cell reader (every sheet of
every return, as collect reads them) against python-calamine and openpyxl reading the same
sheets, as ratios. Returns are the Performance Dataset (document 000) filled with random
valid values.

    .venv/bin/python benchmarks/bench_collect.py [--returns 150]
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from generator.collection import layout as L
from generator.collection.collect import collect
from generator.collection.guard import guard_file
from generator.collection.store import Authority, Store
from generator.collection.templates import fill_template, select_indicators, write_template
from generator.collection.xlsx import MAX_COLUMNS, open_workbook, scan_sheet
from scorecard.catalogue import load_catalogue


def _entries(indicators, rnd: random.Random) -> dict:
    entries = {}
    for indicator in indicators:
        fields = L.input_fields(indicator.unit)
        if rnd.random() < 0.05:
            entries[indicator.id] = {"value": "[c]"}
        elif "numerator" in fields:
            denominator = rnd.randint(100, 50_000)
            numerator = rnd.randint(0, denominator)
            entries[indicator.id] = {"numerator": numerator, "denominator": denominator}
        elif indicator.unit == "text":
            entries[indicator.id] = {"value": "narrative " * rnd.randint(1, 5)}
        elif indicator.unit == "yes/no":
            entries[indicator.id] = {"value": rnd.choice(["Yes", "No"])}
        else:
            entries[indicator.id] = {"value": rnd.randint(0, 500), "commentary": "as expected"}
    return entries


def _scorecard(data: bytes) -> None:
    book = open_workbook(data)
    for name in book.sheets:
        scan_sheet(book.sheet_xml(name), book, max_rows=2000, max_cols=MAX_COLUMNS)


def _calamine(data: bytes) -> None:
    import python_calamine

    with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def _openpyxl(data: bytes) -> None:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for sheet in book.worksheets:
        sheet.reset_dimensions()
        for _ in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            pass
    book.close()


READERS = {"scorecard": _scorecard, "calamine": _calamine, "openpyxl": _openpyxl}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--returns", type=int, default=150)
    args = parser.parse_args()
    catalogue = load_catalogue()
    title, indicators = select_indicators(catalogue, dataset="performance-dataset")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        template = write_template(folder / "template.xlsx", catalogue, indicators,
                                  Authority("E0"), "2024-25 Q1", dataset_title=title)
        # One template per authority would differ only in metadata; fill copies of a few
        # authority templates so that every return is a distinct authority.
        paths = []
        for n in range(args.returns):
            authority = Authority(f"E{n:04d}")
            own = write_template(folder / f"t{n}.xlsx", catalogue, indicators, authority,
                                 "2024-25 Q1", dataset_title=title)
            paths.append(fill_template(own, folder / f"r{n}.xlsx",
                                       _entries(indicators, random.Random(n))))
            own.unlink()
        template.unlink()
        print(f"prepared {len(paths)} returns of {len(indicators)} indicators "
              f"in {time.perf_counter() - start:.1f}s", file=sys.stderr)

        read_times = {}
        blobs = [guard_file(p) for p in paths]
        for name, reader in READERS.items():
            start = time.perf_counter()
            for data in blobs:
                reader(data)
            read_times[name] = time.perf_counter() - start

        start = time.perf_counter()
        with Store(folder / "store.sqlite") as store:
            report = collect(paths, store, catalogue)
        wall = time.perf_counter() - start
        tracemalloc.start()  # a second run, traced: tracemalloc slows allocation-heavy code
        with Store(folder / "traced.sqlite") as store:
            collect(paths, store, catalogue)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        stored = sum(v is not None for v in report.versions.values())
        print(f"collect {len(paths)} returns: {wall:.2f}s wall, "
              f"{wall / len(paths) * 1000:.1f} ms/return, peak {peak / 2**20:.1f} MiB traced; "
              f"{stored} stored, {len(report.refused)} refused")
        ours = read_times["scorecard"]
        print(f"read step only: scorecard {ours:.2f}s, calamine {read_times['calamine']:.2f}s, "
              f"openpyxl {read_times['openpyxl']:.2f}s; scorecard/calamine = "
              f"{ours / read_times['calamine']:.1f}x, scorecard/openpyxl = "
              f"{ours / read_times['openpyxl']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
