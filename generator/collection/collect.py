"""Collecting many returns into the store: collect(paths, store, catalogue, ...) -> CollectReport.

A refused file is reported and skipped; one bad file never stops the others. A file already
stored (under any version) is not stored again. Two returns for one authority and period in one
collection are both kept; the one not used is quarantined. Several collects may write to one
store at once (Store takes the write lock per return).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.collection.guard import DEFAULT_LIMITS, Limits
from generator.collection.problems import problem
from generator.collection.read import CatalogueView, ReturnResult, read_return
from generator.collection.store import Authority, Store


# -- collecting many returns -------------------------------------------------------------------
@dataclass
class CollectReport:
    results: list[ReturnResult]
    versions: dict[str, int | None]  # file -> version stored (None: not stored)
    problems: list[dict]

    @property
    def refused(self) -> list[ReturnResult]:
        return [r for r in self.results if r.refused]


def _read_one(args):
    path, view, expected_period, authorities, limits = args
    return read_return(path, view, expected_period=expected_period, authorities=authorities,
                       limits=limits)


def _duplicate(result: ReturnResult, store: Store, earlier, copy_of: str | None,
               collected_at: str | None) -> None:
    """Report a file not stored again: identical to a stored version or to a file earlier in
    this collection."""
    if earlier is not None:
        state = (f" (quarantined: {earlier['quarantine']}; to use it, `scorecard store accept "
                 f"{earlier['authority']} \"{earlier['period']}\" {earlier['version']}`)"
                 if earlier["quarantine"] else "")
        what = (f"version {earlier['version']} of {earlier['authority']} {earlier['period']}, "
                f"already collected from {earlier['file']} at {earlier['collected_at']}{state}")
    else:
        what = f"{copy_of}, in this collection"
    duplicate = problem(result.file, "duplicate_file", f"identical to {what}; not stored again")
    result.problems.append(duplicate)
    store.add_problems([duplicate], submission_id=earlier["id"] if earlier is not None else None,
                       collected_at=collected_at)


def _settle_duplicates(key, group, store) -> list[ReturnResult]:
    """Two or more returns for one authority and period in one collection: never guess.

    All are stored. If a return is already current for the key it stays current and every new
    one is quarantined; otherwise the one whose workbook was saved last (docProps/core.xml
    modified time) is used, and the rest are quarantined. If the saved times do not tell,
    all are quarantined. Each quarantined one gets a duplicate_return error naming the files.
    Returns the group in the order to store it (the one used last, so its version is highest).
    """
    group = sorted(group, key=lambda r: (r.submission.modified or "", r.file))
    names = ", ".join(r.file for r in group)
    current = store.latest(*key)
    usable = [r for r in group if not r.submission.quarantine]
    winner = None
    if current is not None:
        why = (f"version {current['version']} already collected (from {current['file']}) "
               "stays current")
    elif usable and usable[-1].submission.modified and all(
            r.submission.modified != usable[-1].submission.modified for r in usable[:-1]):
        winner = usable[-1]
        why = (f"{winner.file} is used, as its workbook was saved last "
               f"({winner.submission.modified}, from its properties)")
    else:
        why = "the workbooks' saved times do not tell which is later, so neither is used"
    for result in group:
        if result is winner:
            continue
        result.submission.quarantine = ", ".join(
            filter(None, (result.submission.quarantine, "duplicate_return")))
        result.problems.append(problem(
            result.file, "duplicate_return",
            f"{len(group)} returns for {key[0]} {key[1]} in this collection ({names}): {why}; "
            f"this one is stored quarantined (accept it with `scorecard store accept {key[0]} "
            f"\"{key[1]}\" VERSION` if it is the right one)"))
    return [r for r in group if r is not winner] + ([winner] if winner else [])


def collect(paths: Sequence[Path | str], store: Store, catalogue, *,
            expected_period: str | None = None, authorities: Sequence[Authority] | None = None,
            limits: Limits = DEFAULT_LIMITS, jobs: int = 1,
            progress: Callable[[int, int, str], None] | None = None,
            collected_at: str | None = None) -> CollectReport:
    """Read, validate and store many returns; refused files are reported, never fatal.

    Each return is stored in one transaction (whole or not at all, also if the process is
    killed), so a collect stopped part way and run again completes the batch: what was
    stored is recognised by its bytes and not stored twice."""
    view = CatalogueView.of(catalogue)
    if authorities:
        store.add_authorities(authorities)
    tasks = [(str(p), view, expected_period, tuple(authorities) if authorities else None,
              limits) for p in paths]
    results: list[ReturnResult] = []
    if jobs > 1 and len(tasks) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for index, result in enumerate(pool.map(_read_one, tasks, chunksize=4), start=1):
                results.append(result)
                if progress:
                    progress(index, len(tasks), result.file)
    else:
        for index, task in enumerate(tasks, start=1):
            results.append(_read_one(task))
            if progress:
                progress(index, len(tasks), task[0])
    return store_results(results, store, collected_at=collected_at)


def store_results(results: Sequence[ReturnResult], store: Store, *,
                  collected_at: str | None = None) -> CollectReport:
    """Store returns already read (read_return): the second half of collect(), for a caller
    that has looked at a return before deciding to keep it (the hub checks whose it is), so
    no file is read twice."""
    versions: dict[str, int | None] = {}
    groups: dict[tuple[str, str], list[ReturnResult]] = {}
    batch_files: dict[str, str] = {}  # sha256 -> file, for copies inside this collection
    for result in results:
        if result.submission is None:
            store.add_problems(result.problems, collected_at=collected_at)
            versions[result.file] = None
            continue
        key = (result.submission.authority, result.submission.period)
        copy_of = batch_files.get(result.submission.file_sha256)
        earlier = None if copy_of is not None else store.duplicate_of(result.submission)
        if earlier is not None or copy_of is not None:
            _duplicate(result, store, earlier, copy_of, collected_at)
            versions[result.file] = None
            continue
        batch_files[result.submission.file_sha256] = result.file
        groups.setdefault(key, []).append(result)
    for key, group in groups.items():
        if len(group) > 1:
            group = _settle_duplicates(key, group, store)
        for result in group:
            version = store.add_submission_once(result.submission, collected_at)
            if version is None:  # another process stored the same file meanwhile
                _duplicate(result, store, store.duplicate_of(result.submission), None,
                           collected_at)
            versions[result.file] = version
    problems = [p for r in results for p in r.problems]
    return CollectReport(list(results), versions, problems)
