"""Data-quality queries from the command line, through real templates: `scorecard collect`
prints and reports them, `scorecard store queries` lists them, `store confirm` answers one and
`store check` runs the checks again."""

from __future__ import annotations

import csv

import pytest
from cli_run import run_cli
from collect_strategies import AUTHORITIES, first, make_template, small_catalogue, typical_entries

from generator.collection.store import Store
from generator.collection.templates import fill_template
from scorecard.catalogue import Catalogue

# The collection tests' catalogue less its made-up date indicator (not valid in a catalogue CSV).
CATALOGUE = Catalogue([i for i in small_catalogue() if i.id != "test-date"], source="test")
Q4, Q1 = "2023-24 Q4", "2024-25 Q1"


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """E1's 2023-24 Q4 and 2024-25 Q1 returns; in Q1 a count trebled. Paths and the CLI output."""
    folder = tmp_path_factory.mktemp("cli")
    count = first(CATALOGUE, "count")
    paths = {}
    for period, times in ((Q4, 1), (Q1, 3)):
        entries = typical_entries(CATALOGUE)
        entries[count.id] = {"value": entries[count.id]["value"] * times}
        template = make_template(folder, CATALOGUE, AUTHORITIES[0], period)
        paths[period] = fill_template(template, folder / f"E1 {period}.xlsx", entries)
    catalogue_csv = folder / "catalogue.csv"
    catalogue_csv.write_text(CATALOGUE.to_csv(), encoding="utf-8")
    return folder, paths, count, catalogue_csv


def _run(capsys, *argv):
    return run_cli(capsys, *argv)


def test_collect_prints_the_open_queries_and_adds_them_to_the_report(collected, capsys, tmp_path):
    """collect: a summary line per check and per return; the report CSV holds the query with
    severity 'query', the Q1 file, sheet, cell and value; the exit code stays 0."""
    folder, paths, count, catalogue_csv = collected
    store = tmp_path / "s.sqlite"
    code, out, _ = _run(capsys, "collect", paths[Q4], paths[Q1], "--store", store, "--quiet",
                        "--report", tmp_path / "report", "--catalogue", catalogue_csv)
    assert code == 0
    assert "data-quality queries: 1 open on 1 return (moved 1)" in out
    assert f"  E1 {Q1}: 1 open" in out
    with (tmp_path / "report.csv").open(encoding="utf-8") as handle:
        [row] = [r for r in csv.DictReader(handle) if r["severity"] == "query"]
    cell = Store(store).cells(period=Q1).set_index(["indicator_id", "field"]).loc[(count.id, "value")]
    assert (row["code"], row["file"], row["sheet"], row["cell"], row["indicator_id"]) == (
        "moved", str(paths[Q1]), cell.sheet, cell.cell, count.id)
    assert row["raw"] == cell.raw and row["message"].startswith("query 1: ")


def test_store_queries_lists_and_confirm_answers(collected, capsys, tmp_path):
    """store queries shows id, status, return, version, check, cell and message; confirm needs
    a comment and records who; the confirmed query then shows its answer; a blank comment is an
    error naming the query."""
    folder, paths, count, catalogue_csv = collected
    store = tmp_path / "s.sqlite"
    _run(capsys, "collect", paths[Q4], paths[Q1], "--store", store, "--quiet", "--report",
         tmp_path / "report", "--catalogue", catalogue_csv)
    code, out, _ = _run(capsys, "store", "queries", "--store", store, "--status", "open")
    assert code == 0 and out.startswith(f"#1 open E1 {Q1} v1 moved ")
    assert count.id in out and f"open: E1 {Q1}: 1" in out
    code, _, err = _run(capsys, "store", "confirm", "1", "--comment", "  ", "--store", store)
    assert code == 2 and "query 1: a comment is required" in err
    code, out, _ = _run(capsys, "store", "confirm", "1", "--comment", "a new team from April",
                        "--by", "ann", "--store", store)
    assert code == 0 and "confirmed by ann: a new team from April" in out
    code, out, _ = _run(capsys, "store", "queries", "--store", store, "--status", "confirmed")
    assert "confirmed by ann at " in out and out.rstrip().endswith(": a new team from April")
    code, out, _ = _run(capsys, "store", "queries", "--store", store, "--status", "open")
    assert out.strip() == "no queries"
    code, out, _ = _run(capsys, "store", "check", "--store", store, "--catalogue", catalogue_csv)
    assert code == 0 and out.strip() == "data-quality queries: none open"
    code, _, err = _run(capsys, "store", "queries", "--store", tmp_path / "none.sqlite")
    assert code == 2 and "no store at" in err
    code, out, _ = _run(capsys, "store", "queries", "--store", store, "--authority", "e1",
                        "--period", "2024/25 Q1")  # any case, another spelling
    assert out.startswith(f"#1 confirmed E1 {Q1} v1 moved ")
