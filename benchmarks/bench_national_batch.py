"""Benchmark: every authority at once. Builds the 153 current authorities' scorecards, then their
benchmark packs, from LAIT's data on every core (`scorecard national scorecard|benchmark
--authority all`), and prints each batch next to one authority's single build (best of 3) in the same run, with
CPU time and peak memory (the parent's and the largest worker's). Target: each batch under 60 s.

It also splits the CPU time of the sample-scorecard batch of bench_scorecard_workbook.py (making
each authority's table, loading it, building the workbook), to show where a batch's time goes
beyond the builds themselves.

Run: .venv/bin/python benchmarks/bench_national_batch.py [--jobs 2]   (LAIT_DATA=folder of LAIT's files)
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from bench_scorecard_workbook import PERIODS, catalogue_frame
from national_data import lait_files, load_average

from generator.cli.progress import Progress
from generator.national.batch import build_every_authority, default_jobs
from generator.national.importer import import_lait
from generator.national.packs import pack_writer
from generator.national.scorecards import NationalContext, scorecard_writer
from generator.workbooks.data_csv import load_scorecard_data
from generator.workbooks.scorecard import build_scorecard
from scorecard.catalogue import load_catalogue

TARGET = 60.0


def cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def single(write, context, area, path: Path) -> tuple[float, float]:
    """(best wall, its CPU) of three builds of one authority."""
    best = (float("inf"), 0.0)
    for _ in range(3):
        started, clock = time.perf_counter(), time.process_time()
        write(context, area, path)
        best = min(best, (time.perf_counter() - started, time.process_time() - clock))
    return best


def batch(name: str, write, context, folder: Path, jobs: int) -> bool:
    area = context.authority("Barnsley")
    one, one_cpu = single(write, context, area, folder / f"single_{name}.xlsx")
    started, clock = time.perf_counter(), cpu()
    paths, problems = build_every_authority(context, folder / name, write, jobs=jobs, progress=Progress(name))
    wall, used = time.perf_counter() - started, cpu() - clock
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{name}: {len(paths)} built, {len(problems)} not ({'; '.join(problems[:3])})")
    print(f"  one authority (best of 3) {one:7.2f} s wall {one_cpu:6.2f} s CPU")
    print(f"  all of them, {jobs} processes {wall:7.2f} s wall {used:6.2f} s CPU "
          f"({wall / max(len(paths), 1):.2f} s each; {len(paths) * one:.1f} s if built one by one)")
    print(f"  peak memory: parent {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, "
          f"largest worker {workers:.0f} MB; target under {TARGET:.0f} s: {'OK' if wall < TARGET else 'OVER TARGET'}")
    return not problems


def sample_split(catalogue, count: int = 10) -> None:
    """CPU per authority of bench_scorecard_workbook's sample batch, phase by phase."""
    frame = catalogue_frame(catalogue, seed=1)
    data = load_scorecard_data(frame, "Sample", PERIODS[-1], catalogue)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "sample.xlsx"
        build_scorecard(data, out)
        clock = time.process_time()
        for _ in range(3):
            build_scorecard(data, out)
        alone = (time.process_time() - clock) / 3
        phases = [0.0, 0.0, 0.0]
        for number in range(count):
            marks = [time.process_time()]
            frame = catalogue_frame(catalogue, seed=100 + number)
            marks.append(time.process_time())
            data = load_scorecard_data(frame, f"Authority {number}", PERIODS[-1], catalogue)
            marks.append(time.process_time())
            build_scorecard(data, out)
            marks.append(time.process_time())
            for phase in range(3):
                phases[phase] += (marks[phase + 1] - marks[phase]) / count
    total = sum(phases)
    print(f"sample batch ({len(catalogue)} indicators each), CPU per authority: make the table {phases[0]:.3f} s, "
          f"load it {phases[1]:.3f} s, build {phases[2]:.3f} s = {total:.3f} s; the same build alone {alone:.3f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=default_jobs())
    args = parser.parse_args()
    parquet, support, which = lait_files()
    catalogue = load_catalogue()
    print(f"LAIT long data: {which}; {args.jobs} processes; load average {load_average()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = folder / "national.sqlite"
        import_lait([parquet, *support], store)
        started = time.perf_counter()
        context = NationalContext.open(store, catalogue)
        context.data.grid()
        print(f"national data read and banded once: {time.perf_counter() - started:.2f} s "
              f"({len(context.indicators)} catalogue indicators with a LAIT measure, year {context.period})")
        ok = batch("scorecards", scorecard_writer(), context, folder, args.jobs)
        ok = batch("packs", pack_writer(), context, folder, args.jobs) and ok
    sample_split(catalogue)
    print(f"load average now {load_average()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
