"""The store under concurrent writers, kill -9 and re-collection (issue 13).

Real processes, as an officer's machine or a shared drive would have them: several
`scorecard collect` at once into one store (different authorities, and the same ones),
a collect killed with SIGKILL part way through a batch several times and then run again,
and a folder collected again after resubmissions. Afterwards: PRAGMA integrity_check is ok,
each return is stored whole or not at all, every file exactly once, the current version is
the right one. About 40 seconds in all."""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.collection.collect import collect
from generator.collection.store import Authority, Store, Submission
from generator.collection.templates import fill_template, write_template
from scorecard.catalogue import load_catalogue

PERIOD = "2024-25 Q1"
CATALOGUE = load_catalogue()
INDICATORS = [i for i in CATALOGUE if i.unit in ("count", "percentage", "days")][:12]
CLI = "import sys; from generator.cli import main; sys.exit(main())"


def _entries(seed: int) -> dict:
    entries = {}
    for n, indicator in enumerate(INDICATORS):
        if indicator.unit == "percentage":
            entries[indicator.id] = {"numerator": (seed + n) % 50, "denominator": 50}
        else:
            entries[indicator.id] = {"value": seed * 100 + n, "commentary": f"return {seed}"}
    return entries


def _saved_at(path: Path, when: str) -> None:
    """Set the workbook's own saved time (docProps/core.xml)."""
    from collect_strategies import rewrite_member

    rewrite_member(path, "docProps/core.xml", lambda xml: re.sub(
        rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
        rb"\g<1>" + when.encode() + rb"\g<2>", xml))


def _returns(folder: Path, codes, seed: int = 0, suffix: str = "") -> list[Path]:
    """One filled return per authority code in `folder` (templates made there too)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, code in enumerate(codes):
        template = folder / f".template_{code}.xlsx"
        if not template.exists():
            write_template(template, CATALOGUE, INDICATORS, Authority(code), PERIOD)
        path = fill_template(template, folder / f"return_{code}{suffix}.xlsx",
                             _entries(seed + n))
        _saved_at(path, f"2024-07-{1 + seed % 28:02d}T09:00:00Z")
        paths.append(path)
    for template in folder.glob(".template_*"):
        template.unlink()
    return paths


@pytest.fixture(scope="module")
def returns(tmp_path_factory):
    """20 returns (E00-E19) and, for E00-E03, resubmissions saved a week later."""
    folder = tmp_path_factory.mktemp("returns")
    first = _returns(folder, [f"E{n:02d}" for n in range(20)], seed=1)
    again = _returns(folder, [f"E{n:02d}" for n in range(4)], seed=8, suffix="_resubmitted")
    return first, again


def _start(paths, store: Path, report: Path, nice: int = 0) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CLI, "collect", *map(str, paths),
                             "--store", str(store), "--report", str(report), "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=(lambda: os.nice(nice)) if nice else None)


def _finish(process: subprocess.Popen) -> str:
    out, err = process.communicate(timeout=300)
    assert process.returncode in (0, 1), err[-3000:]  # 1: problems of severity error
    assert "Traceback" not in err and "Error" not in err, err[-3000:]
    return out


def _check(store_path: Path, expected_files: set[str]) -> sqlite3.Connection:
    """Integrity ok; each expected file stored exactly once, whole (as many cells as the
    same file collected alone), and no other submission."""
    db = sqlite3.connect(store_path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    files = [r[0] for r in db.execute("SELECT file FROM submissions")]
    assert sorted(files) == sorted(expected_files)
    for file, cells in db.execute("SELECT s.file, COUNT(c.submission_id) FROM submissions s "
                                  "LEFT JOIN cells c ON c.submission_id = s.id GROUP BY s.id"):
        assert cells == _cells_alone(file), file
    versions = db.execute("SELECT authority, period, version, COUNT(*) FROM submissions "
                          "GROUP BY authority, period, version HAVING COUNT(*) > 1").fetchall()
    assert not versions
    return db


_ALONE: dict[str, int] = {}


def _cells_alone(file: str) -> int:
    """How many cells the file gives when collected on its own (whole)."""
    if file not in _ALONE:
        from generator.collection.read import read_return

        _ALONE[file] = len(read_return(file, CATALOGUE).submission.cells)
    return _ALONE[file]


def _open_at(args) -> str:
    path, start = args
    while time.time() < start:
        pass
    try:
        Store(path).close()
    except Exception as error:  # noqa: BLE001 - the test reports it
        return f"{type(error).__name__}: {error}"
    return ""


def test_processes_opening_a_new_store_at_once_all_succeed(tmp_path):
    """Eight processes open one new store at the same instant, six times over: none fails
    (creating the schema raced: 'view current_submissions already exists')."""
    context = multiprocessing.get_context("fork")
    with context.Pool(8) as pool:
        for round_ in range(6):
            path = str(tmp_path / f"s{round_}.sqlite")
            start = time.time() + 0.5
            errors = [e for e in pool.map(_open_at, [(path, start)] * 8) if e]
            assert not errors, errors


def _store_many(args) -> list[int]:
    path, worker, count, start = args
    while time.time() < start:
        pass
    versions = []
    with Store(path) as store:
        for n in range(count):
            submission = Submission("E1", PERIOD, f"w{worker}_{n}.xlsx", f"{worker}-{n}")
            submission.cells = [{"indicator_id": "x", "field": "value", "number": float(n),
                                 "text": None, "raw": str(n), "status": "ok",
                                 "file": submission.file, "sheet": "S", "cell": "H4"}]
            versions.append(store.add_submission(submission))
    return versions


def test_versions_are_allocated_atomically(tmp_path):
    """Four processes store 25 returns each for one authority and period at once: 100
    versions, 1 to 100, none taken twice, none lost (was: UNIQUE constraint failed)."""
    path = str(tmp_path / "s.sqlite")
    Store(path).close()
    start = time.time() + 1.0
    context = multiprocessing.get_context("fork")
    with context.Pool(4) as pool:
        results = pool.map(_store_many, [(path, w, 25, start) for w in range(4)])
    assert sorted(v for versions in results for v in versions) == list(range(1, 101))
    db = sqlite3.connect(path)
    assert db.execute("SELECT COUNT(*) FROM cells").fetchone()[0] == 100


def test_concurrent_collects_of_different_authorities(returns, tmp_path):
    """Four `scorecard collect` processes, each with 5 returns from its own authorities,
    into one new store at once, twice: every return stored exactly once and whole."""
    first, _ = returns
    batches = [first[w::4] for w in range(4)]
    for round_ in range(2):
        store = tmp_path / f"store{round_}.sqlite"
        processes = [_start(paths, store, tmp_path / f"report{round_}_{w}")
                     for w, paths in enumerate(batches)]
        for process in processes:
            _finish(process)
        _check(store, {str(p) for p in first})


def test_concurrent_collects_of_the_same_returns_and_resubmissions(returns, tmp_path):
    """Four processes collect the same 10 returns and, for 4 of them, a resubmission saved
    later, at once. Every file is stored exactly once; for each authority with a
    resubmission it is current, and for the others their one return is."""
    first, again = returns
    files = first[:10] + again
    store = tmp_path / "store.sqlite"
    processes = [_start(files[w:] + files[:w], store, tmp_path / f"report{w}")
                 for w in range(4)]
    for process in processes:
        _finish(process)
    _check(store, {str(p) for p in files})
    with Store(store) as opened:
        for n, path in enumerate(first[:10]):
            current = again[n] if n < len(again) else path
            assert opened.latest(f"E{n:02d}", PERIOD)["file"] == str(current)


def test_collect_killed_mid_batch_then_run_again(returns, tmp_path):
    """A collect of 20 returns killed with SIGKILL three times on the same store, each time
    at a commit (the test holds a read lock, so the collect is stopped in the middle of
    writing a return, its journal on disk); then run to the end. After each kill: integrity
    ok, no return half-stored, some but not all stored; at the end every return stored
    exactly once. (On a busy machine a collect may slip past the lock and finish, or store
    every return and be killed at a commit of the data-quality checks that follow; then the
    round is tried again on a new store.)"""
    paths, _ = returns
    store, kills, fresh = None, 0, 0
    for _ in range(12):
        if kills == 3:
            break
        if store is None:
            fresh += 1
            store = tmp_path / f"store{fresh}.sqlite"
            Store(store).close()
        stored = _stored(store)
        # the collect runs at low priority, so the test gets the lock between its commits
        process = _start(paths, store, tmp_path / f"report{kills}", nice=10)
        reader = _hold_read_lock_at(store, stored + 2, process)
        if reader is None:  # it finished first: nothing was killed; start again
            _finish(process)
            _check(store, {str(p) for p in paths}).close()
            store = None
            continue
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        reader.close()
        assert process.returncode == -signal.SIGKILL
        _check(store, {r[0] for r in sqlite3.connect(store).execute(
            "SELECT file FROM submissions")}).close()
        if _stored(store) == len(paths):  # it stored them all and was killed while checking
            store = None                  # their data quality: not mid-batch; start again
            continue
        assert stored + 2 <= _stored(store) < len(paths)
        kills += 1
    assert kills == 3
    _finish(_start(paths, store, tmp_path / "report_last"))
    _check(store, {str(p) for p in paths}).close()


def _stored(store: Path) -> int:
    db = sqlite3.connect(store)
    try:
        return db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
    finally:
        db.close()


def _hold_read_lock_at(store: Path, target: int, process) -> sqlite3.Connection | None:
    """Hold a read transaction on the store, letting the collect commit one write at a time
    (a writer must wait for readers to finish before it commits), until `target` returns
    are stored; then keep holding it until the collect is stopped at its next commit, with
    that return's rollback journal on disk. Returns the connection (close it after), or
    None if the collect finished first."""
    db = sqlite3.connect(store, timeout=0, isolation_level=None)
    journal = store.with_name(store.name + "-journal")
    deadline = time.time() + 120

    def hold() -> int | None:
        while process.poll() is None:
            assert time.time() < deadline, "the collect neither finished nor stored"
            try:
                db.execute("BEGIN")
                return db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
            except sqlite3.OperationalError:  # the collect is committing: try again at once
                if db.in_transaction:
                    db.execute("ROLLBACK")
        return None

    while (have := hold()) is not None and have < target:
        db.execute("COMMIT")  # let one commit through
    while have is not None and not (journal.exists() and journal.stat().st_size > 0):
        if process.poll() is not None:  # it had nothing left to write
            have = None
        time.sleep(0.005)
    if have is None:
        db.close()
        return None
    time.sleep(0.1)
    return db


def test_recollecting_a_folder_after_resubmissions_keeps_the_latest(tmp_path):
    """Collect return.xlsx, then return_resubmitted.xlsx, then the whole folder (and once
    more): nothing is stored again, the resubmission stays current and its values are the
    ones used (was: the older file stored as version 3 and current)."""
    from collect_strategies import first as nth

    folder = tmp_path / "returns"
    [older] = _returns(folder, ["E1"], seed=1)
    [newer] = _returns(folder, ["E1"], seed=2, suffix="_resubmitted")
    count = nth(INDICATORS, "count")
    with Store(tmp_path / "s.sqlite") as store:
        assert collect([older], store, CATALOGUE).versions[str(older)] == 1
        assert collect([newer], store, CATALOGUE).versions[str(newer)] == 2
        for _ in range(2):
            report = collect(sorted(folder.glob("*.xlsx")), store, CATALOGUE)
            assert set(report.versions.values()) == {None}
            assert {p["code"] for p in report.problems if p["severity"] != "info"} == {
                "duplicate_file"}
        assert store.submissions()["version"].tolist() == [1, 2]
        assert store.latest("E1", PERIOD)["file"] == str(newer)
        actual = store.actuals(PERIOD, CATALOGUE).set_index("indicator_id")
        assert actual.loc[count.id, "actual"] == _entries(2)[count.id]["value"]


@pytest.mark.parametrize("quarantined", [False, True])
def test_a_file_stored_under_any_version_is_recognised(tmp_path, quarantined):
    """A file stored as version 1 (current, or quarantined), then another return as version
    2: collecting the first file again stores nothing and says which version it is; a
    quarantined one is pointed to `scorecard store accept`."""
    folder = tmp_path / "returns"
    [older] = _returns(folder, ["E1"], seed=1)
    [newer] = _returns(folder, ["E1"], seed=2, suffix="_resubmitted")
    authorities = [Authority("E9")] if quarantined else None
    with Store(tmp_path / "s.sqlite") as store:
        collect([older], store, CATALOGUE, authorities=authorities)
        collect([newer], store, CATALOGUE)
        report = collect([older], store, CATALOGUE)
        assert report.versions == {str(older): None}
        [duplicate] = [p for p in report.problems if p["code"] == "duplicate_file"]
        assert "version 1 of E1" in duplicate["message"]
        assert ("store accept" in duplicate["message"]) == quarantined
        assert len(store.submissions()) == 2
