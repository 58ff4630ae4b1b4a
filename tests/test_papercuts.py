"""Papercuts an officer meets in the first week: file names, plurals, .xls names, docs paths,
password-protected returns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_run import run_cli

from generator.collection.guard import Refused, guard_file

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
SAMPLE = ROOT / "examples" / "sample_scorecard_data.csv"


def _refusal(path: Path) -> str:
    with pytest.raises(Refused) as caught:
        guard_file(path)
    return str(caught.value)


def test_real_password_protected_xlsx_is_asked_for_without_the_password():
    """A real encrypted .xlsx (tests/data/password_protected.xlsx, made with msoffcrypto-tool from
    an xlsxwriter book, password 'secret') is refused as password-protected, asking for it again
    without the password; never as a legacy .xls."""
    message = _refusal(DATA / "password_protected.xlsx")
    assert "password-protected" in message and "without the password" in message
    assert "97-2003" not in message


def test_ole2_under_an_xlsx_name_is_password_protected_not_legacy(tmp_path):
    """An OLE2 container saved as .xlsx is how Excel writes a workbook with a password to open, even
    when the stream names are not where a byte search finds them: never called a legacy .xls."""
    path = tmp_path / "return.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048)
    message = _refusal(path)
    assert "password-protected" in message and "97-2003" not in message
    legacy = tmp_path / "return.xls"
    legacy.write_bytes(path.read_bytes())
    assert "97-2003" in _refusal(legacy)


@pytest.mark.parametrize("command", ["build", "benchmark", "export"])
def test_out_with_an_xls_name_is_refused(tmp_path, capsys, command):
    """`--out x.xls` would write xlsx bytes under an .xls name (Excel then warns the file is
    damaged): refused, saying to use .xlsx."""
    out = tmp_path / "x.xls"
    argv = {
        "build": ["build", "--data", SAMPLE, "--authority", "Northshire", "--period", "2023-24 Q4", "--out", out],
        "benchmark": ["benchmark", "--period", "2023-24 Q4", "--store", tmp_path / "s.sqlite", "--out", out],
        "export": ["catalogue", "export", "--format", "xlsx", "--out", out],
    }[command]
    if command == "benchmark":
        from generator.collection.store import Store
        Store(tmp_path / "s.sqlite").close()
    code, _, err = run_cli(capsys, *argv)
    assert code == 2 and ".xls" in err and ".xlsx" in err
    assert not out.exists()


def test_build_says_measures_and_themes_with_proper_plurals(tmp_path, capsys):
    """One measure in one theme is '1 measure, 1 theme', never '1 measures, 1 themes'."""
    data = tmp_path / "one.csv"
    data.write_text("indicator_id,period,actual,target,name,theme,polarity,unit\n"
                    "X1,2023-24 Q4,5,5,Thing,T,Bigger is Better,count\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "build", "--data", data, "--authority", "A", "--period", "2023-24 Q4",
                          "--out", tmp_path / "o.xlsx")
    assert code == 0, err
    assert "(1 measure, 1 theme)" in out


def test_no_printed_count_says_1_things():
    """No message in the CLI or library source pluralises a count with a bare 's' or '(s)' next to
    a number that can be 1: they go through generator.words.plural."""
    offenders = []
    for path in [*ROOT.glob("generator/cli/commands/*.py"), ROOT / "generator/collection/collect.py"]:
        if path.name == "addin.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\}\s+[a-z]+\(s\)|\} (measures|themes|indicators|templates|values)\b", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_catalogue_doc_names_the_documents_not_a_path_outside_the_repo():
    """docs/catalogue.md names the five source documents; it cites no shared/seeds path (not in the repo)."""
    text = (ROOT / "docs" / "catalogue.md").read_text(encoding="utf-8")
    assert "shared/seeds" not in text and "/work/" not in text
    from scorecard.catalogue import DOCUMENTS
    for number, title in DOCUMENTS.items():
        assert number in text and title.split(" (")[0] in text, number
