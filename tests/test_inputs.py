"""The tables officers really have: CSV from Windows Excel (cp1252), UTF-8 with or without a BOM,
and .xlsx sheets laid out like the CSV, read the same way by every loader (generator.inputs)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from cli_run import run_cli

from generator.inputs import InputNote, read_table
from scorecard.errors import ScorecardError

pytestmark = pytest.mark.filterwarnings("ignore:Sparkline Group extension:UserWarning")

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SAMPLE = EXAMPLES / "sample_scorecard_data.csv"
RISKS = EXAMPLES / "sample_risks.csv"


def _as_cp1252(source: Path, target: Path, extra: str = "") -> Path:
    text = source.read_text(encoding="utf-8") + extra
    target.write_bytes(text.replace("\n", "\r\n").encode("cp1252"))
    return target


def _as_xlsx(source: Path, target: Path, percent_column: str | None = None) -> Path:
    """The CSV as an Excel sheet: numbers as numbers, text as text cells (as an officer's sheet)."""
    import csv

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    with source.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row, start=1):
            value: object = text
            try:  # numbers as Excel holds them; ids such as '000' stay text, as a text cell
                value = float(text) if text and r > 1 and not (text[0] == "0" and len(text) > 1
                                                               and "." not in text) else text
            except ValueError:
                pass
            cell = sheet.cell(r, c, value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # typed text, not a formula
            if percent_column and rows[0][c - 1] == percent_column and r > 1 and isinstance(value, float):
                cell.value = value / 100
                cell.number_format = "0.0%"
    book.save(target)
    return target


def test_windows_excel_csv_with_pound_sign_is_read_and_the_encoding_named(tmp_path, capsys):
    """A cp1252 CSV with '£' in the commentary builds, keeps the '£', and a note says cp1252 was assumed."""
    data = _as_cp1252(SAMPLE, tmp_path / "data.csv",
                      "Northshire,NS-X1,2023/24 Q4,5,,,,Spend £1.2m over budget,Spend,Finance,,count,0,"
                      "No polarity,,,\n")
    code, out, err = run_cli(capsys, "build", "--data", data, "--authority", "Northshire",
                          "--period", "2023-24 Q4", "--out", tmp_path / "n.xlsx")
    assert code == 0, err
    assert "data.csv" in err and "Windows-1252" in err
    book = openpyxl.load_workbook(tmp_path / "n.xlsx")
    texts = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
             if isinstance(c, str)]
    assert any("Spend £1.2m over budget" in t for t in texts)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_with_or_without_bom_reads_silently(tmp_path, encoding):
    """UTF-8, with or without a byte-order mark, is read as it is, with no note."""
    path = tmp_path / "t.csv"
    path.write_bytes("code,name\nE1,Fenwick £\n".encode(encoding))
    table = read_table(path, "authorities")
    assert table.header == ["code", "name"]
    assert table.rows == [["E1", "Fenwick £"]]
    assert table.notes == []


def test_cp1252_says_which_encoding_was_assumed(tmp_path):
    """Bytes that are not UTF-8 but are Windows-1252 are read as that, with a note naming the file."""
    path = tmp_path / "t.csv"
    path.write_bytes("code,name\nE1,Fenwick £ – ok\n".encode("cp1252"))
    with pytest.warns(InputNote, match="Windows-1252"):
        table = read_table(path, "authorities")
    assert table.rows == [["E1", "Fenwick £ – ok"]]
    assert len(table.notes) == 1 and "t.csv" in table.notes[0] and "Windows-1252" in table.notes[0]


def test_unreadable_encoding_is_a_clear_error(tmp_path):
    """Bytes that are neither UTF-8 nor Windows-1252 are refused, naming the file and what was tried."""
    path = tmp_path / "t.csv"
    path.write_bytes(b"code,name\nE1,\x81\x8d\n")
    with pytest.raises(ScorecardError, match=r"t.csv.*UTF-8.*Windows-1252"):
        read_table(path, "authorities")


def test_rows_say_file_and_line(tmp_path):
    """Each row knows where it came from: the CSV line (a quoted newline counts as in the file)."""
    path = tmp_path / "t.csv"
    path.write_text('code,name\nE1,"two\nlines"\nE2,x\n', encoding="utf-8")
    table = read_table(path, "authorities")
    assert table.where(0) == f"{path}, line 2"
    assert table.where(1, "name") == f"{path}, line 4, column name"


def test_xlsx_data_and_risks_build_like_the_csv(tmp_path, capsys):
    """The sample data and risk register saved as .xlsx build the same workbook figures as the CSVs."""
    data = _as_xlsx(SAMPLE, tmp_path / "data.xlsx", percent_column=None)
    risks = _as_xlsx(RISKS, tmp_path / "risks.xlsx")
    code, out, err = run_cli(capsys, "build", "--data", data, "--risks", risks, "--authority", "Northshire",
                          "--period", "2023-24 Q4", "--out", tmp_path / "x.xlsx", "--publish")
    assert code == 0, err
    code, out_csv, err = run_cli(capsys, "build", "--data", SAMPLE, "--risks", RISKS, "--authority",
                              "Northshire", "--period", "2023-24 Q4", "--out", tmp_path / "c.xlsx", "--publish")
    assert code == 0, err

    def values(path):
        book = openpyxl.load_workbook(path)
        return {ws.title: [row for row in ws.iter_rows(values_only=True)]
                for ws in book.worksheets if ws.title not in ("Cover", "Notes")}

    assert values(tmp_path / "x.xlsx") == values(tmp_path / "c.xlsx")


def test_xlsx_percentage_cells_are_read_as_shown(tmp_path):
    """A cell formatted as a percentage (0.876 shown as 87.6%) is read as '87.6%', as the officer saw it."""
    data = _as_xlsx(SAMPLE, tmp_path / "data.xlsx", percent_column="actual")
    table = read_table(data, "data")
    actual = table.header.index("actual")
    assert table.rows[0][actual] == "78%" or table.rows[0][actual] == "78.0%"
    assert table.where(0, "actual") == f"{data}, sheet 'Data', row 2, column actual"


def test_xlsx_authorities_and_comparators_and_catalogue(tmp_path, capsys):
    """--authorities, comparators and --catalogue accept an .xlsx laid out like the CSV."""
    from generator.collection.store import load_authorities
    from scorecard.catalogue import builtin_catalogue_path

    csv = tmp_path / "authorities.csv"
    csv.write_text("code,name,region,neighbours\nE1,Alpha,SE,E2;E3\nE2,Beta,SE,E1\n", encoding="utf-8")
    authorities = load_authorities(_as_xlsx(csv, tmp_path / "authorities.xlsx"))
    assert [(a.code, a.name, a.neighbours) for a in authorities] == [("E1", "Alpha", ("E2", "E3")),
                                                                   ("E2", "Beta", ("E1",))]
    small = tmp_path / "catalogue.csv"
    lines = builtin_catalogue_path().read_text(encoding="utf-8").splitlines()[:4]
    small.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copy(small, tmp_path / "c2.csv")
    book = tmp_path / "catalogue.xlsx"
    _as_xlsx(small, book)
    code, out, err = run_cli(capsys, "catalogue", "--catalogue", book, "list")
    assert code == 0, err
    assert "3 of 3 indicators" in err


def test_xlsx_formula_with_no_saved_value_is_an_error_not_a_blank(tmp_path):
    """A formula cell that was never calculated (a file written by a program, not saved by Excel) is
    named, cell and all, rather than read as a blank."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["code", "name"])
    sheet.append(["E1", "=UPPER(\"alpha\")"])
    path = tmp_path / "authorities.xlsx"
    book.save(path)
    with pytest.raises(ScorecardError, match=r"authorities.xlsx, sheet 'Sheet', cell B2: a formula"):
        read_table(path, "authorities")
