"""No quiet wrong answers in a finished workbook (issue 10, section 3).

A fraction for a percentage, a tolerance written as a fraction, or no target column stops the
build with file, line and column; `--allow-problems` builds with each problem flagged, in words,
on the measure's row and on the Notes sheet. Lookups (polarity synonyms, authorities by code or
name, themes and ids) find what an officer means or suggest it.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from cli_run import run_cli
from collect_strategies import AUTHORITIES, PERIOD, make_template, small_catalogue

from generator.collection.collect import collect
from generator.collection.store import Store
from generator.collection.templates import fill_template
from generator.workbooks.data_store import load_store_data
from scorecard.errors import ScorecardError

pytestmark = pytest.mark.filterwarnings("ignore:Sparkline Group extension:UserWarning")

HEADER = "indicator_id,period,actual,target,name,theme,polarity,unit,tolerance_type,tolerance"
GOOD = "X2,{period},40,50,Other thing,T,Smaller is Better,count,,"


def _data(tmp_path: Path, *lines: str, header: str = HEADER) -> Path:
    path = tmp_path / "data.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def _build(capsys, tmp_path, data, *extra, period="2023-24 Q4"):
    return run_cli(capsys, "build", "--data", data, "--authority", "A", "--period", period,
                "--out", tmp_path / "out.xlsx", *extra)


def _texts(path: Path, sheet: str | None = None) -> list[str]:
    book = openpyxl.load_workbook(path)
    sheets = [book[sheet]] if sheet else book.worksheets
    return [c for ws in sheets for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]


def test_a_fraction_against_a_percentage_target_stops_the_build(tmp_path, capsys):
    """0.876 against a target of 85 (a percentage measure) is not built as RED and published as
    '0.9%': the build stops, naming file, line and column, and saying how to go on."""
    data = _data(tmp_path, "X1,2023-24 Q4,0.876,85,Thing,T,Bigger is Better,percentage,,",
                 GOOD.format(period="2023-24 Q4"))
    code, out, err = _build(capsys, tmp_path, data)
    assert code == 2
    assert f"{data}, line 2, column actual: 0.876 for percentage measure X1 looks like a fraction" in err
    assert "--allow-problems" in err
    assert not (tmp_path / "out.xlsx").exists()


def test_one_quarter_pasted_as_fractions_stops_the_build(tmp_path, capsys):
    """A series 20.2, 21.4, then 0.2 (one quarter pasted as fractions) would show 'Improving' for a
    Smaller is Better measure: the build stops at the pasted quarter."""
    rows = [f"X1,2023-24 Q{q},{v},19,Thing,T,Smaller is Better,percentage,," for q, v in
            ((2, 20.2), (3, 21.4), (4, 0.2))]
    code, out, err = _build(capsys, tmp_path, _data(tmp_path, *rows))
    assert code == 2 and "line 4, column actual: 0.2 for percentage measure X1 looks like a fraction" in err


def test_allowed_problems_are_flagged_on_the_row_and_the_notes_sheet(tmp_path, capsys):
    """With --allow-problems the workbook is built, the problem in words on the measure's row (the
    commentary) and on the Notes sheet, live and published; the terminal lists it too."""
    data = _data(tmp_path, "X1,2023-24 Q4,0.876,85,Thing,T,Bigger is Better,percentage,,",
                 GOOD.format(period="2023-24 Q4"))
    for extra in ((), ("--publish",)):
        code, out, err = _build(capsys, tmp_path, data, "--allow-problems", *extra)
        assert code == 0, err
        assert "problem (flagged in the workbook): " in err and "looks like a fraction" in err
        book = openpyxl.load_workbook(tmp_path / "out.xlsx")
        theme = [row for row in book["T"].iter_rows(values_only=True) if "X1" in row]
        assert len(theme) == 1 and any(isinstance(c, str) and c.startswith("DATA PROBLEM: 0.876") for c in theme[0])
        other = [row for row in book["T"].iter_rows(values_only=True) if "X2" in row][0]
        assert not any(isinstance(c, str) and "DATA PROBLEM" in c for c in other)
        notes = " ".join(_texts(tmp_path / "out.xlsx", "Notes"))
        assert "0.876 for percentage measure X1 looks like a fraction" in notes
        assert str(tmp_path) not in notes  # the file's name, not a path on this machine


def test_a_percent_sign_says_a_small_percentage_is_meant(tmp_path, capsys):
    """'0.4%' is a small percentage written as one: not a problem."""
    data = _data(tmp_path, "X1,2023-24 Q4,0.4%,0.5,Thing,T,Smaller is Better,percentage,,")
    code, out, err = _build(capsys, tmp_path, data)
    assert code == 2 and "column target: 0.5 for percentage measure" in err  # the bare 0.5 is
    data = _data(tmp_path, "X1,2023-24 Q4,0.4%,0.5%,Thing,T,Smaller is Better,percentage,,")
    code, out, err = _build(capsys, tmp_path, data)
    assert code == 0, err


def test_a_tolerance_that_looks_like_a_fraction_stops_the_build(tmp_path, capsys):
    """tolerance 0.05 (relative) would be taken as 0.05% of target: the build stops naming the
    column; '5' or '0.05%' are what was meant and build."""
    line = "X1,2023-24 Q4,80,85,Thing,T,Bigger is Better,count,relative,{tolerance}"
    code, out, err = _build(capsys, tmp_path, _data(tmp_path, line.format(tolerance="0.05")))
    assert code == 2 and "line 2, column tolerance: relative tolerance 0.05 for X1 looks like a fraction" in err
    for tolerance in ("5", "0.05%"):
        code, out, err = _build(capsys, tmp_path, _data(tmp_path, line.format(tolerance=tolerance)))
        assert code == 0, err


def test_no_target_column_stops_the_build_and_allowed_flags_every_judged_measure(tmp_path, capsys):
    """With no target column every measure would be NO STATUS without a word: the build stops;
    allowed through, each judged measure is flagged (a context measure needs no target)."""
    header = "indicator_id,period,actual,name,theme,polarity,unit"
    data = _data(tmp_path, "X1,2023-24 Q4,80,Thing,T,Bigger is Better,count",
                 "X3,2023-24 Q4,7,Context,T,No polarity,count", header=header)
    code, out, err = _build(capsys, tmp_path, data)
    assert code == 2 and "no 'target' column" in err and "X1" in err and "X3" not in err
    code, out, err = _build(capsys, tmp_path, data, "--allow-problems")
    assert code == 0, err
    assert "1 data problem flagged" in out


def test_build_ends_with_the_status_counts(tmp_path, capsys):
    """`build` ends by printing how many measures are GREEN, AMBER, RED and NO STATUS."""
    sample = Path(__file__).resolve().parents[1] / "examples" / "sample_scorecard_data.csv"
    code, out, err = run_cli(capsys, "build", "--data", sample, "--authority", "Northshire", "--period",
                          "2023/24 Q4", "--out", tmp_path / "n.xlsx")
    assert code == 0, err
    last = out.strip().splitlines()[-1]
    assert last.startswith("statuses for 2023-24 Q4: ") and "GREEN" in last and "NO STATUS" in last
    counts = [int(part.split()[0]) for part in last.split(": ", 1)[1].split(" (")[0].split(", ")]
    assert sum(counts) == 12


def test_store_problems_name_the_returns_file_sheet_and_cell(tmp_path):
    """A fraction collected for a percentage is named by the return's file, sheet and cell when a
    scorecard is built from the store, never as 'data frame, row N'."""
    catalogue = small_catalogue()
    percentage = next(i for i in catalogue if i.unit == "percentage")
    template = make_template(tmp_path, catalogue)
    filled = fill_template(template, tmp_path / "filled.xlsx", {percentage.id: {"value": 0.876, "target": 85}})
    with Store(tmp_path / "s.sqlite") as store:
        collect([filled], store, catalogue)
        with pytest.raises(ScorecardError) as caught:
            load_store_data(store, AUTHORITIES[0].code, PERIOD, catalogue)
    message = str(caught.value)
    assert re.search(r"filled\.xlsx, sheet '[^']+', cell [A-Z]+\d+: 0\.876 for percentage measure", message)
    assert "data frame" not in message and "row " not in message.split("looks like")[0]


def test_catalogue_without_a_polarity_column_is_a_problem(tmp_path, capsys):
    """A catalogue with no polarity column does not validate as 'no problems' (every indicator
    would silently have No polarity)."""
    path = tmp_path / "mine.csv"
    path.write_text("id,name,short_name,theme,unit\nmy-measure,My measure,Mine,T,count\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "catalogue", "validate", path)
    assert code == 1
    assert "'polarity'" in out and "column is missing" in out and "no problems" not in out


def test_store_comparators_refuse_unknown_ids_and_do_not_load_missing_values(tmp_path, capsys):
    """`cpp-rat` is not loaded (suggesting cpp-rate), and nothing is loaded from that file; 'n/a'
    is reported as a missing value, not loaded as one."""
    store = tmp_path / "s.sqlite"
    Store(store).close()
    bad = tmp_path / "bad.csv"
    bad.write_text("period,indicator_id,area,value\n2024-25 Q1,cpp-rate,England,40\n"
                   "2024-25 Q1,cpp-rat,England,41\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "store", "comparators", bad, "--store", store)
    assert code == 2 and "bad.csv, line 3, column indicator_id: 'cpp-rat'" in err and "cpp-rate" in err
    with Store(store) as opened:
        assert opened.comparators().empty
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("period,indicator_id,area,value\n2024-25 Q1,cpp-rate,England,40\n"
                     "2024-25 Q1,cpp-rate,SE,n/a\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "store", "comparators", mixed, "--store", store)
    assert code == 0 and "loaded 1 value" in out and "line 3" in out and "n/a" in out
    with Store(store) as opened:
        assert list(opened.comparators()["area"]) == ["England"]


def test_polarity_synonyms_in_two_rows_are_one_polarity(tmp_path, capsys):
    """'higher is better' in one row and 'Bigger is Better' in the next are the same polarity."""
    data = _data(tmp_path, "X1,2023-24 Q3,80,85,Thing,T,higher is better,count,,",
                 "X1,2023-24 Q4,86,85,Thing,T,Bigger is Better,count,,")
    code, out, err = _build(capsys, tmp_path, data)
    assert code == 0, err
    data = _data(tmp_path, "X1,2023-24 Q3,80,85,Thing,T,higher is better,count,,",
                 "X1,2023-24 Q4,86,85,Thing,T,Smaller is Better,count,,")
    code, out, err = _build(capsys, tmp_path, data)
    assert code == 2 and "line 3, column polarity" in err and "differs" in err


@pytest.fixture
def region(tmp_path):
    """A store with the authorities listed (E1 Alpha, E2 Beta ...) and returns from E1 and E2."""
    catalogue = small_catalogue()
    count = next(i for i in catalogue if i.unit == "count")
    template_folder = tmp_path / "templates"
    template_folder.mkdir()
    store = tmp_path / "region.sqlite"
    with Store(store) as opened:
        opened.add_authorities(AUTHORITIES)
        files = []
        for authority, value in zip(AUTHORITIES[:2], (10, 12), strict=False):
            template = make_template(template_folder, catalogue, authority)
            files.append(fill_template(template, tmp_path / f"{authority.code}.xlsx", {count.id: {"value": value}}))
        collect(files, opened, catalogue)
    return store


def test_authorities_by_code_or_name_in_every_command(region, tmp_path, capsys):
    """benchmark --highlight, build --store and store history/changes take a code or a name in any
    case; a near miss is answered with a suggestion."""
    store = region
    name = AUTHORITIES[0].name
    code, out, err = run_cli(capsys, "benchmark", "--period", PERIOD, "--store", store,
                          "--highlight", name.upper(), "--out", tmp_path / "b.xlsx")
    assert code == 0, err
    code, out, err = run_cli(capsys, "build", "--store", store, "--authority", name.lower(), "--period", PERIOD,
                          "--out", tmp_path / "s.xlsx")
    assert code == 0, err
    code, out, err = run_cli(capsys, "store", "history", "--authority", name, "--store", store)
    assert code == 0 and AUTHORITIES[0].code in out and AUTHORITIES[1].code not in out
    code, out, err = run_cli(capsys, "store", "changes", name, PERIOD, "--store", store)
    assert code == 0, err
    code, out, err = run_cli(capsys, "benchmark", "--period", PERIOD, "--store", store,
                          "--highlight", name[:-1] + "x", "--out", tmp_path / "c.xlsx")
    assert code == 2 and "did you mean" in err and name in err


def test_catalogue_show_and_theme_suggest_and_take_a_prefix(capsys):
    """`catalogue show` suggests near ids; --theme takes a case-insensitive prefix and suggests
    the nearest theme for a typo (as template does)."""
    code, out, err = run_cli(capsys, "catalogue", "show", "re-referals-12m-pct")
    assert code == 2 and "did you mean" in err and "re-referrals-12m-pct" in err
    code, out, err = run_cli(capsys, "catalogue", "list", "--theme", "looked")
    assert code == 0 and "# Looked after children" in out
    code, out, err = run_cli(capsys, "catalogue", "list", "--theme", "Referals and assessment")
    assert code == 2 and "did you mean 'Referrals and assessment'" in err
    code, out, err = run_cli(capsys, "template", "--authority", "E1", "--period", "2024-25 Q1", "--theme",
                          "LOOKED AFTER", "--out", "/nonexistent/never-written")
    assert "unknown theme" not in err
