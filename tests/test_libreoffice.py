"""The LibreOffice wrapper itself: a failed conversion is never mistaken for a success."""

from __future__ import annotations

import subprocess

import pytest

from generator.workbooks import libreoffice
from scorecard.errors import ScorecardError


def test_stale_output_from_an_earlier_run_does_not_pass_for_a_conversion(tmp_path, monkeypatch):
    """soffice exits 0 even when it converts nothing: an old output file of the same name must
    not make convert() report success (the referee would then read last run's values)."""
    source = tmp_path / "book.xlsx"
    source.write_bytes(b"workbook")
    out = tmp_path / "out"
    out.mkdir()
    (out / "book.xlsx").write_bytes(b"stale")
    monkeypatch.setattr(libreoffice, "soffice_path", lambda: "soffice")
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, "", ""))
    with pytest.raises(ScorecardError, match="did not convert"):
        libreoffice.convert([source], out)


def test_converting_into_the_source_folder_is_refused(tmp_path, monkeypatch):
    """Recalculating book.xlsx into its own folder would overwrite the original: refused."""
    source = tmp_path / "book.xlsx"
    source.write_bytes(b"workbook")
    monkeypatch.setattr(libreoffice, "soffice_path", lambda: "soffice")
    with pytest.raises(ScorecardError, match="overwrite"):
        libreoffice.convert([source], tmp_path)
    assert source.read_bytes() == b"workbook"


def test_missing_engine_fails_in_ci_and_skips_elsewhere(monkeypatch):
    """Without LibreOffice the real-engine tests skip on a developer machine but fail when CI=true."""
    from missing_tool import skip_or_fail

    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run"):
        skip_or_fail("no soffice")
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception):
        skip_or_fail("no soffice")
