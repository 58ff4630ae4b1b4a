"""Benchmark: the data-quality checks (issue 12) on a region of returns.

Puts 150 authorities' returns for two quarters of the Performance Dataset (document 000;
random figures: percentages and rates with binomial noise around a regional share, one in
twenty well away from it, denominators up to 5,000 and populations up to 300,000) straight into
a store,
then times `check_returns` on every current return (raising and storing the queries), a second
run (settling queries already stored), and, as the baseline in the same run, `Store.benchmark`
for one period (the regional benchmark table). Peak memory by tracemalloc, in a third run
(untimed, as tracemalloc slows Python code).

    .venv/bin/python benchmarks/bench_quality.py [--authorities 150]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

from generator.collection import layout as L
from generator.collection.quality import check_returns
from generator.collection.store import Authority, Store, Submission
from generator.collection.templates import select_indicators
from scorecard.catalogue import load_catalogue

PERIODS = ("2023-24 Q4", "2024-25 Q1")


def _cells(indicators, rnd: random.Random, shares: dict[str, float]) -> list[dict]:
    """One return: percentages and rates near the region's share (binomial noise, and one
    authority in twenty well away from it), other figures around 200."""
    cells = []
    for row, indicator in enumerate(indicators, start=3):
        fields = L.input_fields(indicator.unit)
        if indicator.unit in ("text", "yes/no", "date"):
            continue
        if "numerator" in fields:
            denominator = rnd.randint(200, 300_000 if indicator.per != 100 else 5_000)
            share = min(0.95, shares[indicator.id] * (rnd.uniform(0.5, 1.5) if rnd.random() < 0.05 else 1))
            spread = (denominator * share * (1 - share)) ** 0.5
            numerator = min(denominator, max(0, round(rnd.gauss(denominator * share, spread))))
            figures = {"numerator": numerator, "denominator": denominator}
        else:
            figures = {"value": max(0, round(rnd.gauss(200, 30)))}
        for field, number in figures.items():
            cells.append({"indicator_id": indicator.id, "field": field, "number": number,
                          "raw": str(number), "status": "ok", "file": "r.xlsx", "sheet": "Theme",
                          "cell": L.cell_name(row, L.COLUMN_INDEX[field])})
    return cells


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--authorities", type=int, default=150)
    args = parser.parse_args()
    catalogue = load_catalogue()
    _, indicators = select_indicators(catalogue, dataset="performance-dataset")
    rnd = random.Random(12)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "region.sqlite")
        codes = [f"E{n:08d}" for n in range(args.authorities)]
        store.add_authorities(Authority(c, c, "Region") for c in codes)
        shares = {i.id: (rnd.uniform(0.2, 0.8) if i.per == 100 else rnd.uniform(0.002, 0.05))
                  for i in indicators}
        for period in PERIODS:
            for code in codes:
                store.add_submission(Submission(code, period, f"{code}.xlsx", f"{code}{period}",
                                                "1", catalogue.fingerprint(), "ds",
                                                _cells(indicators, rnd, shares)))
        start = time.perf_counter()
        store.benchmark(PERIODS[1], catalogue)
        baseline = time.perf_counter() - start
        start = time.perf_counter()
        found = check_returns(store, catalogue)
        first = time.perf_counter() - start
        start = time.perf_counter()
        check_returns(store, catalogue)
        second = time.perf_counter() - start
        # Memory in a third, untimed run: tracemalloc slows Python code about threefold.
        tracemalloc.start()
        check_returns(store, catalogue)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        codes_found = Counter(q.check_code for found_queries in found.values() for q in found_queries)
        print(f"{len(found)} returns ({args.authorities} authorities x {len(PERIODS)} quarters, "
              f"{len(indicators)} indicators): {sum(codes_found.values())} queries "
              f"({', '.join(f'{c} {n}' for c, n in sorted(codes_found.items()))})")
        print(f"baseline Store.benchmark, one period: {baseline:.2f} s")
        print(f"check_returns, first run:  {first:.2f} s ({first / baseline:.1f}x the baseline)")
        print(f"check_returns, second run: {second:.2f} s ({second / baseline:.1f}x the baseline)")
        print(f"peak Python memory: {peak / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
