"""Every authority at once: the 153 current authorities' scorecards (or benchmark packs) from the
national data, one file each, on all cores.

The national data is read and banded once, in the parent process, before the workers start: on
Linux and macOS they are forked from it and share it (copy-on-write), so each worker only builds
workbooks; on Windows each worker is handed a copy once, when it starts.
Each worker builds one workbook at a time and writes it straight to disk, so memory stays flat
however many authorities there are; a progress bar counts them as they finish.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Callable
from pathlib import Path

from generator.national.scorecards import NationalContext
from scorecard.errors import ScorecardError

_WORK: dict = {}  # what the forked workers share: set in the parent just before the pool starts


def file_name(name: str, suffix: str = ".xlsx") -> str:
    """A safe file name for an authority: 'Bournemouth, Christchurch and Poole' ->
    'bournemouth-christchurch-and-poole.xlsx'."""
    return "-".join(re.findall(r"[a-z0-9]+", name.lower())) + suffix


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def build_every_authority(context: NationalContext, out: Path | str, write: Callable, jobs: int | None = None,
                          progress: Callable[[int, int, str], None] | None = None,
                          authorities: list | None = None) -> tuple[list[Path], list[str]]:
    """Call `write(context, authority, path)` for every current authority (or `authorities`), writing
    `out`/<authority>.xlsx; `jobs` processes (default: every core). Returns (the paths written, in
    list order; a line for each authority that could not be built, saying why)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if jobs is not None and jobs < 1:
        raise ScorecardError(f"--jobs must be 1 or more, not {jobs}")
    areas = authorities if authorities is not None else context.data.current_authorities()
    tasks = [(area, out / file_name(area.name)) for area in areas]
    jobs = min(jobs or default_jobs(), max(len(tasks), 1))
    context.data.grid()  # made once here, shared by every worker
    failed: dict[str, str] = {}
    _WORK.update(context=context, write=write)
    try:
        if jobs == 1:
            results = map(_build_one, tasks)
            for done, (name, problem) in enumerate(results, start=1):
                _count(failed, name, problem, progress, done, len(tasks))
        else:
            with _pool(jobs, context, write) as pool:
                for done, (name, problem) in enumerate(pool.imap_unordered(_build_one, tasks, chunksize=2), start=1):
                    _count(failed, name, problem, progress, done, len(tasks))
    finally:
        _WORK.clear()
    return ([path for area, path in tasks if area.name not in failed],
            [f"{name}: {problem}" for name, problem in sorted(failed.items())])


def _pool(jobs: int, context: NationalContext, write: Callable):
    """Workers forked from this process (they share the data read here), or, where fork does not
    exist (Windows), started afresh and handed the data once each."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork").Pool(jobs, maxtasksperchild=40)
    return multiprocessing.get_context("spawn").Pool(jobs, initializer=_start,
                                                      initargs=({"context": context, "write": write},))


def _start(work: dict) -> None:
    """A started (not forked) worker's first job: keep what the parent handed over."""
    _WORK.update(work)


def _count(failed: dict, name: str, problem: str | None, progress, done: int, total: int) -> None:
    if problem:
        failed[name] = problem
    if progress:
        progress(done, total, name)


def _build_one(task) -> tuple[str, str | None]:
    area, path = task
    try:
        _WORK["write"](_WORK["context"], area, path)
    except ScorecardError as error:
        return area.name, str(error)
    return area.name, None
