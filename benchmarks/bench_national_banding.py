"""Benchmark: quartile band and rank of every authority in every measure-year of LAIT's data
(641,070 values, 3,770 measure-years), vectorised (`generator.national.comparators.rank_and_band`
over `scorecard.benchmarking.bands_and_ranks`) against the per-value path (a ComparisonSet per
measure-year, then band() and rank() for each value, as a UDF would). Both give the same answers
(checked here too; the exit status says whether they do). Target: under 1 s. Wall and CPU time are
both printed, with the load average: on a shared machine the wall time is the one that suffers.

Run: .venv/bin/python benchmarks/bench_national_banding.py   (LAIT_DATA=folder of LAIT's files)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from national_data import lait_files, load_average

from generator.national.comparators import rank_and_band
from generator.national.importer import import_lait
from generator.national.store import NationalStore
from scorecard.benchmarking import ComparisonSet
from scorecard.polarity import Polarity

TARGET = 1.0


def per_value(values, measures, current: set[int]):
    """The scalar path: one ComparisonSet per measure-year, band() and rank() per value."""
    bands, ranks = {}, {}
    mine = values[values["area"].isin(current)]
    for (measure, _period), group in mine.groupby(["measure", "period"], observed=True, sort=False):
        polarity = Polarity(measures.at[measure, "polarity"])
        banded = not measures.at[measure, "no_quartile"]
        numbers = group["value"].to_numpy()
        among = ComparisonSet(numbers)
        for index, number in zip(group.index, numbers, strict=True):
            bands[index] = among.band(number, polarity) if banded else "-"
            rank = among.rank(number, polarity)
            ranks[index] = np.nan if rank is None else rank
    return bands, ranks


def main() -> int:
    parquet, support, which = lait_files()
    print(f"LAIT long data: {which}; load average {load_average()}")
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "national.sqlite"
        import_lait([parquet, *support], store)
        with NationalStore(store) as national:
            measures = national.measures().set_index("code", drop=False)
            areas = national.areas()
            values = national.values()
    current = {area.code for area in areas if area.is_current}
    times, cpu = [], []
    for _ in range(3):
        started, clock = time.perf_counter(), time.process_time()
        banded = rank_and_band(values, measures, areas)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - clock)
    vectorised = min(times)
    series = banded[["measure", "period"]].drop_duplicates().shape[0]
    started = time.perf_counter()
    bands, ranks = per_value(values, measures, current)
    scalar = time.perf_counter() - started
    index = np.array(sorted(bands))
    same_bands = (banded.loc[index, "band"].to_numpy(dtype=object) == np.array([bands[i] for i in index])).all()
    theirs = np.array([ranks[i] for i in index], dtype=float)
    ours = banded.loc[index, "rank"].to_numpy(dtype=float)
    same_ranks = bool(np.array_equal(ours, theirs, equal_nan=True))
    print(f"{len(values):,} values, {series:,} measure-years, {len(index):,} authority values banded and ranked")
    print(f"  vectorised (best of 3) {vectorised:7.3f} s ({min(cpu):.3f} s CPU)   target under {TARGET:.0f} s: "
          f"{'OK' if vectorised < TARGET else 'OVER TARGET'}")
    print(f"  per value              {scalar:7.3f} s")
    print(f"  ratio                  {scalar / vectorised:7.1f}x faster; same bands: {same_bands}; "
          f"same ranks: {same_ranks}")
    # A shared machine slows wall time, not CPU time: the exit status reports the answers only.
    return 0 if (same_bands and same_ranks) else 1


if __name__ == "__main__":
    sys.exit(main())
