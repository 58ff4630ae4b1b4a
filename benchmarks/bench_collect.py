"""Benchmark: collect 150 filled returns (issue 5).

Reports wall time and peak memory (tracemalloc, Python allocations) of `collect` into a fresh
store, and, in the same run, the read step alone with python-calamine against openpyxl, as a
ratio. Returns are the Performance Dataset (document 000) filled with random valid values.

    .venv/bin/python benchmarks/bench_collect.py [--returns 150]
"""

from __future__ import annotations

import argparse
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
from generator.collection.xlsx import BACKENDS, sheet_names
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
        sheets = sheet_names(blobs[0])  # every return has the same sheets
        for backend, reader in BACKENDS.items():
            start = time.perf_counter()
            for data in blobs:
                reader(data, sheets)
            read_times[backend] = time.perf_counter() - start

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
        print(f"collect {len(paths)} returns (calamine): {wall:.2f}s wall, "
              f"{wall / len(paths) * 1000:.1f} ms/return, peak {peak / 2**20:.1f} MiB traced; "
              f"{stored} stored, {len(report.refused)} refused")
        print(f"read step only: calamine {read_times['calamine']:.2f}s, openpyxl "
              f"{read_times['openpyxl']:.2f}s; openpyxl/calamine = "
              f"{read_times['openpyxl'] / read_times['calamine']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
