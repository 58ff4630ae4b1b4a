"""One period model through every command and the store: any spelling of a period finds it.

The README makes templates with `--period "2024/25 Q1"` and docs/collection.md collects with
`--period "2024-25 Q1"`; these tests follow both, as an officer would, and then look the period up
under other spellings in every command that takes one.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl
import pytest
from cli_run import run_cli

from generator.collection import layout as L
from generator.collection.store import Store
from generator.collection.templates import fill_template, template_filename
from generator.workbooks import data_csv
from generator.workbooks.data_csv import load_scorecard_data
from scorecard.errors import ScorecardError
from scorecard.periods import file_label

INDICATOR = "re-referrals-12m-rate"
OTHER = "eyfs-gld-pct"


def _readme_returns(tmp_path, capsys):
    """The README's template command, then two filled returns (Northshire, Southshire)."""
    returns = tmp_path / "returns"
    code, out, err = run_cli(capsys, "template", "--dataset", "performance-dataset", "--period", "2024/25 Q1",
                          "--authority", "Northshire", "--authority", "Southshire", "--out", returns)
    assert code == 0, err
    filled = []
    for number, path in enumerate(sorted(returns.glob("*.xlsx"))):
        target = tmp_path / "filled" / path.name
        target.parent.mkdir(exist_ok=True)
        fill_template(path, target, {INDICATOR: {"value": 20.5 + number, "target": 22},
                                     OTHER: {"value": 70.0 + number}})
        filled.append(target)
    return filled


def test_readme_then_collection_docs_sequence_finds_the_period_under_any_spelling(tmp_path, capsys):
    """README template (2024/25 Q1) + docs/collection.md collect (2024-25 Q1): nothing quarantined,
    and store history/changes, benchmark and build find the period however it is written."""
    filled = _readme_returns(tmp_path, capsys)
    authorities = tmp_path / "authorities.csv"
    authorities.write_text("code,name,region,neighbours\nNorthshire,Northshire,SE,Southshire\n"
                           "Southshire,Southshire,SE,Northshire\n", encoding="utf-8")
    store = tmp_path / "region.sqlite"
    code, out, err = run_cli(capsys, "collect", *filled, "--store", store, "--period", "2024-25 Q1",
                          "--authorities", authorities, "--report", tmp_path / "problems", "--quiet")
    assert "quarantined" not in out, out
    assert "2 stored" in out
    with Store(store) as opened:
        table = opened.submissions()
        assert set(table["period"]) == {"2024-25 Q1"}  # the canonical label is stored
        assert set(table["quarantine"]) == {""}
    for spelling in ("2024/25 Q1", "Q1 2024-25", "2024-25 Q1"):
        code, out, err = run_cli(capsys, "store", "history", "--period", spelling, "--store", store)
        assert code == 0 and "Northshire" in out and "Southshire" in out, (spelling, out, err)
        code, out, err = run_cli(capsys, "store", "changes", "Northshire", spelling, "--store", store)
        assert code == 0 and "no changes" in out, (spelling, out, err)
    code, out, err = run_cli(capsys, "benchmark", "--period", "2024/25 Q1", "--store", store,
                          "--highlight", "Northshire", "--out", tmp_path / "bench.xlsx")
    assert code == 0, err
    code, out, err = run_cli(capsys, "build", "--store", store, "--authority", "Northshire",
                          "--period", "Q1 2024/25", "--out", tmp_path / "n.xlsx")
    assert code == 0, err
    assert "2024-25 Q1" in out or "2024-25 Q1" in err or (tmp_path / "n.xlsx").exists()


@pytest.mark.parametrize("label", ["banana", "Q5 2024", "2024-24"])
def test_template_refuses_a_label_that_is_not_a_period(tmp_path, capsys, label):
    """`template --period banana` (or Q5 2024) is refused with the core's message, writing nothing."""
    code, out, err = run_cli(capsys, "template", "--authority", "E1", "--period", label,
                          "--indicators", INDICATOR, "--out", tmp_path / "t")
    assert code == 2
    assert err.startswith("scorecard: error:") and repr(label) in err and "accepted:" in err
    assert not list((tmp_path).glob("t/*.xlsx"))


def test_template_cover_and_metadata_hold_the_canonical_label(tmp_path, capsys):
    """A template made for 'Q1 2024/25' says '2024-25 Q1' on its cover, in its metadata and its name."""
    code, out, err = run_cli(capsys, "template", "--authority", "E1", "--period", "Q1 2024/25",
                          "--indicators", INDICATOR, "--out", tmp_path)
    assert code == 0, err
    [path] = list(tmp_path.glob("*.xlsx"))
    assert path.name == "return_E1_2024-25_Q1.xlsx"
    book = openpyxl.load_workbook(path)
    cover = book[L.COVER_SHEET]
    assert cover.cell(L.COVER_PERIOD[0] + 1, L.COVER_PERIOD[1] + 1).value == "2024-25 Q1"
    meta = {row[0]: row[1] for row in book[L.META_SHEET].iter_rows(values_only=True) if row and row[0]}
    assert meta["period"] == "2024-25 Q1"


def test_one_function_makes_file_names_from_periods():
    """Benchmark, template and scorecard file names all spell a period as file_label does."""
    from generator.collection.store import Authority

    assert file_label("2024/25 Q1") == file_label("2024-25 Q1") == "2024-25_Q1"
    assert file_label("AY 2023/24") == "AY_2023-24"
    assert file_label("2018 (Rev)") == "2018_Rev"
    assert template_filename(Authority("E1"), "Q1 2024/25") == "return_E1_2024-25_Q1.xlsx"


def test_benchmark_default_file_name_uses_the_canonical_label(tmp_path, capsys, monkeypatch):
    """`benchmark --period "2024/25 Q1"` with no --out writes benchmark_2024-25_Q1.xlsx."""
    filled = _readme_returns(tmp_path, capsys)
    store = tmp_path / "s.sqlite"
    run_cli(capsys, "collect", *filled, "--store", store, "--report", tmp_path / "r", "--quiet")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsys, "benchmark", "--period", "2024/25 Q1", "--store", store)
    assert code == 0, err
    assert (tmp_path / "benchmark_2024-25_Q1.xlsx").exists()


def test_store_opened_with_old_spellings_is_normalised_and_versions_kept_apart(tmp_path, capsys):
    """A store written before canonical labels (one return under '2024/25 Q1', a resubmission under
    '2024-25 Q1') is normalised when opened: one period, versions 1 and 2, the later current."""
    filled = _readme_returns(tmp_path, capsys)
    store = tmp_path / "old.sqlite"
    run_cli(capsys, "collect", filled[0], "--store", store, "--report", tmp_path / "r", "--quiet")
    second = tmp_path / "again.xlsx"
    fill_template(filled[0], second, {INDICATOR: {"value": 30.0}})
    run_cli(capsys, "collect", second, "--store", store, "--report", tmp_path / "r", "--quiet")
    with sqlite3.connect(store) as db:  # as an older Scorecard left it: two spellings, two version 1s
        db.execute("UPDATE submissions SET period='2024/25 Q1', version=1 WHERE version=1")
        db.execute("UPDATE submissions SET period='Q1 2024-25', version=1 WHERE version=2")
        db.execute("UPDATE cells SET period=(SELECT period FROM submissions s WHERE s.id=submission_id)")
        db.execute("UPDATE comparators SET period='2024/25 Q1'")
        db.execute("DELETE FROM store_info")
    with Store(store) as opened:
        table = opened.submissions().sort_values("id")
        assert list(table["period"]) == ["2024-25 Q1", "2024-25 Q1"]
        assert list(table["version"]) == [1, 2]
        assert set(opened.cells()["period"]) == {"2024-25 Q1"}
        assert opened.latest("Northshire", "2024/25 Q1")["version"] == 2
    code, out, err = run_cli(capsys, "store", "changes", "Northshire", "2024/25 Q1", "--store", store)
    assert code == 0 and INDICATOR in out and "30" in out, (out, err)


def test_comparators_loaded_under_one_spelling_are_found_under_another(tmp_path, capsys):
    """England values loaded for '2024/25 Q1' appear in the benchmark for '2024-25 Q1'."""
    filled = _readme_returns(tmp_path, capsys)
    store = tmp_path / "s.sqlite"
    run_cli(capsys, "collect", *filled, "--store", store, "--report", tmp_path / "r", "--quiet")
    comparators = tmp_path / "comparators.csv"
    comparators.write_text(f"period,indicator_id,area,value\n2024/25 Q1,{INDICATOR},England,22.4\n",
                           encoding="utf-8")
    code, out, err = run_cli(capsys, "store", "comparators", comparators, "--store", store)
    assert code == 0, err
    with Store(store) as opened:
        assert list(opened.comparators("Q1 2024/25")["value"]) == [22.4]
        table = opened.benchmark("2024-25 Q1", __import__("scorecard.catalogue").catalogue.load_catalogue())
        assert set(table.loc[table["indicator_id"] == INDICATOR, "england_value"]) == {22.4}


def _data(tmp_path, rows: str, header="indicator_id,period,actual,target,name,theme,polarity,unit") -> Path:
    path = tmp_path / "data.csv"
    path.write_text(header + "\n" + rows, encoding="utf-8")
    return path


def test_scorecard_data_periods_are_read_by_the_core(tmp_path):
    """Data periods in several spellings are one model: ordered by date, labelled canonically, and
    --period in any spelling finds the report period."""
    rows = ("X1,Q3 2023/24,5,5,Thing,T,Bigger is Better,count\n"
            "X1,2023/24 Q4,6,5,Thing,T,Bigger is Better,count\n"
            "X1,2023-24 Q2,4,5,Thing,T,Bigger is Better,count\n")
    data = load_scorecard_data(_data(tmp_path, rows), "A", "Q4 2023-24")
    assert data.periods == ["2023-24 Q2", "2023-24 Q3", "2023-24 Q4"]
    assert data.period == "2023-24 Q4"
    assert data.measures[0].value("2023-24 Q4") == 6.0
    assert not hasattr(data_csv, "period_sort_key")  # one source: scorecard.periods


def test_one_period_twice_in_two_spellings_is_a_duplicate(tmp_path):
    """'2023/24 Q4' and 'Q4 2023-24' for one indicator are the same period: named as a duplicate."""
    rows = ("X1,2023/24 Q4,6,5,Thing,T,Bigger is Better,count\n"
            "X1,Q4 2023-24,7,5,Thing,T,Bigger is Better,count\n")
    with pytest.raises(ScorecardError, match=r"data.csv, line 3.*2023-24 Q4.*twice"):
        load_scorecard_data(_data(tmp_path, rows), "A", "2023-24 Q4")


def test_an_unreadable_period_in_data_names_file_line_and_column(tmp_path):
    """A data row whose period is not a period stops the load, naming file, line, column and label."""
    rows = ("X1,2023/24 Q4,6,5,Thing,T,Bigger is Better,count\n"
            "X1,Spring,7,5,Thing,T,Bigger is Better,count\n")
    with pytest.raises(ScorecardError, match=r"data.csv, line 3, column period: period 'Spring' not understood"):
        load_scorecard_data(_data(tmp_path, rows), "A", "2023-24 Q4")


def test_build_period_in_another_spelling_from_csv(tmp_path, capsys):
    """`build --data` with the sample (2023/24 Q4) finds --period "Q4 2023-24"."""
    sample = Path(__file__).resolve().parents[1] / "examples" / "sample_scorecard_data.csv"
    code, out, err = run_cli(capsys, "build", "--data", sample, "--authority", "Northshire",
                          "--period", "Q4 2023-24", "--out", tmp_path / "n.xlsx")
    assert code == 0, err


def test_two_returns_for_one_period_in_two_spellings_are_one_period_in_a_collection(tmp_path, capsys):
    """A return from an older template labelled '2024/25 Q1' and one from a new '2024-25 Q1'
    template, for one authority in one collection, are two returns for one period (a duplicate
    to settle), not two periods."""
    filled = _readme_returns(tmp_path, capsys)[0]
    old = tmp_path / "old_spelling.xlsx"
    book = openpyxl.load_workbook(filled)
    meta = book[L.META_SHEET]
    for row in meta.iter_rows():
        if row[0].value == "period":
            row[1].value = "2024/25 Q1"
    book[L.COVER_SHEET].cell(L.COVER_PERIOD[0] + 1, L.COVER_PERIOD[1] + 1).value = "2024/25 Q1"
    book.save(old)
    store = tmp_path / "s.sqlite"
    run_cli(capsys, "collect", filled, old, "--store", store, "--report", tmp_path / "r", "--quiet")
    with Store(store) as opened:
        table = opened.submissions()
        assert set(table["period"]) == {"2024-25 Q1"}
        assert list(table["version"]) == [1, 2]
        assert (table["quarantine"] != "").sum() >= 1  # the duplicate is settled, not both current
        assert "duplicate_return" in set(opened.problems()["code"])
