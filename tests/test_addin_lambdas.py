"""The no-install route: LAMBDA named formulas written into a workbook by `scorecard addin lambdas`."""

from __future__ import annotations

import re
import zipfile

import openpyxl
import xlsxwriter

from addin.lambdas import LAMBDAS, write_lambdas
from generator.cli import main


def defined_names(path) -> dict[str, str]:
    xml = zipfile.ZipFile(path).read("xl/workbook.xml").decode("utf-8")
    return {name: body.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
            for name, body in re.findall(r'<definedName name="([^"]+)"[^>]*>([^<]*)</definedName>', xml)}


def test_command_writes_every_lambda_into_a_new_workbook(tmp_path):
    """A new workbook gets one defined name per rule, each `_xlfn.LAMBDA(_xlpm.p, ..., body)` with every
    parameter prefixed `_xlpm.` inside the body and no bare parameter left, plus a sheet listing them."""
    path = tmp_path / "new.xlsx"
    assert main(["addin", "lambdas", "--out", str(path)]) == 0
    names = defined_names(path)
    assert sorted(names) == sorted(item.name for item in LAMBDAS)
    for item in LAMBDAS:
        body = names[item.name]
        params = ",".join(f"_xlpm.{p}" for p in item.params)
        assert body.startswith(f"_xlfn.LAMBDA({params},"), item.name
        inner = body[len(f"_xlfn.LAMBDA({params},"):]
        for param in item.params:
            bare = re.findall(rf'(?<![\w.]){param}(?!\w)', re.sub(r'"[^"]*"', '""', inner))
            assert not bare, f"{item.name}: bare parameter {param}"
        assert body.count("(") == body.count(")")
        assert len(body) < 8192  # Excel's limit on a formula's length
    sheet = openpyxl.load_workbook(path)["Scorecard functions"]
    assert sheet["A2"].value == "RAG(actual, target, polarity, tolerance, tolerance_type)"


def test_existing_workbook_keeps_its_content_and_names(tmp_path):
    """Into an existing workbook: its sheets, values and other names stay; a second run replaces, not duplicates."""
    path = tmp_path / "existing.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Data")
    sheet.write("A1", 42)
    book.define_name("Target", "=Data!$A$1")
    book.close()
    assert write_lambdas(path, ["rag", "RISK_SCORE"]) == ["RAG", "RISK_SCORE"]
    write_lambdas(path, ["rag"])
    names = defined_names(path)
    assert sorted(names) == ["RAG", "RISK_SCORE", "Target"]
    assert openpyxl.load_workbook(path)["Data"]["A1"].value == 42


def test_bad_requests_are_refused(tmp_path):
    """An unknown name or a file that is not a workbook gives a one-line error (exit 2), not a traceback."""
    assert main(["addin", "lambdas", "--out", str(tmp_path / "x.xlsx"), "--names", "NOPE"]) == 2
    (tmp_path / "notes.xlsx").write_text("not a workbook")
    assert main(["addin", "lambdas", "--out", str(tmp_path / "notes.xlsx")]) == 2
    assert main(["addin", "lambdas", "--out", str(tmp_path / "x.csv")]) == 2
